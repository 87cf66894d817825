package xsdvalidate_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mm7xsd "github.com/openmms/mm7go/xsd"
	"github.com/openmms/mm7go/xsdvalidate"
)

// TestNoStderrNoise checks that libxml2 writes nothing to file descriptor 2
// while schemas fail to compile and documents fail to parse or validate.
func TestNoStderrNoise(t *testing.T) {
	dir := t.TempDir()
	capture, err := os.Create(filepath.Join(dir, "stderr"))
	require.NoError(t, err)
	defer capture.Close()
	saved, err := syscall.Dup(2)
	require.NoError(t, err)
	require.NoError(t, syscall.Dup3(int(capture.Fd()), 2, 0))
	restored := false
	restore := func() {
		if !restored {
			restored = true
			require.NoError(t, syscall.Dup3(saved, 2, 0))
			require.NoError(t, syscall.Close(saved))
		}
	}
	defer restore()

	for name, content := range map[string]string{
		"broken.xsd":  `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="xs:nosuchtype"/></xs:schema>`,
		"include.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:include schemaLocation="nope.xsd"/></xs:schema>`,
		"notxml.xsd":  `<xs:schema`,
	} {
		_, err := xsdvalidate.CompileFile(writeFile(t, dir, name, content))
		assert.Error(t, err, name)
	}
	s := mustSchema(t, xsdvalidate.Rel6)
	for _, doc := range []string{
		`<SubmitRsp a="1" a="2"/>`,                            // refused by libxml2 only
		`<x:SubmitRsp xmlns="` + mm7xsd.Rel6Namespace + `"/>`, // undeclared prefix
		`<SubmitRsp xmlns="` + mm7xsd.Rel6Namespace + `"><Bad/></SubmitRsp>`,
		"<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY b \"c\">]><a>&b;</a>",
	} {
		assert.Error(t, s.Validate([]byte(doc)), doc)
	}
	assert.Error(t, s.Validate(readFile(t, "invalid/rel6-100-bad-dc.xml")))

	restore()
	out, err := os.ReadFile(capture.Name())
	require.NoError(t, err)
	assert.Empty(t, string(out), "libxml2 wrote to stderr")
}
