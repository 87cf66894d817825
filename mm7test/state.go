package mm7test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// A State is where a submitted message stands in the [MMSC].
type State string

// The states of a message. A message is submitted, possibly replaced
// (any number of times), and cancelled or reported: once a delivery
// report with a final status (any but Forwarded and Deferred) went out,
// Cancel and Replace get 3001 Not Possible, as they do for a cancelled
// message.
const (
	StateSubmitted State = "submitted"
	StateReplaced  State = "replaced"
	StateCancelled State = "cancelled"
	StateReported  State = "reported"
)

// A MessageState describes a message submitted to the [MMSC], as
// [MMSC.Message] returns it.
type MessageState struct {
	// MessageID is the MessageID the MMSC gave the message.
	MessageID string
	// Version is the version it was submitted in; its reports are sent
	// in this release.
	Version mm7.Version
	// TransactionID is the SubmitReq's.
	TransactionID string
	// Sender is the SenderAddress, and Recipients the To, Cc and Bcc
	// addresses, as in [Recorded].
	Sender     string
	Recipients []string
	// State is where the message stands.
	State State
	// DeliveryReport is the SubmitReq's DeliveryReport element.
	DeliveryReport bool
	// CallbackURL is the X-Vibes-DlrCallbackUrl the SubmitReq came with.
	CallbackURL string
	// Replaced counts the successful Replace requests.
	Replaced int
	// ReportsSent counts the delivery reports sent (or attempted);
	// LastReport is the MMStatus of the latest.
	ReportsSent int
	LastReport  string
}

// message is the MMSC's record of a submitted message.
type message struct {
	MessageState
	sender     rel6.Address
	recipients []rel6.Address
	stop       chan struct{} // closed when the message is cancelled
	n          int           // submission order
}

// Message returns the state of the message with the given MessageID.
func (m *MMSC) Message(messageID string) (MessageState, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	msg, ok := m.messages[messageID]
	if !ok {
		return MessageState{}, false
	}
	return msg.snapshot(), true
}

// Messages returns the state of every message submitted, in the order
// they were submitted.
func (m *MMSC) Messages() []MessageState {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]MessageState, 0, len(m.messages))
	for _, msg := range m.messages {
		out = append(out, msg.snapshot())
	}
	slices.SortFunc(out, func(a, b MessageState) int { return m.messages[a.MessageID].n - m.messages[b.MessageID].n })
	return out
}

func (msg *message) snapshot() MessageState {
	s := msg.MessageState
	s.Recipients = slices.Clone(s.Recipients)
	return s
}

// submit registers a submitted message under id, or a new MessageID when
// id is empty.
func (m *MMSC) submit(rec *Recorded, req *rel6.SubmitReq, id string) *message {
	msg := &message{stop: make(chan struct{}), recipients: recipientAddresses(&req.Recipients)}
	if req.SenderIdentification.SenderAddress != nil {
		msg.sender = *req.SenderIdentification.SenderAddress
	} else {
		// DeliveryReportReq requires a Sender: stand in the VASPID.
		vasp := "mm7test"
		if v := req.SenderIdentification.VASPID; v != nil && strings.TrimSpace(*v) != "" {
			vasp = strings.TrimSpace(*v)
		}
		msg.sender = rel6.Address{ShortCode: &rel6.ShortCode{Value: vasp}}
	}
	msg.Version = rec.Version
	msg.TransactionID = rec.TransactionID
	msg.Sender, msg.Recipients = rec.Sender, slices.Clone(rec.Recipients)
	msg.State = StateSubmitted
	msg.DeliveryReport = req.DeliveryReport != nil && *req.DeliveryReport
	msg.CallbackURL = strings.TrimSpace(rec.Header.Get(mm7.VibesHeaderDLRCallbackURL))

	m.mu.Lock()
	defer m.mu.Unlock()
	if id == "" {
		m.lastID++
		prefix := m.opts.MessageIDPrefix
		if prefix == "" {
			prefix = DefaultMessageIDPrefix
		}
		id = fmt.Sprintf("%s%d", prefix, m.lastID)
	}
	msg.MessageID = id
	m.submitted++
	msg.n = m.submitted
	m.messages[id] = msg
	return msg
}

// cancelMessage cancels a message and its pending reports, and returns
// the status to answer.
func (m *MMSC) cancelMessage(id string) mm7.StatusCode {
	return m.change(id, func(msg *message) {
		msg.State = StateCancelled
		close(msg.stop)
	})
}

// replaceMessage records a replacement and returns the status to
// answer.
func (m *MMSC) replaceMessage(id string) mm7.StatusCode {
	return m.change(id, func(msg *message) {
		msg.State = StateReplaced
		msg.Replaced++
	})
}

// change applies a Cancel or Replace to message id: 2005 when it is
// unknown, 3001 Not Possible when it is cancelled or already reported.
func (m *MMSC) change(id string, apply func(*message)) mm7.StatusCode {
	m.mu.Lock()
	defer m.mu.Unlock()
	msg, ok := m.messages[id]
	switch {
	case !ok:
		return mm7.StatusMessageIDNotFound
	case msg.State == StateCancelled || msg.State == StateReported:
		return mm7.StatusNotPossible
	}
	apply(msg)
	return mm7.StatusSuccess
}

// finalStatus reports whether an MMStatus ends the delivery.
func finalStatus(status string) bool {
	switch rel6.MMDeliveryStatus(status) {
	case rel6.MMDeliveryStatusForwarded, rel6.MMDeliveryStatusDeferred:
		return false
	}
	return true
}

// validCallback reports whether a callback URL is one to post to.
func validCallback(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
