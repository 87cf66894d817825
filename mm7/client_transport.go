package mm7

import (
	"net/http"
	"sync"
	"time"
)

// DefaultMaxConnsPerHost is the number of idle connections per MMSC the
// default transport of a [Client] keeps open for the next requests.
// http.DefaultTransport keeps 2: a VASP submitting from 16 goroutines
// would then open a new connection (TCP and TLS handshakes) for most
// requests, and leave thousands in TIME_WAIT.
const DefaultMaxConnsPerHost = 100

// defaultTransport is the transport of Clients created without an
// HTTPClient: http.DefaultTransport's settings (proxy from the
// environment, dial and TLS timeouts, HTTP/2) with DefaultMaxConnsPerHost
// idle connections per host. It is shared, so that Clients for the same
// MMSC share connections.
var defaultTransport = sync.OnceValue(func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = max(t.MaxIdleConns, 4*DefaultMaxConnsPerHost)
	t.MaxIdleConnsPerHost = DefaultMaxConnsPerHost
	t.IdleConnTimeout = 90 * time.Second
	return t
})
