package xsdtypes

import (
	"encoding"
	"encoding/xml"
)

// unmarshalInto is UnmarshalText for the types here: it parses text into
// *dst, leaving dst unchanged on error, and returns an error rather than
// panicking when dst is nil (encoding/xml passes a nil pointer for a nil
// ",chardata" pointer field).
func unmarshalInto[T any](dst *T, text []byte, parse func(string) (T, error), typ string) error {
	if dst == nil {
		return errNilText(typ)
	}
	v, err := parse(string(text))
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

// textAttr is MarshalXMLAttr for the types here: the MarshalText form, or
// no attribute at all for a nil pointer (encoding/xml would otherwise
// call the value-receiver MarshalText through the nil pointer and panic).
func textAttr[T any, P interface {
	*T
	encoding.TextMarshaler
}](p P, name xml.Name) (xml.Attr, error) {
	if p == nil {
		return xml.Attr{}, nil
	}
	b, err := p.MarshalText()
	if err != nil {
		return xml.Attr{}, err
	}
	return xml.Attr{Name: name, Value: string(b)}, nil
}
