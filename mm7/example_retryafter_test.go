package mm7_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// A callback whose storage is down asks the MMSC to send the request
// again later: HTTP 503 with Retry-After, nothing acknowledged.
func ExampleRetryAfterError() {
	h := &mm7.Handler{OnDeliver: func(ctx context.Context, r *mm7.Request) error {
		return &mm7.RetryAfterError{After: 30e9, Err: errors.New("queue unreachable")}
	}}
	ts := httptest.NewServer(h)
	defer ts.Close()

	c, _ := mm7.NewClient(ts.URL)
	_, err := c.Do(context.Background(), &rel6.DeliverReq{Sender: rel6.Address{Number: &rel6.Number{Value: "15555550123"}}}, nil)
	var fe *mm7.FaultError
	if errors.As(err, &fe) {
		fmt.Println(fe.HTTPStatus, int(fe.Status.Code), fe.Temporary())
	}
	// Output: 503 4006 true
}

// One Handler serving several accounts, each with its own password.
func ExampleAccounts() {
	accounts := mm7.Accounts{"vibes-us": "us-secret", "vibes-eu": "eu-secret"}
	h := &mm7.Handler{
		Authenticate: accounts.Authenticate,
		OnDeliver: func(ctx context.Context, r *mm7.Request) error {
			fmt.Println("MO for account", r.User)
			return nil
		},
	}
	ts := httptest.NewServer(h)
	defer ts.Close()

	c, _ := mm7.NewClient(ts.URL, mm7.WithBasicAuth("vibes-eu", "eu-secret"))
	res, err := c.Do(context.Background(), &rel6.DeliverReq{Sender: rel6.Address{Number: &rel6.Number{Value: "15555550123"}}}, nil)
	fmt.Println(int(res.Status), err)
	// Output:
	// MO for account vibes-eu
	// 1000 <nil>
}
