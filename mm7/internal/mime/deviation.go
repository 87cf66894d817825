package mime

import "fmt"

// A Deviation is one place where the input departs from the MIME RFCs
// (2045, 2046, 2231, 2387, 2392) but was accepted anyway. Code is one of the
// kebab-case constants below and never changes for a given quirk, so callers
// can count, filter or reject on it; Text is for humans and names the place
// (part number, header name, byte offset) when it is known.
//
// Deviations are reported, never acted upon: the decoder built on this
// package collects them and, in strict mode, turns any of them into an
// error.
type Deviation struct {
	Code string
	Text string
}

// String returns "code: text".
func (d Deviation) String() string { return d.Code + ": " + d.Text }

// A DeviationReporter reports the deviations it has seen so far. The readers
// returned by [NewTransferDecoder] and the [Part] type implement it; their
// lists are complete once reading has returned io.EOF.
type DeviationReporter interface {
	Deviations() []Deviation
}

// Multipart framing deviations, recorded by [Reader].
const (
	// LFLineEndings: the multipart framing (delimiter lines, part headers)
	// uses bare LF instead of CRLF throughout (RFC 2046 section 5.1.1
	// requires CRLF). Typical of bodies built by scripts on Unix.
	LFLineEndings = "lf-line-endings"
	// MixedLineEndings: the multipart framing uses both CRLF and bare LF.
	MixedLineEndings = "mixed-line-endings"
	// FoldedHeader: a part header continues on a following line starting
	// with a space or tab. Legal in RFC 5322 but rare in MM7 and a sign of
	// an old mail-derived stack; the value is unfolded into one line.
	FoldedHeader = "folded-header"
	// HeaderNameSpace: white space between a header name and its colon
	// ("Content-Type : text/xml"), which RFC 5322 forbids; it is ignored.
	HeaderNameSpace = "header-name-space"
	// TransportPadding: spaces or tabs between a boundary delimiter and its
	// line break. RFC 2046 allows this ("transport-padding") but says
	// senders must not add it.
	TransportPadding = "transport-padding"
	// DelimiterNoLineBreak: a part's empty body is followed directly by the
	// delimiter, without the line break RFC 2046 makes part of it.
	DelimiterNoLineBreak = "delimiter-no-line-break"
	// BoundaryTooLong: a boundary longer than the 70 characters RFC 2046
	// section 5.1.1 allows (accepted up to MaxBoundaryLen).
	BoundaryTooLong = "boundary-too-long"
	// MissingFinalBoundary: the input ends without the close delimiter
	// ("--boundary--"); the last part ends at EOF. A truncated upload looks
	// the same, so strict mode should reject it.
	MissingFinalBoundary = "missing-final-boundary"
)

// Media type (Content-Type parameter) deviations, recorded by
// [ParseMediaType].
const (
	// CapitalisedParam: a parameter name that is not lower case (Nokia
	// sends "Type=" and "Start="). RFC 2045 makes names case-insensitive,
	// so this is legal; it is reported as a sender fingerprint.
	CapitalisedParam = "capitalised-param"
	// UnquotedParam: an unquoted parameter value containing characters that
	// require quoting (tspecials or spaces), such as start=<soap@x> or
	// boundary==_Part_1. The value runs to the next ';'.
	UnquotedParam = "unquoted-param"
	// EmptyParamValue: a parameter with nothing after '=' ("charset=");
	// its value is "".
	EmptyParamValue = "empty-param-value"
	// DuplicateParam: a parameter given more than once; the first wins.
	DuplicateParam = "duplicate-param"
	// TrailingSemicolon: a ';' not followed by a parameter, at the end or
	// doubled (";;").
	TrailingSemicolon = "trailing-semicolon"
	// SpaceAroundEquals: white space around the '=' of a parameter
	// ("charset = utf-8"), which RFC 2045 does not allow.
	SpaceAroundEquals = "space-around-equals"
	// MissingSemicolon: a parameter directly after a quoted value without
	// the ';' separator (type="text/xml" start="<a>").
	MissingSemicolon = "missing-semicolon"
	// MalformedParam: a parameter that could not be parsed (no name, no
	// '=') and was skipped up to the next ';'.
	MalformedParam = "malformed-param"
)

// Content-ID and cid: URL deviations, returned by [NormalizeContentID],
// [ContentIDFromHref] and, via its lenient result, [SameContentID].
const (
	// ContentIDNoBrackets: a Content-ID header (or start parameter) without
	// the angle brackets of RFC 2392 ("Content-ID: img1"), or with only
	// one of them.
	ContentIDNoBrackets = "content-id-no-brackets"
	// ContentIDWhitespace: white space inside the angle brackets
	// ("< img1 >"); it is removed.
	ContentIDWhitespace = "content-id-whitespace"
	// ContentIDCIDPrefix: a Content-ID header holding a cid: URL
	// ("<cid:img1>") instead of a bare msg-id; the prefix is removed.
	ContentIDCIDPrefix = "content-id-cid-prefix"
	// HrefNotCID: an href that is not a cid: URL ("img1" or "photo.jpg");
	// it is returned unchanged and may name a Content-Location instead.
	HrefNotCID = "href-not-cid"
	// HrefCIDSpace: white space after "cid:" ("cid: content_15", seen from
	// Java MMSCs); it is removed.
	HrefCIDSpace = "href-cid-space"
	// HrefBrackets: angle brackets inside a cid: URL ("cid:<img1>"); they
	// are removed.
	HrefBrackets = "href-brackets"
	// HrefBadEscape: a '%' in a cid: URL not followed by two hex digits;
	// the URL is used without unescaping.
	HrefBadEscape = "href-bad-escape"
	// ContentIDLooseMatch: an href matched a Content-ID only when compared
	// case-insensitively or after URL-unescaping both sides (see
	// [SameContentID]).
	ContentIDLooseMatch = "content-id-loose-match"
)

// Content-Transfer-Encoding deviations, recorded by [NewTransferDecoder]
// and its readers.
const (
	// TransferEncodingCase: a Content-Transfer-Encoding value not in lower
	// case ("BASE64", from Nokia). RFC 2045 makes it case-insensitive, so
	// this is legal; it is reported as a sender fingerprint.
	TransferEncodingCase = "transfer-encoding-case"
	// UnknownTransferEncoding: a Content-Transfer-Encoding this package
	// does not know. The body is passed through undecoded so no data is
	// lost; strict mode should reject it.
	UnknownTransferEncoding = "unknown-transfer-encoding"
	// Base64Whitespace: spaces, tabs or other white space (not CR or LF)
	// inside base64 data; they are skipped.
	Base64Whitespace = "base64-whitespace"
	// Base64NoPadding: base64 data whose last group lacks (some of) its
	// '=' padding; the remaining bits are decoded.
	Base64NoPadding = "base64-no-padding"
	// QuotedPrintableInvalid: quoted-printable data that breaks RFC 2045
	// section 6.7 but was decoded anyway: a '=' not followed by two hex
	// digits or a line break (kept literally), lower-case hex digits, or
	// control and 8-bit bytes left unencoded (passed through).
	QuotedPrintableInvalid = "quoted-printable-invalid"
)

// devf builds a Deviation with a formatted text.
func devf(code, format string, args ...any) Deviation {
	return Deviation{Code: code, Text: fmt.Sprintf(format, args...)}
}
