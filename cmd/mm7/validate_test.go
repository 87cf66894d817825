package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const nsPrefix = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/"

// submitRspEnvelope is a SubmitRsp envelope in namespace ns.
func submitRspEnvelope(ns, version string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<env:Envelope xmlns:env="` + soapEnvNS + `"><env:Header><m:TransactionID xmlns:m="` + ns + `" env:mustUnderstand="1">t1</m:TransactionID></env:Header>` + "\n" +
		`<env:Body><m:SubmitRsp xmlns:m="` + ns + `"><m:MM7Version>` + version + `</m:MM7Version><m:Status><m:StatusCode>1000</m:StatusCode><m:StatusText>OK</m:StatusText></m:Status><m:MessageID>M1</m:MessageID></m:SubmitRsp></env:Body></env:Envelope>` + "\n"
}

func tempFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	return writeTemp(t, t.TempDir(), name, data)
}

// validate judges the document as written: it says which schema it used
// and why, and a namespace without a bundled schema is reported as such,
// never mapped to the nearest one.
func TestValidateSaysWhichSchemaAndWhy(t *testing.T) {
	t.Parallel()
	p := tempFile(t, "ok.xml", []byte(submitRspEnvelope(nsPrefix+"REL-6-MM7-1-4", "6.8.0")))
	code, out, errOut := runCmd(t, "", "validate", p)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, p+": valid SubmitRsp (REL-6-MM7-1-4, 6.8.0); schema: bundled REL-6-MM7-1-4, for the body's namespace "+nsPrefix+"REL-6-MM7-1-4\n", out)

	for _, tc := range []struct{ name, ns, want string }{
		{"not a published namespace", nsPrefix + "REL-6-MM7-6-7",
			`SubmitRsp is in namespace "` + nsPrefix + `REL-6-MM7-6-7", which is not a published MM7 namespace: no bundled schema applies; pass --xsd`},
		{"published, not bundled", nsPrefix + "REL-6-MM7-1-3",
			`SubmitRsp is in namespace "` + nsPrefix + `REL-6-MM7-1-3" (REL-6-MM7-1-3), a published MM7 namespace without a bundled schema (mm7go bundles REL-5-MM7-1-2 and REL-6-MM7-1-4); pass --xsd`},
		{"bundled namespace with a trailing slash", nsPrefix + "REL-6-MM7-1-4/",
			`SubmitRsp is in namespace "` + nsPrefix + `REL-6-MM7-1-4/", which is not a published MM7 namespace: no bundled schema applies; pass --xsd`},
		{"no namespace", "",
			`SubmitRsp has no namespace: no bundled schema applies; pass --xsd`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tempFile(t, "rsp.xml", []byte(submitRspEnvelope(tc.ns, "6.7.0")))
			code, out, errOut := runCmd(t, "", "validate", p)
			assert.Equal(t, 1, code)
			assert.NotContains(t, out, "valid")
			assert.Equal(t, "mm7 validate: "+p+": "+tc.want+"\n", lastLine(errOut))
		})
	}

	// --xsd: the schema given, said so.
	xsd := filepath.Join("..", "..", "xsd", "REL-6-MM7-1-4.xsd")
	p = tempFile(t, "rsp.xml", []byte(submitRspEnvelope(nsPrefix+"REL-6-MM7-1-4", "6.8.0")))
	code, out, errOut = runCmd(t, "", "validate", "--xsd", xsd, p)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "; schema: "+xsd+" (--xsd)")
}

func lastLine(s string) string {
	lines := strings.SplitAfter(strings.TrimSuffix(s, "\n"), "\n")
	return lines[len(lines)-1] + "\n"
}

// validate reads every charset the decoder reads, and positions refer to
// the file: lines as in the file, columns counted in characters for a
// file that is not UTF-8.
func TestValidateTranscodes(t *testing.T) {
	t.Parallel()
	// ISO-8859-1 bytes: é is one byte in the file, two in UTF-8.
	doc := strings.Replace(submitRspEnvelope(nsPrefix+"REL-6-MM7-1-4", "6.8.0"), `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1)
	doc = strings.Replace(doc, "<m:StatusText>OK</m:StatusText>", "<m:StatusText>d\xe9j\xe0 vu</m:StatusText>", 1)
	p := tempFile(t, "latin1.xml", []byte(doc))
	code, out, errOut := runCmd(t, "", "validate", p)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "valid SubmitRsp")
	assert.Contains(t, out, "read as ISO-8859-1")

	// An invalid value after non-ASCII text on the same line: the column
	// is that of the file's characters.
	bad := strings.Replace(doc, "<m:MessageID>M1</m:MessageID>", "<m:MessageID>M1</m:MessageID><m:Bogus/>", 1)
	p = tempFile(t, "latin1-bad.xml", []byte(bad))
	code, out, _ = runCmd(t, "", "validate", p)
	assert.Equal(t, 1, code)
	line3 := strings.Split(bad, "\n")[2]
	col := strings.Index(line3, "<m:Bogus/>") + 1 // bytes = characters in ISO-8859-1
	assert.Contains(t, out, p+":3:"+strconv.Itoa(col)+": /Envelope/Body/SubmitRsp", out)
	assert.Contains(t, out, "columns count characters")
}
