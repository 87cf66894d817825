package main

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/gen/testdata/golden/d01"
	"github.com/openmms/mm7go/gen/testdata/golden/d05"
	"github.com/openmms/mm7go/gen/testdata/golden/d06"
	"github.com/openmms/mm7go/gen/testdata/golden/d09"
	"github.com/openmms/mm7go/gen/testdata/golden/d11"
	"github.com/openmms/mm7go/xsdtypes"
)

// These tests compile the golden packages and check that each xgen defect
// they stand for is gone in what gen emits.

func roundTrip[T any](t *testing.T, v *T) string {
	t.Helper()
	b, err := xml.Marshal(v)
	require.NoError(t, err)
	back := new(T)
	require.NoError(t, xml.Unmarshal(b, back))
	assert.Equal(t, v, back)
	return string(b)
}

// D1, D3, D4: lower-case type names, namespaced roots.
func TestGoldenD01MarshalsNamespacedRoots(t *testing.T) {
	out := roundTrip(t, &d01.PingReq{XMLName: xml.Name{Space: "urn:test:d01", Local: "PingReq"}, Status: d01.Status{Code: 7}})
	assert.True(t, strings.HasPrefix(out, `<PingReq xmlns="urn:test:d01">`), out)
	// Two elements of one type each get their own root struct.
	out = roundTrip(t, &d01.LowerRsp{XMLName: xml.Name{Space: "urn:test:d01", Local: "lowerRsp"}, Status: d01.Status{Code: 1}})
	assert.True(t, strings.HasPrefix(out, `<lowerRsp xmlns="urn:test:d01">`), out)
	// An element from another namespace is not taken for this one.
	var p d01.PingReq
	require.NoError(t, xml.Unmarshal([]byte(`<PingReq xmlns="urn:test:d01"><Status xmlns="urn:other"><Code>1</Code></Status></PingReq>`), &p))
	assert.Zero(t, p.Status.Code)
}

// D5: base content first, in schema order.
func TestGoldenD05KeepsBaseElementsFirst(t *testing.T) {
	out := roundTrip(t, &d05.SubmitReq{
		XMLName: xml.Name{Space: "urn:test:d05", Local: "SubmitReq"}, MM7Version: "6.8.0",
		SenderID: new("vasp"), Subject: new("hi"), DC: []int{1, 2},
	})
	iv, is, isub, idc := strings.Index(out, "<MM7Version"), strings.Index(out, "<SenderID"), strings.Index(out, "<Subject"), strings.Index(out, "<DC")
	assert.True(t, iv < is && is < isub && isub < idc, out)
	assert.Equal(t, 2, strings.Count(out, "<DC "), "a repeated element is one element per item")
}

// D6, D8: unions and enumerations.
func TestGoldenD06UnionsAndEnums(t *testing.T) {
	var r d06.Req
	require.NoError(t, xml.Unmarshal([]byte(`<Req xmlns="urn:test:d06" deadline="P1D"><Version>5.10.0</Version>`+
		`<Expiry>2024-01-02T03:04:05-0500</Expiry><Mode>image-basic</Mode></Req>`), &r))
	assert.Equal(t, d06.Version5_10_0, r.Version)
	assert.True(t, r.Version.Valid())
	assert.Equal(t, d06.ModeImageBasic, *r.Mode)
	require.NotNil(t, r.Deadline)
	assert.True(t, r.Deadline.IsRelative())
	require.NotNil(t, r.Expiry)
	assert.False(t, r.Expiry.IsRelative())
	assert.True(t, r.Expiry.Resolve(time.Time{}).Equal(time.Date(2024, 1, 2, 8, 4, 5, 0, time.UTC)))
	assert.Equal(t, []d06.Version{d06.Version6_8_0, d06.Version5_10_0}, d06.Version("").Values())
	assert.False(t, d06.Priority("Urgent").Valid())
	roundTrip(t, &r)
}

// D2, D9, D10, D12: groups, attribute groups, foreign attributes.
func TestGoldenD09GroupsAndAttributes(t *testing.T) {
	var id d09.TransactionID
	require.NoError(t, xml.Unmarshal([]byte(`<t:TransactionID xmlns:t="urn:test:d09" xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:mustUnderstand="1"> tx-1 </t:TransactionID>`), &id))
	require.NotNil(t, id.MustUnderstand)
	assert.Equal(t, "1", *id.MustUnderstand)
	out := roundTrip(t, &id)
	assert.Contains(t, out, `:mustUnderstand="1"`)
	assert.Contains(t, out, `="http://schemas.xmlsoap.org/soap/envelope/"`)

	var to d09.To
	require.NoError(t, xml.Unmarshal([]byte(`<To xmlns="urn:test:d09"><Number coding="x" id="a1" displayOnly="true">1555</Number><ShortCode>123</ShortCode><Number coding="y">1666</Number></To>`), &to))
	require.Len(t, to.Number, 2)
	assert.Equal(t, "a1", *to.Number[0].ID)
	assert.Equal(t, "x", to.Number[0].Coding)
	assert.True(t, *to.Number[0].DisplayOnly)
	assert.Equal(t, []string{"123"}, to.ShortCode)
	roundTrip(t, &to)

	from := d09.From{XMLName: xml.Name{Space: "urn:test:d09", Local: "From"}, ShortCode: new("12345")}
	roundTrip(t, &from)
}

// D11, D13: wildcards and same-named anonymous types.
func TestGoldenD11WildcardsAndAnonymousTypes(t *testing.T) {
	var r d11.DeliverReq
	require.NoError(t, xml.Unmarshal([]byte(`<DeliverReq xmlns="urn:test:d11"><Status><Code>2</Code>`+
		`<Details><x:Reason xmlns:x="urn:vendor" x:lang="en">busy<x:Code>7</x:Code></x:Reason></Details></Status>`+
		`<ServiceCode xmlns:v="urn:vendor" v:plan="gold">svc</ServiceCode></DeliverReq>`), &r))
	require.NotNil(t, r.Status.Details)
	require.Len(t, r.Status.Details.Items, 1)
	assert.Equal(t, xml.Name{Space: "urn:vendor", Local: "Reason"}, r.Status.Details.Items[0].XMLName)
	require.NotNil(t, r.ServiceCode)
	assert.Equal(t, xsdtypes.AnyAttrs{{Name: xml.Name{Space: "urn:vendor", Local: "plan"}, Value: "gold"}}, r.ServiceCode.Attrs)
	roundTrip(t, &r)

	var rr d11.ReadReplyReq
	require.NoError(t, xml.Unmarshal([]byte(`<ReadReplyReq xmlns="urn:test:d11"><Status><Text>read</Text><When>2024-01-02T03:04:05Z</When></Status></ReadReplyReq>`), &rr))
	assert.Equal(t, "read", rr.Status.Text)
	roundTrip(t, &rr)
}
