package mm7_test

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

// TestWildcardContentIsBounded: Status/Details is decoded into generic
// elements, each many times its size in input; a body of a million empty
// elements must be refused, not held in memory.
func TestWildcardContentIsBounded(t *testing.T) {
	env := `<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header>` +
		`<TransactionID xmlns="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4">tx-big</TransactionID></env:Header><env:Body>` +
		`<SubmitRsp xmlns="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"><MM7Version>6.8.0</MM7Version>` +
		`<Status><StatusCode>1000</StatusCode><StatusText>ok</StatusText><Details>` + strings.Repeat("<a/>", 1_000_000) +
		`</Details></Status><MessageID>m</MessageID></SubmitRsp></env:Body></env:Envelope>`
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	dec, err := mm7.NewDecoder(strings.NewReader(env), "text/xml", mm7.DecodeOptions{MaxEnvelopeBytes: 8 << 20})
	require.NoError(t, err)
	_, err = dec.Message()
	runtime.ReadMemStats(&after)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "more than 10000 elements")
	var de *mm7.DecodeError
	require.True(t, errors.As(err, &de))
	assert.Equal(t, mm7.StatusMessageFormatCorrupt, de.Status)
	assert.Equal(t, "tx-big", de.TransactionID, "the reply can still echo the TransactionID")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20), "allocation stays bounded")
}

// TestStrictFaultKeepsTheTransactionID: a strict Handler refusing a
// deviation found after the envelope was read still echoes its
// TransactionID.
func TestStrictFaultKeepsTheTransactionID(t *testing.T) {
	env := `<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header>` +
		`<TransactionID xmlns="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4">tx-strict-1</TransactionID></env:Header><env:Body>` +
		`<DeliverReq xmlns="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"><MM7Version>6.8.0</MM7Version>` +
		`<Sender><Number>1555</Number></Sender><Content href="cid:x"/></DeliverReq></env:Body></env:Envelope>`
	dec, err := mm7.NewDecoder(strings.NewReader(env), "text/xml", mm7.DecodeOptions{Strict: true})
	require.NoError(t, err)
	_, err = dec.Message()
	var de *mm7.DecodeError
	require.True(t, errors.As(err, &de), "%T %v", err, err)
	assert.Equal(t, "tx-strict-1", de.TransactionID)
	assert.Equal(t, "DeliverReq", de.Kind)
}
