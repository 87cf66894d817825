package mm7_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/xsdtypes"
)

// loopbackRequests returns a minimal valid request of every kind a
// client sends or an MMSC pushes, in one version.
func loopbackRequests(release int) map[string]mm7.Body {
	if release == 5 {
		addr := rel5.Address{Number: &rel5.Number{Value: "15555550123"}}
		return map[string]mm7.Body{
			"SubmitReq":         &rel5.SubmitReq{Recipients: rel5.Recipients{To: []rel5.MultiAddress{{Number: []rel5.Number{{Value: "15555550123"}}}}}},
			"CancelReq":         &rel5.CancelReq{MessageID: "m-1"},
			"ReplaceReq":        &rel5.ReplaceReq{MessageID: "m-1"},
			"DeliverReq":        &rel5.DeliverReq{Sender: addr},
			"DeliveryReportReq": &rel5.DeliveryReportReq{MessageID: "m-1", Recipient: addr, Sender: rel5.Address{ShortCode: &rel5.ShortCode{Value: "12345"}}, Date: dt(), MMStatus: rel5.MMDeliveryStatusRetrieved},
			"ReadReplyReq":      &rel5.ReadReplyReq{MessageID: "m-1", Recipient: addr, Sender: addr, TimeStamp: dt(), MMStatus: rel5.MMReadStatusRead},
		}
	}
	addr := rel6.Address{Number: &rel6.Number{Value: "15555550123"}}
	return map[string]mm7.Body{
		"SubmitReq":          &rel6.SubmitReq{Recipients: rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}}},
		"CancelReq":          &rel6.CancelReq{MessageID: "m-1"},
		"ReplaceReq":         &rel6.ReplaceReq{MessageID: "m-1"},
		"extendedCancelReq":  &rel6.ExtendedCancelReq{CancelID: "m-1"},
		"extendedReplaceReq": &rel6.ExtendedReplaceReq{ReplaceID: new("m-1")},
		"DeliverReq":         &rel6.DeliverReq{Sender: addr},
		"DeliveryReportReq":  &rel6.DeliveryReportReq{MessageID: "m-1", Recipient: addr, Sender: addr, Date: dt(), MMStatus: rel6.MMDeliveryStatusDeferred},
		"ReadReplyReq":       &rel6.ReadReplyReq{MessageID: "m-1", Recipient: addr, Sender: addr, TimeStamp: dt(), MMStatus: rel6.MMReadStatusDeleted},
	}
}

// TestClientToHandlerEveryMessage sends every request kind of both
// versions through a real Client to a real Handler on loopback: the
// callback sees the typed body and its attachments, and the Client gets
// the matching response with status 1000 in the same version.
func TestClientToHandlerEveryMessage(t *testing.T) {
	var got atomic.Value
	ack := func(_ context.Context, r *mm7.Request) error {
		var parts []string
		for {
			a, err := r.NextAttachment()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return err
			}
			b, err := io.ReadAll(a.Body)
			if err != nil {
				return err
			}
			parts = append(parts, string(b))
		}
		got.Store(struct {
			kind  string
			body  any
			parts []string
		}{r.Kind(), r.Message.Body, parts})
		return nil
	}
	withID := func(ctx context.Context, r *mm7.Request) (string, error) {
		return "MMSC-" + r.TransactionID(), ack(ctx, r)
	}
	h := &mm7.Handler{Username: "vasp", Password: "s3cret",
		OnSubmit: withID, OnExtendedReplace: withID, OnCancel: ack, OnReplace: ack, OnExtendedCancel: ack,
		OnDeliver: ack, OnDeliveryReport: ack, OnReadReply: ack}
	srv := httptest.NewServer(h)
	defer srv.Close()

	for _, v := range []mm7.Version{mm7.Rel5, mm7.Rel6} {
		c, err := mm7.NewClient(srv.URL, mm7.WithBasicAuth("vasp", "s3cret"), func(o *mm7.Options) { o.Versions = []mm7.Version{v} })
		require.NoError(t, err)
		for kind, req := range loopbackRequests(v.Release) {
			t.Run(v.Schema+"/"+kind, func(t *testing.T) {
				var atts []mm7.Attachment
				if strings.HasPrefix(kind, "Submit") || strings.HasPrefix(kind, "Replace") || kind == "DeliverReq" || kind == "extendedReplaceReq" {
					atts = []mm7.Attachment{{ContentType: "text/plain", Body: strings.NewReader("hello " + kind)},
						{ContentType: "image/png", Body: bytes.NewReader([]byte("\x89PNG\r\n\x1a\n" + kind))}}
				}
				res, err := c.Do(t.Context(), req, atts)
				require.NoError(t, err)
				assert.Equal(t, mm7.StatusSuccess, res.Status)
				assert.Equal(t, mm7.ResponseKind(kind), res.Response.Kind())
				assert.Equal(t, v.Namespace, res.Version.Namespace)
				if kind == "SubmitReq" || kind == "extendedReplaceReq" {
					assert.Equal(t, "MMSC-"+res.TransactionID, res.MessageID)
				}
				seen := got.Load().(struct {
					kind  string
					body  any
					parts []string
				})
				assert.Equal(t, kind, seen.kind)
				assert.IsType(t, req, seen.body)
				if atts != nil {
					assert.Equal(t, []string{"hello " + kind, "\x89PNG\r\n\x1a\n" + kind}, seen.parts)
				}
			})
		}
	}
}

// TestClientNegotiatesWithHandlerThatOnlyAcceptsRel5: a Handler whose
// MMSC only speaks REL-5-MM7-1-2 ("5.5.0") answers 4002 to REL-6; the
// client falls back once, converts the message, and remembers.
func TestClientNegotiatesWithHandlerThatOnlyAcceptsRel5(t *testing.T) {
	var rel6Seen, rel5Seen atomic.Int32
	h := &mm7.Handler{OnSubmit: func(_ context.Context, r *mm7.Request) (string, error) {
		if r.Version().Release == 6 {
			rel6Seen.Add(1)
			return "", &mm7.StatusError{Code: mm7.StatusUnsupportedVersion}
		}
		rel5Seen.Add(1)
		return "MMSC-5", nil
	}}
	srv := httptest.NewServer(h)
	defer srv.Close()
	c, err := mm7.NewClient(srv.URL, func(o *mm7.Options) { o.Versions = []mm7.Version{mm7.Rel6, mm7.Rel5} })
	require.NoError(t, err)
	req := loopbackRequests(6)["SubmitReq"].(*rel6.SubmitReq)
	req.ApplicID = new("app") // REL-6 only: reported as a loss
	res, err := c.Submit(t.Context(), req, nil)
	require.NoError(t, err)
	assert.True(t, res.Negotiated)
	assert.Equal(t, mm7.Rel5.Namespace, res.Version.Namespace)
	assert.Equal(t, "MMSC-5", res.MessageID)
	require.NotEmpty(t, res.Losses)
	assert.Equal(t, "SubmitReq.ApplicID", res.Losses[0].Path)

	res, err = c.Submit(t.Context(), loopbackRequests(6)["SubmitReq"], nil)
	require.NoError(t, err)
	assert.False(t, res.Negotiated, "the working version is remembered")
	assert.Equal(t, int32(1), rel6Seen.Load())
	assert.Equal(t, int32(2), rel5Seen.Load())
}

// TestHandlerCallbackErrorMakesTheClientSeeARetryableFault: the MMSC side
// of "acknowledge only what was handed off".
func TestHandlerCallbackErrorMakesTheClientSeeARetryableFault(t *testing.T) {
	h := &mm7.Handler{OnDeliveryReport: func(context.Context, *mm7.Request) error { return errors.New("disk full") }}
	srv := httptest.NewServer(h)
	defer srv.Close()
	c, err := mm7.NewClient(srv.URL)
	require.NoError(t, err)
	_, err = c.Do(t.Context(), loopbackRequests(6)["DeliveryReportReq"], nil)
	var fe *mm7.FaultError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, 500, fe.HTTPStatus)
	require.NotNil(t, fe.Status)
	assert.Equal(t, mm7.StatusServerError, fe.Status.Code)
	assert.True(t, fe.Temporary())
	assert.NotContains(t, err.Error(), "disk full", "internal errors are not sent to the peer")
}

func dt() xsdtypes.DateTime {
	return xsdtypes.NewDateTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
}
