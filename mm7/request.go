package mm7

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
)

// A Request is one MM7 request received by a [Handler], as its callbacks
// see it: the decoded envelope, the attachments still to be streamed from
// the connection, and what HTTP knows about the sender.
//
// A Request is valid only until the callback returns, and is not safe for
// concurrent use: read its attachments on the callback's goroutine, or
// wait for the goroutine that does before returning. A Request built by
// hand, to test a callback, has no attachments.
type Request struct {
	// Message is the decoded envelope. Its Body is a pointer to the
	// generated struct of the request's version: *rel6.DeliverReq or
	// *rel5.DeliverReq, *rel6.DeliveryReportReq, *rel5.SubmitReq, ... Its
	// Version keeps the namespace the request came in (REL-6-MM7-1-3,
	// say), in which the Handler answers.
	Message *Message

	// Header holds the HTTP request headers, without Authorization.
	Header http.Header

	// RemoteAddr is the sender's network address, "IP:port", as in
	// http.Request.RemoteAddr.
	RemoteAddr string

	// User is the Basic Auth username the request authenticated with, or
	// "" when the Handler checks no credentials.
	User string

	// TLS is the state of the TLS connection the request came on, or nil
	// for plain HTTP.
	TLS *tls.ConnectionState

	dec       *Decoder
	streamErr error // first error of the attachment stream
}

// Kind returns the local name of the request element, e.g. "DeliverReq",
// "DeliveryReportReq" or "extendedCancelReq".
func (r *Request) Kind() string { return r.Message.Kind() }

// TransactionID returns the request's TransactionID, which the reply
// repeats.
func (r *Request) TransactionID() string { return r.Message.TransactionID }

// Version returns the request's MM7 version, its namespace and MM7Version
// as received.
func (r *Request) Version() Version { return r.Message.Version }

// NextAttachment returns the next part of the message content, streamed
// from the connection with its transfer encoding undone, or io.EOF after
// the last (at once for requests without attachments). The previous
// attachment's Body is invalid afterwards. Nested multiparts are
// flattened into their leaves, as [Decoder.NextAttachment] does.
//
// An error other than io.EOF means the body is broken, truncated or over
// the Handler's limits. A callback that returns it (wrapped or not) gets
// the reply the breakage deserves (a Client Fault, or HTTP 413) rather
// than 3000 Server Error, since sending the same body again cannot help.
func (r *Request) NextAttachment() (*Attachment, error) {
	if r.streamErr != nil {
		return nil, r.streamErr
	}
	if r.dec == nil {
		return nil, io.EOF
	}
	a, err := r.dec.NextAttachment()
	if err != nil {
		if err != io.EOF {
			r.streamErr = err
		}
		return nil, err
	}
	a.Body = &attachmentBody{r: a.Body, req: r}
	return a, nil
}

// Envelope returns the SOAP envelope as received (transfer encoding
// undone): what to hash to recognise a repeated request that has no
// TransactionID or MessageID.
func (r *Request) Envelope() []byte {
	if r.dec == nil {
		return nil
	}
	return r.dec.Envelope()
}

// Deviations returns what lenient decoding accepted so far, in the
// envelope and in the MIME structure, including the parts streamed.
func (r *Request) Deviations() []Deviation {
	if r.dec == nil {
		return r.Message.Deviations
	}
	return r.dec.Deviations()
}

// CarrierCode returns the X-Vibes-CarrierCode header: the Vibes code of
// the sender's carrier on MO callbacks, if Vibes sent one.
func (r *Request) CarrierCode() string { return r.Header.Get(VibesHeaderCarrierCode) }

// PeerCertificates returns the client certificate chain, leaf first, when
// the request came over TLS with a client certificate that the server
// verified (tls.RequireAndVerifyClientCert or VerifyClientCertIfGiven; see
// [Handler]). It returns nil otherwise, in particular for certificates
// accepted without verification (tls.RequestClientCert,
// tls.RequireAnyClientCert), which prove nothing.
func (r *Request) PeerCertificates() []*x509.Certificate {
	if r.TLS == nil || len(r.TLS.VerifiedChains) == 0 {
		return nil
	}
	return r.TLS.PeerCertificates
}

// attachmentBody records the first read error of an attachment, so that
// the Handler can tell a broken body from a failing callback.
type attachmentBody struct {
	r   io.Reader
	req *Request
}

func (b *attachmentBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF && b.req.streamErr == nil {
		b.req.streamErr = err
	}
	return n, err
}
