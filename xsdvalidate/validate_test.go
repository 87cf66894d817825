package xsdvalidate_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mm7xsd "github.com/openmms/mm7go/xsd"
	"github.com/openmms/mm7go/xsdvalidate"
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func mustSchema(t testing.TB, get func() (*xsdvalidate.Schema, error)) *xsdvalidate.Schema {
	t.Helper()
	s, err := get()
	require.NoError(t, err)
	return s
}

// validDocs are the valid documents of each embedded schema version.
var validDocs = map[string][]string{
	"rel5": {"submit-req.xml", "submit-rsp.xml", "deliver-req.xml", "delivery-report-req.xml"},
	"rel6": {"submit-req.xml", "submit-rsp.xml", "deliver-req.xml", "delivery-report-req.xml", "submit-req-envelope.xml"},
}

func TestValidateValid(t *testing.T) {
	schemas := map[string]func() (*xsdvalidate.Schema, error){"rel5": xsdvalidate.Rel5, "rel6": xsdvalidate.Rel6}
	for dir, files := range validDocs {
		s := mustSchema(t, schemas[dir])
		for _, f := range files {
			t.Run(dir+"/"+f, func(t *testing.T) {
				assert.NoError(t, s.Validate(readFile(t, filepath.Join(dir, f))))
			})
		}
	}
}

func TestSchemaIdentity(t *testing.T) {
	tests := []struct {
		get  func() (*xsdvalidate.Schema, error)
		name string
		ns   string
		dir  string
	}{
		{xsdvalidate.Rel5, "REL-5-MM7-1-2", mm7xsd.Rel5Namespace, "rel5"},
		{xsdvalidate.Rel6, "REL-6-MM7-1-4", mm7xsd.Rel6Namespace, "rel6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSchema(t, tt.get)
			assert.Equal(t, tt.name, s.Name())
			assert.Equal(t, tt.ns, s.Namespace())

			again := mustSchema(t, tt.get)
			assert.Same(t, s, again, "compiled once and cached")

			byNS, err := xsdvalidate.ForNamespace(tt.ns)
			require.NoError(t, err)
			assert.Same(t, s, byNS)

			s.Close() // no-op on the shared schemas
			assert.NoError(t, s.Validate(readFile(t, tt.dir+"/submit-rsp.xml")))
		})
	}
}

func TestForNamespaceUnknown(t *testing.T) {
	const ns = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-0"
	s, err := xsdvalidate.ForNamespace(ns)
	assert.Nil(t, s)
	require.ErrorIs(t, err, xsdvalidate.ErrUnknownNamespace)
	assert.Contains(t, err.Error(), ns)
}

func TestValidateInvalid(t *testing.T) {
	tests := []struct {
		name    string
		schema  func() (*xsdvalidate.Schema, error)
		file    string
		line    int
		column  int
		path    string
		element string
		message string
	}{
		{
			name:    "wrong namespace",
			schema:  xsdvalidate.Rel6,
			file:    "rel5/submit-req.xml",
			line:    3,
			column:  1,
			path:    "/SubmitReq",
			element: "{" + mm7xsd.Rel5Namespace + "}SubmitReq",
			message: "No matching global declaration available for the validation root",
		},
		{
			name:    "no namespace",
			schema:  xsdvalidate.Rel6,
			file:    "invalid/rel6-no-namespace.xml",
			line:    2,
			column:  1,
			path:    "/SubmitRsp",
			element: "SubmitRsp",
			message: "No matching global declaration available for the validation root",
		},
		{
			name:    "SubmitRsp without MessageID",
			schema:  xsdvalidate.Rel6,
			file:    "invalid/rel6-submit-rsp-no-messageid.xml",
			line:    2,
			column:  1,
			path:    "/SubmitRsp",
			element: "{" + mm7xsd.Rel6Namespace + "}SubmitRsp",
			message: "Missing child element(s). Expected is ( {" + mm7xsd.Rel6Namespace + "}MessageID )",
		},
		{
			name:    "Priority Urgent",
			schema:  xsdvalidate.Rel6,
			file:    "invalid/rel6-priority-urgent.xml",
			line:    12,
			column:  3,
			path:    "/SubmitReq/Priority",
			element: "{" + mm7xsd.Rel6Namespace + "}Priority",
			message: "[facet 'enumeration'] The value 'Urgent' is not an element of the set {'Normal', 'High', 'Low'}",
		},
		{
			name:    "MM7Version 5.5.0 under REL-5-MM7-1-2",
			schema:  xsdvalidate.Rel5,
			file:    "invalid/rel5-version-5.5.0.xml",
			line:    3,
			column:  3,
			path:    "/SubmitRsp/MM7Version",
			element: "{" + mm7xsd.Rel5Namespace + "}MM7Version",
			message: "The value '5.5.0' is not an element of the set {'5.3.0'}",
		},
		{
			name:    "Priority before ReadReply",
			schema:  xsdvalidate.Rel6,
			file:    "invalid/rel6-priority-before-readreply.xml",
			line:    13,
			column:  3,
			path:    "/SubmitReq/ReadReply",
			element: "{" + mm7xsd.Rel6Namespace + "}ReadReply",
			message: "This element is not expected. Expected is one of ( {" + mm7xsd.Rel6Namespace + "}Subject",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSchema(t, tt.schema)
			err := s.Validate(readFile(t, tt.file))
			var ve *xsdvalidate.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, s.Name(), ve.Schema)
			assert.Zero(t, ve.Dropped)
			require.Len(t, ve.Problems, 1, "problems: %v", ve.Problems)
			p := ve.Problems[0]
			assert.Equal(t, tt.line, p.Line)
			assert.Equal(t, tt.column, p.Column)
			assert.Equal(t, tt.path, p.Path)
			assert.Equal(t, tt.element, p.Element)
			assert.Contains(t, p.Message, tt.message)
			assert.Equal(t, strings.TrimSpace(p.Message), p.Message)
			assert.Contains(t, err.Error(), fmt.Sprintf("xsdvalidate: %s: 1 problem: line %d, column %d: %s: ", s.Name(), tt.line, tt.column, tt.path))
		})
	}
}

func TestValidateSeveralProblemsWithPositions(t *testing.T) {
	s := mustSchema(t, xsdvalidate.Rel6)
	err := s.Validate(readFile(t, "invalid/rel6-nested.xml"))
	var ve *xsdvalidate.ValidationError
	require.ErrorAs(t, err, &ve)
	type got struct {
		Line, Column int
		Path         string
		Element      string
	}
	var gots []got
	for _, p := range ve.Problems {
		gots = append(gots, got{p.Line, p.Column, p.Path, p.Element})
	}
	ns := "{" + mm7xsd.Rel6Namespace + "}"
	assert.Equal(t, []got{
		{13, 7, "/SubmitReq/Recipients/To[2]/Number[2]", ns + "Number"}, // bad addressCoding attribute
		{14, 7, "/SubmitReq/Recipients/To[2]/Phone", ns + "Phone"},      // unexpected element
		{17, 3, "/SubmitReq/TimeStamp", ns + "TimeStamp"},               // not an xs:dateTime
	}, gots)
	assert.Contains(t, ve.Problems[0].Message, "attribute 'addressCoding'")
	// Long "Expected is one of" messages come through whole (the binding
	// cuts them at 1023 bytes).
	assert.Greater(t, len(ve.Problems[1].Message), 300)
	assert.True(t, strings.HasSuffix(ve.Problems[1].Message, "ShortCode )."), ve.Problems[1].Message)
	// Error abbreviates namespaces and stays bounded.
	assert.Contains(t, err.Error(), "Element '{…REL-6-MM7-1-4}TimeStamp': 'yesterday' is not a valid value")
}

func TestValidateReportsAllProblems(t *testing.T) {
	// 100 invalid DC elements on lines 13..112: more than the binding's own
	// 32-error cap, each reported with its own line and path.
	s := mustSchema(t, xsdvalidate.Rel6)
	err := s.Validate(readFile(t, "invalid/rel6-100-bad-dc.xml"))
	var ve *xsdvalidate.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Problems, 100)
	assert.Zero(t, ve.Dropped)
	lines := map[int]bool{}
	for i, p := range ve.Problems {
		assert.Equal(t, 13+i, p.Line)
		assert.Equal(t, 5, p.Column)
		assert.Equal(t, fmt.Sprintf("/SubmitReq/DeliveryCondition/DC[%d]", i+1), p.Path)
		assert.Contains(t, p.Message, fmt.Sprintf("'-%d' is not a valid value of the atomic type 'xs:positiveInteger'", i+1))
		lines[p.Line] = true
	}
	assert.Len(t, lines, 100, "distinct line numbers")
	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, "xsdvalidate: REL-6-MM7-1-4: 100 problems: line 13, column 5: /SubmitReq/DeliveryCondition/DC[1]: "), msg)
	assert.True(t, strings.HasSuffix(msg, "; and 95 more"), msg)
	assert.Less(t, len(msg), 2000)
}

// badDCs returns a REL-6 SubmitReq with n DeliveryCondition/DC values that
// are not positive integers.
func badDCs(n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<SubmitReq xmlns=%q><MM7Version>6.8.0</MM7Version>
<SenderIdentification/><Recipients><To><Number>1</Number></To></Recipients>
<DeliveryCondition>
`, mm7xsd.Rel6Namespace)
	for i := range n {
		fmt.Fprintf(&b, "<DC>x%d</DC>\n", i)
	}
	b.WriteString("</DeliveryCondition></SubmitReq>\n")
	return []byte(b.String())
}

func TestValidateProblemCap(t *testing.T) {
	s := mustSchema(t, xsdvalidate.Rel6)
	err := s.Validate(badDCs(1234))
	var ve *xsdvalidate.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Problems, 1000)
	assert.Equal(t, 234, ve.Dropped)
	assert.Equal(t, 1003, ve.Problems[999].Line)
	assert.Contains(t, err.Error(), ": 1234 problems: ")
	assert.True(t, strings.HasSuffix(err.Error(), "; and 1229 more"), err.Error())
}

func TestValidatePositions(t *testing.T) {
	// One-line documents are common (machine-written SOAP): columns tell
	// the problems apart. libxml2 gives the line where a start tag ends; the
	// position reported is the tag's '<'.
	const ns = mm7xsd.Rel6Namespace
	tests := []struct {
		name  string
		doc   string
		lines []int
		cols  []int
	}{
		{
			name:  "one line",
			doc:   `<SubmitRsp xmlns="` + ns + `"><MM7Version>1</MM7Version><Status><StatusCode>0</StatusCode><StatusText/></Status><MessageID/></SubmitRsp>`,
			lines: []int{1, 1},
			cols:  []int{96, 130},
		},
		{
			name:  "start tag over three lines",
			doc:   "<SubmitRsp xmlns=\"" + ns + "\"><MM7Version>6.8.0</MM7Version><Status><StatusCode>1000</StatusCode><StatusText/></Status><MessageID/>\n  <Priority\n    a=\"1\"\n  >High</Priority></SubmitRsp>",
			lines: []int{2},
			cols:  []int{3},
		},
	}
	s := mustSchema(t, xsdvalidate.Rel6)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ve *xsdvalidate.ValidationError
			require.ErrorAs(t, s.Validate([]byte(tt.doc)), &ve)
			var lines, cols []int
			for _, p := range ve.Problems {
				lines = append(lines, p.Line)
				cols = append(cols, p.Column)
			}
			assert.Equal(t, tt.lines, lines, "%v", ve.Problems)
			assert.Equal(t, tt.cols, cols, "%v", ve.Problems)
		})
	}
}

func TestValidateBigLineNumbers(t *testing.T) {
	// libxml2 stores element lines in 16 bits; XML_PARSE_BIG_LINES keeps
	// lines past 65535 right.
	var b strings.Builder
	fmt.Fprintf(&b, "<SubmitRsp xmlns=%q>\n", mm7xsd.Rel6Namespace)
	b.WriteString(strings.Repeat("<!-- padding -->\n", 70000))
	b.WriteString("<MM7Version>6.8.0</MM7Version><Status><StatusCode>1000</StatusCode><StatusText>OK</StatusText></Status>\n")
	b.WriteString("<MessageID>1</MessageID>\n<Priority>High</Priority>\n</SubmitRsp>\n")
	err := mustSchema(t, xsdvalidate.Rel6).Validate([]byte(b.String()))
	var ve *xsdvalidate.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Problems, 1)
	assert.Equal(t, 70004, ve.Problems[0].Line)
	assert.Equal(t, 1, ve.Problems[0].Column)
	assert.Equal(t, "/SubmitRsp/Priority", ve.Problems[0].Path)
}

func TestValidateLatin1(t *testing.T) {
	doc := append([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?>
<SubmitRsp xmlns="`+mm7xsd.Rel6Namespace+`"><MM7Version>6.8.0</MM7Version>
<Status><StatusCode>1000</StatusCode><StatusText>R`), 0xE9) // é
	doc = append(doc, "ussi</StatusText></Status><MessageID>1</MessageID></SubmitRsp>"...)
	assert.NoError(t, mustSchema(t, xsdvalidate.Rel6).Validate(doc))
}

func TestValidateParseErrors(t *testing.T) {
	rsp := func(body string) string {
		return `<SubmitRsp xmlns="` + mm7xsd.Rel6Namespace + `">` + body + `</SubmitRsp>`
	}
	billionLaughs := `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>
`
	tests := []struct {
		name    string
		doc     string
		doctype bool
		line    int
		message string
	}{
		{name: "billion laughs", doc: billionLaughs, doctype: true, line: 2, message: "DOCTYPE declarations are not allowed"},
		{name: "external entity", doc: "<?xml version=\"1.0\"?>\n\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<r>&x;</r>", doctype: true, line: 3, message: "DOCTYPE"},
		{name: "doctype without subset", doc: "<!DOCTYPE SubmitRsp SYSTEM \"http://example.com/mm7.dtd\">" + rsp(""), doctype: true, line: 1, message: "DOCTYPE"},
		{name: "undeclared entity", doc: rsp("\n<MM7Version>&lol9;</MM7Version>"), line: 2, message: "invalid character entity &lol9;"},
		{name: "mismatched end tag", doc: rsp("\n\n<MM7Version>6.8.0</MM7Versio>"), line: 3, message: "element <MM7Version> closed by </MM7Versio>"},
		{name: "unclosed root", doc: "<SubmitRsp>\n<MM7Version>6.8.0</MM7Version>\n", line: 3, message: "unexpected EOF"},
		{name: "duplicate attribute (found by libxml2)", doc: "<SubmitRsp\n a=\"1\" a=\"2\"/>", line: 2, message: "Attribute a redefined"},
		{name: "doctype after root", doc: rsp("") + "\n<!DOCTYPE a [<!ENTITY b \"c\">]>", doctype: true, line: 2, message: "DOCTYPE"},
		{name: "markup declaration outside doctype", doc: "<!ENTITY b \"c\">\n<a/>", line: 1, message: "unexpected markup declaration <!ENTITY b \"c\""},
		{name: "empty", doc: " \n", message: "empty document"},
		{name: "no root", doc: "<?xml version=\"1.0\"?>\n<!-- nothing -->\n", message: "no root element"},
		{name: "unsupported encoding", doc: "<?xml version=\"1.0\" encoding=\"KOI8-R\"?><a/>", line: 1, message: `unsupported encoding "KOI8-R"`},
	}
	s := mustSchema(t, xsdvalidate.Rel6)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			err := s.Validate([]byte(tt.doc))
			assert.Less(t, time.Since(start), time.Second)
			var pe *xsdvalidate.ParseError
			require.ErrorAs(t, err, &pe)
			var ve *xsdvalidate.ValidationError
			assert.False(t, errors.As(err, &ve))
			assert.Equal(t, tt.doctype, errors.Is(err, xsdvalidate.ErrDOCTYPE))
			if tt.line > 0 {
				assert.Equal(t, tt.line, pe.Line)
			}
			assert.Contains(t, pe.Message, tt.message)
			assert.Contains(t, err.Error(), tt.message)
		})
	}
}

func TestValidateDOCTYPEInCommentOrCDATA(t *testing.T) {
	doc := `<?xml version="1.0"?>
<!-- Not a <!DOCTYPE x> declaration. -->
<SubmitRsp xmlns="` + mm7xsd.Rel6Namespace + `"><MM7Version>6.8.0</MM7Version>
<Status><StatusCode>1000</StatusCode><StatusText><![CDATA[<!DOCTYPE y>]]></StatusText></Status>
<MessageID>1</MessageID></SubmitRsp>`
	assert.NoError(t, mustSchema(t, xsdvalidate.Rel6).Validate([]byte(doc)))
}

func TestParseErrorFormat(t *testing.T) {
	err := mustSchema(t, xsdvalidate.Rel6).Validate([]byte("<a>\n  <b></c></a>"))
	assert.EqualError(t, err, "xsdvalidate: malformed XML: line 2, column 9: element <b> closed by </c>")
	err = mustSchema(t, xsdvalidate.Rel6).Validate([]byte("\n<!DOCTYPE a>\n<a/>"))
	assert.EqualError(t, err, "xsdvalidate: line 2, column 1: DOCTYPE declarations are not allowed")
}

func TestErrorStrings(t *testing.T) {
	assert.Equal(t, "line 5, column 2: /a/b: bad", xsdvalidate.Problem{Line: 5, Column: 2, Path: "/a/b", Message: "bad"}.String())
	assert.Equal(t, "line 5: bad", xsdvalidate.Problem{Line: 5, Message: "bad"}.String())
	assert.Equal(t, "bad", xsdvalidate.Problem{Message: "bad"}.String())

	// Long messages are cut on a rune boundary.
	ve := &xsdvalidate.ValidationError{Schema: "s", Problems: []xsdvalidate.Problem{{Message: "x" + strings.Repeat("é", 400)}}}
	msg := ve.Error()
	assert.True(t, strings.HasPrefix(msg, "xsdvalidate: s: 1 problem: xéé"), msg)
	assert.True(t, strings.HasSuffix(msg, "é..."), msg)
	assert.True(t, utf8.ValidString(msg))
	assert.Less(t, len(msg), 400)

	pe := &xsdvalidate.ParseError{Message: "bad"}
	assert.Equal(t, "xsdvalidate: malformed XML: bad", pe.Error())
	assert.NoError(t, pe.Unwrap())
}

func TestEnvelopeBodyIsLax(t *testing.T) {
	// The SOAP Body is xs:any processContents="lax": a REL-6 body element
	// is not checked by the REL-5 schema at all. Callers pick the schema by
	// the body's namespace.
	doc := readFile(t, "rel6/submit-req-envelope.xml")
	assert.NoError(t, mustSchema(t, xsdvalidate.Rel5).Validate(doc))
	bad := strings.Replace(string(doc), "<mm7:Subject>Hello</mm7:Subject>", "<mm7:Priority>Urgent</mm7:Priority>", 1)
	var ve *xsdvalidate.ValidationError
	require.ErrorAs(t, mustSchema(t, xsdvalidate.Rel6).Validate([]byte(bad)), &ve)
	assert.Equal(t, "/Envelope/Body/SubmitReq/Priority", ve.Problems[0].Path)
	assert.Equal(t, 17, ve.Problems[0].Line)
	assert.Equal(t, 7, ve.Problems[0].Column)
}
