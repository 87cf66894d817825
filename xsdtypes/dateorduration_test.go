package xsdtypes

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDateTimeOrDuration(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		relative bool
		canon    string
	}{
		{"duration", "P2D", true, "P2D"},
		{"ninety days", "P90D", true, "P90D"},
		{"negative duration", "-P1Y2M3DT4H5M6.5S", true, "-P1Y2M3DT4H5M6.5S"},
		{"duration with white space", "\n\tPT1H ", true, "PT1H"},
		{"dateTime", "2024-01-02T03:04:05Z", false, "2024-01-02T03:04:05Z"},
		{"java dateTime", "2024-01-02T03:04:05-0500", false, "2024-01-02T03:04:05-05:00"},
		{"dateTime with white space", "  2024-01-02T03:04:05Z \n", false, "2024-01-02T03:04:05Z"},
		{"dateTime without zone", "2024-01-02T03:04:05", false, "2024-01-02T03:04:05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := ParseDateTimeOrDuration(tt.in)
			require.NoError(t, err)
			assert.False(t, v.IsZero())
			assert.Equal(t, tt.relative, v.IsRelative())
			assert.Equal(t, tt.canon, v.String())
			text, err := v.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.canon, string(text))

			var u DateTimeOrDuration
			require.NoError(t, u.UnmarshalText(text))
			assert.Equal(t, v, u)
		})
	}
}

func TestParseDateTimeOrDurationErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", []string{"not a valid xs:dateTime: empty value", "or an xs:duration starting with P or -P"}},
		{"bad duration", "P2X", []string{"not a valid xs:duration (the value starts with P)", "unexpected 'X'"}},
		{"bad negative duration", "-PT", []string{"not a valid xs:duration", "T must be followed"}},
		{"bad dateTime", "2024-13-01T00:00:00Z", []string{"not a valid xs:dateTime", "month 13", "or an xs:duration"}},
		{"words", "tomorrow", []string{"not a valid xs:dateTime", "or an xs:duration"}},
		{"lone minus", "-", []string{"not a valid xs:dateTime", "or an xs:duration"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := ParseDateTimeOrDuration(tt.in)
			require.Error(t, err)
			assert.True(t, v.IsZero())
			msg := err.Error()
			assert.Contains(t, msg, "xsdtypes: invalid xs:dateTime or xs:duration "+quote(tt.in)+": ")
			for _, w := range tt.want {
				assert.Contains(t, msg, w)
			}
			var pe *ParseError
			assert.True(t, errors.As(err, &pe))

			u := AfterDuration(time.Hour)
			assert.Error(t, u.UnmarshalText([]byte(tt.in)))
			assert.Equal(t, AfterDuration(time.Hour), u, "unchanged on error")
		})
	}
}

func TestDateTimeOrDurationConstructors(t *testing.T) {
	now := time.Date(2024, 1, 31, 12, 0, 0, 0, time.UTC)
	at := time.Date(2024, 6, 1, 0, 0, 0, 0, est)

	t.Run("At", func(t *testing.T) {
		v := At(at)
		assert.False(t, v.IsZero())
		assert.False(t, v.IsRelative())
		dt, ok := v.DateTime()
		assert.True(t, ok)
		assert.Equal(t, NewDateTime(at), dt)
		_, ok = v.Duration()
		assert.False(t, ok)
		assert.Equal(t, at, v.Resolve(now))
		assert.Equal(t, "2024-06-01T00:00:00-05:00", v.String())
	})
	t.Run("After", func(t *testing.T) {
		v := After(Duration{Months: 1})
		assert.True(t, v.IsRelative())
		d, ok := v.Duration()
		assert.True(t, ok)
		assert.Equal(t, Duration{Months: 1}, d)
		_, ok = v.DateTime()
		assert.False(t, ok)
		assert.Equal(t, time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC), v.Resolve(now))
		assert.Equal(t, "P1M", v.String())
	})
	t.Run("AfterDuration", func(t *testing.T) {
		v := AfterDuration(48 * time.Hour)
		assert.Equal(t, "P2D", v.String())
		assert.Equal(t, After(Duration{Days: 2}), v)
		assert.Equal(t, now.Add(48*time.Hour), v.Resolve(now))
	})
	t.Run("no zone resolves as UTC", func(t *testing.T) {
		v, err := ParseDateTimeOrDuration("2024-01-02T03:04:05")
		require.NoError(t, err)
		assert.Equal(t, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), v.Resolve(now))
	})
	t.Run("zero value is unset", func(t *testing.T) {
		var v DateTimeOrDuration
		assert.True(t, v.IsZero())
		assert.False(t, v.IsRelative())
		_, ok := v.DateTime()
		assert.False(t, ok)
		_, ok = v.Duration()
		assert.False(t, ok)
		assert.Equal(t, "", v.String())
		assert.True(t, v.Resolve(now).IsZero())
		_, err := v.MarshalText()
		assert.ErrorContains(t, err, "xsdtypes: cannot marshal DateTimeOrDuration: value is unset")
		_, err = v.MarshalXMLAttr(xmlName("a"))
		assert.ErrorContains(t, err, "unset")
	})
	t.Run("At zero time is unset DateTime", func(t *testing.T) {
		_, err := At(time.Time{}).MarshalText()
		assert.ErrorContains(t, err, "DateTime: value is unset")
	})
	t.Run("nil pointer attr", func(t *testing.T) {
		var v *DateTimeOrDuration
		attr, err := v.MarshalXMLAttr(xmlName("a"))
		require.NoError(t, err)
		assert.Equal(t, "", attr.Name.Local)
	})
}
