package mm7

import (
	"bytes"
	"encoding/xml"
	"unicode/utf8"
)

// An UnknownElement is content of a decoded message that its typed Body
// cannot hold: an element the schema does not have where it was found
// (<Recipients> in a DeliveryReportReq, a vendor extension), an
// attribute the schema does not have, text where the schema has only
// elements, the earlier copy of an element given twice, or a SOAP header
// block other than TransactionID. Lenient decoding records a Deviation
// for each and keeps the content here, so that nothing an MMSC sent is
// silently lost.
type UnknownElement struct {
	// Path locates the content by local names: /DeliveryReportReq/Recipients
	// for an element, /DeliveryReportReq/MMStatus/@kind for an attribute,
	// /DeliverReq/Sender/text() for text, /Envelope/Header/Route for a
	// header block.
	Path string
	// XML is the content as sent (in UTF-8): an element from its start tag
	// to its end tag, namespace prefixes as written; an attribute as
	// name="value"; text escaped as XML character data.
	XML string
	// Truncated reports that XML was cut at MaxUnknownBytes. An entry with
	// an empty Path and Truncated set, last in Message.Unknown, says that
	// more than MaxUnknown entries were found and the rest left out (their
	// deviations are still recorded).
	Truncated bool
}

// Bounds of Message.Unknown: an envelope is at most
// DecodeOptions.MaxEnvelopeBytes, but what is kept of it beside the typed
// body stays small.
const (
	// MaxUnknown is the number of UnknownElement entries kept per message.
	MaxUnknown = 64
	// MaxUnknownBytes bounds the XML of one entry.
	MaxUnknownBytes = 16 << 10
)

// keep records content the typed body cannot hold, within the bounds.
func (d *deviations) keep(path string, raw []byte) {
	switch {
	case len(d.unknown) > MaxUnknown:
		return
	case len(d.unknown) == MaxUnknown:
		d.unknown = append(d.unknown, UnknownElement{Truncated: true})
		return
	}
	u := UnknownElement{Path: path}
	if len(raw) > MaxUnknownBytes {
		cut := MaxUnknownBytes
		for cut > 0 && !utf8.RuneStart(raw[cut]) {
			cut-- // not inside a UTF-8 sequence
		}
		raw = raw[:cut]
		u.Truncated = true
	}
	u.XML = string(raw)
	d.unknown = append(d.unknown, u)
}

// keepAttr records an attribute as name="value".
func (d *deviations) keepAttr(path string, a xml.Attr) {
	var b bytes.Buffer
	b.WriteString(attrName(a.Name))
	b.WriteString(`="`)
	xml.EscapeText(&b, []byte(a.Value)) //nolint:errcheck // a bytes.Buffer does not fail
	b.WriteByte('"')
	d.keep(path, b.Bytes())
}

// keepText records character data, escaped.
func (d *deviations) keepText(path string, text []byte) {
	var b bytes.Buffer
	xml.EscapeText(&b, text) //nolint:errcheck // a bytes.Buffer does not fail
	d.keep(path, b.Bytes())
}
