// Package conformance holds the tests that tie the generated MM7 bindings
// (generated/rel5, generated/rel6) to the schemas in xsd/: every message
// type is built, marshalled with encoding/xml, validated with libxml2 and
// unmarshalled back. It keeps libxml2 (cgo) out of the generated packages,
// which stay plain Go.
package conformance
