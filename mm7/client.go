package mm7

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openmms/mm7go/generated/convert"
)

// DefaultTimeout is the Timeout of the http.Client a [Client] creates
// when [Options.HTTPClient] is nil: the longest a whole exchange, body
// upload and response included, may take. The context passed to each
// call applies too, and the earlier deadline wins.
const DefaultTimeout = 60 * time.Second

// defaultMaxReplayBytes bounds the attachment bytes read into memory so
// that a request can be sent again.
const defaultMaxReplayBytes = 8 << 20

// bufferBody is about the largest request body encoded into memory in
// one pass rather than streamed through a pipe (which needs a second pass
// to learn the Content-Length).
const bufferBody = 1 << 20

// ErrNoResponse is returned, wrapped, when an MMSC answers a request with
// a 2xx status and an empty body instead of an MM7 response.
var ErrNoResponse = errors.New("mm7: the MMSC returned no MM7 response (empty body)")

// errNotReplayable reports attachments that cannot be read again.
var errNotReplayable = errors.New("mm7: the attachment bodies cannot be read again (not io.Seeker and over Options.MaxReplayBytes)")

// Options configure a [Client]. The zero value sends REL-6 (6.8.0), falls
// back once to REL-5 when the MMSC rejects the version, uses an
// http.Client with a [DefaultTimeout] timeout, no authentication, and
// never retries.
type Options struct {
	// HTTPClient sends the requests. nil means a new http.Client over
	// http.DefaultTransport with Timeout [DefaultTimeout]; a client given
	// here keeps its own Timeout (0: none, the context alone bounds each
	// call). The Client uses
	// a copy: with Username or Password set, the copy's Transport is a
	// [BasicAuth] over HTTPClient.Transport; with CheckRedirect nil, the
	// copy follows only redirects that keep the POST and the host (others
	// return the 3xx as an *[HTTPError]), so that neither the request nor
	// the credentials go elsewhere.
	HTTPClient *http.Client

	// Versions lists the MM7 versions to speak, preferred first. nil
	// means [Versions] (Rel6, then Rel5). Requests are converted to the
	// version in use, whatever package their type comes from.
	Versions []Version

	// Profile describes the MMSC's status codes, retry semantics and
	// limits. The zero Profile is [ProfileTS23140].
	Profile Profile

	// Retry says when to send a request again; the zero value never does.
	Retry RetryPolicy

	// MaxReplayBytes bounds the attachment bytes read into memory so that
	// a request can be sent again (after a retryable failure, or in
	// another version): bodies that are io.Seekers are rewound instead and
	// not counted. 0 means 8 MiB; a negative value never buffers. A
	// request whose bodies cannot be replayed is sent once.
	MaxReplayBytes int64

	// Username and Password, when either is set, are sent as HTTP Basic
	// Auth on every request.
	Username string
	Password Secret

	// VASPID and VASID are filled into the SenderIdentification of
	// requests that leave them empty, for MMSCs that identify VASPs by
	// them. They can be combined with Basic Auth.
	VASPID string
	VASID  string

	// UserAgent is the User-Agent header; "" means "mm7go".
	UserAgent string

	// Logger receives one record per call, at Info level on success and
	// Warn on error, with the keys transaction_id, kind (the request, e.g.
	// "SubmitReq"), version (the schema, e.g. "REL-6-MM7-1-4"),
	// status_code, message_id, http_status, attempts, duration and error;
	// retries and version negotiation at Info, each attempt at Debug. It
	// never receives credentials, headers or message content. nil
	// discards.
	Logger *slog.Logger

	// EncodeOptions tune the request encoder.
	EncodeOptions EncodeOptions
	// DecodeOptions tune the response decoder.
	DecodeOptions DecodeOptions
	// MaxResponseBytes bounds what is read of a response body; a longer
	// one fails with [ErrResponseTooLarge]. 0 means
	// [DefaultMaxResponseBytes] (1 MiB).
	MaxResponseBytes int64
}

// LogValue logs the options without the password.
func (o Options) LogValue() slog.Value {
	vs := make([]string, len(o.Versions))
	for i, v := range o.Versions {
		vs[i] = v.Schema
	}
	return slog.GroupValue(
		slog.String("profile", o.Profile.name()),
		slog.String("versions", strings.Join(vs, ",")),
		slog.String("username", o.Username),
		slog.Bool("password_set", o.Password != ""),
		slog.String("vaspid", o.VASPID),
		slog.String("vasid", o.VASID),
		slog.Int("max_attempts", o.Retry.MaxAttempts),
	)
}

// WithBasicAuth sets [Options.Username] and [Options.Password].
func WithBasicAuth(username string, password Secret) func(*Options) {
	return func(o *Options) {
		o.Username = username
		o.Password = password
	}
}

// WithVASPID sets [Options.VASPID] and [Options.VASID].
func WithVASPID(vaspID, vasID string) func(*Options) {
	return func(o *Options) {
		o.VASPID = vaspID
		o.VASID = vasID
	}
}

// A Client sends MM7 requests to one MMSC endpoint. It is safe for
// concurrent use; create one per endpoint and reuse it. It remembers the
// version the MMSC accepted (see [Client.Version]).
//
// The credentials live only in the Client's transport (a [BasicAuth]
// behind a pointer) and are [Secret]s, which print and log as
// "[redacted]": printing a Client with any fmt verb, or logging it with
// log/slog, shows no password. To identify a client in logs, log
// [Client.Endpoint] and [Client.Version].
type Client struct {
	endpoint *url.URL
	hc       *http.Client
	opts     Options
	versions []Version
	profile  Profile
	log      *slog.Logger
	current  atomic.Int32 // index in versions of the version in use
}

// NewClient returns a Client posting to endpoint, an absolute http or
// https URL (user information in it, "https://user:pass@host/path", is
// used as Basic Auth unless Options sets credentials), configured by the options functions applied in order to a
// zero [Options]:
//
//	c, err := mm7.NewClient(mm7.VibesEndpoint, mm7.WithVibes(user, pass, mm7.Rel5))
func NewClient(endpoint string, options ...func(*Options)) (*Client, error) {
	var o Options
	for _, f := range options {
		if f != nil {
			f(&o)
		}
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, errors.New("mm7: the endpoint is not a valid URL") // url.Error would quote it, credentials included
	}
	if u.User != nil {
		// Credentials in the URL become Basic Auth, so that the URL can be
		// shown in errors and logs.
		if o.Username == "" && o.Password == "" {
			pass, _ := u.User.Password()
			o.Username, o.Password = u.User.Username(), Secret(pass)
		}
		u.User = nil
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("mm7: endpoint %q is not an absolute http or https URL", clipText(u.String(), errTextMax))
	}
	c := &Client{endpoint: u, opts: o, profile: o.Profile, log: o.Logger}
	if c.profile.Name == "" && c.profile.Retryable == nil && c.profile.Texts == nil && c.profile.Limits == (Limits{}) {
		c.profile = ProfileTS23140
	}
	c.versions = slices.Clone(o.Versions)
	if len(c.versions) == 0 {
		c.versions = slices.Clone(Versions)
	}
	for _, v := range c.versions {
		if !v.valid() {
			return nil, fmt.Errorf("mm7: %v is not a version mm7 speaks (use mm7.Rel5 or mm7.Rel6)", v)
		}
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if strings.Contains(o.Username, ":") {
		return nil, errColonInUsername
	}
	hc := &http.Client{Timeout: DefaultTimeout}
	if o.HTTPClient != nil {
		cp := *o.HTTPClient
		hc = &cp
	}
	if o.Username != "" || o.Password != "" {
		hc.Transport = &BasicAuth{Username: o.Username, Password: o.Password, Base: hc.Transport}
	}
	if hc.CheckRedirect == nil {
		hc.CheckRedirect = sameHostPOSTRedirect
	}
	c.hc = hc
	c.opts.Username, c.opts.Password = "", "" // kept by the BasicAuth transport only
	return c, nil
}

// sameHostPOSTRedirect follows only redirects that keep the method (307, 308)
// and the host: a 301/302/303 would turn the POST into a GET without the
// message, and another host must not receive the credentials.
func sameHostPOSTRedirect(req *http.Request, via []*http.Request) error {
	// Same method and host, and never from https down to http: the
	// credentials and the message would travel in clear.
	if len(via) >= 10 || req.Method != via[0].Method || req.URL.Host != via[0].URL.Host ||
		(via[0].URL.Scheme == "https" && req.URL.Scheme != "https") {
		return http.ErrUseLastResponse
	}
	return nil
}

// Version returns the version the client sends in now: the preferred
// one until the MMSC rejected it and another was accepted.
func (c *Client) Version() Version { return c.versions[c.current.Load()] }

// Endpoint returns the URL the client posts to, without any user
// information (NewClient turns it into Basic Auth).
func (c *Client) Endpoint() string { return c.endpoint.String() }

// CallOptions are the per-request settings of one call, set with
// [CallOption]s such as [WithTransactionID] and [VibesCarrierCode].
type CallOptions struct {
	// TransactionID is sent in the SOAP header; "" means a random one.
	TransactionID string
	// Header holds extra HTTP request headers. Content-Type,
	// Content-Length and SOAPAction are the client's and override them.
	Header http.Header

	err error // the first invalid option
}

// A CallOption sets a [CallOptions] field for one call.
type CallOption func(*CallOptions)

// fail records an invalid option; the call returns it before sending.
func (o *CallOptions) fail(err error) {
	if o.err == nil {
		o.err = err
	}
}

// WithTransactionID sets the TransactionID of the request instead of a
// random one.
func WithTransactionID(id string) CallOption {
	return func(o *CallOptions) { o.TransactionID = id }
}

// WithHeader adds an HTTP header to the request.
func WithHeader(name, value string) CallOption {
	return func(o *CallOptions) { o.header().Add(name, value) }
}

// Submit sends a SubmitReq (*rel5.SubmitReq or *rel6.SubmitReq) with
// its attachments, which become the message content: several become one
// multipart content part. It returns the MessageID in the [Result].
//
// A non-success status is returned as a *[StatusError], a SOAP Fault as a
// *[FaultError], an HTTP error without MM7 body as an *[HTTPError], and a
// response for another transaction as a *[TransactionMismatchError].
// Attachment bodies are read, possibly more than once (see
// [RetryPolicy]), but not closed; Submit returns only when it no longer
// reads them. req is not modified.
func (c *Client) Submit(ctx context.Context, req any, atts []Attachment, opts ...CallOption) (*Result, error) {
	return c.call(ctx, []string{"SubmitReq"}, req, atts, opts)
}

// Cancel sends a CancelReq, or an extendedCancelReq (REL-6 only), for a
// message submitted earlier. Errors are as for [Client.Submit].
func (c *Client) Cancel(ctx context.Context, req any, opts ...CallOption) (*Result, error) {
	return c.call(ctx, []string{"CancelReq", "extendedCancelReq"}, req, nil, opts)
}

// Replace sends a ReplaceReq, or an extendedReplaceReq (REL-6 only), with
// the new content, for a message submitted earlier. Errors are as for
// [Client.Submit].
func (c *Client) Replace(ctx context.Context, req any, atts []Attachment, opts ...CallOption) (*Result, error) {
	return c.call(ctx, []string{"ReplaceReq", "extendedReplaceReq"}, req, atts, opts)
}

// Do sends any MM7 request, a pointer to a generated rel5 or rel6 request
// struct (a DeliveryReportReq to a VASP, ...), with its attachments, and
// expects the matching response ([ResponseKind]). Errors are as for
// [Client.Submit].
func (c *Client) Do(ctx context.Context, req any, atts []Attachment, opts ...CallOption) (*Result, error) {
	return c.call(ctx, nil, req, atts, opts)
}

// call runs one exchange: preparation and checks, then attempts with
// version negotiation and retries.
func (c *Client) call(ctx context.Context, kinds []string, req any, atts []Attachment, opts []CallOption) (*Result, error) {
	var co CallOptions
	for _, o := range opts {
		if o != nil {
			o(&co)
		}
	}
	if co.err != nil {
		return nil, co.err
	}
	kind, err := clientRequestKind(req, kinds)
	if err != nil {
		return nil, err
	}
	txID := strings.TrimSpace(co.TransactionID)
	if txID == "" {
		txID = randomTransactionID()
	}
	res := &Result{TransactionID: txID, Kind: ResponseKind(kind)}
	body := fillSenderIdentification(req, c.opts.VASPID, c.opts.VASID)
	if err := c.checkRecipients(kind, body); err != nil {
		return res, err
	}
	maxReplay := c.opts.MaxReplayBytes
	if maxReplay == 0 {
		maxReplay = defaultMaxReplayBytes
	}
	p, err := newClientPayload(atts, c.opts.Retry.enabled() || len(c.versions) > 1, maxReplay)
	if err != nil {
		return res, err
	}
	defer p.stop()

	start := time.Now()
	v := c.Version()
	var prep *preparedRequest
	retries := 0
	for {
		if prep == nil || prep.v != v {
			if prep, err = c.prepare(body, v, txID, p); err != nil {
				res.Version = v
				return res, err
			}
		}
		res.Version, res.Losses = v, prep.losses
		res.Attempts++
		out := c.attempt(ctx, prep, p, txID, kind, &co)
		res.record(&out)
		err := out.err
		if err == nil {
			c.remember(v)
			c.logResult(ctx, kind, res, start, nil)
			return res, nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil && out.msg == nil {
			if !errors.Is(err, ctxErr) {
				err = fmt.Errorf("mm7: %s: %w (%w)", kind, ctxErr, err)
			}
			c.logResult(ctx, kind, res, start, err)
			return res, err
		}
		if !res.Negotiated && versionRejected(err) {
			if nv, ok := c.otherVersion(v, out.msg); ok {
				if p.replayable || !p.consumed { // the attachments are encoded again
					c.log.LogAttrs(ctx, slog.LevelInfo, "mm7: version rejected, trying another",
						slog.String("transaction_id", txID), slog.String("version", v.Schema),
						slog.String("next_version", nv.Schema), slog.String("error", err.Error()))
					res.Negotiated = true
					v = nv
					continue
				}
				c.log.LogAttrs(ctx, slog.LevelWarn, "mm7: version rejected, not resent",
					slog.String("transaction_id", txID), slog.String("version", v.Schema), slog.String("reason", errNotReplayable.Error()))
			}
		}
		delay, retry := c.retryDelay(err, out, retries)
		if retry && prep.buf == nil && !p.replayable && p.consumed {
			c.log.LogAttrs(ctx, slog.LevelWarn, "mm7: not retried",
				slog.String("transaction_id", txID), slog.String("reason", errNotReplayable.Error()))
			retry = false
		}
		if !retry {
			c.logResult(ctx, kind, res, start, err)
			return res, err
		}
		retries++
		c.log.LogAttrs(ctx, slog.LevelInfo, "mm7: retrying",
			slog.String("transaction_id", txID), slog.Int("attempt", res.Attempts+1),
			slog.Duration("delay", delay), slog.String("error", err.Error()))
		if werr := sleepCtx(ctx, delay); werr != nil {
			err = fmt.Errorf("mm7: %s: gave up waiting to retry: %w (last error: %w)", kind, werr, err)
			c.logResult(ctx, kind, res, start, err)
			return res, err
		}
	}
}

// clientRequestKind checks that req is a generated MM7 request of one of kinds
// (any request when kinds is nil) and returns its element name.
func clientRequestKind(req any, kinds []string) (string, error) {
	want := "an MM7 request"
	if len(kinds) > 0 {
		want = "a " + strings.Join(kinds, " or ")
	}
	v := reflect.ValueOf(req)
	name := xmlNameOf(req)
	if req == nil || v.Kind() != reflect.Pointer || v.IsNil() || name.Local == "" {
		return "", fmt.Errorf("mm7: want %s (*rel5 or *rel6 struct), got %T", want, req)
	}
	if _, exact, ok := VersionForNamespace(name.Space); !ok || !exact {
		return "", fmt.Errorf("mm7: %T is not a message of package rel5 or rel6", req)
	}
	if ResponseKind(name.Local) == "" || (len(kinds) > 0 && !slices.Contains(kinds, name.Local)) {
		return "", fmt.Errorf("mm7: want %s, got %s", want, name.Local)
	}
	return name.Local, nil
}

// randomTransactionID returns 16 random hex digits.
func randomTransactionID() string {
	b := make([]byte, 8)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// fillSenderIdentification returns body with VASPID and VASID filled into its
// SenderIdentification where empty, on a copy; body itself when there is
// nothing to fill.
func fillSenderIdentification(body any, vaspID, vasID string) any {
	if vaspID == "" && vasID == "" {
		return body
	}
	v := reflect.ValueOf(body).Elem()
	si := v.FieldByName("SenderIdentification")
	if !si.IsValid() || si.Kind() != reflect.Struct {
		return body
	}
	empty := func(f reflect.Value) bool {
		return f.IsValid() && f.Kind() == reflect.Pointer && (f.IsNil() || f.Elem().String() == "")
	}
	fillVASP := vaspID != "" && empty(si.FieldByName("VASPID"))
	fillVAS := vasID != "" && empty(si.FieldByName("VASID"))
	if !fillVASP && !fillVAS {
		return body
	}
	cp := reflect.New(v.Type())
	cp.Elem().Set(v)
	csi := cp.Elem().FieldByName("SenderIdentification")
	if fillVASP {
		csi.FieldByName("VASPID").Set(reflect.ValueOf(&vaspID))
	}
	if fillVAS {
		csi.FieldByName("VASID").Set(reflect.ValueOf(&vasID))
	}
	return cp.Interface()
}

// checkRecipients applies Limits.MaxRecipients to a SubmitReq.
func (c *Client) checkRecipients(kind string, body any) error {
	limit := c.profile.Limits.MaxRecipients
	if limit <= 0 || kind != "SubmitReq" {
		return nil
	}
	if n := countRecipients(body); n > limit {
		return &LimitError{Profile: c.profile.name(), Limit: "recipients", Max: int64(limit), Got: int64(n),
			Remote: "status 3003"}
	}
	return nil
}

// countRecipients counts the addresses in a message's Recipients.
func countRecipients(body any) int {
	r := reflect.ValueOf(body).Elem().FieldByName("Recipients")
	if !r.IsValid() || r.Kind() != reflect.Struct {
		return 0
	}
	n := 0
	for i := range r.NumField() {
		list := r.Field(i) // To, Cc, Bcc
		if list.Kind() != reflect.Slice {
			continue
		}
		for j := range list.Len() {
			ma := list.Index(j)
			for k := range ma.NumField() {
				if f := ma.Field(k); f.Kind() == reflect.Slice {
					n += f.Len()
				}
			}
		}
	}
	return n
}

// submitMessageID returns the MessageID of a SubmitRsp, or "".
func submitMessageID(body any) string {
	v := reflect.ValueOf(body)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return ""
	}
	if f := v.Elem().FieldByName("MessageID"); f.IsValid() && f.Kind() == reflect.String {
		return strings.TrimSpace(f.String())
	}
	return ""
}

// convertBody returns body in version v's package with the conversion's
// losses, MM7Version left for the encoder to write.
func convertBody(body any, v Version) (any, []convert.Loss, error) {
	name := xmlNameOf(body)
	if name.Space == v.Namespace {
		return body, nil, nil
	}
	var (
		out    any
		losses []convert.Loss
		err    error
	)
	if v.Release == 5 {
		out, losses, err = convert.ToRel5(body)
	} else {
		out, losses, err = convert.ToRel6(body)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("mm7: cannot send %s in %s: %w", name.Local, v.Schema, err)
	}
	if f, ok := mm7VersionField(out); ok {
		f.SetString("") // the encoder writes v.MM7Version
	}
	losses = slices.DeleteFunc(losses, func(l convert.Loss) bool { return strings.HasSuffix(l.Path, ".MM7Version") })
	if len(losses) == 0 {
		losses = nil
	}
	return out, losses, nil
}

// otherVersion picks the version to try after v was rejected: the
// version of the MMSC's answer when it is another configured one, else
// the first configured version other than v.
func (c *Client) otherVersion(v Version, rsp *Message) (Version, bool) {
	if rsp != nil && rsp.Version.Release != v.Release {
		for _, cand := range c.versions {
			if cand.Release == rsp.Version.Release {
				return cand, true
			}
		}
	}
	for _, cand := range c.versions {
		if cand != v {
			return cand, true
		}
	}
	return Version{}, false
}

// remember makes v the version of the next calls.
func (c *Client) remember(v Version) {
	if i := slices.Index(c.versions, v); i >= 0 {
		c.current.Store(int32(i))
	}
}

// versionRejected reports whether err says the MMSC does not speak the
// version (or namespace) of the request: status 4002 Unsupported version
// in any form; 4004 Validation error in a Fault (MMSCs that validate
// against one schema reject another namespace so); or a Fault without
// status whose faultstring mentions the namespace or version.
func versionRejected(err error) bool {
	if fe, ok := errors.AsType[*FaultError](err); ok {
		if fe.Status != nil {
			return fe.Status.Code == StatusUnsupportedVersion || fe.Status.Code == StatusValidationError
		}
		s := strings.ToLower(fe.String)
		return strings.Contains(s, "namespace") || strings.Contains(s, "version") || strings.Contains(s, "mm7-1-")
	}
	if se, ok := errors.AsType[*StatusError](err); ok {
		return se.Code == StatusUnsupportedVersion
	}
	return false
}

// retryDelay decides whether to retry after an attempt that failed with
// err, and after how long.
func (c *Client) retryDelay(err error, out attemptOutcome, retries int) (time.Duration, bool) {
	pol := c.opts.Retry
	if !pol.enabled() || retries+1 >= pol.MaxAttempts {
		return 0, false
	}
	backoff := pol.Backoff.Delay(retries + 1)
	withRetryAfter := func() (time.Duration, bool) {
		ra, ok := parseRetryAfter(out.header, time.Now())
		switch {
		case !ok:
			return backoff, true
		case ra > pol.maxRetryAfter():
			return 0, false // the peer asks for a longer wait than the caller allows
		}
		return ra, true
	}
	switch {
	case out.transport:
		if provablyNotSent(err, out.gotConn) {
			return backoff, true
		}
		return 0, false
	case out.msg == nil:
		if he, ok := errors.AsType[*HTTPError](err); ok &&
			(he.StatusCode == http.StatusServiceUnavailable || he.StatusCode == http.StatusTooManyRequests) {
			return withRetryAfter()
		}
		return 0, false
	}
	if _, ok := errors.AsType[*TransactionMismatchError](err); ok {
		return 0, false
	}
	if se, ok := errors.AsType[*StatusError](err); ok && c.profile.retryable(se.Code) {
		return withRetryAfter()
	}
	return 0, false
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// logResult logs the outcome of a call.
func (c *Client) logResult(ctx context.Context, kind string, res *Result, start time.Time, err error) {
	attrs := []slog.Attr{
		slog.String("transaction_id", res.TransactionID),
		slog.String("kind", kind),
		slog.String("version", res.Version.Schema),
		slog.Int("status_code", int(res.Status)),
		slog.Int("http_status", res.HTTPStatus),
		slog.Int("attempts", res.Attempts),
		slog.Duration("duration", time.Since(start)),
	}
	if res.MessageID != "" {
		attrs = append(attrs, slog.String("message_id", res.MessageID))
	}
	if res.Negotiated {
		attrs = append(attrs, slog.Bool("negotiated", true), slog.Int("losses", len(res.Losses)))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
		c.log.LogAttrs(ctx, slog.LevelWarn, "mm7: request failed", attrs...)
		return
	}
	c.log.LogAttrs(ctx, slog.LevelInfo, "mm7: request done", attrs...)
}

// A preparedRequest is a request ready to send: the encoder of one
// version, and the body when it is held in memory.
type preparedRequest struct {
	v      Version
	enc    *Encoder
	length int64  // -1: unknown
	buf    []byte // the encoded body, when held in memory
	losses []convert.Loss
}

// prepare converts and encodes the request in version v and checks the
// body size against the profile's limit.
func (c *Client) prepare(body any, v Version, txID string, p *clientPayload) (*preparedRequest, error) {
	b, losses, err := convertBody(body, v)
	if err != nil {
		return nil, err
	}
	if err := p.rewind(); err != nil { // the encoder reads the sizes of unread bodies
		return nil, err
	}
	enc, err := NewEncoder(&Message{TransactionID: txID, Version: v, Body: b}, p.atts, c.opts.EncodeOptions)
	if err != nil {
		return nil, err
	}
	pr := &preparedRequest{v: v, enc: enc, length: -1, losses: losses}
	limit := c.profile.Limits.MaxBodyBytes
	tooLarge := func(got int64) error {
		return &LimitError{Profile: c.profile.name(), Limit: "request body bytes", Max: limit, Got: got, Remote: "HTTP 413"}
	}
	if raw, ok := p.size(); ok && raw <= bufferBody/3*2 {
		// Small enough to hold: encode once, and the buffer gives the
		// Content-Length (ContentLength would encode the parts a second time).
		var buf bytes.Buffer
		buf.Grow(int(raw*139/100) + 8<<10) // base64 and its line breaks, envelope, MIME framing
		var w io.Writer = &buf
		if limit > 0 {
			w = &boundedWriter{w: &buf, n: limit}
		}
		p.consumed = true
		if _, err := enc.WriteTo(w); err != nil {
			if errors.Is(err, errBodyOverLimit) {
				n, _ := enc.ContentLength()
				return nil, tooLarge(n)
			}
			return nil, err
		}
		pr.buf, pr.length = buf.Bytes(), int64(buf.Len())
		return pr, nil
	}
	n, known := enc.ContentLength()
	switch {
	case known && limit > 0 && n > limit:
		return nil, tooLarge(n)
	case known:
		pr.length = n // streamed
	case limit > 0:
		// Unknown length: encode into memory, stopping at the limit.
		var buf bytes.Buffer
		p.consumed = true
		if _, err := enc.WriteTo(&boundedWriter{w: &buf, n: limit}); err != nil {
			if errors.Is(err, errBodyOverLimit) {
				return nil, tooLarge(-1)
			}
			return nil, err
		}
		pr.buf, pr.length = buf.Bytes(), int64(buf.Len())
	}
	return pr, nil
}

var errBodyOverLimit = errors.New("mm7: over the body size limit")

// boundedWriter fails once more than n bytes are written.
type boundedWriter struct {
	w io.Writer
	n int64
}

func (l *boundedWriter) Write(b []byte) (int, error) {
	if int64(len(b)) > l.n {
		return 0, errBodyOverLimit
	}
	l.n -= int64(len(b))
	return l.w.Write(b)
}

// An attemptOutcome is the result of one HTTP exchange.
type attemptOutcome struct {
	msg        *Message
	httpStatus int
	header     http.Header
	err        error
	transport  bool // err comes from sending, not from the response
	gotConn    bool // a connection was handed to the request
}

// attempt makes one HTTP exchange.
func (c *Client) attempt(ctx context.Context, pr *preparedRequest, p *clientPayload, txID, kind string, co *CallOptions) attemptOutcome {
	var gotConn atomic.Bool
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { gotConn.Store(true) }}
	body, getBody, err := pr.body(p)
	if err != nil {
		return attemptOutcome{err: err}
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, c.endpoint.String(), body)
	if err != nil {
		body.Close()
		return attemptOutcome{err: fmt.Errorf("mm7: %s: %w", kind, err)}
	}
	req.ContentLength, req.GetBody = pr.length, getBody // -1: unknown, sent chunked
	for k, vs := range co.Header {
		req.Header[http.CanonicalHeaderKey(k)] = slices.Clone(vs)
	}
	if req.Header.Get("User-Agent") == "" {
		ua := c.opts.UserAgent
		if ua == "" {
			ua = "mm7go"
		}
		req.Header.Set("User-Agent", ua)
	}
	req.Header.Set("Content-Type", pr.enc.ContentType())
	req.Header.Del("Soapaction")
	// Written as spelt in SOAP 1.1 and every TS 23.140 example: some MMSCs
	// match header names case-sensitively (net/http would send
	// "Soapaction").
	req.Header["SOAPAction"] = []string{`""`}
	c.log.LogAttrs(ctx, slog.LevelDebug, "mm7: sending", slog.String("transaction_id", txID),
		slog.String("kind", kind), slog.String("version", pr.v.Schema), slog.Int64("content_length", pr.length))
	resp, err := c.hc.Do(req)
	if err != nil {
		return attemptOutcome{err: fmt.Errorf("mm7: %s: %w", kind, err), transport: true, gotConn: gotConn.Load()}
	}
	out := attemptOutcome{httpStatus: resp.StatusCode, header: resp.Header, gotConn: true}
	out.msg, out.err = c.readResponse(resp, kind)
	if out.err != nil {
		return out
	}
	out.err = applyHeaderStatus(checkClientResponse(out.msg, resp.StatusCode, txID, kind), out.msg, resp.Header)
	return out
}

// A clientPayload is the attachments of one call, made replayable.
type clientPayload struct {
	atts       []Attachment
	seekers    []io.Seeker // nil where the body cannot be rewound
	starts     []int64     // where each seeker's body starts
	replayable bool        // every body can be read again
	consumed   bool        // a body was read since the last rewind

	mu       sync.Mutex
	inflight *pipedBody // the body being streamed
}

// newClientPayload copies atts and, when replay is wanted, records the start of
// seekable bodies (and their sizes, for Content-Length) and reads the
// others into memory up to maxBuf bytes in total.
func newClientPayload(atts []Attachment, replay bool, maxBuf int64) (*clientPayload, error) {
	p := &clientPayload{atts: slices.Clone(atts), seekers: make([]io.Seeker, len(atts)), starts: make([]int64, len(atts)), replayable: true}
	for i := range p.atts {
		a := &p.atts[i]
		if a.Body == nil {
			continue // NewEncoder reports it
		}
		if s, ok := a.Body.(io.Seeker); ok {
			if pos, err := s.Seek(0, io.SeekCurrent); err == nil {
				p.seekers[i], p.starts[i] = s, pos
				if _, hasLen := a.Body.(interface{ Len() int }); !hasLen && a.Size <= 0 {
					if end, err := s.Seek(0, io.SeekEnd); err == nil {
						if _, err := s.Seek(pos, io.SeekStart); err != nil {
							return nil, fmt.Errorf("mm7: attachment %d: %w", i+1, err)
						}
						a.Size = end - pos // Content-Length for files
					}
				}
				continue
			}
		}
		if !replay || maxBuf <= 0 {
			p.replayable = false
			continue
		}
		data, err := io.ReadAll(io.LimitReader(a.Body, maxBuf+1))
		if err != nil {
			return nil, fmt.Errorf("mm7: attachment %d: %w", i+1, err)
		}
		if int64(len(data)) > maxBuf {
			a.Body = io.MultiReader(bytes.NewReader(data), a.Body)
			p.replayable, maxBuf = false, 0
			continue
		}
		maxBuf -= int64(len(data))
		r := bytes.NewReader(data)
		a.Body, p.seekers[i] = r, r
	}
	return p, nil
}

// rewind stops any body being streamed and seeks the attachments back
// to their start if they were read.
func (p *clientPayload) rewind() error {
	p.stop()
	if !p.consumed {
		return nil
	}
	for i, s := range p.seekers {
		if p.atts[i].Body == nil {
			continue
		}
		if s == nil {
			return errNotReplayable
		}
		if _, err := s.Seek(p.starts[i], io.SeekStart); err != nil {
			return fmt.Errorf("mm7: attachment %d: rewind: %w", i+1, err)
		}
	}
	p.consumed = false
	return nil
}

// size returns the total size of the attachment bodies, when known.
func (p *clientPayload) size() (int64, bool) {
	var n int64
	for i := range p.atts {
		s, ok := p.atts[i].size()
		if !ok {
			return 0, false
		}
		n += s
	}
	return n, true
}

// stop ends the streaming of the current body and waits until the
// encoder no longer reads the attachments.
func (p *clientPayload) stop() {
	p.mu.Lock()
	b := p.inflight
	p.inflight = nil
	p.mu.Unlock()
	if b != nil {
		b.pr.CloseWithError(errors.New("mm7: request body abandoned"))
		<-b.done
	}
}

// stream starts encoding enc into a pipe.
func (p *clientPayload) stream(enc *Encoder) *pipedBody {
	pr, pw := io.Pipe()
	b := &pipedBody{pr: pr, done: make(chan struct{})}
	p.mu.Lock()
	p.inflight = b
	p.consumed = true
	p.mu.Unlock()
	go func() {
		defer close(b.done)
		_, err := enc.WriteTo(pw)
		pw.CloseWithError(err)
	}()
	return b
}

// pipedBody is a request body streamed from an encoder.
type pipedBody struct {
	pr   *io.PipeReader
	done chan struct{}
}

func (b *pipedBody) Read(p []byte) (int, error) { return b.pr.Read(p) }
func (b *pipedBody) Close() error               { return b.pr.Close() }

// body returns the request body of an attempt and its GetBody, which
// rewinds the attachments and encodes again, for redirects and the
// transport's own retries on a stale connection.
func (pr *preparedRequest) body(p *clientPayload) (io.ReadCloser, func() (io.ReadCloser, error), error) {
	if pr.buf != nil {
		get := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(pr.buf)), nil }
		b, _ := get()
		return b, get, nil
	}
	if err := p.rewind(); err != nil {
		return nil, nil, err
	}
	first := p.stream(pr.enc)
	if !p.replayable {
		return first, nil, nil
	}
	get := func() (io.ReadCloser, error) {
		if err := p.rewind(); err != nil {
			return nil, err
		}
		return p.stream(pr.enc), nil
	}
	return first, get, nil
}
