package xsdvalidate

import (
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	mm7xsd "github.com/openmms/mm7go/xsd"
)

var (
	// soapImport matches a schemaLocation naming the SOAP 1.1 envelope
	// namespace URI, with either quote and any surrounding whitespace.
	soapImport = regexp.MustCompile(`schemaLocation\s*=\s*(?:"\s*http://schemas\.xmlsoap\.org/soap/envelope/?\s*"|'\s*http://schemas\.xmlsoap\.org/soap/envelope/?\s*')`)
	// remoteLocation matches a schemaLocation libxml2 would fetch from the
	// network.
	remoteLocation = regexp.MustCompile(`(?i)schemaLocation\s*=\s*["']\s*((?:https?|ftp)://[^"'\s]*)`)
)

// withMaterialised writes the named embedded schema files (all of them if
// names is empty) into a private temporary directory, runs f with it and
// removes it. libxml2 resolves imports only from files (or the network), so
// compilation needs them on disk; the compiled schema does not.
func withMaterialised(names []string, f func(dir string) error) (err error) {
	dir, err := os.MkdirTemp("", "mm7go-xsd-") // mode 0700
	if err != nil {
		return fmt.Errorf("xsdvalidate: %w", err)
	}
	defer func() {
		if rerr := os.RemoveAll(dir); rerr != nil && err == nil {
			err = fmt.Errorf("xsdvalidate: %w", rerr)
		}
	}()
	if len(names) == 0 {
		if names, err = fs.Glob(mm7xsd.FS, "*.xsd"); err != nil {
			return fmt.Errorf("xsdvalidate: %w", err)
		}
	}
	for _, name := range names {
		data, err := fs.ReadFile(mm7xsd.FS, name)
		if err != nil {
			return fmt.Errorf("xsdvalidate: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return fmt.Errorf("xsdvalidate: %w", err)
		}
	}
	return f(dir)
}

// rewriteSOAPImport points every schemaLocation of the SOAP 1.1 envelope
// namespace URI at the local file soapPath.
func rewriteSOAPImport(buf []byte, soapPath string) []byte {
	loc := `schemaLocation="` + attrEscaper.Replace(fileURL(soapPath)) + `"`
	return soapImport.ReplaceAllLiteral(buf, []byte(loc))
}

// checkRemote refuses a schema that would make libxml2 fetch a
// schemaLocation from the network.
func checkRemote(name string, buf []byte) error {
	if m := remoteLocation.FindSubmatch(buf); m != nil {
		return fmt.Errorf("xsdvalidate: cannot compile %s: remote schemaLocation %q is not supported (no network access)", name, m[1])
	}
	return nil
}

var attrEscaper = strings.NewReplacer(`&`, "&amp;", `<`, "&lt;", `"`, "&quot;", `'`, "&apos;")

// fileURL returns the file: URL of an absolute path, as libxml2 wants base
// URIs and schema locations.
func fileURL(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}
