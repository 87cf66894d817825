package xsdtypes

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is one way a value breaks its schema, found by a generated
// Validate method.
type Problem struct {
	// Path is the offending element or attribute as a path of local names
	// from the message root, with a 1-based position for repeated
	// elements and @ before attribute names, e.g.
	// /SubmitReq/Recipients/To[2]/Number or /SubmitReq/Content/@href: the
	// form xsdvalidate uses for libxml2's reports.
	Path string
	// Text says what is wrong, e.g. `needs one of To, Cc, Bcc`.
	Text string
}

// String returns "path: text".
func (p Problem) String() string { return p.Path + ": " + p.Text }

// ValidationError lists every problem a generated Validate method found.
// Use errors.As to get it from an error that wraps it.
type ValidationError struct {
	// Element is the local name of the validated message, e.g. SubmitReq.
	Element string
	// Problems lists every problem in document order.
	Problems []Problem
}

// errorMaxProblems bounds the problems quoted by ValidationError.Error;
// Problems holds all of them.
const errorMaxProblems = 5

// Error summarises the problems, e.g.
// "SubmitReq is not valid: 2 problems: /SubmitReq/Recipients: needs ...; ...".
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(e.Element)
	b.WriteString(" is not valid: ")
	b.WriteString(strconv.Itoa(len(e.Problems)))
	b.WriteString(" problem")
	if len(e.Problems) != 1 {
		b.WriteByte('s')
	}
	for i, p := range e.Problems {
		if i == errorMaxProblems {
			b.WriteString("; and " + strconv.Itoa(len(e.Problems)-i) + " more")
			break
		}
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

type pathSeg struct {
	name  string
	index int // 1-based position, 0: none
}

// Checker collects the problems of one Validate call. It is used by
// generated code; its zero value is ready to use. A Checker that finds no
// problem does not allocate (for paths up to 16 elements deep).
type Checker struct {
	stack    [16]pathSeg
	deep     []pathSeg // beyond the stack
	n        int
	problems []Problem
	ids      map[string]struct{} // xs:ID values seen
}

// Enter descends into the child element name; index is its 1-based
// position among repeated siblings, or 0.
func (c *Checker) Enter(name string, index int) {
	if c.n < len(c.stack) {
		c.stack[c.n] = pathSeg{name, index}
	} else {
		c.deep = append(c.deep[:c.n-len(c.stack)], pathSeg{name, index})
	}
	c.n++
}

// Leave returns to the parent of the element last entered.
func (c *Checker) Leave() { c.n-- }

func (c *Checker) path(child string) string {
	var b strings.Builder
	for i := 0; i < c.n; i++ {
		s := c.seg(i)
		b.WriteByte('/')
		b.WriteString(s.name)
		if s.index > 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
		}
	}
	if child != "" {
		b.WriteByte('/')
		b.WriteString(child)
	}
	return b.String()
}

func (c *Checker) seg(i int) pathSeg {
	if i < len(c.stack) {
		return c.stack[i]
	}
	return c.deep[i-len(c.stack)]
}

// Report records a problem at child (an element name, "@attr", or "" for
// the current element itself).
func (c *Checker) Report(child, text string) {
	c.problems = append(c.problems, Problem{Path: c.path(child), Text: text})
}

// Err returns a *ValidationError listing the problems found for the
// message element, or nil when there were none.
func (c *Checker) Err(element string) error {
	if len(c.problems) == 0 {
		return nil
	}
	return &ValidationError{Element: element, Problems: c.problems}
}

// ID checks an xs:ID value at child: it must be an NCName (after
// collapsing white space) and unique within the message.
func (c *Checker) ID(child, v string) {
	v = CollapseSpace(v)
	if !IsNCName(v) {
		c.Report(child, "value "+quote(v)+" is not a valid xs:ID (an NCName)")
		return
	}
	if _, dup := c.ids[v]; dup {
		c.Report(child, "xs:ID value "+quote(v)+" is already used earlier in the message")
		return
	}
	if c.ids == nil {
		c.ids = make(map[string]struct{}, 8)
	}
	c.ids[v] = struct{}{}
}

// CollapseSpace applies the XSD whiteSpace="collapse" facet: runs of
// space, tab, CR and LF become one space, leading and trailing ones go. It
// returns s itself when nothing changes.
func CollapseSpace(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\t' || c == '\n' || c == '\r' ||
			(c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ')) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}), " ")
}

// IsNCName reports whether s is an XML non-colonised name (xs:NCName,
// xs:ID, xs:IDREF, xs:ENTITY).
func IsNCName(s string) bool {
	return isName(s, false)
}

// IsName reports whether s is an XML Name (xs:Name), colons allowed.
func IsName(s string) bool {
	return isName(s, true)
}

// IsNMTOKEN reports whether s is an xs:NMTOKEN: one or more name
// characters.
func IsNMTOKEN(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !isNameChar(r) && r != ':' {
			return false
		}
	}
	return true
}

func isName(s string, colon bool) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == ':' {
			if !colon {
				return false
			}
			continue
		}
		if r == utf8.RuneError {
			return false
		}
		if i == 0 && !isNameStart(r) || !isNameChar(r) {
			return false
		}
	}
	return true
}

// isNameStart and isNameChar follow the NameStartChar and NameChar
// productions of XML 1.0 (fifth edition), colon excluded.
func isNameStart(r rune) bool {
	switch {
	case r == '_' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z':
		return true
	case r < 0xC0:
		return false
	}
	return r <= 0xD6 || 0xD8 <= r && r <= 0xF6 || 0xF8 <= r && r <= 0x2FF ||
		0x370 <= r && r <= 0x37D || 0x37F <= r && r <= 0x1FFF || 0x200C <= r && r <= 0x200D ||
		0x2070 <= r && r <= 0x218F || 0x2C00 <= r && r <= 0x2FEF || 0x3001 <= r && r <= 0xD7FF ||
		0xF900 <= r && r <= 0xFDCF || 0xFDF0 <= r && r <= 0xFFFD || 0x10000 <= r && r <= 0xEFFFF
}

func isNameChar(r rune) bool {
	return isNameStart(r) || r == '-' || r == '.' || '0' <= r && r <= '9' || r == 0xB7 ||
		0x300 <= r && r <= 0x36F || 0x203F <= r && r <= 0x2040
}

// IsLanguage reports whether s is an xs:language tag such as en-GB.
func IsLanguage(s string) bool {
	for i, part := range strings.Split(s, "-") {
		if len(part) < 1 || len(part) > 8 {
			return false
		}
		for _, r := range part {
			if r > unicode.MaxASCII || !(unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r)) {
				return false
			}
		}
	}
	return true
}

// RuneCount is the length of an xs:string value in characters, as the
// length, minLength and maxLength facets count it.
func RuneCount(s string) int { return utf8.RuneCountInString(s) }

// Quote returns s as a Go string literal for a problem text, shortened
// when long.
func Quote(s string) string { return quote(s) }

// Validate reports why d cannot be written as xs:dateTime: it is unset
// (the zero value) or its year is outside 0001-9999. It does not allocate
// for a valid value.
func (d DateTime) Validate() error {
	if d.IsZero() {
		return errUnsetDateTime
	}
	t := d.Time
	if !d.NoZone {
		if _, off := t.Zone(); off%60 != 0 || off > 14*3600 || off < -14*3600 {
			t = t.UTC()
		}
	}
	if y := t.Year(); y < 1 || y > 9999 {
		_, err := d.appendText(nil)
		return err
	}
	return nil
}

// Validate reports why d cannot be written as xs:duration: a negative
// component or Nanoseconds outside 0-999999999.
func (d Duration) Validate() error { return d.validate() }

// Validate reports why v cannot be written: it is unset, or the value it
// holds is not valid (see DateTime.Validate, Duration.Validate).
func (v DateTimeOrDuration) Validate() error {
	switch v.kind {
	case absolute:
		return v.abs.Validate()
	case relative:
		return v.rel.Validate()
	}
	return errUnsetUnion
}

var (
	errUnsetDateTime = errors.New("xsdtypes: DateTime is unset (zero time)")
	errUnsetUnion    = errors.New("xsdtypes: DateTimeOrDuration is unset (neither a dateTime nor a duration)")
)

// Position returns the 1-based position of item i of n repeated siblings
// for a path, or 0 when there is only one.
func Position(i, n int) int {
	if n > 1 {
		return i + 1
	}
	return 0
}

// Indexed returns name with the 1-based position of item i of n repeated
// values, e.g. DC[2], or name alone when n is 1.
func Indexed(name string, i, n int) string {
	if n > 1 {
		return name + "[" + strconv.Itoa(i+1) + "]"
	}
	return name
}

// CountTrue returns how many of present are true.
func CountTrue(present ...bool) int {
	n := 0
	for _, p := range present {
		if p {
			n++
		}
	}
	return n
}

// ChoiceText is the problem text for a choice with more than one
// alternative present: "has To and Cc; the schema allows only one of To, Cc, Bcc".
func ChoiceText(names []string, present ...bool) string {
	var got []string
	for i, p := range present {
		if p && i < len(names) {
			got = append(got, names[i])
		}
	}
	return "has " + strings.Join(got, " and ") + "; the schema allows only one of " + strings.Join(names, ", ")
}

// Validate reports why e cannot be marshalled: an element without a local
// name, at any depth. It walks the tree without recursion.
func (e *AnyElement) Validate() error {
	stack := []*AnyElement{e}
	for len(stack) > 0 {
		el := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if el.XMLName.Local == "" {
			return errNoElementName
		}
		for i := range el.Children {
			stack = append(stack, &el.Children[i])
		}
	}
	return nil
}

var errNoElementName = errors.New("xsdtypes: wildcard element without a name (XMLName.Local is empty)")
