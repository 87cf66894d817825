package mm7_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

func layoutParts(te string) []mm7.Attachment {
	img := bytes.Repeat([]byte{0, 0xff, 'G', '\r', '\n', 0x80}, 300)
	return []mm7.Attachment{
		{ContentType: "text/plain", ContentID: "t.txt", Body: strings.NewReader("hello")},
		{ContentType: "image/gif", ContentID: "i.gif", TransferEncoding: te, Body: bytes.NewReader(img)},
		{ContentType: "application/smil", ContentID: "p.smil", Body: strings.NewReader(`<smil><body><par><img src="cid:i.gif"/></par></body></smil>`)},
	}
}

func TestEncodeLayoutFlat(t *testing.T) {
	t.Parallel()
	for _, te := range []string{"", "binary"} {
		t.Run("te="+te, func(t *testing.T) {
			t.Parallel()
			msg := &mm7.Message{TransactionID: "tx-flat", Version: mm7.Rel6, Body: &rel6.SubmitReq{
				Recipients: rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}}}}
			enc, err := mm7.NewEncoder(msg, layoutParts(te), mm7.EncodeOptions{Layout: mm7.LayoutFlat})
			require.NoError(t, err)
			var buf bytes.Buffer
			_, err = enc.WriteTo(&buf)
			require.NoError(t, err)
			n, ok := enc.ContentLength()
			require.True(t, ok)
			assert.Equal(t, int64(buf.Len()), n, "ContentLength is exact")

			// The stdlib reader sees SOAP + 3 leaf parts at the top level.
			mt, params, err := mime.ParseMediaType(enc.ContentType())
			require.NoError(t, err)
			assert.Equal(t, "multipart/related", mt)
			mr := multipart.NewReader(bytes.NewReader(buf.Bytes()), params["boundary"])
			var types []string
			var imgData []byte
			for {
				p, err := mr.NextRawPart()
				if errors.Is(err, io.EOF) {
					break
				}
				require.NoError(t, err)
				types = append(types, p.Header.Get("Content-Type"))
				data, err := io.ReadAll(p)
				require.NoError(t, err)
				if strings.HasPrefix(p.Header.Get("Content-Type"), "image/") {
					if p.Header.Get("Content-Transfer-Encoding") == "base64" {
						data, err = base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(data)))
						require.NoError(t, err)
					}
					imgData = data
				}
			}
			assert.Equal(t, []string{`text/xml; charset="utf-8"`, "application/smil", `text/plain; charset="utf-8"`, "image/gif"}, types,
				"SMIL first, no nested multipart")
			assert.Equal(t, bytes.Repeat([]byte{0, 0xff, 'G', '\r', '\n', 0x80}, 300), imgData)
			if te == "binary" {
				assert.Contains(t, buf.String(), "Content-Transfer-Encoding: binary")
			}

			// The strict decoder reads it back: href names the SMIL part.
			dec, err := mm7.NewDecoder(bytes.NewReader(buf.Bytes()), enc.ContentType(), mm7.DecodeOptions{Strict: true})
			require.NoError(t, err)
			got, err := dec.Message()
			require.NoError(t, err)
			assert.Equal(t, "cid:p.smil", got.Body.(*rel6.SubmitReq).Content.Href)
			var ids []string
			for {
				a, err := dec.NextAttachment()
				if errors.Is(err, io.EOF) {
					break
				}
				require.NoError(t, err)
				_, err = io.Copy(io.Discard, a.Body)
				require.NoError(t, err)
				ids = append(ids, a.ContentID)
			}
			assert.Equal(t, []string{"p.smil", "t.txt", "i.gif"}, ids)
		})
	}
}

func TestEncodeLayoutChoices(t *testing.T) {
	t.Parallel()
	body := func() *rel6.SubmitReq {
		return &rel6.SubmitReq{Recipients: rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "1555"}}}}}}
	}
	parts := func() []mm7.Attachment {
		return []mm7.Attachment{{ContentType: "text/plain", ContentID: "a", Body: strings.NewReader("a")},
			{ContentType: "image/png", ContentID: "b", Body: strings.NewReader("b")}}
	}
	encode := func(b *rel6.SubmitReq, o mm7.EncodeOptions) (string, error) {
		var buf bytes.Buffer
		enc, err := mm7.NewEncoder(&mm7.Message{TransactionID: "x", Version: mm7.Rel6, Body: b}, parts(), o)
		if err != nil {
			return "", err
		}
		_, err = enc.WriteTo(&buf)
		return buf.String(), err
	}
	out, err := encode(body(), mm7.EncodeOptions{Layout: mm7.LayoutFlat})
	require.NoError(t, err)
	assert.Contains(t, out, `href="cid:a"`, "no SMIL: the first part")
	assert.NotContains(t, out, "multipart/mixed")

	out, err = encode(body(), mm7.EncodeOptions{})
	require.NoError(t, err)
	assert.Contains(t, out, "multipart/mixed", "nested is the default")

	b := body()
	b.Content = &rel6.ContentReference{Href: "cid:b"}
	out, err = encode(b, mm7.EncodeOptions{Layout: mm7.LayoutFlat})
	require.NoError(t, err)
	assert.Contains(t, out, `href="cid:b"`, "an href naming a part is kept")

	b.Content = &rel6.ContentReference{Href: "cid:start@x"}
	out, err = encode(b, mm7.EncodeOptions{Layout: mm7.LayoutFlat})
	require.NoError(t, err)
	assert.Contains(t, out, "Content-ID: <start@x>\r\nContent-Location: start@x\r\n\r\na\r\n", "the first part takes the href's id")

	_, err = encode(body(), mm7.EncodeOptions{Layout: "sideways"})
	assert.ErrorContains(t, err, `unknown EncodeOptions.Layout "sideways"`)

	for in, want := range map[string]mm7.Layout{"": mm7.LayoutNested, "Nested": mm7.LayoutNested, "flat": mm7.LayoutFlat} {
		got, err := mm7.ParseLayout(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err = mm7.ParseLayout("x")
	assert.Error(t, err)
}
