package mm7_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

// rawMMSC answers every request with the given status, headers and body
// (whose TransactionID is "tx-r": submitOnce sends that one).
func rawMMSC(t *testing.T, status int, header map[string]string, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		w.Write([]byte(body)) //nolint:errcheck // the client may stop reading
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

const (
	envOpen  = `<?xml version="1.0"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header><mm7:TransactionID xmlns:mm7="%NS%" env:mustUnderstand="1">tx-r</mm7:TransactionID></env:Header><env:Body>`
	envClose = `</env:Body></env:Envelope>`
	ns50     = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-5-MM7-1-0"
	ns64     = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"
)

func envelope(ns, body string) string {
	return strings.ReplaceAll(envOpen, "%NS%", ns) + body + envClose
}

func submitOnce(t *testing.T, url string, opts ...func(*mm7.Options)) (*mm7.Result, error) {
	t.Helper()
	c, err := mm7.NewClient(url, append([]func(*mm7.Options){func(o *mm7.Options) { o.Versions = []mm7.Version{mm7.Rel6} }}, opts...)...)
	require.NoError(t, err)
	return c.Submit(t.Context(), clientSubmitReq(), nil, mm7.WithTransactionID("tx-r"))
}

func TestResultAnswerFacts(t *testing.T) {
	t.Parallel()
	xml := map[string]string{"Content-Type": "text/xml; charset=utf-8"}

	t.Run("older namespace of the release, unqualified children", func(t *testing.T) {
		t.Parallel()
		url := rawMMSC(t, 200, xml, envelope(ns50, `<mm7:SubmitRsp xmlns:mm7="`+ns50+`"><MM7Version>5.3.0</MM7Version>`+
			`<Status><StatusCode>1000</StatusCode><StatusText>Success</StatusText></Status><MessageID>m-1</MessageID></mm7:SubmitRsp>`))
		res, err := submitOnce(t, url)
		require.NoError(t, err)
		assert.Equal(t, mm7.Rel6, res.Version, "sent in")
		assert.Equal(t, "REL-5-MM7-1-0", res.ResponseVersion.Schema, "answered in")
		assert.Equal(t, ns50, res.ResponseVersion.Namespace)
		assert.Equal(t, "5.3.0", res.ResponseVersion.MM7Version)
		assert.Equal(t, 5, res.ResponseVersion.Release)
		assert.Equal(t, "m-1", res.MessageID)
		assert.Equal(t, mm7.StatusFromResponse, res.StatusSource)
		assert.Equal(t, 200, res.HTTPStatus)
		assert.Nil(t, res.Fault)
		var codes []mm7.DeviationCode
		for _, d := range res.Deviations {
			codes = append(codes, d.Code)
		}
		assert.Contains(t, codes, mm7.DevNamespaceOther)
	})

	t.Run("fault with detail", func(t *testing.T) {
		t.Parallel()
		url := rawMMSC(t, 500, xml, envelope(ns64, `<env:Fault><faultcode>env:Client</faultcode><faultstring>Client error</faultstring>`+
			`<detail><RSErrorRsp xmlns="`+ns64+`"><MM7Version>6.8.0</MM7Version><Status><StatusCode>2002</StatusCode><StatusText>Address Error</StatusText></Status></RSErrorRsp></detail></env:Fault>`))
		res, err := submitOnce(t, url)
		fe, ok := errors.AsType[*mm7.FaultError](err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, mm7.StatusAddressError, fe.Status.Code)
		require.NotNil(t, res.Fault)
		assert.Equal(t, "Client", res.Fault.Code)
		assert.Equal(t, "Client error", res.Fault.String)
		assert.Equal(t, mm7.StatusAddressError, res.Status)
		assert.Equal(t, mm7.StatusFromFault, res.StatusSource)
		assert.Equal(t, 500, res.HTTPStatus)
		assert.Equal(t, mm7.Rel6.Schema, res.ResponseVersion.Schema)
	})

	t.Run("fault without detail, code only in X-MM7-Status-Code", func(t *testing.T) {
		t.Parallel()
		h := map[string]string{"Content-Type": "text/xml", mm7.HeaderStatusCode: "2004", mm7.HeaderStatusText: "bad\r\ncredentials"}
		url := rawMMSC(t, 401, h, envelope(ns64, `<env:Fault><faultcode>env:Client</faultcode><faultstring>Unauthorized</faultstring></env:Fault>`))
		res, err := submitOnce(t, url)
		fe, ok := errors.AsType[*mm7.FaultError](err)
		require.True(t, ok, "%v", err)
		require.NotNil(t, fe.Status, "the header's status becomes the Fault's status")
		assert.Equal(t, mm7.StatusCode(2004), fe.Status.Code)
		assert.Equal(t, "bad credentials", fe.Status.Text)
		assert.ErrorIs(t, err, &mm7.StatusError{Code: 2004})
		assert.Equal(t, mm7.StatusCode(2004), res.Status)
		assert.Equal(t, mm7.StatusFromHeader, res.StatusSource)
		assert.Equal(t, 401, res.HTTPStatus)
		require.NotNil(t, res.Fault)
		assert.Equal(t, "Unauthorized", res.Fault.String)
		var found bool
		for _, d := range res.Deviations {
			found = found || d.Code == mm7.DevStatusInHeader
		}
		assert.True(t, found, "%v", res.Deviations)
	})

	t.Run("fault without detail nor header: no status", func(t *testing.T) {
		t.Parallel()
		url := rawMMSC(t, 500, xml, envelope(ns64, `<env:Fault><faultcode>env:Server</faultcode><faultstring>boom</faultstring></env:Fault>`))
		res, err := submitOnce(t, url)
		_, ok := errors.AsType[*mm7.FaultError](err)
		require.True(t, ok, "%v", err)
		assert.Zero(t, res.Status)
		assert.Empty(t, res.StatusSource)
		assert.Equal(t, "boom", res.Fault.String)
	})

	t.Run("503 with Retry-After", func(t *testing.T) {
		t.Parallel()
		url := rawMMSC(t, 503, map[string]string{"Retry-After": "90", "Content-Type": "text/plain"}, "busy")
		res, err := submitOnce(t, url)
		_, ok := errors.AsType[*mm7.HTTPError](err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, 90*time.Second, res.RetryAfter)
		assert.Equal(t, 1, res.Attempts, "retries are off by default")
	})

	t.Run("HTML error page", func(t *testing.T) {
		t.Parallel()
		url := rawMMSC(t, 502, map[string]string{"Content-Type": "text/html"},
			"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>"+strings.Repeat("<p>filler</p>", 500)+"</body></html>")
		res, err := submitOnce(t, url)
		he, ok := errors.AsType[*mm7.HTTPError](err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, 502, he.StatusCode)
		assert.Equal(t, 502, res.HTTPStatus)
		assert.Nil(t, res.Response)
		assert.Empty(t, res.StatusSource)
		assert.True(t, strings.HasSuffix(err.Error(), "(text/html): 502 Bad Gateway"), err.Error())
	})
}

func TestClientResponseSizeCap(t *testing.T) {
	t.Parallel()
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte(strings.ReplaceAll(envOpen, "%NS%", ns64) + `<SubmitRsp xmlns="` + ns64 + `"><MM7Version>6.8.0</MM7Version><Status><StatusCode>1000</StatusCode><StatusText>`)) //nolint:errcheck
		chunk := []byte(strings.Repeat("A", 64<<10))
		for range 50 << 20 / len(chunk) { // 50 MB of status text
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	res, err := submitOnce(t, srv.URL, func(o *mm7.Options) { o.MaxResponseBytes = 256 << 10 })
	require.ErrorIs(t, err, mm7.ErrResponseTooLarge)
	assert.Contains(t, err.Error(), "over 262144 bytes")
	assert.Equal(t, 200, res.HTTPStatus)
	srv.CloseClientConnections()
	assert.Less(t, written.Load(), int64(45<<20), "the client stopped reading long before the end")
}
