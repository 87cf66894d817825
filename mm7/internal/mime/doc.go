// Package mime holds the lenient, streaming, bounded MIME building blocks
// that the mm7 decoder uses to read what real MMSCs send: SOAP with
// Attachments bodies (multipart/related, RFC 2387) carrying an MM7
// envelope and the MM content, usually itself a multipart.
//
// It provides:
//
//   - [Reader], a streaming multipart reader for mixed CRLF/LF framing,
//     in constant memory whatever the part sizes, returning raw part bodies;
//   - [ParseMediaType], a lenient Content-Type parser;
//   - [NormalizeContentID], [ContentIDFromHref] and [SameContentID] for
//     RFC 2392 Content-ID and cid: URL matching;
//   - [NewTransferDecoder], which undoes any Content-Transfer-Encoding as a
//     stream, and [NewBase64Writer] with [Base64EncodedLen] for encoding.
//
// Nothing here knows about SOAP or MM7; the package uses only the standard
// library.
//
// # Deviations
//
// Every lenient branch records a [Deviation]: a stable kebab-case Code
// (the constants in deviation.go, such as [LFLineEndings] or
// [CapitalisedParam]) and a human Text naming the place. Functions return
// them; [Reader], [Part] and the decoding readers implement
// [DeviationReporter]. The caller reports them, and in strict mode rejects
// input that has any. Input that cannot be read at all is an error instead.
//
// # Limits
//
// Memory is bounded by construction: a [Reader] holds one 8 KiB buffer
// plus the current part's header (at most [Options.MaxHeaderBytes]); the
// transfer decoders hold a few KiB. Part bodies are never buffered, so
// the caller must bound the total input (http.MaxBytesReader) and decide
// where each body goes. [Options.MaxParts] bounds the number of parts.
//
// # Errors
//
// Errors are lower-case, start with "mime: " and name the place: the part
// number (1-based, as in [Part.Index]), the header name, and the byte
// offset when known. Offsets count bytes of the Reader's input, except in
// a *[DecodeError], where they count bytes of the encoded part body. Errors
// from the underlying reader are wrapped, so errors.Is and errors.As see
// them (for example *http.MaxBytesError); a truncated header wraps
// io.ErrUnexpectedEOF. Nothing panics, whatever the input.
//
// # Building a decoder on top
//
// A typical SwA read:
//
//	mt, params, devs, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
//	// mt == "multipart/related": boundary is params["boundary"];
//	// start (optional) is the root's Content-ID: NormalizeContentID(params["start"]).
//	r := mime.NewReader(req.Body, params["boundary"], mime.Options{})
//	for {
//		p, err := r.NextPart()
//		if err == io.EOF {
//			break
//		}
//		if err != nil {
//			return err
//		}
//		id, idDevs := mime.NormalizeContentID(p.Header.Get("Content-Id"))
//		body, cteDevs, _ := mime.NewTransferDecoder(p.Body, p.Header.Get("Content-Transfer-Encoding"))
//		// read body before the next NextPart; then collect
//		// body.(mime.DeviationReporter).Deviations().
//	}
//	devs = append(devs, r.Deviations()...)
//
// The root part is the one whose Content-ID matches start, else the first
// part. The href of the MM7 Content element is matched with
// [ContentIDFromHref] and [SameContentID] (exact matches first); a nested
// multipart content part is read with a second Reader over its decoded
// body.
package mime
