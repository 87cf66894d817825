package main

// End-to-end tests of send against a fake MMSC written here that answers
// the way real MMSCs do, quirks included: each case drives the built
// binary and checks the exit code, the stdout JSON and the stderr lines.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
)

const (
	e2eTx   = "tx-e2e"
	soapNS  = "http://schemas.xmlsoap.org/soap/envelope/"
	rel50NS = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-5-MM7-1-0"
)

// soapReply is an envelope with prefix p, TransactionID tx and body.
func soapReply(p, ns, tx, body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\r\n" +
		`<` + p + `:Envelope xmlns:` + p + `="` + soapNS + `"><` + p + `:Header><mm7:TransactionID xmlns:mm7="` + ns + `" ` + p +
		`:mustUnderstand="1">` + tx + `</mm7:TransactionID></` + p + `:Header><` + p + `:Body>` + body + `</` + p + `:Body></` + p + `:Envelope>`
}

func submitRsp(ns, mm7v string, code int, text, id string) string {
	return `<SubmitRsp xmlns="` + ns + `"><MM7Version>` + mm7v + `</MM7Version><Status><StatusCode>` + fmt.Sprint(code) +
		`</StatusCode><StatusText>` + text + `</StatusText></Status><MessageID>` + id + `</MessageID></SubmitRsp>`
}

func faultReply(code, str, detail string) string {
	d := ""
	if detail != "" {
		d = "<detail>" + detail + "</detail>"
	}
	return soapReply("env", rel6.Namespace, e2eTx, `<env:Fault><faultcode>`+code+`</faultcode><faultstring>`+str+`</faultstring>`+d+`</env:Fault>`)
}

// fakeRealMMSC routes /<case> to the handler of that case and counts the
// requests of each.
type fakeRealMMSC struct {
	*httptest.Server
	mu    sync.Mutex
	count map[string]int
	done  chan struct{}
}

func (f *fakeRealMMSC) requests(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.count[name]
}

func xmlReply(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(status)
		w.Write([]byte(body)) //nolint:errcheck // best effort
	}
}

func TestE2ESendAgainstRealMMSCShapes(t *testing.T) {
	t.Parallel()
	ok := submitRsp(rel6.Namespace, "6.8.0", 1000, "Success", "m-ok")
	f := &fakeRealMMSC{count: map[string]int{}, done: make(chan struct{})}
	cases := map[string]http.HandlerFunc{
		"unqualified": xmlReply(200, soapReply("soapenv", rel6.Namespace, e2eTx, `<mm7:SubmitRsp xmlns:mm7="`+rel6.Namespace+
			`"><MM7Version>6.8.0</MM7Version><Status><StatusCode>1000</StatusCode><StatusText>Success</StatusText></Status><MessageID>m-unq</MessageID></mm7:SubmitRsp>`)),
		"soap-env-lf": xmlReply(200, strings.NewReplacer("\r\n", "\n", "><", ">\n<").Replace(soapReply("SOAP-ENV", rel6.Namespace, e2eTx, ok))),
		"multipart": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", `multipart/related; boundary="rsp-b"; type="text/xml"`)
			fmt.Fprintf(w, "--rsp-b\r\nContent-Type: text/xml; charset=utf-8\r\nContent-ID: <rsp>\r\n\r\n%s\r\n--rsp-b--\r\n",
				soapReply("env", rel6.Namespace, e2eTx, ok))
		},
		"chunked": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			body := soapReply("env", rel6.Namespace, e2eTx, ok)
			for i := 0; i < len(body); i += 40 {
				w.Write([]byte(body[i:min(i+40, len(body))])) //nolint:errcheck
				w.(http.Flusher).Flush()
			}
		},
		"rel5-1-0": xmlReply(200, soapReply("env", rel50NS, e2eTx, submitRsp(rel50NS, "5.3.0", 1000, "Success", "m-old"))),
		"partial":  xmlReply(200, soapReply("env", rel6.Namespace, e2eTx, submitRsp(rel6.Namespace, "6.8.0", 1100, "Partial success", "m-part"))),
		"fault-detail": xmlReply(500, faultReply("env:Client", "Client error", `<RSErrorRsp xmlns="`+rel6.Namespace+
			`"><MM7Version>6.8.0</MM7Version><Status><StatusCode>2002</StatusCode><StatusText>Address Error</StatusText></Status></RSErrorRsp>`)),
		"fault-bare": xmlReply(500, faultReply("env:Server", "Internal failure", "")),
		"fault-header": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-MM7-Status-Code", "2004")
			xmlReply(401, faultReply("Client", "authentication failed", ""))(w, r)
		},
		"http-401": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("WWW-Authenticate", `Basic realm="mm7"`)
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
		},
		"html-502": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			fmt.Fprint(w, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"+
				strings.Repeat("<!-- padding -->\r\n", 50)+"<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n")
		},
		"busy-503": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "120")
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(503)
			fmt.Fprint(w, "Service Unavailable: try later")
		},
		"tx-mismatch": xmlReply(200, soapReply("env", rel6.Namespace, "someone-else", ok)),
		"vibes-2502":  xmlReply(200, soapReply("env", rel6.Namespace, e2eTx, submitRsp(rel6.Namespace, "6.8.0", 2502, "TransactionId not set in request", ""))),
		"silent": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-f.done:
			}
		},
		"stall": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			w.Write([]byte(`<?xml version="1.0"?><env:Envelope`)) //nolint:errcheck
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-f.done:
			}
		},
		"huge": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			w.Write([]byte(strings.TrimSuffix(soapReply("env", rel6.Namespace, e2eTx, "<SubmitRsp xmlns=\""+rel6.Namespace+"\"><MM7Version>6.8.0</MM7Version><Status><StatusCode>1000</StatusCode><StatusText>"), "</env:Body></env:Envelope>"))) //nolint:errcheck
			chunk := []byte(strings.Repeat("x", 64<<10))
			for range 50 << 20 / len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		},
	}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		f.mu.Lock()
		f.count[name]++
		f.mu.Unlock()
		cases[name](w, r)
	}))
	t.Cleanup(func() { close(f.done); f.Close() })

	type want struct {
		code       int
		json       bool   // stdout holds the JSON
		status     int    // status_code, 0: absent
		source     string // status_source
		stderr     string // the exact error line ("" on success); a prefix when it ends in "..."
		answered   string // answered.schema
		deviations []string
	}
	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, out callOutput)
		want  want
	}{
		{"unqualified", nil, func(t *testing.T, o callOutput) { assert.Equal(t, "m-unq", o.MessageID) },
			want{code: 0, json: true, status: 1000, source: "response", answered: "REL-6-MM7-1-4"}},
		{"soap-env-lf", nil, func(t *testing.T, o callOutput) { assert.Equal(t, "m-ok", o.MessageID) },
			want{code: 0, json: true, status: 1000, source: "response", answered: "REL-6-MM7-1-4"}},
		{"multipart", nil, func(t *testing.T, o callOutput) { assert.Equal(t, "m-ok", o.MessageID) },
			want{code: 0, json: true, status: 1000, source: "response", answered: "REL-6-MM7-1-4"}},
		{"chunked", nil, func(t *testing.T, o callOutput) { assert.Equal(t, "m-ok", o.MessageID) },
			want{code: 0, json: true, status: 1000, source: "response", answered: "REL-6-MM7-1-4"}},
		{"rel5-1-0", []string{"--version", "5.5.0"}, func(t *testing.T, o callOutput) {
			assert.Equal(t, "5.5.0", o.Version, "sent in")
			assert.Equal(t, "REL-5-MM7-1-2", o.Schema)
			assert.Equal(t, &answeredVersion{Schema: "REL-5-MM7-1-0", Namespace: rel50NS, MM7Version: "5.3.0"}, o.Answered)
		}, want{code: 0, json: true, status: 1000, source: "response", answered: "REL-5-MM7-1-0", deviations: []string{"namespace-other-version"}}},
		{"partial", nil, func(t *testing.T, o callOutput) { assert.Equal(t, "Partial success", o.StatusText) },
			want{code: 0, json: true, status: 1100, source: "response", answered: "REL-6-MM7-1-4"}},
		{"fault-detail", nil, func(t *testing.T, o callOutput) {
			assert.Equal(t, &faultOutput{Code: "Client", String: "Client error"}, o.Fault)
			assert.Equal(t, 500, o.HTTPStatus)
		}, want{code: 3, json: true, status: 2002, source: "fault", answered: "REL-6-MM7-1-4",
			stderr: "mm7 send: HTTP 500: soap fault Client: Client error: status 2002 (Address Error)"}},
		{"fault-bare", nil, func(t *testing.T, o callOutput) {
			assert.Equal(t, &faultOutput{Code: "Server", String: "Internal failure"}, o.Fault)
			assert.Nil(t, o.Answered, "a Fault without detail names no MM7 version")
		}, want{code: 3, json: true, stderr: "mm7 send: HTTP 500: soap fault Server: Internal failure", deviations: []string{"fault-without-status"}}},
		{"fault-header", nil, func(t *testing.T, o callOutput) { assert.Equal(t, 401, o.HTTPStatus) },
			want{code: 3, json: true, status: 2004, source: "header", deviations: []string{"faultcode-unqualified", "fault-without-status", "status-in-header"},
				stderr: "mm7 send: HTTP 401: soap fault Client: authentication failed: status 2004 (Multimedia content refused) (status from the X-MM7-Status-Code header)"}},
		{"http-401", nil, func(t *testing.T, o callOutput) { assert.Equal(t, 401, o.HTTPStatus) },
			want{code: 6, json: true, stderr: "mm7 send: the MMSC answered HTTP 401 Unauthorized (text/plain; charset=utf-8): Unauthorized"}},
		{"html-502", nil, func(t *testing.T, o callOutput) { assert.Equal(t, 502, o.HTTPStatus) },
			want{code: 6, json: true, stderr: "mm7 send: the MMSC answered HTTP 502 Bad Gateway (text/html): 502 Bad Gateway"}},
		{"busy-503", nil, func(t *testing.T, o callOutput) {
			assert.Equal(t, 503, o.HTTPStatus)
			assert.Equal(t, 1, o.Attempts)
			assert.Equal(t, int64(120), o.RetryAfterSeconds)
		}, want{code: 6, json: true, stderr: "mm7 send: the MMSC answered HTTP 503 Service Unavailable (text/plain): Service Unavailable: try later (retry after 2m0s)"}},
		{"tx-mismatch", nil, nil,
			want{code: 1, json: true, status: 1000, source: "response", answered: "REL-6-MM7-1-4",
				stderr: `mm7 send: TransactionID mismatch: sent "tx-e2e", received "someone-else"`}},
		{"vibes-2502", nil, func(t *testing.T, o callOutput) { assert.Equal(t, "TransactionId not set in request", o.StatusText) },
			want{code: 3, json: true, status: 2502, source: "response", answered: "REL-6-MM7-1-4",
				stderr: "mm7 send: status 2502 (client error): TransactionId not set in request"}},
		{"silent", []string{"--timeout", "300ms"}, nil,
			want{code: 4, stderr: "mm7 send: no answer from " + f.URL + "/silent within 300ms (--timeout); the MMSC may have received the request"}},
		{"stall", []string{"--timeout", "300ms"}, func(t *testing.T, o callOutput) { assert.Equal(t, 200, o.HTTPStatus) },
			want{code: 4, json: true, stderr: "mm7 send: " + f.URL + "/stall stopped answering within 300ms (--timeout): HTTP 200, then no complete answer"}},
		{"huge", nil, func(t *testing.T, o callOutput) { assert.Equal(t, 200, o.HTTPStatus) },
			want{code: 1, json: true, stderr: "mm7 send: the MMSC's response is too large: over 1048576 bytes (HTTP 200 response to SubmitReq); the rest was not read"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"send", "--url", f.URL + "/" + tt.name, "--to", "15555550123", "--text", "hi", "--transaction-id", e2eTx}, tt.args...)
			code, stdout, stderr := runBin(t, e2eEnv(), args...)
			assert.Equal(t, tt.want.code, code, "stderr: %s", stderr)
			if tt.want.stderr == "" {
				assert.Empty(t, stderr, "silent on success")
			} else {
				assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
				assert.Equal(t, tt.want.stderr+"\n", stderr)
			}
			if !tt.want.json {
				assert.Empty(t, stdout)
				return
			}
			assert.Equal(t, 1, strings.Count(stdout, "\n"), "one JSON object: %q", stdout)
			var raw map[string]any
			require.NoError(t, json.Unmarshal([]byte(stdout), &raw), stdout)
			var out callOutput
			require.NoError(t, json.Unmarshal([]byte(stdout), &out))
			assert.Equal(t, e2eTx, out.TransactionID)
			if tt.want.status == 0 {
				assert.NotContains(t, raw, "status_code", "no status: absent, never 0")
			} else {
				require.NotNil(t, out.StatusCode)
				assert.Equal(t, tt.want.status, *out.StatusCode)
			}
			assert.Equal(t, tt.want.source, out.StatusSource)
			if tt.want.answered != "" {
				require.NotNil(t, out.Answered)
				assert.Equal(t, tt.want.answered, out.Answered.Schema)
			}
			var devs []string
			for _, d := range out.Deviations {
				devs = append(devs, d.Code)
			}
			for _, d := range tt.want.deviations {
				assert.Contains(t, devs, d)
			}
			if tt.check != nil {
				tt.check(t, out)
			}
		})
	}
	// Cleanup runs once the parallel subtests above have finished.
	t.Cleanup(func() {
		assert.Equal(t, 1, f.requests("busy-503"), "503 + Retry-After: exactly one request when retries are off")
	})
}

func TestE2ECancelReplaceAgainstSim(t *testing.T) {
	t.Parallel()
	sim := startProc(t, e2eEnv("MM7_PASSWORD=out-pw"), "sim", "--addr", "127.0.0.1:0", "--user", "vasp")
	url := "http://" + sim.addr + "/mms/mm7/submit"
	env := e2eEnv("MM7_PASSWORD=out-pw")
	code, stdout, stderr := runBin(t, env, "send", "--url", url, "--user", "vasp", "--to", "15555550123", "--text", "v1")
	require.Equal(t, 0, code, stderr)
	var sent callOutput
	require.NoError(t, json.Unmarshal([]byte(stdout), &sent))

	for _, step := range []struct {
		args   []string
		code   int
		status int
		stderr string
	}{
		{[]string{"replace", "--message-id", sent.MessageID, "--text", "v2"}, 0, 1000, ""},
		{[]string{"replace", "--extended", "--message-id", sent.MessageID, "--text", "v3"}, 0, 1000, ""},
		{[]string{"cancel", "--message-id", sent.MessageID, "--version", "5.5.0"}, 0, 1000, ""},
		{[]string{"cancel", "--extended", "--message-id", sent.MessageID}, 3, 3001, "mm7 cancel: status 3001 (Not Possible)\n"},
		{[]string{"replace", "--message-id", "no-such-id", "--text", "x"}, 3, 2005, "mm7 replace: status 2005 (Message ID Not found)\n"},
	} {
		args := append(append([]string{}, step.args...), "--url", url, "--user", "vasp")
		code, stdout, stderr := runBin(t, env, args...)
		assert.Equal(t, step.code, code, "%v: %s", step.args, stderr)
		assert.Equal(t, step.stderr, stderr, "%v", step.args)
		var out callOutput
		require.NoError(t, json.Unmarshal([]byte(stdout), &out), "%v: %q", step.args, stdout)
		require.NotNil(t, out.StatusCode, "%v", step.args)
		assert.Equal(t, step.status, *out.StatusCode, "%v", step.args)
	}
}
