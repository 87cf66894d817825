package xsdtypes

import (
	"encoding/xml"
	"reflect"
	"testing"
)

var dateTimeSeeds = []string{
	"2024-01-02T03:04:05Z",
	"2024-01-02T03:04:05-0500",
	"2024-01-02T03:04:05+05:30",
	"2024-01-02T03:04:05-05",
	"2024-01-02T03:04:05.123456789123Z",
	"  2024-01-02T03:04:05Z \n",
	"2024-01-02T03:04:05",
	"2024-12-31T24:00:00Z",
	"9999-12-31T24:00:00Z",
	"0001-01-01T00:00:00Z",
	"0001-01-01T00:00:00+14:00",
	"2024-02-30T00:00:00Z",
	"2024-01-02t03:04:05z",
	"",
}

var durationSeeds = []string{
	"P2D", "P90D", "PT1.5S", "-P1Y2M3DT4H5M6.5S", "-PT0S", "P0D", "PT",
	"P1DT", "PT0.1234567891S", "P9223372036854775807D", "P99999999999999999999Y",
	" P1M\t", "P1.5D", "-", "P",
}

func FuzzDateTime(f *testing.F) {
	for _, s := range dateTimeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDateTime(s)
		if err != nil {
			if !reflect.DeepEqual(d, DateTime{}) {
				t.Fatalf("ParseDateTime(%q) returned %v with error %v", s, d, err)
			}
			return
		}
		_ = d.String()
		if d.IsZero() {
			return // accepted, but the zero instant means "unset"
		}
		text, err := d.MarshalText()
		if err != nil {
			t.Fatalf("ParseDateTime(%q) = %v, but MarshalText fails: %v", s, d, err)
		}
		back, err := ParseDateTime(string(text))
		if err != nil {
			t.Fatalf("ParseDateTime(%q) → %q does not parse: %v", s, text, err)
		}
		if !reflect.DeepEqual(back, d) || !back.Time.Equal(d.Time) {
			t.Fatalf("ParseDateTime(%q) = %#v, re-parsed from %q = %#v", s, d, text, back)
		}
		text2, err := back.MarshalText()
		if err != nil || string(text2) != string(text) {
			t.Fatalf("re-marshal of %q gave %q, %v", text, text2, err)
		}
		if d.String() != string(text) {
			t.Fatalf("String() = %q, MarshalText = %q", d.String(), text)
		}
	})
}

func FuzzDuration(f *testing.F) {
	for _, s := range durationSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			if d != (Duration{}) {
				t.Fatalf("ParseDuration(%q) returned %v with error %v", s, d, err)
			}
			return
		}
		text, err := d.MarshalText()
		if err != nil {
			t.Fatalf("ParseDuration(%q) = %#v, but MarshalText fails: %v", s, d, err)
		}
		back, err := ParseDuration(string(text))
		if err != nil {
			t.Fatalf("ParseDuration(%q) → %q does not parse: %v", s, text, err)
		}
		if back != d {
			t.Fatalf("ParseDuration(%q) = %#v, re-parsed from %q = %#v", s, d, text, back)
		}
		if d.String() != string(text) {
			t.Fatalf("String() = %q, MarshalText = %q", d.String(), text)
		}
		// Must not panic.
		_, _ = d.Std()
		_ = d.AddTo(dateTimeFuzzBase)
	})
}

func FuzzDateTimeOrDuration(f *testing.F) {
	for _, s := range append(append([]string{}, dateTimeSeeds...), durationSeeds...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseDateTimeOrDuration(s)
		if err != nil {
			if !v.IsZero() {
				t.Fatalf("ParseDateTimeOrDuration(%q) returned %v with error %v", s, v, err)
			}
			return
		}
		_ = v.Resolve(dateTimeFuzzBase)
		if dt, ok := v.DateTime(); ok && dt.IsZero() {
			return
		}
		text, err := v.MarshalText()
		if err != nil {
			t.Fatalf("ParseDateTimeOrDuration(%q) = %v, but MarshalText fails: %v", s, v, err)
		}
		back, err := ParseDateTimeOrDuration(string(text))
		if err != nil {
			t.Fatalf("ParseDateTimeOrDuration(%q) → %q does not parse: %v", s, text, err)
		}
		if back.String() != v.String() || back.IsRelative() != v.IsRelative() {
			t.Fatalf("ParseDateTimeOrDuration(%q) = %v, re-parsed from %q = %v", s, v, text, back)
		}
	})
}

func FuzzAnyElement(f *testing.F) {
	for _, s := range []string{
		`<Root xmlns="urn:t"/>`,
		`<Root xmlns="urn:t" xmlns:p="urn:p" p:x="1" y="2"><p:a p:b="c">t<b/></p:a></Root>`,
		`<t:Root xmlns:t="urn:t"><a xmlns=""><b xmlns="urn:b"/></a></t:Root>`,
		`<Root xmlns="urn:t"><p>Hello <b>bold</b> world<!-- c --><![CDATA[<x>]]></p></Root>`,
		`<Root xmlns="urn:t"><a xml:lang="en" xmlns:f="http://example.com/f/" f:x="&amp;&#9;"/></Root>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		var first anyRoot
		if err := xml.Unmarshal([]byte(doc), &first); err != nil {
			return
		}
		out, err := xml.Marshal(first)
		if err != nil {
			t.Fatalf("unmarshalled %q to %#v, but Marshal fails: %v", doc, first, err)
		}
		var second anyRoot
		if err := xml.Unmarshal(out, &second); err != nil {
			t.Fatalf("%q → %q does not unmarshal: %v", doc, out, err)
		}
		if !reflect.DeepEqual(first, second) {
			t.Fatalf("%q → %q\nfirst:  %#v\nsecond: %#v", doc, out, first, second)
		}
	})
}

var dateTimeFuzzBase = mustParseDateTime("2024-01-31T10:00:00Z").Time

func mustParseDateTime(s string) DateTime {
	d, err := ParseDateTime(s)
	if err != nil {
		panic(err)
	}
	return d
}
