package mm7

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedirectNeverDowngradesToHTTP(t *testing.T) {
	req := func(u string) *http.Request {
		p, _ := url.Parse(u)
		return &http.Request{Method: http.MethodPost, URL: p}
	}
	via := []*http.Request{req("https://mmsc.example.com/mm7")}
	assert.Equal(t, http.ErrUseLastResponse, sameHostPOSTRedirect(req("http://mmsc.example.com/mm7"), via))
	assert.Equal(t, http.ErrUseLastResponse, sameHostPOSTRedirect(req("https://other.example.com/mm7"), via))
	assert.NoError(t, sameHostPOSTRedirect(req("https://mmsc.example.com/mm7/v2"), via))
	assert.NoError(t, sameHostPOSTRedirect(req("https://mmsc.example.com/x"), []*http.Request{req("http://mmsc.example.com/mm7")}), "upgrading to https is fine")
}
