package mm7

import (
	"fmt"
	"strings"
)

// A Deviation is one way a decoded message departs from TS 23.140, SOAP
// 1.1 or MIME, that lenient decoding accepted. Code is stable and meant
// for programs; Text says what and where, for people.
type Deviation struct {
	Code DeviationCode
	Text string
}

func (d Deviation) String() string { return string(d.Code) + ": " + d.Text }

// A DeviationCode names a kind of deviation.
type DeviationCode string

// Deviation codes recorded by the decoder. MIME-level codes from the
// multipart reader (line endings, folded headers, transfer encodings) are
// reported with their own codes, prefixed "mime-".
const (
	// Envelope and body.
	DevNamespaceOther        DeviationCode = "namespace-other-version"  // another published MM7 namespace, decoded through the nearest version
	DevNamespaceMissing      DeviationCode = "namespace-missing"        // MM7 elements without a namespace
	DevNamespaceUnknown      DeviationCode = "namespace-unknown"        // body in an unknown namespace, matched by local names
	DevNamespaceMixed        DeviationCode = "namespace-mixed"          // elements of one message in several namespaces
	DevEnvelopeNamespace     DeviationCode = "envelope-namespace"       // Envelope not in the SOAP 1.1 namespace
	DevVersionMismatch       DeviationCode = "mm7version-mismatch"      // MM7Version not allowed by the namespace's schema
	DevTransactionIDSpace    DeviationCode = "transactionid-whitespace" // TransactionID padded with white space
	DevTransactionIDMissing  DeviationCode = "transactionid-missing"    // no TransactionID header
	DevMustUnderstand        DeviationCode = "mustunderstand-value"     // mustUnderstand other than "1"/"0"
	DevValueWhitespace       DeviationCode = "value-whitespace"         // an element value padded with white space
	DevBooleanCase           DeviationCode = "boolean-form"             // True/FALSE/yes-style booleans
	DevUnknownElement        DeviationCode = "unknown-element"          // element the schema does not have here; kept in Message.Unknown
	DevElementOrder          DeviationCode = "element-order"            // elements out of schema order
	DevMissingElement        DeviationCode = "missing-element"          // mandatory element or attribute absent
	DevRenamedElement        DeviationCode = "renamed-element"          // element named as in another schema version (TimeStamp for Date)
	DevQualifiedAttribute    DeviationCode = "qualified-attribute"      // MM7 attribute with a namespace prefix (mm7:href)
	DevCharsetMismatch       DeviationCode = "charset-mismatch"         // declared encoding differs from the bytes (utf-16 on UTF-8)
	DevAddressTypeSuffix     DeviationCode = "address-type-suffix"      // address with a /TYPE=PLMN suffix (kept as sent)
	DevFaultNamespace        DeviationCode = "fault-children-qualified" // Fault children with a namespace prefix
	DevFaultDetailMissing    DeviationCode = "fault-without-status"     // Fault without RSErrorRsp/VASPErrorRsp detail
	DevSOAPContentType       DeviationCode = "soap-content-type"        // SOAP part not text/xml (application/xml, ...)
	DevContentWithoutParts   DeviationCode = "content-without-attachment"
	DevMultipartType         DeviationCode = "multipart-type"             // multipart/mixed or other instead of multipart/related
	DevMultipartNoBoundary   DeviationCode = "multipart-without-boundary" // multipart Content-Type without a boundary on a body that is a plain SOAP envelope
	DevStartMissing          DeviationCode = "start-missing"
	DevStartUnbracketed      DeviationCode = "start-unbracketed"
	DevStartUnmatched        DeviationCode = "start-unmatched"
	DevRootNotFirst          DeviationCode = "root-not-first"
	DevContentIDMissing      DeviationCode = "content-id-missing"
	DevHrefLenient           DeviationCode = "href-lenient-match" // cid: href matched only after trimming or case folding
	DevHrefUnmatched         DeviationCode = "href-unmatched"     // cid: href matches no part; content still delivered
	DevTypeParameterMismatch DeviationCode = "type-parameter"

	// Added with the quirk corpus (testdata/quirks).
	DevDateTimeForm         DeviationCode = "datetime-form"         // xs:dateTime written another way: Java's ±hhmm offset (Vibes), ±hh, lower-case t or z
	DevDuplicateElement     DeviationCode = "duplicate-element"     // an element the schema allows once given again; the last one is in Body, the earlier in Message.Unknown
	DevUnknownAttribute     DeviationCode = "unknown-attribute"     // attribute the schema does not have here; kept in Message.Unknown
	DevUnexpectedText       DeviationCode = "unexpected-text"       // text inside an element the schema gives only child elements; kept in Message.Unknown
	DevFaultCodeUnqualified DeviationCode = "faultcode-unqualified" // faultcode "Client" without the SOAP envelope prefix (SOAP 1.1 section 4.4.1 wants a QName)
	DevUndeclared8Bit       DeviationCode = "mime-undeclared-8bit"  // 8-bit or binary data in a part whose Content-Transfer-Encoding is absent or 7bit

	// Recorded by the Client on an answer, not by the decoder.
	DevStatusInHeader DeviationCode = "status-in-header" // the MM7 status only in an X-MM7-Status-Code HTTP header (Fault without detail)
)

// A DeviationError is returned in strict mode for the first deviation
// found.
type DeviationError struct {
	Deviation Deviation
}

func (e *DeviationError) Error() string {
	return "mm7: strict decoding: " + e.Deviation.String()
}

// deviations collects deviations, or fails on the first one in strict mode.
type deviations struct {
	strict bool
	list   []Deviation
	limit  int

	// maxElements bounds the elements of one body (see
	// DecodeOptions.MaxElements); the collector is the one context every
	// decoding step receives, so the limit travels with it.
	maxElements int

	// unknown is what the typed body cannot hold (see keep), collected
	// here for the same reason.
	unknown []UnknownElement
}

// add records a deviation. In strict mode it returns a *DeviationError.
func (d *deviations) add(code DeviationCode, format string, args ...any) error {
	dev := Deviation{Code: code, Text: fmt.Sprintf(format, args...)}
	if d.strict {
		return &DeviationError{Deviation: dev}
	}
	if d.limit == 0 {
		d.limit = 256
	}
	if len(d.list) < d.limit {
		d.list = append(d.list, dev)
	} else if len(d.list) == d.limit {
		d.list = append(d.list, Deviation{Code: "truncated", Text: "further deviations not recorded"})
	}
	return nil
}

// addMIME records deviations from the internal MIME reader.
func (d *deviations) addMIME(code, text, where string) error {
	if where != "" {
		text = where + ": " + text
	}
	return d.add(DeviationCode("mime-"+strings.TrimPrefix(code, "mime-")), "%s", text)
}
