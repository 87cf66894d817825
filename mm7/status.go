package mm7

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// A StatusCode is the StatusCode of an MM7 response Status (TS 23.140,
// schema type xs:positiveInteger). The schema does not enumerate the
// codes and MMSCs add private ones (Vibes 2500-2504, 2999, 3500, 4500;
// Sinch 2571, 2572), so a StatusCode keeps any value it is given: switch
// on the constants below and fall back on [StatusCode.Class]. Never match
// on StatusText, whose case and spacing vary between implementations.
type StatusCode int

// Status codes of TS 23.140. The texts in the comments are the canonical
// StatusText values returned by [StatusCode.String]. Codes marked Rel-6
// belong to application addressing (REL-6-MM7-1-x schemas) and are absent
// from Rel-5 implementations.
const (
	// StatusSuccess (1000 "Success"): the request was fully performed.
	StatusSuccess StatusCode = 1000
	// StatusPartialSuccess (1100 "Partial success"): the request was
	// performed only in part, e.g. some recipients failed; the low-order
	// digits and Details may say which part failed.
	StatusPartialSuccess StatusCode = 1100

	// StatusClientError (2000 "Client error"): the request is invalid.
	StatusClientError StatusCode = 2000
	// StatusOperationRestricted (2001 "Operation restricted"): the sender
	// lacks permission for this command.
	StatusOperationRestricted StatusCode = 2001
	// StatusAddressError (2002 "Address Error"): an address is not
	// recognised or not served by this relay/server; with several
	// recipients, at least one is bad.
	StatusAddressError StatusCode = 2002
	// StatusAddressNotFound (2003 "Address Not Found"): an address cannot
	// be located, e.g. for an operation on an earlier message.
	StatusAddressNotFound StatusCode = 2003
	// StatusMultimediaContentRefused (2004 "Multimedia content refused"):
	// the attached MIME content cannot be parsed, or its size or media type
	// is unacceptable.
	StatusMultimediaContentRefused StatusCode = 2004
	// StatusMessageIDNotFound (2005 "Message ID Not found"): the referenced
	// message is unknown (Cancel, Replace, or a report for an unknown
	// message).
	StatusMessageIDNotFound StatusCode = 2005
	// StatusLinkedIDNotFound (2006 "LinkedID not found"): a LinkedID was
	// given but no related message was found.
	StatusLinkedIDNotFound StatusCode = 2006
	// StatusMessageFormatCorrupt (2007 "Message format corrupt"): an
	// element value has an improper format.
	StatusMessageFormatCorrupt StatusCode = 2007
	// StatusApplicationIDNotFound (2008 "Application ID not found"), Rel-6.
	StatusApplicationIDNotFound StatusCode = 2008
	// StatusReplyApplicationIDNotFound (2009 "Reply Application ID not
	// found"), Rel-6.
	StatusReplyApplicationIDNotFound StatusCode = 2009

	// StatusServerError (3000 "Server Error"): the server failed to fulfil
	// an apparently valid request.
	StatusServerError StatusCode = 3000
	// StatusNotPossible (3001 "Not Possible"): the request cannot be
	// performed, typically a cancel, replace or query of a message whose
	// delivery is already complete.
	StatusNotPossible StatusCode = 3001
	// StatusMessageRejected (3002 "Message rejected"): the server cannot
	// complete the requested service.
	StatusMessageRejected StatusCode = 3002
	// StatusMultipleAddressesNotSupported (3003 "Multiple addresses not
	// supported"): resubmit as single-recipient requests.
	StatusMultipleAddressesNotSupported StatusCode = 3003
	// StatusApplicationAddressingNotSupported (3004 "Application
	// Addressing not supported"), Rel-6.
	StatusApplicationAddressingNotSupported StatusCode = 3004

	// StatusGeneralServiceError (4000 "General service error"): the
	// requested service cannot be performed.
	StatusGeneralServiceError StatusCode = 4000
	// StatusImproperIdentification (4001 "Improper identification"): the
	// identification does not uniquely identify the client (VASP or
	// relay/server); Vibes uses it for bad credentials.
	StatusImproperIdentification StatusCode = 4001
	// StatusUnsupportedVersion (4002 "Unsupported version"): the
	// MM7Version is not supported.
	StatusUnsupportedVersion StatusCode = 4002
	// StatusUnsupportedOperation (4003 "Unsupported operation"): the
	// message type is not supported.
	StatusUnsupportedOperation StatusCode = 4003
	// StatusValidationError (4004 "Validation error"): the SOAP or XML
	// cannot be parsed, a mandatory field is missing, or a format is
	// incompatible; Details may carry the parse error.
	StatusValidationError StatusCode = 4004
	// StatusServiceError (4005 "Service error"): the operation caused a
	// server failure and should not be resent (3GPP; Vibes uses 4005 for
	// a temporary capacity limit instead).
	StatusServiceError StatusCode = 4005
	// StatusServiceUnavailable (4006 "Service unavailable"): the service
	// is temporarily unavailable, e.g. busy.
	StatusServiceUnavailable StatusCode = 4006
	// StatusServiceDenied (4007 "Service denied"): the client is not
	// authorised for the operation.
	StatusServiceDenied StatusCode = 4007
	// StatusApplicationDenied (4008 "Application denied"), Rel-6.
	StatusApplicationDenied StatusCode = 4008
)

// statusText holds the canonical StatusText of every TS 23.140 code.
var statusText = map[StatusCode]string{
	StatusSuccess:        "Success",
	StatusPartialSuccess: "Partial success",

	StatusClientError:                "Client error",
	StatusOperationRestricted:        "Operation restricted",
	StatusAddressError:               "Address Error",
	StatusAddressNotFound:            "Address Not Found",
	StatusMultimediaContentRefused:   "Multimedia content refused",
	StatusMessageIDNotFound:          "Message ID Not found",
	StatusLinkedIDNotFound:           "LinkedID not found",
	StatusMessageFormatCorrupt:       "Message format corrupt",
	StatusApplicationIDNotFound:      "Application ID not found",
	StatusReplyApplicationIDNotFound: "Reply Application ID not found",

	StatusServerError:                       "Server Error",
	StatusNotPossible:                       "Not Possible",
	StatusMessageRejected:                   "Message rejected",
	StatusMultipleAddressesNotSupported:     "Multiple addresses not supported",
	StatusApplicationAddressingNotSupported: "Application Addressing not supported",

	StatusGeneralServiceError:    "General service error",
	StatusImproperIdentification: "Improper identification",
	StatusUnsupportedVersion:     "Unsupported version",
	StatusUnsupportedOperation:   "Unsupported operation",
	StatusValidationError:        "Validation error",
	StatusServiceError:           "Service error",
	StatusServiceUnavailable:     "Service unavailable",
	StatusServiceDenied:          "Service denied",
	StatusApplicationDenied:      "Application denied",
}

// String returns the canonical StatusText of c, e.g. "Success",
// "Address Error" or "Unsupported version". A code TS 23.140 does not
// define is described by its class and number, e.g. "unknown client error
// 2571" or "unknown service error 4500"; a code outside 1000-4999 is
// "status 999". These strings are for people and logs: programs should
// compare codes, not texts.
func (c StatusCode) String() string {
	if t, ok := statusText[c]; ok {
		return t
	}
	if cl := c.Class(); cl != ClassUnknown {
		return "unknown " + cl.String() + " " + strconv.Itoa(int(c))
	}
	return "status " + strconv.Itoa(int(c))
}

// A StatusClass is the class of a [StatusCode], given by its thousands
// digit. The zero StatusClass is [ClassUnknown].
type StatusClass int

// Status classes. Their values are the thousands digit of the codes they
// hold.
const (
	ClassUnknown      StatusClass = 0 // ClassUnknown holds codes outside 1000-4999.
	ClassSuccess      StatusClass = 1 // ClassSuccess holds 1xxx: success or partial success.
	ClassClientError  StatusClass = 2 // ClassClientError holds 2xxx: the request is at fault.
	ClassServerError  StatusClass = 3 // ClassServerError holds 3xxx: the server could not perform the request.
	ClassServiceError StatusClass = 4 // ClassServiceError holds 4xxx: the service, version, identification or validation failed.
)

// String returns "success", "client error", "server error", "service
// error" or "unknown"; any other value is printed as "StatusClass(7)".
func (k StatusClass) String() string {
	switch k {
	case ClassUnknown:
		return "unknown"
	case ClassSuccess:
		return "success"
	case ClassClientError:
		return "client error"
	case ClassServerError:
		return "server error"
	case ClassServiceError:
		return "service error"
	}
	return "StatusClass(" + strconv.Itoa(int(k)) + ")"
}

// Class returns the class of c from its thousands digit: 1xxx success,
// 2xxx client error, 3xxx server error, 4xxx service error. Codes outside
// 1000-4999 are [ClassUnknown]. Unknown codes within a class (Sinch's
// 2571) get that class.
func (c StatusCode) Class() StatusClass {
	if c < 1000 || c > 4999 {
		return ClassUnknown
	}
	return StatusClass(c / 1000)
}

// Success reports whether c is in the success class (1xxx): 1000 Success,
// 1100 Partial success, and any other 1xxx code. A partial success is a
// success: compare with [StatusSuccess] to tell the two apart.
func (c StatusCode) Success() bool {
	return c.Class() == ClassSuccess
}

// Temporary reports whether, under plain TS 23.140 semantics, sending the
// same request again later may succeed. It is true only for
//
//   - 3000 Server Error: the server failed on an apparently valid request;
//   - 4006 Service unavailable: the service is temporarily unavailable.
//
// It is false for success codes (there is nothing to retry), for every
// client error (2xxx: the same request fails the same way), for 3001 Not
// Possible, 3002 Message rejected, 3003 Multiple addresses not supported
// and 3004 (the request must change), for 4000-4004 and 4007-4008
// (identification, version, operation, validation, authorisation), for
// 4005 Service error, which TS 23.140 says should not be resent, and for
// codes TS 23.140 does not define, since their meaning is the peer's.
//
// Temporary is the 3GPP default. Peers differ: Vibes uses 4005 for a
// temporary capacity limit, so per-peer retry decisions belong to a retry
// profile, not to this method. Remember that resending a SubmitReq whose
// outcome is unknown can deliver the message twice.
func (c StatusCode) Temporary() bool {
	return c == StatusServerError || c == StatusServiceUnavailable
}

// FaultCode returns the local part of the SOAP 1.1 faultcode a receiver
// should send with a Fault carrying c: "Client" when the request is at
// fault (every 2xxx code, and 4001 Improper identification, 4002
// Unsupported version, 4003 Unsupported operation, 4004 Validation error,
// 4007 Service denied and 4008 Application denied), "Server" otherwise.
// This pairing follows SOAP 1.1 and implementations; TS 23.140 does not
// fix it, and receivers of a Fault should read the Status in its detail
// rather than its faultcode. Qualify the result with the SOAP envelope
// prefix, e.g. "env:Client".
func (c StatusCode) FaultCode() string {
	switch {
	case c.Class() == ClassClientError,
		c == StatusImproperIdentification,
		c == StatusUnsupportedVersion,
		c == StatusUnsupportedOperation,
		c == StatusValidationError,
		c == StatusServiceDenied,
		c == StatusApplicationDenied:
		return "Client"
	}
	return "Server"
}

// HTTPStatus returns the HTTP status code a receiver should answer with
// when its response carries c: 200 OK for a success code, sent in the
// normal response, and 500 Internal Server Error for any other code, sent
// in a SOAP Fault, as SOAP 1.1 section 6.2 requires for every Fault
// whatever its faultcode. (A non-success code may also arrive in a normal
// response with HTTP 200; clients must accept both forms.)
func (c StatusCode) HTTPStatus() int {
	if c.Success() {
		return http.StatusOK
	}
	return http.StatusInternalServerError
}

// ParseStatusCode parses the text of a StatusCode element. Surrounding
// white space is ignored and any positive decimal integer that fits in 32
// bits is accepted (a leading "+" and leading zeros too, as in
// xs:positiveInteger), including codes TS 23.140 does not define. Empty
// text, zero, negative numbers and anything else are an error that quotes
// the value.
func ParseStatusCode(s string) (StatusCode, error) {
	t := strings.TrimSpace(s)
	n, err := strconv.ParseInt(t, 10, 32)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) {
			err = ne.Err // strconv.ErrSyntax or strconv.ErrRange
		}
		return 0, fmt.Errorf("mm7: invalid status code %q: %w", clipText(s, 64), err)
	}
	if n <= 0 {
		return 0, fmt.Errorf("mm7: invalid status code %q: not a positive integer", clipText(s, 64))
	}
	return StatusCode(n), nil
}
