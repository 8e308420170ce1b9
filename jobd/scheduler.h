/* scheduler.h: the DAG scheduler of one execution: which nodes may start, which are skipped.
 * Pure bookkeeping over a parsed workflow, no I/O: exec.c drives it, check_sched tests it.
 *
 * Every edge ends "active" or "skipped". When a node completes, its outgoing edges whose
 * handle it took become active and the others skipped (a node that failed for good and has
 * edges from "error" completes taking that handle alone); a skipped node skips all of its
 * outgoing edges. A node is resolved once every incoming edge is: it runs when at least one
 * is active (a merge thus waits for whatever was not skipped), and is skipped otherwise. */
#ifndef FRAGENT_SCHED_H
#define FRAGENT_SCHED_H

#include <stdbool.h>
#include <stddef.h>

#include "wf.h"

enum sched_state {
	SCHED_WAITING,		/* incoming edges unresolved */
	SCHED_QUEUED,		/* resolved, handed out by sched_next soon */
	SCHED_RUNNING,		/* handed out to run */
	SCHED_DONE,		/* completed (its output is known) */
	SCHED_SKIPPED,
	SCHED__MAX
};

struct sched {
	const struct wf		*wf;		/* borrowed */
	enum sched_state	*state;		/* per node */
	size_t			*pending;	/* per node: unresolved incoming edges */
	size_t			*active;	/* per node: active incoming edges */
	unsigned char		*edge;		/* per edge: 0 unresolved, 1 active, 2 skipped */
	size_t			*out_start;	/* CSR of outgoing edges: node i's edges are */
	size_t			*out_edges;	/* out_edges[out_start[i] .. out_start[i + 1]) */
	size_t			*queue;		/* resolved nodes not handed out yet (FIFO) */
	unsigned char		*skip;		/* per node: resolved as skipped */
	size_t			 qhead, qtail;
	size_t			 unresolved;	/* nodes neither done nor skipped */
};

/* Prepares "s" for "wf" (borrowed; must outlive "s"); nodes without incoming edges are
 * queued. */
void	sched_init(struct sched *s, const struct wf *wf);
/* Frees what sched_init allocated; NULL-safe and idempotent. */
void	sched_clear(struct sched *s);
/* Hands out the next resolved node: "node" and whether it is to be skipped ("skip").
 * A node to run goes to SCHED_RUNNING; a node to skip must then be passed to sched_skip.
 * Returns false when nothing is resolved right now. */
bool	sched_next(struct sched *s, size_t *node, bool *skip);
/* Records that running node "node" completed and took the handles in "handles" (a bit mask
 * of 1 << wf_edge.handle); its other outgoing edges are skipped. */
void	sched_complete(struct sched *s, size_t node, unsigned handles);
/* Records that node "node" (handed out with skip set) is skipped. */
void	sched_skip(struct sched *s, size_t node);
/* True once every node is done or skipped. */
bool	sched_finished(const struct sched *s);
/* The bit mask of handles a node of type "t" takes when it completed with output "out": a
 * condition's true or false by the truth of "out", a switch's case {index} (null: default),
 * an approval's approved or rejected by its member "approved", default otherwise. A node
 * that failed for good takes only 1 << WF_HANDLE_ERROR. */
unsigned sched_handles(enum wf_node_type t, json_object *out);

#endif
