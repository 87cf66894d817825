package main

import (
	"bytes"
	"fmt"
	"go/format"
	"strconv"
	"strings"
)

// emitValidate renders validate.go: a Validate method on every generated
// type, checking what the schema says and encoding/xml does not enforce:
// required elements and attributes, choices, occurrence bounds,
// enumerations, patterns, lengths, numeric bounds, the lexical form of
// name-like built-ins and xs:ID uniqueness. It is plain Go: no
// reflection, regexps compiled once, no allocation when v is valid.
func emitValidate(f *goFile) ([]byte, error) {
	v := &validateEmitter{file: f, patterns: map[string]string{}}
	var body bytes.Buffer
	for _, s := range f.Structs {
		if err := v.emitStruct(&body, s); err != nil {
			return nil, err
		}
	}
	for _, e := range f.Enums {
		fmt.Fprintf(&body, "// Validate returns a *xsdtypes.ValidationError when v is not one of the\n// values the schema allows.\n")
		fmt.Fprintf(&body, "func (v %s) Validate() error {\n\tif v.Valid() {\n\t\treturn nil\n\t}\n", e.Name)
		fmt.Fprintf(&body, "\treturn &xsdtypes.ValidationError{Element: %q, Problems: []xsdtypes.Problem{{Path: %q, Text: %s}}}\n}\n\n",
			e.Name, "/"+e.Name, enumText(e.Values, "string(v)"))
	}

	var w bytes.Buffer
	w.WriteString(header(f.Source))
	fmt.Fprintf(&w, "package %s\n\nimport (\n", f.Package)
	if len(v.patternOrder) > 0 {
		w.WriteString("\t\"regexp\"\n")
	}
	if v.strconv {
		w.WriteString("\t\"strconv\"\n")
	}
	fmt.Fprintf(&w, "\n\t%q\n)\n\n", xsdtypesPkg)
	if len(v.patternOrder) > 0 {
		w.WriteString("// The xs:pattern facets, translated to Go syntax and anchored: an XSD\n// pattern matches the whole value.\nvar (\n")
		for _, name := range v.patternOrder {
			fmt.Fprintf(&w, "\t%s = regexp.MustCompile(%s)\n", name, strconv.Quote(v.patterns[name]))
		}
		w.WriteString(")\n\n")
	}
	w.Write(body.Bytes())
	out, err := format.Source(w.Bytes())
	if err != nil {
		return nil, fmt.Errorf("generated validation code does not parse: %w\n%s", err, numbered(w.Bytes()))
	}
	return out, nil
}

type validateEmitter struct {
	file         *goFile
	patterns     map[string]string // var name -> Go regexp
	patternOrder []string
	strconv      bool
	tmp          int
}

func (v *validateEmitter) emitStruct(w *bytes.Buffer, s *goStruct) error {
	root := s.XSDName
	what := "the " + s.XSDName + " element"
	if s.Kind == "complexType" {
		what = "the schema type " + s.XSDName
	}
	w.WriteString(comment(fmt.Sprintf("Validate checks v against %s of %s: required elements and attributes, choices, occurrence bounds, enumerations and the other facets, recursively. It returns nil, or a *xsdtypes.ValidationError listing every problem with its path.", what, schemaName(v.file.Namespace)), ""))
	fmt.Fprintf(w, "func (v *%s) Validate() error {\n", s.Name)
	fmt.Fprintf(w, "\tif v == nil {\n\t\treturn &xsdtypes.ValidationError{Element: %q, Problems: []xsdtypes.Problem{{Path: %q, Text: \"is nil\"}}}\n\t}\n", root, "/"+root)
	fmt.Fprintf(w, "\tvar c xsdtypes.Checker\n\tc.Enter(%q, 0)\n\tv.validate(&c)\n\treturn c.Err(%q)\n}\n\n", root, root)

	fmt.Fprintf(w, "func (v *%s) validate(c *xsdtypes.Checker) {\n", s.Name)
	if s.Model != nil {
		lines, err := v.model(s.Model, true, false)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		for _, l := range lines {
			w.WriteString("\t" + l + "\n")
		}
	}
	// attributes first: document order
	ordered := make([]*goField, 0, len(s.Fields))
	for _, f := range s.Fields {
		if f.Attr {
			ordered = append(ordered, f)
		}
	}
	for _, f := range s.Fields {
		if !f.Attr {
			ordered = append(ordered, f)
		}
	}
	for _, f := range ordered {
		lines, err := v.field(f)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", s.Name, f.Name, err)
		}
		for _, l := range lines {
			w.WriteString("\t" + l + "\n")
		}
	}
	w.WriteString("}\n\n")
	return nil
}

// field returns the checks of one field's values: attributes, text,
// simple elements, wildcard namespaces, and the recursion into struct
// elements.
func (v *validateEmitter) field(f *goField) ([]string, error) {
	x := "v." + f.Name
	switch {
	case f.AnyNS != "" && f.Attr:
		cond := nsForbidden(f.AnyNS, "a.Name.Space")
		if cond == "" {
			return nil, nil
		}
		return []string{
			fmt.Sprintf("for _, a := range %s {", x),
			fmt.Sprintf("\tif %s {", cond),
			fmt.Sprintf("\t\tc.Report(\"@\"+a.Name.Local, %q)", "attribute not allowed here: "+nsRule(f.AnyNS)),
			"\t}", "}",
		}, nil
	case f.AnyNS != "":
		cond := nsForbidden(f.AnyNS, "e.XMLName.Space")
		if cond == "" {
			cond = "false"
		}
		if f.Plural {
			return []string{
				fmt.Sprintf("for i := range %s {", x),
				fmt.Sprintf("\te := &%s[i]", x),
				"\tif err := e.Validate(); err != nil {",
				"\t\tc.Report(\"\", err.Error())",
				fmt.Sprintf("\t} else if %s {", cond),
				fmt.Sprintf("\t\tc.Report(e.XMLName.Local, %q)", "element not allowed here: "+nsRule(f.AnyNS)),
				"\t}", "}",
			}, nil
		}
		return []string{
			fmt.Sprintf("if e := %s; e != nil {", x),
			"\tif err := e.Validate(); err != nil {",
			"\t\tc.Report(\"\", err.Error())",
			fmt.Sprintf("\t} else if %s {", cond),
			fmt.Sprintf("\t\tc.Report(e.XMLName.Local, %q)", "element not allowed here: "+nsRule(f.AnyNS)),
			"\t}", "}",
		}, nil
	case f.Struct:
		local := f.XMLName.Local
		switch {
		case f.Plural:
			return []string{
				fmt.Sprintf("for i := range %s {", x),
				fmt.Sprintf("\tc.Enter(%q, xsdtypes.Position(i, len(%s)))", local, x),
				fmt.Sprintf("\t%s[i].validate(c)", x),
				"\tc.Leave()", "}",
			}, nil
		case f.Optional:
			return []string{
				fmt.Sprintf("if %s != nil {", x),
				fmt.Sprintf("\tc.Enter(%q, 0)", local),
				fmt.Sprintf("\t%s.validate(c)", x),
				"\tc.Leave()", "}",
			}, nil
		}
		return []string{fmt.Sprintf("c.Enter(%q, 0)", local), x + ".validate(c)", "c.Leave()"}, nil
	case f.Check != nil:
		child := strconv.Quote(f.XMLName.Local)
		if f.Attr {
			child = strconv.Quote("@" + f.XMLName.Local)
		}
		if f.Text {
			child = `""`
		}
		elemType := strings.TrimLeft(f.Type, "*[]")
		check := func(vc *valueCheck, t, x, child string) ([]string, error) {
			body, err := v.value(vc, t, x, child)
			if err != nil || len(body) == 0 || f.Default == "" || f.Attr || (t != "string" && !vc.Enum) {
				return body, err
			}
			// an empty element takes the schema default
			return wrap("if "+x+` != "" {`, body), nil
		}
		switch {
		case f.Plural:
			body, err := check(f.Check, elemType, x+"[i]", fmt.Sprintf("xsdtypes.Indexed(%s, i, len(%s))", child, x))
			if err != nil || len(body) == 0 {
				return nil, err
			}
			return wrap(fmt.Sprintf("for i := range %s {", x), body), nil
		case f.Optional:
			body, err := check(f.Check, elemType, "(*"+x+")", child)
			if err != nil || len(body) == 0 {
				return nil, err
			}
			return wrap(fmt.Sprintf("if %s != nil {", x), body), nil
		}
		return check(f.Check, elemType, x, child)
	}
	return nil, nil
}

func wrap(open string, body []string) []string {
	out := []string{open}
	for _, l := range body {
		out = append(out, "\t"+l)
	}
	return append(out, "}")
}

var intTypes = map[string]bool{"int": true, "int64": true, "int32": true, "int16": true, "int8": true,
	"uint": true, "uint64": true, "uint32": true, "uint16": true, "uint8": true}

// value returns the checks of one simple value x of Go type t; child is
// the Go expression of the path step reported, evaluated only on error.
func (v *validateEmitter) value(vc *valueCheck, t, x, child string) ([]string, error) {
	var out []string
	report := func(cond, text string) {
		out = append(out, "if "+cond+" {", "\tc.Report("+child+", "+text+")", "}")
	}
	switch {
	case vc.Enum:
		e := v.enumNamed(t)
		if e == nil {
			return nil, fmt.Errorf("no enum %s", t)
		}
		report("!"+x+".Valid()", enumText(e.Values, "string("+x+")"))
		return out, nil
	case t == "xsdtypes.DateTime" || t == "xsdtypes.Duration" || t == "xsdtypes.DateTimeOrDuration" || vc.Builtin == "dateTimeOrDuration":
		out = append(out, "if err := "+x+".Validate(); err != nil {", "\tc.Report("+child+", err.Error())", "}")
		return out, nil
	case t == "bool" || vc.Union:
		return nil, nil
	case intTypes[t]:
		v.strconv = true
		var show string
		if strings.HasPrefix(t, "uint") {
			show = "strconv.FormatUint(uint64(" + x + "), 10)"
		} else {
			show = "strconv.FormatInt(int64(" + x + "), 10)"
		}
		text := func(what string) string { return `"value "+` + show + `+" ` + what + `"` }
		switch vc.Builtin {
		case "positiveInteger":
			report(x+" < 1", text("is not a positive integer (xs:positiveInteger)"))
		case "nonNegativeInteger":
			if !strings.HasPrefix(t, "uint") {
				report(x+" < 0", text("is negative (xs:nonNegativeInteger)"))
			}
		case "negativeInteger":
			report(x+" > -1", text("is not a negative integer (xs:negativeInteger)"))
		case "nonPositiveInteger":
			report(x+" > 0", text("is positive (xs:nonPositiveInteger)"))
		case "int":
			if t == "int" || t == "int64" {
				report(x+" < -2147483648 || "+x+" > 2147483647", text("is out of the xs:int range"))
			}
		}
		bound := func(lit, op, what string) {
			if lit == "" {
				return
			}
			n, err := strconv.ParseInt(strings.TrimSpace(lit), 10, 64)
			if err != nil || strings.HasPrefix(t, "uint") && n < 0 {
				return
			}
			report(fmt.Sprintf("int64(%s) %s %d", x, op, n), text(what+" "+lit))
		}
		bound(vc.MinIncl, "<", "is less than the minimum")
		bound(vc.MaxIncl, ">", "is more than the maximum")
		bound(vc.MinExcl, "<=", "is not more than")
		bound(vc.MaxExcl, ">=", "is not less than")
		if len(vc.EnumValues) > 0 {
			var cases []string
			for _, e := range vc.EnumValues {
				n, err := strconv.ParseInt(strings.TrimSpace(e), 10, 64)
				if err != nil {
					return nil, fmt.Errorf("enumeration value %q is not an integer", e)
				}
				cases = append(cases, strconv.FormatInt(n, 10))
			}
			out = append(out, "switch int64("+x+") {", "case "+strings.Join(cases, ", ")+":", "default:",
				"\tc.Report("+child+", "+text("is not one of: "+strings.Join(vc.EnumValues, ", "))+")", "}")
		}
		return out, nil
	case t != "string":
		return nil, nil // floats and other numbers: no facet MM7 uses
	}
	s := x
	if vc.Collapse {
		v.tmp++
		s = fmt.Sprintf("s%d", v.tmp)
		out = append(out, fmt.Sprintf("%s := xsdtypes.CollapseSpace(%s)", s, x))
	}
	quoted := `xsdtypes.Quote(` + s + `)`
	switch vc.Builtin {
	case "ID":
		out = append(out, "c.ID("+child+", "+s+")")
	case "IDREF", "NCName", "ENTITY":
		report("!xsdtypes.IsNCName("+s+")", `"value "+`+quoted+`+" is not a valid xs:`+vc.Builtin+` (an NCName)"`)
	case "Name":
		report("!xsdtypes.IsName("+s+")", `"value "+`+quoted+`+" is not a valid xs:Name"`)
	case "NMTOKEN":
		report("!xsdtypes.IsNMTOKEN("+s+")", `"value "+`+quoted+`+" is not a valid xs:NMTOKEN"`)
	case "language":
		report("!xsdtypes.IsLanguage("+s+")", `"value "+`+quoted+`+" is not a valid xs:language tag"`)
	case "boolean":
		report(s+` != "true" && `+s+` != "false" && `+s+` != "1" && `+s+` != "0"`, `"value "+`+quoted+`+" is not a valid xs:boolean"`)
	}
	if len(vc.EnumValues) > 0 {
		var cases []string
		for _, e := range vc.EnumValues {
			cases = append(cases, strconv.Quote(e))
		}
		out = append(out, "switch "+s+" {", "case "+strings.Join(cases, ", ")+":", "default:",
			"\tc.Report("+child+", "+`"value "+`+quoted+`+" is not one of: `+strings.Join(vc.EnumValues, ", ")+`")`, "}")
	}
	if vc.Length != nil || vc.MinLength != nil || vc.MaxLength != nil {
		v.strconv = true
		v.tmp++
		n := fmt.Sprintf("n%d", v.tmp)
		var conds []string
		var rule []string
		if vc.Length != nil {
			conds = append(conds, fmt.Sprintf("%s != %d", n, *vc.Length))
			rule = append(rule, fmt.Sprintf("exactly %d", *vc.Length))
		}
		if vc.MinLength != nil {
			conds = append(conds, fmt.Sprintf("%s < %d", n, *vc.MinLength))
			rule = append(rule, fmt.Sprintf("at least %d", *vc.MinLength))
		}
		if vc.MaxLength != nil {
			conds = append(conds, fmt.Sprintf("%s > %d", n, *vc.MaxLength))
			rule = append(rule, fmt.Sprintf("at most %d", *vc.MaxLength))
		}
		out = append(out, fmt.Sprintf("if %s := xsdtypes.RuneCount(%s); %s {", n, s, strings.Join(conds, " || ")),
			"\tc.Report("+child+`, "value has "+strconv.Itoa(`+n+`)+" characters, the schema allows `+strings.Join(rule, " and ")+`")`, "}")
	}
	for _, alts := range vc.Patterns {
		re, err := goRegexp(alts)
		if err != nil {
			return nil, err
		}
		name := ""
		for _, k := range v.patternOrder {
			if v.patterns[k] == re {
				name = k
			}
		}
		if name == "" {
			name = fmt.Sprintf("pattern%d", len(v.patternOrder)+1)
			v.patterns[name] = re
			v.patternOrder = append(v.patternOrder, name)
		}
		report("!"+name+".MatchString("+s+")", `"value "+`+quoted+`+" does not match the pattern `+strings.ReplaceAll(strconv.Quote(strings.Join(alts, " | ")), `"`, `\"`)+`"`)
	}
	if vc.Collapse && len(out) == 1 {
		return nil, nil // only the collapse: nothing to check
	}
	return out, nil
}

func (v *validateEmitter) enumNamed(t string) *goEnum {
	for _, e := range v.file.Enums {
		if e.Name == t {
			return e
		}
	}
	return nil
}

// enumText is the Go expression of the problem text for a value x outside
// an enumeration.
func enumText(vals []goEnumValue, x string) string {
	var names []string
	for i, e := range vals {
		if i == 12 {
			names = append(names, "…")
			break
		}
		names = append(names, e.Value)
	}
	return `"value "+xsdtypes.Quote(` + x + `)+` + strconv.Quote(" is not one of: "+strings.Join(names, ", "))
}

// nsForbidden is the Go condition under which a wildcard item of
// namespace expression x is outside the namespace constraint ns.
func nsForbidden(ns, x string) string {
	switch ns {
	case "##any":
		return ""
	case "##other":
		return x + ` == "" || ` + x + " == Namespace"
	}
	var ok []string
	for _, n := range splitFields(ns) {
		switch n {
		case "##targetNamespace":
			ok = append(ok, x+" == Namespace")
		case "##local":
			ok = append(ok, x+` == ""`)
		default:
			ok = append(ok, x+" == "+strconv.Quote(n))
		}
	}
	if len(ok) == 0 {
		return "true"
	}
	return "!(" + strings.Join(ok, " || ") + ")"
}

func nsRule(ns string) string {
	switch ns {
	case "##other":
		return "the schema allows only qualified names of other namespaces than its own"
	case "##local":
		return "the schema allows only unqualified names"
	case "##targetNamespace":
		return "the schema allows only its own namespace"
	}
	return "the schema allows only namespaces " + ns
}

// model returns the checks of a content model particle: must says the
// particle has to occur, rep that an enclosing particle repeats (then the
// Go fields hold the items of all repetitions and only the aggregate is
// checked, by the repeating particle).
func (v *validateEmitter) model(n *cmNode, must, rep bool) ([]string, error) {
	if rep {
		return nil, nil
	}
	switch n.Kind {
	case "element", "any":
		f := n.Field
		name := elemLabel(n)
		var out []string
		if must && n.Min >= 1 {
			switch {
			case f.Plural && n.Min > 1:
				v.strconv = true
				out = append(out, fmt.Sprintf("if len(v.%s) < %d {", f.Name, n.Min),
					fmt.Sprintf("\tc.Report(\"\", \"has \"+strconv.Itoa(len(v.%s))+%q)", f.Name, fmt.Sprintf(" %s, the schema needs at least %d", name, n.Min)), "}")
			case f.Plural:
				out = append(out, fmt.Sprintf("if len(v.%s) == 0 {", f.Name), fmt.Sprintf("\tc.Report(\"\", %q)", "missing required element "+name), "}")
			case f.Optional:
				out = append(out, fmt.Sprintf("if v.%s == nil {", f.Name), fmt.Sprintf("\tc.Report(\"\", %q)", "missing required element "+name), "}")
			}
		}
		if n.Max > 1 && f.Plural {
			v.strconv = true
			out = append(out, fmt.Sprintf("if len(v.%s) > %d {", f.Name, n.Max),
				fmt.Sprintf("\tc.Report(\"\", \"has \"+strconv.Itoa(len(v.%s))+%q)", f.Name, fmt.Sprintf(" %s, the schema allows at most %d", name, n.Max)), "}")
		}
		return out, nil
	}
	if n.Max != 1 {
		// A repeated group: the Go fields hold every repetition; the
		// schema needs at least one element when the group must occur
		// and one repetition cannot be empty.
		if must && n.Min >= 1 && !bodyEmptiable(n) {
			text := "needs at least one of " + strings.Join(labels(n), ", ")
			if l := labels(n); len(l) == 1 {
				text = "missing required element " + l[0]
			}
			return []string{"if !(" + present(n) + ") {", fmt.Sprintf("\tc.Report(\"\", %q)", text), "}"}, nil
		}
		return nil, nil
	}
	required := must && n.Min >= 1
	if n.Kind == "choice" && len(n.Children) > 1 {
		var pres, names []string
		anyEmpty := false
		for _, a := range n.Children {
			pres = append(pres, present(a))
			names = append(names, altLabel(a))
			if emptiable(a) {
				anyEmpty = true
			}
		}
		quoted := make([]string, len(names))
		for i, s := range names {
			quoted[i] = strconv.Quote(s)
		}
		v.tmp++
		k := fmt.Sprintf("k%d", v.tmp)
		out := []string{
			fmt.Sprintf("if %s := xsdtypes.CountTrue(%s); %s > 1 {", k, strings.Join(pres, ", "), k),
			fmt.Sprintf("\tc.Report(\"\", xsdtypes.ChoiceText([]string{%s}, %s))", strings.Join(quoted, ", "), strings.Join(pres, ", ")),
		}
		if required && !anyEmpty {
			out = append(out, fmt.Sprintf("} else if %s == 0 {", k), fmt.Sprintf("\tc.Report(\"\", %q)", "needs one of "+strings.Join(names, ", ")))
		}
		out = append(out, "}")
		for i, a := range n.Children {
			// present(a) already guarantees one occurrence of a single element
			inner, err := v.model(a, a.Field == nil || a.Min > 1, false)
			if err != nil {
				return nil, err
			}
			if len(inner) > 0 {
				out = append(out, wrap("if "+pres[i]+" {", inner)...)
			}
		}
		return out, nil
	}
	// a sequence, an all group, or a choice of one
	var inner []string
	childMust := required || !bodyEmptiable(n)
	for _, ch := range n.Children {
		l, err := v.model(ch, childMust, false)
		if err != nil {
			return nil, err
		}
		inner = append(inner, l...)
	}
	if required || bodyEmptiable(n) || len(inner) == 0 {
		if !required && !bodyEmptiable(n) {
			return nil, nil
		}
		return inner, nil
	}
	// optional group with required content: all or nothing
	return wrap("if "+present(n)+" {", inner), nil
}

// present is the Go condition that some element of particle n is there.
func present(n *cmNode) string {
	var conds []string
	var walk func(n *cmNode) bool
	walk = func(n *cmNode) bool {
		if n.Field != nil {
			switch {
			case n.Field.Plural:
				conds = append(conds, "len(v."+n.Field.Name+") > 0")
			case n.Field.Optional:
				conds = append(conds, "v."+n.Field.Name+" != nil")
			default:
				return true
			}
			return false
		}
		for _, c := range n.Children {
			if walk(c) {
				return true
			}
		}
		return false
	}
	if walk(n) || len(conds) == 0 {
		return "true"
	}
	return strings.Join(conds, " || ")
}

// emptiable reports whether particle n may match nothing.
func emptiable(n *cmNode) bool {
	return n.Min == 0 || bodyEmptiable(n)
}

// bodyEmptiable reports whether one occurrence of n may match nothing.
func bodyEmptiable(n *cmNode) bool {
	switch n.Kind {
	case "element", "any":
		return false
	case "choice":
		for _, c := range n.Children {
			if emptiable(c) {
				return true
			}
		}
		return len(n.Children) == 0
	}
	for _, c := range n.Children {
		if !emptiable(c) {
			return false
		}
	}
	return true
}

func elemLabel(n *cmNode) string {
	if n.Kind == "any" {
		return "element (any)"
	}
	return n.Field.XMLName.Local
}

func labels(n *cmNode) []string {
	if n.Field != nil {
		return []string{elemLabel(n)}
	}
	var out []string
	for _, c := range n.Children {
		out = append(out, labels(c)...)
	}
	return out
}

func altLabel(n *cmNode) string {
	l := labels(n)
	if len(l) == 1 {
		return l[0]
	}
	return "(" + strings.Join(l, ", ") + ")"
}
