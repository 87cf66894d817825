package mm7_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// Encode an MT SubmitReq with a text and an image, the way a VASP sends
// it to an MMSC: a SOAP-with-Attachments multipart/related body.
func ExampleEncoder() {
	req := &rel6.SubmitReq{
		SenderIdentification: rel6.SenderID{SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}},
		Recipients:           rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}},
		Subject:              new("Your January coupon"),
	}
	jpeg := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F'}
	enc, err := mm7.NewEncoder(
		&mm7.Message{TransactionID: "vasp-000123", Version: mm7.Rel6, Body: req},
		[]mm7.Attachment{
			{ContentType: "text/plain", ContentLocation: "msg.txt", Body: strings.NewReader("20% off today")},
			{ContentType: "image/jpeg", ContentLocation: "coupon.jpg", Body: bytes.NewReader(jpeg)},
		},
		mm7.EncodeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	var body bytes.Buffer
	n, err := enc.WriteTo(&body)
	if err != nil {
		fmt.Println(err)
		return
	}
	length, _ := enc.ContentLength()
	fmt.Println(strings.Split(enc.ContentType(), ";")[0], n == length)
	fmt.Println(strings.Contains(body.String(), "<MM7Version>6.8.0</MM7Version>"))
	// Output:
	// multipart/related true
	// true
}

// Decode a mobile-originated DeliverReq as an MMSC posts it, here in the
// shape Vibes sends: no start parameter and a Content-ID without angle
// brackets, both accepted and reported as deviations.
func ExampleDecoder() {
	body := strings.ReplaceAll(`--b1
Content-Type: text/xml; charset=utf-8
Content-Id: soap-1

<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
<SOAP-ENV:Header><mm7:TransactionID xmlns:mm7="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4" SOAP-ENV:mustUnderstand="1">mo-1</mm7:TransactionID></SOAP-ENV:Header>
<SOAP-ENV:Body><mm7:DeliverReq xmlns:mm7="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4">
<mm7:MM7Version>6.8.0</mm7:MM7Version>
<mm7:Sender><mm7:Number>15555550123</mm7:Number></mm7:Sender>
<mm7:Recipients><mm7:To><mm7:ShortCode>12345</mm7:ShortCode></mm7:To></mm7:Recipients>
<mm7:Subject>hello</mm7:Subject>
<mm7:Content href="cid:mo-content"/>
</mm7:DeliverReq></SOAP-ENV:Body></SOAP-ENV:Envelope>
--b1
Content-Type: text/plain
Content-Id: <mo-content>

STOP
--b1--
`, "\n", "\r\n")
	dec, err := mm7.NewDecoder(strings.NewReader(body), `multipart/related; type="text/xml"; boundary="b1"`, mm7.DecodeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	msg, err := dec.Message()
	if err != nil {
		fmt.Println(err)
		return
	}
	mo := msg.Body.(*rel6.DeliverReq)
	fmt.Println(msg.Kind(), msg.Version, msg.TransactionID, mo.Sender.Number.Value)
	for {
		a, err := dec.NextAttachment()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		text, _ := io.ReadAll(a.Body)
		fmt.Printf("%s %s %q\n", a.MediaType(), a.ContentID, text)
	}
	for _, d := range dec.Deviations() {
		fmt.Println("deviation:", d.Code)
	}
	// Output:
	// DeliverReq REL-6-MM7-1-4 (6.8.0) mo-1 15555550123
	// text/plain mo-content "STOP"
	// deviation: start-missing
	// deviation: mime-content-id-no-brackets
}
