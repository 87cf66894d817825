package mm7_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/openmms/mm7go/mm7"
)

// Bound the TransactionID a receiver accepts: a longer one is a
// DecodeError with 2007 that does not carry it, so that it is neither
// echoed in the Fault nor logged.
func ExampleDecodeOptions_maxTransactionIDBytes() {
	env := `<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header>` +
		`<mm7:TransactionID xmlns:mm7="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4">` +
		strings.Repeat("x", 40) + `</mm7:TransactionID></env:Header><env:Body>` +
		`<DeliverReq xmlns="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4">` +
		`<MM7Version>6.8.0</MM7Version><Sender><Number>15555550123</Number></Sender></DeliverReq></env:Body></env:Envelope>`
	dec, _ := mm7.NewDecoder(strings.NewReader(env), "text/xml", mm7.DecodeOptions{MaxTransactionIDBytes: 32})
	_, err := dec.Message()
	var de *mm7.DecodeError
	if errors.As(err, &de) {
		fmt.Println(int(de.Status), de.Kind, de.TransactionID == "")
		fmt.Println(err)
	}
	// Output:
	// 2007 DeliverReq true
	// mm7: decode: TransactionID of 40 bytes, over the limit of 32 bytes
}
