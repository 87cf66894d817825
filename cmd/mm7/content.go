package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/smil"
)

// maxShownText bounds the decoded text shown in JSON per part; the part's
// bytes are kept whole either way.
const maxShownText = 256 << 10

// partText is the decoded text of a text part, shown beside its bytes
// (inspect's attachments, message.json).
type partText struct {
	// Charset is the charset the part declared ("" when none).
	Charset string `json:"charset,omitempty"`
	// Text is the part as UTF-8; absent when the charset is unknown or
	// the part is over 256 KiB (its bytes are kept as received).
	Text *string `json:"text,omitempty"`
}

// presentationJSON is the SMIL presentation of a received message: which
// part is shown on which slide.
type presentationJSON struct {
	// Part is the index in attachments of the SMIL part.
	Part       int           `json:"part"`
	Width      int           `json:"width,omitempty"`
	Height     int           `json:"height,omitempty"`
	Regions    []smil.Region `json:"regions,omitempty"`
	Slides     []slideJSON   `json:"slides"`
	Violations []string      `json:"violations,omitempty"`
}

type slideJSON struct {
	DurationMS int64      `json:"duration_ms,omitempty"`
	Items      []itemJSON `json:"items"`
}

type itemJSON struct {
	Kind   smil.Kind `json:"kind"`
	Src    string    `json:"src"`
	Region string    `json:"region,omitempty"`
	Alt    string    `json:"alt,omitempty"`
	// Part is the index in attachments of the part shown, -1 when the
	// src names none.
	Part    int   `json:"part"`
	BeginMS int64 `json:"begin_ms,omitempty"`
	EndMS   int64 `json:"end_ms,omitempty"`
}

// contentCollector watches the parts of a message as they are read, to
// decode its text parts and its SMIL presentation.
type contentCollector struct {
	parts []collected
}

type collected struct {
	a       mm7.Attachment
	capture *capture // text and SMIL parts
}

// capture keeps the first max bytes written, and counts the rest.
type capture struct {
	buf  []byte
	max  int
	over bool
}

func (c *capture) Write(p []byte) (int, error) {
	if room := c.max - len(c.buf); room > 0 {
		c.buf = append(c.buf, p[:min(room, len(p))]...)
	}
	if len(c.buf)+len(p) > c.max {
		c.over = true
	}
	return len(p), nil
}

// add records a part and returns the reader to read its body through.
func (c *contentCollector) add(a *mm7.Attachment) io.Reader {
	col := collected{a: *a}
	col.a.Body = nil
	r := a.Body
	if a.IsText() {
		col.capture = &capture{max: maxShownText}
		r = io.TeeReader(a.Body, col.capture)
	}
	c.parts = append(c.parts, col)
	return r
}

// finish returns the decoded text per part (nil for parts that are not
// text), the presentation (nil without a SMIL part), and deviations for
// unknown charsets and unreadable presentations.
func (c *contentCollector) finish() ([]*partText, *presentationJSON, []inspectDeviation) {
	texts := make([]*partText, len(c.parts))
	var devs []inspectDeviation
	smilPart := -1
	for i := range c.parts {
		col := &c.parts[i]
		if col.capture == nil {
			continue
		}
		if col.a.MediaType() == "application/smil" {
			if smilPart < 0 || col.a.Start && !c.parts[smilPart].a.Start {
				smilPart = i
			}
			continue
		}
		pt := &partText{Charset: col.a.Charset()}
		texts[i] = pt
		if col.capture.over {
			continue
		}
		s, err := mm7.DecodeText(col.capture.buf, pt.Charset)
		if err != nil {
			devs = append(devs, inspectDeviation{string(mm7.DevUnknownCharset),
				fmt.Sprintf("attachment %d (%s): charset %q: no table knows it; bytes kept undecoded", i+1, partLabel(&col.a), clipLabel(pt.Charset))})
			continue
		}
		pt.Text = &s
	}
	if smilPart < 0 {
		return texts, nil, devs
	}
	col := &c.parts[smilPart]
	if col.capture.over {
		devs = append(devs, inspectDeviation{"smil-invalid", fmt.Sprintf("attachment %d: SMIL presentation over %d bytes; not read", smilPart+1, maxShownText)})
		return texts, nil, devs
	}
	doc := col.capture.buf
	if cs := col.a.Charset(); cs != "" || !utf8.Valid(doc) {
		if s, err := mm7.DecodeText(doc, cs); err == nil {
			doc = []byte(s)
		}
	}
	p, err := smil.Parse(doc)
	if err != nil {
		devs = append(devs, inspectDeviation{"smil-invalid", fmt.Sprintf("attachment %d (%s): %v", smilPart+1, partLabel(&col.a), err)})
		return texts, nil, devs
	}
	refs := make([]mm7.PartRef, len(c.parts))
	for i := range c.parts {
		refs[i] = mm7.PartRef{ContentID: c.parts[i].a.ContentID, ContentLocation: c.parts[i].a.ContentLocation}
	}
	shown := mm7.ResolvePresentation(p, refs)
	out := &presentationJSON{Part: smilPart, Width: p.Width, Height: p.Height, Regions: p.Regions, Slides: []slideJSON{}}
	for s, sl := range p.Slides {
		js := slideJSON{DurationMS: sl.Duration.Milliseconds(), Items: []itemJSON{}}
		for k, it := range sl.Items {
			js.Items = append(js.Items, itemJSON{Kind: it.Kind, Src: it.Src, Region: it.Region, Alt: it.Alt, Part: shown[s][k],
				BeginMS: it.Begin.Milliseconds(), EndMS: it.End.Milliseconds()})
		}
		out.Slides = append(out.Slides, js)
	}
	for _, v := range p.Check() {
		out.Violations = append(out.Violations, v.String())
	}
	return texts, out, devs
}

func partLabel(a *mm7.Attachment) string {
	switch {
	case a.ContentLocation != "":
		return clipLabel(a.ContentLocation)
	case a.ContentID != "":
		return clipLabel(a.ContentID)
	}
	return a.MediaType()
}

func clipLabel(s string) string {
	if len(s) > 64 {
		return strings.ToValidUTF8(s[:64], "") + "..."
	}
	return s
}
