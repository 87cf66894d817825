package mm7test_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7test"
)

func TestDeliverMO(t *testing.T) {
	for _, tt := range versions {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vp := newVASP()
			vp.h.Username, vp.h.Password = "mmsc", "pw"
			mmsc := mm7test.NewServer(func(o *mm7test.Options) {
				o.VASPURL, o.VASPUsername, o.VASPPassword = vp.serve(t), "mmsc", "pw"
				o.Versions = []mm7.Version{tt.v}
				o.RelayServerID = "mm7test-relay"
			})
			defer mmsc.Close()
			img := image(30 << 10)
			res, err := mmsc.Deliver(t.Context(), mm7test.MO{
				From:        "+15555550123",
				To:          "12345",
				Subject:     "photo",
				Text:        "Look at this ✓",
				Attachments: []mm7.Attachment{{ContentType: "image/jpeg", ContentLocation: "cat.jpg", Body: bytes.NewReader(img)}},
				CarrierCode: "104",
			})
			require.NoError(t, err)
			assert.Equal(t, mm7.StatusSuccess, res.Status)
			assert.Equal(t, tt.v, res.Version)
			assert.Equal(t, "DeliverRsp", res.Kind)

			got := vp.received()
			require.Len(t, got, 1)
			mo := got[0]
			assert.Equal(t, "DeliverReq", mo.Kind)
			assert.Equal(t, tt.v.Release, mo.Release)
			assert.Equal(t, "mmsc", mo.User)
			assert.Equal(t, "104", mo.Header.Get(mm7.VibesHeaderCarrierCode))
			assert.Equal(t, "+15555550123", mo.Sender)
			assert.Equal(t, "12345", mo.Recipient)
			assert.Equal(t, "photo", mo.Subject)
			assert.Equal(t, map[string][]byte{"text/plain": []byte("Look at this ✓"), "image/jpeg": img}, mo.Attachments)
		})
	}
}

func TestDeliverReturnsTheVASPStatus(t *testing.T) {
	vp := newVASP()
	vp.h.OnDeliver = func(context.Context, *mm7.Request) error {
		return &mm7.StatusError{Code: mm7.StatusServiceDenied, Text: "short code not provisioned"}
	}
	mmsc := mm7test.NewServer(mm7test.WithVASP(vp.serve(t), "", ""))
	defer mmsc.Close()
	res, err := mmsc.Deliver(t.Context(), mm7test.MO{From: "someone@example.com", To: "+15555550100"})
	se, ok := errors.AsType[*mm7.StatusError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, mm7.StatusServiceDenied, se.Code)
	assert.Equal(t, "short code not provisioned", se.Text)
	assert.Equal(t, mm7.StatusServiceDenied, res.Status)
}

func TestDeliverNeedsFromAndURL(t *testing.T) {
	mmsc := mm7test.NewMMSC(mm7test.Options{})
	defer mmsc.Close()
	_, err := mmsc.Deliver(t.Context(), mm7test.MO{To: "12345"})
	assert.ErrorContains(t, err, "no From")
	_, err = mmsc.Deliver(t.Context(), mm7test.MO{From: "+1555"})
	assert.ErrorContains(t, err, "no URL")
}

func TestDeliverInAChosenMM7Version(t *testing.T) {
	vp := newVASP()
	mmsc := mm7test.NewServer(mm7test.WithVASP(vp.serve(t), "", ""))
	defer mmsc.Close()
	res, err := mmsc.Deliver(t.Context(), mm7test.MO{From: "+1555", Text: "hi", Version: mm7.Rel6.WithMM7Version("6.5.0")})
	require.NoError(t, err)
	assert.Equal(t, "6.5.0", res.Version.MM7Version)
	assert.Equal(t, "6.5.0", res.Response.Version.MM7Version, "the VASP answered in kind")
}
