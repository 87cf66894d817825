package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/openmms/mm7go/mm7"
)

func init() {
	register(&command{name: "serve", usage: "[--addr HOST:PORT] [--path /PATH] [--out DIR] [--user NAME] [flags]",
		short: "receive MO messages, delivery reports and read replies and store them on disk",
		long: `Every POST (to --path only, when given) is read as an MM7 request. Each
DeliverReq, DeliveryReportReq and ReadReplyReq is stored as

  DIR/<kind>/<id>/message.json   decoded message, version, transaction id,
                                 received time, remote address, carrier code,
                                 deviations, and the list of attachments
  DIR/<kind>/<id>/<file>...      the attachments, named after their
                                 Content-Location or Content-ID

  DIR/<kind>/<id>/envelope.xml   the SOAP envelope exactly as received

with <kind> deliver, delivery-report or read-reply and <id> the MO's
TransactionID, or a report's MessageID_recipient_status (when these hold
only letters, digits and .+@=-, else a readable prefix, "~" and a SHA-256).
Files and the directory are made durable and the directory renamed into
place before the MMSC gets 1000 Success. A message with the id and the
content (SOAP Body and attachments) of a stored one is a repeat: it is
acknowledged and not written again; one with the id of a stored message
but other content is stored beside it, in <id>~c<content SHA-256>. A
storage (I/O) failure is answered with 3000 (HTTP 500) so that the MMSC
sends the message again; a body that cannot be rendered is stored anyway
(envelope.xml, message_error in message.json) and acknowledged. What a
crash interrupts is never acknowledged; DIR/.tmp is emptied at start.
One mm7 serve per DIR (DIR/.lock).

With --user or a password (` + passwordEnv + ` or --password-file), requests must carry
these Basic Auth credentials (else HTTP 401). The first log line on stderr is
"msg=listening addr=HOST:PORT" (use --addr 127.0.0.1:0 for a free port).

Exit codes: 0 stopped by a signal; 1 could not listen or open DIR; 2 usage.`,
		run: runServe})
}

// serveConfig configures a receiver.
type serveConfig struct {
	addr, path, out string
	user            string
	password        mm7.Secret
	maxBodyBytes    int64
	maxInFlight     int
	log             *slog.Logger
	// onSaved, when set, is called after each message is stored (or
	// found already stored), before the MMSC is answered.
	onSaved func(*saveResult)
	// ext holds the flags for running at scale (serve_scale.go): a
	// JetStream sink instead of the store, accounts, TLS, metrics.
	ext *serveExt
}

// A receiver is a running mm7 serve.
type receiver struct {
	Addr    string // bound address, host:port
	Root    string // absolute store directory
	srv     *http.Server
	done    chan struct{} // closed when Serve returns
	stopped chan struct{} // closed when the shutdown finished: in-flight requests answered
	err     error         // the Serve error, valid after done
	store   *store        // nil with a JetStream sink
}

// startServe opens the store, listens and serves until ctx is done, then
// shuts down gracefully; Wait returns when it has.
func startServe(ctx context.Context, cfg serveConfig) (*receiver, error) {
	log := cfg.log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ext := cfg.ext
	if ext == nil {
		ext = &serveExt{}
	}
	var st *store
	var saver inboundStore = ext.store
	where := ext.sinkURL
	if saver == nil {
		var err error
		if st, err = openStore(cfg.out); err != nil {
			return nil, fmt.Errorf("--out: %w", err)
		}
		saver, where = st, st.root
	}
	cfg.ext = ext
	h := newServeHandler(saver, cfg, log)
	var handler http.Handler = h
	if cfg.path != "" {
		p := cfg.path
		handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != p {
				http.NotFound(w, r)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	handler = ext.wrap(handler)
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		st.close() //nolint:errcheck // failing anyway
		return nil, err
	}
	if err := ext.start(ctx, log); err != nil {
		ln.Close()
		return nil, err
	}
	ln = ext.listener(ln)
	rc := &receiver{Addr: ln.Addr().String(), Root: where, done: make(chan struct{}), stopped: make(chan struct{}), store: st,
		srv: &http.Server{
			Handler:           handler,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       5 * time.Minute, // a large MO on a slow link
			WriteTimeout:      6 * time.Minute,
			IdleTimeout:       2 * time.Minute,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		}}
	log.Info("listening", "addr", rc.Addr)
	log.Info("storing", "dir", where, "path", cmp.Or(cfg.path, "any"), "auth", cfg.user != "" || cfg.password != "" || h.Authenticate != nil)
	if cfg.user == "" && cfg.password == "" && h.Authenticate == nil {
		log.Warn("no credentials set: accepting requests without authentication")
	}
	go func() {
		defer close(rc.done)
		err := rc.srv.Serve(ln)
		if !errors.Is(err, http.ErrServerClosed) {
			rc.err = err
		}
	}()
	go func() {
		defer close(rc.stopped)
		select {
		case <-ctx.Done():
		case <-rc.done:
			st.close() //nolint:errcheck // only the lock is released
			return     // Serve failed by itself
		}
		// Serve returns as soon as Shutdown starts; requests in flight
		// (a store being fsynced) finish before stopped is closed.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := rc.srv.Shutdown(sctx); err != nil {
			rc.srv.Close() //nolint:errcheck // forced after a timed-out graceful shutdown
		}
		<-rc.done
		ext.close()
		st.close() //nolint:errcheck // only the lock is released
		log.Info("stopped", "addr", rc.Addr)
	}()
	return rc, nil
}

// newServeHandler returns the mm7.Handler of mm7 serve: every
// DeliverReq, DeliveryReportReq and ReadReplyReq is saved in st (the
// filesystem store or the JetStream sink) before it is answered.
func newServeHandler(st inboundStore, cfg serveConfig, log *slog.Logger) *mm7.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &mm7.Handler{Username: cfg.user, Password: cfg.password, MaxBodyBytes: cfg.maxBodyBytes, MaxInFlight: cfg.maxInFlight, Logger: log}
	cfg.ext.configure(h)
	save := func(ctx context.Context, r *mm7.Request) error {
		res, err := st.save(ctx, r)
		cfg.ext.observeSave(res, err)
		if err != nil {
			return err
		}
		attrs := []slog.Attr{slog.String("kind", res.Kind), logValue("id", res.ID),
			logValue("transaction_id", r.TransactionID()), logValue("from", res.Summary.from)}
		if res.Summary.messageID != "" {
			attrs = append(attrs, logValue("message_id", res.Summary.messageID),
				logValue("recipient", res.Summary.recipient), logValue("status", res.Summary.status))
		}
		if res.Duplicate {
			log.LogAttrs(ctx, slog.LevelInfo, "duplicate, already stored", attrs...)
		} else {
			attrs = append(attrs, slog.Int("attachments", res.Attachments), slog.String("dir", res.Dir))
			log.LogAttrs(ctx, slog.LevelInfo, "stored", attrs...)
		}
		if cfg.onSaved != nil {
			cfg.onSaved(res)
		}
		return nil
	}
	h.OnDeliver, h.OnDeliveryReport, h.OnReadReply = save, save, save
	return h
}

// Wait waits until the receiver stopped and returns why, nil after a
// graceful shutdown.
func (rc *receiver) Wait() error {
	<-rc.stopped
	return rc.err
}

func runServe(ctx context.Context, e *env, args []string) int {
	c := commands["serve"]
	fs := newFlags(e, c)
	var cfg serveConfig
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8078", "listen on `HOST:PORT` (port 0: a free port)")
	fs.StringVar(&cfg.path, "path", "", "serve only this URL `path` (default: any path)")
	fs.StringVar(&cfg.out, "out", "mm7-inbox", "store messages under `DIR`")
	fs.StringVar(&cfg.user, "user", "", "Basic Auth user `name` requests must carry")
	pwFile := passwordFileFlag(fs)
	fs.Int64Var(&cfg.maxBodyBytes, "max-body-bytes", mm7.DefaultMaxBodyBytes, "largest request body accepted (else HTTP 413)")
	fs.IntVar(&cfg.maxInFlight, "max-in-flight", 64, "requests served at once; more get HTTP 503 with Retry-After (0: no cap)")
	verbose := fs.Bool("v", false, "debug logging")
	cfg.ext = addServeExtFlags(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if err := flagsFromEnv(e, fs); err != nil {
		fmt.Fprintf(e.stderr, "mm7 serve: %v\nTry 'mm7 serve -h'.\n", err)
		return exitUsage
	}
	if err := cfg.ext.check(&cfg); err != nil {
		fmt.Fprintf(e.stderr, "mm7 serve: %v\nTry 'mm7 serve -h'.\n", err)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "mm7 serve: unexpected argument %q\nTry 'mm7 serve -h'.\n", fs.Arg(0))
		return exitUsage
	}
	if cfg.maxInFlight < 0 {
		fmt.Fprintf(e.stderr, "mm7 serve: --max-in-flight must be 0 (no cap) or more\nTry 'mm7 serve -h'.\n")
		return exitUsage
	}
	if cfg.path != "" && !strings.HasPrefix(cfg.path, "/") {
		fmt.Fprintf(e.stderr, "mm7 serve: --path must start with /\nTry 'mm7 serve -h'.\n")
		return exitUsage
	}
	pass, err := readPassword(e, *pwFile)
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	if cfg.user != "" && pass == "" {
		// Basic Auth with an empty password would let anyone who knows the
		// user name in.
		fmt.Fprintf(e.stderr, "mm7 serve: --user needs a password: set %s or --password-file\nTry 'mm7 serve -h'.\n", passwordEnv)
		return exitUsage
	}
	cfg.password = pass
	cfg.log = newLogger(e.stderr, *verbose)
	if err := cfg.ext.setup(ctx, &cfg); err != nil {
		return fail(e, c.name, exitFail, err)
	}
	rc, err := startServe(ctx, cfg)
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	if err := rc.Wait(); err != nil {
		return fail(e, c.name, exitFail, err)
	}
	return exitOK
}
