package mm7_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

// rootLastBody is a SwA body whose SOAP part (named by start) comes after
// the content: a nested multipart/related with a SMIL start part, then a
// plain part, then the envelope, then a part after it.
func rootLastBody(nested string) string {
	env := unknownHead + `<m:DeliverReq xmlns:m="` + nsBase + `REL-6-MM7-1-4"><m:MM7Version>6.8.0</m:MM7Version><m:Sender><m:Number>1</m:Number></m:Sender><m:Content href="cid:content"/></m:DeliverReq></e:Body></e:Envelope>`
	return "--outer\r\n" +
		"Content-Type: multipart/related; type=\"application/smil\"; start=\"<pres>\"; boundary=\"inner\"\r\nContent-ID: <content>\r\n\r\n" +
		nested +
		"\r\n--outer\r\nContent-Type: text/plain\r\nContent-ID: <before>\r\n\r\nbefore the root" +
		"\r\n--outer\r\nContent-Type: text/xml\r\nContent-ID: <soap>\r\n\r\n" + env +
		"\r\n--outer\r\nContent-Type: text/plain\r\nContent-ID: <after>\r\n\r\nafter the root" +
		"\r\n--outer--\r\n"
}

const nestedContent = "--inner\r\nContent-Type: application/smil\r\nContent-ID: <pres>\r\n\r\n<smil/>" +
	"\r\n--inner\r\nContent-Type: text/plain\r\nContent-ID: <txt>\r\n\r\nhello" +
	"\r\n--inner\r\nContent-Type: image/gif\r\nContent-ID: <img>\r\nContent-Transfer-Encoding: base64\r\n\r\nR0lGODlh" +
	"\r\n--inner--"

const rootLastType = `multipart/related; type="text/xml"; start="<soap>"; boundary="outer"`

// A nested multipart before the SOAP part is flattened into its leaves,
// with the same Depth, Container, Start and Referenced as when it comes
// after the root, and in document order.
func TestNestedMultipartBeforeRootIsFlattened(t *testing.T) {
	t.Parallel()
	_, atts, dec, err := decodeAll([]byte(rootLastBody(nestedContent)), rootLastType, mm7.DecodeOptions{})
	require.NoError(t, err)
	type leaf struct {
		mt, id, container, data string
		depth                   int
		start, ref              bool
	}
	var got []leaf
	for _, a := range atts {
		got = append(got, leaf{a.MediaType(), a.ContentID, a.Container, string(a.Data), a.Depth, a.Start, a.Referenced})
	}
	assert.Equal(t, []leaf{
		{"application/smil", "pres", "content", "<smil/>", 2, true, true},
		{"text/plain", "txt", "content", "hello", 2, false, true},
		{"image/gif", "img", "content", "GIF89a", 2, false, true},
		{"text/plain", "before", "", "before the root", 1, false, false},
		{"text/plain", "after", "", "after the root", 1, false, false},
	}, got)
	assert.Contains(t, codesOf(dec.Deviations()), mm7.DevRootNotFirst)

	// The same content after the root yields the same leaves.
	env := rootLastBody(nestedContent)
	first := "--outer\r\nContent-Type: text/xml\r\nContent-ID: <soap>\r\n\r\n" + env[strings.Index(env, unknownHead):strings.Index(env, "</e:Envelope>")+len("</e:Envelope>")] +
		"\r\n--outer\r\nContent-Type: multipart/related; type=\"application/smil\"; start=\"<pres>\"; boundary=\"inner\"\r\nContent-ID: <content>\r\n\r\n" + nestedContent + "\r\n--outer--\r\n"
	_, atts2, _, err := decodeAll([]byte(first), rootLastType, mm7.DecodeOptions{})
	require.NoError(t, err)
	require.Len(t, atts2, 3)
	for i, a := range atts2 {
		assert.Equal(t, got[i], leaf{a.MediaType(), a.ContentID, a.Container, string(a.Data), a.Depth, a.Start, a.Referenced})
	}
}

// Parts before the root are held in memory: bounded by
// MaxBufferedBytes, with an error that names the limit.
func TestPartsBeforeRootAreBounded(t *testing.T) {
	t.Parallel()
	big := strings.Replace(nestedContent, "hello", strings.Repeat("x", 4096), 1)
	_, _, _, err := decodeAll([]byte(rootLastBody(big)), rootLastType, mm7.DecodeOptions{MaxBufferedBytes: 1024})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "parts before the SOAP part")
	assert.Contains(t, err.Error(), "MaxBufferedBytes")
	assert.Contains(t, err.Error(), "1024")
}
