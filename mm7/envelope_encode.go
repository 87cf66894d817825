package mm7

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// encodeEnvelope writes the SOAP 1.1 envelope of m: the TransactionID
// header block (mustUnderstand="1") in the message's namespace and the
// body element. It never writes anything a strict peer would reject: the
// body must be a generated struct of m.Version's package.
//
// With validate set, a body that breaks its schema is refused with an
// *InvalidMessageError (checked after MM7Version is filled in).
func encodeEnvelope(buf *bytes.Buffer, m *Message, validate bool) error {
	if m == nil || m.Body == nil {
		return errors.New("mm7: encode: message has no body")
	}
	if !m.Version.valid() {
		return fmt.Errorf("mm7: encode: %v is not a version mm7 encodes (use mm7.Rel5 or mm7.Rel6)", m.Version)
	}
	txID := strings.TrimSpace(m.TransactionID)
	_, isFault := m.Body.(*Fault)
	if txID == "" && !isFault {
		return errors.New("mm7: encode: empty TransactionID (MMSCs such as Vibes reject it with 2502)")
	}
	var body []byte
	var err error
	switch b := m.Body.(type) {
	case *Fault:
		body, err = encodeFault(b, m.Version, validate)
	default:
		body, err = encodeBody(b, m.Version, validate)
	}
	if err != nil {
		return err
	}
	buf.WriteString(xml.Header)
	buf.WriteString(`<env:Envelope xmlns:env="` + soapNS + `">`)
	if txID != "" { // only a Fault answering an unreadable request has none
		buf.WriteString(`<env:Header><mm7:TransactionID xmlns:mm7="`)
		escapeAttr(buf, m.Version.Namespace)
		buf.WriteString(`" env:mustUnderstand="1">`)
		xml.EscapeText(buf, []byte(txID)) //nolint:errcheck // bytes.Buffer writes do not fail
		buf.WriteString(`</mm7:TransactionID></env:Header>`)
	}
	buf.WriteString(`<env:Body>`)
	buf.Write(body)
	buf.WriteString("</env:Body></env:Envelope>")
	return nil
}

// encodeBody marshals a generated message of version v, filling in an
// empty MM7Version from v. A version in another published namespace of
// the same release (a reply in kind to a REL-6-MM7-1-3 request) is
// written with the generated types and that namespace.
func encodeBody(body Body, v Version, validate bool) ([]byte, error) {
	name := xmlNameOf(body)
	if name.Local == "" || isNilBody(body) {
		return nil, fmt.Errorf("mm7: encode: body %T is not a pointer to a generated MM7 message", body)
	}
	if name.Space != v.packageNamespace() {
		return nil, fmt.Errorf("mm7: encode: body %T is in namespace %s, not %s's; convert it or pick the matching version", body, name.Space, v.Schema)
	}
	if b, ok := body.(versionedBody); ok {
		mv := b.GetMM7Version()
		if mv == "" {
			mv = v.MM7Version
			body = withMM7Version(body, mv) // a copy: the caller's value is not modified
		}
		if allowed := mm7Versions[v.Schema]; !slices.Contains(allowed, mv) {
			return nil, fmt.Errorf("mm7: encode %s: MM7Version %q is not allowed by %s (allowed: %s)", name.Local, mv, v.Schema, strings.Join(allowed, ", "))
		}
	}
	if validate {
		if err := validateBody(body, v); err != nil {
			return nil, err
		}
	}
	raw, err := xml.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("mm7: encode %s: %w", name.Local, err)
	}
	var out bytes.Buffer
	w := newXMLWriter(&out, "", map[string]string{soapNS: "env"})
	if v.Namespace != name.Space {
		w.rename = map[string]string{name.Space: v.Namespace}
	}
	if err := w.copyFrom(raw); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// encodeFault writes a SOAP 1.1 Fault whose detail carries an MM7 error
// response (RSErrorRsp from an MMSC, VASPErrorRsp from a VASP).
func encodeFault(f *Fault, v Version, validate bool) ([]byte, error) {
	code := f.Code
	if code == "" {
		code = "Server"
	}
	if i := strings.LastIndexByte(code, ':'); i >= 0 {
		code = code[i+1:]
	}
	var out bytes.Buffer
	out.WriteString("<env:Fault><faultcode>env:")
	xml.EscapeText(&out, []byte(code)) //nolint:errcheck
	out.WriteString("</faultcode><faultstring>")
	xml.EscapeText(&out, []byte(f.String)) //nolint:errcheck
	out.WriteString("</faultstring>")
	if f.Actor != "" {
		out.WriteString("<faultactor>")
		xml.EscapeText(&out, []byte(f.Actor)) //nolint:errcheck
		out.WriteString("</faultactor>")
	}
	if f.Detail != nil {
		db, ok := f.Detail.(Body)
		if !ok {
			return nil, fmt.Errorf("mm7: encode: Fault detail %T is not a generated MM7 message", f.Detail)
		}
		d, err := encodeBody(db, v, validate)
		if err != nil {
			return nil, err
		}
		out.WriteString("<detail>")
		out.Write(d)
		out.WriteString("</detail>")
	}
	out.WriteString("</env:Fault>")
	return out.Bytes(), nil
}
