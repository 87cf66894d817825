package xsdvalidate

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/lestrrat-go/libxml2"
	"github.com/lestrrat-go/libxml2/parser"
)

// parseOptions: no network, no DTD loading, no entity substitution (none of
// XMLParseDTDLoad, XMLParseNoEnt), silent (no stderr), and true line
// numbers past 65535.
const parseOptions = parser.XMLParseNoNet | parser.XMLParseNoError |
	parser.XMLParseNoWarning | parser.XMLParseBigLines

// Validate validates the XML document doc against the schema. It returns
// nil when the document is valid, a *ValidationError listing every problem
// when it is not, and a *ParseError when the document is not well-formed
// or contains a DOCTYPE (refused before libxml2 parses it).
func (s *Schema) Validate(doc []byte) error {
	if err := prescan(doc); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.c.schema == nil {
		return ErrClosed
	}
	d, err := libxml2.Parse(doc, parseOptions)
	if err != nil {
		if pe := syntaxError(doc); pe != nil {
			return pe
		}
		return libxml2ParseError(err)
	}
	defer d.Free()
	rc, problems, ordinals, dropped := validateC(s.c, d.Pointer())
	if rc == dtdFound {
		// Not reached unless encoding/xml and libxml2 disagree on the prolog.
		return &ParseError{Message: ErrDOCTYPE.Error(), Err: ErrDOCTYPE}
	}
	if len(problems) == 0 && dropped == 0 {
		switch {
		case rc == 0:
			return nil
		case rc < 0:
			return fmt.Errorf("xsdvalidate: %s: internal libxml2 error %d", s.name, rc)
		}
		problems = []Problem{{Message: "document is not valid (libxml2 gave no details)"}}
	}
	locate(doc, problems, ordinals)
	return &ValidationError{Schema: s.name, Problems: problems, Dropped: dropped}
}

// The binding words parser errors as "...: Entity: line 3: parser error : message".
var libxml2ParserMessage = regexp.MustCompile(`line (\d+): parser error : (.*)$`)

// libxml2ParseError turns an error of the binding's parser (a document that
// encoding/xml accepted but libxml2 did not) into a *ParseError.
func libxml2ParseError(err error) *ParseError {
	m := libxml2ParserMessage.FindStringSubmatch(err.Error())
	if m == nil {
		return &ParseError{Message: err.Error(), Err: err}
	}
	line, _ := strconv.Atoi(m[1])
	return &ParseError{Line: line, Message: m[2], Err: err}
}
