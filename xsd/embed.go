// Package xsd holds the XML Schema files of the MM7 interface (3GPP TS 23.140,
// SOAP 1.1 over HTTP) that mm7go supports, embedded into the binary.
//
// Two MM7 schema versions are provided, REL-5-MM7-1-2 and REL-6-MM7-1-4. They
// were written for mm7go and follow the published 3GPP schemas of the same
// namespaces in every structural respect (element, type and group names,
// content models, cardinalities, enumerations, defaults), so a document is
// valid against them exactly when it is valid against the 3GPP originals.
// Both import the SOAP 1.1 envelope namespace from the local file
// soap-envelope.xsd, a minimal SOAP 1.1 envelope schema, so no network access
// is ever needed to compile them. Because the Body of a SOAP envelope accepts
// any element and validates it when a declaration is known, a complete SOAP
// envelope carrying an MM7 header and message can be validated against an MM7
// schema file directly.
//
// Validators that resolve the relative import need the files on disk or a
// resolver backed by [FS]; the constants below name the files and their
// target namespaces.
package xsd

import "embed"

// FS holds the schemas mm7go generates from and validates against: the MM7
// schema of each supported version and the SOAP 1.1 envelope schema they
// import, each stored under its file name at the root of the file system.
//
//go:embed *.xsd
var FS embed.FS

// File names of the schemas in [FS].
const (
	// Rel5File is the MM7 schema for namespace REL-5-MM7-1-2 (MM7Version 5.3.0).
	Rel5File = "REL-5-MM7-1-2.xsd"
	// Rel6File is the MM7 schema for namespace REL-6-MM7-1-4 (MM7Version up to 6.8.0).
	Rel6File = "REL-6-MM7-1-4.xsd"
	// SOAPEnvelopeFile is the minimal SOAP 1.1 envelope schema imported by the MM7 schemas.
	SOAPEnvelopeFile = "soap-envelope.xsd"
)

// Target namespaces of the schemas in [FS].
const (
	// Rel5Namespace is the target namespace of [Rel5File].
	Rel5Namespace = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-5-MM7-1-2"
	// Rel6Namespace is the target namespace of [Rel6File].
	Rel6Namespace = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4"
	// SOAPEnvelopeNamespace is the SOAP 1.1 envelope namespace, the target namespace of [SOAPEnvelopeFile].
	SOAPEnvelopeNamespace = "http://schemas.xmlsoap.org/soap/envelope/"
)
