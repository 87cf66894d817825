package mm7

import (
	"strings"

	"github.com/openmms/mm7go/internal/address"
)

// NormalizeAddress returns an MM7 address value in the form most
// applications compare and store: white space trimmed, a "/TYPE=PLMN"
// (or any "/TYPE=...") suffix removed (Nokia MMSCs add it to Number), and
// for phone numbers the visual separators " -.()" dropped. A leading "+"
// is kept: whether a peer wants international numbers with or without it
// is the peer's choice. E-mail addresses (with an "@") only lose the
// suffix and surrounding space.
//
// Decoding keeps addresses exactly as sent; call this where you compare.
func NormalizeAddress(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(strings.ToUpper(s), "/TYPE="); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if strings.Contains(s, "@") {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '(', ')', '\t':
			return -1
		}
		return r
	}, s)
}

// The address elements of TS 23.140's addressType.
const (
	AddressRFC2822   = address.RFC2822
	AddressShortCode = address.ShortCode
	AddressNumber    = address.Number
)

// AddressKind tells which addressType element a user-supplied address
// belongs in: [AddressRFC2822] when it contains "@", [AddressShortCode]
// when it is 3 to 6 digits (US common short codes have 5 or 6; shorter
// ones exist elsewhere), [AddressNumber] otherwise, with or without "+".
// The command-line tool, package mm7test and the generated address
// helpers (rel6.To, rel6.From, rel6.AddressOf, ...) all use this rule.
func AddressKind(s string) string { return address.Kind(s) }
