package mm7_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

// dosServer serves h on loopback with a long ReadTimeout (what a server
// sized for big bodies on slow links has) and reports when each
// connection is closed on the server side.
func dosServer(t *testing.T, h http.Handler) (addr string, closed <-chan struct{}) {
	t.Helper()
	ch := make(chan struct{}, 16)
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ReadTimeout = time.Minute
	srv.Config.ReadHeaderTimeout = 10 * time.Second
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			ch <- struct{}{}
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String(), ch
}

// dripper opens a connection, sends the request head and the first bytes
// of a body announced as much longer, then one byte every 100 ms until
// stop is closed or the server hangs up.
func dripper(t *testing.T, addr, head string, stop <-chan struct{}) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	_, err = io.WriteString(c, head)
	require.NoError(t, err)
	go func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if _, err := c.Write([]byte("x")); err != nil {
					return
				}
			}
		}
	}()
	return c, bufio.NewReader(c)
}

// TestHandlerUnauthenticatedDripIsCutAtOnce: a POST with wrong
// credentials whose body trickles in gets 401 and its connection closed
// at once, without the server waiting for the body (net/http drains up to
// 256 KB of an unread body before it lets a handler's goroutine go).
func TestHandlerUnauthenticatedDripIsCutAtOnce(t *testing.T) {
	var called atomic.Bool
	h := &mm7.Handler{Username: "mmsc", Password: "secret", OnDeliver: func(context.Context, *mm7.Request) error {
		called.Store(true)
		return nil
	}}
	addr, closed := dosServer(t, h)
	stop := make(chan struct{})
	defer close(stop)
	head := "POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Basic d3Jvbmc6d3Jvbmc=\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n<env:Envelope"
	c, br := dripper(t, addr, head, stop)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.True(t, resp.Close, "the 401 must close the connection")
	io.Copy(io.Discard, resp.Body)
	select {
	case <-closed:
	case <-time.After(3 * time.Second):
		t.Fatal("the server still holds the connection of a dripping unauthenticated client")
	}
	_, err = br.ReadByte()
	assert.Error(t, err, "the server side closed the connection")
	assert.False(t, called.Load())
}

// TestHandlerMaxInFlight: past MaxInFlight concurrent requests, the
// Handler answers 503 with Retry-After at once, without reading the body
// or calling back; once a slot frees, requests are served again.
func TestHandlerMaxInFlight(t *testing.T) {
	release := make(chan struct{})
	var inside sync.WaitGroup
	inside.Add(2)
	var calls atomic.Int32
	h := &mm7.Handler{MaxInFlight: 2, OnDeliver: func(ctx context.Context, r *mm7.Request) error {
		if calls.Add(1) <= 2 {
			inside.Done()
			<-release
		}
		return nil
	}}
	srv := httptest.NewServer(h)
	defer srv.Close()
	body, ct := handlerDeliver(t, "tx-cap")
	post := func() *http.Response {
		resp, err := srv.Client().Post(srv.URL, ct, bytes.NewReader(body))
		require.NoError(t, err)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { assert.Equal(t, http.StatusOK, post().StatusCode) })
	}
	inside.Wait() // both slots taken
	start := time.Now()
	resp := post()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.NotEmpty(t, resp.Header.Get("Retry-After"))
	assert.Less(t, time.Since(start), 2*time.Second, "over the cap is answered at once")
	assert.Equal(t, int32(2), calls.Load(), "no callback over the cap")
	close(release)
	wg.Wait()
	assert.Equal(t, http.StatusOK, post().StatusCode, "a freed slot serves again")
}

// TestHandlerSlowBodyDeadline: a body that arrives slower than
// MinBytesPerSecond (after the BodyTimeoutFloor) is cut off with 408 and
// the connection closed, long before the server's ReadTimeout; a body
// that keeps the pace is served.
func TestHandlerSlowBodyDeadline(t *testing.T) {
	var called atomic.Bool
	var got atomic.Int64
	h := &mm7.Handler{MinBytesPerSecond: 1000, BodyTimeoutFloor: 500 * time.Millisecond,
		OnDeliver: func(_ context.Context, r *mm7.Request) error {
			called.Store(true)
			for {
				a, err := r.NextAttachment()
				if err == io.EOF {
					return nil
				}
				if err != nil {
					return err
				}
				n, err := io.Copy(io.Discard, a.Body)
				got.Add(n)
				if err != nil {
					return err
				}
			}
		}}
	addr, closed := dosServer(t, h)
	stop := make(chan struct{})
	defer close(stop)
	head := "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n<env:Envelope"
	c, br := dripper(t, addr, head, stop)
	start := time.Now()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err, "the server must answer a dripping body before the test gives up")
	assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
	assert.Less(t, time.Since(start), 5*time.Second)
	select {
	case <-closed:
	case <-time.After(3 * time.Second):
		t.Fatal("the connection of a too slow body stays open")
	}
	assert.False(t, called.Load())

	// At the pace: a 60 KB DeliverReq sent in 6 chunks of 10 KB, 100 ms
	// apart (100 KB/s), is served.
	body, ct := handlerDeliver(t, "tx-paced", mm7.Attachment{ContentType: "image/jpeg", Body: bytes.NewReader(benchImage(44 << 10))})
	pc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer pc.Close()
	fmt.Fprintf(pc, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", ct, len(body))
	for chunk := range slices.Chunk(body, 10<<10) {
		_, err := pc.Write(chunk)
		require.NoError(t, err)
		time.Sleep(100 * time.Millisecond)
	}
	pc.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err = http.ReadResponse(bufio.NewReader(pc), nil)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	assert.Equal(t, http.StatusOK, resp.StatusCode, string(b))
	assert.True(t, called.Load())
	assert.True(t, strings.Contains(string(b), "<StatusCode>1000</StatusCode>"))
	assert.Equal(t, int64(44<<10), got.Load(), "every attachment byte was read")
}
