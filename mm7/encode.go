package mm7

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"strings"

	mm7mime "github.com/openmms/mm7go/mm7/internal/mime"
)

// EncodeOptions tune an [Encoder]. The zero value is ready to use.
type EncodeOptions struct {
	// Rand is the source of MIME boundaries and generated Content-IDs; nil
	// means crypto/rand. Tests pass a fixed reader for reproducible output.
	Rand io.Reader
	// Layout places several content parts: [LayoutNested] (the zero
	// value) or [LayoutFlat]. A single part is laid out the same either
	// way.
	Layout Layout
}

// A Layout says where an encoded message puts its content parts.
type Layout string

const (
	// LayoutNested, the zero Layout and TS 23.140's form, sends the
	// content as one part beside the SOAP part: a multipart/related (with
	// the SMIL presentation as its start) or multipart/mixed holding the
	// parts. The SOAP Content href names that multipart.
	LayoutNested Layout = ""
	// LayoutFlat puts every content part directly beside the SOAP part in
	// the top-level multipart/related, SMIL presentation first; the SOAP
	// Content href names the SMIL part, or else the first part. Some
	// MMSCs store nested multiparts as one opaque blob and only this
	// layout correctly.
	LayoutFlat Layout = "flat"
)

// ParseLayout reads a layout name: "nested" (or "") and "flat".
func ParseLayout(s string) (Layout, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "nested":
		return LayoutNested, nil
	case "flat":
		return LayoutFlat, nil
	}
	return "", fmt.Errorf("mm7: unknown content layout %q (want nested or flat)", s)
}

// An Encoder writes one MM7 HTTP body: the SOAP envelope alone as
// text/xml, or, with attachments, a SOAP-with-Attachments
// multipart/related whose first part is the envelope and whose second
// part is the MM content: the single attachment, or a multipart/mixed of
// several (multipart/related with the SMIL part as start when there is
// one). The body's <Content href="cid:..."/> references that part.
//
// Output is always what a strict peer accepts: CRLF line endings, quoted
// parameters, bracketed Content-IDs, a start parameter.
type Encoder struct {
	flat        bool // several parts beside the SOAP part (LayoutFlat)
	envelope    []byte
	parts       []Attachment
	rand        io.Reader
	boundary    string
	inner       string // boundary of the content multipart, when several parts
	innerType   string
	soapID      string
	contentID   string
	contentType string
}

// NewEncoder prepares msg and its attachments for writing. It does not
// read the attachment bodies.
func NewEncoder(msg *Message, parts []Attachment, opts EncodeOptions) (*Encoder, error) {
	e := &Encoder{parts: append([]Attachment(nil), parts...), rand: opts.Rand}
	switch opts.Layout {
	case LayoutNested:
	case LayoutFlat:
		e.flat = len(parts) > 1
	default:
		return nil, fmt.Errorf("mm7: encode: unknown EncodeOptions.Layout %q (use LayoutNested or LayoutFlat)", string(opts.Layout))
	}
	if e.rand == nil {
		e.rand = rand.Reader
	}
	if msg == nil {
		return nil, errors.New("mm7: encode: nil message")
	}
	m := *msg
	if len(parts) > 0 {
		body, err := e.linkContent(m.Body)
		if err != nil {
			return nil, err
		}
		m.Body = body
	} else if href := contentHref(m.Body); href != "" {
		return nil, fmt.Errorf("mm7: encode: %s references %s but no attachment was given", m.Kind(), href)
	}
	var buf bytes.Buffer
	if err := encodeEnvelope(&buf, &m); err != nil {
		return nil, err
	}
	e.envelope = buf.Bytes()
	if len(e.parts) == 0 {
		e.contentType = `text/xml; charset="utf-8"`
		return e, nil
	}
	var err error
	if e.boundary, err = e.token("=_mm7go_"); err != nil {
		return nil, err
	}
	if e.soapID, err = e.newID("soap"); err != nil {
		return nil, err
	}
	e.contentType = fmt.Sprintf(`multipart/related; boundary="%s"; type="text/xml"; start="<%s>"`, e.boundary, e.soapID)
	return e, nil
}

// linkContent names the content part and points the body's Content href
// at it, on a copy of the body.
func (e *Encoder) linkContent(body any) (any, error) {
	v := reflect.ValueOf(body)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("mm7: encode: body %T cannot carry attachments", body)
	}
	cf := v.Elem().FieldByName("Content")
	if !cf.IsValid() || cf.Kind() != reflect.Pointer {
		return nil, fmt.Errorf("mm7: encode: %s has no Content element, so it cannot carry attachments", xmlNameOf(body).Local)
	}
	for i := range e.parts {
		if n, ok := e.parts[i].size(); ok {
			e.parts[i].Size = n // fixed now: a Len method changes as the body is read
		}
		if e.parts[i].TransferEncoding == "" {
			e.parts[i].TransferEncoding = defaultTransferEncoding(&e.parts[i])
		}
		if e.parts[i].Body == nil {
			return nil, fmt.Errorf("mm7: encode: attachment %d (%s) has no body", i+1, e.parts[i].ContentType)
		}
		if e.parts[i].ContentType == "" {
			return nil, fmt.Errorf("mm7: encode: attachment %d has no content type", i+1)
		}
		if e.parts[i].ContentID == "" {
			id, err := e.newID(fmt.Sprintf("part%d", i+1))
			if err != nil {
				return nil, err
			}
			e.parts[i].ContentID = id
		}
		e.parts[i].ContentID, _ = mm7mime.NormalizeContentID(e.parts[i].ContentID)
	}
	href := ""
	if !cf.IsNil() {
		href = cf.Elem().FieldByName("Href").String()
	}
	switch {
	case e.flat:
		if err := e.linkFlat(href); err != nil {
			return nil, err
		}
	case href != "":
		var devs []mm7mime.Deviation
		e.contentID, devs = mm7mime.ContentIDFromHref(href)
		for _, d := range devs {
			if d.Code == mm7mime.HrefNotCID {
				e.contentID = ""
			}
		}
		if e.contentID == "" {
			return nil, fmt.Errorf("mm7: encode: Content href %q is not a cid: URL", href)
		}
		if len(e.parts) == 1 {
			e.parts[0].ContentID = e.contentID
		}
	case len(e.parts) == 1:
		e.contentID = e.parts[0].ContentID
	default:
		id, err := e.newID("content")
		if err != nil {
			return nil, err
		}
		e.contentID = id
	}
	for i := range e.parts {
		if e.parts[i].ContentLocation == "" {
			e.parts[i].ContentLocation = e.parts[i].ContentID
		}
	}
	if len(e.parts) > 1 && !e.flat {
		var err error
		if e.inner, err = e.token("=_mm7go_mm_"); err != nil {
			return nil, err
		}
		e.innerType = fmt.Sprintf(`multipart/mixed; boundary="%s"`, e.inner)
		for i, p := range e.parts {
			if p.MediaType() == "application/smil" {
				// SMIL presentation: multipart/related with it as start, first;
				// the other parts keep their order.
				copy(e.parts[1:i+1], e.parts[:i])
				e.parts[0] = p
				e.innerType = fmt.Sprintf(`multipart/related; boundary="%s"; type="application/smil"; start="<%s>"`, e.inner, p.ContentID)
				break
			}
		}
	}
	cp := reflect.New(v.Elem().Type())
	cp.Elem().Set(v.Elem())
	ref := reflect.New(cf.Type().Elem())
	if !cf.IsNil() {
		ref.Elem().Set(cf.Elem())
	}
	// RFC 2392: the cid: URL %-escapes what a URL cannot carry.
	ref.Elem().FieldByName("Href").SetString("cid:" + url.PathEscape(e.contentID))
	cp.Elem().FieldByName("Content").Set(ref)
	return cp.Interface(), nil
}

// linkFlat orders the parts of the flat layout, SMIL presentation first,
// and chooses the part the Content href names: the one href names when
// it names a part, else the SMIL or first part (which takes href's
// Content-ID when href is given).
func (e *Encoder) linkFlat(href string) error {
	for i, p := range e.parts {
		if p.MediaType() == "application/smil" {
			copy(e.parts[1:i+1], e.parts[:i])
			e.parts[0] = p
			break
		}
	}
	if href == "" {
		e.contentID = e.parts[0].ContentID
		return nil
	}
	id, devs := mm7mime.ContentIDFromHref(href)
	for _, d := range devs {
		if d.Code == mm7mime.HrefNotCID {
			id = ""
		}
	}
	if id == "" {
		return fmt.Errorf("mm7: encode: Content href %q is not a cid: URL", href)
	}
	for i := range e.parts {
		if e.parts[i].ContentID == id {
			e.contentID = id
			return nil
		}
	}
	e.parts[0].ContentID, e.contentID = id, id
	return nil
}

// defaultTransferEncoding picks a part's Content-Transfer-Encoding: 8bit
// for text (and SMIL) whose bytes are valid 8bit data — RFC 2045 section
// 2.8: CRLF line breaks only, lines of at most 998 octets, no NUL — which
// can be checked without consuming the body when it is in memory or a
// file (io.ReaderAt); base64 for everything else, which is always valid.
func defaultTransferEncoding(a *Attachment) string {
	mt := a.MediaType()
	if !strings.HasPrefix(mt, "text/") && mt != "application/smil" {
		return "base64"
	}
	ra, ok := a.Body.(io.ReaderAt)
	if !ok || a.Size <= 0 || a.Size > 1<<20 {
		return "base64"
	}
	// Scan in chunks: no copy of the body is kept.
	buf := make([]byte, 2<<10)
	line, prev := 0, byte(0)
	for off := int64(0); off < a.Size; {
		n, err := ra.ReadAt(buf[:min(int64(len(buf)), a.Size-off)], off)
		if n == 0 && err != nil {
			return "base64"
		}
		for _, c := range buf[:n] {
			switch {
			case c == 0, prev == '\r' && c != '\n', c == '\n' && prev != '\r':
				return "base64"
			case c == '\n':
				line = 0
			case c != '\r':
				line++ // octets of the line, CRLF not counted
			}
			if line > 998 {
				return "base64"
			}
			prev = c
		}
		off += int64(n)
	}
	if prev == '\r' {
		return "base64" // a trailing bare CR
	}
	return "8bit"
}

// contentHref returns the Content href of a generated message, if any.
func contentHref(body any) string {
	v := reflect.ValueOf(body)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return ""
	}
	cf := v.Elem().FieldByName("Content")
	if !cf.IsValid() || cf.Kind() != reflect.Pointer || cf.IsNil() {
		return ""
	}
	return cf.Elem().FieldByName("Href").String()
}

func (e *Encoder) token(prefix string) (string, error) {
	b := make([]byte, 12)
	if _, err := io.ReadFull(e.rand, b); err != nil {
		return "", fmt.Errorf("mm7: encode: random source: %w", err)
	}
	return prefix + hex.EncodeToString(b), nil
}

func (e *Encoder) newID(kind string) (string, error) {
	t, err := e.token("")
	if err != nil {
		return "", err
	}
	return kind + "-" + t[:16] + "@mm7go", nil
}

// ContentType returns the HTTP Content-Type of the body.
func (e *Encoder) ContentType() string { return e.contentType }

// ContentLength returns the exact body length when every attachment's
// size is known (some MMSCs refuse chunked requests).
func (e *Encoder) ContentLength() (int64, bool) {
	for i := range e.parts {
		if _, ok := e.parts[i].size(); !ok {
			return 0, false
		}
	}
	n, err := e.write(&countWriter{}, nil)
	if err != nil {
		return 0, false
	}
	return n, true
}

// WriteTo writes the body to w. It reads every attachment body once.
func (e *Encoder) WriteTo(w io.Writer) (int64, error) {
	return e.write(w, func(a *Attachment) io.Reader { return a.Body })
}

func (e *Encoder) write(dst io.Writer, body func(*Attachment) io.Reader) (int64, error) {
	cw := &countWriter{w: dst}
	var counted int64 // body bytes counted, not written (ContentLength)
	w := bufio.NewWriterSize(cw, 8<<10)
	if len(e.parts) == 0 {
		w.Write(e.envelope) //nolint:errcheck // bufio keeps the first error for Flush
		err := w.Flush()
		return cw.n, err
	}
	fmt.Fprintf(w, "--%s\r\nContent-Type: text/xml; charset=\"utf-8\"\r\nContent-Transfer-Encoding: 8bit\r\nContent-ID: <%s>\r\n\r\n", e.boundary, e.soapID)
	w.Write(e.envelope) //nolint:errcheck
	fmt.Fprintf(w, "\r\n--%s\r\n", e.boundary)
	switch {
	case len(e.parts) == 1 || e.flat:
		for i := range e.parts {
			if i > 0 {
				fmt.Fprintf(w, "\r\n--%s\r\n", e.boundary)
			}
			if err := writePart(w, &e.parts[i], body, &counted); err != nil {
				return cw.n, err
			}
		}
	default:
		fmt.Fprintf(w, "Content-Type: %s\r\nContent-ID: <%s>\r\n\r\n", e.innerType, e.contentID)
		for i := range e.parts {
			fmt.Fprintf(w, "--%s\r\n", e.inner)
			if err := writePart(w, &e.parts[i], body, &counted); err != nil {
				return cw.n, err
			}
			w.WriteString("\r\n") //nolint:errcheck
		}
		fmt.Fprintf(w, "--%s--", e.inner)
	}
	fmt.Fprintf(w, "\r\n--%s--\r\n", e.boundary)
	err := w.Flush()
	return cw.n + counted, err
}

// writePart writes one leaf part: headers, blank line, encoded body. With
// a nil body function it only counts: the encoded length is computed from
// the part's size.
func writePart(w *bufio.Writer, a *Attachment, body func(*Attachment) io.Reader, counted *int64) error {
	ct := a.ContentType
	cte := strings.ToLower(a.TransferEncoding)
	mt := a.MediaType()
	if cte == "" {
		cte = "base64"
		if strings.HasPrefix(mt, "text/") || mt == "application/smil" {
			cte = "8bit"
		}
	}
	if strings.HasPrefix(mt, "text/") && !strings.Contains(strings.ToLower(ct), "charset") {
		ct += `; charset="utf-8"`
	}
	switch cte {
	case "base64", "8bit", "binary", "7bit":
	default:
		return fmt.Errorf("mm7: encode: attachment %s: transfer encoding %q not supported (use base64, 8bit, 7bit or binary)", a.ContentID, a.TransferEncoding)
	}
	fmt.Fprintf(w, "Content-Type: %s\r\nContent-Transfer-Encoding: %s\r\nContent-ID: <%s>\r\nContent-Location: %s\r\n\r\n",
		ct, cte, a.ContentID, a.ContentLocation)
	if body == nil {
		n, _ := a.size()
		if cte == "base64" {
			n = mm7mime.Base64EncodedLen(n)
		}
		*counted += n
		return nil
	}
	r := body(a)
	if cte == "base64" {
		bw := mm7mime.NewBase64Writer(w)
		if _, err := io.Copy(bw, r); err != nil {
			return fmt.Errorf("mm7: encode: attachment %s: %w", a.ContentID, err)
		}
		return bw.Close()
	}
	if _, err := io.Copy(w, r); err != nil {
		return fmt.Errorf("mm7: encode: attachment %s: %w", a.ContentID, err)
	}
	return nil
}

// Encode writes msg and its attachments to w and returns the Content-Type
// to send with them.
func Encode(w io.Writer, msg *Message, parts ...Attachment) (contentType string, err error) {
	e, err := NewEncoder(msg, parts, EncodeOptions{})
	if err != nil {
		return "", err
	}
	if _, err := e.WriteTo(w); err != nil {
		return "", err
	}
	return e.ContentType(), nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.w == nil {
		c.n += int64(len(p))
		return len(p), nil
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
