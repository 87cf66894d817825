package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/xgen"
)

// xgenModel parses the schema with xgen, as a library, and returns its
// parsed model (Options.ProtoTree).
//
// gen does not use xgen's Go output: on the MM7 schemas it does not compile
// or marshal (toolchain D1-D12). It emits from a model instead, and that
// model has to agree with xgen's: crossCheck fails generation when xgen
// sees a global element, an enumeration or an element cardinality that
// the emitted code does not have. Extract mode parses without writing
// files or following imports, which avoids D17 (stray files) and the
// os.Exit of D18. xgen's state is global (D18): call this from one
// goroutine at a time.
func xgenModel(xsdPath string) ([]any, error) {
	abs, err := filepath.Abs(xsdPath)
	if err != nil {
		return nil, err
	}
	opt := xgen.NewParser(&xgen.Options{
		FilePath:            abs,
		InputDir:            filepath.Dir(abs),
		OutputDir:           filepath.Dir(abs), // unused in Extract mode
		Lang:                "Go",
		Package:             "unused",
		Extract:             true,
		IncludeMap:          map[string]bool{},
		LocalNameNSMap:      map[string]string{},
		NSSchemaLocationMap: map[string]string{},
		ParseFileList:       map[string]bool{},
		ParseFileMap:        map[string][]any{},
		ProtoTree:           []any{},
		RemoteSchema:        map[string][]byte{},
	})
	if err := opt.Parse(); err != nil {
		return nil, fmt.Errorf("xgen: %w", err)
	}
	return opt.ProtoTree, nil
}

// crossCheck compares xgen's parsed model with the Go model gen built.
func crossCheck(tree []any, f *goFile) error {
	var problems []string
	elems := map[string]bool{}
	for _, s := range f.Elements {
		elems[s.XSDName] = true
	}
	// Types by schema name, in order: anonymous types of same-named
	// elements appear in xgen's model in the order gen met them (its Go
	// output then keeps only the first, D13).
	structs := map[string][]*goStruct{}
	for _, s := range f.Structs {
		if s.Kind != "element" {
			structs[s.XSDName] = append(structs[s.XSDName], s)
		}
	}
	enums := map[string]*goEnum{}
	for _, e := range f.Enums {
		if e.XSDName != "" {
			enums[e.XSDName] = e
		}
	}
	for _, p := range tree {
		switch v := p.(type) {
		case *xgen.Element:
			if !elems[v.Name] {
				problems = append(problems, fmt.Sprintf("xgen found global element %s, gen emitted none", v.Name))
			}
		case *xgen.SimpleType:
			e, ok := enums[v.Name]
			if len(v.Restriction.Enum) > 0 && ok {
				// xgen adds the values of an anonymous enumeration seen
				// earlier to the next named one, so xgen's list may be
				// longer; every value gen has must be among xgen's, in order.
				var got []string
				for _, x := range e.Values {
					got = append(got, x.Value)
				}
				xs := v.Restriction.Enum
				if len(xs) < len(got) || !slices.Equal(xs[len(xs)-len(got):], got) {
					problems = append(problems, fmt.Sprintf("simpleType %s: xgen enumerates %v, gen %v", v.Name, xs, got))
				}
			}
		case *xgen.ComplexType:
			queue := structs[v.Name]
			if len(queue) == 0 {
				continue // flattened into the elements that use it (D4, D5)
			}
			s := queue[0]
			if len(queue) > 1 {
				structs[v.Name] = queue[1:]
			}
			for _, xe := range v.Elements {
				fld := fieldByXML(s, xe.Name)
				if fld == nil {
					problems = append(problems, fmt.Sprintf("type %s: xgen has element %s, gen has no field for it", v.Name, xe.Name))
					continue
				}
				if fld.Plural != xe.Plural || (!fld.Plural && fld.Optional != xe.Optional) {
					problems = append(problems, fmt.Sprintf("type %s element %s: xgen optional=%v plural=%v, gen optional=%v plural=%v",
						v.Name, xe.Name, xe.Optional, xe.Plural, fld.Optional, fld.Plural))
				}
			}
			for _, xa := range v.Attributes {
				local := xa.Name[strings.Index(xa.Name, ":")+1:]
				if fieldByXML(s, local) == nil {
					problems = append(problems, fmt.Sprintf("type %s: xgen has attribute %s, gen has no field for it", v.Name, xa.Name))
				}
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("gen's model disagrees with xgen's:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

func fieldByXML(s *goStruct, local string) *goField {
	for _, f := range s.Fields {
		if f.XMLName.Local == local {
			return f
		}
	}
	return nil
}
