package mm7_test

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

const handlerDeliverBody = `<mm7:DeliverReq xmlns:mm7="` + handlerNS6 + `"><mm7:MM7Version>6.8.0</mm7:MM7Version>` +
	`<mm7:Sender><mm7:Number>15555550123</mm7:Number></mm7:Sender></mm7:DeliverReq>`

// An empty or blank TransactionID cannot be echoed in a reply: the
// Handler refuses the request with 2007 before the callback, every time,
// rather than storing it and failing to answer.
func TestHandlerBlankTransactionID(t *testing.T) {
	t.Parallel()
	for name, tx := range map[string]string{"empty": "", "spaces": "   ", "nbsp": "\u00a0\u2003"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			h := &mm7.Handler{OnDeliver: func(context.Context, *mm7.Request) error { calls.Add(1); return nil }}
			for range 2 {
				resp := handlerServe(h, handlerPostReq([]byte(handlerEnvelope(handlerNS6, tx, handlerDeliverBody)), "text/xml"))
				fe, m := handlerFaultStatus(t, resp)
				assert.Equal(t, mm7.StatusMessageFormatCorrupt, fe.Status.Code)
				assert.Equal(t, "Client", fe.Code)
				assert.Contains(t, fe.String, "TransactionID")
				assert.Empty(t, m.TransactionID)
			}
			assert.Zero(t, calls.Load(), "nothing handed to the callback")
		})
	}
	// No TransactionID header at all: the same.
	noHeader := strings.Replace(handlerEnvelope(handlerNS6, "x", handlerDeliverBody),
		`<mm7:TransactionID xmlns:mm7="`+handlerNS6+`" env:mustUnderstand="1">x</mm7:TransactionID>`, "", 1)
	h := &mm7.Handler{OnDeliver: func(context.Context, *mm7.Request) error { t.Error("callback called"); return nil }}
	fe, _ := handlerFaultStatus(t, handlerServe(h, handlerPostReq([]byte(noHeader), "text/xml")))
	assert.Equal(t, mm7.StatusMessageFormatCorrupt, fe.Status.Code)
}

// An over-long TransactionID is refused with 2007 naming the limit; it is
// neither echoed nor logged in full.
func TestHandlerLongTransactionID(t *testing.T) {
	t.Parallel()
	var logs handlerLogBuffer
	var calls atomic.Int32
	h := &mm7.Handler{OnDeliver: func(context.Context, *mm7.Request) error { calls.Add(1); return nil },
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	long := strings.Repeat("t", 1<<20)
	resp := handlerServe(h, handlerPostReq([]byte(handlerEnvelope(handlerNS6, long, handlerDeliverBody)), "text/xml"))
	fe, m := handlerFaultStatus(t, resp)
	assert.Equal(t, mm7.StatusMessageFormatCorrupt, fe.Status.Code)
	assert.Contains(t, fe.String, "1024")
	assert.Empty(t, m.TransactionID, "not echoed")
	assert.Zero(t, calls.Load())
	assert.Less(t, len(logs.String()), 4096, "logged as a prefix and a hash: %d bytes", len(logs.String()))

	// At the limit it is served; a lower limit applies.
	ok := strings.Repeat("t", 1024)
	resp = handlerServe(h, handlerPostReq([]byte(handlerEnvelope(handlerNS6, ok, handlerDeliverBody)), "text/xml"))
	require.Equal(t, 200, resp.StatusCode)
	m, _ = handlerReply(t, resp, false)
	assert.Equal(t, ok, m.TransactionID)
	assert.Less(t, strings.Count(logs.String(), ok), 1, "a 1 KiB id is logged as a prefix and a hash")

	h.DecodeOptions.MaxTransactionIDBytes = 8
	fe, _ = handlerFaultStatus(t, handlerServe(h, handlerPostReq([]byte(handlerEnvelope(handlerNS6, "123456789", handlerDeliverBody)), "text/xml")))
	assert.Equal(t, mm7.StatusMessageFormatCorrupt, fe.Status.Code)
	assert.Contains(t, fe.String, "8 bytes")
	assert.Equal(t, int32(1), calls.Load())
}
