//go:build soak

package main

// The soak test (make soak): many senders, MMSC retries, a simulator's
// delivery reports, storage faults (disk full, failed fsyncs), connections
// killed mid-body and slow peers, all against mm7 serve's Handler on
// loopback, for a fixed count. It fails when an acknowledged message is
// missing from the store, when something not sent completely is stored,
// or when goroutines or file descriptors grow.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7test"
	"github.com/openmms/mm7go/xsdtypes"
)

func soakInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func openFDs() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(ents)
}

// soakCounts are what the soak prints.
type soakCounts struct {
	sent, acked, retries, resent, faults, killed, slow atomic.Int64
	dlrSubmitted, dlrAcked                             atomic.Int64
}

// soakMessage is one request as the MMSC keeps it: the same bytes on
// every retry.
type soakMessage struct {
	tx, ct string
	body   []byte
}

func soakMessages(t *testing.T, n int) []soakMessage {
	img := bytes.Repeat([]byte("soak-image-"), 500)
	var list []soakMessage
	for i := range n {
		tx := fmt.Sprintf("soak-%06d", i)
		var m *mm7.Message
		var atts []mm7.Attachment
		switch i % 3 {
		case 0:
			m = &mm7.Message{TransactionID: tx, Version: mm7.Rel6, Body: &rel6.DeliverReq{
				Sender:  rel6.Address{Number: &rel6.Number{Value: "+1555555" + fmt.Sprintf("%04d", i%10000)}},
				Subject: new("soak " + tx)}}
			atts = []mm7.Attachment{
				{ContentType: "text/plain", ContentLocation: "t.txt", Body: bytes.NewReader([]byte("text of " + tx))},
				{ContentType: "image/png", ContentLocation: "i.png", Body: bytes.NewReader(img)},
			}
		case 1:
			m = &mm7.Message{TransactionID: tx, Version: mm7.Rel6, Body: &rel6.DeliveryReportReq{
				MessageID: "mid-" + tx, Recipient: rel6.Address{Number: &rel6.Number{Value: "15555550123"}},
				Sender: rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}},
				Date:   xsdtypes.NewDateTime(time.Date(2024, 1, 15, 14, 3, 22, 0, time.UTC)), MMStatus: rel6.MMDeliveryStatusRetrieved}}
		default:
			m = &mm7.Message{TransactionID: tx, Version: mm7.Rel6, Body: &rel6.ReadReplyReq{
				MessageID: "mid-" + tx, Recipient: rel6.Address{Number: &rel6.Number{Value: "15555550123"}},
				Sender:    rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}},
				TimeStamp: xsdtypes.NewDateTime(time.Date(2024, 1, 15, 14, 3, 22, 0, time.UTC)), MMStatus: rel6.MMReadStatusRead}}
		}
		enc, err := mm7.NewEncoder(m, atts, mm7.EncodeOptions{})
		require.NoError(t, err)
		var buf bytes.Buffer
		_, err = enc.WriteTo(&buf)
		require.NoError(t, err)
		list = append(list, soakMessage{tx: tx, ct: enc.ContentType(), body: buf.Bytes()})
	}
	return list
}

// post sends a message once and reports whether it was acknowledged with
// 1000.
func (m soakMessage) post(ctx context.Context, c *http.Client, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(m.body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", m.ct)
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	dec, _ := mm7.NewDecoder(io.LimitReader(resp.Body, 1<<20), resp.Header.Get("Content-Type"), mm7.DecodeOptions{})
	msg, err := dec.Message()
	if err != nil || resp.StatusCode != http.StatusOK {
		return false
	}
	code, _, ok := msg.Status()
	return ok && code == mm7.StatusSuccess && msg.TransactionID == m.tx
}

func TestSoak(t *testing.T) {
	n := soakInt("SOAK_MESSAGES", 900)
	senders := soakInt("SOAK_SENDERS", 16)
	submits := soakInt("SOAK_SUBMITS", 150)
	faultPct := soakInt("SOAK_FAULT_PERCENT", 5)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	msgs := soakMessages(t, n)
	runtime.GC()
	g0, fd0 := runtime.NumGoroutine(), openFDs()

	var counts soakCounts
	out := t.TempDir()
	st, err := openStore(out)
	require.NoError(t, err)
	var rmu sync.Mutex
	rng := rand.New(rand.NewPCG(1, 2))
	st.inject = func(op string) error {
		rmu.Lock()
		hit := rng.IntN(100) < faultPct
		rmu.Unlock()
		if !hit {
			return nil
		}
		counts.faults.Add(1)
		if op == "write" {
			return &os.PathError{Op: "write", Path: "soak", Err: syscall.ENOSPC}
		}
		return &os.PathError{Op: "sync", Path: "soak", Err: syscall.EIO}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: newServeHandler(st, serveConfig{}, nil), ReadHeaderTimeout: 2 * time.Second, ReadTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // ErrServerClosed at the end
	url := "http://" + ln.Addr().String() + "/"
	tr := &http.Transport{MaxIdleConnsPerHost: senders * 2}
	c := &http.Client{Transport: tr, Timeout: 20 * time.Second}

	// The simulator: SubmitReqs with delivery reports, which it sends to
	// serve (once: it does not retry).
	mmsc := mm7test.NewMMSC(mm7test.Options{VASPURL: url})
	mmscLn, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	mmscSrv := &http.Server{Handler: mmsc, ReadHeaderTimeout: 2 * time.Second}
	go mmscSrv.Serve(mmscLn) //nolint:errcheck
	client, err := mm7.NewClient("http://"+mmscLn.Addr().String()+"/", func(o *mm7.Options) { o.HTTPClient = c })
	require.NoError(t, err)

	acked := make([]atomic.Bool, n)
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range senders {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				m := msgs[i]
				counts.sent.Add(1)
				for attempt := 0; attempt < 30 && ctx.Err() == nil; attempt++ {
					if attempt > 0 {
						counts.retries.Add(1)
						time.Sleep(time.Duration(attempt) * 2 * time.Millisecond)
					}
					if m.post(ctx, c, url) {
						acked[i].Store(true)
						counts.acked.Add(1)
						break
					}
				}
				if i%7 == 0 { // the answer was lost: the MMSC sends it again
					counts.resent.Add(1)
					m.post(ctx, c, url)
				}
			}
		})
	}
	// Connections killed mid-body: never acknowledged, never stored.
	wg.Go(func() {
		for i := range 40 {
			m := msgs[i%len(msgs)]
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				continue
			}
			fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", m.ct, len(m.body)+100)
			conn.Write(m.body[:len(m.body)/2]) //nolint:errcheck
			conn.Close()
			counts.killed.Add(1)
		}
	})
	// Slow peers: a body trickled in pieces, acknowledged in the end.
	slowAcked := make([]atomic.Bool, n)
	wg.Go(func() {
		for i := 0; i < 6 && i < n; i++ {
			m := msgs[n-1-i]
			pr, pw := io.Pipe()
			go func() {
				for j := 0; j < len(m.body); j += len(m.body)/10 + 1 {
					pw.Write(m.body[j:min(j+len(m.body)/10+1, len(m.body))]) //nolint:errcheck
					time.Sleep(20 * time.Millisecond)
				}
				pw.Close()
			}()
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, pr)
			req.Header.Set("Content-Type", m.ct)
			if resp, err := c.Do(req); err == nil {
				dec, _ := mm7.NewDecoder(resp.Body, resp.Header.Get("Content-Type"), mm7.DecodeOptions{})
				if msg, err := dec.Message(); err == nil {
					if code, _, ok := msg.Status(); ok && code == mm7.StatusSuccess {
						slowAcked[n-1-i].Store(true)
					}
				}
				resp.Body.Close()
			}
			counts.slow.Add(1)
		}
	})
	// Submits whose delivery reports the simulator sends to serve.
	wg.Go(func() {
		for i := range submits {
			req := &rel6.SubmitReq{
				SenderIdentification: rel6.SenderID{VASPID: new("soak"), SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}},
				Recipients:           rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: fmt.Sprintf("1555000%04d", i)}}}}},
				DeliveryReport:       new(true),
			}
			if _, err := client.Submit(ctx, req, []mm7.Attachment{{ContentType: "text/plain", Body: bytes.NewReader([]byte("hi"))}}); err == nil {
				counts.dlrSubmitted.Add(1)
			}
		}
	})
	wg.Wait()
	reports, err := mmsc.WaitReports(ctx, int(counts.dlrSubmitted.Load()))
	require.NoError(t, err)

	// Shut everything down, then look at the store.
	sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer scancel()
	require.NoError(t, mmscSrv.Shutdown(sctx))
	require.NoError(t, mmsc.Shutdown(sctx))
	require.NoError(t, srv.Shutdown(sctx))
	tr.CloseIdleConnections()
	require.NoError(t, st.close())

	type key struct{ kind, tx string }
	stored := map[key]int{}
	reportsStored := map[string]bool{}
	dirs := 0
	for _, kind := range []string{kindDeliver, kindDeliveryReport, kindReadReply} {
		for _, name := range dirNames(t, filepath.Join(out, kind)) {
			data, err := os.ReadFile(filepath.Join(out, kind, name, messageFile))
			require.NoError(t, err)
			var sm storedMessage
			require.NoError(t, json.Unmarshal(data, &sm))
			stored[key{kind, sm.TransactionID}]++
			if m, ok := sm.Message.(map[string]any); ok && kind == kindDeliveryReport {
				if mid, ok := m["MessageID"].(string); ok {
					reportsStored[mid] = true
				}
			}
			dirs++
		}
	}
	missing, duplicates := 0, 0
	for i, m := range msgs {
		k := key{[]string{kindDeliver, kindDeliveryReport, kindReadReply}[i%3], m.tx}
		if (acked[i].Load() || slowAcked[i].Load()) && stored[k] == 0 {
			missing++
			t.Errorf("acknowledged %s missing", m.tx)
		}
		if stored[k] > 1 {
			duplicates += stored[k] - 1
		}
	}
	simStored := 0
	for _, r := range reports {
		if reportsStored[r.MessageID] {
			simStored++
		}
		if r.Err == nil && r.Result != nil && r.Result.Status == mm7.StatusSuccess {
			counts.dlrAcked.Add(1)
			if !reportsStored[r.MessageID] {
				missing++
				t.Errorf("acknowledged delivery report of %s missing", r.MessageID)
			}
		}
	}
	assert.Empty(t, dirNames(t, filepath.Join(out, tmpDir)), "no scratch left")

	// Goroutines and descriptors come back to where they were.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && (runtime.NumGoroutine() > g0+2 || openFDs() > fd0+2) {
		time.Sleep(50 * time.Millisecond)
	}
	g1, fd1 := runtime.NumGoroutine(), openFDs()
	fmt.Printf("soak: sent=%d acked=%d stored=%d duplicates=%d retries=%d resent=%d faults=%d killed=%d slow=%d dlr_submitted=%d dlr_acked=%d dlr_stored=%d missing=%d goroutines=%d->%d fds=%d->%d\n",
		counts.sent.Load(), counts.acked.Load(), dirs, duplicates, counts.retries.Load(), counts.resent.Load(), counts.faults.Load(),
		counts.killed.Load(), counts.slow.Load(), counts.dlrSubmitted.Load(), counts.dlrAcked.Load(), simStored, missing, g0, g1, fd0, fd1)
	assert.Zero(t, missing)
	assert.Zero(t, duplicates, "retries of identical bytes are stored once")
	assert.Equal(t, int64(n), counts.acked.Load(), "every message acknowledged within its retries")
	assert.LessOrEqual(t, g1, g0+2, "goroutines")
	assert.LessOrEqual(t, fd1, fd0+2, "file descriptors")
	// Nothing stored that was never sent in full: every stored MO/report
	// is one of ours.
	for k := range stored {
		var ok bool
		for i, m := range msgs {
			if m.tx == k.tx && []string{kindDeliver, kindDeliveryReport, kindReadReply}[i%3] == k.kind {
				ok = true
				break
			}
		}
		if !ok && k.kind != kindDeliveryReport {
			t.Errorf("stored %v, which was never sent", k)
		}
	}
}
