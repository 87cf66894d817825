package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/openmms/mm7go/generated/convert"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7/fit"
	"github.com/openmms/mm7go/smil"
)

// slideText names the --text part in a --slide list.
const slideText = "@text"

// mediaFlags are the flags of mm7 send and replace about the content: slides,
// fitting to limits, the text's charset.
type mediaFlags struct {
	slides     listFlag
	fit        bool
	maxContent string
	charset    string

	// resolved by check
	maxContentBytes int64
	textBytes       []byte
	textLabel       string
}

func (cf *mediaFlags) register(fs *flag.FlagSet) {
	fs.Var(&cf.slides, "slide", "one slide: `PARTS`, a comma-separated list of files (attached if not given with --attach; FILE;type=TYPE too) and "+
		slideText+" for --text (repeatable, in order; every part must be on a slide)")
	fs.BoolVar(&cf.fit, "fit", false, "re-encode images that would exceed the MMSC's limits (--max-content, Vibes' 1 MiB request) and report what changed; without it such a message is refused")
	fs.StringVar(&cf.maxContent, "max-content", "", "limit the content to a carrier size `CLASS` (300KB, 600KB, 1MB) or to BYTES")
	fs.StringVar(&cf.charset, "charset", "", "write --text in this `CHARSET` (e.g. Shift_JIS, ISO-8859-1) instead of UTF-8, for MMSCs that need it")
}

// check resolves the flags; its errors are usage errors. It adds the
// files of --slide that --attach lacks to attach.
func (cf *mediaFlags) check(text string, attach *listFlag) error {
	if cf.maxContent != "" {
		if c, ok := mm7.LookupSizeClass(cf.maxContent); ok {
			cf.maxContentBytes = c.Bytes
		} else if n, err := strconv.ParseInt(strings.TrimSpace(cf.maxContent), 10, 64); err == nil && n > 0 {
			cf.maxContentBytes = n
		} else {
			return fmt.Errorf("--max-content: want 300KB, 600KB, 1MB or a number of bytes, got %q", cf.maxContent)
		}
	}
	cf.textBytes, cf.textLabel = []byte(text), "utf-8"
	if cf.charset != "" {
		if text == "" {
			return fmt.Errorf("--charset applies to --text, and there is none")
		}
		b, label, err := mm7.EncodeText(text, cf.charset)
		if err != nil {
			return fmt.Errorf("--charset: %w", err)
		}
		cf.textBytes, cf.textLabel = b, label
	}
	for _, s := range cf.slides {
		for _, item := range strings.Split(s, ",") {
			item = strings.TrimSpace(item)
			switch {
			case item == "":
				return fmt.Errorf("--slide %q: empty part", s)
			case item == slideText:
				if text == "" {
					return fmt.Errorf("--slide %q: %s without --text", s, slideText)
				}
			case !attachIndexOK(*attach, item):
				if _, err := parseAttachSpec(item); err != nil {
					return fmt.Errorf("--slide: %w", err)
				}
				*attach = append(*attach, item)
			}
		}
	}
	return nil
}

func attachIndexOK(attach listFlag, item string) bool { return attachIndex(attach, item) >= 0 }

// attachIndex returns the --attach value that names the same file as
// item, or -1.
func attachIndex(attach listFlag, item string) int {
	want, _ := parseAttachSpec(item)
	for i, s := range attach {
		if spec, _ := parseAttachSpec(s); spec.path == want.path {
			return i
		}
	}
	return -1
}

// slideGroups returns the part indexes of each --slide, parts being the
// text (when given) followed by the attachments in --attach order; nil
// without --slide.
func (cf *mediaFlags) slideGroups(hasText bool, attach listFlag, nparts int) ([][]int, error) {
	if len(cf.slides) == 0 {
		return nil, nil
	}
	off := 0
	if hasText {
		off = 1
	}
	seen := make([]bool, nparts)
	groups := make([][]int, 0, len(cf.slides))
	for _, s := range cf.slides {
		var g []int
		for _, item := range strings.Split(s, ",") {
			item = strings.TrimSpace(item)
			i := 0
			if item != slideText {
				i = off + attachIndex(attach, item)
			}
			if seen[i] {
				return nil, fmt.Errorf("--slide %q: %s is already on a slide", s, item)
			}
			seen[i] = true
			g = append(g, i)
		}
		groups = append(groups, g)
	}
	for i, ok := range seen {
		if !ok {
			name := slideText
			if i >= off {
				name = attach[i-off]
			}
			return nil, fmt.Errorf("--slide: %s is on no slide (with --slide, list every part)", name)
		}
	}
	return groups, nil
}

// textAttachment is the --text part, in --charset once check has run,
// else in UTF-8.
func (cf *mediaFlags) textAttachment(name, text string) mm7.Attachment {
	b, label := cf.textBytes, cf.textLabel
	if label == "" {
		b, label = []byte(text), "utf-8"
	}
	return mm7.Attachment{ContentType: `text/plain; charset="` + label + `"`, ContentID: name, ContentLocation: name,
		Size: int64(len(b)), Body: strings.NewReader(string(b))}
}

// presentation adds the SMIL presentation --smil auto asks for: with
// --slide, or with two or more parts.
func (cf *mediaFlags) presentation(parts []mm7.Attachment, hasText bool, attach listFlag) ([]mm7.Attachment, error) {
	for i := range parts {
		if parts[i].MediaType() == "application/smil" {
			return parts, nil
		}
	}
	groups, err := cf.slideGroups(hasText, attach, len(parts))
	if err != nil {
		return nil, err
	}
	if groups == nil && len(parts) < 2 {
		return parts, nil
	}
	out, err := mm7.WithPresentation(parts, smil.Layout{}, groups)
	if err != nil {
		return nil, fmt.Errorf("--smil auto: %w", err)
	}
	return out, nil
}

// limits returns the limits a send checks: the profile's, with
// --max-content.
func (cf *mediaFlags) limits(p mm7.Profile) mm7.Profile {
	if cf.maxContentBytes > 0 {
		p.Limits.MaxContentBytes = cf.maxContentBytes
	}
	return p
}

// checkFit refuses --fit when the MMSC has no limit to fit: it would do
// nothing.
func (cf *mediaFlags) checkFit(p mm7.Profile) error {
	if cf.fit && p.Limits.MaxBodyBytes <= 0 && p.Limits.MaxContentBytes <= 0 {
		return fmt.Errorf("--fit: %s sets no size limit to fit: give --max-content", p.Name)
	}
	return nil
}

// options configures the client for --fit.
func (cf *mediaFlags) options(o *mm7.Options) {
	o.Profile = cf.limits(o.Profile)
	if cf.fit {
		o.Fit = &fit.Options{}
	}
}

// dryRunParts applies --fit to the parts of a --dry-run, as the client
// would before sending, or, without --fit, the content limit the client
// would refuse the message for.
func (cf *mediaFlags) dryRunParts(p mm7.Profile, v mm7.Version, txID string, body mm7.Body, parts []mm7.Attachment) ([]mm7.Attachment, error) {
	if !cf.fit {
		if max := p.Limits.MaxContentBytes; max > 0 {
			var n int64
			for i := range parts {
				n += partSize(&parts[i])
			}
			if n > max {
				return nil, &mm7.LimitError{Profile: p.Name, Limit: "content bytes", Max: max, Got: n, Parts: partSizes(parts)}
			}
		}
		return parts, nil
	}
	b := body
	if v.Release == 5 {
		r5, _, err := convert.ToRel5(body)
		if err != nil {
			return nil, err
		}
		var ok bool
		if b, ok = r5.(mm7.Body); !ok {
			return nil, fmt.Errorf("%T is not an MM7 message body", r5)
		}
	}
	out, _, err := mm7.FitAttachments(&mm7.Message{TransactionID: txID, Version: v, Body: b}, parts, p.Limits, fit.Options{})
	return out, err
}

// partSize is a part's size when known (files, strings, byte slices).
func partSize(a *mm7.Attachment) int64 {
	if a.Size > 0 {
		return a.Size
	}
	if l, ok := a.Body.(interface{ Len() int }); ok {
		return int64(l.Len())
	}
	return 0
}

// partSizes lists the parts for a LimitError, as the client does.
func partSizes(parts []mm7.Attachment) []mm7.PartSize {
	ps := make([]mm7.PartSize, 0, len(parts))
	for i := range parts {
		name := parts[i].ContentLocation
		if name == "" {
			name = parts[i].ContentID
		}
		ps = append(ps, mm7.PartSize{Name: clipLabel(name), Type: parts[i].MediaType(), Bytes: partSize(&parts[i])})
	}
	return ps
}
