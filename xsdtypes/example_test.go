package xsdtypes_test

import (
	"encoding/xml"
	"fmt"
	"time"

	"github.com/openmms/mm7go/xsdtypes"
)

func ExampleDateTime() {
	var v struct {
		XMLName   xml.Name          `xml:"Req"`
		TimeStamp xsdtypes.DateTime `xml:"TimeStamp"`
	}
	// Some MMSCs send offsets without a colon.
	err := xml.Unmarshal([]byte(`<Req><TimeStamp>2024-01-02T03:04:05-0500</TimeStamp></Req>`), &v)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.TimeStamp.Time.UTC())
	out, _ := xml.Marshal(v)
	fmt.Println(string(out))
	// Output:
	// 2024-01-02 08:04:05 +0000 UTC
	// <Req><TimeStamp>2024-01-02T03:04:05-05:00</TimeStamp></Req>
}

func ExampleDateTime_noZone() {
	d, err := xsdtypes.ParseDateTime("2024-01-02T03:04:05")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.NoZone, d)
	// Output: true 2024-01-02T03:04:05
}

func ExampleParseDateTime_error() {
	_, err := xsdtypes.ParseDateTime("2024-02-30T00:00:00Z")
	fmt.Println(err)
	// Output: xsdtypes: invalid xs:dateTime "2024-02-30T00:00:00Z": day 30 out of range for February 2024
}

func ExampleParseDuration() {
	d, err := xsdtypes.ParseDuration("-P1Y2M3DT4H5M6.5S")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Negative, d.Years, d.Months, d.Days, d.Hours, d.Minutes, d.Seconds, d.Nanoseconds)
	fmt.Println(d)

	_, err = xsdtypes.ParseDuration("P1DT")
	fmt.Println(err)
	// Output:
	// true 1 2 3 4 5 6 500000000
	// -P1Y2M3DT4H5M6.5S
	// xsdtypes: invalid xs:duration "P1DT": T must be followed by at least one of H, M or S (expected -?PnYnMnDTnHnMnS, e.g. P2D or PT1.5S)
}

func ExampleDuration_AddTo() {
	d, _ := xsdtypes.ParseDuration("P1M")
	t := time.Date(2024, 1, 31, 12, 0, 0, 0, time.UTC)
	fmt.Println(d.AddTo(t))
	// Output: 2024-02-29 12:00:00 +0000 UTC
}

func ExampleDurationOf() {
	fmt.Println(xsdtypes.DurationOf(36*time.Hour + 90*time.Second))
	// Output: P1DT12H1M30S
}

func ExampleDateTimeOrDuration() {
	var req struct {
		ExpiryDate           *xsdtypes.DateTimeOrDuration `xml:"ExpiryDate,omitempty"`
		EarliestDeliveryTime *xsdtypes.DateTimeOrDuration `xml:"EarliestDeliveryTime,omitempty"`
	}
	doc := `<SubmitReq>
  <ExpiryDate>P2D</ExpiryDate>
  <EarliestDeliveryTime>2024-01-02T03:04:05Z</EarliestDeliveryTime>
</SubmitReq>`
	if err := xml.Unmarshal([]byte(doc), &req); err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	fmt.Println(req.ExpiryDate.IsRelative(), req.ExpiryDate.Resolve(now))
	fmt.Println(req.EarliestDeliveryTime.IsRelative(), req.EarliestDeliveryTime.Resolve(now))
	// Output:
	// true 2024-01-03 00:00:00 +0000 UTC
	// false 2024-01-02 03:04:05 +0000 UTC
}

func ExampleAfterDuration() {
	v := struct {
		XMLName    xml.Name                     `xml:"SubmitReq"`
		ExpiryDate *xsdtypes.DateTimeOrDuration `xml:"ExpiryDate,omitempty"`
		Earliest   *xsdtypes.DateTimeOrDuration `xml:"EarliestDeliveryTime,omitempty"`
	}{}
	expiry := xsdtypes.AfterDuration(48 * time.Hour)
	v.ExpiryDate = &expiry
	out, _ := xml.Marshal(v)
	fmt.Println(string(out))
	// Output: <SubmitReq><ExpiryDate>P2D</ExpiryDate></SubmitReq>
}

func ExampleAt() {
	v := xsdtypes.At(time.Date(2024, 6, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600)))
	fmt.Println(v.IsRelative(), v)

	var unset xsdtypes.DateTimeOrDuration
	_, err := unset.MarshalText()
	fmt.Println(err != nil)
	// Output:
	// false 2024-06-01T12:00:00+02:00
	// true
}

func ExampleAnyElement() {
	var status struct {
		Code    int                   `xml:"StatusCode"`
		Details []xsdtypes.AnyElement `xml:",any"`
	}
	doc := `<Status xmlns:v="urn:vendor">
  <StatusCode>1000</StatusCode>
  <v:Reason v:lang="en">Delivered</v:Reason>
</Status>`
	if err := xml.Unmarshal([]byte(doc), &status); err != nil {
		fmt.Println(err)
		return
	}
	d := status.Details[0]
	fmt.Println(d.XMLName.Space, d.XMLName.Local, d.Attrs[0].Name.Space, d.Attrs[0].Value, d.Text)

	out, _ := xml.Marshal(d)
	fmt.Println(string(out))
	// Output:
	// urn:vendor Reason urn:vendor en Delivered
	// <Reason xmlns="urn:vendor" xmlns:_="urn:vendor" _:lang="en">Delivered</Reason>
}

func ExampleAnyAttrs() {
	var v struct {
		XMLName xml.Name          `xml:"Envelope"`
		Attrs   xsdtypes.AnyAttrs `xml:",any,attr"`
	}
	doc := `<Envelope xmlns:x="http://example.com/ext" x:trace="abc" version="1"/>`
	if err := xml.Unmarshal([]byte(doc), &v); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(v.Attrs)) // the xmlns:x declaration is not kept
	trace, _ := v.Attrs.Get("http://example.com/ext", "trace")
	fmt.Println(trace)
	out, _ := xml.Marshal(v)
	fmt.Println(string(out))
	// Output:
	// 2
	// abc
	// <Envelope xmlns:ext="http://example.com/ext" ext:trace="abc" version="1"></Envelope>
}
