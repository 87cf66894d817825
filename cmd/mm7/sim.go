// mm7 sim: the embedded MMSC simulator, an mm7test.MMSC served on a real
// listener, with admin endpoints that inject MO messages and delivery
// reports.
//
// Pieces other commands (mm7 demo) can call:
//
//	s, err := startSim(ctx, simConfig{addr: "127.0.0.1:0", logger: log, opts: mm7test.Options{
//		VASPURL: vaspURL, DeliveryReportDelay: time.Second,
//	}})
//	// listening when startSim returns; serving until ctx is done or s.stop()
//	s.addr     // bound address, "127.0.0.1:41234"
//	s.url      // the MM7 endpoint, for mm7.NewClient
//	s.adminURL // "http://127.0.0.1:41234/sim": POST s.adminURL+"/mo", "/dlr"
//	s.mmsc     // the *mm7test.MMSC: Requests, WaitReports, Deliver, ...
//	err = s.stop() // graceful: closes the listener, waits for requests and
//	               // pending delivery reports (cfg.shutdownTimeout), returns
//	               // the serve error; <-s.done does the same wait after ctx ended
//
// simDeliver(ctx, s.mmsc, simMO{...}) sends an MO as POST /sim/mo does.
package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7test"
)

func init() {
	register(&command{name: "sim", usage: "[flags]",
		short: "run the embedded MMSC simulator (SubmitReq in; delivery reports and MOs out)", run: runSim})
}

const simUsageText = `
The simulator answers MM7 requests at --path (SubmitReq, CancelReq,
ReplaceReq, extended ones), assigns MessageIDs (sim-RUN-1, sim-RUN-2, ...
with RUN random per run, so that a receiver never mistakes a report of
this run for one of an earlier run; --message-id-prefix sets the part
before the number), and POSTs a
DeliveryReportReq per recipient --dlr-delay after each SubmitReq with
DeliveryReport=true to --vasp-url, or to the X-Vibes-DlrCallbackUrl header
(DeliveryReport=false: --handoff-status, as Vibes does).

Passwords come from MM7_PASSWORD or --password-file (what VASPs must send)
and MM7_VASP_PASSWORD or --vasp-password-file (what the simulator sends),
never from a flag value.

Admin endpoints on the same server (Basic Auth as --user when set: add
curl -u USER:PASSWORD). Each takes a JSON object, whatever its
Content-Type (curl -d sends a form type), or form or query parameters of
the same names:
  POST /sim/mo   send an MO (DeliverReq) to --vasp-url. from (required),
                 to, subject, text, image_base64, image_type, version,
                 carrier_code.
    curl -d from=+15555550123 -d to=12345 -d text=hello http://127.0.0.1:8077/sim/mo
    curl -d '{"from":"+15555550123","to":"12345","text":"hello"}' http://127.0.0.1:8077/sim/mo
  POST /sim/dlr  send a delivery report to the message's callback URL or
                 --vasp-url. message_id (required), status (default
                 --dlr-status), recipient, sender, status_text, version.
                 Any MessageID works: for one this simulator did not
                 issue, give recipient and sender.
    curl -d message_id=sim-0a1b2c3d-1 -d status=Rejected http://127.0.0.1:8077/sim/dlr
    curl -d '{"message_id":"mmsc-42","recipient":"+15555550123","sender":"12345","status":"Expired"}' http://127.0.0.1:8077/sim/dlr
Both answer with JSON: the VASP's status_code, status_text, transaction_id,
version, http_status, or an error (HTTP 502 when the VASP gave no MM7
answer, 400 for a bad request).

Logs are slog text lines on stderr, the first "msg=listening addr=HOST:PORT
path=... url=...". On SIGINT/SIGTERM the simulator stops taking requests,
waits for pending delivery reports (--shutdown-timeout), prints one JSON
summary on stdout and exits.

Exit codes: 0 clean shutdown; 1 could not listen or serve; 2 usage.
`

// simConfig configures startSim.
type simConfig struct {
	addr string // "" means 127.0.0.1:8077
	// opts configure the MMSC; opts.Path "" means /mms/mm7/submit and
	// opts.Logger nil means logger.
	opts   mm7test.Options
	logger *slog.Logger // nil discards

	readHeaderTimeout time.Duration // 0: 10 s
	readTimeout       time.Duration // 0: 2 min
	shutdownTimeout   time.Duration // 0: 10 s; bounds the wait for requests and pending reports
}

// simServer is a running simulator.
type simServer struct {
	addr     string // the bound address
	url      string // the MM7 endpoint
	adminURL string // base of the admin endpoints, without trailing slash
	mmsc     *mm7test.MMSC

	cfg    simConfig
	log    *slog.Logger
	srv    *http.Server
	cancel context.CancelFunc
	done   chan struct{} // closed once shut down
	err    error         // the serve error, set before done is closed
	moSent atomic.Int64
	dlrs   atomic.Int64 // sent through /sim/dlr
}

// startSim listens on cfg.addr and serves the simulator until ctx is done
// or stop is called. It logs the bound address first.
func startSim(ctx context.Context, cfg simConfig) (*simServer, error) {
	if cfg.addr == "" {
		cfg.addr = "127.0.0.1:8077"
	}
	if cfg.opts.Path == "" {
		cfg.opts.Path = mm7test.DefaultPath
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	if cfg.opts.Logger == nil {
		cfg.opts.Logger = cfg.logger
	}
	if cfg.readHeaderTimeout <= 0 {
		cfg.readHeaderTimeout = 10 * time.Second
	}
	if cfg.readTimeout <= 0 {
		cfg.readTimeout = 2 * time.Minute
	}
	if cfg.shutdownTimeout <= 0 {
		cfg.shutdownTimeout = 10 * time.Second
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return nil, err
	}
	s := &simServer{cfg: cfg, log: cfg.logger, mmsc: mm7test.NewMMSC(cfg.opts), done: make(chan struct{})}
	s.addr = ln.Addr().String()
	base := "http://" + simDialable(s.addr)
	s.url, s.adminURL = base+cfg.opts.Path, base+"/sim"

	admin := http.NewServeMux()
	admin.HandleFunc("POST /sim/mo", s.handleMO)
	admin.HandleFunc("POST /sim/dlr", s.handleDLR)
	s.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == cfg.opts.Path {
				s.mmsc.ServeHTTP(w, r)
				return
			}
			if !s.adminAuth(r) {
				w.Header().Set("WWW-Authenticate", `Basic realm="mm7 sim"`)
				simAdminAnswer(w, http.StatusUnauthorized, nil, errors.New("authentication required"))
				return
			}
			admin.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: cfg.readHeaderTimeout,
		ReadTimeout:       cfg.readTimeout,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(cfg.logger.Handler(), slog.LevelWarn),
	}
	s.log.Info("listening", "addr", s.addr, "path", cfg.opts.Path, "url", s.url, "admin", s.adminURL+"/")
	if cfg.opts.VASPURL == "" {
		s.log.Warn("no --vasp-url: delivery reports go only to X-Vibes-DlrCallbackUrl headers, and MOs nowhere")
	}

	ctx, s.cancel = context.WithCancel(ctx)
	serveErr := make(chan error, 1)
	go func() { serveErr <- s.srv.Serve(ln) }()
	go func() {
		var err error
		select {
		case <-ctx.Done():
		case err = <-serveErr:
			s.log.Error("serve failed", "error", err.Error())
		}
		s.shutdown()
		s.err = err
		close(s.done)
	}()
	return s, nil
}

// shutdown stops the server, waits for pending delivery reports and
// closes the MMSC, all within cfg.shutdownTimeout.
func (s *simServer) shutdown() {
	s.log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.shutdownTimeout)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		s.srv.Close() //nolint:errcheck // forcing the close: nothing more to do
	}
	if err := s.mmsc.Shutdown(ctx); err != nil {
		s.log.Warn("pending delivery reports dropped", "error", err.Error())
	}
}

// stop shuts the simulator down and returns the serve error, if any.
func (s *simServer) stop() error {
	s.cancel()
	<-s.done
	return s.err
}

// simDialable returns a listen address a client can dial: an unspecified
// host (0.0.0.0, ::) becomes the loopback address.
func simDialable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		if ip.To4() != nil {
			host = "127.0.0.1"
		} else {
			host = "::1"
		}
	}
	return net.JoinHostPort(host, port)
}

// adminAuth checks the admin endpoints' credentials: the MM7 ones.
func (s *simServer) adminAuth(r *http.Request) bool {
	o := s.cfg.opts
	if o.Username == "" && o.Password == "" {
		return true
	}
	return mm7.CheckBasicAuth(r, o.Username, o.Password)
}

// simMO is the body of POST /sim/mo.
type simMO struct {
	From        string `json:"from"`
	To          string `json:"to"`
	Subject     string `json:"subject"`
	Text        string `json:"text"`
	ImageBase64 string `json:"image_base64"`
	ImageType   string `json:"image_type"`
	Version     string `json:"version"`
	CarrierCode string `json:"carrier_code"`
}

// simDLR is the body of POST /sim/dlr.
type simDLR struct {
	MessageID  string `json:"message_id"`
	Status     string `json:"status"`
	Recipient  string `json:"recipient"`
	Sender     string `json:"sender"`
	StatusText string `json:"status_text"`
	Version    string `json:"version"`
}

// simAdminResult is the JSON answer of the admin endpoints.
type simAdminResult struct {
	StatusCode    int    `json:"status_code"`
	StatusText    string `json:"status_text"`
	TransactionID string `json:"transaction_id"`
	Version       string `json:"version"`
	HTTPStatus    int    `json:"http_status"`
	Error         string `json:"error,omitempty"`
}

// simAdminMaxBody bounds an admin request (a base64 image included).
const simAdminMaxBody = 8 << 20

func (s *simServer) handleMO(w http.ResponseWriter, r *http.Request) {
	var in simMO
	if err := simDecodeAdmin(w, r, &in, func(get func(string) string) {
		in = simMO{From: get("from"), To: get("to"), Subject: get("subject"), Text: get("text"),
			ImageBase64: get("image_base64"), ImageType: get("image_type"), Version: get("version"), CarrierCode: get("carrier_code")}
	}); err != nil {
		simAdminAnswer(w, http.StatusBadRequest, nil, err)
		return
	}
	if s.cfg.opts.VASPURL == "" {
		simAdminAnswer(w, http.StatusBadRequest, nil, errors.New("the simulator has no --vasp-url to send MOs to"))
		return
	}
	res, err := simDeliver(r.Context(), s.mmsc, "", in)
	if res != nil || err == nil {
		s.moSent.Add(1)
	}
	s.answer(w, res, err)
}

func (s *simServer) handleDLR(w http.ResponseWriter, r *http.Request) {
	var in simDLR
	if err := simDecodeAdmin(w, r, &in, func(get func(string) string) {
		in = simDLR{MessageID: get("message_id"), Status: get("status"), Recipient: get("recipient"), Sender: get("sender"),
			StatusText: get("status_text"), Version: get("version")}
	}); err != nil {
		simAdminAnswer(w, http.StatusBadRequest, nil, err)
		return
	}
	if in.MessageID == "" {
		simAdminAnswer(w, http.StatusBadRequest, nil, errors.New("message_id is required"))
		return
	}
	if in.Status != "" && !rel6.MMDeliveryStatus(in.Status).Valid() {
		simAdminAnswer(w, http.StatusBadRequest, nil, fmt.Errorf("status %q is not an MMStatus (%s)", in.Status, simStatuses()))
		return
	}
	dr := mm7test.DeliveryReport{MessageID: in.MessageID, Status: in.Status, Recipient: in.Recipient, Sender: in.Sender,
		StatusText: in.StatusText}
	if _, issued := s.mmsc.Message(in.MessageID); !issued && (in.Recipient == "" || in.Sender == "") {
		simAdminAnswer(w, http.StatusBadRequest, nil, fmt.Errorf("message_id %q was not issued by this simulator: give recipient and sender too", in.MessageID))
		return
	}
	if in.Version != "" {
		v, err := mm7.ParseVersion(in.Version)
		if err != nil {
			simAdminAnswer(w, http.StatusBadRequest, nil, fmt.Errorf("version: %w", err))
			return
		}
		dr.Version = v
	}
	res, err := s.mmsc.SendDeliveryReport(r.Context(), dr)
	if res != nil {
		s.dlrs.Add(1)
	}
	s.answer(w, res, err)
}

// answer writes the outcome of a request sent to the VASP: 200 with its
// status when it answered in MM7, 502 when it did not, 400 when nothing
// could be sent.
func (s *simServer) answer(w http.ResponseWriter, res *mm7.Result, err error) {
	switch {
	case res == nil:
		simAdminAnswer(w, http.StatusBadRequest, nil, err)
	case res.Response == nil:
		simAdminAnswer(w, http.StatusBadGateway, res, err)
	default:
		simAdminAnswer(w, http.StatusOK, res, err)
	}
}

// simDeliver sends the MO of an admin request, with its text and image,
// to url ("" for the MMSC's VASP URL).
func simDeliver(ctx context.Context, mmsc *mm7test.MMSC, url string, in simMO) (*mm7.Result, error) {
	mo := mm7test.MO{From: in.From, To: in.To, Subject: in.Subject, Text: in.Text, CarrierCode: in.CarrierCode, URL: url}
	if in.From == "" {
		return nil, errors.New("from is required")
	}
	if in.Version != "" {
		v, err := mm7.ParseVersion(in.Version)
		if err != nil {
			return nil, err
		}
		mo.Version = v
	}
	if in.ImageBase64 != "" {
		img, err := base64.StdEncoding.DecodeString(strings.TrimSpace(in.ImageBase64))
		if err != nil {
			return nil, fmt.Errorf("image_base64: %w", err)
		}
		ct := in.ImageType
		if ct == "" {
			ct = http.DetectContentType(img)
		}
		loc := "image"
		switch strings.ToLower(ct) {
		case "image/jpeg":
			loc += ".jpg"
		case "image/png":
			loc += ".png"
		case "image/gif":
			loc += ".gif"
		}
		mo.Attachments = []mm7.Attachment{{ContentType: ct, ContentLocation: loc, Body: bytes.NewReader(img)}}
	}
	if mo.Text == "" && len(mo.Attachments) == 0 {
		return nil, errors.New("give a text or an image_base64")
	}
	return mmsc.Deliver(ctx, mo)
}

// simDecodeAdmin reads an admin request: a JSON object into v, whatever
// the Content-Type says (curl -d labels it a form), or query and form
// parameters (urlencoded or multipart) through fromForm.
func simDecodeAdmin(w http.ResponseWriter, r *http.Request, v any, fromForm func(get func(string) string)) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, simAdminMaxBody))
	if err != nil {
		return fmt.Errorf("request body: %w", err)
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/json" || (mt != "multipart/form-data" && bytes.HasPrefix(bytes.TrimSpace(body), []byte("{"))) {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			return fmt.Errorf("JSON body: %w", err)
		}
		if dec.More() {
			return errors.New("JSON body: more than one JSON object")
		}
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if mt == "multipart/form-data" {
		err = r.ParseMultipartForm(simAdminMaxBody)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return fmt.Errorf("form body: %w", err)
	}
	fromForm(r.Form.Get)
	return nil
}

func simAdminAnswer(w http.ResponseWriter, status int, res *mm7.Result, err error) {
	var out simAdminResult
	if res != nil {
		out = simAdminResult{StatusCode: int(res.Status), StatusText: res.StatusText, TransactionID: res.TransactionID,
			Version: res.Version.MM7Version, HTTPStatus: res.HTTPStatus}
	}
	if err != nil {
		out.Error = err.Error()
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(out) //nolint:errcheck // the client hung up: nothing to do
}

// simResult is the JSON summary mm7 sim prints on stdout when it stops.
type simResult struct {
	Addr string `json:"addr"`
	URL  string `json:"url"`
	Seed uint64 `json:"seed"`
	// MessageIDPrefix starts the MessageIDs of this run.
	MessageIDPrefix string `json:"message_id_prefix"`
	Requests        int    `json:"requests"`
	Messages        int    `json:"messages"`
	ReportsSent     int    `json:"reports_sent"`
	ReportsFailed   int    `json:"reports_failed"`
	MOSent          int64  `json:"mo_sent"`
	AdminReports    int64  `json:"admin_reports"`
}

func runSim(ctx context.Context, e *env, args []string) int {
	c := commands["sim"]
	fs := newFlags(e, c)
	base := fs.Usage
	fs.Usage = func() { base(); fmt.Fprint(e.stderr, simUsageText) }
	var (
		addr         = fs.String("addr", "127.0.0.1:8077", "listen `address`; 127.0.0.1:0 picks a free port")
		path         = fs.String("path", mm7test.DefaultPath, "MM7 endpoint `path`")
		user         = fs.String("user", "", "Basic Auth `username` VASPs must send (password: MM7_PASSWORD or --password-file); none when empty")
		passFile     = fs.String("password-file", "", "read the password VASPs must send from `file`")
		vaspURL      = fs.String("vasp-url", "", "VASP `URL` that delivery reports and MOs are POSTed to")
		vaspUser     = fs.String("vasp-user", "", "Basic Auth `username` sent to the VASP (password: MM7_VASP_PASSWORD or --vasp-password-file)")
		vaspPassFile = fs.String("vasp-password-file", "", "read the password sent to the VASP from `file`")
		dlrDelay     = fs.Duration("dlr-delay", time.Second, "`delay` between a SubmitRsp and its delivery reports")
		dlrStatus    = fs.String("dlr-status", "Retrieved", "MMStatus of delivery reports ("+simStatuses()+")")
		handoff      = fs.String("handoff-status", "Forwarded", "MMStatus posted to X-Vibes-DlrCallbackUrl when DeliveryReport=false")
		versions     = fs.String("versions", "6.8.0,5.5.0", "accepted MM7 `versions`, comma-separated (6.8.0, 5.5.0, REL-6-MM7-1-4, ...); others get 4002; the first is the MO version")
		status       = fs.Int("status", 0, "answer every SubmitReq with this MM7 status `code` (e.g. 2002, 4005); 0 accepts them")
		latency      = fs.Duration("latency", 0, "`delay` before every reply")
		failRate     = fs.Float64("fail-rate", 0, "`fraction` (0-1) of requests answered with a 3000 Server Error Fault")
		seed         = fs.Uint64("seed", 0, "`seed` of --fail-rate draws (default random, logged)")
		idPrefix     = fs.String("message-id-prefix", "", "`prefix` of assigned MessageIDs, which are numbered from 1 (default sim-RUN-, RUN random per run)")
		maxBody      = fs.Int64("max-body", 0, "largest request body in `bytes` (0: 16 MiB; Vibes: 1048576)")
		logLevel     = fs.String("log-level", "info", "log `level`: debug, info, warn or error")
		shutdownWait = fs.Duration("shutdown-timeout", 10*time.Second, "how long to wait for pending delivery reports when stopping")
		lenient      = fs.Bool("lenient", false, "accept requests that break their schema (default: answer them 4004 Validation error, as a strict MMSC)")
		metricsAddr  = fs.String("metrics-addr", "", "serve /metrics, /healthz and /readyz on `HOST:PORT` (default: off)")
	)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "mm7 sim: %s. Try 'mm7 sim -h'.\n", fmt.Sprintf(format, a...))
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return usageErr("--log-level %q is not debug, info, warn or error", *logLevel)
	}
	if *idPrefix == "" {
		*idPrefix = "sim-" + randomHex(4) + "-" // MessageIDs unique across runs
	}
	opts := mm7test.Options{
		Path:                 *path,
		VASPURL:              *vaspURL,
		VASPUsername:         *vaspUser,
		DeliveryReportDelay:  *dlrDelay,
		DeliveryReportStatus: *dlrStatus,
		HandoffStatus:        *handoff,
		Latency:              *latency,
		FailRate:             *failRate,
		MessageIDPrefix:      *idPrefix,
		MaxBodyBytes:         *maxBody,
		RelayServerID:        "mm7go sim",
		Lenient:              *lenient,
	}
	switch {
	case !strings.HasPrefix(*path, "/") || strings.HasPrefix(*path, "/sim/") || *path == "/sim":
		return usageErr("--path %q must start with / and not be under /sim/", *path)
	case *failRate < 0 || *failRate > 1:
		return usageErr("--fail-rate %v is not between 0 and 1", *failRate)
	case *dlrDelay < 0 || *latency < 0:
		return usageErr("--dlr-delay and --latency cannot be negative")
	case !rel6.MMDeliveryStatus(*dlrStatus).Valid():
		return usageErr("--dlr-status %q is not one of %s", *dlrStatus, simStatuses())
	case !rel6.MMDeliveryStatus(*handoff).Valid():
		return usageErr("--handoff-status %q is not one of %s", *handoff, simStatuses())
	case *status < 0 || (*status > 0 && mm7.StatusCode(*status).Class() == mm7.ClassUnknown):
		return usageErr("--status %d is not an MM7 status code (1000-4999)", *status)
	}
	if *vaspURL != "" {
		if _, err := mm7.NewClient(*vaspURL); err != nil {
			return usageErr("--vasp-url: %v", err)
		}
	}
	for _, s := range strings.Split(*versions, ",") {
		v, err := mm7.ParseVersion(s)
		if err != nil {
			return usageErr("--versions: %v", err)
		}
		opts.Versions = append(opts.Versions, v)
	}
	if *status != 0 {
		reply := mm7test.StatusReply(mm7.StatusCode(*status), "")
		opts.Script = func(r *mm7test.Recorded) mm7test.Reply {
			if r.Kind == "SubmitReq" {
				return reply
			}
			return mm7test.Reply{}
		}
	}
	opts.Seed = *seed
	seedSet := false
	fs.Visit(func(f *flag.Flag) { seedSet = seedSet || f.Name == "seed" })
	if !seedSet {
		opts.Seed = rand.Uint64()
	}
	var err error
	if *user != "" {
		opts.Username = *user
		if opts.Password, err = readSecret(e, passwordEnv, *passFile); err != nil {
			return fail(e, c.name, exitFail, err)
		}
		if opts.Password == "" {
			return usageErr("--user needs a password: set MM7_PASSWORD or --password-file")
		}
	}
	if *vaspUser != "" {
		if opts.VASPPassword, err = readSecret(e, "MM7_VASP_PASSWORD", *vaspPassFile); err != nil {
			return fail(e, c.name, exitFail, err)
		}
		if opts.VASPPassword == "" {
			return usageErr("--vasp-user needs a password: set MM7_VASP_PASSWORD or --vasp-password-file")
		}
	}

	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	if log, err = simMetrics(ctx, *metricsAddr, log); err != nil {
		return fail(e, c.name, exitFail, err)
	}
	s, err := startSim(ctx, simConfig{addr: *addr, opts: opts, logger: log, shutdownTimeout: *shutdownWait})
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	log.Info("simulator ready", "message_id_prefix", opts.MessageIDPrefix, "seed", opts.Seed, "versions", *versions, "vasp_url", *vaspURL, "dlr_delay", dlrDelay.String(),
		"dlr_status", *dlrStatus, "auth", *user != "")
	<-s.done
	out := s.summary()
	out.Seed, out.MessageIDPrefix = opts.Seed, opts.MessageIDPrefix
	log.Info("stopped", "requests", out.Requests, "reports_sent", out.ReportsSent, "mo_sent", out.MOSent)
	if err := json.NewEncoder(e.stdout).Encode(out); err != nil {
		return fail(e, c.name, exitFail, err)
	}
	if s.err != nil {
		return fail(e, c.name, exitFail, s.err)
	}
	return exitOK
}

// summary counts what the simulator did.
func (s *simServer) summary() simResult {
	out := simResult{Addr: s.addr, URL: s.url, Requests: len(s.mmsc.Requests()), Messages: len(s.mmsc.Messages()),
		MOSent: s.moSent.Load(), AdminReports: s.dlrs.Load()}
	for _, r := range s.mmsc.Reports() {
		out.ReportsSent++
		if r.Err != nil {
			out.ReportsFailed++
		}
	}
	return out
}

var simStatusesOnce = sync.OnceValue(func() string {
	var names []string
	for _, s := range rel6.MMDeliveryStatus("").Values() {
		names = append(names, string(s))
	}
	return strings.Join(names, ", ")
})

// simStatuses lists the MMStatus values of delivery reports.
func simStatuses() string { return simStatusesOnce() }
