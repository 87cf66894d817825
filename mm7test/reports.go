package mm7test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/xsdtypes"
)

// A Report is a delivery report the [MMSC] sent on its own, after a
// SubmitReq, as [MMSC.Reports] lists it.
type Report struct {
	// URL is where it was posted: [Options.VASPURL] or the message's
	// X-Vibes-DlrCallbackUrl.
	URL string
	// MessageID, Recipient, Sender and Status (the MMStatus) are those of
	// the DeliveryReportReq.
	MessageID string
	Recipient string
	Sender    string
	Status    string
	// Version is the version it was sent in, the submitted message's.
	Version mm7.Version
	// Time is when the exchange ended.
	Time time.Time
	// Result and Err are what [mm7.Client.Do] returned: Result.Status is
	// the VASP's answer.
	Result *mm7.Result
	Err    error
}

// Reports returns the delivery reports sent so far, in the order their
// exchanges ended.
func (m *MMSC) Reports() []Report {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.reports)
}

// WaitReports waits until at least n delivery reports were sent (their
// exchange with the VASP ended, successfully or not), and returns them
// all, or returns those sent so far and an error when ctx is done first.
func (m *MMSC) WaitReports(ctx context.Context, n int) ([]Report, error) {
	for {
		m.mu.Lock()
		got, changed := slices.Clone(m.reports), m.changed
		m.mu.Unlock()
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-ctx.Done():
			return got, fmt.Errorf("mm7test: waiting for %d delivery reports, got %d: %w", n, len(got), ctx.Err())
		case <-changed:
		}
	}
}

// reportTarget returns where the reports of msg go and with which
// MMStatus, or "" when none is due. With an X-Vibes-DlrCallbackUrl,
// Vibes posts the final carrier status there when DeliveryReport is
// true, and the status of the hand-off to the carrier when it is not
// (mm7-facts 10.4); without one, DeliveryReport=true reports go to the
// VASP's URL.
func (m *MMSC) reportTarget(msg *message) (url, status string) {
	final := m.opts.DeliveryReportStatus
	if final == "" {
		final = string(rel6.MMDeliveryStatusRetrieved)
	}
	handoff := m.opts.HandoffStatus
	if handoff == "" {
		handoff = string(rel6.MMDeliveryStatusForwarded)
	}
	switch {
	case msg.CallbackURL != "" && validCallback(msg.CallbackURL):
		if msg.DeliveryReport {
			return msg.CallbackURL, final
		}
		return msg.CallbackURL, handoff
	case msg.DeliveryReport && m.opts.VASPURL != "":
		return m.opts.VASPURL, final
	}
	return "", ""
}

// scheduleReports starts one goroutine per recipient of msg that sends
// its delivery report when due.
func (m *MMSC) scheduleReports(msg *message) {
	url, status := m.reportTarget(msg)
	if url == "" {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	for _, rcpt := range msg.recipients {
		m.pending++
		m.wg.Go(func() { m.runReport(msg, rcpt, url, status) })
	}
}

// runReport waits for the report delay and sends one report.
func (m *MMSC) runReport(msg *message, rcpt rel6.Address, url, status string) {
	defer func() {
		m.mu.Lock()
		m.pending--
		m.notifyLocked()
		m.mu.Unlock()
	}()
	if d := m.opts.DeliveryReportDelay; d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-m.done:
			return
		case <-msg.stop:
			return
		}
	}
	m.mu.Lock()
	if m.closed || msg.State == StateCancelled {
		m.mu.Unlock()
		return
	}
	msg.ReportsSent++
	msg.LastReport = status
	if finalStatus(status) {
		msg.State = StateReported
	}
	id, version, sender := msg.MessageID, msg.Version, msg.sender
	m.mu.Unlock()

	req := m.deliveryReport(id, rcpt, sender, status, "")
	res, err := m.send(m.ctx, "DeliveryReportReq", id, url, sendVersion(version), req, nil)
	rep := Report{URL: url, MessageID: id, Recipient: addressString(&rcpt), Sender: addressString(&sender), Status: status,
		Version: sendVersion(version), Time: time.Now(), Result: res, Err: err}
	m.mu.Lock()
	m.reports = append(m.reports, rep)
	m.notifyLocked()
	m.mu.Unlock()
}

// deliveryReport builds a DeliveryReportReq (in rel6; the client converts
// it to the version it speaks).
func (m *MMSC) deliveryReport(id string, rcpt, sender rel6.Address, status, text string) *rel6.DeliveryReportReq {
	return &rel6.DeliveryReportReq{
		MMSRelayServerID: optional(m.opts.RelayServerID),
		MessageID:        id,
		Recipient:        rcpt,
		Sender:           sender,
		Date:             xsdtypes.NewDateTime(time.Now().UTC().Truncate(time.Second)),
		MMStatus:         rel6.MMDeliveryStatus(status),
		StatusText:       optional(text),
	}
}

// send posts an MM7 request to a VASP with a client speaking version v.
func (m *MMSC) send(ctx context.Context, kind, messageID, url string, v mm7.Version, req mm7.Body, atts []mm7.Attachment, opts ...mm7.CallOption) (*mm7.Result, error) {
	c, err := mm7.NewClient(url, func(o *mm7.Options) {
		o.HTTPClient = m.hc
		o.Versions = []mm7.Version{v}
		o.Username, o.Password = m.opts.VASPUsername, m.opts.VASPPassword
		o.UserAgent = "mm7test"
		o.Logger = m.opts.Logger
	})
	if err != nil {
		return nil, err
	}
	res, err := c.Do(ctx, req, atts, opts...)
	attrs := []slog.Attr{slog.String("kind", kind), slog.String("url", c.Endpoint()), slog.String("version", v.Schema)}
	if messageID != "" {
		attrs = append(attrs, slog.String("message_id", messageID))
	}
	if res != nil {
		attrs = append(attrs, slog.String("transaction_id", res.TransactionID), slog.Int("status_code", int(res.Status)))
	}
	if err != nil {
		m.log.LogAttrs(ctx, slog.LevelWarn, "mm7test: sent", append(attrs, slog.String("error", err.Error()))...)
	} else {
		m.log.LogAttrs(ctx, slog.LevelInfo, "mm7test: sent", attrs...)
	}
	return res, err
}

// A DeliveryReport is a DeliveryReportReq for [MMSC.SendDeliveryReport].
// Fields left empty are taken from the message the MMSC knows by
// MessageID.
type DeliveryReport struct {
	// MessageID is the message reported on; it need not be one the MMSC
	// knows.
	MessageID string
	// Recipient is the recipient reported on; "" means the message's
	// first recipient. Addresses are written as in [MO].
	Recipient string
	// Sender is the message's sender; "" means the message's.
	Sender string
	// Status is the MMStatus, e.g. "Retrieved", "Rejected", "Expired";
	// "" means [Options.DeliveryReportStatus] (default "Retrieved").
	Status string
	// StatusText is sent when not empty.
	StatusText string
	// Version is the version sent in; the zero Version means the
	// message's, else the first of [Options.Versions], else [mm7.Rel6].
	Version mm7.Version
	// URL is where to post; "" means the message's X-Vibes-DlrCallbackUrl,
	// else [Options.VASPURL].
	URL string
}

// SendDeliveryReport posts a DeliveryReportReq to the VASP and returns
// the outcome as [mm7.Client.Do] does: Result.Status is the VASP's
// status, and a non-success status is also an error. It is not listed in
// [MMSC.Reports] and does not change the message's state.
func (m *MMSC) SendDeliveryReport(ctx context.Context, dr DeliveryReport) (*mm7.Result, error) {
	k := m.known(dr.MessageID)
	status := dr.Status
	if status == "" {
		status = m.opts.DeliveryReportStatus
	}
	if status == "" {
		status = string(rel6.MMDeliveryStatusRetrieved)
	}
	rcpt, sender, v, url, err := m.fill("SendDeliveryReport", k, dr.Recipient, dr.Sender, dr.Version, dr.URL)
	if err != nil {
		return nil, err
	}
	return m.send(ctx, "DeliveryReportReq", dr.MessageID, url, v, m.deliveryReport(dr.MessageID, rcpt, sender, status, dr.StatusText), nil)
}

// A ReadReply is a ReadReplyReq for [MMSC.SendReadReply]. Fields left
// empty are taken from the message the MMSC knows by MessageID, as for
// [DeliveryReport].
type ReadReply struct {
	MessageID  string
	Recipient  string
	Sender     string
	Status     string // the MMStatus: "Read" (when empty), "Deleted" or "Indeterminate"
	StatusText string
	Version    mm7.Version
	URL        string
}

// SendReadReply posts a ReadReplyReq to the VASP, and returns as
// [MMSC.SendDeliveryReport] does.
func (m *MMSC) SendReadReply(ctx context.Context, rr ReadReply) (*mm7.Result, error) {
	k := m.known(rr.MessageID)
	status := rr.Status
	if status == "" {
		status = string(rel6.MMReadStatusRead)
	}
	rcpt, sender, v, url, err := m.fill("SendReadReply", k, rr.Recipient, rr.Sender, rr.Version, rr.URL)
	if err != nil {
		return nil, err
	}
	req := &rel6.ReadReplyReq{
		MMSRelayServerID: optional(m.opts.RelayServerID),
		MessageID:        rr.MessageID,
		Recipient:        rcpt,
		Sender:           sender,
		TimeStamp:        xsdtypes.NewDateTime(time.Now().UTC().Truncate(time.Second)),
		MMStatus:         rel6.MMReadStatus(status),
		StatusText:       optional(rr.StatusText),
	}
	return m.send(ctx, "ReadReplyReq", rr.MessageID, url, v, req, nil)
}

// known returns a copy of what the MMSC knows of a message, or nil.
func (m *MMSC) known(id string) *message {
	m.mu.Lock()
	defer m.mu.Unlock()
	msg, ok := m.messages[id]
	if !ok {
		return nil
	}
	cp := *msg
	return &cp
}

// fill completes the addresses, version and URL of a report from the
// message k (nil when unknown) and the options.
func (m *MMSC) fill(op string, k *message, rcpt, sender string, v mm7.Version, url string) (r, s rel6.Address, _ mm7.Version, _ string, _ error) {
	switch {
	case rcpt != "":
		r = parseAddress(rcpt)
	case k != nil && len(k.recipients) > 0:
		r = k.recipients[0]
	default:
		return r, s, v, url, fmt.Errorf("mm7test: %s: no Recipient, and the MessageID is not one the MMSC gave", op)
	}
	switch {
	case sender != "":
		s = parseAddress(sender)
	case k != nil:
		s = k.sender
	default:
		return r, s, v, url, fmt.Errorf("mm7test: %s: no Sender, and the MessageID is not one the MMSC gave", op)
	}
	switch {
	case v.Schema != "":
		v = chosenVersion(v)
	case k != nil:
		v = sendVersion(k.Version)
	default:
		v = m.defaultVersion()
	}
	if url == "" && k != nil && validCallback(k.CallbackURL) {
		url = k.CallbackURL
	}
	if url == "" {
		url = m.opts.VASPURL
	}
	if url == "" {
		return r, s, v, url, errNoVASPURL(op)
	}
	return r, s, v, url, nil
}

func errNoVASPURL(op string) error {
	return errors.New("mm7test: " + op + ": no URL to post to (set Options.VASPURL)")
}

// optional returns &s, or nil for an empty s.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
