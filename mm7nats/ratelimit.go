package mm7nats

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A tokenBucket paces submissions: rate tokens per second, at most burst
// saved up. Each wait reserves a token, possibly in the future, so that
// the long-run rate is exact whatever the timer precision.
type tokenBucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

func newTokenBucket(rate float64, burst int) *tokenBucket {
	if rate <= 0 {
		return nil
	}
	b := float64(max(burst, 1))
	return &tokenBucket{rate: rate, burst: b, tokens: b, last: time.Now()}
}

// wait blocks until the caller may go, or ctx ends (the reservation is
// then given back).
func (b *tokenBucket) wait(ctx context.Context) error {
	if b == nil {
		return ctx.Err()
	}
	b.mu.Lock()
	now := time.Now()
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	b.tokens--
	var d time.Duration
	if b.tokens < 0 {
		d = time.Duration(-b.tokens / b.rate * float64(time.Second))
	}
	b.mu.Unlock()
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		b.mu.Lock()
		b.tokens++
		b.mu.Unlock()
		return ctx.Err()
	}
}

// ParseRate reads a rate such as "50/s", "3000/m", "100000/h" or "20"
// (per second) and returns it in events per second; "" and "0" mean no
// limit (0).
func ParseRate(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return 0, nil
	}
	num, unit, _ := strings.Cut(s, "/")
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || n < 0 || n != n {
		return 0, fmt.Errorf("rate %q: want N/s, N/m or N/h with N a positive number", s)
	}
	switch strings.TrimSpace(strings.ToLower(unit)) {
	case "", "s", "sec", "second":
		return n, nil
	case "m", "min", "minute":
		return n / 60, nil
	case "h", "hour":
		return n / 3600, nil
	}
	return 0, fmt.Errorf("rate %q: unit must be s, m or h", s)
}
