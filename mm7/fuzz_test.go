package mm7_test

import (
	"bytes"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

// fuzzOptions are small limits, so that what the fuzzer finds stays
// within a few hundred KiB whatever the input.
var fuzzOptions = mm7.DecodeOptions{
	MaxEnvelopeBytes: 64 << 10,
	MaxParts:         16,
	MaxDepth:         4,
	MaxHeaderBytes:   4 << 10,
	MaxBufferedBytes: 64 << 10,
}

// maxFuzzAlloc bounds the bytes allocated while decoding n bytes of input
// under fuzzOptions: the readers' fixed buffers (32 KiB per multipart
// level, at most MaxParts of them), plus a generous factor of the input
// for the XML tokens and the attachments read into memory.
func maxFuzzAlloc(n int) uint64 { return 2<<20 + uint64(fuzzOptions.MaxParts)*64<<10 + 64*uint64(n) }

// seedFixtures adds every quirk and broken file to f through add.
func seedFixtures(f *testing.F, add func(m *httpMessage)) {
	for _, dir := range []string{"quirks", "broken"} {
		for _, p := range fixturePaths(f, dir, ".http") {
			raw, err := os.ReadFile(p)
			require.NoError(f, err)
			m, err := parseHTTPMessage(raw)
			require.NoError(f, err, p)
			add(m)
		}
	}
}

// FuzzDecodeEnvelope decodes arbitrary text/xml bodies.
func FuzzDecodeEnvelope(f *testing.F) {
	seedFixtures(f, func(m *httpMessage) {
		if !strings.HasPrefix(m.Header.Get("Content-Type"), "multipart/") {
			f.Add(m.Body)
		}
	})
	for _, s := range richEnvelopes {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzDecode(t, body, `text/xml; charset="utf-8"`)
	})
}

// FuzzDecodeMultipart decodes arbitrary bodies with arbitrary content
// types, multipart or not.
func FuzzDecodeMultipart(f *testing.F) {
	seedFixtures(f, func(m *httpMessage) {
		f.Add(m.Body, m.Header.Get("Content-Type"))
	})
	for _, s := range richEnvelopes {
		f.Add([]byte(s), "text/xml")
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		fuzzDecode(t, body, contentType)
	})
}

// richEnvelopes use the parts of the schemas the fixtures leave out:
// attributes, wildcards, lists, durations.
var richEnvelopes = []string{
	`<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>`,
	`<?xml version="1.0"?>
<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header><m:TransactionID xmlns:m="` + nsBase + `REL-6-MM7-1-4" e:mustUnderstand="1">t1</m:TransactionID></e:Header><e:Body>
<SubmitReq xmlns="` + nsBase + `REL-6-MM7-1-4"><MM7Version>6.8.0</MM7Version>
<SenderIdentification><VASPID>v</VASPID><VASID>s</VASID><SenderAddress><RFC2822Address displayOnly="true">a@b.c</RFC2822Address></SenderAddress></SenderIdentification>
<Recipients><To><Number addressCoding="obfuscated" id="r1">1555</Number><ShortCode>12</ShortCode></To><Cc><RFC2822Address>x@y.z</RFC2822Address></Cc><Bcc><Number displayOnly="0">1666</Number></Bcc></Recipients>
<ServiceCode xmlns:x="urn:x" x:tariff="7">gold</ServiceCode><LinkedID>L1</LinkedID><MessageClass>Advertisement</MessageClass><TimeStamp>2024-01-15T14:03:22.5+01:00</TimeStamp>
<ReplyCharging replyChargingSize="1024" replyDeadline="P2DT3H"/><EarliestDeliveryTime>PT30M</EarliestDeliveryTime><ExpiryDate>2024-02-01T00:00:00Z</ExpiryDate>
<DeliveryReport>1</DeliveryReport><ReadReply>0</ReadReply><Priority>High</Priority><Subject>S &amp; &lt;T&gt;</Subject><ChargedParty>ThirdParty</ChargedParty><ChargedPartyID>1777</ChargedPartyID>
<DistributionIndicator>true</DistributionIndicator><DeliveryCondition><DC>1</DC><DC>2</DC></DeliveryCondition><ApplicID>a</ApplicID><ReplyApplicID>b</ReplyApplicID><AuxApplicInfo>c</AuxApplicInfo>
<ContentClass>image-rich</ContentClass><DRMContent>false</DRMContent></SubmitReq></e:Body></e:Envelope>`,
	`<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header><TransactionID xmlns="` + nsBase + `REL-6-MM7-1-4">t2</TransactionID></e:Header><e:Body>
<m:DeliverReq xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version><m:MMSRelayServerID>r</m:MMSRelayServerID><m:VASPID>v</m:VASPID><m:VASID>s</m:VASID><m:LinkedID>l</m:LinkedID>
<m:Sender><m:Number>1555</m:Number></m:Sender><m:Recipients><m:To><m:ShortCode>12</m:ShortCode></m:To></m:Recipients>
<m:Previouslysentby><m:UserAgent sequence="1"><m:Number>1444</m:Number></m:UserAgent><m:UserAgent sequence="2"><m:RFC2822Address>p@q.r</m:RFC2822Address></m:UserAgent></m:Previouslysentby>
<m:Previouslysentdateandtime><m:DateTime sequence="1">2024-01-01T00:00:00Z</m:DateTime><m:DateTime sequence="2">P1D</m:DateTime></m:Previouslysentdateandtime>
<m:SenderSPI>spi1</m:SenderSPI><m:RecipientSPI>spi2</m:RecipientSPI><m:TimeStamp>2024-01-15T14:10:05-05:00</m:TimeStamp><m:ReplyChargingID>rc</m:ReplyChargingID><m:Priority>Low</m:Priority><m:Subject>s</m:Subject>
<m:ApplicID>a</m:ApplicID><m:ReplyApplicID>b</m:ReplyApplicID><m:AuxApplicInfo>c</m:AuxApplicInfo><m:UACapabilities UAProf="http://ua.example/p.rdf" TimeStamp="2023-12-01T10:00:00Z"/></m:DeliverReq></e:Body></e:Envelope>`,
	`<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header><m:TransactionID xmlns:m="` + nsBase + `REL-5-MM7-1-2">t3</m:TransactionID></e:Header><e:Body>
<m:SubmitRsp xmlns:m="` + nsBase + `REL-5-MM7-1-2"><m:MM7Version>5.3.0</m:MM7Version><m:Status><m:StatusText>Partial success</m:StatusText><m:StatusCode>1100</m:StatusCode>
<m:Details><x:failed xmlns:x="urn:vendor" x:code="2002" kind="addr">1555<x:why lang="en">bad</x:why></x:failed><plain>text</plain></m:Details></m:Status><m:MessageID>M1</m:MessageID></m:SubmitRsp></e:Body></e:Envelope>`,
	`<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header><m:TransactionID xmlns:m="` + nsBase + `REL-6-MM7-1-4">t4</m:TransactionID></e:Header><e:Body>
<m:extendedReplaceReq xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version><m:VASPID>v</m:VASPID><m:ServiceCode>s</m:ServiceCode><m:ReplaceID>R1</m:ReplaceID><m:ExpiryDate>P7D</m:ExpiryDate><m:ReadReply>true</m:ReadReply></m:extendedReplaceReq></e:Body></e:Envelope>`,
	`<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header><m:TransactionID xmlns:m="` + nsBase + `REL-6-MM7-1-4">t5</m:TransactionID></e:Header><e:Body>
<m:ReadReplyReq xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version><m:MessageID>M</m:MessageID><m:Recipient><m:Number>1</m:Number></m:Recipient><m:Sender><m:ShortCode>2</m:ShortCode></m:Sender><m:TimeStamp>2024-01-15T14:05:41Z</m:TimeStamp><m:MMStatus>Read</m:MMStatus></m:ReadReplyReq></e:Body></e:Envelope>`,
}

// fuzzDecode checks the properties of decoding body: no panic, memory
// within maxFuzzAlloc, and, when it is accepted, a re-encoding that
// decodes strictly without deviations to an equal Body.
func fuzzDecode(t *testing.T, body []byte, contentType string) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	msg, atts, _, err := decodeAll(body, contentType, fuzzOptions)
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > maxFuzzAlloc(len(body)) {
		t.Fatalf("decoding %d bytes allocated %d bytes (limit %d)", len(body), alloc, maxFuzzAlloc(len(body)))
	}
	if err != nil {
		assert.True(t, strings.HasPrefix(err.Error(), "mm7: "), "error %q", err)
		return // rejecting is fine
	}
	reencode(t, msg, atts)
}

// reencode encodes an accepted message again with mm7's encoder, its
// attachments buffered, and checks that strict decoding accepts the result
// without a deviation and returns the same Body and attachment bytes.
func reencode(t *testing.T, msg *mm7.Message, atts []decodedAttachment) {
	if msg.TransactionID == "" || msg.Kind() == "Fault" {
		return // the encoder refuses an empty TransactionID; Faults are not re-encoded
	}
	if slices.ContainsFunc(msg.Deviations, func(d mm7.Deviation) bool { return d.Code == mm7.DevAddressTypeSuffix }) {
		// Decoding keeps addresses as sent (see NormalizeAddress) and the
		// encoder writes them as given: the suffix is reported again.
		return
	}
	if !mm7VersionValid(msg.Body) {
		// The encoder writes Body's MM7Version as it is, and a body from
		// another published namespace (5.8.0 of REL-5-MM7-1-4) goes out in
		// the generated one (REL-5-MM7-1-2), whose schema may not allow it.
		return
	}
	v := mm7.Rel6
	if msg.Version.Release == 5 {
		v = mm7.Rel5
	}
	v = v.WithMM7Version(msg.Version.MM7Version) // other published namespaces go out in the generated one

	var parts []mm7.Attachment
	switch href := hrefOf(msg.Body); {
	case href == "":
		// Nothing references the attachments: the encoder would add a
		// Content element. Encode the envelope alone.
	case len(atts) == 0:
		return // the decoder reported content-without-attachment; the encoder refuses it
	case !canonicalHref(href):
		// The encoder writes "cid:" + the id the href names, unescaped:
		// an equivalent href in another spelling would differ.
		return
	default:
		for _, a := range atts {
			ct := a.ContentType
			if ct == "" {
				ct = "text/plain" // RFC 2045 section 5.2 default
			}
			parts = append(parts, mm7.Attachment{ContentType: ct, ContentLocation: a.ContentLocation, Body: bytes.NewReader(a.Data)})
		}
	}
	enc, err := mm7.NewEncoder(&mm7.Message{TransactionID: msg.TransactionID, Version: v, Body: msg.Body}, parts, mm7.EncodeOptions{})
	if err != nil && slices.ContainsFunc(msg.Deviations, func(d mm7.Deviation) bool { return d.Code == mm7.DevMissingElement }) {
		// Lenient decoding accepts a message without a mandatory element
		// (SubmitRsp without MessageID is common); the encoder rightly
		// refuses to write one it cannot express, such as a zero dateTime.
		return
	}
	require.NoError(t, err, "an accepted message re-encodes")
	var buf bytes.Buffer
	_, err = enc.WriteTo(&buf)
	require.NoError(t, err)

	again, againAtts, dec, err := decodeAll(buf.Bytes(), enc.ContentType(), mm7.DecodeOptions{Strict: true})
	require.NoError(t, err, "our output must pass strict decoding:\n%s", buf.Bytes())
	assert.Empty(t, dec.Deviations())
	assert.Equal(t, msg.TransactionID, again.TransactionID)
	assert.Equal(t, msg.Body, again.Body, "body after re-encoding:\n%s", buf.Bytes())
	assert.ElementsMatch(t, dataOf(atts, len(parts) > 0), dataOf(againAtts, true))
}

func dataOf(atts []decodedAttachment, keep bool) []string {
	if !keep {
		return nil
	}
	out := make([]string, 0, len(atts))
	for _, a := range atts {
		out = append(out, string(a.Data))
	}
	return out
}

// mm7VersionValid reports whether the MM7Version of a generated message
// is in its schema's enumeration.
func mm7VersionValid(body any) bool {
	f := reflect.ValueOf(body).Elem().FieldByName("MM7Version")
	if !f.IsValid() {
		return true
	}
	valid := f.MethodByName("Valid")
	return !valid.IsValid() || valid.Call(nil)[0].Bool()
}

// hrefOf returns the href of a generated message's Content element.
func hrefOf(body any) string {
	v := reflect.ValueOf(body)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return ""
	}
	c := v.Elem().FieldByName("Content")
	if !c.IsValid() || c.Kind() != reflect.Pointer || c.IsNil() {
		return ""
	}
	return c.Elem().FieldByName("Href").String()
}

// canonicalHref reports whether href is written as mm7's encoder writes
// it: "cid:" and an id with nothing to escape.
func canonicalHref(href string) bool {
	id, ok := strings.CutPrefix(href, "cid:")
	return ok && id != "" && !strings.ContainsAny(id, "%<>\"\\ \t\r\n") && strings.TrimSpace(id) == id
}
