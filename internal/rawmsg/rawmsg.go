// Package rawmsg splits a file holding an MM7 message as it travelled:
// a raw HTTP request or response, a MIME entity (headers and body), or a
// bare SOAP/XML document. cmd/mm7's validate and inspect read files
// through it.
package rawmsg

import (
	"bufio"
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
	// Header holds the HTTP or MIME headers (empty for bare XML).
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
// own Content-Type (and makes a file without headers a body of that type).
func Parse(data []byte, contentType string) (*Message, error) {
	m := &Message{Header: textproto.MIMEHeader{}}
	trimmed := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	switch {
	case len(trimmed) == 0:
		return nil, errors.New("rawmsg: empty input")
	case trimmed[0] == '<' || trimmed[0] == 0 || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		m.ContentType, m.Body = "text/xml", data
	default:
		br := bytes.NewReader(data)
		r := bufio.NewReader(br)
		first, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("rawmsg: no header/body separator: %w", err)
		}
		line := strings.TrimRight(first, "\r\n")
		isStart := false
		for _, p := range methods {
			if strings.HasPrefix(line, p) {
				isStart = true
			}
		}
		if isStart {
			m.StartLine = line
		} else {
			br = bytes.NewReader(data)
			r = bufio.NewReader(br)
		}
		h, err := textproto.NewReader(r).ReadMIMEHeader()
		if err != nil {
			return nil, fmt.Errorf("rawmsg: reading headers: %w", err)
		}
		m.Header = h
		m.ContentType = h.Get("Content-Type")
		m.BodyOffset = len(data) - br.Len() - r.Buffered()
		m.Body = data[m.BodyOffset:]
	}
	if contentType != "" {
		m.ContentType = contentType
	}
	if m.ContentType == "" {
		return nil, errors.New("rawmsg: no Content-Type header: pass one (--content-type)")
	}
	return m, nil
}
