package conformance_test

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/xsdvalidate"
)

func validSubmitReq() *rel6.SubmitReq {
	return &rel6.SubmitReq{
		MM7Version: rel6.Version6_8_0,
		SenderIdentification: rel6.SenderID{
			VASPID:        new("examplevasp"),
			SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}},
		},
		Recipients: rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}},
		ReadReply:  new(false),
		Priority:   new(rel6.PriorityNormal),
		Subject:    new("Your January coupon"),
		Content:    &rel6.ContentReference{Href: "cid:mm-1@vasp.example.com", AllowAdaptations: new(true)},
	}
}

func marshal(t *testing.T, v any) string {
	t.Helper()
	b, err := xml.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	return string(b)
}

// problems validates doc and returns the reported problems, failing the
// test unless validation failed with a *xsdvalidate.ValidationError.
func problems(t *testing.T, s *xsdvalidate.Schema, doc string) []xsdvalidate.Problem {
	t.Helper()
	err := s.Validate([]byte(doc))
	require.Error(t, err, "document should be rejected:\n%s", doc)
	var ve *xsdvalidate.ValidationError
	require.True(t, errors.As(err, &ve), "want a *xsdvalidate.ValidationError, got %T: %v", err, err)
	require.NotEmpty(t, ve.Problems)
	return ve.Problems
}

func TestInvalidDocumentsAreRejectedWithTheProblemNamed(t *testing.T) {
	rel6Schema, err := xsdvalidate.Rel6()
	require.NoError(t, err)
	rel5Schema, err := xsdvalidate.Rel5()
	require.NoError(t, err)
	valid := marshal(t, validSubmitReq())
	require.NoError(t, rel6Schema.Validate([]byte(valid)), "the base document must be valid:\n%s", valid)

	rsp := marshal(t, &rel6.SubmitRsp{MM7Version: rel6.Version6_8_0, Status: rel6.ResponseStatus{StatusCode: 1000, StatusText: "Success"}, MessageID: "MMSC-1"})
	require.NoError(t, rel6Schema.Validate([]byte(rsp)))

	badPriority := validSubmitReq()
	badPriority.Priority = new(rel6.Priority("Urgent"))
	assert.False(t, badPriority.Priority.Valid(), "Valid reports values outside the enumeration")

	rel5Req := &rel5.CancelReq{MM7Version: rel5.Version("5.5.0"), MessageID: "MMSC-1"}
	assert.False(t, rel5Req.MM7Version.Valid(), "REL-5-MM7-1-2 allows only 5.3.0")

	tests := []struct {
		name   string
		schema *xsdvalidate.Schema
		doc    string
		path   string   // element path the problem must name ("" when it has none)
		want   []string // fragments the message must contain
	}{
		{"wrong namespace", rel6Schema, strings.ReplaceAll(valid, rel6.Namespace, "urn:example:not-mm7"), "",
			[]string{"No matching global declaration"}},
		{"namespace of another version", rel6Schema, strings.ReplaceAll(valid, rel6.Namespace, rel5.Namespace), "",
			[]string{"No matching global declaration"}},
		{"missing mandatory element", rel6Schema, cut(rsp, "<MessageID"), "/SubmitRsp",
			[]string{"Missing child element", "MessageID"}},
		{"bad enumeration value", rel6Schema, marshal(t, badPriority), "/SubmitReq/Priority",
			[]string{"Urgent", "enumeration"}},
		{"version outside the REL-5-MM7-1-2 enumeration", rel5Schema, marshal(t, rel5Req), "/CancelReq/MM7Version",
			[]string{"5.5.0", "5.3.0"}},
		{"wrong order", rel6Schema, swapLines(valid, "<ReadReply", "<Priority"), "/SubmitReq/ReadReply",
			[]string{"not expected"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := problems(t, tt.schema, tt.doc)
			p := ps[0]
			for _, w := range tt.want {
				assert.Contains(t, p.Message, w)
			}
			if tt.path != "" {
				assert.Equal(t, tt.path, p.Path)
			}
			assert.Positive(t, p.Line, "the problem carries its line")
		})
	}
}

// cut removes the line of doc that contains marker.
func cut(doc, marker string) string {
	lines := strings.Split(doc, "\n")
	for i, l := range lines {
		if strings.Contains(l, marker) {
			return strings.Join(append(lines[:i:i], lines[i+1:]...), "\n")
		}
	}
	panic("marker not found: " + marker)
}

// swapLines exchanges the lines of doc containing a and b.
func swapLines(doc, a, b string) string {
	lines := strings.Split(doc, "\n")
	ia, ib := -1, -1
	for i, l := range lines {
		if strings.Contains(l, a) {
			ia = i
		}
		if strings.Contains(l, b) {
			ib = i
		}
	}
	if ia < 0 || ib < 0 {
		panic("markers not found")
	}
	lines[ia], lines[ib] = lines[ib], lines[ia]
	return strings.Join(lines, "\n")
}
