package conformance_test

import (
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/xsdvalidate"
)

// binding is one generated package, seen through its generated registry.
type binding struct {
	name      string
	namespace string
	elements  []string
	new       func(string) any // the generated New, returning the message as any
	schema    func() (*xsdvalidate.Schema, error)
	official  string // file name under ../shared/reference/xsd
}

var bindings = []binding{
	{"rel5", rel5.Namespace, rel5.Elements, func(l string) any { return rel5.New(l) }, xsdvalidate.Rel5, "REL-5-MM7-1-2.xsd"},
	{"rel6", rel6.Namespace, rel6.Elements, func(l string) any { return rel6.New(l) }, xsdvalidate.Rel6, "REL-6-MM7-1-4.xsd"},
}

// document is one marshalled test message.
type document struct {
	binding binding
	element string
	mode    string
	value   any
	xml     []byte
}

// documents builds a fully populated and a minimal value of every global
// element of both schemas and marshals each.
func documents(t testing.TB) []document {
	t.Helper()
	var docs []document
	for _, b := range bindings {
		for _, el := range b.elements {
			for _, full := range []bool{true, false} {
				v := b.new(el)
				require.NotNil(t, v, "%s.New(%q)", b.name, el)
				(&filler{full: full}).fill(v)
				out, err := xml.MarshalIndent(v, "", "  ")
				require.NoError(t, err, "%s %s", b.name, el)
				mode := "minimal"
				if full {
					mode = "full"
				}
				docs = append(docs, document{b, el, mode, v, out})
			}
		}
	}
	return docs
}

func TestEveryElementRoundTripsAndValidates(t *testing.T) {
	docs := documents(t)
	assert.Len(t, docs, 2*(len(rel5.Elements)+len(rel6.Elements)))
	for _, d := range docs {
		t.Run(d.binding.name+"/"+d.element+"/"+d.mode, func(t *testing.T) {
			s, err := d.binding.schema()
			require.NoError(t, err)
			require.NoError(t, s.Validate(d.xml), "marshalled document:\n%s", d.xml)

			back := d.binding.new(d.element)
			require.NoError(t, xml.Unmarshal(d.xml, back))
			assert.Equal(t, d.value, back)

			again, err := xml.MarshalIndent(back, "", "  ")
			require.NoError(t, err)
			assert.Equal(t, string(d.xml), string(again), "re-marshalling must be stable")
		})
	}
}

// TestFullValuesSetEveryField guards the filler: a "full" value leaves no
// optional field empty, apart from the alternatives of a single choice.
func TestFullValuesSetEveryField(t *testing.T) {
	for _, d := range documents(t) {
		if d.mode != "full" {
			continue
		}
		var empty []string
		walkEmpty(reflect.ValueOf(d.value).Elem(), d.element, &empty)
		assert.Empty(t, empty, "%s %s", d.binding.name, d.element)
	}
}

func walkEmpty(v reflect.Value, path string, empty *[]string) {
	t := v.Type()
	if t.Kind() != reflect.Struct || !generated(t) {
		return // xsdtypes values are leaves here
	}
	choiceSet := 0
	for i := range t.NumField() {
		if inChoice(t.Field(i).Name) && !v.Field(i).IsNil() {
			choiceSet++
		}
	}
	for i := range t.NumField() {
		sf, fv := t.Field(i), v.Field(i)
		if !sf.IsExported() {
			continue
		}
		p := path + "." + sf.Name
		switch fv.Kind() {
		case reflect.Pointer:
			if fv.IsNil() {
				if !(inChoice(sf.Name) && choiceSet == 1) {
					*empty = append(*empty, p)
				}
				continue
			}
			walkEmpty(fv.Elem(), p, empty)
		case reflect.Slice:
			if fv.Len() == 0 {
				*empty = append(*empty, p)
			}
			for j := range fv.Len() {
				walkEmpty(fv.Index(j), p, empty)
			}
		case reflect.Struct:
			walkEmpty(fv, p, empty)
		}
	}
}

func generated(t reflect.Type) bool {
	return strings.HasPrefix(t.PkgPath(), "github.com/openmms/mm7go/generated/")
}

// officialDir is ../shared/reference/xsd next to the repository, where the
// official 3GPP schemas are kept for reference (never copied into the repo).
func officialDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "reference", "xsd"))
	require.NoError(t, err)
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		t.Skipf("official 3GPP schemas not available at %s; skipping the comparison with them", dir)
	}
	return dir
}

func TestDocumentsAlsoValidateAgainstOfficialSchemas(t *testing.T) {
	dir := officialDir(t)
	schemas := map[string]*xsdvalidate.Schema{}
	for _, b := range bindings {
		s, err := xsdvalidate.CompileFile(filepath.Join(dir, b.official))
		require.NoError(t, err)
		schemas[b.name] = s
	}
	for _, d := range documents(t) {
		t.Run(d.binding.name+"/"+d.element+"/"+d.mode, func(t *testing.T) {
			assert.NoError(t, schemas[d.binding.name].Validate(d.xml), "document:\n%s", d.xml)
		})
	}
}
