package mime

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBase64Writer(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 2, 3, 56, 57, 58, 113, 114, 115, 171, 1000, 4096, 100003} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(i * 7)
		}
		var out bytes.Buffer
		w := NewBase64Writer(&out)
		// Uneven writes must not change the output.
		for rest := data; len(rest) > 0; {
			k := min(len(rest), 1+len(rest)%37)
			_, err := w.Write(rest[:k])
			require.NoError(t, err)
			rest = rest[k:]
		}
		require.NoError(t, w.Close())
		require.NoError(t, w.Close(), "Close twice")

		got := out.String()
		assert.Equal(t, Base64EncodedLen(int64(n)), int64(len(got)), "n=%d", n)
		want := base64.StdEncoding.EncodeToString(data)
		var lines []string
		for len(want) > Base64LineLength {
			lines = append(lines, want[:Base64LineLength])
			want = want[Base64LineLength:]
		}
		if want != "" {
			lines = append(lines, want)
		}
		assert.Equal(t, strings.Join(lines, "\r\n"), got, "n=%d", n)

		dec, _, err := NewTransferDecoder(strings.NewReader(got), "base64")
		require.NoError(t, err)
		back, err := io.ReadAll(dec)
		require.NoError(t, err)
		assert.Equal(t, data, back)
		assert.Empty(t, dec.(DeviationReporter).Deviations())
	}
}

func TestBase64WriterWriteAfterClose(t *testing.T) {
	t.Parallel()
	w := NewBase64Writer(io.Discard)
	require.NoError(t, w.Close())
	_, err := w.Write([]byte("x"))
	require.EqualError(t, err, "mime: base64: write after Close")
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestBase64WriterError(t *testing.T) {
	t.Parallel()
	w := NewBase64Writer(failWriter{})
	_, err := w.Write(make([]byte, 3000))
	require.EqualError(t, err, "disk full")
}

func TestBase64EncodedLen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		n    int64
		want int64
	}{
		{"negative", -1, 0},
		{"zero", 0, 0},
		{"one group", 3, 4},
		{"padded group", 1, 4},
		{"exactly one line", 57, 76},
		{"one more byte", 58, 76 + 2 + 4},
		{"two lines", 114, 76 + 2 + 76},
		{"one megabyte", 1 << 20, 1398104 + 2*(1398104-1)/76},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, Base64EncodedLen(tt.n))
		})
	}
}
