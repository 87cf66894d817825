package mm7test_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7test"
)

// A test submits through its own mm7.Client and inspects what the MMSC
// received.
func ExampleNewServer() {
	mmsc := mm7test.NewServer(mm7test.WithBasicAuth("vasp", "secret"))
	defer mmsc.Close()

	c, err := mm7.NewClient(mmsc.URL, mm7.WithBasicAuth("vasp", "secret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	req := &rel6.SubmitReq{
		SenderIdentification: rel6.SenderID{SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}},
		Recipients:           rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "+15555550123"}}}}},
		Subject:              new("Your coupon"),
	}
	res, err := c.Submit(context.Background(), req, []mm7.Attachment{
		{ContentType: "text/plain", Body: strings.NewReader("20% off today")},
	}, mm7.VibesCarrierCode("104"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.MessageID)

	for _, r := range mmsc.Requests() {
		fmt.Println(r.Kind, r.Version.Schema, r.Recipients, r.Subject, r.Header.Get(mm7.VibesHeaderCarrierCode))
		for _, a := range r.Attachments {
			fmt.Printf("%s %q\n", a.MediaType(), a.Data)
		}
	}
	// Output:
	// Success mm7test-1
	// SubmitReq REL-6-MM7-1-4 [+15555550123] Your coupon 104
	// text/plain "20% off today"
}

// Scripted replies make the MMSC refuse, fail or stall.
func ExampleWithScript() {
	mmsc := mm7test.NewServer(mm7test.WithScript(func(r *mm7test.Recorded) mm7test.Reply {
		if len(r.Recipients) > 0 && r.Recipients[0] == "+15550000000" {
			return mm7test.StatusReply(mm7.StatusAddressError, "unknown subscriber")
		}
		return mm7test.Reply{} // as usual
	}))
	defer mmsc.Close()

	c, _ := mm7.NewClient(mmsc.URL)
	for _, to := range []string{"+15555550123", "+15550000000"} {
		req := &rel6.SubmitReq{Recipients: rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: to}}}}}}
		_, err := c.Submit(context.Background(), req, nil)
		if se, ok := errors.AsType[*mm7.StatusError](err); ok {
			fmt.Println(to, int(se.Code), se.Text)
			continue
		}
		fmt.Println(to, err)
	}
	// Output:
	// +15555550123 <nil>
	// +15550000000 2002 unknown subscriber
}

// The MMSC sends a delivery report to the VASP's mm7.Handler after a
// SubmitReq that asks for one.
func ExampleMMSC_WaitReports() {
	vasp := httptest.NewServer(&mm7.Handler{
		OnDeliveryReport: func(_ context.Context, r *mm7.Request) error {
			dlr := r.Message.Body.(*rel6.DeliveryReportReq)
			fmt.Println("VASP got", dlr.MMStatus, "for", dlr.MessageID, "to", dlr.Recipient.Number.Value)
			return nil
		},
	})
	defer vasp.Close()
	mmsc := mm7test.NewServer(mm7test.WithVASP(vasp.URL, "", ""))
	defer mmsc.Close()

	c, _ := mm7.NewClient(mmsc.URL)
	req := &rel6.SubmitReq{
		SenderIdentification: rel6.SenderID{SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}},
		Recipients:           rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "+15555550123"}}}}},
		DeliveryReport:       new(true),
	}
	if _, err := c.Submit(context.Background(), req, nil); err != nil {
		fmt.Println(err)
		return
	}
	reports, err := mmsc.WaitReports(context.Background(), 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("MMSC sent", reports[0].Status, "answered", reports[0].Result.Status)
	// Output:
	// VASP got Retrieved for mm7test-1 to +15555550123
	// MMSC sent Retrieved answered Success
}

// An MO message with a text and an image reaches the VASP's handler.
func ExampleMMSC_Deliver() {
	vasp := httptest.NewServer(&mm7.Handler{
		OnDeliver: func(_ context.Context, r *mm7.Request) error {
			mo := r.Message.Body.(*rel6.DeliverReq)
			fmt.Println("MO from", mo.Sender.Number.Value, "to", mo.Recipients.To[0].ShortCode[0].Value, "subject", *mo.Subject)
			for {
				a, err := r.NextAttachment()
				if err == io.EOF {
					return nil
				}
				if err != nil {
					return err
				}
				data, err := io.ReadAll(a.Body)
				if err != nil {
					return err
				}
				fmt.Println(a.MediaType(), len(data), "bytes")
			}
		},
	})
	defer vasp.Close()
	mmsc := mm7test.NewServer(mm7test.WithVASP(vasp.URL, "", ""))
	defer mmsc.Close()

	jpeg := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F'}
	res, err := mmsc.Deliver(context.Background(), mm7test.MO{
		From:        "+15555550123",
		To:          "12345",
		Subject:     "STOP",
		Text:        "stop please",
		Attachments: []mm7.Attachment{{ContentType: "image/jpeg", Body: bytes.NewReader(jpeg)}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Kind, res.Status)
	// Output:
	// MO from +15555550123 to 12345 subject STOP
	// text/plain 11 bytes
	// image/jpeg 10 bytes
	// DeliverRsp Success
}
