package xsdvalidate

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// prescan checks the prolog of doc with encoding/xml before libxml2 sees
// the document: a DOCTYPE (and with it any entity declaration: billion
// laughs, external entities) is refused, and so is an encoding other than
// UTF-8, US-ASCII and ISO-8859-1 (libxml2 would switch decoders at the
// declaration, and this check could no longer see the markup). A DOCTYPE can
// only appear before the root element, so the scan stops there; the rest of
// the document is left to libxml2. It returns nil or a *ParseError.
func prescan(doc []byte) error {
	if pe := scan(doc, false); pe != nil {
		return pe
	}
	return nil
}

// syntaxError scans the whole document with encoding/xml for a
// well-formedness error to report with its line and column, after libxml2
// refused the document. It returns nil if encoding/xml finds no error.
func syntaxError(doc []byte) *ParseError {
	return scan(doc, true)
}

// scan tokenizes doc up to its root element, or to the end if full.
func scan(doc []byte, full bool) *ParseError {
	if len(bytes.TrimSpace(doc)) == 0 {
		return &ParseError{Message: "empty document"}
	}
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = charsetReader
	root := false
	for {
		line, col := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			if !root {
				return &ParseError{Line: line, Column: col, Message: "no root element"}
			}
			return nil
		}
		if err != nil {
			// InputPos is just past the last byte read: report that byte.
			line, col = d.InputPos()
			col = max(col-1, 1)
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return &ParseError{Line: se.Line, Column: col, Message: se.Msg, Err: err}
			}
			return &ParseError{Line: line, Column: col, Message: err.Error(), Err: err}
		}
		switch t := tok.(type) {
		case xml.Directive:
			if isDOCTYPE(t) {
				return &ParseError{Line: line, Column: col, Message: ErrDOCTYPE.Error(), Err: ErrDOCTYPE}
			}
			return &ParseError{Line: line, Column: col, Message: fmt.Sprintf("unexpected markup declaration <!%s", truncate(string(t), 20))}
		case xml.StartElement:
			if !full {
				return nil
			}
			root = true
		}
	}
}

func isDOCTYPE(d xml.Directive) bool {
	return len(d) >= 7 && strings.EqualFold(string(d[:7]), "DOCTYPE")
}

// charsetReader lets encoding/xml read the encodings an MM7 peer may
// declare besides UTF-8: US-ASCII and ISO-8859-1. libxml2 does the real
// decoding; this only has to get the scan right.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return r, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
		return &latin1Reader{r: r}, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// latin1Reader decodes ISO-8859-1 into UTF-8.
type latin1Reader struct {
	r   io.Reader
	tmp [512]byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	if len(p) < utf8.UTFMax {
		return 0, io.ErrShortBuffer
	}
	// Every byte decodes to at most two, so read at most len(p)/2.
	n, err := l.r.Read(l.tmp[:min(len(p)/2, len(l.tmp))])
	out := p[:0]
	for _, b := range l.tmp[:n] {
		out = utf8.AppendRune(out, rune(b))
	}
	return len(out), err
}
