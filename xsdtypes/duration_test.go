package xsdtypes

import (
	"errors"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in    string
		want  Duration
		canon string
	}{
		{"P2D", Duration{Days: 2}, "P2D"},
		{"P90D", Duration{Days: 90}, "P90D"},
		{"PT1.5S", Duration{Seconds: 1, Nanoseconds: 5e8}, "PT1.5S"},
		{"-P1Y2M3DT4H5M6.5S", Duration{Negative: true, Years: 1, Months: 2, Days: 3, Hours: 4, Minutes: 5, Seconds: 6, Nanoseconds: 5e8}, "-P1Y2M3DT4H5M6.5S"},
		{"P1Y", Duration{Years: 1}, "P1Y"},
		{"P1M", Duration{Months: 1}, "P1M"},
		{"PT1M", Duration{Minutes: 1}, "PT1M"},
		{"P1MT1M", Duration{Months: 1, Minutes: 1}, "P1MT1M"},
		{"PT36H", Duration{Hours: 36}, "PT36H"},
		{"PT90M", Duration{Minutes: 90}, "PT90M"},
		{"P1Y1D", Duration{Years: 1, Days: 1}, "P1Y1D"},
		{"PT1H1S", Duration{Hours: 1, Seconds: 1}, "PT1H1S"},
		{"PT0.000000001S", Duration{Nanoseconds: 1}, "PT0.000000001S"},
		{"PT0.1234567899S", Duration{Nanoseconds: 123456789}, "PT0.123456789S"},
		{"PT1.500S", Duration{Seconds: 1, Nanoseconds: 5e8}, "PT1.5S"},
		{"PT0S", Duration{}, "PT0S"},
		{"P0D", Duration{}, "PT0S"},
		{"-PT0S", Duration{}, "PT0S"},
		{"-P0Y0M0DT0H0M0.0S", Duration{}, "PT0S"},
		{"P0001D", Duration{Days: 1}, "P1D"},
		{"  P90D\n", Duration{Days: 90}, "P90D"},
		{"P" + strconv.Itoa(math.MaxInt) + "D", Duration{Days: math.MaxInt}, "P" + strconv.Itoa(math.MaxInt) + "D"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.canon, got.String())
			text, err := got.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.canon, string(text))

			var u Duration
			require.NoError(t, u.UnmarshalText([]byte(tt.in)))
			assert.Equal(t, got, u)
		})
	}
}

func TestParseDurationErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", "must start with P or -P"},
		{"missing P", "1D", "must start with P or -P"},
		{"lower-case p", "p1D", "must start with P or -P"},
		{"plus sign", "+P1D", "must start with P or -P"},
		{"only P", "P", "no component after P"},
		{"only -P", "-P", "no component after P"},
		{"double minus", "--P1D", "must start with P or -P"},
		{"T without time", "P1DT", "T must be followed by at least one of H, M or S"},
		{"only PT", "PT", "T must be followed"},
		{"hours before T", "P1H", "designator 'H' must come after T"},
		{"seconds before T", "P1S", "designator 'S' must come after T"},
		{"days after T", "PT1D", "unexpected 'D', expected designator H, M or S"},
		{"out of order", "P1D1Y", "designator 'Y' repeated or out of order"},
		{"repeated", "P1D1D", "repeated or out of order"},
		{"time out of order", "PT1S1H", "repeated or out of order"},
		{"number without designator", "P1", "has no designator"},
		{"time number without designator", "PT1", "has no designator"},
		{"designator without number", "PD", "expected a number"},
		{"time designator without number", "PTS", "expected a number"},
		{"fraction on days", "P1.5D", "only seconds may have a fraction"},
		{"fraction on minutes", "PT1.5M", "only seconds may have a fraction"},
		{"fraction without digits", "PT1.S", "'.' must be followed by digits"},
		{"fraction without integer", "PT.5S", "expected a number"},
		{"comma decimal", "PT1,5S", "unexpected ','"},
		{"negative component", "P-1D", "expected a number"},
		{"inner white space", "P1D T1H", `expected a number, found " T1H"`},
		{"lower-case designator", "P1d", "unexpected 'd'"},
		{"too large", "P" + strconv.Itoa(math.MaxInt) + "0D", "is too large"},
		{"huge", "PT99999999999999999999999999H", "is too large"},
		{"dateTime", "2024-01-02T03:04:05Z", "must start with P or -P"},
		{"trailing garbage", "P1DX", `expected a number, found "X"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			require.Error(t, err)
			assert.Equal(t, Duration{}, got)
			assert.Contains(t, err.Error(), "xsdtypes: invalid xs:duration "+quote(tt.in)+": ")
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, err.Error(), "expected -?PnYnMnDTnHnMnS")
			var pe *ParseError
			require.True(t, errors.As(err, &pe))
			assert.Equal(t, "xs:duration", pe.Type)

			d := Duration{Days: 7}
			assert.Error(t, d.UnmarshalText([]byte(tt.in)))
			assert.Equal(t, Duration{Days: 7}, d, "unchanged on error")
		})
	}
}

func TestDurationMarshalTextInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   Duration
		want string
	}{
		{"negative component", Duration{Days: -1}, "Days is -1, expected a non-negative value (use Negative for the sign)"},
		{"negative seconds", Duration{Negative: true, Seconds: -1}, "Seconds is -1, expected a non-negative value (use Negative for the sign)"},
		{"negative nanoseconds", Duration{Nanoseconds: -1}, "Nanoseconds is -1, expected 0-999999999"},
		{"nanoseconds overflow", Duration{Seconds: 1, Nanoseconds: 1e9}, "Nanoseconds is 1000000000, expected 0-999999999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.in.MarshalText()
			require.Error(t, err)
			assert.Equal(t, "xsdtypes: cannot marshal Duration: "+tt.want, err.Error())
			assert.Contains(t, tt.in.String(), "xsdtypes.Duration{", "String shows the fields")
			_, err = (&tt.in).MarshalXMLAttr(xmlName("a"))
			assert.Error(t, err)
		})
	}
}

func TestDurationOf(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "PT0S"},
		{time.Nanosecond, "PT0.000000001S"},
		{1500 * time.Millisecond, "PT1.5S"},
		{90 * time.Minute, "PT1H30M"},
		{48 * time.Hour, "P2D"},
		{36*time.Hour + 30*time.Second, "P1DT12H30S"},
		{-90 * time.Second, "-PT1M30S"},
		{math.MaxInt64, "P106751DT23H47M16.854775807S"},
		{math.MinInt64, "-P106751DT23H47M16.854775808S"},
	}
	for _, tt := range tests {
		t.Run(tt.in.String(), func(t *testing.T) {
			d := DurationOf(tt.in)
			assert.Equal(t, tt.want, d.String())
			assert.Zero(t, d.Years)
			assert.Zero(t, d.Months)
			std, ok := d.Std()
			require.True(t, ok)
			assert.Equal(t, tt.in, std)
		})
	}
}

func TestDurationStd(t *testing.T) {
	tests := []struct {
		name   string
		in     Duration
		want   time.Duration
		wantOK bool
	}{
		{"days count as 24h", Duration{Days: 1, Seconds: 1, Nanoseconds: 1}, 24*time.Hour + time.Second + 1, true},
		{"negative", Duration{Negative: true, Minutes: 2}, -2 * time.Minute, true},
		{"years", Duration{Years: 1}, 0, false},
		{"months", Duration{Months: 1}, 0, false},
		{"overflow", Duration{Days: 106752}, 0, false},
		{"huge", Duration{Hours: math.MaxInt}, 0, false},
		{"invalid", Duration{Hours: -1}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.in.Std()
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDurationAddTo(t *testing.T) {
	base := time.Date(2024, 1, 31, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		d    string
		t    time.Time
		want time.Time
	}{
		{"days", "P2D", base, time.Date(2024, 2, 2, 10, 0, 0, 0, time.UTC)},
		{"month clamps to end of February", "P1M", base, time.Date(2024, 2, 29, 10, 0, 0, 0, time.UTC)},
		{"month clamps in a common year", "P1Y1M", base, time.Date(2025, 2, 28, 10, 0, 0, 0, time.UTC)},
		{"clamp then add days", "P1M1D", base, time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)},
		{"negative months", "-P2M", base, time.Date(2023, 11, 30, 10, 0, 0, 0, time.UTC)},
		{"negative across years", "-P13M", base, time.Date(2022, 12, 31, 10, 0, 0, 0, time.UTC)},
		{"leap day plus a year", "P1Y", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC)},
		{"time components", "PT25H61M1.5S", base, time.Date(2024, 2, 1, 12, 1, 1, 5e8, time.UTC)},
		{"everything", "P1Y2M3DT4H5M6.5S", base, time.Date(2025, 4, 3, 14, 5, 6, 5e8, time.UTC)},
		{"negative everything", "-P1Y2M3DT4H5M6.5S", time.Date(2025, 4, 3, 14, 5, 6, 5e8, time.UTC), time.Date(2024, 1, 31, 10, 0, 0, 0, time.UTC)},
		{"keeps the location", "PT1H", time.Date(2024, 1, 2, 3, 0, 0, 0, est), time.Date(2024, 1, 2, 4, 0, 0, 0, est)},
		{"zero", "PT0S", base, base},
		{"very many seconds", "PT" + strconv.Itoa(400*365*86400) + "S", base, base.Add(200 * 365 * 24 * time.Hour).Add(200 * 365 * 24 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDuration(tt.d)
			require.NoError(t, err)
			got := d.AddTo(tt.t)
			assert.True(t, tt.want.Equal(got), "got %v, want %v", got, tt.want)
			assert.Equal(t, tt.want.Location(), got.Location())
		})
	}
}

func TestDurationAddToCalendarDays(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	// 2024-03-10 is the start of daylight saving time in New York.
	start := time.Date(2024, 3, 9, 12, 0, 0, 0, ny)
	assert.Equal(t, time.Date(2024, 3, 10, 12, 0, 0, 0, ny), Duration{Days: 1}.AddTo(start), "P1D keeps the wall clock")
	assert.Equal(t, time.Date(2024, 3, 10, 13, 0, 0, 0, ny), Duration{Hours: 24}.AddTo(start), "PT24H is elapsed time")
}

func TestDurationAddToExtremes(t *testing.T) {
	base := time.Date(2024, 1, 31, 10, 0, 0, 0, time.UTC)
	for _, d := range []Duration{
		{Years: math.MaxInt, Months: math.MaxInt, Days: math.MaxInt, Hours: math.MaxInt, Minutes: math.MaxInt, Seconds: math.MaxInt, Nanoseconds: 999999999},
		{Negative: true, Years: math.MaxInt, Months: math.MaxInt, Days: math.MaxInt, Hours: math.MaxInt, Minutes: math.MaxInt, Seconds: math.MaxInt},
		{Hours: -5, Nanoseconds: math.MinInt},
		{Seconds: math.MaxInt},
	} {
		t.Run(d.String(), func(t *testing.T) {
			assert.NotPanics(t, func() { _ = d.AddTo(base) })
			assert.NotPanics(t, func() { _ = d.AddTo(time.Time{}) })
		})
	}
}
