package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/openmms/mm7go/internal/metrics"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7nats"
)

func init() {
	register(&command{name: "relay", usage: "--queue nats://HOST:4222 [--url MMSC] [--user NAME] [--rate 50/s] [flags]",
		short: "submit the MT jobs queued in NATS JetStream (mm7 send --queue) to an MMSC",
		long: `Consumes the jobs of one account (--account; "" is the default account of
mm7 send --queue) from the JetStream work queue and submits each with
SubmitReq, at most --rate per second and --concurrency at once. Retryable
answers (3000, 4006, and 4005 for Vibes; HTTP 429/5xx without MM7 body;
network errors) are retried with backoff; other statuses end the job; after
--max-deliver deliveries a job goes to the dead-letter subject
PREFIX.dead.<account>. Each outcome (job id, MessageID, status, version,
attempts) is published to PREFIX.results.<account>. The MessageID of an
accepted job is recorded before the job is acknowledged, so a relay that
crashes does not submit it twice (see docs/scale.md for the one window that
remains). Several relays with the same --name share the work.

Every flag can also be set with its MM7_… environment variable (--rate:
MM7_RATE); the MMSC password comes from ` + passwordEnv + ` or --password-file.

stdout, when stopped: {"accepted","rejected","dead","retries","replayed"}
Exit codes: 0 stopped by a signal; 1 could not connect; 2 usage.`,
		run: runRelay})
}

// relayFlags configure one relay account.
type relayFlags struct {
	queue, url, user, version, account, rate, name, metricsAddr string
	burst, concurrency, maxDeliver                              int
	timeout, backoffBase, backoffMax                            time.Duration
	nats                                                        natsFlags
}

// add defines the flags; userFlag names the MMSC user flag ("user" in
// mm7 relay, "mmsc-user" in mm7 stack, whose --user is the inbound one).
func (f *relayFlags) add(fs *flag.FlagSet, withQueue bool, userFlag string) {
	if withQueue {
		fs.StringVar(&f.queue, "queue", "", "NATS `URL` of the job queue (nats://HOST:4222, comma-separated for a cluster)")
		f.nats.add(fs)
		fs.StringVar(&f.metricsAddr, "metrics-addr", "", "serve /metrics, /healthz and /readyz on `HOST:PORT` (default: off)")
	}
	fs.StringVar(&f.url, "url", mm7.VibesEndpoint, "MMSC endpoint `URL`")
	fs.StringVar(&f.user, userFlag, "", "Basic Auth user `name` at the MMSC")
	fs.StringVar(&f.version, "version", "6.8.0", "MM7 version: 6.8.0, 5.5.0 or auto")
	fs.StringVar(&f.account, "account", "", "job `account` to serve (the --account of mm7 send --queue)")
	fs.StringVar(&f.rate, "rate", "", "most submissions per second: `N/s`, N/m or N/h (default: no limit)")
	fs.IntVar(&f.burst, "burst", 1, "submissions allowed at once after a pause")
	fs.IntVar(&f.concurrency, "concurrency", 4, "submissions in flight at most")
	fs.IntVar(&f.maxDeliver, "max-deliver", 10, "deliveries of a job before it goes to the dead-letter subject")
	fs.DurationVar(&f.timeout, "timeout", mm7.DefaultTimeout, "give up one submission after this long")
	fs.DurationVar(&f.backoffBase, "backoff", 2*time.Second, "first retry delay (doubled each time)")
	fs.DurationVar(&f.backoffMax, "backoff-max", 5*time.Minute, "longest retry delay")
	fs.StringVar(&f.name, "name", "mm7-relay", "consumer `name`: relays with the same name share the work (one name per account)")
}

// relayAccount builds the relay account of the flags.
func (f *relayFlags) relayAccount(pass mm7.Secret, log *slog.Logger) (*mm7nats.Account, error) {
	rate, err := mm7nats.ParseRate(f.rate)
	if err != nil {
		return nil, fmt.Errorf("--rate: %w", err)
	}
	var versions []mm7.Version
	switch strings.ToLower(strings.TrimSpace(f.version)) {
	case "auto":
		versions = []mm7.Version{mm7.Rel6, mm7.Rel5}
	default:
		v, err := mm7.ParseVersion(f.version)
		if err != nil {
			return nil, fmt.Errorf("--version: want 6.8.0, 5.5.0 or auto, got %q", f.version)
		}
		versions = []mm7.Version{v}
	}
	if f.concurrency <= 0 || f.burst <= 0 || f.maxDeliver <= 0 || f.timeout <= 0 {
		return nil, errors.New("--concurrency, --burst, --max-deliver and --timeout must be positive")
	}
	profile := mm7.Profile{}
	if isVibes(f.url) {
		profile = mm7.ProfileVibes
	}
	client, err := mm7.NewClient(f.url, func(o *mm7.Options) {
		o.Username, o.Password, o.Versions, o.Logger, o.Profile = f.user, pass, versions, log, profile
	})
	if err != nil {
		return nil, fmt.Errorf("--url: %w", err)
	}
	return &mm7nats.Account{Client: client, Profile: profile, Rate: rate, Burst: f.burst, Concurrency: f.concurrency, Timeout: f.timeout}, nil
}

// relaySummary is what mm7 relay prints when it stops.
type relaySummary struct {
	mu       sync.Mutex
	Accepted int `json:"accepted"`
	Rejected int `json:"rejected"`
	Dead     int `json:"dead"`
	Retries  int `json:"retries"`
	Replayed int `json:"replayed"`
}

func (s *relaySummary) count(o mm7nats.Outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch o.State {
	case mm7nats.StateAccepted:
		s.Accepted++
	case mm7nats.StateRejected:
		s.Rejected++
	case mm7nats.StateDead:
		s.Dead++
	case "retry":
		s.Retries++
	case "replayed":
		s.Replayed++
	}
}

// newRelay builds the relay of the flags over bus, counting outcomes in
// sum and m (m may be nil).
func (f *relayFlags) newRelay(bus *mm7nats.Bus, accounts map[string]*mm7nats.Account, sum *relaySummary, m *metrics.Metrics, log *slog.Logger) *mm7nats.Relay {
	return &mm7nats.Relay{Bus: bus, Accounts: accounts, MaxDeliver: f.maxDeliver,
		Backoff: mm7.Backoff{Base: f.backoffBase, Max: f.backoffMax, Jitter: 0.2}, Name: f.name, Logger: log,
		OnOutcome: func(o mm7nats.Outcome) {
			sum.count(o)
			if m == nil {
				return
			}
			m.Jobs.WithLabelValues(o.Account, o.State).Inc()
			if o.State == "retry" {
				m.Retries.WithLabelValues(o.Account).Inc()
			}
			if o.Duration > 0 {
				m.SubmitLatency.WithLabelValues(o.Account).Observe(o.Duration.Seconds())
			}
		}}
}

// watchLag updates the queue-lag gauge every few seconds until ctx ends.
func watchLag(ctx context.Context, r *mm7nats.Relay, m *metrics.Metrics) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		lctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		if n, err := r.Lag(lctx); err == nil {
			m.QueueLag.Set(float64(n))
		}
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func runRelay(ctx context.Context, e *env, args []string) int {
	c := commands["relay"]
	fs := newFlags(e, c)
	var f relayFlags
	f.add(fs, true, "user")
	pwFile := passwordFileFlag(fs)
	accountsConfig := fs.String("accounts-config", "", "serve several job accounts, each with its MMSC, credentials, rate and concurrency: a JSON `FILE` (see docs/scale.md); replaces --account, --url, --user, --rate, ...")
	verbose := fs.Bool("v", false, "debug logging")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "mm7 relay: %s\nTry 'mm7 relay -h'.\n", fmt.Sprintf(format, a...))
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	if err := flagsFromEnv(e, fs); err != nil {
		return usageErr("%v", err)
	}
	if f.queue == "" {
		return usageErr("--queue is required (or %s)", envName("queue"))
	}
	if err := checkNATSURLs(f.queue); err != nil {
		return usageErr("--queue: %v", err)
	}
	pass, err := readPassword(e, *pwFile)
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	log := newLogger(e.stderr, *verbose)
	var m *metrics.Metrics
	if f.metricsAddr != "" {
		m = metrics.New()
		log = slog.New(m.Handler(log.Handler()))
	}
	accounts := map[string]*mm7nats.Account{}
	if *accountsConfig != "" {
		if accounts, err = readRelayAccounts(e, *accountsConfig, log); err != nil {
			return usageErr("%v", err)
		}
	} else {
		acct, err := f.relayAccount(pass, log)
		if err != nil {
			return usageErr("%v", err)
		}
		accounts[f.account] = acct
	}
	bus, closeBus, err := connectBus(ctx, "mm7 relay", f.queue, f.nats)
	if err != nil {
		return fail(e, c.name, exitFail, fmt.Errorf("--queue: %w", err))
	}
	defer closeBus()
	sum := &relaySummary{}
	r := f.newRelay(bus, accounts, sum, m, log)
	if m != nil {
		if err := serveMetrics(ctx, f.metricsAddr, m, bus.Ready, log); err != nil {
			return fail(e, c.name, exitFail, err)
		}
		go watchLag(ctx, r, m)
	}
	for name := range accounts {
		log.Info("relaying", "queue", redactURL(strings.Split(f.queue, ",")[0]), "subject", bus.JobSubject(name),
			"mmsc", redactURL(accounts[name].Client.Endpoint()), "rate", accounts[name].Rate, "concurrency", accounts[name].Concurrency)
	}
	if err := r.Run(ctx); err != nil {
		return fail(e, c.name, exitFail, err)
	}
	if err := json.NewEncoder(e.stdout).Encode(sum); err != nil {
		return fail(e, c.name, exitFail, err)
	}
	return exitOK
}
