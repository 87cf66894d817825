package mm7

import (
	"fmt"
	"slices"
	"strings"

	"github.com/openmms/mm7go/xsdtypes"
)

// responseKinds maps each MM7 request to its response element.
var responseKinds = map[string]string{
	"SubmitReq":          "SubmitRsp",
	"DeliverReq":         "DeliverRsp",
	"CancelReq":          "CancelRsp",
	"ReplaceReq":         "ReplaceRsp",
	"extendedCancelReq":  "extendedCancelRsp",
	"extendedReplaceReq": "extendedReplaceRsp",
	"DeliveryReportReq":  "DeliveryReportRsp",
	"ReadReplyReq":       "ReadReplyRsp",
}

// ResponseKind returns the response element for a request element, e.g.
// "SubmitRsp" for "SubmitReq", or "" for anything else.
func ResponseKind(requestKind string) string { return responseKinds[requestKind] }

// fromRS reports whether requests of this kind come from an MMS
// Relay/Server (so a VASP answers them, with VASPErrorRsp in Faults).
func fromRS(requestKind string) bool {
	switch requestKind {
	case "DeliverReq", "DeliveryReportReq", "ReadReplyReq":
		return true
	}
	return false
}

// NewResponse builds the response to req with the given status: the
// matching element (SubmitRsp for SubmitReq, ...) of the request's
// version, the same TransactionID and MM7Version. Fields the response
// needs beyond the status (SubmitRsp's MessageID) are for the caller to
// set on the returned Body.
func NewResponse(req *Message, code StatusCode, text string) (*Message, error) {
	kind := req.Kind()
	rk := ResponseKind(kind)
	if rk == "" {
		return nil, fmt.Errorf("mm7: %s is not a request", kind)
	}
	v := replyVersion(req.Version)
	body := newMessage(v, rk)
	if body == nil {
		return nil, fmt.Errorf("mm7: %s has no %s", v.Schema, rk)
	}
	if text == "" {
		text = code.String()
	}
	setStatus(body, code, text)
	if b, ok := body.(interface{ SetMM7Version(string) }); ok {
		b.SetMM7Version(v.MM7Version)
	}
	return &Message{TransactionID: req.TransactionID, Version: v, Body: body}, nil
}

// replyVersion is the version a reply to a message of version v is
// written in: v itself, with v's MM7Version when v's schema allows it and
// the schema's newest value otherwise (a 5.5.0 request under
// REL-5-MM7-1-2 is answered with 5.3.0, which a validating peer accepts).
// An unknown version is answered in Rel6.
func replyVersion(v Version) Version {
	if !v.valid() {
		if nv, _, ok := VersionForNamespace(v.Namespace); ok {
			return nv
		}
		return Rel6
	}
	if allowed := mm7Versions[v.Schema]; !slices.Contains(allowed, v.MM7Version) && len(allowed) > 0 {
		v.MM7Version = allowed[0]
	}
	return v
}

// NewFault builds the SOAP Fault answering req with an error status: the
// detail is an RSErrorRsp when an MMS Relay/Server answers a VASP request,
// a VASPErrorRsp when a VASP answers a Relay/Server request. The
// faultcode follows the status (Client or Server).
func NewFault(req *Message, code StatusCode, text string) *Message {
	return newFault(req.TransactionID, req.Version, fromRS(req.Kind()), code, text, "")
}

// newFault builds a Fault in (a reply version of) v: a VASPErrorRsp
// detail when a VASP answers (vaspSide), an RSErrorRsp otherwise; problem,
// when not empty, is appended to the faultstring.
func newFault(txID string, v Version, vaspSide bool, code StatusCode, text, problem string) *Message {
	v = replyVersion(v)
	detailKind := "RSErrorRsp"
	if vaspSide {
		detailKind = "VASPErrorRsp"
	}
	fs := newFaultStrings(code, text, problem)
	detail := newMessage(v, detailKind)
	setStatus(detail, code, fs.text)
	if b, ok := detail.(interface{ SetMM7Version(string) }); ok {
		b.SetMM7Version(v.MM7Version)
	}
	return &Message{TransactionID: txID, Version: v,
		Body: &Fault{Code: code.FaultCode(), String: fs.faultString, Detail: detail}}
}

// faultStrings are the texts of a Fault: its faultstring and the
// StatusText of its detail.
type faultStrings struct{ faultString, text string }

// newFaultStrings returns the texts of the Fault for code: text, or the
// code's own text when empty, and "Client error" or "Server error" with
// problem appended when not empty.
func newFaultStrings(code StatusCode, text, problem string) faultStrings {
	if text == "" {
		text = code.String()
	}
	faultString := "Client error"
	if code.FaultCode() == "Server" {
		faultString = "Server error"
	}
	if problem != "" {
		faultString += ": " + problem
	}
	return faultStrings{faultString: faultString, text: text}
}

// setStatus fills Status.StatusCode and Status.StatusText of a generated
// response.
func setStatus(body Body, code StatusCode, text string) {
	if b, ok := body.(interface{ SetStatus(code int, text string) }); ok {
		b.SetStatus(int(code), text)
	}
}

// Status returns the status a response carries: its Status element, or
// the status in a Fault's detail.
func (m *Message) Status() (code StatusCode, text string, ok bool) {
	if m == nil {
		return 0, "", false
	}
	if f, isFault := m.Body.(*Fault); isFault {
		return f.Status()
	}
	return statusOf(m.Body)
}

// Err returns nil for a response with a success status, a *StatusError
// for any other status, and a *FaultError for a Fault (wrapping the
// status its detail carried). httpStatus is recorded in FaultError.
func (m *Message) Err(httpStatus int) error {
	if f, isFault := m.Body.(*Fault); isFault {
		fe := &FaultError{Code: f.Code, String: f.String, Actor: f.Actor, HTTPStatus: httpStatus}
		if code, text, ok := f.Status(); ok {
			fe.Status = &StatusError{Code: code, Text: text, Version: m.Version.Schema, Details: detailsText(f.Detail)}
		}
		return fe
	}
	code, text, ok := m.Status()
	if !ok {
		return fmt.Errorf("mm7: %s carries no status", m.Kind())
	}
	if code.Success() {
		return nil
	}
	return &StatusError{Code: code, Text: text, Version: m.Version.Schema, Details: detailsText(m.Body)}
}

// detailsText flattens Status/Details to text for error messages.
func detailsText(body any) string {
	b, ok := body.(interface {
		GetStatusDetails() []xsdtypes.AnyElement
	})
	if bb, isBody := body.(Body); !ok || !isBody || isNilBody(bb) {
		return ""
	}
	var parts []string
	for _, it := range b.GetStatusDetails() {
		if t := strings.TrimSpace(it.Text); t != "" {
			parts = append(parts, t)
		} else {
			parts = append(parts, it.XMLName.Local)
		}
	}
	return strings.Join(parts, "; ")
}
