package main

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestForwardedForTrustsOnlyProxies(t *testing.T) {
	trusted, err := parsePrefixes([]string{"10.0.0.0/8", "192.168.1.1"}, false)
	require.NoError(t, err)
	var got string
	h := forwardedFor(trusted, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }))
	for _, tc := range []struct{ remote, xff, want string }{
		{"203.0.113.9:5000", "52.32.61.199", "203.0.113.9:5000"},               // not from a proxy: the header is ignored
		{"10.1.1.1:5000", "52.32.61.199", "52.32.61.199:0"},                    // from a proxy
		{"10.1.1.1:5000", "1.2.3.4, 52.32.61.199, 10.2.2.2", "52.32.61.199:0"}, // right-most untrusted hop; 1.2.3.4 may be forged
		{"10.1.1.1:5000", "192.168.1.1", "192.168.1.1:0"},                      // only proxies: the first hop
		{"10.1.1.1:5000", "", "10.1.1.1:5000"},                                 // no header
		{"10.1.1.1:5000", "garbage, 52.32.61.199", "52.32.61.199:0"},
		{"10.1.1.1:5000", "52.32.61.199, garbage", "10.1.1.1:5000"}, // a malformed hop: nothing beyond it is trusted
		{"[::ffff:10.1.1.1]:5000", "52.32.61.199", "52.32.61.199:0"},
	} {
		req := httptest.NewRequest(http.MethodPost, "/", nil)
		req.RemoteAddr = tc.remote
		if tc.xff != "" {
			req.Header.Set("X-Forwarded-For", tc.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
		assert.Equal(t, tc.want, got, "%+v", tc)
	}
}

func TestParsePrefixes(t *testing.T) {
	p, err := parsePrefixes([]string{"vibes,10.0.0.0/8", "2001:db8::1", " 192.0.2.7 "}, true)
	require.NoError(t, err)
	assert.Contains(t, p, netip.MustParsePrefix("52.32.61.199/32"))
	assert.Contains(t, p, netip.MustParsePrefix("10.0.0.0/8"))
	assert.Contains(t, p, netip.MustParsePrefix("2001:db8::1/128"))
	assert.Contains(t, p, netip.MustParsePrefix("192.0.2.7/32"))
	_, err = parsePrefixes([]string{"vibes"}, false)
	assert.Error(t, err, "no presets for --trusted-proxies")
	_, err = parsePrefixes([]string{"10.0.0.0/40"}, true)
	assert.Error(t, err)
}
