package xsdtypes

import (
	"encoding/xml"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const attrDoc = `<Root xmlns="urn:t" xmlns:p="urn:p" xmlns:e="http://example.com/ns" p:x="1" y="2" e:z="3" xml:lang="en"/>`

var attrWant = AnyAttrs{
	{Name: xml.Name{Space: "urn:p", Local: "x"}, Value: "1"},
	{Name: xml.Name{Local: "y"}, Value: "2"},
	{Name: xml.Name{Space: "http://example.com/ns", Local: "z"}, Value: "3"},
	{Name: xml.Name{Space: "http://www.w3.org/XML/1998/namespace", Local: "lang"}, Value: "en"},
}

func TestAnyAttrsUnmarshalSkipsNamespaceDeclarations(t *testing.T) {
	// encoding/xml hands every unclaimed attribute, namespace declarations
	// included, to the ",any,attr" field. unmarshalAttr checks for
	// xml.UnmarshalerAttr (on the value, then on its address) before it
	// treats the field as a slice to append to, so the pointer-receiver
	// method of the named slice type is what runs.
	t.Run("AnyAttrs", func(t *testing.T) {
		var r anyRoot
		require.NoError(t, xml.Unmarshal([]byte(attrDoc), &r))
		assert.Equal(t, attrWant, r.Attrs)
	})
	t.Run("pointer to AnyAttrs", func(t *testing.T) {
		var r struct {
			XMLName xml.Name  `xml:"urn:t Root"`
			Attrs   *AnyAttrs `xml:",any,attr"`
		}
		require.NoError(t, xml.Unmarshal([]byte(attrDoc), &r))
		require.NotNil(t, r.Attrs)
		assert.Equal(t, attrWant, *r.Attrs)
	})
	t.Run("plain []xml.Attr keeps declarations", func(t *testing.T) {
		// For contrast: this is what AnyAttrs exists to avoid.
		var r struct {
			XMLName xml.Name   `xml:"urn:t Root"`
			Attrs   []xml.Attr `xml:",any,attr"`
		}
		require.NoError(t, xml.Unmarshal([]byte(attrDoc), &r))
		assert.Contains(t, r.Attrs, xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: "urn:t"})
		assert.Contains(t, r.Attrs, xml.Attr{Name: xml.Name{Space: "xmlns", Local: "p"}, Value: "urn:p"})
		out, err := xml.Marshal(r)
		require.NoError(t, err)
		assert.Contains(t, string(out), `_xmlns:p="urn:p"`, "declarations come back as bogus attributes")
	})
	t.Run("named attribute fields take precedence", func(t *testing.T) {
		var r struct {
			XMLName xml.Name `xml:"urn:t Root"`
			Y       string   `xml:"y,attr"`
			Attrs   AnyAttrs `xml:",any,attr"`
		}
		require.NoError(t, xml.Unmarshal([]byte(attrDoc), &r))
		assert.Equal(t, "2", r.Y)
		_, ok := r.Attrs.Get("", "y")
		assert.False(t, ok)
		assert.Len(t, r.Attrs, 3)
	})
	t.Run("direct call", func(t *testing.T) {
		var a AnyAttrs
		require.NoError(t, a.UnmarshalXMLAttr(xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: "urn:x"}))
		require.NoError(t, a.UnmarshalXMLAttr(xml.Attr{Name: xml.Name{Space: "xmlns", Local: "p"}, Value: "urn:p"}))
		assert.Nil(t, a)
		require.NoError(t, a.UnmarshalXMLAttr(xml.Attr{Name: xml.Name{Local: "k"}, Value: "v"}))
		assert.Equal(t, AnyAttrs{{Name: xml.Name{Local: "k"}, Value: "v"}}, a)
	})
}

func TestAnyAttrsMarshal(t *testing.T) {
	r := anyRoot{XMLName: xml.Name{Space: "urn:t", Local: "Root"}, Attrs: attrWant}
	out, err := xml.Marshal(r)
	require.NoError(t, err)
	// Each attribute is written; namespaced ones get a declared prefix
	// (derived from the last path segment of the URI, or "_").
	assert.Equal(t, `<Root xmlns="urn:t" xmlns:_="urn:p" _:x="1" y="2" xmlns:ns="http://example.com/ns" ns:z="3" xml:lang="en"></Root>`, string(out))

	var back anyRoot
	require.NoError(t, xml.Unmarshal(out, &back))
	assert.Equal(t, r, back)

	got, _ := roundTrip[anyRoot](t, attrDoc)
	assert.Equal(t, attrWant, got.Attrs)
}

func TestAnyAttrsGet(t *testing.T) {
	v, ok := attrWant.Get("urn:p", "x")
	assert.True(t, ok)
	assert.Equal(t, "1", v)
	_, ok = attrWant.Get("", "x")
	assert.False(t, ok)
	_, ok = AnyAttrs(nil).Get("", "x")
	assert.False(t, ok)
}
