package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/convert"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7test"
)

// simSyncBuffer is an io.Writer safe for concurrent use that signals each
// write.
type simSyncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{}
}

func newSimSyncBuffer() *simSyncBuffer { return &simSyncBuffer{written: make(chan struct{})} }

func (b *simSyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	close(b.written)
	b.written = make(chan struct{})
	return n, err
}

func (b *simSyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits until the buffer matches re and returns the first
// submatch.
func (b *simSyncBuffer) waitFor(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	timeout := time.NewTimer(10 * time.Second) // a failsafe, not a pacing sleep
	defer timeout.Stop()
	for {
		b.mu.Lock()
		m, written := re.FindStringSubmatch(b.buf.String()), b.written
		b.mu.Unlock()
		if m != nil {
			return m[1]
		}
		select {
		case <-written:
		case <-timeout.C:
			t.Fatalf("no %v in stderr:\n%s", re, b.String())
		}
	}
}

// simRunning is `mm7 sim` running in a goroutine.
type simRunning struct {
	url, admin     string
	stdout, stderr *simSyncBuffer
	cancel         context.CancelFunc
	code           chan int
}

var simListeningRE = regexp.MustCompile(`level=INFO msg=listening addr=(\S+)`)

// startSimCmd runs `mm7 sim --addr 127.0.0.1:0 args...` with the given
// environment and waits for its listening line.
func startSimCmd(t *testing.T, environ map[string]string, args ...string) *simRunning {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &simRunning{stdout: newSimSyncBuffer(), stderr: newSimSyncBuffer(), cancel: cancel, code: make(chan int, 1)}
	e := &env{stdin: strings.NewReader(""), stdout: r.stdout, stderr: r.stderr, getenv: func(k string) string { return environ[k] }}
	go func() { r.code <- run(ctx, append([]string{"sim", "--addr", "127.0.0.1:0"}, args...), e) }()
	t.Cleanup(func() {
		cancel()
		<-r.code
	})
	addr := r.stderr.waitFor(t, simListeningRE)
	r.url, r.admin = "http://"+addr+mm7test.DefaultPath, "http://"+addr+"/sim"
	return r
}

// stop cancels the command's context and returns its exit code.
func (r *simRunning) stop(t *testing.T) int {
	t.Helper()
	r.cancel()
	select {
	case code := <-r.code:
		r.code <- code // for the cleanup
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("mm7 sim did not stop")
		return -1
	}
}

// simVASP is a VASP's mm7.Handler on loopback that hands what it
// receives to channels.
type simVASP struct {
	url   string
	dlrs  chan *rel6.DeliveryReportReq
	mos   chan map[string][]byte
	moReq chan *rel6.DeliverReq
}

func newSimVASP(t *testing.T, user string, pass mm7.Secret) *simVASP {
	v := &simVASP{dlrs: make(chan *rel6.DeliveryReportReq, 10), mos: make(chan map[string][]byte, 10), moReq: make(chan *rel6.DeliverReq, 10)}
	h := &mm7.Handler{
		Username: user, Password: pass,
		OnDeliveryReport: func(_ context.Context, r *mm7.Request) error {
			body := r.Message.Body
			if b, _, err := convert.ToRel6(body); err == nil {
				body = b
			}
			v.dlrs <- body.(*rel6.DeliveryReportReq)
			return nil
		},
		OnDeliver: func(_ context.Context, r *mm7.Request) error {
			parts := map[string][]byte{}
			for {
				a, err := r.NextAttachment()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					return err
				}
				data, err := io.ReadAll(a.Body)
				if err != nil {
					return err
				}
				parts[a.MediaType()] = data
			}
			body := r.Message.Body
			if b, _, err := convert.ToRel6(body); err == nil {
				body = b
			}
			v.moReq <- body.(*rel6.DeliverReq)
			v.mos <- parts
			return nil
		},
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	v.url = ts.URL + "/vasp"
	return v
}

func simReceive[T any](t *testing.T, ch chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second): // a failsafe
		t.Fatal("nothing received")
		var zero T
		return zero
	}
}

func simPostJSON(t *testing.T, url, user, pass string, body any) (int, simAdminResult) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out simAdminResult
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

func TestSimSubmitReportAndMO(t *testing.T) {
	vasp := newSimVASP(t, "mmsc", "vasp-secret")
	sim := startSimCmd(t, map[string]string{"MM7_PASSWORD": "sim-secret", "MM7_VASP_PASSWORD": "vasp-secret"},
		"--user", "vasp", "--vasp-url", vasp.url, "--vasp-user", "mmsc", "--dlr-delay", "10ms", "--log-level", "debug")

	// A VASP submits; the delivery report reaches its handler.
	c, err := mm7.NewClient(sim.url, mm7.WithBasicAuth("vasp", "sim-secret"))
	require.NoError(t, err)
	req := &rel6.SubmitReq{
		SenderIdentification: rel6.SenderID{SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}},
		Recipients:           rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "+15555550123"}}}}},
		DeliveryReport:       new(true),
	}
	res, err := c.Submit(t.Context(), req, []mm7.Attachment{{ContentType: "text/plain", Body: strings.NewReader("hi")}})
	require.NoError(t, err)
	assert.Regexp(t, `^sim-[0-9a-f]{8}-1$`, res.MessageID)
	dlr := simReceive(t, vasp.dlrs)
	assert.Equal(t, res.MessageID, dlr.MessageID)
	assert.Equal(t, "+15555550123", dlr.Recipient.Number.Value)
	assert.Equal(t, "12345", dlr.Sender.ShortCode.Value)
	assert.Equal(t, rel6.MMDeliveryStatusRetrieved, dlr.MMStatus)
	assert.Equal(t, "mm7go sim", *dlr.MMSRelayServerID)

	// Wrong credentials are refused, on MM7 and admin endpoints alike.
	bad, err := mm7.NewClient(sim.url, mm7.WithBasicAuth("vasp", "wrong"))
	require.NoError(t, err)
	_, err = bad.Submit(t.Context(), req, nil)
	he, ok := errors.AsType[*mm7.HTTPError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, http.StatusUnauthorized, he.StatusCode)
	code, _ := simPostJSON(t, sim.admin+"/mo", "vasp", "wrong", simMO{From: "+1555", Text: "x"})
	assert.Equal(t, http.StatusUnauthorized, code)

	// An MO with a text and an image, injected through the admin endpoint.
	img := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR binary \x00\xff")
	code, out := simPostJSON(t, sim.admin+"/mo", "vasp", "sim-secret", simMO{From: "+15555550123", To: "12345", Subject: "photo",
		Text: "look", ImageBase64: base64.StdEncoding.EncodeToString(img), CarrierCode: "104"})
	require.Equal(t, http.StatusOK, code, "%+v", out)
	assert.Equal(t, 1000, out.StatusCode)
	assert.Equal(t, "6.8.0", out.Version)
	assert.NotEmpty(t, out.TransactionID)
	mo := simReceive(t, vasp.moReq)
	assert.Equal(t, "+15555550123", mo.Sender.Number.Value)
	assert.Equal(t, "photo", *mo.Subject)
	assert.Equal(t, map[string][]byte{"text/plain": []byte("look"), "image/png": img}, simReceive(t, vasp.mos))

	// The same with query parameters.
	hreq, err := http.NewRequestWithContext(t.Context(), http.MethodPost, sim.admin+"/mo?from=%2B15555550124&text=stop&version=5.5.0", nil)
	require.NoError(t, err)
	hreq.SetBasicAuth("vasp", "sim-secret")
	resp, err := http.DefaultClient.Do(hreq)
	require.NoError(t, err)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "5.3.0", out.Version)
	assert.Equal(t, 1000, out.StatusCode)
	assert.Equal(t, "+15555550124", simReceive(t, vasp.moReq).Sender.Number.Value)
	assert.Equal(t, map[string][]byte{"text/plain": []byte("stop")}, simReceive(t, vasp.mos))

	// A delivery report on demand.
	code, out = simPostJSON(t, sim.admin+"/dlr", "vasp", "sim-secret", simDLR{MessageID: res.MessageID, Status: "Expired"})
	require.Equal(t, http.StatusOK, code, "%+v", out)
	dlr = simReceive(t, vasp.dlrs)
	assert.Equal(t, rel6.MMDeliveryStatusExpired, dlr.MMStatus)
	assert.Equal(t, "+15555550123", dlr.Recipient.Number.Value)

	// Bad admin requests.
	code, out = simPostJSON(t, sim.admin+"/mo", "vasp", "sim-secret", simMO{Text: "no sender"})
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, out.Error, "from")
	code, _ = simPostJSON(t, sim.admin+"/dlr", "vasp", "sim-secret", simDLR{MessageID: res.MessageID, Status: "Lost"})
	assert.Equal(t, http.StatusBadRequest, code)

	assert.Equal(t, exitOK, sim.stop(t))
	var summary simResult
	require.NoError(t, json.Unmarshal([]byte(sim.stdout.String()), &summary), sim.stdout.String())
	assert.Equal(t, 1, summary.Requests)
	assert.Equal(t, 1, summary.Messages)
	assert.Equal(t, 1, summary.ReportsSent)
	assert.Equal(t, 0, summary.ReportsFailed)
	assert.Equal(t, int64(2), summary.MOSent)
	assert.Equal(t, int64(1), summary.AdminReports)
	assert.Equal(t, 1, strings.Count(sim.stdout.String(), "\n"), "one JSON object")
	assert.Equal(t, strings.TrimSuffix(res.MessageID, "1"), summary.MessageIDPrefix)

	logs := sim.stderr.String()
	assert.True(t, strings.HasPrefix(logs[strings.Index(logs, "level="):], "level=INFO msg=listening addr=127.0.0.1:"), "the first line gives the address:\n%s", logs)
	assert.NotContains(t, logs, "sim-secret")
	assert.NotContains(t, logs, "vasp-secret")
	assert.Contains(t, logs, "msg=stopped")
}

func TestSimScriptedStatusVersionsAndPasswordFile(t *testing.T) {
	pw := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pw, []byte("from-file\n"), 0o600))
	sim := startSimCmd(t, nil, "--user", "vasp", "--password-file", pw, "--versions", "5.5.0", "--status", "4005",
		"--path", "/mm7", "--seed", "5")
	sim.url = strings.Replace(sim.url, mm7test.DefaultPath, "/mm7", 1)

	c, err := mm7.NewClient(sim.url, mm7.WithBasicAuth("vasp", "from-file")) // REL-6 first, then REL-5
	require.NoError(t, err)
	res, err := c.Submit(t.Context(), &rel6.SubmitReq{
		Recipients: rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "+15555550123"}}}}},
	}, nil)
	assert.ErrorIs(t, err, &mm7.StatusError{Code: mm7.StatusServiceError})
	assert.True(t, res.Negotiated, "fell back from 6.8.0")
	assert.Equal(t, mm7.Rel5, res.Version)

	code, out := simPostJSON(t, strings.TrimSuffix(sim.url, "/mm7")+"/sim/mo", "vasp", "from-file", simMO{From: "+1555", Text: "x"})
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, out.Error, "--vasp-url")

	assert.Equal(t, exitOK, sim.stop(t))
	var summary simResult
	require.NoError(t, json.Unmarshal([]byte(sim.stdout.String()), &summary))
	assert.Equal(t, uint64(5), summary.Seed)
	assert.Equal(t, 2, summary.Requests)
	assert.Equal(t, 0, summary.Messages)
}

func TestSimUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown flag", []string{"--nope"}, nil, "flag provided but not defined"},
		{"argument", []string{"extra"}, nil, `unexpected argument "extra"`},
		{"bad version", []string{"--versions", "6.8.0,7.0"}, nil, "--versions"},
		{"bad fail rate", []string{"--fail-rate", "1.5"}, nil, "--fail-rate"},
		{"bad dlr status", []string{"--dlr-status", "Delivered"}, nil, "--dlr-status"},
		{"bad status", []string{"--status", "99"}, nil, "--status"},
		{"bad path", []string{"--path", "/sim/mo"}, nil, "--path"},
		{"bad vasp url", []string{"--vasp-url", "ftp://x"}, nil, "--vasp-url"},
		{"user without password", []string{"--user", "vasp"}, nil, "MM7_PASSWORD"},
		{"vasp user without password", []string{"--vasp-user", "mmsc"}, map[string]string{"MM7_PASSWORD": "x"}, "MM7_VASP_PASSWORD"},
		{"bad log level", []string{"--log-level", "loud"}, nil, "--log-level"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(t.Context(), append([]string{"sim"}, tt.args...),
				&env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return tt.env[k] }})
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errb.String(), tt.want)
			assert.Contains(t, errb.String(), "Try 'mm7 sim -h'.")
			assert.Empty(t, out.String())
		})
	}

	code, stdout, stderr := runCmd(t, "", "sim", "-h")
	assert.Equal(t, exitOK, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "Usage: mm7 sim")
	assert.Contains(t, stderr, "POST /sim/mo")
	assert.Contains(t, stderr, "curl -d from=+15555550123 -d to=12345 -d text=hello http://127.0.0.1:8077/sim/mo")
	assert.Contains(t, stderr, "curl -d message_id=")
	assert.Contains(t, stderr, "http://127.0.0.1:8077/sim/dlr")
	assert.Contains(t, stderr, "Exit codes:")
}

func TestSimListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	code, stdout, stderr := runCmd(t, "", "sim", "--addr", ln.Addr().String())
	assert.Equal(t, exitFail, code)
	assert.Empty(t, stdout)
	assert.Regexp(t, `^mm7 sim: listen tcp [^\n]+\n$`, stderr, "one line")
}

// TestStartSimStopWaitsForReports drives the pieces mm7 demo uses.
func TestStartSimStopWaitsForReports(t *testing.T) {
	vasp := newSimVASP(t, "", "")
	s, err := startSim(t.Context(), simConfig{addr: "127.0.0.1:0", opts: mm7test.Options{
		VASPURL: vasp.url, DeliveryReportDelay: 100 * time.Millisecond,
	}})
	require.NoError(t, err)
	c, err := mm7.NewClient(s.url)
	require.NoError(t, err)
	_, err = c.Submit(t.Context(), &rel6.SubmitReq{
		Recipients:     rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "+15555550123"}}}}},
		DeliveryReport: new(true),
	}, nil)
	require.NoError(t, err)
	require.NoError(t, s.stop())
	select {
	case dlr := <-vasp.dlrs:
		assert.Equal(t, "mm7test-1", dlr.MessageID)
	default:
		t.Fatal("stop returned before the pending delivery report was sent")
	}
	assert.Len(t, s.mmsc.Reports(), 1)
	_, err = http.Post(s.url, "text/xml", strings.NewReader("")) //nolint:noctx // expected to fail at once
	assert.Error(t, err, "the listener is closed")
}

// Each run of mm7 sim issues MessageIDs of its own, so that a receiver
// that keeps what it stored (mm7 serve drops repeats) never takes a report
// of this run for one of the last run's.
func TestSimMessageIDsUniqueAcrossRuns(t *testing.T) {
	submit := func(args ...string) string {
		t.Helper()
		sim := startSimCmd(t, nil, args...)
		c, err := mm7.NewClient(sim.url)
		require.NoError(t, err)
		res, err := c.Submit(t.Context(), &rel6.SubmitReq{
			Recipients: rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "+15555550123"}}}}},
		}, nil)
		require.NoError(t, err)
		require.Equal(t, exitOK, sim.stop(t))
		return res.MessageID
	}
	first, second := submit(), submit()
	assert.Regexp(t, `^sim-[0-9a-f]{8}-1$`, first)
	assert.Regexp(t, `^sim-[0-9a-f]{8}-1$`, second)
	assert.NotEqual(t, first, second)
	assert.Equal(t, "acme-1", submit("--message-id-prefix", "acme-"), "an explicit prefix is used as given")
}

// The admin endpoints read what curl sends: JSON labelled as a form (curl
// -d) or unlabelled, form fields, multipart fields (curl -F).
func TestSimAdminBodies(t *testing.T) {
	vasp := newSimVASP(t, "", "")
	sim := startSimCmd(t, nil, "--vasp-url", vasp.url)
	post := func(path, contentType string, body io.Reader) (int, simAdminResult) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, sim.admin+path, body)
		require.NoError(t, err)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var out simAdminResult
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		return resp.StatusCode, out
	}

	for _, ct := range []string{"", "application/x-www-form-urlencoded", "text/plain", "application/json; charset=utf-8"} {
		code, out := post("/mo", ct, strings.NewReader(` {"from":"+15555550123","to":"12345","text":"json as `+ct+`"}`))
		require.Equal(t, http.StatusOK, code, "%q: %+v", ct, out)
		assert.Equal(t, 1000, out.StatusCode)
		assert.Equal(t, map[string][]byte{"text/plain": []byte("json as " + ct)}, simReceive(t, vasp.mos))
		assert.Equal(t, "+15555550123", simReceive(t, vasp.moReq).Sender.Number.Value)
	}

	code, out := post("/mo", "application/x-www-form-urlencoded", strings.NewReader("from=%2B15555550124&to=12345&text=form"))
	require.Equal(t, http.StatusOK, code, "%+v", out)
	assert.Equal(t, map[string][]byte{"text/plain": []byte("form")}, simReceive(t, vasp.mos))
	assert.Equal(t, "+15555550124", simReceive(t, vasp.moReq).Sender.Number.Value)

	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	require.NoError(t, mw.WriteField("from", "+15555550125"))
	require.NoError(t, mw.WriteField("text", "multipart"))
	require.NoError(t, mw.Close())
	code, out = post("/mo", mw.FormDataContentType(), &mp)
	require.Equal(t, http.StatusOK, code, "%+v", out)
	assert.Equal(t, map[string][]byte{"text/plain": []byte("multipart")}, simReceive(t, vasp.mos))
	assert.Equal(t, "+15555550125", simReceive(t, vasp.moReq).Sender.Number.Value)

	// A report about a MessageID another MMSC issued, with the addresses given.
	code, out = post("/dlr", "application/x-www-form-urlencoded",
		strings.NewReader(`{"message_id":"mmsc-42","recipient":"+15555550123","sender":"12345","status":"Expired","version":"5.5.0"}`))
	require.Equal(t, http.StatusOK, code, "%+v", out)
	assert.Equal(t, "5.3.0", out.Version)
	dlr := simReceive(t, vasp.dlrs)
	assert.Equal(t, "mmsc-42", dlr.MessageID)
	assert.Equal(t, rel6.MMDeliveryStatusExpired, dlr.MMStatus)
	assert.Equal(t, "+15555550123", dlr.Recipient.Number.Value)
	assert.Equal(t, "12345", dlr.Sender.ShortCode.Value)

	// Bad requests say what is wrong.
	for _, tt := range []struct{ path, body, want string }{
		{"/dlr", "message_id=mmsc-43&recipient=%2B15555550123", `message_id "mmsc-43" was not issued by this simulator: give recipient and sender too`},
		{"/dlr", "message_id=mmsc-43&recipient=1&sender=2&version=7.0", "version"},
		{"/dlr", "status=Expired", "message_id is required"},
		{"/mo", `{"from":"+1555","txt":"typo"}`, `unknown field "txt"`},
		{"/mo", `{"from":"+1555","text":"a"} {"from":"+1555"}`, "more than one JSON object"},
		{"/mo", `{"from":`, "JSON body"},
	} {
		code, out := post(tt.path, "application/x-www-form-urlencoded", strings.NewReader(tt.body))
		assert.Equal(t, http.StatusBadRequest, code, tt.body)
		assert.Contains(t, out.Error, tt.want, tt.body)
	}
	assert.Equal(t, exitOK, sim.stop(t))
}
