package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// checkOf gathers the constraints on a simple value for Validate: the
// facets of the simple type q (or of the anonymous simpleType st) along
// its derivation chain, down to the built-in type at its root. goType is
// the Go type the value has. It returns nil when nothing can be checked.
func (b *builder) checkOf(q qname, st *node, goType string) *valueCheck {
	vc := &valueCheck{Enum: b.isEnum(goType)}
	if st != nil {
		b.facetsOfNode(st, vc, 0)
	} else {
		b.facetsOf(q, vc, 0)
	}
	switch vc.Builtin {
	case "token", "language", "Name", "NCName", "ID", "IDREF", "ENTITY", "NMTOKEN", "anyURI", "QName",
		"dateTime", "duration", "date", "time", "boolean", "integer", "int", "long", "short", "byte",
		"positiveInteger", "nonNegativeInteger", "negativeInteger", "nonPositiveInteger",
		"unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "decimal", "double", "float":
		vc.Collapse = true
	}
	return vc
}

// facetsOf follows a named simple type. depth guards against a cycle in
// a broken schema.
func (b *builder) facetsOf(q qname, vc *valueCheck, depth int) {
	if depth > 32 {
		return
	}
	if q.Space == xsdNS {
		if vc.Builtin == "" {
			vc.Builtin = q.Local
		}
		return
	}
	if q.Space != b.tns {
		vc.Union = true // a type of an imported schema gen does not read
		return
	}
	if st, ok := b.simpleTypes[q.Local]; ok {
		b.facetsOfNode(st, vc, depth+1)
	}
}

func (b *builder) facetsOfNode(st *node, vc *valueCheck, depth int) {
	switch {
	case st.child("restriction") != nil:
		r := st.child("restriction")
		var pats []string
		var enums []string
		for _, f := range r.children("") {
			v := f.attr("value")
			switch f.Name.Local {
			case "pattern":
				pats = append(pats, v)
			case "enumeration":
				enums = append(enums, v)
			case "length":
				setInt(&vc.Length, v)
			case "minLength":
				setInt(&vc.MinLength, v)
			case "maxLength":
				setInt(&vc.MaxLength, v)
			case "minInclusive":
				setStr(&vc.MinIncl, v)
			case "maxInclusive":
				setStr(&vc.MaxIncl, v)
			case "minExclusive":
				setStr(&vc.MinExcl, v)
			case "maxExclusive":
				setStr(&vc.MaxExcl, v)
			}
		}
		if len(pats) > 0 {
			vc.Patterns = append(vc.Patterns, pats)
		}
		if len(enums) > 0 && vc.EnumValues == nil {
			vc.EnumValues = enums // the outermost enumeration is the narrowest
		}
		if r.has("base") {
			if q, err := r.resolve(r.attr("base")); err == nil {
				b.facetsOf(q, vc, depth+1)
			}
		} else if inner := r.child("simpleType"); inner != nil {
			b.facetsOfNode(inner, vc, depth+1)
		}
	case st.child("union") != nil:
		u := st.child("union")
		members := 0
		dt := 0
		for _, m := range splitFields(u.attr("memberTypes")) {
			members++
			if q, err := u.resolve(m); err == nil && q.Space == xsdNS && (q.Local == "dateTime" || q.Local == "duration") {
				dt++
			}
		}
		members += len(u.children("simpleType"))
		if members == 2 && dt == 2 {
			vc.Builtin = "dateTimeOrDuration"
			return
		}
		vc.Union = true
	case st.child("list") != nil:
		vc.Union = true // lists are kept as text and not checked
	}
}

func setInt(p **int, v string) {
	if *p != nil {
		return
	}
	if n, err := strconv.Atoi(v); err == nil {
		*p = &n
	}
}

func setStr(p *string, v string) {
	if *p == "" {
		*p = v
	}
}

func splitFields(s string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
}

// loadImports reads the schemas xs:import names with a local
// schemaLocation (relative to dir), so Validate can check the facets of
// their global attributes (soap:mustUnderstand is 0 or 1). An import
// without a readable local file is skipped: its attributes stay unchecked
// text, as before.
func (b *builder) loadImports(dir string) error {
	b.imported = map[string]*builder{}
	for _, imp := range b.schema.children("import") {
		loc, ns := imp.attr("schemaLocation"), imp.attr("namespace")
		if loc == "" || ns == "" || strings.Contains(loc, "://") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(loc)))
		if err != nil {
			continue
		}
		schema, err := readSchema(src)
		if err != nil {
			return fmt.Errorf("imported %s: %w", loc, err)
		}
		sub, err := newBuilder(schema, "imported", loc)
		if err != nil {
			return fmt.Errorf("imported %s: %w", loc, err)
		}
		b.imported[ns] = sub
	}
	return nil
}
