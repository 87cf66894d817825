package metrics_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/internal/metrics"
	"github.com/openmms/mm7go/mm7"
)

func TestHandlerRequestsCounted(t *testing.T) {
	m := metrics.New()
	var logs bytes.Buffer
	log := slog.New(m.Handler(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})))
	fail := false
	h := &mm7.Handler{Logger: log, OnDeliver: func(ctx context.Context, r *mm7.Request) error {
		if fail {
			return errors.New("disk full")
		}
		return nil
	}}
	ts := httptest.NewServer(h)
	defer ts.Close()
	c, err := mm7.NewClient(ts.URL)
	require.NoError(t, err)
	req := &rel6.DeliverReq{Sender: rel6.Address{Number: &rel6.Number{Value: "15555550123"}}}
	_, err = c.Do(context.Background(), req, nil)
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil)
	require.NoError(t, err)
	fail = true
	_, err = c.Do(context.Background(), req, nil)
	require.Error(t, err)

	assert.Equal(t, 2.0, testutil.ToFloat64(m.Requests.WithLabelValues("DeliverReq", "1000", "REL-6-MM7-1-4", "200")))
	assert.Equal(t, 1.0, testutil.ToFloat64(m.Requests.WithLabelValues("DeliverReq", "3000", "REL-6-MM7-1-4", "500")))
	assert.Equal(t, 1, testutil.CollectAndCount(m.Latency))
	// The records still reach the text handler at its level, no more.
	assert.Equal(t, 3, strings.Count(logs.String(), `msg="mm7: request"`))
	assert.NotContains(t, logs.String(), "level=DEBUG")

	// A body with a deviation (a lowercase MM7 element read leniently) is
	// counted by code.
	resp, err := http.Post(ts.URL, "text/xml", strings.NewReader(`<?xml version="1.0"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header><mm7:TransactionID xmlns:mm7="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4" env:mustUnderstand="1">t</mm7:TransactionID></env:Header><env:Body><DeliverReq xmlns="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"><MM7Version>6.8.0</MM7Version><Sender><Number> 15555550123 </Number></Sender><Unknown>x</Unknown></DeliverReq></env:Body></env:Envelope>`))
	require.NoError(t, err)
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	assert.Positive(t, testutil.CollectAndCount(m.Deviations), "deviations counted by code")
}

func TestMuxHealthAndReadiness(t *testing.T) {
	m := metrics.New()
	m.QueueLag.Set(7)
	var down error
	ts := httptest.NewServer(m.Mux(func(context.Context) error { return down }))
	defer ts.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(ts.URL + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get("/metrics")
	assert.Equal(t, 200, code)
	assert.Contains(t, body, "mm7_relay_queue_lag 7")
	assert.Contains(t, body, "go_goroutines")
	code, _ = get("/healthz")
	assert.Equal(t, 200, code)
	code, _ = get("/readyz")
	assert.Equal(t, 200, code)
	down = errors.New("nats: no servers available")
	code, body = get("/readyz")
	assert.Equal(t, 503, code)
	assert.Contains(t, body, "no servers available")
	code, _ = get("/healthz")
	assert.Equal(t, 200, code)
}
