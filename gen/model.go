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
	Model   *cmNode // the content model, for Validate; nil for simple content
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

	// facts for Validate
	Check  *valueCheck // constraints on a simple value (element, attribute or chardata)
	Struct bool        // the element's type is a generated struct with its own Validate
	Text   bool        // the ,chardata field
	AnyNS  string      // namespace constraint of an xs:any or xs:anyAttribute field
	// Default is the schema default (or fixed value) of an element: an
	// empty element takes it, so an empty value is valid.
	Default string
}

// cmNode is one particle of a content model: a sequence, choice or all
// group, an element or a wildcard, with its occurrence bounds.
type cmNode struct {
	Kind     string // "sequence", "choice", "all", "element", "any"
	Min, Max int    // Max -1: unbounded
	Children []*cmNode
	Field    *goField // for "element" and "any"
}

// valueCheck holds the facets of a simple type, gathered along its
// derivation chain.
type valueCheck struct {
	Builtin    string     // the XSD built-in type at the root of the chain, e.g. "positiveInteger"
	Enum       bool       // the Go type is a generated enum with Valid()
	EnumValues []string   // enumerated values (for enums kept as numbers too)
	Patterns   [][]string // xs:pattern facets: alternatives of one step are ORed, steps ANDed
	Length     *int
	MinLength  *int
	MaxLength  *int
	MinIncl    string
	MaxIncl    string
	MinExcl    string
	MaxExcl    string
	Collapse   bool // whiteSpace collapse applies before the lexical checks
	Union      bool // a union other than dateTime|duration: not checked
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
