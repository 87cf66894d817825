package xsdvalidate_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mm7xsd "github.com/openmms/mm7go/xsd"
	"github.com/openmms/mm7go/xsdvalidate"
)

// officialDir returns the directory of the official 3GPP schemas: the
// module root's parent directory + /shared/reference/xsd. It skips the test
// when that directory does not exist.
func officialDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "go.mod not found above the package directory")
		dir = parent
	}
	official := filepath.Join(filepath.Dir(dir), "shared", "reference", "xsd")
	if _, err := os.Stat(official); err != nil {
		t.Skip("official 3GPP schemas not available at ../shared/reference/xsd; skipping comparison")
	}
	return official
}

// TestOfficialSchemas compiles the official 3GPP schemas offline (their
// http:// import of the SOAP envelope is served locally) and checks that they
// agree with the embedded ones on the test documents.
func TestOfficialSchemas(t *testing.T) {
	dir := officialDir(t)
	tests := []struct {
		file, docs string
		ns         string
		embedded   func() (*xsdvalidate.Schema, error)
	}{
		{"REL-5-MM7-1-2.xsd", "rel5", mm7xsd.Rel5Namespace, xsdvalidate.Rel5},
		{"REL-6-MM7-1-4.xsd", "rel6", mm7xsd.Rel6Namespace, xsdvalidate.Rel6},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s, err := xsdvalidate.CompileFile(filepath.Join(dir, tt.file))
			require.NoError(t, err)
			defer s.Close()
			assert.Equal(t, strings.TrimSuffix(tt.file, ".xsd"), s.Name())
			assert.Equal(t, tt.ns, s.Namespace())
			for _, f := range validDocs[tt.docs] {
				assert.NoError(t, s.Validate(readFile(t, filepath.Join(tt.docs, f))), f)
			}
			invalid, err := filepath.Glob(filepath.Join("testdata", "invalid", tt.docs+"-*.xml"))
			require.NoError(t, err)
			require.NotEmpty(t, invalid)
			embedded := mustSchema(t, tt.embedded)
			for _, f := range invalid {
				doc, err := os.ReadFile(f)
				require.NoError(t, err)
				var want, got *xsdvalidate.ValidationError
				require.ErrorAs(t, embedded.Validate(doc), &want, f)
				require.ErrorAs(t, s.Validate(doc), &got, f)
				assert.Equal(t, want.Problems, got.Problems, f)
			}
		})
	}
}

// writeFile writes a file into dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func TestCompileFileSOAPImportRewrite(t *testing.T) {
	// Any quoting and whitespace around the SOAP envelope location; a
	// relative include next to the file still resolves.
	imports := map[string]string{
		"double quotes": `schemaLocation="http://schemas.xmlsoap.org/soap/envelope/"`,
		"single quotes": `schemaLocation = 'http://schemas.xmlsoap.org/soap/envelope/'`,
		"whitespace":    "schemaLocation=\n\t\" http://schemas.xmlsoap.org/soap/envelope \"",
	}
	for name, loc := range imports {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "types.xsd", `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:test">
  <xs:simpleType name="code"><xs:restriction base="xs:string"><xs:enumeration value="A"/></xs:restriction></xs:simpleType>
</xs:schema>`)
			path := writeFile(t, dir, "main schema.xsd", `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="urn:test"
    targetNamespace="urn:test" elementFormDefault="qualified">
  <xs:import namespace="http://schemas.xmlsoap.org/soap/envelope/" `+loc+`/>
  <xs:include schemaLocation="types.xsd"/>
  <xs:element name="Tx">
    <xs:complexType><xs:simpleContent><xs:extension base="t:code">
      <xs:attribute ref="soap:mustUnderstand"/>
    </xs:extension></xs:simpleContent></xs:complexType>
  </xs:element>
</xs:schema>`)
			s, err := xsdvalidate.CompileFile(path)
			require.NoError(t, err)
			defer s.Close()
			assert.Equal(t, "main schema", s.Name())
			assert.Equal(t, "urn:test", s.Namespace())
			ok := `<Tx xmlns="urn:test" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" soap:mustUnderstand="1">A</Tx>`
			assert.NoError(t, s.Validate([]byte(ok)))
			var ve *xsdvalidate.ValidationError
			require.ErrorAs(t, s.Validate([]byte(strings.Replace(ok, `"1"`, `"true"`, 1))), &ve)
			assert.Contains(t, ve.Problems[0].Message, "mustUnderstand")
		})
	}
}

func TestCompileFileErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content, message string
	}{
		{
			name:    "remote import",
			content: `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:import namespace="urn:x" schemaLocation="https://example.com/x.xsd"/></xs:schema>`,
			message: `xsdvalidate: cannot compile remote import: remote schemaLocation "https://example.com/x.xsd" is not supported (no network access)`,
		},
		{
			name:    "broken",
			content: `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">` + "\n" + `<xs:element name="a" type="xs:nosuchtype"/></xs:schema>`,
			message: "xsdvalidate: cannot compile broken: 1 problem: line 2: ",
		},
		{
			name:    "not xml",
			content: "<xs:schema",
			message: "xsdvalidate: cannot compile not xml: ",
		},
		{
			name:    "missing include",
			content: `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:include schemaLocation="nope.xsd"/><xs:element name="a" type="b"/></xs:schema>`,
			message: "xsdvalidate: cannot compile missing include: ",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := xsdvalidate.CompileFile(writeFile(t, dir, tt.name+".xsd", tt.content))
			assert.Nil(t, s)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.message)
		})
	}
	_, err := xsdvalidate.CompileFile(filepath.Join(dir, "does-not-exist.xsd"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestClose(t *testing.T) {
	path := writeFile(t, t.TempDir(), "a.xsd", `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="xs:int"/></xs:schema>`)
	s, err := xsdvalidate.CompileFile(path)
	require.NoError(t, err)
	assert.Equal(t, "", s.Namespace())
	assert.NoError(t, s.Validate([]byte("<a>1</a>")))
	s.Close()
	s.Close()
	assert.ErrorIs(t, s.Validate([]byte("<a>1</a>")), xsdvalidate.ErrClosed)
}
