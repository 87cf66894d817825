package mm7nats

import (
	"encoding/json"
	"strings"

	"github.com/openmms/mm7go/generated/convert"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// An Inbound is one received message as published on
// PREFIX.in.<kind>: the fields of mm7 serve's message.json, the raw
// envelope, and the attachments, inline or by object-store reference.
type Inbound struct {
	// ID identifies the message and its content: the dedupe key, also
	// the JetStream message ID (Nats-Msg-Id).
	ID string `json:"id"`
	// Kind is the request element, e.g. "DeliverReq".
	Kind string `json:"kind"`
	// Key recognises a repeat together with the content: the
	// TransactionID of a DeliverReq; MessageID_recipient_status of a
	// report, or its TransactionID when it has no MessageID.
	Key string `json:"key"`
	// Account is the Basic Auth user the request authenticated as, or "".
	Account       string `json:"account,omitempty"`
	Version       string `json:"version"`
	Schema        string `json:"schema"`
	Namespace     string `json:"namespace"`
	TransactionID string `json:"transaction_id"`
	// Received is when the request arrived, RFC 3339 in UTC.
	Received    string `json:"received"`
	RemoteAddr  string `json:"remote_addr"`
	CarrierCode string `json:"carrier_code,omitempty"`
	From        string `json:"from,omitempty"`
	// MessageID, Recipient and Status are those of a delivery report or
	// read reply.
	MessageID string `json:"message_id,omitempty"`
	Recipient string `json:"recipient,omitempty"`
	Status    string `json:"status,omitempty"`
	// JobID is the relay job that submitted MessageID, when a report
	// could be correlated with one. A report arriving before the relay
	// recorded the job's outcome (within moments of the SubmitRsp) has
	// none; [Bus.JobOfMessage] finds the job later.
	JobID string `json:"job_id,omitempty"`
	// Message is the decoded request body.
	Message json.RawMessage `json:"message"`
	// Envelope is the SOAP envelope as received.
	Envelope    []byte              `json:"envelope"`
	Attachments []InboundAttachment `json:"attachments"`
	Deviations  []Deviation         `json:"deviations"`
}

// An InboundAttachment is one content part: its bytes in Data, or, above
// [Config.InlineMax], the name of the object holding them in Object.
type InboundAttachment struct {
	ContentType     string `json:"content_type"`
	ContentID       string `json:"content_id,omitempty"`
	ContentLocation string `json:"content_location,omitempty"`
	Size            int64  `json:"size"`
	SHA256          string `json:"sha256"`
	Data            []byte `json:"data,omitempty"`
	Object          string `json:"object,omitempty"`
}

// A Deviation is one thing lenient decoding accepted.
type Deviation struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// summary holds the addresses and report fields of a request, and its key.
type summary struct {
	key, from, recipient, status, messageID string
}

func summarize(r *mm7.Request) summary {
	var s summary
	var body any = r.Message.Body
	if up, _, err := convert.ToRel6(body); err == nil {
		body = up
	}
	switch b := body.(type) {
	case *rel6.DeliverReq:
		s.from = addrString(b.Sender)
	case *rel6.DeliveryReportReq:
		s.from, s.recipient, s.status, s.messageID = addrString(b.Sender), addrString(b.Recipient), string(b.MMStatus), strings.TrimSpace(b.MessageID)
	case *rel6.ReadReplyReq:
		s.from, s.recipient, s.status, s.messageID = addrString(b.Sender), addrString(b.Recipient), string(b.MMStatus), strings.TrimSpace(b.MessageID)
	}
	tx := strings.TrimSpace(r.TransactionID())
	if r.Kind() == "DeliverReq" || s.messageID == "" {
		s.key = tx
	} else {
		s.key = s.messageID + "_" + mm7.NormalizeAddress(s.recipient) + "_" + strings.TrimSpace(s.status)
	}
	return s
}

func addrString(a rel6.Address) string {
	switch {
	case a.Number != nil:
		return strings.TrimSpace(a.Number.Value)
	case a.ShortCode != nil:
		return strings.TrimSpace(a.ShortCode.Value)
	case a.RFC2822Address != nil:
		return strings.TrimSpace(a.RFC2822Address.Value)
	}
	return ""
}

// messageJSON renders a request body as JSON, without the XMLName
// fields of the bindings.
func messageJSON(body any) (json.RawMessage, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return json.Marshal(dropXMLName(v))
}

func dropXMLName(v any) any {
	switch t := v.(type) {
	case map[string]any:
		delete(t, "XMLName")
		for k, e := range t {
			t[k] = dropXMLName(e)
		}
	case []any:
		for i, e := range t {
			t[i] = dropXMLName(e)
		}
	}
	return v
}

// storeKinds maps the request kinds a Sink takes to their subject token.
var storeKinds = map[string]string{
	"DeliverReq":        "deliver",
	"DeliveryReportReq": "delivery-report",
	"ReadReplyReq":      "read-reply",
}
