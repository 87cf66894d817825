package mm7

import (
	"fmt"
	"net/http"
	"net/url"
)

// VibesEndpoint is the URL of the Vibes MM7 MT (SubmitReq) API. It is the
// host a third-party API catalogue lists for Vibes' US MMS API with the
// MM7 submit path; confirm it with your Vibes account manager.
const VibesEndpoint = "https://messageapi-mms.vibesapps.com/mms/mm7/submit"

// VibesMaxBodyBytes is Vibes' limit on a request body, MIME framing and
// base64 included: Vibes documents "1 MB" and answers a larger body with
// HTTP 413 Entity Too Large. It is read as 1 MiB, the "1m" of common
// HTTP front ends. Base64 makes binary media a third larger, so media
// should total less than about 750 KiB.
const VibesMaxBodyBytes = 1 << 20

// The Vibes HTTP request headers, set per message with
// [VibesCarrierCode] and [VibesDLRCallbackURL].
const (
	VibesHeaderCarrierCode    = "X-Vibes-CarrierCode"
	VibesHeaderDLRCallbackURL = "X-Vibes-DlrCallbackUrl"
)

// Vibes' own status codes, returned on MT submit. Vibes also uses 2002,
// 3000, 3003, 4001, 4002, 4005 and 4007 of TS 23.140, some with their own
// meaning: see [ProfileVibes].
const (
	// VibesStatusParsingError (2500 "Parsing error"): the request could
	// not be parsed.
	VibesStatusParsingError StatusCode = 2500
	// VibesStatusUnexpectedRequest (2501 "Unexpected request"): Vibes does
	// not accept this request type.
	VibesStatusUnexpectedRequest StatusCode = 2501
	// VibesStatusTransactionIDNotSet (2502 "TransactionId not set in
	// request"). A [Client] always sends one.
	VibesStatusTransactionIDNotSet StatusCode = 2502
	// VibesStatusCarrierCodeNotValid (2503 "Carrier Code not valid"): the
	// X-Vibes-CarrierCode header ([VibesCarrierCode]) is wrong.
	VibesStatusCarrierCodeNotValid StatusCode = 2503
	// VibesStatusValidationError (2504 "Validation error"): a parameter
	// failed validation; StatusText says which.
	VibesStatusValidationError StatusCode = 2504
	// VibesStatusGenericError (2999 "Generic error"): another request
	// error; StatusText says more.
	VibesStatusGenericError StatusCode = 2999
	// VibesStatusMultipleAttachments (3500 "Multiple Attachments error"):
	// Vibes accepts one content part only. A [Client] never causes it:
	// several [Attachment]s travel as one multipart content part.
	VibesStatusMultipleAttachments StatusCode = 3500
	// VibesStatus4500 is listed in Vibes' status table without a text or
	// meaning that could be confirmed; it is not retried.
	VibesStatus4500 StatusCode = 4500
)

// vibesTexts is Vibes' wording of the codes it documents.
var vibesTexts = map[StatusCode]string{
	StatusSuccess:                       "Success",
	StatusAddressError:                  "Address error",
	VibesStatusParsingError:             "Parsing error",
	VibesStatusUnexpectedRequest:        "Unexpected request",
	VibesStatusTransactionIDNotSet:      "TransactionId not set in request",
	VibesStatusCarrierCodeNotValid:      "Carrier Code not valid",
	VibesStatusValidationError:          "Validation error",
	VibesStatusGenericError:             "Generic error",
	StatusServerError:                   "Request Processing error",
	StatusMultipleAddressesNotSupported: "Multiple Recipients error",
	VibesStatusMultipleAttachments:      "Multiple Attachments error",
	StatusImproperIdentification:        "Authentication error",
	StatusUnsupportedVersion:            "Unsupported version",
	StatusServiceError:                  "Platform reach the capacity",
	StatusServiceDenied:                 "User not authorized to send from Shortcode",
}

// vibesRetryable follows Vibes' status table: 3000 (usually a temporary
// MMSC error) and 4005 (capacity temporarily reached; unlike TS 23.140's
// "do not resend") may succeed later, as may the standard 4006.
func vibesRetryable(c StatusCode) bool {
	return c == StatusServerError || c == StatusServiceError || c == StatusServiceUnavailable
}

// ProfileVibes is the Vibes MMSC:
//
//   - retries help after 3000 Request Processing error and 4005 "Platform
//     reach the capacity" (a temporary capacity limit at Vibes, where TS
//     23.140 says 4005 must not be resent), and 4006;
//   - Vibes' own codes ([VibesStatusParsingError] ...) have their Vibes
//     texts in [Profile.StatusText];
//   - a request body is at most [VibesMaxBodyBytes] (else HTTP 413) and a
//     SubmitReq has exactly one recipient (else 3003); both are checked
//     before sending. Vibes' third limit, one attachment part (else 3500),
//     is met by construction: the encoder always sends the message content
//     as one SOAP attachment part, a multipart/mixed (or multipart/related
//     with the SMIL part) when given several [Attachment]s.
//
// Use [WithVibes] to configure a client for Vibes as a whole.
var ProfileVibes = Profile{
	Name:      "Vibes",
	Retryable: vibesRetryable,
	Texts:     vibesTexts,
	Limits:    Limits{MaxBodyBytes: VibesMaxBodyBytes, MaxRecipients: 1},
}

// WithVibes configures a [Client] for a Vibes account: [ProfileVibes],
// HTTP Basic Auth with the account's credentials on every request (Vibes
// does not authenticate on VASPID), and the one MM7 version the account
// is provisioned for, which also decides the format of the DeliverReq and
// DeliveryReportReq callbacks Vibes sends: [Rel5] for Vibes' "MM7 5.5.0"
// (REL-5-MM7-1-2 written with MM7Version 5.3.0, as Vibes requires) or
// [Rel6] for "MM7 6.8.0". [ParseVersion] reads Vibes' labels:
//
//	v, err := mm7.ParseVersion("5.5.0") // mm7.Rel5
//	c, err := mm7.NewClient(mm7.VibesEndpoint, mm7.WithVibes(user, pass, v))
func WithVibes(username string, password Secret, version Version) func(*Options) {
	return func(o *Options) {
		o.Profile = ProfileVibes
		o.Username = username
		o.Password = password
		o.Versions = []Version{version}
	}
}

// VibesCarrierCode sets the X-Vibes-CarrierCode header of a SubmitReq: the
// Vibes carrier code of the recipient, when known. Without it Vibes looks
// the carrier up; a wrong code is answered with
// [VibesStatusCarrierCodeNotValid] (2503).
func VibesCarrierCode(code string) CallOption {
	return func(o *CallOptions) {
		o.header().Set(VibesHeaderCarrierCode, code)
	}
}

// VibesDLRCallbackURL sets the X-Vibes-DlrCallbackUrl header of a
// SubmitReq: the absolute http or https URL to which Vibes POSTs
// DeliveryReportReq callbacks for this message. What Vibes reports
// depends on the SubmitReq's DeliveryReport element as well:
//
//	                       | callback URL set               | no callback URL
//	DeliveryReport = true  | carrier DLRs requested; the    | carrier DLRs requested,
//	                       | final carrier status is POSTed | no callback sent
//	DeliveryReport = false | no carrier DLR requested; the  | nothing requested,
//	(or absent)            | status of the hand-off to the  | no callback
//	                       | carrier is POSTed              |
//
// An invalid URL makes the call fail before anything is sent.
func VibesDLRCallbackURL(callback string) CallOption {
	return func(o *CallOptions) {
		u, err := url.Parse(callback)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			o.fail(fmt.Errorf("mm7: %s %q is not an absolute http or https URL", VibesHeaderDLRCallbackURL, clipText(callback, errShortMax)))
			return
		}
		o.header().Set(VibesHeaderDLRCallbackURL, callback)
	}
}

// header returns o.Header, creating it.
func (o *CallOptions) header() http.Header {
	if o.Header == nil {
		o.Header = make(http.Header)
	}
	return o.Header
}
