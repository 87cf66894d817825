package mm7test_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7test"
)

func rawSubmit(ns, version, recipients string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header>
<mm7:TransactionID xmlns:mm7="` + ns + `" env:mustUnderstand="1">tx-1</mm7:TransactionID></env:Header>
<env:Body><SubmitReq xmlns="` + ns + `"><MM7Version>` + version + `</MM7Version><SenderIdentification/>` +
		recipients + `</SubmitReq></env:Body></env:Envelope>`
}

// TestStrictMMSCAnswers4004ButNotForTheVersionQuirk: the MMSC refuses a
// request that breaks its schema with 4004, but an MM7Version the decoder
// accepts as a deviation (the Vibes "5.5.0 in REL-5-MM7-1-2" quirk) is
// not a validation problem: that is the version logic's call.
func TestStrictMMSCAnswers4004ButNotForTheVersionQuirk(t *testing.T) {
	mmsc := mm7test.NewServer()
	defer mmsc.Close()
	post := func(doc string) (int, string) {
		resp, err := http.Post(mmsc.URL, `text/xml; charset="utf-8"`, strings.NewReader(doc)) //nolint:noctx // loopback test
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	to := `<Recipients><To><Number>15555550123</Number></To></Recipients>`
	code, body := post(rawSubmit(rel5.Namespace, "5.5.0", to))
	assert.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, "<StatusCode>1000</StatusCode>")

	code, body = post(rawSubmit(rel5.Namespace, "5.3.0", `<Recipients/>`))
	assert.Equal(t, http.StatusInternalServerError, code, body)
	assert.Contains(t, body, "<StatusCode>4004</StatusCode>")
	assert.Contains(t, body, "/SubmitReq/Recipients: needs at least one of To, Cc, Bcc")
	reqs := mmsc.Requests()
	require.Len(t, reqs, 2, "recorded either way")
	assert.Equal(t, mm7.StatusValidationError, reqs[1].Reply.Status)
}
