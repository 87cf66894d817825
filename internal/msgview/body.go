// Package msgview renders decoded MM7 messages for people and tools: the
// JSON view `mm7 inspect` prints and `mm7 serve` stores as message.json.
// It is the one place that decides how a typed message looks as JSON, so
// both show the same thing.
//
// A lenient decoder accepts messages that lack mandatory elements (a
// DeliveryReportReq without Date or Sender), so a typed message can hold
// zero values that have no lexical form: an unset xsdtypes.DateTime, an
// empty enumeration, an address with no member. The view shows every
// such value as absent instead of failing, and it never fails at all.
package msgview

import (
	"encoding"
	"encoding/xml"
	"reflect"

	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/xsdtypes"
)

// maxDepth bounds the recursion over a message. Generated MM7 types nest
// a handful of levels; wildcard content is rendered as XML text, so this
// is only a guard against cyclic values handed in by a caller.
const maxDepth = 64

var (
	textMarshaler  = reflect.TypeFor[encoding.TextMarshaler]()
	zeroer         = reflect.TypeFor[interface{ IsZero() bool }]()
	anyElementType = reflect.TypeFor[xsdtypes.AnyElement]()
)

// Body renders a generated message struct, a *mm7.Fault, or any value
// made of structs, pointers, slices, strings, numbers, booleans and
// types with a text form, as a JSON-ready value: structs become
// map[string]any keyed by Go field name, XMLName bookkeeping left out.
//
// A value is absent (its key omitted, or nil at the top) when it is a
// nil pointer, slice or interface; a non-pointer field holding a zero
// value that means "not given": an empty string or enumeration, a
// struct with nothing in it, a type whose IsZero method reports true
// (xsdtypes.DateTime, xsdtypes.DateTimeOrDuration); or a value whose
// MarshalText fails. A pointer to an empty string or struct is kept: the
// element was there, empty. Wildcard content (xsdtypes.AnyElement) is
// shown as the XML it holds.
func Body(body any) any {
	v, ok := value(reflect.ValueOf(body), false, 0)
	if !ok {
		return nil
	}
	return v
}

// value renders v; ok is false when v is absent. present is true when v
// sits behind a pointer, which means the element was in the message.
func value(v reflect.Value, present bool, depth int) (any, bool) {
	if !v.IsValid() || depth > maxDepth {
		return nil, false
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		return value(v.Elem(), v.Kind() == reflect.Pointer || present, depth+1)
	}
	t := v.Type()
	if t == anyElementType {
		return anyElement(v.Interface().(xsdtypes.AnyElement))
	}
	if t.Implements(zeroer) && v.Interface().(interface{ IsZero() bool }).IsZero() {
		return nil, false
	}
	if t.Implements(textMarshaler) {
		b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return nil, false
		}
		return string(b), true
	}
	switch v.Kind() {
	case reflect.String:
		if v.Len() == 0 && !present {
			return nil, false
		}
		return v.String(), true
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint(), true
	case reflect.Float32, reflect.Float64:
		return v.Float(), true
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil, false
		}
		out := make([]any, 0, v.Len())
		for i := range v.Len() {
			if x, ok := value(v.Index(i), false, depth+1); ok {
				out = append(out, x)
			}
		}
		if len(out) == 0 && !present {
			return nil, false
		}
		return out, true
	case reflect.Struct:
		out := map[string]any{}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Name == "XMLName" || f.Tag.Get("json") == "-" {
				continue
			}
			if x, ok := value(v.Field(i), false, depth+1); ok {
				out[f.Name] = x
			}
		}
		if len(out) == 0 && !present {
			return nil, false
		}
		return out, true
	}
	return nil, false // maps, channels, funcs: nothing a message holds
}

// anyElement shows wildcard content as the XML it stands for.
func anyElement(e xsdtypes.AnyElement) (any, bool) {
	if e.XMLName.Local == "" {
		return nil, false
	}
	b, err := xml.Marshal(e)
	if err != nil {
		return nil, false
	}
	return string(b), true
}

// An Unknown is one entry of the "unknown" list of the view: content the
// typed message cannot hold (see mm7.UnknownElement), path and XML as
// sent.
type Unknown struct {
	Path      string `json:"path"`
	XML       string `json:"xml"`
	Truncated bool   `json:"truncated,omitempty"`
}

// UnknownOf returns the view of m.Unknown: never nil, so that the JSON
// always has the list.
func UnknownOf(m *mm7.Message) []Unknown {
	out := []Unknown{}
	if m == nil {
		return out
	}
	for _, u := range m.Unknown {
		out = append(out, Unknown{Path: u.Path, XML: u.XML, Truncated: u.Truncated})
	}
	return out
}
