package main

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/gen/testdata/golden/v01"
	"github.com/openmms/mm7go/xsdtypes"
	"github.com/openmms/mm7go/xsdvalidate"
)

// validV01 is a v01.Req that satisfies every constraint of
// testdata/v01_validate_facets.xsd.
func validV01() *v01.Req {
	return &v01.Req{
		Code: "AB123", Item: []string{"a", "b"}, Phone: new("1"),
		To: []v01.Pair{{Left: "l", Right: "r"}}, Mode: v01.ColourRed,
	}
}

// TestValidateAgreesWithLibxml2 breaks one constraint at a time and checks
// that the generated Validate and libxml2 (xsdvalidate) agree on whether
// the marshalled document is valid; for invalid ones Validate must name
// the expected path.
func TestValidateAgreesWithLibxml2(t *testing.T) {
	schema, err := xsdvalidate.CompileFile("testdata/v01_validate_facets.xsd")
	require.NoError(t, err)
	cases := []struct {
		name   string
		mutate func(r *v01.Req)
		path   string // "" for a valid document
	}{
		{"valid", func(*v01.Req) {}, ""},
		{"second pattern alternative", func(r *v01.Req) { r.Code = "x-a1" }, ""},
		{"pattern: Go \\d would take only ASCII, XSD takes any Nd", func(r *v01.Req) { r.Code = "AB١٢٣" }, ""},
		{"pattern broken", func(r *v01.Req) { r.Code = "ab123" }, "/Req/Code"},
		{"pattern needs the whole value", func(r *v01.Req) { r.Code = "AB1234" }, "/Req/Code"},
		{"base maxLength on a pattern type", func(r *v01.Req) { r.Code = "x-abcd" }, "/Req/Code"},
		{"^ and $ are literal in XSD", func(r *v01.Req) { r.Dollar = new("$x^") }, ""},
		{"^ and $ are not anchors", func(r *v01.Req) { r.Dollar = new("x") }, "/Req/Dollar"},
		{"minLength", func(r *v01.Req) { r.Name = []string{"a"} }, "/Req/Name"},
		{"maxLength counts characters", func(r *v01.Req) { r.Name = []string{"éééé"} }, ""},
		{"maxLength", func(r *v01.Req) { r.Name = []string{"abcde"} }, "/Req/Name"},
		{"too many", func(r *v01.Req) { r.Name = []string{"ab", "ab", "ab", "ab"} }, "/Req"},
		{"length", func(r *v01.Req) { r.Pin = new("123") }, "/Req/Pin"},
		{"minInclusive", func(r *v01.Req) { r.Percent = new(-1) }, "/Req/Percent"},
		{"maxExclusive", func(r *v01.Req) { r.Percent = new(101) }, "/Req/Percent"},
		{"maxExclusive edge", func(r *v01.Req) { r.Percent = new(100) }, ""},
		{"enumerated number", func(r *v01.Req) { r.Level = new(3) }, "/Req/Level"},
		{"xs:int range", func(r *v01.Req) { r.Level = new(1 << 32) }, "/Req/Level"},
		{"enumeration", func(r *v01.Req) { r.Colour = new(v01.Colour("blue")) }, "/Req/Colour"},
		{"positiveInteger", func(r *v01.Req) { r.Count = new(0) }, "/Req/Count"},
		{"NCName", func(r *v01.Req) { r.Tag = new("1abc") }, "/Req/Tag"},
		{"NCName after whitespace collapse", func(r *v01.Req) { r.Tag = new(" abc ") }, ""},
		{"minOccurs", func(r *v01.Req) { r.Item = r.Item[:1] }, "/Req"},
		{"maxOccurs", func(r *v01.Req) { r.Item = []string{"1", "2", "3", "4", "5"} }, "/Req"},
		{"choice: none", func(r *v01.Req) { r.Phone = nil }, "/Req"},
		{"choice: two", func(r *v01.Req) { r.Mail = new("m") }, "/Req"},
		{"choice: the other one", func(r *v01.Req) { r.Phone, r.Mail = nil, new("m") }, ""},
		{"optional choice: two", func(r *v01.Req) {
			r.Urgent, r.Later = new(true), new(xsdtypes.NewDateTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
		}, "/Req"},
		{"optional choice: one", func(r *v01.Req) { r.Urgent = new(false) }, ""},
		{"optional sequence: all", func(r *v01.Req) { r.From, r.Until = new("a"), new("b") }, ""},
		{"optional sequence: part", func(r *v01.Req) { r.From = new("a") }, "/Req"},
		{"repeated choice: none", func(r *v01.Req) { r.To = nil }, "/Req"},
		{"repeated choice: any mix", func(r *v01.Req) { r.Cc = []v01.Pair{{}, {}} }, ""},
		{"nested type", func(r *v01.Req) { r.Cc = []v01.Pair{{}} }, ""},
		{"xs:ID", func(r *v01.Req) { r.ID = new("a1") }, ""},
		{"xs:ID not an NCName", func(r *v01.Req) { r.ID = new("1a") }, "/Req/@id"},
		{"xs:ID unique", func(r *v01.Req) { r.ID, r.To[0].ID = new("a1"), new("a1") }, "/Req/To/@id"},
		{"xs:ID unique across elements", func(r *v01.Req) { r.To[0].ID, r.Cc = new("a1"), []v01.Pair{{ID: new(" a1 ")}} }, "/Req/Cc/@id"},
		{"required attribute enumeration", func(r *v01.Req) { r.Mode = "" }, "/Req/@mode"},
		{"##other wildcard", func(r *v01.Req) {
			r.Extra = &v01.Extra{Items: []xsdtypes.AnyElement{{XMLName: xml.Name{Space: "urn:x", Local: "X"}}}}
		}, ""},
		{"##other wildcard: own namespace", func(r *v01.Req) {
			r.Extra = &v01.Extra{Items: []xsdtypes.AnyElement{{XMLName: xml.Name{Space: "urn:test:v01", Local: "X"}}}}
		}, "/Req/Extra/X"},
		{"##other wildcard: no namespace", func(r *v01.Req) {
			r.Extra = &v01.Extra{Items: []xsdtypes.AnyElement{{XMLName: xml.Name{Local: "X"}}}}
		}, "/Req/Extra/X"},
		{"##other attribute: no namespace", func(r *v01.Req) {
			r.Extra = &v01.Extra{Attrs: xsdtypes.AnyAttrs{{Name: xml.Name{Local: "a"}, Value: "1"}}}
		}, "/Req/Extra/@a"},
		{"##other attribute", func(r *v01.Req) {
			r.Extra = &v01.Extra{Attrs: xsdtypes.AnyAttrs{{Name: xml.Name{Space: "urn:x", Local: "a"}, Value: "1"}}}
		}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := validV01()
			r.XMLName = xml.Name{Space: "urn:test:v01", Local: "Req"}
			tc.mutate(r)
			doc, err := xml.Marshal(r)
			require.NoError(t, err)
			libxml := schema.Validate(doc)
			got := r.Validate()
			if tc.path == "" {
				assert.NoError(t, libxml, "libxml2 on %s", doc)
				assert.NoError(t, got, "Validate on %s", doc)
				return
			}
			assert.Error(t, libxml, "libxml2 on %s", doc)
			var ve *xsdtypes.ValidationError
			require.True(t, errors.As(got, &ve), "Validate on %s: %v", doc, got)
			require.NotEmpty(t, ve.Problems)
			for _, p := range ve.Problems {
				assert.Equal(t, tc.path, p.Path, "%v", ve.Problems)
				assert.NotEmpty(t, p.Text)
			}
			assert.True(t, strings.HasPrefix(got.Error(), "Req is not valid: "), got.Error())
			assert.Contains(t, got.Error(), tc.path+": ")
		})
	}
}

// TestValidateReportsEveryProblem: all problems, not only the first.
func TestValidateReportsEveryProblem(t *testing.T) {
	err := (&v01.Req{Code: "bad"}).Validate()
	var ve *xsdtypes.ValidationError
	require.ErrorAs(t, err, &ve)
	var paths []string
	for _, p := range ve.Problems {
		paths = append(paths, p.String())
	}
	assert.Equal(t, []string{
		"/Req: has 0 Item, the schema needs at least 2",
		"/Req: needs one of Phone, Mail",
		"/Req: needs at least one of To, Cc",
		`/Req/@mode: value "" is not one of: red, green`,
		`/Req/Code: value "bad" does not match the pattern "[A-Z]{2}\d{3} | x-\i\c*"`,
	}, paths)
	assert.Error(t, (*v01.Req)(nil).Validate())
}

func TestXSDRegexpTranslation(t *testing.T) {
	for _, bad := range []string{`[a-z-[aeiou]]`, `\p{IsBasicLatin}`, `[\w]`, `a\`, `[abc`} {
		_, err := goRegexp([]string{bad})
		assert.Error(t, err, bad)
	}
	re, err := goRegexp([]string{`a.c`})
	require.NoError(t, err)
	assert.Equal(t, `^(?:(?:a[^\n\r]c))$`, re)
}
