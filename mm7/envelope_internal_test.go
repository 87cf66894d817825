package mm7

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel5"
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
	require.NoError(t, encodeEnvelope(&buf, &Message{TransactionID: "tx-1", Version: Rel6, Body: req}, true))
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

func TestResponsesAndFaults(t *testing.T) {
	req := &Message{TransactionID: "t1", Version: Rel5, Body: &rel5.DeliverReq{}}
	rsp, err := NewResponse(req, StatusSuccess, "")
	require.NoError(t, err)
	assert.Equal(t, "DeliverRsp", rsp.Kind())
	assert.Equal(t, "t1", rsp.TransactionID)
	assert.NoError(t, rsp.Err(200))
	body := rsp.Body.(*rel5.DeliverRsp)
	assert.Equal(t, rel5.Version5_3_0, body.MM7Version)
	assert.Equal(t, "Success", body.Status.StatusText)

	f := NewFault(req, StatusServerError, "database down")
	assert.IsType(t, &rel5.VASPErrorRsp{}, f.Body.(*Fault).Detail, "a VASP answers an MMSC request with VASPErrorRsp")
	assert.Equal(t, "Server", f.Body.(*Fault).Code)
	var fe *FaultError
	require.ErrorAs(t, f.Err(500), &fe)
	assert.Equal(t, StatusServerError, fe.Status.Code)

	sub := &Message{TransactionID: "t2", Version: Rel6, Body: &rel6.SubmitReq{}}
	f = NewFault(sub, StatusAddressError, "")
	assert.IsType(t, &rel6.RSErrorRsp{}, f.Body.(*Fault).Detail)
	assert.Equal(t, "Client", f.Body.(*Fault).Code)
	var buf bytes.Buffer
	require.NoError(t, encodeEnvelope(&buf, f, true))
	back, err := decodeEnvelope(buf.Bytes(), "", &deviations{strict: true})
	require.NoError(t, err)
	var se *StatusError
	require.ErrorAs(t, back.Err(500), &se)
	assert.Equal(t, StatusAddressError, se.Code)

	bad, err := NewResponse(sub, StatusAddressError, "no such number")
	require.NoError(t, err)
	require.ErrorAs(t, bad.Err(200), &se)
	assert.Equal(t, "no such number", se.Text)
}
