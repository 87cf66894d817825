package mime

import (
	"encoding/base64"
	"errors"
	"io"
	"sync"
)

// base64 decoding table values besides 0..63.
const (
	b64Invalid = 0xff
	b64Pad     = 0xfe // '='
	b64Break   = 0xfd // CR, LF: line breaks, always allowed
	b64Space   = 0xfc // space, tab, FF, VT: tolerated, reported
)

var b64Table = func() (t [256]byte) {
	for i := range t {
		t[i] = b64Invalid
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	t['='] = b64Pad
	t['\r'], t['\n'] = b64Break, b64Break
	t[' '], t['\t'], t['\f'], t['\v'] = b64Space, b64Space, b64Space, b64Space
	return t
}()

// base64Decoder is a streaming, lenient RFC 2045 base64 decoder. It skips
// line breaks anywhere, skips (and reports) other white space, decodes a
// final group without padding (and reports it), and fails with a
// *DecodeError naming the byte offset on anything else.
type base64Decoder struct {
	r       io.Reader
	bufs    *base64Buffers // from base64Pool at the first Read, until Release
	out     []byte         // decoded, not yet returned
	quad    [4]byte
	nq      int   // characters in quad, '=' included
	npad    int   // '=' in quad
	closed  bool  // a group ended with padding: only white space may follow
	off     int64 // offset of the next input byte
	err     error // sticky; returned once out is empty
	eof     bool
	spaceAt int64 // offset of the first space or tab, -1 if none
	devs    []Deviation
}

// base64Buffers are the input and output buffers of a base64Decoder,
// recycled through base64Pool: 7 KB a decoder would otherwise allocate
// per part.
type base64Buffers struct {
	in  [4096]byte
	out [3*4096/4 + 3]byte
}

var base64Pool = sync.Pool{New: func() any { return new(base64Buffers) }}

func newBase64Decoder(r io.Reader) *base64Decoder {
	return &base64Decoder{r: r, spaceAt: -1}
}

// Release returns the decoder's buffers to the pool. Later reads fail
// with [ErrReleased]; its Deviations stay available.
func (d *base64Decoder) Release() {
	if d.bufs != nil {
		base64Pool.Put(d.bufs)
		d.bufs = nil
	}
	d.out = nil
	d.err = ErrReleased
}

// Read implements io.Reader.
func (d *base64Decoder) Read(p []byte) (int, error) {
	for len(d.out) == 0 {
		if d.err != nil {
			return 0, d.err
		}
		if d.bufs == nil {
			d.bufs = base64Pool.Get().(*base64Buffers)
		}
		if d.eof {
			d.finish()
			continue
		}
		n, err := d.r.Read(d.bufs.in[:])
		d.decode(d.bufs.in[:n])
		if err == io.EOF {
			d.eof = true
		} else if err != nil && d.err == nil {
			d.err = err
		}
	}
	n := copy(p, d.out)
	d.out = d.out[n:]
	return n, nil
}

// Deviations implements [DeviationReporter].
func (d *base64Decoder) Deviations() []Deviation { return d.devs }

// decode decodes chunk into d.out, stopping at the first error.
func (d *base64Decoder) decode(chunk []byte) {
	out := d.bufs.out[:]
	o := 0
	for i := 0; i < len(chunk); i++ {
		if d.nq == 0 && !d.closed {
			// Fast path: whole groups of four alphabet characters.
			for i+4 <= len(chunk) {
				a, b, c, e := b64Table[chunk[i]], b64Table[chunk[i+1]], b64Table[chunk[i+2]], b64Table[chunk[i+3]]
				if a|b|c|e >= 64 {
					break
				}
				out[o], out[o+1], out[o+2] = a<<2|b>>4, b<<4|c>>2, c<<6|e
				o += 3
				i += 4
			}
			if i == len(chunk) {
				break
			}
		}
		c := chunk[i]
		v := b64Table[c]
		switch {
		case v < 64:
			if d.npad > 0 || d.closed {
				d.fail(d.off+int64(i), "data after padding")
				break
			}
			d.quad[d.nq] = v
			d.nq++
			if d.nq == 4 {
				q := d.quad
				out[o], out[o+1], out[o+2] = q[0]<<2|q[1]>>4, q[1]<<4|q[2]>>2, q[2]<<6|q[3]
				o += 3
				d.nq = 0
			}
			continue
		case v == b64Pad:
			if d.nq < 2 {
				d.fail(d.off+int64(i), "unexpected padding")
				break
			}
			d.nq++
			d.npad++
			if d.nq == 4 {
				o += copy(out[o:], d.partial())
				d.closed = true
			}
			continue
		case v == b64Break:
			continue
		case v == b64Space:
			// QUIRK: spaces/tabs inside base64 (RFC 2045 section 6.8 allows
			// only line breaks). Base64Whitespace
			if d.spaceAt < 0 {
				d.spaceAt = d.off + int64(i)
				d.devs = append(d.devs, devf(Base64Whitespace, "white space inside base64 data at byte %d", d.spaceAt))
			}
			continue
		default:
			d.fail(d.off+int64(i), "illegal character "+quoteByte(c))
		}
		// Only failures get here.
		d.out = out[:o]
		return
	}
	d.off += int64(len(chunk))
	d.out = out[:o]
}

// partial returns the 1 or 2 bytes of a group of nq characters of which
// npad are padding, and resets the group.
func (d *base64Decoder) partial() []byte {
	q := d.quad
	n := d.nq - d.npad
	d.nq, d.npad = 0, 0
	b := [2]byte{q[0]<<2 | q[1]>>4, q[1]<<4 | q[2]>>2}
	return b[:n-1]
}

// finish handles the group left at EOF.
func (d *base64Decoder) finish() {
	d.eof = false
	d.err = io.EOF
	if d.nq == 0 {
		return
	}
	if d.nq-d.npad < 2 {
		d.err = &DecodeError{Encoding: "base64", Offset: d.off, Reason: "truncated data (one character left over)"}
		return
	}
	// QUIRK: the last group lacks its '=' padding (seen from Java encoders
	// that strip it). Base64NoPadding
	d.devs = append(d.devs, devf(Base64NoPadding, "base64 data ends without padding at byte %d", d.off))
	d.out = d.bufs.out[:copy(d.bufs.out[:], d.partial())]
}

func (d *base64Decoder) fail(off int64, reason string) {
	d.err = &DecodeError{Encoding: "base64", Offset: off, Reason: reason}
}

// quoteByte formats c for an error message: 'x' (0x78) or 0x00.
func quoteByte(c byte) string {
	const hex = "0123456789abcdef"
	h := "0x" + string(hex[c>>4]) + string(hex[c&15])
	if c > 0x20 && c < 0x7f {
		return "'" + string(c) + "' (" + h + ")"
	}
	return h
}

// Base64LineLength is the number of encoded characters per line that
// [NewBase64Writer] writes, the maximum RFC 2045 section 6.8 allows.
const Base64LineLength = 76

// NewBase64Writer returns a writer that base64-encodes what is written to
// it onto w in lines of [Base64LineLength] characters separated by CRLF, as
// RFC 2045 section 6.8 requires for a MIME body. No line break follows the
// last line: in a multipart body the CRLF before the next delimiter belongs
// to the delimiter. Close flushes the final group with its padding; it does
// not close w. Exactly [Base64EncodedLen](n) bytes reach w for n bytes
// written. Writes after Close fail.
func NewBase64Writer(w io.Writer) io.WriteCloser {
	lw := &lineWriter{w: w}
	return &base64Writer{enc: base64.NewEncoder(base64.StdEncoding, lw)}
}

// Base64EncodedLen returns the number of bytes [NewBase64Writer] writes for
// n bytes of input: 4 characters per started group of 3 bytes, plus a CRLF
// after every full line except the last. It returns 0 for n <= 0.
func Base64EncodedLen(n int64) int64 {
	if n <= 0 {
		return 0
	}
	e := (n + 2) / 3 * 4
	return e + 2*((e-1)/Base64LineLength)
}

type base64Writer struct {
	enc    io.WriteCloser
	closed bool
}

var errWriteAfterClose = errors.New("mime: base64: write after Close")

func (b *base64Writer) Write(p []byte) (int, error) {
	if b.closed {
		return 0, errWriteAfterClose
	}
	return b.enc.Write(p)
}

func (b *base64Writer) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	return b.enc.Close()
}

// lineWriter inserts CRLF between lines of Base64LineLength characters.
type lineWriter struct {
	w   io.Writer
	col int
	buf []byte
}

func (l *lineWriter) Write(p []byte) (int, error) {
	out := l.buf[:0]
	for rest := p; len(rest) > 0; {
		if l.col == Base64LineLength {
			out = append(out, '\r', '\n')
			l.col = 0
		}
		k := min(Base64LineLength-l.col, len(rest))
		out = append(out, rest[:k]...)
		l.col += k
		rest = rest[k:]
	}
	l.buf = out
	if _, err := l.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
