package main

import (
	"strings"
	"unicode"
)

// initialisms are written all-caps in Go names (MessageID, VASPID, URL).
// The hand-written mm7 package uses the same spellings.
var initialisms = map[string]bool{
	"API": true, "CID": true, "DC": true, "DRM": true, "HTTP": true, "ID": true,
	"IP": true, "MM": true, "MM7": true, "MMS": true, "MMSC": true, "RFC2822": true,
	"SMIL": true, "SOAP": true, "SPI": true, "UA": true, "URI": true, "URL": true,
	"VASID": true, "VASPID": true, "XML": true,
}

// words are used to split the all-lower-case runs some MM7 names have
// ("extendedcancelresponseStatusType", "Previouslysentdateandtime") into
// Go words. A run is split only when the dictionary covers all of it.
var words = []string{
	"and", "by", "cancel", "charging", "date", "extended", "previously",
	"replace", "reply", "req", "request", "response", "rsp", "sent", "status", "time",
}

// goName converts an XSD name into an exported Go identifier.
func goName(s string) string {
	out := joinWords(s)
	if out == "" || unicode.IsDigit(rune(out[0])) {
		out = "X" + out
	}
	return out
}

// joinWords turns the words of s into Go's MixedCaps, with initialisms
// upper-cased. The result may start with a digit ("6.8.0" -> 6_8_0): it is
// meant to follow a prefix, as in enum constants (Version6_8_0).
func joinWords(s string) string {
	var b strings.Builder
	prevDigit := false
	for _, w := range splitWords(s) {
		if w == "" {
			continue
		}
		startsDigit := unicode.IsDigit(rune(w[0]))
		if prevDigit && startsDigit {
			b.WriteByte('_') // "6.8.0" -> 6_8_0
		}
		prevDigit = unicode.IsDigit(rune(w[len(w)-1]))
		up := strings.ToUpper(w)
		if initialisms[up] {
			b.WriteString(up)
			continue
		}
		for _, seg := range segment(strings.ToLower(w)) {
			if initialisms[strings.ToUpper(seg)] {
				b.WriteString(strings.ToUpper(seg))
				continue
			}
			if seg == strings.ToLower(w) {
				seg = w // not split: keep the schema's own capitals
			}
			b.WriteString(strings.ToUpper(seg[:1]) + seg[1:])
		}
	}
	return b.String()
}

// goTypeName is goName without the conventional XSD "Type" suffix.
func goTypeName(s string) string {
	if t, ok := strings.CutSuffix(s, "Type"); ok && t != "" {
		s = t
	}
	return goName(s)
}

// splitWords splits on non-alphanumerics and camel-case boundaries, keeping
// upper-case runs (acronyms) and trailing digits together: "MMSRelayServerID"
// -> MMS Relay Server ID, "MM7Version" -> MM7 Version, "image-basic" -> image basic.
func splitWords(s string) []string {
	var out []string
	rs := []rune(s)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			out = append(out, string(rs[start:end]))
		}
		start = -1
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := rs[i-1]
		switch {
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			flush(i) // camelCase boundary
			start = i
		case unicode.IsUpper(r) && unicode.IsDigit(prev) && i >= 2 && unicode.IsLower(rs[i-2]):
			flush(i)
			start = i
		case unicode.IsUpper(r) && i+1 < len(rs) && unicode.IsLower(rs[i+1]) && (unicode.IsUpper(prev) || unicode.IsDigit(prev)):
			flush(i) // end of an acronym: "MMSRelay" -> MMS Relay
			start = i
		case unicode.IsLetter(r) && unicode.IsDigit(prev) && !unicode.IsUpper(r):
			flush(i)
			start = i
		}
	}
	flush(len(rs))
	return out
}

// segment splits a lower-case word into dictionary words when the
// dictionary covers it completely, and returns it whole otherwise.
func segment(w string) []string {
	var best []string
	var try func(rest string, acc []string) bool
	try = func(rest string, acc []string) bool {
		if rest == "" {
			best = append([]string(nil), acc...)
			return true
		}
		for _, d := range words { // several prefixes can match: backtrack
			if strings.HasPrefix(rest, d) && try(rest[len(d):], append(acc, d)) {
				return true
			}
		}
		return false
	}
	if len(w) > 3 && try(w, nil) && len(best) > 1 {
		return best
	}
	return []string{w}
}
