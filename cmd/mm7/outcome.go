package main

// What send, cancel and replace report: one JSON object on stdout when
// the MMSC answered anything, a one-line error on stderr, an exit code.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openmms/mm7go/mm7"
)

// callOutput is the JSON object send, cancel and replace print.
type callOutput struct {
	TransactionID string `json:"transaction_id"`
	// MessageID is the identifier the MMSC returned (SubmitRsp,
	// extendedReplaceRsp), or absent.
	MessageID string `json:"message_id,omitempty"`
	// HTTPStatus is the HTTP status of the MMSC's answer.
	HTTPStatus int `json:"http_status"`
	// StatusCode and StatusText are the MM7 status answered; absent when
	// the answer carried none.
	StatusCode *int   `json:"status_code,omitempty"`
	StatusText string `json:"status_text,omitempty"`
	// StatusSource says where the status was found: "response" (its
	// Status), "fault" (the Fault's detail) or "header" (X-MM7-Status-Code).
	StatusSource string `json:"status_source,omitempty"`
	// Fault is the SOAP Fault answered, if any.
	Fault *faultOutput `json:"fault,omitempty"`
	// Version is the label of the version the request was sent in, as
	// --version takes it ("6.8.0" or "5.5.0"); Schema is its schema.
	Version string `json:"version"`
	Schema  string `json:"schema"`
	// Answered is the version the MMSC answered in, when it answered in
	// MM7: its namespace may be an older one of the release.
	Answered *answeredVersion `json:"answered,omitempty"`
	// Negotiated is true when the MMSC rejected the first version and the
	// request was sent again in Version.
	Negotiated bool `json:"negotiated,omitempty"`
	Attempts   int  `json:"attempts"`
	// RetryAfterSeconds is the wait the MMSC asked for (Retry-After).
	RetryAfterSeconds int64 `json:"retry_after_seconds,omitempty"`
	// Deviations lists how the answer departed from the standards.
	Deviations []deviationOutput `json:"deviations,omitempty"`
}

type faultOutput struct {
	Code   string `json:"code"`
	String string `json:"string"`
}

type answeredVersion struct {
	Schema     string `json:"schema"`
	Namespace  string `json:"namespace"`
	MM7Version string `json:"mm7_version,omitempty"`
}

type deviationOutput struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// newCallOutput describes res.
func newCallOutput(res *mm7.Result) callOutput {
	out := callOutput{TransactionID: res.TransactionID, MessageID: res.MessageID, HTTPStatus: res.HTTPStatus,
		StatusSource: string(res.StatusSource), Version: versionLabel(res.Version), Schema: res.Version.Schema,
		Negotiated: res.Negotiated, Attempts: res.Attempts}
	if res.StatusSource != "" {
		code := int(res.Status)
		out.StatusCode, out.StatusText = &code, res.StatusText
	}
	if res.RetryAfter > 0 {
		out.RetryAfterSeconds = int64((res.RetryAfter + time.Second - 1) / time.Second)
	}
	if res.Fault != nil {
		out.Fault = &faultOutput{Code: res.Fault.Code, String: res.Fault.String}
	}
	if v := res.ResponseVersion; v.Schema != "" {
		out.Answered = &answeredVersion{Schema: v.Schema, Namespace: v.Namespace, MM7Version: v.MM7Version}
	}
	for _, d := range res.Deviations {
		out.Deviations = append(out.Deviations, deviationOutput{Code: string(d.Code), Text: d.Text})
	}
	return out
}

// reportCall prints the outcome of a call for command name and returns
// its exit code: the JSON whenever the MMSC answered, the error line on
// failure.
func reportCall(e *env, name string, call callContext, res *mm7.Result, err error) int {
	if res != nil && res.HTTPStatus != 0 {
		if werr := json.NewEncoder(e.stdout).Encode(newCallOutput(res)); werr != nil {
			return fail(e, name, exitFail, werr)
		}
	}
	if err == nil {
		return exitOK
	}
	code := callExit(res, err)
	fmt.Fprintf(e.stderr, "mm7 %s: %s\n", name, callError(call, res, err, code))
	return code
}

// callContext is what an error line may name about the call.
type callContext struct {
	endpoint string
	timeout  time.Duration
}

// callExit classifies the error of a call into an exit code.
func callExit(res *mm7.Result, err error) int {
	if err == nil {
		return exitOK
	}
	if _, ok := errors.AsType[*mm7.LimitError](err); ok || res == nil || res.Attempts == 0 {
		return exitRefused // nothing was sent: the request itself is the problem
	}
	if isTimeout(err) {
		return exitNoAnswer
	}
	if res.Response != nil {
		if _, ok := errors.AsType[*mm7.FaultError](err); ok {
			return exitMMStatus
		}
		if _, ok := errors.AsType[*mm7.StatusError](err); ok {
			return exitMMStatus
		}
	}
	if _, ok := errors.AsType[*mm7.HTTPError](err); ok {
		return exitHTTP
	}
	if isTLSFailure(err) {
		return exitFail // a certificate or protocol problem: waiting does not fix it
	}
	if res.HTTPStatus == 0 {
		return exitNoAnswer // no HTTP answer: could not connect, or the connection broke
	}
	return exitFail
}

// isTimeout reports whether err is a deadline or a network timeout.
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	ne, ok := errors.AsType[net.Error](err)
	return ok && ne.Timeout()
}

// isTLSFailure reports whether err is a TLS handshake failure: an
// untrusted or mismatched certificate, or a peer that does not speak TLS.
func isTLSFailure(err error) bool {
	if _, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
		return true
	}
	if _, ok := errors.AsType[x509.HostnameError](err); ok {
		return true
	}
	_, ok := errors.AsType[tls.RecordHeaderError](err)
	return ok
}

// errLineMax bounds the error line, after "mm7 CMD: ".
const errLineMax = 300

// callError writes the error line of a call: what went wrong, in the
// user's terms, naming the HTTP status when it is not 200, the MM7 status
// and the Fault.
func callError(call callContext, res *mm7.Result, err error, code int) string {
	var s string
	switch {
	case code == exitRefused:
		s = "refused locally, nothing sent: " + plainError(err)
	case code == exitNoAnswer && isTimeout(err):
		if res != nil && res.HTTPStatus != 0 {
			s = fmt.Sprintf("%s stopped answering within %s (--timeout): HTTP %d, then no complete answer", call.endpoint, call.timeout, res.HTTPStatus)
		} else {
			s = fmt.Sprintf("no answer from %s within %s (--timeout); the MMSC may have received the request", call.endpoint, call.timeout)
		}
	case code == exitNoAnswer:
		if de, ok := errors.AsType[*net.DNSError](err); ok {
			s = fmt.Sprintf("could not connect to %s: cannot resolve host %s", call.endpoint, de.Name)
		} else if oe, ok := errors.AsType[*net.OpError](err); ok && oe.Op == "dial" {
			s = fmt.Sprintf("could not connect to %s: %s", call.endpoint, plainError(oe.Err))
		} else {
			s = fmt.Sprintf("no answer from %s: %s", call.endpoint, plainError(err))
		}
	default:
		s = plainError(err)
		_, isHTTP := errors.AsType[*mm7.HTTPError](err)
		if isHTTP {
			s = strings.Replace(s, "unexpected http response ", "the MMSC answered HTTP ", 1)
		}
		if res != nil && res.HTTPStatus != 0 && res.HTTPStatus != 200 && !isHTTP {
			s = fmt.Sprintf("HTTP %d: %s", res.HTTPStatus, s)
		}
		if res != nil && res.StatusSource == mm7.StatusFromHeader {
			s += " (status from the " + mm7.HeaderStatusCode + " header)"
		}
		if res != nil && res.RetryAfter > 0 {
			s = clipLine(s, errLineMax-40) + fmt.Sprintf(" (retry after %s)", res.RetryAfter.Round(time.Second))
		}
	}
	return clipLine(s, errLineMax)
}

// plainError is err's text without the "mm7: " package prefixes, on one
// line.
func plainError(err error) string {
	s := strings.ReplaceAll(err.Error(), "mm7: ", "")
	return strings.Join(strings.Fields(s), " ")
}

// clipLine cuts s to at most limit bytes at a rune boundary, marking a
// cut with "...".
func clipLine(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	i := limit - 3
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}
