package main

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServeMaxInFlight: with --max-in-flight 1, a request whose body is
// still arriving holds the only slot, and another request gets 503 with
// Retry-After at once; once the slow one is gone, requests are stored.
func TestServeMaxInFlight(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	s := startServeCmd(t, nil, out, "--max-in-flight", "1")
	u, err := url.Parse(s.url)
	require.NoError(t, err)
	slow, err := net.Dial("tcp", u.Host)
	require.NoError(t, err)
	fmt.Fprintf(slow, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 5000\r\n\r\n<env:Envelope", u.Path+"/")
	msg, atts, _ := moMessage("inflight-tx")
	ct, body := encodeMessage(t, msg, atts...)
	// The slow request takes the slot as soon as its head is read.
	deadline := time.Now().Add(5 * time.Second)
	code := 0
	for time.Now().Before(deadline) {
		if code, _ = post(t, s.url, "", "", ct, body); code == http.StatusServiceUnavailable {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.Equal(t, http.StatusServiceUnavailable, code, "a second request while the slot is taken")
	assert.Empty(t, dirNames(t, filepath.Join(out, "deliver")), "nothing stored over the cap")
	slow.Close() // frees the slot
	for time.Now().Before(deadline) {
		if code, _ = post(t, s.url, "", "", ct, body); code == http.StatusOK {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.Equal(t, http.StatusOK, code)
	assert.Len(t, dirNames(t, filepath.Join(out, "deliver")), 1)
}

func TestServeMaxInFlightUsage(t *testing.T) {
	t.Parallel()
	code, _, stderr := runCmd(t, "", "serve", "--max-in-flight", "-1", "--out", t.TempDir())
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "--max-in-flight")
}
