package mime

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// ParseMediaType parses a Content-Type (or Content-Disposition) value like
// the standard library's mime.ParseMediaType: the media type and the
// parameter names are lower-cased, parameter values keep their case, and
// RFC 2231 extended parameters (name*=utf-8”..., name*0=...) are decoded.
// params is never nil when err is nil.
//
// Unlike mime.ParseMediaType it accepts what real MMSCs send and reports it
// as deviations instead of failing:
//
//   - capitalised parameter names ("Type=", "Start=", Nokia): [CapitalisedParam]
//   - unquoted values containing "<>@=/ " ("start=<soap@x>"): [UnquotedParam]
//   - a parameter given twice, first wins: [DuplicateParam]
//   - a trailing or doubled ';': [TrailingSemicolon]
//   - spaces around '=': [SpaceAroundEquals]
//   - an empty value ("charset="): [EmptyParamValue]
//   - a missing ';' after a quoted value: [MissingSemicolon]
//   - an unparseable parameter, which is skipped: [MalformedParam]
//
// Whenever mime.ParseMediaType accepts v, ParseMediaType returns the same
// media type and parameters (the fuzz test FuzzParseMediaType checks this).
// It returns an error only for input that has no usable media type (empty,
// not "type/subtype" tokens) or an unterminated quoted string.
func ParseMediaType(v string) (mediaType string, params map[string]string, devs []Deviation, err error) {
	base, _, _ := strings.Cut(v, ";")
	rest := v[len(base):]
	mediaType = strings.ToLower(trimSpace(base))
	if err := checkMediaType(mediaType); err != nil {
		return "", nil, nil, err
	}

	params = make(map[string]string)
	var ext map[string]map[string]string // RFC 2231: base name -> full name -> value
	seen := make(map[string]bool)
	for {
		rest = trimLeftSpace(rest)
		if rest == "" {
			break
		}
		if rest[0] == ';' {
			rest = trimLeftSpace(rest[1:])
			if rest == "" || rest[0] == ';' {
				// QUIRK: RFC 2045 section 5.1 has no empty parameter; stray ';'
				// are common and harmless (mime.ParseMediaType allows a trailing one).
				devs = append(devs, devf(TrailingSemicolon, "stray ';' in media type %q", mediaType))
				continue
			}
		} else {
			// Only reachable after a quoted value: unquoted values and
			// skipped parameters end at ';'.
			// QUIRK: ';' missing between parameters. MissingSemicolon
			devs = append(devs, devf(MissingSemicolon, "no ';' before %q", clip(rest)))
		}

		name, r := consumeToken(rest)
		r2 := trimLeftSpace(r)
		if name == "" || !strings.HasPrefix(r2, "=") {
			// QUIRK: skip an unparseable parameter rather than lose the
			// media type and the other parameters. MalformedParam
			skip, _, found := strings.Cut(rest, ";")
			devs = append(devs, devf(MalformedParam, "cannot parse parameter %q; skipped", clip(skip)))
			if !found {
				break
			}
			rest = rest[len(skip):]
			continue
		}
		r3 := trimLeftSpace(r2[1:])
		if len(r2) != len(r) || len(r3) != len(r2)-1 {
			// QUIRK: "charset = utf-8". SpaceAroundEquals
			devs = append(devs, devf(SpaceAroundEquals, "white space around '=' of parameter %q", name))
		}
		lower := strings.ToLower(name)
		if lower != name {
			// QUIRK: Nokia's "Type=" and "Start=" (names are case-insensitive
			// in RFC 2045, so legal; reported as a fingerprint). CapitalisedParam
			devs = append(devs, devf(CapitalisedParam, "parameter name %q is not lower case", name))
		}

		var value string
		if strings.HasPrefix(r3, `"`) {
			var ok bool
			value, rest, ok = consumeQuoted(r3)
			if !ok {
				return "", nil, nil, fmt.Errorf("mime: media type %q: parameter %q: unterminated quoted string", mediaType, lower)
			}
		} else {
			raw, _, _ := strings.Cut(r3, ";")
			rest = r3[len(raw):]
			value = trimRightSpace(raw)
			switch {
			case value == "":
				// QUIRK: "charset=". EmptyParamValue
				devs = append(devs, devf(EmptyParamValue, "parameter %q has an empty value", lower))
			case !isToken(value):
				// QUIRK: start=<soap@x>, boundary==_Part_1 (RFC 2045 requires
				// a quoted-string here). UnquotedParam
				devs = append(devs, devf(UnquotedParam, "parameter %q has an unquoted value %q that needs quoting", lower, clip(value)))
			}
		}

		if seen[lower] {
			// QUIRK: duplicate parameter; the first wins. DuplicateParam
			devs = append(devs, devf(DuplicateParam, "parameter %q given more than once; the first is used", lower))
			continue
		}
		seen[lower] = true
		if baseName, _, ok := strings.Cut(lower, "*"); ok {
			if ext == nil {
				ext = make(map[string]map[string]string)
			}
			if ext[baseName] == nil {
				ext[baseName] = make(map[string]string)
			}
			ext[baseName][lower] = value
			continue
		}
		params[lower] = value
	}
	stitch2231(params, ext)
	return mediaType, params, devs, nil
}

// checkMediaType accepts token ["/" token], as mime.ParseMediaType does.
func checkMediaType(mt string) error {
	if mt == "" {
		return errors.New("mime: no media type")
	}
	typ, rest := consumeToken(mt)
	if typ == "" {
		return fmt.Errorf("mime: invalid media type %q", clip(mt))
	}
	if rest == "" {
		return nil
	}
	sub, rest := consumeToken(strings.TrimPrefix(rest, "/"))
	if !strings.HasPrefix(mt[len(typ):], "/") || sub == "" || rest != "" {
		return fmt.Errorf("mime: invalid media type %q", clip(mt))
	}
	return nil
}

// stitch2231 decodes RFC 2231 extended and continued parameters the way
// mime.ParseMediaType does: name* (charset'lang'%XX, utf-8 or us-ascii
// only) and name*0, name*1*, ... continuations. Undecodable ones are
// dropped.
func stitch2231(params map[string]string, ext map[string]map[string]string) {
	for key, pieces := range ext {
		if v, ok := pieces[key+"*"]; ok {
			if dec, ok := decode2231(v); ok {
				params[key] = dec
			}
			continue
		}
		var b strings.Builder
		valid := false
		for n := 0; ; n++ {
			simple := key + "*" + strconv.Itoa(n)
			if v, ok := pieces[simple]; ok {
				valid = true
				b.WriteString(v)
				continue
			}
			v, ok := pieces[simple+"*"]
			if !ok {
				break
			}
			valid = true
			if n == 0 {
				if dec, ok := decode2231(v); ok {
					b.WriteString(dec)
				}
			} else {
				dec, _ := percentUnescape(v)
				b.WriteString(dec)
			}
		}
		if valid {
			params[key] = b.String()
		}
	}
}

// decode2231 decodes charset'language'percent-encoded.
func decode2231(v string) (string, bool) {
	charset, v, ok := strings.Cut(v, "'")
	if !ok {
		return "", false
	}
	_, v, ok = strings.Cut(v, "'")
	if !ok {
		return "", false
	}
	switch strings.ToLower(charset) {
	case "us-ascii", "utf-8":
	default:
		return "", false
	}
	return percentUnescape(v)
}

// consumeToken splits v after its leading RFC 2045 token.
func consumeToken(v string) (token, rest string) {
	for i := 0; i < len(v); i++ {
		if !isTokenChar(v[i]) {
			return v[:i], v[i:]
		}
	}
	return v, ""
}

// consumeQuoted parses the quoted-string at the start of v. Like
// mime.ParseMediaType it unescapes a backslash only before a tspecial
// (MSIE sends unescaped Windows paths).
func consumeQuoted(v string) (value, rest string, ok bool) {
	var b strings.Builder
	for i := 1; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '"':
			return b.String(), v[i+1:], true
		case c == '\\' && i+1 < len(v) && isTSpecial(v[i+1]):
			b.WriteByte(v[i+1])
			i++
		default:
			b.WriteByte(c)
		}
	}
	return "", v, false
}

func isToken(s string) bool {
	t, rest := consumeToken(s)
	return t != "" && rest == ""
}

func isTokenChar(c byte) bool {
	return c > 0x20 && c < 0x7f && !isTSpecial(c)
}

func isTSpecial(c byte) bool {
	return strings.IndexByte(`()<>@,;:\"/[]?=`, c) >= 0
}

// trimSpace and friends trim Unicode white space, as mime.ParseMediaType
// does, so the two agree on what they both accept.
func trimSpace(s string) string      { return strings.TrimFunc(s, unicode.IsSpace) }
func trimLeftSpace(s string) string  { return strings.TrimLeftFunc(s, unicode.IsSpace) }
func trimRightSpace(s string) string { return strings.TrimRightFunc(s, unicode.IsSpace) }

// clip shortens s for error and deviation texts.
func clip(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}
