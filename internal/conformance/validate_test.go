package conformance_test

import (
	"encoding/xml"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/xsdtypes"
	"github.com/openmms/mm7go/xsdvalidate"
)

// validator is what every generated message implements.
type validator interface{ Validate() error }

// TestValidateAcceptsEveryValidDocument: the generated Validate accepts
// the full and minimal value of every global element of both schemas,
// which libxml2 accepts too (TestEveryElementRoundTripsAndValidates).
func TestValidateAcceptsEveryValidDocument(t *testing.T) {
	for _, d := range documents(t) {
		v, ok := d.value.(validator)
		require.True(t, ok, "%T has no Validate method", d.value)
		assert.NoError(t, v.Validate(), "%s %s %s:\n%s", d.binding.name, d.element, d.mode, d.xml)
	}
}

// mutation is one change to a message, found by walking it.
type mutation struct {
	path  string
	what  string
	apply func(v reflect.Value)
}

var (
	validType   = reflect.TypeFor[interface{ Valid() bool }]()
	otherNSAttr = xml.Attr{Name: xml.Name{Local: "local"}, Value: "1"}
)

// mutations lists the single changes the walk finds in v: every enum gets
// a value outside its enumeration, every integer 0 and -1, every
// date/duration an unset or unwritable value, every pointer is dropped or
// added (a choice alternative too many or none left, a required element
// gone), every slice emptied or grown by a zero item, every wildcard an
// item from a namespace it may not take.
func mutations(v reflect.Value, path string, out *[]mutation) {
	add := func(what string, f func(reflect.Value)) {
		*out = append(*out, mutation{path, what, f})
	}
	t := v.Type()
	switch {
	case t == dateTimeType:
		add("unset dateTime", func(v reflect.Value) { v.Set(reflect.Zero(t)) })
		add("year 10000", func(v reflect.Value) {
			v.Set(reflect.ValueOf(xsdtypes.NewDateTime(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))))
		})
		return
	case t == dodType:
		add("unset union", func(v reflect.Value) { v.Set(reflect.Zero(t)) })
		add("negative duration component", func(v reflect.Value) {
			v.Set(reflect.ValueOf(xsdtypes.After(xsdtypes.Duration{Days: -1})))
		})
		return
	case t == anyAttrsType:
		add("attribute without namespace", func(v reflect.Value) {
			v.Set(reflect.Append(v, reflect.ValueOf(otherNSAttr)))
		})
		return
	case t == anyElemType || t == xmlNameType:
		return
	}
	switch v.Kind() {
	case reflect.String:
		if reflect.PointerTo(t).Implements(validType) || t.Implements(validType) {
			add("value outside the enumeration", func(v reflect.Value) { v.SetString("bogus") })
		}
		if strings.HasSuffix(path, "@id") {
			add("xs:ID not an NCName", func(v reflect.Value) { v.SetString("1st") })
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		add("0", func(v reflect.Value) { v.SetInt(0) })
		add("-1", func(v reflect.Value) { v.SetInt(-1) })
	case reflect.Pointer:
		if v.IsNil() {
			add("added (zero value)", func(v reflect.Value) { v.Set(reflect.New(t.Elem())) })
			return
		}
		add("dropped", func(v reflect.Value) { v.Set(reflect.Zero(t)) })
		mutations(v.Elem(), path, out)
	case reflect.Slice:
		if t.Elem() == anyElemType {
			add("wildcard item in no namespace", func(v reflect.Value) {
				v.Set(reflect.Append(v, reflect.ValueOf(xsdtypes.AnyElement{XMLName: xml.Name{Local: "x"}, Text: "1"})))
			})
		}
		if v.Len() > 0 {
			add("emptied", func(v reflect.Value) { v.Set(reflect.Zero(t)) })
		}
		add("zero item added", func(v reflect.Value) { v.Set(reflect.Append(v, reflect.Zero(t.Elem()))) })
		for i := range v.Len() {
			mutations(v.Index(i), fmt.Sprintf("%s[%d]", path, i), out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() || sf.Name == "XMLName" {
				continue
			}
			name := sf.Name
			if strings.Contains(sf.Tag.Get("xml"), ",attr") {
				name = "@" + strings.ToLower(name)
			}
			mutations(v.Field(i), path+"/"+name, out)
		}
	}
}

// mutationTarget returns the value the walk of root visits as mutation
// number k: mutations and this walk visit values in the same order.
func mutationTarget(root reflect.Value, k int) reflect.Value {
	var target reflect.Value
	n := 0
	var find func(v reflect.Value, path string)
	find = func(v reflect.Value, path string) {
		var here []mutation
		mutations0(v, path, &here)
		for range here {
			if n == k {
				target = v
			}
			n++
		}
		children(v, path, find)
	}
	find(root, "")
	return target
}

// mutations0 lists the mutations of v itself, without descending.
func mutations0(v reflect.Value, path string, out *[]mutation) {
	var all []mutation
	mutations(v, path, &all)
	var sub []mutation
	children(v, path, func(c reflect.Value, p string) { mutations(c, p, &sub) })
	*out = append(*out, all[:len(all)-len(sub)]...)
}

// children calls f for the values mutations descends into.
func children(v reflect.Value, path string, f func(reflect.Value, string)) {
	t := v.Type()
	if t == dateTimeType || t == dodType || t == anyAttrsType || t == anyElemType || t == xmlNameType {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			f(v.Elem(), path)
		}
	case reflect.Slice:
		for i := range v.Len() {
			f(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() || sf.Name == "XMLName" {
				continue
			}
			name := sf.Name
			if strings.Contains(sf.Tag.Get("xml"), ",attr") {
				name = "@" + strings.ToLower(name)
			}
			f(v.Field(i), path+"/"+name)
		}
	}
}

// TestValidateAgreesWithLibxml2OnMutations breaks the valid full and
// minimal value of every message of both versions one change at a time
// and checks that the generated Validate and libxml2 agree on whether the
// result is valid. A value encoding/xml cannot marshal (an unset dateTime)
// must fail Validate too.
func TestValidateAgreesWithLibxml2OnMutations(t *testing.T) {
	checkMutations(t, func(b binding) (*xsdvalidate.Schema, error) { return b.schema() })
}

// TestValidateAgreesWithOfficialSchemasOnMutations: the same mutations,
// judged by libxml2 with the official 3GPP schemas (REL-5-MM7-1-2,
// REL-6-MM7-1-4), so that xsd/ and hence Validate carry the official
// constraints.
func TestValidateAgreesWithOfficialSchemasOnMutations(t *testing.T) {
	dir := officialDir(t)
	schemas := map[string]*xsdvalidate.Schema{}
	for _, b := range bindings {
		s, err := xsdvalidate.CompileFile(filepath.Join(dir, b.official))
		require.NoError(t, err)
		schemas[b.name] = s
	}
	checkMutations(t, func(b binding) (*xsdvalidate.Schema, error) { return schemas[b.name], nil })
}

func checkMutations(t *testing.T, schemaOf func(binding) (*xsdvalidate.Schema, error)) {
	total, invalid := 0, 0
	for _, d := range documents(t) {
		s, err := schemaOf(d.binding)
		require.NoError(t, err)
		var ms []mutation
		mutations(reflect.ValueOf(d.value).Elem(), "/"+d.element, &ms)
		for k, m := range ms {
			cp := deepCopy(t, d.value)
			target := mutationTarget(reflect.ValueOf(cp).Elem(), k)
			require.True(t, target.IsValid(), "mutation %d of %s", k, d.element)
			m.apply(target)
			total++
			name := fmt.Sprintf("%s %s %s %s: %s", d.binding.name, d.element, d.mode, m.path, m.what)
			got := cp.(validator).Validate()
			doc, merr := xml.Marshal(cp)
			if merr != nil {
				invalid++
				assert.Error(t, got, "%s: encoding/xml cannot marshal it (%v), Validate must refuse it", name, merr)
				continue
			}
			lerr := s.Validate(doc)
			if droppedZeroItem(cp) {
				// encoding/xml leaves zero items of a repeated ,omitempty
				// element out ([]int{0} marshals as nothing), so libxml2
				// never sees the 0 that breaks xs:positiveInteger. Validate
				// refuses the value instead of letting it vanish.
				invalid++
				assert.Error(t, got, "%s: a zero DC item is not a positiveInteger", name)
				continue
			}
			if lerr != nil {
				invalid++
				var ve *xsdtypes.ValidationError
				assert.True(t, errors.As(got, &ve), "%s: libxml2 rejects it (%v), Validate says %v\n%s", name, lerr, got, doc)
			} else {
				assert.NoError(t, got, "%s: libxml2 accepts it\n%s", name, doc)
			}
		}
	}
	t.Logf("%d mutations, %d invalid", total, invalid)
	assert.Greater(t, invalid, 200, "the mutations must break the schema often")
}

// droppedZeroItem reports whether msg has a DeliveryCondition with a zero
// DC item, which encoding/xml omits when marshalling.
func droppedZeroItem(msg any) bool {
	dc := reflect.ValueOf(msg).Elem().FieldByName("DeliveryCondition")
	if !dc.IsValid() || dc.IsNil() {
		return false
	}
	items := dc.Elem().FieldByName("DC")
	for i := range items.Len() {
		if items.Index(i).Int() == 0 {
			return true
		}
	}
	return false
}
