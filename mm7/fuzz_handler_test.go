package mm7_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

// fuzzHandlerCalls records what the callbacks of the fuzzed Handler saw.
type fuzzHandlerCalls struct {
	called  bool   // a callback ran
	txID    string // its request's TransactionID
	failed  bool   // its attachment stream failed (it returned the error)
	refused bool   // it returned an error of its own
}

// fuzzHandler is a Handler with every callback: each reads all the
// attachments of its request and returns their error; a request whose
// TransactionID starts with "refuse" is refused with 3000.
func fuzzHandler(calls *fuzzHandlerCalls) *mm7.Handler {
	cb := func(_ context.Context, r *mm7.Request) error {
		calls.called, calls.txID = true, r.TransactionID()
		for {
			a, err := r.NextAttachment()
			if err == io.EOF {
				break
			}
			if err == nil {
				_, err = io.Copy(io.Discard, a.Body)
			}
			if err != nil {
				calls.failed = true
				return err
			}
		}
		if strings.HasPrefix(r.TransactionID(), "refuse") {
			calls.refused = true
			return errors.New("store unavailable")
		}
		return nil
	}
	withID := func(ctx context.Context, r *mm7.Request) (string, error) { return "msg-fuzz", cb(ctx, r) }
	return &mm7.Handler{
		OnDeliver: cb, OnDeliveryReport: cb, OnReadReply: cb, OnCancel: cb, OnReplace: cb, OnExtendedCancel: cb,
		OnSubmit: withID, OnExtendedReplace: withID,
		MaxBodyBytes:  256 << 10,
		DecodeOptions: fuzzOptions,
	}
}

// FuzzHandler serves arbitrary HTTP requests (request line, headers and
// body as bytes) with a Handler that has every callback. Whatever the
// input, the Handler must not panic, and must answer with a SOAP reply
// (the response to the request, HTTP 200), a SOAP Fault (HTTP 500) or a
// short plain-text HTTP error; it may answer 1000 Success only for a
// request its callback received, read completely and accepted.
func FuzzHandler(f *testing.F) {
	for _, dir := range []string{"quirks", "broken"} {
		for _, p := range fixturePaths(f, dir, ".http") {
			raw, err := os.ReadFile(p)
			require.NoError(f, err)
			f.Add(raw)
		}
	}
	body, ct := handlerDeliver(f, "refuse-1", mm7.Attachment{ContentType: "image/jpeg", Body: bytes.NewReader(benchImage(300))})
	f.Add([]byte("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: " + ct + "\r\n\r\n" + string(body)))
	f.Add([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
	f.Add([]byte("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: text/xml\r\n\r\n5\r\n<env:\r\n0\r\n\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			return // not HTTP: net/http answers 400 before any Handler
		}
		req.RemoteAddr = "192.0.2.1:1234"
		var calls fuzzHandlerCalls
		rec := httptest.NewRecorder()
		fuzzHandler(&calls).ServeHTTP(rec, req)
		checkFuzzReply(t, rec, &calls)
	})
}

func checkFuzzReply(t *testing.T, rec *httptest.ResponseRecorder, calls *fuzzHandlerCalls) {
	ct := rec.Header().Get("Content-Type")
	if strings.HasPrefix(ct, "text/plain") {
		assert.True(t, rec.Code >= 400 && rec.Code < 600, "plain answer with HTTP %d", rec.Code)
		assert.Less(t, rec.Body.Len(), 512, "plain answers are one line")
		return
	}
	require.True(t, strings.HasPrefix(ct, "text/xml"), "reply Content-Type %q (HTTP %d)", ct, rec.Code)
	dec, err := mm7.NewDecoder(bytes.NewReader(rec.Body.Bytes()), ct, mm7.DecodeOptions{})
	require.NoError(t, err)
	msg, err := dec.Message()
	require.NoError(t, err, "the reply does not decode:\n%s", rec.Body.String())
	for _, d := range msg.Deviations {
		// Only a Fault answering a request whose TransactionID could not
		// be read goes without the header, and replies are in the
		// request's namespace, which may be another published one (see
		// Handler).
		ok := d.Code == mm7.DevTransactionIDMissing && msg.Kind() == "Fault" || d.Code == mm7.DevNamespaceOther
		assert.True(t, ok, "the reply deviates: %v\n%s", d, rec.Body.String())
	}
	code, _, ok := msg.Status()
	require.True(t, ok, "the reply %s carries no status", msg.Kind())
	switch msg.Kind() {
	case "Fault":
		assert.Equal(t, http.StatusInternalServerError, rec.Code)
		assert.NotEqual(t, mm7.StatusSuccess, code, "a Fault with 1000")
	default:
		assert.Equal(t, http.StatusOK, rec.Code)
		assert.True(t, strings.HasSuffix(msg.Kind(), "Rsp"), "reply %s", msg.Kind())
		if code.Success() {
			assert.True(t, calls.called, "%d acknowledged without a callback", code)
			assert.False(t, calls.failed || calls.refused, "%d acknowledged though the callback failed", code)
			assert.Equal(t, strings.TrimSpace(calls.txID), msg.TransactionID, "acknowledged another transaction")
		}
	}
}
