package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/openmms/mm7go/mm7"
)

// BenchmarkServe posts MOs (a text and a 20 KB image, each a new
// message) from 16 concurrent senders over loopback HTTP to the library
// Handler with a callback that discards the attachments (impl=handler),
// and to mm7 serve's Handler storing them durably (impl=serve). The ratio
// handler/serve ns/op is the cost of durability.
func BenchmarkServe(b *testing.B) {
	msg, atts, _ := moMessage("bench-0000000000")
	img := bytes.Repeat([]byte{0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5, 6}, 2000)
	atts[1].Body = bytes.NewReader(img)
	enc, err := mm7.NewEncoder(msg, atts, mm7.EncodeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := enc.WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	template, ct := buf.Bytes(), enc.ContentType()
	at := bytes.Index(template, []byte("bench-0000000000"))

	discard := &mm7.Handler{OnDeliver: func(_ context.Context, r *mm7.Request) error {
		for {
			a, err := r.NextAttachment()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if _, err := io.Copy(io.Discard, a.Body); err != nil {
				return err
			}
		}
	}}
	impls := []struct {
		name    string
		handler func(b *testing.B) http.Handler
	}{
		{"handler", func(*testing.B) http.Handler { return discard }},
		{"serve", benchServe},
	}
	var seq atomic.Int64
	for _, impl := range impls {
		b.Run("impl="+impl.name, func(b *testing.B) {
			ts := httptest.NewServer(impl.handler(b))
			defer ts.Close()
			tr := ts.Client().Transport.(*http.Transport).Clone()
			tr.MaxIdleConnsPerHost = 64
			c := &http.Client{Transport: tr}
			defer tr.CloseIdleConnections()
			b.SetBytes(int64(len(template)))
			b.ReportAllocs()
			b.SetParallelism(8) // 16 senders on 2 CPUs
			b.RunParallel(func(pb *testing.PB) {
				body := bytes.Clone(template)
				for pb.Next() {
					copy(body[at:], fmt.Sprintf("bench-%010d", seq.Add(1)))
					resp, err := c.Post(ts.URL, ct, bytes.NewReader(body))
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body) //nolint:errcheck
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						b.Error(resp.Status)
						return
					}
				}
			})
		})
	}
}

func benchServe(b *testing.B) http.Handler {
	st, err := openStore(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.close() })
	return newServeHandler(st, serveConfig{}, nil)
}
