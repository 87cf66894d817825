package mm7

import (
	"fmt"
	"strconv"
	"strings"
)

// A Profile describes how one kind of MMSC reads MM7 beyond TS 23.140:
// which statuses a retry can help with, the texts of its own status
// codes, and the limits it enforces, which a [Client] checks before
// sending so that the caller gets a clear local error rather than a
// remote rejection. The zero Profile behaves as [ProfileTS23140].
type Profile struct {
	// Name names the peer in errors and logs, e.g. "Vibes".
	Name string
	// Retryable reports whether sending the same request again later may
	// succeed after the peer answered code. nil means
	// [StatusCode.Temporary] (3000 and 4006).
	Retryable func(StatusCode) bool
	// Texts holds the peer's own wording of status codes, its private
	// codes included; [Profile.StatusText] falls back on
	// [StatusCode.String].
	Texts map[StatusCode]string
	// Limits are checked before every request is sent.
	Limits Limits
}

// Limits are an MMSC's limits on requests. Zero fields mean no limit.
type Limits struct {
	// MaxBodyBytes bounds the HTTP request body, MIME framing and base64
	// included. When the size of every attachment is known it is checked
	// from the encoder's Content-Length; otherwise the body is encoded
	// into a buffer that stops at the limit.
	MaxBodyBytes int64
	// MaxRecipients bounds the addresses of a SubmitReq, To, Cc and Bcc
	// together.
	MaxRecipients int
	// MaxContentBytes bounds the message content: the attachment bodies
	// before transfer encoding, as carriers and handsets count an MMS
	// (see [SizeClasses]). It is checked when every attachment's size is
	// known.
	MaxContentBytes int64
}

// A SizeClass is a common limit on the size of an MMS that carriers and
// handsets enforce on the way to the recipient, whatever the MMSC
// accepted.
type SizeClass struct {
	// Name is the label the CLI takes: "300KB", "600KB", "1MB".
	Name string
	// Bytes is the limit on the message content.
	Bytes int64
	// Source says who enforces it, and where that is documented.
	Source string
}

// SizeClasses are the MMS size classes of US carriers, smallest first.
// Pick the smallest class among the recipients' carriers; when unknown,
// 300KB reaches every handset.
var SizeClasses = []SizeClass{
	{"300KB", 300 << 10, "Android's default MMS maximum message size (CarrierConfigManager " +
		"KEY_MMS_MAX_MESSAGE_SIZE_INT = 300*1024) and the OMA MMS Conformance Document's largest " +
		"core content class (Content Rich, 300 KB): what every MMS handset accepts"},
	{"600KB", 600 << 10, "US Cellular (~500 KB) and older Verizon handsets; Bandwidth, an MMS " +
		"aggregator, recommends at most 500 KB of media for the best delivery " +
		"(support.bandwidth.com, \"What MMS message size limits must be adhered to?\")"},
	{"1MB", 1 << 20, "AT&T and T-Mobile (1 MB; Verizon 1.5 MB, Sprint 2 MB), as Bandwidth lists " +
		"the major US carriers' MMS file size limits; T-Mobile's MMS APN sets a maximum " +
		"message size of 1,048,576 bytes"},
}

// LookupSizeClass returns the size class named name ("300KB", "600kb",
// "1MB"), case-insensitively.
func LookupSizeClass(name string) (SizeClass, bool) {
	for _, c := range SizeClasses {
		if strings.EqualFold(c.Name, strings.TrimSpace(name)) {
			return c, true
		}
	}
	return SizeClass{}, false
}

// ProfileTS23140 is plain TS 23.140: retries may help only after 3000
// Server Error and 4006 Service unavailable ([StatusCode.Temporary]);
// 4005 Service error "should not be resent".
var ProfileTS23140 = Profile{Name: "TS 23.140", Retryable: StatusCode.Temporary}

// StatusText returns the peer's text for code from Texts, or
// code.String().
func (p Profile) StatusText(code StatusCode) string {
	if t, ok := p.Texts[code]; ok {
		return t
	}
	return code.String()
}

// retryable applies Retryable, or the TS 23.140 default.
func (p Profile) retryable(code StatusCode) bool {
	if p.Retryable == nil {
		return code.Temporary()
	}
	return p.Retryable(code)
}

// name returns Name, or that of ProfileTS23140.
func (p Profile) name() string {
	if p.Name == "" {
		return ProfileTS23140.Name
	}
	return p.Name
}

// String returns the profile's name.
func (p Profile) String() string { return p.name() }

// A LimitError reports a request a [Client] did not send because it
// exceeds a limit of its [Profile]: the MMSC would have rejected it.
// Nothing was sent.
type LimitError struct {
	// Profile names the peer whose limit it is, e.g. "Vibes".
	Profile string
	// Limit says what is limited: "request body bytes" or "recipients".
	Limit string
	// Max is the limit.
	Max int64
	// Got is the value found, or -1 when it is only known to exceed Max
	// (a body of unknown length stopped at the limit while encoding).
	Got int64
	// Remote says how the peer would have answered, e.g. "HTTP 413" or
	// "status 3003", or is empty.
	Remote string
	// Parts lists the attachments and their sizes when the limit is on
	// bytes, so that the caller sees what takes the room.
	Parts []PartSize
}

// A PartSize is one attachment's size in a [LimitError].
type PartSize struct {
	// Name is the Content-Location, else the Content-ID.
	Name string `json:"name"`
	// Type is the media type.
	Type string `json:"type"`
	// Bytes is the size before transfer encoding.
	Bytes int64 `json:"bytes"`
}

// Error returns e.g. "mm7: Vibes limit: 2 recipients, at most 1 (the
// MMSC would answer status 3003)".
func (e *LimitError) Error() string {
	if e == nil {
		return "mm7: <nil LimitError>"
	}
	got := "more than " + strconv.FormatInt(e.Max, 10)
	if e.Got >= 0 {
		got = strconv.FormatInt(e.Got, 10)
	}
	who := e.Profile + " "
	if e.Profile == "" {
		who = ""
	}
	s := fmt.Sprintf("mm7: %slimit: %s %s, at most %d", who, got, e.Limit, e.Max)
	if e.Remote != "" {
		s += " (the MMSC would answer " + e.Remote + ")"
	}
	for i, p := range e.Parts {
		if i == 0 {
			s += ": "
		} else {
			s += ", "
		}
		if i == 8 {
			s += fmt.Sprintf("%d more", len(e.Parts)-i)
			break
		}
		s += fmt.Sprintf("%s %s %d bytes", p.Name, p.Type, p.Bytes)
	}
	return s
}
