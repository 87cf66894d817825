package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/internal/rawmsg"
	"github.com/openmms/mm7go/mm7"
)

// corpusInput is one message of the test corpora: a file's bytes and the
// Content-Type to read them with ("" when the file has its own headers).
type corpusInput struct {
	name, contentType string
	data              []byte
}

// corpus gathers the quirk and broken fixtures, the decoder's fuzz seeds
// and the MIME reader's multipart samples and fuzz seeds.
func corpus(t testing.TB) []corpusInput {
	t.Helper()
	root := filepath.Join("..", "..", "mm7")
	var in []corpusInput
	for _, dir := range []string{"quirks", "broken"} {
		paths, err := filepath.Glob(filepath.Join(root, "testdata", dir, "*.http"))
		require.NoError(t, err)
		require.NotEmpty(t, paths)
		for _, p := range paths {
			data, err := os.ReadFile(p)
			require.NoError(t, err)
			in = append(in, corpusInput{name: dir + "/" + filepath.Base(p), data: data})
		}
	}
	for _, p := range fuzzSeeds(t, filepath.Join(root, "testdata", "fuzz", "FuzzDecodeEnvelope")) {
		in = append(in, corpusInput{name: "fuzz/" + p[0], contentType: "text/xml", data: []byte(p[1])})
	}
	mimeData := filepath.Join(root, "internal", "mime", "testdata")
	paths, err := filepath.Glob(filepath.Join(mimeData, "multipart", "*.mime"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		first, body, _ := bytes.Cut(data, []byte("\n"))
		boundary := strings.TrimPrefix(string(first), "boundary: ")
		in = append(in, corpusInput{name: "mime/" + filepath.Base(p), contentType: `multipart/related; type="text/xml"; boundary="` + boundary + `"`, data: body})
	}
	// Media type seeds as the Content-Type of a clean message.
	clean, err := os.ReadFile(filepath.Join(root, "testdata", "quirks", "clean_deliveryreportrsp_rel5.http"))
	require.NoError(t, err)
	raw, err := rawmsg.Parse(clean, "")
	require.NoError(t, err)
	for _, p := range fuzzSeeds(t, filepath.Join(mimeData, "fuzz", "FuzzParseMediaType")) {
		in = append(in, corpusInput{name: "mediatype/" + p[0], contentType: p[1], data: raw.Body})
	}
	lines, err := os.ReadFile(filepath.Join(mimeData, "mediatype.txt"))
	require.NoError(t, err)
	for i, l := range strings.Split(strings.TrimSpace(string(lines)), "\n") {
		in = append(in, corpusInput{name: "mediatype.txt:" + strconv.Itoa(i+1), contentType: l, data: raw.Body})
	}
	return in
}

// fuzzSeeds reads the first string or []byte value of each file of a Go
// fuzz corpus directory: name and value.
func fuzzSeeds(t testing.TB, dir string) [][2]string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*"))
	require.NoError(t, err)
	require.NotEmpty(t, paths, dir)
	var out [][2]string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		lines := strings.Split(string(data), "\n")
		require.Equal(t, "go test fuzz v1", lines[0], p)
		v := lines[1]
		v = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(v, "[]byte("), "string("), ")")
		s, err := strconv.Unquote(v)
		require.NoError(t, err, p)
		out = append(out, [2]string{filepath.Base(p), s})
	}
	return out
}

// decodesCompletely reports whether the decoder accepts a body: its
// message and every attachment to the end.
func decodesCompletely(body []byte, contentType string) bool {
	dec, err := mm7.NewDecoder(bytes.NewReader(body), contentType, mm7.DecodeOptions{})
	if err != nil {
		return false
	}
	if _, err := dec.Message(); err != nil {
		return false
	}
	for {
		a, err := dec.NextAttachment()
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
		if _, err := io.Copy(io.Discard, a.Body); err != nil {
			return false
		}
	}
}

// checkRenders asserts the property: what the decoder accepts, inspect
// renders, as JSON, with no zero value shown as if it were data.
func checkRenders(t testing.TB, name string, data []byte, contentType string) (accepted bool) {
	t.Helper()
	raw, err := rawmsg.Parse(data, contentType)
	if err != nil || !decodesCompletely(raw.Body, raw.ContentType) {
		return false
	}
	out, err := inspect(name, data, contentType)
	if !assert.NoError(t, err, "%s: the decoder accepts it, inspect must render it", name) {
		return true
	}
	assert.LessOrEqual(t, len(out.Unknown), mm7.MaxUnknown+1, name)
	for _, u := range out.Unknown {
		assert.LessOrEqual(t, len(u.XML), mm7.MaxUnknownBytes, name)
	}
	js, err := json.Marshal(out)
	if assert.NoError(t, err, name) {
		assert.NotContains(t, string(js), "0001-01-01T00:00:00", "%s: an unset time rendered as a date", name)
		assert.NotContains(t, string(js), `"Value":""`, "%s: an empty mandatory value rendered", name)
	}
	return true
}

// TestCorpusRenders: every input of the corpora the decoder accepts is
// rendered by inspect; and so is every variant of an accepted text/xml
// envelope with one element of its body removed, which is how a lenient
// decode gets messages without their mandatory values.
func TestCorpusRenders(t *testing.T) {
	t.Parallel()
	accepted, variants := 0, 0
	for _, c := range corpus(t) {
		if !checkRenders(t, c.name, c.data, c.contentType) {
			continue
		}
		accepted++
		raw, err := rawmsg.Parse(c.data, c.contentType)
		require.NoError(t, err)
		if strings.HasPrefix(strings.ToLower(raw.ContentType), "multipart/") {
			continue
		}
		for i, v := range withoutEachBodyElement(raw.Body) {
			if checkRenders(t, c.name+" without element "+strconv.Itoa(i), v, raw.ContentType) {
				variants++
			}
		}
	}
	t.Logf("%d corpus inputs and %d one-element-removed variants accepted and rendered", accepted, variants)
	assert.Greater(t, accepted, 40)
	assert.Greater(t, variants, 100)
}

// withoutEachBodyElement returns copies of an XML envelope, each with
// one element inside the SOAP Body removed (start tag to end tag).
func withoutEachBodyElement(doc []byte) [][]byte {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	type open struct {
		start  int64
		inBody bool
	}
	var stack []open
	var out [][]byte
	inBody := false
	for {
		before := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, open{start: before, inBody: inBody})
			if t.Name.Local == "Body" {
				inBody = true
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return out
			}
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if t.Name.Local == "Body" {
				inBody = false
			}
			if o.inBody && len(stack) >= 3 { // below the message element
				v := append(bytes.Clone(doc[:o.start]), doc[d.InputOffset():]...)
				out = append(out, v)
			}
		}
	}
}

// FuzzInspectRenders: for any body and Content-Type the decoder accepts,
// inspect renders JSON, with unknown content bounded.
func FuzzInspectRenders(f *testing.F) {
	for _, c := range corpus(f) {
		raw, err := rawmsg.Parse(c.data, c.contentType)
		if err != nil {
			continue
		}
		f.Add(raw.Body, raw.ContentType)
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		if contentType == "" {
			return
		}
		checkRenders(t, "fuzz input", body, contentType)
	})
}
