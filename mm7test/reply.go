package mm7test

import (
	"net/http"
	"strconv"
	"time"

	"github.com/openmms/mm7go/mm7"
)

// A Reply is how the [MMSC] answers one request. [Options.Script] returns
// one to choose the answer; [Recorded.Reply] tells what was answered.
//
// The zero Reply lets the MMSC decide: 1000 Success with a new MessageID
// for a SubmitReq; for a Cancel or Replace, 1000 Success, 2005 Message ID
// Not found or 3001 Not Possible from the state of the message. A Reply
// with only Latency or MessageID set does the same, later or with that
// MessageID. Otherwise the first that applies of:
//
//   - HTTPStatus: an HTTP response with that status, Header and a short
//     text/plain body, and no MM7 message (a proxy's 503, say);
//   - Fault: a SOAP Fault with HTTP 500 carrying Status (3000 Server
//     Error when Status is 0) in an RSErrorRsp;
//   - Status: the normal response with Status and Text, HTTP 200. As
//     [mm7.Handler] does, 3000 and 4006, which ask for a retry, go in a
//     Fault all the same, and a code outside 1000-4999 becomes a 3000
//     Fault. A success code (1xxx) still registers a submitted message or
//     performs the Cancel or Replace of a known one; any other status
//     leaves the MMSC's state alone.
type Reply struct {
	// Status is the MM7 status answered; 0 lets the MMSC decide.
	Status mm7.StatusCode
	// Text is the StatusText; "" means the canonical text of Status.
	Text string
	// Fault sends Status in a SOAP Fault rather than the normal response.
	Fault bool
	// HTTPStatus, when not 0, answers with this HTTP status and no MM7
	// body.
	HTTPStatus int
	// Header holds extra HTTP response headers, e.g. Retry-After; only
	// with HTTPStatus.
	Header http.Header
	// Latency delays the reply, in addition to [Options.Latency].
	Latency time.Duration
	// MessageID is the MessageID given to a submitted message instead of
	// the next generated one.
	MessageID string
}

// StatusReply answers with code and text ("" for the canonical text) in
// the normal response, e.g. StatusReply(mm7.StatusAddressError, "unknown
// subscriber").
func StatusReply(code mm7.StatusCode, text string) Reply {
	return Reply{Status: code, Text: text}
}

// FaultReply answers with a SOAP Fault carrying code and text, e.g.
// FaultReply(mm7.StatusServiceDenied, "").
func FaultReply(code mm7.StatusCode, text string) Reply {
	return Reply{Status: code, Text: text, Fault: true}
}

// HTTPReply answers with an HTTP status and no MM7 body, with a
// Retry-After header of whole seconds when retryAfter is positive, e.g.
// HTTPReply(http.StatusServiceUnavailable, 2*time.Second).
func HTTPReply(status int, retryAfter time.Duration) Reply {
	r := Reply{HTTPStatus: status}
	if retryAfter > 0 {
		secs := int64((retryAfter + time.Second - 1) / time.Second)
		r.Header = http.Header{"Retry-After": {strconv.FormatInt(secs, 10)}}
	}
	return r
}

// DelayReply lets the MMSC answer as usual, d later.
func DelayReply(d time.Duration) Reply { return Reply{Latency: d} }

// scripted reports whether r decides the answer (rather than leaving it
// to the MMSC).
func (r Reply) scripted() bool { return r.HTTPStatus != 0 || r.Fault || r.Status != 0 }

// normalized returns r as the Handler will send it: the status that goes
// out and whether it goes in a Fault.
func (r Reply) normalized() Reply {
	if r.HTTPStatus != 0 {
		r.Status, r.Text, r.Fault = 0, "", false
		return r
	}
	r.Header = nil
	if r.Status == 0 {
		if r.Fault {
			r.Status = mm7.StatusServerError
		} else {
			r.Status = mm7.StatusSuccess
		}
	}
	if r.Status.Class() == mm7.ClassUnknown {
		r.Status, r.Text, r.Fault = mm7.StatusServerError, "", true
	}
	if r.Status.Temporary() {
		r.Fault = true
	}
	if r.Text == "" {
		r.Text = r.Status.String()
	}
	return r
}

// success reports whether the reply accepts the request.
func (r Reply) success() bool { return r.HTTPStatus == 0 && !r.Fault && r.Status.Success() }

// err returns what the Handler callback returns to send r (normalized).
func (r Reply) err() error {
	switch {
	case r.HTTPStatus != 0:
		// The replyWriter replaces the Fault this asks for.
		return &mm7.StatusError{Code: mm7.StatusServerError}
	case r.Fault:
		return &mm7.FaultError{Status: &mm7.StatusError{Code: r.Status, Text: r.Text}}
	case r.Status == mm7.StatusSuccess && r.Text == mm7.StatusSuccess.String():
		return nil
	}
	// A StatusError with a success code makes the Handler send the normal
	// response with that code (and the MessageID).
	return &mm7.StatusError{Code: r.Status, Text: r.Text}
}
