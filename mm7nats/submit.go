package mm7nats

import (
	"strings"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// submitReq builds the SubmitReq of a job (REL-6; the Client converts it
// for a REL-5 MMSC).
func submitReq(j *Job) *rel6.SubmitReq {
	opt := func(s string) *string {
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		return &s
	}
	req := &rel6.SubmitReq{
		SenderIdentification: rel6.SenderID{VASPID: opt(j.VASPID), VASID: opt(j.VASID)},
		Recipients:           rel6.Recipients{To: multi(j.To), Cc: multi(j.Cc), Bcc: multi(j.Bcc)},
		LinkedID:             opt(j.LinkedID),
		Subject:              opt(j.Subject),
	}
	if strings.TrimSpace(j.From) != "" {
		a := address(j.From)
		req.SenderIdentification.SenderAddress = &a
	}
	if j.ServiceCode != "" {
		req.ServiceCode = &rel6.ServiceCode{Value: j.ServiceCode}
	}
	if j.DeliveryReport {
		req.DeliveryReport = new(true)
	}
	if j.ReadReply {
		req.ReadReply = new(true)
	}
	return req
}

func address(s string) rel6.Address {
	s = strings.TrimSpace(s)
	switch mm7.AddressKind(s) {
	case mm7.AddressRFC2822:
		return rel6.Address{RFC2822Address: &rel6.RFC2822Address{Value: s}}
	case mm7.AddressShortCode:
		return rel6.Address{ShortCode: &rel6.ShortCode{Value: s}}
	}
	return rel6.Address{Number: &rel6.Number{Value: s}}
}

func multi(list []string) []rel6.MultiAddress {
	if len(list) == 0 {
		return nil
	}
	var ma rel6.MultiAddress
	for _, s := range list {
		s = strings.TrimSpace(s)
		switch mm7.AddressKind(s) {
		case mm7.AddressRFC2822:
			ma.RFC2822Address = append(ma.RFC2822Address, rel6.RFC2822Address{Value: s})
		case mm7.AddressShortCode:
			ma.ShortCode = append(ma.ShortCode, rel6.ShortCode{Value: s})
		default:
			ma.Number = append(ma.Number, rel6.Number{Value: s})
		}
	}
	return []rel6.MultiAddress{ma}
}
