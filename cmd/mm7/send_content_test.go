package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
	smilpkg "github.com/openmms/mm7go/smil"
)

// cameraJPEG is a w x h JPEG with photographic noise, as large as a
// camera's.
func cameraJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, img, &jpeg.Options{Quality: 92}))
	return b.Bytes()
}

func TestSendSlides(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := writeTemp(t, dir, "a.png", demoPNG())
	b := writeTemp(t, dir, "b.png", demoPNG())
	code, out, errOut := runEnv(t, nil, "send", "--dry-run", "--url", "http://mmsc.example/mm7", "--to", "15555550123",
		"--text", "Hi", "--attach", a, "--slide", b, "--slide", a+",@text")
	require.Equal(t, 0, code, errOut)
	_, _, parts := dryRunRequest(t, out)
	require.Len(t, parts, 4, "SMIL, text, a.png, b.png (attached by --slide)")
	pres, err := smilpkg.Parse(parts[0].Data)
	require.NoError(t, err)
	require.Len(t, pres.Slides, 2)
	assert.Equal(t, []smilpkg.Item{{Kind: smilpkg.Image, Src: "cid:b.png", Region: "Image"}}, pres.Slides[0].Items)
	assert.Equal(t, []smilpkg.Item{{Kind: smilpkg.Image, Src: "cid:a.png", Region: "Image"}, {Kind: smilpkg.Text, Src: "cid:text.txt", Region: "Text"}},
		pres.Slides[1].Items)
	assert.Equal(t, "b.png", parts[3].ContentLocation)
}

func TestSendSlidesUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := writeTemp(t, dir, "a.png", demoPNG())
	b := writeTemp(t, dir, "b.png", demoPNG())
	base := []string{"send", "--dry-run", "--url", "http://mmsc.example/mm7", "--to", "15555550123"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--text", "Hi", "--attach", a, "--slide", a}, "--slide: @text is on no slide"},
		{[]string{"--attach", a, "--slide", a, "--slide", a}, "is already on a slide"},
		{[]string{"--attach", a, "--slide", "@text"}, "@text without --text"},
		{[]string{"--slide", a + "," + b}, "at most one image or video per slide"},
		{[]string{"--slide", a + ",,"}, "empty part"},
		{[]string{"--text", "x", "--max-content", "2GB"}, "--max-content: want 300KB, 600KB, 1MB or a number of bytes"},
		{[]string{"--text", "日本", "--charset", "ISO-8859-1"}, "--charset: mm7: encode text as ISO-8859-1: '日' at byte 0 cannot be written"},
		{[]string{"--text", "x", "--charset", "klingon"}, "unknown charset"},
		{[]string{"--attach", a, "--charset", "Shift_JIS"}, "--charset applies to --text"},
		{[]string{"--attach", a, "--fit"}, "--fit: TS 23.140 sets no size limit to fit: give --max-content"},
	} {
		code, out, errOut := runEnv(t, nil, append(base, c.args...)...)
		assert.NotEqual(t, 0, code, "%v", c.args)
		assert.Empty(t, out, "%v", c.args)
		first, rest, _ := strings.Cut(errOut, "\n")
		assert.Contains(t, first, c.want, "%v: the error on one line", c.args)
		assert.True(t, rest == "" || strings.HasPrefix(rest, "Try 'mm7 send -h'."), "%v: only the usage hint follows: %q", c.args, rest)
	}
}

func TestSendCharset(t *testing.T) {
	t.Parallel()
	code, out, errOut := runEnv(t, nil, "send", "--dry-run", "--url", "http://mmsc.example/mm7", "--to", "15555550123",
		"--text", "日本語のテキスト", "--charset", "shift_jis")
	require.Equal(t, 0, code, errOut)
	_, _, parts := dryRunRequest(t, out)
	require.Len(t, parts, 1)
	assert.Equal(t, `text/plain; charset="Shift_JIS"`, parts[0].ContentType)
	text, err := mm7.DecodeText(parts[0].Data, "Shift_JIS")
	require.NoError(t, err)
	assert.Equal(t, "日本語のテキスト", text)
	assert.NotEqual(t, "日本語のテキスト", string(parts[0].Data), "the bytes are Shift_JIS")

	// Default: UTF-8, with an explicit charset.
	code, out, errOut = runEnv(t, nil, "send", "--dry-run", "--url", "http://mmsc.example/mm7", "--to", "15555550123", "--text", "Ça va")
	require.Equal(t, 0, code, errOut)
	_, _, parts = dryRunRequest(t, out)
	assert.Equal(t, `text/plain; charset="utf-8"`, parts[0].ContentType)
	assert.Equal(t, "Ça va", string(parts[0].Data))
}

// sizesMMSC is a fake MMSC that records the sizes of the parts it gets.
type sizesMMSC struct {
	mu    sync.Mutex
	sizes map[string]int
	n     int
}

func TestSendFit(t *testing.T) {
	t.Parallel()
	rec := &sizesMMSC{sizes: map[string]int{}}
	mmsc := newFakeMMSC(t, "", "", func(r *mm7.Request) (string, error) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.n++
		for {
			a, err := r.NextAttachment()
			if errors.Is(err, io.EOF) {
				return "m-fit", nil
			}
			if err != nil {
				return "", err
			}
			b, err := io.ReadAll(a.Body)
			if err != nil {
				return "", err
			}
			rec.sizes[a.ContentLocation] = len(b)
		}
	})
	dir := t.TempDir()
	photo := cameraJPEG(t, 900, 600)
	require.Greater(t, len(photo), 300<<10)
	pic := writeTemp(t, dir, "photo.jpg", photo)
	args := []string{"send", "--url", mmsc.URL + "/mm7", "--to", "15555550123", "--text", "Hello", "--attach", pic, "--max-content", "300KB"}

	// Without --fit: refused locally, with the numbers; nothing sent.
	code, out, errOut := runEnv(t, nil, args...)
	assert.Equal(t, exitRefused, code, "refused locally: nothing sent")
	assert.Empty(t, out)
	assert.Contains(t, errOut, "content bytes, at most 307200")
	assert.Contains(t, errOut, "photo.jpg image/jpeg "+strconv.Itoa(len(photo))+" bytes")
	assert.Equal(t, 0, rec.n)

	code, out, errOut = runEnv(t, nil, append(args, "--fit")...)
	require.Equal(t, 0, code, errOut)
	var got callOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Fit, 1)
	f := got.Fit[0]
	assert.Equal(t, "photo.jpg", f.ContentLocation)
	assert.Equal(t, int64(len(photo)), f.FromBytes)
	assert.Equal(t, 900, f.FromWidth)
	assert.InDelta(t, 1.5, float64(f.ToWidth)/float64(f.ToHeight), 0.01)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	assert.Equal(t, int(f.ToBytes), rec.sizes["photo.jpg"], "the MMSC got the re-encoded image")
	assert.Equal(t, 5, rec.sizes["text.txt"], "text never cut")
	assert.LessOrEqual(t, rec.sizes["photo.jpg"]+rec.sizes["text.txt"]+rec.sizes["presentation.smil"], 300<<10)
	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	fit0 := raw["fit"].([]any)[0].(map[string]any)
	for _, k := range []string{"from_bytes", "to_bytes", "from_width", "to_width", "from_height", "to_height", "quality", "from_type", "to_type"} {
		assert.Contains(t, fit0, k)
	}
}

func TestSendFitDryRun(t *testing.T) {
	t.Parallel()
	photo := cameraJPEG(t, 900, 600)
	pic := writeTemp(t, t.TempDir(), "photo.jpg", photo)
	code, out, errOut := runEnv(t, nil, "send", "--dry-run", "--url", "http://mmsc.example/mm7", "--to", "15555550123",
		"--attach", pic, "--max-content", "300KB", "--fit")
	require.Equal(t, 0, code, errOut)
	_, _, parts := dryRunRequest(t, out)
	require.Len(t, parts, 1)
	assert.LessOrEqual(t, len(parts[0].Data), 300<<10, "the request shown is the one --fit would send")
	img, err := jpeg.Decode(bytes.NewReader(parts[0].Data))
	require.NoError(t, err)
	assert.InDelta(t, 1.5, float64(img.Bounds().Dx())/float64(img.Bounds().Dy()), 0.01)
}

func TestReplaceFit(t *testing.T) {
	t.Parallel()
	photo := cameraJPEG(t, 900, 600)
	pic := writeTemp(t, t.TempDir(), "photo.jpg", photo)
	args := []string{"replace", "--dry-run", "--url", "http://mmsc.example/mm7", "--message-id", "m-1", "--attach", pic, "--max-content", "300KB"}
	code, out, errOut := runEnv(t, nil, args...)
	assert.Equal(t, exitRefused, code, errOut)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "content bytes")
	assert.Contains(t, errOut, "photo.jpg image/jpeg "+strconv.Itoa(len(photo))+" bytes", "the dry run names the parts as a send does")
	code, out, errOut = runEnv(t, nil, append(args, "--fit")...)
	require.Equal(t, 0, code, errOut)
	_, _, parts := dryRunRequest(t, out)
	require.Len(t, parts, 1)
	assert.LessOrEqual(t, len(parts[0].Data), 300<<10)
}
