package xsdvalidate_test

import (
	"errors"
	"fmt"

	"github.com/openmms/mm7go/xsdvalidate"
)

func ExampleSchema_Validate() {
	schema, err := xsdvalidate.ForNamespace("http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4")
	if err != nil {
		panic(err)
	}
	doc := []byte(`<?xml version="1.0" encoding="UTF-8"?>
<SubmitReq xmlns="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4">
  <MM7Version>6.8.0</MM7Version>
  <SenderIdentification><VASPID>vasp-0042</VASPID></SenderIdentification>
  <Recipients>
    <To><Number>+4917012345678</Number></To>
    <To><Number>+4917087654321</Number><Number addressCoding="scrambled">+4917000000000</Number></To>
  </Recipients>
  <Priority>Urgent</Priority>
</SubmitReq>`)

	err = schema.Validate(doc)
	var ve *xsdvalidate.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Schema, len(ve.Problems), "problems")
		for _, p := range ve.Problems {
			fmt.Printf("line %d: %s\n", p.Line, p.Path)
		}
	}
	// Output:
	// REL-6-MM7-1-4 2 problems
	// line 7: /SubmitReq/Recipients/To[2]/Number[2]
	// line 9: /SubmitReq/Priority
}
