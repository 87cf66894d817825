package mm7_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// An aggregator sends delivery reports as multipart/related without a
// boundary while the body is a plain SOAP envelope: accepted, with
// DevMultipartNoBoundary, when the body is evidently XML; refused
// otherwise, and in strict mode.
func TestMultipartWithoutBoundaryXMLBody(t *testing.T) {
	t.Parallel()
	env := unknownHead + `<m:DeliveryReportReq xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version><m:MessageID>M1</m:MessageID><m:Recipient><m:Number>1</m:Number></m:Recipient><m:Sender><m:Number>2</m:Number></m:Sender><m:Date>2024-01-02T03:04:05Z</m:Date><m:MMStatus>Retrieved</m:MMStatus></m:DeliveryReportReq></e:Body></e:Envelope>`
	const ct = `multipart/related; type="text/xml"`
	for name, body := range map[string]string{
		"envelope":                      env,
		"xml declaration":               `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + env,
		"BOM and white space":           "\xef\xbb\xbf \r\n\t" + env,
		"unprefixed Envelope":           `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body><m:DeliveryReportReq xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version><m:MessageID>M1</m:MessageID><m:Recipient><m:Number>1</m:Number></m:Recipient><m:Sender><m:Number>2</m:Number></m:Sender><m:Date>2024-01-02T03:04:05Z</m:Date><m:MMStatus>Retrieved</m:MMStatus></m:DeliveryReportReq></Body></Envelope>`,
		"UTF-16 with a byte order mark": "\xff\xfe" + utf16le(`<?xml version="1.0" encoding="UTF-16"?>`+env),
	} {
		t.Run(name, func(t *testing.T) {
			msg, atts, dec, err := decodeAll([]byte(body), ct, mm7.DecodeOptions{})
			require.NoError(t, err)
			assert.Equal(t, "M1", msg.Body.(*rel6.DeliveryReportReq).MessageID)
			assert.Empty(t, atts)
			assert.Contains(t, codesOf(dec.Deviations()), mm7.DevMultipartNoBoundary)

			_, _, _, err = decodeAll([]byte(body), ct, mm7.DecodeOptions{Strict: true})
			var de *mm7.DeviationError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, mm7.DevMultipartNoBoundary, de.Deviation.Code)
		})
	}
	for name, body := range map[string]string{
		"MIME parts":                "--b\r\nContent-Type: text/xml\r\n\r\n" + env + "\r\n--b--\r\n",
		"another XML root":          `<html><body>error</body></html>`,
		"text":                      "OK",
		"comment before the root":   "<!-- x --><e:Envelope/>",
		"Envelope as a prefix only": "<EnvelopeX/>",
	} {
		t.Run(name, func(t *testing.T) {
			_, _, _, err := decodeAll([]byte(body), ct, mm7.DecodeOptions{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "mm7: decode: multipart Content-Type without a boundary")
		})
	}
}
