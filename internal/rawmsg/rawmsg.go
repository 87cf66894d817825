// Package rawmsg splits a file holding an MM7 message as it travelled:
// a raw HTTP request or response, a MIME entity (headers and body), a
// bare SOAP/XML document, or, with a Content-Type given, a bare body
// such as a multipart saved without its headers. cmd/mm7's validate and
// inspect read files through it.
//
// Errors say what is wrong with the file, for a person: the callers put
// the file name in front ("FILE is not an MM7 message: ...").
package rawmsg

import (
	"bytes"
	"errors"
	"fmt"
	"net/textproto"
	"strings"
)

// A Message is a split file.
type Message struct {
	// StartLine is the HTTP request or status line, if the file had one.
	StartLine string
	// Header holds the HTTP or MIME headers (empty for bare XML or a bare
	// body).
	Header textproto.MIMEHeader
	// ContentType is the Content-Type header, or text/xml for bare XML.
	ContentType string
	// Body is what follows the headers.
	Body []byte
	// BodyOffset is the byte offset of Body in the file.
	BodyOffset int
}

var methods = []string{"POST ", "PUT ", "GET ", "HTTP/"}

// Parse splits data. contentType, when not empty, overrides the file's
// own Content-Type, and makes a file that starts with neither a request
// or status line, a header block nor XML a body of that type.
func Parse(data []byte, contentType string) (*Message, error) {
	m := &Message{Header: textproto.MIMEHeader{}}
	trimmed := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	switch {
	case len(trimmed) == 0:
		return nil, errors.New("it is empty")
	case trimmed[0] == '<' || trimmed[0] == 0 || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		m.ContentType, m.Body = "text/xml", data
	default:
		line, next := lineAt(data, 0)
		switch {
		case isStartLine(line):
			m.StartLine = line
			if err := m.readHeaders(data, next, 2); err != nil {
				return nil, err
			}
		case isHeaderLine(line):
			if err := m.readHeaders(data, 0, 1); err != nil {
				return nil, err
			}
		case contentType != "":
			m.Body = data // a bare body of the given type
		default:
			return nil, notAMessage(line)
		}
	}
	if contentType != "" {
		m.ContentType = contentType
	}
	if m.ContentType == "" {
		return nil, errors.New("it has no Content-Type header: pass one with --content-type")
	}
	return m, nil
}

// lineAt returns the line starting at offset off without its line break,
// and the offset of the next line (len(data) at the end).
func lineAt(data []byte, off int) (string, int) {
	rest := data[off:]
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		return strings.TrimSuffix(string(rest), "\r"), len(data)
	}
	return strings.TrimSuffix(string(rest[:i]), "\r"), off + i + 1
}

func isStartLine(line string) bool {
	for _, p := range methods {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

// isHeaderLine reports whether line is "Name: value" with a field name
// of RFC 9110 token characters. A MIME delimiter line ("--boundary") is
// not a header even when the boundary holds a colon.
func isHeaderLine(line string) bool {
	name, _, ok := strings.Cut(line, ":")
	if !ok || name == "" || strings.HasPrefix(name, "--") {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// readHeaders reads the header block starting at offset off (line number
// lineNo of the file) up to the blank line, and sets Body after it.
func (m *Message) readHeaders(data []byte, off, lineNo int) error {
	last := ""
	for ; ; lineNo++ {
		if off >= len(data) {
			return errors.New("the headers end without the blank line that separates them from the body")
		}
		line, next := lineAt(data, off)
		if next == len(data) && !bytes.HasSuffix(data, []byte("\n")) {
			return errors.New("the headers end without the blank line that separates them from the body")
		}
		switch {
		case line == "":
			m.ContentType = m.Header.Get("Content-Type")
			m.BodyOffset = next
			m.Body = data[next:]
			return nil
		case (line[0] == ' ' || line[0] == '\t') && last != "":
			// A folded header: continues the previous one.
			vs := m.Header[last]
			vs[len(vs)-1] += " " + strings.TrimSpace(line)
		case isHeaderLine(line):
			name, value, _ := strings.Cut(line, ":")
			last = textproto.CanonicalMIMEHeaderKey(name)
			m.Header[last] = append(m.Header[last], strings.TrimSpace(value))
		default:
			return fmt.Errorf("line %d is not a header (%q): headers are Name: value lines, ended by a blank line", lineNo, clip(line))
		}
		off = next
	}
}

// notAMessage explains a file that starts with none of the forms Parse
// knows.
func notAMessage(line string) error {
	if b, ok := strings.CutPrefix(line, "--"); ok && strings.TrimSpace(b) != "" {
		return fmt.Errorf("it starts with the MIME delimiter %q and has no headers: pass --content-type 'multipart/related; boundary=%q'", clip(line), strings.TrimSpace(b))
	}
	return fmt.Errorf("it starts with %q, not an HTTP request or response, MIME headers or XML", clip(line))
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
