package xsdtypes

import (
	"encoding/xml"
	"errors"
	"time"
)

// DateTimeOrDuration is the MM7 union type relativeOrAbsoluteDateType
// (xs:union memberTypes="xs:dateTime xs:duration"), used by ExpiryDate,
// EarliestDeliveryTime and the replyDeadline attribute of ReplyCharging.
// It holds either an absolute [DateTime] or a [Duration] relative to the
// time the message is processed, such as "P2D".
//
// Construct values with [At], [After] or [AfterDuration], or by
// unmarshalling. The zero value is unset: IsZero reports true, String
// returns "" and MarshalText returns an error. Use a *DateTimeOrDuration
// field with omitempty for optional elements.
//
// As with time.Time, do not compare values with ==, which compares
// *time.Location pointers; reflect.DeepEqual (as used by testify's
// assert.Equal) compares parsed values correctly.
type DateTimeOrDuration struct {
	kind unionKind
	abs  DateTime
	rel  Duration
}

type unionKind uint8

const (
	unset unionKind = iota
	absolute
	relative
)

// At returns an absolute DateTimeOrDuration for the instant t.
func At(t time.Time) DateTimeOrDuration {
	return DateTimeOrDuration{kind: absolute, abs: NewDateTime(t)}
}

// After returns a relative DateTimeOrDuration for the duration d.
func After(d Duration) DateTimeOrDuration {
	return DateTimeOrDuration{kind: relative, rel: d}
}

// AfterDuration returns a relative DateTimeOrDuration for d, broken down
// as by [DurationOf]; for example AfterDuration(48*time.Hour) is "P2D".
func AfterDuration(d time.Duration) DateTimeOrDuration {
	return After(DurationOf(d))
}

// ParseDateTimeOrDuration parses a relativeOrAbsoluteDateType value. A
// value that starts with "P" or "-P" (after white space) is parsed with
// [ParseDuration], anything else with [ParseDateTime], which is lenient
// about timezone syntax.
func ParseDateTimeOrDuration(s string) (DateTimeOrDuration, error) {
	const typ = "xs:dateTime or xs:duration"
	t := trimSpace(s)
	if len(t) > 0 && (t[0] == 'P' || (t[0] == '-' && len(t) > 1 && t[1] == 'P')) {
		d, msg := parseDuration(t)
		if msg != "" {
			return DateTimeOrDuration{}, &ParseError{Type: typ, Value: s,
				Msg: "not a valid xs:duration (the value starts with P): " + msg}
		}
		return After(d), nil
	}
	dt, msg := parseDateTime(t)
	if msg != "" {
		return DateTimeOrDuration{}, &ParseError{Type: typ, Value: s,
			Msg: "not a valid xs:dateTime: " + msg + "; or an xs:duration starting with P or -P, such as P2D"}
	}
	return DateTimeOrDuration{kind: absolute, abs: dt}, nil
}

// IsZero reports whether v is unset.
func (v DateTimeOrDuration) IsZero() bool { return v.kind == unset }

// IsRelative reports whether v holds a Duration.
func (v DateTimeOrDuration) IsRelative() bool { return v.kind == relative }

// DateTime returns the absolute time and true if v holds one.
func (v DateTimeOrDuration) DateTime() (DateTime, bool) {
	return v.abs, v.kind == absolute
}

// Duration returns the relative duration and true if v holds one.
func (v DateTimeOrDuration) Duration() (Duration, bool) {
	return v.rel, v.kind == relative
}

// Resolve returns the absolute time v denotes: the held time if v is
// absolute, or now plus the duration (see [Duration.AddTo]) if v is
// relative. An absolute value without timezone ([DateTime.NoZone]) is
// returned as its wall clock in UTC. For an unset v it returns the zero
// time.Time.
func (v DateTimeOrDuration) Resolve(now time.Time) time.Time {
	switch v.kind {
	case absolute:
		return v.abs.Time
	case relative:
		return v.rel.AddTo(now)
	}
	return time.Time{}
}

// String returns the lexical form of v, or "" if v is unset.
func (v DateTimeOrDuration) String() string {
	switch v.kind {
	case absolute:
		return v.abs.String()
	case relative:
		return v.rel.String()
	}
	return ""
}

// MarshalText implements encoding.TextMarshaler. It returns an error if v
// is unset or the held value cannot be marshalled.
func (v DateTimeOrDuration) MarshalText() ([]byte, error) {
	switch v.kind {
	case absolute:
		return v.abs.MarshalText()
	case relative:
		return v.rel.MarshalText()
	}
	return nil, errors.New("xsdtypes: cannot marshal DateTimeOrDuration: value is unset (neither a dateTime nor a duration); use At or After, or a pointer with omitempty for optional values")
}

// UnmarshalText implements encoding.TextUnmarshaler using
// [ParseDateTimeOrDuration]. On error v is left unchanged.
func (v *DateTimeOrDuration) UnmarshalText(text []byte) error {
	return unmarshalInto(v, text, ParseDateTimeOrDuration, "*DateTimeOrDuration")
}

// MarshalXMLAttr implements encoding/xml.MarshalerAttr. It exists so that a
// nil *DateTimeOrDuration attribute field is omitted instead of making
// encoding/xml panic; for a non-nil v it returns the MarshalText form.
func (v *DateTimeOrDuration) MarshalXMLAttr(name xml.Name) (xml.Attr, error) {
	return textAttr(v, name)
}
