package mm7_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// exampleMMSC answers every SubmitReq like an MMSC: a SubmitRsp with
// status 1000 and a MessageID, in the request's version and transaction.
func exampleMMSC(inspect func(r *http.Request, req *mm7.Message)) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dec, err := mm7.NewDecoder(r.Body, r.Header.Get("Content-Type"), mm7.DecodeOptions{})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req, err := dec.Message()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if inspect != nil {
			inspect(r, req)
		}
		rsp, err := mm7.NewResponse(req, mm7.StatusSuccess, "")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		switch b := rsp.Body.(type) {
		case *rel6.SubmitRsp:
			b.MessageID = "mmsc-0001"
		}
		var buf bytes.Buffer
		ct, err := mm7.Encode(&buf, rsp)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", ct)
		w.Write(buf.Bytes())
	}))
}

// Send an MMS with a text and an image, and read the MessageID the MMSC
// gave it.
func ExampleClient_Submit() {
	mmsc := exampleMMSC(nil)
	defer mmsc.Close()

	c, err := mm7.NewClient(mmsc.URL, mm7.WithBasicAuth("vasp", "secret"), mm7.WithVASPID("examplevasp", ""))
	if err != nil {
		fmt.Println(err)
		return
	}
	req := &rel6.SubmitReq{
		SenderIdentification: rel6.From("12345"),     // a short code
		Recipients:           rel6.To("15555550123"), // a number
		Subject:              new("Your January coupon"),
	}
	jpeg := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F'}
	res, err := c.Submit(context.Background(), req, []mm7.Attachment{
		{ContentType: "text/plain", Body: strings.NewReader("20% off today")},
		{ContentType: "image/jpeg", ContentLocation: "coupon.jpg", Body: bytes.NewReader(jpeg)},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(int(res.Status), res.Status, res.MessageID)
	fmt.Println(res.Version, len(res.TransactionID))
	// Output:
	// 1000 Success mmsc-0001
	// REL-6-MM7-1-4 (6.8.0) 16
}

// An invalid request is refused before anything is sent, with every
// problem and its path. (The zero SubmitReq used to be sent as
// <SenderIdentification/><Recipients/>, which a strict MMSC rejects.)
func ExampleClient_Submit_invalid() {
	mmsc := exampleMMSC(func(*http.Request, *mm7.Message) { fmt.Println("never reached") })
	defer mmsc.Close()
	c, err := mm7.NewClient(mmsc.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	req := &rel6.SubmitReq{
		SenderIdentification: rel6.From("12345"),
		Recipients:           rel6.To("15555550123").And(rel6.Cc()), // an empty Cc list
		Priority:             new(rel6.Priority("Urgent")),
	}
	_, err = c.Submit(context.Background(), req, nil)
	var invalid *mm7.InvalidMessageError
	if errors.As(err, &invalid) {
		for _, p := range invalid.Problems() {
			fmt.Println(p)
		}
	}
	// Output:
	// /SubmitReq/Recipients/Cc: needs at least one of RFC2822Address, Number, ShortCode
	// /SubmitReq/Priority: value "Urgent" is not one of: Normal, High, Low
}

// Set up a client for Vibes: its profile (status codes, retry semantics,
// limits checked before sending), Basic Auth on every request and the
// MM7 version of the account, here "MM7 5.5.0", which is REL-5-MM7-1-2
// written with MM7Version 5.3.0. The Vibes headers are per message.
// A local stand-in replaces mm7.VibesEndpoint so that the example runs.
func ExampleNewClient() {
	vibes := exampleMMSC(func(r *http.Request, req *mm7.Message) {
		user, _, _ := r.BasicAuth()
		fmt.Println("user:", user)
		fmt.Println("carrier:", r.Header.Get(mm7.VibesHeaderCarrierCode))
		fmt.Println("dlr url:", r.Header.Get(mm7.VibesHeaderDLRCallbackURL))
		fmt.Println("received:", req.Kind(), req.Version)
	})
	defer vibes.Close()
	endpoint := mm7.VibesEndpoint
	endpoint = vibes.URL // for this example only

	version, err := mm7.ParseVersion("5.5.0")
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := mm7.NewClient(endpoint, mm7.WithVibes("acme", mm7.Secret("s3cret"), version),
		func(o *mm7.Options) {
			o.Retry = mm7.RetryPolicy{MaxAttempts: 3} // retries 3000 and Vibes' 4005 "capacity reached"
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	req := &rel6.SubmitReq{ // converted to REL-5 for this account
		SenderIdentification: rel6.SenderID{SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}},
		Recipients:           rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}},
		DeliveryReport:       new(true), // with a callback URL: the final carrier status is POSTed there
	}
	res, err := c.Submit(context.Background(), req,
		[]mm7.Attachment{{ContentType: "text/plain", Body: strings.NewReader("Hello")}},
		mm7.VibesCarrierCode("104"), mm7.VibesDLRCallbackURL("https://vasp.example.com/mm7/dlr"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("status:", res.Status)
	fmt.Println(mm7.ProfileVibes.StatusText(mm7.VibesStatusCarrierCodeNotValid))
	// Output:
	// user: acme
	// carrier: 104
	// dlr url: https://vasp.example.com/mm7/dlr
	// received: SubmitReq REL-5-MM7-1-2 (5.3.0)
	// status: Success
	// Carrier Code not valid
}

// BasicAuth composes with any http.Client; its password never prints.
func ExampleBasicAuth() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		fmt.Println("server saw:", user, ok && pass == "s3cret")
	}))
	defer srv.Close()

	auth := &mm7.BasicAuth{Username: "acme", Password: "s3cret"} // Base nil: http.DefaultTransport
	hc := &http.Client{Transport: auth}
	resp, err := hc.Get(srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Printf("%+v\n", *auth)
	// Output:
	// server saw: acme true
	// {Username:acme Password:REDACTED Base:<nil>}
}
