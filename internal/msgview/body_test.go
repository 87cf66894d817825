package msgview_test

import (
	"encoding/json"
	"encoding/xml"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/internal/msgview"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/xsdtypes"
)

func render(t *testing.T, body any) map[string]any {
	t.Helper()
	v := msgview.Body(body)
	_, err := json.Marshal(v)
	require.NoError(t, err)
	m, ok := v.(map[string]any)
	require.True(t, ok, "%T", v)
	return m
}

func TestBodyZeroValuesAreAbsent(t *testing.T) {
	m := render(t, &rel6.DeliveryReportReq{MM7Version: rel6.Version6_8_0, MessageID: "m1",
		Recipient: rel6.Address{Number: &rel6.Number{Value: "15555550123"}}})
	assert.Equal(t, map[string]any{
		"MM7Version": "6.8.0",
		"MessageID":  "m1",
		"Recipient":  map[string]any{"Number": map[string]any{"Value": "15555550123"}},
	}, m, "unset Date, empty Sender and MMStatus are absent")

	m = render(t, &rel6.SubmitReq{ExpiryDate: &xsdtypes.DateTimeOrDuration{}, EarliestDeliveryTime: new(xsdtypes.After(xsdtypes.Duration{Days: 2}))})
	assert.NotContains(t, m, "ExpiryDate", "an unset DateTimeOrDuration behind a pointer has no form either")
	assert.Equal(t, "P2D", m["EarliestDeliveryTime"])
	assert.NotContains(t, m, "SenderIdentification", "a struct with nothing in it")
}

func TestBodyKeepsWhatWasSent(t *testing.T) {
	date := xsdtypes.NewDateTime(time.Date(2024, 1, 15, 14, 3, 22, 0, time.UTC))
	m := render(t, &rel6.DeliveryReportReq{MessageID: "m1", Date: date, MMStatus: rel6.MMDeliveryStatusRetrieved,
		StatusText: new(""), Sender: rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}}})
	assert.Equal(t, "2024-01-15T14:03:22Z", m["Date"])
	assert.Equal(t, "Retrieved", m["MMStatus"])
	assert.Equal(t, "", m["StatusText"], "an element that was there, empty, stays")
	assert.Equal(t, map[string]any{"ShortCode": map[string]any{"Value": "12345"}}, m["Sender"])
	assert.NotContains(t, m, "XMLName")

	rsp := render(t, &rel6.SubmitRsp{Status: rel6.ResponseStatus{StatusCode: 1000, StatusText: "OK",
		Details: &rel6.AnyData{Items: []xsdtypes.AnyElement{{XMLName: xml.Name{Space: "urn:x", Local: "Reason"}, Text: "fine"}}}}})
	st := rsp["Status"].(map[string]any)
	assert.EqualValues(t, 1000, st["StatusCode"])
	assert.Equal(t, map[string]any{"Items": []any{`<Reason xmlns="urn:x">fine</Reason>`}}, st["Details"], "wildcard content as its XML, name included")
}

func TestBodyFault(t *testing.T) {
	m := render(t, &mm7.Fault{Code: "Client", String: "bad", Detail: &rel6.RSErrorRsp{Status: rel6.ResponseStatus{StatusCode: 2007}}})
	assert.Equal(t, "Client", m["Code"])
	assert.NotContains(t, m, "Actor")
	assert.EqualValues(t, 2007, m["Detail"].(map[string]any)["Status"].(map[string]any)["StatusCode"])
	assert.Nil(t, msgview.Body(nil))
	assert.Nil(t, msgview.Body((*rel6.SubmitReq)(nil)))
}

func TestBodyKinds(t *testing.T) {
	type inner struct{ V string }
	type value struct {
		XMLName  xml.Name
		I        int
		U        uint8
		F        float64
		B        bool
		Hidden   string `json:"-"`
		private  string
		Any      any
		Empty    *inner
		Absent   []inner
		Sparse   []inner
		Text     xsdtypes.Duration
		Children []xsdtypes.AnyElement
	}
	m := render(t, &value{I: -3, U: 7, F: 1.5, Hidden: "h", private: "p", Any: inner{V: "x"}, Empty: &inner{},
		Absent: []inner{{}}, Sparse: []inner{{}, {V: "y"}}, Text: xsdtypes.Duration{Days: 1}, Children: []xsdtypes.AnyElement{{}}})
	assert.Equal(t, map[string]any{
		"I": int64(-3), "U": uint64(7), "F": 1.5, "B": false,
		"Any":    map[string]any{"V": "x"},
		"Empty":  map[string]any{},
		"Sparse": []any{map[string]any{"V": "y"}},
		"Text":   "P1D",
	}, m, "numbers and booleans are kept as they are; an element given empty stays; absent items are left out")
}

func TestUnknownOf(t *testing.T) {
	assert.Equal(t, []msgview.Unknown{}, msgview.UnknownOf(nil))
	assert.Equal(t, []msgview.Unknown{}, msgview.UnknownOf(&mm7.Message{}))
	got := msgview.UnknownOf(&mm7.Message{Unknown: []mm7.UnknownElement{{Path: "/A/B", XML: "<B/>"}, {Truncated: true}}})
	assert.Equal(t, []msgview.Unknown{{Path: "/A/B", XML: "<B/>"}, {Truncated: true}}, got)
	js, err := json.Marshal(got)
	require.NoError(t, err)
	assert.JSONEq(t, `[{"path":"/A/B","xml":"<B/>"},{"path":"","xml":"","truncated":true}]`, string(js))
}
