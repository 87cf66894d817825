package xsdtypes

import (
	"encoding/xml"
	"errors"
	"strconv"
	"time"
)

// DateTime is an xs:dateTime value.
//
// Time holds the instant. When the lexical value carried a timezone (or
// offset), Time is in UTC for "Z" and "±00:00", and in an unnamed fixed
// zone (time.FixedZone("", offset)) otherwise, so the original offset is
// preserved when the value is marshalled again.
//
// xs:dateTime also allows values without a timezone ("2024-01-02T03:04:05"),
// which denote a wall-clock time whose offset is unknown. Such values are
// kept distinguishable: NoZone is true and Time holds the wall-clock fields
// in UTC. Marshalling a DateTime with NoZone set emits the wall clock of
// Time in its own location without any timezone designator. Callers that
// need an instant must decide what an unzoned value means; treating it as
// UTC, as Time does, is only one option.
//
// The zero DateTime (Time.IsZero reports true) means "unset": MarshalText
// returns an error for it instead of emitting 0001-01-01T00:00:00Z. Use a
// *DateTime field with omitempty for optional values.
//
// Time is a named field rather than an embedded one so that the methods of
// time.Time (MarshalJSON, GobEncode, String, ...) are not promoted onto
// DateTime, where they would silently ignore NoZone.
type DateTime struct {
	// Time is the date and time. See the type documentation for the
	// location it is in after parsing.
	Time time.Time
	// NoZone reports that the value has no timezone. See the type
	// documentation.
	NoZone bool
}

// NewDateTime returns a DateTime holding t with its timezone (NoZone
// false). The monotonic clock reading of t, if any, is stripped: it has no
// meaning in XML and would make otherwise equal values differ under
// reflect.DeepEqual.
func NewDateTime(t time.Time) DateTime {
	return DateTime{Time: t.Round(0)}
}

// ParseDateTime parses an xs:dateTime lexical value. It is lenient in ways
// that real MM7 peers need:
//
//   - leading and trailing white space is ignored;
//   - the fractional seconds may have any number of digits (digits beyond
//     nanoseconds are truncated);
//   - the timezone may be "Z" (or "z"), "±hh:mm", "±hhmm" (as produced by
//     the Java pattern yyyy-MM-dd'T'HH:mm:ssZ), "±hh", or absent
//     (see [DateTime.NoZone]);
//   - the date/time separator may be "T" or "t".
//
// It accepts years 0001 to 9999 only, hour 24 only as 24:00:00 (meaning the
// start of the next day), and offsets from -14:00 to +14:00.
func ParseDateTime(s string) (DateTime, error) {
	d, msg := parseDateTime(trimSpace(s))
	if msg != "" {
		return DateTime{}, &ParseError{Type: "xs:dateTime", Value: s, Msg: msg}
	}
	return d, nil
}

// parseDateTime parses the trimmed string s. It returns a non-empty message
// describing the problem on failure.
func parseDateTime(s string) (DateTime, string) {
	const expected = "expected yyyy-mm-ddThh:mm:ss[.fff][Z|±hh:mm|±hhmm|±hh]"
	if s == "" {
		return DateTime{}, "empty value, " + expected
	}
	p := scanner{s: s}
	year, ok := p.fixed(4)
	if !ok || (p.i < len(s) && isDigit(s[p.i])) {
		return DateTime{}, "year must have exactly four digits (0001-9999), " + expected
	}
	if year == 0 {
		return DateTime{}, "year 0000 is not allowed (expected 0001-9999)"
	}
	if !p.lit('-') {
		return DateTime{}, "missing '-' after the year, " + expected
	}
	month, ok := p.fixed(2)
	if !ok || !p.lit('-') {
		return DateTime{}, "month must be two digits followed by '-', " + expected
	}
	if month < 1 || month > 12 {
		return DateTime{}, "month " + strconv.Itoa(month) + " out of range (expected 01-12)"
	}
	day, ok := p.fixed(2)
	if !ok {
		return DateTime{}, "day must be two digits, " + expected
	}
	if day < 1 || day > daysIn(time.Month(month), year) {
		return DateTime{}, "day " + strconv.Itoa(day) + " out of range for " +
			time.Month(month).String() + " " + strconv.Itoa(year)
	}
	if !p.lit('T') && !p.lit('t') {
		return DateTime{}, "missing 'T' between date and time, " + expected
	}
	hour, ok1 := p.fixed(2)
	ok2 := p.lit(':')
	minute, ok3 := p.fixed(2)
	ok4 := p.lit(':')
	sec, ok5 := p.fixed(2)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return DateTime{}, "time must be hh:mm:ss, " + expected
	}
	nsec := 0
	if p.lit('.') {
		n, digits := p.fraction()
		if digits == 0 {
			return DateTime{}, "'.' must be followed by fractional second digits, " + expected
		}
		nsec = n
	}
	switch {
	case hour == 24:
		if minute != 0 || sec != 0 || nsec != 0 {
			return DateTime{}, "hour 24 is only allowed as 24:00:00 (expected hour 00-23)"
		}
	case hour > 23:
		return DateTime{}, "hour " + strconv.Itoa(hour) + " out of range (expected 00-23)"
	}
	if minute > 59 {
		return DateTime{}, "minute " + strconv.Itoa(minute) + " out of range (expected 00-59)"
	}
	if sec > 59 {
		return DateTime{}, "second " + strconv.Itoa(sec) + " out of range (expected 00-59)"
	}

	var (
		loc    = time.UTC
		noZone bool
	)
	switch {
	case p.i == len(s):
		noZone = true
	case p.lit('Z') || p.lit('z'):
	case s[p.i] == '+' || s[p.i] == '-':
		neg := s[p.i] == '-'
		p.i++
		oh, ok := p.fixed(2)
		if !ok {
			return DateTime{}, "timezone offset must be ±hh:mm, ±hhmm or ±hh"
		}
		om := 0
		if p.i < len(s) {
			p.lit(':') // optional: "+05:30" and "+0530" are both accepted
			if om, ok = p.fixed(2); !ok {
				return DateTime{}, "timezone offset must be ±hh:mm, ±hhmm or ±hh"
			}
		}
		if om > 59 || oh > 14 || (oh == 14 && om != 0) {
			return DateTime{}, "timezone offset out of range (expected -14:00 to +14:00)"
		}
		off := (oh*60 + om) * 60
		if neg {
			off = -off
		}
		if off != 0 {
			loc = time.FixedZone("", off)
		}
	default:
		return DateTime{}, "unexpected " + quote(s[p.i:]) + " after the time, " + expected
	}
	if p.i != len(s) {
		return DateTime{}, "unexpected " + quote(s[p.i:]) + " after the timezone, " + expected
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc)
	if t.Year() > 9999 {
		return DateTime{}, "24:00:00 on the last day of 9999 is beyond the year range 0001-9999"
	}
	return DateTime{Time: t, NoZone: noZone}, ""
}

// IsZero reports whether d is the zero DateTime, that is unset.
func (d DateTime) IsZero() bool {
	return d.Time.IsZero()
}

// String returns the xs:dateTime lexical form of d, as MarshalText would,
// except that it never fails: the zero value gives
// "0001-01-01T00:00:00Z" and values outside years 0001-9999 are formatted
// with time.Time.String.
func (d DateTime) String() string {
	if b, err := d.appendText(nil); err == nil {
		return string(b)
	}
	return d.Time.String()
}

// MarshalText implements encoding.TextMarshaler. It emits xs:dateTime
// text, which is also RFC 3339 unless NoZone is set: "Z" for UTC, "±hh:mm"
// for other offsets, no timezone when NoZone is set, and fractional seconds
// only when they are non-zero (without trailing zeros).
//
// Offsets that are not whole minutes or lie outside ±14:00 (such as some
// historical local mean times) cannot be written in xs:dateTime; those
// times are emitted in UTC instead. It returns an error if d is unset (the
// zero value) or the year is outside 0001-9999.
func (d DateTime) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return nil, errors.New("xsdtypes: cannot marshal DateTime: value is unset (zero time); use a *DateTime with omitempty for optional values")
	}
	return d.appendText(nil)
}

// UnmarshalText implements encoding.TextUnmarshaler using [ParseDateTime].
// On error d is left unchanged. It returns an error, rather than
// panicking, if d is nil, which happens when encoding/xml decodes into a
// nil pointer ",chardata" field.
func (d *DateTime) UnmarshalText(text []byte) error {
	return unmarshalInto(d, text, ParseDateTime, "*DateTime")
}

// MarshalXMLAttr implements encoding/xml.MarshalerAttr. It exists so that a
// nil *DateTime attribute field is omitted instead of making encoding/xml
// panic; for a non-nil d it returns the MarshalText form.
func (d *DateTime) MarshalXMLAttr(name xml.Name) (xml.Attr, error) {
	return textAttr(d, name)
}

// appendText appends the lexical form of d to b without the unset check.
func (d DateTime) appendText(b []byte) ([]byte, error) {
	t := d.Time
	off := 0
	if !d.NoZone {
		_, off = t.Zone()
		if off%60 != 0 || off > 14*3600 || off < -14*3600 {
			t, off = t.UTC(), 0
		}
	}
	year, month, day := t.Date()
	if year < 1 || year > 9999 {
		return nil, errors.New("xsdtypes: cannot marshal DateTime " + quote(t.String()) +
			": year " + strconv.Itoa(year) + " is outside 0001-9999")
	}
	hour, minute, sec := t.Clock()
	b = appendInt(b, year, 4)
	b = append(b, '-')
	b = appendInt(b, int(month), 2)
	b = append(b, '-')
	b = appendInt(b, day, 2)
	b = append(b, 'T')
	b = appendInt(b, hour, 2)
	b = append(b, ':')
	b = appendInt(b, minute, 2)
	b = append(b, ':')
	b = appendInt(b, sec, 2)
	b = appendFraction(b, t.Nanosecond())
	switch {
	case d.NoZone:
	case off == 0:
		b = append(b, 'Z')
	default:
		if off < 0 {
			b = append(b, '-')
			off = -off
		} else {
			b = append(b, '+')
		}
		b = appendInt(b, off/3600, 2)
		b = append(b, ':')
		b = appendInt(b, off/60%60, 2)
	}
	return b, nil
}

// appendInt appends the decimal form of the non-negative n, zero-padded to
// at least width digits.
func appendInt(b []byte, n, width int) []byte {
	var buf [20]byte
	s := strconv.AppendUint(buf[:0], uint64(n), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// appendFraction appends "." and the fractional seconds for nsec
// nanoseconds without trailing zeros, or nothing if nsec is zero.
func appendFraction(b []byte, nsec int) []byte {
	if nsec == 0 {
		return b
	}
	var buf [9]byte
	for i := 8; i >= 0; i-- {
		buf[i] = byte('0' + nsec%10)
		nsec /= 10
	}
	n := 9
	for n > 0 && buf[n-1] == '0' {
		n--
	}
	b = append(b, '.')
	return append(b, buf[:n]...)
}

// daysIn returns the number of days in month m of year y (proleptic
// Gregorian calendar).
func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// scanner is a minimal cursor over a lexical value.
type scanner struct {
	s string
	i int
}

// lit consumes c if it is the next byte.
func (p *scanner) lit(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// fixed consumes exactly n decimal digits and returns their value.
func (p *scanner) fixed(n int) (int, bool) {
	if len(p.s)-p.i < n {
		return 0, false
	}
	v := 0
	for _, c := range []byte(p.s[p.i : p.i+n]) {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	p.i += n
	return v, true
}

// fraction consumes a run of digits after a decimal point and returns them
// as nanoseconds (digits beyond the ninth are truncated) and the number of
// digits consumed.
func (p *scanner) fraction() (nsec, digits int) {
	scale := 100000000
	for p.i < len(p.s) && isDigit(p.s[p.i]) {
		nsec += int(p.s[p.i]-'0') * scale
		scale /= 10
		p.i++
		digits++
	}
	return nsec, digits
}
