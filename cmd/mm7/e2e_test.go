package main

// End-to-end tests of the mm7 binary: it is built once, then run as
// subprocesses (sim, serve, send, validate, inspect, demo) that talk over
// loopback. Every wait is bounded (e2eWait); subprocesses are stopped in
// t.Cleanup.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

// e2eWait bounds every wait of the end-to-end tests.
const e2eWait = 20 * time.Second

var (
	e2eOnce sync.Once
	e2eDir  string // holds the binary; removed by TestMain
	e2eBin  string
	e2eErr  error
	errNoGo = errors.New("the go tool is not on PATH")
)

func TestMain(m *testing.M) {
	code := m.Run()
	if e2eDir != "" {
		os.RemoveAll(e2eDir) //nolint:errcheck // best effort
	}
	os.Exit(code)
}

// mm7Binary builds the mm7 command once per test process and returns its
// path. It skips the test when the go tool is not available.
func mm7Binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	e2eOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			e2eErr = errNoGo
			return
		}
		if e2eDir, e2eErr = os.MkdirTemp("", "mm7-e2e-"); e2eErr != nil {
			return
		}
		e2eBin = filepath.Join(e2eDir, "mm7")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, goTool, "build", "-o", e2eBin, ".").CombinedOutput()
		if err != nil {
			e2eErr = errors.New("go build ./cmd/mm7: " + err.Error() + "\n" + string(out))
		}
	})
	if errors.Is(e2eErr, errNoGo) {
		t.Skip("end-to-end test skipped: the go tool is not on PATH, so the mm7 binary cannot be built")
	}
	require.NoError(t, e2eErr)
	return e2eBin
}

// e2eEnv returns the environment of a subprocess: the test's, without
// any MM7 password, plus vars ("K=V").
func e2eEnv(vars ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "MM7_PASSWORD=") || strings.HasPrefix(kv, "MM7_VASP_PASSWORD=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, vars...)
}

// A proc is a long-running mm7 subprocess (sim or serve).
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	done           chan struct{}
	addr           string
	once           sync.Once
	code           int
}

// startProc starts mm7 with args and waits for its "msg=listening
// addr=..." line. It is stopped (SIGINT, then SIGKILL) at cleanup.
func startProc(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(mm7Binary(t), args...)
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	require.NoError(t, p.cmd.Start())
	go func() {
		p.cmd.Wait() //nolint:errcheck // the exit code is read from ProcessState
		close(p.done)
	}()
	t.Cleanup(func() { p.stop() })
	p.addr = waitListening(t, p.stderr.String, p.done)
	return p
}

// stop interrupts the process, kills it after 10 s, and returns its exit
// code.
func (p *proc) stop() int {
	p.once.Do(func() {
		p.cmd.Process.Signal(os.Interrupt) //nolint:errcheck // it may have exited
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			p.cmd.Process.Kill() //nolint:errcheck // it may have exited
			<-p.done
		}
		p.code = p.cmd.ProcessState.ExitCode()
	})
	return p.code
}

// runBin runs mm7 to completion (at most e2eWait, counted from the start
// of the process: building the binary on a cold cache can take minutes).
func runBin(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	bin := mm7Binary(t) // built first: the build is not the command's time
	ctx, cancel := context.WithTimeout(t.Context(), e2eWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("mm7 %s did not finish within %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), e2eWait, out.String(), errb.String())
	}
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		return ee.ExitCode(), out.String(), errb.String()
	}
	require.NoError(t, err, "mm7 %s: %s", strings.Join(args, " "), errb.String())
	return 0, out.String(), errb.String()
}

// waitFile waits until path exists.
func waitFile(t *testing.T, path string, logs ...*syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(e2eWait)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(path); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	var all []string
	for _, l := range logs {
		all = append(all, l.String())
	}
	t.Fatalf("%s did not appear within %s; logs:\n%s", path, e2eWait, strings.Join(all, "\n---\n"))
}

// e2eSetup starts mm7 serve (Basic Auth mmsc/in-pw, path /mm7) and mm7 sim
// (Basic Auth vasp/out-pw) posting reports and MOs to it.
func e2eSetup(t *testing.T) (serve, sim *proc, out, simURL string) {
	t.Helper()
	out = filepath.Join(t.TempDir(), "inbox")
	serve = startProc(t, e2eEnv("MM7_PASSWORD=in-pw"), "serve", "--addr", "127.0.0.1:0", "--out", out,
		"--user", "mmsc", "--path", "/mm7")
	sim = startProc(t, e2eEnv("MM7_PASSWORD=out-pw", "MM7_VASP_PASSWORD=in-pw"), "sim", "--addr", "127.0.0.1:0",
		"--user", "vasp", "--vasp-url", "http://"+serve.addr+"/mm7", "--vasp-user", "mmsc", "--dlr-delay", "50ms")
	return serve, sim, out, "http://" + sim.addr + "/mms/mm7/submit"
}

func TestE2ESendSimServe(t *testing.T) {
	t.Parallel()
	serve, sim, out, simURL := e2eSetup(t)
	dir := t.TempDir()
	img := demoPNG()
	pic := writeTemp(t, dir, "pic.png", img)
	vasp := e2eEnv("MM7_PASSWORD=out-pw")

	for _, v := range []struct{ flag, wire, schema string }{{"5.5.0", "5.3.0", "REL-5-MM7-1-2"}, {"6.8.0", "6.8.0", "REL-6-MM7-1-4"}} {
		code, stdout, stderr := runBin(t, vasp, "send", "--url", simURL, "--user", "vasp", "--version", v.flag,
			"--from", "12345", "--to", "15555550123", "--subject", "e2e", "--text", "Hello", "--attach", pic, "--delivery-report")
		require.Equal(t, 0, code, stderr)
		var res callOutput
		require.NoError(t, json.Unmarshal([]byte(stdout), &res), stdout)
		assert.Equal(t, new(1000), res.StatusCode)
		assert.Empty(t, stderr, "silent on success")
		assert.Equal(t, v.flag, res.Version)
		assert.Equal(t, v.schema, res.Schema)
		require.NotEmpty(t, res.MessageID)
		assert.NotContains(t, stderr, "out-pw")

		dlr := filepath.Join(out, "delivery-report", res.MessageID+"_15555550123_Retrieved", "message.json")
		waitFile(t, dlr, serve.stderr, sim.stderr)
		got := readJSON(t, dlr)
		assert.Equal(t, "DeliveryReportReq", got.Kind)
		assert.Equal(t, v.wire, got.Version, "the report comes in the version of the submit")
		assert.Equal(t, res.MessageID, got.Message.(map[string]any)["MessageID"])
	}

	// MO injected through the simulator's admin endpoint.
	moBody, err := json.Marshal(map[string]string{"from": "+15555550199", "to": "12345", "subject": "pic", "text": "look",
		"image_base64": base64.StdEncoding.EncodeToString(img), "image_type": "image/png", "carrier_code": "104"})
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://"+sim.addr+"/sim/mo", bytes.NewReader(moBody))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth("vasp", "out-pw")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var admin struct {
		StatusCode    int    `json:"status_code"`
		TransactionID string `json:"transaction_id"`
		Error         string `json:"error"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&admin))
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, admin.Error)
	assert.Equal(t, 1000, admin.StatusCode)
	require.NotEmpty(t, admin.TransactionID)

	moDir := filepath.Join(out, "deliver", txKey(admin.TransactionID).dirName())
	waitFile(t, filepath.Join(moDir, "message.json"), serve.stderr, sim.stderr)
	mo := readJSON(t, filepath.Join(moDir, "message.json"))
	assert.Equal(t, "104", mo.CarrierCode)
	assert.Equal(t, admin.TransactionID, mo.TransactionID)
	var found bool
	for _, a := range mo.Attachments {
		if a.ContentType == "image/png" {
			data, err := os.ReadFile(filepath.Join(moDir, a.File))
			require.NoError(t, err)
			assert.Equal(t, img, data, "attachment bytes as the simulator sent them")
			found = true
		}
	}
	assert.True(t, found, "MO has the image: %+v", mo.Attachments)

	// Wrong password: the simulator refuses before reading the message.
	code, stdout, stderr := runBin(t, e2eEnv("MM7_PASSWORD=bad"), "send", "--url", simURL, "--user", "vasp",
		"--to", "15555550123", "--text", "x")
	assert.Equal(t, exitHTTP, code)
	assert.Regexp(t, `^mm7 send: the MMSC answered HTTP 401 Unauthorized[^\n]*\n$`, stderr)
	assert.NotContains(t, stderr, "bad")
	assert.Contains(t, stdout, `"http_status":401`)

	// Graceful stops: serve exits 0; sim prints its summary.
	assert.Equal(t, 0, serve.stop())
	assert.Equal(t, 0, sim.stop())
	var summary struct {
		MOSent      int `json:"mo_sent"`
		ReportsSent int `json:"reports_sent"`
	}
	require.NoError(t, json.Unmarshal([]byte(sim.stdout.String()), &summary), sim.stdout.String())
	assert.Equal(t, 1, summary.MOSent)
	assert.Equal(t, 2, summary.ReportsSent)
	assert.Regexp(t, regexp.MustCompile(`(?m)^time=\S+ level=INFO msg=listening addr=127\.0\.0\.1:\d+$`), strings.SplitN(serve.stderr.String(), "\n", 2)[0])
}

func TestE2EServeDuplicateAndAuth(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	serve := startProc(t, e2eEnv("MM7_PASSWORD=in-pw"), "serve", "--addr", "127.0.0.1:0", "--out", out, "--user", "mmsc")
	msg, atts, img := moMessage("e2e-dup")
	ct, body := encodeMessage(t, msg, atts...)
	url := "http://" + serve.addr + "/"

	code, rsp := post(t, url, "mmsc", "nope", ct, body)
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Nil(t, rsp)
	assert.Empty(t, dirNames(t, filepath.Join(out, "deliver")), "nothing stored without the password")

	for range 2 {
		code, rsp = post(t, url, "mmsc", "in-pw", ct, body)
		require.Equal(t, http.StatusOK, code)
		assert.Equal(t, mm7.StatusSuccess, status(t, rsp))
	}
	assert.Equal(t, []string{"e2e-dup"}, dirNames(t, filepath.Join(out, "deliver")), "the repeat is not stored twice")
	data, err := os.ReadFile(filepath.Join(out, "deliver", "e2e-dup", "passwd.png"))
	require.NoError(t, err)
	assert.Equal(t, img, data)
	assert.Equal(t, 0, serve.stop())
	assert.Contains(t, serve.stderr.String(), `msg="duplicate, already stored" kind=deliver id=e2e-dup`)
}

func TestE2EValidateInspect(t *testing.T) {
	t.Parallel()
	valid := golden("rel6_submit_smil.txt")
	data, err := os.ReadFile(valid)
	require.NoError(t, err)
	broken := writeTemp(t, t.TempDir(), "broken.txt",
		[]byte(strings.Replace(string(data), "<Priority>High</Priority>", "<Priority>Urgent</Priority>", 1)))
	env := e2eEnv()

	code, out, errOut := runBin(t, env, "validate", valid)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "valid SubmitReq (REL-6-MM7-1-4, 6.8.0)")
	code, out, _ = runBin(t, env, "validate", broken)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "/Envelope/Body/SubmitReq/Priority")
	assert.Contains(t, out, "invalid SubmitReq: 1 problem (")

	code, out, errOut = runBin(t, env, "inspect", valid)
	assert.Equal(t, 0, code, errOut)
	var got inspectOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, "SubmitReq", got.Kind)
	notMM7 := writeTemp(t, t.TempDir(), "junk.xml", []byte("<not-soap/>"))
	code, out, errOut = runBin(t, env, "inspect", notMM7)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, 1, strings.Count(errOut, "\n"), "one-line error: %q", errOut)

	code, _, errOut = runBin(t, env, "send")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "Try 'mm7 send -h'")
}

func TestE2EDemo(t *testing.T) {
	t.Parallel()
	code, out, errOut := runBin(t, e2eEnv(), "demo")
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
	for _, re := range demoSteps {
		assert.Regexp(t, re, out)
	}
}
