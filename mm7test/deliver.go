package mm7test

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/xsdtypes"
)

// An MO is a mobile-originated message for [MMSC.Deliver]: what a handset
// sent to the VASP's short code or number.
//
// Addresses are plain strings, written into the MM7 address kind they
// look like: an RFC2822Address when they hold an "@", a ShortCode when
// they are 3 to 6 digits, a Number otherwise (mm7.AddressKind).
type MO struct {
	// From is the handset's address (the DeliverReq Sender). Required.
	From string
	// To is the VASP's address (Recipients/To), e.g. its short code;
	// "" sends no Recipients.
	To string
	// Subject is sent when not empty.
	Subject string
	// Text, when not empty, is sent as a first text/plain attachment
	// (UTF-8).
	Text string
	// Attachments follow the text, e.g. an image/jpeg. Their bodies are
	// read once.
	Attachments []mm7.Attachment
	// LinkedID is sent when not empty: the VASP may quote it in a reply.
	LinkedID string
	// CarrierCode, when not empty, is sent as the X-Vibes-CarrierCode
	// header, as Vibes does.
	CarrierCode string
	// Version is the version to send in; the zero Version means the first
	// of [Options.Versions], else [mm7.Rel6].
	Version mm7.Version
	// URL is where to post; "" means [Options.VASPURL].
	URL string
}

// Deliver posts mo to the VASP as a DeliverReq with its attachments, and
// returns the outcome as [mm7.Client.Do] does: Result.Status is the
// VASP's status, and a non-success status is also an error (a
// *mm7.StatusError, or a *mm7.FaultError wrapping one).
func (m *MMSC) Deliver(ctx context.Context, mo MO) (*mm7.Result, error) {
	if strings.TrimSpace(mo.From) == "" {
		return nil, errors.New("mm7test: Deliver: the MO has no From address")
	}
	url := mo.URL
	if url == "" {
		url = m.opts.VASPURL
	}
	if url == "" {
		return nil, errNoVASPURL("Deliver")
	}
	v := m.defaultVersion()
	if mo.Version.Schema != "" {
		v = chosenVersion(mo.Version)
	}
	now := xsdtypes.NewDateTime(time.Now().UTC().Truncate(time.Second))
	req := &rel6.DeliverReq{
		MMSRelayServerID: optional(m.opts.RelayServerID),
		LinkedID:         optional(mo.LinkedID),
		Sender:           parseAddress(mo.From),
		TimeStamp:        &now,
		Subject:          optional(mo.Subject),
	}
	if mo.To != "" {
		to := parseAddress(mo.To)
		ma := rel6.MultiAddress{}
		switch {
		case to.Number != nil:
			ma.Number = []rel6.Number{*to.Number}
		case to.ShortCode != nil:
			ma.ShortCode = []rel6.ShortCode{*to.ShortCode}
		default:
			ma.RFC2822Address = []rel6.RFC2822Address{*to.RFC2822Address}
		}
		req.Recipients = &rel6.Recipients{To: []rel6.MultiAddress{ma}}
	}
	var atts []mm7.Attachment
	if mo.Text != "" {
		atts = append(atts, mm7.Attachment{ContentType: `text/plain; charset="utf-8"`, ContentLocation: "text.txt",
			Body: strings.NewReader(mo.Text)})
	}
	atts = append(atts, mo.Attachments...)
	var opts []mm7.CallOption
	if mo.CarrierCode != "" {
		opts = append(opts, mm7.WithHeader(mm7.VibesHeaderCarrierCode, mo.CarrierCode))
	}
	return m.send(ctx, "DeliverReq", "", url, v, req, atts, opts...)
}
