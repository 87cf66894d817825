package xsdvalidate

/*
#cgo pkg-config: libxml-2.0
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"strings"
	"unsafe"
)

// maxProblems bounds the problems collected for one document; further ones
// are only counted (ValidationError.Dropped).
const maxProblems = 1000

func init() {
	// xmlInitParser is not safe to run concurrently; run it once, now.
	C.mm7x_init()
}

// cSchema is a compiled schema and the schema document it was built from.
type cSchema struct {
	schema C.xmlSchemaPtr
	doc    C.xmlDocPtr
}

func (c cSchema) free() { C.mm7x_schema_free(c.schema, c.doc) }

func (c cSchema) targetNamespace() string {
	return C.GoString(C.mm7x_target_namespace(c.schema))
}

// compileC compiles the schema document buf. url is its base URI, against
// which relative schemaLocations are resolved.
func compileC(buf []byte, url string) (cSchema, []Problem, int, bool) {
	var (
		p  = C.mm7x_problems{max: maxProblems}
		cs cSchema
	)
	curl := C.CString(url)
	defer C.free(unsafe.Pointer(curl))
	var ptr *C.char
	if len(buf) > 0 {
		ptr = (*C.char)(unsafe.Pointer(&buf[0]))
	}
	rc := C.mm7x_compile(ptr, C.int(len(buf)), curl, &p, &cs.schema, &cs.doc)
	problems, dropped := takeProblems(&p)
	return cs, problems, dropped, rc == 0
}

// dtdFound is returned by validateC for a document with a DTD, which is
// not validated.
const dtdFound = int(C.MM7X_DTD_FOUND)

// validateC validates the libxml2 document at doc (an xmlDocPtr). For each
// problem, ordinals holds the offending element's 1-based position in
// document order, or 0.
func validateC(cs cSchema, doc uintptr) (rc int, problems []Problem, ordinals []int, dropped int) {
	p := C.mm7x_problems{max: maxProblems}
	rc = int(C.mm7x_validate(cs.schema, C.uintptr_t(doc), &p))
	if p.count > 0 {
		ordinals = make([]int, int(p.count))
		for i, it := range unsafe.Slice(p.items, int(p.count)) {
			ordinals[i] = int(it.ordinal)
		}
	}
	problems, dropped = takeProblems(&p)
	return rc, problems, ordinals, dropped
}

// takeProblems copies the collected problems into Go memory and frees the C
// side.
func takeProblems(p *C.mm7x_problems) ([]Problem, int) {
	defer C.mm7x_problems_free(p)
	if p.count == 0 {
		return nil, int(p.dropped)
	}
	items := unsafe.Slice(p.items, int(p.count))
	out := make([]Problem, len(items))
	for i := range items {
		it := &items[i]
		out[i] = Problem{
			Line:    int(it.line),
			Column:  int(it.column),
			Path:    C.GoString(it.path),
			Element: C.GoString(it.element),
			Message: cleanMessage(C.GoString(it.message)),
		}
	}
	return out, int(p.dropped)
}

// cleanMessage trims libxml2's trailing newline and drops a multi-byte
// sequence cut by the bounded copy.
func cleanMessage(s string) string {
	return strings.TrimSpace(strings.ToValidUTF8(s, ""))
}
