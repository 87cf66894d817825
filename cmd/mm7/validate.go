package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/openmms/mm7go/internal/rawmsg"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/xsdvalidate"
)

func init() {
	register(&command{name: "validate", usage: "[--content-type TYPE] [--xsd SCHEMA] FILE|-",
		short: "check an MM7 message against the schema of its version and print every problem with line and column", run: runValidate})
}

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
	raw, err := rawmsg.Parse(data, *ct)
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	dec, err := mm7.NewDecoder(bytes.NewReader(raw.Body), raw.ContentType, mm7.DecodeOptions{})
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	msg, err := dec.Message()
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	var schema *xsdvalidate.Schema
	if *xsdPath != "" {
		schema, err = xsdvalidate.CompileFile(*xsdPath)
		if err == nil {
			defer schema.Close()
		}
	} else {
		schema, err = xsdvalidate.ForNamespace(msg.Version.Namespace)
		if errors.Is(err, xsdvalidate.ErrUnknownNamespace) {
			err = fmt.Errorf("no bundled schema for %s (mm7go bundles REL-5-MM7-1-2 and REL-6-MM7-1-4); pass --xsd", msg.Version.Schema)
		}
	}
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	env := dec.Envelope()
	// Report lines of FILE when the envelope stands in it as is.
	lineOffset := 0
	if i := bytes.Index(data, env); i >= 0 && len(env) > 0 {
		lineOffset = bytes.Count(data[:i], []byte("\n"))
	}
	for _, d := range dec.Deviations() {
		fmt.Fprintf(e.stderr, "%s: deviation %s: %s\n", name, d.Code, d.Text)
	}
	err = schema.Validate(env)
	if err == nil {
		fmt.Fprintf(e.stdout, "%s: valid %s (%s, %s)\n", name, msg.Kind(), schema.Name(), msg.Version.MM7Version)
		return exitOK
	}
	var ve *xsdvalidate.ValidationError
	var pe *xsdvalidate.ParseError
	switch {
	case errors.As(err, &ve):
		for _, p := range ve.Problems {
			fmt.Fprintf(e.stdout, "%s:%d:%d: %s: %s\n", name, p.Line+lineOffset, p.Column, p.Path, p.Message)
		}
		if ve.Dropped > 0 {
			fmt.Fprintf(e.stdout, "%s: %s not listed\n", name, plural(ve.Dropped, "more problem", "more problems"))
		}
		fmt.Fprintf(e.stdout, "%s: invalid %s: %s (%s)\n", name, msg.Kind(), plural(len(ve.Problems)+ve.Dropped, "problem", "problems"), schema.Name())
	case errors.As(err, &pe):
		fmt.Fprintf(e.stdout, "%s:%d:%d: %s\n", name, pe.Line+lineOffset, pe.Column, pe.Message)
	default:
		return fail(e, c.name, exitFail, err)
	}
	return exitFail
}

// plural returns "1 problem" or "2 problems".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
