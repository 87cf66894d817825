package mm7

import (
	"encoding/xml"
	"reflect"
	"strings"
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
	Body any

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
	if n := xmlNameOf(m.Body); n.Local != "" {
		return n.Local
	}
	return ""
}

// xmlNameOf returns the element name from the XMLName tag of a generated
// struct, or the zero Name.
func xmlNameOf(v any) xml.Name {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return xml.Name{}
	}
	f, ok := t.FieldByName("XMLName")
	if !ok {
		return xml.Name{}
	}
	tag := strings.Split(f.Tag.Get("xml"), ",")[0]
	space, local, found := strings.Cut(tag, " ")
	if !found {
		return xml.Name{Local: space}
	}
	return xml.Name{Space: space, Local: local}
}

// mm7VersionField returns the settable MM7Version field of a generated
// message, if it has one.
func mm7VersionField(body any) (reflect.Value, bool) {
	v := reflect.ValueOf(body)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return reflect.Value{}, false
	}
	f := v.Elem().FieldByName("MM7Version")
	if !f.IsValid() || f.Kind() != reflect.String || !f.CanSet() {
		return reflect.Value{}, false
	}
	return f, true
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
	v := reflect.ValueOf(body)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return 0, "", false
	}
	st := v.Elem().FieldByName("Status")
	if !st.IsValid() || st.Kind() != reflect.Struct {
		return 0, "", false
	}
	c := st.FieldByName("StatusCode")
	if !c.IsValid() || c.Kind() != reflect.Int {
		return 0, "", false
	}
	text := ""
	if t := st.FieldByName("StatusText"); t.IsValid() && t.Kind() == reflect.String {
		text = t.String()
	}
	return StatusCode(c.Int()), text, true
}
