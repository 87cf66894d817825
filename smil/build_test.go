package smil

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The goldens in testdata/ are written by hand from the MMS SMIL rules
// of the OMA MMS Conformance Document (OMA-TS-MMS_CONF, "MMS SMIL"),
// cited per case as:
//
//	R1 the body is a sequence of <par> elements, one per slide, without
//	   nested time containers;
//	R2 a slide holds at most one image or video, one text and one audio;
//	R3 the layout has a root-layout and at most two regions, whose ids
//	   are "Image" and "Text"; images and video play in Image, text in
//	   Text, audio in no region;
//	R4 each par carries its duration (dur);
//	R5 media are referenced by "cid:" URL or Content-Location.
func golden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}

func TestAutoGolden(t *testing.T) {
	cases := []struct {
		name   string
		rules  string
		layout Layout
		parts  []Part
	}{
		{"image_text.smil", "R1 R2 R3 R4 R5: image and text share one slide, regions Image above Text",
			Layout{}, []Part{{MediaType: "image/jpeg", Src: "cid:photo.jpg"}, {MediaType: "text/plain; charset=utf-8", Src: "cid:text.txt"}}},
		{"image_text.smil", "R2: text given first still shares the slide, written image first",
			Layout{}, []Part{{MediaType: "text/plain", Src: "cid:text.txt"}, {MediaType: "image/jpeg", Src: "cid:photo.jpg"}}},
		{"two_slides.smil", "R2: a second image starts a second slide",
			Layout{}, []Part{{MediaType: "image/jpeg", Src: "cid:a.jpg"}, {MediaType: "text/plain", Src: "cid:a.txt"},
				{MediaType: "image/png", Src: "cid:b.png"}, {MediaType: "text/plain", Src: "cid:b.txt"}}},
		{"text_only.smil", "R3: only the regions used are laid out",
			Layout{}, []Part{{MediaType: "text/plain", Src: "cid:text.txt"}}},
		{"video_text_audio.smil", "R2 R3: video in Image, audio without region; text on top; R4 custom duration",
			Layout{Width: 176, Height: 208, ImagePercent: 80, TextOnTop: true, Duration: 10 * time.Second},
			[]Part{{MediaType: "video/3gpp", Src: "cid:clip.3gp"}, {MediaType: "audio/amr", Src: "cid:song.amr"}, {MediaType: "text/plain", Src: "cid:caption.txt"}}},
		{"image_only_two_slides.smil", "R2: two images, two slides; alt text escaped",
			Layout{}, []Part{{MediaType: "image/jpeg", Src: "cid:one.jpg", Alt: "first & best"}, {MediaType: "image/gif", Src: "cid:two.gif"}}},
	}
	for _, c := range cases {
		t.Run(c.name+"/"+c.rules, func(t *testing.T) {
			p, err := Auto(c.layout, c.parts...)
			require.NoError(t, err)
			got, err := p.Marshal()
			require.NoError(t, err)
			assert.Equal(t, golden(t, c.name), string(got))
			assert.Empty(t, p.Check())
		})
	}
}

func TestSlidesGolden(t *testing.T) {
	// R1 R2: explicit grouping; the same slides as Auto builds.
	p, err := Slides(Layout{},
		[]Part{{MediaType: "text/plain", Src: "cid:a.txt"}, {MediaType: "image/jpeg", Src: "cid:a.jpg"}},
		[]Part{{MediaType: "image/png", Src: "cid:b.png"}, {MediaType: "text/plain", Src: "cid:b.txt"}})
	require.NoError(t, err)
	got, err := p.Marshal()
	require.NoError(t, err)
	assert.Equal(t, golden(t, "two_slides.smil"), string(got))
}

func TestSlidesRefusesNonConformantGroups(t *testing.T) {
	// R2: one image or video per slide, one text, one audio.
	for name, group := range map[string][]Part{
		"image and video": {{MediaType: "image/jpeg", Src: "a.jpg"}, {MediaType: "video/mp4", Src: "b.mp4"}},
		"two texts":       {{MediaType: "text/plain", Src: "a.txt"}, {MediaType: "text/plain", Src: "b.txt"}},
		"two audios":      {{MediaType: "audio/amr", Src: "a.amr"}, {MediaType: "audio/mpeg", Src: "b.mp3"}},
	} {
		_, err := Slides(Layout{}, group)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "slide 1")
		assert.Contains(t, err.Error(), group[1].Src, name)
	}
	_, err := Slides(Layout{}, []Part{{MediaType: "image/jpeg"}})
	assert.ErrorContains(t, err, "no src")
	_, err = Slides(Layout{}, []Part{{MediaType: "image/jpeg", Src: "a"}}, nil)
	assert.ErrorContains(t, err, "slide 2: no parts")
	_, err = Slides(Layout{})
	assert.ErrorContains(t, err, "no slides")
	_, err = Slides(Layout{ImagePercent: 100}, []Part{{MediaType: "image/jpeg", Src: "a"}})
	assert.ErrorContains(t, err, "ImagePercent")
}

func TestAutoGroupsVCardOnItsOwnSlot(t *testing.T) {
	p, err := Auto(Layout{}, Part{MediaType: "image/jpeg", Src: "cid:a"}, Part{MediaType: "text/x-vcard", Src: "cid:v"},
		Part{MediaType: "text/x-vcard", Src: "cid:w"})
	require.NoError(t, err)
	require.Len(t, p.Slides, 2)
	assert.Equal(t, []Item{{Kind: Image, Src: "cid:a", Region: "Image"}, {Kind: Ref, Src: "cid:v"}}, p.Slides[0].Items)
	assert.Equal(t, []Item{{Kind: Ref, Src: "cid:w"}}, p.Slides[1].Items)
}

func TestMarshalRefusesWhatCheckFinds(t *testing.T) {
	p := &Presentation{Regions: []Region{{ID: "Logo"}}, Slides: []Slide{{Items: []Item{{Kind: Image, Src: "a", Region: "Image"}}}}}
	_, err := p.Marshal()
	assert.ErrorContains(t, err, `region "Logo"`)
	p = &Presentation{Slides: []Slide{{Items: []Item{{Kind: Image, Src: "a", Region: "Image"}, {Kind: Image, Src: "b", Region: "Image"}}}}}
	_, err = p.Marshal()
	assert.ErrorContains(t, err, "slide 1: one-visual-per-slide: second img (b)")
}

func TestKindOf(t *testing.T) {
	for mt, k := range map[string]Kind{"image/jpeg": Image, "IMAGE/GIF": Image, "video/3gpp": Video, "audio/amr": Audio,
		`text/plain; charset="utf-8"`: Text, "text/x-vcard": Ref, "application/smil": Ref, "": Ref} {
		assert.Equal(t, k, KindOf(mt), mt)
	}
}

func TestRefers(t *testing.T) {
	assert.True(t, Refers("cid:photo.jpg", "photo.jpg", ""))
	assert.True(t, Refers("CID:my%20photo.jpg", "my photo.jpg", ""))
	assert.False(t, Refers("cid:photo.jpg", "", "photo.jpg"))
	assert.True(t, Refers("IMG_0412.JPG", "0001", "img_0412.jpg"))
	assert.True(t, Refers("my%20photo.jpg", "", "my photo.jpg"))
	assert.False(t, Refers("other.jpg", "other.jpg", "photo.jpg"))
	assert.False(t, Refers("", "", ""))
}

func readTestdata(name string) ([]byte, error) { return os.ReadFile(filepath.Join("testdata", name)) }
