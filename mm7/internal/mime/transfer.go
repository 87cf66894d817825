package mime

import (
	"errors"
	"io"
	"strconv"
	"strings"
)

// A DecodeError reports invalid transfer-encoded data. Offset counts bytes
// of the encoded input given to the decoder, from 0, so it is an offset
// inside the part body, not inside the whole HTTP body.
type DecodeError struct {
	Encoding string // "base64"
	Offset   int64
	Reason   string // e.g. "illegal character '*' (0x2a)"
}

// Error returns "mime: base64: illegal character '*' (0x2a) at byte 57".
func (e *DecodeError) Error() string {
	return "mime: " + e.Encoding + ": " + e.Reason + " at byte " + strconv.FormatInt(e.Offset, 10)
}

// NewTransferDecoder returns a reader that undoes the Content-Transfer-
// Encoding cte on r, streaming, in constant memory:
//
//   - "base64": line breaks are skipped anywhere; other white space and
//     missing final padding are tolerated and reported ([Base64Whitespace],
//     [Base64NoPadding]); any other character outside the base64 alphabet,
//     data after padding and a lone final character fail with a
//     *[DecodeError] naming the byte offset.
//   - "quoted-printable": decoded leniently like mime/quotedprintable
//     (soft breaks after LF, a '=' that starts no escape is kept, trailing
//     white space is dropped), but without its 4096-byte line limit and
//     without failing on unencoded control bytes; such input is reported
//     as [QuotedPrintableInvalid].
//   - "7bit", "8bit", "binary" and "" (absent header, common for raw
//     binary media from Java MMSCs): r is read unchanged.
//
// The value is matched case-insensitively after trimming white space; a
// value not in lower case is reported as [TransferEncodingCase] (Nokia
// sends "BASE64"). An unknown value is reported as
// [UnknownTransferEncoding] and r is read unchanged, so no data is lost:
// the caller sees the encoded bytes and can decide (strict mode: reject).
//
// The returned devs are those decided from cte. The returned reader also
// implements [DeviationReporter]; its Deviations are the ones found in the
// data, complete once Read has returned io.EOF. err is non-nil only when r
// is nil.
func NewTransferDecoder(r io.Reader, cte string) (io.Reader, []Deviation, error) {
	if r == nil {
		return nil, nil, errors.New("mime: NewTransferDecoder: nil reader")
	}
	v := trimASCIISpace(cte)
	lower := strings.ToLower(v)
	var devs []Deviation
	if lower != v {
		// QUIRK: "BASE64" (Nokia; RFC 2045 section 6.1 makes the value
		// case-insensitive). TransferEncodingCase
		devs = append(devs, devf(TransferEncodingCase, "Content-Transfer-Encoding %q is not lower case", clip(v)))
	}
	switch lower {
	case "base64":
		return newBase64Decoder(r), devs, nil
	case "quoted-printable":
		return newQPDecoder(r), devs, nil
	case "", "7bit", "8bit", "binary":
		return identity{r}, devs, nil
	}
	// QUIRK: unknown encoding: pass the bytes through rather than lose
	// them. UnknownTransferEncoding
	devs = append(devs, devf(UnknownTransferEncoding, "unknown Content-Transfer-Encoding %q; body left undecoded", clip(v)))
	return identity{r}, devs, nil
}

// identity reads r unchanged and never reports deviations.
type identity struct{ io.Reader }

// Deviations implements [DeviationReporter].
func (identity) Deviations() []Deviation { return nil }
