// C side of package xsdvalidate: schema compilation and validation with
// libxml2's structured error callbacks, so that every problem is collected
// with its line, element path and message.

#ifndef MM7GO_XSDVALIDATE_SHIM_H
#define MM7GO_XSDVALIDATE_SHIM_H

#include <stdint.h>

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

// One collected problem. All strings are malloc'ed, NUL-terminated and
// bounded; any of them may be NULL.
typedef struct {
	int line;
	int column;
	long ordinal; // of the element in document order (1-based), 0 if unknown
	char *message;
	char *path;
	char *element;
} mm7x_problem;

// Problem list filled by the error callbacks. Zero-initialise it, set max,
// and release it with mm7x_problems_free.
typedef struct {
	mm7x_problem *items;
	int count;
	int cap;
	int max;     // collect at most this many problems
	int dropped; // errors beyond max (or lost to allocation failure)
	xmlDocPtr doc; // document being validated (NULL when compiling)
	int numbered;  // whether doc's elements carry ordinals in _private
} mm7x_problems;

void mm7x_init(void);

// mm7x_compile parses the schema document in buf (base URI url, used to
// resolve relative imports) and compiles it. On success it returns 0 and
// sets *schema and *doc; both must be released with mm7x_schema_free.
int mm7x_compile(const char *buf, int len, const char *url, mm7x_problems *p,
                 xmlSchemaPtr *schema, xmlDocPtr *doc);

void mm7x_schema_free(xmlSchemaPtr schema, xmlDocPtr doc);

#define MM7X_DTD_FOUND (-1000)

// mm7x_validate validates doc against schema: 0 valid, > 0 invalid, < 0
// internal error, MM7X_DTD_FOUND (and no validation) if doc has a DTD. Problems are appended to p. doc is an xmlDocPtr passed as
// an integer, as the Go binding hands it out (types.Document.Pointer()).
int mm7x_validate(xmlSchemaPtr schema, uintptr_t doc, mm7x_problems *p);

void mm7x_problems_free(mm7x_problems *p);

const char *mm7x_target_namespace(xmlSchemaPtr schema);

#endif
