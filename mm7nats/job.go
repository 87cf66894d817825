package mm7nats

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// A Job is one MT message to submit: the fields of mm7 send, with the
// content parts ready to go (text, media, SMIL). Publish it with
// [Bus.Enqueue]; a [Relay] submits it.
type Job struct {
	// ID identifies the job; Enqueue sets it (from IdempotencyKey when
	// given, else at random) when empty.
	ID string `json:"id"`
	// IdempotencyKey makes enqueuing the same job twice yield one job
	// with one ID: give the application's own key (an order number, ...).
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// Account chooses the relay account (MMSC credentials, rate) that
	// submits the job; "" is the default account.
	Account string `json:"account,omitempty"`

	From           string   `json:"from,omitempty"`
	To             []string `json:"to,omitempty"`
	Cc             []string `json:"cc,omitempty"`
	Bcc            []string `json:"bcc,omitempty"`
	Subject        string   `json:"subject,omitempty"`
	DeliveryReport bool     `json:"delivery_report,omitempty"`
	ReadReply      bool     `json:"read_reply,omitempty"`
	VASPID         string   `json:"vaspid,omitempty"`
	VASID          string   `json:"vasid,omitempty"`
	ServiceCode    string   `json:"service_code,omitempty"`
	LinkedID       string   `json:"linked_id,omitempty"`
	// TransactionID is sent with every attempt; "" means the job ID.
	TransactionID string `json:"transaction_id,omitempty"`
	// CarrierCode and DLRCallbackURL are Vibes' X-Vibes-CarrierCode and
	// X-Vibes-DlrCallbackUrl headers.
	CarrierCode    string `json:"carrier_code,omitempty"`
	DLRCallbackURL string `json:"dlr_callback_url,omitempty"`
	// Parts is the message content, in order.
	Parts []Part `json:"parts"`
	// Enqueued is set by Enqueue.
	Enqueued time.Time `json:"enqueued"`
}

// A Part is one content part of a job: its bytes in Data, or the name of
// an object in the Bus's object store in Object (Enqueue moves parts
// larger than [Config.InlineMax] there).
type Part struct {
	ContentType     string `json:"content_type"`
	ContentID       string `json:"content_id,omitempty"`
	ContentLocation string `json:"content_location,omitempty"`
	Data            []byte `json:"data,omitempty"`
	Object          string `json:"object,omitempty"`
}

// ErrInvalidJob is wrapped by the errors Enqueue returns for a job that
// can never be submitted.
var ErrInvalidJob = errors.New("mm7nats: invalid job")

// check reports what makes a job unsubmittable.
func (j *Job) check() error {
	if len(j.To)+len(j.Cc)+len(j.Bcc) == 0 {
		return fmt.Errorf("%w: no recipient", ErrInvalidJob)
	}
	for _, l := range [][]string{j.To, j.Cc, j.Bcc} {
		for _, a := range l {
			if strings.TrimSpace(a) == "" {
				return fmt.Errorf("%w: empty recipient address", ErrInvalidJob)
			}
		}
	}
	if len(j.Parts) == 0 {
		return fmt.Errorf("%w: no content part", ErrInvalidJob)
	}
	for i, p := range j.Parts {
		if strings.TrimSpace(p.ContentType) == "" {
			return fmt.Errorf("%w: part %d has no content type", ErrInvalidJob, i+1)
		}
		if p.Object != "" && len(p.Data) > 0 {
			return fmt.Errorf("%w: part %d has both data and an object", ErrInvalidJob, i+1)
		}
	}
	return nil
}

// Enqueue publishes a job to its account's work queue and returns its
// ID once JetStream acknowledged it. Parts over [Config.InlineMax] are
// put in the object store first. A job with the IdempotencyKey (or ID) of
// one enqueued before gets the same ID; within JetStream's duplicate
// window it is not queued again, and after it a relay recognises it and
// does not submit it again once it was accepted.
func (b *Bus) Enqueue(ctx context.Context, job *Job) (string, error) {
	if err := job.check(); err != nil {
		return "", err
	}
	j := *job
	j.Parts = append([]Part(nil), job.Parts...)
	switch {
	case j.ID != "":
	case j.IdempotencyKey != "":
		j.ID = "j-" + hashKey(j.Account, j.IdempotencyKey)[:32]
	default:
		r := make([]byte, 16)
		rand.Read(r) //nolint:errcheck // crypto/rand.Read never fails (Go 1.24+)
		j.ID = "j-" + hex.EncodeToString(r)
	}
	if j.Enqueued.IsZero() {
		j.Enqueued = time.Now().UTC()
	}
	for i := range j.Parts {
		p := &j.Parts[i]
		if int64(len(p.Data)) > b.cfg.inlineMax() {
			name := "sha256-" + sha256Hex(p.Data)
			if err := b.putObject(ctx, name, p.Data); err != nil {
				return "", fmt.Errorf("mm7nats: enqueue: %w", err)
			}
			p.Object, p.Data = name, nil
		}
	}
	data, err := json.Marshal(&j)
	if err != nil {
		return "", fmt.Errorf("mm7nats: enqueue: %w", err)
	}
	msg := nats.NewMsg(b.JobSubject(j.Account))
	msg.Data = data
	msg.Header.Set(HeaderJobID, j.ID)
	if _, err := b.JS.PublishMsg(ctx, msg, jetstream.WithMsgID(j.ID), jetstream.WithExpectStream(b.cfg.name("JOBS"))); err != nil {
		return "", fmt.Errorf("mm7nats: enqueue: %w", err)
	}
	return j.ID, nil
}

// Job states recorded in the SENT bucket and reported in a [Result].
const (
	StateAccepted = "accepted" // the MMSC accepted it: MessageID set
	StateRejected = "rejected" // the MMSC refused it with a permanent status, or it cannot be sent
	StateDead     = "dead"     // retried MaxDeliver times, then moved to the dead-letter subject
)

// A Result is the outcome of a job, published on PREFIX.results.<account>
// and recorded in the SENT bucket.
type Result struct {
	JobID   string `json:"job_id"`
	Account string `json:"account,omitempty"`
	State   string `json:"state"`
	// MessageID is the MMSC's identifier of an accepted message.
	MessageID     string `json:"message_id,omitempty"`
	TransactionID string `json:"transaction_id,omitempty"`
	// Status and StatusText are the MM7 status of the last answer, 0 when
	// none came.
	Status     int    `json:"status_code"`
	StatusText string `json:"status_text,omitempty"`
	// Version is the MM7 version of the last attempt, as --version names
	// it ("6.8.0" or "5.5.0").
	Version string `json:"version,omitempty"`
	// Attempts counts the deliveries of the job to a relay.
	Attempts int `json:"attempts"`
	// Error says why a job was rejected or given up.
	Error string    `json:"error,omitempty"`
	Time  time.Time `json:"time"`
	// Replayed is true when the job was delivered again after its
	// outcome was recorded: it was not submitted again.
	Replayed bool `json:"replayed,omitempty"`
}

// JobResult returns the recorded outcome of a job, or an error wrapping
// jetstream.ErrKeyNotFound while it has none.
func (b *Bus) JobResult(ctx context.Context, jobID string) (*Result, error) {
	e, err := b.sent.Get(ctx, "job."+hashKey(jobID))
	if err != nil {
		return nil, err
	}
	var r Result
	if err := json.Unmarshal(e.Value(), &r); err != nil {
		return nil, fmt.Errorf("mm7nats: job %s: %w", jobID, err)
	}
	return &r, nil
}

// JobOfMessage returns the ID of the job the MMSC gave messageID, or an
// error wrapping jetstream.ErrKeyNotFound.
func (b *Bus) JobOfMessage(ctx context.Context, messageID string) (string, error) {
	e, err := b.sent.Get(ctx, "msg."+hashKey(strings.TrimSpace(messageID)))
	if err != nil {
		return "", err
	}
	return string(e.Value()), nil
}

// record stores a job's outcome, and for an accepted job its MessageID.
func (b *Bus) record(ctx context.Context, r *Result) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if r.MessageID != "" {
		if _, err := b.sent.Put(ctx, "msg."+hashKey(strings.TrimSpace(r.MessageID)), []byte(r.JobID)); err != nil {
			return err
		}
	}
	_, err = b.sent.Put(ctx, "job."+hashKey(r.JobID), data)
	return err
}

func sha256Hex(b []byte) string {
	return hashKeyBytes(b)
}
