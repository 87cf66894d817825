package mm7_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

// httpMessage is a raw HTTP request or response as stored in testdata:
// a start line, header fields, an empty line, and the body bytes.
type httpMessage struct {
	StartLine string
	Header    http.Header
	Body      []byte
}

// parseHTTPMessage splits a raw HTTP message itself rather than with
// net/http, whose ReadRequest drops a body that has no Content-Length and
// which refuses the LF-only and folded heads some fixtures have on
// purpose. Lines may end in CRLF or LF; a line starting with a space or
// tab continues the previous field (obs-fold). When a Content-Length is
// given it must match the body.
func parseHTTPMessage(raw []byte) (*httpMessage, error) {
	m := &httpMessage{Header: http.Header{}}
	rest := raw
	line := func() ([]byte, bool) {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			return nil, false
		}
		l := rest[:i]
		rest = rest[i+1:]
		return bytes.TrimSuffix(l, []byte("\r")), true
	}
	start, ok := line()
	if !ok || len(start) == 0 {
		return nil, errors.New("no start line")
	}
	m.StartLine = string(start)
	last := ""
	for {
		l, ok := line()
		if !ok {
			return nil, errors.New("head not terminated by an empty line")
		}
		if len(l) == 0 {
			break
		}
		if l[0] == ' ' || l[0] == '\t' {
			if last == "" {
				return nil, fmt.Errorf("continuation line %q without a field", l)
			}
			vs := m.Header[last]
			vs[len(vs)-1] += " " + strings.TrimSpace(string(l))
			continue
		}
		name, value, ok := strings.Cut(string(l), ":")
		if !ok {
			return nil, fmt.Errorf("malformed header line %q", l)
		}
		last = textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(name))
		m.Header[last] = append(m.Header[last], strings.TrimSpace(value))
	}
	m.Body = rest
	if cl := m.Header.Get("Content-Length"); cl != "" {
		n, err := strconv.Atoi(cl)
		if err != nil || n != len(m.Body) {
			return nil, fmt.Errorf("Content-Length %s but the body has %d bytes", cl, len(m.Body))
		}
	}
	return m, nil
}

// IsResponse reports whether the message is an HTTP response.
func (m *httpMessage) IsResponse() bool { return strings.HasPrefix(m.StartLine, "HTTP/") }

// StatusCode returns the status code of a response, 0 for a request.
func (m *httpMessage) StatusCode() int {
	if !m.IsResponse() {
		return 0
	}
	f := strings.Fields(m.StartLine)
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.Atoi(f[1])
	return n
}

func readHTTPFixture(t *testing.T, path string) *httpMessage {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	m, err := parseHTTPMessage(raw)
	require.NoError(t, err, "%s", path)
	return m
}

// fixturePaths lists the files of testdata/dir with the given extension.
func fixturePaths(t testing.TB, dir, ext string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", dir, "*"+ext))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	return paths
}

// decodedAttachment is an attachment read to its end.
type decodedAttachment struct {
	*mm7.Attachment
	Data []byte
}

// decodeAll decodes a body completely: the message, then every attachment
// read to its end. It stops at the first error, wherever it comes from.
func decodeAll(body []byte, contentType string, opts mm7.DecodeOptions) (*mm7.Message, []decodedAttachment, *mm7.Decoder, error) {
	dec, err := mm7.NewDecoder(bytes.NewReader(body), contentType, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	msg, err := dec.Message()
	if err != nil {
		return nil, nil, dec, err
	}
	var atts []decodedAttachment
	for {
		a, err := dec.NextAttachment()
		if err == io.EOF {
			return msg, atts, dec, nil
		}
		if err != nil {
			return msg, atts, dec, err
		}
		data, err := io.ReadAll(a.Body)
		if err != nil {
			return msg, atts, dec, err
		}
		atts = append(atts, decodedAttachment{a, data})
	}
}
