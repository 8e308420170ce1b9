/* sandbox_latency.c: the cost of evaluating an expression in the sandbox (jobd/sandbox.c
 * with the real fragent-sandbox helper) against evaluating it in process (shared/expr.c, as
 * jobd did before), on the context of bench/throughput.sh's workflow.
 *
 *	bench/sandbox_latency [N] [BATCH]
 *
 * Prints, for N evaluations of the workflow's transform and template: in process, the time
 * per evaluation; through the pool one at a time, the latency p50/p99 (submit to answer);
 * through the pool BATCH at a time per loop turn, the time and the CPU of jobd's side and of
 * the helper per evaluation. SANDBOX_BIN names the helper [build/jobd/fragent-sandbox]. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/resource.h>
#include <sys/time.h>

#include <event2/event.h>
#include <jv.h>

#include "expr.h"
#include "jsonh.h"
#include "sandbox.h"

static const char CTX[] =
	"{\"input\":{\"name\":\"bench\",\"items\":[1,2,3,4]},"
	"\"in\":{\"name\":\"bench\",\"items\":[1,2,3,4],\"output\":{\"name\":\"bench\","
	"\"items\":[1,2,3,4]}},\"sum\":{\"output\":{\"total\":10,\"n\":4}}}";
static const char EXPR[] = "{total: (.in.items | add), n: (.in.items | length)}";
static const char TMPL[] = "{{ .in.name }} has {{ .sum.output.n }} items";

static struct event_base	*base;
static struct sandbox_pool	*pool;
static int			 answered;

static double
now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* CPU microseconds of this process ("who" RUSAGE_SELF) or of its reaped children. */
static double
cpu_us(int who)
{
	struct rusage	 ru;

	getrusage(who, &ru);
	return ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1e6 +
	    ru.ru_stime.tv_usec;
}

/* CPU microseconds of the pool's live helper (its /proc/<pid>/stat, in clock ticks). */
static double
helper_cpu_us(void)
{
	struct sandbox_stats	 st;
	char			 path[64];
	unsigned long		 ut = 0, stt = 0;
	FILE			*f;

	sandbox_stats(pool, &st);
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)st.last_pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut,
	    &stt) != 2)
		ut = stt = 0;
	fclose(f);
	return (ut + stt) * 1e6 / 100.0;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
on_done(void *arg, json_object *results, const char *err)
{
	(void)arg;
	if (err != NULL) {
		fprintf(stderr, "sandbox_latency: %s\n", err);
		exit(1);
	}
	json_object_put(results);
	answered++;
}

/* Submits one request: the transform, or the template when "i" is odd. */
static void
submit(json_object *ctx, int i)
{
	struct sandbox_req	*r;
	char			 err[256];

	if ((r = sandbox_req_new(pool, ctx, err, sizeof(err))) == NULL ||
	    sandbox_req_add(r, i % 2 ? SANDBOX_TEMPLATE : SANDBOX_EXPR, i % 2 ? TMPL : EXPR,
	    err, sizeof(err)) == -1) {
		fprintf(stderr, "sandbox_latency: %s\n", err);
		exit(1);
	}
	sandbox_req_submit(r, 0, on_done, NULL);
}

/* In process, as jobd did: serialise the context, parse it for jq, run, dump, parse back. */
static void
bench_inprocess(json_object *ctx, int n)
{
	json_object	*out;
	char		 err[256];
	double		 t0, c0;
	jv		 c, v, d;
	int		 i, rc;

	t0 = now_us();
	c0 = cpu_us(RUSAGE_SELF);
	for (i = 0; i < n; i++) {
		c = jv_parse(jsonh_str(ctx));
		rc = i % 2 ? expr_render(TMPL, c, &v, err, sizeof(err)) :
		    expr_eval(EXPR, c, &v, err, sizeof(err));
		if (rc == -1) {
			fprintf(stderr, "sandbox_latency: %s\n", err);
			exit(1);
		}
		d = jv_dump_string(v, 0);
		jsonh_parse(jv_string_value(d), (size_t)jv_string_length_bytes(jv_copy(d)), &out,
		    err, sizeof(err));
		json_object_put(out);
		jv_free(d);
		jv_free(c);
	}
	printf("in process:      %6.1f us per evaluation (CPU %.1f us)\n", (now_us() - t0) / n,
	    (cpu_us(RUSAGE_SELF) - c0) / n);
	expr_cache_clear();
}

/* One at a time: the latency of each, submit to answer (printed unless "quiet"). */
static void
bench_latency(json_object *ctx, int n, int quiet)
{
	double	*lat = calloc((size_t)n, sizeof(*lat)), t;
	int	 i;

	for (i = 0; i < n; i++) {
		answered = 0;
		t = now_us();
		submit(ctx, i);
		while (answered == 0)
			event_base_loop(base, EVLOOP_ONCE);
		lat[i] = now_us() - t;
	}
	qsort(lat, (size_t)n, sizeof(*lat), cmp_double);
	if (!quiet)
		printf("sandbox, 1 by 1: p50 %6.1f us, p99 %6.1f us per evaluation\n",
		    lat[n / 2], lat[n * 99 / 100]);
	free(lat);
}

/* "batch" per loop turn: the time and CPU per evaluation. */
static void
bench_batched(json_object *ctx, int n, int batch)
{
	double	 t0 = now_us(), c0 = cpu_us(RUSAGE_SELF), h0 = helper_cpu_us();
	int	 i, sent = 0;

	answered = 0;
	while (answered < n) {
		for (i = 0; i < batch && sent < n; i++)
			submit(ctx, sent++);
		event_base_loop(base, EVLOOP_ONCE);
	}
	printf("sandbox, %4d per turn: %6.1f us per evaluation; CPU %.1f us here, %.1f us in "
	    "the helper\n", batch, (now_us() - t0) / n, (cpu_us(RUSAGE_SELF) - c0) / n,
	    (helper_cpu_us() - h0) / n);
}

int
main(int argc, char **argv)
{
	struct sandbox_conf	 conf;
	json_object		*ctx = json_tokener_parse(CTX);
	int			 n = argc > 1 ? atoi(argv[1]) : 20000;
	int			 batch = argc > 2 ? atoi(argv[2]) : 256;
	char			 err[256];

	if (n < 100 || batch < 1) {
		fprintf(stderr, "usage: sandbox_latency [N >= 100] [BATCH >= 1]\n");
		return 2;
	}
	memset(&conf, 0, sizeof(conf));
	conf.bin = getenv("SANDBOX_BIN") ? getenv("SANDBOX_BIN") : "build/jobd/fragent-sandbox";
	conf.memory_mb = 256;
	conf.limit_ms = 5000;
	conf.max_helpers = 4;
	conf.slow_ms = SANDBOX_SLOW_MS;
	base = event_base_new();
	if ((pool = sandbox_pool_new(base, &conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "sandbox_latency: %s\n", err);
		return 1;
	}
	bench_inprocess(ctx, n);
	bench_latency(ctx, 200, 1);	/* warms the helper's cache */
	bench_latency(ctx, n, 0);
	bench_batched(ctx, n, batch);
	sandbox_pool_free(pool);
	event_base_free(base);
	json_object_put(ctx);
	return 0;
}
