// Package metrics holds the Prometheus metrics of mm7 serve, relay and
// sim, and the /metrics, /healthz and /readyz endpoints.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the collectors of one process, in their own registry.
type Metrics struct {
	Registry *prometheus.Registry

	// Requests counts MM7 requests answered, by kind, MM7 status code,
	// version (schema) and HTTP status.
	Requests *prometheus.CounterVec
	// Latency is the time from the request to its answer, by kind.
	Latency *prometheus.HistogramVec
	// Deviations counts what lenient decoding accepted, by code.
	Deviations *prometheus.CounterVec
	// Stored counts messages stored, by kind and whether they were
	// repeats already stored.
	Stored *prometheus.CounterVec
	// StoreErrors counts failures of the store or sink, by sink.
	StoreErrors *prometheus.CounterVec
	// Jobs counts job deliveries handled by a relay, by account and
	// outcome (accepted, rejected, dead, retry, replayed).
	Jobs *prometheus.CounterVec
	// Retries counts job deliveries that will be retried, by account.
	Retries *prometheus.CounterVec
	// SubmitLatency is the time of one submission to the MMSC, by account.
	SubmitLatency *prometheus.HistogramVec
	// QueueLag is the number of jobs waiting for or being worked on by
	// the relay.
	QueueLag prometheus.Gauge
}

// New returns the metrics, registered with a new registry along with the
// Go and process collectors.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mm7_requests_total",
			Help: "MM7 requests answered, by kind, MM7 status code, version and HTTP status."},
			[]string{"kind", "status_code", "version", "http_status"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "mm7_request_duration_seconds",
			Help: "Time from an MM7 request to its answer.", Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12)},
			[]string{"kind"}),
		Deviations: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mm7_deviations_total",
			Help: "Deviations from the schema accepted by lenient decoding, by code."}, []string{"code"}),
		Stored: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mm7_stored_total",
			Help: "Messages stored, by kind and whether they were repeats already stored."}, []string{"kind", "duplicate"}),
		StoreErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mm7_store_errors_total",
			Help: "Store or sink failures (the peer was asked to retry)."}, []string{"sink"}),
		Jobs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mm7_relay_jobs_total",
			Help: "Job deliveries handled by the relay, by account and outcome."}, []string{"account", "outcome"}),
		Retries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mm7_relay_retries_total",
			Help: "Job deliveries to be retried later, by account."}, []string{"account"}),
		SubmitLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "mm7_relay_submit_duration_seconds",
			Help: "Time of one submission to the MMSC.", Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 10)},
			[]string{"account"}),
		QueueLag: prometheus.NewGauge(prometheus.GaugeOpts{Name: "mm7_relay_queue_lag",
			Help: "Jobs waiting for or being worked on by the relay."}),
	}
	m.Registry.MustRegister(m.Requests, m.Latency, m.Deviations, m.Stored, m.StoreErrors,
		m.Jobs, m.Retries, m.SubmitLatency, m.QueueLag,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveRequest counts one MM7 request answered.
func (m *Metrics) ObserveRequest(kind string, statusCode int, version string, httpStatus int, d time.Duration) {
	if kind == "" {
		kind = "unknown"
	}
	m.Requests.WithLabelValues(kind, strconv.Itoa(statusCode), version, strconv.Itoa(httpStatus)).Inc()
	m.Latency.WithLabelValues(kind).Observe(d.Seconds())
}

// Mux serves /metrics, /healthz (200 while the process runs) and /readyz
// (200 when ready returns nil within 2 s, else 503 with the reason; ready
// nil means always ready).
func (m *Metrics) Mux(ready func(context.Context) error) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n")) //nolint:errcheck // the peer hung up
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if ready != nil {
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			defer cancel()
			if err := ready(ctx); err != nil {
				w.WriteHeader(http.StatusServiceUnavailable)
				w.Write([]byte("not ready: " + err.Error() + "\n")) //nolint:errcheck // the peer hung up
				return
			}
		}
		w.Write([]byte("ready\n")) //nolint:errcheck // the peer hung up
	})
	return mux
}
