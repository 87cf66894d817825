package mm7

import (
	"crypto/tls"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// A RetryPolicy tells a [Client] when to send a request again. The zero
// RetryPolicy never retries: a resent SubmitReq whose first copy reached
// the MMSC delivers the MMS twice, so retries are opt-in, for every
// operation alike.
//
// When enabled, a request is sent again only when the first copy surely
// was not processed, or the MMSC said a retry can help:
//
//   - the connection failed before any byte of the request was written
//     (dial errors such as connection refused or DNS failure, TLS handshake
//     failures other than certificate errors);
//   - HTTP 503 Service Unavailable or 429 Too Many Requests without an MM7
//     body, after the Retry-After delay when the response gives one;
//   - an MM7 status (in a response or a Fault) that the client's
//     [Profile] calls retryable: 3000 and 4006 under [ProfileTS23140],
//     also 4005 under [ProfileVibes].
//
// Timeouts, resets and 5xx answers after the request was written are not
// retried: the MMSC may have accepted the message. The context is always
// honoured: cancelling it stops a wait at once.
//
// Attachment bodies are read once per attempt, so a client that may
// resend rewinds them: bodies that implement io.Seeker are sought back to
// where they started, other bodies are read into memory first, up to
// [Options.MaxReplayBytes]; a request with larger unseekable bodies is
// sent once.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts, the first included; 0 and 1
	// mean no retries.
	MaxAttempts int
	// Backoff spaces the attempts.
	Backoff Backoff
	// MaxRetryAfter is the longest Retry-After delay honoured; a 503 or
	// 429 asking for a longer wait is returned as an error at once (its
	// [*HTTPError] says to try later). 0 means Backoff's Max.
	MaxRetryAfter time.Duration
}

// Backoff is exponential backoff: the wait before retry n (n = 1, 2, ...)
// is Base·2^(n-1), at most Max, shortened by a random fraction up to
// Jitter. The zero Backoff waits 1 s, 2 s, 4 s, ... up to 30 s without
// jitter.
type Backoff struct {
	// Base is the first wait; 0 means 1 s.
	Base time.Duration
	// Max caps every wait; 0 means 30 s.
	Max time.Duration
	// Jitter, between 0 and 1, is the largest fraction of a wait removed at
	// random, so that clients do not retry in step; 0.2 is a good choice.
	Jitter float64
}

const (
	defaultBackoffBase = time.Second
	defaultBackoffMax  = 30 * time.Second
)

// Delay returns the wait before retry n (1 for the first retry).
func (b Backoff) Delay(n int) time.Duration {
	base, ceil := b.Base, b.Max
	if base <= 0 {
		base = defaultBackoffBase
	}
	if ceil <= 0 {
		ceil = defaultBackoffMax
	}
	d := base
	for i := 1; i < n && d < ceil; i++ {
		d *= 2
	}
	d = min(d, ceil)
	if j := min(b.Jitter, 1); j > 0 {
		d -= time.Duration(rand.Float64() * j * float64(d))
	}
	return d
}

func (p RetryPolicy) enabled() bool { return p.MaxAttempts > 1 }

func (p RetryPolicy) maxRetryAfter() time.Duration {
	if p.MaxRetryAfter > 0 {
		return p.MaxRetryAfter
	}
	if p.Backoff.Max > 0 {
		return p.Backoff.Max
	}
	return defaultBackoffMax
}

// provablyNotSent reports whether err, from sending a request, proves that no
// byte of it reached the peer.
func provablyNotSent(err error, gotConn bool) bool {
	if _, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
		return false // resending will not fix a certificate
	}
	if op, ok := errors.AsType[*net.OpError](err); ok && op.Op == "dial" {
		return true
	}
	if _, ok := errors.AsType[*net.DNSError](err); ok {
		return true
	}
	// No connection was handed to the request: it failed while dialling
	// or during the TLS handshake, before anything was written.
	return !gotConn
}

// parseRetryAfter parses a Retry-After header: delay seconds or an HTTP date.
func parseRetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(min(s, 1<<31)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
