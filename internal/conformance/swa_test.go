package conformance_test

import (
	"bytes"
	"crypto/sha256"
	"io"
	"mime"
	"mime/multipart"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

// content returns the attachments a message with a Content element
// carries in these tests: a text, a binary image and, with smil, a SMIL
// presentation.
func content(smil bool) []mm7.Attachment {
	img := make([]byte, 3000)
	for i := range img {
		img[i] = byte(i * 7)
	}
	parts := []mm7.Attachment{
		{ContentType: "text/plain; charset=utf-8", ContentLocation: "msg.txt", Body: strings.NewReader("Show this at the till for 20% off.\r\nÜnïcödé ok.")},
		{ContentType: "image/jpeg", ContentLocation: "coupon.jpg", Body: bytes.NewReader(img)},
	}
	if smil {
		parts = append(parts, mm7.Attachment{ContentType: "application/smil", ContentLocation: "pres.smil",
			Body: strings.NewReader(`<smil><body><par><img src="coupon.jpg"/><text src="msg.txt"/></par></body></smil>`)})
	}
	return parts
}

func hasContent(v any) bool {
	_, ok := reflect.TypeOf(v).Elem().FieldByName("Content")
	return ok
}

// TestEveryMessageThroughTheCodec encodes every message type of both
// versions (fully populated, with attachments where the message has
// content), checks the result with the standard library's MIME parser and
// libxml2, and decodes it back in strict mode: no deviation, equal body,
// identical attachment bytes.
func TestEveryMessageThroughTheCodec(t *testing.T) {
	for _, d := range documents(t) {
		if d.element == "TransactionID" || d.mode != "full" {
			continue
		}
		for _, variant := range []string{"plain", "smil"} {
			var parts []mm7.Attachment
			if hasContent(d.value) {
				parts = content(variant == "smil")
			} else if variant == "smil" {
				continue
			}
			t.Run(d.binding.name+"/"+d.element+"/"+variant, func(t *testing.T) {
				v := mm7.Rel5
				if d.binding.name == "rel6" {
					v = mm7.Rel6
				}
				want := sums(t, parts)
				for i := range parts { // bodies are read once: refill
					parts[i].Body = bytes.NewReader(want[i].data)
				}
				enc, err := mm7.NewEncoder(&mm7.Message{TransactionID: "tx-" + d.element, Version: v, Body: d.value.(mm7.Body)}, parts, mm7.EncodeOptions{})
				require.NoError(t, err)
				var buf bytes.Buffer
				n, err := enc.WriteTo(&buf)
				require.NoError(t, err)
				if l, ok := enc.ContentLength(); ok {
					assert.Equal(t, n, l, "ContentLength matches the bytes written")
				} else {
					t.Error("every attachment size is known: ContentLength must be computable")
				}

				// The SOAP part is a whole envelope, which the MM7 schema validates
				// too: it imports the SOAP 1.1 schema, whose Body admits the MM7
				// element, and checks it strictly.
				envelope := stdlibEnvelope(t, enc.ContentType(), buf.Bytes(), len(parts))
				s, err := d.binding.schema()
				require.NoError(t, err)
				require.NoError(t, s.Validate(envelope), "encoded envelope:\n%s", envelope)

				dec, err := mm7.NewDecoder(bytes.NewReader(buf.Bytes()), enc.ContentType(), mm7.DecodeOptions{Strict: true})
				require.NoError(t, err)
				msg, err := dec.Message()
				require.NoError(t, err)
				assert.Equal(t, "tx-"+d.element, msg.TransactionID)
				assert.Equal(t, v.Namespace, msg.Version.Namespace)
				assert.Equal(t, d.value, msg.Body)
				var got []sum
				for {
					a, err := dec.NextAttachment()
					if err == io.EOF {
						break
					}
					require.NoError(t, err)
					b, err := io.ReadAll(a.Body)
					require.NoError(t, err)
					got = append(got, sum{a.MediaType(), a.ContentLocation, sha256.Sum256(b), b})
					assert.True(t, a.Referenced, "%s is part of the referenced content", a.ContentLocation)
				}
				assert.ElementsMatch(t, strip(want), strip(got))
				assert.Empty(t, dec.Deviations())
			})
		}
	}
}

type sum struct {
	mediaType, location string
	hash                [32]byte
	data                []byte
}

func sums(t *testing.T, parts []mm7.Attachment) []sum {
	var out []sum
	for _, p := range parts {
		b, err := io.ReadAll(p.Body)
		require.NoError(t, err)
		out = append(out, sum{p.MediaType(), p.ContentLocation, sha256.Sum256(b), b})
	}
	return out
}

func strip(s []sum) []sum {
	out := make([]sum, len(s))
	for i, x := range s {
		out[i] = sum{x.mediaType, x.location, x.hash, nil}
	}
	return out
}

// stdlibEnvelope parses an encoded body with the standard library and
// returns the SOAP envelope, checking the SwA structure on the way: the
// start part first, text/xml, and the Content href naming the second part.
func stdlibEnvelope(t *testing.T, contentType string, body []byte, nparts int) []byte {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	require.NoError(t, err)
	if nparts == 0 {
		assert.Equal(t, "text/xml", mt)
		return body
	}
	require.Equal(t, "multipart/related", mt)
	assert.Equal(t, "text/xml", params["type"])
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	root, err := mr.NextRawPart()
	require.NoError(t, err)
	assert.Equal(t, params["start"], root.Header.Get("Content-Id"), "start names the first part")
	env, err := io.ReadAll(root)
	require.NoError(t, err)
	content, err := mr.NextRawPart()
	require.NoError(t, err)
	cid := strings.Trim(content.Header.Get("Content-Id"), "<>")
	assert.Contains(t, string(env), `href="cid:`+cid+`"`)
	ct, cparams, err := mime.ParseMediaType(content.Header.Get("Content-Type"))
	require.NoError(t, err)
	if nparts > 1 {
		assert.True(t, strings.HasPrefix(ct, "multipart/"), ct)
		inner := multipart.NewReader(content, cparams["boundary"])
		n := 0
		for {
			p, err := inner.NextRawPart()
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			assert.NotEmpty(t, p.Header.Get("Content-Id"))
			assert.NotEmpty(t, p.Header.Get("Content-Location"))
			n++
		}
		assert.Equal(t, nparts, n)
		if ct == "multipart/related" {
			assert.Equal(t, "application/smil", cparams["type"])
		}
	}
	_, err = mr.NextRawPart()
	assert.Equal(t, io.EOF, err, "exactly one content part")
	return env
}
