package main

import (
	"bytes"
	"fmt"
	"go/format"
	"strings"
	"text/template"
)

// addressFile is emitAddress's output, or nil.
func addressFile(f *goFile) []byte {
	b, _ := emitAddress(f)
	return b
}

// addressPkg is the import path of the one address classification rule
// (mm7.AddressKind), which the address helpers share with the CLI.
const addressPkg = "github.com/openmms/mm7go/internal/address"

// emitAddress renders address.go: short constructors for the common case
// of the MM7 address types (AddressOf, Addresses, To, Cc, Bcc, From), so
// that "to one number" is rel6.To("15555550123") rather than a nested
// literal. It returns nil when the schema lacks MM7's addressType,
// multiAddressType, recipientsType or senderIDType.
func emitAddress(f *goFile) ([]byte, error) {
	byXSD := map[string]*goStruct{}
	for _, s := range f.Structs {
		if s.Kind == "complexType" {
			byXSD[s.XSDName] = s
		}
	}
	addr, multi, rcpt, sender := byXSD["addressType"], byXSD["multiAddressType"], byXSD["recipientsType"], byXSD["senderIDType"]
	if addr == nil || multi == nil || rcpt == nil || sender == nil {
		return nil, nil
	}
	for _, need := range []struct {
		s      *goStruct
		fields []string
	}{
		{addr, []string{"RFC2822Address", "Number", "ShortCode"}},
		{multi, []string{"RFC2822Address", "Number", "ShortCode"}},
		{rcpt, []string{"To", "Cc", "Bcc"}},
	} {
		for _, n := range need.fields {
			if fieldNamed(need.s, n) == nil {
				return nil, nil
			}
		}
	}
	from := ""
	if sa := fieldNamed(sender, "SenderAddress"); sa != nil && sa.Type == "*"+addr.Name {
		from = "yes" // in REL-5-MM7-1-0 and -1-1 SenderAddress is a plain string
	}
	data := map[string]string{
		"From": from,
		"Pkg":  f.Package, "Header": header(f.Source), "Import": addressPkg,
		"Address": addr.Name, "Multi": multi.Name, "Recipients": rcpt.Name, "Sender": sender.Name,
		"RFC": stripPtr(fieldNamed(addr, "RFC2822Address").Type), "Number": stripPtr(fieldNamed(addr, "Number").Type),
		"Short": stripPtr(fieldNamed(addr, "ShortCode").Type),
	}
	var w bytes.Buffer
	if err := addressTemplate.Execute(&w, data); err != nil {
		return nil, err
	}
	out, err := format.Source(w.Bytes())
	if err != nil {
		return nil, fmt.Errorf("generated address code does not parse: %w\n%s", err, numbered(w.Bytes()))
	}
	return out, nil
}

func stripPtr(t string) string {
	for len(t) > 0 && (t[0] == '*' || t[0] == '[' || t[0] == ']') {
		t = t[1:]
	}
	return t
}

var addressTemplate = template.Must(template.New("address").Parse(`{{.Header}}package {{.Pkg}}

import (
	"strings"

	"{{.Import}}"
)

// AddressOf returns s as an {{.Address}}: an RFC2822Address when s contains
// "@", a ShortCode when it is 3 to 6 digits, a Number otherwise, with or
// without "+" (the rule of mm7.AddressKind, which the mm7 command uses
// too). White space around s is dropped; s is not otherwise normalized.
func AddressOf(s string) {{.Address}} {
	s = strings.TrimSpace(s)
	switch address.Kind(s) {
	case address.RFC2822:
		return {{.Address}}{RFC2822Address: &{{.RFC}}{Value: s}}
	case address.ShortCode:
		return {{.Address}}{ShortCode: &{{.Short}}{Value: s}}
	}
	return {{.Address}}{Number: &{{.Number}}{Value: s}}
}

// String returns the value of the address, whichever element holds it,
// or "" when none does.
func (a {{.Address}}) String() string {
	switch {
	case a.Number != nil:
		return a.Number.Value
	case a.ShortCode != nil:
		return a.ShortCode.Value
	case a.RFC2822Address != nil:
		return a.RFC2822Address.Value
	}
	return ""
}

// Addresses returns one address list holding addrs, each classified as by
// AddressOf. The list keeps numbers, short codes and e-mail addresses in
// separate fields, each in the order given (the schema allows any mix, in
// any order).
func Addresses(addrs ...string) {{.Multi}} {
	var m {{.Multi}}
	for _, s := range addrs {
		a := AddressOf(s)
		switch {
		case a.RFC2822Address != nil:
			m.RFC2822Address = append(m.RFC2822Address, *a.RFC2822Address)
		case a.ShortCode != nil:
			m.ShortCode = append(m.ShortCode, *a.ShortCode)
		default:
			m.Number = append(m.Number, *a.Number)
		}
	}
	return m
}

// To returns {{.Recipients}} whose To list holds addrs (see Addresses),
// e.g. To("15555550123") or To("15555550123", "user@example.com"). Combine
// lists with And: To("15555550123").And(Cc("15555550124")).
func To(addrs ...string) {{.Recipients}} {
	return {{.Recipients}}{To: []{{.Multi}}{Addresses(addrs...)}}
}

// Cc returns {{.Recipients}} whose Cc list holds addrs (see To).
func Cc(addrs ...string) {{.Recipients}} {
	return {{.Recipients}}{Cc: []{{.Multi}}{Addresses(addrs...)}}
}

// Bcc returns {{.Recipients}} whose Bcc list holds addrs (see To).
func Bcc(addrs ...string) {{.Recipients}} {
	return {{.Recipients}}{Bcc: []{{.Multi}}{Addresses(addrs...)}}
}

// And returns r with the To, Cc and Bcc lists of o appended; r itself is
// not modified.
func (r {{.Recipients}}) And(o {{.Recipients}}) {{.Recipients}} {
	return {{.Recipients}}{
		To:  append(append([]{{.Multi}}(nil), r.To...), o.To...),
		Cc:  append(append([]{{.Multi}}(nil), r.Cc...), o.Cc...),
		Bcc: append(append([]{{.Multi}}(nil), r.Bcc...), o.Bcc...),
	}
}

{{if .From}}// From returns a {{.Sender}} whose SenderAddress is addr, classified as by
// AddressOf, e.g. From("12345") for a short code. VASPID and VASID stay
// unset: a Client fills them from its options (Vibes needs neither).
func From(addr string) {{.Sender}} {
	a := AddressOf(addr)
	return {{.Sender}}{SenderAddress: &a}
}
{{end}}`))

// emitExamples renders example_test.go: runnable examples of the address
// helpers and of Validate, shown in the package documentation. It returns
// nil when the schema lacks what they use.
func emitExamples(f *goFile) ([]byte, error) {
	v := versionEnum(f)
	var submit *goStruct
	for _, s := range f.Elements {
		if s.XSDName == "SubmitReq" {
			submit = s
		}
	}
	if v == nil || len(v.Values) == 0 || submit == nil || fieldNamed(submit, "Recipients") == nil || fieldNamed(submit, "MM7Version") == nil ||
		!strings.Contains(string(addressFile(f)), "func From(") {
		return nil, nil
	}
	var w bytes.Buffer
	err := exampleTemplate.Execute(&w, map[string]string{
		"Header": header(f.Source), "Pkg": f.Package, "Import": "github.com/openmms/mm7go/generated/" + f.Package,
		"XSD": xsdtypesPkg, "Version": v.Values[0].Const,
	})
	if err != nil {
		return nil, err
	}
	out, err := format.Source(w.Bytes())
	if err != nil {
		return nil, fmt.Errorf("generated examples do not parse: %w\n%s", err, numbered(w.Bytes()))
	}
	return out, nil
}

var exampleTemplate = template.Must(template.New("examples").Parse(`{{.Header}}package {{.Pkg}}_test

import (
	"errors"
	"fmt"

	"{{.Import}}"
	"{{.XSD}}"
)

// Addresses from strings: a number, an e-mail address and a short code,
// each in the element mm7.AddressKind chooses.
func ExampleTo() {
	r := {{.Pkg}}.To("15555550123", "user@example.com").And({{.Pkg}}.Cc("12345"))
	fmt.Println(r.To[0].Number[0].Value, r.To[0].RFC2822Address[0].Value, r.Cc[0].ShortCode[0].Value)
	fmt.Println({{.Pkg}}.From("12345").SenderAddress)
	// Output:
	// 15555550123 user@example.com 12345
	// 12345
}

// Validate lists every problem with its path; nothing is needed but the
// message.
func ExampleSubmitReq_Validate() {
	req := &{{.Pkg}}.SubmitReq{MM7Version: {{.Pkg}}.{{.Version}}, SenderIdentification: {{.Pkg}}.From("12345")}
	var ve *xsdtypes.ValidationError
	if err := req.Validate(); errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p)
		}
	}
	req.Recipients = {{.Pkg}}.To("15555550123")
	fmt.Println(req.Validate())
	// Output:
	// /SubmitReq/Recipients: needs at least one of To, Cc, Bcc
	// <nil>
}
`))
