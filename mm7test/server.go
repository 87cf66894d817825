package mm7test

import (
	"net/http"
	"net/http/httptest"
)

// A Server is an [MMSC] listening on a loopback address, like an
// httptest.Server, for a test's [mm7.Client] to submit to:
//
//	mmsc := mm7test.NewServer()
//	defer mmsc.Close()
//	c, err := mm7.NewClient(mmsc.URL)
//
// The MMSC's methods (Requests, WaitReports, Deliver, ...) are the
// Server's.
type Server struct {
	*MMSC

	// URL is the MM7 endpoint: "http://127.0.0.1:port" followed by
	// [Options.Path] (default [DefaultPath]).
	URL string

	ts *httptest.Server
}

// NewServer starts an MMSC configured by the options functions, applied
// in order to a zero [Options], and returns it. Other paths than
// Options.Path get 404. The caller should Close it when finished.
func NewServer(options ...func(*Options)) *Server {
	var o Options
	for _, f := range options {
		if f != nil {
			f(&o)
		}
	}
	if o.Path == "" {
		o.Path = DefaultPath
	}
	m := NewMMSC(o)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != o.Path {
			http.NotFound(w, r)
			return
		}
		m.ServeHTTP(w, r)
	}))
	return &Server{MMSC: m, URL: ts.URL + o.Path, ts: ts}
}

// Client returns an http.Client that talks to the server (the
// httptest.Server's), for [mm7.Options.HTTPClient].
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Close stops the MMSC (pending delivery reports are dropped, see
// [MMSC.Close]) and then the server, waiting for the requests being
// served.
func (s *Server) Close() {
	s.MMSC.Close()
	s.ts.Close()
}
