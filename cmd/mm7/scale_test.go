package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7nats"
	"github.com/openmms/mm7go/mm7test"
)

// startJetStream runs an embedded JetStream server for a test.
func startJetStream(t *testing.T) *server.Server {
	t.Helper()
	s, err := mm7nats.RunServer(mm7nats.ServerOptions{Dir: t.TempDir(), Port: -1})
	require.NoError(t, err)
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	return s
}

// streamCount returns the number of messages in a stream.
func streamCount(t *testing.T, url, stream string) uint64 {
	t.Helper()
	nc, err := nats.Connect(url)
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, stream)
	require.NoError(t, err)
	info, err := s.Info(ctx)
	require.NoError(t, err)
	return info.State.Msgs
}

// runCmd runs an mm7 command in-process until it ends.
func runScaleCmd(ctx context.Context, vars map[string]string, args ...string) (int, string, string) {
	var out, errb syncBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	code := run(ctx, args, e)
	return code, out.String(), errb.String()
}

// background runs an mm7 command until the returned stop is called.
type background struct {
	out, errb *syncBuffer
	stop      func() int
}

func startCmd(t *testing.T, vars map[string]string, args ...string) *background {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b := &background{out: &syncBuffer{}, errb: &syncBuffer{}}
	e := &env{stdin: strings.NewReader(""), stdout: b.out, stderr: b.errb, getenv: func(k string) string { return vars[k] }}
	done := make(chan struct{})
	var code int
	go func() {
		defer close(done)
		code = run(ctx, args, e)
	}()
	var once sync.Once
	b.stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Errorf("mm7 %s did not stop", args[0])
			}
		})
		return code
	}
	t.Cleanup(func() { b.stop() })
	return b
}

// waitLog waits for a log line matching re and returns its first group.
func waitLog(t *testing.T, log func() string, re string) string {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if m := rx.FindStringSubmatch(log()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no log line %s:\n%s", re, log())
	return ""
}

func TestServeSinkJetStream(t *testing.T) {
	ns := startJetStream(t)
	out := t.TempDir()
	s := startServeCmd(t, nil, out, "--sink", ns.ClientURL(), "--metrics-addr", "127.0.0.1:0")
	metricsAddr := waitLog(t, s.stderr.String, `msg="metrics listening" addr=(\S+)`)
	msg, atts, _ := moMessage("tx-sink-1")
	ct, body := encodeMessage(t, msg, atts...)
	code, reply := post(t, s.url, "", "", ct, body)
	require.Equal(t, 200, code)
	assert.Equal(t, mm7.StatusSuccess, status(t, reply))
	code, reply = post(t, s.url, "", "", ct, body) // a repeat
	require.Equal(t, 200, code)
	assert.Equal(t, mm7.StatusSuccess, status(t, reply))
	assert.Equal(t, uint64(1), streamCount(t, ns.ClientURL(), "MM7_IN"))
	ents, err := os.ReadDir(out)
	require.NoError(t, err)
	assert.Empty(t, ents, "nothing written to --out with a sink")
	assert.Contains(t, s.stderr.String(), "duplicate, already stored")

	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + metricsAddr + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	c, m := get("/metrics")
	require.Equal(t, 200, c)
	assert.Contains(t, m, `mm7_requests_total{http_status="200",kind="DeliverReq",status_code="1000",version="REL-6-MM7-1-4"} 2`)
	assert.Contains(t, m, `mm7_stored_total{duplicate="true",kind="deliver"} 1`)
	c, _ = get("/readyz")
	assert.Equal(t, 200, c)

	// JetStream gone: 503 + Retry-After, not ready, nothing acknowledged.
	ns.Shutdown()
	ns.WaitForShutdown()
	msg2, atts2, _ := moMessage("tx-sink-2")
	ct, body = encodeMessage(t, msg2, atts2...)
	req, _ := http.NewRequest(http.MethodPost, s.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.NotEmpty(t, resp.Header.Get("Retry-After"))
	c, body2 := get("/readyz")
	assert.Equal(t, 503, c, body2)
	c, m = get("/metrics")
	assert.Equal(t, 200, c)
	assert.Contains(t, m, `mm7_store_errors_total{sink="nats"} 1`)
	assert.Equal(t, exitOK, s.stop())
}

func TestServeAccountsAllowProxies(t *testing.T) {
	dir := t.TempDir()
	accounts := filepath.Join(dir, "accounts")
	require.NoError(t, os.WriteFile(accounts, []byte("# VASP accounts\nvibes-us:pw-us\n\nvibes-eu:pw-eu\n"), 0o600))
	// Every flag from the environment.
	vars := map[string]string{"MM7_ACCOUNTS_FILE": accounts, "MM7_ALLOW": "10.1.0.0/16,vibes", "MM7_TRUSTED_PROXIES": "127.0.0.1/32"}
	s := startServeCmd(t, vars, t.TempDir())
	msg, atts, _ := moMessage("tx-acct")
	ct, body := encodeMessage(t, msg, atts...)
	code, reply := post(t, s.url, "vibes-eu", "pw-eu", ct, body, "X-Forwarded-For", "10.1.2.3")
	require.Equal(t, 200, code)
	assert.Equal(t, mm7.StatusSuccess, status(t, reply))
	code, _ = post(t, s.url, "vibes-us", "pw-us", ct, body, "X-Forwarded-For", "52.32.61.199") // a Vibes address
	assert.Equal(t, 200, code)
	code, _ = post(t, s.url, "vibes-us", "pw-us", ct, body, "X-Forwarded-For", "192.0.2.1")
	assert.Equal(t, http.StatusForbidden, code)
	code, _ = post(t, s.url, "vibes-us", "pw-us", ct, body) // the proxy itself is not allowed
	assert.Equal(t, http.StatusForbidden, code)
	code, _ = post(t, s.url, "vibes-us", "pw-eu", ct, body, "X-Forwarded-For", "10.1.2.3")
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.NotContains(t, s.stderr.String(), "pw-")
}

func TestScaleUsageErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "accounts")
	require.NoError(t, os.WriteFile(bad, []byte("user-without-password\n"), 0o600))
	for _, tc := range []struct {
		vars map[string]string
		args []string
		code int
		want string
	}{
		{nil, []string{"serve", "--sink", "http://x:4222"}, exitUsage, "not a NATS URL"},
		{nil, []string{"serve", "--tls-cert", "c.pem"}, exitUsage, "--tls-cert and --tls-key go together"},
		{nil, []string{"serve", "--allow", "10.0.0.0/33"}, exitUsage, "--allow"},
		{nil, []string{"serve", "--accounts-file", bad, "--addr", "127.0.0.1:0"}, exitFail, "line 1: want user:password"},
		{map[string]string{"MM7_MAX_BODY_BYTES": "lots"}, []string{"serve"}, exitUsage, "MM7_MAX_BODY_BYTES: invalid value"},
		{nil, []string{"relay"}, exitUsage, "--queue is required"},
		{nil, []string{"relay", "--queue", "nats://127.0.0.1:1", "--rate", "fast"}, exitUsage, "--rate"},
		{nil, []string{"send", "--queue", "nats://127.0.0.1:1", "--to", "15555550123", "--text", "x", "--dry-run"}, exitUsage, "--dry-run"},
		{nil, []string{"stack", "--nats-addr", "nowhere"}, exitUsage, "--nats-addr"},
	} {
		code, stdout, stderr := runScaleCmd(context.Background(), tc.vars, tc.args...)
		assert.Equal(t, tc.code, code, "%v: %s", tc.args, stderr)
		assert.Contains(t, stderr, tc.want, "%v", tc.args)
		assert.Empty(t, stdout, "%v", tc.args)
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1-strings.Count(stderr, "Try '"), "%v: one error line: %q", tc.args, stderr)
	}
}

func TestSendQueueAndRelay(t *testing.T) {
	ns := startJetStream(t)
	mmsc := mm7test.NewServer()
	defer mmsc.Close()
	enqueue := func(key string) string {
		code, stdout, stderr := runScaleCmd(context.Background(), nil, "send", "--queue", ns.ClientURL(), "--from", "12345",
			"--to", "15555550123", "--subject", "queued", "--text", "hello from the queue", "--idempotency-key", key, "--delivery-report")
		require.Equal(t, exitOK, code, stderr)
		var out struct {
			JobID   string `json:"job_id"`
			Subject string `json:"subject"`
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &out), stdout)
		assert.Equal(t, "mm7.jobs._default", out.Subject)
		return out.JobID
	}
	id := enqueue("order-1")
	assert.Equal(t, id, enqueue("order-1"), "same idempotency key, same job")
	other := enqueue("order-2")
	assert.NotEqual(t, id, other)

	r := startCmd(t, nil, "relay", "--queue", ns.ClientURL(), "--url", mmsc.URL, "--rate", "100/s", "--metrics-addr", "127.0.0.1:0")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	reqs, err := mmsc.WaitRequests(ctx, 2)
	require.NoError(t, err, r.errb.String())
	assert.Equal(t, "queued", reqs[0].Subject)
	assert.Equal(t, []string{"15555550123"}, reqs[0].Recipients)
	assert.Equal(t, "hello from the queue", string(reqs[0].Attachments[0].Data))
	txs := []string{reqs[0].TransactionID, reqs[1].TransactionID}
	assert.ElementsMatch(t, []string{id, other}, txs, "the job id is the TransactionID")
	require.Eventually(t, func() bool { return streamCount(t, ns.ClientURL(), "MM7_RESULTS") == 2 }, 10*time.Second, 50*time.Millisecond)
	metricsAddr := waitLog(t, r.errb.String, `msg="metrics listening" addr=(\S+)`)
	resp, err := http.Get("http://" + metricsAddr + "/metrics")
	require.NoError(t, err)
	m, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(m), `mm7_relay_jobs_total{account="",outcome="accepted"} 2`)
	assert.Equal(t, exitOK, r.stop())
	var sum map[string]int
	require.NoError(t, json.Unmarshal([]byte(r.out.String()), &sum), r.out.String())
	assert.Equal(t, 2, sum["accepted"])
	time.Sleep(100 * time.Millisecond)
	assert.Len(t, mmsc.Requests(), 2)
}

func TestStackWholePath(t *testing.T) {
	mmsc := mm7test.NewServer()
	defer mmsc.Close()
	dir := t.TempDir()
	st := startCmd(t, nil, "stack", "--dir", dir, "--addr", "127.0.0.1:0", "--nats-addr", "127.0.0.1:0",
		"--url", mmsc.URL, "--rate", "20/s")
	natsURL := waitLog(t, st.errb.String, `msg="nats listening" url=(\S+)`)
	addr := waitLog(t, st.errb.String, `msg=listening addr=(\S+)`)

	code, stdout, stderr := runScaleCmd(context.Background(), nil, "send", "--queue", natsURL, "--to", "15555550123", "--text", "hi", "--delivery-report")
	require.Equal(t, exitOK, code, stderr)
	var q struct {
		JobID string `json:"job_id"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &q))
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	reqs, err := mmsc.WaitRequests(ctx, 1)
	require.NoError(t, err, st.errb.String())
	// The MMSC reports delivery to the stack, which correlates the report
	// with the job.
	dlr, err := mmsc.SendDeliveryReport(ctx, mm7test.DeliveryReport{MessageID: reqs[0].MessageID, URL: "http://" + addr + "/"})
	require.NoError(t, err)
	require.Equal(t, mm7.StatusSuccess, dlr.Status)
	nc, err := nats.Connect(natsURL)
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	s, err := js.Stream(ctx, "MM7_IN")
	require.NoError(t, err)
	m, err := s.GetLastMsgForSubject(ctx, "mm7.in.delivery-report")
	require.NoError(t, err)
	assert.Equal(t, q.JobID, m.Header.Get(mm7nats.HeaderJobID))
	assert.Equal(t, exitOK, st.stop(), st.errb.String())
	assert.Contains(t, st.out.String(), `"accepted":1`)
}

func TestSimMetrics(t *testing.T) {
	sim := startCmd(t, nil, "sim", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0")
	url := waitLog(t, sim.errb.String, `msg=listening .*url=(\S+)`)
	metricsAddr := waitLog(t, sim.errb.String, `msg="metrics listening" addr=(\S+)`)
	c, err := mm7.NewClient(url)
	require.NoError(t, err)
	_, err = c.Submit(context.Background(), mm7natsSubmit(), []mm7.Attachment{{ContentType: "text/plain", Body: strings.NewReader("x")}})
	require.NoError(t, err)
	resp, err := http.Get("http://" + metricsAddr + "/metrics")
	require.NoError(t, err)
	m, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(m), `mm7_requests_total{http_status="200",kind="SubmitReq",status_code="1000",version="REL-6-MM7-1-4"} 1`)
}

func mm7natsSubmit() *rel6.SubmitReq {
	return &rel6.SubmitReq{Recipients: rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}}}
}

func TestRelayAccountsConfig(t *testing.T) {
	ns := startJetStream(t)
	us := mm7test.NewServer(mm7test.WithBasicAuth("vasp-us", "pw-us"))
	defer us.Close()
	eu := mm7test.NewServer(mm7test.WithBasicAuth("vasp-eu", "pw-eu"))
	defer eu.Close()
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "eu.pw")
	require.NoError(t, os.WriteFile(pwFile, []byte("pw-eu\n"), 0o600))
	cfg := filepath.Join(dir, "accounts.json")
	require.NoError(t, os.WriteFile(cfg, []byte(`[
		{"account": "us", "url": "`+us.URL+`", "user": "vasp-us", "password_env": "US_PW", "rate": "100/s", "concurrency": 2},
		{"account": "eu", "url": "`+eu.URL+`", "user": "vasp-eu", "password_file": "`+pwFile+`", "version": "5.5.0"}
	]`), 0o600))
	for _, acct := range []string{"us", "eu", "eu"} {
		code, _, stderr := runScaleCmd(context.Background(), nil, "send", "--queue", ns.ClientURL(), "--account", acct, "--to", "15555550123", "--text", "hi "+acct)
		require.Equal(t, exitOK, code, stderr)
	}
	r := startCmd(t, map[string]string{"US_PW": "pw-us"}, "relay", "--queue", ns.ClientURL(), "--accounts-config", cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	got, err := us.WaitRequests(ctx, 1)
	require.NoError(t, err, r.errb.String())
	assert.Equal(t, "vasp-us", got[0].User)
	got, err = eu.WaitRequests(ctx, 2)
	require.NoError(t, err, r.errb.String())
	assert.Equal(t, "vasp-eu", got[1].User)
	assert.Equal(t, 5, got[1].Version.Release)
	assert.Equal(t, exitOK, r.stop())
	assert.Contains(t, r.out.String(), `"accepted":3`)
	assert.NotContains(t, r.errb.String(), "pw-")

	code, _, stderr := runScaleCmd(context.Background(), nil, "relay", "--queue", ns.ClientURL(), "--accounts-config", pwFile)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "--accounts-config")
	assert.NotContains(t, stderr, "pw-eu")
}
