//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
)

// TestE2EHugeReplyBoundedMemory checks that mm7 send stays small while the
// MMSC streams a 50 MB answer: the client reads at most 1 MiB of it.
func TestE2EHugeReplyBoundedMemory(t *testing.T) {
	t.Parallel()
	bin := mm7Binary(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte(`<?xml version="1.0"?><env:Envelope xmlns:env="` + soapNS + `"><env:Body><SubmitRsp xmlns="` + rel6.Namespace + `"><StatusText>`)) //nolint:errcheck
		chunk := []byte(strings.Repeat("x", 64<<10))
		for range 50 << 20 / len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)

	ctx, cancel := context.WithTimeout(t.Context(), e2eWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "send", "--url", srv.URL, "--to", "15555550123", "--text", "x", "--transaction-id", e2eTx)
	cmd.Env = e2eEnv()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	require.NoError(t, cmd.Start())
	peak := watchPeakRSS(cmd.Process.Pid)
	err := cmd.Wait()
	hwm := peak()
	ee, ok := errors.AsType[*exec.ExitError](err)
	require.True(t, ok, "exit status: %v %s", err, errb.String())
	assert.Equal(t, exitFail, ee.ExitCode())
	assert.Contains(t, errb.String(), "response is too large: over 1048576 bytes")
	assert.Contains(t, out.String(), `"http_status":200`)
	// rusage's Maxrss is not used: after a vfork+exec it includes the
	// RSS of this test process, whose memory the child shared until exec.
	t.Logf("peak RSS of mm7 send: %d KiB", hwm)
	require.Positive(t, hwm, "no VmHWM read from /proc")
	assert.Less(t, hwm, int64(60<<10), "peak RSS %d KiB: the 50 MB answer is not held in memory", hwm)
}

// watchPeakRSS polls the VmHWM (peak resident set) of process pid until the
// returned function is called, which returns the highest value seen in KiB.
// VmHWM belongs to the process's own address space, which exec made new.
func watchPeakRSS(pid int) func() int64 {
	var peak atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	path := "/proc/" + strconv.Itoa(pid) + "/status"
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			if b, err := os.ReadFile(path); err == nil {
				for line := range strings.Lines(string(b)) {
					if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
						if n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64); err == nil && n > peak.Load() {
							peak.Store(n)
						}
					}
				}
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	return func() int64 {
		close(stop)
		<-done
		return peak.Load()
	}
}
