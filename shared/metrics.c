/* metrics.c: the layout of shared/metrics.def's families in a set of cells, counting into
 * the process's set, the Prometheus text exposition and jobd's snapshots. */
#include "config.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "metrics.h"
#include "nitems.h"
#include "wf.h"
#include "xalloc.h"

struct family {
	const char		*name;
	enum metrics_type	 type;
	enum metrics_dim	 dim1, dim2;
	enum metrics_buckets	 buckets;
	unsigned		 kinds;
	uint64_t		 scale;
	const char		*help;
};

static const struct family families[M__MAX] = {
#define METRIC(id, n, t, d1, d2, b, k, s, h)	[M_##id] = { n, t, d1, d2, b, k, s, h },
#include "metrics.def"
#undef METRIC
};

/* Histogram upper bounds in microseconds (+Inf follows). */
static const uint64_t bounds_http[] = { 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000,
    250000, 500000, 1000000, 2500000, 5000000, 10000000 };
static const uint64_t bounds_run[] = { 10000, 50000, 100000, 250000, 500000, 1000000,
    2500000, 5000000, 10000000, 30000000, 60000000, 300000000, 900000000, 3600000000ULL };
static const struct { const uint64_t *v; size_t n; } bounds[MB__MAX] = {
	[MB_NONE] = { NULL, 0 },
	[MB_HTTP] = { bounds_http, NITEMS(bounds_http) },
	[MB_RUN] = { bounds_run, NITEMS(bounds_run) },
};

static const int http_statuses[] = { 200, 201, 202, 204, 301, 302, 304, 400, 401, 403, 404,
    405, 406, 409, 410, 411, 412, 413, 415, 422, 429, 500, 501, 502, 503, 504 };
static const char *const triggers[] = { "manual", "api", "webhook", "schedule", "tool",
    "workflow", "replay", "other" };
static const char *const outcomes[] = { "succeeded", "failed", "cancelled" };
static const char *const token_kinds[] = { "prompt", "completion" };

static size_t		  route_count;
static const char	*(*route_name)(size_t, const char **);
static size_t		  offsets[M__MAX], total;
static int		  laid_out;
static struct metrics	 *self;
static pthread_mutex_t	  model_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t
dim_size(enum metrics_dim d)
{
	switch (d) {
	case MD_NONE:		return 1;
	case MD_ROUTE:		return route_count + 1;
	case MD_HTTP_STATUS:	return NITEMS(http_statuses) + 1;
	case MD_TRIGGER:	return NITEMS(triggers);
	case MD_RUN_STATUS:
	case MD_STEP_STATUS:	return NITEMS(outcomes);
	case MD_NODE_TYPE:	return WF_NODE__MAX;
	case MD_MODEL:		return METRICS_MODELS;
	case MD_TOKEN_KIND:	return NITEMS(token_kinds);
	case MD__MAX:		break;
	}
	abort();
}

/* Cells of one label set of family "f": one, or a histogram's buckets, +Inf, sum and count. */
static size_t
cell_width(const struct family *f)
{
	return f->type == HISTOGRAM ? bounds[f->buckets].n + 3 : 1;
}

static size_t
family_cells(const struct family *f)
{
	return dim_size(f->dim1) * dim_size(f->dim2) * cell_width(f);
}

static void
layout(void)
{
	size_t	 i;

	if (laid_out)
		return;
	total = 0;
	for (i = 0; i < M__MAX; i++) {
		offsets[i] = total;
		total += family_cells(&families[i]);
	}
	laid_out = 1;
}

void
metrics_routes(size_t n, const char *(*name)(size_t, const char **))
{
	route_count = n;
	route_name = name;
	laid_out = 0;
	layout();
}

size_t
metrics_cells(void)
{
	layout();
	return total;
}

static uint64_t
fnv(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h ^ 0xff) * 1099511628211ULL;
}

uint64_t
metrics_layout_hash(unsigned kinds)
{
	char		 num[64];
	uint64_t	 h = 1469598103934665603ULL;
	const char	*method;
	size_t		 i, r;
	int		 routes = 0;

	layout();
	for (i = 0; i < M__MAX; i++) {
		if ((families[i].kinds & kinds) == 0)
			continue;
		snprintf(num, sizeof(num), "%zu %zu", i, family_cells(&families[i]));
		h = fnv(fnv(h, families[i].name), num);
		routes |= families[i].dim1 == MD_ROUTE || families[i].dim2 == MD_ROUTE;
	}
	for (r = 0; routes && r < route_count; r++) {
		h = fnv(h, route_name(r, &method));
		h = fnv(h, method);
	}
	return h;
}

struct metrics *
metrics_new(int models)
{
	struct metrics	*m = xcalloc(1, sizeof(*m));

	m->cells = xcalloc(metrics_cells(), sizeof(*m->cells));
	if (models)
		m->models = xcalloc(METRICS_MODELS, sizeof(*m->models));
	m->owned = 1;
	return m;
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	if (self == m)
		self = NULL;
	if (m->owned) {
		free(m->cells);
		free(m->models);
	}
	free(m);
}

void
metrics_use(struct metrics *m)
{
	layout();
	__atomic_store_n(&self, m, __ATOMIC_RELEASE);
}

/* The first cell of label set (l1, l2) of family "id" in "cells", or NULL out of range. */
static uint64_t *
cell(uint64_t *cells, enum metric_id id, size_t l1, size_t l2)
{
	const struct family	*f = &families[id];

	if (l1 >= dim_size(f->dim1) || l2 >= dim_size(f->dim2))
		return NULL;
	return cells + offsets[id] + (l1 * dim_size(f->dim2) + l2) * cell_width(f);
}

static struct metrics *
counting_set(void)
{
	return __atomic_load_n(&self, __ATOMIC_ACQUIRE);
}

void
metrics_add(enum metric_id id, size_t l1, size_t l2, int64_t delta)
{
	struct metrics	*m = counting_set();
	uint64_t	*c;

	if (m != NULL && (c = cell(m->cells, id, l1, l2)) != NULL)
		__atomic_fetch_add(c, (uint64_t)delta, __ATOMIC_RELAXED);
}

void
metrics_store(struct metrics *m, enum metric_id id, size_t l1, size_t l2, uint64_t value)
{
	uint64_t	*c;

	if (m != NULL && families[id].type != HISTOGRAM &&
	    (c = cell(m->cells, id, l1, l2)) != NULL)
		__atomic_store_n(c, value, __ATOMIC_RELAXED);
}

void
metrics_set(enum metric_id id, size_t l1, size_t l2, uint64_t value)
{
	metrics_store(counting_set(), id, l1, l2, value);
}

void
metrics_observe(enum metric_id id, size_t l1, size_t l2, uint64_t usec)
{
	const struct family	*f = &families[id];
	struct metrics		*m = counting_set();
	uint64_t		*c;
	size_t			 b, nb = bounds[f->buckets].n;

	if (m == NULL || f->type != HISTOGRAM || (c = cell(m->cells, id, l1, l2)) == NULL)
		return;
	for (b = 0; b < nb && usec > bounds[f->buckets].v[b]; b++)
		continue;
	__atomic_fetch_add(&c[b], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&c[nb + 1], usec, __ATOMIC_RELAXED);
	__atomic_fetch_add(&c[nb + 2], 1, __ATOMIC_RELAXED);
}

uint64_t
metrics_value(const struct metrics *m, enum metric_id id, size_t l1, size_t l2)
{
	const struct family	*f = &families[id];
	uint64_t		*c = cell(m->cells, id, l1, l2);

	if (c == NULL)
		return 0;
	return __atomic_load_n(&c[cell_width(f) - 1], __ATOMIC_RELAXED);
}

size_t
metrics_http_status(int status)
{
	size_t	 i;

	for (i = 0; i < NITEMS(http_statuses); i++)
		if (http_statuses[i] == status)
			return i;
	return NITEMS(http_statuses);
}

static size_t
find_name(const char *const *names, size_t n, const char *s, size_t missing)
{
	size_t	 i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return missing;
}

size_t
metrics_trigger(const char *trigger)
{
	return find_name(triggers, NITEMS(triggers), trigger, NITEMS(triggers) - 1);
}

size_t
metrics_run_status(const char *status)
{
	return find_name(outcomes, NITEMS(outcomes), status, 1);
}

/* Copies "s" into "dst" (size "len"), printable ASCII only (others become '?'). */
static void
copy_label(char *dst, size_t len, const char *s)
{
	size_t	 i;

	for (i = 0; s != NULL && s[i] != '\0' && i + 1 < len; i++)
		dst[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	dst[i] = '\0';
}

size_t
metrics_model(const char *provider, const char *model)
{
	struct metrics		*m = counting_set();
	struct metrics_model	 want;
	size_t			 i, slot = METRICS_MODELS - 1;

	if (m == NULL || m->models == NULL)
		return slot;
	copy_label(want.provider, sizeof(want.provider), provider);
	copy_label(want.model, sizeof(want.model), model);
	pthread_mutex_lock(&model_lock);
	for (i = 0; i < m->nmodels; i++)
		if (strcmp(m->models[i].provider, want.provider) == 0 &&
		    strcmp(m->models[i].model, want.model) == 0)
			break;
	if (i == m->nmodels && i < METRICS_MODELS - 1)
		m->models[m->nmodels++] = want;
	if (i < METRICS_MODELS - 1)
		slot = i;
	pthread_mutex_unlock(&model_lock);
	return slot;
}

/* Appends a label value, escaped as the exposition format wants. */
static void
put_value(struct buf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			buf_printf(out, "\\%c", *s);
		else if (*s == '\n')
			buf_puts(out, "\\n");
		else
			buf_append(out, s, 1);
	}
}

static void
put_label(struct buf *out, const char *name, const char *value)
{
	buf_printf(out, ",%s=\"", name);
	put_value(out, value);
	buf_puts(out, "\"");
}

/* Appends the labels of value "v" of dimension "d" in set "m" (each preceded by a comma). */
static void
put_dim(struct buf *out, enum metrics_dim d, size_t v, const struct metrics *m)
{
	const char	*method = "other";
	char		 num[16];

	switch (d) {
	case MD_NONE:
		break;
	case MD_ROUTE:
		put_label(out, "route", v < route_count ? route_name(v, &method) : "unmatched");
		put_label(out, "method", method);
		break;
	case MD_HTTP_STATUS:
		if (v < NITEMS(http_statuses))
			snprintf(num, sizeof(num), "%d", http_statuses[v]);
		else
			snprintf(num, sizeof(num), "other");
		put_label(out, "status", num);
		break;
	case MD_TRIGGER:
		put_label(out, "trigger", triggers[v]);
		break;
	case MD_RUN_STATUS:
	case MD_STEP_STATUS:
		put_label(out, "status", outcomes[v]);
		break;
	case MD_NODE_TYPE:
		put_label(out, "node_type", wf_types[v]->name);
		break;
	case MD_MODEL:
		if (m->models != NULL && v < m->nmodels && v < METRICS_MODELS - 1) {
			put_label(out, "provider", m->models[v].provider);
			put_label(out, "model", m->models[v].model);
		} else {
			put_label(out, "provider", "other");
			put_label(out, "model", "other");
		}
		break;
	case MD_TOKEN_KIND:
		put_label(out, "kind", token_kinds[v]);
		break;
	case MD__MAX:
		abort();
	}
}

/* Appends "name{labels}" with the source's labels, dims and an extra label (may be NULL). */
static void
put_series(struct buf *out, const char *name, const char *suffix,
    const struct metrics_source *s, const struct family *f, size_t l1, size_t l2,
    const char *le)
{
	buf_printf(out, "%s%s{%s", name, suffix, s->labels);
	put_dim(out, f->dim1, l1, s->set);
	put_dim(out, f->dim2, l2, s->set);
	if (le != NULL)
		put_label(out, "le", le);
	buf_puts(out, "} ");
}

static void
put_number(struct buf *out, const struct family *f, uint64_t v, int is_gauge)
{
	if (f->scale != 1)
		buf_printf(out, "%.6f\n", (double)v / (double)f->scale);
	else if (is_gauge)
		buf_printf(out, "%" PRId64 "\n", (int64_t)v);
	else
		buf_printf(out, "%" PRIu64 "\n", v);
}

static void
put_histogram(struct buf *out, const struct family *f, const struct metrics_source *s,
    const uint64_t *c, size_t l1, size_t l2)
{
	size_t		 b, nb = bounds[f->buckets].n;
	uint64_t	 cum = 0;
	char		 le[32];

	for (b = 0; b <= nb; b++) {
		cum += __atomic_load_n(&c[b], __ATOMIC_RELAXED);
		if (b < nb)
			snprintf(le, sizeof(le), "%g", (double)bounds[f->buckets].v[b] / 1e6);
		else
			snprintf(le, sizeof(le), "+Inf");
		put_series(out, f->name, "_bucket", s, f, l1, l2, le);
		buf_printf(out, "%" PRIu64 "\n", cum);
	}
	put_series(out, f->name, "_sum", s, f, l1, l2, NULL);
	put_number(out, f, __atomic_load_n(&c[nb + 1], __ATOMIC_RELAXED), 0);
	put_series(out, f->name, "_count", s, f, l1, l2, NULL);
	/* the count is the +Inf bucket's, read once: a sample racing the scrape cannot make
	 * the two differ */
	buf_printf(out, "%" PRIu64 "\n", cum);
}

static void
put_family(struct buf *out, enum metric_id id, const struct metrics_source *src, size_t n)
{
	static const char *const type_names[] = { "counter", "gauge", "histogram" };
	const struct family	*f = &families[id];
	const uint64_t		*c;
	size_t			 i, l1, l2, d1 = dim_size(f->dim1), d2 = dim_size(f->dim2);
	uint64_t		 v;

	buf_printf(out, "# HELP %s %s.\n# TYPE %s %s\n", f->name, f->help, f->name,
	    type_names[f->type]);
	for (i = 0; i < n; i++) {
		if ((f->kinds & src[i].kind) == 0)
			continue;
		for (l1 = 0; l1 < d1; l1++)
			for (l2 = 0; l2 < d2; l2++) {
				c = cell(src[i].set->cells, id, l1, l2);
				v = __atomic_load_n(&c[cell_width(f) - 1], __ATOMIC_RELAXED);
				/* labelled series only where counted; unlabelled always */
				if (v == 0 && d1 * d2 > 1)
					continue;
				if (f->type == HISTOGRAM) {
					put_histogram(out, f, &src[i], c, l1, l2);
					continue;
				}
				put_series(out, f->name, "", &src[i], f, l1, l2, NULL);
				put_number(out, f, v, f->type == GAUGE);
			}
	}
}

void
metrics_render(struct buf *out, const struct metrics_source *src, size_t n)
{
	size_t	 id;

	layout();
	for (id = 0; id < M__MAX; id++)
		put_family(out, (enum metric_id)id, src, n);
}

void
metrics_snapshot(struct buf *out, const struct metrics *m, long long now)
{
	size_t		 id, i, len;
	uint64_t	 v;
	unsigned	 nmodels;

	layout();
	buf_printf(out, "fragent-metrics 1 %016" PRIx64 " %lld\n", metrics_layout_hash(MS_JOBD),
	    now);
	/* worker threads name new slots meanwhile (metrics_model) */
	pthread_mutex_lock(&model_lock);
	nmodels = m->models != NULL ? m->nmodels : 0;
	for (i = 0; i < nmodels; i++)
		if (m->models[i].provider[0] != '\0')	/* a slot a snapshot left unnamed */
			buf_printf(out, "m %zu %s %s\n", i, m->models[i].provider,
			    m->models[i].model);
	pthread_mutex_unlock(&model_lock);
	for (id = 0; id < M__MAX; id++) {
		if ((families[id].kinds & MS_JOBD) == 0)
			continue;
		len = family_cells(&families[id]);
		for (i = 0; i < len; i++)
			if ((v = __atomic_load_n(&m->cells[offsets[id] + i], __ATOMIC_RELAXED)) != 0)
				buf_printf(out, "c %zu %zu %" PRIu64 "\n", id, i, v);
	}
}

/* Reads one "m SLOT PROVIDER MODEL" line into "m". Returns 0 or -1. */
static int
snapshot_model(struct metrics *m, const char *line, size_t len)
{
	char		 provider[METRICS_PROVIDER_LEN], model[METRICS_MODEL_LEN];
	unsigned	 slot;
	int		 used = 0;

	if (m->models == NULL || len >= sizeof(model) + sizeof(provider) + 16 ||
	    sscanf(line, "m %u %31s %n", &slot, provider, &used) != 2 || used == 0 ||
	    line[used - 1] != ' ' ||	/* a provider name cut short */
	    slot >= METRICS_MODELS - 1 || len - (size_t)used >= sizeof(model))
		return -1;
	memcpy(model, line + used, len - (size_t)used);
	model[len - (size_t)used] = '\0';
	copy_label(m->models[slot].provider, sizeof(m->models[slot].provider), provider);
	copy_label(m->models[slot].model, sizeof(m->models[slot].model), model);
	if (slot + 1 > m->nmodels)
		m->nmodels = slot + 1;
	return 0;
}

long long
metrics_snapshot_read(struct metrics *m, const char *text)
{
	char		 line[256];
	const char	*p = text, *nl;
	uint64_t	 hash, v;
	long long	 stamp;
	size_t		 id, i, len;

	layout();
	if (sscanf(text, "fragent-metrics 1 %" SCNx64 " %lld", &hash, &stamp) != 2 ||
	    hash != metrics_layout_hash(MS_JOBD))
		return -1;
	while ((nl = strchr(p, '\n')) != NULL) {
		len = (size_t)(nl - p);
		if (len >= sizeof(line))
			return -1;
		memcpy(line, p, len);
		line[len] = '\0';
		p = nl + 1;
		if (line[0] == 'm') {
			if (snapshot_model(m, line, len) == -1)
				return -1;
		} else if (line[0] == 'c') {
			if (sscanf(line, "c %zu %zu %" SCNu64, &id, &i, &v) != 3 || id >= M__MAX ||
			    (families[id].kinds & MS_JOBD) == 0 ||
			    i >= family_cells(&families[id]))
				return -1;
			m->cells[offsets[id] + i] = v;
		}
	}
	return stamp;
}

int
metrics_proc_read(int pid, uint64_t *rss, uint64_t *cpu_usec)
{
	char			 path[64], buf[1024], *p;
	unsigned long long	 utime, stime;
	long			 pages, ticks = sysconf(_SC_CLK_TCK);
	FILE			*f;
	size_t			 n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid == 0 ? (int)getpid() : pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* after the command's closing parenthesis: state (3) … utime (14), stime (15), …,
	 * rss (24) in pages */
	if ((p = strrchr(buf, ')')) == NULL || sscanf(p + 1,
	    " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %*d %*d "
	    "%*u %*u %ld", &utime, &stime, &pages) != 3)
		return -1;
	*rss = (uint64_t)pages * (uint64_t)sysconf(_SC_PAGESIZE);
	*cpu_usec = (utime + stime) * 1000000ULL / (unsigned long long)(ticks > 0 ? ticks : 100);
	return 0;
}
