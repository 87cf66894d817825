package mm7_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

// TestHandlerRequestReleasedAfterReply: the Handler recycles the read
// buffers of a request once it replied. A Request (or attachment body)
// kept past the callback and read later must fail, never hand out bytes
// of a later request that reuses the buffers.
func TestHandlerRequestReleasedAfterReply(t *testing.T) {
	first := bytes.Repeat([]byte("A"), 20<<10)
	second := bytes.Repeat([]byte("B"), 20<<10)
	var kept *mm7.Request
	var keptBody io.Reader
	h := &mm7.Handler{OnDeliver: func(_ context.Context, r *mm7.Request) error {
		if kept == nil {
			kept = r
			a, err := r.NextAttachment()
			if err != nil {
				return err
			}
			buf := make([]byte, 100) // read a little, keep the rest for "later"
			_, err = io.ReadFull(a.Body, buf)
			keptBody = a.Body
			return err
		}
		for {
			a, err := r.NextAttachment()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			got, err := io.ReadAll(a.Body)
			if err != nil {
				return err
			}
			if !bytes.Equal(got, second) {
				t.Errorf("second request read %d bytes that are not its own", len(got))
			}
		}
	}}
	for _, img := range [][]byte{first, second} {
		body, ct := handlerDeliver(t, "tx-pool", mm7.Attachment{ContentType: "image/jpeg", Body: bytes.NewReader(img)},
			mm7.Attachment{ContentType: "image/jpeg", Body: bytes.NewReader(img)})
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	}
	require.NotNil(t, kept)
	data, err := io.ReadAll(keptBody)
	assert.Error(t, err, "a body read after the reply must fail")
	assert.NotContains(t, string(data), "B", "bytes of another request leaked")
	_, err = kept.NextAttachment()
	assert.Error(t, err, "NextAttachment after the reply must fail")
	assert.NotErrorIs(t, err, io.EOF)
}
