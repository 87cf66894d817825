// Package smil builds and reads the SMIL presentations of MMS messages:
// which media part is shown on which slide, in which region, for how long.
//
// The builder writes the subset that MMS clients render alike, the MMS
// SMIL of the OMA MMS Conformance Document (OMA-TS-MMS-CONF, section
// "MMS SMIL"): a root-layout sized for handsets, at most two regions
// named Image and Text, a body that is a plain sequence of <par> slides,
// each with at most one image or video, one text and one audio, and a
// duration. [Parse] reads what handsets actually send, which is often
// looser (several media per slide, seq wrappers, no layout), into the
// same [Presentation] model, and [Presentation.Check] lists where a
// presentation leaves the conformant subset.
package smil

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// A Kind is the SMIL element of a media object.
type Kind string

// The media object elements of MMS SMIL.
const (
	Image Kind = "img"
	Video Kind = "video"
	Text  Kind = "text"
	Audio Kind = "audio"
	// Ref is any other media: vCard, vCalendar, ...
	Ref Kind = "ref"
)

// The region names of MMS SMIL.
const (
	RegionImage = "Image"
	RegionText  = "Text"
)

// DefaultSlideDuration is the duration of a slide that sets none: 5
// seconds, the default handset composers use.
const DefaultSlideDuration = 5 * time.Second

// An Item is one media object on a slide.
type Item struct {
	// Kind is the element: img, video, text, audio or ref.
	Kind Kind `json:"kind"`
	// Src references the part: "cid:" plus its Content-ID, or its
	// Content-Location.
	Src string `json:"src"`
	// Region is the region the item is shown in: Image, Text, or empty
	// for audio.
	Region string `json:"region,omitempty"`
	// Alt is the alternative text, when given.
	Alt string `json:"alt,omitempty"`
	// Begin and End bound the item within its slide, when given.
	Begin time.Duration `json:"begin_ns,omitempty"`
	End   time.Duration `json:"end_ns,omitempty"`
}

// A Slide is one <par>: what is shown and played together.
type Slide struct {
	// Duration is the slide's dur; 0 means unset ([DefaultSlideDuration]
	// when written).
	Duration time.Duration `json:"duration_ns,omitempty"`
	Items    []Item        `json:"items"`
}

// A Region is one region of the layout. Positions and sizes are kept as
// written: pixels ("176") or percentages ("70%").
type Region struct {
	ID     string `json:"id"`
	Left   string `json:"left,omitempty"`
	Top    string `json:"top,omitempty"`
	Width  string `json:"width,omitempty"`
	Height string `json:"height,omitempty"`
	Fit    string `json:"fit,omitempty"`
}

// A Presentation is a SMIL document: its layout and its slides.
type Presentation struct {
	// Width and Height are the root-layout's size in pixels; 0 when the
	// document gives none (or a percentage).
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
	// Regions are the layout's regions, in document order.
	Regions []Region `json:"regions,omitempty"`
	// Slides are the body's slides, in playing order.
	Slides []Slide `json:"slides"`
}

// KindOf returns the element that shows a part of the given media type
// ("image/jpeg", "text/plain; charset=utf-8", ...): img, video, text,
// audio, or ref for anything else.
func KindOf(mediaType string) Kind {
	mt, _, _ := strings.Cut(mediaType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	switch {
	case strings.HasPrefix(mt, "image/"):
		return Image
	case strings.HasPrefix(mt, "video/"):
		return Video
	case strings.HasPrefix(mt, "audio/"):
		return Audio
	case mt == "text/plain":
		return Text
	}
	return Ref
}

// regionOf returns the region an item of kind k is shown in.
func regionOf(k Kind) string {
	switch k {
	case Image, Video:
		return RegionImage
	case Text:
		return RegionText
	}
	return ""
}

// slot returns the slot k takes on a conformant slide: "visual" for
// image and video (one of them per slide), else the kind itself.
func slot(k Kind) string {
	if k == Image || k == Video {
		return "visual"
	}
	return string(k)
}

// A Violation is one place where a presentation leaves the MMS SMIL
// subset.
type Violation struct {
	// Slide is the 1-based slide, 0 for the layout.
	Slide int
	// Rule names the rule, e.g. "one-visual-per-slide".
	Rule string
	// Detail says what was found.
	Detail string
}

func (v Violation) String() string {
	where := "layout"
	if v.Slide > 0 {
		where = fmt.Sprintf("slide %d", v.Slide)
	}
	return fmt.Sprintf("%s: %s: %s", where, v.Rule, v.Detail)
}

// Check lists where p leaves the MMS SMIL subset; nil means conformant.
//
//   - "regions": only the regions Image and Text, each at most once;
//   - "one-visual-per-slide": at most one img or video per slide;
//   - "one-text-per-slide", "one-audio-per-slide", "one-ref-per-slide";
//   - "region": img and video in Image, text in Text, audio in none;
//   - "src": every item references a part;
//   - "empty-slide": every slide shows or plays something.
func (p *Presentation) Check() []Violation {
	var vs []Violation
	seen := map[string]bool{}
	for _, r := range p.Regions {
		if r.ID != RegionImage && r.ID != RegionText {
			vs = append(vs, Violation{0, "regions", fmt.Sprintf("region %q is neither Image nor Text", r.ID)})
		} else if seen[r.ID] {
			vs = append(vs, Violation{0, "regions", fmt.Sprintf("region %q defined twice", r.ID)})
		}
		seen[r.ID] = true
	}
	for i, s := range p.Slides {
		if len(s.Items) == 0 {
			vs = append(vs, Violation{i + 1, "empty-slide", "no media"})
		}
		used := map[string]int{}
		for _, it := range s.Items {
			sl := slot(it.Kind)
			used[sl]++
			if used[sl] == 2 {
				rule := "one-" + sl + "-per-slide"
				vs = append(vs, Violation{i + 1, rule, fmt.Sprintf("second %s (%s)", it.Kind, it.Src)})
			}
			if want := regionOf(it.Kind); it.Kind != Ref && it.Region != want {
				vs = append(vs, Violation{i + 1, "region", fmt.Sprintf("%s %s in region %q, want %q", it.Kind, it.Src, it.Region, want)})
			}
			if strings.TrimSpace(it.Src) == "" {
				vs = append(vs, Violation{i + 1, "src", fmt.Sprintf("%s without src", it.Kind)})
			}
		}
	}
	return vs
}

// Refers reports whether a SMIL src names the part with the given
// Content-ID (without angle brackets) and Content-Location: "cid:" plus
// the Content-ID, URL-escaped or not, or the Content-Location itself
// (compared without case, as handsets change the case of file names).
func Refers(src, contentID, contentLocation string) bool {
	src = strings.TrimSpace(src)
	if rest, ok := cutPrefixFold(src, "cid:"); ok {
		if contentID == "" {
			return false
		}
		if rest == contentID {
			return true
		}
		if u, err := url.PathUnescape(rest); err == nil && u == contentID {
			return true
		}
		return false
	}
	if contentLocation == "" {
		return false
	}
	if strings.EqualFold(src, contentLocation) {
		return true
	}
	u, err := url.PathUnescape(src)
	return err == nil && strings.EqualFold(u, contentLocation)
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
