package mime

import "io"

// qpDecoder is a streaming quoted-printable decoder (RFC 2045 section 6.7)
// with the leniency of mime/quotedprintable, which it replaces because
// that reader fails with "bufio: buffer full" on lines longer than 4096
// bytes and rejects unencoded control bytes. Memory is constant: at most
// qpMaxHold pending bytes (a run of trailing-white-space candidates).
type qpDecoder struct {
	r      io.Reader
	in     [4096]byte
	outBuf []byte
	out    []byte // decoded, not yet returned
	hold   []byte // bytes whose meaning depends on what follows
	state  qpState
	off    int64 // offset of the next input byte
	err    error // sticky; returned once out is empty
	eof    bool
	seen   [3]bool // qpBadEscape, qpLowerHex, qpRawByte reported
	devs   []Deviation
}

type qpState uint8

const (
	qpText    qpState = iota
	qpSpace           // hold: spaces/tabs that are dropped before a line break
	qpSpaceCR         // hold: spaces/tabs + CR
	qpEq              // hold: "="
	qpEqHex           // hold: "=" + one hex digit
	qpEqSpace         // hold: "=" + spaces/tabs (a soft break if a line break follows)
	qpEqCR            // hold: "=" + spaces/tabs + CR
)

// qpMaxHold bounds the pending bytes; a longer run of white space is
// passed on as it is.
const qpMaxHold = 1024

// Kinds of invalid input, reported once each.
const (
	qpBadEscape = iota
	qpLowerHex
	qpRawByte
)

func newQPDecoder(r io.Reader) *qpDecoder {
	return &qpDecoder{r: r, outBuf: make([]byte, 0, 4096+qpMaxHold+8), hold: make([]byte, 0, qpMaxHold+2)}
}

// Deviations implements [DeviationReporter].
func (d *qpDecoder) Deviations() []Deviation { return d.devs }

// Read implements io.Reader.
func (d *qpDecoder) Read(p []byte) (int, error) {
	for len(d.out) == 0 {
		if d.err != nil {
			return 0, d.err
		}
		if d.eof {
			d.finish()
			continue
		}
		n, err := d.r.Read(d.in[:])
		d.out = d.outBuf[:0]
		for i, c := range d.in[:n] {
			d.step(c, d.off+int64(i))
		}
		d.off += int64(n)
		if err == io.EOF {
			d.eof = true
		} else if err != nil {
			d.err = err
		}
	}
	n := copy(p, d.out)
	d.out = d.out[n:]
	return n, nil
}

// step consumes one input byte at offset off.
func (d *qpDecoder) step(c byte, off int64) {
	for {
		switch d.state {
		case qpText:
			switch {
			case c == '=':
				d.hold = append(d.hold[:0], c)
				d.state = qpEq
			case c == ' ' || c == '\t':
				d.hold = append(d.hold[:0], c)
				d.state = qpSpace
			case c == '\r' || c == '\n' || (c >= ' ' && c < 0x7f):
				d.out = append(d.out, c)
			default:
				// QUIRK: unencoded control or 8-bit byte; passed through,
				// as mime/quotedprintable does for 8-bit. QuotedPrintableInvalid
				d.invalid(qpRawByte, off, "unencoded byte "+quoteByte(c))
				d.out = append(d.out, c)
			}
			return
		case qpSpace:
			switch c {
			case ' ', '\t':
				if len(d.hold) == qpMaxHold {
					d.flush()
					d.state = qpSpace
				}
				d.hold = append(d.hold, c)
				return
			case '\r':
				d.hold = append(d.hold, c)
				d.state = qpSpaceCR
				return
			case '\n':
				// RFC 2045 rule 3: trailing white space is deleted.
				d.out = append(d.out, c)
				d.hold, d.state = d.hold[:0], qpText
				return
			}
			d.flush()
		case qpSpaceCR:
			if c == '\n' {
				d.out = append(d.out, '\r', '\n')
				d.hold, d.state = d.hold[:0], qpText
				return
			}
			d.flush()
		case qpEq:
			switch {
			case isHex(c):
				d.hold = append(d.hold, c)
				d.state = qpEqHex
				return
			case c == ' ' || c == '\t':
				d.hold = append(d.hold, c)
				d.state = qpEqSpace
				return
			case c == '\r':
				d.hold = append(d.hold, c)
				d.state = qpEqCR
				return
			case c == '\n':
				d.softBreak()
				return
			}
			d.badEscape(off)
		case qpEqHex:
			if isHex(c) {
				h := d.hold[1]
				if h >= 'a' || c >= 'a' {
					// QUIRK: "=3d" (RFC 2045 requires upper case; it also
					// suggests decoders accept lower case). QuotedPrintableInvalid
					d.invalid(qpLowerHex, off-2, "lower-case hex digits after '='")
				}
				d.out = append(d.out, unhex(h)<<4|unhex(c))
				d.hold, d.state = d.hold[:0], qpText
				return
			}
			d.badEscape(off)
		case qpEqSpace:
			switch c {
			case ' ', '\t':
				if len(d.hold) < qpMaxHold {
					d.hold = append(d.hold, c)
					return
				}
			case '\r':
				d.hold = append(d.hold, c)
				d.state = qpEqCR
				return
			case '\n':
				d.softBreak()
				return
			}
			d.badEscape(off)
		case qpEqCR:
			if c == '\n' {
				d.softBreak()
				return
			}
			d.badEscape(off)
		}
		// The held bytes were flushed; c is handled as text.
	}
}

// badEscape handles a '=' that starts neither an escape nor a soft line
// break: it is kept literally with what followed it.
func (d *qpDecoder) badEscape(off int64) {
	// QUIRK: a literal '=' (mime/quotedprintable, Go issue 13219, does
	// the same). QuotedPrintableInvalid
	d.invalid(qpBadEscape, off-int64(len(d.hold)), "'=' not followed by two hex digits or a line break")
	d.flush()
}

// flush emits the held bytes as they are and returns to text.
func (d *qpDecoder) flush() {
	d.out = append(d.out, d.hold...)
	d.hold, d.state = d.hold[:0], qpText
}

func (d *qpDecoder) softBreak() {
	d.hold, d.state = d.hold[:0], qpText
}

// finish handles what is held at EOF.
func (d *qpDecoder) finish() {
	d.eof = false
	d.err = io.EOF
	d.out = d.outBuf[:0]
	switch d.state {
	case qpEqHex:
		d.badEscape(d.off)
	default:
		// Trailing white space, a final CR and a final soft break are
		// dropped, as mime/quotedprintable does.
		d.hold, d.state = d.hold[:0], qpText
	}
}

func (d *qpDecoder) invalid(kind int, off int64, what string) {
	if d.seen[kind] {
		return
	}
	d.seen[kind] = true
	d.devs = append(d.devs, devf(QuotedPrintableInvalid, "quoted-printable: %s at byte %d", what, off))
}
