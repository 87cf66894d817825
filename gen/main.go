// Command gen generates the Go bindings of the MM7 schemas.
//
// Run from anywhere in the module (go generate ./gen, or make generate):
//
//	go run ./gen                 # xsd/REL-5-MM7-1-2.xsd -> generated/rel5, xsd/REL-6-MM7-1-4.xsd -> generated/rel6,
//	                             # and the conversions between them -> generated/convert
//	go run ./gen -check          # report stale generated files, write nothing (exit 1 if any)
//	go run ./gen -xsd path/to/schema.xsd -pkg relX -out dir
//
// gen parses each schema twice: with github.com/xuri/xgen, used as a
// library, and with its own small XSD reader that keeps what xgen's model
// drops (namespaces, content-model order, groups, wildcards, built-in type
// names). It builds a Go model from the latter, cross-checks it against
// xgen's, and prints it with go/format. See the README for the xgen
// defects this avoids.
package main

//go:generate go run .

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// targets are the schemas of the repository and where their code goes.
var targets = []struct{ xsd, pkg, out string }{
	{"xsd/REL-5-MM7-1-2.xsd", "rel5", "generated/rel5"},
	{"xsd/REL-6-MM7-1-4.xsd", "rel6", "generated/rel6"},
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	xsdPath := fs.String("xsd", "", "generate from this schema only (default: the repository's schemas)")
	pkg := fs.String("pkg", "", "Go package name for -xsd")
	out := fs.String("out", "", "output directory for -xsd")
	check := fs.Bool("check", false, "write nothing; fail if any generated file is stale")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	var stale []string
	gen := func(xsd, source, pkg, out string) error {
		files, err := generate(xsd, source, pkg)
		if err != nil {
			return err
		}
		s, err := syncDir(out, files, *check)
		stale = append(stale, s...)
		return err
	}

	if *xsdPath != "" {
		if *pkg == "" || *out == "" {
			return errors.New("-xsd needs -pkg and -out")
		}
		if err := gen(*xsdPath, sourceName(*xsdPath), *pkg, *out); err != nil {
			return err
		}
	} else {
		root, err := moduleRoot()
		if err != nil {
			return err
		}
		for _, t := range targets {
			if err := gen(filepath.Join(root, t.xsd), t.xsd, t.pkg, filepath.Join(root, t.out)); err != nil {
				return err
			}
		}
		for _, c := range conversions {
			files, err := convertFiles(root, c)
			if err != nil {
				return err
			}
			s, err := syncDir(filepath.Join(root, c.out), files, *check)
			stale = append(stale, s...)
			if err != nil {
				return err
			}
		}
	}
	if *check && len(stale) > 0 {
		return fmt.Errorf("stale generated files (run make generate):\n  %s", strings.Join(stale, "\n  "))
	}
	for _, s := range stale {
		fmt.Fprintln(stdout, "wrote", s)
	}
	return nil
}

// buildModel reads one schema and builds its Go model. The conversion
// pass (convert.go) uses it too, so both see the same model.
func buildModel(xsdPath, source, pkg string) (*goFile, *builder, error) {
	src, err := os.ReadFile(xsdPath)
	if err != nil {
		return nil, nil, err
	}
	schema, err := readSchema(src)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", xsdPath, err)
	}
	b, err := newBuilder(schema, pkg, source)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", xsdPath, err)
	}
	if err := b.loadImports(filepath.Dir(xsdPath)); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", xsdPath, err)
	}
	model, err := b.build()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", xsdPath, err)
	}
	return model, b, nil
}

// generate returns the generated files for one schema, by file name.
func generate(xsdPath, source, pkg string) (map[string][]byte, error) {
	model, b, err := buildModel(xsdPath, source, pkg)
	if err != nil {
		return nil, err
	}
	tree, err := xgenModel(xsdPath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", xsdPath, err)
	}
	if err := crossCheck(tree, model); err != nil {
		return nil, fmt.Errorf("%s: %w", xsdPath, err)
	}
	doc, err := emitDoc(model)
	if err != nil {
		return nil, err
	}
	types, err := emitTypes(model, b.imports)
	if err != nil {
		return nil, err
	}
	validate, err := emitValidate(model)
	if err != nil {
		return nil, err
	}
	message, err := emitMessage(model)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{"doc.go": doc, "types.go": types, "validate.go": validate, "message.go": message}
	addr, err := emitAddress(model)
	if err != nil {
		return nil, err
	}
	if addr != nil {
		files["address.go"] = addr
	}
	if addr != nil && strings.HasPrefix(source, "xsd/") { // examples import the package by its path in this module
		ex, err := emitExamples(model)
		if err != nil {
			return nil, err
		}
		if ex != nil {
			files["example_test.go"] = ex
		}
	}
	return files, nil
}

// syncDir writes files into dir when they changed and removes files an
// earlier run generated that are no longer produced. With check set it
// writes nothing. It returns the paths that were (or would be) changed.
func syncDir(dir string, files map[string][]byte, check bool) ([]string, error) {
	var changed []string
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, n)
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, files[n]) {
			continue
		}
		changed = append(changed, p)
		if check {
			continue
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return nil, err
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	for _, e := range entries {
		if _, keep := files[e.Name()]; keep || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(p)
		if err != nil || !bytes.HasPrefix(b, []byte("// Code generated by mm7go/gen ")) {
			continue // not ours
		}
		changed = append(changed, p)
		if !check {
			if err := os.Remove(p); err != nil {
				return nil, err
			}
		}
	}
	return changed, nil
}

// moduleRoot finds the directory of the go.mod above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.Contains(b, []byte("module github.com/openmms/mm7go")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find the mm7go go.mod above the working directory")
		}
		dir = parent
	}
}

// sourceName is the schema path written into generated headers: relative
// and slash-separated, so output does not depend on the machine.
func sourceName(p string) string {
	if root, err := moduleRoot(); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			if rel, err := filepath.Rel(root, abs); err == nil && !strings.HasPrefix(rel, "..") {
				return filepath.ToSlash(rel)
			}
		}
	}
	return filepath.Base(p)
}
