package mm7

import (
	"bytes"
	"fmt"
	"io"
	"sort"

	"github.com/openmms/mm7go/mm7/fit"
	mm7mime "github.com/openmms/mm7go/mm7/internal/mime"
)

// MaxFitInputBytes bounds one attachment read into memory by
// [FitAttachments].
const MaxFitInputBytes = 64 << 20

// A FitReport says what [FitAttachments] changed in one attachment.
type FitReport struct {
	ContentID       string `json:"content_id"`
	ContentLocation string `json:"content_location"`
	fit.Result
}

// fittable reports whether package fit can re-encode a media type.
func fittable(mt string) bool {
	switch mt {
	case "image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/gif", "image/bmp", "image/webp":
		return true
	}
	return false
}

// FitAttachments returns parts such that msg with them fits limits:
// MaxBodyBytes for the whole encoded request (envelope, MIME framing and
// base64 included) and MaxContentBytes for the content. When they
// already fit, parts are returned as they are, unread if their sizes are
// known. Otherwise the images among them (JPEG, PNG, GIF, BMP, WebP) are
// re-encoded by [fit.Image], each within an equal share of what the other
// parts leave (an image smaller than its share keeps its bytes, and the
// others share what it leaves); text and other parts are never changed.
// Content-IDs and Content-Locations stay; ContentType follows a change of
// format (PNG to JPEG). The reports list the attachments changed.
//
// Bodies that must be measured or re-encoded are read into memory, up to
// [MaxFitInputBytes] each; the returned parts hold them as
// *bytes.Reader. The error is a *[LimitError] when the parts that cannot
// be re-encoded exceed the limits alone or an image cannot fit.
func FitAttachments(msg *Message, parts []Attachment, limits Limits, opts fit.Options) ([]Attachment, []FitReport, error) {
	out := append([]Attachment(nil), parts...)
	if limits.MaxBodyBytes <= 0 && limits.MaxContentBytes <= 0 || len(out) == 0 {
		return out, nil, nil
	}
	data := make([][]byte, len(out)) // the bytes read, per part
	read := func(i int) error {
		if data[i] != nil || out[i].Body == nil {
			return nil
		}
		b, err := io.ReadAll(io.LimitReader(out[i].Body, MaxFitInputBytes+1))
		if err != nil {
			return fmt.Errorf("mm7: fit: attachment %s: %w", partName(&out[i]), err)
		}
		if len(b) > MaxFitInputBytes {
			return fmt.Errorf("mm7: fit: attachment %s: over %d bytes", partName(&out[i]), MaxFitInputBytes)
		}
		data[i] = b
		out[i].Body, out[i].Size = bytes.NewReader(b), int64(len(b))
		return nil
	}
	for i := range out {
		if _, ok := out[i].size(); !ok {
			if err := read(i); err != nil {
				return nil, nil, err
			}
		}
	}
	measure := func() (body, content, images, imagesEnc int64, err error) {
		enc, err := NewEncoder(msg, out, EncodeOptions{})
		if err != nil {
			return 0, 0, 0, 0, err
		}
		body, _ = enc.ContentLength()
		for i := range out {
			n, _ := out[i].size()
			content += n
			if fittable(out[i].MediaType()) {
				images += n
				imagesEnc += mm7mime.Base64EncodedLen(n)
			}
		}
		return body, content, images, imagesEnc, nil
	}
	body, content, images, imagesEnc, err := measure()
	if err != nil {
		return nil, nil, err
	}
	over := func(body, content int64) bool {
		return limits.MaxBodyBytes > 0 && body > limits.MaxBodyBytes || limits.MaxContentBytes > 0 && content > limits.MaxContentBytes
	}
	if !over(body, content) {
		return out, nil, nil
	}
	// What the images may take, in raw bytes.
	budget := int64(-1)
	if limits.MaxBodyBytes > 0 {
		budget = rawForBase64(limits.MaxBodyBytes - (body - imagesEnc))
	}
	if limits.MaxContentBytes > 0 {
		if b := limits.MaxContentBytes - (content - images); budget < 0 || b < budget {
			budget = b
		}
	}
	orig := make([][]byte, len(out))
	var idx []int
	for i := range out {
		if fittable(out[i].MediaType()) {
			if err := read(i); err != nil {
				return nil, nil, err
			}
			orig[i] = data[i]
			idx = append(idx, i)
		}
	}
	limitErr := func(what string, max, got int64) *LimitError {
		le := &LimitError{Limit: what, Max: max, Got: got}
		le.Parts = partSizes(out)
		return le
	}
	if len(idx) == 0 || budget <= 0 {
		if limits.MaxContentBytes > 0 && content > limits.MaxContentBytes {
			return nil, nil, limitErr("content bytes (no image to re-encode can make room)", limits.MaxContentBytes, content)
		}
		return nil, nil, limitErr("request body bytes (no image to re-encode can make room)", limits.MaxBodyBytes, body)
	}
	var reports []FitReport
	for round := 0; round < 4; round++ {
		reports = reports[:0]
		shares := waterFill(idx, orig, budget)
		for _, i := range idx {
			b, res, err := fit.Image(orig[i], out[i].MediaType(), fit.Options{MaxBytes: shares[i], MaxPixels: opts.MaxPixels,
				MinQuality: opts.MinQuality, MinSide: opts.MinSide})
			if err != nil {
				return nil, nil, fmt.Errorf("mm7: fit: attachment %s (%d of %d bytes for images): %w", partName(&out[i]), shares[i], budget, err)
			}
			if res.Changed {
				out[i].Body, out[i].Size = bytes.NewReader(b), int64(len(b))
				if res.ToType != res.FromType {
					out[i].ContentType = res.ToType
				}
				reports = append(reports, FitReport{ContentID: out[i].ContentID, ContentLocation: out[i].ContentLocation, Result: res})
			}
		}
		body, content, _, _, err = measure()
		if err != nil {
			return nil, nil, err
		}
		if !over(body, content) {
			return out, reports, nil
		}
		// Rounding (a changed Content-Type): take the excess off and refit.
		excess := max(body-limits.MaxBodyBytes, content-limits.MaxContentBytes, 0)
		budget -= excess + 64
		if budget <= 0 {
			break
		}
	}
	if limits.MaxContentBytes > 0 && content > limits.MaxContentBytes {
		return nil, nil, limitErr("content bytes after fitting", limits.MaxContentBytes, content)
	}
	return nil, nil, limitErr("request body bytes after fitting", limits.MaxBodyBytes, body)
}

// waterFill shares budget among the images idx: each gets an equal
// share of what is left, and one smaller than its share keeps its size
// and leaves the rest to the others.
func waterFill(idx []int, data [][]byte, budget int64) map[int]int64 {
	order := append([]int(nil), idx...)
	sort.SliceStable(order, func(a, b int) bool { return len(data[order[a]]) < len(data[order[b]]) })
	shares := map[int]int64{}
	left := budget
	for k, i := range order {
		share := left / int64(len(order)-k)
		if n := int64(len(data[i])); n <= share {
			share = n
		}
		shares[i] = max(share, 1)
		left -= share
	}
	return shares
}

// rawForBase64 returns the largest raw size whose base64 encoding, line
// breaks included, takes at most enc bytes.
func rawForBase64(enc int64) int64 {
	if enc <= 0 {
		return 0
	}
	n := enc * 57 / 78 // 57 raw bytes per 76-character line plus CRLF
	for n > 0 && mm7mime.Base64EncodedLen(n) > enc {
		n--
	}
	for mm7mime.Base64EncodedLen(n+1) <= enc {
		n++
	}
	return n
}

// partName names an attachment in errors: its Content-Location, else its
// Content-ID, else its type.
func partName(a *Attachment) string {
	switch {
	case a.ContentLocation != "":
		return clip(a.ContentLocation)
	case a.ContentID != "":
		return clip(a.ContentID)
	}
	return a.MediaType()
}

// partSizes lists the attachments' names, types and sizes (-1: unknown).
func partSizes(parts []Attachment) []PartSize {
	ps := make([]PartSize, 0, len(parts))
	for i := range parts {
		n, ok := parts[i].size()
		if !ok {
			n = -1
		}
		ps = append(ps, PartSize{Name: partName(&parts[i]), Type: parts[i].MediaType(), Bytes: n})
	}
	return ps
}
