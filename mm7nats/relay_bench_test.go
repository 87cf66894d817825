package mm7nats_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7nats"
	"github.com/openmms/mm7go/mm7test"
)

// BenchmarkRelay measures jobs submitted per second against the fake
// MMSC with no rate limit and 8 submissions in flight: impl=client is
// the baseline (the same submissions made directly with mm7.Client from
// 8 goroutines), impl=relay goes through the work queue, the SENT
// record and the results stream.
func BenchmarkRelay(b *testing.B) {
	const conc = 8
	mmsc := mm7test.NewServer()
	defer mmsc.Close()
	body := bytes.Repeat([]byte("x"), 1024)
	b.Run("impl=client", func(b *testing.B) {
		c, err := mm7.NewClient(mmsc.URL)
		if err != nil {
			b.Fatal(err)
		}
		work := make(chan int)
		var wg sync.WaitGroup
		b.ResetTimer()
		for range conc {
			wg.Go(func() {
				for range work {
					req := &rel6.SubmitReq{Recipients: rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}}}
					if _, err := c.Submit(context.Background(), req, []mm7.Attachment{{ContentType: "text/plain", Body: bytes.NewReader(body)}}); err != nil {
						b.Error(err)
					}
				}
			})
		}
		for i := range b.N {
			work <- i
		}
		close(work)
		wg.Wait()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
	})
	b.Run("impl=relay", func(b *testing.B) {
		ns := startNATS(b, "", -1)
		bus := openBus(b, ns.ClientURL(), mm7nats.Config{})
		c, err := mm7.NewClient(mmsc.URL)
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		for range b.N {
			if _, err := bus.Enqueue(ctx, &mm7nats.Job{To: []string{"15555550123"}, Parts: []mm7nats.Part{{ContentType: "text/plain", Data: body}}}); err != nil {
				b.Fatal(err)
			}
		}
		var done sync.WaitGroup
		done.Add(b.N)
		r := &mm7nats.Relay{Bus: bus, Accounts: map[string]*mm7nats.Account{"": {Client: c, Concurrency: conc}},
			OnOutcome: func(o mm7nats.Outcome) {
				if o.State == mm7nats.StateAccepted {
					done.Done()
				}
			}}
		rctx, cancel := context.WithCancel(ctx)
		defer cancel()
		b.ResetTimer()
		go r.Run(rctx) //nolint:errcheck // stopped by cancel
		waited := make(chan struct{})
		go func() { done.Wait(); close(waited) }()
		select {
		case <-waited:
		case <-time.After(5 * time.Minute):
			b.Fatal("relay did not finish")
		}
		b.StopTimer()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
	})
}
