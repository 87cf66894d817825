package mm7

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"strings"

	mm7mime "github.com/openmms/mm7go/mm7/internal/mime"
)

// ErrEmptyBody is returned by [Decoder.Message] for a body without a
// single byte (or, sent as text/xml, only white space). Vibes answers MO
// and delivery-report callbacks with an empty HTTP 200 instead of a
// DeliverRsp or DeliveryReportRsp (mm7-facts 10.6): the sender of such a
// callback should take an empty 2xx answer as success, which it can
// recognise with errors.Is(err, ErrEmptyBody).
var ErrEmptyBody = errors.New("mm7: decode: empty body")

// DecodeOptions tune a [Decoder]. The zero value is lenient with the
// default limits.
type DecodeOptions struct {
	// Strict rejects the first deviation from the standards with a
	// *DeviationError instead of accepting and recording it.
	Strict bool
	// MaxEnvelopeBytes bounds the SOAP part (default 4 MiB).
	MaxEnvelopeBytes int64
	// MaxParts bounds the number of MIME parts at all depths (default 100).
	MaxParts int
	// MaxDepth bounds multipart nesting: 1 is the SOAP multipart itself
	// (default 4).
	MaxDepth int
	// MaxHeaderBytes bounds the headers of one part (default 64 KiB).
	MaxHeaderBytes int
	// MaxBufferedBytes bounds the parts held in memory because they came
	// before the SOAP part (default 8 MiB). Parts after it are streamed.
	MaxBufferedBytes int64
	// MaxElements bounds the XML elements of the message body, wildcard
	// content (Status/Details) included (default 10000; MM7 messages
	// have a few dozen).
	MaxElements int
	// MaxTransactionIDBytes bounds the TransactionID (default 1024 bytes;
	// real ones have a few dozen). A longer one is a *DecodeError with
	// 2007 Message format corrupt that does not carry it, so that a
	// receiver neither echoes nor logs it.
	MaxTransactionIDBytes int
}

// DefaultMaxTransactionIDBytes is the TransactionID limit of
// DecodeOptions whose MaxTransactionIDBytes is 0.
const DefaultMaxTransactionIDBytes = 1024

func (o *DecodeOptions) defaults() {
	if o.MaxEnvelopeBytes <= 0 {
		o.MaxEnvelopeBytes = 4 << 20
	}
	if o.MaxParts <= 0 {
		o.MaxParts = 100
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = 4
	}
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = 64 << 10
	}
	if o.MaxBufferedBytes <= 0 {
		o.MaxBufferedBytes = 8 << 20
	}
	if o.MaxElements <= 0 {
		o.MaxElements = 10000
	}
	if o.MaxTransactionIDBytes <= 0 {
		o.MaxTransactionIDBytes = DefaultMaxTransactionIDBytes
	}
}

// A Decoder reads one MM7 HTTP body: a SOAP envelope sent as text/xml, or
// a SOAP-with-Attachments multipart. It streams: [Decoder.Message] reads
// up to the envelope, and [Decoder.NextAttachment] hands out the content
// parts one at a time, nested multiparts flattened, with their transfer
// encoding undone. Nothing is held whole in memory except the envelope
// and parts that precede it.
type Decoder struct {
	opts  DecodeOptions
	devs  deviations
	r     io.Reader
	ct    string
	msg   *Message
	err   error
	href  string // content id the body references
	found bool   // a part matched href

	envelope   []byte   // the SOAP part as received (transfer encoding undone)
	envCharset string   // the charset parameter of its Content-Type
	levels     []*level // open multipart readers, outermost first
	reporters  []*reporter
	queue      []*Attachment // parts read before the envelope
	parts      int
	current    *Attachment
}

type level struct {
	mr        *mm7mime.Reader
	id        string // Content-ID of this multipart part ("" for the SOAP multipart)
	start     string // start parameter, normalised
	ref       bool   // inside the referenced content
	depth     int
	firstPart bool
	queued    bool // opened from a part held before the envelope
}

// NewDecoder returns a decoder for a body with the given HTTP
// Content-Type.
func NewDecoder(r io.Reader, contentType string, opts DecodeOptions) (*Decoder, error) {
	opts.defaults()
	return &Decoder{opts: opts, devs: deviations{strict: opts.Strict, maxElements: opts.MaxElements}, r: r, ct: contentType}, nil
}

// Envelope returns the SOAP envelope as received, with any transfer
// encoding undone but no character set conversion: the bytes to validate
// against a schema. It is nil until Message has read the envelope.
func (d *Decoder) Envelope() []byte { return d.envelope }

// Deviations returns what lenient decoding accepted so far, envelope and
// MIME alike.
func (d *Decoder) Deviations() []Deviation { return d.devs.list }

func (d *Decoder) mimeDevs(devs []mm7mime.Deviation, where string) error {
	for _, dv := range devs {
		if dv.Code == mm7mime.MissingFinalBoundary {
			// The MIME reader accepts a body that ends without the close
			// delimiter, but a truncated upload looks exactly the same: the
			// last part would be delivered cut short. No MMSC in mm7-facts
			// omits the delimiter, so it is an error, not a deviation.
			return fmt.Errorf("mm7: decode: %s: body truncated (%s): %w", where, dv.Text, io.ErrUnexpectedEOF)
		}
		if err := d.devs.addMIME(dv.Code, dv.Text, where); err != nil {
			return err
		}
	}
	return nil
}

// Message decodes the envelope. It is read once; later calls return the
// same message.
func (d *Decoder) Message() (*Message, error) {
	if d.msg != nil || d.err != nil {
		return d.msg, d.err
	}
	d.msg, d.err = d.readMessage()
	if d.err == nil && len(d.msg.TransactionID) > d.opts.MaxTransactionIDBytes {
		d.err = &DecodeError{Status: StatusMessageFormatCorrupt, Kind: d.msg.Kind(), Version: d.msg.Version,
			Err: fmt.Errorf("mm7: decode: TransactionID of %d bytes, over the limit of %d bytes", len(d.msg.TransactionID), d.opts.MaxTransactionIDBytes)}
		d.msg = nil
	}
	d.err = asDecodeError(d.err, nil)
	if de, ok := errors.AsType[*DecodeError](d.err); ok && len(de.TransactionID) > d.opts.MaxTransactionIDBytes {
		de.TransactionID = "" // a failure after an over-long TransactionID: do not echo it
	}
	if d.msg != nil {
		d.msg.Deviations = d.devs.list
	}
	return d.msg, d.err
}

func (d *Decoder) readMessage() (*Message, error) {
	var first [1]byte
	n, err := io.ReadFull(d.r, first[:])
	switch {
	case n == 0 && err == io.EOF:
		return nil, ErrEmptyBody
	case n == 0:
		return nil, fmt.Errorf("mm7: decode: reading the body: %w", err)
	}
	d.r = io.MultiReader(bytes.NewReader(first[:]), d.r)
	mt, params, mdevs, err := mm7mime.ParseMediaType(d.ct)
	if err != nil {
		return nil, fmt.Errorf("mm7: decode: Content-Type %q: %w", clip(d.ct), err)
	}
	if err := d.mimeDevs(mdevs, "Content-Type"); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(mt, "multipart/") {
		return d.single(mt, params)
	}
	if mt != "multipart/related" {
		if err := d.devs.add(DevMultipartType, "SOAP with attachments sent as %s, not multipart/related", mt); err != nil {
			return nil, err
		}
	}
	if t := strings.ToLower(params["type"]); t != "" && t != "text/xml" {
		if err := d.devs.add(DevTypeParameterMismatch, "multipart type parameter %q, SOAP 1.1 wants text/xml", clip(t)); err != nil {
			return nil, err
		}
	}
	boundary := params["boundary"]
	if boundary == "" {
		return d.noBoundary(mt, params)
	}
	start, err := d.startParam(params)
	if err != nil {
		return nil, err
	}
	top := &level{mr: d.newReader(d.r, boundary), start: start, depth: 1}
	d.levels = []*level{top}
	var buffered int64
	for {
		p, err := d.nextPart(top)
		if err == io.EOF {
			return d.rootFromQueue(start)
		}
		if err != nil {
			return nil, err
		}
		cid, err := d.contentID(p.Header, fmt.Sprintf("part %d", p.Index))
		if err != nil {
			return nil, err
		}
		switch {
		case start != "" && cid == start, start == "" && looksLikeEnvelopePart(p.Header):
			if p.Index > 1 {
				// QUIRK: the root is not the first part: start names a later
				// one (RFC 2387 allows it, SwA senders put the SOAP part
				// first), or, without start, the first part is not XML and
				// the first XML part is taken. DevRootNotFirst
				if err := d.devs.add(DevRootNotFirst, "SOAP part is part %d, not the first", p.Index); err != nil {
					return nil, err
				}
			}
			return d.envelopePart(p.Header, p.Body)
		case p.Index == 1 && looksLikeEnvelopePart(p.Header):
			// QUIRK: start names another part, but the first part looks
			// like the envelope (a misspelt or stale start): check its
			// bytes. DevStartUnmatched
			data, err := readLimited(p.Body, d.opts.MaxEnvelopeBytes, "SOAP part")
			if err != nil {
				return nil, err
			}
			if bytes.Contains(data, []byte("Envelope")) {
				if err := d.devs.add(DevStartUnmatched, "start <%s> names no part before the envelope; the first part is the envelope", clip(start)); err != nil {
					return nil, err
				}
				return d.envelopePart(p.Header, bytes.NewReader(data))
			}
			buffered += int64(len(data))
			d.enqueue(p, cid, data)
		default:
			// A part before the root: held in memory until the envelope
			// is read, bounded.
			if buffered >= d.opts.MaxBufferedBytes {
				return nil, d.tooMuchBuffered(p.Index)
			}
			data, err := readLimited(p.Body, d.opts.MaxBufferedBytes-buffered, "parts before the SOAP part")
			if err != nil {
				if _, over := errors.AsType[*limitError](err); over {
					return nil, d.tooMuchBuffered(p.Index)
				}
				return nil, err
			}
			buffered += int64(len(data))
			d.enqueue(p, cid, data)
		}
	}
}

// enqueue holds a depth-1 part read before the envelope.
func (d *Decoder) enqueue(p *mm7mime.Part, cid string, data []byte) {
	d.queue = append(d.queue, &Attachment{Header: p.Header, ContentType: p.Header.Get("Content-Type"), ContentID: cid, Body: bytes.NewReader(data), Depth: 1})
}

// tooMuchBuffered is the error for parts before the envelope beyond
// MaxBufferedBytes.
func (d *Decoder) tooMuchBuffered(index int) error {
	return fmt.Errorf("mm7: decode: the parts before the SOAP part exceed %d bytes at part %d (DecodeOptions.MaxBufferedBytes): they are held in memory until the envelope is read", d.opts.MaxBufferedBytes, index)
}

// rootFromQueue handles a start that matched no part: the first XML part
// read is taken as the envelope.
func (d *Decoder) rootFromQueue(start string) (*Message, error) {
	for i, q := range d.queue {
		if start != "" && looksLikeEnvelopePart(q.Header) {
			// QUIRK: start names no part at all (misspelt); the first XML
			// part is the envelope. DevStartUnmatched
			if err := d.devs.add(DevStartUnmatched, "start <%s> names no part; part %d is taken as the envelope", clip(start), i+1); err != nil {
				return nil, err
			}
			d.queue = append(d.queue[:i:i], d.queue[i+1:]...)
			return d.envelopePart(q.Header, q.Body)
		}
	}
	if start != "" {
		return nil, fmt.Errorf("mm7: decode: multipart has no SOAP envelope part: start <%s> names none of its %d parts and none is XML", clip(start), len(d.queue))
	}
	return nil, fmt.Errorf("mm7: decode: multipart has no SOAP envelope part: none of its %d parts is XML", len(d.queue))
}

// startParam normalises the multipart start parameter.
func (d *Decoder) startParam(params map[string]string) (string, error) {
	raw, ok := params["start"]
	if !ok || strings.TrimSpace(raw) == "" {
		return "", d.devs.add(DevStartMissing, "multipart/related without a start parameter; the first part is the envelope")
	}
	t := strings.TrimSpace(raw)
	if !strings.HasPrefix(t, "<") || !strings.HasSuffix(t, ">") {
		if err := d.devs.add(DevStartUnbracketed, "start parameter %q without angle brackets", clip(t)); err != nil {
			return "", err
		}
	}
	id, _ := mm7mime.NormalizeContentID(t)
	return id, nil
}

// looksLikeEnvelopePart reports whether a part's type could be the SOAP
// envelope's: text/xml, or application/xml or application/soap+xml (sent
// by some stacks, recorded as DevSOAPContentType), or no type at all.
func looksLikeEnvelopePart(h textproto.MIMEHeader) bool {
	ct := strings.TrimSpace(h.Get("Content-Type"))
	if ct == "" {
		return true
	}
	mt, _, _, err := mm7mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(strings.ToLower(ct), ";")
		mt = strings.TrimSpace(mt)
	}
	switch mt {
	case "text/xml", "application/xml", "application/soap+xml":
		return true
	}
	return false
}

// sniffBytes is how much of a body noBoundary looks at.
const sniffBytes = 512

// noBoundary handles a multipart Content-Type without a boundary: an
// error, unless the body is evidently a plain SOAP envelope.
func (d *Decoder) noBoundary(mt string, params map[string]string) (*Message, error) {
	head := make([]byte, sniffBytes)
	n, err := io.ReadFull(d.r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, fmt.Errorf("mm7: decode: reading the body: %w", err)
	}
	head = head[:n]
	d.r = io.MultiReader(bytes.NewReader(head), d.r)
	if !evidentlyXML(head) {
		return nil, fmt.Errorf("mm7: decode: multipart Content-Type without a boundary, and the body is not a SOAP envelope (it starts with %q)", clip(string(head[:min(len(head), 24)])))
	}
	// QUIRK: an aggregator documents delivery reports sent as
	// multipart/related; type="text/xml" without a boundary, the body a
	// plain SOAP envelope. DevMultipartNoBoundary
	if err := d.devs.add(DevMultipartNoBoundary, "%s without a boundary; the body is a plain SOAP envelope, read as text/xml", mt); err != nil {
		return nil, err
	}
	delete(params, "charset")
	return d.single("text/xml", params)
}

// evidentlyXML reports whether a body starts, after an optional byte
// order mark and white space, with an XML declaration or an Envelope
// start tag (with any prefix). UTF-16 is recognised by its byte order
// mark or by NUL bytes in the first characters.
func evidentlyXML(b []byte) bool {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		b = asciiOfUTF16(b[2:])
	case len(b) > 1 && (b[0] == 0 || b[1] == 0):
		b = asciiOfUTF16(b)
	}
	b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	b = bytes.TrimLeft(b, " \t\r\n")
	if bytes.HasPrefix(b, []byte("<?xml")) {
		return true
	}
	if len(b) == 0 || b[0] != '<' {
		return false
	}
	end := bytes.IndexAny(b, " \t\r\n/>")
	if end < 0 {
		return false
	}
	name := b[1:end]
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return string(name) == "Envelope"
}

// asciiOfUTF16 drops the NUL bytes of UTF-16 text, which leaves its
// ASCII characters: enough to sniff markup.
func asciiOfUTF16(b []byte) []byte {
	return bytes.ReplaceAll(b, []byte{0}, nil)
}

// single decodes a body that is the envelope alone.
func (d *Decoder) single(mt string, params map[string]string) (*Message, error) {
	if mt != "text/xml" {
		if err := d.devs.add(DevSOAPContentType, "envelope sent as %s, not text/xml", clip(mt)); err != nil {
			return nil, err
		}
	}
	data, err := readLimited(d.r, d.opts.MaxEnvelopeBytes, "SOAP envelope")
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrEmptyBody
	}
	d.envelope, d.envCharset = data, params["charset"]
	msg, err := decodeEnvelope(data, params["charset"], &d.devs)
	if err != nil {
		return nil, err
	}
	if href := contentHref(msg.Body); href != "" {
		if err := d.devs.add(DevContentWithoutParts, "%s references %s but the body has no attachments", msg.Kind(), clip(href)); err != nil {
			return nil, asDecodeError(err, msg) // keep the TransactionID for the Fault
		}
	}
	return msg, nil
}

// envelopePart decodes the SOAP part of a multipart body.
func (d *Decoder) envelopePart(h textproto.MIMEHeader, body io.Reader) (*Message, error) {
	ctype := h.Get("Content-Type")
	charset := ""
	if ctype != "" {
		mt, params, mdevs, err := mm7mime.ParseMediaType(ctype)
		if err != nil {
			return nil, fmt.Errorf("mm7: decode: SOAP part Content-Type %q: %w", clip(ctype), err)
		}
		if err := d.mimeDevs(mdevs, "SOAP part Content-Type"); err != nil {
			return nil, err
		}
		if mt != "text/xml" {
			if err := d.devs.add(DevSOAPContentType, "SOAP part sent as %s, not text/xml", clip(mt)); err != nil {
				return nil, err
			}
		}
		charset = params["charset"]
	}
	cte := h.Get("Content-Transfer-Encoding")
	r, tdevs, err := mm7mime.NewTransferDecoder(body, cte)
	if err != nil {
		return nil, fmt.Errorf("mm7: decode: SOAP part: %w", err)
	}
	if err := d.mimeDevs(tdevs, "SOAP part"); err != nil {
		return nil, err
	}
	d.watch(r, "SOAP part")
	r = d.sevenBit(r, cte, "SOAP part")
	data, err := readLimited(r, d.opts.MaxEnvelopeBytes, "SOAP part")
	if err != nil {
		return nil, err
	}
	if err := d.harvest(); err != nil {
		return nil, err
	}
	d.envelope, d.envCharset = data, charset
	msg, err := decodeEnvelope(data, charset, &d.devs)
	if err != nil {
		return nil, err
	}
	if href := contentHref(msg.Body); href != "" {
		id, hdevs := mm7mime.ContentIDFromHref(href)
		if err := d.mimeDevs(hdevs, "Content href"); err != nil {
			return nil, asDecodeError(err, msg) // keep the TransactionID for the Fault
		}
		d.href = id
		for _, q := range d.queue {
			if err := d.mark(q); err != nil {
				return nil, asDecodeError(err, msg)
			}
		}
	}
	return msg, nil
}

// mark flags a depth-1 part as the referenced content when its Content-ID
// matches the body's href. In strict mode a loose match is an error.
func (d *Decoder) mark(a *Attachment) error {
	if d.href == "" || a.Depth != 1 {
		return nil
	}
	same, lenient := mm7mime.SameContentID(a.ContentID, d.href)
	if !same {
		return nil
	}
	if lenient {
		// QUIRK: href and Content-ID differ in case or %-escaping (RFC
		// 2392 compares them exactly). DevHrefLenient
		if err := d.devs.add(DevHrefLenient, "Content href cid:%s matched part %s only loosely", clip(d.href), clip(a.ContentID)); err != nil {
			return err
		}
	}
	a.Referenced = true
	d.found = true
	return nil
}

// contentID reads and normalises a part's Content-ID.
func (d *Decoder) contentID(h textproto.MIMEHeader, where string) (string, error) {
	raw := h.Get("Content-Id")
	if raw == "" {
		return "", nil
	}
	id, devs := mm7mime.NormalizeContentID(raw)
	return id, d.mimeDevs(devs, where)
}

func (d *Decoder) newReader(r io.Reader, boundary string) *mm7mime.Reader {
	return mm7mime.NewReader(r, boundary, mm7mime.Options{MaxHeaderBytes: d.opts.MaxHeaderBytes, MaxParts: d.opts.MaxParts})
}

// nextPart reads the next part of a level, counting parts at all depths.
func (d *Decoder) nextPart(l *level) (*mm7mime.Part, error) {
	p, err := l.mr.NextPart()
	if err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("mm7: decode: multipart (depth %d): %w", l.depth, err)
	}
	d.parts++
	if d.parts > d.opts.MaxParts {
		return nil, fmt.Errorf("mm7: decode: more than %d MIME parts", d.opts.MaxParts)
	}
	d.watch(p, fmt.Sprintf("part %d (depth %d)", p.Index, l.depth))
	return p, d.harvest()
}

// reporter is a MIME reader whose deviations are known only as it is
// read: a part (its end delimiter) or a transfer decoder (its data).
type reporter struct {
	r     mm7mime.DeviationReporter
	where string
	taken int
}

// watch registers a reporter whose deviations harvest collects.
func (d *Decoder) watch(r any, where string) {
	if dr, ok := r.(mm7mime.DeviationReporter); ok {
		d.reporters = append(d.reporters, &reporter{r: dr, where: where})
	}
}

// harvest records the deviations the watched readers found since the
// last call.
func (d *Decoder) harvest() error {
	for _, rp := range d.reporters {
		devs := rp.r.Deviations()
		if len(devs) > rp.taken {
			if err := d.mimeDevs(devs[rp.taken:], rp.where); err != nil {
				return err
			}
			rp.taken = len(devs)
		}
	}
	return nil
}

// lineEndings records a multipart's line-ending summary, known at its end.
func (d *Decoder) lineEndings(l *level) error {
	for _, dv := range l.mr.Deviations() {
		if dv.Code == mm7mime.LFLineEndings || dv.Code == mm7mime.MixedLineEndings {
			if err := d.devs.addMIME(dv.Code, dv.Text, fmt.Sprintf("multipart (depth %d)", l.depth)); err != nil {
				return err
			}
		}
	}
	return nil
}

// NextAttachment returns the next content part, in order, nested
// multiparts flattened into their leaves. It returns io.EOF after the
// last. The previous attachment's Body is invalid afterwards.
func (d *Decoder) NextAttachment() (*Attachment, error) {
	if _, err := d.Message(); err != nil {
		return nil, err
	}
	if err := d.harvest(); err != nil {
		return nil, err
	}
	for {
		// Parts read before the envelope come first, in order; a nested
		// multipart among them is read to its end before the next one.
		if n := len(d.levels); len(d.queue) > 0 && (n == 0 || !d.levels[n-1].queued) {
			a := d.queue[0]
			d.queue = d.queue[1:]
			if mt := a.MediaType(); strings.HasPrefix(mt, "multipart/") {
				if err := d.push(a, true); err != nil {
					return nil, err
				}
				continue
			}
			return d.leaf(a)
		}
		if len(d.levels) == 0 {
			return nil, d.finish()
		}
		l := d.levels[len(d.levels)-1]
		p, err := d.nextPart(l)
		if err == io.EOF {
			d.levels = d.levels[:len(d.levels)-1]
			if err := d.lineEndings(l); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		cid, err := d.contentID(p.Header, fmt.Sprintf("part %d (depth %d)", p.Index, l.depth))
		if err != nil {
			return nil, err
		}
		a := &Attachment{Header: p.Header, ContentID: cid, Body: p.Body, Depth: l.depth, Container: l.id, Referenced: l.ref}
		a.ContentType = p.Header.Get("Content-Type")
		if l.start != "" && l.depth > 1 {
			a.Start = cid == l.start
		} else if l.depth > 1 && l.firstPart {
			a.Start = true
		}
		l.firstPart = false
		if err := d.mark(a); err != nil {
			return nil, err
		}
		if strings.HasPrefix(a.MediaType(), "multipart/") {
			if err := d.push(a, l.queued); err != nil {
				return nil, err
			}
			continue
		}
		return d.leaf(a)
	}
}

// push opens a nested multipart; queued marks one read before the
// envelope (or nested in one).
func (d *Decoder) push(a *Attachment, queued bool) error {
	depth := a.Depth + 1
	if depth > d.opts.MaxDepth {
		return fmt.Errorf("mm7: decode: multipart nested deeper than %d levels (part %s)", d.opts.MaxDepth, clip(a.ContentID))
	}
	mt, params, mdevs, err := mm7mime.ParseMediaType(a.Header.Get("Content-Type"))
	if err != nil {
		return fmt.Errorf("mm7: decode: part %s Content-Type: %w", clip(a.ContentID), err)
	}
	if err := d.mimeDevs(mdevs, "part "+a.ContentID+" Content-Type"); err != nil {
		return err
	}
	if params["boundary"] == "" {
		return fmt.Errorf("mm7: decode: part %s is %s without a boundary", clip(a.ContentID), mt)
	}
	body, tdevs, err := mm7mime.NewTransferDecoder(a.Body, a.Header.Get("Content-Transfer-Encoding"))
	if err != nil {
		return fmt.Errorf("mm7: decode: part %s: %w", clip(a.ContentID), err)
	}
	if err := d.mimeDevs(tdevs, "part "+a.ContentID); err != nil {
		return err
	}
	d.watch(body, "part "+a.ContentID)
	start := ""
	if s := params["start"]; s != "" {
		start, _ = mm7mime.NormalizeContentID(s)
	}
	d.levels = append(d.levels, &level{mr: d.newReader(body, params["boundary"]), id: a.ContentID, start: start, ref: a.Referenced, depth: depth, firstPart: mt == "multipart/related", queued: queued})
	return nil
}

// leaf finishes a leaf attachment: headers read into fields, transfer
// encoding undone.
func (d *Decoder) leaf(a *Attachment) (*Attachment, error) {
	if a.ContentType == "" {
		a.ContentType = a.Header.Get("Content-Type")
	}
	a.ContentLocation = strings.TrimSpace(a.Header.Get("Content-Location"))
	a.TransferEncoding = strings.ToLower(strings.TrimSpace(a.Header.Get("Content-Transfer-Encoding")))
	where := "part " + a.ContentID
	if a.ContentID == "" {
		where = "part " + a.ContentLocation
		if err := d.devs.add(DevContentIDMissing, "%s (%s) has no Content-ID", where, clip(a.ContentType)); err != nil {
			return nil, err
		}
	}
	// The header as sent, not a.TransferEncoding: NewTransferDecoder
	// reports a value not in lower case (Nokia's BASE64).
	body, tdevs, err := mm7mime.NewTransferDecoder(a.Body, a.Header.Get("Content-Transfer-Encoding"))
	if err != nil {
		return nil, fmt.Errorf("mm7: decode: %s: %w", where, err)
	}
	if err := d.mimeDevs(tdevs, where); err != nil {
		return nil, err
	}
	d.watch(body, where)
	body = d.sevenBit(body, a.TransferEncoding, where)
	a.Body = &partReader{r: body, where: where, d: d}
	a.Size = 0
	d.current = a
	return a, nil
}

// finish reports, at the end of the body, a Content href no part matched.
func (d *Decoder) finish() error {
	if err := d.harvest(); err != nil {
		return err
	}
	if d.href != "" && !d.found {
		if err := d.devs.add(DevHrefUnmatched, "Content href cid:%s matches no part; every part is delivered", clip(d.href)); err != nil {
			return err
		}
	}
	if d.msg != nil {
		d.msg.Deviations = d.devs.list
	}
	return io.EOF
}

// partReader adds the part's name to read errors (bad base64, truncated
// multipart) so they say where. At the end of the part it collects the
// deviations found while reading it, so that a truncated body, or any
// deviation in strict mode, fails the read of the part itself.
type partReader struct {
	r     io.Reader
	where string
	d     *Decoder
	err   error
}

func (p *partReader) Read(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.r.Read(b)
	switch {
	case err == io.EOF:
		if herr := p.d.harvest(); herr != nil {
			err = herr
		}
	case err != nil:
		err = fmt.Errorf("mm7: decode: %s: %w", p.where, err)
	}
	if err != nil {
		p.err = err
	}
	return n, err
}

// sevenBit watches a part sent as 7bit, or without a
// Content-Transfer-Encoding, which means 7bit (RFC 2045 section 6.1), for
// 8-bit and NUL bytes.
func (d *Decoder) sevenBit(r io.Reader, cte, where string) io.Reader {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "", "7bit":
		sb := &sevenBitReader{r: r}
		d.watch(sb, where)
		return sb
	}
	return r
}

// sevenBitReader reports the first byte that 7bit data may not hold.
type sevenBitReader struct {
	r    io.Reader
	off  int64
	devs []mm7mime.Deviation
}

func (s *sevenBitReader) Read(b []byte) (int, error) {
	n, err := s.r.Read(b)
	if s.devs == nil {
		for i, c := range b[:n] {
			if c >= 0x80 || c == 0 {
				// QUIRK: raw binary media and 8-bit text with no
				// Content-Transfer-Encoding (captured Java-stack MOs,
				// mm7-facts 2.2 and 11.4); read as they are.
				// DevUndeclared8Bit
				s.devs = []mm7mime.Deviation{{Code: string(DevUndeclared8Bit), Text: fmt.Sprintf("byte 0x%02x at offset %d of data declared 7bit (or without a Content-Transfer-Encoding)", c, s.off+int64(i))}}
				break
			}
		}
	}
	s.off += int64(n)
	return n, err
}

// Deviations implements mm7mime.DeviationReporter.
func (s *sevenBitReader) Deviations() []mm7mime.Deviation { return s.devs }

// readLimited reads all of r, failing past limit bytes.
func readLimited(r io.Reader, limit int64, what string) ([]byte, error) {
	if limit <= 0 {
		return nil, &limitError{fmt.Sprintf("mm7: decode: %s exceed the buffering limit", what)}
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("mm7: decode: reading %s: %w", what, unexpectedEOF(err))
	}
	if int64(len(data)) > limit {
		return nil, &limitError{fmt.Sprintf("mm7: decode: %s larger than %d bytes", what, limit)}
	}
	return data, nil
}

// A limitError is readLimited's error for data over its limit.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }
