package mime

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	stdmime "mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedFiles returns the files in testdata/dir, split at their first
// newline into a header line and the content.
func seedFiles(f *testing.F, dir string) [][2]string {
	f.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seeds in testdata/%s: %v", dir, err)
	}
	var seeds [][2]string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		first, rest, _ := strings.Cut(string(b), "\n")
		seeds = append(seeds, [2]string{first, rest})
	}
	return seeds
}

// fuzzOpts keep fuzzed reads small.
var fuzzOpts = Options{MaxParts: 16, MaxHeaderBytes: 1024}

func FuzzReader(f *testing.F) {
	for _, s := range seedFiles(f, "multipart") {
		f.Add([]byte(s[1]), strings.TrimPrefix(s[0], "boundary: "))
	}
	f.Fuzz(func(t *testing.T, data []byte, boundary string) {
		// Any input: no panic, bounded parts, bodies never longer than
		// the input, errors prefixed.
		mr := NewReader(bytes.NewReader(data), boundary, fuzzOpts)
		var total int64
		for i := 0; ; i++ {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				if !strings.HasPrefix(err.Error(), "mime: ") {
					t.Fatalf("error without prefix: %v", err)
				}
				break
			}
			if i >= fuzzOpts.MaxParts || p.Index != i+1 {
				t.Fatalf("part %d has index %d (limit %d)", i, p.Index, fuzzOpts.MaxParts)
			}
			if i%2 == 0 { // leave every other body to NextPart
				n, err := io.Copy(io.Discard, p.Body)
				total += n
				if err != nil {
					break
				}
			}
		}
		if total > int64(len(data)) {
			t.Fatalf("read %d body bytes from %d bytes of input", total, len(data))
		}
		for _, d := range mr.Deviations() {
			if d.Code == "" || d.Text == "" {
				t.Fatalf("empty deviation %#v", d)
			}
		}

		// Round trip: parts written by mime/multipart.Writer read back
		// byte-exactly and without deviations.
		roundTrip(t, data, boundary)
	})
}

// roundTrip splits data into parts, writes them with multipart.Writer and
// checks Reader returns them unchanged.
func roundTrip(t *testing.T, data []byte, boundary string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if w.SetBoundary(boundary) != nil {
		boundary = w.Boundary()
	}
	bodies := bytes.Split(data, []byte("\x00\x00"))
	if len(bodies) > fuzzOpts.MaxParts {
		bodies = bodies[:fuzzOpts.MaxParts]
	}
	for _, b := range bodies {
		if bytes.Contains(b, []byte("--"+boundary)) {
			return // a body may not contain its delimiter (RFC 2046)
		}
	}
	for i, b := range bodies {
		h := textproto.MIMEHeader{}
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Id", fmt.Sprintf("<part%d>", i))
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pw.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	parts, mr, err := readParts(bytes.NewReader(buf.Bytes()), boundary, fuzzOpts)
	if err != nil {
		t.Fatalf("reading multipart.Writer output: %v\n%q", err, buf.Bytes())
	}
	if len(parts) != len(bodies) {
		t.Fatalf("got %d parts, wrote %d\n%q", len(parts), len(bodies), buf.Bytes())
	}
	for i, p := range parts {
		if p.Body != string(bodies[i]) {
			t.Fatalf("part %d: got %q, wrote %q", i+1, p.Body, bodies[i])
		}
		if got, want := p.Header.Get("Content-Id"), fmt.Sprintf("<part%d>", i); got != want {
			t.Fatalf("part %d: Content-Id %q, want %q", i+1, got, want)
		}
	}
	if devs := mr.Deviations(); len(devs) > 0 {
		t.Fatalf("deviations reading multipart.Writer output: %v", devs)
	}
}

func FuzzTransferDecoder(f *testing.F) {
	for _, s := range seedFiles(f, "transfer") {
		f.Add([]byte(s[1]), s[0])
	}
	f.Fuzz(func(t *testing.T, data []byte, cte string) {
		// Any input: no panic, output never longer than the input.
		r, _, err := NewTransferDecoder(bytes.NewReader(data), cte)
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, r)
		if n > int64(len(data)) {
			t.Fatalf("decoded %d bytes from %d", n, len(data))
		}
		if err != nil && !strings.HasPrefix(err.Error(), "mime: ") {
			t.Fatalf("error without prefix: %v", err)
		}

		// base64: decode(encode(x)) == x, with the predicted length and no
		// deviations.
		var enc bytes.Buffer
		w := NewBase64Writer(&enc)
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if int64(enc.Len()) != Base64EncodedLen(int64(len(data))) {
			t.Fatalf("encoded %d bytes to %d, Base64EncodedLen says %d", len(data), enc.Len(), Base64EncodedLen(int64(len(data))))
		}
		got, devs := decodeBytes(t, enc.Bytes(), "base64")
		if !bytes.Equal(got, data) || len(devs) > 0 {
			t.Fatalf("base64 round trip: got %q (deviations %v), want %q", got, devs, data)
		}

		// base64: whatever encoding/base64 decodes (white space removed),
		// we decode the same.
		clean := bytes.Map(func(r rune) rune {
			if strings.ContainsRune(" \t\r\n\f\v", r) {
				return -1
			}
			return r
		}, data)
		if want, err := base64.StdEncoding.DecodeString(string(clean)); err == nil {
			if got, _ := decodeBytes(t, data, "base64"); !bytes.Equal(got, want) {
				t.Fatalf("base64 %q: got %q, encoding/base64 gives %q", data, got, want)
			}
		}

		// quoted-printable: where mime/quotedprintable succeeds (on lines
		// within its 4096-byte limit), we give the same bytes. Input with a
		// bare CR (invalid QP) is left out: it drops CRs at line ends,
		// and we keep them.
		if !hasBareCR(data) {
			if want, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(data))); err == nil {
				if got, _ := decodeBytes(t, data, "quoted-printable"); !bytes.Equal(got, want) {
					t.Fatalf("quoted-printable %q: got %q, mime/quotedprintable gives %q", data, got, want)
				}
			}
		}
	})
}

// hasBareCR reports whether b has a CR not followed by LF.
func hasBareCR(b []byte) bool {
	for i, c := range b {
		if c == '\r' && (i+1 == len(b) || b[i+1] != '\n') {
			return true
		}
	}
	return false
}

// decodeBytes decodes data completely, failing the test on an error.
func decodeBytes(t *testing.T, data []byte, cte string) ([]byte, []Deviation) {
	t.Helper()
	r, _, err := NewTransferDecoder(bytes.NewReader(data), cte)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s %q: %v", cte, data, err)
	}
	return got, r.(DeviationReporter).Deviations()
}

func FuzzParseMediaType(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "mediatype.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, v string) {
		mt, params, devs, err := ParseMediaType(v)
		if err != nil {
			if mt != "" || params != nil || devs != nil || !strings.HasPrefix(err.Error(), "mime: ") {
				t.Fatalf("error %v with results %q %v %v", err, mt, params, devs)
			}
			return
		}
		if mt == "" || mt != strings.ToLower(mt) || params == nil {
			t.Fatalf("media type %q, params %v", mt, params)
		}
		for k := range params {
			if k != strings.ToLower(k) || strings.Contains(k, "*") {
				t.Fatalf("parameter name %q", k)
			}
		}
		// Whatever mime.ParseMediaType accepts, we read the same way.
		if smt, sparams, err := stdmime.ParseMediaType(v); err == nil {
			if smt != mt || fmt.Sprint(sparams) != fmt.Sprint(params) {
				t.Fatalf("%q: got %q %v, mime.ParseMediaType gives %q %v", v, mt, params, smt, sparams)
			}
		}
		// What mime.FormatMediaType writes from our result reads back
		// unchanged and without deviations.
		if out := stdmime.FormatMediaType(mt, params); out != "" {
			mt2, params2, devs2, err := ParseMediaType(out)
			if err != nil || mt2 != mt || fmt.Sprint(params2) != fmt.Sprint(params) || len(devs2) > 0 {
				t.Fatalf("%q -> %q -> %q %v %v %v", v, out, mt2, params2, devs2, err)
			}
		}
	})
}
