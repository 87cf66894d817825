// Package xsdvalidate validates MM7 (3GPP TS 23.140) XML documents against
// XML Schemas with libxml2, through github.com/lestrrat-go/libxml2 and a
// small cgo shim. It is the only cgo package of the module.
//
// Rel5 and Rel6 give the schemas embedded in package
// github.com/openmms/mm7go/xsd, compiled once per process; CompileFile
// compiles any schema file, such as the official 3GPP ones, without network
// access. Validate reports every problem libxml2 finds, each with its line
// and element path, as a *ValidationError, and refuses malformed documents
// and documents with a DOCTYPE with a *ParseError before validation.
//
// Documents are parsed with network access off, without DTD loading and
// without entity substitution, and libxml2 never writes to stderr.
//
// A document may be a bare MM7 element (SubmitReq, ...) or a whole SOAP
// envelope. The envelope's Body is validated laxly: a body element the
// schema does not declare, such as one in another release's namespace, is
// not checked at all, so check the body's namespace first (ForNamespace).
package xsdvalidate
