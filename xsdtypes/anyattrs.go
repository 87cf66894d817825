package xsdtypes

import "encoding/xml"

// AnyAttrs holds the attributes matched by xs:anyAttribute. Use it as
//
//	Attrs xsdtypes.AnyAttrs `xml:",any,attr"`
//
// encoding/xml then passes every attribute that no other field of the
// struct claims to UnmarshalXMLAttr, which keeps it unless it is a
// namespace declaration (xmlns or xmlns:p). Without this filtering a plain
// []xml.Attr collects the declarations too, and marshalling emits them
// again as attributes in a made-up namespace.
//
// Marshalling needs no method: encoding/xml writes each xml.Attr of the
// slice, declaring a prefix for attributes with a namespace. Attribute
// names are namespace-resolved (Name.Space is the namespace URI).
type AnyAttrs []xml.Attr

// UnmarshalXMLAttr implements xml.UnmarshalerAttr. It appends attr to a
// unless attr is a namespace declaration. It returns an error if a is nil.
func (a *AnyAttrs) UnmarshalXMLAttr(attr xml.Attr) error {
	if a == nil {
		return errNilReceiver("*AnyAttrs")
	}
	if !isNamespaceDecl(attr.Name) {
		*a = append(*a, attr)
	}
	return nil
}

// Get returns the value of the attribute with the given namespace URI and
// local name, and whether it is present.
func (a AnyAttrs) Get(space, local string) (string, bool) {
	for _, attr := range a {
		if attr.Name.Space == space && attr.Name.Local == local {
			return attr.Value, true
		}
	}
	return "", false
}
