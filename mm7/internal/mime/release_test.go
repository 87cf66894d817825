package mime

import (
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReaderRelease(t *testing.T) {
	body := "--b\r\nContent-Type: text/plain\r\n\r\nhello world\r\n--b\r\n\r\nsecond\r\n--b--\r\n"
	r := NewReader(strings.NewReader(body), "b", Options{})
	p, err := r.NextPart()
	require.NoError(t, err)
	buf := make([]byte, 5)
	_, err = io.ReadFull(p.Body, buf)
	require.NoError(t, err)
	r.Release()
	r.Release() // twice is harmless
	_, err = p.Body.Read(buf)
	assert.True(t, errors.Is(err, ErrReleased), "got %v", err)
	_, err = r.NextPart()
	assert.True(t, errors.Is(err, ErrReleased), "got %v", err)

	// A new Reader (possibly on the recycled buffer) reads its own input.
	r2 := NewReader(strings.NewReader(body), "b", Options{})
	p2, err := r2.NextPart()
	require.NoError(t, err)
	got, err := io.ReadAll(p2.Body)
	require.NoError(t, err)
	assert.Equal(t, "hello world", string(got))
}

func TestBase64DecoderRelease(t *testing.T) {
	enc := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("x", 10000)))
	d, _, err := NewTransferDecoder(strings.NewReader(enc), "base64")
	require.NoError(t, err)
	buf := make([]byte, 10)
	_, err = io.ReadFull(d, buf)
	require.NoError(t, err)
	d.(interface{ Release() }).Release()
	n, err := d.Read(buf)
	assert.Zero(t, n)
	assert.True(t, errors.Is(err, ErrReleased), "got %v", err)
}
