package smil

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRoundTripsGoldens(t *testing.T) {
	for _, name := range []string{"image_text.smil", "two_slides.smil", "text_only.smil", "video_text_audio.smil", "image_only_two_slides.smil"} {
		p, err := Parse([]byte(golden(t, name)))
		require.NoError(t, err, name)
		assert.Empty(t, p.Check(), name)
		out, err := p.Marshal()
		require.NoError(t, err, name)
		assert.Equal(t, golden(t, name), string(out), name)
	}
}

func TestParseHandsetShapes(t *testing.T) {
	t.Run("namespace, pixels, seq wrapper, clock values", func(t *testing.T) {
		p, err := Parse([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<smil xmlns="http://www.w3.org/2001/SMIL20/Language"><head><layout><root-layout width="176px" height="208"/>
<region id="Image" top="0" left="0" height="80%" width="100%" fit="meet"/><region id="Text" top="80%" left="0" height="20%" width="100%"/></layout></head>
<body><seq><par dur="00:00:08"><img src="IMG_0412.jpg" region="Image" begin="0.5s" end="7s"/><text src="text_0.txt" region="Text"/></par>
<par dur="2.5s"><audio src="cid:voice.amr"/></par></seq></body></smil>`))
		require.NoError(t, err)
		assert.Equal(t, 176, p.Width)
		assert.Equal(t, 208, p.Height)
		require.Len(t, p.Regions, 2)
		assert.Equal(t, Region{ID: "Image", Left: "0", Top: "0", Width: "100%", Height: "80%", Fit: "meet"}, p.Regions[0])
		require.Len(t, p.Slides, 2)
		assert.Equal(t, Slide{Duration: 8 * time.Second, Items: []Item{
			{Kind: Image, Src: "IMG_0412.jpg", Region: "Image", Begin: 500 * time.Millisecond, End: 7 * time.Second},
			{Kind: Text, Src: "text_0.txt", Region: "Text"}}}, p.Slides[0])
		assert.Equal(t, Slide{Duration: 2500 * time.Millisecond, Items: []Item{{Kind: Audio, Src: "cid:voice.amr"}}}, p.Slides[1])
		assert.Empty(t, p.Check())
	})
	t.Run("media outside par are slides of their own; nested par joins the slide", func(t *testing.T) {
		p, err := Parse([]byte(`<smil><body><img src="a.gif" dur="3000ms"/><par><par><text src="t.txt" region="Text"/></par><ref src="v.vcf"/></par></body></smil>`))
		require.NoError(t, err)
		require.Len(t, p.Slides, 2)
		assert.Equal(t, []Item{{Kind: Image, Src: "a.gif"}}, p.Slides[0].Items)
		assert.Equal(t, 3*time.Second, p.Slides[0].Duration)
		assert.Equal(t, []Item{{Kind: Text, Src: "t.txt", Region: "Text"}, {Kind: Ref, Src: "v.vcf"}}, p.Slides[1].Items)
		// The image has no region: Check says so.
		vs := p.Check()
		require.Len(t, vs, 1)
		assert.Equal(t, "slide 1: region: img a.gif in region \"\", want \"Image\"", vs[0].String())
	})
	t.Run("two images on one slide are kept and reported", func(t *testing.T) {
		p, err := Parse([]byte(`<smil><body><par dur="5s"><img src="a" region="Image"/><img src="b" region="Image"/></par></body></smil>`))
		require.NoError(t, err)
		assert.Len(t, p.Slides[0].Items, 2)
		assert.Equal(t, []Violation{{1, "one-visual-per-slide", "second img (b)"}}, p.Check())
	})
	t.Run("empty body", func(t *testing.T) {
		p, err := Parse([]byte(`<smil><head/><body/></smil>`))
		require.NoError(t, err)
		assert.Equal(t, []Slide{}, p.Slides)
	})
	t.Run("durations handsets write", func(t *testing.T) {
		for in, want := range map[string]time.Duration{"5000ms": 5 * time.Second, "5s": 5 * time.Second, "5": 5 * time.Second,
			"0.5min": 30 * time.Second, "1h": time.Hour, "01:02": 62 * time.Second, "00:00:05.5": 5500 * time.Millisecond} {
			got, ok := clock(in)
			assert.True(t, ok, in)
			assert.Equal(t, want, got, in)
		}
		for _, in := range []string{"", "indefinite", "media", "-5s", "NaN", "1e300s", "1.5:00", "1:2:3:4"} {
			_, ok := clock(in)
			assert.False(t, ok, in)
		}
	})
}

func TestParseRefusesWhatIsNotSMIL(t *testing.T) {
	for name, in := range map[string]string{
		"not XML":        "GIF89a\x00\x01",
		"other root":     `<html><body/></html>`,
		"unclosed":       `<smil><body><par>`,
		"empty":          ``,
		"entity":         `<!DOCTYPE smil [<!ENTITY a "aaaa">]><smil><body><text src="&a;"/></body></smil>`,
		"too deep":       "<smil>" + strings.Repeat("<seq>", 100) + strings.Repeat("</seq>", 100) + "</smil>",
		"too many items": "<smil><body>" + strings.Repeat(`<img src="a"/>`, MaxItems+1) + "</body></smil>",
		"too big":        "<smil>" + strings.Repeat(" ", MaxDocumentBytes) + "</smil>",
	} {
		_, err := Parse([]byte(in))
		require.Error(t, err, name)
		assert.True(t, strings.HasPrefix(err.Error(), "smil: "), "%s: %v", name, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"image_text.smil", "two_slides.smil", "video_text_audio.smil"} {
		b, err := readTestdata(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<smil><body><img src="a" dur="1:2"/><par dur="3s"><par><text src="b"/></par></par></body></smil>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse(b)
		if err != nil {
			return
		}
		if len(p.Slides) == 0 || len(p.Check()) > 0 {
			return
		}
		out, err := p.Marshal()
		if err != nil {
			// Only a slide longer than Marshal can express may fail.
			return
		}
		q, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Marshal(p)): %v\n%s", err, out)
		}
		if len(q.Slides) != len(p.Slides) {
			t.Fatalf("slides: %d after round trip, %d before", len(q.Slides), len(p.Slides))
		}
		for i := range p.Slides {
			if len(q.Slides[i].Items) != len(p.Slides[i].Items) {
				t.Fatalf("slide %d: %d items after round trip, %d before", i+1, len(q.Slides[i].Items), len(p.Slides[i].Items))
			}
		}
	})
}
