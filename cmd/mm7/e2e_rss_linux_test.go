//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"syscall"
	"testing"

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
	err := cmd.Run()
	ee, ok := errors.AsType[*exec.ExitError](err)
	require.True(t, ok, "exit status: %v %s", err, errb.String())
	assert.Equal(t, exitFail, ee.ExitCode())
	assert.Contains(t, errb.String(), "response is too large: over 1048576 bytes")
	assert.Contains(t, out.String(), `"http_status":200`)
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	require.True(t, ok)
	t.Logf("max RSS of mm7 send: %d KiB", ru.Maxrss)
	assert.Less(t, ru.Maxrss, int64(60<<10), "max RSS %d KiB: the 50 MB answer is not held in memory", ru.Maxrss)
}
