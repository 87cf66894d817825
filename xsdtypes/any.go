package xsdtypes

import (
	"encoding/xml"
	"errors"
)

// AnyElement is an arbitrary XML element, for xs:any wildcard content such
// as the Details of an MM7 Status. Use it as
//
//	Items []xsdtypes.AnyElement `xml:",any"`
//
// to capture every child element not matched by another field, or as a
// plain element field to capture one element with all its content.
//
// Names are namespace-resolved: XMLName.Space and Attrs[i].Name.Space hold
// namespace URIs, not prefixes. Namespace declarations (xmlns and xmlns:p
// attributes) are not kept in Attrs; marshalling declares the namespaces it
// needs, so an AnyElement survives an unmarshal, marshal, unmarshal cycle
// unchanged (prefixes may differ).
//
// The model is simplified:
//
//   - Text is the concatenation of all character data directly inside the
//     element, so the order of text and child elements in mixed content is
//     not preserved; marshalling writes Text before the children.
//   - Text that is only white space is dropped when the element has child
//     elements (it is taken to be indentation).
//   - Comments, processing instructions and directives are dropped.
type AnyElement struct {
	// XMLName is the element's name. It must be set for marshalling.
	XMLName xml.Name
	// Attrs are the element's attributes, excluding namespace
	// declarations, in document order.
	Attrs []xml.Attr
	// Children are the child elements in document order.
	Children []AnyElement
	// Text is the character data directly inside the element.
	Text string
}

// UnmarshalXML implements xml.Unmarshaler. It reads the element started by
// start, including all its descendants, without recursion, so arbitrarily
// deep input cannot exhaust the stack. It returns an error if e is nil.
func (e *AnyElement) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	if e == nil {
		if err := d.Skip(); err != nil {
			return err
		}
		return errNilReceiver("*AnyElement")
	}
	root := AnyElement{XMLName: start.Name, Attrs: filterAttrs(start.Attr)}
	stack := []*AnyElement{&root}
	texts := [][]byte{nil} // character data of each open element
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			top.Children = append(top.Children, AnyElement{XMLName: t.Name, Attrs: filterAttrs(t.Attr)})
			stack = append(stack, &top.Children[len(top.Children)-1])
			texts = append(texts, nil)
		case xml.CharData:
			texts[len(texts)-1] = append(texts[len(texts)-1], t...)
		case xml.EndElement:
			if text := texts[len(texts)-1]; len(top.Children) == 0 || !isBlank(text) {
				top.Text = string(text)
			}
			stack = stack[:len(stack)-1]
			texts = texts[:len(texts)-1]
			if len(stack) == 0 {
				*e = root
				return nil
			}
		}
	}
}

// MarshalXML implements xml.Marshaler. It ignores start and writes the
// element named by XMLName with its attributes, Text and children. An
// element without a namespace gets an xmlns="" declaration where needed
// (always at the top level, because the namespace of the enclosing element
// is unknown) so that it does not inherit a default namespace. Namespace
// declaration attributes in Attrs are skipped. It returns an error if any
// element has an empty XMLName.Local.
func (e AnyElement) MarshalXML(enc *xml.Encoder, _ xml.StartElement) error {
	type frame struct {
		el   *AnyElement
		next int // index of the next child to write
	}
	if err := writeAnyStart(enc, &e, true, ""); err != nil {
		return err
	}
	stack := []frame{{el: &e}}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.next == len(f.el.Children) {
			if err := enc.EncodeToken(xml.EndElement{Name: f.el.XMLName}); err != nil {
				return err
			}
			stack = stack[:len(stack)-1]
			continue
		}
		child := &f.el.Children[f.next]
		f.next++
		if err := writeAnyStart(enc, child, false, f.el.XMLName.Space); err != nil {
			return err
		}
		stack = append(stack, frame{el: child})
	}
	return nil
}

// writeAnyStart writes the start tag and text of el.
func writeAnyStart(enc *xml.Encoder, el *AnyElement, top bool, parentSpace string) error {
	if el.XMLName.Local == "" {
		return errors.New("xsdtypes: cannot marshal AnyElement: XMLName.Local is empty")
	}
	attrs := make([]xml.Attr, 0, len(el.Attrs)+1)
	if el.XMLName.Space == "" && (top || parentSpace != "") {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "xmlns"}})
	}
	for _, a := range el.Attrs {
		if a.Name.Local != "" && !isNamespaceDecl(a.Name) {
			attrs = append(attrs, a)
		}
	}
	if err := enc.EncodeToken(xml.StartElement{Name: el.XMLName, Attr: attrs}); err != nil {
		return err
	}
	if el.Text != "" {
		return enc.EncodeToken(xml.CharData(el.Text))
	}
	return nil
}

// isBlank reports whether b consists of XML white space only.
func isBlank(b []byte) bool {
	for _, c := range b {
		if !isSpace(c) {
			return false
		}
	}
	return true
}

// xmlnsURL is the namespace URI bound to the xmlns prefix.
const xmlnsURL = "http://www.w3.org/2000/xmlns/"

// isNamespaceDecl reports whether n is the name of a namespace
// declaration attribute as encoding/xml reports it: xmlns (Space "",
// Local "xmlns") or xmlns:p (Space "xmlns", Local "p").
func isNamespaceDecl(n xml.Name) bool {
	return n.Space == "xmlns" || n.Space == xmlnsURL || (n.Space == "" && n.Local == "xmlns")
}

// filterAttrs returns attrs without namespace declarations, or nil if
// none remain.
func filterAttrs(attrs []xml.Attr) []xml.Attr {
	var out []xml.Attr
	for _, a := range attrs {
		if !isNamespaceDecl(a.Name) {
			out = append(out, a)
		}
	}
	return out
}
