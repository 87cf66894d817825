package xsdtypes

import (
	"encoding/xml"
	"fmt"
	"testing"
	"time"
)

func TestScratch(t *testing.T) {
	try := func(name string, v any) {
		defer func() {
			if r := recover(); r != nil {
				fmt.Println(name, "PANIC:", r)
			}
		}()
		b, err := xml.Marshal(v)
		fmt.Println(name, string(b), err)
	}
	type A struct {
		T *time.Time `xml:"t,attr"`
	}
	try("time nil attr", A{})
	type B struct {
		T *DateTime `xml:"t,attr"`
	}
	try("dt nil attr", B{})
	type C struct {
		T *DateTime `xml:",chardata"`
	}
	try("dt nil chardata", C{})
	type D struct {
		T DateTime `xml:"t,attr"`
	}
	try("dt value attr nonaddr", D{NewDateTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))})
	try("dt value attr addr", &D{NewDateTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))})
	type E struct {
		Attrs []xml.Attr `xml:",any,attr"`
		Items []AnyElement `xml:",any"`
	}
	var e E
	err := xml.Unmarshal([]byte(`<r xmlns="urn:a" xmlns:p="urn:p" p:x="1" y="2"><p:c p:z="3">hi<d/></p:c><e xmlns="">t</e></r>`), &e)
	fmt.Printf("%+v %v\n", e, err)
	try("E", e)
	type F struct {
		Attrs AnyAttrs `xml:",any,attr"`
	}
	var f F
	err = xml.Unmarshal([]byte(`<r xmlns="urn:a" xmlns:p="urn:p" p:x="1" y="2"/>`), &f)
	fmt.Printf("%+v %v\n", f, err)
	try("F", f)
}
