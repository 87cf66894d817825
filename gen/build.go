package main

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// xsdtypesPkg is the import path of the hand-written runtime types the
// generated code uses for dateTime, duration, their union and wildcards.
const xsdtypesPkg = "github.com/openmms/mm7go/xsdtypes"

// builtins maps XML Schema built-in types to Go types.
var builtins = map[string]string{
	"string": "string", "normalizedString": "string", "token": "string", "anyURI": "string",
	"ID": "string", "IDREF": "string", "IDREFS": "string", "NMTOKEN": "string", "NMTOKENS": "string",
	"Name": "string", "NCName": "string", "language": "string", "QName": "string", "NOTATION": "string",
	"ENTITY": "string", "ENTITIES": "string", "anySimpleType": "string",
	// Kept as text: encoding/xml cannot read "15:04:05" into time.Time (toolchain D16)
	// and base64Binary/hexBinary content is bytes the caller decodes.
	"date": "string", "time": "string", "gYear": "string", "gYearMonth": "string", "gMonth": "string",
	"gMonthDay": "string", "gDay": "string", "base64Binary": "string", "hexBinary": "string",
	"boolean": "bool",
	"integer": "int", "int": "int", "long": "int64", "short": "int16", "byte": "int8",
	"positiveInteger": "int", "nonNegativeInteger": "int", "negativeInteger": "int", "nonPositiveInteger": "int",
	"unsignedLong": "uint64", "unsignedInt": "uint32", "unsignedShort": "uint16", "unsignedByte": "uint8",
	"decimal": "float64", "double": "float64", "float": "float32",
	"dateTime": "xsdtypes.DateTime", "duration": "xsdtypes.Duration",
}

type occurs struct{ optional, plural bool }

func (o occurs) with(n *node) occurs {
	if n.attr("minOccurs") == "0" {
		o.optional = true
	}
	if m := n.attr("maxOccurs"); m != "" && m != "0" && m != "1" {
		o.plural = true
	}
	return o
}

// builder turns a schema node tree into the Go model.
type builder struct {
	schema        *node
	tns           string
	elemQualified bool
	attrQualified bool

	elements, complexTypes, simpleTypes, groups, attrGroups, attributes map[string]*node
	elementOrder                                                        []*node

	file        *goFile
	usedNames   map[string]string   // Go type name -> signature of what holds it
	typeStructs map[*node]*goStruct // complexType node -> its struct (named types)
	simpleDone  map[*node]string    // simpleType node -> Go type
	building    map[*node]bool      // cycle guard
	reserved    map[string]bool     // Go names of global elements
	imports     map[string]bool
	imported    map[string]*builder // imported schemas by namespace, for their attributes' facets
}

func newBuilder(schema *node, pkg, source string) (*builder, error) {
	b := &builder{
		schema:        schema,
		tns:           schema.attr("targetNamespace"),
		elemQualified: schema.attr("elementFormDefault") == "qualified",
		attrQualified: schema.attr("attributeFormDefault") == "qualified",
		elements:      map[string]*node{}, complexTypes: map[string]*node{}, simpleTypes: map[string]*node{},
		groups: map[string]*node{}, attrGroups: map[string]*node{}, attributes: map[string]*node{},
		usedNames:   map[string]string{},
		typeStructs: map[*node]*goStruct{},
		simpleDone:  map[*node]string{},
		building:    map[*node]bool{},
		reserved:    map[string]bool{},
		imports:     map[string]bool{},
	}
	if b.tns == "" {
		return nil, fmt.Errorf("schema has no targetNamespace; MM7 schemas always have one")
	}
	b.file = &goFile{Package: pkg, Source: source, Namespace: b.tns, Doc: schema.doc()}
	for _, c := range schema.children("") {
		name := c.attr("name")
		var m map[string]*node
		switch c.Name.Local {
		case "element":
			m = b.elements
			b.elementOrder = append(b.elementOrder, c)
		case "complexType":
			m = b.complexTypes
		case "simpleType":
			m = b.simpleTypes
		case "group":
			m = b.groups
		case "attributeGroup":
			m = b.attrGroups
		case "attribute":
			m = b.attributes
		case "import", "include", "annotation":
			continue
		case "redefine", "override":
			return nil, fmt.Errorf("line %d: xs:%s is not supported", c.Line, c.Name.Local)
		default:
			continue
		}
		if name == "" {
			return nil, fmt.Errorf("line %d: global xs:%s without a name", c.Line, c.Name.Local)
		}
		if _, dup := m[name]; dup {
			return nil, fmt.Errorf("line %d: duplicate global xs:%s %q", c.Line, c.Name.Local, name)
		}
		m[name] = c
	}
	for _, e := range b.elementOrder {
		b.reserved[goName(e.attr("name"))] = true
	}
	return b, nil
}

// build produces the Go model: one struct per global element (D3/D4),
// plus the named and anonymous types those reference.
func (b *builder) build() (*goFile, error) {
	for _, e := range b.elementOrder {
		s, err := b.globalElement(e)
		if err != nil {
			return nil, err
		}
		b.file.Elements = append(b.file.Elements, s)
	}
	return b.file, nil
}

func (b *builder) claim(name, sig string) (string, bool) {
	if old, ok := b.usedNames[name]; ok {
		return name, old == sig
	}
	b.usedNames[name] = sig
	return name, true
}

func (b *builder) globalElement(e *node) (*goStruct, error) {
	name := e.attr("name")
	s := &goStruct{Name: goName(name), XSDName: name, Kind: "element", XMLName: &qname{b.tns, name}}
	if _, ok := b.claim(s.Name, "element:"+name); !ok {
		return nil, fmt.Errorf("line %d: element %q maps to Go name %s, which is taken", e.Line, name, s.Name)
	}
	docs := []string{e.doc()}
	var err error
	switch {
	case e.has("type"):
		q, rerr := e.resolve(e.attr("type"))
		if rerr != nil {
			return nil, rerr
		}
		if ct, ok := b.complexOf(q); ok {
			docs = append(docs, ct.doc())
			s.Fields, s.Model, err = b.complexFields(ct, s.Name)
		} else {
			var t string
			t, err = b.simpleType(q, goName(name))
			s.Fields = []*goField{{Name: "Value", Type: t, Tag: `xml:",chardata"`, Text: true, Check: b.checkOf(q, nil, t)}}
		}
	case e.child("complexType") != nil:
		ct := e.child("complexType")
		docs = append(docs, ct.doc())
		s.Fields, s.Model, err = b.complexFields(ct, s.Name)
	case e.child("simpleType") != nil:
		var t string
		t, err = b.anonSimple(e.child("simpleType"), goName(name))
		s.Fields = []*goField{{Name: "Value", Type: t, Tag: `xml:",chardata"`, Text: true, Check: b.checkOf(qname{}, e.child("simpleType"), t)}}
	default:
		f := b.anyField(occurs{plural: true}, "##any")
		s.Fields = []*goField{f}
		s.Model = &cmNode{Kind: "sequence", Min: 1, Max: 1, Children: []*cmNode{{Kind: "any", Min: 0, Max: -1, Field: f}}}
	}
	if err != nil {
		return nil, fmt.Errorf("element %s: %w", name, err)
	}
	s.Doc = joinDocs(docs...)
	b.file.Structs = append(b.file.Structs, s)
	return s, nil
}

func (b *builder) complexOf(q qname) (*node, bool) {
	if q.Space != b.tns {
		return nil, false
	}
	ct, ok := b.complexTypes[q.Local]
	return ct, ok
}

// namedStruct returns the struct for a named complex type, building it on
// first use. Only types that local elements use get their own struct; base
// types are flattened into their extensions (D5).
func (b *builder) namedStruct(ct *node) (*goStruct, error) {
	if s, ok := b.typeStructs[ct]; ok {
		return s, nil
	}
	xsdName := ct.attr("name")
	name := goTypeName(xsdName)
	if b.reserved[name] || b.usedNames[name] != "" {
		name = goName(xsdName) // keep the "Type" suffix to stay unique
	}
	if _, ok := b.claim(name, "complexType:"+xsdName); !ok {
		return nil, fmt.Errorf("line %d: complexType %q maps to Go name %s, which is taken", ct.Line, xsdName, name)
	}
	s := &goStruct{Name: name, XSDName: xsdName, Kind: "complexType", Doc: ct.doc()}
	b.typeStructs[ct] = s
	fields, model, err := b.complexFields(ct, name)
	if err != nil {
		return nil, fmt.Errorf("complexType %s: %w", xsdName, err)
	}
	s.Fields, s.Model = fields, model
	b.file.Structs = append(b.file.Structs, s)
	return s, nil
}

// anonStruct hoists an anonymous complex type to a named struct. Two
// different anonymous types for same-named elements get distinct names
// (D13); identical ones share one struct.
func (b *builder) anonStruct(ct *node, elemName, owner string) (string, error) {
	fields, model, err := b.complexFields(ct, goName(elemName))
	if err != nil {
		return "", fmt.Errorf("element %s: %w", elemName, err)
	}
	sig := "anon:" + signature(fields)
	name := goName(elemName)
	if b.reserved[name] {
		name = owner + name
	}
	if _, same := b.claim(name, sig); !same {
		name = owner + goName(elemName)
		if _, same := b.claim(name, sig); !same {
			return "", fmt.Errorf("line %d: cannot find a unique Go name for the anonymous type of %s", ct.Line, elemName)
		}
	}
	for _, s := range b.file.Structs {
		if s.Name == name {
			return name, nil // identical anonymous type already emitted
		}
	}
	b.file.Structs = append(b.file.Structs, &goStruct{Name: name, XSDName: elemName, Kind: "anonymous", Doc: ct.doc(), Fields: fields, Model: model})
	return name, nil
}

func signature(fields []*goField) string {
	var sb strings.Builder
	for _, f := range fields {
		fmt.Fprintf(&sb, "%s %s `%s`;", f.Name, f.Type, f.Tag)
	}
	return sb.String()
}

// complexFields returns the fields of a complex type in schema order: the
// base type's content first (D5), then this type's particles, then
// attributes (D9, D12) and wildcards (D11).
func (b *builder) complexFields(ct *node, owner string) ([]*goField, *cmNode, error) {
	if b.building[ct] {
		return nil, nil, fmt.Errorf("line %d: recursive type definitions are not supported", ct.Line)
	}
	b.building[ct] = true
	defer delete(b.building, ct)

	var fields []*goField
	var model *cmNode
	var attrHolders []*node
	switch {
	case ct.child("simpleContent") != nil:
		sc := ct.child("simpleContent")
		der := sc.child("extension")
		if der == nil {
			der = sc.child("restriction")
		}
		if der == nil {
			return nil, nil, fmt.Errorf("line %d: simpleContent without extension or restriction", sc.Line)
		}
		base, err := der.resolve(der.attr("base"))
		if err != nil {
			return nil, nil, err
		}
		if bt, ok := b.complexOf(base); ok {
			fields, _, err = b.complexFields(bt, owner)
		} else {
			var t string
			t, err = b.simpleType(base, owner+"Value")
			fields = []*goField{{Name: "Value", Type: t, Tag: `xml:",chardata"`, Text: true, Check: b.checkOf(base, nil, t)}}
		}
		if err != nil {
			return nil, nil, err
		}
		attrHolders = append(attrHolders, der)
	case ct.child("complexContent") != nil:
		cc := ct.child("complexContent")
		der := cc.child("extension")
		isExt := der != nil
		if der == nil {
			der = cc.child("restriction")
		}
		if der == nil {
			return nil, nil, fmt.Errorf("line %d: complexContent without extension or restriction", cc.Line)
		}
		base, err := der.resolve(der.attr("base"))
		if err != nil {
			return nil, nil, err
		}
		model = &cmNode{Kind: "sequence", Min: 1, Max: 1}
		if isExt {
			if bt, ok := b.complexOf(base); ok {
				var baseModel *cmNode
				if fields, baseModel, err = b.complexFields(bt, owner); err != nil {
					return nil, nil, err
				}
				if baseModel != nil {
					model.Children = append(model.Children, baseModel)
				}
			} else if base != (qname{xsdNS, "anyType"}) {
				return nil, nil, fmt.Errorf("line %d: unknown base type %s", der.Line, base)
			}
		}
		// A restriction repeats the content it keeps, so only its own
		// particles count.
		if err := b.particles(der, occurs{}, &fields, owner, model); err != nil {
			return nil, nil, err
		}
		attrHolders = append(attrHolders, der)
	default:
		model = &cmNode{Kind: "sequence", Min: 1, Max: 1}
		if err := b.particles(ct, occurs{}, &fields, owner, model); err != nil {
			return nil, nil, err
		}
		attrHolders = append(attrHolders, ct)
	}
	for _, h := range attrHolders {
		if err := b.attributesOf(h, &fields); err != nil {
			return nil, nil, err
		}
	}
	return fields, model, checkUnique(fields, owner)
}

func checkUnique(fields []*goField, owner string) error {
	seen := map[string]bool{}
	for _, f := range fields {
		if seen[f.Name] {
			return fmt.Errorf("%s: two fields named %s", owner, f.Name)
		}
		seen[f.Name] = true
	}
	return nil
}

// particles expands the model groups directly under n.
func (b *builder) particles(n *node, o occurs, fields *[]*goField, owner string, parent *cmNode) error {
	for _, c := range n.children("") {
		if err := b.particle(c, o, fields, owner, parent); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) particle(n *node, o occurs, fields *[]*goField, owner string, parent *cmNode) error {
	switch n.Name.Local {
	case "sequence", "all", "choice", "group", "element", "any":
	default:
		return nil
	}
	min, max, err := bounds(n)
	if err != nil {
		return err
	}
	cm := &cmNode{Kind: n.Name.Local, Min: min, Max: max}
	switch n.Name.Local {
	case "sequence", "all":
		parent.Children = append(parent.Children, cm)
		return b.particles(n, o.with(n), fields, owner, cm)
	case "choice":
		// Every alternative of a choice is optional (D14); the schema
		// still enforces "exactly one".
		inner := o.with(n)
		if len(n.children("element"))+len(n.children("group"))+len(n.children("sequence"))+len(n.children("choice"))+len(n.children("any")) > 1 {
			inner.optional = true
		}
		parent.Children = append(parent.Children, cm)
		return b.particles(n, inner, fields, owner, cm)
	case "group":
		q, err := n.resolve(n.attr("ref"))
		if err != nil {
			return err
		}
		g, ok := b.groups[q.Local]
		if !ok || q.Space != b.tns {
			return fmt.Errorf("line %d: unknown group %s", n.Line, q)
		}
		cm.Kind = "sequence" // the group's model group, with the reference's bounds
		parent.Children = append(parent.Children, cm)
		return b.particles(g, o.with(n), fields, owner, cm) // D10: group members inline
	case "element":
		f, err := b.elementField(n, o.with(n), owner)
		if err != nil {
			return err
		}
		cm.Field = f
		parent.Children = append(parent.Children, cm)
		*fields = append(*fields, f)
	case "any":
		ns := n.attr("namespace")
		if ns == "" {
			ns = "##any"
		}
		cm.Field = b.anyField(o.with(n), ns)
		parent.Children = append(parent.Children, cm)
		*fields = append(*fields, cm.Field)
	}
	return nil
}

// bounds returns the minOccurs and maxOccurs of a particle, -1 for
// unbounded.
func bounds(n *node) (min, max int, err error) {
	min, max = 1, 1
	if v := n.attr("minOccurs"); v != "" {
		if min, err = strconv.Atoi(v); err != nil || min < 0 {
			return 0, 0, fmt.Errorf("line %d: bad minOccurs %q", n.Line, v)
		}
	}
	switch v := n.attr("maxOccurs"); v {
	case "":
	case "unbounded":
		max = -1
	default:
		if max, err = strconv.Atoi(v); err != nil || max < 0 {
			return 0, 0, fmt.Errorf("line %d: bad maxOccurs %q", n.Line, v)
		}
	}
	return min, max, nil
}

func (b *builder) anyField(o occurs, ns string) *goField {
	b.imports[xsdtypesPkg] = true
	f := &goField{Name: "Any", Type: "xsdtypes.AnyElement", Tag: `xml:",any"`, Optional: o.optional, Plural: o.plural, AnyNS: ns,
		Doc: "Any holds wildcard (xs:any) content: elements from any namespace, kept as generic XML."}
	if o.plural {
		f.Name, f.Type = "Items", "[]xsdtypes.AnyElement"
		f.Doc = "Items holds wildcard (xs:any) content: elements from any namespace, kept as generic XML."
	} else {
		f.Type = "*xsdtypes.AnyElement"
	}
	return f
}

func (b *builder) elementField(n *node, o occurs, owner string) (*goField, error) {
	decl := n
	ns := ""
	if b.elemQualified || n.attr("form") == "qualified" {
		ns = b.tns
	}
	if n.attr("form") == "unqualified" {
		ns = ""
	}
	name := n.attr("name")
	if n.has("ref") {
		q, err := n.resolve(n.attr("ref"))
		if err != nil {
			return nil, err
		}
		g, ok := b.elements[q.Local]
		if !ok || q.Space != b.tns {
			return nil, fmt.Errorf("line %d: unknown element %s", n.Line, q)
		}
		decl, ns, name = g, b.tns, q.Local
	}
	var t string
	var err error
	var check *valueCheck
	isStruct := false
	switch {
	case decl.has("type"):
		var q qname
		if q, err = decl.resolve(decl.attr("type")); err != nil {
			return nil, err
		}
		if ct, ok := b.complexOf(q); ok {
			var s *goStruct
			if s, err = b.namedStruct(ct); err == nil {
				t, isStruct = s.Name, true
			}
		} else if t, err = b.simpleType(q, goName(name)); err == nil {
			check = b.checkOf(q, nil, t)
		}
	case decl.child("complexType") != nil:
		t, err = b.anonStruct(decl.child("complexType"), name, owner)
		isStruct = true
	case decl.child("simpleType") != nil:
		if t, err = b.anonSimple(decl.child("simpleType"), goName(name)); err == nil {
			check = b.checkOf(qname{}, decl.child("simpleType"), t)
		}
	default:
		b.imports[xsdtypesPkg] = true
		t = "xsdtypes.AnyElement"
	}
	if err != nil {
		return nil, err
	}
	f := &goField{Name: goName(name), XMLName: qname{ns, name}, Optional: o.optional, Plural: o.plural, Check: check, Struct: isStruct}
	tag := strings.TrimSpace(ns + " " + name)
	switch {
	case o.plural:
		f.Type = "[]" + t
		tag += ",omitempty"
	case o.optional:
		f.Type = "*" + t
		tag += ",omitempty"
	default:
		f.Type = t
	}
	f.Tag = `xml:"` + tag + `"`
	f.Default = decl.attr("default")
	if f.Default == "" {
		f.Default = decl.attr("fixed")
	}
	var notes []string
	if d := decl.attr("default"); d != "" {
		notes = append(notes, fmt.Sprintf("The schema default is %q.", d))
	}
	if decl.attr("fixed") != "" {
		notes = append(notes, fmt.Sprintf("The schema fixes the value to %q.", decl.attr("fixed")))
	}
	f.Doc = joinDocs(append([]string{n.doc(), refDoc(n, decl)}, notes...)...)
	return f, nil
}

func refDoc(n, decl *node) string {
	if n == decl {
		return ""
	}
	return decl.doc()
}

// attributesOf adds the attribute fields declared directly under h,
// expanding attribute group references in place (D9).
func (b *builder) attributesOf(h *node, fields *[]*goField) error {
	for _, c := range h.children("") {
		switch c.Name.Local {
		case "attribute":
			f, err := b.attributeField(c)
			if err != nil {
				return err
			}
			for _, g := range *fields {
				if g.Name == f.Name {
					f.Name += "Attr"
				}
			}
			*fields = append(*fields, f)
		case "attributeGroup":
			q, err := c.resolve(c.attr("ref"))
			if err != nil {
				return err
			}
			g, ok := b.attrGroups[q.Local]
			if !ok || q.Space != b.tns {
				return fmt.Errorf("line %d: unknown attributeGroup %s", c.Line, q)
			}
			if err := b.attributesOf(g, fields); err != nil {
				return err
			}
		case "anyAttribute":
			b.imports[xsdtypesPkg] = true
			ns := c.attr("namespace")
			if ns == "" {
				ns = "##any"
			}
			*fields = append(*fields, &goField{Name: "Attrs", Type: "xsdtypes.AnyAttrs", Tag: `xml:",any,attr"`, Attr: true, AnyNS: ns,
				Doc: "Attrs holds attributes from other namespaces (xs:anyAttribute)."})
		}
	}
	return nil
}

func (b *builder) attributeField(a *node) (*goField, error) {
	decl := a
	name := a.attr("name")
	ns := ""
	if b.attrQualified || a.attr("form") == "qualified" {
		ns = b.tns
	}
	t := "string"
	var err error
	var check *valueCheck
	if a.has("ref") {
		q, rerr := a.resolve(a.attr("ref"))
		if rerr != nil {
			return nil, rerr
		}
		name, ns = q.Local, q.Space
		if g, ok := b.attributes[q.Local]; ok && q.Space == b.tns {
			decl = g
		} else {
			// An attribute from an imported schema, e.g. soap:mustUnderstand:
			// its type is not known here, so it is kept as text (D2). SOAP 1.1
			// wants "1"/"0" for mustUnderstand, which a Go bool would not give.
			// Validate still checks its facets when the imported schema is
			// at hand.
			decl = nil
			if sub := b.imported[q.Space]; sub != nil {
				if g, ok := sub.attributes[q.Local]; ok {
					if g.has("type") {
						if tq, err := g.resolve(g.attr("type")); err == nil {
							check = sub.checkOf(tq, nil, "string")
						}
					} else if st := g.child("simpleType"); st != nil {
						check = sub.checkOf(qname{}, st, "string")
					}
				}
			}
		}
	}
	if decl != nil {
		switch {
		case decl.has("type"):
			var q qname
			if q, err = decl.resolve(decl.attr("type")); err == nil {
				if t, err = b.simpleType(q, goName(name)); err == nil {
					check = b.checkOf(q, nil, t)
				}
			}
		case decl.child("simpleType") != nil:
			if t, err = b.anonSimple(decl.child("simpleType"), goName(name)); err == nil {
				check = b.checkOf(qname{}, decl.child("simpleType"), t)
			}
		default:
			check = &valueCheck{Builtin: "anySimpleType"}
		}
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
	}
	required := a.attr("use") == "required"
	f := &goField{Name: goName(name), XMLName: qname{ns, name}, Attr: true, Optional: !required, Check: check}
	tag := strings.TrimSpace(ns+" "+name) + ",attr"
	if required {
		f.Type = t
	} else {
		f.Type = "*" + t
		tag += ",omitempty"
	}
	f.Tag = `xml:"` + tag + `"`
	var notes []string
	if decl != nil && decl.attr("default") != "" {
		notes = append(notes, fmt.Sprintf("The schema default is %q.", decl.attr("default")))
	}
	if decl == nil {
		notes = append(notes, fmt.Sprintf("Attribute from namespace %s.", ns))
	}
	if required {
		notes = append(notes, "Required.")
	}
	docs := []string{a.doc()}
	if decl != nil && decl != a {
		docs = append(docs, decl.doc())
	}
	f.Doc = joinDocs(append(docs, notes...)...)
	return f, nil
}

// simpleType maps a simple type reference to a Go type, emitting named
// enum types (D8) and union aliases (D6) on first use.
func (b *builder) simpleType(q qname, hint string) (string, error) {
	if q.Space == xsdNS {
		t, ok := builtins[q.Local]
		if !ok {
			if q.Local == "anyType" {
				b.imports[xsdtypesPkg] = true
				return "xsdtypes.AnyElement", nil
			}
			return "", fmt.Errorf("unsupported built-in type xs:%s", q.Local)
		}
		if strings.HasPrefix(t, "xsdtypes.") {
			b.imports[xsdtypesPkg] = true
		}
		return t, nil
	}
	if q.Space != b.tns {
		return "string", nil // a type from an imported schema we do not read
	}
	st, ok := b.simpleTypes[q.Local]
	if !ok {
		if _, isComplex := b.complexTypes[q.Local]; isComplex {
			return "", fmt.Errorf("complex type %s used where a simple type is required", q)
		}
		return "", fmt.Errorf("unknown simple type %s", q)
	}
	if t, done := b.simpleDone[st]; done {
		return t, nil
	}
	t, err := b.simpleDef(st, goTypeName(q.Local), q.Local)
	if err != nil {
		return "", fmt.Errorf("simpleType %s: %w", q.Local, err)
	}
	b.simpleDone[st] = t
	return t, nil
}

// anonSimple maps an anonymous xs:simpleType, naming an enum after its
// element.
func (b *builder) anonSimple(st *node, hint string) (string, error) {
	if t, done := b.simpleDone[st]; done {
		return t, nil
	}
	t, err := b.simpleDef(st, hint, "")
	if err != nil {
		return "", err
	}
	b.simpleDone[st] = t
	return t, nil
}

func (b *builder) simpleDef(st *node, name, xsdName string) (string, error) {
	switch {
	case st.child("restriction") != nil:
		r := st.child("restriction")
		var vals []string
		for _, e := range r.children("enumeration") {
			vals = append(vals, e.attr("value"))
		}
		var base string
		if r.has("base") {
			q, err := r.resolve(r.attr("base"))
			if err != nil {
				return "", err
			}
			if base, err = b.simpleType(q, name); err != nil {
				return "", err
			}
		} else if inner := r.child("simpleType"); inner != nil {
			var err error
			if base, err = b.anonSimple(inner, name); err != nil {
				return "", err
			}
		}
		if len(vals) == 0 {
			return base, nil
		}
		if base != "string" && !b.isEnum(base) {
			return base, nil // enumerated numbers stay numbers
		}
		return b.enum(st, name, xsdName, vals)
	case st.child("union") != nil:
		u := st.child("union")
		var members []string
		for _, m := range strings.Fields(u.attr("memberTypes")) {
			q, err := u.resolve(m)
			if err != nil {
				return "", err
			}
			t, err := b.simpleType(q, name)
			if err != nil {
				return "", err
			}
			members = append(members, t)
		}
		for _, inner := range u.children("simpleType") {
			t, err := b.anonSimple(inner, name)
			if err != nil {
				return "", err
			}
			members = append(members, t)
		}
		sort.Strings(members)
		members = slices.Compact(members)
		if slices.Equal(members, []string{"xsdtypes.DateTime", "xsdtypes.Duration"}) {
			// D6: a dateTime-or-duration union gets a type that holds either.
			b.imports[xsdtypesPkg] = true
			return b.alias(st, name, xsdName, "xsdtypes.DateTimeOrDuration")
		}
		if len(members) == 1 {
			return members[0], nil
		}
		return "string", nil // other unions are kept as their lexical form
	case st.child("list") != nil:
		return "string", nil // space-separated list kept as text
	}
	return "", fmt.Errorf("line %d: simpleType without restriction, union or list", st.Line)
}

func (b *builder) isEnum(t string) bool {
	for _, e := range b.file.Enums {
		if e.Name == t {
			return true
		}
	}
	return false
}

func (b *builder) uniqueTypeName(name, xsdName, kind string, line int) (string, error) {
	if b.reserved[name] || b.usedNames[name] != "" {
		name += "Type"
	}
	if _, ok := b.claim(name, kind+":"+xsdName); !ok {
		return "", fmt.Errorf("line %d: %s %q maps to Go name %s, which is taken", line, kind, xsdName, name)
	}
	return name, nil
}

func (b *builder) enum(st *node, name, xsdName string, vals []string) (string, error) {
	name, err := b.uniqueTypeName(name, xsdName, "simpleType", st.Line)
	if err != nil {
		return "", err
	}
	e := &goEnum{Name: name, XSDName: xsdName, Doc: st.doc()}
	seen := map[string]string{}
	for _, v := range vals {
		suffix := joinWords(v)
		if suffix == "" {
			suffix = "Empty"
		}
		c := name + suffix
		if old, dup := seen[c]; dup {
			return "", fmt.Errorf("line %d: enumeration values %q and %q both map to %s", st.Line, old, v, c)
		}
		seen[c] = v
		e.Values = append(e.Values, goEnumValue{Const: c, Value: v})
	}
	b.file.Enums = append(b.file.Enums, e)
	return name, nil
}

func (b *builder) alias(st *node, name, xsdName, target string) (string, error) {
	name, err := b.uniqueTypeName(name, xsdName, "simpleType", st.Line)
	if err != nil {
		return "", err
	}
	b.file.Aliases = append(b.file.Aliases, &goAlias{Name: name, XSDName: xsdName, Target: target, Doc: st.doc()})
	return name, nil
}

func joinDocs(parts ...string) string {
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || slices.Contains(out, p) {
			continue
		}
		if !strings.HasSuffix(p, ".") && !strings.HasSuffix(p, "!") && !strings.HasSuffix(p, "?") {
			p += "."
		}
		out = append(out, p)
	}
	return strings.Join(out, " ")
}
