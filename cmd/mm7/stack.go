package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7nats"
)

func init() {
	register(&command{name: "stack", usage: "[--dir DIR] [--addr HOST:PORT] [--nats-addr HOST:PORT] [--url MMSC] [flags]",
		short: "serve + relay + an embedded NATS JetStream server, in one process",
		long: `Runs what a deployment at scale runs, on one machine and without a NATS
install: an embedded NATS server with JetStream persisted under DIR/jetstream,
mm7 serve storing into it (--sink), and mm7 relay submitting the jobs that
mm7 send --queue nats://NATS-ADDR enqueues. Other processes can use the NATS
server too (more serve replicas, more relays, your consumers of mm7.in.>
and mm7.results.>).

Inbound credentials: --user with ` + passwordEnv + ` (or --password-file), or --accounts-file.
MMSC credentials: --mmsc-user with MM7_MMSC_PASSWORD (or --mmsc-password-file).

Exit codes: 0 stopped by a signal; 1 could not start; 2 usage.`,
		run: runStack})
}

func runStack(ctx context.Context, e *env, args []string) int {
	c := commands["stack"]
	fs := newFlags(e, c)
	var cfg serveConfig
	var rf relayFlags
	dir := fs.String("dir", "mm7-data", "keep the JetStream data under `DIR`/jetstream")
	natsAddr := fs.String("nats-addr", "127.0.0.1:4222", "NATS client listen `HOST:PORT` (port 0: a free port)")
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8078", "MM7 listen `HOST:PORT` (port 0: a free port)")
	fs.StringVar(&cfg.path, "path", "", "serve only this URL `path` (default: any path)")
	fs.StringVar(&cfg.user, "user", "", "Basic Auth user `name` the MMSC must send")
	pwFile := passwordFileFlag(fs)
	accountsFile := fs.String("accounts-file", "", "accept several accounts: `FILE` of user:password lines (instead of --user)")
	fs.Int64Var(&cfg.maxBodyBytes, "max-body-bytes", mm7.DefaultMaxBodyBytes, "largest request body accepted (else HTTP 413)")
	correlateWait := fs.Duration("correlation-wait", 2*time.Second, "how long a delivery report waits for the relay job of its MessageID")
	metricsAddr := fs.String("metrics-addr", "", "serve /metrics, /healthz and /readyz on `HOST:PORT` (default: off)")
	rf.add(fs, false, "mmsc-user")
	mmscPwFile := fs.String("mmsc-password-file", "", "read the MMSC password from `FILE` (default: MM7_MMSC_PASSWORD)")
	verbose := fs.Bool("v", false, "debug logging")
	// --user is the inbound user here; the relay's goes in --mmsc-user.
	if code, ok := parse(fs, args); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "mm7 stack: %s\nTry 'mm7 stack -h'.\n", fmt.Sprintf(format, a...))
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	if err := flagsFromEnv(e, fs); err != nil {
		return usageErr("%v", err)
	}
	host, portStr, err := net.SplitHostPort(*natsAddr)
	port, perr := strconv.Atoi(portStr)
	if err != nil || perr != nil || port < 0 || port > 65535 {
		return usageErr("--nats-addr: want HOST:PORT, got %q", *natsAddr)
	}
	if port == 0 {
		port = -1 // a free port
	}
	pass, err := readPassword(e, *pwFile)
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	if cfg.user != "" && pass == "" {
		return usageErr("--user needs a password: set %s or --password-file", passwordEnv)
	}
	cfg.password = pass
	mmscPass, err := readSecret(e, "MM7_MMSC_PASSWORD", *mmscPwFile)
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	log := newLogger(e.stderr, *verbose)
	ext := &serveExt{accountsFile: *accountsFile, metricsAddr: *metricsAddr}
	if err := ext.check(&cfg); err != nil {
		return usageErr("%v", err)
	}
	cfg.log = log
	if err := ext.setup(ctx, &cfg); err != nil { // accounts, metrics
		return fail(e, c.name, exitFail, err)
	}
	log = cfg.log
	acct, err := rf.relayAccount(mmscPass, log)
	if err != nil {
		return usageErr("%v", err)
	}

	ns, err := mm7nats.RunServer(mm7nats.ServerOptions{Dir: filepath.Join(*dir, "jetstream"), Host: host, Port: port})
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
	log.Info("nats listening", "url", ns.ClientURL(), "dir", filepath.Join(*dir, "jetstream"))
	bus, closeBus, err := connectBus(ctx, "mm7 stack", ns.ClientURL(), natsFlags{replicas: 1, prefix: "mm7"})
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	defer closeBus()
	ext.sinkURL, ext.ready = ns.ClientURL(), bus.Ready
	ext.store = &natsStore{sink: &mm7nats.Sink{Bus: bus, Logger: log, CorrelationWait: *correlateWait}}
	cfg.ext = ext
	rc, err := startServe(ctx, cfg)
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	sum := &relaySummary{}
	m := ext.metrics
	r := rf.newRelay(bus, map[string]*mm7nats.Account{rf.account: acct}, sum, m, log)
	var wg sync.WaitGroup
	var relayErr error
	wg.Go(func() { relayErr = r.Run(ctx) })
	if m != nil {
		go watchLag(ctx, r, m)
	}
	log.Info("relaying", "subject", bus.JobSubject(rf.account), "mmsc", redactURL(rf.url), "rate", rf.rate,
		"enqueue", "mm7 send --queue "+ns.ClientURL()+" --to … --text …")
	serveErr := rc.Wait()
	wg.Wait()
	for _, err := range []error{serveErr, relayErr} {
		if err != nil {
			return fail(e, c.name, exitFail, err)
		}
	}
	if err := json.NewEncoder(e.stdout).Encode(sum); err != nil {
		return fail(e, c.name, exitFail, err)
	}
	return exitOK
}
