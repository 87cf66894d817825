package mm7nats_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7nats"
	"github.com/openmms/mm7go/xsdtypes"
)

func inbound(t *testing.T, m *jetstream.RawStreamMsg) *mm7nats.Inbound {
	t.Helper()
	var in mm7nats.Inbound
	require.NoError(t, json.Unmarshal(m.Data, &in))
	return &in
}

func TestSinkReplicasStoreOnce(t *testing.T) {
	ns := startNATS(t, "", -1)
	cfg := mm7nats.Config{InlineMax: 1024}
	a := startReplica(t, openBus(t, ns.ClientURL(), cfg), nil)
	b := startReplica(t, openBus(t, ns.ClientURL(), cfg), nil)
	bus := openBus(t, ns.ClientURL(), cfg)
	ctx := context.Background()

	big := bytes.Repeat([]byte("0123456789"), 500) // 5000 bytes: over InlineMax
	send := func(url, tx, text string) {
		req, atts := mo("15555550123", text)
		atts = append(atts, mm7.Attachment{ContentType: "image/png", ContentID: "big", ContentLocation: "big.png", Body: bytes.NewReader(big)})
		res, err := newClient(t, url).Do(ctx, req, atts, mm7.WithTransactionID(tx))
		require.NoError(t, err)
		require.Equal(t, mm7.StatusSuccess, res.Status)
	}
	// The same MO to both replicas, one after the other and concurrently.
	send(a.ts.URL, "tx-1", "hi")
	send(b.ts.URL, "tx-1", "hi")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() { send([]string{a.ts.URL, b.ts.URL}[i%2], "tx-2", "concurrent") })
	}
	wg.Wait()
	// Same TransactionID, other content: not a repeat, stored too.
	send(b.ts.URL, "tx-1", "different text")

	msgs := streamMsgs(t, bus, "MM7_IN")
	require.Len(t, msgs, 3)
	first := inbound(t, msgs[0])
	assert.Equal(t, "mm7.in.deliver", msgs[0].Subject)
	assert.Equal(t, "DeliverReq", first.Kind)
	assert.Equal(t, "tx-1", first.TransactionID)
	assert.Equal(t, "15555550123", first.From)
	assert.Contains(t, string(first.Envelope), "DeliverReq")
	require.Len(t, first.Attachments, 2)
	assert.Equal(t, "hi", string(first.Attachments[0].Data))
	assert.Empty(t, first.Attachments[0].Object)
	assert.Nil(t, first.Attachments[1].Data)
	require.NotEmpty(t, first.Attachments[1].Object)
	got, err := bus.Object(ctx, first.Attachments[1].Object)
	require.NoError(t, err)
	assert.Equal(t, big, got)
	assert.Equal(t, "tx-2", inbound(t, msgs[1]).TransactionID)
	third := inbound(t, msgs[2])
	assert.Equal(t, "tx-1", third.TransactionID)
	assert.Equal(t, "different text", string(third.Attachments[0].Data))
	assert.NotEqual(t, first.ID, third.ID)
}

func TestSinkUnavailableAnswers503AndStoresNothing(t *testing.T) {
	dir := t.TempDir()
	ns := startNATS(t, dir, -1)
	url := ns.ClientURL()
	rp := startReplica(t, openBus(t, url, mm7nats.Config{}), nil)
	ns.Shutdown()
	ns.WaitForShutdown()

	req, atts := mo("15555550123", "while down")
	_, err := newClient(t, rp.ts.URL).Do(context.Background(), req, atts, mm7.WithTransactionID("tx-down"))
	require.Error(t, err)
	var fe *mm7.FaultError
	require.ErrorAs(t, err, &fe, "%v", err)
	assert.Equal(t, http.StatusServiceUnavailable, fe.HTTPStatus)
	assert.Equal(t, mm7.StatusServiceUnavailable, fe.Status.Code)

	// Back up on the same port and directory: nothing was stored, and the
	// MMSC's retry is.
	ns2 := restartNATS(t, dir, url)
	bus := openBus(t, ns2.ClientURL(), mm7nats.Config{})
	assert.Empty(t, streamMsgs(t, bus, "MM7_IN"))
	require.Eventually(t, func() bool {
		req, atts := mo("15555550123", "while down")
		res, err := newClient(t, rp.ts.URL).Do(context.Background(), req, atts, mm7.WithTransactionID("tx-down"))
		return err == nil && res.Status == mm7.StatusSuccess
	}, 10*time.Second, 100*time.Millisecond)
	msgs := streamMsgs(t, bus, "MM7_IN")
	require.Len(t, msgs, 1)
	assert.Equal(t, "tx-down", inbound(t, msgs[0]).TransactionID)
}

func TestSinkReplicaKilledMidRequest(t *testing.T) {
	ns := startNATS(t, "", -1)
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	a := startReplica(t, openBus(t, ns.ClientURL(), mm7nats.Config{}), func() {
		once.Do(func() { close(entered) })
		<-release
	})
	b := startReplica(t, openBus(t, ns.ClientURL(), mm7nats.Config{}), nil)
	bus := openBus(t, ns.ClientURL(), mm7nats.Config{})

	errc := make(chan error, 1)
	go func() {
		req, atts := mo("15555550123", "killed")
		_, err := newClient(t, a.ts.URL).Do(context.Background(), req, atts, mm7.WithTransactionID("tx-kill"))
		errc <- err
	}()
	<-entered
	a.ts.CloseClientConnections() // the replica dies before answering
	require.Error(t, <-errc, "the MMSC got no answer")
	// The MMSC retries to the other replica.
	req, atts := mo("15555550123", "killed")
	res, err := newClient(t, b.ts.URL).Do(context.Background(), req, atts, mm7.WithTransactionID("tx-kill"))
	require.NoError(t, err)
	assert.Equal(t, mm7.StatusSuccess, res.Status)
	// The dying replica's callback finishing late stores nothing more.
	close(release)
	time.Sleep(200 * time.Millisecond)
	require.Len(t, streamMsgs(t, bus, "MM7_IN"), 1)
}

func TestSinkReportsCarryJobID(t *testing.T) {
	ns := startNATS(t, "", -1)
	bus := openBus(t, ns.ClientURL(), mm7nats.Config{})
	rp := startReplica(t, bus, nil)
	ctx := context.Background()
	require.NoError(t, mm7nats.RecordResultForTest(ctx, bus, &mm7nats.Result{JobID: "j-42", State: mm7nats.StateAccepted, MessageID: "mid-7"}))

	report := func(mid string) {
		dr := &rel6.DeliveryReportReq{MessageID: mid, Recipient: rel6.Address{Number: &rel6.Number{Value: "15555550123"}},
			Sender: rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}, Date: xsdtypes.NewDateTime(time.Now()),
			MMStatus: rel6.MMDeliveryStatusRetrieved}
		_, err := newClient(t, rp.ts.URL).Do(ctx, dr, nil)
		require.NoError(t, err)
	}
	report("mid-7")
	report("mid-unknown")
	msgs := streamMsgs(t, bus, "MM7_IN")
	require.Len(t, msgs, 2)
	assert.Equal(t, "mm7.in.delivery-report", msgs[0].Subject)
	in := inbound(t, msgs[0])
	assert.Equal(t, "j-42", in.JobID)
	assert.Equal(t, "j-42", msgs[0].Header.Get(mm7nats.HeaderJobID))
	assert.Equal(t, "mid-7", in.MessageID)
	assert.Equal(t, "Retrieved", in.Status)
	assert.Empty(t, inbound(t, msgs[1]).JobID)
}

func TestOpenAppliesMaxAge(t *testing.T) {
	ns := startNATS(t, "", -1)
	bus := openBus(t, ns.ClientURL(), mm7nats.Config{MaxAge: 72 * time.Hour, Prefix: "acme.mm7"})
	ctx := context.Background()
	for name, want := range map[string]time.Duration{"ACME_MM7_IN": 72 * time.Hour, "ACME_MM7_RESULTS": 72 * time.Hour, "ACME_MM7_JOBS": 0} {
		s, err := bus.JS.Stream(ctx, name)
		require.NoError(t, err)
		assert.Equal(t, want, s.CachedInfo().Config.MaxAge, name)
	}
	assert.Equal(t, "acme.mm7.in.deliver", bus.InboundSubject("deliver"))
	assert.Equal(t, "acme.mm7.jobs.xb1", bus.JobSubject("xb1"))
	assert.NotEqual(t, bus.JobSubject("a.b"), bus.JobSubject("a_b"), "account names never share a subject")
	_, err := mm7nats.Open(ctx, bus.JS, mm7nats.Config{Prefix: "bad prefix"})
	assert.Error(t, err)
}
