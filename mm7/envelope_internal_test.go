package mm7

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
)

func TestEnvelopeRoundTripSmoke(t *testing.T) {
	req := &rel6.SubmitReq{
		SenderIdentification: rel6.SenderID{VASPID: new("v")},
		Recipients:           rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "1555"}}}}},
		Subject:              new("hi & <bye>"),
		Content:              &rel6.ContentReference{Href: "cid:x"},
	}
	var buf bytes.Buffer
	require.NoError(t, encodeEnvelope(&buf, &Message{TransactionID: "tx-1", Version: Rel6, Body: req}))
	t.Log(buf.String())
	devs := &deviations{}
	m, err := decodeEnvelope(buf.Bytes(), "utf-8", devs)
	require.NoError(t, err)
	assert.Empty(t, m.Deviations)
	assert.Equal(t, "tx-1", m.TransactionID)
	got := m.Body.(*rel6.SubmitReq)
	assert.Equal(t, rel6.Version6_8_0, got.MM7Version)
	assert.Equal(t, "hi & <bye>", *got.Subject)
	assert.Empty(t, req.MM7Version, "the caller's value is not modified")
}
