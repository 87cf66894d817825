package mm7_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

func TestBackoffDelay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		b    mm7.Backoff
		want []time.Duration // for retries 1, 2, ...
	}{
		{"zero value", mm7.Backoff{}, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}},
		{"capped", mm7.Backoff{Base: 100 * time.Millisecond, Max: 300 * time.Millisecond}, []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond, 300 * time.Millisecond}},
		{"base above max", mm7.Backoff{Base: time.Minute, Max: time.Second}, []time.Duration{time.Second, time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, want := range tt.want {
				assert.Equal(t, want, tt.b.Delay(i+1), "retry %d", i+1)
			}
		})
	}
	t.Run("huge n does not overflow", func(t *testing.T) {
		assert.Equal(t, 30*time.Second, mm7.Backoff{}.Delay(1000))
	})
	t.Run("jitter shortens within bounds", func(t *testing.T) {
		b := mm7.Backoff{Base: time.Second, Jitter: 0.5}
		seen := map[time.Duration]bool{}
		for range 200 {
			d := b.Delay(1)
			assert.GreaterOrEqual(t, d, 500*time.Millisecond)
			assert.LessOrEqual(t, d, time.Second)
			seen[d] = true
		}
		assert.Greater(t, len(seen), 1, "random")
	})
}

// retryScript answers the n-th request (1-based) with script[n-1], and
// the last entry to any later one.
func retryScript(script ...clientAnswer) clientAnswer {
	return func(w http.ResponseWriter, ex *clientExchange, n int) {
		script[min(n, len(script))-1](w, ex, n)
	}
}

func unavailable(retryAfter string) clientAnswer {
	return func(w http.ResponseWriter, _ *clientExchange, _ int) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "busy")
	}
}

func statusAnswer(code mm7.StatusCode) clientAnswer {
	return func(w http.ResponseWriter, ex *clientExchange, n int) { clientReply(w, ex, n, code) }
}

// inMemoryClient returns a client whose requests mmsc's handler serves in
// memory, for synctest bubbles.
func inMemoryClient(t *testing.T, mmsc *clientMMSC, answer clientAnswer, opts ...func(*mm7.Options)) *mm7.Client {
	t.Helper()
	hc := &http.Client{Transport: clientHandlerTransport{h: mmsc.handler(t, answer)}}
	c, err := mm7.NewClient("http://mmsc.test/mm7", append([]func(*mm7.Options){func(o *mm7.Options) {
		o.HTTPClient = hc
		o.Versions = []mm7.Version{mm7.Rel6}
	}}, opts...)...)
	require.NoError(t, err)
	return c
}

func withRetry(p mm7.RetryPolicy) func(*mm7.Options) {
	return func(o *mm7.Options) { o.Retry = p }
}

func TestClientRetry503(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name        string
		retryAfter  string
		wantElapsed time.Duration
	}{
		{"backoff", "", 2 * time.Second},
		{"Retry-After seconds", "7", 7 * time.Second},
		{"Retry-After date", "Sat, 01 Jan 2000 00:00:09 GMT", 9 * time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				if strings.Contains(tt.retryAfter, "GMT") {
					// Fake time starts at 2000-01-01 00:00:00 UTC.
					require.Equal(t, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Now().UTC())
				}
				mmsc := &clientMMSC{}
				c := inMemoryClient(t, mmsc, retryScript(unavailable(tt.retryAfter), clientSuccess),
					withRetry(mm7.RetryPolicy{MaxAttempts: 3, Backoff: mm7.Backoff{Base: 2 * time.Second}, MaxRetryAfter: time.Minute}))
				start := time.Now()
				res, err := c.Submit(t.Context(), clientSubmitReq(), []mm7.Attachment{{ContentType: "text/plain", Body: io.MultiReader(strings.NewReader("hello"))}})
				require.NoError(t, err)
				assert.Equal(t, tt.wantElapsed, time.Since(start))
				assert.Equal(t, 2, res.Attempts)
				assert.Equal(t, "msg-2", res.MessageID)
				require.Equal(t, 2, mmsc.count())
				assert.Equal(t, mmsc.exchange(0).Msg.TransactionID, mmsc.exchange(1).Msg.TransactionID, "same transaction")
				assert.Equal(t, []byte("hello"), mmsc.exchange(1).Parts[0].Data, "the unseekable attachment was replayed")
			})
		})
	}
}

func TestClientNoRetryByDefault(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		mmsc := &clientMMSC{}
		c := inMemoryClient(t, mmsc, retryScript(unavailable("1"), clientSuccess))
		res, err := c.Submit(t.Context(), clientSubmitReq(), nil)
		he, ok := errors.AsType[*mm7.HTTPError](err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, http.StatusServiceUnavailable, he.StatusCode)
		assert.True(t, he.Temporary())
		assert.Equal(t, 1, res.Attempts)
		assert.Equal(t, 1, mmsc.count())
	})
}

func TestClientRetryLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		answer clientAnswer
		policy mm7.RetryPolicy
		opt    func(*mm7.Options)
		atts   func() []mm7.Attachment
		want   int // requests
	}{
		{"MaxAttempts bounds", unavailable(""), mm7.RetryPolicy{MaxAttempts: 3}, nil, nil, 3},
		{"Retry-After over MaxRetryAfter", unavailable("120"), mm7.RetryPolicy{MaxAttempts: 3, MaxRetryAfter: time.Minute}, nil, nil, 1},
		{"Retry-After over Backoff.Max by default", unavailable("120"), mm7.RetryPolicy{MaxAttempts: 3}, nil, nil, 1},
		{"500 is not retried", func(w http.ResponseWriter, _ *clientExchange, _ int) { w.WriteHeader(http.StatusInternalServerError) },
			mm7.RetryPolicy{MaxAttempts: 3}, nil, nil, 1},
		{"unseekable body over MaxReplayBytes is sent once", unavailable(""), mm7.RetryPolicy{MaxAttempts: 3},
			func(o *mm7.Options) { o.MaxReplayBytes = 100 << 10 },
			func() []mm7.Attachment {
				return []mm7.Attachment{{ContentType: "image/gif", Body: io.MultiReader(strings.NewReader(strings.Repeat("x", 200<<10)))}}
			}, 1},
		{"unseekable body of unknown size is streamed and sent once", unavailable(""), mm7.RetryPolicy{MaxAttempts: 2},
			func(o *mm7.Options) { o.MaxReplayBytes = -1 },
			func() []mm7.Attachment {
				return []mm7.Attachment{{ContentType: "text/plain", Body: io.MultiReader(strings.NewReader("small"))}}
			}, 1},
		{"envelope-only request is resent without replay buffer", unavailable(""), mm7.RetryPolicy{MaxAttempts: 2},
			func(o *mm7.Options) { o.MaxReplayBytes = -1 }, nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				mmsc := &clientMMSC{}
				opts := []func(*mm7.Options){withRetry(tt.policy)}
				if tt.opt != nil {
					opts = append(opts, tt.opt)
				}
				c := inMemoryClient(t, mmsc, tt.answer, opts...)
				var atts []mm7.Attachment
				if tt.atts != nil {
					atts = tt.atts()
				}
				_, err := c.Submit(t.Context(), clientSubmitReq(), atts)
				require.Error(t, err)
				assert.Equal(t, tt.want, mmsc.count())
			})
		})
	}
}

func TestClientRetryByProfile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		profile mm7.Profile
		code    mm7.StatusCode
		fault   bool
		retried bool
	}{
		{"Vibes 4005 capacity", mm7.ProfileVibes, mm7.StatusServiceError, false, true},
		{"Vibes 4005 in a fault", mm7.ProfileVibes, mm7.StatusServiceError, true, true},
		{"TS 23.140 4005 must not be resent", mm7.ProfileTS23140, mm7.StatusServiceError, false, false},
		{"zero profile is TS 23.140", mm7.Profile{}, mm7.StatusServiceError, false, false},
		{"TS 23.140 3000", mm7.ProfileTS23140, mm7.StatusServerError, true, true},
		{"TS 23.140 4006", mm7.ProfileTS23140, mm7.StatusServiceUnavailable, false, true},
		{"Vibes 2503 bad carrier", mm7.ProfileVibes, mm7.VibesStatusCarrierCodeNotValid, false, false},
		{"custom profile", mm7.Profile{Name: "x", Retryable: func(c mm7.StatusCode) bool { return c == 2571 }}, 2571, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				first := statusAnswer(tt.code)
				if tt.fault {
					first = func(w http.ResponseWriter, ex *clientExchange, _ int) {
						clientWrite(w, mm7.NewFault(ex.Msg, tt.code, ""), http.StatusInternalServerError)
					}
				}
				mmsc := &clientMMSC{}
				c := inMemoryClient(t, mmsc, retryScript(first, clientSuccess),
					withRetry(mm7.RetryPolicy{MaxAttempts: 2}), func(o *mm7.Options) { o.Profile = tt.profile })
				res, err := c.Submit(t.Context(), clientSubmitReq(), nil)
				if tt.retried {
					require.NoError(t, err)
					assert.Equal(t, 2, mmsc.count())
					return
				}
				require.ErrorIs(t, err, &mm7.StatusError{Code: tt.code})
				assert.Equal(t, tt.code, res.Status)
				assert.Equal(t, 1, mmsc.count())
			})
		})
	}
}

func TestClientCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		mmsc := &clientMMSC{}
		c := inMemoryClient(t, mmsc, unavailable(""), withRetry(mm7.RetryPolicy{MaxAttempts: 5, Backoff: mm7.Backoff{Base: 10 * time.Second}}))
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(time.Second, cancel)
		start := time.Now()
		res, err := c.Submit(ctx, clientSubmitReq(), nil)
		assert.Equal(t, time.Second, time.Since(start), "the wait stops at once")
		require.ErrorIs(t, err, context.Canceled)
		he, ok := errors.AsType[*mm7.HTTPError](err)
		require.True(t, ok, "the last error is kept: %v", err)
		assert.Equal(t, http.StatusServiceUnavailable, he.StatusCode)
		assert.Equal(t, 1, res.Attempts)
		assert.Equal(t, 1, mmsc.count())
	})
}

func TestClientCancelledBeforeCall(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, clientSuccess)
	c, err := mm7.NewClient(mmsc.URL, withRetry(mm7.RetryPolicy{MaxAttempts: 3}))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = c.Submit(ctx, clientSubmitReq(), nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 0, mmsc.count())
}

func TestClientRetryDialErrors(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, clientSuccess)
	t.Run("retried when enabled", func(t *testing.T) {
		c, err := mm7.NewClient(mmsc.URL, func(o *mm7.Options) {
			o.HTTPClient = &http.Client{Transport: clientDialFailing(2)}
			o.Retry = mm7.RetryPolicy{MaxAttempts: 3, Backoff: mm7.Backoff{Base: time.Millisecond}}
		})
		require.NoError(t, err)
		res, err := c.Submit(t.Context(), clientSubmitReq(), []mm7.Attachment{{ContentType: "text/plain", Body: strings.NewReader("hi")}})
		require.NoError(t, err)
		assert.Equal(t, 3, res.Attempts)
	})
	t.Run("not retried by default", func(t *testing.T) {
		c, err := mm7.NewClient(mmsc.URL, func(o *mm7.Options) {
			o.HTTPClient = &http.Client{Transport: clientDialFailing(1)}
		})
		require.NoError(t, err)
		res, err := c.Submit(t.Context(), clientSubmitReq(), nil)
		_, ok := errors.AsType[*net.OpError](err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, 1, res.Attempts)
	})
	t.Run("connection refused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		l.Close()
		c, err := mm7.NewClient("http://"+addr+"/mm7", withRetry(mm7.RetryPolicy{MaxAttempts: 2, Backoff: mm7.Backoff{Base: time.Millisecond}}))
		require.NoError(t, err)
		res, err := c.Submit(t.Context(), clientSubmitReq(), nil)
		require.Error(t, err)
		assert.Equal(t, 2, res.Attempts, "nothing was sent, so it was tried again")
		assert.True(t, strings.HasPrefix(err.Error(), "mm7: SubmitReq: "), err.Error())
	})
	assert.Equal(t, 1, mmsc.count(), "only the call that got a connection reached the MMSC")
}
