package main

// The Go model the emitter prints: one goFile per schema.

type goFile struct {
	Package   string
	Source    string // schema path as given, slash-separated, module-relative when possible
	Namespace string // targetNamespace
	Doc       string // schema-level documentation
	Structs   []*goStruct
	Enums     []*goEnum
	Aliases   []*goAlias
	Elements  []*goStruct // the structs of global elements, in schema order
}

// goStruct is a Go struct for a global element or a complex type.
type goStruct struct {
	Name    string
	XSDName string // element or type name in the schema
	Kind    string // "element", "complexType" or "anonymous"
	Doc     string
	XMLName *qname // set for global elements
	Fields  []*goField
}

// goField is one struct field.
type goField struct {
	Name string
	Type string
	Tag  string
	Doc  string

	// facts kept for generated helpers and for tests
	XMLName  qname
	Attr     bool
	Optional bool
	Plural   bool
}

// goEnum is a named string type for an enumerated xs:simpleType.
type goEnum struct {
	Name    string
	XSDName string
	Doc     string
	Values  []goEnumValue
}

type goEnumValue struct {
	Const string
	Value string
}

// goAlias is a type alias, e.g. an xs:union of dateTime and duration
// mapped to xsdtypes.DateTimeOrDuration.
type goAlias struct {
	Name    string
	XSDName string
	Target  string
	Doc     string
}
