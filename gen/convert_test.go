package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/gen/testdata/convert/golden/convert"
	"github.com/openmms/mm7go/gen/testdata/convert/golden/v1"
	"github.com/openmms/mm7go/gen/testdata/convert/golden/v2"
	"github.com/openmms/mm7go/xsdtypes"
)

// The conversion pass on two tiny schemas, testdata/convert/v1.xsd and
// v2.xsd: the matching (TestConvertMatching), the generated code
// (TestConvertGolden, compiled in testdata/convert/golden and exercised by
// TestConvertGoldenBehaviour) and what it rejects.

const convertGoldenDir = "testdata/convert/golden"

// convertTestSides builds the models of the tiny schemas the way
// convertFiles builds those of the repository.
func convertTestSides(t *testing.T) (v1, v2 *convSide) {
	t.Helper()
	var sides []*convSide
	for _, pkg := range []string{"v1", "v2"} {
		model, _, err := buildModel(filepath.Join("testdata", "convert", pkg+".xsd"), "gen/testdata/convert/"+pkg+".xsd", pkg)
		require.NoError(t, err)
		sides = append(sides, newConvSide(model, modulePath+"/gen/"+convertGoldenDir+"/"+pkg))
	}
	return sides[0], sides[1]
}

// describe lists how a direction converts each field: "Struct.Field -> Field",
// "Struct.Field lost: reason", with the enumeration helpers and their lost
// values.
func describe(d *direction) []string {
	var out []string
	for _, sc := range d.structs {
		for _, fc := range sc.fields {
			line := sc.from.Name + "." + fc.src.Name
			switch {
			case fc.dst == nil:
				line += " lost: " + fc.reason
			case fc.strct != nil:
				line += " -> " + fc.dst.Name + " via " + fc.strct.fn
			case fc.enum != nil:
				line += " -> " + fc.dst.Name + " via " + fc.enum.fn
			default:
				line += " -> " + fc.dst.Name
			}
			out = append(out, line)
		}
	}
	for _, ec := range d.enums {
		line := ec.fn + " loses " + joinList(ec.lost)
		if ec.version {
			line += " (version)"
		}
		out = append(out, line)
	}
	for _, e := range d.only {
		out = append(out, "only "+e.XSDName)
	}
	return out
}

func joinList(s []string) string {
	if len(s) == 0 {
		return "nothing"
	}
	return strings.Join(s, ",")
}

func TestConvertMatching(t *testing.T) {
	v1, v2 := convertTestSides(t)

	up, err := planDirection(v1, v2)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"Req.MM7Version -> MM7Version via versionToV2",
		"Req.To -> To via addrToV2",
		"Req.Colour -> Colour via colourToV2",
		"Req.Note -> Note",
		"Req.Tags -> Tags",
		"Req.Size lost: the element has another type in v2",
		"Req.Details -> Details via detailsToV2",
		"Addr.Number -> Number via numberToV2",
		"Addr.Mail -> Mail",
		"Number.Value -> Value",
		"Number.DisplayOnly -> DisplayOnly",
		"Details.Items -> Items",
		"Rsp.MM7Version -> MM7Version via versionToV2",
		"Rsp.Code -> Code",
		"versionToV2 loses nothing (version)",
		"colourToV2 loses nothing",
		"only OldOnly",
	}, describe(up))

	down, err := planDirection(v2, v1)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"Req.MM7Version -> MM7Version via versionToV1",
		"Req.To -> To via addrToV1",
		"Req.Colour -> Colour via colourToV1",
		"Req.Priority lost: no such element in v1",
		"Req.Note -> Note",
		"Req.Tags -> Tags",
		"Req.Size lost: the element has another type in v1",
		"Req.Details -> Details via detailsToV1",
		"Addr.Number -> Number via numberToV1",
		"Addr.Mail -> Mail",
		"Addr.Extra lost: no such element in v1",
		"Number.Value -> Value",
		"Number.DisplayOnly -> DisplayOnly",
		"Number.Coding lost: no such attribute in v1",
		"Number.ID lost: no such attribute in v1",
		"Details.Items -> Items",
		"Rsp.MM7Version -> MM7Version via versionToV1",
		"Rsp.Code -> Code",
		"Rsp.Text lost: no such element in v1",
		"versionToV1 loses 2.0 (version)",
		"colourToV1 loses blue",
		"only NewOnly",
	}, describe(down))
}

// TestConvertMatchesTheRepositorySchemas pins what the default conversion
// finds between REL-5-MM7-1-2 and REL-6-MM7-1-4: nothing of REL-5 is lost
// on the way up except MM7Version values, and exactly the REL-6 additions
// on the way down.
func TestConvertMatchesTheRepositorySchemas(t *testing.T) {
	root, err := moduleRoot()
	require.NoError(t, err)
	var sides []*convSide
	for _, tg := range targets {
		model, _, err := buildModel(filepath.Join(root, tg.xsd), tg.xsd, tg.pkg)
		require.NoError(t, err)
		sides = append(sides, newConvSide(model, modulePath+"/"+tg.out))
	}
	up, err := planDirection(sides[0], sides[1])
	require.NoError(t, err)
	down, err := planDirection(sides[1], sides[0])
	require.NoError(t, err)

	lost := func(d *direction) []string {
		var out []string
		for _, l := range describe(d) {
			if !strings.Contains(l, " -> ") {
				out = append(out, l)
			}
		}
		return out
	}
	assert.Equal(t, []string{
		"versionToRel6 loses nothing (version)",
		"messageClassToRel6 loses nothing",
		"priorityToRel6 loses nothing",
		"chargedPartyToRel6 loses nothing",
		"mmDeliveryStatusToRel6 loses nothing",
		"mmReadStatusToRel6 loses nothing",
	}, lost(up))
	assert.Equal(t, []string{
		"SubmitReq.ChargedPartyID lost: no such element in REL-5-MM7-1-2",
		"SubmitReq.DeliveryCondition lost: no such element in REL-5-MM7-1-2",
		"SubmitReq.ApplicID lost: no such element in REL-5-MM7-1-2",
		"SubmitReq.ReplyApplicID lost: no such element in REL-5-MM7-1-2",
		"SubmitReq.AuxApplicInfo lost: no such element in REL-5-MM7-1-2",
		"SubmitReq.ContentClass lost: no such element in REL-5-MM7-1-2",
		"SubmitReq.DRMContent lost: no such element in REL-5-MM7-1-2",
		"RFC2822Address.AddressCoding lost: no such attribute in REL-5-MM7-1-2",
		"RFC2822Address.ID lost: no such attribute in REL-5-MM7-1-2",
		"Number.AddressCoding lost: no such attribute in REL-5-MM7-1-2",
		"Number.ID lost: no such attribute in REL-5-MM7-1-2",
		"ShortCode.AddressCoding lost: no such attribute in REL-5-MM7-1-2",
		"ShortCode.ID lost: no such attribute in REL-5-MM7-1-2",
		"DeliverReq.VASPID lost: no such element in REL-5-MM7-1-2",
		"DeliverReq.VASID lost: no such element in REL-5-MM7-1-2",
		"DeliverReq.PreviouslySentBy lost: no such element in REL-5-MM7-1-2",
		"DeliverReq.PreviouslySentDateAndTime lost: no such element in REL-5-MM7-1-2",
		"DeliverReq.SenderSPI lost: no such element in REL-5-MM7-1-2",
		"DeliverReq.RecipientSPI lost: no such element in REL-5-MM7-1-2",
		"DeliverReq.ApplicID lost: no such element in REL-5-MM7-1-2",
		"DeliverReq.ReplyApplicID lost: no such element in REL-5-MM7-1-2",
		"DeliverReq.AuxApplicInfo lost: no such element in REL-5-MM7-1-2",
		"DeliverReq.UACapabilities lost: no such element in REL-5-MM7-1-2",
		"CancelReq.ApplicID lost: no such element in REL-5-MM7-1-2",
		"CancelReq.ReplyApplicID lost: no such element in REL-5-MM7-1-2",
		"CancelReq.AuxApplicInfo lost: no such element in REL-5-MM7-1-2",
		"ReplaceReq.ContentClass lost: no such element in REL-5-MM7-1-2",
		"ReplaceReq.DRMContent lost: no such element in REL-5-MM7-1-2",
		"ReplaceReq.ApplicID lost: no such element in REL-5-MM7-1-2",
		"ReplaceReq.ReplyApplicID lost: no such element in REL-5-MM7-1-2",
		"ReplaceReq.AuxApplicInfo lost: no such element in REL-5-MM7-1-2",
		"DeliveryReportReq.MMStatusExtension lost: no such element in REL-5-MM7-1-2",
		"DeliveryReportReq.ApplicID lost: no such element in REL-5-MM7-1-2",
		"DeliveryReportReq.ReplyApplicID lost: no such element in REL-5-MM7-1-2",
		"DeliveryReportReq.AuxApplicInfo lost: no such element in REL-5-MM7-1-2",
		"DeliveryReportReq.UACapabilities lost: no such element in REL-5-MM7-1-2",
		"ReadReplyReq.ApplicID lost: no such element in REL-5-MM7-1-2",
		"ReadReplyReq.ReplyApplicID lost: no such element in REL-5-MM7-1-2",
		"ReadReplyReq.AuxApplicInfo lost: no such element in REL-5-MM7-1-2",
		"versionToRel5 loses 6.8.0,6.6.0,6.5.0,6.4.0,6.3.0,5.10.0,5.8.0,5.6.0,5.5.0 (version)",
		"messageClassToRel5 loses nothing",
		"priorityToRel5 loses nothing",
		"chargedPartyToRel5 loses ThirdParty",
		"mmDeliveryStatusToRel5 loses Unrecognised,Deferred,DeliveryConditionNotMet",
		"mmReadStatusToRel5 loses nothing",
		"only extendedCancelReq",
		"only extendedCancelRsp",
		"only extendedReplaceReq",
		"only extendedReplaceRsp",
	}, lost(down))
}

// convertGoldenFiles generates the bindings of the tiny schemas and the
// conversion between them, by output directory.
func convertGoldenFiles(t *testing.T) map[string]map[string][]byte {
	t.Helper()
	out := map[string]map[string][]byte{}
	for _, pkg := range []string{"v1", "v2"} {
		files, err := generate(filepath.Join("testdata", "convert", pkg+".xsd"), "gen/testdata/convert/"+pkg+".xsd", pkg)
		require.NoError(t, err)
		out[filepath.Join(convertGoldenDir, pkg)] = files
	}
	v1, v2 := convertTestSides(t)
	files, err := generateConvert(v1, v2, "convert")
	require.NoError(t, err)
	out[filepath.Join(convertGoldenDir, "convert")] = files
	return out
}

// TestConvertGolden compares the code generated from the tiny schemas with
// testdata/convert/golden (go test ./gen -update rewrites it). The golden
// packages compile with the gen tests, and TestConvertGoldenBehaviour runs
// them.
func TestConvertGolden(t *testing.T) {
	for dir, files := range convertGoldenFiles(t) {
		if *update {
			_, err := syncDir(dir, files, false)
			require.NoError(t, err)
		}
		for fn, got := range files {
			want, err := os.ReadFile(filepath.Join(dir, fn))
			require.NoError(t, err, "run go test ./gen -update")
			assert.Equal(t, string(want), string(got), filepath.Join(dir, fn))
		}
	}
}

func TestConvertGenerationIsDeterministic(t *testing.T) {
	root, err := moduleRoot()
	require.NoError(t, err)
	a, err := convertFiles(root, conversions[0])
	require.NoError(t, err)
	b, err := convertFiles(root, conversions[0])
	require.NoError(t, err)
	assert.Equal(t, a, b)
	for _, f := range []string{"doc.go", "convert.go"} {
		assert.Contains(t, string(a[f]), "// Code generated by mm7go/gen from xsd/REL-5-MM7-1-2.xsd and xsd/REL-6-MM7-1-4.xsd. DO NOT EDIT.\n", f)
	}
}

// convertFile is a hand-made model for the rejection tests.
func convertFile(pkg, ns string, fields ...*goField) *goFile {
	s := &goStruct{Name: "Req", XSDName: "Req", Kind: "element", XMLName: &qname{ns, "Req"}, Fields: fields}
	return &goFile{Package: pkg, Source: pkg + ".xsd", Namespace: ns, Structs: []*goStruct{s}, Elements: []*goStruct{s}}
}

func TestConvertRejects(t *testing.T) {
	field := func(ns, typ string) *goField {
		return &goField{Name: "Tag", Type: typ, XMLName: qname{ns, "Tag"}}
	}
	t.Run("cardinality", func(t *testing.T) {
		a := newConvSide(convertFile("a", "urn:a", field("urn:a", "*string")), "example.com/a")
		b := newConvSide(convertFile("b", "urn:b", field("urn:b", "[]string")), "example.com/b")
		_, err := generateConvert(a, b, "convert")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "Req.Tag: element repeats in one schema and not in the other")
	})
	t.Run("unknown type", func(t *testing.T) {
		a := newConvSide(convertFile("a", "urn:a", field("urn:a", "Mystery")), "example.com/a")
		b := newConvSide(convertFile("b", "urn:b", field("urn:b", "string")), "example.com/b")
		_, err := generateConvert(a, b, "convert")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "unknown Go type Mystery")
	})
	t.Run("same package", func(t *testing.T) {
		a := newConvSide(convertFile("a", "urn:a"), "example.com/a")
		_, err := generateConvert(a, a, "convert")
		require.Error(t, err)
	})
	t.Run("unknown target", func(t *testing.T) {
		_, err := convertFiles(".", conversion{a: "rel5", b: "rel9", pkg: "convert", out: "x"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), `no target "rel9"`)
	})
}

func TestConvertOptionalityMayDiffer(t *testing.T) {
	// An element optional in one schema and required in the other converts
	// both ways: a nil pointer leaves the value unset.
	field := func(ns, typ string) *goField {
		return &goField{Name: "Tag", Type: typ, XMLName: qname{ns, "Tag"}}
	}
	a := newConvSide(convertFile("a", "urn:a", field("urn:a", "*string")), "example.com/a")
	b := newConvSide(convertFile("b", "urn:b", field("urn:b", "string")), "example.com/b")
	files, err := generateConvert(a, b, "convert")
	require.NoError(t, err)
	src := string(files["convert.go"])
	assert.Contains(t, src, "if in.Tag != nil {\n\t\tout.Tag = *in.Tag\n\t}")
	assert.Contains(t, src, "out.Tag = new(in.Tag)")
}

func TestLowerFirst(t *testing.T) {
	for in, want := range map[string]string{
		"SubmitReq": "submitReq", "MMDeliveryStatus": "mmDeliveryStatus", "RFC2822Address": "rfc2822Address",
		"ID": "id", "SenderID": "senderID", "RSErrorRsp": "rsErrorRsp", "VASPErrorRsp": "vaspErrorRsp",
		"string": "string", "X6_8_0": "x6_8_0",
	} {
		assert.Equal(t, want, lowerFirst(in), in)
	}
}

func TestConvertGoldenBehaviour(t *testing.T) {
	v1Name := xml.Name{Space: v1.Namespace, Local: "Req"}
	note := xsdtypes.AnyElement{XMLName: xml.Name{Space: "urn:x", Local: "Note"},
		Attrs:    []xml.Attr{{Name: xml.Name{Local: "a"}, Value: "1"}},
		Children: []xsdtypes.AnyElement{{XMLName: xml.Name{Space: "urn:x", Local: "Line"}, Text: "deep"}}}

	t.Run("up and back", func(t *testing.T) {
		in := &v1.Req{XMLName: v1Name, MM7Version: v1.Version1_0,
			To:     v1.Addr{Number: []v1.Number{{Value: "1", DisplayOnly: new(true)}, {Value: "2"}}, Mail: new("m@x")},
			Colour: new(v1.ColourGreen), Note: new("hi"), Tags: []string{"a", "b"},
			Details: &v1.Details{Items: []xsdtypes.AnyElement{note}}}
		up, losses := convert.ReqToV2(in)
		assert.Empty(t, losses)
		assert.Equal(t, xml.Name{Space: v2.Namespace, Local: "Req"}, up.XMLName)
		assert.Equal(t, v2.Version1_0, up.MM7Version)
		back, losses := convert.ReqToV1(up)
		assert.Empty(t, losses)
		assert.Equal(t, in, back)

		// The result shares no memory with the input.
		up.To.Number[0].Value = "changed"
		*up.Note = "changed"
		up.Tags[0] = "changed"
		up.Details.Items[0].Children[0].Text = "changed"
		up.Details.Items[0].Attrs[0].Value = "changed"
		assert.Equal(t, "1", in.To.Number[0].Value)
		assert.Equal(t, "hi", *in.Note)
		assert.Equal(t, "a", in.Tags[0])
		assert.Equal(t, "deep", in.Details.Items[0].Children[0].Text)
		assert.Equal(t, "1", in.Details.Items[0].Attrs[0].Value)
	})

	t.Run("down reports what v1 cannot hold", func(t *testing.T) {
		in := &v2.Req{MM7Version: v2.Version2_0,
			To: v2.Addr{Number: []v2.Number{{Value: "1"}, {Value: "2", Coding: new(v2.CodingHidden), ID: new("n2")}},
				Extra: new("x")},
			Colour: new(v2.ColourBlue), Priority: new(3), Size: &v2.Size{Bytes: 10}}
		out, losses := convert.ReqToV1(in)
		assert.Equal(t, []convert.Loss{
			{Path: "Req.MM7Version", Reason: `value "2.0" not allowed by v1 versionType; MM7Version left empty`},
			{Path: "Req.To.Number[1].Coding", Reason: "no such attribute in v1"},
			{Path: "Req.To.Number[1].ID", Reason: "no such attribute in v1"},
			{Path: "Req.To.Extra", Reason: "no such element in v1"},
			{Path: "Req.Colour", Reason: `value "blue" not allowed by v1 colourType`},
			{Path: "Req.Priority", Reason: "no such element in v1"},
			{Path: "Req.Size", Reason: "the element has another type in v1"},
		}, losses)
		assert.Equal(t, &v1.Req{XMLName: v1Name, To: v1.Addr{Number: []v1.Number{{Value: "1"}, {Value: "2"}}},
			Colour: new(v1.Colour("blue"))}, out, "MM7Version left empty, blue kept, the rest dropped")
		assert.Equal(t, "Req.Priority: no such element in v1", losses[5].String())
	})

	t.Run("unset fields and nil", func(t *testing.T) {
		out, losses := convert.RspToV1(&v2.Rsp{MM7Version: v2.Version1_0, Code: 7})
		assert.Empty(t, losses)
		assert.Equal(t, &v1.Rsp{XMLName: xml.Name{Space: v1.Namespace, Local: "Rsp"}, MM7Version: v1.Version1_0, Code: 7}, out)
		_, losses = convert.RspToV1(&v2.Rsp{Text: "required in v2"})
		assert.Equal(t, []convert.Loss{{Path: "Rsp.Text", Reason: "no such element in v1"}}, losses)
		up, losses := convert.RspToV2(&v1.Rsp{})
		assert.Empty(t, losses)
		assert.Empty(t, up.Text, "fields only the target has stay unset")
		none, losses := convert.ReqToV2(nil)
		assert.Nil(t, none)
		assert.Nil(t, losses)
	})

	t.Run("dispatch", func(t *testing.T) {
		out, losses, err := convert.ToV2(&v1.Rsp{MM7Version: v1.Version1_0})
		require.NoError(t, err)
		assert.Empty(t, losses)
		assert.IsType(t, &v2.Rsp{}, out)

		_, _, err = convert.ToV1(&v2.NewOnly{})
		var nc *convert.NoCounterpartError
		require.ErrorAs(t, err, &nc)
		assert.Equal(t, convert.NoCounterpartError{Element: "NewOnly", Schema: "v1"}, *nc)
		assert.EqualError(t, err, "convert: v1 has no NewOnly element")

		_, _, err = convert.ToV2(v1.Rsp{})
		assert.EqualError(t, err, "convert: v1.Rsp is not a pointer to a v1 element struct")
		_, _, err = convert.ToV1(&v1.Req{})
		assert.EqualError(t, err, "convert: *v1.Req is not a pointer to a v2 element struct")
	})
}

// cloneAnyElement (emitted by emitCloneAny) deep-copies the fields of
// xsdtypes.AnyElement it knows; a new field that holds memory must be
// added there.
func TestCloneAnyElementKnowsAnyElement(t *testing.T) {
	var fields []string
	typ := reflect.TypeFor[xsdtypes.AnyElement]()
	for i := range typ.NumField() {
		fields = append(fields, typ.Field(i).Name+" "+typ.Field(i).Type.String())
	}
	assert.Equal(t, []string{"XMLName xml.Name", "Attrs []xml.Attr", "Children []xsdtypes.AnyElement", "Text string"}, fields)
}
