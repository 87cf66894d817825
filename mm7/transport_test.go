package mm7_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

func TestSecretFormatting(t *testing.T) {
	t.Parallel()
	s := mm7.Secret("hunter2")
	type config struct {
		User string
		Pass mm7.Secret
		pass mm7.Secret // unexported: fmt cannot call its methods
	}
	_ = config{}.pass
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s", "%T"} {
		t.Run(verb, func(t *testing.T) {
			assert.NotContains(t, fmt.Sprintf(verb, s), "hunter2")
			assert.NotContains(t, fmt.Sprintf(verb, config{User: "u", Pass: s}), "hunter2")
			assert.NotContains(t, fmt.Sprintf(verb, &config{User: "u", Pass: s}), "hunter2")
		})
	}
	assert.Equal(t, "REDACTED", s.String())
	assert.Equal(t, "REDACTED", s.GoString())
	assert.Equal(t, "REDACTED", fmt.Sprint(s))
	b, err := json.Marshal(config{User: "u", Pass: s})
	require.NoError(t, err)
	assert.JSONEq(t, `{"User":"u","Pass":"REDACTED"}`, string(b))
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "secret", s, "cfg", config{Pass: s})
	slog.New(slog.NewTextHandler(&logs, nil)).Info("x", "secret", s, "cfg", config{Pass: s})
	assert.NotContains(t, logs.String(), "hunter2")
	assert.Contains(t, logs.String(), "REDACTED")
	assert.Equal(t, "hunter2", string(s), "the value is there for who asks")
}

func TestBasicAuth(t *testing.T) {
	t.Parallel()
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		got.Store(fmt.Sprint(u, "|", p, "|", ok))
		io.Copy(io.Discard, r.Body)
	}))
	t.Cleanup(srv.Close)

	t.Run("sets the header on a clone", func(t *testing.T) {
		hc := &http.Client{Transport: &mm7.BasicAuth{Username: "vasp", Password: "pw:with:colons", Base: srv.Client().Transport}}
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, strings.NewReader("body"))
		require.NoError(t, err)
		resp, err := hc.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, "vasp|pw:with:colons|true", got.Load())
		assert.Empty(t, req.Header.Get("Authorization"), "the caller's request is not modified")
	})
	t.Run("nil Base is http.DefaultTransport", func(t *testing.T) {
		hc := &http.Client{Transport: &mm7.BasicAuth{Username: "a", Password: "b"}}
		resp, err := hc.Get(srv.URL)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, "a|b|true", got.Load())
	})
	t.Run("overrides an Authorization header", func(t *testing.T) {
		hc := &http.Client{Transport: &mm7.BasicAuth{Username: "a", Password: "b"}}
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
		require.NoError(t, err)
		req.SetBasicAuth("x", "y")
		resp, err := hc.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, "a|b|true", got.Load())
	})
}

// closeCounter counts Close calls.
type closeCounter struct {
	io.Reader
	closed atomic.Int32
}

func (c *closeCounter) Close() error {
	c.closed.Add(1)
	return nil
}

// failingTransport fails every request, closing its body as RoundTrippers
// must.
type failingTransport struct{}

func (failingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return nil, errors.New("down")
}

func TestBasicAuthClosesBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		auth *mm7.BasicAuth
	}{
		{"early error: colon in username", &mm7.BasicAuth{Username: "a:b", Password: "pw", Base: failingTransport{}}},
		{"error from Base", &mm7.BasicAuth{Username: "a", Password: "pw", Base: failingTransport{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := &closeCounter{Reader: strings.NewReader("x")}
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://mmsc.test/", body)
			require.NoError(t, err)
			_, err = tt.auth.RoundTrip(req)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "pw")
			assert.Equal(t, int32(1), body.closed.Load(), "closed exactly once")
		})
	}
}

func TestBasicAuthPrinting(t *testing.T) {
	t.Parallel()
	a := &mm7.BasicAuth{Username: "vasp", Password: "hunter2"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(verb, a), "hunter2", verb)
		assert.NotContains(t, fmt.Sprintf(verb, *a), "hunter2", verb)
	}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("auth", "transport", a)
	assert.JSONEq(t, `{"username":"vasp","password":"REDACTED"}`, extractJSON(t, logs.Bytes(), "transport"))
}

func extractJSON(t *testing.T, line []byte, key string) string {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(line, &m))
	return string(m[key])
}
