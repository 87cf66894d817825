package xsdtypes

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestQuote(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"short", "P1X", `"P1X"`},
		{"exactly 64 bytes", strings.Repeat("a", 64), `"` + strings.Repeat("a", 64) + `"`},
		{"long is truncated", strings.Repeat("a", 100), `"` + strings.Repeat("a", 64) + `"...`},
		{"truncation keeps runes whole", strings.Repeat("a", 63) + "é" + "zzz", `"` + strings.Repeat("a", 63) + `"...`},
		{"control characters are escaped", "a\x00\n", `"a\x00\n"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, quote(tt.in))
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	err := &ParseError{Type: "xs:duration", Value: "P1X", Msg: "bad designator"}
	assert.Equal(t, `xsdtypes: invalid xs:duration "P1X": bad designator`, err.Error())
}

func TestTrimSpace(t *testing.T) {
	assert.Equal(t, "x y", trimSpace(" \t\r\nx y\n "))
	assert.Equal(t, "", trimSpace(" \n"))
	// Only XML white space is trimmed, not other Unicode spaces.
	assert.Equal(t, "\u00a0x", trimSpace("\u00a0x"))
}
