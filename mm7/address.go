package mm7

import "strings"

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
