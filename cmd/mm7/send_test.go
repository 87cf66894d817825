package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// runEnv runs the CLI with the given environment variables.
func runEnv(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return vars[k] }
	code = run(t.Context(), args, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: getenv})
	return code, out.String(), errb.String()
}

// writeTemp writes a file into dir and returns its path.
func writeTemp(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, data, 0o644))
	return p
}

// dryRunRequest parses the output of send --dry-run and decodes its body.
func dryRunRequest(t *testing.T, out string) (*http.Request, *mm7.Message, []capturedPart) {
	t.Helper()
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(out)))
	require.NoError(t, err, "dry-run output is an HTTP request")
	msg, parts := decodeBody(t, req.Header.Get("Content-Type"), req.Body)
	return req, msg, parts
}

type capturedPart struct {
	ContentType, ContentID, ContentLocation string
	Start                                   bool
	Data                                    []byte
}

func decodeBody(t *testing.T, ct string, body io.Reader) (*mm7.Message, []capturedPart) {
	t.Helper()
	dec, err := mm7.NewDecoder(body, ct, mm7.DecodeOptions{Strict: true})
	require.NoError(t, err)
	msg, err := dec.Message()
	require.NoError(t, err)
	var parts []capturedPart
	for {
		a, err := dec.NextAttachment()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		data, err := io.ReadAll(a.Body)
		require.NoError(t, err)
		parts = append(parts, capturedPart{a.ContentType, a.ContentID, a.ContentLocation, a.Start, data})
	}
	return msg, parts
}

func TestClassifyAddress(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"12345", addrShortCode},
		{"123456", addrShortCode},
		{"1", addrNumber},
		{"911", addrShortCode},
		{"1234567", addrNumber},
		{"15555550123", addrNumber},
		{"+15555550123", addrNumber},
		{"+1234", addrNumber},
		{"555-1234", addrNumber},
		{"vasp@example.com", addrEmail},
		{" 12345 ", addrShortCode},
		{"abc", addrNumber},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, classifyAddress(tt.in))
		})
	}
}

func TestSendDryRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	img := demoPNG()
	pic := writeTemp(t, dir, "pic.png", img)
	code, out, errOut := runEnv(t, map[string]string{passwordEnv: "s3cret-pw"}, "send", "--dry-run", "--user", "vasp",
		"--url", "http://mmsc.example:8080/mm7", "--from", "12345", "--to", "15555550123", "--cc", "someone@example.com",
		"--bcc", "54321", "--subject", "Hi", "--text", "Hello there", "--attach", pic, "--delivery-report", "--read-reply",
		"--vaspid", "vasp1", "--vasid", "svc1", "--service-code", "sc-1", "--linked-id", "lnk-1",
		"--carrier-code", "102", "--dlr-callback-url", "https://vasp.example/dlr", "--transaction-id", "tx-dry")
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, out, "s3cret-pw")
	assert.NotContains(t, errOut, "s3cret-pw")

	req, msg, parts := dryRunRequest(t, out)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, "/mm7", req.URL.Path)
	assert.Equal(t, "mmsc.example:8080", req.Host)
	assert.Equal(t, "Basic REDACTED", req.Header.Get("Authorization"))
	assert.Equal(t, `""`, req.Header.Get("SOAPAction"))
	assert.Equal(t, "102", req.Header.Get(mm7.VibesHeaderCarrierCode))
	assert.Equal(t, "https://vasp.example/dlr", req.Header.Get(mm7.VibesHeaderDLRCallbackURL))
	assert.True(t, strings.HasPrefix(req.Header.Get("Content-Type"), "multipart/related;"), req.Header.Get("Content-Type"))
	assert.Positive(t, req.ContentLength)

	assert.Equal(t, "tx-dry", msg.TransactionID)
	assert.Equal(t, mm7.Rel6, msg.Version)
	sr, ok := msg.Body.(*rel6.SubmitReq)
	require.True(t, ok, "%T", msg.Body)
	assert.Equal(t, &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}, sr.SenderIdentification.SenderAddress)
	assert.Equal(t, "vasp1", *sr.SenderIdentification.VASPID)
	assert.Equal(t, "svc1", *sr.SenderIdentification.VASID)
	assert.Equal(t, []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}, sr.Recipients.To)
	assert.Equal(t, []rel6.MultiAddress{{RFC2822Address: []rel6.RFC2822Address{{Value: "someone@example.com"}}}}, sr.Recipients.Cc)
	assert.Equal(t, []rel6.MultiAddress{{ShortCode: []rel6.ShortCode{{Value: "54321"}}}}, sr.Recipients.Bcc)
	assert.Equal(t, "Hi", *sr.Subject)
	assert.Equal(t, "sc-1", sr.ServiceCode.Value)
	assert.Equal(t, "lnk-1", *sr.LinkedID)
	assert.True(t, *sr.DeliveryReport)
	assert.True(t, *sr.ReadReply)

	require.Len(t, parts, 3, "SMIL, text, image")
	assert.Equal(t, "application/smil", parts[0].ContentType)
	assert.True(t, parts[0].Start, "the SMIL presentation is the start of the multipart/related content")
	smil := string(parts[0].Data)
	assert.Contains(t, smil, `<region id="Image"`)
	assert.Contains(t, smil, `<region id="Text"`)
	assert.Contains(t, smil, `<par dur="5000ms"><text src="cid:text.txt" region="Text"/></par>`)
	assert.Contains(t, smil, `<par dur="5000ms"><img src="cid:pic.png" region="Image"/></par>`)
	assert.Equal(t, `text/plain; charset="utf-8"`, parts[1].ContentType)
	assert.Equal(t, "Hello there", string(parts[1].Data))
	assert.Equal(t, "image/png", parts[2].ContentType)
	assert.Equal(t, "pic.png", parts[2].ContentLocation)
	assert.Equal(t, img, parts[2].Data)
}

func TestSendDryRunRel5AndSMILChoices(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pic := writeTemp(t, dir, "pic.png", demoPNG())

	code, out, errOut := runEnv(t, nil, "send", "-dry-run", "-version", "5.5.0", "-to", "15555550123", "-text", "only text")
	require.Equal(t, 0, code, errOut)
	req, msg, parts := dryRunRequest(t, out)
	assert.Empty(t, req.Header.Get("Authorization"), "no credentials, no Authorization")
	assert.Equal(t, "messageapi-mms.vibesapps.com", req.Host, "default --url is Vibes")
	assert.Equal(t, mm7.Rel5, msg.Version)
	assert.IsType(t, &rel5.SubmitReq{}, msg.Body)
	assert.Contains(t, out, "<MM7Version>5.3.0</MM7Version>")
	require.Len(t, parts, 1, "one part: no SMIL")
	assert.Equal(t, "only text", string(parts[0].Data))

	code, out, errOut = runEnv(t, nil, "send", "--dry-run", "--smil", "none", "--to", "1555", "--text", "t", "--attach", pic)
	require.Equal(t, 0, code, errOut)
	_, _, parts = dryRunRequest(t, out)
	require.Len(t, parts, 2)
	assert.NotContains(t, out, "application/smil")

	own := writeTemp(t, dir, "mine.smil", []byte(`<smil><body><par><img src="pic.png"/></par></body></smil>`))
	code, out, errOut = runEnv(t, nil, "send", "--dry-run", "--smil", own, "--to", "1555", "--text", "t", "--attach", pic)
	require.Equal(t, 0, code, errOut)
	_, _, parts = dryRunRequest(t, out)
	require.Len(t, parts, 3)
	assert.Equal(t, "application/smil", parts[0].ContentType)
	assert.Equal(t, "mine.smil", parts[0].ContentLocation)
	assert.Contains(t, string(parts[0].Data), `<img src="pic.png"/>`)
}

func TestSendAttachTypes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	noExt := writeTemp(t, dir, "picture", demoPNG()) // sniffed
	gif := writeTemp(t, dir, "anim.bin", []byte("GIF89a...."))
	vcard := writeTemp(t, dir, "me.vcf", []byte("BEGIN:VCARD\r\nEND:VCARD\r\n"))
	code, out, errOut := runEnv(t, nil, "send", "--dry-run", "--smil", "none", "--to", "15555550123",
		"--attach", noExt, "--attach", gif+";type=image/gif", "--attach", vcard)
	require.Equal(t, 0, code, errOut)
	_, _, parts := dryRunRequest(t, out)
	require.Len(t, parts, 3)
	assert.Equal(t, "image/png", parts[0].ContentType, "content sniffing")
	assert.Equal(t, "image/gif", parts[1].ContentType, "FILE;type= override")
	assert.Equal(t, `text/x-vcard; charset="utf-8"`, parts[2].ContentType, "extension")

	code, _, errOut = runEnv(t, nil, "send", "--dry-run", "--to", "1", "--attach", gif+";type=nonsense")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "is not a media type")
}

func TestSendUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no recipient", []string{"--text", "x"}, "no recipient"},
		{"no content", []string{"--to", "15555550123"}, "nothing to send"},
		{"bad version", []string{"--to", "1", "--text", "x", "--version", "7.0.0"}, "--version"},
		{"unknown flag", []string{"--nope"}, "flag provided but not defined"},
		{"argument", []string{"--to", "1", "--text", "x", "extra"}, "unexpected argument"},
		{"bad url", []string{"--to", "1", "--text", "x", "--url", "ftp://x"}, "--url"},
		{"bad callback", []string{"--to", "1", "--text", "x", "--dlr-callback-url", "/relative"}, "--dlr-callback-url"},
		{"empty address", []string{"--to", " ", "--text", "x"}, "empty address"},
		{"user without password", []string{"--to", "1", "--text", "x", "--user", "vasp"},
			"--user vasp needs a password: set MM7_PASSWORD or --password-file"},
		{"bad layout", []string{"--to", "1", "--text", "x", "--layout", "deep"}, `--layout: want nested or flat, got "deep"`},
		{"bad transfer encoding", []string{"--to", "1", "--text", "x", "--transfer-encoding", "7bit"}, "--transfer-encoding"},
		{"bad log level", []string{"--to", "1", "--text", "x", "--log-level", "loud"}, "--log-level"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runEnv(t, nil, append([]string{"send"}, tt.args...)...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.want)
			assert.Contains(t, errOut, "Try 'mm7 send -h'")
			assert.Equal(t, 2, strings.Count(errOut, "\n"), "the problem and where to find the usage, not the usage: %q", errOut)
		})
	}
	code, _, errOut := runEnv(t, nil, "send", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, errOut, "Usage: mm7 send")
	assert.Contains(t, errOut, "ShortCode")
	assert.Contains(t, errOut, "Exit codes")
	code, _, _ = runEnv(t, nil, "send", "--help")
	assert.Equal(t, 0, code)
}

// fakeMMSC is an httptest server running an mm7.Handler with OnSubmit.
type fakeMMSC struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*mm7.Message
	hdrs []http.Header
}

func newFakeMMSC(t *testing.T, user string, pass mm7.Secret, onSubmit func(r *mm7.Request) (string, error)) *fakeMMSC {
	t.Helper()
	f := &fakeMMSC{}
	h := &mm7.Handler{Username: user, Password: pass, OnSubmit: func(_ context.Context, r *mm7.Request) (string, error) {
		f.mu.Lock()
		f.reqs = append(f.reqs, r.Message)
		f.hdrs = append(f.hdrs, r.Header)
		f.mu.Unlock()
		return onSubmit(r)
	}}
	f.Server = httptest.NewServer(h)
	t.Cleanup(f.Close)
	return f
}

func TestSendAgainstHandler(t *testing.T) {
	t.Parallel()
	mmsc := newFakeMMSC(t, "vasp", "pw-env", func(*mm7.Request) (string, error) { return "msg-42", nil })
	dir := t.TempDir()
	pic := writeTemp(t, dir, "pic.png", demoPNG())
	code, out, errOut := runEnv(t, map[string]string{passwordEnv: "pw-env"}, "send", "--url", mmsc.URL+"/mm7", "--user", "vasp",
		"--to", "15555550123", "--text", "hello", "--attach", pic, "--transaction-id", "tx-1", "--carrier-code", "7")
	require.Equal(t, 0, code, errOut)
	assert.True(t, strings.HasSuffix(out, "}\n") && strings.Count(out, "\n") == 1, "one JSON object and a newline: %q", out)
	var got callOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, callOutput{MessageID: "msg-42", HTTPStatus: 200, StatusCode: new(1000), StatusText: "Success", StatusSource: "response",
		TransactionID: "tx-1", Version: "6.8.0", Schema: "REL-6-MM7-1-4", Attempts: 1,
		Answered: &answeredVersion{Schema: "REL-6-MM7-1-4", Namespace: rel6.Namespace, MM7Version: "6.8.0"}}, got)
	assert.Empty(t, errOut, "nothing on stderr on success")
	mmsc.mu.Lock()
	assert.Equal(t, "7", mmsc.hdrs[0].Get(mm7.VibesHeaderCarrierCode))
	mmsc.mu.Unlock()
}

func TestSendPasswordFile(t *testing.T) {
	t.Parallel()
	mmsc := newFakeMMSC(t, "vasp", "from-file", func(*mm7.Request) (string, error) { return "m1", nil })
	pw := writeTemp(t, t.TempDir(), "pw", []byte("from-file\n"))
	code, out, errOut := runEnv(t, map[string]string{passwordEnv: "ignored"}, "send", "--url", mmsc.URL, "--user", "vasp",
		"--password-file", pw, "--to", "15555550123", "--text", "x")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"message_id":"m1"`)

	code, out, errOut = runEnv(t, nil, "send", "--url", mmsc.URL, "--user", "vasp",
		"--password-file", filepath.Join(t.TempDir(), "missing"), "--to", "1", "--text", "x")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "mm7 send: password file")

	// Wrong password: HTTP 401 without an MM7 body: an HTTP error.
	code, out, errOut = runEnv(t, map[string]string{passwordEnv: "wrong"}, "send", "--url", mmsc.URL, "--user", "vasp",
		"--to", "15555550123", "--text", "x")
	assert.Equal(t, exitHTTP, code)
	assert.Contains(t, out, `"http_status":401`)
	assert.NotContains(t, out, "status_code", "no MM7 status was answered")
	assert.Equal(t, "mm7 send: the MMSC answered HTTP 401 Unauthorized (text/plain; charset=utf-8): authentication required\n", errOut)
	assert.NotContains(t, errOut, "wrong")
}

func TestSendNonSuccessStatus(t *testing.T) {
	t.Parallel()
	mmsc := newFakeMMSC(t, "", "", func(*mm7.Request) (string, error) {
		return "", &mm7.StatusError{Code: mm7.StatusAddressError}
	})
	code, out, errOut := runEnv(t, nil, "send", "--url", mmsc.URL, "--to", "15555550123", "--text", "x", "--transaction-id", "tx-2002")
	assert.Equal(t, 3, code, errOut)
	var got callOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got), "JSON is printed on a non-success status")
	assert.Equal(t, new(2002), got.StatusCode)
	assert.Equal(t, "tx-2002", got.TransactionID)
	assert.Empty(t, got.MessageID)
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	assert.Equal(t, []string{"mm7 send: status 2002 (Address Error)"}, lines)
}

func TestSendVersionAutoNegotiates(t *testing.T) {
	t.Parallel()
	mmsc := newFakeMMSC(t, "", "", func(r *mm7.Request) (string, error) {
		if r.Version().Release == 6 {
			return "", &mm7.StatusError{Code: mm7.StatusUnsupportedVersion}
		}
		return "rel5-id", nil
	})
	code, out, errOut := runEnv(t, nil, "send", "--url", mmsc.URL, "--version", "auto", "--to", "15555550123", "--text", "x")
	require.Equal(t, 0, code, errOut)
	var got callOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, "5.5.0", got.Version)
	assert.Equal(t, "REL-5-MM7-1-2", got.Schema)
	assert.True(t, got.Negotiated)
	assert.Equal(t, "rel5-id", got.MessageID)

	// A fixed version is not negotiated: 4002 is the MMSC's answer.
	code, out, errOut = runEnv(t, nil, "send", "--url", mmsc.URL, "--version", "6.8.0", "--to", "15555550123", "--text", "x")
	assert.Equal(t, 3, code)
	assert.Contains(t, out, `"status_code":4002`)
	assert.Equal(t, "mm7 send: status 4002 (Unsupported version)\n", errOut)
}

func TestSendNetworkFailure(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	code, out, errOut := runEnv(t, nil, "send", "--url", url, "--to", "15555550123", "--text", "x")
	assert.Equal(t, exitNoAnswer, code)
	assert.Empty(t, out, "no answer, no JSON")
	assert.Equal(t, "mm7 send: could not connect to "+url+": connect: connection refused\n", errOut)
}

func TestUnknownFlagEveryCommand(t *testing.T) {
	t.Parallel()
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runEnv(t, nil, name, "--nope")
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, out)
			assert.Equal(t, "mm7 "+name+": flag provided but not defined: -nope\nTry 'mm7 "+name+" -h'.\n", errOut)
		})
	}
}

func TestSendRecipientsOnePerElement(t *testing.T) {
	t.Parallel()
	code, out, errOut := runEnv(t, nil, "send", "--dry-run", "--url", "http://mmsc.example/", "--to", "15555550123", "--to", "+15555550124",
		"--to", "a@example.com", "--cc", "12345", "--cc", "15555550125", "--bcc", "b@example.com", "--text", "x")
	require.Equal(t, 0, code, errOut)
	_, msg, _ := dryRunRequest(t, out)
	r := msg.Body.(*rel6.SubmitReq).Recipients
	num := func(v string) rel6.MultiAddress { return rel6.MultiAddress{Number: []rel6.Number{{Value: v}}} }
	assert.Equal(t, []rel6.MultiAddress{num("15555550123"), num("+15555550124"),
		{RFC2822Address: []rel6.RFC2822Address{{Value: "a@example.com"}}}}, r.To)
	assert.Equal(t, []rel6.MultiAddress{{ShortCode: []rel6.ShortCode{{Value: "12345"}}}, num("15555550125")}, r.Cc)
	assert.Equal(t, []rel6.MultiAddress{{RFC2822Address: []rel6.RFC2822Address{{Value: "b@example.com"}}}}, r.Bcc)
	assert.Equal(t, 3, strings.Count(out, "<To>"), "one <To> element per address")
}

func TestSendDryRunAppliesLimits(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	big := writeTemp(t, dir, "big.jpg", bytes.Repeat([]byte{0xff, 0xd8, 1, 2}, 2<<20/4))
	code, out, errOut := runEnv(t, nil, "send", "--dry-run", "--to", "15555550123", "--attach", big)
	assert.Equal(t, exitRefused, code, "the Vibes URL gets the Vibes limits, dry run or not")
	assert.Empty(t, out)
	assert.Regexp(t, `^mm7 send: refused locally, nothing sent: Vibes limit: \d+ request body bytes, at most 1048576 \(the MMSC would answer HTTP 413\)\n$`, errOut)

	code, out, errOut = runEnv(t, nil, "send", "--dry-run", "--to", "15555550123", "--to", "15555550124", "--text", "x")
	assert.Equal(t, exitRefused, code)
	assert.Empty(t, out)
	assert.Equal(t, "mm7 send: refused locally, nothing sent: Vibes limit: 2 recipients, at most 1 (the MMSC would answer status 3003)\n", errOut)

	// The same message to another MMSC has no such limits.
	code, _, errOut = runEnv(t, nil, "send", "--dry-run", "--url", "http://mmsc.example/", "--to", "15555550123", "--attach", big)
	assert.Equal(t, 0, code, errOut)

	// Live, the same refusal and exit code, and nothing is sent.
	mmsc := newFakeMMSC(t, "", "", func(*mm7.Request) (string, error) { return "never", nil })
	live := map[string]string{}
	code, out, errOut = runEnv(t, live, "send", "--url", mmsc.URL, "--to", "15555550123", "--to", "15555550124", "--text", "x")
	assert.Equal(t, 0, code, "no limit at a non-Vibes URL: %s", errOut)
	assert.Contains(t, out, `"message_id":"never"`)
}

func TestSendLayoutAndTransferEncoding(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	img := demoPNG()
	pic := writeTemp(t, dir, "pic.png", img)
	code, out, errOut := runEnv(t, nil, "send", "--dry-run", "--url", "http://mmsc.example/", "--to", "15555550123",
		"--text", "hi", "--attach", pic, "--layout", "flat", "--transfer-encoding", "binary")
	require.Equal(t, 0, code, errOut)
	req, msg, parts := dryRunRequest(t, out)
	assert.NotContains(t, out, "multipart/mixed")
	assert.NotContains(t, out, `type="application/smil"`, "no nested multipart")
	assert.Contains(t, out, "Content-Type: image/png\r\nContent-Transfer-Encoding: binary\r\n")
	require.Len(t, parts, 3)
	assert.Equal(t, "application/smil", parts[0].ContentType)
	assert.Equal(t, "cid:presentation.smil", msg.Body.(*rel6.SubmitReq).Content.Href, "href names the SMIL part")
	assert.Equal(t, img, parts[2].Data)
	assert.Equal(t, int64(len(out)-strings.Index(out, "\r\n\r\n")-4), req.ContentLength, "Content-Length is exact")
}

func TestSendTLSFailureIsNotRetryLater(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()                                   // a certificate nobody trusts
	t.Cleanup(srv.Close)
	code, out, errOut := runEnv(t, nil, "send", "--url", srv.URL, "--to", "15555550123", "--text", "x")
	assert.Equal(t, exitFail, code, errOut)
	assert.Empty(t, out)
	assert.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
	assert.Contains(t, errOut, "certificate")
}

func TestSendErrorLineBounded(t *testing.T) {
	t.Parallel()
	mmsc := newFakeMMSC(t, "", "", func(*mm7.Request) (string, error) {
		return "", &mm7.StatusError{Code: mm7.StatusValidationError, Text: strings.Repeat("very long reason ", 100),
			Details: strings.Repeat("detail\r\n", 100)}
	})
	code, out, errOut := runEnv(t, nil, "send", "--url", mmsc.URL, "--to", "15555550123", "--text", "x")
	assert.Equal(t, exitMMStatus, code)
	assert.Contains(t, out, `"status_code":4004`)
	assert.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
	assert.LessOrEqual(t, len(errOut), len("mm7 send: ")+errLineMax+1, errOut)
	assert.True(t, strings.HasPrefix(errOut, "mm7 send: status 4004 (Validation error): very long reason"), errOut)
	assert.True(t, strings.HasSuffix(errOut, "...\n"), errOut)
}
