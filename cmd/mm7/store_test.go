package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/xsdtypes"
)

// postMO stores an MO with txID and subject and returns the reply status.
func postMO(t *testing.T, s *runningServe, txID, subject string) mm7.StatusCode {
	t.Helper()
	msg, atts, _ := moMessage(txID)
	msg.Body.(*rel6.DeliverReq).Subject = new(subject)
	ct, body := encodeMessage(t, msg, atts...)
	code, rsp := post(t, s.url, "", "", ct, body)
	require.Equal(t, http.StatusOK, code)
	return status(t, rsp)
}

// dlr builds a REL-6 delivery report; recipient nil leaves it out.
func dlr(txID, messageID string, recipient *string, st rel6.MMDeliveryStatus) *mm7.Message {
	b := &rel6.DeliveryReportReq{
		MessageID: messageID,
		Sender:    rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}},
		Date:      xsdtypes.NewDateTime(time.Date(2024, 1, 15, 14, 3, 22, 0, time.UTC)),
		MMStatus:  st,
	}
	if recipient != nil {
		b.Recipient = rel6.Address{RFC2822Address: &rel6.RFC2822Address{Value: *recipient}}
	}
	return &mm7.Message{TransactionID: txID, Version: mm7.Rel6, Body: b}
}

// allStored returns the message.json of every message stored under kind.
func allStored(t *testing.T, out, kind string) []storedMessage {
	t.Helper()
	var list []storedMessage
	for _, n := range dirNames(t, filepath.Join(out, kind)) {
		list = append(list, readJSON(t, filepath.Join(out, kind, n, messageFile)))
	}
	return list
}

func TestStoreKeepsEnvelopeAsReceived(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	s := startServeCmd(t, nil, out)
	msg, atts, _ := moMessage("env-tx")
	ct, body := encodeMessage(t, msg, atts...)
	code, rsp := post(t, s.url, "", "", ct, body)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, mm7.StatusSuccess, status(t, rsp))
	dec, err := mm7.NewDecoder(strings.NewReader(string(body)), ct, mm7.DecodeOptions{})
	require.NoError(t, err)
	_, err = dec.Message()
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join(out, "deliver", "env-tx", "envelope.xml"))
	require.NoError(t, err)
	assert.Equal(t, string(dec.Envelope()), string(got), "the SOAP part byte for byte")
}

func TestStoreKeysAreInjective(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	s := startServeCmd(t, nil, out)
	// The old name of "a/b" was "a_b-" and 12 hex of its SHA-256; a safe
	// TransactionID of that shape must not share its directory.
	h := sha256.Sum256([]byte("a/b"))
	for _, tx := range []string{"a/b", "a_b-" + hex.EncodeToString(h[:6]), "a_b"} {
		assert.Equal(t, mm7.StatusSuccess, postMO(t, s, tx, "subject of "+tx))
	}
	var txs []string
	for _, m := range allStored(t, out, "deliver") {
		txs = append(txs, m.TransactionID)
		assert.Equal(t, "subject of "+m.TransactionID, m.Message.(map[string]any)["Subject"])
	}
	assert.ElementsMatch(t, []string{"a/b", "a_b-" + hex.EncodeToString(h[:6]), "a_b"}, txs, "three messages, three directories")

	// Reports whose MessageID or recipient hold the separator.
	for i, r := range []struct{ mid, rcpt string }{{"m_x", "y@e.com"}, {"m", "x_y@e.com"}} {
		ct, body := encodeMessage(t, dlr("dlr-"+string(rune('a'+i)), r.mid, &r.rcpt, rel6.MMDeliveryStatusRetrieved))
		code, rsp := post(t, s.url, "", "", ct, body)
		require.Equal(t, http.StatusOK, code)
		require.Equal(t, mm7.StatusSuccess, status(t, rsp))
	}
	assert.Len(t, allStored(t, out, "delivery-report"), 2, "two reports, two directories")
}

func TestStoreAbsentIsNotEmpty(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	s := startServeCmd(t, nil, out)
	empty := ""
	for i, m := range []*mm7.Message{
		dlr("no-rcpt", "mid-1", nil, rel6.MMDeliveryStatusRetrieved),
		dlr("empty-rcpt", "mid-1", &empty, rel6.MMDeliveryStatusRetrieved),
	} {
		ct, body := encodeMessage(t, m)
		code, rsp := post(t, s.url, "", "", ct, body)
		require.Equal(t, http.StatusOK, code, i)
		require.Equal(t, mm7.StatusSuccess, status(t, rsp), i)
	}
	names := dirNames(t, filepath.Join(out, "delivery-report"))
	assert.Len(t, names, 2, "a missing recipient is not an empty one")
	for _, m := range allStored(t, out, "delivery-report") {
		if m.TransactionID == "no-rcpt" {
			assert.NotContains(t, m.ID, "__", "no empty key part for a missing recipient")
		}
	}
}

func TestStoreRepeatNeedsSameContent(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	s := startServeCmd(t, nil, out)
	assert.Equal(t, mm7.StatusSuccess, postMO(t, s, "reused", "first"))
	assert.Equal(t, mm7.StatusSuccess, postMO(t, s, "reused", "second"))
	assert.Equal(t, mm7.StatusSuccess, postMO(t, s, "reused", "first"), "a true repeat")
	assert.Equal(t, mm7.StatusSuccess, postMO(t, s, "reused", "second"), "a true repeat of the second")
	var subjects []any
	for _, m := range allStored(t, out, "deliver") {
		assert.Equal(t, "reused", m.TransactionID)
		subjects = append(subjects, m.Message.(map[string]any)["Subject"])
	}
	assert.ElementsMatch(t, []any{"first", "second"}, subjects, "a different message reusing a TransactionID is kept")
	assert.Empty(t, dirNames(t, filepath.Join(out, ".tmp")))
}

func TestStoreCleansScratchAtStart(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	st, err := openStore(root)
	require.NoError(t, err)
	left := filepath.Join(root, ".tmp", "deliver-crashed")
	require.NoError(t, os.Mkdir(left, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(left, "part-1"), []byte("half"), 0o644))
	closeStore(st)
	st, err = openStore(root)
	require.NoError(t, err)
	defer closeStore(st)
	assert.Empty(t, dirNames(t, filepath.Join(root, ".tmp")), "a crash's leftovers can never be completed")
}

// closeStore closes a store opened by a test.
func closeStore(st *store) { st.close() } //nolint:errcheck

// A failing sync is answered 3000, before or after the rename, and the
// MMSC's retry is then stored, or recognised, once.
func TestStoreSyncFailureIsRetried(t *testing.T) {
	t.Parallel()
	for _, failAt := range []int{1, 2} {
		t.Run(strconv.Itoa(failAt), func(t *testing.T) {
			t.Parallel()
			st, err := openStore(t.TempDir())
			require.NoError(t, err)
			defer st.close()
			calls := 0
			st.inject = func(op string) error {
				if op != "sync" {
					return nil
				}
				calls++
				if calls == failAt {
					return errors.New("input/output error")
				}
				return nil
			}
			h := newServeHandler(st, serveConfig{}, nil)
			msg, atts, _ := moMessage("sync-fail")
			ct, body := encodeMessage(t, msg, atts...)
			code, rsp := serveOnce(t, h, ct, body)
			assert.Equal(t, http.StatusInternalServerError, code)
			assert.Equal(t, mm7.StatusServerError, status(t, rsp), "3000: not durable, send again")
			code, rsp = serveOnce(t, h, ct, body)
			assert.Equal(t, http.StatusOK, code)
			assert.Equal(t, mm7.StatusSuccess, status(t, rsp))
			assert.Equal(t, []string{"sync-fail"}, dirNames(t, filepath.Join(st.root, kindDeliver)))
			assert.Empty(t, dirNames(t, filepath.Join(st.root, tmpDir)))
		})
	}
}

// A long TransactionID (within the Handler's 1024 bytes) names a bounded
// directory and is logged as a prefix and a hash; an over-long one is
// refused with 2007 and stores nothing.
func TestServeBoundsIDs(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	s := startServeCmd(t, nil, out)
	long := strings.Repeat("L", 1000)
	assert.Equal(t, mm7.StatusSuccess, postMO(t, s, long, "long"))
	names := dirNames(t, filepath.Join(out, "deliver"))
	require.Len(t, names, 1)
	assert.LessOrEqual(t, len(names[0]), 48+1+64)
	assert.Equal(t, long, readJSON(t, filepath.Join(out, "deliver", names[0], messageFile)).TransactionID)
	assert.NotContains(t, s.stderr.String(), strings.Repeat("L", 100), "logged bounded")

	msg, atts, _ := moMessage(strings.Repeat("X", 1<<20))
	ct, body := encodeMessage(t, msg, atts...)
	code, rsp := post(t, s.url, "", "", ct, body)
	assert.Equal(t, http.StatusInternalServerError, code)
	assert.Equal(t, mm7.StatusMessageFormatCorrupt, status(t, rsp))
	assert.Empty(t, rsp.TransactionID, "not echoed")
	assert.Len(t, dirNames(t, filepath.Join(out, "deliver")), 1)
	assert.Less(t, len(s.stderr.String()), 8192)
}

// A full disk is a storage failure: 3000, nothing published, and the
// retry is stored once there is room.
func TestStoreDiskFullIsRetried(t *testing.T) {
	t.Parallel()
	st, err := openStore(t.TempDir())
	require.NoError(t, err)
	defer st.close()
	full := true
	st.inject = func(op string) error {
		if full && op == "write" {
			return &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}
		}
		return nil
	}
	h := newServeHandler(st, serveConfig{}, nil)
	msg, atts, _ := moMessage("disk-full")
	ct, body := encodeMessage(t, msg, atts...)
	code, rsp := serveOnce(t, h, ct, body)
	assert.Equal(t, http.StatusInternalServerError, code)
	assert.Equal(t, mm7.StatusServerError, status(t, rsp))
	assert.Empty(t, dirNames(t, filepath.Join(st.root, kindDeliver)))
	full = false
	code, rsp = serveOnce(t, h, ct, body)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, mm7.StatusSuccess, status(t, rsp))
	assert.Equal(t, []string{"disk-full"}, dirNames(t, filepath.Join(st.root, kindDeliver)))
}

// A TransactionID differing only by white space around it is another
// message unless the content is the same too.
func TestStoreWhitespaceTransactionIDs(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	s := startServeCmd(t, nil, out)
	assert.Equal(t, mm7.StatusSuccess, postMO(t, s, "ws-tx", "one"))
	assert.Equal(t, mm7.StatusSuccess, postMO(t, s, "ws-tx\u00a0", "two"))
	assert.Equal(t, mm7.StatusSuccess, postMO(t, s, "\u2003ws-tx", "three"))
	assert.Len(t, allStored(t, out, "deliver"), 3)
}

// A body the summary cannot read keys the message by its TransactionID
// instead of failing every retry.
func TestSummarizeSurvivesBadBodies(t *testing.T) {
	t.Parallel()
	r := &mm7.Request{Message: &mm7.Message{TransactionID: "t-1", Version: mm7.Rel6, Body: (*rel6.DeliveryReportReq)(nil)}}
	assert.NotPanics(t, func() { assert.Equal(t, txKey("t-1"), summarizeSafe(r).key) })
}

// A message with more parts than a save keeps open is stored whole.
func TestStoreManyParts(t *testing.T) {
	t.Parallel()
	st, err := openStore(t.TempDir())
	require.NoError(t, err)
	defer st.close()
	h := newServeHandler(st, serveConfig{}, nil)
	msg, _, _ := moMessage("many-parts")
	var atts []mm7.Attachment
	for i := range 3 * maxOpenPending {
		atts = append(atts, mm7.Attachment{ContentType: "text/plain", ContentLocation: fmt.Sprintf("p%02d.txt", i),
			Body: strings.NewReader(strings.Repeat(strconv.Itoa(i), 100+i))})
	}
	ct, body := encodeMessage(t, msg, atts...)
	code, rsp := serveOnce(t, h, ct, body)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, mm7.StatusSuccess, status(t, rsp))
	dir := filepath.Join(st.root, kindDeliver, "many-parts")
	for i := range 3 * maxOpenPending {
		data, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("p%02d.txt", i)))
		require.NoError(t, err)
		assert.Equal(t, strings.Repeat(strconv.Itoa(i), 100+i), string(data))
	}
}

// A report retried under a new TransactionID is a repeat (the Header is
// not content); a report for the same key with another body is not.
func TestStoreReportRetriedWithNewTransactionID(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	s := startServeCmd(t, nil, out)
	rcpt := "x@e.com"
	send := func(m *mm7.Message) {
		ct, body := encodeMessage(t, m)
		code, rsp := post(t, s.url, "", "", ct, body)
		require.Equal(t, http.StatusOK, code)
		require.Equal(t, mm7.StatusSuccess, status(t, rsp))
	}
	send(dlr("first-try", "mid-9", &rcpt, rel6.MMDeliveryStatusRetrieved))
	send(dlr("second-try", "mid-9", &rcpt, rel6.MMDeliveryStatusRetrieved))
	assert.Len(t, allStored(t, out, "delivery-report"), 1, "same report, new TransactionID: a repeat")
	other := dlr("third", "mid-9", &rcpt, rel6.MMDeliveryStatusRetrieved)
	other.Body.(*rel6.DeliveryReportReq).StatusText = new("another text")
	send(other)
	assert.Len(t, allStored(t, out, "delivery-report"), 2, "same key, other content: kept")
}

// What an older mm7 serve stored (no content digest), or a file where a
// message directory would go, is never taken for the message: the new
// one is stored beside it.
func TestStoreBesideForeignEntries(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	st, err := openStore(root)
	require.NoError(t, err)
	defer st.close()
	old := filepath.Join(root, kindDeliver, "old-format")
	require.NoError(t, os.Mkdir(old, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(old, messageFile), []byte(`{"kind":"DeliverReq","id":"old-format"}`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, kindDeliver, "a-file"), []byte("x"), 0o644))
	h := newServeHandler(st, serveConfig{}, nil)
	for _, tx := range []string{"old-format", "a-file"} {
		msg, atts, _ := moMessage(tx)
		ct, body := encodeMessage(t, msg, atts...)
		code, rsp := serveOnce(t, h, ct, body)
		require.Equal(t, http.StatusOK, code)
		require.Equal(t, mm7.StatusSuccess, status(t, rsp))
	}
	names := dirNames(t, filepath.Join(root, kindDeliver))
	assert.Len(t, names, 4)
	var variants int
	for _, n := range names {
		if strings.Contains(n, "~c") {
			variants++
			assert.Equal(t, n, readJSON(t, filepath.Join(root, kindDeliver, n, messageFile)).ID)
		}
	}
	assert.Equal(t, 2, variants)
}
