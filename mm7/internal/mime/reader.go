package mime

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
)

// Limits applied by a zero [Options].
const (
	DefaultMaxHeaderBytes = 64 << 10
	DefaultMaxParts       = 100
)

// MaxBoundaryLen is the longest boundary a [Reader] accepts. RFC 2046
// allows 70 characters; longer ones are accepted up to this length.
const MaxBoundaryLen = 1024

// Options configure a [Reader]. The zero value allows 64 KiB of header per
// part and 100 parts.
type Options struct {
	// MaxHeaderBytes limits each part's header block, line breaks
	// included. 0 means DefaultMaxHeaderBytes; a negative value means no
	// limit.
	MaxHeaderBytes int
	// MaxParts limits the number of parts. 0 means DefaultMaxParts; a
	// negative value means no limit.
	MaxParts int
}

// bufSize is the size of the read buffer, the only memory a Reader needs
// apart from part headers. 8 KiB measured fastest (BenchmarkReader) and
// matches the reads of io.Copy.
const bufSize = 8 << 10

// The scanner needs a delimiter line with its padding to fit the buffer.
var _ [bufSize - (MaxBoundaryLen + maxPadding + 8)]struct{}

// maxPadding is the longest transport padding recognised after a boundary.
const maxPadding = 256

// A Reader reads the parts of a MIME multipart body (RFC 2046), streaming:
// it holds one fixed-size buffer, never a whole part, whatever the part
// sizes. Use it instead of mime/multipart, which decodes
// quoted-printable in NextPart, fixes CRLF or LF once at the first
// boundary and cannot read bodies that mix them.
//
// Framing is lenient. Delimiter lines are recognised after CRLF or a bare
// LF, mixed within one body, with optional transport padding after the
// boundary; the line break before a delimiter belongs to the delimiter, not
// to the part body. Headers may use CRLF or LF and be folded. Preamble and
// epilogue are ignored (the epilogue is not even read). A body without the
// close delimiter ends its last part at EOF. Every such leniency is
// recorded as a [Deviation].
//
// A Reader is not safe for concurrent use.
type Reader struct {
	br        *bufio.Reader
	dash      []byte // "--" + boundary
	maxHeader int
	maxParts  int

	state     readerState
	off       int64 // bytes consumed from the input
	eof       bool  // the input has returned io.EOF
	safe      int   // buffered bytes known to be body (or preamble) data
	delim     delimiter
	haveDelim bool // delim starts right after the safe bytes
	inputEnd  bool // the input ends right after the safe bytes

	cur     *Part
	nparts  int
	pending []Deviation // for the part the last delimiter opened
	devs    []Deviation
	crlf    int
	lf      int
	firstLF int64
	lineBuf []byte
	err     error // sticky
}

type readerState uint8

const (
	statePreamble readerState = iota
	stateHeader               // a delimiter line was read; a part header follows
	stateBody
	stateDone
)

// NewReader returns a Reader for the multipart body r whose boundary
// (the Content-Type boundary parameter, unquoted; it may contain spaces)
// is boundary. An invalid boundary is reported by the first NextPart.
// The Reader buffers r; it does not close it.
func NewReader(r io.Reader, boundary string, opts Options) *Reader {
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(r)
	rd := &Reader{
		br:        br,
		dash:      []byte("--" + boundary),
		maxHeader: limit(opts.MaxHeaderBytes, DefaultMaxHeaderBytes),
		maxParts:  limit(opts.MaxParts, DefaultMaxParts),
	}
	return rd
}

// readerPool recycles the read buffers of Readers (see [Reader.Release]).
var readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, bufSize) }}

// ErrReleased is returned by reads after Release.
var ErrReleased = errors.New("mime: reader released")

// Release returns the Reader's buffer to a pool shared by all Readers,
// for the next NewReader. The Reader and the bodies of its parts fail
// with [ErrReleased] afterwards; its Deviations stay available. Call it
// once nothing reads the body any more; without it the buffer is simply
// garbage collected.
func (r *Reader) Release() {
	if r.br == nil {
		return
	}
	r.br.Reset(nil)
	readerPool.Put(r.br)
	r.br = nil
	r.err = ErrReleased
}

func limit(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// NextPart returns the next part, after discarding whatever the caller
// left unread of the previous one. It returns io.EOF after the close
// delimiter, or at the end of input when the close delimiter is missing
// (see [MissingFinalBoundary]). Any other error is final: later calls
// return it again.
func (r *Reader) NextPart() (*Part, error) {
	if r.err != nil {
		return nil, r.err
	}
	if p := r.cur; p != nil {
		for !p.done {
			if _, err := r.readBody(p, nil); err != nil && err != io.EOF {
				return nil, err
			}
		}
		r.cur = nil
	}
	if r.state == statePreamble {
		if err := r.skipPreamble(); err != nil {
			return nil, r.fail(err)
		}
	}
	if r.state == stateDone {
		return nil, io.EOF
	}
	if r.maxParts >= 0 && r.nparts >= r.maxParts {
		return nil, r.fail(fmt.Errorf("mime: more than %d parts", r.maxParts))
	}
	r.nparts++
	p := &Part{Index: r.nparts, Offset: r.off, r: r, devs: r.pending}
	p.Body = partBody{p}
	r.pending = nil
	h, err := r.readHeader(p)
	if err != nil {
		return nil, r.fail(err)
	}
	p.Header = h
	r.cur = p
	r.state = stateBody
	return p, nil
}

// Deviations returns the deviations recorded so far, for the body as a
// whole and for every part, in the order found. The list is complete once
// NextPart has returned io.EOF. Line endings are summarised as one
// [LFLineEndings] or [MixedLineEndings] entry at the end; those are the
// only entries that never appear in a [Part.Deviations], apart from a
// [MissingFinalBoundary] for input that ends before any part.
func (r *Reader) Deviations() []Deviation {
	devs := slices.Clone(r.devs)
	switch {
	case r.lf > 0 && r.crlf == 0:
		// QUIRK: LF-only framing (RFC 2046 section 5.1.1 says CRLF). LFLineEndings
		devs = append(devs, devf(LFLineEndings, "multipart framing uses LF line endings instead of CRLF"))
	case r.lf > 0:
		// QUIRK: CRLF and LF in one body. MixedLineEndings
		devs = append(devs, devf(MixedLineEndings, "multipart framing mixes CRLF (%d lines) and LF (%d lines); first LF at byte %d", r.crlf, r.lf, r.firstLF))
	}
	return devs
}

// skipPreamble discards input up to and including the first delimiter
// line.
func (r *Reader) skipPreamble() error {
	b := r.dash[2:]
	switch {
	case len(b) == 0:
		return errors.New("mime: empty boundary")
	case len(b) > MaxBoundaryLen:
		return fmt.Errorf("mime: boundary is longer than %d bytes", MaxBoundaryLen)
	case slices.Contains(b, '\r') || slices.Contains(b, '\n'):
		return fmt.Errorf("mime: boundary %q contains a line break", clip(string(b)))
	case len(b) > 70:
		// QUIRK: RFC 2046 section 5.1.1 allows at most 70 characters. BoundaryTooLong
		dv := devf(BoundaryTooLong, "boundary is %d bytes long; RFC 2046 allows 70", len(b))
		r.devs = append(r.devs, dv)
		r.pending = append(r.pending, dv) // reported with part 1 too
	}
	for {
		if r.safe > 0 {
			r.discard(r.safe)
			r.safe = 0
		}
		if r.haveDelim {
			r.consumeDelim(nil)
			return nil
		}
		if r.inputEnd {
			return fmt.Errorf("mime: no boundary delimiter %q in %d bytes of input", clip(string(r.dash)), r.off)
		}
		if err := r.fill(r.off == 0); err != nil {
			return fmt.Errorf("mime: preamble: %w", err)
		}
	}
}

func (r *Reader) fail(err error) error {
	r.err = err
	return err
}

func (r *Reader) addDev(p *Part, d Deviation) {
	r.devs = append(r.devs, d)
	if p != nil {
		p.devs = append(p.devs, d)
	}
}

// noteLineEnding counts a framing line break of size 1 (LF) or 2 (CRLF)
// at offset at.
func (r *Reader) noteLineEnding(size int, at int64) {
	if size == 2 {
		r.crlf++
		return
	}
	if r.lf == 0 {
		r.firstLF = at
	}
	r.lf++
}

func (r *Reader) discard(n int) {
	d, _ := r.br.Discard(n) // n <= Buffered(): cannot fail
	r.off += int64(d)
}
