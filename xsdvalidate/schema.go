package xsdvalidate

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	mm7xsd "github.com/openmms/mm7go/xsd"
)

// Schema is a compiled XML Schema, safe for concurrent use by multiple
// goroutines.
type Schema struct {
	name   string
	ns     string
	shared bool // from Rel5/Rel6: lives for the process, Close is a no-op

	mu      sync.RWMutex // Validate holds it shared, Close exclusively
	c       cSchema      // zero after Close
	cleanup runtime.Cleanup
}

var (
	rel5 = sync.OnceValues(func() (*Schema, error) {
		return compileEmbedded(mm7xsd.Rel5File, mm7xsd.Rel5Namespace)
	})
	rel6 = sync.OnceValues(func() (*Schema, error) {
		return compileEmbedded(mm7xsd.Rel6File, mm7xsd.Rel6Namespace)
	})
)

// Rel5 returns the embedded REL-5-MM7-1-2 schema. It is compiled on first
// use and shared for the rest of the process (so is a compile error).
func Rel5() (*Schema, error) { return rel5() }

// Rel6 returns the embedded REL-6-MM7-1-4 schema. It is compiled on first
// use and shared for the rest of the process (so is a compile error).
func Rel6() (*Schema, error) { return rel6() }

// ForNamespace returns the embedded schema whose target namespace is ns
// (mm7xsd.Rel5Namespace or mm7xsd.Rel6Namespace). For any other namespace
// it returns an error wrapping ErrUnknownNamespace.
func ForNamespace(ns string) (*Schema, error) {
	switch ns {
	case mm7xsd.Rel5Namespace:
		return Rel5()
	case mm7xsd.Rel6Namespace:
		return Rel6()
	}
	return nil, fmt.Errorf("xsdvalidate: %w %q", ErrUnknownNamespace, ns)
}

// CompileFile compiles the schema file at path. Relative schemaLocations
// resolve against the file's directory. An import of the SOAP 1.1 envelope
// from http://schemas.xmlsoap.org/soap/envelope/ (as in the official 3GPP
// MM7 schemas) is served from the embedded soap-envelope.xsd; any other
// remote schemaLocation in the file is an error, nothing is fetched.
//
// Each call compiles anew; call Close when the schema is no longer needed.
func CompileFile(path string) (*Schema, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("xsdvalidate: %w", err)
	}
	buf, err := os.ReadFile(abs)
	if err != nil {
		return nil, fmt.Errorf("xsdvalidate: %w", err)
	}
	name := schemaName(abs)
	if !soapImport.Match(buf) {
		if err := checkRemote(name, buf); err != nil {
			return nil, err
		}
		return compile(name, buf, fileURL(abs))
	}
	var s *Schema
	// Only the envelope schema is needed (unlinking files can be slow).
	err = withMaterialised([]string{mm7xsd.SOAPEnvelopeFile}, func(dir string) error {
		buf = rewriteSOAPImport(buf, filepath.Join(dir, mm7xsd.SOAPEnvelopeFile))
		if err := checkRemote(name, buf); err != nil {
			return err
		}
		s, err = compile(name, buf, fileURL(abs))
		return err
	})
	return s, err
}

// compileEmbedded compiles one of the embedded schemas from a private copy
// of the embedded files, so that its relative import of soap-envelope.xsd
// resolves.
func compileEmbedded(file, wantNS string) (*Schema, error) {
	var s *Schema
	err := withMaterialised(nil, func(dir string) error {
		buf, err := fs.ReadFile(mm7xsd.FS, file)
		if err != nil {
			return fmt.Errorf("xsdvalidate: %w", err)
		}
		s, err = compile(schemaName(file), buf, fileURL(filepath.Join(dir, file)))
		return err
	})
	if err != nil {
		return nil, err
	}
	if s.ns != wantNS {
		s.Close()
		return nil, fmt.Errorf("xsdvalidate: embedded %s has target namespace %q, want %q", file, s.ns, wantNS)
	}
	s.shared = true
	s.cleanup.Stop()
	return s, nil
}

// compile compiles the schema document buf whose base URI is url.
func compile(name string, buf []byte, url string) (*Schema, error) {
	cs, problems, dropped, ok := compileC(buf, url)
	if !ok {
		if len(problems) == 0 && dropped == 0 {
			return nil, fmt.Errorf("xsdvalidate: cannot compile %s", name)
		}
		return nil, fmt.Errorf("xsdvalidate: cannot compile %s: %s", name, summarize(problems, dropped))
	}
	s := &Schema{name: name, ns: cs.targetNamespace(), c: cs}
	// A safety net for CompileFile schemas that are never closed.
	s.cleanup = runtime.AddCleanup(s, cSchema.free, cs)
	return s, nil
}

// Name returns the schema's name: "REL-6-MM7-1-4" for Rel6, the file's base
// name without ".xsd" for CompileFile.
func (s *Schema) Name() string { return s.name }

// Namespace returns the schema's target namespace.
func (s *Schema) Namespace() string { return s.ns }

// Close frees a schema returned by CompileFile. It waits for running
// Validate calls; later ones return ErrClosed. Close is a no-op on the
// shared schemas of Rel5, Rel6 and ForNamespace, and on a closed schema.
func (s *Schema) Close() {
	if s.shared {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c.schema == nil {
		return
	}
	s.cleanup.Stop()
	s.c.free()
	s.c = cSchema{}
}

func schemaName(path string) string {
	return strings.TrimSuffix(filepath.Base(path), ".xsd")
}
