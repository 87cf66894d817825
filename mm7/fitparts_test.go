package mm7_test

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7/fit"
)

// noisyPhoto encodes a w x h picture with photographic noise, so that its
// JPEG is as large as a camera's.
func noisyPhoto(t testing.TB, w, h int, format string) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		x, y := (i/4)%w, (i/4)/w
		img.Pix[i] = uint8(x*255/w) ^ uint8(rng.IntN(40))
		img.Pix[i+1] = uint8(y*255/h) ^ uint8(rng.IntN(40))
		img.Pix[i+2] = uint8(rng.IntN(256))
		img.Pix[i+3] = 255
	}
	var b bytes.Buffer
	if format == "png" {
		require.NoError(t, png.Encode(&b, img))
	} else {
		require.NoError(t, jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}))
	}
	return b.Bytes()
}

func submitMessage() *mm7.Message {
	return &mm7.Message{TransactionID: "tx-fit", Version: mm7.Rel6, Body: clientSubmitReq()}
}

func encodedLen(t *testing.T, parts []mm7.Attachment) int64 {
	t.Helper()
	enc, err := mm7.NewEncoder(submitMessage(), parts, mm7.EncodeOptions{})
	require.NoError(t, err)
	n, ok := enc.ContentLength() // counts without reading the bodies
	require.True(t, ok)
	return n
}

func TestFitAttachmentsVibes(t *testing.T) {
	photo := noisyPhoto(t, 1600, 1200, "jpeg")
	require.Greater(t, len(photo), 1<<20, "the test photo must exceed Vibes' limit")
	text := "Your coupon: 20% off. Ça marche! 日本語"
	parts := []mm7.Attachment{
		{ContentType: `text/plain; charset="utf-8"`, ContentID: "text.txt", ContentLocation: "text.txt", Body: strings.NewReader(text)},
		{ContentType: "image/jpeg", ContentID: "photo.jpg", ContentLocation: "photo.jpg", Body: bytes.NewReader(photo)},
	}
	out, reports, err := mm7.FitAttachments(submitMessage(), parts, mm7.ProfileVibes.Limits, fit.Options{})
	require.NoError(t, err)
	require.Len(t, out, 2)
	assert.LessOrEqual(t, encodedLen(t, out), int64(mm7.VibesMaxBodyBytes))
	got, err := io.ReadAll(out[0].Body)
	require.NoError(t, err)
	assert.Equal(t, text, string(got), "text is never changed")
	require.Len(t, reports, 1)
	r := reports[0]
	assert.Equal(t, "photo.jpg", r.ContentID)
	assert.Equal(t, int64(len(photo)), r.FromBytes)
	assert.Equal(t, out[1].Size, r.ToBytes)
	assert.Equal(t, 1600, r.FromWidth)
	assert.InDelta(t, 4.0/3, float64(r.ToWidth)/float64(r.ToHeight), 0.01)
	img, err := jpeg.Decode(out[1].Body)
	require.NoError(t, err)
	assert.Equal(t, r.ToWidth, img.Bounds().Dx())
}

func TestFitAttachmentsKeepsWhatFits(t *testing.T) {
	parts := []mm7.Attachment{{ContentType: "image/jpeg", ContentID: "a", Size: 1000, Body: failingReader{}}}
	out, reports, err := mm7.FitAttachments(submitMessage(), parts, mm7.ProfileVibes.Limits, fit.Options{})
	require.NoError(t, err)
	assert.Empty(t, reports)
	assert.Equal(t, parts, out, "known sizes within the limit: nothing read")
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("must not be read") }

func TestFitAttachmentsSharesAmongImages(t *testing.T) {
	small := noisyPhoto(t, 120, 90, "jpeg")
	big := noisyPhoto(t, 1200, 900, "png")
	limits := mm7.Limits{MaxContentBytes: 300 << 10} // the 300KB size class
	parts := []mm7.Attachment{
		{ContentType: "image/jpeg", ContentID: "small.jpg", Body: bytes.NewReader(small)},
		{ContentType: "image/png", ContentID: "big.png", Body: bytes.NewReader(big)},
	}
	out, reports, err := mm7.FitAttachments(submitMessage(), parts, limits, fit.Options{})
	require.NoError(t, err)
	require.Len(t, reports, 1, "the small image keeps its bytes")
	assert.Equal(t, "big.png", reports[0].ContentID)
	assert.Equal(t, "image/png", reports[0].FromType)
	assert.Equal(t, "image/jpeg", reports[0].ToType)
	assert.Equal(t, "image/jpeg", out[1].ContentType, "the Content-Type follows the new format")
	assert.LessOrEqual(t, out[0].Size+out[1].Size, int64(300<<10))
	b, err := io.ReadAll(out[0].Body)
	require.NoError(t, err)
	assert.Equal(t, small, b)
}

func TestFitAttachmentsRefusesWhatCannotShrink(t *testing.T) {
	text := strings.Repeat("A long text that is never cut. ", 40_000) // ~1.2 MB
	parts := []mm7.Attachment{
		{ContentType: "text/plain", ContentLocation: "long.txt", Body: strings.NewReader(text)},
		{ContentType: "image/jpeg", ContentLocation: "p.jpg", Body: bytes.NewReader(noisyPhoto(t, 200, 100, "jpeg"))},
	}
	_, _, err := mm7.FitAttachments(submitMessage(), parts, mm7.ProfileVibes.Limits, fit.Options{})
	le, ok := errors.AsType[*mm7.LimitError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, int64(mm7.VibesMaxBodyBytes), le.Max)
	require.Len(t, le.Parts, 2)
	assert.Equal(t, mm7.PartSize{Name: "long.txt", Type: "text/plain", Bytes: int64(len(text))}, le.Parts[0])
	assert.Contains(t, err.Error(), "long.txt text/plain 1240000 bytes")
}

func TestClientFit(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, clientSuccess)
	photo := noisyPhoto(t, 1600, 1200, "jpeg")
	atts := func() []mm7.Attachment {
		return []mm7.Attachment{{ContentType: "image/jpeg", ContentID: "photo.jpg", Body: bytes.NewReader(photo)},
			{ContentType: "text/plain", ContentID: "t.txt", Body: strings.NewReader("hello")}}
	}
	// Without Fit: refused locally with the numbers, nothing sent.
	c, err := mm7.NewClient(mmsc.URL, func(o *mm7.Options) { o.Profile = mm7.ProfileVibes })
	require.NoError(t, err)
	_, err = c.Submit(t.Context(), clientSubmitReq(), atts())
	le, ok := errors.AsType[*mm7.LimitError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "photo.jpg", le.Parts[0].Name)
	assert.Equal(t, int64(len(photo)), le.Parts[0].Bytes)
	assert.Equal(t, 0, mmsc.count())

	c, err = mm7.NewClient(mmsc.URL, func(o *mm7.Options) { o.Profile = mm7.ProfileVibes; o.Fit = &fit.Options{} })
	require.NoError(t, err)
	res, err := c.Submit(t.Context(), clientSubmitReq(), atts())
	require.NoError(t, err)
	require.Len(t, res.Fit, 1)
	assert.Equal(t, "photo.jpg", res.Fit[0].ContentID)
	require.Equal(t, 1, mmsc.count())
	ex := mmsc.exchange(0)
	assert.LessOrEqual(t, ex.ContentLength, int64(mm7.VibesMaxBodyBytes))
	require.Len(t, ex.Parts, 2)
	assert.Equal(t, res.Fit[0].ToBytes, int64(len(ex.Parts[0].Data)))
	assert.Equal(t, "hello", string(ex.Parts[1].Data))
}

func TestClientContentLimit(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, clientSuccess)
	c, err := mm7.NewClient(mmsc.URL, func(o *mm7.Options) { o.Profile.Limits.MaxContentBytes = 300 << 10 })
	require.NoError(t, err)
	_, err = c.Submit(t.Context(), clientSubmitReq(), []mm7.Attachment{{ContentType: "image/gif", ContentLocation: "a.gif", Body: bytes.NewReader(clientImage(400 << 10))}})
	le, ok := errors.AsType[*mm7.LimitError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "content bytes", le.Limit)
	assert.Equal(t, int64(400<<10), le.Got)
	assert.Equal(t, 0, mmsc.count())
}

func TestSizeClasses(t *testing.T) {
	var prev int64
	for _, c := range mm7.SizeClasses {
		assert.Greater(t, c.Bytes, prev, "smallest first")
		assert.NotEmpty(t, c.Source)
		got, ok := mm7.LookupSizeClass(strings.ToLower(c.Name))
		assert.True(t, ok)
		assert.Equal(t, c, got)
		prev = c.Bytes
	}
	_, ok := mm7.LookupSizeClass("2MB")
	assert.False(t, ok)
}
