package mm7_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/convert"
	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// clientPart is an attachment as the fake MMSC received it.
type clientPart struct {
	ContentType string
	Data        []byte
	Depth       int
	Container   string
}

// clientExchange is one request the fake MMSC received.
type clientExchange struct {
	Header           http.Header
	ContentLength    int64
	TransferEncoding []string
	Msg              *mm7.Message
	Parts            []clientPart
}

// clientMMSC is a fake MMSC: it decodes every request with mm7.Decoder,
// records it and lets answer reply.
type clientMMSC struct {
	URL  string
	srv  *httptest.Server
	mu   sync.Mutex
	seen []clientExchange
}

type clientAnswer func(w http.ResponseWriter, ex *clientExchange, n int)

// newClientMMSC starts a fake MMSC on loopback.
func newClientMMSC(t testing.TB, answer clientAnswer) *clientMMSC {
	m := &clientMMSC{}
	m.srv = httptest.NewServer(m.handler(t, answer))
	m.URL = m.srv.URL + "/mm7"
	t.Cleanup(m.srv.Close)
	return m
}

// handler decodes a request and calls answer with the number of requests
// seen so far, this one included.
func (m *clientMMSC) handler(t testing.TB, answer clientAnswer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ex := clientExchange{Header: r.Header.Clone(), ContentLength: r.ContentLength, TransferEncoding: r.TransferEncoding}
		dec, err := mm7.NewDecoder(r.Body, r.Header.Get("Content-Type"), mm7.DecodeOptions{Strict: true})
		if assert.NoError(t, err) {
			ex.Msg, err = dec.Message()
			assert.NoError(t, err, "the client's request must pass strict decoding")
			for err == nil {
				var a *mm7.Attachment
				if a, err = dec.NextAttachment(); err == nil {
					data, rerr := io.ReadAll(a.Body)
					assert.NoError(t, rerr)
					ex.Parts = append(ex.Parts, clientPart{ContentType: a.ContentType, Data: data, Depth: a.Depth, Container: a.Container})
				}
			}
			assert.ErrorIs(t, err, io.EOF)
		}
		m.mu.Lock()
		m.seen = append(m.seen, ex)
		n := len(m.seen)
		m.mu.Unlock()
		if ex.Msg == nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		answer(w, &ex, n)
	})
}

func (m *clientMMSC) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.seen)
}

func (m *clientMMSC) exchange(i int) clientExchange {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.seen[i]
}

// clientWrite encodes msg as the HTTP response.
func clientWrite(w http.ResponseWriter, msg *mm7.Message, status int) {
	enc, err := mm7.NewEncoder(msg, nil, mm7.EncodeOptions{})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", enc.ContentType())
	w.WriteHeader(status)
	enc.WriteTo(w) //nolint:errcheck
}

// clientReply answers with the response to the request, with code and,
// for a SubmitRsp, MessageID "msg-<n>".
func clientReply(w http.ResponseWriter, ex *clientExchange, n int, code mm7.StatusCode) {
	rsp, err := mm7.NewResponse(ex.Msg, code, "")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	switch b := rsp.Body.(type) {
	case *rel6.SubmitRsp:
		b.MessageID = fmt.Sprintf("msg-%d", n)
	case *rel5.SubmitRsp:
		b.MessageID = fmt.Sprintf("msg-%d", n)
	}
	clientWrite(w, rsp, http.StatusOK)
}

func clientSuccess(w http.ResponseWriter, ex *clientExchange, n int) {
	clientReply(w, ex, n, mm7.StatusSuccess)
}

// clientSubmitReq is a REL-6 SubmitReq to one recipient.
func clientSubmitReq() *rel6.SubmitReq {
	return &rel6.SubmitReq{
		SenderIdentification: rel6.SenderID{SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}},
		Recipients:           rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}},
		Subject:              new("Your January coupon"),
		DeliveryReport:       new(true),
	}
}

func clientImage(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>9)
	}
	return b
}

// clientHandlerTransport serves requests in memory with h, so that tests
// run inside a testing/synctest bubble.
type clientHandlerTransport struct{ h http.Handler }

func (t clientHandlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.RequestURI = req.URL.RequestURI()
	r.Body = req.Body
	if r.Body == nil {
		r.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	r.Body.Close()
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

var hex16 = regexp.MustCompile(`^[0-9a-f]{16}$`)

func TestClientSubmit(t *testing.T) {
	t.Parallel()
	text := "Show this at the till for 20% off."
	dir := t.TempDir()
	tests := []struct {
		name string
		img  int
		body func(img []byte) io.Reader
	}{
		{"small body held in memory", 2 << 10, func(img []byte) io.Reader { return bytes.NewReader(img) }},
		{"large body streamed", 900 << 10, func(img []byte) io.Reader { return bytes.NewReader(img) }},
		{"unseekable body buffered for replay", 100 << 10, func(img []byte) io.Reader { return io.MultiReader(bytes.NewReader(img)) }},
		{"file sized by seeking", 900 << 10, func(img []byte) io.Reader {
			path := filepath.Join(dir, "img.jpg")
			require.NoError(t, os.WriteFile(path, img, 0o600))
			f, err := os.Open(path)
			require.NoError(t, err)
			t.Cleanup(func() { f.Close() })
			return f
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := clientImage(tt.img)
			mmsc := newClientMMSC(t, func(w http.ResponseWriter, ex *clientExchange, n int) {
				user, pass, ok := ex.basicAuth()
				if !ok || user != "vasp" || pass != "s3cret" {
					http.Error(w, "unauthorized", http.StatusUnauthorized)
					return
				}
				clientSuccess(w, ex, n)
			})
			c, err := mm7.NewClient(mmsc.URL, mm7.WithBasicAuth("vasp", "s3cret"), mm7.WithVASPID("vaspid-1", "vasid-1"))
			require.NoError(t, err)
			req := clientSubmitReq()
			res, err := c.Submit(t.Context(), req, []mm7.Attachment{
				{ContentType: "text/plain", Body: strings.NewReader(text)},
				{ContentType: "image/jpeg", Body: tt.body(img)},
			})
			require.NoError(t, err)

			assert.Equal(t, "msg-1", res.MessageID)
			assert.Equal(t, mm7.StatusSuccess, res.Status)
			assert.Equal(t, "Success", res.StatusText)
			assert.Equal(t, mm7.Rel6, res.Version)
			assert.Equal(t, "SubmitRsp", res.Kind)
			assert.Equal(t, 1, res.Attempts)
			assert.Equal(t, http.StatusOK, res.HTTPStatus)
			assert.False(t, res.Negotiated)
			assert.Empty(t, res.Losses)
			assert.Regexp(t, hex16, res.TransactionID)
			assert.Nil(t, req.SenderIdentification.VASPID, "the caller's request is not modified")

			require.Equal(t, 1, mmsc.count())
			ex := mmsc.exchange(0)
			assert.Equal(t, []string{`""`}, ex.Header["Soapaction"])
			assert.Positive(t, ex.ContentLength, "Content-Length is sent when sizes are known")
			assert.Empty(t, ex.TransferEncoding, "not chunked")
			assert.Equal(t, "mm7go", ex.Header.Get("User-Agent"))
			assert.Equal(t, res.TransactionID, ex.Msg.TransactionID)
			got, ok := ex.Msg.Body.(*rel6.SubmitReq)
			require.True(t, ok, "%T", ex.Msg.Body)
			assert.Equal(t, "6.8.0", string(got.MM7Version))
			assert.Equal(t, "vaspid-1", *got.SenderIdentification.VASPID)
			assert.Equal(t, "vasid-1", *got.SenderIdentification.VASID)
			assert.Equal(t, "12345", got.SenderIdentification.SenderAddress.ShortCode.Value)
			assert.Equal(t, "15555550123", got.Recipients.To[0].Number[0].Value)
			assert.Equal(t, "Your January coupon", *got.Subject)
			require.Len(t, ex.Parts, 2)
			assert.Equal(t, []byte(text), ex.Parts[0].Data)
			assert.Equal(t, img, ex.Parts[1].Data)
		})
	}
}

func (ex *clientExchange) basicAuth() (user, pass string, ok bool) {
	r := &http.Request{Header: ex.Header}
	return r.BasicAuth()
}

func TestClientCancelReplace(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, clientSuccess)
	c, err := mm7.NewClient(mmsc.URL, func(o *mm7.Options) { o.Versions = []mm7.Version{mm7.Rel5} })
	require.NoError(t, err)

	res, err := c.Cancel(t.Context(), &rel6.CancelReq{MessageID: "msg-41"}, mm7.WithTransactionID("cancel-1"))
	require.NoError(t, err)
	assert.Equal(t, "CancelRsp", res.Kind)
	assert.Equal(t, "cancel-1", res.TransactionID)
	assert.Equal(t, mm7.StatusSuccess, res.Status)
	assert.Equal(t, mm7.Rel5, res.Version)
	cancel, ok := mmsc.exchange(0).Msg.Body.(*rel5.CancelReq)
	require.True(t, ok, "a rel6 request is converted to the configured version, %T", mmsc.exchange(0).Msg.Body)
	assert.Equal(t, "msg-41", cancel.MessageID)
	assert.Equal(t, "5.3.0", string(cancel.MM7Version))

	img := clientImage(1000)
	res, err = c.Replace(t.Context(), &rel5.ReplaceReq{MessageID: "msg-41"},
		[]mm7.Attachment{{ContentType: "image/png", Body: bytes.NewReader(img)}})
	require.NoError(t, err)
	assert.Equal(t, "ReplaceRsp", res.Kind)
	assert.Equal(t, mm7.StatusSuccess, res.Status)
	ex := mmsc.exchange(1)
	replace, ok := ex.Msg.Body.(*rel5.ReplaceReq)
	require.True(t, ok, "%T", ex.Msg.Body)
	assert.Equal(t, "msg-41", replace.MessageID)
	require.Len(t, ex.Parts, 1)
	assert.Equal(t, img, ex.Parts[0].Data)

	_, err = c.Cancel(t.Context(), &rel6.ExtendedCancelReq{CancelID: "msg-41"})
	var nc *convert.NoCounterpartError
	require.ErrorAs(t, err, &nc, "REL-5 has no extendedCancelReq")
	assert.Equal(t, 2, mmsc.count())
}

func TestClientDo(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, clientSuccess)
	c, err := mm7.NewClient(mmsc.URL)
	require.NoError(t, err)
	dlr := &rel6.DeliveryReportReq{
		MessageID: "msg-7",
		Recipient: rel6.Address{Number: &rel6.Number{Value: "15555550123"}},
		Sender:    rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}},
		MMStatus:  rel6.MMDeliveryStatusRetrieved,
	}
	require.NoError(t, dlr.Date.UnmarshalText([]byte("2026-01-02T03:04:05Z")))
	res, err := c.Do(t.Context(), dlr, nil)
	require.NoError(t, err)
	assert.Equal(t, "DeliveryReportRsp", res.Kind)
	assert.Equal(t, mm7.StatusSuccess, res.Status)
	assert.Empty(t, res.MessageID)
	assert.IsType(t, &rel6.DeliveryReportRsp{}, res.Response.Body)
	got, ok := mmsc.exchange(0).Msg.Body.(*rel6.DeliveryReportReq)
	require.True(t, ok)
	assert.Equal(t, rel6.MMDeliveryStatusRetrieved, got.MMStatus)
}

func TestClientRejectsWrongRequests(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, clientSuccess)
	c, err := mm7.NewClient(mmsc.URL)
	require.NoError(t, err)
	ctx := t.Context()
	tests := []struct {
		name string
		call func() error
	}{
		{"submit of a cancel", func() error { _, err := c.Submit(ctx, &rel6.CancelReq{}, nil); return err }},
		{"do of a response", func() error { _, err := c.Do(ctx, &rel6.SubmitRsp{}, nil); return err }},
		{"nil request", func() error { _, err := c.Do(ctx, nil, nil); return err }},
		{"nil pointer", func() error { _, err := c.Submit(ctx, (*rel6.SubmitReq)(nil), nil); return err }},
		{"not a generated type", func() error { _, err := c.Do(ctx, &struct{ A int }{}, nil); return err }},
		{"content href without attachment", func() error {
			req := clientSubmitReq()
			req.Content = &rel6.ContentReference{Href: "cid:x"}
			_, err := c.Submit(ctx, req, nil)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "mm7: "), err.Error())
		})
	}
	assert.Equal(t, 0, mmsc.count())
}

func TestNewClientErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, endpoint string
		opt            func(*mm7.Options)
	}{
		{"relative URL", "/mm7", nil},
		{"not http", "ftp://mmsc/mm7", nil},
		{"unparsable", "http://[::1", nil},
		{"zero version", "http://mmsc/mm7", func(o *mm7.Options) { o.Versions = []mm7.Version{{}} }},
		{"colon in username", "http://mmsc/mm7", mm7.WithBasicAuth("a:b", "pw")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mm7.NewClient(tt.endpoint, tt.opt)
			require.Error(t, err)
		})
	}
}

// rel5Only answers like an MMSC that speaks REL-5-MM7-1-2 only.
func rel5Only(reject func(w http.ResponseWriter, ex *clientExchange)) clientAnswer {
	return func(w http.ResponseWriter, ex *clientExchange, n int) {
		if ex.Msg.Version.Release != 5 {
			reject(w, ex)
			return
		}
		clientSuccess(w, ex, n)
	}
}

func TestClientNegotiation(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, rel5Only(func(w http.ResponseWriter, ex *clientExchange) {
		clientWrite(w, mm7.NewFault(ex.Msg, mm7.StatusUnsupportedVersion, ""), http.StatusInternalServerError)
	}))
	var logs bytes.Buffer
	c, err := mm7.NewClient(mmsc.URL, func(o *mm7.Options) { o.Logger = clientLogger(&logs) })
	require.NoError(t, err)
	assert.Equal(t, mm7.Rel6, c.Version())

	req := clientSubmitReq()
	req.ApplicID = new("com.example.app") // REL-6 only: lost in REL-5
	res, err := c.Submit(t.Context(), req, []mm7.Attachment{{ContentType: "text/plain", Body: strings.NewReader("hi")}})
	require.NoError(t, err)
	assert.True(t, res.Negotiated)
	assert.Equal(t, mm7.Rel5, res.Version)
	assert.Equal(t, 2, res.Attempts)
	assert.Equal(t, []convert.Loss{{Path: "SubmitReq.ApplicID", Reason: "no such element in REL-5-MM7-1-2"}}, res.Losses)
	assert.Equal(t, "msg-2", res.MessageID)
	assert.Equal(t, 2, mmsc.count(), "REL-6 rejected, then REL-5")
	assert.Equal(t, mm7.Rel6, mmsc.exchange(0).Msg.Version)
	assert.Equal(t, res.TransactionID, mmsc.exchange(1).Msg.TransactionID)
	assert.Equal(t, []byte("hi"), mmsc.exchange(1).Parts[0].Data, "the attachment is sent again")
	assert.Equal(t, mm7.Rel5, c.Version(), "the client remembers")
	assert.Contains(t, logs.String(), "next_version=REL-5-MM7-1-2")

	res, err = c.Submit(t.Context(), clientSubmitReq(), nil)
	require.NoError(t, err)
	assert.False(t, res.Negotiated)
	assert.Equal(t, mm7.Rel5, res.Version)
	assert.Equal(t, 3, mmsc.count(), "the second call goes straight to REL-5")

	// Concurrent calls share what was learnt.
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			res, err := c.Submit(context.Background(), clientSubmitReq(), nil)
			if assert.NoError(t, err) {
				assert.False(t, res.Negotiated)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 11, mmsc.count())
}

func TestClientNegotiationTriggers(t *testing.T) {
	t.Parallel()
	faultNoStatus := func(s string) func(w http.ResponseWriter, ex *clientExchange) {
		return func(w http.ResponseWriter, ex *clientExchange) {
			clientWrite(w, &mm7.Message{TransactionID: ex.Msg.TransactionID, Version: mm7.Rel6,
				Body: &mm7.Fault{Code: "Client", String: s}}, http.StatusInternalServerError)
		}
	}
	status := func(code mm7.StatusCode) func(w http.ResponseWriter, ex *clientExchange) {
		return func(w http.ResponseWriter, ex *clientExchange) { clientReply(w, ex, 0, code) }
	}
	fault := func(code mm7.StatusCode) func(w http.ResponseWriter, ex *clientExchange) {
		return func(w http.ResponseWriter, ex *clientExchange) {
			clientWrite(w, mm7.NewFault(ex.Msg, code, ""), http.StatusInternalServerError)
		}
	}
	tests := []struct {
		name      string
		reject    func(w http.ResponseWriter, ex *clientExchange)
		negotiate bool
		wantCode  mm7.StatusCode // of the error when not negotiated
	}{
		{"4002 in a fault", fault(mm7.StatusUnsupportedVersion), true, 0},
		{"4004 in a fault", fault(mm7.StatusValidationError), true, 0},
		{"4002 in a SubmitRsp", status(mm7.StatusUnsupportedVersion), true, 0},
		{"fault naming the namespace", faultNoStatus("Unknown namespace http://www.3gpp.org/.../REL-6-MM7-1-4"), true, 0},
		{"fault naming the version", faultNoStatus("MM7Version 6.8.0 not supported"), true, 0},
		{"4004 in a SubmitRsp", status(mm7.StatusValidationError), false, mm7.StatusValidationError},
		{"2002 in a fault", fault(mm7.StatusAddressError), false, mm7.StatusAddressError},
		{"other fault without status", faultNoStatus("Internal error"), false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mmsc := newClientMMSC(t, rel5Only(tt.reject))
			c, err := mm7.NewClient(mmsc.URL)
			require.NoError(t, err)
			res, err := c.Submit(t.Context(), clientSubmitReq(), nil)
			if tt.negotiate {
				require.NoError(t, err)
				assert.True(t, res.Negotiated)
				assert.Equal(t, 2, mmsc.count())
				return
			}
			require.Error(t, err)
			assert.Equal(t, 1, mmsc.count())
			assert.False(t, res.Negotiated)
			if tt.wantCode != 0 {
				se, ok := errors.AsType[*mm7.StatusError](err)
				require.True(t, ok, "%v", err)
				assert.Equal(t, tt.wantCode, se.Code)
			}
		})
	}
}

func TestClientNegotiationFailsToo(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, func(w http.ResponseWriter, ex *clientExchange, _ int) {
		clientWrite(w, mm7.NewFault(ex.Msg, mm7.StatusUnsupportedVersion, ""), http.StatusInternalServerError)
	})
	c, err := mm7.NewClient(mmsc.URL)
	require.NoError(t, err)
	res, err := c.Submit(t.Context(), clientSubmitReq(), nil)
	require.ErrorIs(t, err, &mm7.StatusError{Code: mm7.StatusUnsupportedVersion})
	assert.Equal(t, 2, mmsc.count(), "one other version is tried, once")
	assert.True(t, res.Negotiated)
	assert.Equal(t, mm7.Rel6, c.Version(), "nothing learnt from failures")
}

func TestClientErrors(t *testing.T) {
	t.Parallel()
	raw := func(status int, ct, body string) clientAnswer {
		return func(w http.ResponseWriter, _ *clientExchange, _ int) {
			if ct != "" {
				w.Header().Set("Content-Type", ct)
			}
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
	}
	tests := []struct {
		name   string
		answer clientAnswer
		check  func(t *testing.T, res *mm7.Result, err error)
	}{
		{"401 without MM7 body", raw(http.StatusUnauthorized, "text/html", "<html><body>Unauthorized</body></html>"),
			func(t *testing.T, res *mm7.Result, err error) {
				he, ok := errors.AsType[*mm7.HTTPError](err)
				require.True(t, ok, "%v", err)
				assert.Equal(t, http.StatusUnauthorized, he.StatusCode)
				assert.Contains(t, string(he.Body), "Unauthorized")
				assert.Equal(t, http.StatusUnauthorized, res.HTTPStatus)
			}},
		{"fault with HTTP 500", func(w http.ResponseWriter, ex *clientExchange, _ int) {
			clientWrite(w, mm7.NewFault(ex.Msg, mm7.StatusAddressError, "no such subscriber"), http.StatusInternalServerError)
		}, func(t *testing.T, res *mm7.Result, err error) {
			fe, ok := errors.AsType[*mm7.FaultError](err)
			require.True(t, ok, "%v", err)
			require.NotNil(t, fe.Status)
			assert.Equal(t, mm7.StatusAddressError, fe.Status.Code)
			assert.Equal(t, http.StatusInternalServerError, fe.HTTPStatus)
			assert.ErrorIs(t, err, &mm7.StatusError{Code: mm7.StatusAddressError})
			assert.Equal(t, mm7.StatusAddressError, res.Status)
			assert.Equal(t, "no such subscriber", res.StatusText)
		}},
		{"fault with HTTP 200", func(w http.ResponseWriter, ex *clientExchange, _ int) {
			clientWrite(w, mm7.NewFault(ex.Msg, mm7.StatusServiceDenied, ""), http.StatusOK)
		}, func(t *testing.T, _ *mm7.Result, err error) {
			fe, ok := errors.AsType[*mm7.FaultError](err)
			require.True(t, ok, "%v", err)
			require.NotNil(t, fe.Status)
			assert.Equal(t, mm7.StatusServiceDenied, fe.Status.Code)
			assert.Equal(t, http.StatusOK, fe.HTTPStatus)
		}},
		{"SubmitRsp 2002 in HTTP 200", func(w http.ResponseWriter, ex *clientExchange, n int) {
			clientReply(w, ex, n, mm7.StatusAddressError)
		}, func(t *testing.T, res *mm7.Result, err error) {
			se, ok := errors.AsType[*mm7.StatusError](err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, mm7.StatusAddressError, se.Code)
			assert.Equal(t, "REL-6-MM7-1-4", se.Version)
			_, isFault := errors.AsType[*mm7.FaultError](err)
			assert.False(t, isFault)
			assert.Equal(t, mm7.StatusAddressError, res.Status)
		}},
		{"partial success is no error", func(w http.ResponseWriter, ex *clientExchange, n int) {
			clientReply(w, ex, n, mm7.StatusPartialSuccess)
		}, func(t *testing.T, res *mm7.Result, err error) {
			require.NoError(t, err)
			assert.Equal(t, mm7.StatusPartialSuccess, res.Status)
		}},
		{"empty 200", raw(http.StatusOK, "", ""), func(t *testing.T, _ *mm7.Result, err error) {
			require.ErrorIs(t, err, mm7.ErrNoResponse)
			assert.Contains(t, err.Error(), "no MM7 response")
		}},
		{"empty 500", raw(http.StatusInternalServerError, "text/xml", "  \r\n"), func(t *testing.T, _ *mm7.Result, err error) {
			he, ok := errors.AsType[*mm7.HTTPError](err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, http.StatusInternalServerError, he.StatusCode)
		}},
		{"XML that is no envelope in a 502", raw(http.StatusBadGateway, "text/xml", "<error>upstream down</error>"),
			func(t *testing.T, _ *mm7.Result, err error) {
				he, ok := errors.AsType[*mm7.HTTPError](err)
				require.True(t, ok, "%v", err)
				assert.Equal(t, http.StatusBadGateway, he.StatusCode)
				assert.Contains(t, he.Error(), "upstream down")
			}},
		{"broken XML in a 200", raw(http.StatusOK, "text/xml", "<env:Envelope"), func(t *testing.T, _ *mm7.Result, err error) {
			require.Error(t, err)
			assert.Contains(t, err.Error(), "mm7: decode")
			assert.Contains(t, err.Error(), "HTTP 200")
		}},
		{"envelope labelled text/plain", func(w http.ResponseWriter, ex *clientExchange, n int) {
			rsp, _ := mm7.NewResponse(ex.Msg, mm7.StatusSuccess, "")
			rsp.Body.(*rel6.SubmitRsp).MessageID = "m-plain"
			var buf bytes.Buffer
			_, err := mm7.Encode(&buf, rsp)
			assert.NoError(t, err)
			w.Header().Set("Content-Type", "text/plain")
			w.Write(buf.Bytes())
		}, func(t *testing.T, res *mm7.Result, err error) {
			require.NoError(t, err)
			assert.Equal(t, "m-plain", res.MessageID)
			assert.NotEmpty(t, res.Response.Deviations)
		}},
		{"response of another kind", func(w http.ResponseWriter, ex *clientExchange, _ int) {
			other := *ex.Msg
			other.Body = &rel6.CancelReq{}
			rsp, _ := mm7.NewResponse(&other, mm7.StatusSuccess, "")
			clientWrite(w, rsp, http.StatusOK)
		}, func(t *testing.T, _ *mm7.Result, err error) {
			require.Error(t, err)
			assert.Contains(t, err.Error(), "CancelRsp")
		}},
		{"RSErrorRsp without fault", func(w http.ResponseWriter, ex *clientExchange, _ int) {
			f := mm7.NewFault(ex.Msg, mm7.StatusMessageFormatCorrupt, "")
			clientWrite(w, &mm7.Message{TransactionID: f.TransactionID, Version: f.Version, Body: f.Body.(*mm7.Fault).Detail}, http.StatusOK)
		}, func(t *testing.T, _ *mm7.Result, err error) {
			require.ErrorIs(t, err, &mm7.StatusError{Code: mm7.StatusMessageFormatCorrupt})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mmsc := newClientMMSC(t, tt.answer)
			c, err := mm7.NewClient(mmsc.URL, func(o *mm7.Options) { o.Versions = []mm7.Version{mm7.Rel6} })
			require.NoError(t, err)
			res, err := c.Submit(t.Context(), clientSubmitReq(), nil)
			require.NotNil(t, res)
			tt.check(t, res, err)
			assert.Equal(t, 1, mmsc.count())
		})
	}
}

func TestClientBodyLimit(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, clientSuccess)
	c, err := mm7.NewClient(mmsc.URL, func(o *mm7.Options) {
		o.Profile = mm7.Profile{Name: "tiny", Limits: mm7.Limits{MaxBodyBytes: 10_000}}
	})
	require.NoError(t, err)
	for _, size := range []int{20 << 10, 900 << 10} { // held in memory, streamed
		_, err = c.Submit(t.Context(), clientSubmitReq(), []mm7.Attachment{{ContentType: "image/gif", Body: bytes.NewReader(clientImage(size))}})
		le, ok := errors.AsType[*mm7.LimitError](err)
		require.True(t, ok, "%v", err)
		assert.Greater(t, le.Got, int64(size), "the exact encoded size")
		assert.Equal(t, "tiny", le.Profile)
	}
	_, err = c.Submit(t.Context(), clientSubmitReq(), []mm7.Attachment{{ContentType: "text/plain", Body: strings.NewReader("fits")}})
	require.NoError(t, err)
	assert.Equal(t, 1, mmsc.count())
}

func TestClientTransactionMismatch(t *testing.T) {
	t.Parallel()
	for _, fault := range []bool{false, true} {
		t.Run(fmt.Sprintf("fault=%v", fault), func(t *testing.T) {
			mmsc := newClientMMSC(t, func(w http.ResponseWriter, ex *clientExchange, n int) {
				other := *ex.Msg
				other.TransactionID = "someone-else"
				if fault {
					clientWrite(w, mm7.NewFault(&other, mm7.StatusServerError, ""), http.StatusInternalServerError)
					return
				}
				rsp, _ := mm7.NewResponse(&other, mm7.StatusSuccess, "")
				clientWrite(w, rsp, http.StatusOK)
			})
			c, err := mm7.NewClient(mmsc.URL, func(o *mm7.Options) {
				o.Retry = mm7.RetryPolicy{MaxAttempts: 3, Backoff: mm7.Backoff{Base: time.Millisecond}}
			})
			require.NoError(t, err)
			_, err = c.Submit(t.Context(), clientSubmitReq(), nil, mm7.WithTransactionID(" tx-1 "))
			require.ErrorIs(t, err, mm7.ErrTransactionIDMismatch)
			tm, ok := errors.AsType[*mm7.TransactionMismatchError](err)
			require.True(t, ok)
			assert.Equal(t, mm7.TransactionMismatchError{Sent: "tx-1", Received: "someone-else"}, *tm)
			assert.Equal(t, 1, mmsc.count(), "neither negotiated nor retried")
		})
	}
}

func TestClientExtraHeaders(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, clientSuccess)
	c, err := mm7.NewClient(mmsc.URL, func(o *mm7.Options) { o.UserAgent = "vasp/1.0" })
	require.NoError(t, err)
	_, err = c.Submit(t.Context(), clientSubmitReq(), nil,
		mm7.WithHeader("X-Trace", "abc"), mm7.WithHeader("Content-Type", "text/plain"), nil)
	require.NoError(t, err)
	h := mmsc.exchange(0).Header
	assert.Equal(t, "abc", h.Get("X-Trace"))
	assert.Equal(t, "vasp/1.0", h.Get("User-Agent"))
	assert.True(t, strings.HasPrefix(h.Get("Content-Type"), "text/xml"), "the encoder's Content-Type wins")
}

func TestClientRedirects(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, clientSuccess)
	redirect := func(code int, to string) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			http.Redirect(w, r, to, code)
		}))
		t.Cleanup(s.Close)
		return s
	}
	t.Run("307 on the same host is followed with the body", func(t *testing.T) {
		// A same-host target: a handler on the redirecting server itself.
		var srv *httptest.Server
		var hits atomic.Int32
		mux := http.NewServeMux()
		mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
			// The body is not read: the client abandons the streamed copy.
			http.Redirect(w, r, srv.URL+"/new", http.StatusTemporaryRedirect)
		})
		mux.Handle("/new", (&clientMMSC{}).handler(t, func(w http.ResponseWriter, ex *clientExchange, n int) {
			hits.Add(1)
			clientSuccess(w, ex, n)
		}))
		srv = httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		c, err := mm7.NewClient(srv.URL+"/old", mm7.WithBasicAuth("u", "p"))
		require.NoError(t, err)
		_, err = c.Submit(t.Context(), clientSubmitReq(), []mm7.Attachment{{ContentType: "image/gif", Body: bytes.NewReader(clientImage(900 << 10))}})
		require.NoError(t, err)
		assert.Equal(t, int32(1), hits.Load())
	})
	t.Run("302 turning the POST into a GET is not followed", func(t *testing.T) {
		c, err := mm7.NewClient(redirect(http.StatusFound, mmsc.URL).URL)
		require.NoError(t, err)
		_, err = c.Submit(t.Context(), clientSubmitReq(), nil)
		he, ok := errors.AsType[*mm7.HTTPError](err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, http.StatusFound, he.StatusCode)
	})
	t.Run("307 to another host is not followed", func(t *testing.T) {
		c, err := mm7.NewClient(redirect(http.StatusTemporaryRedirect, strings.Replace(mmsc.URL, "127.0.0.1", "localhost", 1)).URL,
			mm7.WithBasicAuth("u", "p"))
		require.NoError(t, err)
		_, err = c.Submit(t.Context(), clientSubmitReq(), nil)
		he, ok := errors.AsType[*mm7.HTTPError](err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, http.StatusTemporaryRedirect, he.StatusCode)
	})
	assert.Equal(t, 0, mmsc.count())
}

func TestClientSlowServer(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	c, err := mm7.NewClient(srv.URL, func(o *mm7.Options) {
		o.Retry = mm7.RetryPolicy{MaxAttempts: 5, Backoff: mm7.Backoff{Base: time.Millisecond}}
	})
	require.NoError(t, err)

	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		res, err := c.Submit(ctx, clientSubmitReq(), nil)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 5*time.Second)
		assert.Equal(t, 1, res.Attempts, "a request that was written is not retried")
	})
	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, err := c.Submit(ctx, clientSubmitReq(), []mm7.Attachment{{ContentType: "text/plain", Body: strings.NewReader("x")}})
		require.ErrorIs(t, err, context.Canceled)
	})
}

// clientLogger logs everything as text into buf.
func clientLogger(buf *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(&lockedWriter{w: buf}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestClientLogs(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, clientSuccess)
	var logs bytes.Buffer
	c, err := mm7.NewClient(mmsc.URL, func(o *mm7.Options) {
		o.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) // Info
	})
	require.NoError(t, err)
	res, err := c.Submit(t.Context(), clientSubmitReq(), []mm7.Attachment{{ContentType: "text/plain", Body: strings.NewReader("secret coupon text")}})
	require.NoError(t, err)
	line := logs.String()
	for _, want := range []string{`"transaction_id":"` + res.TransactionID + `"`, `"message_id":"msg-1"`,
		`"version":"REL-6-MM7-1-4"`, `"status_code":1000`, `"kind":"SubmitReq"`} {
		assert.Contains(t, line, want)
	}
	assert.NotContains(t, line, "secret coupon text", "no message content at info level")
	assert.NotContains(t, line, "Your January coupon")
}

func TestClientCredentialsNeverShown(t *testing.T) {
	t.Parallel()
	const user, pass = "vasp-user", "hunter2-PASSWORD"
	secrets := []string{pass, "aHVudGVyMi1QQVNTV09SRA", "dmFzcC11c2VyOmh1bnRlcjItUEFTU1dPUkQ"} // and base64 of it and of user:pass
	noSecret := func(t *testing.T, what, s string) {
		t.Helper()
		for _, sec := range secrets {
			assert.NotContains(t, s, sec, what)
		}
	}

	mmsc := newClientMMSC(t, func(w http.ResponseWriter, _ *clientExchange, _ int) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, "<html>bad credentials</html>")
	})
	var logs bytes.Buffer
	opts := mm7.Options{Username: user, Password: pass, Logger: clientLogger(&logs),
		Retry: mm7.RetryPolicy{MaxAttempts: 2, Backoff: mm7.Backoff{Base: time.Millisecond}}}
	c, err := mm7.NewClient(mmsc.URL, func(o *mm7.Options) { *o = opts })
	require.NoError(t, err)
	auth := &mm7.BasicAuth{Username: user, Password: pass}

	for _, v := range []any{opts, &opts, c, auth, *auth, auth.Password} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			noSecret(t, verb, fmt.Sprintf(verb, v))
		}
		for _, h := range []slog.Handler{slog.NewTextHandler(&logs, nil), slog.NewJSONHandler(&logs, nil)} {
			slog.New(h).Info("config", "value", v)
		}
	}

	_, err = c.Submit(t.Context(), clientSubmitReq(), nil)
	he, ok := errors.AsType[*mm7.HTTPError](err)
	require.True(t, ok, "%v", err)
	noSecret(t, "HTTPError", err.Error())
	assert.Equal(t, http.StatusUnauthorized, he.StatusCode)

	// Errors of other kinds: a dial error, a limit.
	c2, err := mm7.NewClient("http://"+pass+":"+pass+"@127.0.0.1:1/mm7", func(o *mm7.Options) {
		*o = opts
		o.Profile = mm7.ProfileVibes
	})
	require.NoError(t, err)
	noSecret(t, "endpoint", c2.Endpoint())
	noSecret(t, "client", fmt.Sprintf("%+v %#v", c2, c2))
	_, err = c2.Submit(t.Context(), clientSubmitReq(), nil)
	require.Error(t, err)
	noSecret(t, "dial error", err.Error())
	twice := clientSubmitReq()
	twice.Recipients.To = append(twice.Recipients.To, twice.Recipients.To...)
	_, err = c2.Submit(t.Context(), twice, nil)
	require.Error(t, err)
	noSecret(t, "limit error", err.Error())

	_, err = mm7.NewClient("http://u:"+pass+"@[::1", nil)
	require.Error(t, err)
	noSecret(t, "NewClient error", err.Error())

	assert.NotEmpty(t, logs.String())
	noSecret(t, "logs", logs.String())
}

// BenchmarkClientSubmit compares a Submit round trip (text + 50 KB image)
// through mm7.Client with a raw net/http POST of the same pre-encoded
// bytes to the same loopback server.
func BenchmarkClientSubmit(b *testing.B) {
	img := clientImage(50 << 10)
	text := "Show this at the till for 20% off."
	atts := func() []mm7.Attachment {
		return []mm7.Attachment{
			{ContentType: "text/plain", Body: strings.NewReader(text)},
			{ContentType: "image/jpeg", Body: bytes.NewReader(img)},
		}
	}
	const txID = "bench-tx-0000001"
	rspMsg, err := mm7.NewResponse(&mm7.Message{TransactionID: txID, Version: mm7.Rel6, Body: &rel6.SubmitReq{}}, mm7.StatusSuccess, "")
	require.NoError(b, err)
	rspMsg.Body.(*rel6.SubmitRsp).MessageID = "msg-1"
	var rsp bytes.Buffer
	rspCT, err := mm7.Encode(&rsp, rspMsg)
	require.NoError(b, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", rspCT)
		w.Write(rsp.Bytes())
	}))
	b.Cleanup(srv.Close)

	enc, err := mm7.NewEncoder(&mm7.Message{TransactionID: txID, Version: mm7.Rel6, Body: clientSubmitReq()}, atts(), mm7.EncodeOptions{})
	require.NoError(b, err)
	var body bytes.Buffer
	_, err = enc.WriteTo(&body)
	require.NoError(b, err)
	reqCT := enc.ContentType()

	hc := srv.Client()
	c, err := mm7.NewClient(srv.URL, func(o *mm7.Options) {
		o.HTTPClient = hc
		o.Versions = []mm7.Version{mm7.Rel6}
	})
	require.NoError(b, err)
	impls := []struct {
		name string
		do   func(ctx context.Context) error
	}{
		{"mm7", func(ctx context.Context) error {
			res, err := c.Submit(ctx, clientSubmitReq(), atts(), mm7.WithTransactionID(txID))
			if err == nil && res.MessageID != "msg-1" {
				err = fmt.Errorf("MessageID %q", res.MessageID)
			}
			return err
		}},
		{"raw", func(ctx context.Context) error {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, bytes.NewReader(body.Bytes()))
			if err != nil {
				return err
			}
			req.Header.Set("Content-Type", reqCT)
			req.Header["SOAPAction"] = []string{`""`}
			resp, err := hc.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			_, err = io.Copy(io.Discard, resp.Body)
			return err
		}},
	}
	for _, impl := range impls {
		b.Run("impl="+impl.name, func(b *testing.B) {
			b.SetBytes(int64(body.Len()))
			b.ReportAllocs()
			ctx := b.Context()
			for b.Loop() {
				if err := impl.do(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// clientDialFailing fails the first n dials with connection refused.
func clientDialFailing(n int32) *http.Transport {
	var calls atomic.Int32
	tr := http.DefaultTransport.(*http.Transport).Clone()
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if calls.Add(1) <= n {
			return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connect: connection refused")}
		}
		return d.DialContext(ctx, network, addr)
	}
	return tr
}
