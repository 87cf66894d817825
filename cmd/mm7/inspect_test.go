package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

func golden(name string) string { return filepath.Join("..", "..", "mm7", "testdata", "golden", name) }

func TestInspectPrintsOneJSONObject(t *testing.T) {
	code, out, errOut := runCmd(t, "", "inspect", golden("rel6_submit_smil.txt"))
	require.Equal(t, 0, code, errOut)
	var got inspectOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, "SubmitReq", got.Kind)
	assert.Equal(t, "6.8.0", got.Version)
	assert.Equal(t, "vasp-2", got.TransactionID)
	require.Len(t, got.Attachments, 3)
	assert.Equal(t, "application/smil", got.Attachments[0].ContentType)
	assert.Equal(t, int64(43), got.Attachments[2].Size)
	assert.Empty(t, got.Deviations)
	assert.Contains(t, out, `"Priority": "High"`)
	assert.NotContains(t, out, "XMLName")
}

func TestInspectStdinAndContentType(t *testing.T) {
	data, err := os.ReadFile(golden("rel6_cancel.txt"))
	require.NoError(t, err)
	_, body, _ := strings.Cut(string(data), "\r\n\r\n")
	code, out, errOut := runCmd(t, body, "inspect", "--content-type", "text/xml", "-")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"kind": "CancelReq"`)
}

func TestInspectAndValidateFailures(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.xml")
	require.NoError(t, os.WriteFile(bad, []byte("<not-soap/>"), 0o644))
	code, out, errOut := runCmd(t, "", "inspect", bad)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, 1, strings.Count(errOut, "\n"), "one-line error")
	assert.Contains(t, errOut, "not a SOAP Envelope")

	code, _, errOut = runCmd(t, "", "inspect")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "Usage: mm7 inspect")
	code, _, _ = runCmd(t, "", "inspect", "-h")
	assert.Equal(t, 0, code)
	code, _, errOut = runCmd(t, "", "nosuch")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "Try 'mm7 -h'")
}

func TestValidate(t *testing.T) {
	code, out, errOut := runCmd(t, "", "validate", golden("rel5_submit_text_image.txt"))
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "valid SubmitReq (REL-5-MM7-1-2, 5.3.0)")

	data, err := os.ReadFile(golden("rel6_submit_smil.txt"))
	require.NoError(t, err)
	broken := strings.Replace(string(data), "<Priority>High</Priority>", "<Priority>Urgent</Priority>", 1)
	broken = strings.Replace(broken, "<MM7Version>6.8.0</MM7Version>", "<MM7Version>6.7.0</MM7Version>", 1)
	p := filepath.Join(t.TempDir(), "broken.txt")
	require.NoError(t, os.WriteFile(p, []byte(broken), 0o644))
	code, out, _ = runCmd(t, "", "validate", p)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "/Envelope/Body/SubmitReq/Priority: ")
	assert.Contains(t, out, "'Urgent'")
	assert.Contains(t, out, "'6.7.0'")
	assert.Regexp(t, `broken\.txt:9:\d+: /Envelope/Body/SubmitReq/MM7Version`, out, "lines are lines of the file")
	assert.Contains(t, out, "invalid SubmitReq: 2 problems")
}
