package mm7_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

const unknownHead = `<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header><m:TransactionID xmlns:m="` + nsBase + `REL-6-MM7-1-4">t1</m:TransactionID></e:Header><e:Body>`

// A delivery report with <Recipients><Number> where the schema has
// <Recipient>: the typed view cannot hold the number; Message.Unknown
// keeps it, path and XML as sent.
func TestUnknownElementsAreKept(t *testing.T) {
	t.Parallel()
	body := unknownHead + `<m:DeliveryReportReq xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version><m:MessageID>M1</m:MessageID>` +
		`<m:Recipients><m:Number>15555550123</m:Number></m:Recipients>` +
		`<m:Sender><m:ShortCode>12345</m:ShortCode></m:Sender><m:Date>2024-01-02T03:04:05Z</m:Date><m:MMStatus kind="final">Retrieved</m:MMStatus>` +
		`<v:Carrier xmlns:v="urn:vendor" id="7">Acme &amp; Co<v:Region>north</v:Region></v:Carrier></m:DeliveryReportReq></e:Body></e:Envelope>`
	msg, _, _, err := decodeAll([]byte(body), "text/xml", mm7.DecodeOptions{})
	require.NoError(t, err)
	dr := msg.Body.(*rel6.DeliveryReportReq)
	assert.Equal(t, "M1", dr.MessageID)
	assert.Equal(t, rel6.Address{}, dr.Recipient)
	assert.Equal(t, []mm7.UnknownElement{
		{Path: "/DeliveryReportReq/Recipients", XML: `<m:Recipients><m:Number>15555550123</m:Number></m:Recipients>`},
		{Path: "/DeliveryReportReq/MMStatus/@kind", XML: `kind="final"`},
		{Path: "/DeliveryReportReq/Carrier", XML: `<v:Carrier xmlns:v="urn:vendor" id="7">Acme &amp; Co<v:Region>north</v:Region></v:Carrier>`},
	}, msg.Unknown)
	assert.Contains(t, codesOf(msg.Deviations), mm7.DevUnknownElement)
	assert.Contains(t, codesOf(msg.Deviations), mm7.DevUnknownAttribute)

	_, _, _, err = decodeAll([]byte(body), "text/xml", mm7.DecodeOptions{Strict: true})
	var de *mm7.DeviationError
	require.ErrorAs(t, err, &de)
}

// Text where the schema has only elements (a Rel-5 sender's bare number
// in Sender) and SOAP header blocks other than TransactionID are kept too.
func TestUnplaceableTextAndHeaderBlocksAreKept(t *testing.T) {
	t.Parallel()
	body := `<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header><x:Route xmlns:x="urn:x" e:mustUnderstand="0">gw-3</x:Route><m:TransactionID xmlns:m="` + nsBase + `REL-6-MM7-1-4">t1</m:TransactionID></e:Header><e:Body>` +
		`<m:DeliverReq xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version><m:Sender>+1555 &lt;0123&gt;</m:Sender></m:DeliverReq></e:Body></e:Envelope>`
	msg, _, _, err := decodeAll([]byte(body), "text/xml", mm7.DecodeOptions{})
	require.NoError(t, err)
	assert.Equal(t, []mm7.UnknownElement{
		{Path: "/Envelope/Header/Route", XML: `<x:Route xmlns:x="urn:x" e:mustUnderstand="0">gw-3</x:Route>`},
		{Path: "/DeliverReq/Sender/text()", XML: `+1555 &lt;0123&gt;`},
	}, msg.Unknown)
}

// Unknown content is bounded: at most MaxUnknown entries of at most
// MaxUnknownBytes each; the rest is marked, never held.
func TestUnknownElementsAreBounded(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for range 200 {
		b.WriteString(`<m:Extra>` + strings.Repeat("x", 100) + `</m:Extra>`)
	}
	big := `<m:Big>` + strings.Repeat("y", 100<<10) + `</m:Big>`
	body := unknownHead + `<m:CancelReq xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version><m:MessageID>M1</m:MessageID>` + big + b.String() + `</m:CancelReq></e:Body></e:Envelope>`
	msg, _, _, err := decodeAll([]byte(body), "text/xml", mm7.DecodeOptions{})
	require.NoError(t, err)
	require.Len(t, msg.Unknown, mm7.MaxUnknown+1)
	assert.Equal(t, "/CancelReq/Big", msg.Unknown[0].Path)
	assert.True(t, msg.Unknown[0].Truncated)
	assert.Len(t, msg.Unknown[0].XML, mm7.MaxUnknownBytes)
	assert.Equal(t, `<m:Extra>`+strings.Repeat("x", 100)+`</m:Extra>`, msg.Unknown[1].XML)
	last := msg.Unknown[mm7.MaxUnknown]
	assert.Equal(t, mm7.UnknownElement{Path: "", XML: "", Truncated: true}, last, "a last entry says more were left out")
}

// The earlier copy of an element given twice, and Fault children and
// detail entries the Fault type has no room for, are kept.
func TestDuplicateAndFaultExtrasAreKept(t *testing.T) {
	t.Parallel()
	body := unknownHead + `<m:CancelReq xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version><m:MessageID>M1</m:MessageID><m:MessageID>M2</m:MessageID></m:CancelReq></e:Body></e:Envelope>`
	msg, _, _, err := decodeAll([]byte(body), "text/xml", mm7.DecodeOptions{})
	require.NoError(t, err)
	assert.Equal(t, "M2", msg.Body.(*rel6.CancelReq).MessageID)
	assert.Equal(t, []mm7.UnknownElement{{Path: "/CancelReq/MessageID", XML: `<m:MessageID>M1</m:MessageID>`}}, msg.Unknown)

	nested := unknownHead + `<m:SubmitRsp xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version><m:Status><m:StatusCode>1000</m:StatusCode><m:StatusText>first</m:StatusText><m:Details><m:StatusText>inner</m:StatusText></m:Details><m:StatusText>second</m:StatusText></m:Status><m:MessageID>M1</m:MessageID></m:SubmitRsp></e:Body></e:Envelope>`
	msg, _, _, err = decodeAll([]byte(nested), "text/xml", mm7.DecodeOptions{})
	require.NoError(t, err)
	assert.Equal(t, "second", msg.Body.(*rel6.SubmitRsp).Status.StatusText)
	assert.Equal(t, []mm7.UnknownElement{{Path: "/SubmitRsp/Status/StatusText", XML: `<m:StatusText>first</m:StatusText>`}}, msg.Unknown,
		"the earlier sibling, not a namesake nested deeper")

	fault := unknownHead + `<e:Fault><faultcode>e:Server</faultcode><faultstring>busy</faultstring><trace>at gw-2</trace><detail>` +
		`<m:RSErrorRsp xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version><m:Status><m:StatusCode>3001</m:StatusCode><m:StatusText>busy</m:StatusText></m:Status></m:RSErrorRsp>` +
		`<x:Retry xmlns:x="urn:x">60</x:Retry></detail></e:Fault></e:Body></e:Envelope>`
	msg, _, _, err = decodeAll([]byte(fault), "text/xml", mm7.DecodeOptions{})
	require.NoError(t, err)
	assert.Equal(t, []mm7.UnknownElement{
		{Path: "/Fault/trace", XML: `<trace>at gw-2</trace>`},
		{Path: "/Fault/detail/Retry", XML: `<x:Retry xmlns:x="urn:x">60</x:Retry>`},
	}, msg.Unknown)
}

// Many duplicates cost a bounded amount of work: the earlier copies are
// kept up to MaxUnknown, the rest only reported.
func TestManyDuplicatesAreBounded(t *testing.T) {
	t.Parallel()
	body := unknownHead + `<m:CancelReq xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version>` +
		strings.Repeat(`<m:MessageID>`+strings.Repeat("M", 400)+`</m:MessageID>`, 9000) + `</m:CancelReq></e:Body></e:Envelope>`
	msg, _, _, err := decodeAll([]byte(body), "text/xml", mm7.DecodeOptions{})
	require.NoError(t, err)
	require.Len(t, msg.Unknown, mm7.MaxUnknown+1)
	assert.Equal(t, mm7.UnknownElement{Truncated: true}, msg.Unknown[mm7.MaxUnknown])
}
