package mime

import (
	"bytes"
	"io"
)

// A delimiter is a boundary delimiter line found in the buffer.
type delimiter struct {
	pre     int  // line break before "--boundary": 0, 1 (LF) or 2 (CRLF)
	size    int  // bytes from the line break up to and including the delimiter line's own line break
	ending  int  // the delimiter line's line break: 1 (LF), 2 (CRLF), 0 (close delimiter or EOF)
	close   bool // "--boundary--": the epilogue follows and is not read
	atEOF   bool // the input ends on the delimiter line
	padding bool // spaces or tabs between the boundary and the line break
}

// fill looks at buffered input, reading more if needed, until it can make
// progress: it sets r.safe > 0 (data before any delimiter), r.haveDelim (a
// delimiter follows the safe data) or r.inputEnd. atLineStart says whether
// the current position starts a line, where a delimiter needs no preceding
// line break (the start of the input, or of a part body).
func (r *Reader) fill(atLineStart bool) error {
	if n := r.br.Buffered(); n > 0 || r.eof {
		buf, _ := r.br.Peek(n)
		if r.scan(buf, atLineStart) {
			return nil
		}
	}
	for {
		// Peek one byte more than is buffered: one Read of the input, so a
		// slow sender is not waited on for a full buffer. Then look at all
		// that is buffered. (The buffer is never full here: a full buffer
		// always lets scan progress.)
		_, err := r.br.Peek(r.br.Buffered() + 1)
		buf, _ := r.br.Peek(r.br.Buffered())
		if err == io.EOF {
			r.eof = true // scan always progresses at EOF
		}
		if r.scan(buf, atLineStart) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// scan records the result of find and reports whether it made progress.
func (r *Reader) scan(buf []byte, atLineStart bool) bool {
	n, d, found := r.find(buf, atLineStart)
	switch {
	case found:
		r.safe, r.delim, r.haveDelim = n, d, true
	case n > 0:
		r.safe = n
	case r.eof && len(buf) == 0:
		r.inputEnd = true
	default:
		return false
	}
	return true
}

// find returns the number of bytes at the start of buf that are certainly
// data, and whether a delimiter starts right after them. Bytes that may
// start a delimiter whose end is not yet buffered are held back.
func (r *Reader) find(buf []byte, atLineStart bool) (n int, d delimiter, found bool) {
	dash := r.dash
	for from := 0; ; {
		i := bytes.Index(buf[from:], dash)
		if i < 0 {
			break
		}
		i += from
		pre := 0
		switch {
		case i == 0 && atLineStart:
		case i > 0 && buf[i-1] == '\n':
			pre = 1
			if i > 1 && buf[i-2] == '\r' {
				pre = 2
			}
		default:
			from = i + 1
			continue
		}
		d, ok, more := classify(buf[i+len(dash):], r.eof)
		if more {
			return i - pre, delimiter{}, false
		}
		if !ok {
			from = i + 1
			continue
		}
		d.pre = pre
		d.size += pre + len(dash)
		return i - pre, d, true
	}
	if r.eof {
		return len(buf), delimiter{}, false
	}
	if atLineStart && len(buf) < len(dash) && bytes.HasPrefix(dash, buf) {
		return 0, delimiter{}, false
	}
	return r.safeLen(buf), delimiter{}, false
}

// classify decides whether rest, the bytes after "--boundary" at the start
// of a line, make a delimiter line. more means it cannot tell yet.
func classify(rest []byte, eof bool) (d delimiter, ok, more bool) {
	if len(rest) >= 2 && rest[0] == '-' && rest[1] == '-' {
		return delimiter{close: true, size: 2}, true, false
	}
	if len(rest) == 1 && rest[0] == '-' && !eof {
		return d, false, true
	}
	j := 0
	for j < len(rest) && (rest[j] == ' ' || rest[j] == '\t') {
		j++
		if j > maxPadding {
			return d, false, false
		}
	}
	d.padding = j > 0
	if j == len(rest) || rest[j] == '\r' && j+1 == len(rest) {
		if !eof {
			return d, false, true
		}
		// The input ends on the delimiter line (truncated).
		d.atEOF, d.size = true, len(rest)
		return d, true, false
	}
	switch {
	case rest[j] == '\n':
		d.ending, d.size = 1, j+1
		return d, true, false
	case rest[j] == '\r' && rest[j+1] == '\n':
		d.ending, d.size = 2, j+2
		return d, true, false
	}
	return delimiter{}, false, false
}

// safeLen returns len(buf) minus the longest suffix that could start a
// delimiter: a proper prefix of "\r\n--boundary" or "\n--boundary".
func (r *Reader) safeLen(buf []byte) int {
	for j := max(0, len(buf)-len(r.dash)-2); j < len(buf); j++ {
		c := buf[j]
		if c != '\r' && c != '\n' {
			continue
		}
		tail := buf[j:]
		k := 1
		if c == '\r' {
			if len(tail) == 1 {
				return j
			}
			if tail[1] != '\n' {
				continue
			}
			k = 2
		}
		if bytes.HasPrefix(r.dash, tail[k:]) {
			return j
		}
	}
	return len(buf)
}
