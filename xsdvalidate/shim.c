#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/schemasInternals.h>
#include <libxml/xmlerror.h>

#include "shim.h"

// Upper bounds on what is copied out of libxml2 for one problem.
#define MM7X_MESSAGE_MAX 4096
#define MM7X_PATH_MAX 2048
#define MM7X_DEPTH_MAX 256

void mm7x_init(void) {
	xmlInitParser();
}

// Bounded copy of a NUL-terminated string: at most max bytes are read.
static char *mm7x_strndup(const char *s, size_t max) {
	size_t n;
	char *d;

	if (s == NULL) {
		return NULL;
	}
	n = strnlen(s, max);
	d = malloc(n + 1);
	if (d == NULL) {
		return NULL;
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static int mm7x_same_name(xmlNodePtr a, xmlNodePtr b) {
	if (a->type != XML_ELEMENT_NODE || !xmlStrEqual(a->name, b->name)) {
		return 0;
	}
	if (a->ns == NULL || b->ns == NULL) {
		return a->ns == b->ns;
	}
	return xmlStrEqual(a->ns->href, b->ns->href);
}

// Appends "/local" or "/local[i]" for element n (position among siblings of
// the same expanded name, only when that name is repeated).
static size_t mm7x_append_step(char *buf, size_t off, xmlNodePtr n) {
	xmlNodePtr s;
	int pos = 1, repeated = 0, w;

	if (off >= MM7X_PATH_MAX) {
		return off;
	}
	for (s = n->prev; s != NULL; s = s->prev) {
		if (mm7x_same_name(s, n)) {
			pos++;
		}
	}
	repeated = pos > 1;
	for (s = n->next; !repeated && s != NULL; s = s->next) {
		if (mm7x_same_name(s, n)) {
			repeated = 1;
		}
	}
	if (repeated) {
		w = snprintf(buf + off, MM7X_PATH_MAX - off, "/%s[%d]", (const char *) n->name, pos);
	} else {
		w = snprintf(buf + off, MM7X_PATH_MAX - off, "/%s", (const char *) n->name);
	}
	if (w < 0) {
		return off;
	}
	off += (size_t) w;
	return off < MM7X_PATH_MAX ? off : MM7X_PATH_MAX - 1;
}

// Numbers the elements of doc in document order, 1-based, in their
// _private field (unused by libxml2's parser and validator; the document is
// private to one Validate call).
static void mm7x_number_elements(xmlDocPtr doc) {
	xmlNodePtr root = xmlDocGetRootElement(doc), n = root;
	intptr_t i = 0;

	while (n != NULL) {
		if (n->type == XML_ELEMENT_NODE) {
			n->_private = (void *) ++i;
			if (n->children != NULL) {
				n = n->children;
				continue;
			}
		}
		while (n != root && n->next == NULL) {
			n = n->parent;
		}
		n = n == root ? NULL : n->next;
	}
}

// Fills p->path ("/SubmitReq/Recipients/To[2]/Number", "/a/b/@attr"),
// p->element ("{namespace}local") and p->ordinal for the node an error
// refers to.
static void mm7x_describe_node(xmlNodePtr node, mm7x_problem *p, mm7x_problems *all) {
	xmlNodePtr chain[MM7X_DEPTH_MAX];
	xmlNodePtr elem, attr = NULL, n;
	char buf[MM7X_PATH_MAX];
	size_t off = 0;
	int depth = 0, i, w;

	if (node == NULL) {
		return;
	}
	if (node->type == XML_ATTRIBUTE_NODE) {
		attr = node;
		node = node->parent;
	}
	// Text, CDATA and similar nodes: report the enclosing element.
	for (elem = node; elem != NULL && elem->type != XML_ELEMENT_NODE; elem = elem->parent) {
		if (elem->type == XML_DOCUMENT_NODE) {
			elem = NULL;
			break;
		}
	}
	if (elem == NULL) {
		return;
	}
	if (all->doc != NULL && elem->doc == all->doc) {
		if (!all->numbered) {
			mm7x_number_elements(all->doc);
			all->numbered = 1;
		}
		p->ordinal = (long) (intptr_t) elem->_private;
	}
	for (n = elem; n != NULL && n->type == XML_ELEMENT_NODE && depth < MM7X_DEPTH_MAX; n = n->parent) {
		chain[depth++] = n;
	}
	if (n != NULL && n->type == XML_ELEMENT_NODE) {
		// Deeper than we care to spell out: keep the innermost steps.
		memcpy(buf, "/...", 4);
		off = 4;
	}
	buf[off] = '\0';
	for (i = depth - 1; i >= 0; i--) {
		off = mm7x_append_step(buf, off, chain[i]);
	}
	if (attr != NULL && off < MM7X_PATH_MAX) {
		w = snprintf(buf + off, MM7X_PATH_MAX - off, "/@%s", (const char *) attr->name);
		(void) w;
	}
	buf[MM7X_PATH_MAX - 1] = '\0';
	p->path = mm7x_strndup(buf, MM7X_PATH_MAX);

	if (elem->ns != NULL && elem->ns->href != NULL) {
		w = snprintf(buf, MM7X_PATH_MAX, "{%s}%s", (const char *) elem->ns->href, (const char *) elem->name);
	} else {
		w = snprintf(buf, MM7X_PATH_MAX, "%s", (const char *) elem->name);
	}
	if (w >= 0) {
		p->element = mm7x_strndup(buf, MM7X_PATH_MAX);
	}
}

// xmlStructuredErrorFunc collecting errors (not warnings) into a
// mm7x_problems. It never prints anything.
static void mm7x_collect(void *ctx, xmlErrorPtr err) {
	mm7x_problems *p = ctx;
	mm7x_problem *it;

	if (p == NULL || err == NULL || err->level < XML_ERR_ERROR) {
		return;
	}
	if (p->count >= p->max) {
		p->dropped++;
		return;
	}
	if (p->count == p->cap) {
		int ncap = p->cap == 0 ? 16 : p->cap * 2;
		mm7x_problem *items;
		if (ncap > p->max) {
			ncap = p->max;
		}
		items = realloc(p->items, sizeof(mm7x_problem) * (size_t) ncap);
		if (items == NULL) {
			p->dropped++;
			return;
		}
		p->items = items;
		p->cap = ncap;
	}
	it = &p->items[p->count++];
	memset(it, 0, sizeof(*it));
	it->line = err->line;
	it->column = err->int2;
	it->message = mm7x_strndup(err->message, MM7X_MESSAGE_MAX);
	// Only node-carrying domains give a usable node pointer.
	if (err->domain == XML_FROM_SCHEMASV || err->domain == XML_FROM_SCHEMASP ||
	    err->domain == XML_FROM_VALID) {
		mm7x_describe_node(err->node, it, p);
	}
}

void mm7x_problems_free(mm7x_problems *p) {
	int i;

	for (i = 0; i < p->count; i++) {
		free(p->items[i].message);
		free(p->items[i].path);
		free(p->items[i].element);
	}
	free(p->items);
	p->items = NULL;
	p->count = 0;
	p->cap = 0;
}

int mm7x_compile(const char *buf, int len, const char *url, mm7x_problems *p,
                 xmlSchemaPtr *schema, xmlDocPtr *doc) {
	// Errors raised outside the schema parser context (for example while
	// reading an imported schema file) go to the calling thread's structured
	// error handler; route them to p instead of stderr, then restore it.
	xmlStructuredErrorFunc oldf = xmlStructuredError;
	void *oldc = xmlStructuredErrorContext;
	xmlSchemaParserCtxtPtr pctxt;
	xmlDocPtr d;
	xmlSchemaPtr s = NULL;

	*schema = NULL;
	*doc = NULL;
	xmlSetStructuredErrorFunc(p, mm7x_collect);
	d = xmlReadMemory(buf, len, url, NULL, XML_PARSE_NONET);
	if (d != NULL) {
		pctxt = xmlSchemaNewDocParserCtxt(d);
		if (pctxt != NULL) {
			xmlSchemaSetParserStructuredErrors(pctxt, mm7x_collect, p);
			s = xmlSchemaParse(pctxt);
			xmlSchemaFreeParserCtxt(pctxt);
		}
	}
	xmlSetStructuredErrorFunc(oldc, oldf);
	if (s == NULL) {
		if (d != NULL) {
			xmlFreeDoc(d);
		}
		return -1;
	}
	*schema = s;
	*doc = d;
	return 0;
}

void mm7x_schema_free(xmlSchemaPtr schema, xmlDocPtr doc) {
	if (schema != NULL) {
		xmlSchemaFree(schema);
	}
	// The schema was built from doc (the parser context does not own it),
	// so doc is kept until the schema is gone.
	if (doc != NULL) {
		xmlFreeDoc(doc);
	}
}

int mm7x_validate(xmlSchemaPtr schema, uintptr_t doc, mm7x_problems *p) {
	xmlStructuredErrorFunc oldf = xmlStructuredError;
	void *oldc = xmlStructuredErrorContext;
	xmlSchemaValidCtxtPtr vctxt;
	int rc;

	if (((xmlDocPtr) doc)->intSubset != NULL || ((xmlDocPtr) doc)->extSubset != NULL) {
		return MM7X_DTD_FOUND;
	}
	vctxt = xmlSchemaNewValidCtxt(schema);
	if (vctxt == NULL) {
		return -1;
	}
	p->doc = (xmlDocPtr) doc; // numbered on the first error
	xmlSetStructuredErrorFunc(p, mm7x_collect);
	xmlSchemaSetValidStructuredErrors(vctxt, mm7x_collect, p);
	rc = xmlSchemaValidateDoc(vctxt, (xmlDocPtr) doc);
	xmlSchemaFreeValidCtxt(vctxt);
	xmlSetStructuredErrorFunc(oldc, oldf);
	return rc;
}

const char *mm7x_target_namespace(xmlSchemaPtr schema) {
	return schema == NULL ? NULL : (const char *) schema->targetNamespace;
}
