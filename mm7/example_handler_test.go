package mm7_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/xsdtypes"
)

// Receive MO messages and delivery receipts from an MMSC such as Vibes.
// The callback stores the attachments as they stream in and returns nil
// only then: the MMSC gets 1000 Success after the message is safe, and an
// error makes it send the message again.
func ExampleHandler() {
	stored := map[string][]byte{} // stands for a database or a queue
	h := &mm7.Handler{
		Username: "vibes",
		Password: "callback-secret",
		OnDeliver: func(ctx context.Context, r *mm7.Request) error {
			// A "6.8.0" account gets *rel6.DeliverReq, a "5.5.0" one *rel5.DeliverReq.
			mo := r.Message.Body.(*rel6.DeliverReq)
			fmt.Println("MO from", mo.Sender.Number.Value, "carrier", r.CarrierCode())
			for {
				a, err := r.NextAttachment()
				if err == io.EOF {
					break
				}
				if err != nil {
					return err // a broken body: the Handler answers with a Client Fault
				}
				data, err := io.ReadAll(a.Body) // a real receiver streams to storage
				if err != nil {
					return err
				}
				stored[r.TransactionID()+"/"+a.ContentID] = data
				fmt.Println("stored", a.MediaType(), len(data), "bytes")
			}
			return nil
		},
		OnDeliveryReport: func(ctx context.Context, r *mm7.Request) error {
			switch dlr := r.Message.Body.(type) {
			case *rel6.DeliveryReportReq:
				fmt.Println("receipt for", dlr.MessageID, dlr.MMStatus)
			case *rel5.DeliveryReportReq:
				fmt.Println("receipt for", dlr.MessageID, dlr.MMStatus)
			}
			return nil
		},
		MaxBodyBytes: 2 << 20,
	}
	ts := httptest.NewServer(h)
	defer ts.Close()

	// The MMSC's side: POST a request, read the reply.
	post := func(msg *mm7.Message, atts ...mm7.Attachment) {
		enc, err := mm7.NewEncoder(msg, atts, mm7.EncodeOptions{})
		if err != nil {
			fmt.Println(err)
			return
		}
		var body bytes.Buffer
		if _, err := enc.WriteTo(&body); err != nil {
			fmt.Println(err)
			return
		}
		req, _ := http.NewRequest(http.MethodPost, ts.URL, &body)
		req.Header.Set("Content-Type", enc.ContentType())
		req.Header.Set(mm7.VibesHeaderCarrierCode, "104")
		req.SetBasicAuth("vibes", "callback-secret")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer resp.Body.Close()
		dec, _ := mm7.NewDecoder(resp.Body, resp.Header.Get("Content-Type"), mm7.DecodeOptions{})
		reply, err := dec.Message()
		if err != nil {
			fmt.Println(err)
			return
		}
		code, text, _ := reply.Status()
		fmt.Println(resp.StatusCode, reply.Kind(), reply.TransactionID, int(code), text)
	}

	jpeg := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F'}
	post(&mm7.Message{TransactionID: "mo-1", Version: mm7.Rel6, Body: &rel6.DeliverReq{
		Sender:  rel6.Address{Number: &rel6.Number{Value: "+15555550123"}},
		Subject: new("photo"),
	}},
		mm7.Attachment{ContentType: "text/plain", ContentID: "text-1", Body: strings.NewReader("Look at this")},
		mm7.Attachment{ContentType: "image/jpeg", ContentID: "img-1", Body: bytes.NewReader(jpeg)},
	)
	post(&mm7.Message{TransactionID: "dlr-1", Version: mm7.Rel6, Body: &rel6.DeliveryReportReq{
		MessageID: "VB-7f3a9c01",
		Recipient: rel6.Address{Number: &rel6.Number{Value: "+15555550123"}},
		Sender:    rel6.Address{ShortCode: &rel6.ShortCode{Value: "54321"}},
		Date:      xsdtypes.NewDateTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)),
		MMStatus:  rel6.MMDeliveryStatusRetrieved,
	}})
	fmt.Println(len(stored), "attachments stored")
	// Output:
	// MO from +15555550123 carrier 104
	// stored text/plain 12 bytes
	// stored image/jpeg 10 bytes
	// 200 DeliverRsp mo-1 1000 Success
	// receipt for VB-7f3a9c01 Retrieved
	// 200 DeliveryReportRsp dlr-1 1000 Success
	// 2 attachments stored
}
