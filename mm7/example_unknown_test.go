package mm7_test

import (
	"fmt"
	"strings"

	"github.com/openmms/mm7go/mm7"
)

// A delivery report whose recipient came as <Recipients><Number>, which
// DeliveryReportReq has no room for: the number is kept in
// Message.Unknown, path and XML as sent, beside an unknown-element
// deviation.
func ExampleUnknownElement() {
	const env = `<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>
<m:DeliveryReportReq xmlns:m="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4">
<m:MM7Version>6.8.0</m:MM7Version><m:MessageID>M1</m:MessageID>
<m:Recipients><m:Number>15555550123</m:Number></m:Recipients>
<m:Sender><m:ShortCode>12345</m:ShortCode></m:Sender><m:Date>2024-01-15T14:03:22Z</m:Date><m:MMStatus>Retrieved</m:MMStatus>
</m:DeliveryReportReq></e:Body></e:Envelope>`
	dec, _ := mm7.NewDecoder(strings.NewReader(env), "text/xml", mm7.DecodeOptions{})
	msg, err := dec.Message()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range msg.Unknown {
		fmt.Println(u.Path, u.XML)
	}
	// Output:
	// /DeliveryReportReq/Recipients <m:Recipients><m:Number>15555550123</m:Number></m:Recipients>
}

// Validate an envelope sent in ISO-8859-1 with a schema validator that
// reads UTF-8: EnvelopeUTF8 gives the bytes the decoder read, line
// breaks where they were.
func ExampleDecoder_EnvelopeUTF8() {
	env := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" +
		`<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>` +
		`<m:CancelRsp xmlns:m="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version>` +
		"<m:Status><m:StatusCode>1000</m:StatusCode><m:StatusText>D\xe9j\xe0 annul\xe9</m:StatusText></m:Status></m:CancelRsp></e:Body></e:Envelope>"
	dec, _ := mm7.NewDecoder(strings.NewReader(env), "text/xml", mm7.DecodeOptions{})
	if _, err := dec.Message(); err != nil {
		fmt.Println(err)
		return
	}
	utf, err := dec.EnvelopeUTF8()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(dec.Envelope()), len(utf), strings.Contains(string(utf), "Déjà annulé"))
	// Output:
	// 379 382 true
}
