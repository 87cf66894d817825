package main

// The conversion pass: from the Go models of two schemas, built by the same
// builder as their bindings, it writes a package that converts every global
// element both schemas have from one binding to the other, and reports what
// the target cannot hold as losses.
//
// Matching is by XML name: elements by their local name, fields by the
// local name (and kind: element, attribute, character data, wildcard) of
// what they hold. Struct types are paired through the fields that use
// them, so each pair of structs gets one helper per direction.

import (
	"bytes"
	"fmt"
	"go/format"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

// modulePath is the module the generated packages are imported from.
const modulePath = "github.com/openmms/mm7go"

// conversion is a conversion package of the default run: the targets (by
// package name) it converts between and where its code goes.
type conversion struct{ a, b, pkg, out string }

var conversions = []conversion{
	{a: "rel5", b: "rel6", pkg: "convert", out: "generated/convert"},
}

// convertFiles builds the models of the two targets of c and returns the
// files of its package, by file name.
func convertFiles(root string, c conversion) (map[string][]byte, error) {
	var ts []int
	for _, want := range []string{c.a, c.b} {
		i := -1
		for j, t := range targets {
			if t.pkg == want {
				i = j
			}
		}
		if i < 0 {
			return nil, fmt.Errorf("conversion %s: no target %q", c.pkg, want)
		}
		ts = append(ts, i)
	}
	var sides []*convSide
	for _, i := range ts {
		t := targets[i]
		model, _, err := buildModel(filepath.Join(root, t.xsd), t.xsd, t.pkg)
		if err != nil {
			return nil, err
		}
		sides = append(sides, newConvSide(model, modulePath+"/"+t.out))
	}
	return generateConvert(sides[0], sides[1], c.pkg)
}

// convSide is one of the two schemas of a conversion: its model and the Go
// package of its bindings.
type convSide struct {
	file       *goFile
	pkg        string // package name, e.g. rel5
	importPath string
	schema     string // e.g. REL-5-MM7-1-2
	structs    map[string]*goStruct
	enums      map[string]*goEnum
	aliases    map[string]*goAlias
	version    *goEnum // the MM7Version type (versionType), if any
}

func newConvSide(f *goFile, importPath string) *convSide {
	s := &convSide{
		file: f, pkg: f.Package, importPath: importPath, schema: schemaName(f.Namespace),
		structs: map[string]*goStruct{}, enums: map[string]*goEnum{}, aliases: map[string]*goAlias{},
		version: versionEnum(f),
	}
	for _, st := range f.Structs {
		s.structs[st.Name] = st
	}
	for _, e := range f.Enums {
		s.enums[e.Name] = e
	}
	for _, a := range f.Aliases {
		s.aliases[a.Name] = a
	}
	return s
}

type typeKind int

const (
	sharedType typeKind = iota // built-in or xsdtypes: the same Go type in both packages
	enumType
	structType
)

// fieldType is a field's Go type, split into cardinality and base type.
type fieldType struct {
	card  string // "", "*" or "[]"
	kind  typeKind
	name  string // enums and structs: name in their package; shared types: the Go type
	enum  *goEnum
	strct *goStruct
}

func (s *convSide) fieldType(t string) (fieldType, error) {
	var ft fieldType
	switch {
	case strings.HasPrefix(t, "[]"):
		ft.card, t = "[]", t[2:]
	case strings.HasPrefix(t, "*"):
		ft.card, t = "*", t[1:]
	}
	for seen := 0; s.aliases[t] != nil; seen++ {
		if seen > len(s.aliases) {
			return ft, fmt.Errorf("alias cycle at %s", t)
		}
		t = s.aliases[t].Target
	}
	ft.name = t
	switch {
	case s.structs[t] != nil:
		ft.kind, ft.strct = structType, s.structs[t]
	case s.enums[t] != nil:
		ft.kind, ft.enum = enumType, s.enums[t]
	case strings.HasPrefix(t, "xsdtypes.") || isBuiltinGoType(t):
		ft.kind = sharedType
	default:
		return ft, fmt.Errorf("%s: unknown Go type %s", s.schema, t)
	}
	return ft, nil
}

func isBuiltinGoType(t string) bool {
	for _, b := range builtins {
		if b == t {
			return true
		}
	}
	return false
}

// qual is the Go type of ft's base as written in the conversion package.
func (s *convSide) qual(ft fieldType) string {
	if ft.kind == sharedType {
		return ft.name
	}
	return s.pkg + "." + ft.name
}

// direction is the plan for converting from one side to the other.
type direction struct {
	from, to *convSide
	suffix   string // function name suffix, e.g. ToRel6
	elements []*structConv
	only     []*goStruct // elements of from without a counterpart in to
	structs  []*structConv
	enums    []*enumConv
	byStruct map[[2]*goStruct]*structConv
	byEnum   map[string]*enumConv
	names    map[string]bool
}

// structConv converts one struct of from into one struct of to.
type structConv struct {
	fn       string // helper name, e.g. addressToRel6
	from, to *goStruct
	fields   []*fieldConv // in the order of from's fields
}

// fieldConv converts one field, or reports it when to has no counterpart.
type fieldConv struct {
	src, dst         *goField // dst is nil when to has no counterpart
	reason           string   // the loss reason when dst is nil
	srcType, dstType fieldType
	strct            *structConv // struct fields
	enum             *enumConv   // fields whose target type is an enumeration
	toString         bool        // an enumeration into a plain string
}

// enumConv converts a value into an enumeration of to, checking it.
type enumConv struct {
	fn      string
	from    fieldType // an enumeration, or a shared string
	to      *goEnum
	version bool     // MM7Version: only copied when the target allows it
	lost    []string // values of from that to does not allow
}

func planDirection(from, to *convSide) (*direction, error) {
	d := &direction{
		from: from, to: to, suffix: "To" + goName(to.pkg),
		byStruct: map[[2]*goStruct]*structConv{}, byEnum: map[string]*enumConv{}, names: map[string]bool{},
	}
	toElems := map[string]*goStruct{}
	for _, e := range to.file.Elements {
		toElems[e.XSDName] = e
	}
	for _, e := range from.file.Elements {
		t, ok := toElems[e.XSDName]
		if !ok {
			d.only = append(d.only, e)
			continue
		}
		sc, err := d.structPair(e, t)
		if err != nil {
			return nil, err
		}
		d.elements = append(d.elements, sc)
	}
	return d, nil
}

func (d *direction) claim(name string) error {
	if d.names[name] {
		return fmt.Errorf("two conversion helpers named %s", name)
	}
	d.names[name] = true
	return nil
}

// helperName is the unexported name of a helper converting from into to,
// e.g. addressToRel6, or addressToRel6UserAgent when the names differ.
func (d *direction) helperName(from, to string) string {
	n := lowerFirst(from) + d.suffix
	if from != to {
		n += to
	}
	return n
}

func (d *direction) structPair(from, to *goStruct) (*structConv, error) {
	key := [2]*goStruct{from, to}
	if sc, ok := d.byStruct[key]; ok {
		return sc, nil
	}
	sc := &structConv{fn: d.helperName(from.Name, to.Name), from: from, to: to}
	if err := d.claim(sc.fn); err != nil {
		return nil, err
	}
	d.byStruct[key] = sc
	d.structs = append(d.structs, sc)

	toFields := map[string]*goField{}
	for _, f := range to.Fields {
		toFields[matchKey(f, d.to.file.Namespace)] = f
	}
	for _, f := range from.Fields {
		fc, err := d.fieldPair(f, toFields[matchKey(f, d.from.file.Namespace)])
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", from.Name, f.Name, err)
		}
		sc.fields = append(sc.fields, fc)
	}
	return sc, nil
}

// matchKey identifies what a field holds independently of the schema: the
// kind and XML name of an element or attribute (the target namespace
// standing for itself), or the kind of character data or wildcard.
func matchKey(f *goField, tns string) string {
	if f.XMLName.Local == "" {
		return "special " + f.Tag
	}
	space := f.XMLName.Space
	if space == tns {
		space = "#target"
	}
	kind := "element"
	if f.Attr {
		kind = "attribute"
	}
	return kind + " {" + space + "}" + f.XMLName.Local
}

// what names what a field holds, for loss reasons.
func what(f *goField) string {
	switch {
	case f.XMLName.Local != "" && f.Attr:
		return "attribute"
	case f.XMLName.Local != "":
		return "element"
	case strings.Contains(f.Tag, "chardata"):
		return "character content"
	case strings.Contains(f.Tag, "attr"):
		return "wildcard attributes"
	}
	return "wildcard content"
}

func (d *direction) fieldPair(src, dst *goField) (*fieldConv, error) {
	st, err := d.from.fieldType(src.Type)
	if err != nil {
		return nil, err
	}
	fc := &fieldConv{src: src, srcType: st}
	if dst == nil {
		fc.reason = fmt.Sprintf("no such %s in %s", what(src), d.to.schema)
		return fc, nil
	}
	dt, err := d.to.fieldType(dst.Type)
	if err != nil {
		return nil, err
	}
	if (st.card == "[]") != (dt.card == "[]") {
		return nil, fmt.Errorf("%s repeats in one schema and not in the other (%s, %s); not supported", what(src), src.Type, dst.Type)
	}
	fc.dstType = dt
	switch {
	case st.kind == structType && dt.kind == structType:
		sc, err := d.structPair(st.strct, dt.strct)
		if err != nil {
			return nil, err
		}
		fc.dst, fc.strct = dst, sc
	case st.kind == sharedType && dt.kind == sharedType && st.name == dt.name:
		fc.dst = dst
	case dt.kind == enumType && (st.kind == enumType || st.name == "string"):
		ec, err := d.enumPair(st, dt.enum)
		if err != nil {
			return nil, err
		}
		fc.dst, fc.enum = dst, ec
	case st.kind == enumType && dt.kind == sharedType && dt.name == "string":
		fc.dst, fc.toString = dst, true
	default:
		fc.reason = fmt.Sprintf("the %s has another type in %s", what(src), d.to.schema)
	}
	return fc, nil
}

func (d *direction) enumPair(from fieldType, to *goEnum) (*enumConv, error) {
	key := from.name + " " + to.Name
	if ec, ok := d.byEnum[key]; ok {
		return ec, nil
	}
	ec := &enumConv{fn: d.helperName(from.name, to.Name), from: from, to: to, version: to == d.to.version}
	if err := d.claim(ec.fn); err != nil {
		return nil, err
	}
	if from.enum != nil {
		allowed := map[string]bool{}
		for _, v := range to.Values {
			allowed[v.Value] = true
		}
		for _, v := range from.enum.Values {
			if !allowed[v.Value] {
				ec.lost = append(ec.lost, v.Value)
			}
		}
	}
	d.byEnum[key] = ec
	d.enums = append(d.enums, ec)
	return ec, nil
}

// lowerFirst makes an exported Go name unexported, lowering a leading
// initialism as a whole: SubmitReq -> submitReq, MMDeliveryStatus ->
// mmDeliveryStatus, RFC2822Address -> rfc2822Address, ID -> id.
func lowerFirst(s string) string {
	rs := []rune(s)
	n := 0
	for n < len(rs) && (unicode.IsUpper(rs[n]) || unicode.IsDigit(rs[n])) {
		n++
	}
	switch {
	case n == 0:
		return s
	case n == len(rs):
		return strings.ToLower(s)
	case n > 1:
		n-- // the last capital starts the next word
	}
	return strings.ToLower(string(rs[:n])) + string(rs[n:])
}

// typeDesc names an enumeration for loss reasons: its schema type name, or
// its Go name for an anonymous one.
func typeDesc(e *goEnum) string {
	if e.XSDName != "" {
		return e.XSDName
	}
	return "the enumeration of " + e.Name
}

// generateConvert returns doc.go and convert.go of package pkg, converting
// between the bindings of a and b.
func generateConvert(a, b *convSide, pkg string) (map[string][]byte, error) {
	if a.pkg == b.pkg {
		return nil, fmt.Errorf("conversion %s: both schemas are package %s", pkg, a.pkg)
	}
	ab, err := planDirection(a, b)
	if err != nil {
		return nil, fmt.Errorf("conversion %s to %s: %w", a.schema, b.schema, err)
	}
	ba, err := planDirection(b, a)
	if err != nil {
		return nil, fmt.Errorf("conversion %s to %s: %w", b.schema, a.schema, err)
	}
	source := a.file.Source + " and " + b.file.Source
	doc, err := emitConvertDoc(a, b, ab, ba, pkg, source)
	if err != nil {
		return nil, err
	}
	code, err := emitConvert(a, b, ab, ba, pkg, source)
	if err != nil {
		return nil, err
	}
	return map[string][]byte{"doc.go": doc, "convert.go": code}, nil
}

func emitConvertDoc(a, b *convSide, ab, ba *direction, pkg, source string) ([]byte, error) {
	var w bytes.Buffer
	w.WriteString(header(source))
	para := func(text string) {
		w.WriteString("//\n")
		w.WriteString(comment(text, ""))
	}
	w.WriteString(comment(fmt.Sprintf("Package %s converts messages between the bindings of two versions of the MM7 schema: %s (package %s) and %s (package %s), generated from %s.",
		pkg, a.schema, a.pkg, b.schema, b.pkg, source), ""))
	var ex string
	if e := exampleElement(ab, ba); e != "" {
		ex = fmt.Sprintf(" (%s%s, %s%s)", e, ab.suffix, e, ba.suffix)
	}
	para(fmt.Sprintf("Every global element both schemas have gets a pair of functions%s, and %s and %s convert any element struct, choosing the function by the type of the message.",
		ex, ab.suffix, ba.suffix))
	para("Fields are matched by the XML name of what they hold (element or attribute local name). Nested structs are converted field by field and repeated fields item by item; nil pointers and slices stay nil, and values of shared types (built-in and xsdtypes) are copied, so a result shares no memory with its input. The XMLName of a result is the element's name in the target namespace. Fields only the target schema has are left unset.")
	para("What the target cannot hold is reported as a Loss, with the Go path of the value in the source message, in schema order: a field that is set in the source but that the target schema does not have (the value is dropped), and an enumeration value the target schema does not allow (the value is kept as it is, so the result does not validate until the caller changes it). Unset optional fields and empty values cause no loss.")
	if a.version != nil && b.version != nil {
		para("MM7Version is the exception: a version the target schema does not allow is not copied. The result's MM7Version is left empty, for the caller to set to the version it speaks, and the loss is reported.")
	}
	for _, d := range []*direction{ab, ba} {
		if len(d.only) == 0 {
			continue
		}
		var names []string
		for _, e := range d.only {
			names = append(names, e.XSDName)
		}
		para(fmt.Sprintf("Elements only %s has: %s. %s returns a *NoCounterpartError for them.", d.from.schema, strings.Join(names, ", "), d.suffix))
	}
	fmt.Fprintf(&w, "package %s\n", pkg)
	return format.Source(w.Bytes())
}

// convEmitter writes convert.go.
type convEmitter struct {
	w        bytes.Buffer
	imports  map[string]bool
	cloneAny bool // cloneAnyElement is used
}

func (e *convEmitter) printf(format string, args ...any) { fmt.Fprintf(&e.w, format, args...) }

func (e *convEmitter) doc(text string, indent string) { e.w.WriteString(comment(text, indent)) }

func emitConvert(a, b *convSide, ab, ba *direction, pkg, source string) ([]byte, error) {
	e := &convEmitter{imports: map[string]bool{"fmt": true, a.importPath: true, b.importPath: true}}

	e.doc("A Loss is a value that could not be carried over to the other schema version.", "")
	e.printf("type Loss struct {\n")
	pathDoc := "Path is the Go path of the value in the source message"
	if p := examplePath(ba); p != "" {
		pathDoc += fmt.Sprintf(", e.g. %q", p)
	}
	e.doc(pathDoc+", with the index of each repeated item, e.g. \"[1]\".", "\t")
	e.printf("\tPath string\n")
	e.doc(fmt.Sprintf("Reason says why, e.g. %q.", "no such element in "+a.schema), "\t")
	e.printf("\tReason string\n}\n\n")
	e.doc("String returns the loss as \"path: reason\".", "")
	e.printf("func (l Loss) String() string {\n\treturn l.Path + \": \" + l.Reason\n}\n\n")

	e.doc("A NoCounterpartError reports a message whose element the other schema version does not have.", "")
	e.printf("type NoCounterpartError struct {\n")
	elemDoc := "Element is the element's local name"
	for _, d := range []*direction{ba, ab} {
		if len(d.only) > 0 {
			elemDoc += fmt.Sprintf(", e.g. %q", d.only[0].XSDName)
			break
		}
	}
	e.doc(elemDoc+".", "\t")
	e.printf("\tElement string\n")
	e.doc(fmt.Sprintf("Schema is the schema that lacks it, e.g. %q.", a.schema), "\t")
	e.printf("\tSchema string\n}\n\n")
	e.printf("func (e *NoCounterpartError) Error() string {\n\treturn \"convert: \" + e.Schema + \" has no \" + e.Element + \" element\"\n}\n\n")

	for _, d := range []*direction{ab, ba} {
		e.dispatch(d, exampleElement(ab, ba))
	}
	toA := map[string]*structConv{}
	for _, sc := range ba.elements {
		toA[sc.from.XSDName] = sc
	}
	for _, sc := range ab.elements {
		e.exported(ab, sc)
		e.exported(ba, toA[sc.to.XSDName])
	}
	for _, d := range []*direction{ab, ba} {
		for _, sc := range d.structs {
			e.structHelper(d, sc)
		}
	}
	for _, d := range []*direction{ab, ba} {
		for _, ec := range d.enums {
			e.enumHelper(d, ec)
		}
	}
	if e.cloneAny {
		e.imports[xsdtypesPkg] = true
		e.imports["slices"] = true
		e.emitCloneAny()
	}

	var out bytes.Buffer
	out.WriteString(header(source))
	fmt.Fprintf(&out, "package %s\n\nimport (\n", pkg)
	var std, other []string
	for p := range e.imports {
		if strings.Contains(p, ".") {
			other = append(other, p)
		} else {
			std = append(std, p)
		}
	}
	sort.Strings(std)
	sort.Strings(other)
	for _, p := range std {
		fmt.Fprintf(&out, "\t%q\n", p)
	}
	out.WriteString("\n")
	for _, p := range other {
		fmt.Fprintf(&out, "\t%q\n", p)
	}
	out.WriteString(")\n\n")
	out.Write(e.w.Bytes())
	src, err := format.Source(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("generated conversion code does not parse: %w\n%s", err, numbered(out.Bytes()))
	}
	return src, nil
}

// examplePath is the path of the first field an element of d cannot carry,
// for documentation.
func examplePath(d *direction) string {
	for _, sc := range d.elements {
		for _, fc := range sc.fields {
			if fc.dst == nil {
				return sc.from.Name + "." + fc.src.Name
			}
		}
	}
	return ""
}

// exampleElement is the Go name of an element both sides have, for
// documentation: the first one whose conversion in either direction can
// lose a field (SubmitReq rather than the TransactionID header), or the
// first one.
func exampleElement(ab, ba *direction) string {
	for _, d := range []*direction{ab, ba} {
		for _, sc := range d.elements {
			if lostFields(sc) != "" {
				return sc.from.Name
			}
		}
	}
	if len(ab.elements) > 0 {
		return ab.elements[0].from.Name
	}
	return ""
}

func (e *convEmitter) dispatch(d *direction, example string) {
	doc := fmt.Sprintf("%s converts a pointer to a %s element struct (such as *%s.%s) to the %s struct of the same element, returned as a pointer in an any, with the losses of the conversion. A nil pointer gives a nil pointer of the target type.",
		d.suffix, d.from.schema, d.from.pkg, example, d.to.schema)
	if len(d.only) > 0 {
		doc += fmt.Sprintf(" For an element %s does not have it returns a *NoCounterpartError, for any other type an error.", d.to.schema)
	} else {
		doc += " For any other type it returns an error."
	}
	e.doc(doc, "")
	e.printf("func %s(msg any) (any, []Loss, error) {\n\tswitch m := msg.(type) {\n", d.suffix)
	only := map[string]bool{}
	for _, s := range d.only {
		only[s.XSDName] = true
	}
	conv := map[string]*structConv{}
	for _, sc := range d.elements {
		conv[sc.from.XSDName] = sc
	}
	for _, s := range d.from.file.Elements {
		e.printf("\tcase *%s.%s:\n", d.from.pkg, s.Name)
		if sc, ok := conv[s.XSDName]; ok {
			e.printf("\t\tout, losses := %s%s(m)\n\t\treturn out, losses, nil\n", sc.from.Name, d.suffix)
		} else {
			e.printf("\t\treturn nil, nil, &NoCounterpartError{Element: %q, Schema: %q}\n", s.XSDName, d.to.schema)
		}
	}
	e.printf("\t}\n\treturn nil, nil, fmt.Errorf(\"convert: %%T is not a pointer to a %s element struct\", msg)\n}\n\n", d.from.schema)
}

// exported writes the exported function for one element and direction.
func (e *convEmitter) exported(d *direction, sc *structConv) {
	name := sc.from.Name + d.suffix
	doc := fmt.Sprintf("%s converts a %s %s to %s. The result's XMLName is %s in the %s namespace.",
		name, d.from.schema, sc.from.XSDName, d.to.schema, sc.to.XSDName, d.to.schema)
	if l := lostFields(sc); l != "" {
		doc += " " + l
	}
	doc += " See the package documentation for the losses it reports."
	e.doc(doc, "")
	fp, tp := d.from.pkg+"."+sc.from.Name, d.to.pkg+"."+sc.to.Name
	e.printf("func %s(in *%s) (*%s, []Loss) {\n", name, fp, tp)
	e.printf("\tif in == nil {\n\t\treturn nil, nil\n\t}\n")
	e.printf("\tvar losses []Loss\n\tout := %s(in, %q, &losses)\n\treturn &out, losses\n}\n\n", sc.fn, sc.from.Name)
}

// lostFields documents the fields of a struct the target does not have and
// the enumeration values it does not allow.
func lostFields(sc *structConv) string {
	var missing, values []string
	for _, fc := range sc.fields {
		switch {
		case fc.dst == nil:
			missing = append(missing, fc.src.Name)
		case fc.enum != nil && len(fc.enum.lost) > 0 && !fc.enum.version: // versions: see the package doc
			values = append(values, fmt.Sprintf("%s %s", fc.src.Name, strings.Join(fc.enum.lost, ", ")))
		}
	}
	var out []string
	if len(missing) > 0 {
		out = append(out, fmt.Sprintf("The target has no %s.", strings.Join(missing, ", ")))
	}
	if len(values) > 0 {
		out = append(out, fmt.Sprintf("The target does not allow %s.", strings.Join(values, "; ")))
	}
	return strings.Join(out, " ")
}

func (e *convEmitter) structHelper(d *direction, sc *structConv) {
	fp, tp := d.from.pkg+"."+sc.from.Name, d.to.pkg+"."+sc.to.Name
	doc := fmt.Sprintf("%s converts a %s to a %s; path is the Go path of in, for the losses it appends.", sc.fn, fp, tp)
	if l := lostFields(sc); l != "" {
		doc += " " + l
	}
	e.doc(doc, "")
	e.printf("func %s(in *%s, path string, losses *[]Loss) %s {\n", sc.fn, fp, tp)
	if sc.to.XMLName != nil {
		e.imports["encoding/xml"] = true
		e.printf("\tout := %s{XMLName: xml.Name{Space: %s.Namespace, Local: %q}}\n", tp, d.to.pkg, sc.to.XMLName.Local)
	} else {
		e.printf("\tvar out %s\n", tp)
	}
	for _, fc := range sc.fields {
		e.field(d, fc)
	}
	e.printf("\treturn out\n}\n\n")
}

// field writes the statements converting one field.
func (e *convEmitter) field(d *direction, fc *fieldConv) {
	in := "in." + fc.src.Name
	path := fmt.Sprintf("path+%q", "."+fc.src.Name)
	if fc.dst == nil {
		loss := fmt.Sprintf("*losses = append(*losses, Loss{Path: %s, Reason: %q})", path, fc.reason)
		cond := isSet(in, fc.srcType)
		if strings.Contains(cond, "xsdtypes.") {
			e.imports[xsdtypesPkg] = true
		}
		if cond != "" {
			e.printf("\tif %s {\n\t\t%s\n\t}\n", cond, loss)
		} else {
			e.printf("\t%s\n", loss)
		}
		return
	}
	out := "out." + fc.dst.Name
	sc, dc := fc.srcType.card, fc.dstType.card
	switch {
	case sc == "[]":
		if fc.strct == nil && fc.enum == nil && !fc.toString && !fc.deepCopy() {
			e.imports["slices"] = true
			e.printf("\t%s = slices.Clone(%s)\n", out, in)
			return
		}
		item := path
		if fc.strct != nil || fc.enum != nil {
			e.imports["strconv"] = true
			item = fmt.Sprintf("path+%q+strconv.Itoa(i)+\"]\"", "."+fc.src.Name+"[")
		}
		e.printf("\tif %s != nil {\n\t\t%s = make([]%s, len(%s))\n\t\tfor i := range %s {\n\t\t\t%s[i] = %s\n\t\t}\n\t}\n",
			in, out, d.to.qual(fc.dstType), in, in, out, e.value(fc, in+"[i]", false, item))
	case sc == "*" && dc == "*":
		e.printf("\tif %s != nil {\n\t\t%s = new(%s)\n\t}\n", in, out, e.value(fc, in, true, path))
	case sc == "*":
		e.printf("\tif %s != nil {\n\t\t%s = %s\n\t}\n", in, out, e.value(fc, in, true, path))
	case dc == "*":
		e.printf("\t%s = new(%s)\n", out, e.value(fc, in, false, path))
	default:
		e.printf("\t%s = %s\n", out, e.value(fc, in, false, path))
	}
}

// deepCopy reports whether the field's shared type holds memory that
// copying the value would share.
func (fc *fieldConv) deepCopy() bool {
	return fc.srcType.kind == sharedType && (fc.srcType.name == "xsdtypes.AnyElement" || fc.srcType.name == "xsdtypes.AnyAttrs")
}

// value returns the expression converting src, an addressable expression of
// the source base type or, with ptr, a pointer to one, to the target base
// type.
func (e *convEmitter) value(fc *fieldConv, src string, ptr bool, path string) string {
	val, addr := src, "&"+src
	if ptr {
		val, addr = "*"+src, src
	}
	switch {
	case fc.strct != nil:
		return fmt.Sprintf("%s(%s, %s, losses)", fc.strct.fn, addr, path)
	case fc.enum != nil:
		return fmt.Sprintf("%s(%s, %s, losses)", fc.enum.fn, val, path)
	case fc.toString:
		return "string(" + val + ")"
	case fc.srcType.name == "xsdtypes.AnyElement":
		e.cloneAny = true
		return "cloneAnyElement(" + val + ")"
	case fc.srcType.name == "xsdtypes.AnyAttrs":
		e.imports["slices"] = true
		return "slices.Clone(" + val + ")"
	}
	return val
}

// isSet returns the condition under which a field counts as set, or "" when
// it always does (a required struct).
func isSet(in string, ft fieldType) string {
	switch {
	case ft.card == "*":
		return in + " != nil"
	case ft.card == "[]":
		return "len(" + in + ") > 0"
	case ft.kind == enumType || ft.name == "string":
		return in + ` != ""`
	case ft.kind == structType:
		return ""
	case ft.name == "bool":
		return in
	case ft.name == "xsdtypes.AnyAttrs":
		return "len(" + in + ") > 0"
	case ft.name == "xsdtypes.AnyElement":
		return in + `.XMLName.Local != ""`
	case ft.name == "xsdtypes.DateTime" || ft.name == "xsdtypes.DateTimeOrDuration":
		return "!" + in + ".IsZero()"
	case ft.name == "xsdtypes.Duration":
		return in + " != (xsdtypes.Duration{})"
	case strings.HasPrefix(ft.name, "xsdtypes."):
		return ""
	}
	return in + " != 0" // numbers
}

func (e *convEmitter) enumHelper(d *direction, ec *enumConv) {
	fromT := d.from.qual(ec.from)
	toT := d.to.pkg + "." + ec.to.Name
	reason := fmt.Sprintf("value %%q not allowed by %s %s", d.to.schema, typeDesc(ec.to))
	if ec.version {
		doc := fmt.Sprintf("%s converts an MM7Version. A version %s does not allow", ec.fn, d.to.schema)
		if len(ec.lost) > 0 {
			doc += " (" + strings.Join(ec.lost, ", ") + ")"
		}
		doc += " is not copied: the result is empty, for the caller to set, and the loss is reported."
		e.doc(doc, "")
		e.printf("func %s(v %s, path string, losses *[]Loss) %s {\n", ec.fn, fromT, toT)
		e.printf("\tif out := %s(v); out.Valid() || v == \"\" {\n\t\treturn out\n\t}\n", toT)
		e.printf("\t*losses = append(*losses, Loss{Path: path, Reason: fmt.Sprintf(%q, v)})\n", reason+"; MM7Version left empty")
		e.printf("\treturn \"\"\n}\n\n")
		return
	}
	doc := fmt.Sprintf("%s converts a %s to a %s. A value %s does not allow", ec.fn, fromT, toT, d.to.schema)
	if len(ec.lost) > 0 {
		doc += " (" + strings.Join(ec.lost, ", ") + ")"
	}
	doc += " is kept and reported as a loss."
	e.doc(doc, "")
	e.printf("func %s(v %s, path string, losses *[]Loss) %s {\n", ec.fn, fromT, toT)
	e.printf("\tout := %s(v)\n", toT)
	e.printf("\tif v != \"\" && !out.Valid() {\n\t\t*losses = append(*losses, Loss{Path: path, Reason: fmt.Sprintf(%q, v)})\n\t}\n", reason)
	e.printf("\treturn out\n}\n\n")
}

func (e *convEmitter) emitCloneAny() {
	e.doc("cloneAnyElement returns a deep copy of el. Like xsdtypes.AnyElement's own methods it does not recurse, so deep content cannot exhaust the stack.", "")
	e.printf(`func cloneAnyElement(el xsdtypes.AnyElement) xsdtypes.AnyElement {
	el.Attrs = slices.Clone(el.Attrs)
	el.Children = slices.Clone(el.Children)
	stack := []*xsdtypes.AnyElement{&el}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for i := range top.Children {
			c := &top.Children[i]
			c.Attrs = slices.Clone(c.Attrs)
			c.Children = slices.Clone(c.Children)
			stack = append(stack, c)
		}
	}
	return el
}

`)
}
