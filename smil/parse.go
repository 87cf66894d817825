package smil

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Limits of [Parse]: a SMIL presentation is a few kilobytes.
const (
	// MaxDocumentBytes bounds the document.
	MaxDocumentBytes = 1 << 20
	// MaxItems bounds the media objects and regions together.
	MaxItems = 4096
	// maxDepth bounds element nesting.
	maxDepth = 64
)

// Parse reads a SMIL document as handsets send it. It is lenient where
// handsets are (any namespace or none, seq wrappers, media directly in
// the body, nested par, several media per slide), and strict where the
// input is not SMIL at all (not XML, another root element) or exceeds
// [MaxDocumentBytes] or [MaxItems]. Parse never expands entities or
// reads anything but data.
//
// Each <par> is a slide; a media object outside any par is a slide of
// its own, as the body is a sequence. Use [Presentation.Check] to see
// where the document leaves MMS SMIL.
func Parse(data []byte) (*Presentation, error) {
	if len(data) > MaxDocumentBytes {
		return nil, fmt.Errorf("smil: document of %d bytes exceeds %d", len(data), MaxDocumentBytes)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		// The caller hands us text; a label other than UTF-8 on ASCII
		// markup reads the same, and SMIL has no non-ASCII markup.
		return r, nil
	}
	p := &Presentation{}
	var (
		depth   int
		inBody  bool
		inHead  bool
		par     = -1 // index of the open top-level slide, -1 outside par
		parOpen int  // depth of the open top-level par
		items   int
		root    bool
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, fmt.Errorf("smil: line %d: %s", se.Line, se.Msg)
			}
			return nil, fmt.Errorf("smil: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxDepth {
				return nil, fmt.Errorf("smil: line %d: elements nested deeper than %d", line(d), maxDepth)
			}
			name := strings.ToLower(t.Name.Local)
			if depth == 1 {
				if name != "smil" {
					return nil, fmt.Errorf("smil: root element is <%s>, not <smil>", t.Name.Local)
				}
				root = true
				continue
			}
			if depth == 2 {
				inHead, inBody = name == "head", name == "body"
				continue
			}
			if inHead {
				switch name {
				case "root-layout":
					p.Width, _ = pixels(attrOf(t, "width"))
					p.Height, _ = pixels(attrOf(t, "height"))
				case "region":
					if items++; items > MaxItems {
						return nil, fmt.Errorf("smil: more than %d regions and media objects", MaxItems)
					}
					p.Regions = append(p.Regions, Region{ID: attrOf(t, "id"), Left: attrOf(t, "left"), Top: attrOf(t, "top"),
						Width: attrOf(t, "width"), Height: attrOf(t, "height"), Fit: attrOf(t, "fit")})
				}
				continue
			}
			if !inBody {
				continue
			}
			switch name {
			case "par":
				if par < 0 {
					dur, _ := clock(attrOf(t, "dur"))
					p.Slides = append(p.Slides, Slide{Duration: dur, Items: []Item{}})
					par, parOpen = len(p.Slides)-1, depth
				}
			case "img", "video", "text", "audio", "ref", "animation", "textstream":
				if items++; items > MaxItems {
					return nil, fmt.Errorf("smil: more than %d regions and media objects", MaxItems)
				}
				it := Item{Kind: kindOfElement(name), Src: attrOf(t, "src"), Region: attrOf(t, "region"), Alt: attrOf(t, "alt")}
				it.Begin, _ = clock(attrOf(t, "begin"))
				it.End, _ = clock(attrOf(t, "end"))
				if par < 0 {
					dur, _ := clock(attrOf(t, "dur"))
					p.Slides = append(p.Slides, Slide{Duration: dur, Items: []Item{it}})
				} else {
					p.Slides[par].Items = append(p.Slides[par].Items, it)
				}
			}
		case xml.EndElement:
			if depth == parOpen && par >= 0 {
				par, parOpen = -1, 0
			}
			if depth == 2 {
				inHead, inBody = false, false
			}
			depth--
		case xml.Directive:
			// A DOCTYPE is allowed (SMIL 1.0 documents carry one); its
			// internal subset is not read: encoding/xml never expands
			// entities beyond the five predefined ones.
		}
	}
	if !root {
		return nil, errors.New("smil: no <smil> element")
	}
	if p.Slides == nil {
		p.Slides = []Slide{}
	}
	return p, nil
}

func line(d *xml.Decoder) int {
	l, _ := d.InputPos()
	return l
}

func kindOfElement(name string) Kind {
	switch name {
	case "img", "animation":
		return Image
	case "textstream":
		return Text
	}
	return Kind(name)
}

func attrOf(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if strings.EqualFold(a.Name.Local, name) {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// pixels reads "176" or "176px"; percentages and junk give ok=false.
func pixels(s string) (int, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "px")
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 100000 {
		return 0, false
	}
	return n, true
}

// clock reads a SMIL clock value: "5000ms", "5s", "5", "0.5min", "1h",
// "00:00:05", "00:05.5". "indefinite", "media" and junk give ok=false.
func clock(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if strings.Contains(s, ":") {
		parts := strings.Split(s, ":")
		if len(parts) > 3 {
			return 0, false
		}
		var total float64
		for i, f := range parts {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil || v < 0 || (i < len(parts)-1 && strings.Contains(f, ".")) {
				return 0, false
			}
			total = total*60 + v
		}
		return seconds(total)
	}
	unit := 1.0
	for _, u := range []struct {
		suffix string
		scale  float64
	}{{"ms", 0.001}, {"min", 60}, {"h", 3600}, {"s", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, unit = strings.TrimSuffix(s, u.suffix), u.scale
			break
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 {
		return 0, false
	}
	return seconds(v * unit)
}

func seconds(v float64) (time.Duration, bool) {
	if v != v || v > 24*3600*365 { // NaN or over a year
		return 0, false
	}
	return time.Duration(v * float64(time.Second)), true
}
