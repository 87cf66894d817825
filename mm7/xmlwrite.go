package mm7

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
)

// SOAP 1.1 envelope namespace.
const soapNS = "http://schemas.xmlsoap.org/soap/envelope/"

const xmlNS = "http://www.w3.org/XML/1998/namespace"

// nsScope is what is in force inside one element: the default namespace
// and the prefixes declared on it.
type nsScope struct {
	defaultNS string
	prefixes  map[string]string // namespace -> prefix
	qname     string            // the name written in the start tag
}

// xmlWriter re-serialises encoding/xml output with the fewest namespace
// declarations. encoding/xml repeats xmlns="…" on every element of a
// namespaced struct: valid, but it bloats messages and trips peers that
// match element names textually. Here children inherit the default
// namespace instead.
type xmlWriter struct {
	buf    *bytes.Buffer
	scopes []nsScope
	next   int               // prefix counter
	rename map[string]string // namespaces written under another name
}

func newXMLWriter(buf *bytes.Buffer, defaultNS string, prefixes map[string]string) *xmlWriter {
	return &xmlWriter{buf: buf, scopes: []nsScope{{defaultNS: defaultNS, prefixes: prefixes}}}
}

func (w *xmlWriter) lookup(ns string) (string, bool) {
	if ns == xmlNS {
		return "xml", true
	}
	for i := len(w.scopes) - 1; i >= 0; i-- {
		if p, ok := w.scopes[i].prefixes[ns]; ok {
			return p, true
		}
	}
	return "", false
}

// copyFrom writes the elements encoding/xml produced in src.
func (w *xmlWriter) copyFrom(src []byte) error {
	d := xml.NewDecoder(bytes.NewReader(src))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("mm7: re-reading marshalled XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if to, ok := w.rename[t.Name.Space]; ok {
				t.Name.Space = to
			}
			w.start(t)
		case xml.EndElement:
			w.end()
		case xml.CharData:
			w.text(string(t))
		}
	}
}

// start writes a start tag. An element in the default namespace is
// unprefixed; one in a namespace with a prefix in scope (env:) uses it;
// otherwise the element declares a new default namespace.
func (w *xmlWriter) start(t xml.StartElement) {
	parent := w.scopes[len(w.scopes)-1]
	sc := nsScope{defaultNS: parent.defaultNS, qname: t.Name.Local}
	var decls bytes.Buffer
	if t.Name.Space != parent.defaultNS {
		if p, ok := w.lookup(t.Name.Space); ok && t.Name.Space != "" {
			sc.qname = p + ":" + t.Name.Local
		} else {
			sc.defaultNS = t.Name.Space
			decls.WriteString(` xmlns="`)
			escapeAttr(&decls, t.Name.Space)
			decls.WriteByte('"')
		}
	}
	w.scopes = append(w.scopes, sc)
	var attrs bytes.Buffer
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue // declarations are recomputed
		}
		name := a.Name.Local
		if a.Name.Space != "" {
			p, ok := w.lookup(a.Name.Space)
			if !ok {
				w.next++
				p = "ns" + strconv.Itoa(w.next)
				w.declare(a.Name.Space, p)
				decls.WriteString(" xmlns:" + p + `="`)
				escapeAttr(&decls, a.Name.Space)
				decls.WriteByte('"')
			}
			name = p + ":" + name
		}
		attrs.WriteString(" " + name + `="`)
		escapeAttr(&attrs, a.Value)
		attrs.WriteByte('"')
	}
	w.buf.WriteString("<" + sc.qname)
	w.buf.Write(decls.Bytes())
	w.buf.Write(attrs.Bytes())
	w.buf.WriteByte('>')
}

// declare records prefix p for ns on the innermost element.
func (w *xmlWriter) declare(ns, p string) {
	top := &w.scopes[len(w.scopes)-1]
	if top.prefixes == nil {
		top.prefixes = map[string]string{}
	}
	top.prefixes[ns] = p
}

func (w *xmlWriter) end() {
	sc := w.scopes[len(w.scopes)-1]
	w.scopes = w.scopes[:len(w.scopes)-1]
	w.buf.WriteString("</" + sc.qname + ">")
}

func (w *xmlWriter) text(s string) {
	xml.EscapeText(w.buf, []byte(s)) //nolint:errcheck // bytes.Buffer writes do not fail
}

// escapeAttr escapes an attribute value; xml.EscapeText also escapes tab,
// newline and carriage return, so they survive attribute normalisation.
func escapeAttr(b *bytes.Buffer, s string) {
	xml.EscapeText(b, []byte(s)) //nolint:errcheck // bytes.Buffer writes do not fail
}
