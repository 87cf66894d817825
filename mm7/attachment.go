package mm7

import (
	"io"
	"mime"
	"net/textproto"
	"strings"
)

// An Attachment is one MIME part of an MM7 message's content: a text, an
// image, a SMIL presentation, ...
//
// When encoding, set ContentType and Body; Size lets the encoder compute
// Content-Length (it is also taken from bodies with a Len method, such as
// *bytes.Reader). ContentID and ContentLocation are generated when empty.
//
// When decoding, Body streams the part with its Content-Transfer-Encoding
// undone; it is valid until the next call to NextAttachment.
type Attachment struct {
	// ContentType is the media type with its parameters, e.g.
	// `text/plain; charset="utf-8"` or "image/jpeg".
	ContentType string
	// ContentID is the Content-ID without angle brackets.
	ContentID string
	// ContentLocation is the Content-Location, usually a file name.
	ContentLocation string
	// TransferEncoding is the Content-Transfer-Encoding. When encoding, ""
	// means 8bit for text/* and SMIL whose bytes are valid 8bit data
	// (CRLF line breaks, lines up to 998 octets, checked when the body is
	// an io.ReaderAt such as *strings.Reader, *bytes.Reader or *os.File)
	// and base64 otherwise; "binary", "8bit", "7bit" and "base64" are
	// written as asked. When decoding it is the
	// encoding the part was sent with (already undone in Body).
	TransferEncoding string
	// Size is the length of Body in bytes, when known (0: unknown, unless
	// Body has a Len method).
	Size int64
	// Body is the part's content.
	Body io.Reader

	// Header holds every MIME header of a decoded part.
	Header textproto.MIMEHeader
	// Depth is 1 for a part of the SOAP multipart, 2 inside the MM
	// content's multipart, and so on.
	Depth int
	// Container is the Content-ID of the multipart a decoded part is
	// nested in ("" at depth 1).
	Container string
	// Referenced reports whether a decoded part is the message's content
	// (the part <Content href="cid:..."/> names) or inside it.
	Referenced bool
	// Start reports whether a decoded part is the start part of its
	// multipart/related container (the SMIL presentation, usually).
	Start bool
}

// MediaType returns the lower-cased media type without parameters.
func (a *Attachment) MediaType() string {
	mt, _, err := mime.ParseMediaType(a.ContentType)
	if err != nil {
		mt, _, _ = strings.Cut(a.ContentType, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// size returns the body length when known.
func (a *Attachment) size() (int64, bool) {
	if a.Size > 0 {
		return a.Size, true
	}
	if l, ok := a.Body.(interface{ Len() int }); ok {
		return int64(l.Len()), true
	}
	if a.Body == nil {
		return 0, true
	}
	return 0, false
}
