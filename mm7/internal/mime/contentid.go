package mime

import "strings"

// NormalizeContentID returns the bare id in a Content-ID header value or a
// multipart/related start parameter: RFC 2392 says "<id>"; the result is
// "id", with surrounding white space removed and the case kept. Use it as
// the key under which a part is found.
//
// It accepts, and reports as deviations the caller should record:
//
//   - no angle brackets, or only one ("img1", Vibes and Java MMSCs): [ContentIDNoBrackets]
//   - white space inside the brackets ("< img1 >"): [ContentIDWhitespace]
//   - a cid: URL instead of a msg-id ("<cid:img1>"): [ContentIDCIDPrefix]
//
// The id is not URL-unescaped: '%' has no special meaning in a header.
// An empty or blank s gives "" without deviations; whether a part needs a
// Content-ID is the caller's decision.
func NormalizeContentID(s string) (id string, devs []Deviation) {
	id = trimASCIISpace(s)
	if id == "" {
		return "", nil
	}
	open, closing := strings.HasPrefix(id, "<"), strings.HasSuffix(id, ">")
	if !open || !closing {
		// QUIRK: Content-ID without <> (Vibes, Java MMSCs; mm7-facts 11.1). ContentIDNoBrackets
		devs = append(devs, devf(ContentIDNoBrackets, "Content-ID %q is not enclosed in <>", clip(id)))
	}
	if open {
		id = id[1:]
	}
	if closing && id != "" {
		id = id[:len(id)-1]
	}
	if t := trimASCIISpace(id); t != id {
		// QUIRK: "< img1 >". ContentIDWhitespace
		devs = append(devs, devf(ContentIDWhitespace, "Content-ID %q has white space inside <>", clip(s)))
		id = t
	}
	if rest, ok := cutCID(id); ok {
		// QUIRK: a cid: URL in the header. ContentIDCIDPrefix
		devs = append(devs, devf(ContentIDCIDPrefix, "Content-ID %q holds a cid: URL", clip(id)))
		id = trimASCIISpace(rest)
	}
	return id, devs
}

// ContentIDFromHref returns the Content-ID that an RFC 2392 cid: URL, such
// as the href of an MM7 Content element, refers to: "cid:img1%40x" gives
// "img1@x". The scheme is matched case-insensitively (RFC 3986), the rest
// is URL-unescaped, and the case of the id is kept.
//
// It accepts, and reports as deviations the caller should record:
//
//   - white space after "cid:" ("cid: content_15", Java MMSCs): [HrefCIDSpace]
//   - angle brackets ("cid:<img1>"): [HrefBrackets]
//   - a '%' not followed by two hex digits; the id is kept escaped: [HrefBadEscape]
//   - no cid: scheme at all: [HrefNotCID]. The trimmed href is returned
//     as it is; it may name a part's Content-Location instead.
//
// An empty or blank href gives "" without deviations.
func ContentIDFromHref(href string) (id string, devs []Deviation) {
	id = trimASCIISpace(href)
	if id == "" {
		return "", nil
	}
	rest, ok := cutCID(id)
	if !ok {
		// QUIRK: href without cid: (relative URL or Content-Location). HrefNotCID
		return id, []Deviation{devf(HrefNotCID, "href %q is not a cid: URL", clip(id))}
	}
	if t := trimASCIISpace(rest); t != rest {
		// QUIRK: "cid: content_15" (Java MMSC; mm7-facts 11.2). HrefCIDSpace
		devs = append(devs, devf(HrefCIDSpace, "href %q has white space after cid:", clip(id)))
		rest = t
	}
	if strings.HasPrefix(rest, "<") && strings.HasSuffix(rest, ">") && len(rest) >= 2 {
		// QUIRK: "cid:<img1>". HrefBrackets
		devs = append(devs, devf(HrefBrackets, "href %q has <> around the Content-ID", clip(id)))
		rest = trimASCIISpace(rest[1 : len(rest)-1])
	}
	un, ok := percentUnescape(rest)
	if !ok {
		// QUIRK: a stray '%'; keep the id as written. HrefBadEscape
		devs = append(devs, devf(HrefBadEscape, "href %q has an invalid %%-escape; used unescaped", clip(id)))
		un = rest
	}
	return un, devs
}

// SameContentID reports whether a and b, two ids as returned by
// [NormalizeContentID] or [ContentIDFromHref], name the same part. RFC 2392
// compares ids exactly; when they differ, SameContentID falls back to a
// case-insensitive comparison of the two after URL-unescaping each (for
// senders that escape '@' in the header or change case), and then reports
// lenient = true: the caller should record [ContentIDLooseMatch].
//
// Match exactly first across all parts, and use the loose match only when
// no part matched exactly, so that ids differing only in case stay
// distinct. Empty ids never match.
func SameContentID(a, b string) (same, lenient bool) {
	if a == "" || b == "" {
		return false, false
	}
	if a == b {
		return true, false
	}
	ua, ok := percentUnescape(a)
	if !ok {
		ua = a
	}
	ub, ok := percentUnescape(b)
	if !ok {
		ub = b
	}
	if strings.EqualFold(a, b) || strings.EqualFold(ua, ub) || strings.EqualFold(ua, b) || strings.EqualFold(a, ub) {
		return true, true
	}
	return false, false
}

// cutCID removes a leading "cid:" in any case.
func cutCID(s string) (string, bool) {
	if len(s) >= 4 && strings.EqualFold(s[:4], "cid:") {
		return s[4:], true
	}
	return s, false
}

// percentUnescape decodes %XX escapes (RFC 3986; '+' stays '+'). It returns
// "" and false if a '%' is not followed by two hex digits.
func percentUnescape(s string) (string, bool) {
	n := strings.Count(s, "%")
	if n == 0 {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b = append(b, s[i])
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return "", false
		}
		b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
		i += 2
	}
	return string(b), true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// trimASCIISpace removes spaces, tabs, CR and LF from both ends.
func trimASCIISpace(s string) string {
	return strings.Trim(s, " \t\r\n")
}
