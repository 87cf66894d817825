package mm7_test

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

var update = flag.Bool("update", false, "rewrite testdata/golden")

// fixedRand makes boundaries and Content-IDs reproducible.
type fixedRand struct{ n byte }

func (r *fixedRand) Read(p []byte) (int, error) {
	for i := range p {
		r.n++
		p[i] = r.n
	}
	return len(p), nil
}

func goldenCases() map[string]struct {
	msg   *mm7.Message
	parts func() []mm7.Attachment
} {
	text := func() mm7.Attachment {
		return mm7.Attachment{ContentType: "text/plain", ContentLocation: "msg.txt", Body: strings.NewReader("Show this at the till.")}
	}
	img := func() mm7.Attachment {
		return mm7.Attachment{ContentType: "image/gif", ContentLocation: "dot.gif", Body: bytes.NewReader([]byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"))}
	}
	smil := func() mm7.Attachment {
		return mm7.Attachment{ContentType: "application/smil", ContentLocation: "pres.smil", Body: strings.NewReader(`<smil><body><par><img src="dot.gif"/><text src="msg.txt"/></par></body></smil>`)}
	}
	return map[string]struct {
		msg   *mm7.Message
		parts func() []mm7.Attachment
	}{
		"rel5_submit_text_image": {
			&mm7.Message{TransactionID: "vasp-1", Version: mm7.Rel5, Body: &rel5.SubmitReq{
				SenderIdentification: rel5.SenderID{SenderAddress: &rel5.Address{ShortCode: &rel5.ShortCode{Value: "12345"}}},
				Recipients:           rel5.Recipients{To: []rel5.MultiAddress{{Number: []rel5.Number{{Value: "15555550123"}}}}},
				DeliveryReport:       new(true),
				Subject:              new("Coupon"),
			}},
			func() []mm7.Attachment { return []mm7.Attachment{text(), img()} },
		},
		"rel6_submit_smil": {
			&mm7.Message{TransactionID: "vasp-2", Version: mm7.Rel6, Body: &rel6.SubmitReq{
				SenderIdentification: rel6.SenderID{VASPID: new("examplevasp"), VASID: new("coupons")},
				Recipients:           rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}},
				Priority:             new(rel6.PriorityHigh),
			}},
			func() []mm7.Attachment { return []mm7.Attachment{text(), img(), smil()} },
		},
		"rel6_submit_single_image": {
			&mm7.Message{TransactionID: "vasp-3", Version: mm7.Rel6, Body: &rel6.SubmitReq{
				SenderIdentification: rel6.SenderID{VASPID: new("examplevasp")},
				Recipients:           rel6.Recipients{To: []rel6.MultiAddress{{RFC2822Address: []rel6.RFC2822Address{{Value: "user@example.com"}}}}},
				Content:              &rel6.ContentReference{Href: "cid:dot@vasp.example.com", AllowAdaptations: new(false)},
			}},
			func() []mm7.Attachment { return []mm7.Attachment{img()} },
		},
		"rel6_cancel": {
			&mm7.Message{TransactionID: "vasp-4", Version: mm7.Rel6, Body: &rel6.CancelReq{
				SenderIdentification: rel6.SenderID{VASPID: new("examplevasp")}, MessageID: "MMSC-4F2A9C01",
			}},
			func() []mm7.Attachment { return nil },
		},
		"rel6_fault": {
			&mm7.Message{TransactionID: "vasp-5", Version: mm7.Rel6, Body: &mm7.Fault{Code: "Client", String: "Client error",
				Detail: &rel6.RSErrorRsp{Status: rel6.ResponseStatus{StatusCode: 2002, StatusText: "Address Error"}}}},
			func() []mm7.Attachment { return nil },
		},
		"rel5_vasp_5_3_0_override": {
			&mm7.Message{TransactionID: "vasp-6", Version: mm7.Rel5.WithMM7Version("5.3.0"), Body: &rel5.DeliveryReportRsp{
				Status: rel5.ResponseStatus{StatusCode: 1000, StatusText: "Success"}}},
			func() []mm7.Attachment { return nil },
		},
	}
}

// TestEncoderGoldens pins the exact bytes the encoder writes.
func TestEncoderGoldens(t *testing.T) {
	for name, c := range goldenCases() {
		t.Run(name, func(t *testing.T) {
			enc, err := mm7.NewEncoder(c.msg, c.parts(), mm7.EncodeOptions{Rand: &fixedRand{}})
			require.NoError(t, err)
			var body bytes.Buffer
			_, err = enc.WriteTo(&body)
			require.NoError(t, err)
			got := "Content-Type: " + enc.ContentType() + "\r\n\r\n" + body.String()
			path := filepath.Join("testdata", "golden", name+".txt")
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./mm7 -run Goldens -update")
			assert.Equal(t, string(want), got)

			// Our own output decodes strictly, to the same message.
			dec, err := mm7.NewDecoder(bytes.NewReader(body.Bytes()), enc.ContentType(), mm7.DecodeOptions{Strict: true})
			require.NoError(t, err)
			msg, err := dec.Message()
			require.NoError(t, err)
			assert.Equal(t, c.msg.TransactionID, msg.TransactionID)
			assert.Equal(t, c.msg.Kind(), msg.Kind())
		})
	}
}

func TestEncoderRejectsWhatAStrictPeerWould(t *testing.T) {
	sub := func() *rel6.SubmitReq {
		return &rel6.SubmitReq{Recipients: rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "1"}}}}}}
	}
	img := []mm7.Attachment{{ContentType: "image/gif", Body: strings.NewReader("GIF89a")}}
	tests := []struct {
		name  string
		msg   *mm7.Message
		parts []mm7.Attachment
		want  string
	}{
		{"no transaction id", &mm7.Message{Version: mm7.Rel6, Body: sub()}, nil, "empty TransactionID"},
		{"version of another package", &mm7.Message{TransactionID: "t", Version: mm7.Rel5, Body: sub()}, nil, "not REL-5-MM7-1-2's"},
		{"zero version", &mm7.Message{TransactionID: "t", Body: sub()}, nil, "not a version mm7 encodes"},
		{"no body", &mm7.Message{TransactionID: "t", Version: mm7.Rel6}, nil, "no body"},
		{"nil pointer", &mm7.Message{TransactionID: "t", Version: mm7.Rel6, Body: (*rel6.SubmitReq)(nil)}, nil, "not a pointer to a generated MM7 message"},
		{"attachment on a message without content", &mm7.Message{TransactionID: "t", Version: mm7.Rel6, Body: &rel6.CancelReq{MessageID: "m"}}, img, "has no Content element"},
		{"content href without attachment", &mm7.Message{TransactionID: "t", Version: mm7.Rel6, Body: func() *rel6.SubmitReq {
			s := sub()
			s.Content = &rel6.ContentReference{Href: "cid:x"}
			return s
		}()}, nil, "references cid:x but no attachment"},
		{"href not a cid", &mm7.Message{TransactionID: "t", Version: mm7.Rel6, Body: func() *rel6.SubmitReq {
			s := sub()
			s.Content = &rel6.ContentReference{Href: "http://example.com/x"}
			return s
		}()}, img, "not a cid: URL"},
		{"attachment without type", &mm7.Message{TransactionID: "t", Version: mm7.Rel6, Body: sub()}, []mm7.Attachment{{Body: strings.NewReader("x")}}, "no content type"},
		{"attachment without body", &mm7.Message{TransactionID: "t", Version: mm7.Rel6, Body: sub()}, []mm7.Attachment{{ContentType: "text/plain"}}, "has no body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mm7.NewEncoder(tt.msg, tt.parts, mm7.EncodeOptions{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	_, err := mm7.Encode(&bytes.Buffer{}, &mm7.Message{TransactionID: "t", Version: mm7.Rel6, Body: sub()},
		mm7.Attachment{ContentType: "text/plain", TransferEncoding: "uuencode", Body: strings.NewReader("x")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `transfer encoding "uuencode" not supported`)
}

func TestEncoderEscapesContentIDsAndRepliesInKind(t *testing.T) {
	req := &rel6.SubmitReq{Recipients: rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "1"}}}}}}
	var buf bytes.Buffer
	ct, err := mm7.Encode(&buf, &mm7.Message{TransactionID: "t", Version: mm7.Rel6, Body: req},
		mm7.Attachment{ContentType: "text/plain", ContentID: "a b%<c>@x", Body: strings.NewReader("hi")})
	require.NoError(t, err)
	assert.Contains(t, buf.String(), `href="cid:a%20b%25%3Cc%3E@x"`)
	dec, err := mm7.NewDecoder(&buf, ct, mm7.DecodeOptions{Strict: true})
	require.NoError(t, err)
	_, err = dec.Message()
	require.NoError(t, err)
	a, err := dec.NextAttachment()
	require.NoError(t, err)
	assert.True(t, a.Referenced, "the escaped href names the part")

	// A reply to a REL-6-MM7-1-3 request goes out in REL-6-MM7-1-3, with an
	// MM7Version that schema allows.
	v13 := mm7.Version{Schema: "REL-6-MM7-1-3", Namespace: "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-3", MM7Version: "6.6.0", Release: 6}
	rsp, err := mm7.NewResponse(&mm7.Message{TransactionID: "t13", Version: v13, Body: &rel6.DeliverReq{}}, mm7.StatusSuccess, "")
	require.NoError(t, err)
	buf.Reset()
	ct, err = mm7.Encode(&buf, rsp)
	require.NoError(t, err)
	assert.Contains(t, buf.String(), `<DeliverRsp xmlns="`+v13.Namespace+`"><MM7Version>6.6.0</MM7Version>`)
	assert.Contains(t, buf.String(), `<mm7:TransactionID xmlns:mm7="`+v13.Namespace+`"`)
	dec, err = mm7.NewDecoder(&buf, ct, mm7.DecodeOptions{})
	require.NoError(t, err)
	back, err := dec.Message()
	require.NoError(t, err)
	assert.Equal(t, v13, back.Version)

	// MM7Version values a schema does not allow are refused.
	_, err = mm7.Encode(&bytes.Buffer{}, &mm7.Message{TransactionID: "t", Version: mm7.Rel5.WithMM7Version("5.5.0"), Body: &rel5.CancelReq{MessageID: "m"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `MM7Version "5.5.0" is not allowed by REL-5-MM7-1-2 (allowed: 5.3.0)`)
}

// TestTextPartsAreValid8bitOrBase64: 8bit is used only for text that is
// valid 8bit data (RFC 2045 section 2.8); anything else goes base64.
func TestTextPartsAreValid8bitOrBase64(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"CRLF lines", "one\r\ntwo\r\n", "8bit"},
		{"bare LF", "one\ntwo", "base64"},
		{"bare CR", "one\rtwo", "base64"},
		{"line over 998 octets", strings.Repeat("x", 999), "base64"},
		{"NUL", "a\x00b", "base64"},
		{"UTF-8", "Ünïcödé\r\n", "8bit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			req := &rel6.SubmitReq{Recipients: rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "1"}}}}}}
			ct, err := mm7.Encode(&buf, &mm7.Message{TransactionID: "t", Version: mm7.Rel6, Body: req},
				mm7.Attachment{ContentType: "text/plain", Body: strings.NewReader(tt.text)})
			require.NoError(t, err)
			assert.Contains(t, buf.String(), "Content-Transfer-Encoding: "+tt.want+"\r\n")
			dec, err := mm7.NewDecoder(&buf, ct, mm7.DecodeOptions{Strict: true})
			require.NoError(t, err)
			_, err = dec.Message()
			require.NoError(t, err)
			a, err := dec.NextAttachment()
			require.NoError(t, err)
			got, err := io.ReadAll(a.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.text, string(got), "the bytes arrive unchanged")
		})
	}
	// A streamed text body cannot be checked before it is sent: base64.
	var buf bytes.Buffer
	req := &rel6.SubmitReq{Recipients: rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "1"}}}}}}
	_, err := mm7.Encode(&buf, &mm7.Message{TransactionID: "t", Version: mm7.Rel6, Body: req},
		mm7.Attachment{ContentType: "text/plain", Body: io.LimitReader(strings.NewReader("streamed\r\n"), 100)})
	require.NoError(t, err)
	assert.Contains(t, buf.String(), "Content-Transfer-Encoding: base64\r\n")
}
