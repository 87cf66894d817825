package mm7

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openmms/mm7go/generated/convert"
)

// A Result describes the exchange of a call: what was sent and exactly
// what the MMSC answered. Calls return it whenever they built a request,
// also along with an error (a *[StatusError], *[FaultError],
// *[HTTPError], *[TransactionMismatchError], ...), so that the caller
// can log the TransactionID and report the answer; the answer fields then
// describe the last attempt.
type Result struct {
	// TransactionID is the request's, generated when the caller set none.
	TransactionID string
	// Kind is the response element expected, e.g. "SubmitRsp".
	Kind string
	// MessageID is the identifier the MMSC gave a submitted message
	// (SubmitRsp), or empty.
	MessageID string
	// Status and StatusText are the MM7 status received, from the place
	// StatusSource names; both are zero when the answer carried no status
	// (StatusSource is then empty). A partial success (1100) is returned
	// without error: compare Status with [StatusSuccess].
	Status     StatusCode
	StatusText string
	// StatusSource says where Status came from, or is empty when the MMSC
	// answered no status at all.
	StatusSource StatusSource
	// Fault is the SOAP Fault the MMSC answered with, or nil.
	Fault *Fault
	// Version is the version the request was sent in.
	Version Version
	// ResponseVersion is the version the MMSC answered in: the namespace
	// and MM7Version of its response, which may differ from Version (an
	// older namespace of the release such as REL-5-MM7-1-0, or another
	// MM7Version). Schema is the name of that namespace and Release the
	// generated package the response was decoded with. It is the zero
	// Version when no MM7 response arrived, or when a Fault carried no
	// MM7 detail to tell the version by.
	ResponseVersion Version
	// Negotiated reports that the MMSC rejected the version first tried
	// and the request was sent again in Version.
	Negotiated bool
	// Losses lists what converting the request to Version dropped or kept
	// invalid (empty when no conversion was needed). The MM7Version
	// element is not reported: the client always writes Version's.
	Losses []convert.Loss
	// Attempts counts the HTTP requests made.
	Attempts int
	// HTTPStatus is the HTTP status of the last response, or 0 when none
	// arrived.
	HTTPStatus int
	// RetryAfter is the wait the MMSC asked for in a Retry-After header
	// of its last answer (with a 503 or 429, or a temporary status), or 0.
	RetryAfter time.Duration
	// Deviations lists how the last response departed from TS 23.140, SOAP
	// or MIME ([Message.Deviations] of Response), and how the exchange
	// did: a status found only in the X-MM7-Status-Code header
	// ([DevStatusInHeader]).
	Deviations []Deviation
	// Response is the decoded response (or Fault), with any deviations
	// lenient decoding accepted, or nil.
	Response *Message
}

// A StatusSource says where the MM7 status of an answer was found.
type StatusSource string

// Where a [Result.Status] comes from.
const (
	// StatusFromResponse: the Status element of the MM7 response.
	StatusFromResponse StatusSource = "response"
	// StatusFromFault: the RSErrorRsp or VASPErrorRsp in a SOAP Fault's
	// detail.
	StatusFromFault StatusSource = "fault"
	// StatusFromHeader: the X-MM7-Status-Code HTTP response header, which
	// some MMSCs send instead of a Fault detail; recorded as the deviation
	// [DevStatusInHeader].
	StatusFromHeader StatusSource = "header"
)

// Response headers some MMSCs carry the MM7 status in, alone or beside
// the body.
const (
	HeaderStatusCode = "X-MM7-Status-Code"
	HeaderStatusText = "X-MM7-Status-Text"
)

// headerStatus reads the X-MM7-Status-Code (and X-MM7-Status-Text)
// header: a decimal status code between 1 and 9999.
func headerStatus(h http.Header) (StatusCode, string, bool) {
	v := strings.TrimSpace(h.Get(HeaderStatusCode))
	if v == "" {
		return 0, "", false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 || n > 9999 {
		return 0, "", false
	}
	return StatusCode(n), cleanText(h.Get(HeaderStatusText), errTextMax), true
}

// record sets the answer fields of res from the outcome of an attempt.
func (res *Result) record(out *attemptOutcome) {
	res.HTTPStatus, res.Response = out.httpStatus, out.msg
	res.Status, res.StatusText, res.MessageID, res.StatusSource = 0, "", "", ""
	res.Fault, res.ResponseVersion, res.Deviations, res.RetryAfter = nil, Version{}, nil, 0
	if d, ok := parseRetryAfter(out.header, time.Now()); ok {
		res.RetryAfter = d
	}
	if out.msg != nil {
		res.ResponseVersion = out.msg.Version
		res.Deviations = slices.Clone(out.msg.Deviations)
		res.MessageID = submitMessageID(out.msg.Body)
		if f, ok := out.msg.Body.(*Fault); ok {
			res.Fault = f
		}
		if code, text, ok := out.msg.Status(); ok && code != 0 {
			res.Status, res.StatusText, res.StatusSource = code, text, StatusFromResponse
			if res.Fault != nil {
				res.StatusSource = StatusFromFault
			}
		}
	}
	if res.StatusSource == "" && out.header != nil {
		if code, text, ok := headerStatus(out.header); ok {
			res.Status, res.StatusText, res.StatusSource = code, text, StatusFromHeader
			res.Deviations = append(res.Deviations, Deviation{Code: DevStatusInHeader,
				Text: fmt.Sprintf("status %d only in the %s HTTP header, not in the body", code, HeaderStatusCode)})
		}
	}
}

// applyHeaderStatus gives err the status of the X-MM7-Status-Code header
// when the answer carried none: a Fault without detail gets it as its
// Status; a response whose Status element is missing (code 0) is judged
// by it. Other errors are returned unchanged.
func applyHeaderStatus(err error, msg *Message, h http.Header) error {
	code, text, ok := headerStatus(h)
	if !ok || msg == nil {
		return err
	}
	if fe, isFault := err.(*FaultError); isFault && fe.Status == nil {
		fe.Status = &StatusError{Code: code, Text: text}
		return fe
	}
	if se, isStatus := err.(*StatusError); isStatus && se.Code == 0 {
		if code.Success() {
			return nil
		}
		return &StatusError{Code: code, Text: text, Version: se.Version}
	}
	return err
}
