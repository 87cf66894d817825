package mm7

import (
	"encoding/xml"
	"fmt"
	"reflect"
	"strings"
)

// normalizer is an xml.TokenReader between the raw envelope tokens and
// encoding/xml's decoding into a generated struct. It makes what real
// MMSCs send decodable by the strictly namespaced generated types, and
// records each repair as a Deviation:
//
//   - MM7 elements in another published MM7 namespace, in no namespace, or
//     in an unknown namespace, are moved into the target namespace;
//   - MM7 attributes with a namespace prefix (mm7:href) lose it;
//   - booleans written True/FALSE become true/false;
//   - white space around leaf values is trimmed;
//   - renamed elements of other schema versions get their generated name;
//   - unknown, out-of-order and missing elements are reported.
//
// Wildcard content (Status/Details) passes through untouched.
type normalizer struct {
	src    xml.TokenReader
	target string // namespace of the generated types
	bodyNS string // namespace the body element came in
	devs   *deviations
	err    error // strict-mode failure, returned with the next token

	stack   []*frame
	pending []xml.Token
	noted   map[DeviationCode]bool // once-per-message deviations
}

type frame struct {
	name     xml.Name // normalised
	path     string
	info     *typeInfo // nil: leaf or opaque
	field    *fieldInfo
	opaque   bool // wildcard or unknown subtree: no normalisation
	text     []byte
	last     int
	seen     map[string]bool
	leafBool bool
}

// newNormalizer yields the body element whose start tag the caller
// consumed from src: its normalised start tag first, then its content up
// to and including its end tag.
func newNormalizer(src xml.TokenReader, target string, body xml.Name, root *typeInfo, devs *deviations) *normalizer {
	name := xml.Name{Space: target, Local: body.Local}
	return &normalizer{src: src, target: target, bodyNS: body.Space, devs: devs, noted: map[DeviationCode]bool{},
		stack:   []*frame{{name: name, path: "/" + body.Local, info: root, last: -1, seen: map[string]bool{}}},
		pending: []xml.Token{xml.StartElement{Name: name}}}
}

func (n *normalizer) path() string {
	if len(n.stack) == 0 {
		return ""
	}
	return n.stack[len(n.stack)-1].path
}

func (n *normalizer) note(code DeviationCode, once bool, format string, args ...any) {
	if n.err != nil || (once && n.noted[code]) {
		return
	}
	n.noted[code] = true
	if err := n.devs.add(code, format, args...); err != nil {
		n.err = err
	}
}

// Token implements xml.TokenReader.
func (n *normalizer) Token() (xml.Token, error) {
	for len(n.pending) == 0 {
		if n.err != nil {
			return nil, n.err
		}
		tok, err := n.src.Token()
		if err != nil {
			return nil, err
		}
		n.handle(xml.CopyToken(tok))
	}
	if n.err != nil {
		return nil, n.err
	}
	tok := n.pending[0]
	n.pending = n.pending[1:]
	return tok, nil
}

func (n *normalizer) emit(t xml.Token) { n.pending = append(n.pending, t) }

func (n *normalizer) handle(tok xml.Token) {
	top := n.stack[len(n.stack)-1]
	switch t := tok.(type) {
	case xml.StartElement:
		n.start(top, t)
	case xml.EndElement:
		n.end(top)
	case xml.CharData:
		if top.opaque || (top.info != nil && !top.info.text) {
			n.emit(t) // structure white space, or wildcard text
			return
		}
		top.text = append(top.text, t...)
	case xml.Comment, xml.ProcInst:
		// dropped: nothing in MM7 carries meaning in them
	case xml.Directive:
		n.err = fmt.Errorf("mm7: decode: DTD or directive inside the body at %s is not allowed", n.path())
	}
}

func (n *normalizer) start(parent *frame, t xml.StartElement) {
	t.Attr = stripDecls(t.Attr)
	fr := &frame{last: -1, seen: map[string]bool{}}
	if parent.opaque {
		fr.opaque = true
		fr.name = t.Name
		fr.path = parent.path + "/" + t.Name.Local
		n.stack = append(n.stack, fr)
		n.emit(xml.StartElement{Name: t.Name, Attr: t.Attr})
		return
	}
	local := t.Name.Local
	fr.path = parent.path + "/" + local
	var fi *fieldInfo
	if parent.info != nil {
		fi = parent.info.elems[local]
		if fi == nil {
			if to, ok := renames[parent.name.Local][local]; ok && parent.info.elems[to] != nil {
				n.note(DevRenamedElement, false, "%s: element %s read as %s (its name in other schema versions)", fr.path, local, to)
				local = to
				fi = parent.info.elems[to]
			}
		}
	}
	switch {
	case fi != nil:
		n.checkNamespace(t.Name, fr.path)
		if fi.index < parent.last && !parent.info.anyOrder {
			n.note(DevElementOrder, false, "%s: element out of schema order", fr.path)
		}
		if fi.index > parent.last {
			parent.last = fi.index
		}
		parent.seen[local] = true
		fr.field = fi
		fr.info = fi.info
		fr.leafBool = fi.bool
		fr.opaque = fi.any
	case parent.info != nil && parent.info.wildcard:
		fr.opaque = true
	default:
		n.note(DevUnknownElement, false, "%s: element not in the schema here; ignored", fr.path)
		fr.opaque = true
	}
	if fr.opaque && fi == nil {
		fr.name = t.Name // unknown or wildcard content keeps its own names
	} else {
		fr.name = xml.Name{Space: n.target, Local: local}
	}
	attrs := n.attrs(fr, t.Attr)
	n.stack = append(n.stack, fr)
	n.emit(xml.StartElement{Name: fr.name, Attr: attrs})
}

// checkNamespace records how an MM7 element's namespace departs from the
// body's.
func (n *normalizer) checkNamespace(name xml.Name, path string) {
	switch {
	case name.Space == n.bodyNS:
	case name.Space == "":
		n.note(DevNamespaceMissing, true, "%s: MM7 element without a namespace (matched by local name)", path)
	case isMM7Namespace(name.Space):
		n.note(DevNamespaceMixed, true, "%s: element in namespace %s inside a body in %s", path, name.Space, n.bodyNS)
	default:
		n.note(DevNamespaceUnknown, true, "%s: element in unknown namespace %s (matched by local name)", path, name.Space)
	}
}

func (n *normalizer) attrs(fr *frame, in []xml.Attr) []xml.Attr {
	if fr.opaque {
		return in
	}
	out := make([]xml.Attr, 0, len(in))
	var info *typeInfo
	if fr.info != nil {
		info = fr.info
	}
	seen := map[string]bool{}
	for _, a := range in {
		if a.Name.Space != "" && isMM7Namespace(a.Name.Space) {
			n.note(DevQualifiedAttribute, false, "%s: attribute %s has the MM7 namespace prefix; read as unqualified", fr.path, a.Name.Local)
			a.Name.Space = ""
		}
		if info != nil && a.Name.Space == "" {
			if ai := info.attrs[a.Name.Local]; ai != nil {
				seen[a.Name.Local] = true
				if ai.bool {
					a.Value = n.boolean(a.Value, fr.path+"/@"+a.Name.Local)
				}
			}
		}
		out = append(out, a)
	}
	if info != nil {
		for _, r := range info.requiredAttrs {
			if !seen[r] {
				n.note(DevMissingElement, false, "%s: mandatory attribute %s missing", fr.path, r)
			}
		}
	}
	return out
}

func (n *normalizer) end(fr *frame) {
	if !fr.opaque && (fr.info == nil || fr.info.text) {
		text := string(fr.text)
		trimmed := strings.TrimSpace(text)
		if trimmed != text && trimmed != "" {
			n.note(DevValueWhitespace, false, "%s: value %q padded with white space; trimmed", fr.path, clip(trimmed))
		}
		if fr.leafBool || (fr.info != nil && fr.info.textBool) {
			trimmed = n.boolean(trimmed, fr.path)
		}
		if strings.Contains(trimmed, "/TYPE=") && (fr.name.Local == "Number" || fr.name.Local == "RFC2822Address") {
			n.note(DevAddressTypeSuffix, false, "%s: address %q carries a /TYPE= suffix; kept as sent (see NormalizeAddress)", fr.path, clip(trimmed))
		}
		if trimmed != "" {
			n.emit(xml.CharData(trimmed))
		}
	} else if fr.opaque && len(fr.text) > 0 {
		n.emit(xml.CharData(fr.text))
	}
	if fr.info != nil && !fr.opaque {
		for _, r := range fr.info.required {
			if !fr.seen[r] {
				n.note(DevMissingElement, false, "%s: mandatory element %s missing", fr.path, r)
			}
		}
	}
	n.stack = n.stack[:len(n.stack)-1]
	n.emit(xml.EndElement{Name: fr.name})
}

// boolean canonicalises an xs:boolean: the schema allows true, false, 1
// and 0; TS 23.140's own examples write True.
func (n *normalizer) boolean(v, path string) string {
	switch v {
	case "true", "false", "1", "0":
		return v
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true":
		n.note(DevBooleanCase, false, "%s: boolean %q read as true", path, clip(v))
		return "true"
	case "false":
		n.note(DevBooleanCase, false, "%s: boolean %q read as false", path, clip(v))
		return "false"
	}
	return v // left for the decoder to reject, naming the value
}

// stripDecls drops namespace declarations: the tokens already carry
// resolved namespaces, and encoding/xml would otherwise re-apply them.
func stripDecls(attrs []xml.Attr) []xml.Attr {
	out := attrs[:0:0]
	for _, a := range attrs {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		out = append(out, a)
	}
	return out
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// typeOf returns the struct type a generated message pointer points to.
func typeOf(v any) reflect.Type {
	return reflect.TypeOf(v).Elem()
}
