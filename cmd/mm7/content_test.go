package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// handsetMO is a message as handsets send it: a SMIL presentation that
// references its parts by Content-Location, texts in the handset's
// charset, one in a charset nobody knows.
func handsetMO(t *testing.T) (body []byte, contentType string) {
	t.Helper()
	msg := &mm7.Message{TransactionID: "mo-1", Version: mm7.Rel6, Body: &rel6.SubmitReq{
		SenderIdentification: rel6.SenderID{SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}},
		Recipients:           rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}},
	}}
	doc := `<smil><head><layout><root-layout width="176" height="208"/><region id="Image" top="0" left="0" height="80%" width="100%"/>` +
		`<region id="Text" top="80%" left="0" height="20%" width="100%"/></layout></head><body>` +
		`<par dur="8000ms"><img src="IMG_0412.JPG" region="Image"/><text src="text_0.txt" region="Text"/></par>` +
		`<par dur="3s"><text src="cid:t2"/><img src="gone.jpg" region="Image"/></par></body></smil>`
	parts := []mm7.Attachment{
		{ContentType: "application/smil", ContentID: "smil", ContentLocation: "mms.smil", Body: strings.NewReader(doc)},
		{ContentType: "image/jpeg", ContentID: "0001", ContentLocation: "img_0412.jpg", Body: bytes.NewReader([]byte{0xFF, 0xD8, 0xFF, 0xD9})},
		{ContentType: "text/plain; charset=Shift_JIS", ContentID: "0002", ContentLocation: "text_0.txt", Body: strings.NewReader("\x93\xfa\x96\x7b\x8c\xea")},
		{ContentType: "text/plain; charset=x-klingon", ContentID: "t2", ContentLocation: "t2.txt", Body: strings.NewReader("\xf0\x9f\xff")},
		{ContentType: "text/plain; charset=GB2312", ContentID: "t3", ContentLocation: "t3.txt", Body: strings.NewReader("\xd6\xd0\xce\xc4")},
	}
	var b bytes.Buffer
	ct, err := mm7.Encode(&b, msg, parts...)
	require.NoError(t, err)
	// As captured: HTTP headers, then the body.
	return append([]byte("Content-Type: "+ct+"\r\n\r\n"), b.Bytes()...), ct
}

func TestInspectShowsPresentationAndDecodedText(t *testing.T) {
	body, ct := handsetMO(t)
	out, err := inspect("mo", body, ct)
	require.NoError(t, err)
	require.Len(t, out.Attachments, 5)
	at := func(i int) inspectAttachment { return out.Attachments[i] }
	assert.Equal(t, "Shift_JIS", at(2).Charset)
	require.NotNil(t, at(2).Text)
	assert.Equal(t, "日本語", *at(2).Text)
	assert.Equal(t, int64(6), at(2).Size, "bytes as received")
	require.NotNil(t, at(4).Text)
	assert.Equal(t, "中文", *at(4).Text)
	assert.Nil(t, at(3).Text, "unknown charset: no text")
	assert.Nil(t, at(1).Text, "images have no text")

	var devs []string
	for _, d := range out.Deviations {
		devs = append(devs, d.Code+": "+d.Text)
	}
	assert.Contains(t, devs, `charset-unknown: attachment 4 (t2.txt): charset "x-klingon": no table knows it; bytes kept undecoded`)

	p := out.Presentation
	require.NotNil(t, p)
	assert.Equal(t, 0, p.Part)
	assert.Equal(t, 176, p.Width)
	require.Len(t, p.Slides, 2)
	assert.Equal(t, int64(8000), p.Slides[0].DurationMS)
	assert.Equal(t, []itemJSON{{Kind: "img", Src: "IMG_0412.JPG", Region: "Image", Part: 1}, {Kind: "text", Src: "text_0.txt", Region: "Text", Part: 2}},
		p.Slides[0].Items, "handsets reference by Content-Location, in any case")
	assert.Equal(t, []itemJSON{{Kind: "text", Src: "cid:t2", Part: 3}, {Kind: "img", Src: "gone.jpg", Region: "Image", Part: -1}}, p.Slides[1].Items)
	assert.Contains(t, p.Violations, `slide 2: region: text cid:t2 in region "", want "Text"`)
}

func TestInspectCLIPresentationJSON(t *testing.T) {
	body, _ := handsetMO(t)
	f := filepath.Join(t.TempDir(), "mo.bin")
	require.NoError(t, os.WriteFile(f, body, 0o600))
	code, stdout, stderr := runCmd(t, "", "inspect", f)
	require.Equal(t, 0, code, stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	pres := got["presentation"].(map[string]any)
	slides := pres["slides"].([]any)
	first := slides[0].(map[string]any)["items"].([]any)[1].(map[string]any)
	assert.Equal(t, float64(2), first["part"])
	atts := got["attachments"].([]any)
	assert.Equal(t, "日本語", atts[2].(map[string]any)["text"])
}

func TestContentCollectorBoundsText(t *testing.T) {
	var c contentCollector
	big := strings.Repeat("a", maxShownText+1)
	a := &mm7.Attachment{ContentType: "text/plain", Body: strings.NewReader(big)}
	var sink bytes.Buffer
	_, err := sink.ReadFrom(c.add(a))
	require.NoError(t, err)
	assert.Equal(t, len(big), sink.Len(), "the bytes pass through whole")
	texts, pres, devs := c.finish()
	require.NotNil(t, texts[0])
	assert.Nil(t, texts[0].Text, "over 256 KiB: not shown")
	assert.Nil(t, pres)
	assert.Empty(t, devs)
}

func TestServeStoresPresentationAndDecodedText(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "inbox")
	s := startServeCmd(t, map[string]string{passwordEnv: "pw"}, out, "--user", "mmsc")
	msg, _, _ := moMessage("mo-smil-1")
	sjis := "\x93\xfa\x96\x7b\x8c\xea"
	doc := `<smil><body><par dur="5s"><img src="cid:i1" region="Image"/><text src="note.txt" region="Text"/></par></body></smil>`
	ct, body := encodeMessage(t, msg,
		mm7.Attachment{ContentType: "application/smil", ContentID: "s", ContentLocation: "pres.smil", Body: strings.NewReader(doc)},
		mm7.Attachment{ContentType: "image/png", ContentID: "i1", ContentLocation: "pic.png", Body: bytes.NewReader(demoPNG())},
		mm7.Attachment{ContentType: "text/plain; charset=shift_jis", ContentID: "n", ContentLocation: "note.txt", Body: strings.NewReader(sjis)})
	code, _ := post(t, s.url+"/", "mmsc", "pw", ct, body)
	require.Equal(t, http.StatusOK, code)
	dir := filepath.Join(out, "deliver", "mo-smil-1")
	got := readJSON(t, filepath.Join(dir, "message.json"))
	require.Len(t, got.Attachments, 3)
	require.NotNil(t, got.Attachments[2].Text)
	assert.Equal(t, "日本語", *got.Attachments[2].Text)
	assert.Equal(t, "shift_jis", got.Attachments[2].Charset)
	data, err := os.ReadFile(filepath.Join(dir, got.Attachments[2].File))
	require.NoError(t, err)
	assert.Equal(t, sjis, string(data), "the file keeps the bytes as sent")
	require.NotNil(t, got.Presentation)
	require.Len(t, got.Presentation.Slides, 1)
	assert.Equal(t, []itemJSON{{Kind: "img", Src: "cid:i1", Region: "Image", Part: 1}, {Kind: "text", Src: "note.txt", Region: "Text", Part: 2}},
		got.Presentation.Slides[0].Items)
}
