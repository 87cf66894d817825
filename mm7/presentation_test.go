package mm7_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/smil"
)

func TestWithPresentationRoundTrip(t *testing.T) {
	parts := []mm7.Attachment{
		{ContentType: "image/jpeg", ContentLocation: "photo.jpg", Body: strings.NewReader("jpeg-bytes")},
		{ContentType: "text/plain", ContentLocation: "caption.txt", Body: strings.NewReader("Hello")},
		{ContentType: "image/gif", Body: strings.NewReader("gif-bytes")},
	}
	withSMIL, err := mm7.WithPresentation(parts, smil.Layout{}, nil)
	require.NoError(t, err)
	require.Len(t, withSMIL, 4)
	assert.Equal(t, "photo.jpg", withSMIL[0].ContentID)
	assert.Equal(t, "part-3", withSMIL[2].ContentID)

	var body bytes.Buffer
	ct, err := mm7.Encode(&body, submitMessage(), withSMIL...)
	require.NoError(t, err)
	dec, err := mm7.NewDecoder(&body, ct, mm7.DecodeOptions{Strict: true})
	require.NoError(t, err)
	_, err = dec.Message()
	require.NoError(t, err)
	var refs []mm7.PartRef
	var doc []byte
	for {
		a, err := dec.NextAttachment()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		b, err := io.ReadAll(a.Body)
		require.NoError(t, err)
		if a.MediaType() == "application/smil" {
			assert.True(t, a.Start, "the presentation is the start part")
			doc = b
		}
		refs = append(refs, mm7.PartRef{ContentID: a.ContentID, ContentLocation: a.ContentLocation})
	}
	require.NotNil(t, doc)
	p, err := smil.Parse(doc)
	require.NoError(t, err)
	assert.Empty(t, p.Check())
	require.Len(t, p.Slides, 2, "image and text share slide 1; the GIF is slide 2")
	shown := mm7.ResolvePresentation(p, refs)
	name := func(i int) string { return refs[i].ContentID }
	require.Len(t, shown[0], 2)
	assert.Equal(t, "photo.jpg", name(shown[0][0]))
	assert.Equal(t, "caption.txt", name(shown[0][1]))
	assert.Equal(t, "part-3", name(shown[1][0]))
}

func TestWithPresentationSlides(t *testing.T) {
	parts := []mm7.Attachment{
		{ContentType: "text/plain", ContentID: "t1"}, {ContentType: "image/png", ContentID: "i1"}, {ContentType: "text/plain", ContentID: "t2"},
	}
	out, err := mm7.WithPresentation(parts, smil.Layout{}, [][]int{{0}, {1, 2}})
	require.NoError(t, err)
	b, err := io.ReadAll(out[3].Body)
	require.NoError(t, err)
	p, err := smil.Parse(b)
	require.NoError(t, err)
	require.Len(t, p.Slides, 2)
	assert.Equal(t, "cid:t1", p.Slides[0].Items[0].Src)
	assert.Equal(t, []smil.Item{{Kind: smil.Image, Src: "cid:i1", Region: "Image"}, {Kind: smil.Text, Src: "cid:t2", Region: "Text"}}, p.Slides[1].Items)

	_, err = mm7.WithPresentation(parts, smil.Layout{}, [][]int{{0, 2}})
	assert.ErrorContains(t, err, "at most one text per slide")
	_, err = mm7.WithPresentation(parts, smil.Layout{}, [][]int{{5}})
	assert.ErrorContains(t, err, "slide 1: no part 6 (3 parts)")
	_, err = mm7.WithPresentation(append(parts, mm7.Attachment{ContentType: "application/smil"}), smil.Layout{}, nil)
	assert.ErrorContains(t, err, "already a SMIL presentation")
}

func TestResolvePresentationUnmatched(t *testing.T) {
	p, err := smil.Parse([]byte(`<smil><body><par><img src="IMG_1.JPG"/><text src="cid:missing"/></par></body></smil>`))
	require.NoError(t, err)
	got := mm7.ResolvePresentation(p, []mm7.PartRef{{ContentID: "0001", ContentLocation: "img_1.jpg"}})
	assert.Equal(t, [][]int{{0, -1}}, got)
}
