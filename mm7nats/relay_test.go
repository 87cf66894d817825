package mm7nats_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7nats"
	"github.com/openmms/mm7go/mm7test"
)

// runRelay runs a relay until the test ends (or stop is called).
func runRelay(t *testing.T, r *mm7nats.Relay) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				assert.NoError(t, err)
			case <-time.After(20 * time.Second):
				t.Error("relay did not stop")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// waitResults collects n results from the results stream.
func waitResults(t *testing.T, b *mm7nats.Bus, n int) map[string]*mm7nats.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cons, err := b.JS.OrderedConsumer(ctx, "MM7_RESULTS", jetstream.OrderedConsumerConfig{})
	require.NoError(t, err)
	out := map[string]*mm7nats.Result{}
	for len(out) < n {
		batch, err := cons.Fetch(n, jetstream.FetchMaxWait(time.Second))
		require.NoError(t, err)
		for m := range batch.Messages() {
			var r mm7nats.Result
			require.NoError(t, json.Unmarshal(m.Data(), &r))
			out[r.JobID] = &r
		}
		require.NoError(t, ctx.Err(), "got %d of %d results", len(out), n)
	}
	return out
}

func textJob(to string) *mm7nats.Job {
	return &mm7nats.Job{From: "12345", To: []string{to}, Subject: "s",
		Parts: []mm7nats.Part{{ContentType: "text/plain", ContentID: "t", Data: []byte("hello")}}}
}

func client(t *testing.T, url string, p mm7.Profile) *mm7.Client {
	t.Helper()
	c, err := mm7.NewClient(url, func(o *mm7.Options) { o.Profile = p })
	require.NoError(t, err)
	return c
}

func TestRelayRateLimit(t *testing.T) {
	ns := startNATS(t, "", -1)
	bus := openBus(t, ns.ClientURL(), mm7nats.Config{})
	mmsc := mm7test.NewServer()
	defer mmsc.Close()
	const n, rate = 41, 20.0 // well below what the relay can do, even under -race on 2 busy cores
	ctx := context.Background()
	ids := map[string]bool{}
	for range n {
		id, err := bus.Enqueue(ctx, textJob("15555550123"))
		require.NoError(t, err)
		ids[id] = true
	}
	runRelay(t, &mm7nats.Relay{Bus: bus, Accounts: map[string]*mm7nats.Account{
		"": {Client: client(t, mmsc.URL, mm7.Profile{}), Rate: rate, Concurrency: 16}}})
	results := waitResults(t, bus, n)
	for id := range ids {
		r := results[id]
		require.NotNil(t, r, id)
		assert.Equal(t, mm7nats.StateAccepted, r.State)
		assert.NotEmpty(t, r.MessageID)
		assert.Equal(t, 1000, r.Status)
		assert.Equal(t, "6.8.0", r.Version)
		assert.Equal(t, 1, r.Attempts)
		job, err := bus.JobOfMessage(ctx, r.MessageID)
		require.NoError(t, err)
		assert.Equal(t, id, job)
	}
	reqs := mmsc.Requests()
	require.Len(t, reqs, n)
	first, last := reqs[0].Time, reqs[0].Time
	for _, r := range reqs {
		first, last = minTime(first, r.Time), maxTime(last, r.Time)
	}
	observed := float64(n-1) / last.Sub(first).Seconds()
	t.Logf("observed %.2f/s for a limit of %.0f/s", observed, rate)
	assert.InEpsilon(t, rate, observed, 0.05)
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func TestRelayRetryClassification(t *testing.T) {
	ns := startNATS(t, "", -1)
	bus := openBus(t, ns.ClientURL(), mm7nats.Config{})
	var mu sync.Mutex
	seen := map[string]int{}
	mmsc := mm7test.NewServer(mm7test.WithScript(func(r *mm7test.Recorded) mm7test.Reply {
		mu.Lock()
		defer mu.Unlock()
		rcpt := r.Recipients[0]
		seen[rcpt]++
		switch rcpt {
		case "15550000001": // 3000 once, then accepted
			if seen[rcpt] == 1 {
				return mm7test.FaultReply(mm7.StatusServerError, "")
			}
		case "15550000002": // permanent
			return mm7test.StatusReply(mm7.StatusAddressError, "unknown subscriber")
		case "15550000003": // Vibes 4005: retried under the Vibes profile
			if seen[rcpt] == 1 {
				return mm7test.StatusReply(mm7.StatusServiceError, "")
			}
		case "15550000004": // always 3000: dead after MaxDeliver
			return mm7test.FaultReply(mm7.StatusServerError, "")
		case "15550000005": // HTTP 503 without MM7 body, then accepted
			if seen[rcpt] == 1 {
				return mm7test.Reply{HTTPStatus: 503}
			}
		}
		return mm7test.Reply{}
	}))
	defer mmsc.Close()
	ctx := context.Background()
	ids := map[string]string{}
	for _, rc := range []string{"15550000001", "15550000002", "15550000003", "15550000004", "15550000005"} {
		id, err := bus.Enqueue(ctx, textJob(rc))
		require.NoError(t, err)
		ids[rc] = id
	}
	var omu sync.Mutex
	var outcomes []mm7nats.Outcome
	runRelay(t, &mm7nats.Relay{Bus: bus, MaxDeliver: 3, Backoff: mm7.Backoff{Base: 20 * time.Millisecond, Max: 50 * time.Millisecond},
		Accounts:  map[string]*mm7nats.Account{"": {Client: client(t, mmsc.URL, mm7.ProfileVibes), Profile: mm7.ProfileVibes}},
		OnOutcome: func(o mm7nats.Outcome) { omu.Lock(); outcomes = append(outcomes, o); omu.Unlock() }})
	res := waitResults(t, bus, 5)

	r := res[ids["15550000001"]]
	assert.Equal(t, mm7nats.StateAccepted, r.State)
	assert.Equal(t, 2, r.Attempts)
	r = res[ids["15550000002"]]
	assert.Equal(t, mm7nats.StateRejected, r.State)
	assert.Equal(t, 2002, r.Status)
	assert.Equal(t, 1, r.Attempts)
	assert.Contains(t, r.Error, "unknown subscriber")
	assert.Equal(t, mm7nats.StateAccepted, res[ids["15550000003"]].State)
	assert.Equal(t, 2, res[ids["15550000003"]].Attempts)
	r = res[ids["15550000004"]]
	assert.Equal(t, mm7nats.StateDead, r.State)
	assert.Equal(t, 3, r.Attempts)
	assert.Equal(t, mm7nats.StateAccepted, res[ids["15550000005"]].State)
	mu.Lock()
	assert.Equal(t, map[string]int{"15550000001": 2, "15550000002": 1, "15550000003": 2, "15550000004": 3, "15550000005": 2}, seen)
	mu.Unlock()
	dead := streamMsgs(t, bus, "MM7_DEAD")
	require.Len(t, dead, 1)
	assert.Equal(t, ids["15550000004"], dead[0].Header.Get(mm7nats.HeaderJobID))
	assert.Equal(t, "mm7.dead._default", dead[0].Subject)
	omu.Lock()
	retries := 0
	for _, o := range outcomes {
		if o.State == "retry" {
			retries++
		}
	}
	omu.Unlock()
	assert.Equal(t, 5, retries) // jobs 1, 3 and 5 once, job 4 twice (its third delivery is dead)
}

func TestRelayPermanentUnderTS23140(t *testing.T) {
	ns := startNATS(t, "", -1)
	bus := openBus(t, ns.ClientURL(), mm7nats.Config{})
	mmsc := mm7test.NewServer(mm7test.WithScript(func(r *mm7test.Recorded) mm7test.Reply {
		return mm7test.StatusReply(mm7.StatusServiceError, "")
	}))
	defer mmsc.Close()
	id, err := bus.Enqueue(context.Background(), textJob("15555550123"))
	require.NoError(t, err)
	runRelay(t, &mm7nats.Relay{Bus: bus, Accounts: map[string]*mm7nats.Account{"": {Client: client(t, mmsc.URL, mm7.Profile{})}}})
	r := waitResults(t, bus, 1)[id]
	assert.Equal(t, mm7nats.StateRejected, r.State)
	assert.Equal(t, 4005, r.Status)
	assert.Len(t, mmsc.Requests(), 1)
}

func TestRelayCrashAfterAcceptNotResubmitted(t *testing.T) {
	ns := startNATS(t, "", -1)
	bus := openBus(t, ns.ClientURL(), mm7nats.Config{})
	mmsc := mm7test.NewServer()
	defer mmsc.Close()
	ctx := context.Background()
	id, err := bus.Enqueue(ctx, textJob("15555550123"))
	require.NoError(t, err)
	// The same idempotency key twice: one job.
	k1, err := bus.Enqueue(ctx, &mm7nats.Job{IdempotencyKey: "order-1", To: []string{"15555550124"}, Parts: textJob("").Parts})
	require.NoError(t, err)
	k2, err := bus.Enqueue(ctx, &mm7nats.Job{IdempotencyKey: "order-1", To: []string{"15555550124"}, Parts: textJob("").Parts})
	require.NoError(t, err)
	assert.Equal(t, k1, k2)

	crashed := make(chan struct{})
	r1 := &mm7nats.Relay{Bus: bus, AckWait: time.Second, Accounts: map[string]*mm7nats.Account{"": {Client: client(t, mmsc.URL, mm7.Profile{}), Concurrency: 1}}}
	mm7nats.AbandonAfterRecordForTest(r1, func(jobID string) bool {
		if jobID == id {
			close(crashed)
			return true
		}
		return false
	})
	stop1 := runRelay(t, r1)
	<-crashed
	stop1() // the relay is gone; its delivery of the job was never acked
	runRelay(t, &mm7nats.Relay{Bus: bus, AckWait: time.Second, Accounts: map[string]*mm7nats.Account{"": {Client: client(t, mmsc.URL, mm7.Profile{})}}})
	res := waitResults(t, bus, 2)
	require.Contains(t, res, id)
	require.Contains(t, res, k1)
	assert.Equal(t, mm7nats.StateAccepted, res[id].State)
	assert.True(t, res[id].Replayed, "the redelivered job was found done")
	assert.Equal(t, 2, res[id].Attempts)
	require.Eventually(t, func() bool {
		info, err := mustStream(t, bus, "MM7_JOBS").Info(ctx)
		return err == nil && info.State.Msgs == 0
	}, 10*time.Second, 50*time.Millisecond, "every job acknowledged")
	assert.Len(t, mmsc.Requests(), 2, "each job submitted once")
}

func mustStream(t *testing.T, b *mm7nats.Bus, name string) jetstream.Stream {
	s, err := b.JS.Stream(context.Background(), name)
	require.NoError(t, err)
	return s
}

func TestEnqueueRejectsInvalidJobs(t *testing.T) {
	ns := startNATS(t, "", -1)
	bus := openBus(t, ns.ClientURL(), mm7nats.Config{})
	for _, j := range []*mm7nats.Job{
		{Parts: textJob("").Parts},
		{To: []string{" "}, Parts: textJob("").Parts},
		{To: []string{"1555"}},
		{To: []string{"1555"}, Parts: []mm7nats.Part{{Data: []byte("x")}}},
	} {
		_, err := bus.Enqueue(context.Background(), j)
		assert.ErrorIs(t, err, mm7nats.ErrInvalidJob)
	}
}

func TestJobToHandsetCorrelation(t *testing.T) {
	ns := startNATS(t, "", -1)
	bus := openBus(t, ns.ClientURL(), mm7nats.Config{InlineMax: 16})
	rp := startReplica(t, openBus(t, ns.ClientURL(), mm7nats.Config{InlineMax: 16}), nil)
	rp.sink.CorrelationWait = 5 * time.Second // the report comes right after the SubmitRsp
	mmsc := mm7test.NewServer(func(o *mm7test.Options) { o.VASPURL = rp.ts.URL })
	defer mmsc.Close()
	job := textJob("15555550123")
	job.DeliveryReport = true
	job.Parts = append(job.Parts, mm7nats.Part{ContentType: "image/png", ContentID: "img", Data: make([]byte, 1000)})
	id, err := bus.Enqueue(context.Background(), job)
	require.NoError(t, err)
	runRelay(t, &mm7nats.Relay{Bus: bus, Accounts: map[string]*mm7nats.Account{"": {Client: client(t, mmsc.URL, mm7.Profile{})}}})
	res := waitResults(t, bus, 1)[id]
	require.Equal(t, mm7nats.StateAccepted, res.State)
	reqs := mmsc.Requests()
	require.Len(t, reqs, 1)
	require.Len(t, reqs[0].Attachments, 2)
	assert.Len(t, reqs[0].Attachments[1].Data, 1000, "the part went through the object store")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = mmsc.WaitReports(ctx, 1)
	require.NoError(t, err)
	msgs := streamMsgs(t, bus, "MM7_IN")
	require.Len(t, msgs, 1)
	in := inbound(t, msgs[0])
	assert.Equal(t, id, in.JobID)
	assert.Equal(t, res.MessageID, in.MessageID)
}
