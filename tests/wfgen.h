/* wfgen.h: workflow definitions of a chosen size, for the tests of the validation caps
 * (check_wf, it_limits). */
#ifndef FRAGENT_WFGEN_H
#define FRAGENT_WFGEN_H

#include <stdbool.h>
#include <stddef.h>

/* The shape of a definition: an input node "in", nodes - 2 template nodes and an output
 * node "out" whose templates each hold "tags" expressions of "expr_bytes" bytes after
 * "pad" bytes of text; a chain of edges, then edges skipping ahead until "edges". */
struct wfgen {
	size_t	 nodes;		/* at least 2 */
	size_t	 edges;		/* at least nodes - 1 */
	size_t	 tags;
	size_t	 expr_bytes;	/* at least 16 */
	size_t	 pad;
	bool	 distinct;	/* every expression a different program (each one compiles) */
};

/* The definition "g" describes, as a JSON text. Returns a heap string (free it), or NULL
 * when memory ran out or the edges do not fit the nodes. */
char	*wfgen_definition(const struct wfgen *g);

#endif
