package conformance_test

import (
	"encoding/xml"
	"testing"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/xsdvalidate"
)

// BenchmarkValidate compares the generated Validate on a SubmitReq with
// libxml2 (xsdvalidate) on the same message already marshalled, in the
// same run: impl=generated against impl=libxml2. The "full" message has
// every field set (42 addresses); "typical" is a one-recipient send.
func BenchmarkValidate(b *testing.B) {
	schema, err := xsdvalidate.Rel6()
	if err != nil {
		b.Fatal(err)
	}
	full := rel6.New("SubmitReq").(*rel6.SubmitReq)
	(&filler{full: true}).fill(full)
	for _, m := range []struct {
		name string
		msg  *rel6.SubmitReq
	}{{"typical", validSubmitReq()}, {"full", full}} {
		doc, err := xml.Marshal(m.msg)
		if err != nil {
			b.Fatal(err)
		}
		if err := m.msg.Validate(); err != nil {
			b.Fatal(err)
		}
		if err := schema.Validate(doc); err != nil {
			b.Fatal(err)
		}
		b.Run("msg="+m.name+"/impl=generated", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := m.msg.Validate(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("msg="+m.name+"/impl=libxml2", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := schema.Validate(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
