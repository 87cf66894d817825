// memcheck drives the C side of package xsdvalidate (../../shim.c) with
// hostile documents, the way Schema.Validate does, so that it can run under
// valgrind without the Go runtime (whose own memory tricks valgrind
// misreports): `make memcheck`.
//
// Usage: memcheck SCHEMA.xsd [DOC.xml ...]
//
// Besides the documents named, it validates generated ones: messages
// longer than libxml2's and the binding's fixed 1024-byte buffers (long
// namespaces in "Expected is one of ( ... )", a 100 KB enumeration value),
// element names past the 2048-byte path buffer, nesting past the 256-level
// path depth, more problems than the collector keeps, and a schema that
// does not compile. Exit status 0 when every document was handled.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "../../shim.h"

typedef struct {
	char *b;
	size_t n, cap;
} buf_t;

static void put(buf_t *b, const char *s) {
	size_t l = strlen(s);
	if (b->n + l + 1 > b->cap) {
		b->cap = (b->n + l + 1) * 2;
		b->b = realloc(b->b, b->cap);
		if (b->b == NULL) {
			perror("realloc");
			exit(2);
		}
	}
	memcpy(b->b + b->n, s, l + 1);
	b->n += l;
}

static void repeat(buf_t *b, const char *s, int times) {
	for (int i = 0; i < times; i++) {
		put(b, s);
	}
}

static char *read_file(const char *path, size_t *len) {
	FILE *f = fopen(path, "rb");
	char *data;
	long n;
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t) n + 1);
	if (data == NULL || fread(data, 1, (size_t) n, f) != (size_t) n) {
		fprintf(stderr, "%s: read failed\n", path);
		exit(2);
	}
	fclose(f);
	data[n] = '\0';
	*len = (size_t) n;
	return data;
}

// validate parses doc as Schema.Validate does and validates it; it returns
// the number of problems collected.
static int validate(xmlSchemaPtr schema, const char *name, const char *doc, size_t len) {
	mm7x_problems p;
	xmlDocPtr d;
	int rc, longest = 0, longestPath = 0;

	memset(&p, 0, sizeof p);
	p.max = 1000;
	d = xmlReadMemory(doc, (int) len, "doc.xml", NULL,
	                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
	if (d == NULL) {
		printf("%-28s not well-formed (refused before validation)\n", name);
		return 0;
	}
	rc = mm7x_validate(schema, (uintptr_t) d, &p);
	for (int i = 0; i < p.count; i++) {
		int l = p.items[i].message ? (int) strlen(p.items[i].message) : 0;
		if (l > longest) {
			longest = l;
		}
		if (p.items[i].path != NULL && (int) strlen(p.items[i].path) > longestPath) {
			longestPath = (int) strlen(p.items[i].path);
		}
		if (p.items[i].path != NULL && strlen(p.items[i].path) >= 2048) {
			fprintf(stderr, "%s: path of %zu bytes\n", name, strlen(p.items[i].path));
			exit(1);
		}
	}
	printf("%-28s rc=%d problems=%d dropped=%d longest message=%d path=%d\n", name, rc, p.count, p.dropped, longest, longestPath);
	rc = p.count;
	mm7x_problems_free(&p);
	xmlFreeDoc(d);
	return rc;
}

int main(int argc, char **argv) {
	size_t len;
	char *xsd, *url;
	const char *ns;
	mm7x_problems p;
	xmlSchemaPtr schema;
	xmlDocPtr sdoc;
	buf_t b = {0};
	int fails = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: memcheck SCHEMA.xsd [DOC.xml ...]\n");
		return 2;
	}
	mm7x_init();
	xsd = read_file(argv[1], &len);
	url = realpath(argv[1], NULL);
	memset(&p, 0, sizeof p);
	p.max = 1000;
	if (mm7x_compile(xsd, (int) len, url, &p, &schema, &sdoc) != 0) {
		fprintf(stderr, "%s does not compile (%d problems)\n", argv[1], p.count);
		return 1;
	}
	mm7x_problems_free(&p);
	free(xsd);
	// Generated documents are in the schema's own namespace.
	ns = mm7x_target_namespace(schema);
	if (ns == NULL) {
		fprintf(stderr, "%s has no target namespace\n", argv[1]);
		return 1;
	}

	for (int i = 2; i < argc; i++) {
		char *doc = read_file(argv[i], &len);
		validate(schema, strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i], doc, len);
		free(doc);
	}

	// "Expected is one of ( {ns}A, {ns}B, ... )" naming the long MM7
	// namespace for every allowed child, inside an 8 KB namespace.
	b.n = 0;
	put(&b, "<SubmitReq xmlns=\"");
	put(&b, ns);
	put(&b, "\"><Bogus xmlns=\"http://example.com/");
	repeat(&b, "long-namespace/", 600);
	put(&b, "\"/></SubmitReq>");
	fails += validate(schema, "long-namespace", b.b, b.n) == 0;

	// A 100 KB value of an enumeration, quoted in the message.
	b.n = 0;
	put(&b, "<SubmitReq xmlns=\"");
	put(&b, ns);
	put(&b, "\"><MM7Version>");
	repeat(&b, "6.8.0-not-a-version-", 5000);
	put(&b, "</MM7Version></SubmitReq>");
	fails += validate(schema, "long-value", b.b, b.n) == 0;

	// Element names whose path is longer than the path buffer (250 x 300
	// bytes), nested as deep as libxml2 parses (256 levels) inside the
	// lax wildcard of Status/Details, around an invalid SubmitRsp, which
	// lax validation checks: its problems carry the longest paths.
	b.n = 0;
	put(&b, "<SubmitRsp xmlns=\"");
	put(&b, ns);
	put(&b, "\"><MM7Version>5.3.0</MM7Version><Status><StatusCode>1000</StatusCode><StatusText>x</StatusText><Details>");
	for (int i = 0; i < 250; i++) {
		put(&b, "<x");
		repeat(&b, "0123456789", 30);
		put(&b, ">");
	}
	put(&b, "<SubmitRsp xmlns=\"");
	put(&b, ns);
	put(&b, "\"><Bogus/></SubmitRsp>");
	for (int i = 0; i < 250; i++) {
		put(&b, "</x");
		repeat(&b, "0123456789", 30);
		put(&b, ">");
	}
	put(&b, "</Details></Status><MessageID>m</MessageID></SubmitRsp>");
	fails += validate(schema, "deep-long-names", b.b, b.n) == 0;

	// More problems than the collector keeps: 3000 attributes not allowed,
	// each with a long name.
	b.n = 0;
	put(&b, "<SubmitReq xmlns=\"");
	put(&b, ns);
	put(&b, "\"");
	for (int i = 0; i < 3000; i++) {
		char a[64];
		snprintf(a, sizeof a, " attr%05d", i);
		put(&b, a);
		repeat(&b, "AAAAAAAAAA", 20);
		put(&b, "=\"v\"");
	}
	put(&b, "><SenderIdentification/></SubmitReq>");
	fails += validate(schema, "many-problems", b.b, b.n) == 0;

	// Not well-formed: invalid UTF-8 and an unclosed element.
	b.n = 0;
	put(&b, "<SubmitReq xmlns=\"");
	put(&b, ns);
	put(&b, "\"><Subject>\xff\xfe\xc3</Subject>");
	validate(schema, "not-well-formed", b.b, b.n);

	mm7x_schema_free(schema, sdoc);

	// A schema that does not compile: an import of a 4 KB namespace that
	// cannot be found (no network), an unknown type with a long name.
	b.n = 0;
	put(&b, "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:t\">"
	        "<xs:import namespace=\"http://example.com/");
	repeat(&b, "n/", 2000);
	put(&b, "\" schemaLocation=\"http://example.com/none.xsd\"/><xs:element name=\"e\" type=\"xs:");
	repeat(&b, "unknownType", 400);
	put(&b, "\"/></xs:schema>");
	memset(&p, 0, sizeof p);
	p.max = 1000;
	if (mm7x_compile(b.b, (int) b.n, url, &p, &schema, &sdoc) == 0) {
		fprintf(stderr, "the broken schema compiled\n");
		return 1;
	}
	printf("%-28s problems=%d\n", "broken-schema", p.count);
	mm7x_problems_free(&p);

	free(b.b);
	free(url);
	xmlCleanupParser();
	if (fails > 0) {
		fprintf(stderr, "%d hostile documents were not reported as invalid\n", fails);
		return 1;
	}
	return 0;
}
