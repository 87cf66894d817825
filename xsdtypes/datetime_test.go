package xsdtypes

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	est  = time.FixedZone("", -5*3600)
	ist  = time.FixedZone("", 5*3600+30*60)
	nfld = time.FixedZone("", -(3*3600 + 30*60))
)

func TestParseDateTime(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  DateTime
		canon string // MarshalText of the parsed value
	}{
		{"utc", "2024-01-02T03:04:05Z",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}, "2024-01-02T03:04:05Z"},
		{"fraction", "2024-01-02T03:04:05.123Z",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 123000000, time.UTC)}, "2024-01-02T03:04:05.123Z"},
		{"nanoseconds", "2024-01-02T03:04:05.000000001Z",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 1, time.UTC)}, "2024-01-02T03:04:05.000000001Z"},
		{"fraction beyond nanoseconds is truncated", "2024-01-02T03:04:05.1234567899Z",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 123456789, time.UTC)}, "2024-01-02T03:04:05.123456789Z"},
		{"zero fraction", "2024-01-02T03:04:05.000Z",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}, "2024-01-02T03:04:05Z"},
		{"colon offset", "2024-01-02T03:04:05-05:00",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, est)}, "2024-01-02T03:04:05-05:00"},
		{"java offset without colon", "2024-01-02T03:04:05-0500",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, est)}, "2024-01-02T03:04:05-05:00"},
		{"hour-only offset", "2024-01-02T03:04:05-05",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, est)}, "2024-01-02T03:04:05-05:00"},
		{"half-hour offset", "2024-01-02T03:04:05+05:30",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, ist)}, "2024-01-02T03:04:05+05:30"},
		{"negative half-hour offset without colon", "2024-01-02T03:04:05.5-0330",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 5e8, nfld)}, "2024-01-02T03:04:05.5-03:30"},
		{"+00:00 is UTC", "2024-01-02T03:04:05+00:00",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}, "2024-01-02T03:04:05Z"},
		{"-00:00 is UTC", "2024-01-02T03:04:05-00:00",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}, "2024-01-02T03:04:05Z"},
		{"max offset", "2024-01-02T03:04:05+14:00",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("", 14*3600))}, "2024-01-02T03:04:05+14:00"},
		{"min offset", "2024-01-02T03:04:05-14:00",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("", -14*3600))}, "2024-01-02T03:04:05-14:00"},
		{"no zone", "2024-01-02T03:04:05",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), NoZone: true}, "2024-01-02T03:04:05"},
		{"no zone with fraction", "2024-01-02T03:04:05.25",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 25e7, time.UTC), NoZone: true}, "2024-01-02T03:04:05.25"},
		{"surrounding white space", "  2024-01-02T03:04:05Z \n",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}, "2024-01-02T03:04:05Z"},
		{"lower-case t and z", "2024-01-02t03:04:05z",
			DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}, "2024-01-02T03:04:05Z"},
		{"24:00:00 is the next day", "2024-12-31T24:00:00Z",
			DateTime{Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}, "2025-01-01T00:00:00Z"},
		{"leap day", "2024-02-29T00:00:00Z",
			DateTime{Time: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)}, "2024-02-29T00:00:00Z"},
		{"leap day in 2000", "2000-02-29T00:00:00Z",
			DateTime{Time: time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC)}, "2000-02-29T00:00:00Z"},
		{"first year", "0001-01-02T00:00:00Z",
			DateTime{Time: time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC)}, "0001-01-02T00:00:00Z"},
		{"last year", "9999-12-31T23:59:59.999999999+14:00",
			DateTime{Time: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("", 14*3600))}, "9999-12-31T23:59:59.999999999+14:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDateTime(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.True(t, tt.want.Time.Equal(got.Time))
			text, err := got.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.canon, string(text))
			assert.Equal(t, tt.canon, got.String())

			var u DateTime
			require.NoError(t, u.UnmarshalText([]byte(tt.in)))
			assert.Equal(t, got, u)
		})
	}
}

func TestParseDateTimeErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // substring of the error message after the quoted value
	}{
		{"empty", "", "empty value"},
		{"only white space", " \n", "empty value"},
		{"date only", "2024-01-02", "missing 'T'"},
		{"slashes", "2024/01/02T03:04:05Z", "missing '-' after the year"},
		{"one-digit day", "2024-01-2T03:04:05Z", "day must be two digits"},
		{"two-digit year", "24-01-02T03:04:05Z", "four digits"},
		{"five-digit year", "20245-01-02T03:04:05Z", "four digits"},
		{"negative year", "-2024-01-02T03:04:05Z", "four digits"},
		{"year zero", "0000-01-02T03:04:05Z", "year 0000"},
		{"month 13", "2024-13-02T03:04:05Z", "month 13 out of range (expected 01-12)"},
		{"month 0", "2024-00-02T03:04:05Z", "month 0 out of range"},
		{"one-digit month", "2024-1-02T03:04:05Z", "month must be two digits"},
		{"day 0", "2024-01-00T03:04:05Z", "day 0 out of range"},
		{"February 30", "2024-02-30T03:04:05Z", "day 30 out of range for February 2024"},
		{"February 29 of a common year", "2023-02-29T03:04:05Z", "day 29 out of range for February 2023"},
		{"February 29 1900", "1900-02-29T03:04:05Z", "day 29 out of range"},
		{"April 31", "2024-04-31T03:04:05Z", "day 31 out of range"},
		{"space separator", "2024-01-02 03:04:05Z", "missing 'T'"},
		{"hour 25", "2024-01-02T25:04:05Z", "hour 25 out of range"},
		{"24:00:01", "2024-01-02T24:00:01Z", "hour 24 is only allowed as 24:00:00"},
		{"24:00:00.5", "2024-01-02T24:00:00.5Z", "hour 24 is only allowed"},
		{"minute 60", "2024-01-02T03:60:05Z", "minute 60 out of range"},
		{"leap second", "2024-01-02T23:59:60Z", "second 60 out of range"},
		{"missing seconds", "2024-01-02T03:04Z", "time must be hh:mm:ss"},
		{"dot without digits", "2024-01-02T03:04:05.Z", "fractional second digits"},
		{"offset too large", "2024-01-02T03:04:05+15:00", "timezone offset out of range (expected -14:00 to +14:00)"},
		{"offset 14:30", "2024-01-02T03:04:05+14:30", "timezone offset out of range"},
		{"offset minutes 60", "2024-01-02T03:04:05+01:60", "timezone offset out of range"},
		{"one-digit offset", "2024-01-02T03:04:05+5", "timezone offset must be"},
		{"three-digit offset", "2024-01-02T03:04:05+050", "timezone offset must be"},
		{"offset with trailing colon", "2024-01-02T03:04:05+05:", "timezone offset must be"},
		{"trailing garbage", "2024-01-02T03:04:05Zjunk", `unexpected "junk" after the timezone`},
		{"garbage after time", "2024-01-02T03:04:05 PM", `unexpected " PM" after the time`},
		{"named zone", "2024-01-02T03:04:05 EST", "after the time"},
		{"24:00 on the last day", "9999-12-31T24:00:00Z", "beyond the year range"},
		{"inner white space", "2024-01-02T03:04: 05Z", "time must be hh:mm:ss"},
		{"duration", "P2D", "four digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDateTime(tt.in)
			require.Error(t, err)
			assert.Equal(t, DateTime{}, got)
			assert.Contains(t, err.Error(), `xsdtypes: invalid xs:dateTime `+quote(tt.in)+": ")
			assert.Contains(t, err.Error(), tt.want)
			var pe *ParseError
			require.True(t, errors.As(err, &pe))
			assert.Equal(t, "xs:dateTime", pe.Type)
			assert.Equal(t, tt.in, pe.Value)

			// UnmarshalText leaves the receiver unchanged on error.
			d := NewDateTime(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
			before := d
			assert.Error(t, d.UnmarshalText([]byte(tt.in)))
			assert.Equal(t, before, d)
		})
	}
}

func TestDateTimeMarshalText(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = nil // no tzdata available; the subtests using it are skipped
	}
	tests := []struct {
		name    string
		in      DateTime
		want    string
		wantErr string
	}{
		{"utc", NewDateTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)), "2024-01-02T03:04:05Z", ""},
		{"fixed offset", NewDateTime(time.Date(2024, 1, 2, 3, 4, 5, 0, est)), "2024-01-02T03:04:05-05:00", ""},
		{"fraction without trailing zeros", NewDateTime(time.Date(2024, 1, 2, 3, 4, 5, 120000000, time.UTC)), "2024-01-02T03:04:05.12Z", ""},
		{"no zone uses the wall clock", DateTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, est), NoZone: true}, "2024-01-02T03:04:05", ""},
		{"offset in seconds falls back to UTC", NewDateTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("LMT", 1172))), "2024-01-02T02:44:33Z", ""},
		{"offset beyond 14 hours falls back to UTC", NewDateTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("", 15*3600))), "2024-01-01T12:04:05Z", ""},
		{"zero is unset", DateTime{}, "", "xsdtypes: cannot marshal DateTime: value is unset"},
		{"zero instant in another zone is unset", NewDateTime(time.Time{}.In(est)), "", "value is unset"},
		{"year 10000", NewDateTime(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)), "", "year 10000 is outside 0001-9999"},
		{"year 0", NewDateTime(time.Date(0, 6, 1, 0, 0, 0, 0, time.UTC)), "", "year 0 is outside 0001-9999"},
	}
	if ny != nil {
		tests = append(tests,
			struct {
				name    string
				in      DateTime
				want    string
				wantErr string
			}{"named zone uses its offset", NewDateTime(time.Date(2024, 7, 1, 12, 0, 0, 0, ny)), "2024-07-01T12:00:00-04:00", ""})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.MarshalText()
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.NotPanics(t, func() { _ = tt.in.String() })
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
			back, err := ParseDateTime(string(got))
			require.NoError(t, err)
			assert.True(t, back.Time.Equal(tt.in.Time) || tt.in.NoZone, "instant preserved")
		})
	}
}

func TestDateTimeString(t *testing.T) {
	assert.Equal(t, "2024-01-02T03:04:05Z", NewDateTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)).String())
	assert.Equal(t, "0001-01-01T00:00:00Z", DateTime{}.String(), "the zero value formats like time.Time")
	assert.Equal(t, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC).String(),
		NewDateTime(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)).String())
}

func TestNewDateTimeStripsMonotonicClock(t *testing.T) {
	now := time.Now()
	d := NewDateTime(now)
	assert.Equal(t, now.Round(0), d.Time)
	assert.False(t, d.NoZone)
	assert.False(t, d.IsZero())
	assert.True(t, DateTime{}.IsZero())
}

func TestDateTimeMarshalXMLAttrNil(t *testing.T) {
	var d *DateTime
	attr, err := d.MarshalXMLAttr(xmlName("a"))
	require.NoError(t, err)
	assert.Empty(t, attr.Name.Local, "nil pointer yields no attribute")

	_, err = (&DateTime{}).MarshalXMLAttr(xmlName("a"))
	assert.ErrorContains(t, err, "unset")
}
