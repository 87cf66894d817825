package mime

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decodeAll decodes in with cte and returns the output, the deviations of
// the value and of the data, and the read error.
func decodeAll(t *testing.T, in io.Reader, cte string) (string, []string, []string, error) {
	t.Helper()
	r, devs, err := NewTransferDecoder(in, cte)
	require.NoError(t, err)
	out, err := io.ReadAll(r)
	rep, ok := r.(DeviationReporter)
	require.True(t, ok, "the reader reports deviations")
	return string(out), codes(devs), codes(rep.Deviations()), err
}

func TestTransferDecoder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, cte, in, want string
		cteDevs, dataDevs   []string
	}{
		{name: "base64", cte: "base64", in: "aGVsbG8gd29ybGQ=", want: "hello world"},
		{name: "transfer encoding case", cte: "BASE64", in: "aGk=", want: "hi", cteDevs: []string{TransferEncodingCase}},
		{name: "base64 crlf lines", cte: "base64", in: "aGVs\r\nbG8g\r\nd29y\r\nbGQ=\r\n", want: "hello world"},
		{name: "base64 lf lines", cte: "base64", in: "aGVs\nbG8g\nd29y\nbGQ=\n", want: "hello world"},
		{name: "base64 line break inside group", cte: "base64", in: "aG\r\nVsbG8=", want: "hello"},
		{name: "base64 whitespace", cte: "base64", in: " aGVs bG8g\td29y\fbGQ= ", want: "hello world", dataDevs: []string{Base64Whitespace}},
		{name: "base64 no padding two bytes", cte: "base64", in: "aGVsbG8gd29ybGQ", want: "hello world", dataDevs: []string{Base64NoPadding}},
		{name: "base64 no padding one byte", cte: "base64", in: "aGk", want: "hi", dataDevs: []string{Base64NoPadding}},
		{name: "base64 partial padding", cte: "base64", in: "aQ=", want: "i", dataDevs: []string{Base64NoPadding}},
		{name: "base64 empty", cte: "base64", in: "\r\n", want: ""},
		{name: "quoted-printable", cte: "quoted-printable", in: "caf=C3=A9 =3D 1\r\nsoft=\r\nbreak", want: "café = 1\r\nsoftbreak"},
		{name: "quoted-printable case", cte: "Quoted-Printable", in: "a=3Db", want: "a=b", cteDevs: []string{TransferEncodingCase}},
		{name: "quoted-printable lf soft break", cte: "quoted-printable", in: "soft=\nbreak\n", want: "softbreak\n"},
		{name: "quoted-printable trailing white space dropped", cte: "quoted-printable", in: "a \t\r\nb  \nc =  \r\nd  ", want: "a\r\nb\nc d"},
		{name: "quoted-printable long line", cte: "quoted-printable", in: strings.Repeat("x", 10000) + "=41", want: strings.Repeat("x", 10000) + "A"},
		{name: "quoted-printable long white space run", cte: "quoted-printable", in: "a" + strings.Repeat(" ", 3000) + "b", want: "a" + strings.Repeat(" ", 3000) + "b"},
		{name: "quoted-printable literal equals", cte: "quoted-printable", in: "a=b =G1 =4", want: "a=b =G1 =4", dataDevs: []string{QuotedPrintableInvalid}},
		{name: "quoted-printable equals space text", cte: "quoted-printable", in: "x=  y=\rz", want: "x=  y=\rz", dataDevs: []string{QuotedPrintableInvalid}},
		{name: "quoted-printable lower-case hex", cte: "quoted-printable", in: "=3d=c3=a9", want: "=é", dataDevs: []string{QuotedPrintableInvalid}},
		{name: "quoted-printable raw bytes", cte: "quoted-printable", in: "caf\xc3\xa9\x00\x1b", want: "caf\xc3\xa9\x00\x1b", dataDevs: []string{QuotedPrintableInvalid}},
		{name: "quoted-printable soft break with white space and lf", cte: "quoted-printable", in: "a= \t\nb", want: "ab"},
		{name: "quoted-printable final soft break", cte: "quoted-printable", in: "end=", want: "end"},
		{name: "quoted-printable space cr not a line break", cte: "quoted-printable", in: "a \rb", want: "a \rb"},
		{name: "quoted-printable bare cr kept", cte: "quoted-printable", in: "a\r  ", want: "a\r"},
		{name: "7bit", cte: "7bit", in: "plain\r\n", want: "plain\r\n"},
		{name: "8bit", cte: "8bit", in: "caf\xc3\xa9", want: "caf\xc3\xa9"},
		{name: "binary", cte: "binary", in: "\x00\xff\r\n", want: "\x00\xff\r\n"},
		{name: "absent", cte: "", in: "\xff\xd8\xff\xe0", want: "\xff\xd8\xff\xe0"},
		{name: "white space around value", cte: " base64\t", in: "aGk=", want: "hi"},
		{name: "unknown transfer encoding", cte: "x-uuencode", in: "begin 644 x", want: "begin 644 x", cteDevs: []string{UnknownTransferEncoding}},
	}
	for _, tt := range tests {
		for cname, chunk := range chunkings {
			t.Run(tt.name+"/"+cname, func(t *testing.T) {
				t.Parallel()
				out, cteDevs, dataDevs, err := decodeAll(t, chunk(strings.NewReader(tt.in)), tt.cte)
				require.NoError(t, err)
				assert.Equal(t, tt.want, out)
				assert.Equal(t, tt.cteDevs, cteDevs)
				assert.Equal(t, tt.dataDevs, dataDevs)
			})
		}
	}
}

func TestTransferDecoderErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, cte, in string
		want          string // output before the error
		err           string
		offset        int64
	}{
		{"base64 illegal character", "base64", "aGVs\r\nbG8*", "hel", "mime: base64: illegal character '*' (0x2a) at byte 9", 9},
		{"base64 url alphabet", "base64", "ab-_", "", "mime: base64: illegal character '-' (0x2d) at byte 2", 2},
		{"base64 control byte", "base64", "aGk=\x00", "hi", "mime: base64: illegal character 0x00 at byte 4", 4},
		{"base64 data after padding", "base64", "aGk=aGk=", "hi", "mime: base64: data after padding at byte 4", 4},
		{"base64 padding too early", "base64", "a===", "", "mime: base64: unexpected padding at byte 1", 1},
		{"base64 extra padding", "base64", "aQ===", "i", "mime: base64: unexpected padding at byte 4", 4},
		{"base64 one character left", "base64", "aGVs\r\nb", "hel", "mime: base64: truncated data (one character left over) at byte 7", 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, _, _, err := decodeAll(t, iotest.HalfReader(strings.NewReader(tt.in)), tt.cte)
			require.EqualError(t, err, tt.err)
			assert.Equal(t, tt.want, out)
			de, ok := errors.AsType[*DecodeError](err)
			require.True(t, ok)
			assert.Equal(t, tt.offset, de.Offset)
		})
	}
}

func TestTransferDecoderReadError(t *testing.T) {
	t.Parallel()
	errRead := errors.New("connection reset")
	for _, cte := range []string{"base64", "quoted-printable", "binary"} {
		t.Run(cte, func(t *testing.T) {
			t.Parallel()
			_, _, _, err := decodeAll(t, io.MultiReader(strings.NewReader("aGk="), iotest.ErrReader(errRead)), cte)
			assert.ErrorIs(t, err, errRead)
		})
	}
}

func TestTransferDecoderNilReader(t *testing.T) {
	t.Parallel()
	r, devs, err := NewTransferDecoder(nil, "base64")
	require.EqualError(t, err, "mime: NewTransferDecoder: nil reader")
	assert.Nil(t, r)
	assert.Nil(t, devs)
}

func TestDeviationTexts(t *testing.T) {
	t.Parallel()
	r, _, err := NewTransferDecoder(strings.NewReader("aG k"), "base64")
	require.NoError(t, err)
	_, err = io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, []Deviation{
		{Base64Whitespace, "white space inside base64 data at byte 2"},
		{Base64NoPadding, "base64 data ends without padding at byte 4"},
	}, r.(DeviationReporter).Deviations())

	r, _, err = NewTransferDecoder(strings.NewReader("ok=\r\n=ZZ=3d\x01"), "quoted-printable")
	require.NoError(t, err)
	_, err = io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, []Deviation{
		{QuotedPrintableInvalid, "quoted-printable: '=' not followed by two hex digits or a line break at byte 5"},
		{QuotedPrintableInvalid, "quoted-printable: lower-case hex digits after '=' at byte 8"},
		{QuotedPrintableInvalid, "quoted-printable: unencoded byte 0x01 at byte 11"},
	}, r.(DeviationReporter).Deviations())
}
