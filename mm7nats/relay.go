package mm7nats

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/openmms/mm7go/mm7"
)

// An Account is one set of MMSC credentials a [Relay] submits with.
type Account struct {
	// Client submits the jobs. Give it no RetryPolicy: the relay retries
	// by redelivering the job.
	Client *mm7.Client
	// Profile classifies the MMSC's statuses: retryable ones (3000, 4006;
	// and 4005 under [mm7.ProfileVibes]) are retried later, others end
	// the job. The zero Profile is TS 23.140. Use the Client's.
	Profile mm7.Profile
	// Rate is the most submissions per second (token bucket); 0 means no
	// limit. Burst is how many may go at once after a pause; 0 means 1.
	Rate  float64
	Burst int
	// Concurrency is the most submissions in flight; 0 means 4.
	Concurrency int
	// Timeout bounds one submission; 0 means 60 s.
	Timeout time.Duration
}

// A Relay consumes the jobs of its accounts from the work queue and
// submits them, each account with its own durable consumer, concurrency
// and rate.
//
// A job ends when the MMSC accepts it (the MessageID and status are
// recorded in the SENT bucket, then published as a [Result], then the job
// is acknowledged), when the MMSC refuses it with a status its Profile
// does not retry, or when it was delivered MaxDeliver times: it then goes
// to PREFIX.dead.<account>. A retryable answer (a retryable status, HTTP
// 429/5xx without MM7 body, a network error) is negatively acknowledged
// with a delay (Backoff, or the MMSC's Retry-After when longer).
//
// Every delivery first looks the job up in the SENT bucket: a job whose
// outcome is recorded is not submitted again, its result is published
// again (Replayed). So a relay that crashes after the MMSC accepted a job
// but before acknowledging it does not submit it twice. One window
// remains: a crash after the MMSC accepted the job and before the SENT
// record was written (one KV put); the job is then submitted again when
// redelivered. A network failure after the request was written (a
// timeout) is retried as well: the MMSC may have accepted the first
// copy. Both are at-least-once.
type Relay struct {
	Bus *Bus
	// Accounts maps the account names of jobs to their settings; "" is
	// the default account (jobs enqueued without one).
	Accounts map[string]*Account
	// MaxDeliver is how many times a job is tried before it goes to the
	// dead-letter subject; 0 means 10.
	MaxDeliver int
	// Backoff spaces retries: Backoff.Delay(n) after the n-th delivery.
	Backoff mm7.Backoff
	// AckWait is how long a delivered job stays invisible to others
	// before it is redelivered when its relay went silent; 0 means 2
	// minutes. The relay extends it while it works on a job.
	AckWait time.Duration
	// Name names the durable consumers ("mm7-relay" by default): relays
	// with the same Name share the work.
	Name string
	// Logger receives one record per delivery; nil discards.
	Logger *slog.Logger
	// OnOutcome, when set, is called after each delivery of a job (for
	// metrics).
	OnOutcome func(Outcome)

	// abandonAfterRecord, in tests, simulates a crash right after the
	// outcome of a job was recorded: the delivery is neither acked nor
	// nakked.
	abandonAfterRecord func(jobID string) bool
}

// An Outcome is what one delivery of a job led to.
type Outcome struct {
	Account, JobID string
	// State is StateAccepted, StateRejected, StateDead, "retry" or
	// "replayed" (an outcome recorded earlier, not submitted again).
	State  string
	Status mm7.StatusCode
	// Delivery counts the deliveries of the job, this one included.
	Delivery int
	// Delay is the wait before the next delivery of a retried job.
	Delay time.Duration
	// Duration is how long the submission took (0 when none was made).
	Duration time.Duration
	Err      error
}

const (
	stateRetry    = "retry"
	stateReplayed = "replayed"
)

func (r *Relay) maxDeliver() int {
	if r.MaxDeliver <= 0 {
		return 10
	}
	return r.MaxDeliver
}

func (r *Relay) ackWait() time.Duration { return orDefault(r.AckWait, 2*time.Minute) }

func (r *Relay) consumerName(account string) string {
	name := r.Name
	if name == "" {
		name = "mm7-relay"
	}
	return subjectToken(name + "-" + subjectToken(account))
}

func (r *Relay) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}

// Run consumes and submits jobs until ctx ends, then waits for the
// submissions in flight to finish and be acknowledged, and returns nil.
// It returns an error at once when a consumer cannot be created.
func (r *Relay) Run(ctx context.Context) error {
	if len(r.Accounts) == 0 {
		return errors.New("mm7nats: relay without accounts")
	}
	type started struct {
		it   jetstream.MessagesContext
		name string
		acct *Account
	}
	var all []started
	stopAll := func() {
		for _, s := range all {
			s.it.Stop()
		}
	}
	for name, acct := range r.Accounts {
		if acct == nil || acct.Client == nil {
			stopAll()
			return fmt.Errorf("mm7nats: relay account %q has no client", name)
		}
		conc := acct.Concurrency
		if conc <= 0 {
			conc = 4
		}
		cons, err := r.Bus.JS.CreateOrUpdateConsumer(ctx, r.Bus.cfg.name("JOBS"), jetstream.ConsumerConfig{
			Durable: r.consumerName(name), FilterSubject: r.Bus.JobSubject(name), AckPolicy: jetstream.AckExplicitPolicy,
			AckWait: r.ackWait(), MaxDeliver: -1, MaxAckPending: conc * 2,
		})
		if err != nil {
			stopAll()
			return fmt.Errorf("mm7nats: relay consumer for account %q: %w", name, err)
		}
		it, err := cons.Messages(jetstream.PullMaxMessages(conc))
		if err != nil {
			stopAll()
			return fmt.Errorf("mm7nats: relay consumer for account %q: %w", name, err)
		}
		all = append(all, started{it: it, name: name, acct: acct})
	}
	var wg sync.WaitGroup
	for _, s := range all {
		conc := max(s.acct.Concurrency, 0)
		if conc == 0 {
			conc = 4
		}
		w := &worker{r: r, name: s.name, acct: s.acct, limit: newTokenBucket(s.acct.Rate, s.acct.Burst)}
		work := make(chan jetstream.Msg)
		wg.Go(func() {
			defer close(work)
			for {
				m, err := s.it.Next()
				if err != nil {
					if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
						return
					}
					r.logger().Warn("mm7nats: relay: next job", "account", s.name, "error", err)
					continue
				}
				select {
				case work <- m:
				case <-ctx.Done():
					m.Nak() //nolint:errcheck // redelivered after AckWait anyway
					return
				}
			}
		})
		for range conc {
			wg.Go(func() {
				for m := range work {
					w.handle(ctx, m)
				}
			})
		}
	}
	<-ctx.Done()
	stopAll()
	wg.Wait()
	return nil
}

// Lag returns the jobs waiting for or being worked on by the relay's
// consumers.
func (r *Relay) Lag(ctx context.Context) (uint64, error) {
	var n uint64
	for name := range r.Accounts {
		c, err := r.Bus.JS.Consumer(ctx, r.Bus.cfg.name("JOBS"), r.consumerName(name))
		if err != nil {
			return 0, err
		}
		info, err := c.Info(ctx)
		if err != nil {
			return 0, err
		}
		n += info.NumPending + uint64(info.NumAckPending)
	}
	return n, nil
}

// A worker submits one account's jobs.
type worker struct {
	r     *Relay
	name  string
	acct  *Account
	limit *tokenBucket
}

func (w *worker) handle(runCtx context.Context, m jetstream.Msg) {
	r := w.r
	// Work in flight finishes after Run's ctx ends: an abandoned
	// submission would leave its outcome unknown.
	ctx := context.WithoutCancel(runCtx)
	out := Outcome{Account: w.name}
	defer func() {
		if r.OnOutcome != nil {
			r.OnOutcome(out)
		}
	}()
	stopProgress := keepInProgress(m, r.ackWait())
	defer stopProgress()
	md, err := m.Metadata()
	if err == nil {
		out.Delivery = int(md.NumDelivered)
	}
	var job Job
	if err := json.Unmarshal(m.Data(), &job); err != nil || job.ID == "" {
		if err == nil {
			err = errors.New("no job id")
		}
		w.dead(ctx, m, &job, &out, fmt.Errorf("job does not decode: %w", err))
		return
	}
	out.JobID = job.ID
	log := r.logger().With("account", w.name, "job_id", job.ID, "delivery", out.Delivery)
	if prev, err := r.Bus.JobResult(ctx, job.ID); err == nil {
		prev.Replayed, prev.Attempts = true, out.Delivery
		out.State, out.Status = stateReplayed, mm7.StatusCode(prev.Status)
		if err := w.publishResult(ctx, prev); err != nil {
			w.retry(m, &out, 0, fmt.Errorf("publish result: %w", err))
			return
		}
		log.Info("job already done: not submitted again", "state", prev.State, "message_id", prev.MessageID)
		w.ack(ctx, m)
		return
	} else if !isNotFound(err) {
		w.retry(m, &out, r.Backoff.Delay(out.Delivery), fmt.Errorf("outcome lookup: %w", err))
		return
	}
	if out.Delivery > r.maxDeliver() {
		w.dead(ctx, m, &job, &out, fmt.Errorf("delivered %d times", out.Delivery-1))
		return
	}
	atts, err := w.parts(ctx, &job)
	if err != nil {
		w.retry(m, &out, r.Backoff.Delay(out.Delivery), err)
		return
	}
	if err := w.limit.wait(runCtx); err != nil {
		w.retry(m, &out, 0, err) // stopping: leave it to another relay
		return
	}
	sctx, cancel := context.WithTimeout(ctx, orDefault(w.acct.Timeout, mm7.DefaultTimeout))
	start := time.Now()
	res, err := w.acct.Client.Submit(sctx, submitReq(&job), atts, w.callOptions(&job)...)
	cancel()
	out.Duration = time.Since(start)
	result := &Result{JobID: job.ID, Account: job.Account, TransactionID: job.transactionID(), Attempts: out.Delivery, Time: time.Now().UTC()}
	if res != nil {
		result.MessageID, result.Status, result.StatusText, result.Version = res.MessageID, int(res.Status), res.StatusText, versionLabel(res.Version)
	}
	out.Status = mm7.StatusCode(result.Status)
	if err == nil {
		result.State = StateAccepted
		if !w.record(ctx, result, log) {
			out.State, out.Err = stateRetry, errors.New("outcome not recorded")
			return // redelivered after AckWait: may be submitted again
		}
		out.State = StateAccepted
		if r.abandonAfterRecord != nil && r.abandonAfterRecord(job.ID) {
			return
		}
		if err := w.publishResult(ctx, result); err != nil {
			w.retry(m, &out, time.Second, fmt.Errorf("publish result: %w", err))
			return
		}
		log.Info("accepted", "message_id", result.MessageID, "status_code", result.Status, "version", result.Version)
		w.ack(ctx, m)
		return
	}
	retry, after := classify(w.acct.Profile, err)
	out.Err = err
	if retry {
		if out.Delivery >= r.maxDeliver() {
			w.dead(ctx, m, &job, &out, err)
			return
		}
		w.retry(m, &out, max(r.Backoff.Delay(out.Delivery), after), err)
		return
	}
	result.State, result.Error = StateRejected, err.Error()
	out.State = StateRejected
	if !w.record(ctx, result, log) {
		return
	}
	if err := w.publishResult(ctx, result); err != nil {
		w.retry(m, &out, time.Second, fmt.Errorf("publish result: %w", err))
		return
	}
	log.Info("rejected", "status_code", result.Status, "error", err)
	w.ack(ctx, m)
}

// keepInProgress tells the server every third of AckWait that the job is
// being worked on, until the returned function is called.
func keepInProgress(m jetstream.Msg, ackWait time.Duration) func() {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(max(ackWait/3, 100*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				m.InProgress() //nolint:errcheck // best effort: at worst the job is redelivered and found done
			}
		}
	}()
	return func() { close(done) }
}

// record writes the outcome to the SENT bucket, retrying for up to a
// minute: an accepted job must not be acknowledged unrecorded.
func (w *worker) record(ctx context.Context, res *Result, log *slog.Logger) bool {
	var err error
	for i := range 12 {
		if err = w.r.Bus.record(ctx, res); err == nil {
			return true
		}
		time.Sleep(min(time.Duration(i+1)*500*time.Millisecond, 5*time.Second))
	}
	log.Error("job outcome not recorded: the job will be redelivered and may be submitted again",
		"state", res.State, "message_id", res.MessageID, "error", err)
	return false
}

func (w *worker) publishResult(ctx context.Context, res *Result) error {
	data, err := json.Marshal(res)
	if err != nil {
		return err
	}
	msg := nats.NewMsg(w.r.Bus.ResultSubject(w.name))
	msg.Data = data
	msg.Header.Set(HeaderJobID, res.JobID)
	id := "res-" + res.JobID + "-" + res.State
	if res.Replayed {
		id += "-" + strconv.Itoa(res.Attempts)
	}
	_, err = w.r.Bus.JS.PublishMsg(ctx, msg, jetstream.WithMsgID(id))
	return err
}

func (w *worker) ack(ctx context.Context, m jetstream.Msg) {
	actx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := m.DoubleAck(actx); err != nil {
		// Redelivered later, then found done and not submitted again.
		w.r.logger().Warn("mm7nats: relay: ack failed", "account", w.name, "error", err)
	}
}

func (w *worker) retry(m jetstream.Msg, out *Outcome, delay time.Duration, err error) {
	out.State, out.Delay, out.Err = stateRetry, delay, err
	w.r.logger().Info("retry later", "account", w.name, "job_id", out.JobID, "delivery", out.Delivery, "delay", delay, "error", err)
	if delay <= 0 {
		m.Nak() //nolint:errcheck // redelivered after AckWait anyway
		return
	}
	m.NakWithDelay(delay) //nolint:errcheck // redelivered after AckWait anyway
}

// dead moves a job to the dead-letter subject and records it.
func (w *worker) dead(ctx context.Context, m jetstream.Msg, job *Job, out *Outcome, cause error) {
	out.State, out.Err = StateDead, cause
	msg := nats.NewMsg(w.r.Bus.DeadSubject(w.name))
	msg.Data = m.Data()
	msg.Header.Set(HeaderJobID, job.ID)
	msg.Header.Set("Mm7-Error", cause.Error())
	msg.Header.Set("Mm7-Deliveries", strconv.Itoa(out.Delivery))
	if _, err := w.r.Bus.JS.PublishMsg(ctx, msg); err != nil {
		w.retry(m, out, time.Second, fmt.Errorf("dead letter: %w", err))
		return
	}
	if job.ID != "" {
		res := &Result{JobID: job.ID, Account: job.Account, State: StateDead, Status: int(out.Status), Attempts: out.Delivery,
			Error: cause.Error(), Time: time.Now().UTC(), TransactionID: job.transactionID()}
		if !w.record(ctx, res, w.r.logger()) {
			return
		}
		if err := w.publishResult(ctx, res); err != nil {
			w.retry(m, out, time.Second, fmt.Errorf("publish result: %w", err))
			return
		}
	}
	w.r.logger().Warn("job given up: moved to the dead-letter subject", "account", w.name, "job_id", job.ID, "error", cause)
	w.ack(ctx, m)
}

// parts loads the job's content parts.
func (w *worker) parts(ctx context.Context, job *Job) ([]mm7.Attachment, error) {
	atts := make([]mm7.Attachment, 0, len(job.Parts))
	for _, p := range job.Parts {
		data := p.Data
		if p.Object != "" {
			var err error
			if data, err = w.r.Bus.Object(ctx, p.Object); err != nil {
				return nil, err
			}
		}
		atts = append(atts, mm7.Attachment{ContentType: p.ContentType, ContentID: p.ContentID, ContentLocation: p.ContentLocation,
			Size: int64(len(data)), Body: bytes.NewReader(data)})
	}
	return atts, nil
}

func (w *worker) callOptions(job *Job) []mm7.CallOption {
	opts := []mm7.CallOption{mm7.WithTransactionID(job.transactionID())}
	if job.CarrierCode != "" {
		opts = append(opts, mm7.VibesCarrierCode(job.CarrierCode))
	}
	if job.DLRCallbackURL != "" {
		opts = append(opts, mm7.VibesDLRCallbackURL(job.DLRCallbackURL))
	}
	return opts
}

func (j *Job) transactionID() string {
	if j.TransactionID != "" {
		return j.TransactionID
	}
	return j.ID
}

// classify tells a retryable submission error from a permanent one, and
// returns the delay the MMSC asked for, if any.
func classify(p mm7.Profile, err error) (retry bool, after time.Duration) {
	retryable := p.Retryable
	if retryable == nil {
		retryable = mm7.StatusCode.Temporary
	}
	if fe, ok := errors.AsType[*mm7.FaultError](err); ok {
		if fe.Status != nil {
			return retryable(fe.Status.Code), 0
		}
		return fe.Temporary(), 0
	}
	if se, ok := errors.AsType[*mm7.StatusError](err); ok {
		return retryable(se.Code), 0
	}
	if he, ok := errors.AsType[*mm7.HTTPError](err); ok {
		return he.Temporary(), 0
	}
	if _, ok := errors.AsType[*mm7.LimitError](err); ok {
		return false, 0
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, mm7.ErrNoResponse) {
		return true, 0
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return true, 0
	}
	if _, ok := errors.AsType[*url.Error](err); ok {
		return true, 0
	}
	return false, 0
}

// versionLabel names a version as mm7 send's --version does.
func versionLabel(v mm7.Version) string {
	switch v.Release {
	case 5:
		return "5.5.0"
	case 6:
		return "6.8.0"
	}
	return v.MM7Version
}
