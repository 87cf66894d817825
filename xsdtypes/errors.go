package xsdtypes

import (
	"errors"
	"strconv"
	"unicode/utf8"
)

// maxQuoted is the number of bytes of an offending value that are quoted in
// an error message before it is truncated.
const maxQuoted = 64

// ParseError reports a lexical value that is not valid for an XSD type.
type ParseError struct {
	// Type names the XSD type that was expected, such as "xs:dateTime".
	Type string
	// Value is the input that failed to parse, exactly as given.
	Value string
	// Msg describes what is wrong and what was expected.
	Msg string
}

// Error returns a message of the form
// `xsdtypes: invalid xs:duration "P1X": <what was expected>`.
func (e *ParseError) Error() string {
	return "xsdtypes: invalid " + e.Type + " " + quote(e.Value) + ": " + e.Msg
}

// quote returns s as a Go string literal, truncated to maxQuoted bytes (on a
// UTF-8 boundary where possible) with "..." appended when it was cut.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	cut := maxQuoted
	for i := 0; i < utf8.UTFMax && cut > 0 && !utf8.RuneStart(s[cut]); i++ {
		cut--
	}
	return strconv.Quote(s[:cut]) + "..."
}

// trimSpace removes leading and trailing XML white space (space, tab, CR,
// LF), as the XSD whiteSpace="collapse" facet of xs:dateTime and
// xs:duration requires.
func trimSpace(s string) string {
	start, end := 0, len(s)
	for start < end && isSpace(s[start]) {
		start++
	}
	for end > start && isSpace(s[end-1]) {
		end--
	}
	return s[start:end]
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

func isDigit(c byte) bool {
	return '0' <= c && c <= '9'
}

// errNilReceiver returns the error for decoding into a nil pointer of the
// named type.
func errNilReceiver(typ string) error {
	return errors.New("xsdtypes: cannot unmarshal into a nil " + typ)
}

// errNilText returns the error for UnmarshalText on a nil pointer of the
// named type, which encoding/xml causes for pointer ",chardata" fields.
func errNilText(typ string) error {
	return errors.New("xsdtypes: cannot unmarshal into a nil " + typ +
		" (encoding/xml does not allocate pointer \",chardata\" fields; use a value field)")
}
