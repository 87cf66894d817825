package conformance_test

import (
	"encoding/xml"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/convert"
	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/xsdvalidate"
)

// Tests of generated/convert on values of every element both schemas have.

// commonElements are the elements of REL-5-MM7-1-2, all of which
// REL-6-MM7-1-4 has too.
func commonElements(t *testing.T) []string {
	t.Helper()
	for _, el := range rel5.Elements {
		require.Contains(t, rel6.Elements, el)
	}
	return rel5.Elements
}

// TestConvertRel5ToRel6AndBack: REL-6-MM7-1-4 can hold every REL-5-MM7-1-2
// message, so a full rel5 value converts up without losses, validates as
// REL-6, and converts back to exactly the same value.
func TestConvertRel5ToRel6AndBack(t *testing.T) {
	s6, err := xsdvalidate.Rel6()
	require.NoError(t, err)
	for _, el := range commonElements(t) {
		for _, full := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/full=%v", el, full), func(t *testing.T) {
				in := rel5.New(el)
				(&filler{full: full}).fill(in)
				keep := deepCopy(t, in)

				up, losses, err := convert.ToRel6(in)
				require.NoError(t, err)
				assert.Empty(t, losses)
				require.IsType(t, rel6.New(el), up)
				assert.Equal(t, xml.Name{Space: rel6.Namespace, Local: el}, xmlNameOf(up))
				if full { // minimal values leave required choices empty, see roundtrip_test.go
					body, err := xml.Marshal(up)
					require.NoError(t, err)
					assert.NoError(t, s6.Validate(body), "%s", body)
				}

				back, losses, err := convert.ToRel5(up)
				require.NoError(t, err)
				assert.Empty(t, losses)
				assert.Equal(t, in, back)
				assert.Equal(t, keep, in, "the input is not modified")
			})
		}
	}
}

// TestConvertRel6ToRel5ReportsRel6OnlyFields converts full rel6 values
// down: every REL-6-only field set is reported, in schema order, and
// everything else arrives unchanged.
func TestConvertRel6ToRel5ReportsRel6OnlyFields(t *testing.T) {
	t.Run("SubmitReq", func(t *testing.T) {
		in := new(rel6.SubmitReq)
		(&filler{full: true}).fill(in)
		in.MM7Version = rel6.Version6_8_0
		in.ChargedParty = new(rel6.ChargedPartyThirdParty)

		out, losses := convert.SubmitReqToRel5(in)
		want := []string{"SubmitReq.MM7Version"}
		want = append(want, addressLosses("SubmitReq.SenderIdentification.SenderAddress", *in.SenderIdentification.SenderAddress)...)
		for _, list := range []string{"To", "Cc", "Bcc"} {
			for i := range 2 {
				for _, kind := range []string{"RFC2822Address", "Number", "ShortCode"} {
					for j := range 2 {
						p := fmt.Sprintf("SubmitReq.Recipients.%s[%d].%s[%d]", list, i, kind, j)
						want = append(want, p+".AddressCoding", p+".ID")
					}
				}
			}
		}
		want = append(want, "SubmitReq.ChargedParty", "SubmitReq.ChargedPartyID", "SubmitReq.DeliveryCondition",
			"SubmitReq.ApplicID", "SubmitReq.ReplyApplicID", "SubmitReq.AuxApplicInfo", "SubmitReq.ContentClass", "SubmitReq.DRMContent")
		assert.Equal(t, want, lossPaths(losses))
		assert.Contains(t, losses, convert.Loss{Path: "SubmitReq.MM7Version", Reason: `value "6.8.0" not allowed by REL-5-MM7-1-2 versionType; MM7Version left empty`})
		assert.Contains(t, losses, convert.Loss{Path: "SubmitReq.ChargedParty", Reason: `value "ThirdParty" not allowed by REL-5-MM7-1-2 chargedPartyType`})
		assert.Contains(t, losses, convert.Loss{Path: "SubmitReq.ChargedPartyID", Reason: "no such element in REL-5-MM7-1-2"})
		assert.Contains(t, losses, convert.Loss{Path: "SubmitReq.Recipients.Bcc[1].ShortCode[1].AddressCoding", Reason: "no such attribute in REL-5-MM7-1-2"})

		assert.Empty(t, out.MM7Version, "a version REL-5 does not allow is not copied")
		assert.Equal(t, rel5.ChargedParty("ThirdParty"), *out.ChargedParty, "other enumeration values are kept")
		assert.Equal(t, xml.Name{Space: rel5.Namespace, Local: "SubmitReq"}, out.XMLName)
		assertRestEqual(t, in, out, losses)
	})

	t.Run("DeliveryReportReq", func(t *testing.T) {
		in := new(rel6.DeliveryReportReq)
		(&filler{full: true}).fill(in)
		in.MM7Version = rel6.Version5_3_0
		in.MMStatus = rel6.MMDeliveryStatusDeferred

		out, losses := convert.DeliveryReportReqToRel5(in)
		var want []string
		want = append(want, addressLosses("DeliveryReportReq.Recipient", in.Recipient)...)
		want = append(want, addressLosses("DeliveryReportReq.Sender", in.Sender)...)
		want = append(want, "DeliveryReportReq.MMStatus", "DeliveryReportReq.MMStatusExtension",
			"DeliveryReportReq.ApplicID", "DeliveryReportReq.ReplyApplicID", "DeliveryReportReq.AuxApplicInfo", "DeliveryReportReq.UACapabilities")
		assert.Equal(t, want, lossPaths(losses))
		assert.Contains(t, losses, convert.Loss{Path: "DeliveryReportReq.MMStatus", Reason: `value "Deferred" not allowed by REL-5-MM7-1-2 mmDeliveryStatusType`})
		assert.Equal(t, rel5.Version5_3_0, out.MM7Version)
		assert.Equal(t, rel5.MMDeliveryStatus("Deferred"), out.MMStatus)
		assertRestEqual(t, in, out, losses)
	})
}

// TestConvertRel6WithoutRel6OnlyFieldsValidatesAsRel5: once the REL-6-only
// fields are unset and the enumeration values are ones REL-5 has, every
// element converts down without losses, validates against REL-5-MM7-1-2,
// marshals exactly as the REL-6 value does apart from the namespace, and
// converts back up to the same value.
func TestConvertRel6WithoutRel6OnlyFieldsValidatesAsRel5(t *testing.T) {
	s5, err := xsdvalidate.Rel5()
	require.NoError(t, err)
	for _, el := range commonElements(t) {
		t.Run(el, func(t *testing.T) {
			in := rel6.New(el)
			(&filler{full: true}).fill(in)
			if v := reflect.ValueOf(in).Elem().FieldByName("MM7Version"); v.IsValid() {
				v.SetString(string(rel6.Version5_3_0))
			}
			_, losses, err := convert.ToRel5(in)
			require.NoError(t, err)
			for _, l := range losses {
				unsetPath(t, in, l)
			}

			down, losses, err := convert.ToRel5(in)
			require.NoError(t, err)
			require.Empty(t, losses)
			body, err := xml.MarshalIndent(down, "", "  ")
			require.NoError(t, err)
			require.NoError(t, s5.Validate(body), "%s", body)
			body6, err := xml.MarshalIndent(in, "", "  ")
			require.NoError(t, err)
			assert.Equal(t, strings.ReplaceAll(string(body6), rel6.Namespace, rel5.Namespace), string(body))

			up, losses, err := convert.ToRel6(down)
			require.NoError(t, err)
			assert.Empty(t, losses)
			assert.Equal(t, in, up)
		})
	}
}

func TestConvertDispatchErrors(t *testing.T) {
	for _, el := range rel6.Elements {
		if slices.Contains(rel5.Elements, el) {
			continue
		}
		out, losses, err := convert.ToRel5(rel6.New(el))
		var nc *convert.NoCounterpartError
		require.ErrorAs(t, err, &nc, el)
		assert.Equal(t, el, nc.Element)
		assert.Equal(t, "REL-5-MM7-1-2", nc.Schema)
		assert.Contains(t, err.Error(), el)
		assert.Nil(t, out)
		assert.Nil(t, losses)
	}
	_, _, err := convert.ToRel5(&rel6.ExtendedCancelReq{})
	assert.EqualError(t, err, "convert: REL-5-MM7-1-2 has no extendedCancelReq element")

	for _, msg := range []any{nil, "SubmitReq", rel5.SubmitReq{}, &rel6.SubmitReq{}, &xml.Name{}} {
		_, _, err := convert.ToRel6(msg)
		assert.ErrorContains(t, err, "is not a pointer to a REL-5-MM7-1-2 element struct", "%T", msg)
	}
	for _, msg := range []any{nil, rel6.SubmitReq{}, &rel5.SubmitReq{}} {
		_, _, err := convert.ToRel5(msg)
		assert.ErrorContains(t, err, "is not a pointer to a REL-6-MM7-1-4 element struct", "%T", msg)
	}

	out, losses := convert.SubmitReqToRel5(nil)
	assert.Nil(t, out)
	assert.Nil(t, losses)
	anyOut, _, err := convert.ToRel6((*rel5.SubmitReq)(nil))
	require.NoError(t, err)
	assert.Equal(t, (*rel6.SubmitReq)(nil), anyOut)
}

// addressLosses are the losses of a REL-6 address converted down: the
// attributes of its one alternative.
func addressLosses(path string, a rel6.Address) []string {
	var kind string
	switch {
	case a.RFC2822Address != nil:
		kind = "RFC2822Address"
	case a.Number != nil:
		kind = "Number"
	case a.ShortCode != nil:
		kind = "ShortCode"
	}
	return []string{path + "." + kind + ".AddressCoding", path + "." + kind + ".ID"}
}

func lossPaths(losses []convert.Loss) []string {
	var out []string
	for _, l := range losses {
		out = append(out, l.Path)
	}
	return out
}

// assertRestEqual checks that out, the conversion of in, holds everything
// of in but what the losses name: with the REL-6-only fields unset (and the
// version a REL-5 one when it was not carried over), in marshals exactly
// like out apart from the namespace.
func assertRestEqual(t *testing.T, in, out any, losses []convert.Loss) {
	t.Helper()
	stripped := deepCopy(t, in)
	for _, l := range losses {
		if strings.HasPrefix(l.Reason, "no such ") {
			unsetPath(t, stripped, l)
		}
	}
	if v := reflect.ValueOf(out).Elem().FieldByName("MM7Version"); v.IsValid() && v.String() == "" {
		reflect.ValueOf(stripped).Elem().FieldByName("MM7Version").SetString("")
	}
	want, err := xml.MarshalIndent(stripped, "", "  ")
	require.NoError(t, err)
	got, err := xml.MarshalIndent(out, "", "  ")
	require.NoError(t, err)
	assert.Equal(t, strings.ReplaceAll(string(want), rel6.Namespace, rel5.Namespace), string(got))
}

// unsetPath clears the value a loss names ("SubmitReq.Recipients.To[0].
// Number[1].AddressCoding"), or, for an enumeration value the target does
// not allow, replaces it with the first value of its type.
func unsetPath(t *testing.T, msg any, l convert.Loss) {
	t.Helper()
	v := reflect.ValueOf(msg).Elem()
	steps := strings.Split(l.Path, ".")[1:]
	for i, step := range steps {
		name, index, indexed := strings.Cut(step, "[")
		v = v.FieldByName(name)
		require.True(t, v.IsValid(), "%s: no field %s", l.Path, name)
		if indexed {
			n, err := strconv.Atoi(strings.TrimSuffix(index, "]"))
			require.NoError(t, err)
			v = v.Index(n)
		}
		if i == len(steps)-1 {
			break
		}
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
	}
	if !strings.Contains(l.Reason, "not allowed by") {
		v.SetZero()
		return
	}
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	first := v.Addr().MethodByName("Values").Call(nil)[0].Index(0)
	v.Set(first)
}

// deepCopy returns a deep copy of *v.
func deepCopy[T any](t *testing.T, v T) T {
	t.Helper()
	c := reflect.New(reflect.TypeOf(v).Elem())
	copyValue(c.Elem(), reflect.ValueOf(v).Elem())
	return c.Interface().(T)
}

// copyValue deep-copies src into dst (same type): pointers and slices get
// new memory, so changing the copy cannot change the original.
func copyValue(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		copyValue(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			copyValue(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Struct:
		for i := range src.NumField() {
			if !src.Type().Field(i).IsExported() { // time.Time, xsdtypes unions: values
				dst.Set(src)
				return
			}
		}
		for i := range src.NumField() {
			copyValue(dst.Field(i), src.Field(i))
		}
	default:
		dst.Set(src)
	}
}

func xmlNameOf(msg any) xml.Name {
	return reflect.ValueOf(msg).Elem().FieldByName("XMLName").Interface().(xml.Name)
}
