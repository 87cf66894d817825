package conformance_test

import (
	"encoding/xml"
	"fmt"
	"time"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/xsdtypes"
	"github.com/openmms/mm7go/xsdvalidate"
)

// Build an MT SubmitReq for the REL-6-MM7-1-4 schema (Vibes "6.8.0"),
// marshal it and validate it against our schema with libxml2.
func Example_submitReq() {
	req := rel6.SubmitReq{
		MM7Version: rel6.Version6_8_0,
		SenderIdentification: rel6.SenderID{
			SenderAddress: &rel6.Address{ShortCode: &rel6.ShortCode{Value: "12345"}},
		},
		Recipients:     rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550123"}}}}},
		TimeStamp:      new(xsdtypes.NewDateTime(time.Date(2024, 1, 15, 14, 3, 22, 0, time.UTC))),
		ExpiryDate:     new(xsdtypes.After(xsdtypes.Duration{Days: 2})),
		DeliveryReport: new(true),
		Subject:        new("Your January coupon"),
		Content:        &rel6.ContentReference{Href: "cid:mm-7f3a@vasp.example.com"},
	}
	out, err := xml.Marshal(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	schema, err := xsdvalidate.Rel6()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("valid:", schema.Validate(out) == nil)

	var back rel6.SubmitReq
	if err := xml.Unmarshal(out, &back); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("to:", back.Recipients.To[0].Number[0].Value)
	fmt.Println("expires:", back.ExpiryDate, "relative:", back.ExpiryDate.IsRelative())
	fmt.Println("version allowed:", back.MM7Version.Valid())
	// Output:
	// valid: true
	// to: 15555550123
	// expires: P2D relative: true
	// version allowed: true
}

// REL-5-MM7-1-2 (Vibes "5.5.0") only allows MM7Version 5.3.0: the
// generated enum says so before any peer does.
func Example_rel5Version() {
	for _, v := range []rel5.Version{rel5.Version5_3_0, "5.5.0"} {
		fmt.Printf("%s valid=%v\n", v, v.Valid())
	}
	fmt.Println(rel5.Version("").Values())
	// Output:
	// 5.3.0 valid=true
	// 5.5.0 valid=false
	// [5.3.0]
}
