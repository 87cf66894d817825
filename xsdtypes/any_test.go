package xsdtypes

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// anyRoot captures arbitrary content the way generated code does for
// xs:any and xs:anyAttribute.
type anyRoot struct {
	XMLName xml.Name     `xml:"urn:t Root"`
	Attrs   AnyAttrs     `xml:",any,attr"`
	Items   []AnyElement `xml:",any"`
}

// roundTrip unmarshals doc into a new T, marshals it, unmarshals the output
// into another T, asserts both values are equal and returns the first value
// and the marshalled XML.
func roundTrip[T any](t *testing.T, doc string) (T, string) {
	t.Helper()
	var first, second T
	require.NoError(t, xml.Unmarshal([]byte(doc), &first))
	out, err := xml.Marshal(&first)
	require.NoError(t, err)
	require.NoError(t, xml.Unmarshal(out, &second), "re-reading %s", out)
	assert.Equal(t, first, second, "after round trip through %s", out)
	// Marshalling is stable.
	again, err := xml.Marshal(&second)
	require.NoError(t, err)
	assert.Equal(t, string(out), string(again))
	return first, string(out)
}

func TestAnyElementUnmarshal(t *testing.T) {
	const doc = `<Root xmlns="urn:t" xmlns:p="urn:p" xmlns:q="urn:q">
  <p:Status q:code="1000" plain="x" xml:lang="en">
    <p:StatusText>Success</p:StatusText>
    <Detail xmlns="urn:d" q:a="&lt;&amp;&gt;"><Inner/></Detail>
    <Unqualified xmlns="">text</Unqualified>
  </p:Status>
  <Same>t</Same>
</Root>`
	got, _ := roundTrip[anyRoot](t, doc)
	want := []AnyElement{
		{
			XMLName: xml.Name{Space: "urn:p", Local: "Status"},
			Attrs: []xml.Attr{
				{Name: xml.Name{Space: "urn:q", Local: "code"}, Value: "1000"},
				{Name: xml.Name{Local: "plain"}, Value: "x"},
				{Name: xml.Name{Space: "http://www.w3.org/XML/1998/namespace", Local: "lang"}, Value: "en"},
			},
			Children: []AnyElement{
				{XMLName: xml.Name{Space: "urn:p", Local: "StatusText"}, Text: "Success"},
				{
					XMLName:  xml.Name{Space: "urn:d", Local: "Detail"},
					Attrs:    []xml.Attr{{Name: xml.Name{Space: "urn:q", Local: "a"}, Value: "<&>"}},
					Children: []AnyElement{{XMLName: xml.Name{Space: "urn:d", Local: "Inner"}}},
				},
				{XMLName: xml.Name{Local: "Unqualified"}, Text: "text"},
			},
		},
		{XMLName: xml.Name{Space: "urn:t", Local: "Same"}, Text: "t"},
	}
	assert.Equal(t, want, got.Items)
	assert.Nil(t, got.Attrs, "namespace declarations are not attributes")
}

func TestAnyElementRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		doc  string
	}{
		{"empty", `<Root xmlns="urn:t"/>`},
		{"default namespace child", `<Root xmlns="urn:t"><a>1</a></Root>`},
		{"prefixed child", `<t:Root xmlns:t="urn:t" xmlns:x="urn:x"><x:a x:b="2">1</x:a></t:Root>`},
		{"no namespace child", `<t:Root xmlns:t="urn:t"><a><b>deep</b></a></t:Root>`},
		{"undeclared default", `<Root xmlns="urn:t"><a xmlns=""><b/></a></Root>`},
		{"nested namespaces", `<Root xmlns="urn:t"><a xmlns="urn:a"><b xmlns="urn:b"><c xmlns=""><d xmlns="urn:d"/></c></b></a></Root>`},
		{"foreign attributes", `<Root xmlns="urn:t" xmlns:f="http://example.com/f/" xmlns:g="urn:g"><a f:x="1" g:y="2" z="3" xml:space="preserve"/></Root>`},
		{"same URI two prefixes", `<Root xmlns="urn:t" xmlns:a="urn:s" xmlns:b="urn:s"><a:x b:y="1"/></Root>`},
		{"mixed content", `<Root xmlns="urn:t"><p>Hello <b>bold</b> world</p></Root>`},
		{"escaped text", `<Root xmlns="urn:t"><p a="&quot;&#9;&#10;">&lt;tag&gt; &amp; "q" &#xD;</p></Root>`},
		{"cdata", `<Root xmlns="urn:t"><p><![CDATA[<not markup>]]></p></Root>`},
		{"comments and PIs", `<Root xmlns="urn:t"><p><!-- c --><?pi x?>t</p></Root>`},
		{"many siblings", `<Root xmlns="urn:t"><a/><b/><a/><c><d/><d/></c></Root>`},
		{"attributes on root", `<Root xmlns="urn:t" xmlns:p="urn:p" p:x="1" y="2"/>`},
		{"unicode", `<Root xmlns="urn:t"><ü ä="ö">日本</ü></Root>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, out := roundTrip[anyRoot](t, tt.doc)
			assert.NotContains(t, out, "xmlns:xmlns")
			assert.NotContains(t, out, "_xmlns")
			_ = got
		})
	}
}

func TestAnyElementText(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want AnyElement
	}{
		{"indentation is dropped", "<a>\n  <b/>\n</a>",
			AnyElement{XMLName: xml.Name{Local: "a"}, Children: []AnyElement{{XMLName: xml.Name{Local: "b"}}}}},
		{"white space only leaf is kept", "<a> \n</a>",
			AnyElement{XMLName: xml.Name{Local: "a"}, Text: " \n"}},
		{"mixed content is concatenated", "<a>x <b/> y</a>",
			AnyElement{XMLName: xml.Name{Local: "a"}, Text: "x  y", Children: []AnyElement{{XMLName: xml.Name{Local: "b"}}}}},
		{"comments are dropped", "<a>x<!--c-->y</a>",
			AnyElement{XMLName: xml.Name{Local: "a"}, Text: "xy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got AnyElement
			require.NoError(t, xml.Unmarshal([]byte(tt.doc), &got))
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestAnyElementMarshal(t *testing.T) {
	tests := []struct {
		name string
		in   AnyElement
		want string
	}{
		{
			"no namespace at top level is undeclared",
			AnyElement{XMLName: xml.Name{Local: "a"}, Text: "x"},
			`<a xmlns="">x</a>`,
		},
		{
			"no namespace child of namespaced element",
			AnyElement{XMLName: xml.Name{Space: "urn:a", Local: "a"}, Children: []AnyElement{{XMLName: xml.Name{Local: "b"}}}},
			`<a xmlns="urn:a"><b xmlns=""></b></a>`,
		},
		{
			"no namespace child of no-namespace element",
			AnyElement{XMLName: xml.Name{Local: "a"}, Children: []AnyElement{{XMLName: xml.Name{Local: "b"}}}},
			`<a xmlns=""><b></b></a>`,
		},
		{
			"namespace declarations in Attrs are skipped",
			AnyElement{XMLName: xml.Name{Space: "urn:a", Local: "a"}, Attrs: []xml.Attr{
				{Name: xml.Name{Local: "xmlns"}, Value: "urn:other"},
				{Name: xml.Name{Space: "xmlns", Local: "p"}, Value: "urn:p"},
				{Name: xml.Name{Space: "http://www.w3.org/2000/xmlns/", Local: "q"}, Value: "urn:q"},
				{Name: xml.Name{}, Value: "nameless"},
				{Name: xml.Name{Local: "k"}, Value: "v"},
			}},
			`<a xmlns="urn:a" k="v"></a>`,
		},
		{
			"text is written before children",
			AnyElement{XMLName: xml.Name{Space: "urn:a", Local: "a"}, Text: "t&", Children: []AnyElement{{XMLName: xml.Name{Space: "urn:a", Local: "b"}}}},
			`<a xmlns="urn:a">t&amp;<b xmlns="urn:a"></b></a>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := xml.Marshal(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(out))
		})
	}
}

func TestAnyElementUserBuiltRoundTrip(t *testing.T) {
	// A value built in code, with a no-namespace element inside a
	// namespaced one, must come back unchanged.
	in := anyRoot{
		XMLName: xml.Name{Space: "urn:t", Local: "Root"},
		Attrs:   AnyAttrs{{Name: xml.Name{Space: "urn:f", Local: "x"}, Value: "1"}},
		Items: []AnyElement{{
			XMLName: xml.Name{Space: "urn:t", Local: "Details"},
			Children: []AnyElement{
				{XMLName: xml.Name{Local: "code"}, Text: "42"},
				{XMLName: xml.Name{Space: "urn:f", Local: "reason"}, Attrs: []xml.Attr{{Name: xml.Name{Space: "urn:g", Local: "lang"}, Value: "en"}}, Text: "busy"},
			},
		}},
	}
	out, err := xml.Marshal(in)
	require.NoError(t, err)
	var back anyRoot
	require.NoError(t, xml.Unmarshal(out, &back), "%s", out)
	assert.Equal(t, in, back, "%s", out)
}

func TestAnyElementAsNamedField(t *testing.T) {
	type status struct {
		XMLName xml.Name    `xml:"urn:t Status"`
		Details *AnyElement `xml:"urn:t Details,omitempty"`
	}
	got, out := roundTrip[status](t, `<Status xmlns="urn:t"><Details><x:a xmlns:x="urn:x">1</x:a></Details></Status>`)
	require.NotNil(t, got.Details)
	assert.Equal(t, xml.Name{Space: "urn:t", Local: "Details"}, got.Details.XMLName)
	assert.Equal(t, []AnyElement{{XMLName: xml.Name{Space: "urn:x", Local: "a"}, Text: "1"}}, got.Details.Children)
	assert.Contains(t, out, `<Details xmlns="urn:t">`)

	// A nil pointer is omitted.
	out2, err := xml.Marshal(status{})
	require.NoError(t, err)
	assert.Equal(t, `<Status xmlns="urn:t"></Status>`, string(out2))
}

func TestAnyElementErrors(t *testing.T) {
	t.Run("missing name", func(t *testing.T) {
		_, err := xml.Marshal(AnyElement{})
		assert.EqualError(t, err, "xsdtypes: cannot marshal AnyElement: XMLName.Local is empty")
	})
	t.Run("missing child name", func(t *testing.T) {
		_, err := xml.Marshal(AnyElement{XMLName: xml.Name{Local: "a"}, Children: []AnyElement{{Text: "x"}}})
		assert.ErrorContains(t, err, "XMLName.Local is empty")
	})
	for _, tt := range []struct {
		name string
		el   AnyElement
	}{
		{"write error in start tag", AnyElement{XMLName: xml.Name{Local: "a"}, Attrs: []xml.Attr{{Name: xml.Name{Local: "v"}, Value: strings.Repeat("x", 5000)}}}},
		{"write error in text", AnyElement{XMLName: xml.Name{Local: "a"}, Text: strings.Repeat("x", 5000)}},
		{"write error in end tag", AnyElement{XMLName: xml.Name{Local: strings.Repeat("a", 3000)}}},
		{"write error in child", AnyElement{XMLName: xml.Name{Local: "a"}, Children: []AnyElement{{XMLName: xml.Name{Local: strings.Repeat("b", 5000)}}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := xml.NewEncoder(failWriter{}).Encode(tt.el)
			assert.ErrorIs(t, err, errWrite)
		})
	}
	t.Run("truncated input", func(t *testing.T) {
		var r anyRoot
		err := xml.Unmarshal([]byte(`<Root xmlns="urn:t"><a><b>`), &r)
		assert.Error(t, err)
	})
	t.Run("mismatched tags", func(t *testing.T) {
		var r anyRoot
		err := xml.Unmarshal([]byte(`<Root xmlns="urn:t"><a></b></Root>`), &r)
		assert.Error(t, err)
	})
}

var errWrite = errors.New("write failed")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestAnyElementDeepNesting(t *testing.T) {
	const depth = 100000
	doc := `<Root xmlns="urn:t">` + strings.Repeat("<a>", depth) + "x" + strings.Repeat("</a>", depth) + `</Root>`
	var r anyRoot
	require.NoError(t, xml.Unmarshal([]byte(doc), &r))
	n := 0
	for e := &r.Items[0]; ; e = &e.Children[0] {
		n++
		if len(e.Children) == 0 {
			assert.Equal(t, "x", e.Text)
			break
		}
	}
	assert.Equal(t, depth, n)
	out, err := xml.Marshal(r)
	require.NoError(t, err)
	// Every <a> is written as <a xmlns="urn:t">.
	assert.Equal(t, len(doc)+depth*len(` xmlns="urn:t"`), len(out))
}
