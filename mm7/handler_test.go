package mm7_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"sync"
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

const (
	handlerNS5  = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-5-MM7-1-2"
	handlerNS6  = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"
	handlerNS63 = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-3"
	handlerNS50 = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-5-MM7-1-0"
)

// handlerKinds returns a minimal valid request of every kind of a version.
func handlerKinds(v mm7.Version) map[string]mm7.Body {
	date := xsdtypes.NewDateTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	if v.Release == 5 {
		sender := rel5.SenderID{VASPID: new("vasp-1"), SenderAddress: &rel5.Address{ShortCode: &rel5.ShortCode{Value: "12345"}}}
		to := rel5.Recipients{To: []rel5.MultiAddress{{Number: []rel5.Number{{Value: "15555550123"}}}}}
		num := rel5.Address{Number: &rel5.Number{Value: "15555550123"}}
		short := rel5.Address{ShortCode: &rel5.ShortCode{Value: "12345"}}
		return map[string]mm7.Body{
			"SubmitReq":         &rel5.SubmitReq{SenderIdentification: sender, Recipients: to},
			"DeliverReq":        &rel5.DeliverReq{Sender: num, Recipients: &to},
			"CancelReq":         &rel5.CancelReq{SenderIdentification: sender, MessageID: "m-1"},
			"ReplaceReq":        &rel5.ReplaceReq{SenderIdentification: sender, MessageID: "m-1"},
			"DeliveryReportReq": &rel5.DeliveryReportReq{MessageID: "m-1", Recipient: num, Sender: short, Date: date, MMStatus: rel5.MMDeliveryStatusRetrieved},
			"ReadReplyReq":      &rel5.ReadReplyReq{MessageID: "m-1", Recipient: num, Sender: short, TimeStamp: date, MMStatus: rel5.MMReadStatusRead},
		}
	}
	sender := rel6.SenderID{VASPID: new("vasp-1"), SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}}
	to := rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}}
	num := rel6.Address{Number: &rel6.Number{Value: "15555550123"}}
	short := rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}
	return map[string]mm7.Body{
		"SubmitReq":          &rel6.SubmitReq{SenderIdentification: sender, Recipients: to},
		"DeliverReq":         &rel6.DeliverReq{Sender: num, Recipients: &to},
		"CancelReq":          &rel6.CancelReq{SenderIdentification: sender, MessageID: "m-1"},
		"ReplaceReq":         &rel6.ReplaceReq{SenderIdentification: sender, MessageID: "m-1"},
		"extendedCancelReq":  &rel6.ExtendedCancelReq{SenderIdentification: sender, CancelID: "m-1"},
		"extendedReplaceReq": &rel6.ExtendedReplaceReq{VASPID: new("vasp-1"), ReplaceID: new("m-1")},
		"DeliveryReportReq":  &rel6.DeliveryReportReq{MessageID: "m-1", Recipient: num, Sender: short, Date: date, MMStatus: rel6.MMDeliveryStatusRetrieved},
		"ReadReplyReq":       &rel6.ReadReplyReq{MessageID: "m-1", Recipient: num, Sender: short, TimeStamp: date, MMStatus: rel6.MMReadStatusRead},
	}
}

// handlerEncode encodes a request body with mm7.NewEncoder.
func handlerEncode(t testing.TB, m *mm7.Message, atts ...mm7.Attachment) (body []byte, contentType string) {
	t.Helper()
	enc, err := mm7.NewEncoder(m, atts, mm7.EncodeOptions{})
	require.NoError(t, err)
	var buf bytes.Buffer
	_, err = enc.WriteTo(&buf)
	require.NoError(t, err)
	return buf.Bytes(), enc.ContentType()
}

// handlerReply decodes a reply; strict unless the reply is in a namespace
// other than the generated ones, which strict decoding reports.
func handlerReply(t testing.TB, resp *http.Response, strict bool) (*mm7.Message, []byte) {
	t.Helper()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	dec, err := mm7.NewDecoder(bytes.NewReader(raw), resp.Header.Get("Content-Type"), mm7.DecodeOptions{Strict: strict})
	require.NoError(t, err)
	m, err := dec.Message()
	require.NoError(t, err, "reply: %s", raw)
	return m, raw
}

// handlerServe calls h.ServeHTTP directly and returns the response.
func handlerServe(h http.Handler, req *http.Request) *http.Response {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

// handlerPostReq builds a POST of body with the given Content-Type.
func handlerPostReq(body []byte, contentType string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/mm7", bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("SOAPAction", `""`)
	return req
}

// handlerFaultStatus asserts that resp is a SOAP Fault with HTTP 500 and
// returns its FaultError.
func handlerFaultStatus(t *testing.T, resp *http.Response) (*mm7.FaultError, *mm7.Message) {
	t.Helper()
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	m, raw := handlerReply(t, resp, false)
	require.Equal(t, "Fault", m.Kind(), "%s", raw)
	fe, ok := errors.AsType[*mm7.FaultError](m.Err(resp.StatusCode))
	require.True(t, ok)
	require.NotNil(t, fe.Status)
	return fe, m
}

func TestHandlerEveryKind(t *testing.T) {
	t.Parallel()
	for _, v := range []mm7.Version{mm7.Rel5, mm7.Rel6} {
		for kind, body := range handlerKinds(v) {
			t.Run(v.Schema+"/"+kind, func(t *testing.T) {
				t.Parallel()
				type seen struct {
					body           any
					kind, txID, ns string
				}
				var got atomic.Pointer[seen]
				var content atomic.Value
				cb := func(_ context.Context, r *mm7.Request) error {
					got.Store(&seen{r.Message.Body, r.Kind(), r.TransactionID(), r.Version().Namespace})
					var all []byte
					for {
						a, err := r.NextAttachment()
						if err == io.EOF {
							break
						}
						if err != nil {
							return err
						}
						b, err := io.ReadAll(a.Body)
						if err != nil {
							return err
						}
						all = append(all, b...)
					}
					content.Store(string(all))
					return nil
				}
				withID := func(ctx context.Context, r *mm7.Request) (string, error) { return "mid-42", cb(ctx, r) }
				h := &mm7.Handler{OnDeliver: cb, OnDeliveryReport: cb, OnReadReply: cb, OnSubmit: withID,
					OnCancel: cb, OnReplace: cb, OnExtendedCancel: cb, OnExtendedReplace: withID}
				ts := httptest.NewServer(h)
				defer ts.Close()

				var atts []mm7.Attachment
				if reflect.ValueOf(body).Elem().FieldByName("Content").IsValid() {
					atts = []mm7.Attachment{{ContentType: "text/plain", Body: strings.NewReader("hello " + kind)}}
				}
				raw, ct := handlerEncode(t, &mm7.Message{TransactionID: "tx-" + kind, Version: v, Body: body}, atts...)
				resp, err := ts.Client().Post(ts.URL, ct, bytes.NewReader(raw))
				require.NoError(t, err)
				require.Equal(t, http.StatusOK, resp.StatusCode)
				rsp, _ := handlerReply(t, resp, true)

				r := got.Load()
				require.NotNil(t, r, "callback not called")
				assert.IsType(t, body, r.body)
				assert.Equal(t, kind, r.kind)
				assert.Equal(t, "tx-"+kind, r.txID)
				assert.Equal(t, v.Namespace, r.ns)
				if atts != nil {
					assert.Equal(t, "hello "+kind, content.Load())
				}

				assert.Equal(t, mm7.ResponseKind(kind), rsp.Kind())
				assert.Equal(t, "tx-"+kind, rsp.TransactionID)
				assert.Equal(t, v.Namespace, rsp.Version.Namespace)
				code, _, ok := rsp.Status()
				require.True(t, ok)
				assert.Equal(t, mm7.StatusSuccess, code)
				switch b := rsp.Body.(type) {
				case *rel5.SubmitRsp:
					assert.Equal(t, "mid-42", b.MessageID)
				case *rel6.SubmitRsp:
					assert.Equal(t, "mid-42", b.MessageID)
				case *rel6.ExtendedReplaceRsp:
					assert.Equal(t, "mid-42", b.MessageID)
				}
			})
		}
	}
}

// handlerEnvelope wraps a body element in a SOAP envelope.
func handlerEnvelope(ns, txID, body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` +
		`<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header>` +
		`<mm7:TransactionID xmlns:mm7="` + ns + `" env:mustUnderstand="1">` + txID + `</mm7:TransactionID></env:Header>` +
		`<env:Body>` + body + `</env:Body></env:Envelope>`
}

func TestHandlerRepliesInRequestNamespace(t *testing.T) {
	t.Parallel()
	submit63 := handlerEnvelope(handlerNS63, "r63-1", `<mm7:SubmitReq xmlns:mm7="`+handlerNS63+`"><mm7:MM7Version>6.6.0</mm7:MM7Version>`+
		`<mm7:SenderIdentification><mm7:VASPID>vasp-1</mm7:VASPID></mm7:SenderIdentification>`+
		`<mm7:Recipients><mm7:To><mm7:Number>15555550123</mm7:Number></mm7:To></mm7:Recipients></mm7:SubmitReq>`)
	dlr50 := handlerEnvelope(handlerNS50, "r50-1", `<DeliveryReportReq xmlns="`+handlerNS50+`"><MM7Version>5.3.0</MM7Version>`+
		`<MessageID>m-1</MessageID><Recipient><Number>15555550123</Number></Recipient><Sender><ShortCode>12345</ShortCode></Sender>`+
		`<Date>2024-01-02T03:04:05Z</Date><MMStatus>Retrieved</MMStatus></DeliveryReportReq>`)
	tests := []struct {
		name, ns, mm7Version, body, wantKind string
		fail                                 bool
	}{
		{"REL-6-MM7-1-3 SubmitReq", handlerNS63, "6.6.0", submit63, "SubmitRsp", false},
		{"REL-6-MM7-1-3 SubmitReq refused", handlerNS63, "6.6.0", submit63, "Fault", true},
		{"REL-5-MM7-1-0 DeliveryReportReq", handlerNS50, "5.3.0", dlr50, "DeliveryReportRsp", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fail := func() error {
				if tt.fail {
					return errors.New("database down")
				}
				return nil
			}
			h := &mm7.Handler{
				OnSubmit:         func(context.Context, *mm7.Request) (string, error) { return "mid-1", fail() },
				OnDeliveryReport: func(context.Context, *mm7.Request) error { return fail() },
			}
			resp := handlerServe(h, handlerPostReq([]byte(tt.body), `text/xml; charset="utf-8"`))
			m, raw := handlerReply(t, resp, false)
			assert.Equal(t, tt.wantKind, m.Kind())
			assert.Equal(t, tt.ns, m.Version.Namespace)
			assert.NotContains(t, string(raw), handlerNS6, "no trace of the generated namespace")
			assert.NotContains(t, string(raw), handlerNS5)
			assert.Contains(t, string(raw), "<MM7Version>"+tt.mm7Version+"</MM7Version>")
			assert.Equal(t, strings.Split(strings.Split(tt.body, "env:mustUnderstand=\"1\">")[1], "<")[0], m.TransactionID)
			if tt.fail {
				assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
				code, _, _ := m.Status()
				assert.Equal(t, mm7.StatusServerError, code)
			} else {
				assert.Equal(t, http.StatusOK, resp.StatusCode)
			}
			if b, ok := m.Body.(*rel6.SubmitRsp); ok {
				assert.Equal(t, "mid-1", b.MessageID)
			}
		})
	}
}

// handlerVibesImage is the "JPEG" of the Vibes MO below.
var handlerVibesImage = func() []byte {
	b := make([]byte, 3000)
	for i := range b {
		b[i] = byte(i*7 + i/256)
	}
	copy(b, []byte{0xFF, 0xD8, 0xFF, 0xE0})
	return b
}()

const handlerVibesText = "Entering the contest – photo from the lake 🎉"

// handlerVibesMO is a DeliverReq as Vibes posts it (mm7-facts 10.6): no
// start parameter, Content-IDs without angle brackets, encoding="utf-16"
// declared on UTF-8 bytes, an 8bit SOAP part, and the content a SMIL
// multipart/related with an image and a text.
func handlerVibesMO() (body, contentType string) {
	b64 := base64.StdEncoding.EncodeToString(handlerVibesImage)
	var lines []string
	for len(b64) > 76 {
		lines = append(lines, b64[:76])
		b64 = b64[76:]
	}
	lines = append(lines, b64)
	body = `------=_Part_4417_1291358377.1704164645123
Content-Type: text/xml; charset=utf-8
Content-Transfer-Encoding: 8bit
Content-Id: 881930217.1704164645120.sun-soap-mmsc7

<?xml version="1.0" encoding="utf-16"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header><mm7:TransactionID xmlns:mm7="` + handlerNS6 + `" SOAP-ENV:mustUnderstand="1">88127390341</mm7:TransactionID></SOAP-ENV:Header><SOAP-ENV:Body><mm7:DeliverReq xmlns:mm7="` + handlerNS6 + `"><mm7:MM7Version>6.8.0</mm7:MM7Version><mm7:MMSRelayServerID>vibes-mmsc-02</mm7:MMSRelayServerID><mm7:LinkedID>mo-88127390341</mm7:LinkedID><mm7:Sender><mm7:Number>+16125550147</mm7:Number></mm7:Sender><mm7:Recipients><mm7:To><mm7:ShortCode>54321</mm7:ShortCode></mm7:To></mm7:Recipients><mm7:TimeStamp>2024-01-02T03:04:05Z</mm7:TimeStamp><mm7:Subject>Contest entry</mm7:Subject><mm7:Content href="cid:881930217.1704164645121.sun-mms-content"/></mm7:DeliverReq></SOAP-ENV:Body></SOAP-ENV:Envelope>
------=_Part_4417_1291358377.1704164645123
Content-Type: multipart/related; type="application/smil"; start="<0000>"; boundary="----=_Part_4418_532118.1704164645125"
Content-Id: 881930217.1704164645121.sun-mms-content

------=_Part_4418_532118.1704164645125
Content-Type: application/smil; charset=utf-8; name=mms.smil
Content-ID: <0000>
Content-Location: mms.smil

<smil><body><par dur="8000ms"><img src="IMG_0412.jpg"/><text src="text_0.txt"/></par></body></smil>
------=_Part_4418_532118.1704164645125
Content-Type: image/jpeg; name=IMG_0412.jpg
Content-ID: <0001>
Content-Location: IMG_0412.jpg
Content-Transfer-Encoding: base64

` + strings.Join(lines, "\n") + `
------=_Part_4418_532118.1704164645125
Content-Type: text/plain; charset=utf-8; name=text_0.txt
Content-ID: <0002>
Content-Location: text_0.txt
Content-Transfer-Encoding: 8bit

` + handlerVibesText + `
------=_Part_4418_532118.1704164645125--

------=_Part_4417_1291358377.1704164645123--
`
	return strings.ReplaceAll(body, "\n", "\r\n"), `multipart/related; type="text/xml"; boundary="----=_Part_4417_1291358377.1704164645123"`
}

// handlerSaved is an attachment as a callback stored it.
type handlerSaved struct {
	ContentType, ContentID string
	Data                   []byte
}

// handlerStore reads every attachment of r.
func handlerStore(r *mm7.Request) ([]handlerSaved, error) {
	var out []handlerSaved
	for {
		a, err := r.NextAttachment()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		b, err := io.ReadAll(a.Body)
		if err != nil {
			return out, err
		}
		out = append(out, handlerSaved{a.MediaType(), a.ContentID, b})
	}
}

func TestHandlerVibesMO(t *testing.T) {
	t.Parallel()
	want := []handlerSaved{
		{"application/smil", "0000", []byte(`<smil><body><par dur="8000ms"><img src="IMG_0412.jpg"/><text src="text_0.txt"/></par></body></smil>`)},
		{"image/jpeg", "0001", handlerVibesImage},
		{"text/plain", "0002", []byte(handlerVibesText)},
	}
	for _, fail := range []bool{false, true} {
		t.Run(fmt.Sprintf("callback fails=%v", fail), func(t *testing.T) {
			t.Parallel()
			var (
				saved    []handlerSaved
				storeErr error
				carrier  string
				devs     []mm7.DeviationCode
				body     *rel6.DeliverReq
			)
			h := &mm7.Handler{OnDeliver: func(_ context.Context, r *mm7.Request) error {
				saved, storeErr = handlerStore(r)
				carrier = r.CarrierCode()
				for _, d := range r.Deviations() {
					devs = append(devs, d.Code)
				}
				body, _ = r.Message.Body.(*rel6.DeliverReq)
				if fail {
					return errors.New("disk full")
				}
				return nil
			}}
			ts := httptest.NewServer(h)
			defer ts.Close()
			raw, ct := handlerVibesMO()
			req, err := http.NewRequest(http.MethodPost, ts.URL+"/client/mms/deliver", strings.NewReader(raw))
			require.NoError(t, err)
			req.Header.Set("Content-Type", ct)
			req.Header.Set("User-Agent", "Java/1.6.0_65")
			req.Header.Set(mm7.VibesHeaderCarrierCode, "104")
			resp, err := ts.Client().Do(req)
			require.NoError(t, err)

			// Every byte of every part reached the callback, whatever it returned.
			require.NoError(t, storeErr)
			assert.Equal(t, want, saved)
			assert.Equal(t, "104", carrier)
			require.NotNil(t, body)
			assert.Equal(t, "+16125550147", body.Sender.Number.Value)
			assert.Equal(t, "Contest entry", *body.Subject)
			for _, c := range []mm7.DeviationCode{mm7.DevStartMissing, mm7.DevCharsetMismatch} {
				assert.Contains(t, devs, c)
			}
			assert.True(t, slices.ContainsFunc(devs, func(c mm7.DeviationCode) bool {
				return strings.Contains(string(c), "content-id") && strings.Contains(string(c), "bracket")
			}), "Content-ID without brackets reported: %v", devs)

			if fail {
				fe, m := handlerFaultStatus(t, resp)
				assert.Equal(t, mm7.StatusServerError, fe.Status.Code)
				assert.Equal(t, "Server", fe.Code[strings.IndexByte(fe.Code, ':')+1:])
				assert.Equal(t, "88127390341", m.TransactionID)
				assert.True(t, fe.Temporary(), "the MMSC must retry")
				assert.NotContains(t, fe.String, "disk full", "callback errors stay private")
				return
			}
			require.Equal(t, http.StatusOK, resp.StatusCode)
			m, _ := handlerReply(t, resp, true)
			assert.Equal(t, "DeliverRsp", m.Kind())
			assert.Equal(t, "88127390341", m.TransactionID)
			assert.Equal(t, handlerNS6, m.Version.Namespace)
			assert.NoError(t, m.Err(resp.StatusCode))
		})
	}
}

func TestHandlerVibesDLR(t *testing.T) {
	t.Parallel()
	raw := strings.ReplaceAll(`<?xml version="1.0" encoding="utf-16"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
<soapenv:Header>
<TransactionID xmlns="`+handlerNS5+`" soapenv:mustUnderstand="1">dlr-20240102-0007</TransactionID>
</soapenv:Header>
<soapenv:Body>
<mm7:DeliveryReportReq xmlns:mm7="`+handlerNS5+`">
<mm7:MM7Version>5.3.0</mm7:MM7Version>
<mm7:MessageID>VB-7f3a9c01-0007</mm7:MessageID>
<mm7:Recipient><mm7:Number>16125550147</mm7:Number></mm7:Recipient>
<mm7:Sender><mm7:ShortCode>54321</mm7:ShortCode></mm7:Sender>
<mm7:Date>2024-01-02T03:04:05-0500</mm7:Date>
<mm7:MMStatus>Retrieved</mm7:MMStatus>
<mm7:StatusText>Delivered to handset</mm7:StatusText>
</mm7:DeliveryReportReq>
</soapenv:Body>
</soapenv:Envelope>`, "\n", "\r\n")
	var got *rel5.DeliveryReportReq
	h := &mm7.Handler{OnDeliveryReport: func(_ context.Context, r *mm7.Request) error {
		got, _ = r.Message.Body.(*rel5.DeliveryReportReq)
		return nil
	}}
	ts := httptest.NewServer(h)
	defer ts.Close()
	resp, err := ts.Client().Post(ts.URL+"/mm7/dlr", "text/xml; charset=utf-8", strings.NewReader(raw))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	m, raw2 := handlerReply(t, resp, true)

	require.NotNil(t, got)
	assert.Equal(t, "VB-7f3a9c01-0007", got.MessageID)
	assert.Equal(t, rel5.MMDeliveryStatusRetrieved, got.MMStatus)
	assert.True(t, got.Date.Time.Equal(time.Date(2024, 1, 2, 8, 4, 5, 0, time.UTC)), "Date %v", got.Date.Time)

	assert.Equal(t, "DeliveryReportRsp", m.Kind())
	assert.Equal(t, "dlr-20240102-0007", m.TransactionID)
	assert.Equal(t, handlerNS5, m.Version.Namespace)
	assert.Contains(t, string(raw2), "<MM7Version>5.3.0</MM7Version>")
	assert.NoError(t, m.Err(resp.StatusCode))
}

// handlerDeliver encodes a minimal REL-6 DeliverReq.
func handlerDeliver(t testing.TB, txID string, atts ...mm7.Attachment) ([]byte, string) {
	return handlerEncode(t, &mm7.Message{TransactionID: txID, Version: mm7.Rel6, Body: handlerKinds(mm7.Rel6)["DeliverReq"]}, atts...)
}

func TestHandlerCallbackErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		err      error
		wantHTTP int
		wantCode mm7.StatusCode
		wantText string
		fault    string // faultcode local part; "" for a normal response
	}{
		{"nil", nil, 200, mm7.StatusSuccess, "Success", ""},
		{"plain error", errors.New("db: connection refused"), 500, mm7.StatusServerError, "Server Error", "Server"},
		{"context canceled", context.Canceled, 500, mm7.StatusServerError, "Server Error", "Server"},
		{"address error", &mm7.StatusError{Code: mm7.StatusAddressError, Text: "unknown short code"}, 200, mm7.StatusAddressError, "unknown short code", ""},
		{"wrapped service denied", fmt.Errorf("store: %w", &mm7.StatusError{Code: mm7.StatusServiceDenied}), 200, mm7.StatusServiceDenied, "Service denied", ""},
		{"partial success", &mm7.StatusError{Code: mm7.StatusPartialSuccess}, 200, mm7.StatusPartialSuccess, "Partial success", ""},
		{"chosen server error", &mm7.StatusError{Code: mm7.StatusServerError}, 500, mm7.StatusServerError, "Server Error", "Server"},
		{"service unavailable", &mm7.StatusError{Code: mm7.StatusServiceUnavailable}, 500, mm7.StatusServiceUnavailable, "Service unavailable", "Server"},
		{"fault chosen", &mm7.FaultError{Status: &mm7.StatusError{Code: mm7.StatusAddressError}}, 500, mm7.StatusAddressError, "Address Error", "Client"},
		{"invalid code", &mm7.StatusError{Code: 42}, 500, mm7.StatusServerError, "Server Error", "Server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := &mm7.Handler{OnDeliver: func(context.Context, *mm7.Request) error { return tt.err }}
			raw, ct := handlerDeliver(t, "tx-err")
			resp := handlerServe(h, handlerPostReq(raw, ct))
			assert.Equal(t, tt.wantHTTP, resp.StatusCode)
			m, _ := handlerReply(t, resp, true)
			assert.Equal(t, "tx-err", m.TransactionID)
			code, text, ok := m.Status()
			require.True(t, ok)
			assert.Equal(t, tt.wantCode, code)
			assert.Equal(t, tt.wantText, text)
			if tt.fault == "" {
				assert.Equal(t, "DeliverRsp", m.Kind())
				return
			}
			require.Equal(t, "Fault", m.Kind())
			f := m.Body.(*mm7.Fault)
			assert.Equal(t, tt.fault, f.Code)
			assert.IsType(t, &rel6.VASPErrorRsp{}, f.Detail, "a VASP answers with VASPErrorRsp")
		})
	}
}

func TestHandlerPanic(t *testing.T) {
	t.Parallel()
	var logs handlerLogBuffer
	var calls atomic.Int32
	h := &mm7.Handler{
		OnDeliver: func(context.Context, *mm7.Request) error {
			if calls.Add(1) == 1 {
				panic("nil map write in store")
			}
			return nil
		},
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	for i, want := range []int{http.StatusInternalServerError, http.StatusOK} {
		raw, ct := handlerDeliver(t, fmt.Sprintf("tx-%d", i))
		resp, err := ts.Client().Post(ts.URL, ct, bytes.NewReader(raw))
		require.NoError(t, err)
		require.Equal(t, want, resp.StatusCode)
		m, _ := handlerReply(t, resp, true)
		code, _, _ := m.Status()
		if want == http.StatusOK {
			assert.Equal(t, mm7.StatusSuccess, code, "the handler keeps serving after a panic")
			continue
		}
		assert.Equal(t, mm7.StatusServerError, code)
		assert.Equal(t, "Server", m.Body.(*mm7.Fault).Code)
	}
	out := logs.String()
	assert.Contains(t, out, `"level":"ERROR","msg":"mm7: callback panicked"`)
	assert.Contains(t, out, "nil map write in store")
	assert.Contains(t, out, "handler_test.go", "the stack is logged")
}

// handlerLogBuffer is a bytes.Buffer safe for the server's goroutines.
type handlerLogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *handlerLogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *handlerLogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// handlerReadRecorder records whether a body was read.
type handlerReadRecorder struct {
	r     io.Reader
	reads atomic.Int32
}

func (h *handlerReadRecorder) Read(p []byte) (int, error) {
	h.reads.Add(1)
	return h.r.Read(p)
}

func TestHandlerBasicAuth(t *testing.T) {
	t.Parallel()
	const user, pass = "vibes", "s3cret-Pa55"
	tests := []struct {
		name       string
		user, pass string
		basic      bool
		wantOK     bool
	}{
		{"correct", user, pass, true, true},
		{"no credentials", "", "", false, false},
		{"empty credentials", "", "", true, false},
		{"wrong password same length", user, "s3cret-Pa56", true, false},
		{"shorter password", user, "s3cret", true, false},
		{"longer password", user, pass + "x", true, false},
		{"wrong user", "vibes2", pass, true, false},
		{"swapped", pass, user, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var called atomic.Bool
			var gotUser string
			var gotHeader http.Header
			h := &mm7.Handler{Username: user, Password: pass, OnDeliver: func(_ context.Context, r *mm7.Request) error {
				called.Store(true)
				gotUser, gotHeader = r.User, r.Header
				return nil
			}}
			raw, ct := handlerDeliver(t, "tx-auth")
			body := &handlerReadRecorder{r: bytes.NewReader(raw)}
			req := httptest.NewRequest(http.MethodPost, "/mm7", body)
			req.Header.Set("Content-Type", ct)
			if tt.basic {
				req.SetBasicAuth(tt.user, tt.pass)
			}
			resp := handlerServe(h, req)
			if tt.wantOK {
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.True(t, called.Load())
				assert.Equal(t, user, gotUser)
				assert.Empty(t, gotHeader.Get("Authorization"), "callbacks never see the credentials")
				assert.Equal(t, ct, gotHeader.Get("Content-Type"))
				return
			}
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
			assert.Equal(t, `Basic realm="mm7"`, resp.Header.Get("WWW-Authenticate"))
			assert.False(t, called.Load(), "callback must not run")
			assert.Zero(t, body.reads.Load(), "the body must not be read before authentication")
			text, _ := io.ReadAll(resp.Body)
			assert.NotContains(t, string(text), pass)
		})
	}
}

func TestHandlerVASPIDAllowList(t *testing.T) {
	t.Parallel()
	kinds := handlerKinds(mm7.Rel6)
	submit := func(vaspID *string) mm7.Body {
		s := *kinds["SubmitReq"].(*rel6.SubmitReq)
		s.SenderIdentification.VASPID = vaspID
		return &s
	}
	tests := []struct {
		name     string
		body     mm7.Body
		wantCode mm7.StatusCode
	}{
		{"allowed", submit(new("vasp-1")), mm7.StatusSuccess},
		{"other VASPID", submit(new("intruder")), mm7.StatusServiceDenied},
		{"no VASPID", submit(nil), mm7.StatusImproperIdentification},
		{"extendedReplaceReq allowed", kinds["extendedReplaceReq"], mm7.StatusSuccess},
		{"no VASPID element in the schema", kinds["DeliveryReportReq"], mm7.StatusSuccess},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var called atomic.Bool
			ok := func(context.Context, *mm7.Request) error { called.Store(true); return nil }
			h := &mm7.Handler{
				AllowedVASPIDs:    []string{"vasp-0", "vasp-1"},
				OnSubmit:          func(ctx context.Context, r *mm7.Request) (string, error) { return "mid-1", ok(ctx, r) },
				OnExtendedReplace: func(ctx context.Context, r *mm7.Request) (string, error) { return "mid-1", ok(ctx, r) },
				OnDeliveryReport:  ok,
			}
			raw, ct := handlerEncode(t, &mm7.Message{TransactionID: "tx-id", Version: mm7.Rel6, Body: tt.body})
			resp := handlerServe(h, handlerPostReq(raw, ct))
			if tt.wantCode == mm7.StatusSuccess {
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.True(t, called.Load())
				return
			}
			fe, _ := handlerFaultStatus(t, resp)
			assert.Equal(t, tt.wantCode, fe.Status.Code)
			assert.Equal(t, "Client", fe.Code[strings.IndexByte(fe.Code, ':')+1:])
			assert.False(t, called.Load())
		})
	}
}

func TestHandlerAllowedNetworks(t *testing.T) {
	t.Parallel()
	require.Len(t, mm7.VibesCallbackNetworks, 14)
	for _, p := range mm7.VibesCallbackNetworks {
		assert.Equal(t, 32, p.Bits(), "%v", p)
		assert.True(t, p.Addr().Is4())
	}
	tests := []struct {
		remote string
		want   int
	}{
		{"35.155.139.143:44321", http.StatusOK},     // Vibes US
		{"54.217.181.160:1234", http.StatusOK},      // Vibes EU
		{"[::ffff:52.32.61.199]:80", http.StatusOK}, // IPv4-mapped
		{"52.32.61.198:80", http.StatusForbidden},
		{"10.0.0.1:5000", http.StatusForbidden},
		{"[2001:db8::1]:443", http.StatusForbidden},
		{"not-an-address", http.StatusForbidden},
		{"", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.remote, func(t *testing.T) {
			t.Parallel()
			var called atomic.Bool
			h := &mm7.Handler{AllowedNetworks: mm7.VibesCallbackNetworks, Username: "u", Password: "p",
				OnDeliver: func(context.Context, *mm7.Request) error { called.Store(true); return nil }}
			raw, ct := handlerDeliver(t, "tx-net")
			body := &handlerReadRecorder{r: bytes.NewReader(raw)}
			req := httptest.NewRequest(http.MethodPost, "/mm7", body)
			req.Header.Set("Content-Type", ct)
			req.RemoteAddr = tt.remote
			if tt.want == http.StatusForbidden {
				req.Method = http.MethodGet // the address is checked first, before the method too
			}
			req.SetBasicAuth("u", "p")
			resp := handlerServe(h, req)
			assert.Equal(t, tt.want, resp.StatusCode)
			assert.Equal(t, tt.want == http.StatusOK, called.Load())
			if tt.want == http.StatusForbidden {
				assert.Zero(t, body.reads.Load())
			}
		})
	}
	t.Run("prefix", func(t *testing.T) {
		t.Parallel()
		h := &mm7.Handler{AllowedNetworks: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")},
			OnDeliver: func(context.Context, *mm7.Request) error { return nil }}
		raw, ct := handlerDeliver(t, "tx-net")
		req := handlerPostReq(raw, ct)
		req.RemoteAddr = "192.0.2.77:1"
		assert.Equal(t, http.StatusOK, handlerServe(h, req).StatusCode)
	})
}

func TestHandlerMethodNotAllowed(t *testing.T) {
	t.Parallel()
	h := &mm7.Handler{OnDeliver: func(context.Context, *mm7.Request) error { return nil }}
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodOptions} {
		resp := handlerServe(h, httptest.NewRequest(method, "/mm7", nil))
		assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, method)
		assert.Equal(t, "POST", resp.Header.Get("Allow"), method)
	}
}

// handlerNoLength hides a reader's length, as a chunked upload does.
type handlerNoLength struct{ io.Reader }

func TestHandlerBodyLimit(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("0123456789"), 2000) // 20 000 bytes, base64 on the wire
	raw, ct := handlerDeliver(t, "tx-big", mm7.Attachment{ContentType: "image/png", Body: bytes.NewReader(big)})
	const limit = 8 << 10

	t.Run("Content-Length over the limit", func(t *testing.T) {
		t.Parallel()
		var called atomic.Bool
		h := &mm7.Handler{MaxBodyBytes: limit, OnDeliver: func(context.Context, *mm7.Request) error { called.Store(true); return nil }}
		body := &handlerReadRecorder{r: bytes.NewReader(raw)}
		req := httptest.NewRequest(http.MethodPost, "/mm7", body)
		req.Header.Set("Content-Type", ct)
		req.ContentLength = int64(len(raw))
		resp := handlerServe(h, req)
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
		text, _ := io.ReadAll(resp.Body)
		assert.Contains(t, string(text), "8192 bytes")
		assert.False(t, called.Load())
		assert.Zero(t, body.reads.Load())
	})
	t.Run("chunked, over the limit in an attachment", func(t *testing.T) {
		t.Parallel()
		var streamErr error
		h := &mm7.Handler{MaxBodyBytes: limit, OnDeliver: func(_ context.Context, r *mm7.Request) error {
			_, streamErr = handlerStore(r)
			return fmt.Errorf("saving MO: %w", streamErr)
		}}
		req := httptest.NewRequest(http.MethodPost, "/mm7", handlerNoLength{bytes.NewReader(raw)})
		req.Header.Set("Content-Type", ct)
		resp := handlerServe(h, req)
		assert.Error(t, streamErr, "the callback saw the body cut at the limit")
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
		text, _ := io.ReadAll(resp.Body)
		assert.Contains(t, string(text), "8192 bytes")
	})
	t.Run("chunked, over the limit in the envelope", func(t *testing.T) {
		t.Parallel()
		var called atomic.Bool
		h := &mm7.Handler{MaxBodyBytes: 100, OnDeliver: func(context.Context, *mm7.Request) error { called.Store(true); return nil }}
		req := httptest.NewRequest(http.MethodPost, "/mm7", handlerNoLength{bytes.NewReader(raw)})
		req.Header.Set("Content-Type", ct)
		resp := handlerServe(h, req)
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
		assert.False(t, called.Load())
	})
	t.Run("default limit", func(t *testing.T) {
		t.Parallel()
		h := &mm7.Handler{OnDeliver: func(context.Context, *mm7.Request) error { return nil }}
		req := handlerPostReq(raw, ct)
		req.ContentLength = mm7.DefaultMaxBodyBytes + 1
		assert.Equal(t, http.StatusRequestEntityTooLarge, handlerServe(h, req).StatusCode)
	})
	t.Run("no limit", func(t *testing.T) {
		t.Parallel()
		h := &mm7.Handler{MaxBodyBytes: -1, OnDeliver: func(_ context.Context, r *mm7.Request) error {
			_, err := handlerStore(r)
			return err
		}}
		req := httptest.NewRequest(http.MethodPost, "/mm7", handlerNoLength{bytes.NewReader(raw)})
		req.Header.Set("Content-Type", ct)
		assert.Equal(t, http.StatusOK, handlerServe(h, req).StatusCode)
	})
}

func TestHandlerRejectsMalformed(t *testing.T) {
	t.Parallel()
	deliver := func(inner string) string {
		return handlerEnvelope(handlerNS6, "tx-bad", `<mm7:DeliverReq xmlns:mm7="`+handlerNS6+`"><mm7:MM7Version>6.8.0</mm7:MM7Version>`+inner+`</mm7:DeliverReq>`)
	}
	sender := `<mm7:Sender><mm7:Number>15555550123</mm7:Number></mm7:Sender>`
	vibes, vibesCT := handlerVibesMO()
	tests := []struct {
		name, contentType, body string
		strict                  bool
		wantCode                mm7.StatusCode
		wantTxID                string
		wantProblem             string // in the faultstring
	}{
		{"malformed XML", "text/xml", deliver(sender + `<mm7:Subject>hi</mm7:Sender>`), false, mm7.StatusMessageFormatCorrupt, "tx-bad", "syntax error"},
		{"truncated XML", "text/xml", deliver(sender)[:300], false, mm7.StatusMessageFormatCorrupt, "tx-bad", "unexpected EOF"},
		{"not XML", "text/xml", "hello", false, mm7.StatusMessageFormatCorrupt, "", "decode"},
		{"not an Envelope", "text/xml", `<DeliverReq/>`, false, mm7.StatusMessageFormatCorrupt, "", "Envelope"},
		{"empty body", "text/xml", "", false, mm7.StatusMessageFormatCorrupt, "", "empty body"},
		{"multipart without boundary", "multipart/related", "--x\r\n\r\n", false, mm7.StatusMessageFormatCorrupt, "", "boundary"},
		{"no Content-Type", "", deliver(sender), false, mm7.StatusMessageFormatCorrupt, "", "Content-Type"},
		{"truncated multipart", vibesCT, vibes[:len(vibes)/2], false, mm7.StatusMessageFormatCorrupt, "88127390341", "truncated"},
		{"unknown message", "text/xml", handlerEnvelope(handlerNS6, "tx-bad", `<mm7:StatusReq xmlns:mm7="`+handlerNS6+`"><mm7:MM7Version>6.8.0</mm7:MM7Version></mm7:StatusReq>`), false, mm7.StatusUnsupportedOperation, "tx-bad", "StatusReq"},
		{"a response", "text/xml", handlerEnvelope(handlerNS6, "tx-bad", `<mm7:DeliverRsp xmlns:mm7="`+handlerNS6+`"><mm7:MM7Version>6.8.0</mm7:MM7Version><mm7:Status><mm7:StatusCode>1000</mm7:StatusCode><mm7:StatusText>Success</mm7:StatusText></mm7:Status></mm7:DeliverRsp>`), false, mm7.StatusUnsupportedOperation, "tx-bad", "DeliverRsp is not an MM7 request"},
		{"unknown namespace", "text/xml", handlerEnvelope("urn:example:mm7", "tx-bad", `<m:DeliverReq xmlns:m="urn:example:mm7"><m:MM7Version>9.9.9</m:MM7Version></m:DeliverReq>`), false, mm7.StatusUnsupportedVersion, "tx-bad", "urn:example:mm7"},
		{"invalid value", "text/xml", deliver(sender + `<mm7:TimeStamp>yesterday</mm7:TimeStamp>`), false, mm7.StatusValidationError, "tx-bad", "yesterday"},
		{"strict: other namespace", "text/xml", handlerEnvelope(handlerNS63, "tx-bad", `<mm7:DeliverReq xmlns:mm7="`+handlerNS63+`"><mm7:MM7Version>6.6.0</mm7:MM7Version>`+sender+`</mm7:DeliverReq>`), true, mm7.StatusUnsupportedVersion, "tx-bad", "namespace-other-version"},
		{"strict: Vibes quirks", vibesCT, vibes, true, mm7.StatusValidationError, "", "strict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var called atomic.Bool
			h := &mm7.Handler{DecodeOptions: mm7.DecodeOptions{Strict: tt.strict}, OnDeliver: func(_ context.Context, r *mm7.Request) error {
				called.Store(true)
				_, err := handlerStore(r)
				return err
			}}
			resp := handlerServe(h, handlerPostReq([]byte(tt.body), tt.contentType))
			fe, m := handlerFaultStatus(t, resp)
			assert.Equal(t, tt.wantCode, fe.Status.Code)
			assert.Equal(t, "Client", fe.Code[strings.IndexByte(fe.Code, ':')+1:])
			assert.Contains(t, fe.String, tt.wantProblem)
			assert.Equal(t, tt.wantTxID, m.TransactionID)
			assert.IsType(t, &rel6.VASPErrorRsp{}, m.Body.(*mm7.Fault).Detail)
			if tt.name != "truncated multipart" {
				assert.False(t, called.Load())
			}
		})
	}
}

func TestHandlerNoCallback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		h          *mm7.Handler
		kind       string
		wantDetail any
	}{
		{"VASP without OnDeliver", &mm7.Handler{OnDeliveryReport: func(context.Context, *mm7.Request) error { return nil }}, "DeliverReq", &rel6.VASPErrorRsp{}},
		{"zero Handler", &mm7.Handler{}, "ReadReplyReq", &rel6.VASPErrorRsp{}},
		{"VASP sent a SubmitReq", &mm7.Handler{OnDeliver: func(context.Context, *mm7.Request) error { return nil }}, "SubmitReq", &rel6.RSErrorRsp{}},
		{"simulator without OnCancel", &mm7.Handler{OnSubmit: func(context.Context, *mm7.Request) (string, error) { return "m", nil }}, "extendedCancelReq", &rel6.RSErrorRsp{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			raw, ct := handlerEncode(t, &mm7.Message{TransactionID: "tx-none", Version: mm7.Rel6, Body: handlerKinds(mm7.Rel6)[tt.kind]})
			fe, m := handlerFaultStatus(t, handlerServe(tt.h, handlerPostReq(raw, ct)))
			assert.Equal(t, mm7.StatusUnsupportedOperation, fe.Status.Code)
			assert.Equal(t, "tx-none", m.TransactionID)
			assert.Contains(t, fe.String, tt.kind)
			assert.IsType(t, tt.wantDetail, m.Body.(*mm7.Fault).Detail)
		})
	}
}

func TestHandlerEmptyMessageID(t *testing.T) {
	t.Parallel()
	h := &mm7.Handler{OnSubmit: func(context.Context, *mm7.Request) (string, error) { return "", nil }}
	raw, ct := handlerEncode(t, &mm7.Message{TransactionID: "tx-s", Version: mm7.Rel5, Body: handlerKinds(mm7.Rel5)["SubmitReq"]})
	fe, m := handlerFaultStatus(t, handlerServe(h, handlerPostReq(raw, ct)))
	assert.Equal(t, mm7.StatusServerError, fe.Status.Code)
	assert.IsType(t, &rel5.RSErrorRsp{}, m.Body.(*mm7.Fault).Detail)
}

// TestHandlerStreams shows that the callback reads the first attachment
// while the MMSC is still sending the rest of the body.
func TestHandlerStreams(t *testing.T) {
	t.Parallel()
	img := bytes.Repeat([]byte{0xFF, 0xD8, 0x00, 0x42}, 64<<10) // 256 KiB
	raw, ct := handlerDeliver(t, "tx-stream", mm7.Attachment{ContentType: "image/jpeg", Body: bytes.NewReader(img)})
	started, resume := make(chan struct{}), make(chan struct{})
	var got []byte
	h := &mm7.Handler{OnDeliver: func(_ context.Context, r *mm7.Request) error {
		a, err := r.NextAttachment()
		if err != nil {
			return err
		}
		head := make([]byte, 1000)
		if _, err := io.ReadFull(a.Body, head); err != nil {
			return err
		}
		close(started)
		rest, err := io.ReadAll(a.Body)
		got = append(head, rest...)
		return err
	}}
	pr, pw := io.Pipe()
	go func() {
		pw.Write(raw[:len(raw)/4]) //nolint:errcheck // checked through the reply
		<-resume
		pw.Write(raw[len(raw)/4:]) //nolint:errcheck
		pw.Close()
	}()
	req := httptest.NewRequest(http.MethodPost, "/mm7", pr)
	req.Header.Set("Content-Type", ct)
	done := make(chan *http.Response)
	go func() { done <- handlerServe(h, req) }()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Error("the callback did not get the attachment before the body was complete")
	}
	close(resume)
	resp := <-done
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, img, got)
}

// TestHandlerConcurrent sends many requests of every kind and version at
// once to one Handler: each reply answers its own request.
func TestHandlerConcurrent(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	cb := func(_ context.Context, r *mm7.Request) error {
		calls.Add(1)
		_, err := handlerStore(r)
		return err
	}
	withID := func(ctx context.Context, r *mm7.Request) (string, error) {
		return "mid-" + r.TransactionID(), cb(ctx, r)
	}
	h := &mm7.Handler{OnDeliver: cb, OnDeliveryReport: cb, OnReadReply: cb, OnSubmit: withID,
		OnCancel: cb, OnReplace: cb, OnExtendedCancel: cb, OnExtendedReplace: withID}
	ts := httptest.NewServer(h)
	defer ts.Close()
	type job struct {
		txID, kind, ns, ct string
		raw                []byte
	}
	var jobs []job
	for i := range 4 {
		for _, v := range []mm7.Version{mm7.Rel5, mm7.Rel6} {
			for kind, body := range handlerKinds(v) {
				txID := fmt.Sprintf("c%d-%s-%s", i, v.Schema, kind)
				raw, ct := handlerEncode(t, &mm7.Message{TransactionID: txID, Version: v, Body: body})
				jobs = append(jobs, job{txID, kind, v.Namespace, ct, raw})
			}
		}
	}
	errs := make(chan error, len(jobs))
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() {
			resp, err := ts.Client().Post(ts.URL, j.ct, bytes.NewReader(j.raw))
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			dec, _ := mm7.NewDecoder(resp.Body, resp.Header.Get("Content-Type"), mm7.DecodeOptions{Strict: true})
			m, err := dec.Message()
			switch {
			case err != nil:
				errs <- err
			case m.TransactionID != j.txID || m.Kind() != mm7.ResponseKind(j.kind) || m.Version.Namespace != j.ns:
				errs <- fmt.Errorf("%s: got %s %s in %s", j.txID, m.Kind(), m.TransactionID, m.Version.Namespace)
			case m.Err(resp.StatusCode) != nil:
				errs <- m.Err(resp.StatusCode)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, int32(len(jobs)), calls.Load())
}

// handlerCert issues a certificate for the key, signed by parent (self
// signed when parent is nil).
func handlerCert(t *testing.T, cn string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, usage x509.ExtKeyUsage) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
	}
	if parent == nil {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
		tmpl.ExtKeyUsage = nil
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert, key
}

func TestHandlerClientCertificates(t *testing.T) {
	t.Parallel()
	ca, caKey := handlerCert(t, "MMSC test CA", nil, nil, 0)
	client, clientKey := handlerCert(t, "vibes-callbacks", ca, caKey, x509.ExtKeyUsageClientAuth)
	pool := x509.NewCertPool()
	pool.AddCert(ca)

	var peer atomic.Value
	h := &mm7.Handler{OnDeliver: func(_ context.Context, r *mm7.Request) error {
		peer.Store(r.PeerCertificates())
		return nil
	}}
	ts := httptest.NewUnstartedServer(h)
	ts.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool, MinVersion: tls.VersionTLS12}
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // failed handshakes below
	ts.StartTLS()
	defer ts.Close()

	raw, ct := handlerDeliver(t, "tx-tls")
	withCert := ts.Client().Transport.(*http.Transport).Clone()
	withCert.TLSClientConfig.Certificates = []tls.Certificate{{Certificate: [][]byte{client.Raw}, PrivateKey: clientKey, Leaf: client}}
	resp, err := (&http.Client{Transport: withCert}).Post(ts.URL, ct, bytes.NewReader(raw))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp.Body.Close()
	chain, _ := peer.Load().([]*x509.Certificate)
	require.NotEmpty(t, chain)
	assert.Equal(t, "vibes-callbacks", chain[0].Subject.CommonName)

	// Without a certificate the TLS layer refuses: the Handler never runs.
	peer.Store([]*x509.Certificate(nil))
	without := ts.Client().Transport.(*http.Transport).Clone()
	without.TLSClientConfig.Certificates = nil
	_, err = (&http.Client{Transport: without}).Post(ts.URL, ct, bytes.NewReader(raw))
	assert.Error(t, err)
	assert.Nil(t, peer.Load())

	// A Request built by hand, to test a callback.
	hand := &mm7.Request{Message: &mm7.Message{TransactionID: "t", Version: mm7.Rel6, Body: &rel6.DeliverReq{}}}
	_, err = hand.NextAttachment()
	assert.Equal(t, io.EOF, err)
	assert.Empty(t, hand.Deviations())
	assert.Empty(t, hand.CarrierCode())

	// Plain HTTP, or TLS without a verified chain: no certificates.
	assert.Nil(t, (&mm7.Request{}).PeerCertificates())
	assert.Nil(t, (&mm7.Request{TLS: &tls.ConnectionState{PeerCertificates: []*x509.Certificate{client}}}).PeerCertificates())
}

func TestHandlerLogs(t *testing.T) {
	t.Parallel()
	const pass = "hunter2-very-secret"
	const subject, text = "SUBJECT-IN-THE-BODY", "ATTACHMENT-TEXT-CONTENT"
	var info, debug bytes.Buffer
	logger := slog.New(handlerTee{
		slog.NewJSONHandler(&info, &slog.HandlerOptions{Level: slog.LevelInfo}),
		slog.NewJSONHandler(&debug, &slog.HandlerOptions{Level: slog.LevelDebug}),
	})
	h := &mm7.Handler{Username: "vasp", Password: pass, Logger: logger, OnDeliver: func(_ context.Context, r *mm7.Request) error {
		_, err := handlerStore(r)
		return err
	}}
	body := handlerKinds(mm7.Rel6)["DeliverReq"].(*rel6.DeliverReq)
	body.Subject = new(subject)
	raw, ct := handlerEncode(t, &mm7.Message{TransactionID: "tx-log", Version: mm7.Rel6, Body: body},
		mm7.Attachment{ContentType: "text/plain", Body: strings.NewReader(text)})
	vibes, vibesCT := handlerVibesMO()
	for _, tc := range []struct {
		user, pass, ct string
		body           []byte
	}{
		{"vasp", pass, ct, raw},
		{"vasp", pass + "-wrong", ct, raw},
		{pass, "", ct, raw}, // a password typed into the user field
		{"vasp", pass, vibesCT, []byte(vibes)},
		{"vasp", pass, "text/xml", []byte(handlerEnvelope(handlerNS6, "tx-log", `<mm7:DeliverReq xmlns:mm7="`+handlerNS6+`"><mm7:Subject>`+subject+`</mm7:Subject><mm7:TimeStamp>`+subject+`</mm7:TimeStamp></mm7:DeliverReq>`))},
	} {
		req := handlerPostReq(tc.body, tc.ct)
		req.SetBasicAuth(tc.user, tc.pass)
		req.RemoteAddr = "192.0.2.1:5060"
		handlerServe(h, req)
	}
	out := info.String()
	basic := base64.StdEncoding.EncodeToString([]byte("vasp:" + pass))
	for _, secret := range []string{pass, basic, subject, text, "Contest entry", "Entering the contest"} {
		assert.NotContains(t, out, secret)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 5, "one line per request")
	for _, key := range []string{`"msg":"mm7: request"`, `"transaction_id":"tx-log"`, `"kind":"DeliverReq"`, `"version":"REL-6-MM7-1-4"`,
		`"status_code":1000`, `"http_status":200`, `"remote":"192.0.2.1:5060"`, `"deviations":0`, `"duration":`} {
		assert.Contains(t, lines[0], key)
	}
	assert.Contains(t, lines[1], `"http_status":401`)
	assert.Contains(t, lines[4], `"status_code":4004`)
	assert.Regexp(t, `"deviations":[1-9]`, lines[3], "the Vibes MO has deviations")
	assert.Contains(t, debug.String(), `"msg":"mm7: deviations"`)
	assert.Contains(t, debug.String(), string(mm7.DevStartMissing))
	assert.NotContains(t, debug.String(), pass, "not even at debug")
}

// handlerTee sends records to two handlers.
type handlerTee [2]slog.Handler

func (t handlerTee) Enabled(ctx context.Context, l slog.Level) bool {
	return t[0].Enabled(ctx, l) || t[1].Enabled(ctx, l)
}

func (t handlerTee) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range t {
		if h.Enabled(ctx, r.Level) {
			if err := h.Handle(ctx, r.Clone()); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t handlerTee) WithAttrs(as []slog.Attr) slog.Handler {
	return handlerTee{t[0].WithAttrs(as), t[1].WithAttrs(as)}
}

func (t handlerTee) WithGroup(name string) slog.Handler {
	return handlerTee{t[0].WithGroup(name), t[1].WithGroup(name)}
}
