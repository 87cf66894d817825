package mm7test

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/openmms/mm7go/mm7"
)

// DefaultPath is the path [NewServer] serves the MMSC at: Vibes' MM7
// submit path.
const DefaultPath = "/mms/mm7/submit"

// DefaultMaxAttachmentBytes is the number of attachment bytes an [MMSC]
// keeps per request when [Options.MaxAttachmentBytes] is 0.
const DefaultMaxAttachmentBytes = 4 << 20

// DefaultMessageIDPrefix starts the MessageIDs an [MMSC] assigns when
// [Options.MessageIDPrefix] is empty: "mm7test-1", "mm7test-2", ...
const DefaultMessageIDPrefix = "mm7test-"

// Options configure an [MMSC]. The zero value accepts REL-5 and REL-6
// requests without authentication, answers every SubmitReq with 1000
// Success and a new MessageID, Cancel and Replace according to the state
// of the message, at once, and sends no delivery report (there is no VASP
// URL; an X-Vibes-DlrCallbackUrl header still gets its reports).
type Options struct {
	// Path is where [NewServer] serves the MMSC; "" means [DefaultPath].
	// An MMSC used as a plain http.Handler answers on any path.
	Path string

	// Username and Password, when either is set, are the HTTP Basic Auth
	// credentials every request must carry; others get HTTP 401 (and are
	// not recorded).
	Username string
	Password mm7.Secret

	// Versions lists the MM7 releases accepted, compared by release (a
	// REL-6-MM7-1-3 request is accepted with [mm7.Rel6]). A request in
	// another one is answered, like a real MMSC does, with a SOAP Fault
	// holding 4002 Unsupported version, before Script is consulted; a
	// [mm7.Client] then falls back to a version in common. nil accepts
	// both. The first one is also the version of [MMSC.Deliver] and of
	// reports about unknown messages.
	Versions []mm7.Version

	// Script, when set, chooses the reply to each request (SubmitReq,
	// CancelReq, ReplaceReq, extendedCancelReq, extendedReplaceReq)
	// after it was recorded and its version accepted. Returning the zero
	// [Reply] lets the MMSC answer as it would without a Script. Its
	// *Recorded has everything but the Reply and, for a SubmitReq, the
	// MessageID, which are not decided yet; Seq tells the request's rank.
	// Script may be called concurrently and must not modify the
	// *Recorded.
	Script func(*Recorded) Reply

	// Latency delays every reply, after the request was read; a
	// [Reply.Latency] adds to it. Close ends the wait early.
	Latency time.Duration

	// FailRate is the fraction of requests, between 0 and 1, answered
	// with a Server Fault holding 3000 Server Error (which a
	// [mm7.Client] with a [mm7.RetryPolicy] retries). Whether a request
	// fails is drawn from a pseudo-random sequence seeded with Seed, one
	// draw per request in arrival order, so a test that sends requests
	// one at a time gets the same failures on every run. A Script reply
	// other than the zero Reply takes precedence.
	FailRate float64
	// Seed seeds the FailRate draws.
	Seed uint64

	// MessageIDPrefix starts the MessageIDs assigned to submitted
	// messages, which are numbered from 1; "" means
	// [DefaultMessageIDPrefix].
	MessageIDPrefix string

	// MaxAttachmentBytes bounds the attachment bytes recorded per
	// request: the rest is read and counted, not kept (see
	// [Attachment.Truncated]). 0 means [DefaultMaxAttachmentBytes]; a
	// negative value keeps everything.
	MaxAttachmentBytes int64
	// MaxBodyBytes is the [mm7.Handler]'s limit on request bodies: 0
	// means [mm7.DefaultMaxBodyBytes], negative no limit. Set it to
	// [mm7.VibesMaxBodyBytes] to act like Vibes (HTTP 413 above 1 MB).
	MaxBodyBytes int64
	// DecodeOptions configure the decoding of requests (Strict, limits).
	DecodeOptions mm7.DecodeOptions
	// Lenient accepts requests whose content breaks their schema. By
	// default the MMSC checks each request with [mm7.Message.Validate]
	// and answers one that is not valid (no recipient, a value outside
	// an enumeration, two addresses where the schema allows one, ...)
	// with a Client Fault holding 4004 Validation error naming the first
	// problem, before Script is consulted, as a strict MMSC does. The
	// request is recorded either way.
	Lenient bool

	// VASPURL is the VASP endpoint that delivery reports of messages
	// submitted with DeliveryReport=true (and no X-Vibes-DlrCallbackUrl)
	// go to, and [MMSC.Deliver], [MMSC.SendDeliveryReport] and
	// [MMSC.SendReadReply] by default. "" sends such reports nowhere.
	VASPURL string
	// VASPUsername and VASPPassword, when either is set, are sent as HTTP
	// Basic Auth with every request to the VASP (reports and MOs, to
	// VASPURL or to a callback URL).
	VASPUsername string
	VASPPassword mm7.Secret

	// DeliveryReportDelay is the time between the reply to a SubmitReq
	// and its delivery reports; 0 sends them right after the reply.
	DeliveryReportDelay time.Duration
	// DeliveryReportStatus is the MMStatus of the delivery reports of
	// messages submitted with DeliveryReport=true, e.g. "Rejected"; ""
	// means "Retrieved".
	DeliveryReportStatus string
	// HandoffStatus is the MMStatus reported to an X-Vibes-DlrCallbackUrl
	// for a message submitted with DeliveryReport=false: the status of the
	// hand-off to the carrier, in Vibes' terms. "" means "Forwarded".
	HandoffStatus string

	// RelayServerID, when set, is the MMSRelayServerID of the requests the
	// MMSC sends (DeliverReq, DeliveryReportReq, ReadReplyReq).
	RelayServerID string

	// HTTPClient sends the requests to the VASP. nil means a client of the
	// MMSC's own, with a 30 s timeout, whose idle connections Close
	// closes. A test running under testing/synctest passes one that dials
	// in memory.
	HTTPClient *http.Client

	// Logger receives a record per request answered and per request
	// sent, with the keys kind, transaction_id, message_id, status_code;
	// the [mm7.Handler] and [mm7.Client] at work log to it too. nil
	// discards.
	Logger *slog.Logger
}

// Option-setting helpers, for [NewServer].

// WithBasicAuth sets [Options.Username] and [Options.Password]: the
// credentials the MMSC requires.
func WithBasicAuth(username string, password mm7.Secret) func(*Options) {
	return func(o *Options) { o.Username, o.Password = username, password }
}

// WithVASP sets [Options.VASPURL], [Options.VASPUsername] and
// [Options.VASPPassword]: where reports and MOs go, and the credentials
// they carry.
func WithVASP(url, username string, password mm7.Secret) func(*Options) {
	return func(o *Options) { o.VASPURL, o.VASPUsername, o.VASPPassword = url, username, password }
}

// WithScript sets [Options.Script].
func WithScript(script func(*Recorded) Reply) func(*Options) {
	return func(o *Options) { o.Script = script }
}
