package mm7

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/openmms/mm7go/smil"
)

// WithPresentation returns parts followed by a SMIL presentation of them
// (application/smil, which the encoder sends as the start of a
// multipart/related content). slides lists the indexes of parts shown
// together, slide by slide; nil lays them out as [smil.Auto] does: a
// text after an image shares its slide. Parts without a Content-ID get
// one (their Content-Location, else "part-N"), since the presentation
// references them by "cid:". A SMIL part among parts is an error.
func WithPresentation(parts []Attachment, layout smil.Layout, slides [][]int) ([]Attachment, error) {
	out := append([]Attachment(nil), parts...)
	used := map[string]bool{}
	for i := range out {
		if out[i].MediaType() == "application/smil" {
			return nil, fmt.Errorf("mm7: presentation: part %d is already a SMIL presentation", i+1)
		}
		used[out[i].ContentID] = true
	}
	for i := range out {
		if out[i].ContentID != "" {
			continue
		}
		id := out[i].ContentLocation
		if id == "" || used[id] || strings.ContainsAny(id, "<>\r\n") {
			id = "part-" + strconv.Itoa(i+1)
		}
		for n := 2; used[id]; n++ {
			id = "part-" + strconv.Itoa(i+1) + "-" + strconv.Itoa(n)
		}
		used[id] = true
		out[i].ContentID = id
	}
	smilPart := func(i int) smil.Part {
		return smil.Part{MediaType: out[i].ContentType, Src: "cid:" + url.PathEscape(out[i].ContentID)}
	}
	var p *smil.Presentation
	var err error
	if slides == nil {
		all := make([]smil.Part, len(out))
		for i := range out {
			all[i] = smilPart(i)
		}
		p, err = smil.Auto(layout, all...)
	} else {
		groups := make([][]smil.Part, len(slides))
		for s, idx := range slides {
			for _, i := range idx {
				if i < 0 || i >= len(out) {
					return nil, fmt.Errorf("mm7: presentation: slide %d: no part %d (%d parts)", s+1, i+1, len(out))
				}
				groups[s] = append(groups[s], smilPart(i))
			}
		}
		p, err = smil.Slides(layout, groups...)
	}
	if err != nil {
		return nil, fmt.Errorf("mm7: presentation: %w", err)
	}
	doc, err := p.Marshal()
	if err != nil {
		return nil, fmt.Errorf("mm7: presentation: %w", err)
	}
	id := "presentation.smil"
	for n := 2; used[id]; n++ {
		id = "presentation-" + strconv.Itoa(n) + ".smil"
	}
	return append(out, Attachment{ContentType: "application/smil", ContentID: id, ContentLocation: id,
		Size: int64(len(doc)), Body: bytes.NewReader(doc)}), nil
}

// A PartRef identifies a decoded part for [ResolvePresentation].
type PartRef struct {
	ContentID       string
	ContentLocation string
}

// ResolvePresentation returns, for each item of each slide of p, the
// index in parts of the part it shows, or -1 when its src names none.
func ResolvePresentation(p *smil.Presentation, parts []PartRef) [][]int {
	out := make([][]int, len(p.Slides))
	for s, sl := range p.Slides {
		out[s] = make([]int, len(sl.Items))
		for k, it := range sl.Items {
			out[s][k] = -1
			for i, r := range parts {
				if smil.Refers(it.Src, r.ContentID, r.ContentLocation) {
					out[s][k] = i
					break
				}
			}
		}
	}
	return out
}
