//go:build ignore

// genfixtures writes the raw HTTP messages of testdata/quirks and
// testdata/broken, byte for byte: line endings are chosen per file (CRLF,
// LF or mixed), binary parts are written raw. The content is invented;
// the shapes follow the quirks in shared/reference/mm7-facts.md (sections
// 2.2, 3, 9, 10.6, 10.7 and 11). Run it from mm7/testdata:
//
//	go run genfixtures.go
//
// The clean_* files are the output of mm7's own encoder with a fixed
// random source.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/xsdtypes"
)

const (
	nsBase = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/"
	ns6    = nsBase + "REL-6-MM7-1-4"
	ns5    = nsBase + "REL-5-MM7-1-2"
	soapNS = "http://schemas.xmlsoap.org/soap/envelope/"
)

// raw marks bytes written as they are, without line-ending conversion.
type raw []byte

// msg builds an HTTP message: the head lines and the body segments, every
// "\n" of a head line or string segment written as eol. Content-Length is
// appended to the head unless noLength is set.
type msg struct {
	eol      string
	head     []string
	body     []any
	noLength bool
}

func (m msg) bytes() []byte {
	var body bytes.Buffer
	for _, s := range m.body {
		switch s := s.(type) {
		case string:
			body.WriteString(strings.ReplaceAll(s, "\n", m.eol))
		case raw:
			body.Write(s)
		case []byte:
			body.Write(s)
		default:
			log.Fatalf("segment %T", s)
		}
	}
	var out bytes.Buffer
	for _, h := range m.head {
		out.WriteString(strings.ReplaceAll(h, "\n", m.eol))
		out.WriteString(m.eol)
	}
	if !m.noLength {
		fmt.Fprintf(&out, "Content-Length: %d%s", body.Len(), m.eol)
	}
	out.WriteString(m.eol)
	out.Write(body.Bytes())
	return out.Bytes()
}

// pseudo returns n deterministic pseudo-random bytes.
func pseudo(seed string, n int) []byte {
	var out []byte
	for i := 0; len(out) < n; i++ {
		var c [8]byte
		binary.BigEndian.PutUint64(c[:], uint64(i))
		s := sha256.Sum256(append([]byte(seed), c[:]...))
		out = append(out, s[:]...)
	}
	return out[:n]
}

// jpeg returns a JPEG-looking blob of n bytes (SOI, JFIF APP0, data, EOI).
func jpeg(seed string, n int) []byte {
	head := []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00")
	b := append(head, pseudo(seed, n-len(head)-2)...)
	return append(b, 0xFF, 0xD9)
}

func png(seed string, n int) []byte {
	head := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00")
	return append(head, pseudo(seed, n-len(head))...)
}

// gif1x1 is a 1x1 transparent GIF.
var gif1x1 = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// b64 encodes data in lines of 76 characters separated by "\n" (turned
// into the file's line ending), without a final line break.
func b64(data []byte) string {
	s := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76])
		b.WriteString("\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}

func smil(img, text string) string {
	return `<smil xmlns="http://www.w3.org/2001/SMIL20/Language"><head><layout><root-layout width="176" height="208"/>` +
		`<region id="Image" top="0" left="0" height="75%" width="100%" fit="meet"/><region id="Text" top="75%" left="0" height="25%" width="100%"/></layout></head>` +
		`<body><par dur="8000ms"><img src="` + img + `" region="Image"/><text src="` + text + `" region="Text"/></par></body></smil>`
}

func write(dir, name string, b []byte) {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%-45s %6d bytes\n", p, len(b))
}

func main() {
	for _, d := range []string{"quirks", "broken"} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			log.Fatal(err)
		}
	}
	quirks()
	clean()
	broken()
}

func quirks() {
	q := func(name string, m msg) { write("quirks", name+".http", m.bytes()) }
	crlf := "\r\n"

	// Vibes MO (mm7-facts 10.6): no start, Content-Id without <>, SOAP-ENV
	// prefix, encoding="utf-16" on UTF-8 bytes, JavaMail boundary, the
	// handset's SMIL multipart passed through.
	{
		outer := "----=_Part_4417_1291358377.1704164645123"
		inner := "----=_Part_4418_532118.1704164645125"
		q("vibes_mo_deliverreq", msg{eol: crlf, head: []string{
			"POST /client/mms/deliver HTTP/1.1",
			`Content-Type: multipart/related; type="text/xml"; boundary="` + outer + `"`,
			`SOAPAction: ""`,
			"User-Agent: Java/1.6.0_65",
			"Host: vasp.example.com",
			"Accept: text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2",
			"Connection: keep-alive",
		}, body: []any{"--" + outer + `
Content-Type: text/xml; charset=utf-8
Content-Transfer-Encoding: 8bit
Content-Id: 881930217.1704164645120.sun-soap-mmsc7

<?xml version="1.0" encoding="utf-16"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header><mm7:TransactionID xmlns:mm7="` + ns6 + `" SOAP-ENV:mustUnderstand="1">88127390341</mm7:TransactionID></SOAP-ENV:Header><SOAP-ENV:Body><mm7:DeliverReq xmlns:mm7="` + ns6 + `"><mm7:MM7Version>6.8.0</mm7:MM7Version><mm7:MMSRelayServerID>vibes-mmsc-02</mm7:MMSRelayServerID><mm7:LinkedID>mo-88127390341</mm7:LinkedID><mm7:Sender><mm7:Number>+16125550147</mm7:Number></mm7:Sender><mm7:Recipients><mm7:To><mm7:ShortCode>54321</mm7:ShortCode></mm7:To></mm7:Recipients><mm7:TimeStamp>2024-01-02T03:04:05Z</mm7:TimeStamp><mm7:Priority>Normal</mm7:Priority><mm7:Subject>Contest entry</mm7:Subject><mm7:Content href="cid:881930217.1704164645121.sun-mms-content"/></mm7:DeliverReq></SOAP-ENV:Body></SOAP-ENV:Envelope>
--` + outer + `
Content-Type: multipart/related; type="application/smil"; start="<0000>"; boundary="` + inner + `"
Content-Id: 881930217.1704164645121.sun-mms-content

--` + inner + `
Content-Type: application/smil; charset=utf-8; name=mms.smil
Content-ID: <0000>
Content-Location: mms.smil

` + smil("IMG_0412.jpg", "text_0.txt") + `
--` + inner + `
Content-Type: image/jpeg; name=IMG_0412.jpg
Content-ID: <0001>
Content-Location: IMG_0412.jpg
Content-Transfer-Encoding: base64

` + b64(jpeg("vibes-mo", 1500)) + `
--` + inner + `
Content-Type: text/plain; charset=utf-8; name=text_0.txt
Content-ID: <0002>
Content-Location: text_0.txt
Content-Transfer-Encoding: 8bit

Entering the contest – photo from the lake 🎉
--` + inner + `--

--` + outer + `--
`}})
	}

	// Vibes delivery receipt, "MM7 5.5.0" flavour (mm7-facts 10.7): plain
	// text/xml, REL-5-MM7-1-2 with 5.3.0, default-namespace TransactionID,
	// Java-style Date offset, encoding="utf-16" on UTF-8 bytes.
	q("vibes_dlr_rel5", msg{eol: crlf, head: []string{
		"POST /mm7/dlr HTTP/1.1",
		"Content-Type: text/xml; charset=utf-8",
		`SOAPAction: ""`,
		"User-Agent: Java/1.6.0_65",
		"Host: vasp.example.com",
	}, body: []any{`<?xml version="1.0" encoding="utf-16"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
<soapenv:Header>
<TransactionID xmlns="` + ns5 + `" soapenv:mustUnderstand="1">dlr-20240102-0007</TransactionID>
</soapenv:Header>
<soapenv:Body>
<mm7:DeliveryReportReq xmlns:mm7="` + ns5 + `">
<mm7:MM7Version>5.3.0</mm7:MM7Version>
<mm7:MessageID>VB-7f3a9c01-0007</mm7:MessageID>
<mm7:Recipient><mm7:Number>16125550147</mm7:Number></mm7:Recipient>
<mm7:Sender><mm7:ShortCode>54321</mm7:ShortCode></mm7:Sender>
<mm7:Date>2024-01-02T03:04:05-0500</mm7:Date>
<mm7:MMStatus>Retrieved</mm7:MMStatus>
<mm7:StatusText>Delivered to handset</mm7:StatusText>
</mm7:DeliveryReportReq>
</soapenv:Body>
</soapenv:Envelope>
`}})

	// A simple R6 envelope body for the MIME-level quirks.
	deliver := func(txID, href, extra string) string {
		return `<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">
<env:Header>
<mm7:TransactionID xmlns:mm7="` + ns6 + `" env:mustUnderstand="1">` + txID + `</mm7:TransactionID>
</env:Header>
<env:Body>
<mm7:DeliverReq xmlns:mm7="` + ns6 + `">
<mm7:MM7Version>6.8.0</mm7:MM7Version>
<mm7:MMSRelayServerID>mmsc01.example.net</mm7:MMSRelayServerID>
<mm7:Sender><mm7:Number>+15555550123</mm7:Number></mm7:Sender>
<mm7:Recipients><mm7:To><mm7:ShortCode>12345</mm7:ShortCode></mm7:To></mm7:Recipients>
<mm7:TimeStamp>2024-01-15T14:10:05-05:00</mm7:TimeStamp>
<mm7:Subject>Entry photo</mm7:Subject>
` + extra + `<mm7:Content href="` + href + `"/>
</mm7:DeliverReq>
</env:Body>
</env:Envelope>`
	}
	submit := func(txID, href, extra string) string {
		return `<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">
<env:Header>
<mm7:TransactionID xmlns:mm7="` + ns6 + `" env:mustUnderstand="1">` + txID + `</mm7:TransactionID>
</env:Header>
<env:Body>
<mm7:SubmitReq xmlns:mm7="` + ns6 + `">
<mm7:MM7Version>6.8.0</mm7:MM7Version>
<mm7:SenderIdentification><mm7:VASPID>examplevasp</mm7:VASPID><mm7:VASID>coupons</mm7:VASID><mm7:SenderAddress><mm7:ShortCode>12345</mm7:ShortCode></mm7:SenderAddress></mm7:SenderIdentification>
<mm7:Recipients><mm7:To><mm7:Number>15555550123</mm7:Number></mm7:To></mm7:Recipients>
<mm7:ServiceCode>coupon-jan</mm7:ServiceCode>
` + extra + `<mm7:Subject>Your January coupon</mm7:Subject>
<mm7:Content href="` + href + `"/>
</mm7:SubmitReq>
</env:Body>
</env:Envelope>`
	}
	post := func(path, ct string) []string {
		return []string{"POST " + path + " HTTP/1.1", "Host: mmsc.example.net", `SOAPAction: ""`, "Content-Type: " + ct}
	}

	q("start_unbracketed", msg{eol: crlf,
		head: post("/mm7/mo", `multipart/related; type="text/xml"; start="mo-soap-3310@mmsc.example.net"; boundary="mo3310"`),
		body: []any{`--mo3310
Content-Type: text/xml; charset="utf-8"
Content-ID: <mo-soap-3310@mmsc.example.net>

` + deliver("mo-3310", "cid:mo-text-3310@mmsc.example.net", "") + `
--mo3310
Content-Type: text/plain; charset="us-ascii"
Content-ID: <mo-text-3310@mmsc.example.net>

JOIN
--mo3310--
`}})

	q("start_unmatched", msg{eol: crlf,
		head: post("/mm7", `multipart/related; type="text/xml"; start="<soap-envelope-0042@vasp.example.com>"; boundary="=_sub_0042"`),
		body: []any{`--=_sub_0042
Content-Type: text/xml; charset="utf-8"
Content-ID: <soap-envelop-0042@vasp.example.com>

` + submit("vasp-0042", "cid:logo-0042@vasp.example.com", "") + `
--=_sub_0042
Content-Type: image/gif
Content-ID: <logo-0042@vasp.example.com>
Content-Transfer-Encoding: base64

` + b64(gif1x1) + `
--=_sub_0042--
`}})

	q("root_not_first", msg{eol: crlf,
		head: post("/mm7", `multipart/related; type="text/xml"; start="<soap-root-7@vasp.example.com>"; boundary="rootlast"`),
		body: []any{`--rootlast
Content-Type: image/png
Content-ID: <banner-7@vasp.example.com>
Content-Location: banner.png
Content-Transfer-Encoding: base64

` + b64(png("root-not-first", 900)) + `
--rootlast
Content-Type: text/xml; charset="utf-8"
Content-ID: <soap-root-7@vasp.example.com>

` + submit("vasp-0007", "cid:banner-7@vasp.example.com", "") + `
--rootlast--
`}})

	// An MO whose SOAP part (named by start) comes last: the handset's
	// multipart/related content first, a nested multipart that must be
	// flattened into its leaves like any other.
	q("root_last_nested", msg{eol: crlf,
		head: post("/mm7/mo", `multipart/related; type="text/xml"; start="<mo-soap-5120@mmsc.example.net>"; boundary="=_outer_5120"`),
		body: []any{`--=_outer_5120
Content-Type: multipart/related; type="application/smil"; start="<pres-5120>"; boundary="=_inner_5120"
Content-ID: <mo-content-5120@mmsc.example.net>

--=_inner_5120
Content-Type: application/smil
Content-ID: <pres-5120>
Content-Location: pres.smil

` + smil("pic.gif", "msg.txt") + `
--=_inner_5120
Content-Type: image/gif
Content-ID: <pic-5120>
Content-Location: pic.gif
Content-Transfer-Encoding: base64

` + b64(gif1x1) + `
--=_inner_5120
Content-Type: text/plain; charset=us-ascii
Content-ID: <msg-5120>
Content-Location: msg.txt

VOTE 7
--=_inner_5120--

--=_outer_5120
Content-Type: text/xml; charset="utf-8"
Content-ID: <mo-soap-5120@mmsc.example.net>

` + deliver("mo-5120", "cid:mo-content-5120@mmsc.example.net", "") + `
--=_outer_5120--
`}})

	// Nokia MMS Center MC5.0 (mm7-facts 11.3): capitalised Type=/Start=,
	// BASE64, nested multipart/related with the SMIL part as start.
	{
		smilText := smil("image001.gif", "text001.txt")
		q("nokia_capitalised_params", msg{eol: crlf, head: []string{
			"POST /mm7/mo HTTP/1.1",
			"Host: vasp.example.com",
			`SOAPAction: ""`,
			`Content-Type: multipart/related; boundary="----=_Part_0_2145632.1104426347562"; Type="text/xml"; Start="<mm7_msg_soap>"`,
		}, body: []any{`------=_Part_0_2145632.1104426347562
Content-Type: text/xml; charset="utf-8"
Content-ID: <mm7_msg_soap>

<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><mm7:TransactionID xmlns:mm7="` + ns6 + `" soap:encodingStyle="" soap:mustUnderstand="1">1104426347562-7</mm7:TransactionID></soap:Header><soap:Body><mm7:DeliverReq xmlns:mm7="` + ns6 + `"><mm7:MM7Version>6.8.0</mm7:MM7Version><mm7:MMSRelayServerID>Nokia MMS Center MC5.0</mm7:MMSRelayServerID><mm7:Sender><mm7:Number>+3859100010010</mm7:Number></mm7:Sender><mm7:Recipients><mm7:To><mm7:ShortCode>1234</mm7:ShortCode></mm7:To></mm7:Recipients><mm7:TimeStamp>2024-01-15T10:20:30+01:00</mm7:TimeStamp><mm7:Priority>Normal</mm7:Priority><mm7:Subject>Greetings</mm7:Subject><mm7:Content href="cid:mm7_msg_content"/></mm7:DeliverReq></soap:Body></soap:Envelope>
------=_Part_0_2145632.1104426347562
Content-Type: multipart/related; Start="<smil001>"; Type="application/smil"; boundary="----=_Part_1_3348215.1104426347563"
Content-ID: <mm7_msg_content>

------=_Part_1_3348215.1104426347563
Content-Type: application/smil; name=pres.smil
Content-ID: <smil001>
Content-Transfer-Encoding: BASE64

` + b64([]byte(smilText)) + `
------=_Part_1_3348215.1104426347563
Content-Type: image/gif; name=image001.gif
Content-ID: <image001>
Content-Location: image001.gif
Content-Transfer-Encoding: BASE64

` + b64(gif1x1) + `
------=_Part_1_3348215.1104426347563
Content-Type: text/plain; charset=utf-8; name=text001.txt
Content-ID: <text001>
Content-Location: text001.txt
Content-Transfer-Encoding: BASE64

` + b64([]byte("Pozdrav iz Splita!")) + `
------=_Part_1_3348215.1104426347563--

------=_Part_0_2145632.1104426347562--
`}})
	}

	// One text part referenced by the body's href, for the href quirks.
	hrefCase := func(name, txID, href, hrefAttr, cid string) {
		env := deliver(txID, href, "")
		if hrefAttr != "" {
			env = strings.Replace(env, `<mm7:Content href="`+href+`"/>`, `<mm7:Content `+hrefAttr+`/>`, 1)
		}
		q(name, msg{eol: crlf,
			head: post("/mm7/mo", `multipart/related; type="text/xml"; start="<soap-`+txID+`>"; boundary="b-`+txID+`"`),
			body: []any{`--b-` + txID + `
Content-Type: text/xml; charset="utf-8"
Content-ID: <soap-` + txID + `>

` + env + `
--b-` + txID + `
Content-Type: text/plain; charset="utf-8"
Content-ID: <` + cid + `>

VOTE 3
--b-` + txID + `--
`}})
	}
	hrefCase("href_cid_space", "mo-15", "cid: content_15", "", "content_15")
	hrefCase("href_qualified_attr", "mo-77", "", `mm7:href="cid:content-77@mmsc.example.net"`, "content-77@mmsc.example.net")
	hrefCase("href_unmatched", "mo-192", "cid:mms-body-0192@mmsc.example.net", "", "mms-body-0193@mmsc.example.net")
	hrefCase("content_id_case", "mo-5521", "cid:MMS-Content-5521@MMSC.Example.Net", "", "mms-content-5521@mmsc.example.net")

	// Line endings.
	lfBody := func(txID string) []any {
		return []any{`--lf-` + txID + `
Content-Type: text/xml; charset="utf-8"
Content-ID: <soap-` + txID + `>

` + submit(txID, "cid:content-"+txID, "") + `
--lf-` + txID + `
Content-Type: multipart/mixed; boundary="lf-inner-` + txID + `"
Content-ID: <content-` + txID + `>

--lf-inner-` + txID + `
Content-Type: text/plain; charset="utf-8"
Content-ID: <msg.txt>

Show this message at the till.
--lf-inner-` + txID + `
Content-Type: image/gif
Content-ID: <logo.gif>
Content-Transfer-Encoding: base64

` + b64(gif1x1) + `
--lf-inner-` + txID + `--
--lf-` + txID + `--
`}
	}
	q("lf_only", msg{eol: "\n",
		head: post("/mm7", `multipart/related; type="text/xml"; start="<soap-vasp-lf1>"; boundary="lf-vasp-lf1"`),
		body: lfBody("vasp-lf1")})
	{
		// CRLF everywhere except the header block and the delimiters of the
		// inner multipart, written by a script with "\n".
		body := strings.ReplaceAll(lfBody("vasp-mx2")[0].(string), "\n", "\r\n")
		body = strings.Replace(body, "Content-Type: image/gif\r\nContent-ID: <logo.gif>\r\n", "Content-Type: image/gif\nContent-ID: <logo.gif>\n", 1)
		body = strings.Replace(body, "\r\n--lf-inner-vasp-mx2--\r\n", "\n--lf-inner-vasp-mx2--\n", 1)
		q("mixed_line_endings", msg{eol: crlf,
			head: post("/mm7", `multipart/related; type="text/xml"; start="<soap-vasp-mx2>"; boundary="lf-vasp-mx2"`),
			body: []any{raw(body)}})
	}

	// Folded headers, HTTP and MIME (RFC 5322 section 2.2.3 folding).
	q("folded_headers", msg{eol: crlf, head: []string{
		"POST /mm7 HTTP/1.1",
		"Host: mmsc.example.net",
		`SOAPAction: ""`,
		"Content-Type: multipart/related;\n\tboundary=\"fold-7731\";\n\ttype=\"text/xml\";\n\tstart=\"<soap-7731>\"",
	}, body: []any{`--fold-7731
Content-Type: text/xml;
 charset="utf-8"
Content-ID: <soap-7731>

` + submit("vasp-7731", "cid:beach-7731", "") + `
--fold-7731
Content-Type: image/jpeg;
	name="beach.jpg"
Content-ID:
 <beach-7731>
Content-Transfer-Encoding: base64

` + b64(jpeg("folded", 700)) + `
--fold-7731--
`}})

	// Envelope-level quirks, plain text/xml.
	textXML := func(name string, head []string, envelope string) {
		q(name, msg{eol: crlf, head: head, body: []any{envelope}})
	}
	response := func(status string) []string {
		return []string{"HTTP/1.1 " + status, "Content-Type: text/xml; charset=\"utf-8\"", "Server: MMSC/3.2"}
	}
	envelope := func(txID, txNS, body string) string {
		return `<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">
<env:Header><mm7:TransactionID xmlns:mm7="` + txNS + `" env:mustUnderstand="1">` + txID + `</mm7:TransactionID></env:Header>
<env:Body>
` + body + `
</env:Body>
</env:Envelope>
`
	}

	textXML("no_namespace_body", response("200 OK"), `<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">
<env:Header><TransactionID env:mustUnderstand="1">vasp-nons-1</TransactionID></env:Header>
<env:Body>
<SubmitRsp>
<MM7Version>6.8.0</MM7Version>
<Status><StatusCode>1000</StatusCode><StatusText>Success</StatusText></Status>
<MessageID>MMSC-NONS-0001</MessageID>
</SubmitRsp>
</env:Body>
</env:Envelope>
`)

	{
		ns63 := nsBase + "REL-6-MM7-1-3"
		env := envelope("mo-mixed-9", ns63, `<DeliverReq xmlns="`+ns63+`" xmlns:r14="`+ns6+`">
<MM7Version>6.6.0</MM7Version>
<MMSRelayServerID>gw.example.net</MMSRelayServerID>
<r14:Sender><r14:Number>+15555550999</r14:Number></r14:Sender>
<r14:Recipients><r14:To><r14:ShortCode>12345</r14:ShortCode></r14:To></r14:Recipients>
<Subject>mixed</Subject>
</DeliverReq>`)
		textXML("mixed_namespaces", post("/mm7/mo", `text/xml; charset="utf-8"`), env)

		textXML("namespace_rel6_1_3", post("/mm7", `text/xml; charset="utf-8"`), envelope("vasp-r63-1", ns63, `<mm7:SubmitReq xmlns:mm7="`+ns63+`">
<mm7:MM7Version>6.6.0</mm7:MM7Version>
<mm7:SenderIdentification><mm7:VASPID>examplevasp</mm7:VASPID><mm7:SenderAddress><mm7:ShortCode>12345</mm7:ShortCode></mm7:SenderAddress></mm7:SenderIdentification>
<mm7:Recipients><mm7:To><mm7:Number>15555550123</mm7:Number></mm7:To></mm7:Recipients>
<mm7:Subject>Weather alert</mm7:Subject>
<mm7:ChargedParty>ThirdParty</mm7:ChargedParty>
<mm7:ChargedPartyID>15555550100</mm7:ChargedPartyID>
</mm7:SubmitReq>`))
	}
	{
		ns510 := nsBase + "REL-5-MM7-1-0"
		textXML("namespace_rel5_1_0", post("/mm7", `text/xml; charset="utf-8"`), envelope("vas00001-sub", ns510, `<SubmitReq xmlns="`+ns510+`">
<MM7Version>5.3.0</MM7Version>
<SenderIdentification><VASPID>TNN</VASPID><VASID>News</VASID></SenderIdentification>
<Recipients><To><Number>7255441234</Number><RFC2822Address>7255442222@OMMS.com</RFC2822Address></To></Recipients>
<ServiceCode>gold-sp33-im42</ServiceCode>
<MessageClass>Informational</MessageClass>
<DeliveryReport>true</DeliveryReport>
<Priority>Normal</Priority>
<Subject>News for today</Subject>
<DistributionProtection>false</DistributionProtection>
</SubmitReq>`))
	}

	textXML("version_mismatch_rel5", post("/mm7", `text/xml; charset="utf-8"`), envelope("vasp-550-1", ns5, `<mm7:SubmitReq xmlns:mm7="`+ns5+`">
<mm7:MM7Version>5.5.0</mm7:MM7Version>
<mm7:SenderIdentification><mm7:VASPID>examplevasp</mm7:VASPID><mm7:SenderAddress><mm7:ShortCode>54321</mm7:ShortCode></mm7:SenderAddress></mm7:SenderIdentification>
<mm7:Recipients><mm7:To><mm7:Number>16125550147</mm7:Number></mm7:To></mm7:Recipients>
<mm7:DeliveryReport>true</mm7:DeliveryReport>
<mm7:Subject>Flash sale</mm7:Subject>
</mm7:SubmitReq>`))

	q("version_mismatch_rel6", msg{eol: crlf,
		head: post("/mm7/mo", `multipart/related; type="text/xml"; start="<soap-670>"; boundary="v670"`),
		body: []any{`--v670
Content-Type: text/xml; charset="utf-8"
Content-ID: <soap-670>

` + strings.Replace(deliver("mo-670", "cid:txt-670", ""), "6.8.0", "6.7.0", 1) + `
--v670
Content-Type: text/plain; charset="utf-8"
Content-ID: <txt-670>

HELP
--v670--
`}})

	q("boolean_case", msg{eol: crlf,
		head: post("/mm7", `multipart/related; type="text/xml"; start="<soap-bool-1>"; boundary="bool1"`),
		body: []any{`--bool1
Content-Type: text/xml; charset="utf-8"
Content-ID: <soap-bool-1>

` + strings.Replace(submit("vasp-bool-1", "cid:img-bool-1", "<mm7:DeliveryReport>True</mm7:DeliveryReport>\n<mm7:ReadReply>FALSE</mm7:ReadReply>\n"),
			`<mm7:Content href="cid:img-bool-1"/>`, `<mm7:Content href="cid:img-bool-1" allowAdaptations="True"/>`, 1) + `
--bool1
Content-Type: image/gif
Content-ID: <img-bool-1>
Content-Transfer-Encoding: base64

` + b64(gif1x1) + `
--bool1--
`}})

	// TS 23.140 annex style: values wrapped in new lines and indentation.
	textXML("whitespace_values", post("/mms-rs/mm7", `text/xml; charset="utf-8"`), `<?xml version="1.0" ?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">
  <env:Header>
    <mm7:TransactionID xmlns:mm7="`+ns6+`" env:mustUnderstand="1">
      vas00001-can
    </mm7:TransactionID>
  </env:Header>
  <env:Body>
    <CancelReq xmlns="`+ns6+`">
      <MM7Version>6.8.0</MM7Version>
      <SenderIdentification>
        <VASPID>
          TNN
        </VASPID>
        <VASID>News</VASID>
      </SenderIdentification>
      <MessageID>
        vas00001-sub-0815
      </MessageID>
    </CancelReq>
  </env:Body>
</env:Envelope>
`)

	q("type_plmn", msg{eol: crlf,
		head: post("/mm7/mo", `multipart/related; type="text/xml"; start="<soap-plmn-1>"; boundary="plmn1"`),
		body: []any{`--plmn1
Content-Type: text/xml; charset="utf-8"
Content-ID: <soap-plmn-1>

` + strings.Replace(deliver("mo-plmn-1", "cid:txt-plmn-1", ""), "<mm7:Number>+15555550123</mm7:Number>", "<mm7:Number>+3859100010010/TYPE=PLMN</mm7:Number>", 1) + `
--plmn1
Content-Type: text/plain; charset="utf-8"
Content-ID: <txt-plmn-1>

STOP
--plmn1--
`}})

	q("soap_part_application_xml", msg{eol: crlf,
		head: post("/mm7", `multipart/related; type="text/xml"; start="<soap-appxml>"; boundary="appxml"`),
		body: []any{`--appxml
Content-Type: application/xml; charset=UTF-8
Content-ID: <soap-appxml>

` + submit("vasp-appxml", "cid:img-appxml", "") + `
--appxml
Content-Type: image/gif
Content-ID: <img-appxml>
Content-Transfer-Encoding: base64

` + b64(gif1x1) + `
--appxml--
`}})

	textXML("body_application_xml", []string{"HTTP/1.1 200 OK", "Content-Type: application/xml;charset=UTF-8", "Server: Apache-Coyote/1.1"},
		envelope("vasp-appxml-2", ns6, `<mm7:SubmitRsp xmlns:mm7="`+ns6+`"><mm7:MM7Version>6.8.0</mm7:MM7Version><mm7:Status><mm7:StatusCode>1000</mm7:StatusCode><mm7:StatusText>Success</mm7:StatusText></mm7:Status><mm7:MessageID>MMSC-APPXML-2</mm7:MessageID></mm7:SubmitRsp>`))

	{
		// Raw binary image without Content-Transfer-Encoding (captured
		// Java-stack MOs), and an 8bit text.
		img := jpeg("raw-binary", 2048)
		if bytes.Contains(img, []byte("\n--rawbin")) {
			log.Fatal("raw image contains the boundary")
		}
		q("raw_binary_8bit", msg{eol: crlf,
			head: post("/mm7/mo", `multipart/related; type="text/xml"; start="<soap-rawbin>"; boundary="rawbin"`),
			body: []any{`--rawbin
Content-Type: text/xml; charset="utf-8"
Content-ID: <soap-rawbin>

` + deliver("mo-rawbin", "cid:content-rawbin", "") + `
--rawbin
Content-Type: multipart/mixed; boundary="rawbin-inner"
Content-ID: <content-rawbin>

--rawbin-inner
Content-Type: image/jpeg
Content-ID: <photo-rawbin>
Content-Location: photo.jpg

`, raw(img), `
--rawbin-inner
Content-Type: text/plain; charset=utf-8
Content-ID: <text-rawbin>
Content-Transfer-Encoding: 8bit

Grüße aus München!
--rawbin-inner--
--rawbin--
`}})
	}

	q("quoted_printable_text", msg{eol: crlf,
		head: post("/mm7", `multipart/related; type="text/xml"; start="<soap-qp>"; boundary="qp-outer"`),
		body: []any{`--qp-outer
Content-Type: text/xml; charset="utf-8"
Content-ID: <soap-qp>

` + submit("vasp-qp", "cid:content-qp", "") + `
--qp-outer
Content-Type: multipart/mixed; boundary="qp-inner"
Content-ID: <content-qp>

--qp-inner
Content-Type: text/plain; charset="utf-8"
Content-ID: <text-qp>
Content-Transfer-Encoding: quoted-printable

Caf=C3=A9 cr=C3=A8me: show this message at the till for 20% off your next =
order. Valid until Sunday =3D this week only.
--qp-inner
Content-Type: image/gif
Content-ID: <logo-qp>
Content-Transfer-Encoding: base64

` + b64(gif1x1) + `
--qp-inner--
--qp-outer--
`}})

	{
		img := jpeg("base64-lf", 1200)
		q("base64_lf_lines", msg{eol: crlf,
			head: post("/mm7", `multipart/related; type="text/xml"; start="<soap-b64lf>"; boundary="b64lf"`),
			body: []any{`--b64lf
Content-Type: text/xml; charset="utf-8"
Content-ID: <soap-b64lf>

` + submit("vasp-b64lf", "cid:img-b64lf", "") + `
--b64lf
Content-Type: image/jpeg
Content-ID: <img-b64lf>
Content-Transfer-Encoding: base64

`, raw(b64(img)), `
--b64lf--
`}})
	}

	textXML("submitreq_without_attachment", post("/mm7", `text/xml; charset="utf-8"`),
		submit("vasp-noatt-1", "cid:forgotten-part@vasp.example.com", "")+"\n")

	{
		ns514 := nsBase + "REL-5-MM7-1-4"
		textXML("dlr_timestamp_rel5_1_4", post("/mm7/dlr", `text/xml; charset="utf-8"`), envelope("dr-514-1", ns514, `<mm7:DeliveryReportReq xmlns:mm7="`+ns514+`">
<mm7:MM7Version>5.8.0</mm7:MM7Version>
<mm7:MMSRelayServerID>mmsc02.example.net</mm7:MMSRelayServerID>
<mm7:MessageID>MMSC-514-0001</mm7:MessageID>
<mm7:Recipient><mm7:Number>15555550123</mm7:Number></mm7:Recipient>
<mm7:Sender><mm7:ShortCode>12345</mm7:ShortCode></mm7:Sender>
<mm7:TimeStamp>2024-01-15T14:05:41Z</mm7:TimeStamp>
<mm7:MMStatus>Expired</mm7:MMStatus>
</mm7:DeliveryReportReq>`))
		textXML("dlr_timestamp_renamed", post("/mm7/dlr", `text/xml; charset="utf-8"`), envelope("dr-ts-2", ns6, `<mm7:DeliveryReportReq xmlns:mm7="`+ns6+`">
<mm7:MM7Version>6.8.0</mm7:MM7Version>
<mm7:MessageID>MMSC-TS-0002</mm7:MessageID>
<mm7:Recipient><mm7:Number>15555550123</mm7:Number></mm7:Recipient>
<mm7:Sender><mm7:ShortCode>12345</mm7:ShortCode></mm7:Sender>
<mm7:TimeStamp>2024-01-15T14:05:41.250Z</mm7:TimeStamp>
<mm7:MMStatus>Forwarded</mm7:MMStatus>
<mm7:StatusText>Forwarded to carrier</mm7:StatusText>
</mm7:DeliveryReportReq>`))
	}

	// An aggregator's delivery report with <Recipients><Number> where the
	// schema has <Recipient>: the number must survive as unknown content.
	textXML("dlr_recipients_number", post("/mm7/dlr", `text/xml; charset="utf-8"`), envelope("dr-rcpts-1", ns6, `<mm7:DeliveryReportReq xmlns:mm7="`+ns6+`">
<mm7:MM7Version>6.8.0</mm7:MM7Version>
<mm7:MessageID>MMSC-RC-0001</mm7:MessageID>
<mm7:Recipients><mm7:Number>15555550188</mm7:Number></mm7:Recipients>
<mm7:Sender><mm7:ShortCode>12345</mm7:ShortCode></mm7:Sender>
<mm7:Date>2024-01-15T14:05:41Z</mm7:Date>
<mm7:MMStatus>Retrieved</mm7:MMStatus>
</mm7:DeliveryReportReq>`))

	// An aggregator's delivery report: a multipart/related Content-Type
	// without a boundary on a plain SOAP envelope.
	textXML("dlr_multipart_no_boundary", post("/mm7/dlr", `multipart/related; type="text/xml"`), envelope("dr-nb-1", ns6, `<mm7:DeliveryReportReq xmlns:mm7="`+ns6+`">
<mm7:MM7Version>6.8.0</mm7:MM7Version>
<mm7:MessageID>MMSC-NB-0001</mm7:MessageID>
<mm7:Recipient><mm7:Number>15555550123</mm7:Number></mm7:Recipient>
<mm7:Sender><mm7:ShortCode>12345</mm7:ShortCode></mm7:Sender>
<mm7:Date>2024-01-15T14:05:41Z</mm7:Date>
<mm7:MMStatus>Retrieved</mm7:MMStatus>
</mm7:DeliveryReportReq>`))

	// A delivery report without the mandatory Date and Sender.
	textXML("dlr_without_date_sender", post("/mm7/dlr", `text/xml; charset="utf-8"`), envelope("dr-nodate-1", ns6, `<mm7:DeliveryReportReq xmlns:mm7="`+ns6+`">
<mm7:MM7Version>6.8.0</mm7:MM7Version>
<mm7:MessageID>MMSC-ND-0001</mm7:MessageID>
<mm7:Recipient><mm7:Number>15555550123</mm7:Number></mm7:Recipient>
<mm7:MMStatus>Expired</mm7:MMStatus>
</mm7:DeliveryReportReq>`))

	textXML("submitrsp_unknown_misordered", response("200 OK"), envelope("vasp-r5-0815", ns5, `<SubmitRsp xmlns="`+ns5+`">
<MM7Version>5.3.0</MM7Version>
<MessageID>041502073667</MessageID>
<Status><StatusCode>1000</StatusCode><StatusText>Success</StatusText></Status>
<ApplicID>com.example.coupons</ApplicID>
</SubmitRsp>`))

	textXML("fault_rserrorrsp_500", response("500 Internal Server Error"), envelope("vasp-0099", ns6, `<env:Fault>
<faultcode>env:Client</faultcode>
<faultstring>Client error</faultstring>
<detail>
<mm7:RSErrorRsp xmlns:mm7="`+ns6+`">
<mm7:MM7Version>6.8.0</mm7:MM7Version>
<mm7:Status><mm7:StatusCode>2002</mm7:StatusCode><mm7:StatusText>Address Error</mm7:StatusText><mm7:Details><reason>Recipient 1555 is not a valid number</reason></mm7:Details></mm7:Status>
</mm7:RSErrorRsp>
</detail>
</env:Fault>`))

	textXML("fault_prefixed_children", response("500 Internal Server Error"), envelope("vasp-0100", ns5, `<env:Fault>
<env:faultcode>Client</env:faultcode>
<env:faultstring>Unsupported version</env:faultstring>
<env:detail>
<mm7:RSErrorRsp xmlns:mm7="`+ns5+`">
<mm7:MM7Version>5.3.0</mm7:MM7Version>
<mm7:Status><mm7:StatusCode>4002</mm7:StatusCode><mm7:StatusText>Unsupported version</mm7:StatusText></mm7:Status>
</mm7:RSErrorRsp>
</env:detail>
</env:Fault>`))

	textXML("fault_without_detail", response("500 Internal Server Error"), envelope("vasp-0101", ns6, `<env:Fault>
<faultcode>env:Server</faultcode>
<faultstring>java.lang.NullPointerException</faultstring>
</env:Fault>`))

	{
		env := envelope("dr-utf16-1", ns6, `<mm7:DeliveryReportReq xmlns:mm7="`+ns6+`">
<mm7:MM7Version>6.8.0</mm7:MM7Version>
<mm7:MessageID>MMSC-U16-0001</mm7:MessageID>
<mm7:Recipient><mm7:Number>491705550123</mm7:Number></mm7:Recipient>
<mm7:Sender><mm7:ShortCode>12345</mm7:ShortCode></mm7:Sender>
<mm7:Date>2024-01-15T14:05:41+01:00</mm7:Date>
<mm7:MMStatus>Retrieved</mm7:MMStatus>
<mm7:StatusText>Zugestellt über Netz – OK</mm7:StatusText>
</mm7:DeliveryReportReq>`)
		env = strings.Replace(strings.ReplaceAll(env, "\n", "\r\n"), `encoding="UTF-8"`, `encoding="UTF-16"`, 1)
		u := utf16.Encode([]rune(env))
		b := []byte{0xFF, 0xFE}
		for _, c := range u {
			b = binary.LittleEndian.AppendUint16(b, c)
		}
		q("utf16le_bom", msg{eol: crlf, head: post("/mm7/dlr", "text/xml; charset=utf-16"), body: []any{raw(b)}})
	}

	{
		env := envelope("dr-latin1-1", ns5, `<mm7:DeliveryReportReq xmlns:mm7="`+ns5+`">
<mm7:MM7Version>5.3.0</mm7:MM7Version>
<mm7:MessageID>MMSC-L1-0001</mm7:MessageID>
<mm7:Recipient><mm7:Number>33655550123</mm7:Number></mm7:Recipient>
<mm7:Sender><mm7:ShortCode>36000</mm7:ShortCode></mm7:Sender>
<mm7:Date>2024-01-15T14:05:41+01:00</mm7:Date>
<mm7:MMStatus>Rejected</mm7:MMStatus>
<mm7:StatusText>Refusé par l'abonné</mm7:StatusText>
</mm7:DeliveryReportReq>`)
		env = strings.Replace(strings.ReplaceAll(env, "\n", "\r\n"), `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1)
		var b []byte
		for _, r := range env {
			if r > 0xFF {
				log.Fatalf("%q is not Latin-1", r)
			}
			b = append(b, byte(r))
		}
		q("latin1_declared", msg{eol: crlf, head: post("/mm7/dlr", "text/xml; charset=ISO-8859-1"), body: []any{raw(b)}})
	}

	// Vibes answers callbacks with an empty 200 (mm7-facts 10.6).
	q("vibes_empty_200", msg{eol: crlf, head: []string{"HTTP/1.1 200 OK", "Date: Tue, 02 Jan 2024 08:04:06 GMT", "Server: nginx"}})
}

// fixedRand is a deterministic random source for the encoder.
type fixedRand struct{ n byte }

func (f *fixedRand) Read(p []byte) (int, error) {
	for i := range p {
		f.n++
		p[i] = f.n
	}
	return len(p), nil
}

func clean() {
	encode := func(name, start string, m *mm7.Message, parts []mm7.Attachment) {
		enc, err := mm7.NewEncoder(m, parts, mm7.EncodeOptions{Rand: &fixedRand{}})
		if err != nil {
			log.Fatal(err)
		}
		var body bytes.Buffer
		if _, err := enc.WriteTo(&body); err != nil {
			log.Fatal(err)
		}
		write("quirks", name+".http", msg{eol: "\r\n", head: []string{start, "Host: mmsc.example.net", `SOAPAction: ""`, "Content-Type: " + enc.ContentType()}, body: []any{raw(body.Bytes())}}.bytes())
	}
	ts, _ := xsdtypes.ParseDateTime("2024-01-15T14:03:22Z")
	encode("clean_submitreq_rel6", "POST /mm7 HTTP/1.1", &mm7.Message{TransactionID: "vasp-clean-1", Version: mm7.Rel6, Body: &rel6.SubmitReq{
		SenderIdentification: rel6.SenderID{VASPID: new("examplevasp"), SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}},
		Recipients:           rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}},
		TimeStamp:            &ts,
		DeliveryReport:       new(true),
		Subject:              new("Your January coupon"),
	}}, []mm7.Attachment{
		{ContentType: "text/plain; charset=utf-8", ContentLocation: "msg.txt", Body: strings.NewReader("Show this message at the till for 20% off.")},
		{ContentType: "image/jpeg", ContentLocation: "coupon.jpg", Body: bytes.NewReader(jpeg("clean", 1000))},
		{ContentType: "application/smil", ContentLocation: "pres.smil", Body: strings.NewReader(smil("coupon.jpg", "msg.txt"))},
	})
	encode("clean_deliveryreportrsp_rel5", "HTTP/1.1 200 OK", &mm7.Message{TransactionID: "dlr-20240102-0007", Version: mm7.Rel5, Body: &rel5.DeliveryReportRsp{
		Status: rel5.ResponseStatus{StatusCode: 1000, StatusText: "Success"},
	}}, nil)
}

func broken() {
	b := func(name string, m msg) { write("broken", name+".http", m.bytes()) }
	crlf := "\r\n"
	post := func(ct string) []string {
		return []string{"POST /mm7/mo HTTP/1.1", "Host: vasp.example.com", `SOAPAction: ""`, "Content-Type: " + ct}
	}
	env := func(txID, body string) string {
		return `<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header><mm7:TransactionID xmlns:mm7="` + ns6 + `" env:mustUnderstand="1">` + txID + `</mm7:TransactionID></env:Header><env:Body>` + body + `</env:Body></env:Envelope>`
	}
	deliverBody := func(href string) string {
		return `<mm7:DeliverReq xmlns:mm7="` + ns6 + `"><mm7:MM7Version>6.8.0</mm7:MM7Version><mm7:Sender><mm7:Number>15555550123</mm7:Number></mm7:Sender><mm7:Content href="cid:` + href + `"/></mm7:DeliverReq>`
	}
	mo := func(boundary, contentPart string) string {
		return `--` + boundary + `
Content-Type: text/xml; charset="utf-8"
Content-ID: <soap>

` + env("mo-broken", deliverBody("content")) + `
--` + boundary + `
` + contentPart
	}
	whole := mo("brk", `Content-Type: image/jpeg
Content-ID: <content>
Content-Transfer-Encoding: base64

`+b64(jpeg("truncated", 3000))+`
--brk--
`)
	withCRLF := strings.ReplaceAll(whole, "\n", "\r\n")
	// Cut inside the base64 of the image, on a 4-character group boundary,
	// so that only the missing rest shows the truncation.
	cut := strings.Index(withCRLF, "base64\r\n\r\n") + len("base64\r\n\r\n") + 3*78 + 40
	b("truncated_in_attachment", msg{eol: crlf, head: post(`multipart/related; type="text/xml"; start="<soap>"; boundary="brk"`), body: []any{raw(withCRLF[:cut])}})
	cut = strings.Index(withCRLF, "Content-ID: <content>") + len("Content-ID: <con")
	b("truncated_in_headers", msg{eol: crlf, head: post(`multipart/related; type="text/xml"; start="<soap>"; boundary="brk"`), body: []any{raw(withCRLF[:cut])}})

	{
		data := b64(jpeg("bad-base64", 600))
		data = data[:57] + "*" + data[58:]
		b("bad_base64", msg{eol: crlf, head: post(`multipart/related; type="text/xml"; start="<soap>"; boundary="bad64"`), body: []any{mo("bad64", `Content-Type: image/jpeg
Content-ID: <content>
Content-Transfer-Encoding: base64

`+data+`
--bad64--
`)}})
	}

	b("no_envelope_part", msg{eol: crlf, head: post(`multipart/related; boundary="noenv"`), body: []any{`--noenv
Content-Type: image/gif
Content-ID: <img>
Content-Transfer-Encoding: base64

` + b64(gif1x1) + `
--noenv
Content-Type: text/plain
Content-ID: <txt>

hello
--noenv--
`}})

	b("two_envelopes", msg{eol: crlf, head: post(`text/xml; charset="utf-8"`), body: []any{env("tx-1", deliverBody("a")) + "\n" + env("tx-2", deliverBody("b")) + "\n"}})
	b("two_body_elements", msg{eol: crlf, head: post(`text/xml; charset="utf-8"`), body: []any{env("tx-3", deliverBody("a")+deliverBody("b")) + "\n"}})
	b("empty_body", msg{eol: crlf, head: post(`text/xml; charset="utf-8"`), body: []any{env("tx-4", "\n  ") + "\n"}})
	b("unknown_message", msg{eol: crlf, head: post(`text/xml; charset="utf-8"`), body: []any{env("tx-5", `<mm7:FooReq xmlns:mm7="`+ns6+`"><mm7:MM7Version>6.8.0</mm7:MM7Version></mm7:FooReq>`) + "\n"}})
	b("not_xml", msg{eol: crlf, head: post(`text/xml; charset="utf-8"`), body: []any{"503 Service Temporarily Unavailable: please retry later\n"}})
	b("billion_laughs", msg{eol: crlf, head: post(`text/xml; charset="utf-8"`), body: []any{`<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
` + strings.TrimPrefix(env("tx-lol", `<mm7:CancelReq xmlns:mm7="`+ns6+`"><mm7:MM7Version>6.8.0</mm7:MM7Version><mm7:SenderIdentification><mm7:VASPID>&lol9;</mm7:VASPID></mm7:SenderIdentification><mm7:MessageID>m</mm7:MessageID></mm7:CancelReq>`), `<?xml version="1.0" encoding="UTF-8"?>
`) + "\n"}})

	{
		// Six nested multiparts; the decoder allows four levels.
		var s strings.Builder
		s.WriteString(mo("d1", ""))
		for i := 2; i <= 6; i++ {
			fmt.Fprintf(&s, "Content-Type: multipart/mixed; boundary=\"d%d\"\nContent-ID: <%s>\n\n--d%d\n", i, map[bool]string{true: "content", false: fmt.Sprintf("level%d", i)}[i == 2], i)
		}
		s.WriteString("Content-Type: text/plain\nContent-ID: <deep>\n\ndeep\n")
		for i := 6; i >= 1; i-- {
			fmt.Fprintf(&s, "--d%d--\n", i)
		}
		b("too_deep", msg{eol: crlf, head: post(`multipart/related; type="text/xml"; start="<soap>"; boundary="d1"`), body: []any{s.String()}})
	}
	{
		// Twelve parts, six in each of two nested multiparts: each reader
		// stays under MaxParts 10 but the message does not.
		var s strings.Builder
		s.WriteString(mo("mp", "Content-Type: multipart/mixed; boundary=\"mp-in\"\nContent-ID: <content>\n\n"))
		for i := 1; i <= 6; i++ {
			fmt.Fprintf(&s, "--mp-in\nContent-Type: text/plain\nContent-ID: <t%d>\n\npart %d\n", i, i)
		}
		s.WriteString("--mp-in--\n--mp\nContent-Type: multipart/mixed; boundary=\"mp-in2\"\nContent-ID: <more>\n\n")
		for i := 7; i <= 12; i++ {
			fmt.Fprintf(&s, "--mp-in2\nContent-Type: text/plain\nContent-ID: <t%d>\n\npart %d\n", i, i)
		}
		s.WriteString("--mp-in2--\n--mp--\n")
		b("too_many_parts", msg{eol: crlf, head: post(`multipart/related; type="text/xml"; start="<soap>"; boundary="mp"`), body: []any{s.String()}})
	}
	{
		// An envelope of about 3 KiB; the test allows 2 KiB.
		subject := strings.Repeat("Lorem ipsum dolor sit amet. ", 110)
		body := strings.Replace(deliverBody("content"), "<mm7:Content", "<mm7:Subject>"+subject+"</mm7:Subject><mm7:Content", 1)
		b("envelope_too_large", msg{eol: crlf, head: post(`multipart/related; type="text/xml"; start="<soap>"; boundary="big"`), body: []any{`--big
Content-Type: text/xml; charset="utf-8"
Content-ID: <soap>

` + env("tx-big", body) + `
--big
Content-Type: text/plain
Content-ID: <content>

hi
--big--
`}})
	}
	b("header_too_large", msg{eol: crlf, head: post(`multipart/related; type="text/xml"; start="<soap>"; boundary="hdr"`), body: []any{mo("hdr", `Content-Type: text/plain
Content-ID: <content>
X-Padding: `+strings.Repeat("x", 2000)+`

hi
--hdr--
`)}})
	// Vendor details nested 200 deep: the decoder allows 100 levels.
	b("xml_too_deep", msg{eol: crlf, head: []string{"HTTP/1.1 200 OK", `Content-Type: text/xml; charset="utf-8"`}, body: []any{env("tx-deep", `<mm7:SubmitRsp xmlns:mm7="`+ns6+`"><mm7:MM7Version>6.8.0</mm7:MM7Version><mm7:Status><mm7:StatusCode>1000</mm7:StatusCode><mm7:StatusText>Success</mm7:StatusText><mm7:Details>`+
		strings.Repeat("<v:d xmlns:v=\"urn:vendor\">", 200)+strings.Repeat("</v:d>", 200)+`</mm7:Details></mm7:Status><mm7:MessageID>M</mm7:MessageID></mm7:SubmitRsp>`) + "\n"}})
	b("no_boundary", msg{eol: crlf, head: post(`multipart/related; type="text/xml"; start="<soap>"`), body: []any{mo("nob", "Content-Type: text/plain\nContent-ID: <content>\n\nhi\n--nob--\n")}})
}
