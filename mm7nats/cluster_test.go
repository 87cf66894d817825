package mm7nats_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7nats"
)

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startCluster runs a 3-node JetStream cluster on loopback.
func startCluster(t *testing.T) []*server.Server {
	t.Helper()
	ports := []int{freePort(t), freePort(t), freePort(t)}
	var routes []string
	for _, p := range ports {
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", p))
	}
	nodes := make([]*server.Server, 3)
	errc := make(chan error, 3)
	for i := range nodes {
		go func() {
			s, err := mm7nats.RunServer(mm7nats.ServerOptions{Dir: t.TempDir(), Port: -1, Name: fmt.Sprintf("n%d", i),
				Cluster: &mm7nats.ClusterOptions{Name: "mm7", Port: ports[i], Routes: routes}})
			nodes[i] = s
			errc <- err
		}()
	}
	for range nodes {
		require.NoError(t, <-errc)
	}
	t.Cleanup(func() {
		for _, s := range nodes {
			s.Shutdown()
			s.WaitForShutdown()
		}
	})
	return nodes
}

func TestClusterR3KeepsAcceptingWithOneNodeDown(t *testing.T) {
	if testing.Short() {
		t.Skip("3-node cluster: skipped with -short")
	}
	nodes := startCluster(t)
	var urls []string
	for _, s := range nodes {
		urls = append(urls, s.ClientURL())
	}
	all := strings.Join(urls, ",")
	var bus *mm7nats.Bus
	require.Eventually(t, func() bool { // the meta leader is elected
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		b, err := openBusErr(ctx, all, mm7nats.Config{Replicas: 3})
		bus = b
		return err == nil
	}, 30*time.Second, 500*time.Millisecond)
	t.Cleanup(bus.JS.Conn().Close)
	rp := startReplica(t, bus, nil)
	send := func(tx string) error {
		req, atts := mo("15555550123", "cluster "+tx)
		res, err := newClient(t, rp.ts.URL).Do(context.Background(), req, atts, mm7.WithTransactionID(tx))
		if err == nil && res.Status != mm7.StatusSuccess {
			err = fmt.Errorf("status %d", res.Status)
		}
		return err
	}
	require.NoError(t, send("before"))
	// Stop the node the receiver is connected to.
	connected := bus.JS.Conn().ConnectedUrl()
	for _, s := range nodes {
		if s.ClientURL() == connected {
			s.Shutdown()
			s.WaitForShutdown()
		}
	}
	// Accepted again once the client reconnected and the stream's
	// leader moved (a 503 meanwhile, never a 1000 without a copy).
	require.Eventually(t, func() bool { return send("after") == nil }, 30*time.Second, 200*time.Millisecond)
	require.NoError(t, send("after-2"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := bus.JS.Stream(ctx, "MM7_IN")
	require.NoError(t, err)
	info, err := s.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), info.State.Msgs)
	assert.Equal(t, 3, info.Config.Replicas)
}
