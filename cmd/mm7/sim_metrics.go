package main

import (
	"context"
	"log/slog"

	"github.com/openmms/mm7go/internal/metrics"
)

// simMetrics serves the simulator's metrics on addr (nothing when addr is
// empty) and returns the logger that feeds them.
func simMetrics(ctx context.Context, addr string, log *slog.Logger) (*slog.Logger, error) {
	if addr == "" {
		return log, nil
	}
	m := metrics.New()
	log = slog.New(m.Handler(log.Handler()))
	return log, serveMetrics(ctx, addr, m, nil, log)
}
