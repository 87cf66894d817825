package mm7

import (
	"bytes"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// replyTexts are status texts, problems and ids that exercise escaping:
// markup, quotes, control characters, invalid UTF-8, the placeholders
// themselves.
var replyTexts = []string{
	"", "Success", "a & b < c > d \"q\" 'a'", "tab\tnl\ncr\rcrlf\r\n", "\x00\x01\x1f bad", "\xff\xfe invalid utf-8 \xc3",
	"émoji 😀 ok", "]]> <![CDATA[", phText, phTxID, "987654321", " spaced ",
}

func publishedVersions() []Version {
	var out []Version
	for ns, v := range published {
		for _, mv := range append(append([]string{}, mm7Versions[schemaOf(ns)]...), "", "9.9.9", "5.5.0") {
			out = append(out, Version{Schema: schemaOf(ns), Namespace: ns, MM7Version: mv, Release: v.Release})
		}
	}
	out = append(out, Version{}, Version{Namespace: "urn:unknown", Schema: "x"}, Rel5, Rel6, Rel5.WithMM7Version("5.5.0"))
	sort.Slice(out, func(i, j int) bool { return out[i].String()+out[i].Namespace < out[j].String()+out[j].Namespace })
	return out
}

// TestReplyTemplateMatchesReflection checks that every reply the Handler
// writes from a template is byte for byte what the reflective encoder
// writes for the same message, in every published namespace and
// MM7Version, for every request kind, status and awkward text.
func TestReplyTemplateMatchesReflection(t *testing.T) {
	kinds := []string{"SubmitReq", "DeliverReq", "CancelReq", "ReplaceReq", "extendedCancelReq", "extendedReplaceReq", "DeliveryReportReq", "ReadReplyReq"}
	codes := []StatusCode{StatusSuccess, StatusAddressError, StatusServerError, 4999}
	n := 0
	for _, v := range publishedVersions() {
		texts := replyTexts
		if v.Namespace != Rel5.Namespace && v.Namespace != Rel6.Namespace {
			texts = replyTexts[1:3] // the other namespaces differ in their literal parts only
		}
		for _, kind := range kinds {
			for _, code := range codes {
				for _, text := range texts {
					rv := replyVersion(v)
					req := newMessage(rv, kind)
					if req == nil {
						continue // extended* in REL-5
					}
					for _, tx := range []string{"tx-1", text} {
						want, wantErr := reflectResponse(&Message{TransactionID: tx, Version: v, Body: req}, code, text, text)
						var got bytes.Buffer
						err := appendResponse(&got, v, kind, tx, code, text, text)
						if wantErr != nil {
							assert.Error(t, err, "%v %s %q", v, kind, tx)
							continue
						}
						require.NoError(t, err, "%v %s", v, kind)
						require.Equal(t, string(want), got.String(), "%v %s %d %q", v, kind, code, text)
						n++
					}
				}
			}
		}
		for _, vaspSide := range []bool{true, false} {
			for _, code := range codes {
				for _, text := range texts {
					for _, tx := range []string{"", "tx-1", text} {
						var want bytes.Buffer
						require.NoError(t, encodeEnvelope(&want, newFault(tx, v, vaspSide, code, text, text), true))
						var got bytes.Buffer
						require.NoError(t, appendFault(&got, tx, v, vaspSide, code, text, text))
						require.Equal(t, want.String(), got.String(), "%v fault %d %q %q", v, code, text, tx)
						n++
					}
				}
			}
		}
	}
	t.Logf("%d replies compared", n)
}

// reflectResponse is what the Handler wrote before templates.
func reflectResponse(req *Message, code StatusCode, text, messageID string) ([]byte, error) {
	rsp, err := NewResponse(req, code, text)
	if err != nil {
		return nil, err
	}
	setMessageID(rsp.Body, messageID)
	var b bytes.Buffer
	if err := encodeEnvelope(&b, rsp, true); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// TestReplyTemplateCacheBounded: a peer cannot grow the cache by sending
// many MM7Version values; they all map to the schema's allowed ones.
func TestReplyTemplateCacheBounded(t *testing.T) {
	replyTemplates.RLock()
	before := len(replyTemplates.m)
	replyTemplates.RUnlock()
	for i := range 3000 {
		var b bytes.Buffer
		v := Rel6.WithMM7Version("6." + string(rune('0'+i%10)) + ".x" + string(rune(i)))
		require.NoError(t, appendResponse(&b, v, "DeliverReq", "tx", StatusSuccess, "", ""))
		require.NoError(t, appendFault(&b, "tx", v, true, StatusServerError, "", ""))
	}
	replyTemplates.RLock()
	defer replyTemplates.RUnlock()
	assert.LessOrEqual(t, len(replyTemplates.m), maxReplyTemplates)
	assert.LessOrEqual(t, len(replyTemplates.m)-before, 2, "MM7Version values map to the schema's allowed ones")
}
