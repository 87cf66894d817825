package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/xml"
	"hash"
	"io"
)

// A contentDigest tells a message sent again from another message that
// reuses its key: the SHA-256 of the SOAP Body element as received (the
// Header is left out: an MMSC may give a retried report a new
// TransactionID) and of every attachment's headers and bytes. The Body
// is hashed as its XML tokens (names with their prefixes, attributes,
// text, comments), so that only how the markup is written (quotes, <a/>
// or <a></a>) does not count, and the href of its Content element, which
// names the MIME part an encoder may generate afresh for every sending,
// is left out (the parts themselves are hashed). When the Body cannot be
// read so, the whole envelope's bytes are hashed: messages that differ in
// any byte then never pass for one.
type contentDigest struct{ h hash.Hash }

func newContentDigest(kind string, envelope []byte) *contentDigest {
	d := &contentDigest{h: sha256.New()}
	d.field([]byte("mm7go-content-1"))
	d.field([]byte(kind))
	body := sha256.New()
	if bodyTokens(envelope, body) {
		d.field([]byte("tokens"))
	} else {
		body.Reset()
		body.Write(envelope)
		d.field([]byte("bytes"))
	}
	d.field(body.Sum(nil))
	return d
}

// field adds a length-prefixed value, so that fields cannot run into
// each other.
func (d *contentDigest) field(b []byte) { writeField(d.h, b) }

func writeField(h hash.Hash, b []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(b)))
	h.Write(n[:])
	h.Write(b)
}

func (d *contentDigest) attachment(a storedAttachment, sum []byte) {
	d.field([]byte(a.ContentType))
	d.field([]byte(a.ContentID))
	d.field([]byte(a.ContentLocation))
	d.field(sum)
}

func (d *contentDigest) sum() []byte { return d.h.Sum(nil) }

// bodyTokens writes the tokens of the SOAP Body element (the child of
// the root element named Body) to h, and reports whether it found the
// whole element. It only tokenises: no entity is expanded beyond the
// XML ones, nothing is fetched.
func bodyTokens(env []byte, h hash.Hash) bool {
	d := xml.NewDecoder(bytes.NewReader(env))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // bytes as they are
	depth := 0
	in := false
	name := func(tag byte, n xml.Name) {
		writeField(h, []byte{tag})
		writeField(h, []byte(n.Space))
		writeField(h, []byte(n.Local))
	}
	for {
		tok, err := d.RawToken()
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 && t.Name.Local == "Body" {
				if in {
					return false // two Bodies: hash the bytes
				}
				in = true
			}
			if !in {
				continue
			}
			name('<', t.Name)
			for _, a := range t.Attr {
				if t.Name.Local == "Content" && a.Name.Local == "href" {
					continue
				}
				name('=', a.Name)
				writeField(h, []byte(a.Value))
			}
		case xml.EndElement:
			if in {
				name('>', t.Name)
			}
			if depth == 2 && in {
				return true
			}
			depth--
		case xml.CharData:
			if in {
				writeField(h, []byte{'t'})
				writeField(h, t)
			}
		case xml.Comment:
			if in {
				writeField(h, []byte{'c'})
				writeField(h, t)
			}
		case xml.ProcInst:
			if in {
				writeField(h, []byte{'?'})
				writeField(h, []byte(t.Target))
				writeField(h, t.Inst)
			}
		case xml.Directive:
			return false
		}
	}
}
