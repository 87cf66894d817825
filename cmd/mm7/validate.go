package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/xsdvalidate"
)

func init() {
	register(&command{name: "validate", usage: "[--content-type TYPE] [--xsd SCHEMA] FILE|-",
		short: "check an MM7 message against the schema of its namespace, as written, and print every problem with line and column", run: runValidate})
}

// runValidate judges the document as written. Leniency belongs to inspect
// and serve: the schema is the bundled one of the body's namespace
// exactly (or --xsd), never the nearest version; the envelope is read in
// whatever charset the decoder reads and validated as UTF-8, with
// positions reported in the file.
func runValidate(_ context.Context, e *env, args []string) int {
	c := commands["validate"]
	fs := newFlags(e, c)
	ct := fs.String("content-type", "", "Content-Type of FILE when it has no headers of its own")
	xsdPath := fs.String("xsd", "", "validate against this schema file instead of the bundled one for the message's namespace")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	name := fs.Arg(0)
	data, err := readInput(e, name)
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	raw, err := parseInput(inputName(name), data, *ct)
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	dec, err := mm7.NewDecoder(bytes.NewReader(raw.Body), raw.ContentType, mm7.DecodeOptions{})
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	msg, err := dec.Message()
	if err != nil {
		return fail(e, c.name, exitFail, fmt.Errorf("%s is not an MM7 message: %w", inputName(name), err))
	}
	env := dec.Envelope()
	utf, err := dec.EnvelopeUTF8()
	if err != nil {
		return fail(e, c.name, exitFail, fmt.Errorf("%s: %w", inputName(name), err))
	}
	doc, pos := prepareForValidation(env, utf)
	// Report lines of FILE when the envelope stands in it as is.
	if i := bytes.Index(data, env); i >= 0 && len(env) > 0 {
		pos.lineOffset = bytes.Count(data[:i], []byte("\n"))
	}
	for _, d := range dec.Deviations() {
		fmt.Fprintf(e.stderr, "%s: deviation %s: %s\n", name, d.Code, d.Text)
	}

	var schema *xsdvalidate.Schema
	var why string
	if *xsdPath != "" {
		schema, err = xsdvalidate.CompileFile(*xsdPath)
		if err != nil {
			return fail(e, c.name, exitFail, err)
		}
		defer schema.Close()
		why = *xsdPath + " (--xsd)"
	} else {
		elem, ns := bodyNamespace(doc)
		if elem == "" {
			elem = msg.Kind()
		}
		schema, why, err = bundledSchema(msg.Kind(), elem, ns)
		if err != nil {
			return fail(e, c.name, exitFail, fmt.Errorf("%s: %w", inputName(name), err))
		}
	}
	note := ""
	if pos.chars {
		note = "; read as " + pos.charset + ", columns count characters"
	}
	err = schema.Validate(doc)
	if err == nil {
		if pos.chars {
			why += "; read as " + pos.charset
		}
		fmt.Fprintf(e.stdout, "%s: valid %s (%s, %s); schema: %s\n", name, msg.Kind(), schema.Name(), msg.Version.MM7Version, why)
		return exitOK
	}
	var ve *xsdvalidate.ValidationError
	var pe *xsdvalidate.ParseError
	switch {
	case errors.As(err, &ve):
		for _, p := range ve.Problems {
			line, col := pos.at(p.Line, p.Column)
			fmt.Fprintf(e.stdout, "%s:%d:%d: %s: %s\n", name, line, col, p.Path, p.Message)
		}
		if ve.Dropped > 0 {
			fmt.Fprintf(e.stdout, "%s: %s not listed\n", name, plural(ve.Dropped, "more problem", "more problems"))
		}
		fmt.Fprintf(e.stdout, "%s: invalid %s: %s (%s)%s\n", name, msg.Kind(), plural(len(ve.Problems)+ve.Dropped, "problem", "problems"), schema.Name(), note)
	case errors.As(err, &pe):
		line, col := pos.at(pe.Line, pe.Column)
		fmt.Fprintf(e.stdout, "%s:%d:%d: %s%s\n", name, line, col, pe.Message, note)
	default:
		return fail(e, c.name, exitFail, err)
	}
	return exitFail
}

// bundledSchema picks the bundled schema for a body element in namespace
// ns exactly as written, and says why; a namespace without one is an
// error that says what the namespace is.
func bundledSchema(kind, elem, ns string) (*xsdvalidate.Schema, string, error) {
	if ns == mm7.Rel5.Namespace || ns == mm7.Rel6.Namespace {
		s, err := xsdvalidate.ForNamespace(ns)
		return s, "bundled " + s.Name() + ", for the body's namespace " + ns, err
	}
	_, _, published := mm7.VersionForNamespace(ns)
	switch {
	case kind == "Fault" && ns == "":
		return nil, "", errors.New("the Fault carries no MM7 element (no RSErrorRsp or VASPErrorRsp in its detail): no bundled schema applies; pass --xsd")
	case ns == "":
		return nil, "", fmt.Errorf("%s has no namespace: no bundled schema applies; pass --xsd", elem)
	case published && ns == strings.TrimRight(strings.TrimSpace(ns), "/"):
		return nil, "", fmt.Errorf("%s is in namespace %q (%s), a published MM7 namespace without a bundled schema (mm7go bundles %s and %s); pass --xsd",
			elem, ns, ns[strings.LastIndexByte(ns, '/')+1:], mm7.Rel5.Schema, mm7.Rel6.Schema)
	default:
		return nil, "", fmt.Errorf("%s is in namespace %q, which is not a published MM7 namespace: no bundled schema applies; pass --xsd", elem, ns)
	}
}

// bodyNamespace returns the MM7 element of a SOAP envelope, as written:
// the Body's element, or for a Fault the first element of its detail;
// "" when there is none.
func bodyNamespace(doc []byte) (elem, ns string) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var path []string
	for {
		tok, err := d.Token()
		if err != nil {
			return "", ""
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			if len(path) > 5 {
				return "", ""
			}
			p := strings.Join(path, "/")
			switch {
			case len(path) == 3 && path[1] == "Body" && t.Name.Local != "Fault":
				return t.Name.Local, t.Name.Space
			case len(path) == 5 && strings.HasPrefix(p, "Envelope/Body/Fault/detail/"):
				return t.Name.Local, t.Name.Space
			}
		case xml.EndElement:
			if len(path) == 3 && path[2] == "Fault" {
				return "", "" // a Fault without detail
			}
			path = path[:len(path)-1]
		}
	}
}

// xmlDeclEncoding finds the encoding of an XML declaration.
var xmlDeclEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']`)

// positions maps positions in the document handed to libxml2 back to the
// file: lines are the same (transcoding keeps line breaks); columns are
// bytes of the file when it is UTF-8, characters otherwise.
type positions struct {
	doc        []byte
	lineOffset int    // lines of the file before the envelope
	chars      bool   // the file is not UTF-8: columns count characters
	charset    string // what it was read as, when chars
	bomBytes   int    // a UTF-8 byte order mark dropped from line 1
	declEnd    int    // byte offset on line 1 after the rewritten encoding value
	declDelta  int    // len(new value) - len(old value)
}

// prepareForValidation returns the UTF-8 document libxml2 validates, its
// XML declaration made to say UTF-8, and how to map positions back.
func prepareForValidation(env, utf []byte) ([]byte, *positions) {
	p := &positions{chars: !utf8.Valid(env) || bytes.IndexByte(env, 0) >= 0}
	if bytes.HasPrefix(env, []byte{0xEF, 0xBB, 0xBF}) {
		p.bomBytes = 3
	}
	doc := utf
	if m := xmlDeclEncoding.FindSubmatchIndex(doc[:min(len(doc), 256)]); m != nil {
		label := string(doc[m[2]:m[3]])
		p.charset = label
		if l := strings.ToLower(label); l != "utf-8" && l != "utf8" {
			const want = "UTF-8"
			doc = append(append(append([]byte{}, doc[:m[2]]...), want...), doc[m[3]:]...)
			p.declDelta = len(want) - (m[3] - m[2])
			p.declEnd = m[2] + len(want)
		}
	}
	if p.charset == "" || !p.chars {
		switch {
		case bytes.HasPrefix(env, []byte{0xFF, 0xFE}), bytes.HasPrefix(env, []byte{0xFE, 0xFF}), bytes.IndexByte(env, 0) >= 0:
			p.charset = "UTF-16"
		case p.charset == "":
			p.charset = "its MIME charset"
		}
	}
	p.doc = doc
	return doc, p
}

// at maps a 1-based line and byte column of the validated document to
// the file.
func (p *positions) at(line, col int) (int, int) {
	if line <= 0 {
		return line, col
	}
	if col > 0 {
		b := col - 1
		text := p.lineBytes(line)
		b = min(b, len(text))
		if p.chars {
			col = utf8.RuneCount(text[:b]) + 1
		}
		if line == 1 {
			if p.declDelta != 0 && b >= p.declEnd {
				col -= p.declDelta
			}
			if !p.chars {
				col += p.bomBytes
			}
		}
	}
	return line + p.lineOffset, col
}

// lineBytes returns line n (1-based) of the document.
func (p *positions) lineBytes(n int) []byte {
	rest := p.doc
	for ; n > 1; n-- {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			return nil
		}
		rest = rest[i+1:]
	}
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// plural returns "1 problem" or "2 problems".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
