package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7test"
)

// submitted sends a message through mm7 send and returns its MessageID.
func submitted(t *testing.T, url string, extra ...string) string {
	t.Helper()
	code, out, errOut := runEnv(t, nil, append([]string{"send", "--url", url, "--to", "15555550123", "--text", "x"}, extra...)...)
	require.Equal(t, 0, code, errOut)
	var got callOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.NotEmpty(t, got.MessageID)
	return got.MessageID
}

func TestCancelReplace(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"5.5.0", "6.8.0"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			srv := mm7test.NewServer()
			t.Cleanup(srv.Close)
			id := submitted(t, srv.URL, "--version", v)

			pic := writeTemp(t, t.TempDir(), "new.png", demoPNG())
			code, out, errOut := runEnv(t, nil, "replace", "--url", srv.URL, "--version", v, "--message-id", id,
				"--text", "new text", "--attach", pic, "--service-code", "sc", "--transaction-id", "tx-rep")
			require.Equal(t, 0, code, errOut)
			assert.Empty(t, errOut)
			var got callOutput
			require.NoError(t, json.Unmarshal([]byte(out), &got))
			assert.Equal(t, "tx-rep", got.TransactionID)
			assert.Equal(t, new(1000), got.StatusCode)
			assert.Equal(t, v, got.Version)
			st, ok := srv.Message(id)
			require.True(t, ok)
			assert.Equal(t, mm7test.StateReplaced, st.State)

			code, out, errOut = runEnv(t, nil, "cancel", "--url", srv.URL, "--version", v, "--message-id", id, "--vaspid", "vasp-1")
			require.Equal(t, 0, code, errOut)
			assert.Contains(t, out, `"status_code":1000`)
			st, _ = srv.Message(id)
			assert.Equal(t, mm7test.StateCancelled, st.State)

			reqs := srv.Requests()
			require.Len(t, reqs, 3)
			assert.Equal(t, "ReplaceReq", reqs[1].Kind)
			assert.Equal(t, "CancelReq", reqs[2].Kind)
			if v == "5.5.0" {
				assert.Equal(t, id, reqs[2].Message.Body.(*rel5.CancelReq).MessageID)
				assert.Equal(t, "vasp-1", *reqs[2].Message.Body.(*rel5.CancelReq).SenderIdentification.VASPID)
			} else {
				assert.Equal(t, "sc", reqs[1].Message.Body.(*rel6.ReplaceReq).ServiceCode.Value)
			}

			// Cancelled already: the MMSC answers 3001, the JSON and one line say so.
			code, out, errOut = runEnv(t, nil, "cancel", "--url", srv.URL, "--version", v, "--message-id", id)
			assert.Equal(t, exitMMStatus, code)
			assert.Contains(t, out, `"status_code":3001`)
			assert.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
			assert.Equal(t, "mm7 cancel: status 3001 (Not Possible)\n", errOut)
		})
	}
}

func TestCancelReplaceExtended(t *testing.T) {
	t.Parallel()
	srv := mm7test.NewServer()
	t.Cleanup(srv.Close)
	id := submitted(t, srv.URL)

	code, out, errOut := runEnv(t, nil, "replace", "--url", srv.URL, "--extended", "--message-id", id, "--text", "v2", "--delivery-report")
	require.Equal(t, 0, code, errOut)
	var got callOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, id, got.MessageID, "extendedReplaceRsp carries the MessageID")
	code, _, errOut = runEnv(t, nil, "cancel", "--url", srv.URL, "--version", "auto", "--extended", "--message-id", id)
	require.Equal(t, 0, code, errOut)
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	rr := reqs[1].Message.Body.(*rel6.ExtendedReplaceReq)
	assert.Equal(t, id, *rr.ReplaceID)
	assert.True(t, *rr.DeliveryReport)
	assert.Equal(t, id, reqs[2].Message.Body.(*rel6.ExtendedCancelReq).CancelID)
	st, _ := srv.Message(id)
	assert.Equal(t, mm7test.StateCancelled, st.State)

	code, out, errOut = runEnv(t, nil, "cancel", "--url", srv.URL, "--extended", "--message-id", "unknown-id")
	assert.Equal(t, exitMMStatus, code)
	assert.Contains(t, out, `"status_code":2005`)
	assert.Equal(t, "mm7 cancel: status 2005 (Message ID Not found)\n", errOut)
}

func TestCancelReplaceUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cmd  string
		args []string
		want string
	}{
		{"cancel", nil, "no message: give --message-id"},
		{"replace", []string{"--text", "x"}, "no message: give --message-id"},
		{"cancel", []string{"--message-id", "m", "--extended", "--version", "5.5.0"}, "--extended needs --version 6.8.0"},
		{"replace", []string{"--message-id", "m", "--delivery-report"}, "--delivery-report needs --extended"},
		{"replace", []string{"--message-id", "m", "--extended", "--from", "12345"}, "--from cannot go with --extended"},
		{"cancel", []string{"--message-id", "m", "--user", "u"}, "--user u needs a password"},
		{"cancel", []string{"--message-id", "m", "x"}, `unexpected argument "x"`},
		{"replace", []string{"--message-id", "m", "--layout", "x"}, "--layout"},
	}
	for _, tt := range tests {
		t.Run(tt.cmd+" "+tt.want, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runEnv(t, nil, append([]string{tt.cmd}, tt.args...)...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, out)
			assert.Equal(t, "mm7 "+tt.cmd+": "+tt.want, strings.SplitN(errOut, "\n", 2)[0][:len("mm7 "+tt.cmd+": "+tt.want)])
			assert.Equal(t, 2, strings.Count(errOut, "\n"), errOut)
		})
	}
	code, _, errOut := runEnv(t, nil, "cancel", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, errOut, "Exit codes:")
	assert.Contains(t, errOut, "--message-id")
}

func TestCancelDryRun(t *testing.T) {
	t.Parallel()
	code, out, errOut := runEnv(t, map[string]string{passwordEnv: "pw"}, "cancel", "--dry-run", "--url", "http://mmsc.example/", "--user", "u",
		"--version", "5.5.0", "--message-id", "m-1", "--from", "12345", "--transaction-id", "tx-c")
	require.Equal(t, 0, code, errOut)
	req, msg, parts := dryRunRequest(t, out)
	assert.Equal(t, "Basic REDACTED", req.Header.Get("Authorization"))
	assert.Empty(t, parts)
	assert.Equal(t, mm7.Rel5, msg.Version)
	cr := msg.Body.(*rel5.CancelReq)
	assert.Equal(t, "m-1", cr.MessageID)
	assert.Equal(t, "12345", cr.SenderIdentification.SenderAddress.ShortCode.Value)
}
