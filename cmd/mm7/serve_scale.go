package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/openmms/mm7go/internal/metrics"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7nats"
)

// An inboundStore keeps what mm7 serve receives: the filesystem store
// (the default) or a JetStream sink (--sink).
type inboundStore interface {
	save(ctx context.Context, r *mm7.Request) (*saveResult, error)
}

// serveExt holds the flags of mm7 serve for running at scale: the
// JetStream sink, several accounts, TLS, source filtering, metrics.
type serveExt struct {
	sinkURL        string
	nats           natsFlags
	accountsFile   string
	tlsCert        string
	tlsKey         string
	tlsClientCA    string
	allow          listFlag
	trustedProxies listFlag
	metricsAddr    string
	correlateWait  time.Duration

	// resolved by setup
	store     inboundStore
	accounts  mm7.Accounts
	allowNets []netip.Prefix
	proxies   []netip.Prefix
	tls       *tls.Config
	metrics   *metrics.Metrics
	ready     func(context.Context) error
	closers   []func()
}

func addServeExtFlags(fs *flag.FlagSet) *serveExt {
	x := &serveExt{}
	fs.StringVar(&x.sinkURL, "sink", "", "store into NATS JetStream at `URL` (nats://HOST:4222, comma-separated for a cluster) instead of --out")
	x.nats.add(fs)
	fs.StringVar(&x.accountsFile, "accounts-file", "", "accept several accounts: `FILE` of user:password lines (instead of --user)")
	fs.StringVar(&x.tlsCert, "tls-cert", "", "serve HTTPS with this certificate `FILE` (PEM; with --tls-key)")
	fs.StringVar(&x.tlsKey, "tls-key", "", "private key `FILE` of --tls-cert (PEM)")
	fs.StringVar(&x.tlsClientCA, "tls-client-ca", "", "require client certificates issued by the CAs in `FILE` (PEM)")
	fs.Var(&x.allow, "allow", "accept requests only from `CIDR` (repeatable, comma-separated; \"vibes\": Vibes' callback addresses)")
	fs.Var(&x.trustedProxies, "trusted-proxies", "take the client address from X-Forwarded-For on requests from these `CIDR`s (repeatable)")
	fs.DurationVar(&x.correlateWait, "correlation-wait", 0, "with --sink: how long a delivery report waits for the relay job of its MessageID (reports racing the relay's record)")
	fs.StringVar(&x.metricsAddr, "metrics-addr", "", "serve /metrics, /healthz and /readyz on `HOST:PORT` (default: off)")
	return x
}

// check validates the flags that need no I/O; its errors are usage errors.
func (x *serveExt) check(cfg *serveConfig) error {
	if (x.tlsCert == "") != (x.tlsKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if x.tlsClientCA != "" && x.tlsCert == "" {
		return errors.New("--tls-client-ca needs --tls-cert and --tls-key")
	}
	if x.accountsFile != "" && cfg.user != "" {
		return errors.New("--accounts-file and --user exclude each other")
	}
	if x.sinkURL != "" {
		if err := checkNATSURLs(x.sinkURL); err != nil {
			return fmt.Errorf("--sink: %w", err)
		}
	}
	var err error
	if x.allowNets, err = parsePrefixes(x.allow, true); err != nil {
		return fmt.Errorf("--allow: %w", err)
	}
	if x.proxies, err = parsePrefixes(x.trustedProxies, false); err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	return nil
}

// setup reads the files and connects the sink.
func (x *serveExt) setup(ctx context.Context, cfg *serveConfig) error {
	if x.accountsFile != "" {
		a, err := readAccounts(x.accountsFile)
		if err != nil {
			return err
		}
		x.accounts = a
	}
	if x.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(x.tlsCert, x.tlsKey)
		if err != nil {
			return fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		x.tls = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		if x.tlsClientCA != "" {
			pem, err := os.ReadFile(x.tlsClientCA)
			if err != nil {
				return fmt.Errorf("--tls-client-ca: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return fmt.Errorf("--tls-client-ca: no PEM certificate in %s", x.tlsClientCA)
			}
			x.tls.ClientCAs, x.tls.ClientAuth = pool, tls.RequireAndVerifyClientCert
		}
	}
	if x.metricsAddr != "" {
		x.metrics = metrics.New()
		cfg.log = slog.New(x.metrics.Handler(cfg.log.Handler()))
	}
	if x.sinkURL != "" {
		bus, closeBus, err := connectBus(ctx, "mm7 serve", x.sinkURL, x.nats)
		if err != nil {
			return fmt.Errorf("--sink: %w", err)
		}
		x.closers = append(x.closers, closeBus)
		x.store = &natsStore{sink: &mm7nats.Sink{Bus: bus, Logger: cfg.log, CorrelationWait: x.correlateWait}}
		x.ready = bus.Ready
	}
	return nil
}

// configure applies the accounts and source filter to the Handler.
func (x *serveExt) configure(h *mm7.Handler) {
	if x == nil {
		return
	}
	if x.accounts != nil {
		h.Authenticate = x.accounts.Authenticate
	}
	h.AllowedNetworks = x.allowNets
}

// wrap puts the trusted-proxy rewrite in front of the Handler.
func (x *serveExt) wrap(h http.Handler) http.Handler {
	if len(x.proxies) == 0 {
		return h
	}
	return forwardedFor(x.proxies, h)
}

// listener wraps ln in TLS when configured.
func (x *serveExt) listener(ln net.Listener) net.Listener {
	if x.tls == nil {
		return ln
	}
	return tls.NewListener(ln, x.tls)
}

// start serves the metrics endpoint until ctx ends.
func (x *serveExt) start(ctx context.Context, log *slog.Logger) error {
	if x.metrics == nil {
		return nil
	}
	return serveMetrics(ctx, x.metricsAddr, x.metrics, x.ready, log)
}

func (x *serveExt) close() {
	for _, c := range x.closers {
		c()
	}
}

// observeSave counts a store outcome.
func (x *serveExt) observeSave(res *saveResult, err error) {
	if x == nil || x.metrics == nil {
		return
	}
	if err != nil {
		sink := "filesystem"
		if x.sinkURL != "" {
			sink = "nats"
		}
		var ra *mm7.RetryAfterError
		if errors.As(err, &ra) || strings.HasPrefix(err.Error(), "store:") {
			x.metrics.StoreErrors.WithLabelValues(sink).Inc()
		}
		return
	}
	x.metrics.Stored.WithLabelValues(res.Kind, fmt.Sprint(res.Duplicate)).Inc()
}

// serveMetrics serves m's endpoints on addr until ctx ends.
func serveMetrics(ctx context.Context, addr string, m *metrics.Metrics, ready func(context.Context) error, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--metrics-addr: %w", err)
	}
	srv := &http.Server{Handler: m.Mux(ready), ReadHeaderTimeout: 5 * time.Second}
	log.Info("metrics listening", "addr", ln.Addr().String())
	go srv.Serve(ln) //nolint:errcheck // ends with Shutdown
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx) //nolint:errcheck // best effort at exit
	}()
	return nil
}

// A natsStore is the JetStream sink seen as mm7 serve's store.
type natsStore struct{ sink *mm7nats.Sink }

func (s *natsStore) save(ctx context.Context, r *mm7.Request) (*saveResult, error) {
	st, err := s.sink.Store(ctx, r)
	if err != nil {
		return nil, err
	}
	return &saveResult{Kind: storeKinds[r.Kind()], ID: st.ID, Dir: fmt.Sprintf("%s#%d", st.Subject, st.Sequence),
		TransactionID: r.TransactionID(), Summary: summarize(r), Attachments: len(st.Inbound.Attachments), Duplicate: st.Duplicate}, nil
}

// readAccounts reads an accounts file: one user:password per line; blank
// lines and lines starting with # are skipped. Errors name the line,
// never its content.
func readAccounts(name string) (mm7.Accounts, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("--accounts-file: %w", err)
	}
	defer f.Close()
	a := mm7.Accounts{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(strings.TrimSuffix(sc.Text(), "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		user, pw, ok := strings.Cut(line, ":")
		user = strings.TrimSpace(user)
		switch {
		case !ok || user == "":
			return nil, fmt.Errorf("--accounts-file %s line %d: want user:password", name, n)
		case pw == "":
			return nil, fmt.Errorf("--accounts-file %s line %d: empty password for %q", name, n, user)
		}
		if _, dup := a[user]; dup {
			return nil, fmt.Errorf("--accounts-file %s line %d: user %q listed twice", name, n, user)
		}
		a[user] = mm7.Secret(pw)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--accounts-file %s: %w", name, err)
	}
	if len(a) == 0 {
		return nil, fmt.Errorf("--accounts-file %s: no account", name)
	}
	return a, nil
}

// parsePrefixes reads CIDRs or single addresses, comma-separated or
// repeated; with presets, "vibes" stands for Vibes' callback addresses.
func parsePrefixes(list []string, presets bool) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range list {
		for _, s := range strings.Split(item, ",") {
			s = strings.TrimSpace(s)
			switch {
			case s == "":
				continue
			case presets && strings.EqualFold(s, "vibes"):
				out = append(out, mm7.VibesCallbackNetworks...)
				continue
			}
			if p, err := netip.ParsePrefix(s); err == nil {
				out = append(out, p.Masked())
				continue
			}
			a, err := netip.ParseAddr(s)
			if err != nil {
				return nil, fmt.Errorf("%q is not a CIDR or address", s)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		}
	}
	return out, nil
}

// forwardedFor sets RemoteAddr from X-Forwarded-For on requests that come
// from a trusted proxy: the right-most address that is not itself a
// trusted proxy (what the first untrusted hop connected from). Requests
// from elsewhere keep their address, whatever header they carry.
func forwardedFor(trusted []netip.Prefix, next http.Handler) http.Handler {
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer, err := netip.ParseAddrPort(r.RemoteAddr)
		if err != nil || !isTrusted(peer.Addr().Unmap()) {
			next.ServeHTTP(w, r)
			return
		}
		var hops []string
		for _, v := range r.Header.Values("X-Forwarded-For") {
			hops = append(hops, strings.Split(v, ",")...)
		}
		for i := len(hops) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // a malformed hop: trust nothing beyond it
			}
			a = a.Unmap()
			if isTrusted(a) && i > 0 {
				continue
			}
			r2 := r.Clone(r.Context())
			r2.RemoteAddr = netip.AddrPortFrom(a, 0).String()
			next.ServeHTTP(w, r2)
			return
		}
		next.ServeHTTP(w, r)
	})
}
