package mm7

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultMaxBodyBytes is the request body limit of a [Handler] whose
// MaxBodyBytes is 0: 16 MiB, MIME framing and base64 included.
const DefaultMaxBodyBytes = 16 << 20

// A Handler is an http.Handler that receives MM7 requests and answers
// them. On a VASP it receives what an MMSC sends (MO messages, delivery
// reports, read replies); in an MMSC simulator, what a VASP sends
// (submit, cancel, replace). Set a callback per kind of request; the zero
// Handler answers every request with 4003 Unsupported operation.
//
//	h := &mm7.Handler{OnDeliver: store, OnDeliveryReport: receipt, MaxBodyBytes: 20 << 20}
//	http.Handle("/mm7", h)
//
// A Handler is safe for concurrent use. Do not change its fields once it
// serves.
//
// # Replies
//
// The Handler replies in the request's version and namespace, with its
// TransactionID, after the callback has returned, never before: a
// successful reply (1000 Success) tells the MMSC that the message is
// taken care of, so return nil only once it is stored. What the callback
// returns decides the reply:
//
//   - nil: the matching response (DeliverRsp for DeliverReq, ...) with
//     1000 Success, HTTP 200.
//   - a *[StatusError], found with errors.As: the response with its Code
//     and Text. A request that was understood but is refused (2002
//     Address Error, 4007 Service denied, 3001 Not Possible, ...) gets it
//     in the normal response with HTTP 200, so that the MMSC does not send
//     it again. A code that asks for a retry ([StatusCode.Temporary]: 3000
//     Server Error, 4006 Service unavailable) goes in a SOAP Fault with
//     HTTP 500, which even MMSCs that read only the HTTP status (Vibes)
//     retry.
//   - a *[RetryAfterError]: a SOAP Fault with 4006 Service unavailable,
//     HTTP 503 and a Retry-After header, so that the MMSC sends the
//     request again later (the storage behind the callback is down).
//   - a *[FaultError] with a Status: a SOAP Fault with that status, HTTP
//     500, whatever the code.
//   - any other error (a *StatusError with a code outside 1000-4999
//     included), or a panic: a Server Fault with 3000 Server Error and
//     HTTP 500, so that the MMSC retries and no MO or receipt is lost.
//     The error, or the panic with its stack, is logged at Error level;
//     neither is sent to the peer.
//
// OnSubmit and OnExtendedReplace also return the MessageID their response
// carries. The Handler always sends a full response, never the blank HTTP
// 200 that Vibes also accepts.
//
// A callback error that follows a failure of the attachment stream (a
// broken, truncated or oversized body; see [Request.NextAttachment]) is
// answered like a body that fails to decode, since sending it again
// cannot help.
//
// Requests the Handler cannot take get a Fault, with HTTP 500: a body
// that is not MIME or XML, or is empty, 2007 Message format corrupt; a
// well-formed message that does not decode (a bad value, a strict-mode
// deviation), 4004 Validation error; a namespace and MM7Version of no
// published MM7 schema, 4002 Unsupported version; an element that is no
// MM7 request, or a request without a callback, 4003 Unsupported
// operation; a VASPID outside AllowedVASPIDs, 4001 or 4007; a
// TransactionID that is missing, empty or only white space (the reply
// could not name the request), or longer than
// DecodeOptions.MaxTransactionIDBytes (1024 by default), 2007 Message
// format corrupt, before any callback runs. Faults carry
// a VASPErrorRsp when answering an MMSC, an RSErrorRsp when answering a
// VASP, with faultcode Client or Server as [StatusCode.FaultCode] says,
// and a faultstring naming the problem (never a credential). When the
// request's TransactionID could not be read, the Fault has no SOAP
// Header.
//
// # HTTP-level rejections
//
// These get a short text/plain answer and no MM7 reply, in this order:
// a source address outside AllowedNetworks, 403 Forbidden, before
// anything else; a method other than POST, 405 with "Allow: POST"; wrong
// or missing Basic Auth credentials, 401 with `WWW-Authenticate: Basic
// realm="mm7"`, before a byte of the body is read; a body over
// MaxBodyBytes, 413 Request Entity Too Large.
//
// # Client certificates
//
// MMSCs such as Vibes can authenticate with a TLS client certificate.
// Verification belongs to the TLS layer: serve the Handler from an
// http.Server whose tls.Config requires and verifies client certificates
// against the CA that issued them, and read the verified chain in the
// callback with [Request.PeerCertificates]:
//
//	srv := &http.Server{
//		Addr:    ":8443",
//		Handler: h,
//		TLSConfig: &tls.Config{
//			ClientAuth: tls.RequireAndVerifyClientCert,
//			ClientCAs:  mmscCAs, // *x509.CertPool with the MMSC's CA
//			MinVersion: tls.VersionTLS12,
//		},
//		ReadHeaderTimeout: 10 * time.Second,
//	}
//	err := srv.ListenAndServeTLS("vasp.crt", "vasp.key")
//
// # Timeouts
//
// The Handler sets none: set ReadHeaderTimeout (and ReadTimeout, sized
// for the largest body on the slowest link) on the http.Server. MMSCs
// time out too (Sinch after 10 s) and send the request again, so keep
// callbacks short: store, return, process later. The context passed to a
// callback is the request's and ends when the MMSC hangs up.
type Handler struct {
	// OnDeliver receives DeliverReq: a mobile-originated message, with
	// its content as attachments (VASP side).
	OnDeliver func(ctx context.Context, r *Request) error
	// OnDeliveryReport receives DeliveryReportReq: the delivery status of
	// a message sent earlier (VASP side).
	OnDeliveryReport func(ctx context.Context, r *Request) error
	// OnReadReply receives ReadReplyReq: whether a recipient read a
	// message sent earlier (VASP side).
	OnReadReply func(ctx context.Context, r *Request) error

	// OnSubmit receives SubmitReq (MMSC side) and returns the MessageID
	// of the accepted message for the SubmitRsp. Returning nil with an
	// empty MessageID is an error (3000).
	OnSubmit func(ctx context.Context, r *Request) (messageID string, err error)
	// OnCancel receives CancelReq (MMSC side).
	OnCancel func(ctx context.Context, r *Request) error
	// OnReplace receives ReplaceReq (MMSC side).
	OnReplace func(ctx context.Context, r *Request) error
	// OnExtendedCancel receives extendedCancelReq (MMSC side, REL-6 only).
	OnExtendedCancel func(ctx context.Context, r *Request) error
	// OnExtendedReplace receives extendedReplaceReq (MMSC side, REL-6
	// only) and returns the MessageID for the extendedReplaceRsp.
	// Returning nil with an empty MessageID is an error (3000).
	OnExtendedReplace func(ctx context.Context, r *Request) (messageID string, err error)

	// Username and Password, when either is set, are the HTTP Basic Auth
	// credentials every request must carry. They are compared in constant
	// time, before the body is read, and never logged.
	Username string
	Password Secret

	// Authenticate, when set, replaces Username and Password: every
	// request must carry HTTP Basic credentials for which it returns
	// true, and [Request.User] is the username. It runs before the body is
	// read; it should compare in constant time, as [Accounts.Authenticate]
	// does, and never log the password.
	Authenticate func(user string, password Secret) bool

	// AllowedNetworks, when not empty, lists the only source addresses
	// served (e.g. [VibesCallbackNetworks]); others get 403. The address
	// is http.Request.RemoteAddr: behind a reverse proxy, have trusted
	// middleware set it from the proxy's header first.
	AllowedNetworks []netip.Prefix

	// AllowedVASPIDs, when not empty, lists the VASPIDs accepted in
	// requests whose schema has one (SenderIdentification/VASPID of
	// SubmitReq, CancelReq, ReplaceReq, extendedCancelReq; VASPID of
	// extendedReplaceReq and of a REL-6 DeliverReq). A request of such a
	// kind without a VASPID gets 4001 Improper identification, one with
	// another VASPID 4007 Service denied, both in a Client Fault. Kinds
	// without a VASPID element (DeliveryReportReq, ReadReplyReq, a REL-5
	// DeliverReq) are not checked. It is meant for MMSC simulators; MMSCs
	// rarely send a VASPID to a VASP.
	AllowedVASPIDs []string

	// MaxBodyBytes bounds the request body, MIME framing and base64
	// included. 0 means [DefaultMaxBodyBytes] (16 MiB); a negative value
	// means no limit. A larger body gets 413.
	MaxBodyBytes int64

	// MaxInFlight, when positive, caps the authenticated requests served
	// at once (body read, callback, reply). A request over the cap is
	// answered at once with 503 Service Unavailable and "Retry-After: 1",
	// its body unread and its connection closed; MMSCs send it again
	// later, as they do for any 5xx. 0 means no cap. Size it to what the
	// callbacks' store can take in parallel (with `mm7 serve`:
	// --max-in-flight).
	MaxInFlight int

	// MinBytesPerSecond and BodyTimeoutFloor bound the time a request
	// body may take, so that a peer sending it very slowly (by accident or
	// to pin connections and goroutines) cannot hold the server: the body
	// must have arrived, at any moment, at MinBytesPerSecond on average
	// after the first BodyTimeoutFloor, counted from the start of the
	// request (a callback that stalls between two reads of its
	// attachments spends that time too). A body that falls behind is cut
	// off with 408 Request Timeout and its connection closed; the callback
	// sees its attachment stream fail. The deadline never extends the
	// http.Server's ReadTimeout. 0 means [DefaultMinBytesPerSecond] and
	// [DefaultBodyTimeoutFloor]; a negative MinBytesPerSecond turns the
	// check off. It needs a connection whose read deadline can be set
	// (http.ResponseController): plain HTTP/1 and HTTP/2 servers.
	MinBytesPerSecond int64
	BodyTimeoutFloor  time.Duration

	// DecodeOptions configure the decoder: Strict, MaxParts, MaxDepth,
	// MaxEnvelopeBytes, ... The zero value is lenient with the default
	// limits, which suits real MMSCs (see [DecodeOptions]).
	DecodeOptions DecodeOptions

	// Logger receives one record per request at Info level, with the
	// keys kind, transaction_id, version, status_code, http_status,
	// remote, deviations (a count), bytes and duration; callback errors
	// and panics at Error level; decoding problems and deviations at
	// Debug level. Records hold no credentials, and no message content
	// below Debug; a TransactionID over 64 bytes is logged as a prefix,
	// its length and a hash. nil discards.
	Logger *slog.Logger

	inFlight atomic.Int64 // requests past authentication (MaxInFlight)
}

// Defaults of the body deadline (see [Handler.MinBytesPerSecond]): a
// 16 MiB body may take 30 s plus 4.5 hours at 1 KiB/s; a peer sending a
// byte a second is cut off after about 30 s.
const (
	DefaultMinBytesPerSecond = 1 << 10
	DefaultBodyTimeoutFloor  = 30 * time.Second
)

// A callbackResult is what a callback did.
type callbackResult struct {
	messageID string // for SubmitRsp and extendedReplaceRsp
	err       error
	panicked  bool
	handled   bool // the Handler has a callback for the kind
}

// callback runs the callback for the request's kind.
func (h *Handler) callback(ctx context.Context, r *Request) callbackResult {
	var fn func(context.Context, *Request) error
	switch r.Kind() {
	case "DeliverReq":
		fn = h.OnDeliver
	case "DeliveryReportReq":
		fn = h.OnDeliveryReport
	case "ReadReplyReq":
		fn = h.OnReadReply
	case "CancelReq":
		fn = h.OnCancel
	case "ReplaceReq":
		fn = h.OnReplace
	case "extendedCancelReq":
		fn = h.OnExtendedCancel
	case "SubmitReq", "extendedReplaceReq":
		withID := h.OnSubmit
		if r.Kind() == "extendedReplaceReq" {
			withID = h.OnExtendedReplace
		}
		if withID == nil {
			return callbackResult{}
		}
		id, err := withID(ctx, r)
		return callbackResult{messageID: id, err: err, handled: true}
	}
	if fn == nil {
		return callbackResult{}
	}
	return callbackResult{err: fn(ctx, r), handled: true}
}

// needsMessageID reports whether the response to kind carries a
// MessageID the callback must supply.
func needsMessageID(kind string) bool {
	return kind == "SubmitReq" || kind == "extendedReplaceReq"
}

// vaspSide reports whether the Handler answers as a VASP (VASPErrorRsp in
// Faults) to a request of kind. For a request it could not identify, it
// goes by the callbacks set: a VASP unless only MMSC-side ones are.
func (h *Handler) vaspSide(kind string) bool {
	if ResponseKind(kind) != "" {
		return fromRS(kind)
	}
	mmsc := h.OnSubmit != nil || h.OnCancel != nil || h.OnReplace != nil || h.OnExtendedCancel != nil || h.OnExtendedReplace != nil
	vasp := h.OnDeliver != nil || h.OnDeliveryReport != nil || h.OnReadReply != nil
	return !mmsc || vasp
}

func (h *Handler) maxBodyBytes() int64 {
	if h.MaxBodyBytes == 0 {
		return DefaultMaxBodyBytes
	}
	return h.MaxBodyBytes
}

// handlerDiscard is the Logger of a Handler without one.
var handlerDiscard = slog.New(slog.DiscardHandler)

func (h *Handler) logger() *slog.Logger {
	if h.Logger == nil {
		return handlerDiscard
	}
	return h.Logger
}

// ServeHTTP receives one MM7 request and writes the reply.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &inbound{h: h, w: w, r: r, log: h.logger(), start: time.Now(), body: &requestBody{}}
	defer func() {
		if x.dec != nil {
			x.dec.release() // the Request is over: its buffers serve the next one
		}
	}()
	defer x.logSummary()
	x.serve()
}

// An inbound is the state of one request: what the summary log line
// reports, gathered as the request is served.
type inbound struct {
	h     *Handler
	w     http.ResponseWriter
	r     *http.Request
	log   *slog.Logger
	start time.Time
	body  *requestBody
	dec   *Decoder

	kind, txID, version string
	code                StatusCode
	httpStatus          int
}

func (x *inbound) serve() {
	h, r := x.h, x.r
	if len(h.AllowedNetworks) > 0 {
		if a, ok := parseRemoteAddr(r.RemoteAddr); !ok || !allowedAddr(a, h.AllowedNetworks) {
			x.plain(http.StatusForbidden, "mm7: source address not allowed")
			return
		}
	}
	if r.Method != http.MethodPost {
		x.w.Header().Set("Allow", http.MethodPost)
		x.plain(http.StatusMethodNotAllowed, "mm7: MM7 requests are POSTed")
		return
	}
	user := ""
	if h.Authenticate != nil {
		u, p, ok := r.BasicAuth()
		if !ok || !h.Authenticate(u, Secret(p)) {
			x.w.Header().Set("WWW-Authenticate", `Basic realm="mm7"`)
			x.plain(http.StatusUnauthorized, "mm7: authentication required")
			return
		}
		user = u
	} else if h.Username != "" || h.Password != "" {
		if !CheckBasicAuth(r, h.Username, h.Password) {
			x.w.Header().Set("WWW-Authenticate", `Basic realm="mm7"`)
			x.plain(http.StatusUnauthorized, "mm7: authentication required")
			return
		}
		user = h.Username
	}
	if h.MaxInFlight > 0 {
		n := h.inFlight.Add(1)
		defer h.inFlight.Add(-1)
		if n > int64(h.MaxInFlight) {
			x.w.Header().Set("Retry-After", "1")
			x.plain(http.StatusServiceUnavailable, "mm7: too many requests in flight, try again later")
			return
		}
	}
	limit := h.maxBodyBytes()
	if limit > 0 && r.ContentLength > limit {
		x.tooLarge(limit)
		return
	}
	x.body.pace(x.w, r, x.start, h.MinBytesPerSecond, h.BodyTimeoutFloor)
	x.body.r = r.Body
	if limit > 0 {
		x.body.r = http.MaxBytesReader(x.w, r.Body, limit)
	}
	x.dec, _ = NewDecoder(x.body, r.Header.Get("Content-Type"), h.DecodeOptions) // NewDecoder does not fail
	msg, err := x.dec.Message()
	if err != nil {
		x.rejectUndecodable(err)
		return
	}
	x.kind, x.txID, x.version = msg.Kind(), msg.TransactionID, msg.Version.Schema
	if strings.TrimSpace(msg.TransactionID) == "" {
		// The reply could not name the request: refuse it the same way
		// every time, before the callback stores anything.
		x.fault("", msg.Version, x.kind, StatusMessageFormatCorrupt, "", "empty or missing TransactionID")
		return
	}
	if ResponseKind(x.kind) == "" {
		x.fault(msg.TransactionID, msg.Version, x.kind, StatusUnsupportedOperation, "", x.kind+" is not an MM7 request")
		return
	}
	if code, problem := h.checkVASPID(msg.Body); code != 0 {
		x.fault(msg.TransactionID, msg.Version, x.kind, code, "", problem)
		return
	}
	header := r.Header.Clone()
	header.Del("Authorization")
	req := &Request{Message: msg, Header: header, RemoteAddr: r.RemoteAddr, User: user, TLS: r.TLS, dec: x.dec}
	o := x.run(req)
	if !o.handled {
		x.fault(msg.TransactionID, msg.Version, x.kind, StatusUnsupportedOperation, "", "no handler for "+x.kind)
		return
	}
	x.answer(req, o)
}

// run calls the callback and turns a panic into a 3000 reply (http's own
// ErrAbortHandler goes on up, as net/http expects).
func (x *inbound) run(req *Request) (o callbackResult) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if p == http.ErrAbortHandler { //nolint:errorlint // the sentinel is panicked as is
			panic(p)
		}
		o = callbackResult{panicked: true, handled: true}
		x.log.LogAttrs(x.r.Context(), slog.LevelError, "mm7: callback panicked",
			logID("kind", x.kind), logID("transaction_id", x.txID),
			slog.String("panic", fmt.Sprint(p)), slog.String("stack", string(debug.Stack())))
	}()
	return x.h.callback(x.r.Context(), req)
}

// answer replies to a request whose callback ran.
func (x *inbound) answer(req *Request, o callbackResult) {
	msg := req.Message
	serverError := func() {
		x.fault(msg.TransactionID, msg.Version, x.kind, StatusServerError, "", "")
	}
	err := o.err
	switch {
	case o.panicked:
		serverError()
		return
	case err == nil:
		if needsMessageID(x.kind) && o.messageID == "" {
			x.log.LogAttrs(x.r.Context(), slog.LevelError, "mm7: callback returned no MessageID",
				logID("kind", x.kind), logID("transaction_id", x.txID))
			serverError()
			return
		}
		x.response(msg, StatusSuccess, "", o.messageID)
		return
	}
	if ra, ok := errors.AsType[*RetryAfterError](err); ok {
		x.log.LogAttrs(x.r.Context(), slog.LevelWarn, "mm7: callback unavailable, peer asked to retry",
			slog.String("kind", x.kind), slog.String("transaction_id", x.txID), slog.String("error", err.Error()))
		x.unavailable(msg, ra)
		return
	}
	if fe, ok := errors.AsType[*FaultError](err); ok && fe.Status != nil && fe.Status.Code.Class() != ClassUnknown {
		x.fault(msg.TransactionID, msg.Version, x.kind, fe.Status.Code, fe.Status.Text, "")
		return
	}
	if se, ok := errors.AsType[*StatusError](err); ok && se.Code.Class() != ClassUnknown {
		if se.Code.Temporary() {
			x.fault(msg.TransactionID, msg.Version, x.kind, se.Code, se.Text, "")
			return
		}
		x.response(msg, se.Code, se.Text, o.messageID)
		return
	}
	if x.body.exceeded {
		x.tooLarge(x.h.maxBodyBytes())
		return
	}
	if x.body.timedOut {
		x.tooSlow()
		return
	}
	if req.streamErr != nil {
		code, problem := x.classify(req.streamErr)
		x.debugProblem(req.streamErr)
		x.fault(msg.TransactionID, msg.Version, x.kind, code, "", problem)
		return
	}
	x.log.LogAttrs(x.r.Context(), slog.LevelError, "mm7: callback failed",
		logID("kind", x.kind), logID("transaction_id", x.txID), slog.String("error", err.Error()))
	serverError()
}

// rejectUndecodable answers a request whose envelope did not decode, in
// kind as far as the decoder got (its *DecodeError says how far).
func (x *inbound) rejectUndecodable(err error) {
	if x.body.exceeded {
		x.tooLarge(x.h.maxBodyBytes())
		return
	}
	if x.body.timedOut {
		x.tooSlow()
		return
	}
	code, problem := x.classify(err)
	var v Version
	if de, ok := errors.AsType[*DecodeError](err); ok {
		x.kind, x.txID, v = de.Kind, de.TransactionID, de.Version
	}
	x.version = v.Schema
	x.debugProblem(err)
	x.fault(x.txID, v, x.kind, code, "", problem)
}

// classify chooses the status for a decoding error: the decoder's own
// classification (*DecodeError, or a strict-mode *DeviationError), else
// 2007 Message format corrupt (a broken attachment stream).
func (x *inbound) classify(err error) (StatusCode, string) {
	problem := strings.TrimPrefix(err.Error(), "mm7: ")
	if errors.Is(err, ErrEmptyBody) {
		return StatusMessageFormatCorrupt, "empty body"
	}
	if de, ok := errors.AsType[*DeviationError](err); ok {
		return de.Deviation.Status(), problem
	}
	if de, ok := errors.AsType[*DecodeError](err); ok {
		return de.Status, problem
	}
	return StatusMessageFormatCorrupt, problem
}

// checkVASPID applies AllowedVASPIDs to a request body.
func (h *Handler) checkVASPID(body Body) (StatusCode, string) {
	if len(h.AllowedVASPIDs) == 0 {
		return 0, ""
	}
	id, has := vaspIDOf(body)
	switch {
	case !has:
		return 0, ""
	case id == "":
		return StatusImproperIdentification, "no VASPID in the request"
	case !slices.Contains(h.AllowedVASPIDs, id):
		return StatusServiceDenied, fmt.Sprintf("VASPID %q not allowed", clipText(id, errShortMax))
	}
	return 0, ""
}

// vaspIDOf returns the VASPID of a request (from SenderIdentification or
// the body itself) and whether its schema has one at all.
func vaspIDOf(body Body) (id string, has bool) {
	b, ok := body.(vaspIDBody)
	if !ok || isNilBody(body) {
		return "", false
	}
	return strings.TrimSpace(b.GetVASPID()), true
}

// response sends the normal response to msg with HTTP 200.
func (x *inbound) response(msg *Message, code StatusCode, text, messageID string) {
	buf := getReplyBuffer()
	defer putReplyBuffer(buf)
	if err := appendResponse(buf, msg.Version, msg.Kind(), msg.TransactionID, code, text, messageID); err != nil {
		x.internalError(err)
		return
	}
	x.send(http.StatusOK, code, buf.Bytes())
}

// fault sends a SOAP Fault with HTTP 500 answering a request of kind in
// version v (kind may be empty or unknown, txID empty).
func (x *inbound) fault(txID string, v Version, kind string, code StatusCode, text, problem string) {
	buf := getReplyBuffer()
	defer putReplyBuffer(buf)
	if err := appendFault(buf, txID, v, x.h.vaspSide(kind), code, text, cleanText(problem, errTextMax)); err != nil {
		x.internalError(err)
		return
	}
	x.send(http.StatusInternalServerError, code, buf.Bytes())
}

// send writes an encoded MM7 reply.
func (x *inbound) send(httpStatus int, code StatusCode, b []byte) {
	hd := x.w.Header()
	hd.Set("Content-Type", `text/xml; charset="utf-8"`)
	hd.Set("Content-Length", strconv.Itoa(len(b)))
	x.w.WriteHeader(httpStatus)
	x.w.Write(b) //nolint:errcheck // the peer hung up: nothing to do
	x.code, x.httpStatus = code, httpStatus
}

// internalError answers when no MM7 reply could be built (a bug).
func (x *inbound) internalError(err error) {
	x.log.LogAttrs(x.r.Context(), slog.LevelError, "mm7: cannot encode the reply",
		logID("kind", x.kind), logID("transaction_id", x.txID), slog.String("error", err.Error()))
	x.plain(http.StatusInternalServerError, "mm7: internal error")
}

func (x *inbound) tooLarge(limit int64) {
	x.plain(http.StatusRequestEntityTooLarge, fmt.Sprintf("mm7: request body larger than the limit of %d bytes", limit))
}

func (x *inbound) tooSlow() {
	x.plain(http.StatusRequestTimeout, "mm7: request body arrived too slowly")
}

// plain writes an HTTP-level rejection and closes the connection at
// once: the rest of the body is not read. net/http would otherwise read
// up to 256 KB of an unread body, before the reply (which a peer that
// drips its body would never get) or after it, holding the connection
// and this goroutine until the server's ReadTimeout.
func (x *inbound) plain(status int, text string) {
	hd := x.w.Header()
	hd.Set("Content-Type", "text/plain; charset=utf-8")
	hd.Set("X-Content-Type-Options", "nosniff")
	if x.r.ProtoMajor == 1 {
		// HTTP/2 resets the stream of an unread body by itself; a
		// Connection header would end every other stream of the
		// connection too.
		hd.Set("Connection", "close")
	}
	x.w.WriteHeader(status)
	io.WriteString(x.w, text+"\n") //nolint:errcheck // the peer hung up: nothing to do
	x.httpStatus = status
	rc := http.NewResponseController(x.w)
	if rc.Flush() == nil {
		// The reply is out; no more reading: the drain fails at once.
		rc.SetReadDeadline(time.Now()) //nolint:errcheck // unsupported: net/http drains as usual
	}
}

// debugProblem logs a decoding error, which may quote the request.
func (x *inbound) debugProblem(err error) {
	x.log.LogAttrs(x.r.Context(), slog.LevelDebug, "mm7: request does not decode",
		logID("kind", x.kind), logID("transaction_id", x.txID), slog.String("error", err.Error()))
}

// logSummary writes the request's Info line, and its deviations at Debug.
func (x *inbound) logSummary() {
	ctx := x.r.Context()
	var devs []Deviation
	if x.dec != nil {
		devs = x.dec.Deviations()
	}
	x.log.LogAttrs(ctx, slog.LevelInfo, "mm7: request",
		logID("kind", x.kind),
		logID("transaction_id", x.txID),
		slog.String("version", x.version),
		slog.Int("status_code", int(x.code)),
		slog.Int("http_status", x.httpStatus),
		slog.String("remote", x.r.RemoteAddr),
		slog.Int("deviations", len(devs)),
		slog.Int64("bytes", x.body.n),
		slog.Duration("duration", time.Since(x.start)))
	if len(devs) > 0 && x.log.Enabled(ctx, slog.LevelDebug) {
		list := make([]string, len(devs))
		for i, d := range devs {
			list[i] = d.String()
		}
		x.log.LogAttrs(ctx, slog.LevelDebug, "mm7: deviations",
			logID("transaction_id", x.txID), slog.Any("deviations", list))
	}
}

// requestBody counts the bytes read from a request body and notes when
// it hit the Handler's limit or its deadline, however the decoder wraps
// the error.
type requestBody struct {
	r        io.Reader
	n        int64
	exceeded bool
	timedOut bool

	// The body deadline: start + floor + n/rate, at most limit.
	rc       *http.ResponseController
	start    time.Time
	floor    time.Duration
	rate     int64
	limit    time.Time // the server's ReadTimeout, or zero
	deadline time.Time // last set
}

// pace sets up the minimum-throughput deadline of the body.
func (c *requestBody) pace(w http.ResponseWriter, r *http.Request, start time.Time, rate int64, floor time.Duration) {
	if rate < 0 {
		return
	}
	if rate == 0 {
		rate = DefaultMinBytesPerSecond
	}
	if floor <= 0 {
		floor = DefaultBodyTimeoutFloor
	}
	c.rc, c.start, c.floor, c.rate = http.NewResponseController(w), start, floor, rate
	if srv, ok := r.Context().Value(http.ServerContextKey).(*http.Server); ok && srv.ReadTimeout > 0 {
		c.limit = start.Add(srv.ReadTimeout)
	}
	if c.setDeadline() != nil {
		c.rc = nil // not supported by this ResponseWriter: no deadline
	}
}

// setDeadline moves the read deadline to what the bytes read so far
// allow, when it moved by more than 100 ms.
func (c *requestBody) setDeadline() error {
	d := c.start.Add(c.floor + time.Duration(float64(c.n)/float64(c.rate)*float64(time.Second)))
	if !c.limit.IsZero() && d.After(c.limit) {
		d = c.limit
	}
	if !c.deadline.IsZero() && d.Sub(c.deadline) < 100*time.Millisecond {
		return nil
	}
	c.deadline = d
	return c.rc.SetReadDeadline(d)
}

func (c *requestBody) Read(p []byte) (int, error) {
	if c.rc != nil {
		c.setDeadline() //nolint:errcheck // supported: checked in pace
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	switch {
	case err == nil:
	case err == io.EOF:
		if c.rc != nil {
			// The body is in: back to the server's own deadline, so that
			// net/http's background read, which watches for the peer
			// hanging up while the callback runs, does not time out and
			// cancel the callback's context.
			c.rc.SetReadDeadline(c.limit) //nolint:errcheck
			c.rc = nil
		}
	default:
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			c.exceeded = true
		}
		if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() && c.rc != nil {
			c.timedOut = true
		}
	}
	return n, err
}

// encodeReply encodes a reply (what an Encoder without attachments
// writes, without its buffering): in m.Version, which may be any
// published MM7 namespace; a Fault answering a request whose
// TransactionID could not be read has no header.
func encodeReply(m *Message) ([]byte, error) {
	var buf bytes.Buffer
	if err := encodeEnvelope(&buf, m, true); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
