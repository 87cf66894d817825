package xsdtypes_test

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/xsdtypes"
)

func TestLexicalChecks(t *testing.T) {
	assert.Equal(t, "a b c", xsdtypes.CollapseSpace("  a \t b\r\n\nc "))
	assert.Equal(t, "abc", xsdtypes.CollapseSpace("abc"))
	assert.Equal(t, "", xsdtypes.CollapseSpace(" \n "))
	for s, want := range map[string]bool{"a1": true, "_x.y-z": true, "é": true, "1a": false, "a:b": false, "": false, "a b": false, "-a": false} {
		assert.Equal(t, want, xsdtypes.IsNCName(s), "NCName %q", s)
	}
	assert.True(t, xsdtypes.IsName("a:b"))
	assert.False(t, xsdtypes.IsName("1"))
	assert.True(t, xsdtypes.IsNMTOKEN("1-a:b"))
	assert.False(t, xsdtypes.IsNMTOKEN("a b"))
	assert.False(t, xsdtypes.IsNMTOKEN(""))
	for s, want := range map[string]bool{"en": true, "en-GB": true, "zh-Hant-TW": true, "x-a1": true, "1en": false, "": false, "en--GB": false, "toolonglanguage": false} {
		assert.Equal(t, want, xsdtypes.IsLanguage(s), "language %q", s)
	}
	assert.Equal(t, 3, xsdtypes.RuneCount("héé"))
}

func TestCheckerPathsAndErrors(t *testing.T) {
	var c xsdtypes.Checker
	require.NoError(t, c.Err("Root"))
	c.Enter("Root", 0)
	for i := range 20 { // deeper than the fixed stack
		c.Enter("E", xsdtypes.Position(i%2, 2-i/10)) // [1] [2] for the first ten, then no position
	}
	c.Report("@a", "deep")
	for range 20 {
		c.Leave()
	}
	c.Report(xsdtypes.Indexed("DC", 1, 2), "second")
	c.ID("@id", " a1 ")
	c.ID("@id", "a1")
	c.ID("@id", "1a")
	err := c.Err("Root")
	var ve *xsdtypes.ValidationError
	require.True(t, errors.As(err, &ve))
	require.Len(t, ve.Problems, 4)
	assert.Equal(t, "/Root"+strings.Repeat("/E[1]/E[2]", 5)+strings.Repeat("/E", 10)+"/@a", ve.Problems[0].Path)
	assert.Equal(t, "/Root/DC[2]: second", ve.Problems[1].String())
	assert.Equal(t, `/Root/@id: xs:ID value "a1" is already used earlier in the message`, ve.Problems[2].String())
	assert.Equal(t, `/Root/@id: value "1a" is not a valid xs:ID (an NCName)`, ve.Problems[3].String())
	assert.True(t, strings.HasPrefix(err.Error(), "Root is not valid: 4 problems: /Root/E[1]/E[2]"), err.Error())

	var many xsdtypes.Checker
	many.Enter("M", 0)
	for range 7 {
		many.Report("", "x")
	}
	assert.True(t, strings.HasSuffix(many.Err("M").Error(), "; and 2 more"), many.Err("M").Error())
	assert.Equal(t, 2, xsdtypes.CountTrue(true, false, true))
	assert.Equal(t, "has A and C; the schema allows only one of A, B, C", xsdtypes.ChoiceText([]string{"A", "B", "C"}, true, false, true))
}

func TestValueValidate(t *testing.T) {
	assert.Error(t, xsdtypes.DateTime{}.Validate())
	assert.NoError(t, xsdtypes.NewDateTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)).Validate())
	assert.Error(t, xsdtypes.NewDateTime(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)).Validate())
	assert.NoError(t, xsdtypes.Duration{Days: 2}.Validate())
	assert.Error(t, xsdtypes.Duration{Days: -2}.Validate())
	assert.Error(t, xsdtypes.DateTimeOrDuration{}.Validate())
	assert.NoError(t, xsdtypes.After(xsdtypes.Duration{Days: 2}).Validate())
	assert.Error(t, xsdtypes.At(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)).Validate())

	e := &xsdtypes.AnyElement{XMLName: xml.Name{Local: "a"}, Children: []xsdtypes.AnyElement{{XMLName: xml.Name{Local: "b"}}}}
	assert.NoError(t, e.Validate())
	e.Children[0].Children = []xsdtypes.AnyElement{{}}
	assert.Error(t, e.Validate())
	_, err := xml.Marshal(e)
	assert.Error(t, err, "what Validate refuses does not marshal")
}
