package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/xsdtypes"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listeningRE = regexp.MustCompile(`(?m)^.*msg=listening addr=(\S+)`)

// waitListening waits for the "msg=listening addr=..." line in log.
func waitListening(t *testing.T, log func() string, done <-chan struct{}) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := listeningRE.FindStringSubmatch(log()); m != nil {
			return m[1]
		}
		select {
		case <-done:
			t.Fatalf("exited before listening:\n%s", log())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("no listening line within 10 s:\n%s", log())
	return ""
}

// runningServe is mm7 serve run in-process.
type runningServe struct {
	url, out string
	stderr   *syncBuffer
	stop     func() int
}

// startServeCmd runs "mm7 serve --addr 127.0.0.1:0 --out DIR args..." and
// returns once it listens.
func startServeCmd(t *testing.T, vars map[string]string, out string, args ...string) *runningServe {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errb := &syncBuffer{}
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: errb, getenv: func(k string) string { return vars[k] }}
	done := make(chan struct{})
	var code int
	go func() {
		defer close(done)
		code = run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--out", out}, args...), e)
	}()
	addr := waitListening(t, errb.String, done)
	var once sync.Once
	stop := func() int {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(15 * time.Second):
				t.Errorf("serve did not stop")
			}
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return &runningServe{url: "http://" + addr, out: out, stderr: errb, stop: stop}
}

// encodeMessage encodes an MM7 message with mm7.NewEncoder.
func encodeMessage(t *testing.T, m *mm7.Message, atts ...mm7.Attachment) (string, []byte) {
	t.Helper()
	enc, err := mm7.NewEncoder(m, atts, mm7.EncodeOptions{})
	require.NoError(t, err)
	var buf bytes.Buffer
	_, err = enc.WriteTo(&buf)
	require.NoError(t, err)
	return enc.ContentType(), buf.Bytes()
}

// post POSTs an MM7 body and decodes the MM7 reply (nil for a non-MM7
// answer such as 401).
func post(t *testing.T, url, user, pass, ct string, body []byte, hdr ...string) (int, *mm7.Message) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("SOAPAction", `""`)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if user != "" || pass != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if !strings.Contains(resp.Header.Get("Content-Type"), "xml") {
		return resp.StatusCode, nil
	}
	dec, err := mm7.NewDecoder(bytes.NewReader(data), resp.Header.Get("Content-Type"), mm7.DecodeOptions{})
	require.NoError(t, err)
	msg, err := dec.Message()
	require.NoError(t, err, string(data))
	return resp.StatusCode, msg
}

// status returns the StatusCode of a reply or Fault.
func status(t *testing.T, m *mm7.Message) mm7.StatusCode {
	t.Helper()
	require.NotNil(t, m)
	c, _, ok := m.Status()
	require.True(t, ok, "reply has a status: %s", m.Kind())
	return c
}

// moMessage builds a REL-6 DeliverReq with a text and an image whose
// Content-Location tries to escape the store.
func moMessage(txID string) (*mm7.Message, []mm7.Attachment, []byte) {
	img := demoPNG()
	msg := &mm7.Message{TransactionID: txID, Version: mm7.Rel6, Body: &rel6.DeliverReq{
		Sender:     rel6.Address{Number: &rel6.Number{Value: "+15555550123"}},
		Recipients: &rel6.Recipients{To: []rel6.MultiAddress{{ShortCode: []rel6.ShortCode{{Value: "12345"}}}}},
		Subject:    new("Photo"),
		LinkedID:   new("lnk-9"),
	}}
	atts := []mm7.Attachment{
		{ContentType: "text/plain", ContentID: "t1", ContentLocation: "hello.txt", Body: strings.NewReader("Hi VASP")},
		{ContentType: "image/png", ContentID: "img1@phone", ContentLocation: "../../etc/passwd", Body: bytes.NewReader(img)},
	}
	return msg, atts, img
}

func readJSON(t *testing.T, path string) storedMessage {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var m storedMessage
	require.NoError(t, json.Unmarshal(data, &m))
	return m
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestServeStoresMOAndReports(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "inbox")
	s := startServeCmd(t, map[string]string{passwordEnv: "serve-pw"}, out, "--user", "mmsc")

	msg, atts, img := moMessage("mo-tx-1")
	ct, body := encodeMessage(t, msg, atts...)
	code, rsp := post(t, s.url+"/any/path", "mmsc", "serve-pw", ct, body, mm7.VibesHeaderCarrierCode, "104")
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, "DeliverRsp", rsp.Kind())
	assert.Equal(t, mm7.StatusSuccess, status(t, rsp))
	assert.Equal(t, "mo-tx-1", rsp.TransactionID)

	dir := filepath.Join(out, "deliver", "mo-tx-1")
	got := readJSON(t, filepath.Join(dir, "message.json"))
	assert.Equal(t, "DeliverReq", got.Kind)
	assert.Equal(t, "mo-tx-1", got.ID)
	assert.Equal(t, "mo-tx-1", got.TransactionID)
	assert.Equal(t, "6.8.0", got.Version)
	assert.Equal(t, "REL-6-MM7-1-4", got.Schema)
	assert.Equal(t, rel6.Namespace, got.Namespace)
	assert.Equal(t, "104", got.CarrierCode)
	assert.Contains(t, got.RemoteAddr, "127.0.0.1:")
	recv, err := time.Parse(time.RFC3339, got.Received)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), recv, time.Minute)
	assert.Empty(t, got.Deviations)
	m := got.Message.(map[string]any)
	assert.Equal(t, "Photo", m["Subject"])
	assert.Equal(t, "lnk-9", m["LinkedID"])
	assert.Equal(t, map[string]any{"Number": map[string]any{"Value": "+15555550123"}}, m["Sender"])

	require.Len(t, got.Attachments, 2)
	assert.Equal(t, storedAttachment{File: "hello.txt", ContentType: `text/plain; charset="utf-8"`, ContentID: "t1",
		ContentLocation: "hello.txt", Size: 7, SHA256: sha256hex([]byte("Hi VASP"))}, got.Attachments[0])
	assert.Equal(t, "passwd.png", got.Attachments[1].File, "Content-Location ../../etc/passwd stays in the message directory")
	assert.Equal(t, "../../etc/passwd", got.Attachments[1].ContentLocation)
	assert.Equal(t, sha256hex(img), got.Attachments[1].SHA256)
	data, err := os.ReadFile(filepath.Join(dir, "passwd.png"))
	require.NoError(t, err)
	assert.Equal(t, img, data, "attachment bytes as sent")
	data, err = os.ReadFile(filepath.Join(dir, "hello.txt"))
	require.NoError(t, err)
	assert.Equal(t, "Hi VASP", string(data))
	assert.ElementsMatch(t, []string{"message.json", "envelope.xml", "hello.txt", "passwd.png"}, dirNames(t, dir))
	assert.Empty(t, dirNames(t, filepath.Join(out, ".tmp")), "no scratch left behind")
	_, err = os.Stat(filepath.Join(out, "etc"))
	assert.True(t, os.IsNotExist(err))

	// Delivery report, REL-5 as Vibes 5.5.0 sends it.
	dlr := &mm7.Message{TransactionID: "dlr-tx-1", Version: mm7.Rel5, Body: &rel5.DeliveryReportReq{
		MessageID: "msg-77",
		Recipient: rel5.Address{Number: &rel5.Number{Value: "15555550123"}},
		Sender:    rel5.Address{ShortCode: &rel5.ShortCode{Value: "12345"}},
		Date:      xsdtypes.NewDateTime(time.Date(2024, 1, 15, 14, 3, 22, 0, time.UTC)),
		MMStatus:  rel5.MMDeliveryStatusRetrieved,
	}}
	ct, body = encodeMessage(t, dlr)
	code, rsp = post(t, s.url+"/dlr", "mmsc", "serve-pw", ct, body)
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, "DeliveryReportRsp", rsp.Kind())
	assert.Equal(t, mm7.StatusSuccess, status(t, rsp))
	got = readJSON(t, filepath.Join(out, "delivery-report", "msg-77_15555550123_Retrieved", "message.json"))
	assert.Equal(t, "5.3.0", got.Version)
	assert.Equal(t, "REL-5-MM7-1-2", got.Schema)
	assert.Equal(t, "Retrieved", got.Message.(map[string]any)["MMStatus"])
	assert.Empty(t, got.Attachments)

	// Read reply.
	rr := &mm7.Message{TransactionID: "rr-tx-1", Version: mm7.Rel6, Body: &rel6.ReadReplyReq{
		MessageID: "msg-77",
		Recipient: rel6.Address{Number: &rel6.Number{Value: "15555550123"}},
		Sender:    rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}},
		TimeStamp: xsdtypes.NewDateTime(time.Now()),
		MMStatus:  rel6.MMReadStatusRead,
	}}
	ct, body = encodeMessage(t, rr)
	code, rsp = post(t, s.url, "mmsc", "serve-pw", ct, body)
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, mm7.StatusSuccess, status(t, rsp))
	assert.FileExists(t, filepath.Join(out, "read-reply", "msg-77_15555550123_Read", "message.json"))

	logs := s.stderr.String()
	assert.Regexp(t, `msg=stored kind=deliver id=mo-tx-1 transaction_id=mo-tx-1 from=\+15555550123 attachments=2`, logs)
	assert.Regexp(t, `msg=stored kind=delivery-report id=msg-77_15555550123_Retrieved transaction_id=dlr-tx-1 from=12345 message_id=msg-77 recipient=15555550123 status=Retrieved`, logs)
	assert.NotContains(t, logs, "Hi VASP", "no bodies in the logs")
	assert.NotContains(t, logs, "serve-pw")
	assert.True(t, strings.HasPrefix(logs, "time="), logs)
	assert.Contains(t, strings.SplitN(logs, "\n", 2)[0], "level=INFO msg=listening addr=127.0.0.1:", "the bound address is the first line")
	assert.Equal(t, 0, s.stop())
}

func sha256hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestServeDuplicateSuppressed(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	s := startServeCmd(t, nil, out)
	msg, atts, _ := moMessage("dup-tx")
	ct, body := encodeMessage(t, msg, atts...)
	for range 2 {
		code, rsp := post(t, s.url, "", "", ct, body)
		require.Equal(t, http.StatusOK, code)
		assert.Equal(t, mm7.StatusSuccess, status(t, rsp))
	}
	// Concurrent retries race to publish: one wins, all are acknowledged.
	var wg sync.WaitGroup
	codes := make([]mm7.StatusCode, 6)
	msg2, atts2, _ := moMessage("race-tx")
	ct2, body2 := encodeMessage(t, msg2, atts2...)
	for i := range codes {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, s.url, bytes.NewReader(body2))
			req.Header.Set("Content-Type", ct2)
			resp, err := http.DefaultClient.Do(req)
			if !assert.NoError(t, err) {
				return
			}
			defer resp.Body.Close()
			dec, _ := mm7.NewDecoder(resp.Body, resp.Header.Get("Content-Type"), mm7.DecodeOptions{})
			if m, err := dec.Message(); assert.NoError(t, err) {
				codes[i], _, _ = m.Status()
			}
		})
	}
	wg.Wait()
	for _, c := range codes {
		assert.Equal(t, mm7.StatusSuccess, c)
	}
	assert.ElementsMatch(t, []string{"dup-tx", "race-tx"}, dirNames(t, filepath.Join(out, "deliver")))
	assert.Empty(t, dirNames(t, filepath.Join(out, ".tmp")))
	assert.Regexp(t, `msg="duplicate, already stored" kind=deliver id=dup-tx`, s.stderr.String())
}

func TestServeWrongPassword(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	pw := writeTemp(t, t.TempDir(), "pw", []byte("right\n"))
	s := startServeCmd(t, nil, out, "--user", "mmsc", "--password-file", pw)
	msg, atts, _ := moMessage("auth-tx")
	ct, body := encodeMessage(t, msg, atts...)
	code, rsp := post(t, s.url, "mmsc", "wrong", ct, body)
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Nil(t, rsp)
	code, _ = post(t, s.url, "", "", ct, body)
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Empty(t, dirNames(t, filepath.Join(out, "deliver")), "nothing stored")
	code, rsp = post(t, s.url, "mmsc", "right", ct, body)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, mm7.StatusSuccess, status(t, rsp))
}

func TestServeStorageFailure(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, s *runningServe, txID string) {
		t.Helper()
		msg, atts, _ := moMessage(txID)
		ct, body := encodeMessage(t, msg, atts...)
		code, rsp := post(t, s.url, "", "", ct, body)
		assert.Equal(t, http.StatusInternalServerError, code)
		require.NotNil(t, rsp)
		assert.Equal(t, "Fault", rsp.Kind())
		assert.Equal(t, mm7.StatusServerError, status(t, rsp), "3000: the MMSC sends it again")
		var fe *mm7.FaultError
		require.ErrorAs(t, rsp.Err(code), &fe)
		assert.Equal(t, "Server", fe.Code)
		_, err := os.Stat(filepath.Join(s.out, "deliver", txID))
		assert.True(t, os.IsNotExist(err), "nothing published")
		assert.Contains(t, s.stderr.String(), "mm7: callback failed")
	}
	t.Run("scratch directory replaced by a file", func(t *testing.T) {
		t.Parallel()
		out := t.TempDir()
		s := startServeCmd(t, nil, out)
		require.NoError(t, os.Remove(filepath.Join(out, ".tmp")))
		require.NoError(t, os.WriteFile(filepath.Join(out, ".tmp"), nil, 0o644))
		check(t, s, "fail-tx")
	})
	t.Run("read-only out dir", func(t *testing.T) {
		t.Parallel()
		if os.Geteuid() == 0 {
			t.Skip("root writes to read-only directories")
		}
		out := t.TempDir()
		s := startServeCmd(t, nil, out)
		for _, d := range []string{".tmp", "deliver", "delivery-report", "read-reply", ""} {
			require.NoError(t, os.Chmod(filepath.Join(out, d), 0o555))
		}
		t.Cleanup(func() {
			for _, d := range []string{".tmp", "deliver", "delivery-report", "read-reply", ""} {
				os.Chmod(filepath.Join(out, d), 0o755) //nolint:errcheck // so that TempDir can be removed
			}
		})
		check(t, s, "ro-tx")
	})
}

func TestServePathAndUsage(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	s := startServeCmd(t, nil, out, "--path", "/mm7/mo")
	msg, atts, _ := moMessage("path-tx")
	ct, body := encodeMessage(t, msg, atts...)
	code, _ := post(t, s.url+"/elsewhere", "", "", ct, body)
	assert.Equal(t, http.StatusNotFound, code)
	code, rsp := post(t, s.url+"/mm7/mo", "", "", ct, body)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, mm7.StatusSuccess, status(t, rsp))
	assert.Contains(t, s.stderr.String(), "no credentials set")

	code, _, errOut := runEnv(t, nil, "serve", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, errOut, "DIR/<kind>/<id>/message.json")
	code, _, errOut = runEnv(t, nil, "serve", "--path", "nope")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--path must start with /")
	code, _, _ = runEnv(t, nil, "serve", "extra")
	assert.Equal(t, 2, code)
	code, _, errOut = runEnv(t, nil, "serve", "--user", "mmsc", "--out", t.TempDir())
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--user needs a password")

	file := writeTemp(t, t.TempDir(), "file", nil)
	code, _, errOut = runEnv(t, nil, "serve", "--addr", "127.0.0.1:0", "--out", file)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "mm7 serve: --out: ")
	code, _, errOut = runEnv(t, nil, "serve", "--addr", "256.0.0.1:0", "--out", t.TempDir())
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "mm7 serve: ")
}

func TestSafeNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		att  mm7.Attachment
		want string
	}{
		{"location", mm7.Attachment{ContentLocation: "photo.jpg", ContentID: "x"}, "photo.jpg"},
		{"traversal", mm7.Attachment{ContentLocation: "../../etc/passwd"}, "passwd"},
		{"traversal typed", mm7.Attachment{ContentLocation: "../../etc/passwd", ContentType: "image/png"}, "passwd.png"},
		{"backslashes", mm7.Attachment{ContentLocation: `..\..\Windows\win.ini`}, "win.ini"},
		{"url", mm7.Attachment{ContentLocation: "http://example.com/a/b/pic.gif?x=1"}, "pic.gif"},
		{"dot dot", mm7.Attachment{ContentLocation: "..", ContentID: "cid1@x", ContentType: "image/jpeg"}, "cid1@x.jpg"},
		{"hidden", mm7.Attachment{ContentLocation: ".bashrc"}, "bashrc"},
		{"only dots", mm7.Attachment{ContentLocation: "...", ContentType: "text/plain"}, "part-3.txt"},
		{"content id", mm7.Attachment{ContentID: "<img/../1>", ContentType: "image/png"}, "_img_.._1_.png"},
		{"nothing", mm7.Attachment{ContentType: "application/octet-stream"}, "part-3"},
		{"control chars", mm7.Attachment{ContentLocation: "a\x00b\nc.txt"}, "a_b_c.txt"},
		{"unicode", mm7.Attachment{ContentLocation: "fotó.png"}, "fot_.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := attachmentFileName(&tt.att, 3)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, got, filepath.Base(got))
			assert.False(t, strings.HasPrefix(got, "."))
		})
	}
	long := strings.Repeat("a", 300) + ".png"
	assert.Equal(t, strings.Repeat("a", 96)+".png", safeName(long, "x"))
}

func TestDirNames(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "mo-tx-1", txKey("mo-tx-1").dirName())
	report := func(mid, rcpt, st string) storeKey {
		return storeKey{scheme: "report", parts: []keyPart{{mid, true}, {rcpt, true}, {st, true}}}
	}
	assert.Equal(t, "msg-1_+15555550123_Retrieved", report("msg-1", "+15555550123", "Retrieved").dirName())
	a, b := txKey("a/b").dirName(), txKey("a_b").dirName()
	assert.NotEqual(t, a, b, "keys that sanitise alike keep distinct directories")
	assert.True(t, strings.HasPrefix(a, "a_b~"), a)
	assert.NotEqual(t, "..", txKey("..").dirName())
	assert.False(t, strings.HasPrefix(txKey("../x").dirName(), "."))
	assert.LessOrEqual(t, len(txKey(strings.Repeat("z", 500)).dirName()), 48+1+64)
	assert.LessOrEqual(t, len(variantName(txKey(strings.Repeat("z", 500)).dirName(), strings.Repeat("0", 64))), 255)
}

func TestStoreRejectsBrokenAttachment(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	s := startServeCmd(t, nil, out)
	msg, atts, _ := moMessage("broken-tx")
	atts[1].TransferEncoding = "base64"
	ct, body := encodeMessage(t, msg, atts...)
	// Corrupt the base64 of the image: the body is broken, not the store.
	i := bytes.LastIndex(body, []byte("Content-Location: ../../etc/passwd\r\n\r\n"))
	require.Positive(t, i)
	j := i + len("Content-Location: ../../etc/passwd\r\n\r\n")
	copy(body[j:], "!!!!")
	code, rsp := post(t, s.url, "", "", ct, body)
	assert.Equal(t, http.StatusInternalServerError, code)
	assert.Equal(t, mm7.StatusMessageFormatCorrupt, status(t, rsp), "a broken body is a client error, not 3000")
	assert.Empty(t, dirNames(t, filepath.Join(out, "deliver")))
	assert.Empty(t, dirNames(t, filepath.Join(out, ".tmp")))
}
