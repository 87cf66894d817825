package mm7nats_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7nats"
)

// startNATS runs a real embedded JetStream server for the test.
func startNATS(t testing.TB, dir string, port int) *server.Server {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	s, err := mm7nats.RunServer(mm7nats.ServerOptions{Dir: dir, Port: port})
	require.NoError(t, err)
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	return s
}

// openBusErr connects to url (comma-separated for a cluster) and opens
// the Bus.
func openBusErr(ctx context.Context, url string, cfg mm7nats.Config) (*mm7nats.Bus, error) {
	nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond), nats.Timeout(2*time.Second))
	if err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc, jetstream.WithDefaultTimeout(2*time.Second))
	if err != nil {
		nc.Close()
		return nil, err
	}
	b, err := mm7nats.Open(ctx, js, cfg)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return b, nil
}

// openBus connects to url (a connection of its own, as another process
// would) and opens the Bus.
func openBus(t testing.TB, url string, cfg mm7nats.Config) *mm7nats.Bus {
	t.Helper()
	nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond), nats.Timeout(2*time.Second))
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc, jetstream.WithDefaultTimeout(2*time.Second))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	b, err := mm7nats.Open(ctx, js, cfg)
	require.NoError(t, err)
	return b
}

// replica is one receiver: an mm7.Handler storing into a Sink.
type replica struct {
	sink *mm7nats.Sink
	ts   *httptest.Server
}

func startReplica(t testing.TB, b *mm7nats.Bus, before func()) *replica {
	t.Helper()
	rp := &replica{sink: &mm7nats.Sink{Bus: b, RetryAfter: time.Second, Timeout: 3 * time.Second}}
	store := func(ctx context.Context, r *mm7.Request) error {
		if before != nil {
			before()
		}
		_, err := rp.sink.Store(ctx, r)
		return err
	}
	h := &mm7.Handler{OnDeliver: store, OnDeliveryReport: store, OnReadReply: store}
	rp.ts = httptest.NewServer(h)
	t.Cleanup(rp.ts.Close)
	return rp
}

func newClient(t testing.TB, url string) *mm7.Client {
	t.Helper()
	c, err := mm7.NewClient(url, func(o *mm7.Options) { o.HTTPClient = &http.Client{Timeout: 10 * time.Second} })
	require.NoError(t, err)
	return c
}

func mo(from, text string) (*rel6.DeliverReq, []mm7.Attachment) {
	req := &rel6.DeliverReq{
		Sender:     rel6.Address{Number: &rel6.Number{Value: from}},
		Recipients: &rel6.Recipients{To: []rel6.MultiAddress{{ShortCode: []rel6.ShortCode{{Value: "12345"}}}}},
		Subject:    new("hello"),
		Content:    &rel6.ContentReference{Href: "cid:content-1"},
	}
	return req, []mm7.Attachment{{ContentType: "text/plain", ContentID: "t1", Body: strings.NewReader(text)}}
}

// streamMsgs returns the messages of a stream.
func streamMsgs(t testing.TB, b *mm7nats.Bus, name string) []*jetstream.RawStreamMsg {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := b.JS.Stream(ctx, name)
	require.NoError(t, err)
	info, err := s.Info(ctx)
	require.NoError(t, err)
	var out []*jetstream.RawStreamMsg
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			continue // deleted (work queue acked)
		}
		out = append(out, m)
	}
	return out
}

// restartNATS starts a server again on the port of url with dir.
func restartNATS(t testing.TB, dir, url string) *server.Server {
	t.Helper()
	u, err := neturl.Parse(url)
	require.NoError(t, err)
	port, err := strconv.Atoi(u.Port())
	require.NoError(t, err)
	return startNATS(t, dir, port)
}
