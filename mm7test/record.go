package mm7test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"slices"
	"time"

	"github.com/openmms/mm7go/mm7"
)

// A Recorded is one MM7 request the [MMSC] received and answered, as
// [MMSC.Requests] returns it. It is complete and never changes once
// listed; do not modify it.
//
// Requests rejected before they were decoded (wrong credentials, HTTP
// 401; a body over the limit, 413; a body that is no MM7 request) are not
// recorded: the [mm7.Handler] answers them alone.
type Recorded struct {
	// Seq numbers the requests from 1, in the order they were read.
	Seq int
	// Time is when the request's envelope had been read.
	Time time.Time
	// Kind is the request element: "SubmitReq", "CancelReq",
	// "ReplaceReq", "extendedCancelReq" or "extendedReplaceReq".
	Kind string
	// Message is the decoded request. Its Body is a *rel5 or *rel6
	// struct (*rel6.SubmitReq, *rel5.CancelReq, ...).
	Message *mm7.Message
	// Version is the request's version as received.
	Version mm7.Version
	// TransactionID is the request's TransactionID.
	TransactionID string
	// Header holds the HTTP request headers without Authorization,
	// X-Vibes-CarrierCode and X-Vibes-DlrCallbackUrl included.
	Header http.Header
	// User is the Basic Auth username the request carried, when the MMSC
	// checks credentials.
	User string
	// RemoteAddr is the client's address, "IP:port".
	RemoteAddr string
	// Attachments are the message content parts, in order, nested
	// multiparts flattened (see [mm7.Request.NextAttachment]).
	Attachments []Attachment

	// MessageID is the MessageID the MMSC gave a SubmitReq (empty when
	// it refused it), or the one a Cancel or Replace named (CancelID,
	// ReplaceID for the extended kinds).
	MessageID string
	// Sender is the SenderAddress of a SubmitReq (any address kind), or
	// "".
	Sender string
	// Recipients lists the To, Cc and Bcc addresses of a SubmitReq, in
	// this order.
	Recipients []string
	// Subject is the Subject of a SubmitReq, or "".
	Subject string

	// Reply is what the MMSC answered: Status is 1000 for a plain
	// success, HTTPStatus set for an HTTP-only answer, Latency the whole
	// delay. MessageID is the one in the response.
	Reply Reply
}

// An Attachment is one content part of a recorded request, read whole
// (up to [Options.MaxAttachmentBytes] per request).
type Attachment struct {
	// ContentType is the part's Content-Type, parameters included.
	ContentType string
	// ContentID is its Content-ID, without angle brackets.
	ContentID string
	// ContentLocation is its Content-Location.
	ContentLocation string
	// Header holds every MIME header of the part.
	Header textproto.MIMEHeader
	// Data is the content, transfer encoding undone.
	Data []byte
	// Size is the size of the content, whether or not all of it is in
	// Data.
	Size int64
	// Truncated reports that Data holds only the first bytes of the
	// content, the request having exceeded Options.MaxAttachmentBytes.
	Truncated bool
}

// MediaType returns the lower-cased media type of the part, without
// parameters: "image/jpeg".
func (a *Attachment) MediaType() string {
	return (&mm7.Attachment{ContentType: a.ContentType}).MediaType()
}

// readAttachments reads every attachment of r, keeping up to limit bytes
// in all (limit < 0: everything).
func readAttachments(r *mm7.Request, limit int64) ([]Attachment, error) {
	var out []Attachment
	for {
		a, err := r.NextAttachment()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		rec := Attachment{ContentType: a.ContentType, ContentID: a.ContentID, ContentLocation: a.ContentLocation, Header: a.Header}
		var body io.Reader = a.Body
		if limit >= 0 {
			body = io.LimitReader(a.Body, limit)
		}
		if rec.Data, err = io.ReadAll(body); err != nil {
			return nil, fmt.Errorf("mm7test: attachment %d: %w", len(out)+1, err)
		}
		rec.Size = int64(len(rec.Data))
		if limit >= 0 {
			limit -= rec.Size
			n, err := io.Copy(io.Discard, a.Body)
			if err != nil {
				return nil, fmt.Errorf("mm7test: attachment %d: %w", len(out)+1, err)
			}
			rec.Size += n
			rec.Truncated = n > 0
		}
		out = append(out, rec)
	}
}

// Requests returns the requests recorded so far, in the order they were
// read. The slice is the caller's; the *Recorded are shared and must not
// be modified.
func (m *MMSC) Requests() []*Recorded {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.requests)
}

// WaitRequests waits until at least n requests were recorded, and returns
// them all, or returns those recorded so far and an error when ctx is
// done first. A request is recorded once its reply is decided, just
// before the reply is written.
func (m *MMSC) WaitRequests(ctx context.Context, n int) ([]*Recorded, error) {
	for {
		m.mu.Lock()
		got, changed := slices.Clone(m.requests), m.changed
		m.mu.Unlock()
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-ctx.Done():
			return got, fmt.Errorf("mm7test: waiting for %d requests, got %d: %w", n, len(got), ctx.Err())
		case <-changed:
		}
	}
}

// record lists rec, numbering it.
func (m *MMSC) record(rec *Recorded) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests = append(m.requests, rec)
	m.notifyLocked()
}

// notifyLocked wakes the waiters of WaitRequests, WaitReports and
// Shutdown. m.mu must be held.
func (m *MMSC) notifyLocked() {
	close(m.changed)
	m.changed = make(chan struct{})
}
