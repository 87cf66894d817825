package mime

import (
	"fmt"
	"io"
	"net/textproto"
)

// A Part is one body part of a multipart body, as returned by
// [Reader.NextPart].
type Part struct {
	// Header holds the part's header fields under canonical keys
	// (textproto.CanonicalMIMEHeaderKey), values trimmed and unfolded.
	Header textproto.MIMEHeader
	// Index is the part's 1-based position in the body, as used in error
	// and deviation texts ("part 2").
	Index int
	// Offset is the byte offset in the input of the part's first header
	// line.
	Offset int64
	// Body reads the part's content as sent: the Content-Transfer-Encoding
	// is not undone (see [NewTransferDecoder]). It can be read once, only
	// until the next call of NextPart, which discards what is left; a
	// Read after that fails unless Body had already returned io.EOF.
	Body io.Reader

	r    *Reader
	devs []Deviation
	n    int64 // body bytes consumed
	done bool  // the end of the body was reached
	eof  bool  // Body returned io.EOF to the caller
}

// Deviations returns the deviations recorded for this part: of its header
// ([FoldedHeader], [HeaderNameSpace]), of the delimiter that opened it
// ([TransportPadding]), of the boundary itself on part 1
// ([BoundaryTooLong]) and of its end ([DelimiterNoLineBreak],
// [MissingFinalBoundary]); the last two are known once Body has returned
// io.EOF (or NextPart has discarded it). Line-ending deviations are
// reported only by [Reader.Deviations].
func (p *Part) Deviations() []Deviation { return p.devs }

type partBody struct{ p *Part }

func (b partBody) Read(buf []byte) (int, error) {
	p := b.p
	if p.r.cur != p {
		if p.eof {
			return 0, io.EOF
		}
		return 0, fmt.Errorf("mime: part %d: body read after NextPart", p.Index)
	}
	if p.done {
		p.eof = true
		return 0, io.EOF
	}
	if len(buf) == 0 {
		return 0, nil
	}
	n, err := p.r.readBody(p, buf)
	if err == io.EOF {
		p.eof = true
	}
	return n, err
}

// readBody reads body data of p into buf, or discards it when buf is nil.
func (r *Reader) readBody(p *Part, buf []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	for r.safe == 0 {
		switch {
		case r.haveDelim:
			if r.delim.pre == 0 {
				// QUIRK: "--boundary" right after the header's empty line.
				// DelimiterNoLineBreak
				r.addDev(p, devf(DelimiterNoLineBreak, "part %d: empty body followed by a delimiter without a line break at byte %d", p.Index, r.off))
			}
			r.consumeDelim(p)
			p.done = true
			return 0, io.EOF
		case r.inputEnd:
			// QUIRK: no close delimiter; the part ends at EOF (possibly a
			// truncated upload). MissingFinalBoundary
			r.addDev(p, devf(MissingFinalBoundary, "part %d: input ends at byte %d without the close delimiter", p.Index, r.off))
			r.state = stateDone
			p.done = true
			return 0, io.EOF
		}
		if err := r.fill(p.n == 0); err != nil {
			return 0, r.fail(fmt.Errorf("mime: part %d: %w", p.Index, err))
		}
	}
	n := r.safe
	if buf == nil {
		r.discard(n)
	} else {
		n, _ = r.br.Read(buf[:min(len(buf), n)]) // from the buffer: cannot fail
		r.off += int64(n)
	}
	r.safe -= n
	p.n += int64(n)
	return n, nil
}

// consumeDelim consumes the delimiter found after the current data; p is
// the part it ends (nil in the preamble).
func (r *Reader) consumeDelim(p *Part) {
	d := r.delim
	r.haveDelim = false
	at := r.off + int64(d.pre) // offset of "--boundary"
	if d.pre > 0 {
		r.noteLineEnding(d.pre, r.off)
	}
	r.discard(d.size)
	switch {
	case d.close:
		r.state = stateDone
		return
	case d.atEOF:
		// QUIRK: input truncated on a delimiter line. MissingFinalBoundary
		r.addDev(p, devf(MissingFinalBoundary, "input ends after the delimiter at byte %d without the close delimiter", at))
		r.state = stateDone
		return
	}
	if d.padding {
		// QUIRK: transport padding (RFC 2046 section 5.1.1 allows it,
		// senders must not add it). TransportPadding
		dv := devf(TransportPadding, "part %d: spaces or tabs after the boundary delimiter at byte %d", r.nparts+1, at)
		r.devs = append(r.devs, dv)
		r.pending = append(r.pending, dv)
	}
	r.noteLineEnding(d.ending, r.off-int64(d.ending))
	r.state = stateHeader
}
