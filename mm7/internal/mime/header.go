package mime

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/textproto"
)

// readHeader reads p's header block up to and including the empty line.
func (r *Reader) readHeader(p *Part) (textproto.MIMEHeader, error) {
	h := make(textproto.MIMEHeader)
	used := 0
	last := ""      // canonical key of the previous field
	folded := false // last was reported as folded
	for {
		at := r.off
		line, err := r.readLine(p, &used)
		if err != nil {
			return nil, err
		}
		if len(line) == 0 {
			return h, nil
		}
		if line[0] == ' ' || line[0] == '\t' {
			if last == "" {
				return nil, fmt.Errorf("mime: part %d: header continuation line without a field at byte %d", p.Index, at)
			}
			if !folded {
				// QUIRK: folded header (RFC 5322 section 2.2.3; unusual in
				// MM7). FoldedHeader
				folded = true
				r.addDev(p, devf(FoldedHeader, "part %d: header %q is folded at byte %d", p.Index, last, at))
			}
			vs := h[last]
			if t := string(bytes.Trim(line, " \t")); t != "" {
				if v := vs[len(vs)-1]; v != "" {
					t = v + " " + t
				}
				vs[len(vs)-1] = t
			}
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon < 0 {
			return nil, fmt.Errorf("mime: part %d: malformed header line %q at byte %d", p.Index, clip(string(line)), at)
		}
		name := bytes.TrimRight(line[:colon], " \t")
		if !validFieldName(name) {
			return nil, fmt.Errorf("mime: part %d: invalid header name %q at byte %d", p.Index, clip(string(line[:colon])), at)
		}
		key := textproto.CanonicalMIMEHeaderKey(string(name))
		if len(name) != colon {
			// QUIRK: "Content-Type : x" (RFC 5322 forbids white space
			// before the colon). HeaderNameSpace
			r.addDev(p, devf(HeaderNameSpace, "part %d: white space before ':' in header %q at byte %d", p.Index, key, at))
		}
		h[key] = append(h[key], string(bytes.Trim(line[colon+1:], " \t")))
		last, folded = key, false
	}
}

// readLine reads one header line and returns it without its line break,
// which it counts for the line-ending deviations. used accumulates the
// bytes read against MaxHeaderBytes. The line is valid until the next read.
func (r *Reader) readLine(p *Part, used *int) ([]byte, error) {
	acc := r.lineBuf[:0]
	for {
		frag, err := r.br.ReadSlice('\n')
		r.off += int64(len(frag))
		*used += len(frag)
		if r.maxHeader >= 0 && *used > r.maxHeader {
			return nil, fmt.Errorf("mime: part %d: header exceeds %d bytes", p.Index, r.maxHeader)
		}
		if err == bufio.ErrBufferFull {
			acc = append(acc, frag...)
			continue
		}
		if err == io.EOF {
			return nil, fmt.Errorf("mime: part %d: header truncated at byte %d: %w", p.Index, r.off, io.ErrUnexpectedEOF)
		}
		if err != nil {
			return nil, fmt.Errorf("mime: part %d: %w", p.Index, err)
		}
		line := frag
		if len(acc) > 0 {
			acc = append(acc, frag...)
			r.lineBuf = acc
			line = acc
		}
		line = line[:len(line)-1]
		ending := 1
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
			ending = 2
		}
		r.noteLineEnding(ending, r.off-int64(ending))
		return line, nil
	}
}

// validFieldName reports whether name is an RFC 5322 field name: printable
// US-ASCII except ':'.
func validFieldName(name []byte) bool {
	if len(name) == 0 {
		return false
	}
	for _, c := range name {
		if c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}
