package conformance_test

import (
	"encoding/xml"
	"errors"
	"testing"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/xsdtypes"
	"github.com/openmms/mm7go/xsdvalidate"
)

// FuzzValidateAgreesWithLibxml2 decodes arbitrary XML into a message of
// either version, marshals it again and checks that the generated
// Validate and libxml2 agree on the result: whatever encoding/xml lets a
// user build, Validate must refuse exactly what libxml2 refuses.
func FuzzValidateAgreesWithLibxml2(f *testing.F) {
	for _, d := range documents(f) {
		f.Add(d.binding.name == "rel6", d.element, d.xml)
	}
	s5, err := xsdvalidate.Rel5()
	if err != nil {
		f.Fatal(err)
	}
	s6, err := xsdvalidate.Rel6()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, six bool, element string, data []byte) {
		var msg interface{ Validate() error }
		schema := s5
		if six {
			m := rel6.New(element)
			if m == nil {
				return
			}
			msg, schema = m, s6
		} else {
			m := rel5.New(element)
			if m == nil {
				return
			}
			msg = m
		}
		if xml.Unmarshal(data, msg) != nil {
			return
		}
		got := msg.Validate()
		doc, err := xml.Marshal(msg)
		if err != nil {
			if got == nil {
				t.Fatalf("encoding/xml cannot marshal it (%v) but Validate accepts it", err)
			}
			return
		}
		if droppedZeroItem(msg) {
			return // encoding/xml drops the invalid item; Validate refuses it (see validate_test.go)
		}
		lerr := schema.Validate(doc)
		var pe *xsdvalidate.ParseError
		if errors.As(lerr, &pe) {
			return // not a schema question (e.g. characters XML 1.0 cannot hold)
		}
		var ve *xsdtypes.ValidationError
		switch {
		case lerr == nil && got != nil:
			t.Fatalf("libxml2 accepts, Validate says %v\n%s", got, doc)
		case lerr != nil && !errors.As(got, &ve):
			t.Fatalf("libxml2 rejects (%v), Validate says %v\n%s", lerr, got, doc)
		}
	})
}
