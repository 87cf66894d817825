package mm7test_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7test"
)

// image returns n pseudo-random bytes standing for a JPEG: every byte
// value, CR and LF included, so that any transfer-encoding slip shows.
func image(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, b...)
}

func TestSubmitIsRecorded(t *testing.T) {
	for _, tt := range versions {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mmsc := mm7test.NewServer(mm7test.WithBasicAuth("vasp", "secret"))
			defer mmsc.Close()
			c := newClient(t, mmsc.URL, tt.v, mm7.WithBasicAuth("vasp", "secret"))
			img := image(40 << 10)
			res, err := c.Submit(t.Context(), submitReq(t, tt.v, false, "+15555550123"), []mm7.Attachment{
				{ContentType: `text/plain; charset="utf-8"`, ContentID: "text-1", Body: strings.NewReader("Héllo\r\nworld")},
				{ContentType: "image/jpeg", ContentID: "img-1", ContentLocation: "coupon.jpg", Body: bytes.NewReader(img)},
			}, mm7.VibesCarrierCode("104"))
			require.NoError(t, err)
			assert.Equal(t, mm7.StatusSuccess, res.Status)
			assert.Equal(t, "mm7test-1", res.MessageID)

			got := mmsc.Requests()
			require.Len(t, got, 1)
			r := got[0]
			assert.Equal(t, 1, r.Seq)
			assert.Equal(t, "SubmitReq", r.Kind)
			assert.Equal(t, tt.v, r.Version)
			assert.Equal(t, res.TransactionID, r.TransactionID)
			assert.Equal(t, "104", r.Header.Get(mm7.VibesHeaderCarrierCode))
			assert.Empty(t, r.Header.Get("Authorization"))
			assert.Equal(t, "vasp", r.User)
			assert.Equal(t, "mm7test-1", r.MessageID)
			assert.Equal(t, "12345", r.Sender)
			assert.Equal(t, []string{"+15555550123"}, r.Recipients)
			assert.Equal(t, "hello", r.Subject)
			assert.False(t, r.Time.IsZero())
			assert.Equal(t, mm7.StatusSuccess, r.Reply.Status)
			assert.Equal(t, "mm7test-1", r.Reply.MessageID)
			switch tt.v.Release {
			case 5:
				assert.IsType(t, &rel5.SubmitReq{}, r.Message.Body)
			case 6:
				assert.IsType(t, &rel6.SubmitReq{}, r.Message.Body)
			}
			require.Len(t, r.Attachments, 2)
			assert.Equal(t, "text-1", r.Attachments[0].ContentID)
			assert.Equal(t, "Héllo\r\nworld", string(r.Attachments[0].Data))
			assert.Equal(t, "image/jpeg", r.Attachments[1].ContentType)
			assert.Equal(t, "img-1", r.Attachments[1].ContentID)
			assert.Equal(t, "coupon.jpg", r.Attachments[1].ContentLocation)
			assert.Equal(t, img, r.Attachments[1].Data, "attachment bytes differ")
			assert.Equal(t, int64(len(img)), r.Attachments[1].Size)
			assert.False(t, r.Attachments[1].Truncated)

			st, ok := mmsc.Message("mm7test-1")
			require.True(t, ok)
			assert.Equal(t, mm7test.MessageState{MessageID: "mm7test-1", Version: tt.v, TransactionID: res.TransactionID,
				Sender: "12345", Recipients: []string{"+15555550123"}, State: mm7test.StateSubmitted}, st)
			assert.Equal(t, []mm7test.MessageState{st}, mmsc.Messages())
		})
	}
}

func TestAttachmentsBeyondTheBoundAreCounted(t *testing.T) {
	mmsc := mm7test.NewServer(func(o *mm7test.Options) { o.MaxAttachmentBytes = 100 })
	defer mmsc.Close()
	img := image(1000)
	_, err := newClient(t, mmsc.URL, mm7.Rel6).Submit(t.Context(), submitReq(t, mm7.Rel6, false, "+15555550123"), []mm7.Attachment{
		{ContentType: "text/plain", Body: strings.NewReader(strings.Repeat("x", 60))},
		{ContentType: "image/jpeg", Body: bytes.NewReader(img)},
	})
	require.NoError(t, err)
	r := mmsc.Requests()[0]
	require.Len(t, r.Attachments, 2)
	assert.False(t, r.Attachments[0].Truncated)
	assert.Len(t, r.Attachments[0].Data, 60)
	assert.True(t, r.Attachments[1].Truncated)
	assert.Equal(t, img[:40], r.Attachments[1].Data)
	assert.Equal(t, int64(len(img)), r.Attachments[1].Size)
}

func TestCancelAndReplace(t *testing.T) {
	for _, tt := range versions {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mmsc := mm7test.NewServer()
			defer mmsc.Close()
			c := newClient(t, mmsc.URL, tt.v)
			ctx := t.Context()
			res, err := c.Submit(ctx, submitReq(t, tt.v, false, "+15555550123"), nil)
			require.NoError(t, err)
			id := res.MessageID

			cancel := func(id string) (*mm7.Result, error) {
				if tt.v.Release == 5 {
					return c.Cancel(ctx, &rel5.CancelReq{MessageID: id})
				}
				return c.Cancel(ctx, &rel6.CancelReq{MessageID: id})
			}
			replace := func(id string) (*mm7.Result, error) {
				atts := []mm7.Attachment{{ContentType: "text/plain", Body: strings.NewReader("new text")}}
				if tt.v.Release == 5 {
					return c.Replace(ctx, &rel5.ReplaceReq{MessageID: id}, atts)
				}
				return c.Replace(ctx, &rel6.ReplaceReq{MessageID: id}, atts)
			}
			statusOf := func(res *mm7.Result, err error) mm7.StatusCode {
				t.Helper()
				if err != nil {
					se, ok := errors.AsType[*mm7.StatusError](err)
					require.True(t, ok, "want a StatusError, got %v", err)
					_, fault := errors.AsType[*mm7.FaultError](err)
					assert.False(t, fault, "the status comes in the normal response")
					assert.Equal(t, http.StatusOK, res.HTTPStatus)
					return se.Code
				}
				return res.Status
			}

			assert.Equal(t, mm7.StatusMessageIDNotFound, statusOf(cancel("nope")), "cancel unknown")
			assert.Equal(t, mm7.StatusMessageIDNotFound, statusOf(replace("nope")), "replace unknown")

			assert.Equal(t, mm7.StatusSuccess, statusOf(replace(id)))
			st, _ := mmsc.Message(id)
			assert.Equal(t, mm7test.StateReplaced, st.State)
			assert.Equal(t, 1, st.Replaced)

			assert.Equal(t, mm7.StatusSuccess, statusOf(cancel(id)))
			st, _ = mmsc.Message(id)
			assert.Equal(t, mm7test.StateCancelled, st.State)

			assert.Equal(t, mm7.StatusNotPossible, statusOf(cancel(id)), "cancel twice")
			assert.Equal(t, mm7.StatusNotPossible, statusOf(replace(id)), "replace cancelled")

			got := mmsc.Requests()
			require.Len(t, got, 7)
			assert.Equal(t, "ReplaceReq", got[3].Kind)
			assert.Equal(t, id, got[3].MessageID)
			require.Len(t, got[3].Attachments, 1)
			assert.Equal(t, "new text", string(got[3].Attachments[0].Data))
			assert.Equal(t, "CancelReq", got[4].Kind)
			assert.Equal(t, mm7.StatusNotPossible, got[6].Reply.Status)
		})
	}
}

func TestExtendedCancelAndReplace(t *testing.T) {
	mmsc := mm7test.NewServer()
	defer mmsc.Close()
	c := newClient(t, mmsc.URL, mm7.Rel6)
	ctx := t.Context()
	res, err := c.Submit(ctx, submitReq(t, mm7.Rel6, false, "+15555550123"), nil)
	require.NoError(t, err)

	rres, err := c.Replace(ctx, &rel6.ExtendedReplaceReq{ReplaceID: &res.MessageID},
		[]mm7.Attachment{{ContentType: "text/plain", Body: strings.NewReader("v2")}})
	require.NoError(t, err)
	assert.Equal(t, res.MessageID, rres.Response.Body.(*rel6.ExtendedReplaceRsp).MessageID)

	_, err = c.Replace(ctx, &rel6.ExtendedReplaceReq{}, nil)
	assert.ErrorIs(t, err, &mm7.StatusError{Code: mm7.StatusMessageIDNotFound}, "no ReplaceID")

	_, err = c.Cancel(ctx, &rel6.ExtendedCancelReq{CancelID: res.MessageID})
	require.NoError(t, err)
	st, _ := mmsc.Message(res.MessageID)
	assert.Equal(t, mm7test.StateCancelled, st.State)
	_, err = c.Cancel(ctx, &rel6.ExtendedCancelReq{CancelID: "other"})
	assert.ErrorIs(t, err, &mm7.StatusError{Code: mm7.StatusMessageIDNotFound})
}

func TestScriptedReplies(t *testing.T) {
	tests := []struct {
		name       string
		reply      mm7test.Reply
		wantStatus mm7.StatusCode
		wantFault  bool
		wantHTTP   int
		wantID     string
	}{
		{"status in the response", mm7test.StatusReply(mm7.StatusAddressError, "unknown subscriber"), mm7.StatusAddressError, false, 200, ""},
		{"vibes code", mm7test.StatusReply(mm7.VibesStatusCarrierCodeNotValid, ""), mm7.VibesStatusCarrierCodeNotValid, false, 200, ""},
		{"fault", mm7test.FaultReply(mm7.StatusServiceDenied, ""), mm7.StatusServiceDenied, true, 500, ""},
		{"temporary code goes in a fault", mm7test.StatusReply(mm7.StatusServerError, ""), mm7.StatusServerError, true, 500, ""},
		{"fault without status", mm7test.Reply{Fault: true}, mm7.StatusServerError, true, 500, ""},
		{"code outside 1000-4999", mm7test.StatusReply(999, ""), mm7.StatusServerError, true, 500, ""},
		{"partial success", mm7test.StatusReply(mm7.StatusPartialSuccess, ""), mm7.StatusPartialSuccess, false, 200, "mm7test-1"},
		{"chosen MessageID", mm7test.Reply{MessageID: "VB-42"}, mm7.StatusSuccess, false, 200, "VB-42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mmsc := mm7test.NewServer(mm7test.WithScript(func(r *mm7test.Recorded) mm7test.Reply { return tt.reply }))
			defer mmsc.Close()
			res, err := newClient(t, mmsc.URL, mm7.Rel6).Submit(t.Context(), submitReq(t, mm7.Rel6, false, "+15555550123"), nil)
			require.NotNil(t, res)
			assert.Equal(t, tt.wantStatus, res.Status)
			assert.Equal(t, tt.wantHTTP, res.HTTPStatus)
			assert.Equal(t, tt.wantID, res.MessageID)
			_, isFault := errors.AsType[*mm7.FaultError](err)
			assert.Equal(t, tt.wantFault, isFault, "fault: %v", err)
			if tt.wantStatus.Success() {
				assert.NoError(t, err)
				_, ok := mmsc.Message(tt.wantID)
				assert.True(t, ok, "a success registers the message")
			} else {
				assert.ErrorIs(t, err, &mm7.StatusError{Code: tt.wantStatus})
				assert.Empty(t, mmsc.Messages(), "a refusal registers nothing")
			}
			r := mmsc.Requests()[0]
			assert.Equal(t, tt.wantStatus, r.Reply.Status)
			assert.Equal(t, tt.wantFault, r.Reply.Fault)
		})
	}
}

func TestHTTPReplyAndRetryAfter(t *testing.T) {
	script := func(r *mm7test.Recorded) mm7test.Reply {
		if r.Seq == 1 {
			return mm7test.HTTPReply(http.StatusServiceUnavailable, 2*time.Second)
		}
		return mm7test.Reply{}
	}
	t.Run("client retries after Retry-After", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			mmsc, _, c := inMemory(t, mm7.Rel6, mm7test.Options{Script: script},
				func(o *mm7.Options) { o.Retry = mm7.RetryPolicy{MaxAttempts: 3} })
			start := time.Now()
			res, err := c.Submit(t.Context(), submitReq(t, mm7.Rel6, false, "+15555550123"), nil)
			require.NoError(t, err)
			assert.Equal(t, 2, res.Attempts)
			assert.Equal(t, 2*time.Second, time.Since(start), "waited as Retry-After said")
			got := mmsc.Requests()
			require.Len(t, got, 2)
			assert.Equal(t, http.StatusServiceUnavailable, got[0].Reply.HTTPStatus)
			assert.Equal(t, "2", got[0].Reply.Header.Get("Retry-After"))
			assert.Empty(t, got[0].MessageID)
			assert.Equal(t, got[0].TransactionID, got[1].TransactionID, "the same request, sent again")
			assert.Equal(t, res.MessageID, got[1].MessageID)
		})
	})
	t.Run("no MM7 body", func(t *testing.T) {
		mmsc := mm7test.NewServer(mm7test.WithScript(script))
		defer mmsc.Close()
		_, err := newClient(t, mmsc.URL, mm7.Rel6).Submit(t.Context(), submitReq(t, mm7.Rel6, false, "+15555550123"), nil)
		he, ok := errors.AsType[*mm7.HTTPError](err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, http.StatusServiceUnavailable, he.StatusCode)
		assert.Equal(t, "text/plain; charset=utf-8", he.ContentType)
		assert.Equal(t, "503 Service Unavailable\n", string(he.Body))
	})
}

func TestVersionsRestricted(t *testing.T) {
	mmsc := mm7test.NewServer(func(o *mm7test.Options) { o.Versions = []mm7.Version{mm7.Rel5} })
	defer mmsc.Close()

	c, err := mm7.NewClient(mmsc.URL) // REL-6 first, then REL-5
	require.NoError(t, err)
	res, err := c.Submit(t.Context(), submitReq(t, mm7.Rel6, false, "+15555550123"), nil)
	require.NoError(t, err)
	assert.True(t, res.Negotiated)
	assert.Equal(t, mm7.Rel5, res.Version)
	assert.Equal(t, mm7.Rel5, c.Version())
	got := mmsc.Requests()
	require.Len(t, got, 2)
	assert.Equal(t, mm7test.Reply{Status: mm7.StatusUnsupportedVersion, Text: "Unsupported version", Fault: true}, got[0].Reply)
	assert.Equal(t, 5, got[1].Version.Release)

	_, err = newClient(t, mmsc.URL, mm7.Rel6).Submit(t.Context(), submitReq(t, mm7.Rel6, false, "+15555550123"), nil)
	fe, ok := errors.AsType[*mm7.FaultError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "Client", fe.Code[strings.IndexByte(fe.Code, ':')+1:])
	assert.ErrorIs(t, err, &mm7.StatusError{Code: mm7.StatusUnsupportedVersion})
}

func TestLatency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		script := func(r *mm7test.Recorded) mm7test.Reply {
			if r.Seq == 2 {
				return mm7test.DelayReply(2 * time.Second)
			}
			return mm7test.Reply{}
		}
		mmsc, _, c := inMemory(t, mm7.Rel6, mm7test.Options{Latency: 3 * time.Second, Script: script})
		for _, want := range []time.Duration{3 * time.Second, 5 * time.Second} {
			start := time.Now()
			res, err := c.Submit(t.Context(), submitReq(t, mm7.Rel6, false, "+15555550123"), nil)
			require.NoError(t, err)
			assert.Equal(t, mm7.StatusSuccess, res.Status)
			assert.Equal(t, want, time.Since(start))
		}
		assert.Equal(t, 5*time.Second, mmsc.Requests()[1].Reply.Latency)
	})
}

func TestCloseEndsLatency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mmsc, _, c := inMemory(t, mm7.Rel6, mm7test.Options{Latency: time.Hour})
		done := make(chan error)
		go func() {
			_, err := c.Submit(context.Background(), submitReq(t, mm7.Rel6, false, "+15555550123"), nil)
			done <- err
		}()
		synctest.Wait()
		start := time.Now()
		mmsc.Close()
		assert.NoError(t, <-done)
		assert.Zero(t, time.Since(start))
	})
}

func TestFailRateIsDeterministic(t *testing.T) {
	pattern := func(seed uint64, rate float64) []bool {
		mmsc := mm7test.NewServer(func(o *mm7test.Options) { o.FailRate, o.Seed = rate, seed })
		defer mmsc.Close()
		c := newClient(t, mmsc.URL, mm7.Rel6)
		var failed []bool
		for range 20 {
			_, err := c.Submit(t.Context(), submitReq(t, mm7.Rel6, false, "+15555550123"), nil)
			if err != nil {
				fe, ok := errors.AsType[*mm7.FaultError](err)
				require.True(t, ok, "%v", err)
				require.NotNil(t, fe.Status)
				assert.Equal(t, mm7.StatusServerError, fe.Status.Code)
				assert.Equal(t, http.StatusInternalServerError, fe.HTTPStatus)
			}
			failed = append(failed, err != nil)
		}
		ok := 0
		for _, f := range failed {
			if !f {
				ok++
			}
		}
		assert.Len(t, mmsc.Messages(), ok, "failed submits register no message")
		return failed
	}
	count := func(b []bool) (n int) {
		for _, x := range b {
			if x {
				n++
			}
		}
		return n
	}
	a, b := pattern(7, 0.3), pattern(7, 0.3)
	assert.Equal(t, a, b, "same seed, same failures")
	assert.Greater(t, count(a), 0)
	assert.Less(t, count(a), 20)
	assert.NotEqual(t, a, pattern(8, 0.3), "another seed, other failures")
	assert.Equal(t, 20, count(pattern(1, 1)))
	assert.Equal(t, 0, count(pattern(1, 0)))
}

func TestFailRateRetriedByClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mmsc, _, c := inMemory(t, mm7.Rel6, mm7test.Options{FailRate: 0.5, Seed: 3},
			func(o *mm7.Options) { o.Retry = mm7.RetryPolicy{MaxAttempts: 10} })
		for range 5 {
			res, err := c.Submit(t.Context(), submitReq(t, mm7.Rel6, false, "+15555550123"), nil)
			require.NoError(t, err)
			assert.Equal(t, mm7.StatusSuccess, res.Status)
		}
		got := mmsc.Requests()
		failures := 0
		for _, r := range got {
			if r.Reply.Fault {
				failures++
				assert.Equal(t, mm7.StatusServerError, r.Reply.Status)
			}
		}
		assert.Equal(t, 5+failures, len(got))
		assert.Positive(t, failures)
		assert.Len(t, mmsc.Messages(), 5)
	})
}

func TestBasicAuth(t *testing.T) {
	mmsc := mm7test.NewServer(mm7test.WithBasicAuth("vasp", "secret"))
	defer mmsc.Close()
	for _, tt := range []struct {
		name string
		opt  func(*mm7.Options)
	}{
		{"wrong password", mm7.WithBasicAuth("vasp", "wrong")},
		{"wrong user", mm7.WithBasicAuth("other", "secret")},
		{"no credentials", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newClient(t, mmsc.URL, mm7.Rel6, tt.opt).Submit(t.Context(), submitReq(t, mm7.Rel6, false, "+1555"), nil)
			he, ok := errors.AsType[*mm7.HTTPError](err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, http.StatusUnauthorized, he.StatusCode)
		})
	}
	assert.Empty(t, mmsc.Requests(), "rejected requests are not recorded")
	_, err := newClient(t, mmsc.URL, mm7.Rel6, mm7.WithBasicAuth("vasp", "secret")).
		Submit(t.Context(), submitReq(t, mm7.Rel6, false, "+1555"), nil)
	require.NoError(t, err)
	assert.Len(t, mmsc.Requests(), 1)
}

func TestWaitRequests(t *testing.T) {
	mmsc := mm7test.NewServer()
	defer mmsc.Close()
	c := newClient(t, mmsc.URL, mm7.Rel6)
	go func() {
		for range 3 {
			c.Submit(context.Background(), submitReq(t, mm7.Rel6, false, "+1555"), nil) //nolint:errcheck // checked through WaitRequests
		}
	}()
	got, err := mmsc.WaitRequests(t.Context(), 3)
	require.NoError(t, err)
	assert.Len(t, got, 3)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	got, err = mmsc.WaitRequests(ctx, 4)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Len(t, got, 3)
}

func TestServerPath(t *testing.T) {
	mmsc := mm7test.NewServer(func(o *mm7test.Options) { o.Path = "/custom/mm7" })
	defer mmsc.Close()
	assert.True(t, strings.HasSuffix(mmsc.URL, "/custom/mm7"), mmsc.URL)
	hc := mmsc.Client()
	resp, err := hc.Get(strings.TrimSuffix(mmsc.URL, "/custom/mm7") + mm7test.DefaultPath)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	resp, err = hc.Get(mmsc.URL)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, "the mm7.Handler answers")
	_, err = newClient(t, mmsc.URL, mm7.Rel6, func(o *mm7.Options) { o.HTTPClient = hc }).
		Submit(t.Context(), submitReq(t, mm7.Rel6, false, "+1555"), nil)
	require.NoError(t, err)
}
