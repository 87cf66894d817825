package mm7

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
)

// redactedText is what a [Secret] prints as, whatever the verb.
const redactedText = "REDACTED"

// A Secret is a credential, such as a Basic Auth password. It prints,
// logs and marshals as "REDACTED" (fmt with any verb, slog, encoding/json
// and any other encoding.TextMarshaler user), so that a configuration
// struct holding one can be printed or logged whole. Convert it with
// string(s) where the real value is needed.
type Secret string

// String returns "REDACTED".
func (Secret) String() string { return redactedText }

// GoString returns "REDACTED", for %#v.
func (Secret) GoString() string { return redactedText }

// Format writes "REDACTED" for every verb, including those fmt would
// otherwise print the raw string for (%d, %x on a bad verb path).
func (Secret) Format(f fmt.State, _ rune) { io.WriteString(f, redactedText) } //nolint:errcheck // fmt.State writes do not fail usefully

// LogValue returns "REDACTED", so slog never prints the value.
func (Secret) LogValue() slog.Value { return slog.StringValue(redactedText) }

// MarshalText returns "REDACTED".
func (Secret) MarshalText() ([]byte, error) { return []byte(redactedText), nil }

// MarshalJSON returns "REDACTED" as a JSON string.
func (Secret) MarshalJSON() ([]byte, error) { return json.Marshal(redactedText) }

// BasicAuth is an http.RoundTripper that adds an HTTP Basic
// Authorization header (RFC 7617) to every request, the way Vibes and
// most MMSCs authenticate VASPs. It works with any request, so it
// composes with other RoundTrippers:
//
//	hc := &http.Client{Transport: &mm7.BasicAuth{Username: user, Password: pass}}
//
// It does not modify the caller's request (it sends a clone) and does not
// read the response: MM7 statuses are the [Client]'s business. It is safe
// for concurrent use if Base is. The password never appears in its
// errors, nor when it is printed or logged.
type BasicAuth struct {
	// Username is the account name. It must not contain a colon.
	Username string
	// Password is the account password.
	Password Secret
	// Base is the RoundTripper that sends the request; nil means
	// http.DefaultTransport.
	Base http.RoundTripper
}

// errColonInUsername is returned for a username Basic Auth cannot carry.
var errColonInUsername = errors.New("mm7: basic auth: the username contains a colon, which RFC 7617 forbids")

// RoundTrip sends a clone of req with the Authorization header set. As
// the RoundTripper contract requires, it closes req.Body on every error,
// including those raised before the request is sent.
func (t *BasicAuth) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.Contains(t.Username, ":") {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, errColonInUsername
	}
	r := req.Clone(req.Context())
	r.SetBasicAuth(t.Username, string(t.Password))
	return t.base().RoundTrip(r)
}

func (t *BasicAuth) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// LogValue logs the username only.
func (t *BasicAuth) LogValue() slog.Value {
	if t == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.String("username", t.Username), slog.String("password", redactedText))
}
