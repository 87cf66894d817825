package mm7

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

var xmlDeclEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']`)

// toUTF8 returns the envelope as UTF-8, whatever the XML declaration and
// the MIME charset say, and records where they disagree with the bytes.
// Vibes declares encoding="utf-16" on UTF-8 bytes; real UTF-16 (with a
// byte order mark, or NUL bytes) is transcoded; ISO-8859-1 too.
func toUTF8(b []byte, mimeCharset string, devs *deviations) ([]byte, error) {
	declared := ""
	if m := xmlDeclEncoding.FindSubmatch(b[:min(len(b), 256)]); m != nil {
		declared = strings.ToLower(string(m[1]))
	}
	mimeCharset = strings.ToLower(strings.Trim(mimeCharset, `" `))

	// Real UTF-16 first: BOM or NULs in the first bytes.
	if bytes.HasPrefix(b, []byte{0xFE, 0xFF}) || bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || (len(b) > 1 && (b[0] == 0 || b[1] == 0)) {
		out, err := fromUTF16(b)
		if err != nil {
			return nil, err
		}
		if m := xmlDeclEncoding.FindSubmatch(out[:min(len(out), 256)]); m != nil {
			declared = strings.ToLower(string(m[1]))
		}
		for _, l := range []string{declared, mimeCharset} {
			if l != "" && !utf16Labels[l] {
				// QUIRK: UTF-16 bytes labelled as another encoding; the
				// bytes win, as XML 1.0 appendix F's autodetection does.
				// DevCharsetMismatch
				if err := devs.add(DevCharsetMismatch, "encoding %q declared on UTF-16 bytes; read as UTF-16", clip(l)); err != nil {
					return nil, err
				}
			}
		}
		return out, nil
	}
	b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF}) // UTF-8 BOM

	labels := []string{declared, mimeCharset}
	for _, l := range labels {
		switch l {
		case "", "utf-8", "utf8", "us-ascii", "ascii":
			continue
		case "utf-16", "utf-16le", "utf-16be", "ucs-2", "unicode":
			// QUIRK: Vibes declares encoding="utf-16" on UTF-8 bytes
			// (mm7-facts 10.6); the bytes are not UTF-16 (checked above):
			// trust the bytes. DevCharsetMismatch
			if err := devs.add(DevCharsetMismatch, "encoding %q declared on bytes that are not UTF-16; read as UTF-8", l); err != nil {
				return nil, err
			}
		case "iso-8859-1", "latin1", "iso_8859-1", "l1", "windows-1252", "cp1252":
			if utf8.Valid(b) {
				if err := devs.add(DevCharsetMismatch, "encoding %q declared on valid UTF-8 bytes; read as UTF-8", l); err != nil {
					return nil, err
				}
				continue
			}
			s, err := DecodeText(b, l)
			if err != nil {
				return nil, fmt.Errorf("mm7: decode: envelope: %w", err)
			}
			return []byte(s), nil
		default:
			_, _, lerr := LookupCharset(l)
			if lerr == nil && isASCII(b) {
				continue // an ASCII-compatible charset on ASCII bytes reads the same
			}
			if utf8.Valid(b) {
				what := "unsupported encoding"
				if lerr == nil {
					what = "encoding"
				}
				if err := devs.add(DevCharsetMismatch, "%s %q declared on valid UTF-8 bytes; read as UTF-8", what, clip(l)); err != nil {
					return nil, err
				}
				continue
			}
			if lerr != nil {
				return nil, fmt.Errorf("mm7: decode: unsupported character encoding %q", clip(l))
			}
			s, err := DecodeText(b, l)
			if err != nil {
				return nil, fmt.Errorf("mm7: decode: envelope: %w", err)
			}
			return []byte(s), nil
		}
	}
	if !utf8.Valid(b) {
		return nil, fmt.Errorf("mm7: decode: envelope is not valid UTF-8 (declared %q, MIME charset %q)", declared, mimeCharset)
	}
	return b, nil
}

// utf16Labels are the encoding labels that name UTF-16.
var utf16Labels = map[string]bool{"utf-16": true, "utf-16le": true, "utf-16be": true, "ucs-2": true, "unicode": true}

func fromUTF16(b []byte) ([]byte, error) {
	var order binary.ByteOrder = binary.BigEndian
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		order, b = binary.LittleEndian, b[2:]
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		b = b[2:]
	case len(b) > 1 && b[1] == 0:
		order = binary.LittleEndian
	}
	if len(b)%2 != 0 {
		return nil, fmt.Errorf("mm7: decode: UTF-16 envelope has an odd number of bytes")
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = order.Uint16(b[2*i:])
	}
	return []byte(string(utf16.Decode(u))), nil
}

// passCharset is an xml.Decoder CharsetReader for input toUTF8 already
// converted: whatever the declaration says, the bytes are UTF-8.
func passCharset(_ string, r io.Reader) (io.Reader, error) { return r, nil }

// isASCII reports whether b holds only 7-bit bytes.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
