package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7nats"
)

// BenchmarkServeMO measures MOs stored per second through mm7 serve, 16
// senders at once, into the filesystem store (the baseline) and into
// JetStream with 1 and 2 serve replicas sharing the stream (senders
// alternate between them). Each MO is new (its own TransactionID), a
// 1 KiB text.
func BenchmarkServeMO(b *testing.B) {
	ns, err := mm7nats.RunServer(mm7nats.ServerOptions{Dir: b.TempDir(), Port: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
	text := bytes.Repeat([]byte("x"), 1024)
	run := func(b *testing.B, urls []string) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		var n atomic.Int64
		b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0))) // 16 senders in all
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := n.Add(1)
				msg := &mm7.Message{TransactionID: "bench-" + strconv.FormatInt(i, 10) + "-" + strconv.Itoa(b.N), Version: mm7.Rel6,
					Body: &rel6.DeliverReq{Sender: rel6.Address{Number: &rel6.Number{Value: "15555550123"}}}}
				enc, err := mm7.NewEncoder(msg, []mm7.Attachment{{ContentType: "text/plain", Body: bytes.NewReader(text)}}, mm7.EncodeOptions{})
				if err != nil {
					b.Error(err)
					return
				}
				var body bytes.Buffer
				if _, err := enc.WriteTo(&body); err != nil {
					b.Error(err)
					return
				}
				req, _ := http.NewRequest(http.MethodPost, urls[int(i)%len(urls)], &body)
				req.Header.Set("Content-Type", enc.ContentType())
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("HTTP %d", resp.StatusCode)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "MO/s")
	}
	start := func(b *testing.B, ctx context.Context, cfg serveConfig) string {
		rc, err := startServe(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { rc.Wait() }) //nolint:errcheck // benchmark teardown
		return "http://" + rc.Addr + "/"
	}
	b.Run("sink=fs", func(b *testing.B) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		run(b, []string{start(b, ctx, serveConfig{addr: "127.0.0.1:0", out: b.TempDir()})})
	})
	for _, replicas := range []int{1, 2} {
		b.Run(fmt.Sprintf("sink=nats/replicas=%d", replicas), func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var urls []string
			for range replicas {
				bus, closeBus, err := connectBus(ctx, "bench", ns.ClientURL(), natsFlags{replicas: 1, prefix: "bench" + strconv.Itoa(replicas)})
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(closeBus)
				ext := &serveExt{sinkURL: ns.ClientURL(), store: &natsStore{sink: &mm7nats.Sink{Bus: bus}}}
				urls = append(urls, start(b, ctx, serveConfig{addr: "127.0.0.1:0", ext: ext}))
			}
			run(b, urls)
		})
	}
}
