package rawmsg_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/internal/rawmsg"
)

func TestParse(t *testing.T) {
	big := strings.Repeat("x", 10000)
	tests := []struct {
		name, in, ct      string
		wantCT, wantStart string
		wantBody          string
	}{
		{"http request CRLF", "POST /mm7 HTTP/1.1\r\nHost: a\r\nContent-Type: text/xml\r\n\r\n<a/>", "", "text/xml", "POST /mm7 HTTP/1.1", "<a/>"},
		{"http response LF", "HTTP/1.1 500 Internal Server Error\nContent-Type: text/xml; charset=utf-8\n\n<b/>\n", "", "text/xml; charset=utf-8", "HTTP/1.1 500 Internal Server Error", "<b/>\n"},
		{"mime entity", "Content-Type: multipart/related; boundary=x\r\n\r\n--x\r\n", "", "multipart/related; boundary=x", "", "--x\r\n"},
		{"bare xml", "<?xml version=\"1.0\"?><a/>", "", "text/xml", "", "<?xml version=\"1.0\"?><a/>"},
		{"override", "<a/>", "application/xml", "application/xml", "", "<a/>"},
		{"large body offset", "POST / HTTP/1.1\r\nContent-Type: text/plain\r\n\r\n" + big, "", "text/plain", "POST / HTTP/1.1", big},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := rawmsg.Parse([]byte(tt.in), tt.ct)
			require.NoError(t, err)
			assert.Equal(t, tt.wantCT, m.ContentType)
			assert.Equal(t, tt.wantStart, m.StartLine)
			assert.Equal(t, tt.wantBody, string(m.Body))
			assert.Equal(t, tt.wantBody, tt.in[m.BodyOffset:])
		})
	}
	_, err := rawmsg.Parse([]byte("POST / HTTP/1.1\r\nHost: a\r\n\r\nbody"), "")
	assert.ErrorContains(t, err, "no Content-Type")
	_, err = rawmsg.Parse(nil, "")
	assert.ErrorContains(t, err, "it is empty")
}

// With a Content-Type given, a file that starts with neither a start
// line, a header block nor XML is the body itself: a multipart body
// saved from a capture starts with its delimiter.
func TestParseBareBody(t *testing.T) {
	multipart := "--b1\r\nContent-Type: text/xml\r\n\r\n<a/>\r\n--b1--\r\n"
	for name, in := range map[string]string{
		"multipart body":                 multipart,
		"multipart body with a preamble": "This is a multi-part message in MIME format.\r\n" + multipart,
		"delimiter with a colon":         "--=_Part:1\r\nContent-Type: text/xml\r\n\r\n<a/>\r\n--=_Part:1--\r\n",
		"binary":                         "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
		"one line":                       "R0lGODlhAQABAIAAAAAAAP",
	} {
		t.Run(name, func(t *testing.T) {
			m, err := rawmsg.Parse([]byte(in), "multipart/related; boundary=b1")
			require.NoError(t, err)
			assert.Equal(t, in, string(m.Body))
			assert.Equal(t, 0, m.BodyOffset)
			assert.Empty(t, m.Header)
			assert.Equal(t, "multipart/related; boundary=b1", m.ContentType)
		})
	}
	// A header block is still read as headers.
	m, err := rawmsg.Parse([]byte("Content-Type: text/xml\r\nContent-ID: <x>\r\n\r\n<a/>"), "text/xml; charset=utf-8")
	require.NoError(t, err)
	assert.Equal(t, "<a/>", string(m.Body))
	assert.Equal(t, "<x>", m.Header.Get("Content-Id"))
}

// Without a Content-Type, such a file is not an MM7 message: the error
// says what the file starts with and what to do, not how the parser
// failed.
func TestParseErrorsNameTheProblem(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"multipart body", "--b1\r\nContent-Type: text/xml\r\n\r\n<a/>\r\n--b1--\r\n", `starts with the MIME delimiter "--b1" and has no headers: pass --content-type 'multipart/related; boundary="b1"'`},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", `starts with "\x89PNG", not an HTTP request or response, MIME headers or XML`},
		{"text", "hello world", `starts with "hello world", not an HTTP request or response, MIME headers or XML`},
		{"headers without a blank line", "Content-Type: text/xml\r\nX: y", "the headers end without the blank line that separates them from the body"},
		{"broken header", "POST / HTTP/1.1\r\nContent-Type: text/xml\r\nnot a header\r\n\r\n<a/>", `line 3 is not a header ("not a header")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rawmsg.Parse([]byte(tt.in), "")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "rawmsg")
			assert.NotContains(t, err.Error(), "malformed MIME header")
		})
	}
}
