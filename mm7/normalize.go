package mm7

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/openmms/mm7go/xsdtypes"
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
//   - unknown, out-of-order, repeated and missing elements, text where
//     only elements belong, and dateTimes in a non-XSD form are reported.
//
// Wildcard content (Status/Details) passes through untouched.
type normalizer struct {
	src    *xml.Decoder
	data   []byte // the envelope src reads, for keeping unknown content as sent
	target string // namespace of the generated types
	bodyNS string // namespace the body element came in
	devs   *deviations
	err    error // strict-mode failure, returned with the next token

	stack    []*frame
	elements int // start tags seen, against devs.maxElements
	pending  []xml.Token
	noted    map[DeviationCode]bool // once-per-message deviations
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
	textSeen bool // unexpected text already reported

	from  int64  // offset of the start tag in data
	keep  bool   // unknown element: kept whole in Message.Unknown at its end
	stray []byte // text in element-only content, kept at the end
}

// newNormalizer yields the body element whose start tag the caller
// consumed from src: its normalised start tag first, then its content up
// to and including its end tag.
func newNormalizer(src *xml.Decoder, data []byte, off int64, target string, body xml.Name, root *typeInfo, devs *deviations) *normalizer {
	name := xml.Name{Space: target, Local: body.Local}
	return &normalizer{src: src, data: data, target: target, bodyNS: body.Space, devs: devs, noted: map[DeviationCode]bool{},
		stack:   []*frame{{name: name, path: "/" + body.Local, info: root, last: -1, from: off}},
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
		off := n.src.InputOffset()
		tok, err := n.src.Token()
		if err != nil {
			return nil, err
		}
		n.handle(xml.CopyToken(tok), off)
	}
	if n.err != nil {
		return nil, n.err
	}
	tok := n.pending[0]
	n.pending = n.pending[1:]
	return tok, nil
}

func (n *normalizer) emit(t xml.Token) { n.pending = append(n.pending, t) }

func (n *normalizer) handle(tok xml.Token, off int64) {
	top := n.stack[len(n.stack)-1]
	switch t := tok.(type) {
	case xml.StartElement:
		n.start(top, t, off)
	case xml.EndElement:
		n.end(top)
	case xml.CharData:
		if top.opaque {
			n.emit(t) // wildcard or unknown content, kept as is
			return
		}
		if top.info != nil && !top.info.text {
			if len(bytes.TrimSpace(t)) > 0 {
				if !top.textSeen {
					// QUIRK: text in element-only content (mm7-facts 4:
					// Rel-5 senders put a bare string where REL-5-MM7-1-2
					// has an address). encoding/xml would drop it: it is
					// kept in Message.Unknown. DevUnexpectedText
					top.textSeen = true
					n.note(DevUnexpectedText, false, "%s: text %q where the schema has only elements; kept as unknown content", top.path, clip(strings.TrimSpace(string(t))))
				}
				if len(top.stray) <= MaxUnknownBytes {
					top.stray = append(top.stray, t...)
				}
			}
			return // structure white space
		}
		top.text = append(top.text, t...)
	case xml.Comment, xml.ProcInst:
		// dropped: nothing in MM7 carries meaning in them
	case xml.Directive:
		n.err = fmt.Errorf("mm7: decode: DTD or directive inside the body at %s is not allowed", n.path())
	}
}

// maxBodyDepth bounds the nesting of elements inside the body element.
// MM7 messages nest five deep (SubmitReq/Recipients/To/Number); the rest
// is wildcard content (Status/Details), which no MMSC nests this deep.
const maxBodyDepth = 100

func (n *normalizer) start(parent *frame, t xml.StartElement, off int64) {
	n.elements++
	if max := n.devs.maxElements; max > 0 && n.elements > max {
		// Wildcard content (Status/Details) becomes a tree of generic
		// elements, each many times its size in input: bound it.
		n.err = &DecodeError{Status: StatusMessageFormatCorrupt,
			Err: fmt.Errorf("mm7: decode: more than %d elements in the body (at %s)", max, n.path())}
		return
	}
	if len(n.stack) >= maxBodyDepth {
		n.err = fmt.Errorf("mm7: decode: elements nested deeper than %d levels at %s", maxBodyDepth, n.path())
		return
	}
	t.Attr = stripDecls(t.Attr)
	fr := &frame{last: -1, from: off}
	if parent.opaque {
		// Inside wildcard or unknown content the path stays that of its
		// outermost element: building one string per level would cost
		// memory quadratic in the depth.
		fr.opaque = true
		fr.name = t.Name
		fr.path = parent.path
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
			if rn, ok := renames[parent.name.Local][local]; ok && parent.info.elems[rn.to] != nil {
				if !slices.Contains(rn.native, schemaOf(n.bodyNS)) {
					// QUIRK: DeliveryReportReq TimeStamp for Date and
					// DistributionProtection for DistributionIndicator outside
					// the schemas that use them (mm7-facts 6, 11.10).
					// DevRenamedElement
					n.note(DevRenamedElement, false, "%s: element %s read as %s (its name in other schema versions)", fr.path, local, rn.to)
				}
				local = rn.to
				fi = parent.info.elems[rn.to]
			}
		}
	}
	switch {
	case fi != nil:
		n.checkNamespace(t.Name, fr.path)
		if fi.index < parent.last && !parent.info.anyOrder {
			// QUIRK: elements out of schema order (TS 23.140's own examples).
			// DevElementOrder
			n.note(DevElementOrder, false, "%s: element out of schema order", fr.path)
		}
		if parent.seen[local] && !fi.repeated {
			// QUIRK: an element the schema allows once, given twice;
			// encoding/xml reads the second over the first.
			// DevDuplicateElement
			n.note(DevDuplicateElement, false, "%s: element given more than once; the last one is kept, the earlier as unknown content", fr.path)
			switch {
			case len(n.devs.unknown) >= MaxUnknown:
				n.devs.keep(fr.path, nil) // only marks that more were left out
			case off-parent.from <= maxRescan:
				if prev := lastChild(n.data[parent.from:off], t.Name.Local); prev != nil {
					n.devs.keep(fr.path, prev)
				}
			}
		}
		if fi.index > parent.last {
			parent.last = fi.index
		}
		if parent.seen == nil {
			parent.seen = map[string]bool{}
		}
		parent.seen[local] = true
		fr.field = fi
		fr.info = fi.info
		fr.leafBool = fi.bool
		fr.opaque = fi.any
	case parent.info != nil && parent.info.wildcard:
		fr.opaque = true
	default:
		n.note(DevUnknownElement, false, "%s: element not in the schema here; kept as unknown content", fr.path)
		fr.opaque = true
		fr.keep = true
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
		var ai *fieldInfo
		if info != nil && a.Name.Space == "" {
			ai = info.attrs[a.Name.Local]
		}
		switch {
		case ai != nil:
			seen[a.Name.Local] = true
			if ai.bool {
				a.Value = n.boolean(a.Value, fr.path+"/@"+a.Name.Local)
			}
			if ai.dateTime {
				n.dateTime(strings.TrimSpace(a.Value), fr.path+"/@"+a.Name.Local)
			}
		case a.Name.Space == xsiNS || a.Name.Space == soapNS:
			// xsi:type and the like are allowed everywhere; SOAP 1.1 allows
			// env:encodingStyle on any element.
		case a.Name.Space != "" && info != nil && info.anyAttr:
			// serviceCodeType's anyAttribute ##other
		default:
			// QUIRK: an attribute the schema does not have here;
			// encoding/xml would drop it: it is kept in Message.Unknown.
			// DevUnknownAttribute
			n.note(DevUnknownAttribute, false, "%s: attribute %s not in the schema here; kept as unknown content", fr.path, attrName(a.Name))
			n.devs.keepAttr(fr.path+"/@"+a.Name.Local, a)
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
		if (fr.field != nil && fr.field.dateTime) || (fr.info != nil && fr.info.textDateTime) {
			n.dateTime(trimmed, fr.path)
		}
		if strings.Contains(strings.ToUpper(trimmed), "/TYPE=") && (fr.name.Local == "Number" || fr.name.Local == "RFC2822Address") {
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
	end := n.src.InputOffset() // just after this end tag
	if fr.keep {
		n.devs.keep(fr.path, n.data[fr.from:end])
	}
	if stray := bytes.TrimSpace(fr.stray); len(stray) > 0 {
		n.devs.keepText(fr.path+"/text()", stray)
	}
	n.stack = n.stack[:len(n.stack)-1]
	n.emit(xml.EndElement{Name: fr.name})
}

// maxRescan bounds the bytes lastChild looks at again, so that a body of
// many duplicates costs at most MaxUnknown rescans of this size.
const maxRescan = 64 << 10

// lastChild returns the last complete child element named local of the
// element whose start tag begins frag (which may end before its end
// tag), as written; nil if there is none. Only a duplicate element costs
// this second look at the parent's bytes.
func lastChild(frag []byte, local string) []byte {
	d := xml.NewDecoder(bytes.NewReader(frag))
	d.Strict = false
	d.CharsetReader = passCharset
	var last []byte
	depth := 0
	var from int64 = -1
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			return last
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 && t.Name.Local == local {
				from = off
			}
			if depth > maxBodyDepth {
				return last
			}
		case xml.EndElement:
			if depth == 2 && from >= 0 {
				last, from = frag[from:d.InputOffset()], -1
			}
			depth--
		}
	}
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

// xsDateTime is the xs:dateTime lexical form (XML Schema Part 2, 3.2.7).
var xsDateTime = regexp.MustCompile(`^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$`)

// dateTime records a dateTime that xsdtypes reads but XML Schema does not
// allow. Durations (relativeOrAbsoluteDateType) and values xsdtypes
// rejects are left to the decoder.
func (n *normalizer) dateTime(v, path string) {
	if v == "" || strings.HasPrefix(v, "P") || strings.HasPrefix(v, "-P") || xsDateTime.MatchString(v) {
		return
	}
	if _, err := xsdtypes.ParseDateTime(v); err != nil {
		return
	}
	// QUIRK: Vibes' DLR Date follows the Java pattern
	// yyyy-MM-dd'T'HH:mm:ssZ, giving -0500 for -05:00 (mm7-facts 10.7).
	// DevDateTimeForm
	n.note(DevDateTimeForm, false, "%s: dateTime %q is not in XML Schema form (offset ±hh:mm, upper-case T and Z)", path, clip(v))
}

// xsiNS is the XML Schema instance namespace (xsi:type, xsi:nil).
const xsiNS = "http://www.w3.org/2001/XMLSchema-instance"

// attrName names an attribute for a deviation text.
func attrName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

// schemaOf returns the schema name of an MM7 namespace, e.g.
// "REL-6-MM7-1-4", or "".
func schemaOf(ns string) string {
	if !isMM7Namespace(ns) {
		return ""
	}
	ns = strings.TrimRight(strings.TrimSpace(ns), "/")
	return ns[strings.LastIndexByte(ns, '/')+1:]
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
