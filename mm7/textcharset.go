package mm7

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
)

// ErrUnknownCharset is wrapped by the errors of [DecodeText] and
// [LookupCharset] for a charset label no table knows.
var ErrUnknownCharset = errors.New("unknown charset")

// DevUnknownCharset is reported for a text part whose charset no table
// knows: its bytes are kept as they are, undecoded.
const DevUnknownCharset DeviationCode = "charset-unknown"

// mibCharsets maps the IANA MIBenum numbers that WAP/MMS encoders write
// as charset values ("106") to their names.
var mibCharsets = map[int]string{
	3: "US-ASCII", 4: "ISO-8859-1", 5: "ISO-8859-2", 6: "ISO-8859-3", 7: "ISO-8859-4", 8: "ISO-8859-5",
	9: "ISO-8859-6", 10: "ISO-8859-7", 11: "ISO-8859-8", 12: "ISO-8859-9", 13: "ISO-8859-10",
	17: "Shift_JIS", 18: "EUC-JP", 36: "KS_C_5601-1987", 38: "EUC-KR", 39: "ISO-2022-JP",
	106: "UTF-8", 109: "ISO-8859-13", 111: "ISO-8859-15", 112: "ISO-8859-16", 113: "GBK", 114: "GB18030",
	1013: "UTF-16BE", 1014: "UTF-16LE", 1015: "UTF-16", 2025: "GB2312", 2026: "Big5", 2084: "KOI8-R",
	2250: "windows-1250", 2251: "windows-1251", 2252: "windows-1252", 2253: "windows-1253", 2254: "windows-1254",
	2255: "windows-1255", 2256: "windows-1256", 2257: "windows-1257", 2258: "windows-1258",
}

// LookupCharset returns the encoding a MIME or XML charset label names
// and its canonical name. It knows the IANA character set registry
// (names and aliases, case-insensitive: "Shift_JIS", "csShiftJIS",
// "ks_c_5601-1987", "GB2312", ...), the WHATWG labels browsers accept
// ("x-sjis", "cp1252", "utf8", ...), and MIBenum numbers as WAP encoders
// write them ("106"). UTF-16 without an order ("utf-16", "ucs-2") is
// returned as nil with the name "UTF-16": [DecodeText] works out its byte
// order from the bytes.
func LookupCharset(label string) (encoding.Encoding, string, error) {
	l := strings.ToLower(strings.Trim(label, "\"' \t"))
	if n, err := strconv.Atoi(l); err == nil {
		name, ok := mibCharsets[n]
		if !ok {
			return nil, "", fmt.Errorf("charset %q (MIBenum %d): %w", clip(label), n, ErrUnknownCharset)
		}
		l = strings.ToLower(name)
	}
	switch l {
	case "utf-16", "utf16", "ucs-2", "ucs2", "iso-10646-ucs-2", "unicode", "csunicode":
		return nil, "UTF-16", nil
	case "utf8", "unicode-1-1-utf-8":
		return unicode.UTF8, "UTF-8", nil
	case "ascii", "us-ascii", "ansi_x3.4-1968", "iso646-us", "csascii":
		// US-ASCII is a subset: read it as UTF-8, which is what senders
		// who label 8-bit text "us-ascii" meant most often.
		return unicode.UTF8, "US-ASCII", nil
	case "gb2312", "csgb2312", "euc-cn", "x-euc-cn", "cp936", "ms936", "windows-936":
		// GB2312 text is sent by handsets that write GBK; GB18030
		// decodes both (and is what GB2312 means in practice).
		l = "gb18030"
	case "ks_c_5601-1987", "ks_c_5601", "ksc5601", "ksc_5601", "cp949", "uhc", "windows-949":
		l = "euc-kr"
	}
	for _, idx := range []*ianaindex.Index{ianaindex.MIME, ianaindex.IANA} {
		if e, err := idx.Encoding(l); err == nil && e != nil {
			name, err := idx.Name(e)
			if err != nil {
				name = label
			}
			return e, name, nil
		}
	}
	if e, err := htmlindex.Get(l); err == nil {
		name, err := htmlindex.Name(e)
		if err != nil {
			name = label
		}
		return e, name, nil
	}
	return nil, "", fmt.Errorf("charset %q: %w", clip(label), ErrUnknownCharset)
}

// DecodeText returns text in the given charset as UTF-8, for text parts
// and envelopes alike. An empty charset means UTF-8 when the bytes are
// valid UTF-8 and ISO-8859-1 otherwise (RFC 2046's us-ascii default,
// widened as handsets write). UTF-16 honours a byte order mark, else
// the label's order ("UTF-16LE"), else the order the bytes show (where
// the NULs of ASCII characters fall), else big-endian as RFC 2781 says.
// A byte order mark is dropped.
//
// Bytes a charset does not define become U+FFFD. The error wraps
// [ErrUnknownCharset] when no table knows the label; the bytes are then
// not decoded.
func DecodeText(b []byte, charset string) (string, error) {
	if strings.TrimSpace(charset) == "" {
		if utf8.Valid(b) {
			return string(bytes.TrimPrefix(b, utf8BOM)), nil
		}
		charset = "iso-8859-1"
	}
	e, name, err := LookupCharset(charset)
	if err != nil {
		return "", fmt.Errorf("mm7: decode text: %w", err)
	}
	switch {
	case name == "UTF-16":
		e = utf16For(b)
	case e == unicode.UTF8:
		return strings.ToValidUTF8(string(bytes.TrimPrefix(b, utf8BOM)), "\uFFFD"), nil
	case strings.HasPrefix(strings.ToUpper(name), "UTF-16"):
		// explicit order: a BOM that agrees is dropped; one that
		// disagrees wins, as it describes the bytes.
		if bytes.HasPrefix(b, []byte{0xFE, 0xFF}) || bytes.HasPrefix(b, []byte{0xFF, 0xFE}) {
			e = utf16For(b)
		}
	}
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("mm7: decode text as %s: %w", name, err)
	}
	return string(out), nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// utf16For returns the UTF-16 decoding the bytes call for: their BOM
// (dropped), else the order in which the NULs of ASCII text fall.
func utf16For(b []byte) encoding.Encoding {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	}
	even, odd := 0, 0
	for i := 0; i+1 < len(b) && i < 4096; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	if odd > even {
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	}
	return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
}

// Charset returns the charset parameter of the part's Content-Type, or
// "" when it has none.
func (a *Attachment) Charset() string {
	_, params, err := mime.ParseMediaType(a.ContentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

// IsText reports whether the part is text meant to be read: text/* and
// SMIL. Its bytes stay as sent; [DecodeText] with [Attachment.Charset]
// gives the UTF-8.
func (a *Attachment) IsText() bool {
	mt := a.MediaType()
	return strings.HasPrefix(mt, "text/") || mt == "application/smil"
}

// EncodeText returns UTF-8 text in the given charset, with the label to
// write in the part's Content-Type, for MMSCs that need another charset
// than UTF-8. Characters the charset cannot represent are an error
// naming the first one and its position: nothing is replaced silently.
func EncodeText(text, charset string) ([]byte, string, error) {
	e, name, err := LookupCharset(charset)
	if err != nil {
		return nil, "", fmt.Errorf("mm7: encode text: %w", err)
	}
	if name == "UTF-16" {
		e = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	}
	if e == unicode.UTF8 {
		if name == "US-ASCII" {
			for i, r := range text {
				if r >= 0x80 {
					return nil, "", fmt.Errorf("mm7: encode text as US-ASCII: %q at byte %d is not ASCII", r, i)
				}
			}
		}
		return []byte(text), name, nil
	}
	out, err := e.NewEncoder().Bytes([]byte(text))
	if err != nil {
		// find the first rune the charset lacks
		for i, r := range text {
			if _, rerr := e.NewEncoder().String(string(r)); rerr != nil {
				return nil, "", fmt.Errorf("mm7: encode text as %s: %q at byte %d cannot be written in it", name, r, i)
			}
		}
		return nil, "", fmt.Errorf("mm7: encode text as %s: %w", name, err)
	}
	return out, name, nil
}
