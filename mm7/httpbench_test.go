package mm7_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// The benchmarks of this file compare mm7 over real HTTP (loopback) with
// the least a hand-written net/http program does with the same bytes, in
// the same run: sub-benchmarks impl=mm7 and impl=raw, whose ratio `make
// bench` prints.

// benchConcurrency is the number of concurrent requests of the HTTP
// benchmarks: an MMSC delivering MOs and reports, or a VASP submitting,
// over a few connections.
const benchConcurrency = 16

// benchDeliver encodes a DeliverReq with a text part and, when imgSize >
// 0, an image of that size: what an MMSC posts to a VASP.
func benchDeliver(tb testing.TB, imgSize int) ([]byte, string) {
	tb.Helper()
	req := &rel6.DeliverReq{
		MM7Version:       rel6.Version6_8_0,
		MMSRelayServerID: new("mmsc.example.net"),
		LinkedID:         new("linked-0001"),
		Sender:           rel6.Address{Number: &rel6.Number{Value: "15555550123"}},
		Recipients:       &rel6.Recipients{To: []rel6.MultiAddress{{ShortCode: []rel6.ShortCode{{Value: "12345"}}}}},
		Subject:          new("Photo of the receipt for the January draw"),
		Priority:         new(rel6.PriorityNormal),
		ReplyChargingID:  new("rc-1"),
	}
	parts := []mm7.Attachment{{ContentType: "text/plain; charset=utf-8", ContentLocation: "msg.txt",
		Body: strings.NewReader(strings.Repeat("Entry for the January draw, receipt attached. ", 12))}}
	if imgSize > 0 {
		parts = append(parts, mm7.Attachment{ContentType: "image/jpeg", ContentLocation: "receipt.jpg", Body: bytes.NewReader(benchImage(imgSize))})
	}
	var body bytes.Buffer
	ct, err := mm7.Encode(&body, &mm7.Message{TransactionID: "tx-deliver-0001", Version: mm7.Rel6, Body: req}, parts...)
	if err != nil {
		tb.Fatal(err)
	}
	return body.Bytes(), ct
}

// rawDeliverRsp is the reply the raw handler writes: what a hand-written
// VASP sends back, a fixed DeliverRsp.
const rawDeliverRsp = `<?xml version="1.0" encoding="UTF-8"?>` +
	`<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header>` +
	`<mm7:TransactionID xmlns:mm7="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4" env:mustUnderstand="1">tx-deliver-0001</mm7:TransactionID>` +
	`</env:Header><env:Body><DeliverRsp xmlns="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4">` +
	`<MM7Version>6.8.0</MM7Version><Status><StatusCode>1000</StatusCode><StatusText>Success</StatusText></Status></DeliverRsp></env:Body></env:Envelope>`

// rawHandler reads the whole body and answers a fixed DeliverRsp: the
// floor any MM7 receiver over net/http costs.
func rawHandler(w http.ResponseWriter, r *http.Request) {
	if _, err := io.Copy(io.Discard, r.Body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
	io.WriteString(w, rawDeliverRsp)
}

// mm7BenchHandler is an mm7.Handler whose OnDeliver reads every
// attachment, as a real receiver does before it acknowledges.
func mm7BenchHandler() *mm7.Handler {
	return &mm7.Handler{
		Username: "mmsc", Password: "secret",
		OnDeliver: func(_ context.Context, r *mm7.Request) error {
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
		},
	}
}

// connCounter counts the connections a test server accepted.
type connCounter struct{ n atomic.Int64 }

func (c *connCounter) state(_ net.Conn, s http.ConnState) {
	if s == http.StateNew {
		c.n.Add(1)
	}
}

// benchServer starts a loopback server for h that counts connections.
func benchServer(tb testing.TB, h http.Handler) (*httptest.Server, *connCounter) {
	tb.Helper()
	var cc connCounter
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = cc.state
	srv.Config.ReadHeaderTimeout = 10 * time.Second
	srv.Start()
	tb.Cleanup(srv.Close)
	return srv, &cc
}

// benchTransport is a well-configured hand-written client: keeps enough
// idle connections for the benchmark's concurrency.
func benchTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}

// runPosts posts body to url from benchConcurrency goroutines and fails
// on any answer but 200.
func runPosts(b *testing.B, hc *http.Client, url, ct string, body []byte) {
	b.SetParallelism((benchConcurrency + 1) / 2) // x GOMAXPROCS goroutines
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
			req.Header.Set("Content-Type", ct)
			req.SetBasicAuth("mmsc", "secret")
			resp, err := hc.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("HTTP %d", resp.StatusCode)
				return
			}
		}
	})
}

// BenchmarkHandlerHTTP posts a DeliverReq (1.5 KB without image, and with
// a 100 KB image) over loopback to an mm7.Handler and to a raw net/http
// handler that reads the body and answers a fixed DeliverRsp.
func BenchmarkHandlerHTTP(b *testing.B) {
	for _, size := range []struct {
		name string
		img  int
	}{{"size=1.5KB", 0}, {"size=100KB", 100 << 10}} {
		body, ct := benchDeliver(b, size.img)
		for _, impl := range []string{"mm7", "raw"} {
			b.Run(size.name+"/impl="+impl, func(b *testing.B) {
				var h http.Handler = http.HandlerFunc(rawHandler)
				if impl == "mm7" {
					h = mm7BenchHandler()
				}
				srv, cc := benchServer(b, h)
				hc := &http.Client{Transport: benchTransport()}
				defer hc.CloseIdleConnections()
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				b.ResetTimer()
				runPosts(b, hc, srv.URL, ct, body)
				b.StopTimer()
				b.ReportMetric(float64(cc.n.Load())*1000/float64(b.N), "conns/1000req")
			})
		}
	}
}

// nopResponseWriter is the cheapest http.ResponseWriter: the benchmark
// of the Handler alone measures the Handler's own allocations.
type nopResponseWriter struct {
	h      http.Header
	status int
}

func (w *nopResponseWriter) Header() http.Header         { return w.h }
func (w *nopResponseWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopResponseWriter) WriteHeader(s int)           { w.status = s }

// BenchmarkHandlerServeHTTP calls ServeHTTP directly, without a network:
// the CPU and memory the Handler itself spends per request (B/op is the
// target: under 16 KB), against the raw handler.
func BenchmarkHandlerServeHTTP(b *testing.B) {
	for _, size := range []struct {
		name string
		img  int
	}{{"size=1.5KB", 0}, {"size=100KB", 100 << 10}} {
		body, ct := benchDeliver(b, size.img)
		for _, impl := range []string{"mm7", "raw"} {
			b.Run(size.name+"/impl="+impl, func(b *testing.B) {
				var h http.Handler = http.HandlerFunc(rawHandler)
				if impl == "mm7" {
					h = mm7BenchHandler()
				}
				req := httptest.NewRequest(http.MethodPost, "/", nil)
				req.Header.Set("Content-Type", ct)
				req.SetBasicAuth("mmsc", "secret")
				rd := bytes.NewReader(body)
				req.Body = io.NopCloser(rd)
				req.ContentLength = int64(len(body))
				w := &nopResponseWriter{h: http.Header{}}
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for b.Loop() {
					rd.Reset(body)
					clear(w.h)
					h.ServeHTTP(w, req)
					if w.status != 0 && w.status != http.StatusOK {
						b.Fatalf("HTTP %d", w.status)
					}
				}
			})
		}
	}
}

// submitServer answers every SubmitReq with a SubmitRsp carrying the
// request's TransactionID, found in the body by a byte search: the same
// cheap server for both clients of BenchmarkClientSubmit.
func submitServer(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	tx := "tx-1"
	if i := bytes.Index(body, []byte(`mustUnderstand="1">`)); i >= 0 {
		rest := body[i+len(`mustUnderstand="1">`):]
		if j := bytes.IndexByte(rest, '<'); j >= 0 {
			tx = string(rest[:j])
		}
	}
	w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header>`+
		`<mm7:TransactionID xmlns:mm7="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4" env:mustUnderstand="1">`+tx+`</mm7:TransactionID>`+
		`</env:Header><env:Body><SubmitRsp xmlns="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4">`+
		`<MM7Version>6.8.0</MM7Version><Status><StatusCode>1000</StatusCode><StatusText>Success</StatusText></Status><MessageID>m-1</MessageID></SubmitRsp></env:Body></env:Envelope>`)
}

// BenchmarkClientSubmit submits a SubmitReq with a text and a 50 KB image
// from 16 goroutines: mm7.Client with its default options against a raw
// POST of the same encoded bytes over a well-configured transport. It
// reports the connections the server accepted per 1000 requests: with
// idle connections kept, that is 0 in a steady run.
func BenchmarkClientSubmit(b *testing.B) {
	img := benchImage(50 << 10)
	var encoded bytes.Buffer
	ct, err := mm7.Encode(&encoded, &mm7.Message{TransactionID: "tx-1", Version: mm7.Rel6, Body: benchSubmit()}, benchParts(img)...)
	if err != nil {
		b.Fatal(err)
	}
	for _, impl := range []string{"mm7", "raw"} {
		b.Run("impl="+impl, func(b *testing.B) {
			srv, cc := benchServer(b, http.HandlerFunc(submitServer))
			var post func() error
			if impl == "mm7" {
				c, err := mm7.NewClient(srv.URL, mm7.WithBasicAuth("vasp", "secret"))
				if err != nil {
					b.Fatal(err)
				}
				post = func() error {
					_, err := c.Submit(context.Background(), benchSubmit(), benchParts(img))
					return err
				}
			} else {
				hc := &http.Client{Transport: benchTransport()}
				b.Cleanup(hc.CloseIdleConnections)
				post = func() error {
					req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(encoded.Bytes()))
					req.Header.Set("Content-Type", ct)
					req.SetBasicAuth("vasp", "secret")
					resp, err := hc.Do(req)
					if err != nil {
						return err
					}
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					return err
				}
			}
			// Warm up: open the connections a steady run needs.
			warm(b, post)
			before := cc.n.Load()
			b.SetBytes(int64(encoded.Len()))
			b.ReportAllocs()
			b.ResetTimer()
			b.SetParallelism((benchConcurrency + 1) / 2)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := post(); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(cc.n.Load()-before)*1000/float64(b.N), "newconns/1000req")
		})
	}
}

// warm runs benchConcurrency posts at once, twice.
func warm(b *testing.B, post func() error) {
	for range 2 {
		errs := make(chan error, benchConcurrency)
		for range benchConcurrency {
			go func() { errs <- post() }()
		}
		for range benchConcurrency {
			if err := <-errs; err != nil {
				b.Fatal(err)
			}
		}
	}
}
