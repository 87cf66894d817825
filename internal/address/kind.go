// Package address holds the one rule that classifies a user-supplied
// address string into an MM7 addressType element. Package mm7 exports it
// as mm7.AddressKind; the generated rel5 and rel6 address helpers
// (rel6.To, rel6.From, ...) use it too, so the CLI, mm7test and the
// bindings agree.
package address

import "strings"

// The address elements of TS 23.140's addressType.
const (
	RFC2822   = "RFC2822Address"
	ShortCode = "ShortCode"
	Number    = "Number"
)

// Kind returns RFC2822 when s contains "@", ShortCode when it is 3 to 6
// digits (US common short codes have 5 or 6; shorter ones exist
// elsewhere), Number otherwise, with or without "+". White space around s
// is ignored.
func Kind(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case strings.Contains(s, "@"):
		return RFC2822
	case len(s) >= 3 && len(s) <= 6 && strings.Trim(s, "0123456789") == "":
		return ShortCode
	}
	return Number
}
