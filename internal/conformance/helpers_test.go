package conformance_test

import (
	"encoding/xml"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/xsdvalidate"
)

// TestAddressHelpersClassifyLikeTheCLI: rel5/rel6.AddressOf follow
// mm7.AddressKind, the rule of the mm7 command.
func TestAddressHelpersClassifyLikeTheCLI(t *testing.T) {
	for _, s := range []string{"15555550123", "+15555550123", "12345", "123", "1234567", "12", "user@example.com", " 12345 ", "+1 (555) 555-0123", "abc"} {
		a6, a5 := rel6.AddressOf(s), rel5.AddressOf(s)
		want := mm7.AddressKind(s)
		got := map[bool]string{}
		got[a6.RFC2822Address != nil] = mm7.AddressRFC2822
		got[a6.ShortCode != nil] = mm7.AddressShortCode
		got[a6.Number != nil] = mm7.AddressNumber
		assert.Equal(t, want, got[true], s)
		assert.Equal(t, 1, countSet(a6.RFC2822Address != nil, a6.ShortCode != nil, a6.Number != nil), s)
		assert.Equal(t, a6.String(), a5.String(), s)
		assert.Equal(t, trimmed(s), a6.String(), "kept as given, trimmed")
	}
	assert.Equal(t, "", rel6.Address{}.String())
}

func countSet(b ...bool) int {
	n := 0
	for _, x := range b {
		if x {
			n++
		}
	}
	return n
}

func trimmed(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}

// TestHelpersBuildValidMessages: what the helpers build is the long
// literal they replace, and validates (Validate and libxml2) in both
// versions.
func TestHelpersBuildValidMessages(t *testing.T) {
	long := rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}}
	assert.Equal(t, long, rel6.To("15555550123"))
	assert.Equal(t, rel6.SenderID{SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}}, rel6.From("12345"))

	r := rel6.To("15555550123", "user@example.com", "12345").And(rel6.Cc("15555550124")).And(rel6.Bcc("a@b.example"))
	assert.Len(t, r.To, 1)
	assert.Equal(t, []rel6.Number{{Value: "15555550123"}}, r.To[0].Number)
	assert.Equal(t, []rel6.ShortCode{{Value: "12345"}}, r.To[0].ShortCode)
	assert.Equal(t, []rel6.RFC2822Address{{Value: "user@example.com"}}, r.To[0].RFC2822Address)
	assert.Len(t, r.Cc, 1)
	assert.Len(t, r.Bcc, 1)
	base := rel6.To("1")
	_ = base.And(rel6.To("2"))
	assert.Len(t, base.To, 1, "And does not modify its receiver")

	s6, err := xsdvalidate.Rel6()
	require.NoError(t, err)
	s5, err := xsdvalidate.Rel5()
	require.NoError(t, err)
	m6 := &rel6.SubmitReq{MM7Version: rel6.Version6_8_0, SenderIdentification: rel6.From("12345"), Recipients: r, Subject: new("hello")}
	m5 := &rel5.SubmitReq{MM7Version: rel5.Version5_3_0, SenderIdentification: rel5.From("12345"),
		Recipients: rel5.To("15555550123").And(rel5.Cc("user@example.com")), Subject: new("hello")}
	for _, m := range []struct {
		msg    mm7.Body
		schema *xsdvalidate.Schema
	}{{m6, s6}, {m5, s5}} {
		require.NoError(t, m.msg.Validate())
		doc, err := xml.Marshal(m.msg)
		require.NoError(t, err)
		require.NoError(t, m.schema.Validate(doc), "%s", doc)
	}
	// No address at all is invalid, and said so.
	assert.Error(t, (&rel6.SubmitReq{MM7Version: rel6.Version6_8_0, Recipients: rel6.To()}).Validate())
}
