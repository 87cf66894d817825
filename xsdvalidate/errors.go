package xsdvalidate

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var (
	// ErrDOCTYPE is wrapped by the *ParseError returned for a document that
	// contains a DOCTYPE declaration. Such documents are refused before they
	// reach libxml2 (no DTDs, no entity declarations, no entity expansion).
	ErrDOCTYPE = errors.New("DOCTYPE declarations are not allowed")

	// ErrClosed is returned by Validate on a schema after Close.
	ErrClosed = errors.New("xsdvalidate: schema is closed")

	// ErrUnknownNamespace is wrapped by the error of ForNamespace for a
	// namespace without an embedded schema.
	ErrUnknownNamespace = errors.New("no embedded MM7 schema for namespace")
)

// Problem is one schema validation error reported by libxml2.
type Problem struct {
	// Line and Column locate the '<' of the offending element's start tag;
	// both are 1-based, Column counts bytes. 0 when unknown. (libxml2 alone
	// gives only the line on which the start tag ends; when the element
	// cannot be matched up, Line is that and Column is 0.)
	Line, Column int
	// Path is the offending element as a path of local names from the root,
	// with a 1-based position where siblings share a name, e.g.
	// /SubmitReq/Recipients/To[2]/Number. libxml2 reports a bad attribute on
	// its element (the message names the attribute). Empty when libxml2
	// names no node.
	Path string
	// Element is the offending element as {namespace}local (or local when it
	// has no namespace); empty when unknown.
	Element string
	// Message is libxml2's message, whitespace-trimmed.
	Message string
}

// String formats the problem as "line 5, column 3: /SubmitReq/Priority: message",
// leaving out what is unknown.
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(p.Line))
		if p.Column > 0 {
			b.WriteString(", column ")
			b.WriteString(strconv.Itoa(p.Column))
		}
		b.WriteString(": ")
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError reports a well-formed document that does not conform to
// its schema. It lists every problem libxml2 reported, up to 1000; beyond
// that they are only counted in Dropped.
type ValidationError struct {
	// Schema names the schema: "REL-6-MM7-1-4" for the embedded ones, the
	// file's base name without ".xsd" for CompileFile.
	Schema   string
	Problems []Problem
	// Dropped counts the problems not collected because of the limit.
	Dropped int
}

// Limits on the length of ValidationError.Error.
const (
	errorMaxProblems = 5
	errorMaxMessage  = 300
)

// Error summarises the first few problems, for example
// "xsdvalidate: REL-6-MM7-1-4: 2 problems: line 5, column 3: /SubmitReq/Priority: ...; line 9, ...",
// with namespace URIs abbreviated ({…REL-6-MM7-1-4}Priority). Its length is
// bounded; the full list is in Problems.
func (e *ValidationError) Error() string {
	return "xsdvalidate: " + e.Schema + ": " + summarize(e.Problems, e.Dropped)
}

// summarize formats a count and the first few problems, bounded in length.
func summarize(problems []Problem, dropped int) string {
	total := len(problems) + dropped
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem", total)
	if total != 1 {
		b.WriteByte('s')
	}
	for i, p := range problems {
		if i == errorMaxProblems {
			fmt.Fprintf(&b, "; and %d more", total-i)
			break
		}
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(truncate(shortenNamespaces(p.String()), errorMaxMessage))
	}
	return b.String()
}

// expandedName matches the namespace part of an expanded name in a libxml2
// message, such as {http://www.3gpp.org/.../REL-6-MM7-1-4}.
var expandedName = regexp.MustCompile(`\{[A-Za-z][A-Za-z0-9+.-]*:[^{}\s]*/([^/{}\s]+)/?\}`)

// shortenNamespaces abbreviates namespace URIs to their last segment
// ({…REL-6-MM7-1-4}Priority), to keep Error strings readable.
func shortenNamespaces(s string) string {
	return expandedName.ReplaceAllString(s, "{…$1}")
}

// ParseError reports a document that was refused before schema validation:
// it is not well-formed XML, or it has a DOCTYPE (then it wraps ErrDOCTYPE).
type ParseError struct {
	// Line and Column locate the error (1-based, Column in bytes): the
	// DOCTYPE's '<', or where the syntax error was detected. 0 when unknown.
	Line, Column int
	Message      string
	// Err is the underlying cause when there is one (ErrDOCTYPE, an
	// *xml.SyntaxError, ...); nil otherwise.
	Err error
}

// Error formats the error as "xsdvalidate: malformed XML: line 3, column 7: message".
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("xsdvalidate: ")
	if !errors.Is(e.Err, ErrDOCTYPE) {
		b.WriteString("malformed XML: ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ", column %d", e.Column)
		}
		b.WriteString(": ")
	}
	b.WriteString(truncate(e.Message, errorMaxMessage))
	return b.String()
}

// Unwrap returns Err.
func (e *ParseError) Unwrap() error { return e.Err }

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "..."
}
