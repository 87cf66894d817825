package mm7

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
)

// decodeEnvelope parses a SOAP envelope holding one MM7 message or a
// Fault. It matches SOAP and MM7 elements by local name, detects the
// version from the body's namespace (or MM7Version when the namespace is
// missing or unknown), and decodes the body into the generated struct of
// that version through a normalizer that records every deviation.
func decodeEnvelope(data []byte, charset string, devs *deviations) (*Message, error) {
	msg := &Message{}
	out, err := decodeEnvelopeInto(msg, data, charset, devs)
	return out, asDecodeError(err, msg)
}

func decodeEnvelopeInto(msg *Message, data []byte, charset string, devs *deviations) (*Message, error) {
	data, err := toUTF8(data, charset, devs)
	if err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = passCharset

	root, err := nextStart(d)
	if err != nil {
		return nil, fmt.Errorf("mm7: decode: no SOAP Envelope: %w", err)
	}
	if root.Name.Local != "Envelope" {
		return nil, fmt.Errorf("mm7: decode: root element is %s, not a SOAP Envelope", root.Name.Local)
	}
	if root.Name.Space != soapNS {
		if err := devs.add(DevEnvelopeNamespace, "Envelope in namespace %q, not SOAP 1.1's", root.Name.Space); err != nil {
			return nil, err
		}
	}
	sawTxID, sawBody := false, false
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("mm7: decode: envelope: %w", unexpectedEOF(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "Header":
				found, err := decodeHeader(d, data, msg, devs)
				if err != nil {
					return nil, err
				}
				sawTxID = sawTxID || found
			case "Body":
				if sawBody {
					return nil, errors.New("mm7: decode: envelope has two SOAP Bodies")
				}
				sawBody = true
				if err := decodeBody(d, data, msg, devs); err != nil {
					return nil, err
				}
			default:
				// Neither Header nor Body: SOAP 1.1 allows further
				// elements after the Body; kept as unknown content.
				if err := skipKeep(d, data, off, "/Envelope/"+t.Name.Local, devs); err != nil {
					return nil, fmt.Errorf("mm7: decode: envelope: %w", err)
				}
			}
		case xml.EndElement: // end of Envelope
			if !sawBody {
				return nil, errors.New("mm7: decode: envelope has no SOAP Body")
			}
			if err := trailing(d); err != nil {
				return nil, err
			}
			if !sawTxID {
				if err := devs.add(DevTransactionIDMissing, "no TransactionID header"); err != nil {
					return nil, err
				}
			}
			msg.Deviations = devs.list
			msg.Unknown = devs.unknown
			return msg, nil
		case xml.Directive:
			return nil, errors.New("mm7: decode: DTDs are not allowed in MM7 envelopes")
		}
	}
}

// trailing checks nothing but white space, comments and processing
// instructions follow the Envelope: a second envelope is an error.
func trailing(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("mm7: decode: after the Envelope: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return fmt.Errorf("mm7: decode: element %s after the SOAP Envelope (two envelopes?)", t.Name.Local)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return errors.New("mm7: decode: text after the SOAP Envelope")
			}
		}
	}
}

func nextStart(d *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.Directive:
			return xml.StartElement{}, errors.New("DTDs are not allowed in MM7 envelopes")
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return xml.StartElement{}, errors.New("text before the first element")
			}
		}
	}
}

// maxXMLDepth bounds the nesting of the elements decodeEnvelope skips
// (unknown header blocks, Fault details): encoding/xml's Skip has no
// limit and keeps a stack entry per level, some 40 bytes per input byte.
const maxXMLDepth = 100

// skip consumes the rest of the element whose start tag was just read,
// like xml.Decoder.Skip but failing past maxXMLDepth levels.
func skip(d *xml.Decoder) error {
	for depth := 1; depth > 0; {
		tok, err := d.Token()
		if err != nil {
			return unexpectedEOF(err)
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxXMLDepth {
				return fmt.Errorf("elements nested deeper than %d levels", maxXMLDepth)
			}
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// skipKeep skips the element whose start tag began at offset off of
// data, and keeps it as unknown content.
func skipKeep(d *xml.Decoder, data []byte, off int64, path string, devs *deviations) error {
	if err := skip(d); err != nil {
		return err
	}
	devs.keep(path, data[off:d.InputOffset()])
	return nil
}

// text returns the character data of the element whose start tag was
// just read, up to its end tag, child elements skipped, as
// xml.Decoder.DecodeElement into a string does.
func text(d *xml.Decoder) (string, error) {
	var b []byte
	for {
		tok, err := d.Token()
		if err != nil {
			return "", unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			b = append(b, t...)
		case xml.StartElement:
			if err := skip(d); err != nil {
				return "", err
			}
		case xml.EndElement:
			return string(b), nil
		}
	}
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// decodeHeader reads the SOAP Header, taking TransactionID from the
// block of that local name in any namespace. Other header blocks are kept
// as unknown content.
func decodeHeader(d *xml.Decoder, data []byte, msg *Message, devs *deviations) (found bool, err error) {
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			return found, fmt.Errorf("mm7: decode: header: %w", unexpectedEOF(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "TransactionID" {
				if err := skipKeep(d, data, off, "/Envelope/Header/"+t.Name.Local, devs); err != nil {
					return found, fmt.Errorf("mm7: decode: header: %w", err)
				}
				continue
			}
			value, err := text(d)
			if err != nil {
				return found, fmt.Errorf("mm7: decode: TransactionID: %w", err)
			}
			for _, a := range t.Attr {
				if a.Name.Local == "mustUnderstand" && a.Value != "1" && a.Value != "0" {
					if err := devs.add(DevMustUnderstand, "TransactionID mustUnderstand=%q (SOAP 1.1 wants 1 or 0)", clip(a.Value)); err != nil {
						return found, err
					}
				}
			}
			v := strings.TrimSpace(value)
			if v != value {
				if err := devs.add(DevTransactionIDSpace, "TransactionID %q padded with white space; trimmed", clip(v)); err != nil {
					return found, err
				}
			}
			msg.TransactionID, found = v, true
		case xml.EndElement:
			return found, nil
		}
	}
}

// decodeBody reads the single element of the SOAP Body.
func decodeBody(d *xml.Decoder, data []byte, msg *Message, devs *deviations) error {
	start, off, err := nextChild(d)
	if err != nil {
		return fmt.Errorf("mm7: decode: body: %w", err)
	}
	if start == nil {
		return errors.New("mm7: decode: SOAP Body is empty")
	}
	if start.Name.Local == "Fault" {
		f, v, err := decodeFault(d, data, *start, devs)
		if err != nil {
			return err
		}
		msg.Body, msg.Version = f, v
	} else {
		body, v, err := decodeMM7Element(d, data, *start, off, devs)
		if err != nil {
			return err
		}
		msg.Body, msg.Version = body, v
	}
	extra, err := nextStartOrEnd(d)
	if err != nil {
		return fmt.Errorf("mm7: decode: body: %w", err)
	}
	if extra != nil {
		return fmt.Errorf("mm7: decode: SOAP Body holds a second element (%s after %s)", extra.Name.Local, start.Name.Local)
	}
	return nil
}

// nextStartOrEnd returns the next child start element, or nil at the end
// of the current element.
func nextStartOrEnd(d *xml.Decoder) (*xml.StartElement, error) {
	start, _, err := nextChild(d)
	return start, err
}

// nextChild is nextStartOrEnd that also returns the offset of the start
// tag in the input.
func nextChild(d *xml.Decoder) (*xml.StartElement, int64, error) {
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			return nil, 0, unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return &t, off, nil
		case xml.EndElement:
			return nil, 0, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return nil, 0, fmt.Errorf("unexpected text %q", clip(strings.TrimSpace(string(t))))
			}
		}
	}
}

// detectVersion decides which version decodes an MM7 element: by its
// namespace, or by its MM7Version value when the namespace says nothing.
func detectVersion(data []byte, start xml.StartElement, devs *deviations) (Version, error) {
	ns := start.Name.Space
	if v, exact, ok := VersionForNamespace(ns); ok {
		canonical := nsBase + schemaOf(ns)
		if ns != canonical {
			// QUIRK: a published MM7 namespace with surrounding white space
			// or a trailing slash; namespace names compare as strings
			// (Namespaces in XML 1.0, section 2.3), so this is another
			// namespace, read as the published one. DevNamespaceUnknown
			if err := devs.add(DevNamespaceUnknown, "body namespace %q is %s with extra characters; read as %s", clip(ns), schemaOf(ns), schemaOf(ns)); err != nil {
				return Version{}, err
			}
		}
		if !exact {
			v.Schema = schemaOf(ns)
			v.Namespace = canonical
			if err := devs.add(DevNamespaceOther, "body in namespace %s, decoded as %s", v.Schema, map[int]string{5: Rel5.Schema, 6: Rel6.Schema}[v.Release]); err != nil {
				return Version{}, err
			}
		}
		return v, nil
	}
	mv := peekMM7Version(data, start)
	v, ok := versionForMM7Version(mv)
	if !ok {
		if ns == "" {
			return Version{}, fmt.Errorf("mm7: decode: %s has no namespace and no usable MM7Version (%q)", start.Name.Local, clip(mv))
		}
		return Version{}, fmt.Errorf("mm7: decode: %s is in unknown namespace %q and has no usable MM7Version (%q)", start.Name.Local, clip(ns), clip(mv))
	}
	code := DevNamespaceUnknown
	if ns == "" {
		code = DevNamespaceMissing
	}
	if err := devs.add(code, "%s in namespace %q; MM7Version %s decoded as %s", start.Name.Local, clip(ns), clip(mv), v.Schema); err != nil {
		return Version{}, err
	}
	return v, nil
}

// peekMM7Version finds the MM7Version child of the element start in a
// separate pass over the envelope.
func peekMM7Version(data []byte, start xml.StartElement) string {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = passCharset
	depth, abs := -1, 0
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if abs++; abs > maxXMLDepth {
				return ""
			}
			if depth >= 0 {
				depth++
				if depth == 1 && t.Name.Local == "MM7Version" {
					v, err := text(d)
					if err != nil {
						return ""
					}
					return strings.TrimSpace(v)
				}
			} else if t.Name == start.Name {
				depth = 0
			}
		case xml.EndElement:
			abs--
			if depth >= 0 {
				depth--
				if depth < 0 {
					return ""
				}
			}
		}
	}
}

// decodeMM7Element decodes the MM7 element whose start tag was just read,
// at offset off of data.
func decodeMM7Element(d *xml.Decoder, data []byte, start xml.StartElement, off int64, devs *deviations) (any, Version, error) {
	v, err := detectVersion(data, start, devs)
	if err != nil {
		if _, isDev := errors.AsType[*DeviationError](err); !isDev {
			err = &DecodeError{Status: StatusUnsupportedVersion, Kind: start.Name.Local, Err: err}
		}
		return nil, Version{}, err
	}
	body := newMessage(v, start.Name.Local)
	if body == nil || start.Name.Local == "TransactionID" {
		return nil, Version{}, &DecodeError{Status: StatusUnsupportedOperation, Kind: start.Name.Local, Version: v,
			Err: fmt.Errorf("mm7: decode: unknown MM7 message %s (not in %s)", start.Name.Local, v.Schema)}
	}
	target := Rel5.Namespace
	if v.Release == 6 {
		target = Rel6.Namespace
	}
	n := newNormalizer(d, data, off, target, start.Name, infoOf(typeOf(body)), devs)
	if err := xml.NewTokenDecoder(n).Decode(body); err != nil {
		if n.err != nil {
			return nil, Version{}, n.err // a strict-mode deviation, or a limit: already says what and where
		}
		status := StatusValidationError // a value that does not decode
		if _, syntax := errors.AsType[*xml.SyntaxError](err); syntax || errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
			status = StatusMessageFormatCorrupt
		}
		return nil, Version{}, &DecodeError{Status: status, Kind: start.Name.Local, Version: v,
			Err: fmt.Errorf("mm7: decode %s near %s: %w", start.Name.Local, n.path(), unexpectedEOF(err))}
	}
	if f, ok := mm7VersionField(body); ok {
		mv := f.String()
		v.MM7Version = mv
		allowed, known := mm7Versions[v.Schema]
		if known && !slices.Contains(allowed, mv) || !known && !enumValid(f) {
			// QUIRK: MM7Version outside the enumeration of the body's own
			// schema: 5.5.0 in REL-5-MM7-1-2 (the Vibes "5.5.0 bug"), 6.7.0
			// in REL-6-MM7-1-4 (TS examples), mm7-facts 3.4.
			// DevVersionMismatch
			if err := devs.add(DevVersionMismatch, "MM7Version %q is not allowed by %s", clip(mv), v.Schema); err != nil {
				return nil, Version{}, err
			}
		}
	}
	return body, v, nil
}

// mm7Versions lists the MM7Version values the versionType enumeration of
// each published schema allows (read from the schemas; mm7-facts 3.4).
// Bodies in another published namespace decode through the nearest
// generated version, whose own enumeration would be the wrong check.
// REL-5-MM7-1-5 was not found; it is taken to allow what REL-5-MM7-1-4
// does.
var mm7Versions = map[string][]string{
	"REL-5-MM7-1-0": {"5.3.0"},
	"REL-5-MM7-1-1": {"5.3.0"},
	"REL-5-MM7-1-2": {"5.3.0"},
	"REL-5-MM7-1-3": {"5.6.0", "5.5.0", "5.3.0"},
	"REL-5-MM7-1-4": {"5.8.0", "5.6.0", "5.5.0", "5.3.0"},
	"REL-5-MM7-1-5": {"5.8.0", "5.6.0", "5.5.0", "5.3.0"},
	"REL-6-MM7-1-0": {"6.3.0", "5.6.0", "5.5.0", "5.3.0"},
	"REL-6-MM7-1-1": {"6.4.0", "6.3.0", "5.8.0", "5.6.0", "5.5.0", "5.3.0"},
	"REL-6-MM7-1-2": {"6.5.0", "6.4.0", "6.3.0", "5.10.0", "5.8.0", "5.6.0", "5.5.0", "5.3.0"},
	"REL-6-MM7-1-3": {"6.6.0", "6.5.0", "6.4.0", "6.3.0", "5.10.0", "5.8.0", "5.6.0", "5.5.0", "5.3.0"},
	"REL-6-MM7-1-4": {"6.8.0", "6.6.0", "6.5.0", "6.4.0", "6.3.0", "5.10.0", "5.8.0", "5.6.0", "5.5.0", "5.3.0"},
}

// enumValid calls the generated Valid method of an enum value.
func enumValid(f reflect.Value) bool {
	m := f.MethodByName("Valid")
	if !m.IsValid() {
		return true
	}
	return m.Call(nil)[0].Bool()
}

// decodeFault reads a SOAP Fault. Its children are unqualified in SOAP 1.1;
// some MMSCs prefix them, which is recorded.
func decodeFault(d *xml.Decoder, data []byte, start xml.StartElement, devs *deviations) (*Fault, Version, error) {
	f := &Fault{}
	var v Version
	for {
		child, off, err := nextChild(d)
		if err != nil {
			return nil, Version{}, fmt.Errorf("mm7: decode: Fault: %w", err)
		}
		if child == nil {
			break
		}
		if child.Name.Space != "" {
			if err := devs.add(DevFaultNamespace, "Fault child %s is namespace-qualified", child.Name.Local); err != nil {
				return nil, Version{}, err
			}
		}
		switch child.Name.Local {
		case "faultcode", "faultstring", "faultactor":
			s, err := text(d)
			if err != nil {
				return nil, Version{}, fmt.Errorf("mm7: decode: Fault %s: %w", child.Name.Local, err)
			}
			s = strings.TrimSpace(s)
			switch child.Name.Local {
			case "faultcode":
				if !strings.Contains(s, ":") {
					// QUIRK: faultcode "Client" without a prefix (mm7-facts
					// 9, 11.11); SOAP 1.1 section 4.4.1 wants a QName in the
					// envelope namespace. DevFaultCodeUnqualified
					if err := devs.add(DevFaultCodeUnqualified, "faultcode %q has no namespace prefix", clip(s)); err != nil {
						return nil, Version{}, err
					}
				}
				f.Code = s[strings.LastIndexByte(s, ':')+1:]
			case "faultstring":
				f.String = s
			default:
				f.Actor = s
			}
		case "detail":
			for {
				el, elOff, err := nextChild(d)
				if err != nil {
					return nil, Version{}, fmt.Errorf("mm7: decode: Fault detail: %w", err)
				}
				if el == nil {
					break
				}
				if f.Detail != nil || !(isMM7Namespace(el.Name.Space) || el.Name.Space == "" || strings.HasSuffix(el.Name.Local, "ErrorRsp")) {
					// Detail entries other than the one MM7 error
					// response: kept as unknown content.
					if err := skipKeep(d, data, elOff, "/Fault/detail/"+el.Name.Local, devs); err != nil {
						return nil, Version{}, fmt.Errorf("mm7: decode: Fault detail: %w", err)
					}
					continue
				}
				body, bv, err := decodeMM7Element(d, data, *el, elOff, devs)
				if err != nil {
					return nil, Version{}, err
				}
				f.Detail, v = body, bv
			}
		default:
			if err := skipKeep(d, data, off, "/Fault/"+child.Name.Local, devs); err != nil {
				return nil, Version{}, fmt.Errorf("mm7: decode: Fault: %w", err)
			}
		}
	}
	if f.Detail == nil {
		if err := devs.add(DevFaultDetailMissing, "Fault %s (%s) carries no RSErrorRsp or VASPErrorRsp", f.Code, clip(f.String)); err != nil {
			return nil, Version{}, err
		}
	}
	return f, v, nil
}
