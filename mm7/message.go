package mm7

import (
	"encoding/xml"

	"github.com/openmms/mm7go/xsdtypes"
)

// A Message is one MM7 SOAP message: the TransactionID header and the
// single element of the SOAP Body.
type Message struct {
	// TransactionID correlates a request and its response; a responder
	// copies the request's value.
	TransactionID string

	// Version is the schema version. When decoding it is detected from the
	// body's namespace (and MM7Version); when encoding it must match the
	// package of Body (rel5 types for Rel5, rel6 types for Rel6), and its
	// MM7Version is written when Body's MM7Version is empty.
	Version Version

	// Body is a pointer to a generated message struct (*rel6.SubmitReq,
	// *rel5.DeliveryReportRsp, ...) or a *Fault.
	Body Body

	// Deviations lists what lenient decoding accepted; empty when encoding.
	Deviations []Deviation

	// Unknown keeps, in document order, what a lenient decode found that
	// Body cannot hold: unknown elements and attributes, stray text,
	// overridden duplicates, foreign header blocks (bounded: see
	// UnknownElement). Ignored when encoding.
	Unknown []UnknownElement
}

// Kind returns the local name of the body element, e.g. "SubmitReq",
// "extendedCancelReq" or "Fault".
func (m *Message) Kind() string {
	if m == nil || m.Body == nil {
		return ""
	}
	if _, ok := m.Body.(*Fault); ok {
		return "Fault"
	}
	_, local := bodyName(m.Body)
	return local
}

// xmlNameOf returns the element name of a generated message, or the zero
// Name for anything else.
func xmlNameOf(v any) xml.Name {
	b, ok := v.(Body)
	if !ok || b == nil {
		return xml.Name{}
	}
	space, local := b.MM7Element()
	return xml.Name{Space: space, Local: local}
}

// A Fault is a SOAP 1.1 Fault. An MMSC sends one with an RSErrorRsp in
// its detail, a VASP with a VASPErrorRsp.
type Fault struct {
	// Code is the faultcode's local part, e.g. "Client" or "Server"
	// (decoding strips any prefix; encoding writes it in the SOAP
	// envelope namespace).
	Code string
	// String is the faultstring: human-readable text.
	String string
	// Actor is the optional faultactor URI.
	Actor string
	// Detail is the MM7 error response carried in detail: a
	// *rel5.RSErrorRsp, *rel6.VASPErrorRsp, ..., or nil.
	Detail any
}

// MM7Element returns the SOAP 1.1 envelope namespace and "Fault".
func (*Fault) MM7Element() (namespace, local string) { return soapNS, "Fault" }

// Validate checks the MM7 error response in Detail, if any (a Fault's own
// fields are always writable).
func (f *Fault) Validate() error {
	if f == nil {
		return &xsdtypes.ValidationError{Element: "Fault", Problems: []xsdtypes.Problem{{Path: "/Fault", Text: "is nil"}}}
	}
	if d, ok := f.Detail.(Body); ok && !isNilBody(d) {
		return d.Validate()
	}
	return nil
}

// Status returns the status carried in the Fault's detail, if any.
func (f *Fault) Status() (code StatusCode, text string, ok bool) {
	if f == nil || f.Detail == nil {
		return 0, "", false
	}
	return statusOf(f.Detail)
}

// statusOf reads Status.StatusCode and Status.StatusText of a generated
// response.
func statusOf(body any) (StatusCode, string, bool) {
	b, ok := body.(statusBody)
	if bb, isBody := body.(Body); !ok || !isBody || isNilBody(bb) {
		return 0, "", false
	}
	code, text := b.GetStatus()
	return StatusCode(code), text, true
}
