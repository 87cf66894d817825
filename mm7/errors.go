package mm7

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on the peer-supplied text that error messages quote, so that a
// hostile or broken peer cannot make log lines arbitrarily long.
const (
	errTextMax       = 200 // bytes of StatusText, Details or faultstring quoted
	errExcerptMax    = 200 // bytes of an HTTP body excerpt quoted
	errShortMax      = 64  // bytes of faultcodes, HTTP status lines, IDs quoted
	maxHTTPErrorBody = 512 // bytes of body kept in an HTTPError
)

// A StatusError is an MM7 response, or the RSErrorRsp/VASPErrorRsp in a
// SOAP Fault, whose Status is not a success. Clients return it, possibly
// inside a [*FaultError], for every non-success StatusCode, whether it
// arrived in a normal response with HTTP 200 or in a Fault. Handler
// callbacks return it to choose the status of their reply.
//
// Find it with errors.As or errors.AsType, and inspect Code, never the
// text of Error.
type StatusError struct {
	// Code is the StatusCode as received, kept even when TS 23.140 does
	// not define it.
	Code StatusCode
	// Text is the StatusText as received (it may differ from Code.String
	// in case and spacing, or be a vendor's own explanation), or empty.
	Text string
	// Version names the MM7 version of the response, for diagnostics: the
	// schema name, e.g. "REL-6-MM7-1-4", or empty if unknown. Error, Is and
	// Temporary ignore it.
	Version string
	// Details is the text of the Details element, if any (e.g. the parse
	// error behind 4004 Validation error).
	Details string
}

// Error returns "mm7: status 4002 (Unsupported version)", followed by
// the peer's StatusText when it says more than the canonical text and by
// the Details, each sanitised and cut to about 200 bytes. A code TS 23.140
// does not define is described by its class: "mm7: status 2571 (client
// error): ...".
func (e *StatusError) Error() string {
	if e == nil {
		return "mm7: <nil StatusError>"
	}
	return "mm7: " + e.describe()
}

// describe is Error without the "mm7: " prefix.
func (e *StatusError) describe() string {
	var b strings.Builder
	b.WriteString("status ")
	b.WriteString(strconv.Itoa(int(e.Code)))
	canonical, known := statusText[e.Code]
	b.WriteString(" (")
	if known {
		b.WriteString(canonical)
	} else {
		b.WriteString(e.Code.Class().String())
	}
	b.WriteString(")")
	if t := cleanText(e.Text, errTextMax); t != "" && !strings.EqualFold(t, canonical) {
		b.WriteString(": ")
		b.WriteString(t)
	}
	if d := cleanText(e.Details, errTextMax); d != "" {
		b.WriteString("; details: ")
		b.WriteString(d)
	}
	return b.String()
}

// Temporary reports whether resending the request later may succeed,
// under plain TS 23.140 semantics: see [StatusCode.Temporary].
func (e *StatusError) Temporary() bool {
	return e != nil && e.Code.Temporary()
}

// Is reports whether target is a *StatusError with the same Code; Text,
// Version and Details are ignored. So
//
//	errors.Is(err, &mm7.StatusError{Code: mm7.StatusUnsupportedVersion})
//
// is true for any error chain holding a *StatusError with code 4002. To
// match any StatusError, use errors.As.
func (e *StatusError) Is(target error) bool {
	t, ok := target.(*StatusError)
	return ok && t != nil && e != nil && t.Code == e.Code
}

// A FaultError is a SOAP 1.1 Fault received in place of an MM7 response.
// Status holds the StatusCode of the RSErrorRsp or VASPErrorRsp in the
// Fault's detail, or is nil when the Fault carried none; Unwrap returns
// it, so errors.As finds the *StatusError inside a FaultError and callers
// can handle a Fault and a non-success normal response alike.
type FaultError struct {
	// Code is the faultcode as received, e.g. "env:Client", "Server" or
	// "soap:Server.Busy". Do not rely on it: Mbuni sends Server for every
	// error. Read Status instead.
	Code string
	// String is the faultstring, e.g. "Client error".
	String string
	// Actor is the faultactor, usually empty.
	Actor string
	// HTTPStatus is the HTTP status of the response that carried the
	// Fault (500 under SOAP 1.1), or 0 if unknown.
	HTTPStatus int
	// Status is the MM7 status in the Fault's detail, or nil.
	Status *StatusError
}

// Error returns e.g. "mm7: soap fault env:Client: Client error: status
// 2002 (Address Error)". The faultstring is left out when it repeats the
// status text; peer text is sanitised and cut to about 200 bytes.
func (e *FaultError) Error() string {
	if e == nil {
		return "mm7: <nil FaultError>"
	}
	var b strings.Builder
	b.WriteString("mm7: soap fault")
	if c := cleanText(e.Code, errShortMax); c != "" {
		b.WriteString(" ")
		b.WriteString(c)
	}
	if s := cleanText(e.String, errTextMax); s != "" && !e.repeatsStatus(s) {
		b.WriteString(": ")
		b.WriteString(s)
	}
	if e.Status != nil {
		b.WriteString(": ")
		b.WriteString(e.Status.describe())
	}
	return b.String()
}

// repeatsStatus reports whether the faultstring s says no more than the
// status text of e.Status.
func (e *FaultError) repeatsStatus(s string) bool {
	if e.Status == nil {
		return false
	}
	return strings.EqualFold(s, statusText[e.Status.Code]) ||
		strings.EqualFold(s, cleanText(e.Status.Text, errTextMax))
}

// Unwrap returns Status, or nil when the Fault carried no MM7 status.
func (e *FaultError) Unwrap() error {
	if e == nil || e.Status == nil {
		return nil // an untyped nil: a nil *StatusError in an error is not nil
	}
	return e.Status
}

// Temporary reports whether resending the request later may succeed.
// With a Status it is [StatusCode.Temporary] of the Status' code;
// without one it follows the faultcode: true for a SOAP 1.1 Server fault
// ("the message may succeed at a later point in time"; also SOAP 1.2
// Receiver), false for Client and anything else.
func (e *FaultError) Temporary() bool {
	if e == nil {
		return false
	}
	if e.Status != nil {
		return e.Status.Temporary()
	}
	switch faultLocal(e.Code) {
	case "Server", "Receiver":
		return true
	}
	return false
}

// faultLocal returns the local part of a faultcode QName without
// subcodes: "Server" for "env:Server.Busy".
func faultLocal(code string) string {
	code = strings.TrimSpace(code)
	if i := strings.LastIndexByte(code, ':'); i >= 0 {
		code = code[i+1:]
	}
	if i := strings.IndexByte(code, '.'); i >= 0 {
		code = code[:i]
	}
	return code
}

// An HTTPError is an HTTP response that carried no MM7 message or SOAP
// Fault: a non-2xx status with an HTML or empty body, a proxy error, a
// Vibes 413 for a request over 1 MB, and the like.
type HTTPError struct {
	// StatusCode is the HTTP status code, e.g. 413.
	StatusCode int
	// Status is the status line as in http.Response.Status, e.g.
	// "413 Request Entity Too Large", or empty.
	Status string
	// ContentType is the Content-Type header of the response, or empty.
	ContentType string
	// Body holds the first bytes of the response body, at most 512; Error
	// ignores any bytes beyond.
	Body []byte
}

// NewHTTPError returns an HTTPError describing resp, with the first 512
// bytes of its body at most. It reads no more than that from resp.Body,
// ignores read errors, and neither drains nor closes resp.Body: the
// caller still does.
func NewHTTPError(resp *http.Response) *HTTPError {
	e := &HTTPError{
		StatusCode:  resp.StatusCode,
		Status:      resp.Status,
		ContentType: resp.Header.Get("Content-Type"),
	}
	if resp.Body != nil {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxHTTPErrorBody))
		if len(b) > 0 {
			e.Body = b
		}
	}
	return e
}

// Error returns e.g. "mm7: unexpected http response 413 Request Entity
// Too Large (text/plain): body too large". An HTML page is summarised by
// its <title>, or else by its first words without markup (about 120
// bytes); other bodies are quoted. The excerpt keeps printable ASCII
// only: a run of white space becomes one space, a run holding other bytes
// (controls, non-ASCII, binary) one ".", and it is cut to about 200 bytes
// ("..." marks a cut).
func (e *HTTPError) Error() string {
	if e == nil {
		return "mm7: <nil HTTPError>"
	}
	var b strings.Builder
	b.WriteString("mm7: unexpected http response ")
	status := asciiExcerpt([]byte(e.Status), errShortMax)
	switch {
	case status != "":
		b.WriteString(status)
	case http.StatusText(e.StatusCode) != "":
		b.WriteString(strconv.Itoa(e.StatusCode) + " " + http.StatusText(e.StatusCode))
	default:
		b.WriteString(strconv.Itoa(e.StatusCode))
	}
	if ct := asciiExcerpt([]byte(e.ContentType), errShortMax); ct != "" {
		b.WriteString(" (")
		b.WriteString(ct)
		b.WriteString(")")
	}
	body := e.Body
	cut := false
	if len(body) > maxHTTPErrorBody {
		body, cut = body[:maxHTTPErrorBody], true
	}
	x := ""
	if isHTML(e.ContentType, body) {
		// An HTML error page (a proxy's 502, a login page): its title or
		// first words, not its markup.
		x, cut = htmlSummary(body, htmlSummaryMax), false
	} else {
		x = asciiExcerpt(body, errExcerptMax)
	}
	if x != "" {
		b.WriteString(": ")
		b.WriteString(x)
		if cut && !strings.HasSuffix(x, "...") {
			b.WriteString("...")
		}
	}
	return b.String()
}

// Temporary reports whether the same request may succeed later: true for
// 408 Request Timeout, 429 Too Many Requests, 500 Internal Server Error
// (with no Fault: the peer failed before it could answer), 502 Bad Gateway,
// 503 Service Unavailable and 504 Gateway Timeout, false otherwise (e.g.
// 401, 404, 413).
func (e *HTTPError) Temporary() bool {
	if e == nil {
		return false
	}
	switch e.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// ErrTransactionIDMismatch matches, with errors.Is, every
// [*TransactionMismatchError]. Use it to test for the condition; use
// errors.As with *TransactionMismatchError to read both IDs.
var ErrTransactionIDMismatch = errors.New("mm7: TransactionID mismatch")

// A TransactionMismatchError reports a response whose TransactionID
// differs from the request's. IDs are compared after trimming white space
// (TS 23.140 examples pad them), so Sent and Received hold the trimmed
// values. errors.Is(err, ErrTransactionIDMismatch) is true for it.
type TransactionMismatchError struct {
	Sent     string // TransactionID of the request
	Received string // TransactionID of the response; empty if it had none
}

// Error returns e.g. `mm7: TransactionID mismatch: sent "a1", received
// "b2"`, each ID cut to 64 bytes.
func (e *TransactionMismatchError) Error() string {
	if e == nil {
		return "mm7: <nil TransactionMismatchError>"
	}
	return fmt.Sprintf("mm7: TransactionID mismatch: sent %q, received %q",
		clipText(e.Sent, errShortMax), clipText(e.Received, errShortMax))
}

// Is reports whether target is [ErrTransactionIDMismatch].
func (e *TransactionMismatchError) Is(target error) bool {
	return target == ErrTransactionIDMismatch
}

// clipText returns s cut to at most limit bytes at a rune boundary, with
// "..." appended when it was cut.
func clipText(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	i := limit
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}

// cleanText prepares peer text for an error message: invalid UTF-8 and
// non-printable runes count as white space, runs of white space become
// one space, the ends are trimmed, and the result is cut to limit bytes
// ("..." marks a cut). Printable non-ASCII text (e.g. a Chinese
// StatusText) is kept.
func cleanText(s string, limit int) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
		if b.Len() > limit {
			break // clipText cuts and marks the rest
		}
	}
	return clipText(b.String(), limit)
}

// asciiExcerpt returns the printable ASCII of p for an error message.
// Each run of other bytes is replaced: a run of white space only by one
// space, a run holding anything else (controls, non-ASCII, binary) by one
// "." kept apart from its neighbours by a space where the run began or
// ended with white space. Leading and trailing white space is dropped,
// and the result is cut to limit bytes ("..." marks a cut).
func asciiExcerpt(p []byte, limit int) string {
	b := make([]byte, 0, min(len(p), limit)+1)
	var (
		inRun, garbage  bool // inside a run of non-printable bytes; the run holds more than white space
		startSp, lastSp bool // the run began, and so far ends, with white space
	)
	for _, c := range p {
		sp := c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
		if sp || c < 0x21 || c > 0x7e {
			if !inRun {
				inRun, garbage, startSp = true, false, sp
			}
			garbage = garbage || !sp
			lastSp = sp
			continue
		}
		if inRun && len(b) > 0 {
			switch {
			case !garbage:
				b = append(b, ' ')
			case startSp && lastSp:
				b = append(b, " . "...)
			case startSp:
				b = append(b, " ."...)
			case lastSp:
				b = append(b, ". "...)
			default:
				b = append(b, '.')
			}
		} else if inRun && garbage {
			b = append(b, '.') // leading garbage; leading white space is dropped
			if lastSp {
				b = append(b, ' ')
			}
		}
		inRun = false
		b = append(b, c)
		if len(b) > limit {
			return string(b[:limit]) + "..."
		}
	}
	if inRun && garbage {
		if startSp && len(b) > 0 {
			b = append(b, ' ')
		}
		b = append(b, '.') // show that the text ended in garbage
	}
	if len(b) > limit {
		return string(b[:limit]) + "..."
	}
	return string(b)
}
