package xsdtypes

import (
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Duration is an xs:duration value such as "P2D" or "-P1Y2M3DT4H5M6.5S".
//
// The components are kept exactly as written, not normalised: "PT90M" has
// Minutes 90, and marshals back as "PT90M". All components must be
// non-negative and Nanoseconds must be below 1e9; the sign of the whole
// duration is Negative. The zero Duration is a valid zero-length duration.
type Duration struct {
	// Negative reports a negative duration (a leading "-").
	Negative bool
	// Years, Months and Days are the calendar components (nY, nM, nD).
	Years, Months, Days int
	// Hours, Minutes and Seconds are the time components (nH, nM, nS).
	Hours, Minutes, Seconds int
	// Nanoseconds is the fractional part of the seconds, 0 to 999999999.
	// Fraction digits beyond nanoseconds are truncated when parsing.
	Nanoseconds int
}

// DurationOf returns d as a Duration broken down into days, hours,
// minutes, seconds and nanoseconds, with days of 24 hours and no years or
// months, for example DurationOf(36*time.Hour) is "P1DT12H".
//
// Note that [Duration.AddTo] adds days as calendar days, so in a location
// with daylight saving time DurationOf(d).AddTo(t) may differ from
// t.Add(d) by the clock change.
func DurationOf(d time.Duration) Duration {
	var r Duration
	u := uint64(d)
	if d < 0 {
		r.Negative = true
		u = -u // also correct for math.MinInt64
	}
	r.Nanoseconds = int(u % 1e9)
	s := u / 1e9
	r.Seconds = int(s % 60)
	r.Minutes = int(s / 60 % 60)
	r.Hours = int(s / 3600 % 24)
	r.Days = int(s / 86400)
	return r
}

// ParseDuration parses an xs:duration lexical value strictly per XSD:
// an optional "-", "P", then the date components nY, nM, nD and, after a
// "T", the time components nH, nM, nS, each at most once and in this
// order. At least one component must be present and "T" must be followed
// by at least one time component. Only the seconds may have a fraction
// ("PT1.5S"), which needs digits on both sides of the point. Leading and
// trailing white space is ignored. Components larger than the int range are
// rejected.
func ParseDuration(s string) (Duration, error) {
	d, msg := parseDuration(trimSpace(s))
	if msg != "" {
		return Duration{}, &ParseError{Type: "xs:duration", Value: s, Msg: msg}
	}
	return d, nil
}

// durationForm is appended to duration parse errors.
const durationForm = " (expected -?PnYnMnDTnHnMnS, e.g. P2D or PT1.5S)"

func parseDuration(s string) (Duration, string) {
	var d Duration
	if len(s) > 0 && s[0] == '-' {
		d.Negative = true
		s = s[1:]
	}
	if len(s) == 0 || s[0] != 'P' {
		return Duration{}, "must start with P or -P" + durationForm
	}
	s = s[1:]
	if s == "" {
		return Duration{}, "no component after P" + durationForm
	}
	date := [...]*int{&d.Years, &d.Months, &d.Days}
	const dateDes = "YMD"
	next := 0
	for s != "" && s[0] != 'T' {
		n, rest, msg := leadingInt(s)
		if msg != "" {
			return Duration{}, msg + durationForm
		}
		if rest == "" {
			return Duration{}, "number " + quote(s) + " has no designator" + durationForm
		}
		if rest[0] == '.' {
			return Duration{}, "only seconds may have a fraction" + durationForm
		}
		k := indexFrom(dateDes, next, rest[0])
		if k < 0 {
			return Duration{}, designatorMsg(rest[0], dateDes, true) + durationForm
		}
		*date[k] = n
		next = k + 1
		s = rest[1:]
	}
	if s != "" { // s[0] == 'T'
		s = s[1:]
		if s == "" {
			return Duration{}, "T must be followed by at least one of H, M or S" + durationForm
		}
		clock := [...]*int{&d.Hours, &d.Minutes, &d.Seconds}
		const timeDes = "HMS"
		next = 0
		for s != "" {
			n, rest, msg := leadingInt(s)
			if msg != "" {
				return Duration{}, msg + durationForm
			}
			frac, hasFrac := 0, false
			if rest != "" && rest[0] == '.' {
				p := scanner{s: rest, i: 1}
				nsec, digits := p.fraction()
				if digits == 0 {
					return Duration{}, "'.' must be followed by digits" + durationForm
				}
				frac, hasFrac, rest = nsec, true, rest[p.i:]
			}
			if rest == "" {
				return Duration{}, "number " + quote(s) + " has no designator" + durationForm
			}
			k := indexFrom(timeDes, next, rest[0])
			if k < 0 {
				return Duration{}, designatorMsg(rest[0], timeDes, false) + durationForm
			}
			if hasFrac && k != 2 {
				return Duration{}, "only seconds may have a fraction" + durationForm
			}
			*clock[k] = n
			d.Nanoseconds = frac
			next = k + 1
			s = rest[1:]
		}
	}
	if d.isZero() {
		d.Negative = false // "-PT0S" is the same value as "PT0S"
	}
	return d, ""
}

// leadingInt parses the non-empty run of digits at the start of s.
func leadingInt(s string) (n int, rest string, msg string) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 {
		return 0, "", "expected a number, found " + quote(s)
	}
	for _, c := range []byte(s[:i]) {
		d := int(c - '0')
		if n > (math.MaxInt-d)/10 {
			return 0, "", "number " + quote(s[:i]) + " is too large (maximum " + strconv.Itoa(math.MaxInt) + ")"
		}
		n = n*10 + d
	}
	return n, s[i:], ""
}

// indexFrom returns the index of c in des at or after from, or -1.
func indexFrom(des string, from int, c byte) int {
	for i := from; i < len(des); i++ {
		if des[i] == c {
			return i
		}
	}
	return -1
}

// designatorMsg explains an unexpected designator c.
func designatorMsg(c byte, des string, datePart bool) string {
	if indexFrom(des, 0, c) >= 0 {
		return "designator " + strconv.QuoteRune(rune(c)) + " repeated or out of order"
	}
	if datePart && (c == 'H' || c == 'S') {
		return "designator " + strconv.QuoteRune(rune(c)) + " must come after T"
	}
	if datePart {
		return "unexpected " + strconv.QuoteRune(rune(c)) + ", expected designator Y, M, D or T"
	}
	return "unexpected " + strconv.QuoteRune(rune(c)) + ", expected designator H, M or S"
}

// isZero reports whether all components of d are zero, ignoring the sign.
func (d Duration) isZero() bool {
	return d.Years == 0 && d.Months == 0 && d.Days == 0 &&
		d.Hours == 0 && d.Minutes == 0 && d.Seconds == 0 && d.Nanoseconds == 0
}

// validate reports an error if d cannot be written as xs:duration.
func (d Duration) validate() error {
	for _, c := range [...]struct {
		name string
		n    int
	}{
		{"Years", d.Years}, {"Months", d.Months}, {"Days", d.Days},
		{"Hours", d.Hours}, {"Minutes", d.Minutes}, {"Seconds", d.Seconds},
	} {
		if c.n < 0 {
			return errors.New("xsdtypes: cannot marshal Duration: " + c.name + " is " +
				strconv.Itoa(c.n) + ", expected a non-negative value (use Negative for the sign)")
		}
	}
	if d.Nanoseconds < 0 || d.Nanoseconds >= 1e9 {
		return errors.New("xsdtypes: cannot marshal Duration: Nanoseconds is " +
			strconv.Itoa(d.Nanoseconds) + ", expected 0-999999999")
	}
	return nil
}

// String returns the lexical form of d: components that are zero are
// omitted, the fractional seconds have no trailing zeros, and a duration
// whose components are all zero is "PT0S" regardless of Negative. For an
// invalid Duration (see MarshalText) it returns the fields in Go syntax
// instead, such as "xsdtypes.Duration{Negative:false, Years:0, ...}".
func (d Duration) String() string {
	if d.validate() != nil {
		return fmt.Sprintf("%#v", d)
	}
	return string(d.appendText(nil))
}

// appendText appends the lexical form of the valid duration d to b.
func (d Duration) appendText(b []byte) []byte {
	if d.isZero() {
		return append(b, "PT0S"...)
	}
	if d.Negative {
		b = append(b, '-')
	}
	b = append(b, 'P')
	b = appendComponent(b, d.Years, 'Y')
	b = appendComponent(b, d.Months, 'M')
	b = appendComponent(b, d.Days, 'D')
	if d.Hours != 0 || d.Minutes != 0 || d.Seconds != 0 || d.Nanoseconds != 0 {
		b = append(b, 'T')
		b = appendComponent(b, d.Hours, 'H')
		b = appendComponent(b, d.Minutes, 'M')
		if d.Seconds != 0 || d.Nanoseconds != 0 {
			b = strconv.AppendInt(b, int64(d.Seconds), 10)
			b = appendFraction(b, d.Nanoseconds)
			b = append(b, 'S')
		}
	}
	return b
}

// appendComponent appends n and the designator des, or nothing if n is 0.
func appendComponent(b []byte, n int, des byte) []byte {
	if n == 0 {
		return b
	}
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, des)
}

// MarshalText implements encoding.TextMarshaler, emitting [Duration.String].
// It returns an error if a component is negative or Nanoseconds is out of
// range.
func (d Duration) MarshalText() ([]byte, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	return d.appendText(nil), nil
}

// UnmarshalText implements encoding.TextUnmarshaler using [ParseDuration].
// On error d is left unchanged. It returns an error, rather than
// panicking, if d is nil, which happens when encoding/xml decodes into a
// nil pointer ",chardata" field.
func (d *Duration) UnmarshalText(text []byte) error {
	return unmarshalInto(d, text, ParseDuration, "*Duration")
}

// MarshalXMLAttr implements encoding/xml.MarshalerAttr. It exists so that a
// nil *Duration attribute field is omitted instead of making encoding/xml
// panic; for a non-nil d it returns the MarshalText form.
func (d *Duration) MarshalXMLAttr(name xml.Name) (xml.Attr, error) {
	return textAttr(d, name)
}

// Std returns d as a time.Duration, counting a day as 24 hours. It reports
// false if d has years or months (whose length depends on the date they
// are added to) or does not fit in a time.Duration.
func (d Duration) Std() (time.Duration, bool) {
	if d.Years != 0 || d.Months != 0 || d.validate() != nil {
		return 0, false
	}
	total := uint64(0)
	for _, c := range [...]struct {
		n    int
		unit uint64
	}{
		{d.Days, uint64(24 * time.Hour)},
		{d.Hours, uint64(time.Hour)},
		{d.Minutes, uint64(time.Minute)},
		{d.Seconds, uint64(time.Second)},
		{d.Nanoseconds, 1},
	} {
		n := uint64(c.n)
		if n != 0 && n > (math.MaxUint64-total)/c.unit {
			return 0, false
		}
		total += n * c.unit
	}
	switch {
	case !d.Negative && total <= math.MaxInt64:
		return time.Duration(total), true
	case d.Negative && total <= 1<<63:
		return time.Duration(-total), true
	}
	return 0, false
}

// AddTo returns t plus d (or minus d if d is Negative), calendar-aware as
// in XSD (Appendix E of XML Schema Part 2):
//
//  1. Years and months are added to the year and month of t; if the day of
//     the month does not exist in the resulting month it is clamped to the
//     month's last day (2024-01-31 plus P1M is 2024-02-29).
//  2. Days are added as calendar days with time.Time.AddDate, keeping the
//     wall-clock time in t's location.
//  3. Hours, minutes, seconds and nanoseconds are added as elapsed time with
//     time.Time.Add.
//
// For values parsed from XML, which have fixed-offset locations, days are
// exactly 24 hours. If the result is outside the range of time.Time, the
// result is unspecified (but AddTo does not panic).
func (d Duration) AddTo(t time.Time) time.Time {
	sign := 1
	if d.Negative {
		sign = -1
	}
	if d.Years != 0 || d.Months != 0 {
		year, month, day := t.Date()
		hour, minute, sec := t.Clock()
		months := int64(month-1) + int64(sign)*(int64(d.Years)*12+int64(d.Months))
		y := int64(year) + floorDiv(months, 12)
		m := time.Month(months-floorDiv(months, 12)*12) + 1
		if y > math.MaxInt32 || y < math.MinInt32 {
			y = clamp(y, math.MinInt32, math.MaxInt32)
		}
		if last := daysIn(m, int(y)); day > last {
			day = last
		}
		t = time.Date(int(y), m, day, hour, minute, sec, t.Nanosecond(), t.Location())
	}
	if d.Days != 0 {
		t = t.AddDate(0, 0, sign*d.Days)
	}
	// Elapsed part in seconds, saturated far beyond the range of time.Time.
	const limit = 1 << 62
	secs := int64(0)
	for _, c := range [...]struct{ n, mult int64 }{
		{int64(d.Hours), 3600},
		{int64(d.Minutes), 60},
		{int64(d.Seconds), 1},
	} {
		if c.n > (limit-secs)/c.mult {
			secs = limit
			break
		}
		secs += c.n * c.mult
	}
	nsec := time.Duration(sign) * time.Duration(d.Nanoseconds)
	if secs <= math.MaxInt64/int64(time.Second) && secs >= math.MinInt64/int64(time.Second) {
		return t.Add(time.Duration(int64(sign)*secs)*time.Second + nsec)
	}
	return time.Unix(t.Unix()+int64(sign)*secs, int64(t.Nanosecond())).In(t.Location()).Add(nsec)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func clamp(v, lo, hi int64) int64 {
	return max(lo, min(v, hi))
}
