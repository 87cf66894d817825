package mm7_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

func TestHandlerRetryAfterError(t *testing.T) {
	var calls atomic.Int32
	h := &mm7.Handler{OnDeliver: func(ctx context.Context, r *mm7.Request) error {
		if calls.Add(1) == 1 {
			return &mm7.RetryAfterError{After: 1500 * time.Millisecond, Err: errors.New("sink down: secret-internal-detail")}
		}
		return nil
	}}
	ts := httptest.NewServer(h)
	defer ts.Close()

	// The raw answer: 503, Retry-After rounded up, a 4006 Fault, no cause.
	req := &rel6.DeliverReq{Sender: rel6.Address{Number: &rel6.Number{Value: "15555550123"}}}
	enc, err := mm7.NewEncoder(&mm7.Message{TransactionID: "t-1", Version: mm7.Rel6, Body: req}, nil, mm7.EncodeOptions{})
	require.NoError(t, err)
	var body strings.Builder
	_, err = enc.WriteTo(&body)
	require.NoError(t, err)
	resp, err := http.Post(ts.URL, enc.ContentType(), strings.NewReader(body.String()))
	require.NoError(t, err)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, "2", resp.Header.Get("Retry-After"))
	assert.Contains(t, string(raw), "4006")
	assert.Contains(t, string(raw), ">t-1</mm7:TransactionID>")
	assert.NotContains(t, string(raw), "secret-internal-detail")

	// A client that retries gets through on the second attempt.
	c, err := mm7.NewClient(ts.URL, func(o *mm7.Options) {
		o.Retry = mm7.RetryPolicy{MaxAttempts: 3, Backoff: mm7.Backoff{Base: time.Millisecond, Max: 10 * time.Millisecond}, MaxRetryAfter: 3 * time.Second}
	})
	require.NoError(t, err)
	calls.Store(0)
	res, err := c.Do(context.Background(), req, nil)
	require.NoError(t, err)
	assert.Equal(t, mm7.StatusSuccess, res.Status)
	assert.Equal(t, 2, res.Attempts)
	assert.Equal(t, int32(2), calls.Load())
}

func TestRetryAfterErrorText(t *testing.T) {
	e := &mm7.RetryAfterError{After: 0, Err: io.ErrUnexpectedEOF}
	assert.Equal(t, "mm7: unavailable, retry after 1s: unexpected EOF", e.Error())
	assert.ErrorIs(t, e, io.ErrUnexpectedEOF)
	var ra *mm7.RetryAfterError
	assert.True(t, errors.As(errors.Join(errors.New("x"), e), &ra))
}

func TestHandlerAuthenticateAccounts(t *testing.T) {
	var users []string
	h := &mm7.Handler{
		Authenticate: mm7.Accounts{"vasp-us": "pw-us", "vasp-eu": "pw-eu", "nopass": ""}.Authenticate,
		OnDeliver: func(ctx context.Context, r *mm7.Request) error {
			users = append(users, r.User)
			return nil
		},
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	req := &rel6.DeliverReq{Sender: rel6.Address{Number: &rel6.Number{Value: "15555550123"}}}
	send := func(user string, pw mm7.Secret) error {
		c, err := mm7.NewClient(ts.URL, mm7.WithBasicAuth(user, pw))
		require.NoError(t, err)
		_, err = c.Do(context.Background(), req, nil)
		return err
	}
	require.NoError(t, send("vasp-us", "pw-us"))
	require.NoError(t, send("vasp-eu", "pw-eu"))
	for _, bad := range [][2]string{{"vasp-us", "pw-eu"}, {"vasp-eu", "pw-us"}, {"nobody", "pw-us"}, {"nopass", ""}, {"", ""}, {"vasp-us", "pw-us "}} {
		err := send(bad[0], mm7.Secret(bad[1]))
		var he *mm7.HTTPError
		require.ErrorAs(t, err, &he, "credentials %q", bad[0])
		assert.Equal(t, http.StatusUnauthorized, he.StatusCode)
		assert.NotContains(t, err.Error(), "pw-")
	}
	assert.Equal(t, []string{"vasp-us", "vasp-eu"}, users)
}

func TestAccountsAuthenticate(t *testing.T) {
	a := mm7.Accounts{"a": "1", "b": "2"}
	assert.True(t, a.Authenticate("a", "1"))
	assert.True(t, a.Authenticate("b", "2"))
	assert.False(t, a.Authenticate("a", "2"))
	assert.False(t, a.Authenticate("c", ""))
	assert.False(t, mm7.Accounts{}.Authenticate("", ""))
	assert.False(t, mm7.Accounts{"": ""}.Authenticate("", ""))
}
