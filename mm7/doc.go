// Package mm7 encodes and decodes MM7 (3GPP TS 23.140) messages: SOAP 1.1
// envelopes with the TransactionID header, SOAP Faults, and
// SOAP-with-Attachments multipart/related bodies, for the REL-5-MM7-1-2
// ("5.5.0" at Vibes) and REL-6-MM7-1-4 ("6.8.0") schemas. Message bodies
// are the generated types of packages generated/rel5 and generated/rel6.
//
// # Sending
//
// A [Client] sends requests to one MMSC endpoint: [Client.Submit] (with
// attachments), [Client.Cancel], [Client.Replace] and [Client.Do] for any
// request type, each taking a context and returning a typed [Result]
// (MessageID, status, version used, negotiation and conversion losses).
// Basic Auth is a composable [BasicAuth] RoundTripper and passwords are a
// [Secret] that never prints. [WithVibes] configures the Vibes profile:
// its endpoint, version, header options ([VibesCarrierCode],
// [VibesDLRCallbackURL]), limits checked before sending, status texts and
// retry rules. Retries are off by default (a retried Submit can duplicate
// an MMS); [RetryPolicy] opts in. When an MMSC answers Unsupported version
// the client converts the message and retries once in the next configured
// version, and remembers the one that worked.
//
// # Receiving
//
// A [Handler] is an http.Handler with a typed callback per request kind:
// OnDeliver (MO), OnDeliveryReport and OnReadReply on a VASP, OnSubmit,
// OnCancel and OnReplace on an MMSC (the simulator in package mm7test).
// It checks Basic Auth in constant time before reading the body, streams
// attachments to the callback through [Request.NextAttachment], and
// answers 1000 only after the callback returned nil: an error becomes a
// Server Fault with HTTP 500, so the MMSC retries and nothing is lost. A
// *[StatusError] returned by a callback chooses the status.
//
// # Encoding
//
// [NewEncoder] (or [Encode]) writes a [Message] and its [Attachment]s as
// an HTTP body and tells its Content-Type and, when the sizes are known,
// its Content-Length. Output is always strictly valid: the envelope
// validates against the schema, MIME uses CRLF, quoted parameters, a
// start parameter and bracketed Content-IDs. Several attachments travel as
// one multipart content part (multipart/related with the SMIL part as
// start when there is one), which <Content href="cid:..."/> references.
//
// # Decoding
//
// [NewDecoder] reads a body as it streams: [Decoder.Message] returns the
// envelope, [Decoder.NextAttachment] each content part with its transfer
// encoding (base64, quoted-printable, 7bit, 8bit, binary, in any letter
// case) undone. Attachments are never held whole in memory.
//
// # Versions
//
// The version of a received message is detected from its body's
// namespace, or from MM7Version when the namespace is missing. Messages
// in the other published MM7 namespaces (REL-5-MM7-1-0 to 1-5,
// REL-6-MM7-1-0 to 1-3) decode through the nearest generated version; the
// returned [Message.Version] keeps their namespace so that a reply is
// written in kind. [Rel5] writes MM7Version 5.3.0, the only value its
// schema allows; [Version.WithMM7Version] overrides it per peer.
//
// # Quirks
//
// Real MMSCs are not compliant. Decoding is lenient by default: it
// accepts a missing, unbracketed or wrong start parameter, capitalised
// MIME parameters, Content-IDs without brackets, loose cid: references,
// LF-only or mixed line endings, folded headers, encoding="utf-16" on
// UTF-8 bytes, elements without or in another MM7 namespace, mm7:href,
// True/False booleans, padded values, unknown or misordered elements, and
// records each as a [Deviation] with a stable [DeviationCode].
// [DecodeOptions.Strict] rejects the first one with a *[DeviationError].
//
// # Errors
//
// Status codes are a [StatusCode] with text, class and retry hint. A
// non-success response becomes a *[StatusError]; a SOAP Fault a
// *[FaultError] wrapping the status it carried. Both work with errors.As.
// Decoding errors say what is wrong and where: "mm7: decode: part 2
// (cid:img1): base64: illegal data at byte 57".
package mm7
