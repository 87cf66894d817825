package mime

import (
	"bytes"
	"errors"
	"io"
	"net/textproto"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gotPart is a part as read by readParts.
type gotPart struct {
	Header textproto.MIMEHeader
	Body   string
}

// readParts reads every part of body, each body completely, and calls
// onPart with each part once its body is read.
func readParts(r io.Reader, boundary string, opts Options, onPart ...func(*Part)) ([]gotPart, *Reader, error) {
	mr := NewReader(r, boundary, opts)
	var parts []gotPart
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return parts, mr, nil
		}
		if err != nil {
			return parts, mr, err
		}
		b, err := io.ReadAll(p.Body)
		if err != nil {
			return parts, mr, err
		}
		parts = append(parts, gotPart{p.Header, string(b)})
		for _, f := range onPart {
			f(p)
		}
	}
}

// codes returns the deviation codes, in order.
func codes(devs []Deviation) []string {
	var c []string
	for _, d := range devs {
		c = append(c, d.Code)
	}
	return c
}

func hdr(kv ...string) textproto.MIMEHeader {
	h := textproto.MIMEHeader{}
	for i := 0; i < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// chunkings feed the input in different read sizes: results must not depend
// on where reads split the input.
var chunkings = map[string]func(io.Reader) io.Reader{
	"whole":    func(r io.Reader) io.Reader { return r },
	"one-byte": iotest.OneByteReader,
	"half":     iotest.HalfReader,
	"data-err": iotest.DataErrReader,
}

func TestReaderQuirks(t *testing.T) {
	t.Parallel()
	const b = "b0"
	tests := []struct {
		name     string
		boundary string
		in       string
		want     []gotPart
		devs     []string
	}{
		{
			name: "crlf framing",
			in:   "--b0\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b0\r\nContent-Id: <x>\r\n\r\nworld\r\n--b0--\r\n",
			want: []gotPart{{hdr("Content-Type", "text/plain"), "hello"}, {hdr("Content-Id", "<x>"), "world"}},
		},
		{
			name: "lf line endings",
			in:   "--b0\nContent-Type: text/plain\n\nhello\n--b0\n\nworld\n--b0--\n",
			want: []gotPart{{hdr("Content-Type", "text/plain"), "hello"}, {hdr(), "world"}},
			devs: []string{LFLineEndings},
		},
		{
			name: "mixed line endings",
			in:   "--b0\r\nContent-Type: text/plain\n\r\nhello\n--b0\r\n\nworld\r\n--b0--",
			want: []gotPart{{hdr("Content-Type", "text/plain"), "hello"}, {hdr(), "world"}},
			devs: []string{MixedLineEndings},
		},
		{
			name: "line break before delimiter belongs to delimiter",
			in:   "--b0\r\n\r\nline\r\n\r\n--b0\r\n\r\nline\n\n--b0--",
			want: []gotPart{{hdr(), "line\r\n"}, {hdr(), "line\n"}},
			devs: []string{MixedLineEndings},
		},
		{
			name: "body keeps bare CR before delimiter line break",
			in:   "--b0\r\n\r\nx\r\r\n--b0--",
			want: []gotPart{{hdr(), "x\r"}},
		},
		{
			name: "transport padding",
			in:   "--b0 \t \r\n\r\none\r\n--b0\t\r\n\r\ntwo\r\n--b0--  \r\n",
			want: []gotPart{{hdr(), "one"}, {hdr(), "two"}},
			devs: []string{TransportPadding, TransportPadding},
		},
		{
			name: "preamble and epilogue ignored",
			in:   "This is a preamble.\r\n--b0 not a delimiter\r\n--b0\r\n\r\nbody\r\n--b0--\r\nepilogue\r\n--b0\r\n\r\nignored",
			want: []gotPart{{hdr(), "body"}},
		},
		{
			name:     "boundary with spaces",
			boundary: "StoryParts 74526 8432 2002-77645",
			in:       "--StoryParts 74526 8432 2002-77645\r\nContent-Type: text/plain\r\n\r\nSaturn\r\n--StoryParts 74526 8432 2002-77645--\r\n",
			want:     []gotPart{{hdr("Content-Type", "text/plain"), "Saturn"}},
		},
		{
			name: "folded header",
			in:   "--b0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/xml\";\r\n  start=\"<a>\"\r\nContent-Id: <x>\r\n\r\n\r\n--b0--",
			want: []gotPart{{hdr("Content-Type", `multipart/related; type="text/xml"; start="<a>"`, "Content-Id", "<x>"), ""}},
			devs: []string{FoldedHeader},
		},
		{
			name: "header names case-insensitive",
			in:   "--b0\r\ncontent-type: text/xml\r\nCONTENT-ID:<root>\r\ncontent-transfer-encoding:   8bit  \r\n\r\n<x/>\r\n--b0--",
			want: []gotPart{{hdr("Content-Type", "text/xml", "Content-Id", "<root>", "Content-Transfer-Encoding", "8bit"), "<x/>"}},
		},
		{
			name: "repeated header keeps every value",
			in:   "--b0\r\nX-A: 1\r\nX-A: 2\r\n\r\n\r\n--b0--",
			want: []gotPart{{hdr("X-A", "1", "X-A", "2"), ""}},
		},
		{
			name: "header name space",
			in:   "--b0\r\nContent-Type : text/plain\r\n\r\nx\r\n--b0--",
			want: []gotPart{{hdr("Content-Type", "text/plain"), "x"}},
			devs: []string{HeaderNameSpace},
		},
		{
			name: "missing final boundary",
			in:   "--b0\r\n\r\none\r\n--b0\r\n\r\ntwo\r\n",
			want: []gotPart{{hdr(), "one"}, {hdr(), "two\r\n"}},
			devs: []string{MissingFinalBoundary},
		},
		{
			name: "missing final boundary after delimiter",
			in:   "--b0\r\n\r\none\r\n--b0",
			want: []gotPart{{hdr(), "one"}},
			devs: []string{MissingFinalBoundary},
		},
		{
			name: "missing final boundary after padded delimiter",
			in:   "--b0\r\n\r\none\r\n--b0  \r",
			want: []gotPart{{hdr(), "one"}},
			devs: []string{MissingFinalBoundary},
		},
		{
			name: "boundary prefix inside body is data",
			in:   "--b0\r\n\r\n--b0x\r\n--b0-\r\n--b0 x\r\n--b0\rx\r\n-b0\r\n--b0--",
			want: []gotPart{{hdr(), "--b0x\r\n--b0-\r\n--b0 x\r\n--b0\rx\r\n-b0"}},
		},
		{
			name: "boundary not at line start is data",
			in:   "--b0\r\n\r\nx--b0\r\ny --b0--\r\n--b0--",
			want: []gotPart{{hdr(), "x--b0\r\ny --b0--"}},
		},
		{
			name: "padding too long is data",
			in:   "--b0\r\n\r\nx\r\n--b0" + strings.Repeat(" ", maxPadding+1) + "\r\n--b0--",
			want: []gotPart{{hdr(), "x\r\n--b0" + strings.Repeat(" ", maxPadding+1)}},
		},
		{
			name: "close delimiter with trailing garbage",
			in:   "--b0\r\n\r\nx\r\n--b0--garbage",
			want: []gotPart{{hdr(), "x"}},
		},
		{
			name: "delimiter without line break after empty body",
			in:   "--b0\r\nContent-Type: text/plain\r\n\r\n--b0\r\n\r\nx\r\n--b0--",
			want: []gotPart{{hdr("Content-Type", "text/plain"), ""}, {hdr(), "x"}},
			devs: []string{DelimiterNoLineBreak},
		},
		{
			name: "empty body",
			in:   "--b0\r\n\r\n\r\n--b0--",
			want: []gotPart{{hdr(), ""}},
		},
		{
			name: "no parts",
			in:   "--b0--\r\n",
		},
		{
			name:     "boundary longer than 70",
			boundary: strings.Repeat("x", 71),
			in:       "--" + strings.Repeat("x", 71) + "\r\n\r\nbody\r\n--" + strings.Repeat("x", 71) + "--",
			want:     []gotPart{{hdr(), "body"}},
			devs:     []string{BoundaryTooLong},
		},
		{
			name:     "boundary starting with equals",
			boundary: "=_Part_0",
			in:       "--=_Part_0\r\n\r\na=_Part_0\r\n--=_Part_0--",
			want:     []gotPart{{hdr(), "a=_Part_0"}},
		},
		{
			name: "binary body with NUL and high bytes",
			in:   "--b0\r\n\r\n\x00\xff\r\n-\n--\r\n\r\r\n--b0--",
			want: []gotPart{{hdr(), "\x00\xff\r\n-\n--\r\n\r"}},
		},
	}
	for _, tt := range tests {
		for cname, chunk := range chunkings {
			t.Run(tt.name+"/"+cname, func(t *testing.T) {
				t.Parallel()
				boundary := tt.boundary
				if boundary == "" {
					boundary = b
				}
				var partDevs []string
				parts, mr, err := readParts(chunk(strings.NewReader(tt.in)), boundary, Options{}, func(p *Part) {
					partDevs = append(partDevs, codes(p.Deviations())...)
				})
				require.NoError(t, err)
				assert.Equal(t, tt.want, parts)
				devs := mr.Deviations()
				assert.Equal(t, tt.devs, codes(devs))
				// Every deviation but the line-ending summary is also a part's.
				var want []string
				for _, c := range codes(devs) {
					if c != LFLineEndings && c != MixedLineEndings {
						want = append(want, c)
					}
				}
				assert.Equal(t, want, partDevs)
			})
		}
	}
}

func TestReaderErrors(t *testing.T) {
	t.Parallel()
	errRead := errors.New("connection reset")
	tests := []struct {
		name     string
		boundary string
		in       io.Reader
		opts     Options
		parts    int // parts read before the error
		want     string
		is       error
	}{
		{name: "empty boundary", in: strings.NewReader("--\r\n"), want: "mime: empty boundary"},
		{name: "boundary with line break", boundary: "a\r\nb", in: strings.NewReader(""), want: `mime: boundary "a\r\nb" contains a line break`},
		{name: "boundary too long", boundary: strings.Repeat("x", MaxBoundaryLen+1), in: strings.NewReader(""), want: "mime: boundary is longer than 1024 bytes"},
		{name: "no delimiter", in: strings.NewReader("just text\r\n--b1\r\n"), want: `mime: no boundary delimiter "--b0" in 17 bytes of input`},
		{name: "truncated header", in: strings.NewReader("--b0\r\nContent-Type: text/plain\r\nContent-"), want: "mime: part 1: header truncated at byte 40: unexpected EOF", is: io.ErrUnexpectedEOF},
		{name: "truncated after delimiter line", in: strings.NewReader("--b0\r\n\r\nx\r\n--b0\r\n"), parts: 1, want: "mime: part 2: header truncated at byte 17: unexpected EOF", is: io.ErrUnexpectedEOF},
		{name: "header exceeds limit", in: strings.NewReader("--b0\r\nX-Big: " + strings.Repeat("a", 100) + "\r\n\r\n--b0--"), opts: Options{MaxHeaderBytes: 64}, want: "mime: part 1: header exceeds 64 bytes"},
		{name: "header exceeds default limit", in: strings.NewReader("--b0\r\nX-Big: " + strings.Repeat("a", DefaultMaxHeaderBytes) + "\r\n\r\n--b0--"), want: "mime: part 1: header exceeds 65536 bytes"},
		{name: "too many parts", in: strings.NewReader("--b0\r\n\r\n\r\n--b0\r\n\r\n\r\n--b0\r\n\r\n\r\n--b0--"), opts: Options{MaxParts: 2}, parts: 2, want: "mime: more than 2 parts"},
		{name: "malformed header line", in: strings.NewReader("--b0\r\n<?xml version=\"1.0\"?>\r\n\r\n--b0--"), want: `mime: part 1: malformed header line "<?xml version=\"1.0\"?>" at byte 6`},
		{name: "continuation without field", in: strings.NewReader("--b0\r\n folded\r\n\r\n--b0--"), want: "mime: part 1: header continuation line without a field at byte 6"},
		{name: "invalid header name", in: strings.NewReader("--b0\r\nBad Name: x\r\n\r\n--b0--"), want: `mime: part 1: invalid header name "Bad Name" at byte 6`},
		{name: "empty header name", in: strings.NewReader("--b0\r\n: x\r\n\r\n--b0--"), want: `mime: part 1: invalid header name "" at byte 6`},
		{name: "read error in preamble", in: iotest.ErrReader(errRead), want: "mime: preamble: connection reset", is: errRead},
		{name: "read error in body", in: io.MultiReader(strings.NewReader("--b0\r\n\r\nabc"), iotest.ErrReader(errRead)), want: "mime: part 1: connection reset", is: errRead},
		{name: "read error in header", in: io.MultiReader(strings.NewReader("--b0\r\nX-A: 1"), iotest.ErrReader(errRead)), want: "mime: part 1: connection reset", is: errRead},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			boundary := tt.boundary
			if boundary == "" && tt.name != "empty boundary" {
				boundary = "b0"
			}
			parts, mr, err := readParts(tt.in, boundary, tt.opts)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			assert.Len(t, parts, tt.parts)
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			_, again := mr.NextPart()
			assert.Equal(t, err, again, "errors are sticky")
		})
	}
}

func TestReaderErrorWhileDiscarding(t *testing.T) {
	t.Parallel()
	errRead := errors.New("connection reset")
	in := io.MultiReader(strings.NewReader("--b0\r\n\r\nabc"), iotest.ErrReader(errRead))
	mr := NewReader(in, "b0", Options{})
	p, err := mr.NextPart()
	require.NoError(t, err)
	_, err = mr.NextPart()
	require.EqualError(t, err, "mime: part 1: connection reset")
	require.ErrorIs(t, err, errRead)
	_, again := p.Body.Read(make([]byte, 1))
	assert.Equal(t, err, again, "the body reports the sticky error")
}

func TestReaderBodyErrorIsSticky(t *testing.T) {
	t.Parallel()
	errRead := errors.New("connection reset")
	in := io.MultiReader(strings.NewReader("--b0\r\n\r\nabc"), iotest.ErrReader(errRead))
	mr := NewReader(in, "b0", Options{})
	p, err := mr.NextPart()
	require.NoError(t, err)
	b, err := io.ReadAll(p.Body)
	assert.Equal(t, "abc", string(b))
	require.ErrorIs(t, err, errRead)
	_, again := p.Body.Read(make([]byte, 1))
	assert.Equal(t, err, again)
}

func TestReaderLimitsDisabled(t *testing.T) {
	t.Parallel()
	var in strings.Builder
	for range DefaultMaxParts + 1 {
		in.WriteString("--b0\r\nX-Big: " + strings.Repeat("a", 70<<10) + "\r\n\r\nx\r\n")
	}
	in.WriteString("--b0--")
	parts, _, err := readParts(strings.NewReader(in.String()), "b0", Options{MaxHeaderBytes: -1, MaxParts: -1})
	require.NoError(t, err)
	assert.Len(t, parts, DefaultMaxParts+1)
	assert.Len(t, parts[0].Header.Get("X-Big"), 70<<10)
}

func TestReaderPartialReads(t *testing.T) {
	t.Parallel()
	in := "--b0\r\nContent-Id: <a>\r\n\r\nfirst body\r\n--b0\r\nContent-Id: <b>\r\n\r\nsecond\r\n--b0--"
	mr := NewReader(strings.NewReader(in), "b0", Options{})

	p1, err := mr.NextPart()
	require.NoError(t, err)
	assert.Equal(t, 1, p1.Index)
	assert.Equal(t, int64(6), p1.Offset)
	buf := make([]byte, 5)
	n, err := p1.Body.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "first", string(buf[:n]))
	n, err = p1.Body.Read(nil)
	assert.Zero(t, n)
	require.NoError(t, err)

	p2, err := mr.NextPart() // discards " body"
	require.NoError(t, err)
	assert.Equal(t, 2, p2.Index)
	assert.Equal(t, "<b>", p2.Header.Get("Content-Id"))
	_, err = p1.Body.Read(buf)
	require.EqualError(t, err, "mime: part 1: body read after NextPart")

	b, err := io.ReadAll(p2.Body)
	require.NoError(t, err)
	assert.Equal(t, "second", string(b))
	n, err = p2.Body.Read(buf)
	assert.Zero(t, n)
	assert.Equal(t, io.EOF, err, "EOF again")

	_, err = mr.NextPart()
	assert.Equal(t, io.EOF, err)
	_, err = mr.NextPart()
	assert.Equal(t, io.EOF, err)
	n, err = p2.Body.Read(buf)
	assert.Zero(t, n)
	assert.Equal(t, io.EOF, err, "a fully read body stays at EOF")
}

func TestReaderDeviationTexts(t *testing.T) {
	t.Parallel()
	in := "--b0 \r\nContent-Type: a/b;\r\n c=d\n\r\nbody\r\n--b0\r\nX: y\r\n\r\n--b0\r\n\r\ntail"
	mr := NewReader(strings.NewReader(in), "b0", Options{})
	var parts []*Part
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		_, err = io.Copy(io.Discard, p.Body)
		require.NoError(t, err)
		parts = append(parts, p)
	}
	require.Len(t, parts, 3)
	assert.Equal(t, []Deviation{
		{TransportPadding, "part 1: spaces or tabs after the boundary delimiter at byte 0"},
		{FoldedHeader, `part 1: header "Content-Type" is folded at byte 27`},
	}, parts[0].Deviations())
	assert.Equal(t, []Deviation{
		{DelimiterNoLineBreak, "part 2: empty body followed by a delimiter without a line break at byte 54"},
	}, parts[1].Deviations())
	assert.Equal(t, []Deviation{
		{MissingFinalBoundary, "part 3: input ends at byte 66 without the close delimiter"},
	}, parts[2].Deviations())
	assert.Equal(t, []Deviation{
		{TransportPadding, "part 1: spaces or tabs after the boundary delimiter at byte 0"},
		{FoldedHeader, `part 1: header "Content-Type" is folded at byte 27`},
		{DelimiterNoLineBreak, "part 2: empty body followed by a delimiter without a line break at byte 54"},
		{MissingFinalBoundary, "part 3: input ends at byte 66 without the close delimiter"},
		{MixedLineEndings, "multipart framing mixes CRLF (9 lines) and LF (1 lines); first LF at byte 31"},
	}, mr.Deviations())
	assert.Equal(t, "folded-header: part 1: header \"Content-Type\" is folded at byte 27", parts[0].Deviations()[1].String())
}

// TestReaderNestedMM7 reads the DeliverReq of mm7-facts 13.4: the SOAP part
// and a nested multipart/related content part read with a second Reader.
func TestReaderNestedMM7(t *testing.T) {
	t.Parallel()
	soap := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<env:Envelope xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\"/>"
	inner := "--=_mo_inner\r\nContent-Type: application/smil; charset=\"utf-8\"\r\nContent-ID: <pres>\r\n\r\n<smil/>\r\n" +
		"--=_mo_inner\r\nContent-Type: image/jpeg\r\nContent-ID: <photo.jpg>\r\nContent-Transfer-Encoding: BASE64\r\n\r\n/9j/4AAQ\r\nSkZJRg==\r\n" +
		"--=_mo_inner--"
	body := "--=_mo_88121\r\nContent-Type: text/xml; charset=\"utf-8\"\r\nContent-ID: <mo-soap-88121>\r\n\r\n" + soap + "\r\n" +
		"--=_mo_88121\r\nContent-Type: multipart/related; Type=\"application/smil\"; Start=\"<pres>\"; boundary=\"=_mo_inner\"\r\nContent-ID: <mo-content-88121>\r\n\r\n" +
		inner + "\r\n--=_mo_88121--\r\n"

	mt, params, devs, err := ParseMediaType(`multipart/related; type="text/xml"; start="<mo-soap-88121>"; boundary="=_mo_88121"`)
	require.NoError(t, err)
	assert.Empty(t, devs)
	assert.Equal(t, "multipart/related", mt)
	mr := NewReader(strings.NewReader(body), params["boundary"], Options{})

	root, err := mr.NextPart()
	require.NoError(t, err)
	id, _ := NormalizeContentID(root.Header.Get("Content-Id"))
	start, _ := NormalizeContentID(params["start"])
	assert.Equal(t, start, id)
	got, err := io.ReadAll(root.Body)
	require.NoError(t, err)
	assert.Equal(t, soap, string(got))

	content, err := mr.NextPart()
	require.NoError(t, err)
	href, _ := ContentIDFromHref("cid:mo-content-88121")
	id, _ = NormalizeContentID(content.Header.Get("Content-Id"))
	same, lenient := SameContentID(href, id)
	assert.True(t, same)
	assert.False(t, lenient)
	mt, params, devs, err = ParseMediaType(content.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "multipart/related", mt)
	assert.Equal(t, map[string]string{"type": "application/smil", "start": "<pres>", "boundary": "=_mo_inner"}, params)
	assert.Equal(t, []string{CapitalisedParam, CapitalisedParam}, codes(devs))

	ir := NewReader(content.Body, params["boundary"], Options{})
	smil, err := ir.NextPart()
	require.NoError(t, err)
	assert.Equal(t, "<pres>", smil.Header.Get("Content-Id"))
	img, err := ir.NextPart()
	require.NoError(t, err)
	dec, cteDevs, err := NewTransferDecoder(img.Body, img.Header.Get("Content-Transfer-Encoding"))
	require.NoError(t, err)
	assert.Equal(t, []string{TransferEncodingCase}, codes(cteDevs))
	jpeg, err := io.ReadAll(dec)
	require.NoError(t, err)
	assert.Equal(t, []byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46}, jpeg)
	_, err = ir.NextPart()
	assert.Equal(t, io.EOF, err)
	assert.Empty(t, ir.Deviations())

	_, err = mr.NextPart()
	assert.Equal(t, io.EOF, err)
	assert.Empty(t, mr.Deviations())
}

// patternReader produces n bytes of base64-looking lines with CRLF, and
// near-miss delimiters, without holding them in memory.
type patternReader struct {
	n, off int64
	line   []byte
}

func newPatternReader(n int64, boundary string) *patternReader {
	line := []byte(strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo", 2)[:70] + "\r\n--" + boundary[:len(boundary)-1] + "\r\n")
	return &patternReader{n: n, line: line}
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	b = b[:min(int64(len(b)), p.n-p.off)]
	for i := range b {
		b[i] = p.line[(p.off+int64(i))%int64(len(p.line))]
	}
	p.off += int64(len(b))
	return len(b), nil
}

// TestReaderConstantMemory streams a 100 MB part through NextPart and
// io.Copy and checks the heap does not grow with it.
func TestReaderConstantMemory(t *testing.T) {
	const size = 100 << 20
	const boundary = "=_big_part_boundary"
	in := io.MultiReader(
		strings.NewReader("--"+boundary+"\r\nContent-Type: application/octet-stream\r\n\r\n"),
		newPatternReader(size, boundary),
		strings.NewReader("\r\n--"+boundary+"\r\n\r\nsmall\r\n--"+boundary+"--\r\n"),
	)
	before := memStats()
	mr := NewReader(in, boundary, Options{})
	p, err := mr.NextPart()
	require.NoError(t, err)
	n, err := io.Copy(io.Discard, p.Body)
	require.NoError(t, err)
	assert.Equal(t, int64(size), n)
	p, err = mr.NextPart()
	require.NoError(t, err)
	small, err := io.ReadAll(p.Body)
	require.NoError(t, err)
	assert.Equal(t, "small", string(small))
	_, err = mr.NextPart()
	require.Equal(t, io.EOF, err)
	after := memStats()

	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("streamed %d MB: %d KB allocated, heap in use %d KB -> %d KB", size>>20, allocated>>10, before.HeapInuse>>10, after.HeapInuse>>10)
	assert.Less(t, allocated, uint64(8<<20), "allocations must not grow with the part size")
	assert.Less(t, int64(after.HeapInuse)-int64(before.HeapInuse), int64(8<<20))
}

func TestReaderDiscardsUnreadBody(t *testing.T) {
	t.Parallel()
	const boundary = "bb"
	in := io.MultiReader(
		strings.NewReader("--bb\r\n\r\n"),
		newPatternReader(5<<20, boundary),
		strings.NewReader("\r\n--bb\r\nContent-Id: <2>\r\n\r\ntwo\r\n--bb--"),
	)
	mr := NewReader(in, boundary, Options{})
	_, err := mr.NextPart()
	require.NoError(t, err)
	p, err := mr.NextPart()
	require.NoError(t, err)
	assert.Equal(t, "<2>", p.Header.Get("Content-Id"))
	assert.Equal(t, int64(5<<20+8+8), p.Offset)
}

func TestReaderBodyEqualsInputMinusFraming(t *testing.T) {
	t.Parallel()
	// A body with many near-miss delimiters at every buffer alignment.
	var body bytes.Buffer
	for i := range 5000 {
		body.WriteString(strings.Repeat("x", i%97))
		body.WriteString([]string{"\r\n--b", "\n--b0x", "\r\n--b0-x", "--b0\r\n", "\r", "\n", "\r\n--b0 x"}[i%7])
	}
	in := "--b0\r\n\r\n" + body.String() + "\r\n--b0--"
	for cname, chunk := range chunkings {
		t.Run(cname, func(t *testing.T) {
			t.Parallel()
			parts, _, err := readParts(chunk(strings.NewReader(in)), "b0", Options{})
			require.NoError(t, err)
			require.Len(t, parts, 1)
			assert.Equal(t, body.String(), parts[0].Body)
		})
	}
}
