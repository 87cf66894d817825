package mm7test

import (
	"github.com/openmms/mm7go/generated/rel6"
)

// parseAddress turns the address strings of [MO], [DeliveryReport] and
// [ReadReply] into an MM7 address: an RFC2822Address when s holds an "@",
// a ShortCode when it is 3 to 6 digits, a Number otherwise
// ([mm7.AddressKind], through rel6.AddressOf).
func parseAddress(s string) rel6.Address { return rel6.AddressOf(s) }

// addressString returns the value of an address, whatever its kind.
func addressString(a *rel6.Address) string {
	switch {
	case a == nil:
		return ""
	case a.Number != nil:
		return a.Number.Value
	case a.ShortCode != nil:
		return a.ShortCode.Value
	case a.RFC2822Address != nil:
		return a.RFC2822Address.Value
	}
	return ""
}

// recipientAddresses flattens To, Cc and Bcc into single addresses, in
// this order, each list's numbers, short codes and e-mail addresses in
// this order.
func recipientAddresses(r *rel6.Recipients) []rel6.Address {
	if r == nil {
		return nil
	}
	var out []rel6.Address
	for _, list := range [][]rel6.MultiAddress{r.To, r.Cc, r.Bcc} {
		for _, ma := range list {
			for _, n := range ma.Number {
				out = append(out, rel6.Address{Number: &rel6.Number{Value: n.Value, AddressCoding: n.AddressCoding}})
			}
			for _, sc := range ma.ShortCode {
				out = append(out, rel6.Address{ShortCode: &rel6.ShortCode{Value: sc.Value, AddressCoding: sc.AddressCoding}})
			}
			for _, e := range ma.RFC2822Address {
				out = append(out, rel6.Address{RFC2822Address: &rel6.RFC2822Address{Value: e.Value, AddressCoding: e.AddressCoding}})
			}
		}
	}
	return out
}
