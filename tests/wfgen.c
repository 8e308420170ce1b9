/* wfgen.c: generated workflow definitions (see wfgen.h). */
#include "config.h"

#include <stdlib.h>

#include "buf.h"
#include "wfgen.h"

/* Appends one expression of "g->expr_bytes" bytes: a jq program that adds a string literal,
 * made distinct by the node and tag numbers when asked. */
static void
wfgen_expr(struct buf *b, const struct wfgen *g, size_t node, size_t tag)
{
	size_t	 start = b->len, d;

	if (g->distinct)
		buf_printf(b, ".in.x + \\\"%zu_%zu_", node, tag);
	else
		buf_puts(b, ".in.x + \\\"");
	/* "d" bytes decoded so far: the escaped quote is one. */
	for (d = b->len - start - 1; d + 1 < g->expr_bytes; d++)
		buf_puts(b, "a");
	buf_puts(b, "\\\"");
}

/* Appends the template text of node "node". */
static void
wfgen_template(struct buf *b, const struct wfgen *g, size_t node)
{
	size_t	 k;

	for (k = 0; k < g->pad; k++)
		buf_puts(b, "p");
	for (k = 0; k < g->tags; k++) {
		buf_puts(b, k > 0 ? " {{ " : "{{ ");
		wfgen_expr(b, g, node, k);
		buf_puts(b, " }}");
	}
}

/* Appends the edges: i -> i + 1, then i -> i + 2, … until "g->edges". Returns 0 or -1. */
static int
wfgen_edges(struct buf *b, const struct wfgen *g)
{
	size_t	 n = 0, d, i;

	for (d = 1; d < g->nodes && n < g->edges; d++)
		for (i = 0; i + d < g->nodes && n < g->edges; i++, n++)
			buf_printf(b, "%s{\"source\":\"n%zu\",\"target\":\"n%zu\"}", n ? "," : "",
			    i, i + d);
	return n == g->edges ? 0 : -1;
}

char *
wfgen_definition(const struct wfgen *g)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	buf_puts(&b, "{\"nodes\":[{\"id\":\"n0\",\"type\":\"input\",\"config\":{}}");
	for (i = 1; i < g->nodes; i++) {
		if (i + 1 < g->nodes)
			buf_printf(&b, ",{\"id\":\"n%zu\",\"type\":\"template\",\"config\":"
			    "{\"template\":\"", i);
		else
			buf_printf(&b, ",{\"id\":\"n%zu\",\"type\":\"output\",\"config\":"
			    "{\"value\":\"", i);
		wfgen_template(&b, g, i);
		buf_puts(&b, "\"}}");
	}
	buf_puts(&b, "],\"edges\":[");
	if (wfgen_edges(&b, g) == -1) {
		buf_clear(&b);
		return NULL;
	}
	buf_puts(&b, "]}");
	return buf_take(&b);
}
