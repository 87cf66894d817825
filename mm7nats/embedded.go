package mm7nats

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// ServerOptions configure an embedded NATS server with JetStream.
type ServerOptions struct {
	// Dir is where JetStream persists its streams (created if missing).
	Dir string
	// Host and Port are the client listen address; Port 0 means 4222,
	// -1 a free port. Host "" means 127.0.0.1.
	Host string
	Port int
	// Name names the server (required in a cluster).
	Name string
	// Cluster, when set, makes the server a member of a cluster: its
	// name, the route listen address and the routes to the others.
	Cluster *ClusterOptions
	// NoSync lets JetStream acknowledge writes before they are fsynced
	// (its default, every 2 minutes), which is faster but loses what was
	// acknowledged in the last interval if the machine (not just the
	// process) crashes. By default the embedded server fsyncs every write
	// before acknowledging it, as mm7 serve's filesystem store does.
	NoSync bool
}

// ClusterOptions join an embedded server to a cluster.
type ClusterOptions struct {
	Name   string
	Host   string // "" means 127.0.0.1
	Port   int    // route listen port; -1 a free port
	Routes []string
}

// RunServer starts an embedded NATS server with JetStream enabled and
// waits until it accepts clients (at most 10 s). Call Shutdown and
// WaitForShutdown on it to stop it; its client URL is ClientURL().
func RunServer(o ServerOptions) (*server.Server, error) {
	if o.Dir == "" {
		return nil, errors.New("mm7nats: embedded server: no directory")
	}
	opts := &server.Options{
		ServerName: o.Name,
		Host:       o.Host,
		Port:       o.Port,
		JetStream:  true,
		StoreDir:   o.Dir,
		NoSigs:     true,
		NoLog:      true,
		SyncAlways: !o.NoSync,
	}
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if c := o.Cluster; c != nil {
		opts.Cluster = server.ClusterOpts{Name: c.Name, Host: c.Host, Port: c.Port}
		if opts.Cluster.Host == "" {
			opts.Cluster.Host = "127.0.0.1"
		}
		for _, r := range c.Routes {
			u, err := url.Parse(r)
			if err != nil {
				return nil, fmt.Errorf("mm7nats: route %q: %w", r, err)
			}
			opts.Routes = append(opts.Routes, u)
		}
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("mm7nats: embedded server: %w", err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		s.Shutdown()
		return nil, errors.New("mm7nats: embedded server did not start within 10s")
	}
	return s, nil
}
