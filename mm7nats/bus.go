package mm7nats

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Config names and sizes what [Open] creates. The zero Config is usable.
type Config struct {
	// Prefix starts every subject ("mm7" by default); stream and bucket
	// names are its upper-case form followed by _IN, _JOBS, ...
	Prefix string
	// Replicas is the replication factor of every stream and bucket: 1
	// (the default) on a single server, 3 on a 3-node cluster.
	Replicas int
	// InlineMax is the largest attachment carried inside a message; larger
	// ones go to the object store. 0 means 64 KiB.
	InlineMax int64
	// DedupeTTL is how long a received message is remembered, so that a
	// repeat is stored once; 0 means 24 h. Shorter values are raised to
	// 24 h: MMSCs retry for hours.
	DedupeTTL time.Duration
	// SentTTL is how long job outcomes (and the MessageID → job mapping
	// that correlates delivery reports) are kept; 0 means 7 days.
	SentTTL time.Duration
	// DuplicateWindow is JetStream's duplicate window of the streams; 0
	// means 2 minutes.
	DuplicateWindow time.Duration
	// MaxAge, when set, removes received messages, results and dead
	// letters older than this from their streams; 0 keeps them until
	// deleted. (Open applies the configuration on every start, so set
	// limits here rather than by editing the streams.)
	MaxAge time.Duration
}

const (
	defaultInlineMax = 64 << 10
	minDedupeTTL     = 24 * time.Hour
)

func (c Config) prefix() string {
	if c.Prefix == "" {
		return "mm7"
	}
	return c.Prefix
}

func (c Config) name(suffix string) string {
	return strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(c.prefix())) + "_" + suffix
}

func (c Config) inlineMax() int64 {
	if c.InlineMax <= 0 {
		return defaultInlineMax
	}
	return c.InlineMax
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// A Bus is the JetStream side of a deployment: its streams, buckets and
// object store. It is safe for concurrent use.
type Bus struct {
	JS  jetstream.JetStream
	cfg Config

	in, jobs, results, dead jetstream.Stream
	dedupe, sent            jetstream.KeyValue
	objects                 jetstream.ObjectStore
}

// Open creates or updates the streams, buckets and object store of cfg
// and returns the Bus that uses them.
func Open(ctx context.Context, js jetstream.JetStream, cfg Config) (*Bus, error) {
	if strings.ContainsAny(cfg.prefix(), " *>\t\r\n") || strings.HasPrefix(cfg.prefix(), ".") || strings.HasSuffix(cfg.prefix(), ".") {
		return nil, fmt.Errorf("mm7nats: prefix %q is not a valid subject prefix", cfg.prefix())
	}
	if cfg.Replicas <= 0 {
		cfg.Replicas = 1
	}
	cfg.DedupeTTL = max(cfg.DedupeTTL, minDedupeTTL)
	b := &Bus{JS: js, cfg: cfg}
	dup := orDefault(cfg.DuplicateWindow, 2*time.Minute)
	var err error
	mk := func(suffix, subj string, ret jetstream.RetentionPolicy) (jetstream.Stream, error) {
		sc := jetstream.StreamConfig{
			Name: cfg.name(suffix), Subjects: []string{b.subject(subj, ">")}, Retention: ret,
			Storage: jetstream.FileStorage, Replicas: cfg.Replicas, Duplicates: dup,
		}
		if ret == jetstream.LimitsPolicy && cfg.MaxAge > 0 {
			sc.MaxAge = max(cfg.MaxAge, dup)
		}
		s, err := js.CreateOrUpdateStream(ctx, sc)
		if err != nil {
			return nil, fmt.Errorf("mm7nats: stream %s: %w", cfg.name(suffix), err)
		}
		return s, nil
	}
	if b.in, err = mk("IN", "in", jetstream.LimitsPolicy); err != nil {
		return nil, err
	}
	if b.jobs, err = mk("JOBS", "jobs", jetstream.WorkQueuePolicy); err != nil {
		return nil, err
	}
	if b.results, err = mk("RESULTS", "results", jetstream.LimitsPolicy); err != nil {
		return nil, err
	}
	if b.dead, err = mk("DEAD", "dead", jetstream.LimitsPolicy); err != nil {
		return nil, err
	}
	if b.dedupe, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: cfg.name("DEDUPE"),
		TTL: cfg.DedupeTTL, Replicas: cfg.Replicas, Storage: jetstream.FileStorage}); err != nil {
		return nil, fmt.Errorf("mm7nats: bucket %s: %w", cfg.name("DEDUPE"), err)
	}
	if b.sent, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: cfg.name("SENT"),
		TTL: orDefault(cfg.SentTTL, 7*24*time.Hour), Replicas: cfg.Replicas, Storage: jetstream.FileStorage}); err != nil {
		return nil, fmt.Errorf("mm7nats: bucket %s: %w", cfg.name("SENT"), err)
	}
	if b.objects, err = js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: cfg.name("OBJECTS"),
		Replicas: cfg.Replicas, Storage: jetstream.FileStorage, TTL: orDefault(cfg.SentTTL, 7*24*time.Hour)}); err != nil {
		return nil, fmt.Errorf("mm7nats: object store %s: %w", cfg.name("OBJECTS"), err)
	}
	return b, nil
}

// Config returns the configuration the Bus was opened with, defaults
// applied.
func (b *Bus) Config() Config { return b.cfg }

// subject joins the prefix and tokens.
func (b *Bus) subject(tokens ...string) string {
	return b.cfg.prefix() + "." + strings.Join(tokens, ".")
}

// InboundSubject returns the subject of received messages of a store kind
// ("deliver", "delivery-report", "read-reply").
func (b *Bus) InboundSubject(kind string) string { return b.subject("in", kind) }

// JobSubject, ResultSubject and DeadSubject return the subjects of an
// account's jobs, results and dead letters.
func (b *Bus) JobSubject(account string) string { return b.subject("jobs", subjectToken(account)) }
func (b *Bus) ResultSubject(account string) string {
	return b.subject("results", subjectToken(account))
}
func (b *Bus) DeadSubject(account string) string { return b.subject("dead", subjectToken(account)) }

// Ready reports whether JetStream answers, within ctx.
func (b *Bus) Ready(ctx context.Context) error {
	if _, err := b.JS.AccountInfo(ctx); err != nil {
		return fmt.Errorf("mm7nats: JetStream not reachable: %w", err)
	}
	return nil
}

// subjectToken turns an account name into one subject token: itself when
// it is made of letters, digits, - and _ only (and not empty), else
// "x" and a hash, so that different names never share a subject.
func subjectToken(s string) string {
	if s == "" {
		return "_default"
	}
	ok := len(s) <= 64
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			ok = false
			break
		}
	}
	if ok && s != "_default" {
		return s
	}
	h := sha256.Sum256([]byte(s))
	return "x" + hex.EncodeToString(h[:12])
}

// hashKey returns a KV-safe key for arbitrary parts.
func hashKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s|", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// isNotFound reports a missing key or object.
func isNotFound(err error) bool {
	return errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrObjectNotFound)
}

func hashKeyBytes(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
