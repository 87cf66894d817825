package mm7test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/openmms/mm7go/generated/convert"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// An MMSC is a fake MMS Relay/Server: an http.Handler that receives a
// VASP's MM7 requests through an [mm7.Handler], records them, answers
// them (as scripted, or as an MMSC would), keeps the state of the
// submitted messages, and sends delivery reports back. Its methods also
// push MO messages, delivery reports and read replies to the VASP.
//
// Serve it with [NewServer], or on any http.Server; an MMSC serves every
// path it is given. It is safe for concurrent use. Call [MMSC.Close] (or
// [MMSC.Shutdown]) when done, to stop the reports still pending.
type MMSC struct {
	opts    Options
	handler *mm7.Handler
	log     *slog.Logger
	hc      *http.Client
	own     *http.Transport // the transport of hc when the MMSC made it

	ctx       context.Context // ends at Close: bounds the reports being sent
	cancel    context.CancelFunc
	done      chan struct{} // closed by Close
	closeOnce sync.Once
	wg        sync.WaitGroup // report goroutines

	mu        sync.Mutex
	closed    bool
	rand      *rand.Rand
	seq       int // requests numbered
	lastID    int // MessageIDs generated
	submitted int // messages registered
	requests  []*Recorded
	reports   []Report
	messages  map[string]*message
	pending   int           // reports scheduled or being sent
	changed   chan struct{} // closed and replaced on every change waited for
}

// NewMMSC returns an MMSC configured by opts. It starts no goroutine
// until a SubmitReq asks for delivery reports.
func NewMMSC(opts Options) *MMSC {
	m := &MMSC{
		opts:     opts,
		log:      opts.Logger,
		hc:       opts.HTTPClient,
		done:     make(chan struct{}),
		rand:     rand.New(rand.NewPCG(opts.Seed, 0x6d6d3774657374)), // "mm7test"
		messages: map[string]*message{},
		changed:  make(chan struct{}),
	}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	if m.hc == nil {
		m.own = http.DefaultTransport.(*http.Transport).Clone()
		m.hc = &http.Client{Transport: m.own, Timeout: 30 * time.Second}
	}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	h := &mm7.Handler{
		OnSubmit:          m.serve,
		OnCancel:          m.serveNoID,
		OnReplace:         m.serveNoID,
		OnExtendedCancel:  m.serveNoID,
		OnExtendedReplace: m.serve,
		Username:          opts.Username,
		Password:          opts.Password,
		MaxBodyBytes:      opts.MaxBodyBytes,
		DecodeOptions:     opts.DecodeOptions,
		Logger:            opts.Logger,
	}
	m.handler = h
	return m
}

// ServeHTTP answers one MM7 request, then schedules the delivery reports
// of a message it accepted.
func (m *MMSC) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{}
	rw := &replyWriter{ResponseWriter: w, x: x}
	m.handler.ServeHTTP(rw, r.WithContext(context.WithValue(r.Context(), exchangeKey{}, x)))
	if x.after != nil {
		// The SubmitRsp goes out before the reports that follow it, as
		// with a real MMSC.
		http.NewResponseController(w).Flush() //nolint:errcheck // best effort: the reply is complete anyway
		x.after()
	}
}

// Close stops the MMSC's own activity: delivery reports not yet due are
// dropped, those being sent are cancelled, and Close returns once their
// goroutines have ended. Latency waits end at once. Requests are still
// answered (the http.Server serving the MMSC is the caller's to close),
// but no report is scheduled any more. Close may be called more than
// once.
func (m *MMSC) Close() {
	m.closeOnce.Do(func() {
		m.mu.Lock()
		m.closed = true
		close(m.done)
		m.mu.Unlock()
		m.cancel()
		m.wg.Wait()
		if m.own != nil {
			m.own.CloseIdleConnections()
		}
	})
}

// Shutdown waits until no delivery report is pending (every report
// scheduled has been sent) or ctx is done, then calls Close. It returns
// ctx.Err() when ctx ended the wait. Stop the http.Server first, so that
// no new message comes in meanwhile.
func (m *MMSC) Shutdown(ctx context.Context) error {
	defer m.Close()
	for {
		m.mu.Lock()
		pending, changed := m.pending, m.changed
		m.mu.Unlock()
		if pending == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

// exchange is what a callback tells ServeHTTP about the reply.
type exchange struct {
	override *Reply // an HTTP-only reply, written in place of the Handler's
	after    func() // run once the reply is written
}

type exchangeKey struct{}

// serveNoID is serve for the callbacks without MessageID.
func (m *MMSC) serveNoID(ctx context.Context, r *mm7.Request) error {
	_, err := m.serve(ctx, r)
	return err
}

// serve records a request, decides the reply, and does what it says.
func (m *MMSC) serve(ctx context.Context, r *mm7.Request) (string, error) {
	x, _ := ctx.Value(exchangeKey{}).(*exchange)
	if x == nil {
		x = &exchange{} // a Handler callback called by hand
	}
	limit := m.opts.MaxAttachmentBytes
	if limit == 0 {
		limit = DefaultMaxAttachmentBytes
	}
	atts, err := readAttachments(r, limit)
	if err != nil {
		// The Handler answers a broken body itself (a Client Fault).
		m.log.LogAttrs(ctx, slog.LevelDebug, "mm7test: unreadable attachments",
			slog.String("kind", r.Kind()), slog.String("transaction_id", r.TransactionID()), slog.String("error", err.Error()))
		return "", err
	}
	rec := &Recorded{Kind: r.Kind(), Message: r.Message, Version: r.Version(), TransactionID: r.TransactionID(),
		Header: r.Header, User: r.User, RemoteAddr: r.RemoteAddr, Attachments: atts}
	body := toRel6(r.Message.Body)
	describe(rec, body)

	m.mu.Lock()
	m.seq++
	rec.Seq, rec.Time = m.seq, time.Now()
	failed := m.opts.FailRate > 0 && m.rand.Float64() < m.opts.FailRate
	m.mu.Unlock()

	invalid := ""
	if !m.opts.Lenient {
		invalid = invalidText(r.Message)
	}
	var reply Reply
	switch {
	case !m.accepts(rec.Version):
		reply = FaultReply(mm7.StatusUnsupportedVersion, "")
	case invalid != "":
		reply = FaultReply(mm7.StatusValidationError, invalid)
	case m.opts.Script != nil:
		reply = m.opts.Script(rec)
	}
	if failed && !reply.scripted() {
		reply.Status, reply.Fault = mm7.StatusServerError, true
	}
	reply.Latency += m.opts.Latency
	m.sleep(ctx, reply.Latency)

	out := m.perform(rec, body, reply, x)
	rec.Reply = out
	m.record(rec)
	level := slog.LevelInfo
	if !out.success() {
		level = slog.LevelWarn
	}
	m.log.LogAttrs(ctx, level, "mm7test: answered", slog.Int("seq", rec.Seq), slog.String("kind", rec.Kind),
		slog.String("transaction_id", rec.TransactionID), slog.String("version", rec.Version.Schema),
		slog.String("message_id", rec.MessageID), slog.Int("status_code", int(out.Status)),
		slog.Bool("fault", out.Fault), slog.Int("http_status", out.HTTPStatus), slog.Int("attachments", len(atts)))
	if out.HTTPStatus != 0 {
		x.override = &out
	}
	return out.MessageID, out.err()
}

// perform does what the request asks unless the reply refuses it, and
// returns the reply to send, normalized.
func (m *MMSC) perform(rec *Recorded, body any, reply Reply, x *exchange) Reply {
	out := reply.normalized()
	if !out.success() {
		return out
	}
	switch rec.Kind {
	case "SubmitReq":
		req, ok := body.(*rel6.SubmitReq)
		if !ok {
			break
		}
		msg := m.submit(rec, req, reply.MessageID)
		out.MessageID, rec.MessageID = msg.MessageID, msg.MessageID
		x.after = func() { m.scheduleReports(msg) }
	case "CancelReq", "extendedCancelReq":
		if code := m.cancelMessage(rec.MessageID); code != mm7.StatusSuccess && !reply.scripted() {
			out = StatusReply(code, "").normalized()
		}
	case "ReplaceReq", "extendedReplaceReq":
		code := m.replaceMessage(rec.MessageID)
		if code != mm7.StatusSuccess && !reply.scripted() {
			out = StatusReply(code, "").normalized()
		}
		if rec.Kind == "extendedReplaceReq" && out.success() {
			out.MessageID = rec.MessageID
		}
	}
	out.Latency = reply.Latency
	return out
}

// sleep waits d, or until the request or the MMSC ends.
func (m *MMSC) sleep(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	case <-m.done:
	}
}

// accepts reports whether the MMSC speaks v's release.
func (m *MMSC) accepts(v mm7.Version) bool {
	if len(m.opts.Versions) == 0 {
		return true
	}
	return slices.ContainsFunc(m.opts.Versions, func(a mm7.Version) bool { return a.Release == v.Release })
}

// defaultVersion is the version of requests about nothing the MMSC knows.
func (m *MMSC) defaultVersion() mm7.Version {
	if len(m.opts.Versions) > 0 {
		return chosenVersion(m.opts.Versions[0])
	}
	return mm7.Rel6
}

// sendVersion returns the version of v's release a [mm7.Client] sends
// in: [mm7.Rel5] (MM7Version 5.3.0, as Vibes writes it) or [mm7.Rel6].
func sendVersion(v mm7.Version) mm7.Version {
	if v.Release == 5 {
		return mm7.Rel5
	}
	return mm7.Rel6
}

// chosenVersion returns the version a caller asked requests to be sent
// in: v itself, its MM7Version included, when it is a version a
// [mm7.Client] speaks, else the one of its release.
func chosenVersion(v mm7.Version) mm7.Version {
	if nv, exact, ok := mm7.VersionForNamespace(v.Namespace); ok && exact && nv.Release == v.Release {
		return v
	}
	return sendVersion(v)
}

// toRel6 returns a request body as a rel6 struct, converting rel5 ones,
// so that both versions are read alike.
func toRel6(body any) any {
	if out, _, err := convert.ToRel6(body); err == nil {
		return out
	}
	return body
}

// describe fills the fields of rec read from its body.
func describe(rec *Recorded, body any) {
	switch b := body.(type) {
	case *rel6.SubmitReq:
		rec.Sender = addressString(b.SenderIdentification.SenderAddress)
		for _, a := range recipientAddresses(&b.Recipients) {
			rec.Recipients = append(rec.Recipients, addressString(&a))
		}
		if b.Subject != nil {
			rec.Subject = *b.Subject
		}
	case *rel6.CancelReq:
		rec.MessageID = strings.TrimSpace(b.MessageID)
	case *rel6.ReplaceReq:
		rec.MessageID = strings.TrimSpace(b.MessageID)
	case *rel6.ExtendedCancelReq:
		rec.MessageID = strings.TrimSpace(b.CancelID)
	case *rel6.ExtendedReplaceReq:
		if b.ReplaceID != nil {
			rec.MessageID = strings.TrimSpace(*b.ReplaceID)
		}
	}
}

// replyWriter writes an HTTP-only reply in place of the Handler's when
// the callback asked for one.
type replyWriter struct {
	http.ResponseWriter
	x       *exchange
	scratch http.Header // what the Handler sets, discarded
	wrote   bool
}

func (w *replyWriter) Header() http.Header {
	if w.x.override == nil {
		return w.ResponseWriter.Header()
	}
	if w.scratch == nil {
		w.scratch = http.Header{}
	}
	return w.scratch
}

func (w *replyWriter) WriteHeader(code int) {
	if w.x.override == nil {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	if w.wrote {
		return
	}
	w.wrote = true
	status := w.x.override.HTTPStatus
	h := w.ResponseWriter.Header()
	for k, vs := range w.x.override.Header {
		h[http.CanonicalHeaderKey(k)] = slices.Clone(vs)
	}
	if status == http.StatusNoContent || status == http.StatusNotModified || status < 200 {
		w.ResponseWriter.WriteHeader(status)
		return
	}
	text := fmt.Sprintf("%d %s\n", status, http.StatusText(status))
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(text)))
	w.ResponseWriter.WriteHeader(status)
	io.WriteString(w.ResponseWriter, text) //nolint:errcheck // the client hung up: nothing to do
}

func (w *replyWriter) Write(b []byte) (int, error) {
	if w.x.override == nil {
		return w.ResponseWriter.Write(b)
	}
	w.WriteHeader(http.StatusOK)
	return len(b), nil
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *replyWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// invalidText describes why msg breaks its schema, in a StatusText of
// bounded length, or returns "" when it is valid.
func invalidText(msg *mm7.Message) string {
	var ie *mm7.InvalidMessageError
	if err := msg.Validate(); !errors.As(err, &ie) || len(ie.Problems()) == 0 {
		return ""
	}
	p := ie.Problems()
	text := "Validation error: " + p[0].String()
	if len(text) > 300 {
		text = strings.ToValidUTF8(text[:297], "") + "..."
	}
	if len(p) > 1 {
		text += fmt.Sprintf(" (and %d more)", len(p)-1)
	}
	return text
}
