package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/internal/rawmsg"
	"github.com/openmms/mm7go/mm7"
)

const (
	soapEnvNS = "http://schemas.xmlsoap.org/soap/envelope/"
	rel6NS    = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"
)

// envelope wraps an MM7 body element (written with the m: prefix) in a
// SOAP envelope with a TransactionID.
func envelope(txID, body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<env:Envelope xmlns:env="` + soapEnvNS + `"><env:Header><m:TransactionID xmlns:m="` + rel6NS + `" env:mustUnderstand="1">` + txID + `</m:TransactionID></env:Header>` + "\n" +
		`<env:Body>` + body + `</env:Body></env:Envelope>` + "\n"
}

// An MMSC's delivery report and read reply without the mandatory Date /
// TimeStamp and Sender: the decoder accepts them with deviations, and
// every rendering shows the missing values as absent.
var (
	dlrWithoutDate = envelope("dlr-nodate", `<m:DeliveryReportReq xmlns:m="`+rel6NS+`"><m:MM7Version>6.8.0</m:MM7Version><m:MessageID>msg-nodate</m:MessageID><m:Recipient><m:Number>15555550123</m:Number></m:Recipient><m:MMStatus>Retrieved</m:MMStatus></m:DeliveryReportReq>`)
	rrWithoutDate  = envelope("rr-nodate", `<m:ReadReplyReq xmlns:m="`+rel6NS+`"><m:MM7Version>6.8.0</m:MM7Version><m:MessageID>msg-nodate</m:MessageID><m:Recipient><m:Number>15555550123</m:Number></m:Recipient><m:MMStatus>Read</m:MMStatus></m:ReadReplyReq>`)
)

func inspectJSON(t *testing.T, body string, args ...string) (map[string]any, string) {
	t.Helper()
	code, out, errOut := runCmd(t, body, append(append([]string{"inspect"}, args...), "-")...)
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	return got, out
}

func TestInspectShowsMissingValuesAsAbsent(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ body, missing string }{
		"DeliveryReportReq without Date": {dlrWithoutDate, "Date"},
		"ReadReplyReq without TimeStamp": {rrWithoutDate, "TimeStamp"},
	} {
		t.Run(name, func(t *testing.T) {
			got, out := inspectJSON(t, tc.body, "--content-type", "text/xml")
			m := got["message"].(map[string]any)
			assert.Equal(t, "msg-nodate", m["MessageID"])
			assert.Equal(t, map[string]any{"Number": map[string]any{"Value": "15555550123"}}, m["Recipient"])
			assert.NotContains(t, m, tc.missing)
			assert.NotContains(t, m, "Sender")
			assert.NotContains(t, out, "0001-01-01", "no zero time shown as a date")
			assert.Contains(t, out, "mandatory element "+tc.missing+" missing")
		})
	}
}

func TestServeStoresMessageWithMissingValues(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	s := startServeCmd(t, nil, out)
	for _, tc := range []struct{ body, kind, missing string }{
		{dlrWithoutDate, "delivery-report", "Date"},
		{rrWithoutDate, "read-reply", "TimeStamp"},
	} {
		code, rsp := post(t, s.url, "", "", "text/xml", []byte(tc.body))
		require.Equal(t, http.StatusOK, code)
		require.Equal(t, mm7.StatusSuccess, status(t, rsp), "acknowledged once stored")
		dirs := dirNames(t, filepath.Join(out, tc.kind))
		require.Len(t, dirs, 1)
		data, err := os.ReadFile(filepath.Join(out, tc.kind, dirs[0], "message.json"))
		require.NoError(t, err)
		var got storedMessage
		require.NoError(t, json.Unmarshal(data, &got))
		m := got.Message.(map[string]any)
		assert.Equal(t, "msg-nodate", m["MessageID"])
		assert.NotContains(t, m, tc.missing)
		assert.NotContains(t, m, "Sender")
		assert.False(t, strings.Contains(string(data), "0001-01-01"))
	}
	assert.Equal(t, 0, s.stop())
}

// The aggregator's delivery report with <Recipients><Number> instead of
// <Recipient>: the number is in the "unknown" list of inspect and of
// serve's message.json, not silently gone.
const dlrRecipientsNumber = `<m:DeliveryReportReq xmlns:m="` + rel6NS + `"><m:MM7Version>6.8.0</m:MM7Version><m:MessageID>msg-rc</m:MessageID><m:Recipients><m:Number>15555550188</m:Number></m:Recipients><m:Sender><m:ShortCode>12345</m:ShortCode></m:Sender><m:Date>2024-01-15T14:05:41Z</m:Date><m:MMStatus>Retrieved</m:MMStatus></m:DeliveryReportReq>`

func TestInspectAndServeShowUnknownElements(t *testing.T) {
	t.Parallel()
	body := envelope("dlr-rc", dlrRecipientsNumber)
	want := []any{map[string]any{"path": "/DeliveryReportReq/Recipients", "xml": "<m:Recipients><m:Number>15555550188</m:Number></m:Recipients>"}}

	got, _ := inspectJSON(t, body, "--content-type", "text/xml")
	assert.Equal(t, want, got["unknown"])
	assert.NotContains(t, got["message"], "Recipient", "no empty Recipient shown")

	out := t.TempDir()
	s := startServeCmd(t, nil, out)
	code, rsp := post(t, s.url, "", "", "text/xml", []byte(body))
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, mm7.StatusSuccess, status(t, rsp))
	dirs := dirNames(t, filepath.Join(out, "delivery-report"))
	require.Len(t, dirs, 1)
	data, err := os.ReadFile(filepath.Join(out, "delivery-report", dirs[0], "message.json"))
	require.NoError(t, err)
	var stored map[string]any
	require.NoError(t, json.Unmarshal(data, &stored))
	assert.Equal(t, want, stored["unknown"])
	assert.Contains(t, string(data), "15555550188")
	assert.Equal(t, 0, s.stop())

	// A clean message has an empty list.
	got, _ = inspectJSON(t, dlrWithoutDate, "--content-type", "text/xml")
	assert.Equal(t, []any{}, got["unknown"])
}

// quirkFixture splits a file of mm7/testdata/quirks.
func quirkFixture(t *testing.T, name string) (contentType string, body []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "mm7", "testdata", "quirks", name))
	require.NoError(t, err)
	raw, err := rawmsg.Parse(data, "")
	require.NoError(t, err)
	return raw.ContentType, raw.Body
}

// The SOAP part comes after the content, a nested multipart: inspect
// lists its leaves and serve stores them as files, not the multipart as
// one blob.
func TestRootLastNestedContentIsFlattened(t *testing.T) {
	t.Parallel()
	code, out, errOut := runCmd(t, "", "inspect", filepath.Join("..", "..", "mm7", "testdata", "quirks", "root_last_nested.http"))
	require.Equal(t, 0, code, errOut)
	var got inspectOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	var types []string
	for _, a := range got.Attachments {
		types = append(types, a.ContentType)
	}
	assert.Equal(t, []string{"application/smil", "image/gif", "text/plain; charset=us-ascii"}, types)

	dir := t.TempDir()
	s := startServeCmd(t, nil, dir)
	ct, body := quirkFixture(t, "root_last_nested.http")
	code, rsp := post(t, s.url, "", "", ct, body)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, mm7.StatusSuccess, status(t, rsp))
	stored := filepath.Join(dir, "deliver", "mo-5120")
	assert.ElementsMatch(t, []string{"message.json", "envelope.xml", "pres.smil", "pic.gif", "msg.txt"}, dirNames(t, stored))
	data, err := os.ReadFile(filepath.Join(stored, "msg.txt"))
	require.NoError(t, err)
	assert.Equal(t, "VOTE 7", string(data))
	assert.Equal(t, 0, s.stop())
}

// A delivery report sent as multipart/related without a boundary, the
// body a plain envelope: inspect, validate and serve read it (serve
// answers 1000, not 2007); a body that is neither stays refused.
func TestMultipartWithoutBoundaryXMLBody(t *testing.T) {
	t.Parallel()
	fixture := filepath.Join("..", "..", "mm7", "testdata", "quirks", "dlr_multipart_no_boundary.http")
	code, out, errOut := runCmd(t, "", "inspect", fixture)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"code": "multipart-without-boundary"`)
	assert.Contains(t, out, `"MessageID": "MMSC-NB-0001"`)

	code, out, errOut = runCmd(t, "", "validate", fixture)
	require.Equal(t, 0, code, out+errOut)
	assert.Contains(t, out, "valid DeliveryReportReq")
	assert.Contains(t, errOut, "deviation multipart-without-boundary")

	dir := t.TempDir()
	s := startServeCmd(t, nil, dir)
	ct, body := quirkFixture(t, "dlr_multipart_no_boundary.http")
	hc, rsp := post(t, s.url, "", "", ct, body)
	require.Equal(t, http.StatusOK, hc)
	require.Equal(t, mm7.StatusSuccess, status(t, rsp))
	assert.Len(t, dirNames(t, filepath.Join(dir, "delivery-report")), 1)

	hc, rsp = post(t, s.url, "", "", ct, []byte("--x\r\nContent-Type: text/xml\r\n\r\n<a/>\r\n--x--\r\n"))
	assert.NotEqual(t, http.StatusOK, hc)
	assert.Equal(t, mm7.StatusMessageFormatCorrupt, status(t, rsp))
	assert.Equal(t, 0, s.stop())
}

// inspect --content-type CT FILE where FILE is the multipart body alone,
// starting with its delimiter; and errors that name the user's problem.
func TestInspectBareBody(t *testing.T) {
	t.Parallel()
	ct, body := quirkFixture(t, "root_last_nested.http")
	dir := t.TempDir()
	p := filepath.Join(dir, "body.mime")
	require.NoError(t, os.WriteFile(p, body, 0o644))
	code, out, errOut := runCmd(t, "", "inspect", "--content-type", ct, p)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"transaction_id": "mo-5120"`)
	code, _, errOut = runCmd(t, "", "validate", "--content-type", ct, p)
	assert.Equal(t, 0, code, errOut)

	code, out, errOut = runCmd(t, "", "inspect", p)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, "mm7 inspect: "+p+` is not an MM7 message: it starts with the MIME delimiter "--=_outer_5120" and has no headers: pass --content-type 'multipart/related; boundary="=_outer_5120"'`+"\n", errOut)

	png := filepath.Join(dir, "photo.png")
	require.NoError(t, os.WriteFile(png, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0o644))
	for _, cmd := range []string{"inspect", "validate"} {
		code, _, errOut = runCmd(t, "", cmd, png)
		assert.Equal(t, 1, code)
		assert.Equal(t, "mm7 "+cmd+": "+png+` is not an MM7 message: it starts with "\x89PNG", not an HTTP request or response, MIME headers or XML`+"\n", errOut)
	}
	code, _, errOut = runCmd(t, "<not-soap/>", "inspect", "-")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "mm7 inspect: stdin is not an MM7 message: mm7: decode: root element is not-soap, not a SOAP Envelope")
}
