package mm7_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7test"
	"github.com/openmms/mm7go/xsdtypes"
	"github.com/openmms/mm7go/xsdvalidate"
)

// TestBodyIsImplementedByPointersOnly: every generated message is an
// mm7.Body as a pointer, and no struct value is, so
// c.Submit(ctx, rel6.SubmitReq{...}) does not compile.
func TestBodyIsImplementedByPointersOnly(t *testing.T) {
	body := reflect.TypeFor[mm7.Body]()
	for _, pkg := range []struct {
		elements []string
		new      func(string) mm7.Body
	}{
		{rel5.Elements, func(l string) mm7.Body { return rel5.New(l) }},
		{rel6.Elements, func(l string) mm7.Body { return rel6.New(l) }},
	} {
		for _, el := range pkg.elements {
			m := pkg.new(el)
			require.NotNil(t, m, el)
			typ := reflect.TypeOf(m)
			assert.True(t, typ.Implements(body), "%s", typ)
			assert.False(t, typ.Elem().Implements(body), "%s by value", typ.Elem())
			_, local := m.MM7Element()
			assert.Equal(t, el, local)
		}
	}
	assert.True(t, reflect.TypeFor[*mm7.Fault]().Implements(body))
}

// countingServer counts the requests that reach it and answers 1000.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	mmsc := mm7test.NewMMSC(mm7test.Options{Lenient: true})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		mmsc.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts, &hits
}

// TestClientRefusesInvalidRequestsBeforeSending is the "first hour" bug:
// a zero SubmitReq (<SenderIdentification/><Recipients/>) was sent and
// accepted. Now nothing is sent and the error lists every problem.
func TestClientRefusesInvalidRequestsBeforeSending(t *testing.T) {
	ts, hits := countingServer(t)
	for _, v := range []mm7.Version{mm7.Rel6, mm7.Rel5} {
		c, err := mm7.NewClient(ts.URL, func(o *mm7.Options) { o.Versions = []mm7.Version{v} })
		require.NoError(t, err)
		res, err := c.Submit(t.Context(), &rel6.SubmitReq{}, nil)
		var ie *mm7.InvalidMessageError
		require.ErrorAs(t, err, &ie, v.Schema)
		var ve *xsdtypes.ValidationError
		require.ErrorAs(t, err, &ve, "the xsdtypes error is wrapped too")
		assert.Equal(t, "SubmitReq", ie.Kind)
		assert.Equal(t, v.Schema, ie.Schema)
		assert.Contains(t, ie.Problems(), xsdtypes.Problem{Path: "/SubmitReq/Recipients", Text: "needs at least one of To, Cc, Bcc"})
		assert.Contains(t, err.Error(), "mm7: SubmitReq is not valid "+v.Schema+": ")
		require.NotNil(t, res)
		assert.Zero(t, res.Attempts, "nothing was sent")

		bad := clientSubmitReq()
		bad.Priority = new(rel6.Priority("Urgent"))
		bad.SenderIdentification.SenderAddress.Number = &rel6.Number{Value: "1"}
		_, err = c.Submit(t.Context(), bad, nil)
		require.ErrorAs(t, err, &ie)
		var paths []string
		for _, p := range ie.Problems() {
			paths = append(paths, p.Path)
		}
		assert.ElementsMatch(t, []string{"/SubmitReq/SenderIdentification/SenderAddress", "/SubmitReq/Priority"}, paths, "every problem: %v", ie.Problems())
	}
	assert.Zero(t, hits.Load(), "no byte reached the MMSC")
}

// TestClientSkipValidationSendsAnyway: the option for testing how an MMSC
// answers invalid requests. A strict MMSC (mm7test's default) answers
// 4004; a lenient one accepts.
func TestClientSkipValidationSendsAnyway(t *testing.T) {
	invalid := clientSubmitReq()
	invalid.Recipients = rel6.Recipients{}
	for _, lenient := range []bool{false, true} {
		mmsc := mm7test.NewServer(func(o *mm7test.Options) { o.Lenient = lenient })
		c, err := mm7.NewClient(mmsc.URL, func(o *mm7.Options) {
			o.EncodeOptions.SkipValidation = true
			o.Versions = []mm7.Version{mm7.Rel6} // no fallback to Rel5 after the 4004
		})
		require.NoError(t, err)
		res, err := c.Submit(t.Context(), invalid, nil)
		require.Len(t, mmsc.Requests(), 1, "sent")
		if lenient {
			require.NoError(t, err)
			assert.Equal(t, mm7.StatusSuccess, res.Status)
		} else {
			require.ErrorIs(t, err, &mm7.StatusError{Code: mm7.StatusValidationError})
			assert.Contains(t, res.StatusText, "/SubmitReq/Recipients: needs at least one of To, Cc, Bcc")
		}
		mmsc.Close()
	}
}

// TestEncoderRefusesInvalidMessages: mm7.Encode/NewEncoder check after
// filling MM7Version, so an empty MM7Version is not a problem, and write
// nothing for an invalid message.
func TestEncoderRefusesInvalidMessages(t *testing.T) {
	var buf bytes.Buffer
	_, err := mm7.Encode(&buf, &mm7.Message{TransactionID: "t", Version: mm7.Rel6, Body: &rel6.CancelReq{}})
	require.NoError(t, err, "CancelReq needs only a MessageID element, which may be empty")

	buf.Reset()
	msg := &mm7.Message{TransactionID: "t", Version: mm7.Rel6, Body: &rel6.SubmitReq{}}
	_, err = mm7.Encode(&buf, msg)
	var ie *mm7.InvalidMessageError
	require.ErrorAs(t, err, &ie)
	assert.Zero(t, buf.Len(), "nothing written")

	enc, err := mm7.NewEncoder(msg, nil, mm7.EncodeOptions{SkipValidation: true})
	require.NoError(t, err)
	_, err = enc.WriteTo(&buf)
	require.NoError(t, err)
	assert.Contains(t, buf.String(), "<Recipients></Recipients>", "written as asked")

	// A Fault's detail is checked as well.
	f := mm7.NewFault(&mm7.Message{TransactionID: "t", Version: mm7.Rel6, Body: clientSubmitReq()}, mm7.StatusValidationError, "")
	f.Body.(*mm7.Fault).Detail.(*rel6.RSErrorRsp).Status.StatusCode = 0
	_, err = mm7.Encode(io.Discard, f)
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "/RSErrorRsp/Status/StatusCode", ie.Problems()[0].Path)
}

// TestVibesRequestsAreSchemaValid: Vibes authenticates with Basic Auth
// and gets no VASPID; what the Vibes profile sends, in both versions, is
// still valid per schema (libxml2 agrees with Validate on the wire form).
func TestVibesRequestsAreSchemaValid(t *testing.T) {
	var bodies [][]byte
	var ctypes []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies, ctypes = append(bodies, b), append(ctypes, r.Header.Get("Content-Type"))
		msg, _, _, err := decodeAll(b, r.Header.Get("Content-Type"), mm7.DecodeOptions{})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rsp, _ := mm7.NewResponse(msg, mm7.StatusSuccess, "")
		rsp.Body.(interface{ SetMessageID(string) }).SetMessageID("vibes-1")
		w.Header().Set("Content-Type", "text/xml")
		_, _ = mm7.Encode(w, rsp)
	}))
	defer ts.Close()
	for _, v := range []mm7.Version{mm7.Rel5, mm7.Rel6} {
		c, err := mm7.NewClient(ts.URL, mm7.WithVibes("user", "secret", v))
		require.NoError(t, err)
		req := clientSubmitReq()
		require.Nil(t, req.SenderIdentification.VASPID, "Vibes: no VASPID")
		_, err = c.Submit(t.Context(), req, []mm7.Attachment{{ContentType: "text/plain", Body: strings.NewReader("hello")}})
		require.NoError(t, err, v.Schema)
		msg, _, _, err := decodeAll(bodies[len(bodies)-1], ctypes[len(ctypes)-1], mm7.DecodeOptions{Strict: true})
		require.NoError(t, err)
		require.NoError(t, msg.Validate())
		schema, err := xsdvalidate.ForNamespace(msg.Version.Namespace)
		require.NoError(t, err)
		env := bodies[len(bodies)-1]
		start := bytes.Index(env, []byte("<SubmitReq"))
		end := bytes.Index(env, []byte("</SubmitReq>"))
		require.True(t, start > 0 && end > start, "%s", env)
		require.NoError(t, schema.Validate(env[start:end+len("</SubmitReq>")]), "%s", env[start:end])
	}
}

func TestMessageValidate(t *testing.T) {
	msg := &mm7.Message{TransactionID: "t", Version: mm7.Rel6, Body: clientSubmitReq()}
	assert.Error(t, msg.Validate(), "MM7Version is empty: a received message must carry it")
	msg.Body.(*rel6.SubmitReq).MM7Version = rel6.Version6_8_0
	assert.NoError(t, msg.Validate())
	assert.Error(t, (&mm7.Message{}).Validate())
	var ie *mm7.InvalidMessageError
	require.True(t, errors.As((&mm7.Message{Version: mm7.Rel6, Body: &rel6.SubmitReq{}}).Validate(), &ie))
}
