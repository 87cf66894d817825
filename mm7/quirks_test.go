package mm7_test

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// wantAttachment is an attachment a quirk file must yield, in order.
// Text parts are compared whole; binary parts by size and SHA-256.
type wantAttachment struct {
	mediaType, contentID string
	text                 string
	size                 int
	sha256               string
	unreferenced         bool // not (inside) the part the Content href names
	start                bool // the start part of its multipart/related
}

func wantText(mt, cid, s string) wantAttachment {
	return wantAttachment{mediaType: mt, contentID: cid, text: s}
}

func wantBinary(mt, cid string, size int, sum string) wantAttachment {
	return wantAttachment{mediaType: mt, contentID: cid, size: size, sha256: sum}
}

func (w wantAttachment) asStart() wantAttachment {
	w.start = true
	return w
}

// The 1x1 GIF of genfixtures.go, and the MM7 namespace base.
const (
	gif1x1SHA = "693d949d8c3fdc7fd4ace7c340b5f177a9f0c5be7bafee8bc93a7d88b7523d75"
	nsBase    = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/"
)

type quirkCase struct {
	file       string
	kind       string // Message.Kind
	schema     string // Version.Schema
	mm7Version string
	namespace  string // Version.Namespace, when not the schema's own
	txID       string
	devs       []mm7.DeviationCode
	atts       []wantAttachment
	check      func(t *testing.T, msg *mm7.Message)
}

func quirkCases() []quirkCase {
	return []quirkCase{
		{
			file: "vibes_mo_deliverreq", kind: "DeliverReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "88127390341",
			devs: []mm7.DeviationCode{mm7.DevStartMissing, "mime-content-id-no-brackets", mm7.DevCharsetMismatch},
			atts: []wantAttachment{
				wantBinary("application/smil", "0000", 382, "b21a656c9ceb0faddbdaa69d68e1618dc77d2708ab4b5a6e4a32a699c18bc9ec").asStart(),
				wantBinary("image/jpeg", "0001", 1500, "2b4dccdcc873a251d9153e853f36b5bcd5f9631a8887938bf944db02c43b4175"),
				wantText("text/plain", "0002", "Entering the contest – photo from the lake 🎉"),
			},
			check: func(t *testing.T, msg *mm7.Message) {
				mo := msg.Body.(*rel6.DeliverReq)
				assert.Equal(t, "+16125550147", mo.Sender.Number.Value)
				assert.Equal(t, "54321", mo.Recipients.To[0].ShortCode[0].Value)
				assert.Equal(t, "Contest entry", *mo.Subject)
				assert.Equal(t, "cid:881930217.1704164645121.sun-mms-content", mo.Content.Href)
			},
		},
		{
			file: "vibes_dlr_rel5", kind: "DeliveryReportReq", schema: "REL-5-MM7-1-2", mm7Version: "5.3.0", txID: "dlr-20240102-0007",
			devs: []mm7.DeviationCode{mm7.DevCharsetMismatch, mm7.DevDateTimeForm},
			check: func(t *testing.T, msg *mm7.Message) {
				dr := msg.Body.(*rel5.DeliveryReportReq)
				assert.Equal(t, "VB-7f3a9c01-0007", dr.MessageID)
				assert.Equal(t, rel5.MMDeliveryStatus("Retrieved"), dr.MMStatus)
				assert.Equal(t, "16125550147", dr.Recipient.Number.Value)
				assert.Equal(t, "54321", dr.Sender.ShortCode.Value)
				assert.True(t, time.Date(2024, 1, 2, 8, 4, 5, 0, time.UTC).Equal(dr.Date.Time), "-0500 is read as -05:00: %v", dr.Date.Time)
				_, off := dr.Date.Time.Zone()
				assert.Equal(t, -5*3600, off)
			},
		},
		{
			file: "start_unbracketed", kind: "DeliverReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "mo-3310",
			devs: []mm7.DeviationCode{mm7.DevStartUnbracketed},
			atts: []wantAttachment{wantText("text/plain", "mo-text-3310@mmsc.example.net", "JOIN")},
		},
		{
			file: "start_unmatched", kind: "SubmitReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "vasp-0042",
			devs: []mm7.DeviationCode{mm7.DevStartUnmatched},
			atts: []wantAttachment{wantBinary("image/gif", "logo-0042@vasp.example.com", 43, gif1x1SHA)},
		},
		{
			file: "root_not_first", kind: "SubmitReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "vasp-0007",
			devs: []mm7.DeviationCode{mm7.DevRootNotFirst},
			atts: []wantAttachment{wantBinary("image/png", "banner-7@vasp.example.com", 900, "c3dd4c18d08795e08e2f16142778a71d5cc65399c639578ffd72871250bd0a6e")},
			check: func(t *testing.T, msg *mm7.Message) {
				assert.Equal(t, "15555550123", msg.Body.(*rel6.SubmitReq).Recipients.To[0].Number[0].Value)
			},
		},
		{
			file: "root_last_nested", kind: "DeliverReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "mo-5120",
			devs: []mm7.DeviationCode{mm7.DevRootNotFirst},
			atts: []wantAttachment{
				wantBinary("application/smil", "pres-5120", 374, "6ca1a2116030a8e535f5b42a64c37a6533e8851555c87b8ff62b7e5219fdeb70").asStart(),
				wantBinary("image/gif", "pic-5120", 43, gif1x1SHA),
				wantText("text/plain", "msg-5120", "VOTE 7"),
			},
		},
		{
			file: "nokia_capitalised_params", kind: "DeliverReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "1104426347562-7",
			devs: []mm7.DeviationCode{"mime-capitalised-param", "mime-transfer-encoding-case"},
			atts: []wantAttachment{
				wantBinary("application/smil", "smil001", 383, "336a0e154baca524de7f2d00a2a065e64f3e868befd3712b225cb482c887b8f3").asStart(),
				wantBinary("image/gif", "image001", 43, gif1x1SHA),
				wantText("text/plain", "text001", "Pozdrav iz Splita!"),
			},
			check: func(t *testing.T, msg *mm7.Message) {
				mo := msg.Body.(*rel6.DeliverReq)
				assert.Equal(t, "Nokia MMS Center MC5.0", *mo.MMSRelayServerID)
				assert.Equal(t, "+3859100010010", mo.Sender.Number.Value)
			},
		},
		{
			file: "href_cid_space", kind: "DeliverReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "mo-15",
			devs: []mm7.DeviationCode{"mime-href-cid-space"},
			atts: []wantAttachment{wantText("text/plain", "content_15", "VOTE 3")},
			check: func(t *testing.T, msg *mm7.Message) {
				assert.Equal(t, "cid: content_15", msg.Body.(*rel6.DeliverReq).Content.Href, "the href is kept as sent")
			},
		},
		{
			file: "href_qualified_attr", kind: "DeliverReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "mo-77",
			devs: []mm7.DeviationCode{mm7.DevQualifiedAttribute},
			atts: []wantAttachment{wantText("text/plain", "content-77@mmsc.example.net", "VOTE 3")},
			check: func(t *testing.T, msg *mm7.Message) {
				assert.Equal(t, "cid:content-77@mmsc.example.net", msg.Body.(*rel6.DeliverReq).Content.Href)
			},
		},
		{
			file: "href_unmatched", kind: "DeliverReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "mo-192",
			devs: []mm7.DeviationCode{mm7.DevHrefUnmatched},
			atts: []wantAttachment{{mediaType: "text/plain", contentID: "mms-body-0193@mmsc.example.net", text: "VOTE 3", unreferenced: true}},
		},
		{
			file: "content_id_case", kind: "DeliverReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "mo-5521",
			devs: []mm7.DeviationCode{mm7.DevHrefLenient},
			atts: []wantAttachment{wantText("text/plain", "mms-content-5521@mmsc.example.net", "VOTE 3")},
		},
		{
			file: "lf_only", kind: "SubmitReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "vasp-lf1",
			devs: []mm7.DeviationCode{"mime-lf-line-endings"},
			atts: []wantAttachment{wantText("text/plain", "msg.txt", "Show this message at the till."), wantBinary("image/gif", "logo.gif", 43, gif1x1SHA)},
		},
		{
			file: "mixed_line_endings", kind: "SubmitReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "vasp-mx2",
			devs: []mm7.DeviationCode{"mime-mixed-line-endings"},
			atts: []wantAttachment{wantText("text/plain", "msg.txt", "Show this message at the till."), wantBinary("image/gif", "logo.gif", 43, gif1x1SHA)},
		},
		{
			file: "folded_headers", kind: "SubmitReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "vasp-7731",
			devs: []mm7.DeviationCode{"mime-folded-header"},
			atts: []wantAttachment{wantBinary("image/jpeg", "beach-7731", 700, "daa69dc87b5fee30b8f4e522918add6a63c6c8e8e7699bd954a2059d13f57cca")},
		},
		{
			file: "no_namespace_body", kind: "SubmitRsp", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "vasp-nons-1",
			devs: []mm7.DeviationCode{mm7.DevNamespaceMissing},
			check: func(t *testing.T, msg *mm7.Message) {
				rsp := msg.Body.(*rel6.SubmitRsp)
				assert.Equal(t, 1000, rsp.Status.StatusCode)
				assert.Equal(t, "MMSC-NONS-0001", rsp.MessageID)
			},
		},
		{
			file: "mixed_namespaces", kind: "DeliverReq", schema: "REL-6-MM7-1-3", mm7Version: "6.6.0", namespace: nsBase + "REL-6-MM7-1-3", txID: "mo-mixed-9",
			devs: []mm7.DeviationCode{mm7.DevNamespaceOther, mm7.DevNamespaceMixed},
			check: func(t *testing.T, msg *mm7.Message) {
				mo := msg.Body.(*rel6.DeliverReq)
				assert.Equal(t, "+15555550999", mo.Sender.Number.Value)
				assert.Equal(t, "12345", mo.Recipients.To[0].ShortCode[0].Value)
				assert.Equal(t, "mixed", *mo.Subject)
			},
		},
		{
			file: "namespace_rel6_1_3", kind: "SubmitReq", schema: "REL-6-MM7-1-3", mm7Version: "6.6.0", namespace: nsBase + "REL-6-MM7-1-3", txID: "vasp-r63-1",
			devs: []mm7.DeviationCode{mm7.DevNamespaceOther},
			check: func(t *testing.T, msg *mm7.Message) {
				sub := msg.Body.(*rel6.SubmitReq)
				assert.Equal(t, rel6.ChargedParty("ThirdParty"), *sub.ChargedParty)
				assert.Equal(t, "15555550100", *sub.ChargedPartyID)
			},
		},
		{
			// DistributionProtection is REL-5-MM7-1-0's own name: no
			// renamed-element deviation here.
			file: "namespace_rel5_1_0", kind: "SubmitReq", schema: "REL-5-MM7-1-0", mm7Version: "5.3.0", namespace: nsBase + "REL-5-MM7-1-0", txID: "vas00001-sub",
			devs: []mm7.DeviationCode{mm7.DevNamespaceOther},
			check: func(t *testing.T, msg *mm7.Message) {
				sub := msg.Body.(*rel5.SubmitReq)
				assert.Equal(t, false, *sub.DistributionIndicator)
				assert.Equal(t, "7255441234", sub.Recipients.To[0].Number[0].Value)
				assert.Equal(t, "7255442222@OMMS.com", sub.Recipients.To[0].RFC2822Address[0].Value)
			},
		},
		{
			file: "version_mismatch_rel5", kind: "SubmitReq", schema: "REL-5-MM7-1-2", mm7Version: "5.5.0", txID: "vasp-550-1",
			devs: []mm7.DeviationCode{mm7.DevVersionMismatch},
			check: func(t *testing.T, msg *mm7.Message) {
				assert.Equal(t, rel5.Version("5.5.0"), msg.Body.(*rel5.SubmitReq).MM7Version, "kept as sent")
			},
		},
		{
			file: "version_mismatch_rel6", kind: "DeliverReq", schema: "REL-6-MM7-1-4", mm7Version: "6.7.0", txID: "mo-670",
			devs: []mm7.DeviationCode{mm7.DevVersionMismatch},
			atts: []wantAttachment{wantText("text/plain", "txt-670", "HELP")},
		},
		{
			file: "boolean_case", kind: "SubmitReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "vasp-bool-1",
			devs: []mm7.DeviationCode{mm7.DevBooleanCase},
			atts: []wantAttachment{wantBinary("image/gif", "img-bool-1", 43, gif1x1SHA)},
			check: func(t *testing.T, msg *mm7.Message) {
				sub := msg.Body.(*rel6.SubmitReq)
				assert.Equal(t, true, *sub.DeliveryReport)
				assert.Equal(t, false, *sub.ReadReply)
				assert.Equal(t, true, *sub.Content.AllowAdaptations)
			},
		},
		{
			file: "whitespace_values", kind: "CancelReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "vas00001-can",
			devs: []mm7.DeviationCode{mm7.DevTransactionIDSpace, mm7.DevValueWhitespace},
			check: func(t *testing.T, msg *mm7.Message) {
				c := msg.Body.(*rel6.CancelReq)
				assert.Equal(t, "TNN", *c.SenderIdentification.VASPID)
				assert.Equal(t, "vas00001-sub-0815", c.MessageID)
			},
		},
		{
			file: "type_plmn", kind: "DeliverReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "mo-plmn-1",
			devs: []mm7.DeviationCode{mm7.DevAddressTypeSuffix},
			atts: []wantAttachment{wantText("text/plain", "txt-plmn-1", "STOP")},
			check: func(t *testing.T, msg *mm7.Message) {
				assert.Equal(t, "+3859100010010/TYPE=PLMN", msg.Body.(*rel6.DeliverReq).Sender.Number.Value, "kept as sent")
			},
		},
		{
			file: "soap_part_application_xml", kind: "SubmitReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "vasp-appxml",
			devs: []mm7.DeviationCode{mm7.DevSOAPContentType},
			atts: []wantAttachment{wantBinary("image/gif", "img-appxml", 43, gif1x1SHA)},
		},
		{
			file: "body_application_xml", kind: "SubmitRsp", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "vasp-appxml-2",
			devs: []mm7.DeviationCode{mm7.DevSOAPContentType},
			check: func(t *testing.T, msg *mm7.Message) {
				assert.Equal(t, "MMSC-APPXML-2", msg.Body.(*rel6.SubmitRsp).MessageID)
			},
		},
		{
			file: "raw_binary_8bit", kind: "DeliverReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "mo-rawbin",
			devs: []mm7.DeviationCode{mm7.DevUndeclared8Bit},
			atts: []wantAttachment{
				wantBinary("image/jpeg", "photo-rawbin", 2048, "51c0024f29177727921c56d12c56cd369ddf69b471fd5560b4af217aedb6a3ee"),
				wantText("text/plain", "text-rawbin", "Grüße aus München!"),
			},
		},
		{
			// Quoted-printable is standard: no deviation.
			file: "quoted_printable_text", kind: "SubmitReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "vasp-qp",
			atts: []wantAttachment{
				wantText("text/plain", "text-qp", "Café crème: show this message at the till for 20% off your next order. Valid until Sunday = this week only."),
				wantBinary("image/gif", "logo-qp", 43, gif1x1SHA),
			},
		},
		{
			// RFC 2045 section 6.8 lets base64 lines end in CRLF; bare LF
			// is skipped like any line break, without a deviation.
			file: "base64_lf_lines", kind: "SubmitReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "vasp-b64lf",
			atts: []wantAttachment{wantBinary("image/jpeg", "img-b64lf", 1200, "372ea3ed8dff997d232fbae55dea60f8626e31ec6ee0112c887bedba8e7249a1")},
		},
		{
			file: "submitreq_without_attachment", kind: "SubmitReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "vasp-noatt-1",
			devs: []mm7.DeviationCode{mm7.DevContentWithoutParts},
			check: func(t *testing.T, msg *mm7.Message) {
				assert.Equal(t, "cid:forgotten-part@vasp.example.com", msg.Body.(*rel6.SubmitReq).Content.Href)
			},
		},
		{
			// TimeStamp is REL-5-MM7-1-4's own name for Date, and 5.8.0 is
			// in its enumeration: only the namespace is reported.
			file: "dlr_timestamp_rel5_1_4", kind: "DeliveryReportReq", schema: "REL-5-MM7-1-4", mm7Version: "5.8.0", namespace: nsBase + "REL-5-MM7-1-4", txID: "dr-514-1",
			devs: []mm7.DeviationCode{mm7.DevNamespaceOther},
			check: func(t *testing.T, msg *mm7.Message) {
				dr := msg.Body.(*rel5.DeliveryReportReq)
				assert.Equal(t, time.Date(2024, 1, 15, 14, 5, 41, 0, time.UTC), dr.Date.Time)
				assert.Equal(t, rel5.MMDeliveryStatus("Expired"), dr.MMStatus)
			},
		},
		{
			file: "dlr_timestamp_renamed", kind: "DeliveryReportReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "dr-ts-2",
			devs: []mm7.DeviationCode{mm7.DevRenamedElement},
			check: func(t *testing.T, msg *mm7.Message) {
				dr := msg.Body.(*rel6.DeliveryReportReq)
				assert.Equal(t, time.Date(2024, 1, 15, 14, 5, 41, 250e6, time.UTC), dr.Date.Time)
				assert.Equal(t, "Forwarded to carrier", *dr.StatusText)
			},
		},
		{
			file: "dlr_recipients_number", kind: "DeliveryReportReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "dr-rcpts-1",
			devs: []mm7.DeviationCode{mm7.DevUnknownElement, mm7.DevMissingElement},
			check: func(t *testing.T, msg *mm7.Message) {
				assert.Equal(t, rel6.Address{}, msg.Body.(*rel6.DeliveryReportReq).Recipient)
				assert.Equal(t, []mm7.UnknownElement{{Path: "/DeliveryReportReq/Recipients",
					XML: "<mm7:Recipients><mm7:Number>15555550188</mm7:Number></mm7:Recipients>"}}, msg.Unknown)
			},
		},
		{
			file: "dlr_multipart_no_boundary", kind: "DeliveryReportReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "dr-nb-1",
			devs: []mm7.DeviationCode{mm7.DevMultipartNoBoundary},
			check: func(t *testing.T, msg *mm7.Message) {
				assert.Equal(t, "MMSC-NB-0001", msg.Body.(*rel6.DeliveryReportReq).MessageID)
			},
		},
		{
			file: "dlr_without_date_sender", kind: "DeliveryReportReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "dr-nodate-1",
			devs: []mm7.DeviationCode{mm7.DevMissingElement},
			check: func(t *testing.T, msg *mm7.Message) {
				dr := msg.Body.(*rel6.DeliveryReportReq)
				assert.True(t, dr.Date.IsZero())
				assert.Equal(t, rel6.Address{}, dr.Sender)
				assert.Empty(t, msg.Unknown)
			},
		},
		{
			file: "submitrsp_unknown_misordered", kind: "SubmitRsp", schema: "REL-5-MM7-1-2", mm7Version: "5.3.0", txID: "vasp-r5-0815",
			devs: []mm7.DeviationCode{mm7.DevElementOrder, mm7.DevUnknownElement},
			check: func(t *testing.T, msg *mm7.Message) {
				rsp := msg.Body.(*rel5.SubmitRsp)
				assert.Equal(t, "041502073667", rsp.MessageID)
				assert.Equal(t, 1000, rsp.Status.StatusCode)
				assert.NoError(t, msg.Err(200))
				assert.Equal(t, []mm7.UnknownElement{{Path: "/SubmitRsp/ApplicID", XML: "<ApplicID>com.example.coupons</ApplicID>"}}, msg.Unknown)
			},
		},
		{
			file: "fault_rserrorrsp_500", kind: "Fault", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "vasp-0099",
			check: func(t *testing.T, msg *mm7.Message) {
				f := msg.Body.(*mm7.Fault)
				assert.Equal(t, "Client", f.Code)
				assert.Equal(t, "Client error", f.String)
				code, text, ok := f.Status()
				require.True(t, ok)
				assert.Equal(t, mm7.StatusAddressError, code)
				assert.Equal(t, "Address Error", text)
				var se *mm7.StatusError
				require.ErrorAs(t, msg.Err(500), &se)
				assert.Equal(t, mm7.StatusAddressError, se.Code)
			},
		},
		{
			file: "fault_prefixed_children", kind: "Fault", schema: "REL-5-MM7-1-2", mm7Version: "5.3.0", txID: "vasp-0100",
			devs: []mm7.DeviationCode{mm7.DevFaultNamespace, mm7.DevFaultCodeUnqualified},
			check: func(t *testing.T, msg *mm7.Message) {
				f := msg.Body.(*mm7.Fault)
				assert.Equal(t, "Client", f.Code)
				code, _, ok := f.Status()
				require.True(t, ok)
				assert.Equal(t, mm7.StatusUnsupportedVersion, code)
			},
		},
		{
			file: "fault_without_detail", kind: "Fault", txID: "vasp-0101",
			devs: []mm7.DeviationCode{mm7.DevFaultDetailMissing},
			check: func(t *testing.T, msg *mm7.Message) {
				f := msg.Body.(*mm7.Fault)
				assert.Equal(t, "Server", f.Code)
				assert.Equal(t, "java.lang.NullPointerException", f.String)
				assert.Nil(t, f.Detail)
				var fe *mm7.FaultError
				require.ErrorAs(t, msg.Err(500), &fe)
				assert.Nil(t, fe.Status)
			},
		},
		{
			// Real UTF-16 with a byte order mark, declared so: standard.
			file: "utf16le_bom", kind: "DeliveryReportReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "dr-utf16-1",
			check: func(t *testing.T, msg *mm7.Message) {
				assert.Equal(t, "Zugestellt über Netz – OK", *msg.Body.(*rel6.DeliveryReportReq).StatusText)
			},
		},
		{
			// ISO-8859-1 declared in the XML declaration and the MIME
			// charset, with Latin-1 bytes: standard.
			file: "latin1_declared", kind: "DeliveryReportReq", schema: "REL-5-MM7-1-2", mm7Version: "5.3.0", txID: "dr-latin1-1",
			check: func(t *testing.T, msg *mm7.Message) {
				dr := msg.Body.(*rel5.DeliveryReportReq)
				assert.Equal(t, "Refusé par l'abonné", *dr.StatusText)
				assert.Equal(t, rel5.MMDeliveryStatus("Rejected"), dr.MMStatus)
			},
		},
		{
			file: "clean_submitreq_rel6", kind: "SubmitReq", schema: "REL-6-MM7-1-4", mm7Version: "6.8.0", txID: "vasp-clean-1",
			atts: []wantAttachment{
				wantBinary("application/smil", "part3-191a1b1c1d1e1f20@mm7go", 377, "c30ca00002b4f8af78f9f856d027a52063885fb22c28150a0f2b8e4dcd082bd5").asStart(),
				wantText("text/plain", "part1-0102030405060708@mm7go", "Show this message at the till for 20% off."),
				wantBinary("image/jpeg", "part2-0d0e0f1011121314@mm7go", 1000, "2d23f5bda35062b71bf49b15b55c6417a1e8389725184d16ef7a3697a9f93711"),
			},
		},
		{
			file: "clean_deliveryreportrsp_rel5", kind: "DeliveryReportRsp", schema: "REL-5-MM7-1-2", mm7Version: "5.3.0", txID: "dlr-20240102-0007",
			check: func(t *testing.T, msg *mm7.Message) {
				assert.NoError(t, msg.Err(200))
			},
		},
	}
}

// TestQuirks decodes every real-world quirk in testdata/quirks: leniently
// it must succeed with exactly the expected deviations; strictly it must
// fail with one of them (and succeed when there is none).
func TestQuirks(t *testing.T) {
	t.Parallel()
	cases := quirkCases()
	files := map[string]bool{}
	for _, p := range fixturePaths(t, "quirks", ".http") {
		files[strings.TrimSuffix(filepath.Base(p), ".http")] = true
	}
	files["vibes_empty_200"] = false // TestQuirkEmptyResponse
	for _, c := range cases {
		assert.True(t, files[c.file], "testdata/quirks/%s.http exists", c.file)
		delete(files, c.file)
	}
	for f, untested := range files {
		assert.False(t, untested, "testdata/quirks/%s.http has no case in TestQuirks", f)
	}

	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			m := readHTTPFixture(t, filepath.Join("testdata", "quirks", c.file+".http"))
			ct := m.Header.Get("Content-Type")

			msg, atts, dec, err := decodeAll(m.Body, ct, mm7.DecodeOptions{})
			require.NoError(t, err)
			assert.Equal(t, c.kind, msg.Kind())
			assert.Equal(t, c.schema, msg.Version.Schema)
			assert.Equal(t, c.mm7Version, msg.Version.MM7Version)
			if c.namespace != "" {
				assert.Equal(t, c.namespace, msg.Version.Namespace)
			}
			assert.Equal(t, c.txID, msg.TransactionID)
			assert.Equal(t, sortedCodes(c.devs), codesOf(dec.Deviations()), "deviations: %v", dec.Deviations())
			assert.Equal(t, dec.Deviations(), msg.Deviations, "Message.Deviations is complete after the last attachment")
			if c.check != nil {
				c.check(t, msg)
			}
			require.Len(t, atts, len(c.atts))
			for i, w := range c.atts {
				a := atts[i]
				assert.Equal(t, w.mediaType, a.MediaType(), "attachment %d", i)
				assert.Equal(t, w.contentID, a.ContentID, "attachment %d", i)
				if w.sha256 != "" {
					assert.Len(t, a.Data, w.size, "attachment %d", i)
					sum := sha256.Sum256(a.Data)
					assert.Equal(t, w.sha256, hex.EncodeToString(sum[:]), "attachment %d", i)
				} else {
					assert.Equal(t, w.text, string(a.Data), "attachment %d", i)
				}
				assert.Equal(t, !w.unreferenced, a.Referenced, "attachment %d referenced", i)
				assert.Equal(t, w.start, a.Start, "attachment %d start", i)
			}

			_, _, _, err = decodeAll(m.Body, ct, mm7.DecodeOptions{Strict: true})
			if len(c.devs) == 0 {
				assert.NoError(t, err, "no deviation: strict decoding accepts it")
				return
			}
			var de *mm7.DeviationError
			require.ErrorAs(t, err, &de, "strict decoding rejects the file")
			assert.Contains(t, c.devs, de.Deviation.Code)
		})
	}
}

// TestQuirkEmptyResponse: Vibes acknowledges MO and delivery-report
// callbacks with an empty HTTP 200 (mm7-facts 10.6). There is no message
// to decode; the decoder says so with ErrEmptyBody, which a client takes
// as success for a callback it sent.
func TestQuirkEmptyResponse(t *testing.T) {
	t.Parallel()
	m := readHTTPFixture(t, filepath.Join("testdata", "quirks", "vibes_empty_200.http"))
	require.Equal(t, 200, m.StatusCode())
	for _, ct := range []string{m.Header.Get("Content-Type"), `text/xml; charset="utf-8"`, `multipart/related; boundary="x"`} {
		for _, body := range [][]byte{m.Body, []byte("\r\n")} {
			if len(body) > 0 && !strings.HasPrefix(ct, "text/xml") {
				continue // white space without a type, or as a multipart, is malformed, not empty
			}
			dec, err := mm7.NewDecoder(strings.NewReader(string(body)), ct, mm7.DecodeOptions{Strict: true})
			require.NoError(t, err)
			_, err = dec.Message()
			require.ErrorIs(t, err, mm7.ErrEmptyBody, "Content-Type %q, body %q", ct, body)
			assert.EqualError(t, err, "mm7: decode: empty body")
			_, err = dec.NextAttachment()
			assert.ErrorIs(t, err, mm7.ErrEmptyBody)
		}
	}
}

func codesOf(devs []mm7.Deviation) []mm7.DeviationCode {
	var out []mm7.DeviationCode
	for _, d := range devs {
		out = append(out, d.Code)
	}
	return sortedCodes(out)
}

// sortedCodes returns the distinct codes, sorted; nil for none.
func sortedCodes(codes []mm7.DeviationCode) []mm7.DeviationCode {
	if len(codes) == 0 {
		return nil
	}
	out := slices.Clone(codes)
	slices.Sort(out)
	return slices.Compact(out)
}

// TestEnvelopeDeviations covers the deviations no quirk file needs, on
// small inline envelopes.
func TestEnvelopeDeviations(t *testing.T) {
	t.Parallel()
	const head = `<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header><m:TransactionID xmlns:m="` + nsBase + `REL-6-MM7-1-4">t1</m:TransactionID></e:Header><e:Body>`
	const tail = `</e:Body></e:Envelope>`
	cancel := func(inner string) string {
		return head + `<m:CancelReq xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version><m:SenderIdentification><m:VASPID>v</m:VASPID></m:SenderIdentification>` + inner + `</m:CancelReq>` + tail
	}
	tests := []struct {
		name, body string
		want       []mm7.DeviationCode
		check      func(t *testing.T, msg *mm7.Message)
	}{
		{"clean", cancel(`<m:MessageID>M1</m:MessageID>`), nil, nil},
		{"duplicate element", cancel(`<m:MessageID>M1</m:MessageID><m:MessageID>M2</m:MessageID>`), []mm7.DeviationCode{mm7.DevDuplicateElement},
			func(t *testing.T, msg *mm7.Message) { assert.Equal(t, "M2", msg.Body.(*rel6.CancelReq).MessageID) }},
		{"text in element-only content", cancel(`<m:MessageID>M1</m:MessageID>stray`), []mm7.DeviationCode{mm7.DevUnexpectedText}, nil},
		{"unknown attribute", cancel(`<m:MessageID kind="x">M1</m:MessageID>`), []mm7.DeviationCode{mm7.DevUnknownAttribute}, nil},
		{"xsi and soap attributes are allowed", cancel(`<m:MessageID xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string" e:encodingStyle="">M1</m:MessageID>`), nil, nil},
		{"missing mandatory element", cancel(``), []mm7.DeviationCode{mm7.DevMissingElement}, nil},
		{"namespace with a trailing slash", strings.ReplaceAll(cancel(`<m:MessageID>M1</m:MessageID>`), `REL-6-MM7-1-4"><m:MM7Version>`, `REL-6-MM7-1-4/"><m:MM7Version>`), []mm7.DeviationCode{mm7.DevNamespaceUnknown},
			func(t *testing.T, msg *mm7.Message) { assert.Equal(t, mm7.Rel6.Namespace, msg.Version.Namespace) }},
		{"mustUnderstand true", strings.Replace(cancel(`<m:MessageID>M1</m:MessageID>`), `<m:TransactionID `, `<m:TransactionID e:mustUnderstand="true" `, 1), []mm7.DeviationCode{mm7.DevMustUnderstand}, nil},
		{"no TransactionID", strings.Replace(cancel(`<m:MessageID>M1</m:MessageID>`), `<e:Header><m:TransactionID xmlns:m="`+nsBase+`REL-6-MM7-1-4">t1</m:TransactionID></e:Header>`, ``, 1), []mm7.DeviationCode{mm7.DevTransactionIDMissing}, nil},
		{"dateTime attribute in Java form", head + `<m:DeliverReq xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version><m:Sender><m:Number>1</m:Number></m:Sender><m:UACapabilities TimeStamp="2024-01-02T03:04:05+0100"/></m:DeliverReq>` + tail,
			[]mm7.DeviationCode{mm7.DevDateTimeForm}, nil},
		{"REL-6-MM7-1-0 does not allow 6.8.0", strings.ReplaceAll(cancel(`<m:MessageID>M1</m:MessageID>`), "REL-6-MM7-1-4", "REL-6-MM7-1-0"), []mm7.DeviationCode{mm7.DevNamespaceOther, mm7.DevVersionMismatch}, nil},
		{"UTF-16 bytes labelled UTF-8", "\xff\xfe" + utf16le(`<?xml version="1.0" encoding="UTF-8"?>`+cancel(`<m:MessageID>M1</m:MessageID>`)), []mm7.DeviationCode{mm7.DevCharsetMismatch}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msg, _, dec, err := decodeAll([]byte(tt.body), "text/xml", mm7.DecodeOptions{})
			require.NoError(t, err)
			assert.Equal(t, sortedCodes(tt.want), codesOf(dec.Deviations()), "%v", dec.Deviations())
			if tt.check != nil {
				tt.check(t, msg)
			}
			_, _, _, err = decodeAll([]byte(tt.body), "text/xml", mm7.DecodeOptions{Strict: true})
			if len(tt.want) == 0 {
				assert.NoError(t, err)
				return
			}
			var de *mm7.DeviationError
			require.ErrorAs(t, err, &de)
			assert.Contains(t, tt.want, de.Deviation.Code)
		})
	}
}

// TestSOAPPartWithout8bitLabel: a SOAP part with UTF-8 text and no
// Content-Transfer-Encoding is 7bit by default, which it is not.
func TestSOAPPartWithout8bitLabel(t *testing.T) {
	t.Parallel()
	env := `<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header><m:TransactionID xmlns:m="` + nsBase + `REL-6-MM7-1-4">t1</m:TransactionID></e:Header><e:Body><m:DeliverReq xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version><m:Sender><m:Number>1</m:Number></m:Sender><m:Subject>Grüße</m:Subject><m:Content href="cid:c"/></m:DeliverReq></e:Body></e:Envelope>`
	body := "--b\r\nContent-Type: text/xml\r\n\r\n" + env + "\r\n--b\r\nContent-Type: text/plain\r\nContent-ID: <c>\r\n\r\nhi\r\n--b--\r\n"
	msg, atts, dec, err := decodeAll([]byte(body), `multipart/related; boundary=b; type="text/xml"`, mm7.DecodeOptions{})
	require.NoError(t, err)
	assert.Equal(t, "Grüße", *msg.Body.(*rel6.DeliverReq).Subject)
	require.Len(t, atts, 1)
	assert.Equal(t, []mm7.DeviationCode{mm7.DevUndeclared8Bit, mm7.DevStartMissing}, codesOf(dec.Deviations()))
}

func utf16le(s string) string {
	var b []byte
	for _, r := range s { // ASCII and Latin-1 only
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}
