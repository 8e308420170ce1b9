/* metrics.h: the stack's Prometheus metrics (the families are shared/metrics.def). A process
 * counts into one set of cells (metrics_use): the API processes into one set they share
 * (fcgi/metrics.c maps it from a file), jobd into its own, which it publishes to Redis as a
 * snapshot (metrics_snapshot) for the API to render (metrics_render) beside its own. Counting
 * is lock-free (relaxed atomics) and does nothing before metrics_use, so shared code counts
 * unconditionally. */
#ifndef FRAGENT_METRICS_H
#define FRAGENT_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct buf;

enum metrics_type { COUNTER, GAUGE, HISTOGRAM };

/* Label dimensions; each value of a dimension is one label set (MD_ROUTE: route and method,
 * MD_MODEL: provider and model). */
enum metrics_dim {
	MD_NONE,
	MD_ROUTE,	/* the API's routes (metrics_routes), then "unmatched" */
	MD_HTTP_STATUS,
	MD_TRIGGER,	/* manual, api, webhook, schedule, tool, other */
	MD_RUN_STATUS,	/* succeeded, failed, cancelled */
	MD_NODE_TYPE,	/* the node catalogue (wf.h) */
	MD_STEP_STATUS,	/* succeeded, failed, cancelled */
	MD_MODEL,	/* METRICS_MODELS slots named as models are first seen, the last "other" */
	MD_TOKEN_KIND,	/* prompt, completion */
	MD__MAX
};

enum metrics_buckets { MB_NONE, MB_HTTP, MB_RUN, MB__MAX };

enum metrics_source_kind { MS_API = 1, MS_PROC = 2, MS_JOBD = 4, MS_SCRAPE = 8 };

enum metric_id {
#define METRIC(id, ...)	M_##id,
#include "metrics.def"
#undef METRIC
	M__MAX
};

/* The Redis hash of jobd snapshots (field: the jobd's consumer name), and how old one may be
 * before a scrape leaves it out (and deletes it). */
#define METRICS_JOBD_KEY	"fragent:metrics:jobd"
#define METRICS_STALE_S		30

#define METRICS_MODELS		64	/* provider+model label sets of a jobd, "other" included */
#define METRICS_MODEL_LEN	96	/* bytes kept of a model name (NUL included) */
#define METRICS_PROVIDER_LEN	32

struct metrics_model {
	char	provider[METRICS_PROVIDER_LEN];
	char	model[METRICS_MODEL_LEN];
};

/* A set of cells: every family's values for one source. */
struct metrics {
	uint64_t		*cells;		/* metrics_cells() values */
	struct metrics_model	*models;	/* METRICS_MODELS names, or NULL (no models) */
	unsigned		 nmodels;	/* slots named so far (jobd) */
	int			 owned;		/* cells and models are the set's (metrics_free) */
};

/* One source of a scrape: a set, what kind of source it is, and the labels its samples get
 * (e.g. "program=\"jobd\",jobd=\"host-1\""; never empty). */
struct metrics_source {
	enum metrics_source_kind	 kind;
	const struct metrics		*set;
	const char			*labels;
};

/* Names the API's routes for MD_ROUTE: "name(i, &method)" returns route i's pattern and sets
 * its method. Call before anything else (the layout depends on it); jobd names none. */
void		 metrics_routes(size_t n, const char *(*name)(size_t i, const char **method));
/* Values in a set (all families), and a hash of the layout of the families held by the
 * sources "kinds" (a snapshot or a shared file of another layout is not read). */
size_t		 metrics_cells(void);
uint64_t	 metrics_layout_hash(unsigned kinds);

/* A zeroed set with its own cells (and model names when "models"); metrics_free frees it. */
struct metrics	*metrics_new(int models);
void		 metrics_free(struct metrics *m);
/* Makes "m" the set this process counts into (NULL: stop counting). */
void		 metrics_use(struct metrics *m);

/* Counting into the process's set; l1 and l2 are the values of the family's dimensions
 * (0 for MD_NONE). A gauge takes signed deltas; an observation is in microseconds. */
void		 metrics_add(enum metric_id id, size_t l1, size_t l2, int64_t delta);
void		 metrics_set(enum metric_id id, size_t l1, size_t l2, uint64_t value);
void		 metrics_observe(enum metric_id id, size_t l1, size_t l2, uint64_t usec);
/* metrics_set into the set "m" (NULL: nothing). */
void		 metrics_store(struct metrics *m, enum metric_id id, size_t l1, size_t l2,
		    uint64_t value);
#define metrics_inc(id, l1, l2)	metrics_add((id), (l1), (l2), 1)
/* The value of a cell of "m" (a histogram's count for HISTOGRAM). */
uint64_t	 metrics_value(const struct metrics *m, enum metric_id id, size_t l1, size_t l2);

/* Dimension values from what the code has at hand. */
size_t		 metrics_http_status(int status);
size_t		 metrics_trigger(const char *trigger);	/* NULL or unknown: "other" */
size_t		 metrics_run_status(const char *status);	/* unknown: "failed" */
/* The MD_MODEL slot of "provider"/"model" in the process's set, naming a free slot on first
 * sight; "other" once the slots are taken. Thread-safe. */
size_t		 metrics_model(const char *provider, const char *model);

/* Appends the text exposition (format 0.0.4) of the "n" sources: each family once, with the
 * samples of every source that holds it (counters and histograms only where non-zero). */
void		 metrics_render(struct buf *out, const struct metrics_source *src, size_t n);

/* Encodes the MS_JOBD families of "m" (non-zero cells and model names) stamped with "now"
 * (unix seconds), and decodes such a snapshot into a zeroed set "m" (made with models).
 * metrics_snapshot_read returns the stamp, or -1 for a snapshot of another layout or a
 * malformed one. */
void		 metrics_snapshot(struct buf *out, const struct metrics *m, long long now);
long long	 metrics_snapshot_read(struct metrics *m, const char *text);

/* This process's resident memory (bytes) and CPU time (microseconds) from /proc/<pid>
 * (0: this process). Returns 0, or -1 when the process is gone. */
int		 metrics_proc_read(int pid, uint64_t *rss, uint64_t *cpu_usec);

#endif
