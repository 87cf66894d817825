// Package xsdtypes provides Go types for XML Schema (XSD) built-in types
// that encoding/xml does not handle well on its own. It is the runtime
// support package for the code generated from the MM7 schemas
// (3GPP TS 23.140) in the generated/rel5 and generated/rel6 packages, but
// it has no MM7-specific dependencies and uses only the standard library.
//
// The package provides:
//
//   - [DateTime] for xs:dateTime. Parsing is lenient about the timezone
//     syntax real MMSCs send (for example "2024-01-02T03:04:05-0500"
//     without a colon), while marshalling always produces valid
//     xs:dateTime text.
//   - [Duration] for xs:duration ("P2D", "-P1Y2M3DT4H5M6.5S"), parsed
//     strictly, with calendar-aware [Duration.AddTo].
//   - [DateTimeOrDuration] for the MM7 union type relativeOrAbsoluteDateType
//     (xs:dateTime or xs:duration), used by ExpiryDate,
//     EarliestDeliveryTime and the replyDeadline attribute of ReplyCharging.
//   - [AnyElement] for xs:any wildcard content, such as the Details
//     element of an MM7 Status.
//   - [AnyAttrs] for xs:anyAttribute.
//
// # Use with encoding/xml
//
// DateTime, Duration and DateTimeOrDuration implement
// [encoding.TextMarshaler] with value receivers and
// [encoding.TextUnmarshaler] with pointer receivers, so they can be used as
// element content (`xml:"Name"`), as attribute values (`xml:"name,attr"`)
// and as character data (`xml:",chardata"`). For optional elements and
// attributes use a pointer field with omitempty:
//
//	type DeliveryReq struct {
//		TimeStamp  xsdtypes.DateTime            `xml:"TimeStamp"`
//		ExpiryDate *xsdtypes.DateTimeOrDuration `xml:"ExpiryDate,omitempty"`
//		Expiry     *xsdtypes.Duration           `xml:"expiry,attr,omitempty"`
//	}
//
// The zero values of DateTime and DateTimeOrDuration mean "unset": they
// refuse to marshal, so a forgotten required value is reported instead of
// being sent as 0001-01-01T00:00:00Z. The zero Duration is a valid
// duration and marshals as "PT0S".
//
// The three value types also implement [encoding/xml.MarshalerAttr] with a
// pointer receiver. This makes a nil pointer attribute field marshal as no
// attribute at all even without omitempty; without it encoding/xml would
// call the value-receiver MarshalText through the nil pointer and panic.
// Do not use pointers for ",chardata" fields: encoding/xml neither
// allocates them when unmarshalling (UnmarshalText then reports an error
// for the nil receiver) nor checks them for nil when marshalling (it panics
// calling MarshalText through the nil pointer). Use a value field for
// character data.
//
// Unmarshalling an empty element or attribute into any of these types is an
// error, because the empty string is not a valid lexical value of
// xs:dateTime or xs:duration.
//
// AnyElement and AnyAttrs keep namespaces resolved (xml.Name.Space holds the
// namespace URI, not the prefix) and drop namespace declaration attributes,
// so that a value survives an unmarshal, marshal, unmarshal cycle
// unchanged.
//
// # Errors
//
// Parse errors are of type [*ParseError]. Their messages start with
// "xsdtypes: ", quote the offending value (truncated to 64 bytes) and say
// what was expected. No function in this package panics on any input.
package xsdtypes
