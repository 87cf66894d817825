package mm7_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/openmms/mm7go/mm7"
)

// A Handler facing the Internet: a cap on the requests served at once,
// a minimum body rate, and an http.Server with its own timeouts. A
// request that fails authentication is answered at once and its
// connection closed, without its body being read.
func ExampleHandler_limits() {
	h := &mm7.Handler{
		Username: "vibes", Password: "secret",
		OnDeliver: func(ctx context.Context, r *mm7.Request) error { return nil },

		MaxInFlight:       64,               // more at once: 503 with Retry-After
		MinBytesPerSecond: 4 << 10,          // a body slower than 4 KiB/s ...
		BodyTimeoutFloor:  10 * time.Second, // ... after 10 s: 408
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ReadHeaderTimeout = 10 * time.Second
	srv.Config.ReadTimeout = 5 * time.Minute // the largest body on the slowest link
	srv.Start()
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("<env:Envelope/>"))
	req.SetBasicAuth("vibes", "wrong")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, "connection closed:", resp.Close)
	// Output: 401 connection closed: true
}
