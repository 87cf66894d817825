package mm7

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// DefaultMaxResponseBytes is the most of a response body a [Client]
// reads when [Options.MaxResponseBytes] is 0. MM7 responses are a few
// kilobytes: no response carries content.
const DefaultMaxResponseBytes = 1 << 20

// ErrResponseTooLarge is returned, wrapped, when a response body is
// longer than [Options.MaxResponseBytes]: the client stops reading it.
var ErrResponseTooLarge = errors.New("mm7: the MMSC's response is too large")

// cappedBody reads at most n bytes of r and then fails with
// ErrResponseTooLarge.
type cappedBody struct {
	r    io.Reader
	n    int64 // bytes still allowed
	over bool
}

func (c *cappedBody) Read(p []byte) (int, error) {
	if c.over {
		return 0, ErrResponseTooLarge
	}
	if int64(len(p)) > c.n+1 {
		p = p[:c.n+1]
	}
	n, err := c.r.Read(p)
	if int64(n) > c.n {
		c.over = true
		return int(c.n), ErrResponseTooLarge
	}
	c.n -= int64(n)
	return n, err
}

// readResponse decodes an MM7 response or Fault from resp, whatever its
// HTTP status, and closes resp.Body.
func (c *Client) readResponse(resp *http.Response, kind string) (*Message, error) {
	defer func() {
		io.CopyN(io.Discard, resp.Body, 64<<10) //nolint:errcheck // drained for connection reuse only
		resp.Body.Close()
	}()
	ct := resp.Header.Get("Content-Type")
	limit := c.opts.MaxResponseBytes
	if limit <= 0 {
		limit = DefaultMaxResponseBytes
	}
	capped := &cappedBody{r: resp.Body, n: limit}
	tooLarge := func() error {
		return fmt.Errorf("%w: over %d bytes (HTTP %d response to %s); the rest was not read", ErrResponseTooLarge, limit, resp.StatusCode, kind)
	}
	br := bufio.NewReaderSize(capped, 4096)
	head, _ := br.Peek(maxHTTPErrorBody)
	head = bytes.Clone(head)
	ok2xx := resp.StatusCode >= 200 && resp.StatusCode < 300
	if len(bytes.TrimSpace(head)) == 0 && len(head) < maxHTTPErrorBody {
		if ok2xx {
			return nil, fmt.Errorf("%w (HTTP %d to %s)", ErrNoResponse, resp.StatusCode, kind)
		}
		return nil, &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status, ContentType: ct}
	}
	decodeCT, isMM7 := responseMediaType(ct, head)
	if !isMM7 {
		r := *resp
		r.Body = io.NopCloser(br)
		return nil, NewHTTPError(&r)
	}
	dec, err := NewDecoder(br, decodeCT, c.opts.DecodeOptions)
	if err == nil {
		var msg *Message
		if msg, err = dec.Message(); err == nil && !capped.over {
			return msg, nil
		}
	}
	if capped.over {
		return nil, tooLarge()
	}
	if !ok2xx {
		// An error page that only looked like XML: report the HTTP error.
		return nil, &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status, ContentType: ct, Body: head[:min(len(head), maxHTTPErrorBody)]}
	}
	return nil, fmt.Errorf("%w (HTTP %d response to %s)", err, resp.StatusCode, kind)
}

// responseMediaType tells whether a response body is to be decoded as MM7, and
// with which Content-Type.
func responseMediaType(ct string, head []byte) (string, bool) {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	switch {
	case mt == "text/xml", mt == "application/xml", mt == "application/soap+xml", strings.HasPrefix(mt, "multipart/"):
		return ct, true
	}
	// QUIRK: some MMSCs label SOAP responses text/plain or text/html, or
	// send no Content-Type at all; decode them when the body is an
	// envelope (the decoder records DevSOAPContentType for a wrong type).
	h := bytes.TrimPrefix(bytes.TrimSpace(head), []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(h, []byte("<")) && bytes.Contains(h, []byte("Envelope")) {
		if mt == "" {
			return "text/xml", true
		}
		return ct, true
	}
	return "", false
}

// checkClientResponse checks the response's TransactionID and kind and returns
// its status as an error.
func checkClientResponse(msg *Message, httpStatus int, txID, kind string) error {
	got := strings.TrimSpace(msg.TransactionID)
	// A Fault raised before the request was understood may lack the
	// header; any TransactionID present must match.
	if got != txID && (got != "" || msg.Kind() != "Fault") {
		return &TransactionMismatchError{Sent: txID, Received: got}
	}
	switch k := msg.Kind(); k {
	case ResponseKind(kind), "Fault", "RSErrorRsp", "VASPErrorRsp":
	default:
		return fmt.Errorf("mm7: the MMSC answered a %s with a %s, not a %s", kind, clipText(k, errShortMax), ResponseKind(kind))
	}
	return msg.Err(httpStatus)
}
