package mm7nats

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/openmms/mm7go/mm7"
)

// Header names set on published messages.
const (
	HeaderKind  = "Mm7-Kind"
	HeaderJobID = "Mm7-Job-Id"
)

// A Sink stores what an [mm7.Handler] receives (DeliverReq,
// DeliveryReportReq, ReadReplyReq) in the inbound stream of its [Bus]:
// use its Store method as the Handler's callbacks, on any number of
// replicas sharing the Bus.
//
// Store returns nil only once JetStream acknowledged everything: the
// objects holding large attachments, then the message itself. When
// JetStream does not answer it returns a *[mm7.RetryAfterError], which
// the Handler answers with HTTP 503 and Retry-After, so that the MMSC
// sends the request again (to this replica or another).
//
// A repeat is stored once: a message whose account, kind, key
// (TransactionID of an MO, MessageID, recipient and status of a report)
// and content (decoded body and attachment bytes) all match one stored in
// the last [Config.DedupeTTL] is acknowledged without being published
// again. The dedupe record is written only after the publish was
// acknowledged, so a failure or crash in between never makes a later
// retry be acknowledged without a stored copy; it can at worst store a
// repeat twice (when the crash came after the publish and the retry
// arrives after JetStream's own duplicate window). Repeats arriving at
// two replicas at once carry the same JetStream message ID and are
// stored once by JetStream's duplicate window.
//
// Store holds a request's attachments in memory until they are stored:
// keep the Handler's MaxBodyBytes bounded (its default, 16 MiB, is), and
// its concurrency bounded by the http.Server or a proxy.
type Sink struct {
	Bus *Bus
	// RetryAfter is the Retry-After answered when JetStream is
	// unavailable; 0 means 5 s.
	RetryAfter time.Duration
	// Timeout bounds the JetStream work for one message; 0 means 10 s.
	Timeout time.Duration
	// Logger receives a Warn record when a stored message's dedupe
	// record could not be written; nil discards.
	Logger *slog.Logger
	// Now returns the time; nil means time.Now.
	Now func() time.Time
	// CorrelationWait is how long a report whose MessageID has no job
	// yet waits for one: an MMSC may report a message before the relay
	// that submitted it recorded the MessageID (moments after the
	// SubmitRsp). 0 does not wait: use it when reports of messages not
	// sent by a relay are common, since each waits that long.
	CorrelationWait time.Duration
}

// Stored says what [Sink.Store] did with a message.
type Stored struct {
	// ID is the message's dedupe key and JetStream message ID.
	ID string
	// Subject and Sequence locate the message in the inbound stream
	// (Sequence is that of the first copy for a repeat JetStream caught,
	// 0 for one the dedupe bucket caught).
	Subject  string
	Sequence uint64
	// Duplicate is true when the message was stored before and was not
	// published again.
	Duplicate bool
	// Inbound is the record published (or that would have been), without
	// the attachment bytes.
	Inbound *Inbound
}

// Store reads the request and its attachments and publishes them; see
// [Sink]. An error reading the attachments is returned as is (the Handler
// answers it as a broken request); a JetStream failure is a
// *mm7.RetryAfterError.
func (s *Sink) Store(ctx context.Context, r *mm7.Request) (*Stored, error) {
	kindToken, ok := storeKinds[r.Kind()]
	if !ok {
		return nil, &mm7.StatusError{Code: mm7.StatusUnsupportedOperation, Text: "not stored here: " + r.Kind()}
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	if nc := s.Bus.JS.Conn(); nc != nil && !nc.IsConnected() {
		// Fail fast: waiting for a reconnection would hold the MMSC past
		// its own timeout.
		return nil, s.unavailable(fmt.Errorf("not connected to NATS (%s)", nc.Status()))
	}
	sum := summarize(r)
	in := &Inbound{Kind: r.Kind(), Key: sum.key, Account: r.User, Version: r.Version().MM7Version,
		Schema: r.Version().Schema, Namespace: r.Version().Namespace, TransactionID: r.TransactionID(),
		Received: now().UTC().Format(time.RFC3339Nano), RemoteAddr: r.RemoteAddr, CarrierCode: r.CarrierCode(),
		From: sum.from, MessageID: sum.messageID, Recipient: sum.recipient, Status: sum.status,
		Envelope: r.Envelope(), Attachments: []InboundAttachment{}, Deviations: []Deviation{}}
	var err error
	if in.Message, err = messageJSON(r.Message.Body); err != nil {
		return nil, fmt.Errorf("mm7nats: %w", err)
	}
	var large [][]byte // bodies of attachments going to the object store, by index
	idParts := []string{in.Account, in.Kind, in.Key, string(in.Message)}
	for {
		a, err := r.NextAttachment()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err // a broken body: the Handler answers it as such
		}
		data, err := io.ReadAll(a.Body) // bounded by the Handler's MaxBodyBytes
		if err != nil {
			return nil, err
		}
		h := sha256.Sum256(data)
		ia := InboundAttachment{ContentType: a.ContentType, ContentID: a.ContentID, ContentLocation: a.ContentLocation,
			Size: int64(len(data)), SHA256: hex.EncodeToString(h[:])}
		if int64(len(data)) > s.Bus.cfg.inlineMax() {
			ia.Object = "sha256-" + ia.SHA256
			large = append(large, data)
		} else {
			ia.Data = data
			large = append(large, nil)
		}
		in.Attachments = append(in.Attachments, ia)
		idParts = append(idParts, ia.ContentType, ia.ContentID, ia.ContentLocation, ia.SHA256)
	}
	for _, d := range r.Deviations() {
		in.Deviations = append(in.Deviations, Deviation{Code: string(d.Code), Text: d.Text})
	}
	in.ID = hashKey(idParts...)
	res := &Stored{ID: in.ID, Subject: s.Bus.InboundSubject(kindToken), Inbound: in}

	ctx, cancel := context.WithTimeout(ctx, orDefault(s.Timeout, 10*time.Second))
	defer cancel()
	if _, err := s.Bus.dedupe.Get(ctx, in.ID); err == nil {
		res.Duplicate = true
		return s.strip(res), nil
	} else if !isNotFound(err) {
		return nil, s.unavailable(fmt.Errorf("dedupe lookup: %w", err))
	}
	for i, data := range large {
		if data == nil {
			continue
		}
		if err := s.Bus.putObject(ctx, in.Attachments[i].Object, data); err != nil {
			return nil, s.unavailable(err)
		}
	}
	if in.MessageID != "" && in.Kind != "DeliverReq" {
		job, err := s.jobOf(ctx, in.MessageID)
		if err != nil {
			return nil, s.unavailable(fmt.Errorf("job lookup: %w", err))
		}
		in.JobID = job
	}
	payload, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("mm7nats: %w", err)
	}
	msg := nats.NewMsg(res.Subject)
	msg.Data = payload
	msg.Header.Set(HeaderKind, in.Kind)
	if in.JobID != "" {
		msg.Header.Set(HeaderJobID, in.JobID)
	}
	ack, err := s.Bus.JS.PublishMsg(ctx, msg, jetstream.WithMsgID(in.ID), jetstream.WithExpectStream(s.Bus.cfg.name("IN")))
	if err != nil {
		return nil, s.unavailable(fmt.Errorf("publish: %w", err))
	}
	res.Sequence, res.Duplicate = ack.Sequence, ack.Duplicate
	// Only now is the message stored: remember it for repeats.
	if _, err := s.Bus.dedupe.Put(ctx, in.ID, []byte(strconv.FormatUint(ack.Sequence, 10))); err != nil {
		s.logger().LogAttrs(ctx, slog.LevelWarn, "mm7nats: stored, but the dedupe record failed: a repeat may be stored twice",
			slog.String("id", in.ID), slog.String("error", err.Error()))
	}
	return s.strip(res), nil
}

// jobOf returns the job of a MessageID, or "" when there is none
// (after CorrelationWait).
func (s *Sink) jobOf(ctx context.Context, messageID string) (string, error) {
	deadline := time.Now().Add(s.CorrelationWait)
	for {
		job, err := s.Bus.JobOfMessage(ctx, messageID)
		switch {
		case err == nil:
			return job, nil
		case !isNotFound(err):
			return "", err
		case time.Now().After(deadline):
			return "", nil
		}
		select {
		case <-ctx.Done():
			return "", nil
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// strip drops the attachment bytes from the result.
func (s *Sink) strip(res *Stored) *Stored {
	for i := range res.Inbound.Attachments {
		res.Inbound.Attachments[i].Data = nil
	}
	return res
}

func (s *Sink) unavailable(err error) error {
	return &mm7.RetryAfterError{After: orDefault(s.RetryAfter, 5*time.Second), Err: fmt.Errorf("mm7nats: %w", err)}
}

func (s *Sink) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

// putObject stores data under name unless an object of that name (a
// content hash) is already there.
func (b *Bus) putObject(ctx context.Context, name string, data []byte) error {
	if info, err := b.objects.GetInfo(ctx, name); err == nil && !info.Deleted {
		return nil
	} else if err != nil && !isNotFound(err) {
		return fmt.Errorf("object %s: %w", name, err)
	}
	if _, err := b.objects.PutBytes(ctx, name, data); err != nil {
		return fmt.Errorf("object %s: %w", name, err)
	}
	return nil
}

// Object returns the bytes of an attachment stored in the object store
// (an [InboundAttachment.Object] or [Part.Object]).
func (b *Bus) Object(ctx context.Context, name string) ([]byte, error) {
	data, err := b.objects.GetBytes(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("mm7nats: object %s: %w", name, err)
	}
	return data, nil
}
