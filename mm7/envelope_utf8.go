package mm7

import "bytes"

// EnvelopeUTF8 returns the SOAP envelope converted to UTF-8 the way the
// decoder read it: from the character encoding its byte order mark, XML
// declaration or MIME charset names (or, where these disagree with the
// bytes, the bytes say), with line breaks where they were, so that line
// numbers in it are those of [Decoder.Envelope]. The XML declaration is
// left as written: a parser given these bytes must read them as UTF-8,
// not apply the declared encoding again. It fails for an envelope the
// decoder could not read, and returns nil before Message has read the
// envelope.
func (d *Decoder) EnvelopeUTF8() ([]byte, error) {
	if d.envelope == nil {
		return nil, nil
	}
	b, err := toUTF8(d.envelope, d.envCharset, &deviations{})
	if err != nil {
		return nil, err
	}
	return bytes.Clone(b), nil // may share the envelope's bytes; the caller may change it
}
