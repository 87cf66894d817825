package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/openmms/mm7go/mm7nats"
)

// natsFlags are the flags naming a JetStream deployment.
type natsFlags struct {
	creds     string
	replicas  int
	prefix    string
	inlineMax int64
	maxAge    time.Duration
}

func (n *natsFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&n.creds, "nats-creds", "", "NATS credentials `FILE` (JWT and NKey seed); user and password can also go in the URL")
	fs.IntVar(&n.replicas, "nats-replicas", 1, "replication `factor` of the streams and buckets created (3 on a 3-node cluster)")
	fs.StringVar(&n.prefix, "nats-prefix", "mm7", "`prefix` of the subjects, streams and buckets")
	fs.DurationVar(&n.maxAge, "nats-max-age", 0, "drop received messages, results and dead letters older than this from their streams (default: keep)")
	fs.Int64Var(&n.inlineMax, "inline-max", 64<<10, "largest attachment carried inside a NATS message, in `bytes`; larger ones go to the object store")
}

// checkNATSURLs checks a comma-separated list of nats:// URLs.
func checkNATSURLs(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("empty NATS URL")
	}
	for _, one := range strings.Split(s, ",") {
		u, err := url.Parse(strings.TrimSpace(one))
		if err != nil || (u.Scheme != "nats" && u.Scheme != "tls" && u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
			return fmt.Errorf("%q is not a NATS URL (want nats://HOST:PORT[,nats://...])", redactURL(one))
		}
	}
	return nil
}

// redactURL drops the password of a URL for messages.
func redactURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// connectBus connects to the NATS servers at urls and opens the Bus; the
// returned function closes the connection.
func connectBus(ctx context.Context, name, urls string, nf natsFlags) (*mm7nats.Bus, func(), error) {
	if err := checkNATSURLs(urls); err != nil {
		return nil, nil, err
	}
	opts := []nats.Option{nats.Name(name), nats.MaxReconnects(-1), nats.ReconnectWait(250 * time.Millisecond), nats.Timeout(5 * time.Second)}
	if nf.creds != "" {
		opts = append(opts, nats.UserCredentials(nf.creds))
	}
	nc, err := nats.Connect(urls, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("NATS %s: %w", redactURL(strings.Split(urls, ",")[0]), err)
	}
	js, err := jetstream.New(nc, jetstream.WithDefaultTimeout(5*time.Second))
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	octx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	bus, err := mm7nats.Open(octx, js, mm7nats.Config{Prefix: nf.prefix, Replicas: nf.replicas, InlineMax: nf.inlineMax, MaxAge: nf.maxAge})
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	return bus, func() { nc.Drain() }, nil //nolint:errcheck // closing at exit
}
