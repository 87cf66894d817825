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

// Report what the MMSC answered, also when it refused: here a Fault
// without detail whose status is only in the X-MM7-Status-Code header, as
// some MMSCs send for authentication failures.
func ExampleResult() {
	mmsc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set(mm7.HeaderStatusCode, "2004")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body><env:Fault>`+
			`<faultcode>env:Client</faultcode><faultstring>authentication failed</faultstring></env:Fault></env:Body></env:Envelope>`)
	}))
	defer mmsc.Close()

	c, err := mm7.NewClient(mmsc.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := c.Submit(context.Background(), &rel6.SubmitReq{
		Recipients: rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}},
	}, nil)
	if fe, ok := errors.AsType[*mm7.FaultError](err); ok {
		fmt.Println("fault:", fe.Code, fe.String)
	}
	fmt.Println("HTTP", res.HTTPStatus, "status", int(res.Status), "from the", res.StatusSource)
	for _, d := range res.Deviations {
		fmt.Println("deviation:", d.Code)
	}
	// Output:
	// fault: Client authentication failed
	// HTTP 401 status 2004 from the header
	// deviation: fault-without-status
	// deviation: transactionid-missing
	// deviation: status-in-header
}

// Lay the content parts out flat, beside the SOAP part, for MMSCs that
// store a nested multipart as one blob; the Content href names the SMIL
// presentation.
func ExampleLayout() {
	msg := &mm7.Message{TransactionID: "tx-1", Version: mm7.Rel6, Body: &rel6.SubmitReq{
		Recipients: rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}},
	}}
	parts := []mm7.Attachment{
		{ContentType: "text/plain", ContentID: "text.txt", Body: strings.NewReader("20% off today")},
		{ContentType: "image/gif", ContentID: "coupon.gif", Body: strings.NewReader("GIF89a"), TransferEncoding: "binary"},
		{ContentType: "application/smil", ContentID: "pres.smil", Body: strings.NewReader("<smil/>")},
	}
	enc, err := mm7.NewEncoder(msg, parts, mm7.EncodeOptions{Layout: mm7.LayoutFlat})
	if err != nil {
		fmt.Println(err)
		return
	}
	var buf bytes.Buffer
	if _, err := enc.WriteTo(&buf); err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(buf.String(), "\r\n") {
		if strings.HasPrefix(line, "Content-Type:") {
			fmt.Println(line)
		}
	}
	fmt.Println(strings.Contains(buf.String(), `<Content href="cid:pres.smil"`))
	// Output:
	// Content-Type: text/xml; charset="utf-8"
	// Content-Type: application/smil
	// Content-Type: text/plain; charset="utf-8"
	// Content-Type: image/gif
	// true
}
