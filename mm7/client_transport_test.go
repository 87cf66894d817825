package mm7_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

// TestClientKeepsConnections: a Client with the default options sending
// from 16 goroutines reuses its connections. http.DefaultTransport keeps
// only 2 idle connections per host, so most requests opened a new one.
func TestClientKeepsConnections(t *testing.T) {
	srv, conns := benchServer(t, http.HandlerFunc(submitServer))
	c, err := mm7.NewClient(srv.URL, mm7.WithBasicAuth("vasp", "secret"))
	require.NoError(t, err)
	img := benchImage(8 << 10)
	submit := func() error {
		_, err := c.Submit(context.Background(), benchSubmit(), benchParts(img))
		return err
	}
	const workers, each = benchConcurrency, 10
	round := func(n int) {
		var wg sync.WaitGroup
		errs := make(chan error, workers*n)
		for range workers {
			wg.Go(func() {
				for range n {
					errs <- submit()
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
	}
	// A request can start before the connection of the previous one is
	// back in the pool, and dial: the pool grows a little past 16, then
	// stays. With DefaultTransport's 2 idle connections it never settles
	// (more than half the requests open one).
	steady := false
	for i := range 10 {
		before := conns.n.Load()
		round(each)
		opened := conns.n.Load() - before
		t.Logf("round %d: %d new connections for %d requests", i+1, opened, workers*each)
		if opened == 0 {
			steady = true
			break
		}
	}
	assert.True(t, steady, "no round of %d requests without new connections", workers*each)
	assert.LessOrEqual(t, conns.n.Load(), int64(3*workers), "connections opened in all: one in use, one being returned and one being dialled per worker at most")
}

// TestClientStreamsKnownLength: with every attachment size known, the
// request goes out with its exact Content-Length, not chunked, and the
// MMSC receives the bytes the encoder writes.
func TestClientStreamsKnownLength(t *testing.T) {
	var got struct {
		sync.Mutex
		length  int64
		chunked bool
		body    []byte
		ct      string
	}
	srv, _ := benchServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got.Lock()
		got.length, got.chunked, got.body, got.ct = r.ContentLength, len(r.TransferEncoding) > 0, b, r.Header.Get("Content-Type")
		got.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(b))
		submitServer(w, r)
	}))
	c, err := mm7.NewClient(srv.URL)
	require.NoError(t, err)
	img := benchImage(300 << 10)
	_, err = c.Submit(context.Background(), benchSubmit(), benchParts(img), mm7.WithTransactionID("tx-stream"))
	require.NoError(t, err)
	got.Lock()
	defer got.Unlock()
	assert.False(t, got.chunked)
	assert.Equal(t, int64(len(got.body)), got.length)
	dec, err := mm7.NewDecoder(bytes.NewReader(got.body), got.ct, mm7.DecodeOptions{})
	require.NoError(t, err)
	_, err = dec.Message()
	require.NoError(t, err)
	var sizes []int
	for a, err := dec.NextAttachment(); err != io.EOF; a, err = dec.NextAttachment() {
		require.NoError(t, err)
		b, err := io.ReadAll(a.Body)
		require.NoError(t, err)
		sizes = append(sizes, len(b))
	}
	assert.Equal(t, []int{len("Show this message at the till for 20% off."), len(img)}, sizes)
}
