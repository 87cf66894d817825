package smil

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"time"
)

// A Part is one media part to lay out.
type Part struct {
	// MediaType is the part's media type, e.g. "image/jpeg".
	MediaType string
	// Src references the part: "cid:" plus its Content-ID, or its
	// Content-Location.
	Src string
	// Alt is an optional alternative text.
	Alt string
}

// Layout sizes the presentation. The zero Layout is a portrait handset
// screen with the image above the text.
type Layout struct {
	// Width and Height are the root-layout's size in pixels; 0 means
	// [DefaultWidth] x [DefaultHeight].
	Width, Height int
	// ImagePercent is the share of the height the Image region takes, 1
	// to 99; 0 means 70 (the Text region takes the rest).
	ImagePercent int
	// TextOnTop puts the Text region above the Image region.
	TextOnTop bool
	// Duration is the duration of every slide; 0 means
	// [DefaultSlideDuration].
	Duration time.Duration
}

// The default root-layout: a portrait HVGA screen, which every handset
// scales to its own.
const (
	DefaultWidth  = 320
	DefaultHeight = 480
)

// Auto lays parts out as handset composers do: in order, each part joins
// the current slide unless the slide already has one of its kind (an
// image or a video, a text, an audio), in which case it starts the next
// slide. A text after an image therefore shares its slide; two images
// make two slides.
func Auto(l Layout, parts ...Part) (*Presentation, error) {
	var groups [][]Part
	var used map[string]bool
	for _, p := range parts {
		s := slot(KindOf(p.MediaType))
		if groups == nil || used[s] {
			groups = append(groups, nil)
			used = map[string]bool{}
		}
		used[s] = true
		groups[len(groups)-1] = append(groups[len(groups)-1], p)
	}
	return Slides(l, groups...)
}

// Slides lays out one slide per group, in order. A group with two images
// or videos, two texts, two audios or two other parts is refused: MMS
// clients would show only one of them.
func Slides(l Layout, groups ...[]Part) (*Presentation, error) {
	if err := l.check(); err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return nil, fmt.Errorf("smil: no slides")
	}
	p := &Presentation{Width: l.Width, Height: l.Height}
	if p.Width == 0 {
		p.Width = DefaultWidth
	}
	if p.Height == 0 {
		p.Height = DefaultHeight
	}
	dur := l.Duration
	if dur == 0 {
		dur = DefaultSlideDuration
	}
	var hasVisual, hasText bool
	for i, g := range groups {
		if len(g) == 0 {
			return nil, fmt.Errorf("smil: slide %d: no parts", i+1)
		}
		s := Slide{Duration: dur}
		used := map[string]string{}
		for _, part := range g {
			if part.Src == "" {
				return nil, fmt.Errorf("smil: slide %d: part of type %q has no src", i+1, part.MediaType)
			}
			k := KindOf(part.MediaType)
			sl := slot(k)
			if prev, ok := used[sl]; ok {
				return nil, fmt.Errorf("smil: slide %d: %s and %s: at most one %s per slide", i+1, prev, part.Src, slotName(sl))
			}
			used[sl] = part.Src
			hasVisual = hasVisual || sl == "visual"
			hasText = hasText || k == Text
			s.Items = append(s.Items, Item{Kind: k, Src: part.Src, Region: regionOf(k), Alt: part.Alt})
		}
		sortItems(s.Items)
		p.Slides = append(p.Slides, s)
	}
	p.Regions = l.regions(hasVisual, hasText)
	return p, nil
}

func slotName(s string) string {
	if s == "visual" {
		return "image or video"
	}
	return s
}

// sortItems orders a slide's items as handsets write them: image or
// video, text, audio, other.
func sortItems(items []Item) {
	rank := func(k Kind) int {
		switch slot(k) {
		case "visual":
			return 0
		case "text":
			return 1
		case "audio":
			return 2
		}
		return 3
	}
	for i := 1; i < len(items); i++ { // insertion sort: stable, at most 4 items
		for j := i; j > 0 && rank(items[j].Kind) < rank(items[j-1].Kind); j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
}

func (l Layout) check() error {
	if l.Width < 0 || l.Height < 0 || l.Width > 10000 || l.Height > 10000 {
		return fmt.Errorf("smil: layout %dx%d: width and height must be 0 to 10000 pixels", l.Width, l.Height)
	}
	if l.ImagePercent < 0 || l.ImagePercent > 99 {
		return fmt.Errorf("smil: layout: ImagePercent %d is not 1 to 99", l.ImagePercent)
	}
	if l.Duration < 0 {
		return fmt.Errorf("smil: layout: negative duration %v", l.Duration)
	}
	return nil
}

// regions returns the regions the slides use: Image and Text stacked,
// or one of them over the whole screen.
func (l Layout) regions(visual, text bool) []Region {
	img := l.ImagePercent
	if img == 0 {
		img = 70
	}
	pc := func(n int) string { return strconv.Itoa(n) + "%" }
	switch {
	case visual && text:
		ir := Region{ID: RegionImage, Left: "0%", Top: "0%", Width: "100%", Height: pc(img), Fit: "meet"}
		tr := Region{ID: RegionText, Left: "0%", Top: pc(img), Width: "100%", Height: pc(100 - img), Fit: "scroll"}
		if l.TextOnTop {
			tr.Top, ir.Top = "0%", pc(100-img)
			return []Region{tr, ir}
		}
		return []Region{ir, tr}
	case visual:
		return []Region{{ID: RegionImage, Left: "0%", Top: "0%", Width: "100%", Height: "100%", Fit: "meet"}}
	case text:
		return []Region{{ID: RegionText, Left: "0%", Top: "0%", Width: "100%", Height: "100%", Fit: "scroll"}}
	}
	return nil
}

// Marshal writes p as a SMIL document in the form handsets send: no
// namespace, CRLF line breaks, durations in milliseconds. It refuses a
// presentation that [Presentation.Check] finds outside MMS SMIL.
func (p *Presentation) Marshal() ([]byte, error) {
	if vs := p.Check(); len(vs) > 0 {
		return nil, fmt.Errorf("smil: not MMS SMIL: %s", vs[0])
	}
	if len(p.Slides) == 0 {
		return nil, fmt.Errorf("smil: no slides")
	}
	var b bytes.Buffer
	b.WriteString("<smil>\r\n<head>\r\n<layout>\r\n")
	b.WriteString("<root-layout")
	if p.Width > 0 && p.Height > 0 {
		fmt.Fprintf(&b, ` width="%d" height="%d"`, p.Width, p.Height)
	}
	b.WriteString("/>\r\n")
	for _, r := range p.Regions {
		b.WriteString("<region")
		attr(&b, "id", r.ID)
		attr(&b, "top", r.Top)
		attr(&b, "left", r.Left)
		attr(&b, "width", r.Width)
		attr(&b, "height", r.Height)
		attr(&b, "fit", r.Fit)
		b.WriteString("/>\r\n")
	}
	b.WriteString("</layout>\r\n</head>\r\n<body>\r\n")
	for _, s := range p.Slides {
		d := s.Duration
		if d == 0 {
			d = DefaultSlideDuration
		}
		fmt.Fprintf(&b, "<par dur=\"%dms\">\r\n", d.Milliseconds())
		for _, it := range s.Items {
			b.WriteString("<" + string(it.Kind))
			attr(&b, "src", it.Src)
			attr(&b, "region", it.Region)
			attr(&b, "alt", it.Alt)
			if it.Begin > 0 {
				attr(&b, "begin", strconv.FormatInt(it.Begin.Milliseconds(), 10)+"ms")
			}
			if it.End > 0 {
				attr(&b, "end", strconv.FormatInt(it.End.Milliseconds(), 10)+"ms")
			}
			b.WriteString("/>\r\n")
		}
		b.WriteString("</par>\r\n")
	}
	b.WriteString("</body>\r\n</smil>\r\n")
	return b.Bytes(), nil
}

func attr(b *bytes.Buffer, name, value string) {
	if value == "" {
		return
	}
	b.WriteString(" " + name + `="`)
	xml.EscapeText(b, []byte(value)) //nolint:errcheck // bytes.Buffer does not fail
	b.WriteString(`"`)
}
