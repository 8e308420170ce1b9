/* scheduler.c: edge resolution and the ready queue of one execution (see scheduler.h). */
#include "config.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler.h"
#include "xalloc.h"

void
sched_init(struct sched *s, const struct wf *wf)
{
	size_t	 i, e, n = wf->nnodes;

	memset(s, 0, sizeof(*s));
	s->wf = wf;
	s->state = xcalloc(n + 1, sizeof(*s->state));
	s->pending = xcalloc(n + 1, sizeof(*s->pending));
	s->active = xcalloc(n + 1, sizeof(*s->active));
	s->edge = xcalloc(wf->nedges + 1, sizeof(*s->edge));
	s->out_start = xcalloc(n + 2, sizeof(*s->out_start));
	s->out_edges = xcalloc(wf->nedges + 1, sizeof(*s->out_edges));
	s->queue = xcalloc(n + 1, sizeof(*s->queue));
	s->skip = xcalloc(n + 1, sizeof(*s->skip));
	for (e = 0; e < wf->nedges; e++) {
		s->pending[wf->edges[e].target]++;
		s->out_start[wf->edges[e].source + 1]++;
	}
	for (i = 0; i < n; i++)
		s->out_start[i + 1] += s->out_start[i];
	/* Fill the CSR rows using "queue" as a per-node cursor, then reset it. */
	for (e = 0; e < wf->nedges; e++) {
		size_t src = wf->edges[e].source;

		s->out_edges[s->out_start[src] + s->queue[src]++] = e;
	}
	memset(s->queue, 0, (n + 1) * sizeof(*s->queue));
	s->unresolved = n;
	for (i = 0; i < n; i++) {
		size_t k = wf->order[i];	/* topological order: a stable, sensible FIFO */

		if (s->pending[k] == 0) {
			s->state[k] = SCHED_QUEUED;
			s->queue[s->qtail++] = k;
		}
	}
	assert(s->qtail <= n);
}

void
sched_clear(struct sched *s)
{
	if (s == NULL)
		return;
	free(s->state);
	free(s->pending);
	free(s->active);
	free(s->edge);
	free(s->out_start);
	free(s->out_edges);
	free(s->queue);
	free(s->skip);
	memset(s, 0, sizeof(*s));
}

bool
sched_next(struct sched *s, size_t *node, bool *skip)
{
	size_t	 k;

	if (s->qhead == s->qtail)
		return false;
	k = s->queue[s->qhead++];
	*node = k;
	/* Decided when it was queued: it had incoming edges and none of them is active. */
	*skip = s->skip[k] != 0;
	if (!*skip)
		s->state[k] = SCHED_RUNNING;
	return true;
}

/* Resolves edge "e" as active or skipped; queues its target once all its edges are. */
static void
sched_resolve_edge(struct sched *s, size_t e, bool active)
{
	size_t	 t = s->wf->edges[e].target;

	assert(s->edge[e] == 0 && s->pending[t] > 0);
	s->edge[e] = active ? 1 : 2;
	if (active)
		s->active[t]++;
	if (--s->pending[t] == 0) {
		s->state[t] = SCHED_QUEUED;
		s->skip[t] = s->active[t] == 0;
		s->queue[s->qtail++] = t;
	}
}

void
sched_complete(struct sched *s, size_t node, unsigned handles)
{
	size_t	 i, e;

	assert(s->state[node] == SCHED_RUNNING);
	s->state[node] = SCHED_DONE;
	s->unresolved--;
	for (i = s->out_start[node]; i < s->out_start[node + 1]; i++) {
		e = s->out_edges[i];
		sched_resolve_edge(s, e, (handles & (1u << s->wf->edges[e].handle)) != 0);
	}
}

void
sched_skip(struct sched *s, size_t node)
{
	size_t	 i;

	assert(s->state[node] == SCHED_QUEUED && s->skip[node]);
	s->state[node] = SCHED_SKIPPED;
	s->unresolved--;
	for (i = s->out_start[node]; i < s->out_start[node + 1]; i++)
		sched_resolve_edge(s, s->out_edges[i], false);
}

bool
sched_finished(const struct sched *s)
{
	return s->unresolved == 0;
}

unsigned
sched_handles(enum wf_node_type t, json_object *out)
{
	json_object	*index, *v;
	int64_t		 k;
	bool		 truthy;

	truthy = out != NULL && !(json_object_is_type(out, json_type_boolean) &&
	    !json_object_get_boolean(out));

	if (t == WF_NODE_CONDITION)
		return 1u << (truthy ? WF_HANDLE_TRUE : WF_HANDLE_FALSE);
	if (wf_types[t]->cases != NULL && json_object_object_get_ex(out, "index", &index) &&
	    json_object_is_type(index, json_type_int) &&
	    (k = json_object_get_int64(index)) >= 0 && k < WF_MAX_CASES)
		return 1u << WF_HANDLE_CASE(k);
	/* An approval's answer is its "approved" member. */
	if (t == WF_NODE_APPROVAL)
		return 1u << (json_object_object_get_ex(out, "approved", &v) &&
		    json_object_get_boolean(v) ? WF_HANDLE_APPROVED : WF_HANDLE_REJECTED);
	return 1u << WF_HANDLE_DEFAULT;
}
