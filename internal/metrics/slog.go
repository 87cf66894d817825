package metrics

import (
	"context"
	"log/slog"
	"strings"
	"time"
)

// Record messages of the mm7 package that the metrics read.
const (
	requestRecord    = "mm7: request"    // one per request, Info (mm7.Handler)
	deviationsRecord = "mm7: deviations" // the request's deviations, Debug
)

// Handler returns a slog.Handler that counts the records an mm7.Handler
// writes (one "mm7: request" record per request, with its kind,
// status_code, version, http_status and duration; its deviations) and
// passes every record next would take on to next. Give the mm7.Handler a
// logger over it: the metrics need no other hook.
func (m *Metrics) Handler(next slog.Handler) slog.Handler { return &teeHandler{m: m, next: next} }

type teeHandler struct {
	m    *Metrics
	next slog.Handler
}

func (h *teeHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelDebug || h.next.Enabled(ctx, l)
}

func (h *teeHandler) Handle(ctx context.Context, r slog.Record) error {
	switch r.Message {
	case requestRecord:
		var kind, version string
		var code, httpStatus int
		var d time.Duration
		r.Attrs(func(a slog.Attr) bool {
			switch a.Key {
			case "kind":
				kind = a.Value.String()
			case "version":
				version = a.Value.String()
			case "status_code":
				code = int(a.Value.Int64())
			case "http_status":
				httpStatus = int(a.Value.Int64())
			case "duration":
				d = a.Value.Duration()
			}
			return true
		})
		h.m.ObserveRequest(kind, code, version, httpStatus, d)
	case deviationsRecord:
		r.Attrs(func(a slog.Attr) bool {
			if a.Key != "deviations" {
				return true
			}
			if list, ok := a.Value.Any().([]string); ok {
				for _, d := range list {
					code, _, _ := strings.Cut(d, ":")
					h.m.Deviations.WithLabelValues(code).Inc()
				}
			}
			return true
		})
	}
	if h.next.Enabled(ctx, r.Level) {
		return h.next.Handle(ctx, r)
	}
	return nil
}

func (h *teeHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &teeHandler{m: h.m, next: h.next.WithAttrs(attrs)}
}

func (h *teeHandler) WithGroup(name string) slog.Handler {
	return &teeHandler{m: h.m, next: h.next.WithGroup(name)}
}
