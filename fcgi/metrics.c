/* metrics.c: the API's side of the Prometheus metrics: the counters every API process shares
 * (a file in the state folder mapped by each; counts of all processes add up and survive the
 * restart of any one), each request counted, and GET /metrics: the shared counters, each API
 * process's memory and CPU, the queue's state, and every jobd's published snapshot. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "apimetrics.h"
#include "handlers.h"
#include "log.h"
#include "metrics.h"
#include "queue.h"
#include "redisconn.h"
#include "routes.h"
#include "xalloc.h"

#define SHM_MAGIC	0x46474d4554524943ULL	/* "FGMETRIC" */
#define SHM_PROCS	64	/* API processes of one stack whose memory and CPU are shown */
#define SHM_JOBDS	64	/* jobd snapshots read at most per scrape */

/* The shared file: this header, then the cells. */
struct shm_header {
	uint64_t	magic;
	uint64_t	layout;		/* metrics_layout_hash(MS_API) */
	int32_t		pids[SHM_PROCS];	/* the processes counting into it */
	uint64_t	auth_epoch;	/* changes of users' or keys' access made through the API
					 * (api_metrics_auth_changed); 0 in older files, unused */
};

static struct shm_header	*shm;
static size_t			 shm_len;
static int			 shm_slot = -1;

static const char *
route_name(size_t i, const char **method)
{
	*method = api_routes[i].method;
	return api_routes[i].pattern;
}

/* Makes "path" a fresh file of "len" bytes holding an empty set of layout "layout", by
 * renaming a new file over it (processes of an older layout keep their own mapping). */
static int
shm_create(const char *path, size_t len, uint64_t layout)
{
	char			 tmp[4200];
	struct shm_header	 h;
	int			 fd;

	snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
	if ((fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1)
		return -1;
	memset(&h, 0, sizeof(h));
	h.magic = SHM_MAGIC;
	h.layout = layout;
	if (ftruncate(fd, (off_t)len) == -1 || pwrite(fd, &h, sizeof(h), 0) != sizeof(h) ||
	    rename(tmp, path) == -1) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	return 0;
}

/* Opens the shared file (made or replaced under an exclusive lock when absent or of another
 * layout) and maps it. Returns 0 or -1. */
static int
shm_open_file(const char *path)
{
	char			 lockpath[4200];
	struct shm_header	 h;
	struct stat		 st;
	uint64_t		 layout = metrics_layout_hash(MS_API);
	int			 fd = -1, lock, ok;

	shm_len = sizeof(struct shm_header) + metrics_cells() * sizeof(uint64_t);
	snprintf(lockpath, sizeof(lockpath), "%s.lock", path);
	if ((lock = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		return -1;
	if (flock(lock, LOCK_EX) == -1)
		goto fail;
	fd = open(path, O_RDWR | O_CLOEXEC);
	ok = fd != -1 && fstat(fd, &st) == 0 && (size_t)st.st_size == shm_len &&
	    pread(fd, &h, sizeof(h), 0) == sizeof(h) && h.magic == SHM_MAGIC &&
	    h.layout == layout;
	if (!ok) {
		if (fd != -1)
			close(fd);
		if (shm_create(path, shm_len, layout) == -1 ||
		    (fd = open(path, O_RDWR | O_CLOEXEC)) == -1)
			goto fail;
	}
	shm = mmap(NULL, shm_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	fd = -1;
	if (shm == MAP_FAILED) {
		shm = NULL;
		goto fail;
	}
	close(lock);
	return 0;
fail:
	if (fd != -1)
		close(fd);
	close(lock);
	return -1;
}

/* Takes a slot of the process table: a free one, or one whose process is gone. */
static void
shm_take_slot(void)
{
	int32_t	 me = (int32_t)getpid(), cur;
	int	 i;

	for (i = 0; i < SHM_PROCS; i++) {
		cur = __atomic_load_n(&shm->pids[i], __ATOMIC_RELAXED);
		if (cur != 0 && cur != me && (kill(cur, 0) == 0 || errno != ESRCH))
			continue;
		if (__atomic_compare_exchange_n(&shm->pids[i], &cur, me, 0, __ATOMIC_ACQ_REL,
		    __ATOMIC_RELAXED)) {
			shm_slot = i;
			return;
		}
	}
}

void
api_metrics_open(const struct config *cfg)
{
	static struct metrics	 set;
	char			 path[4096];

	metrics_routes(api_routes_len, route_name);
	if (config_get(cfg, CONFIG_METRICS_FILE)[0] != '\0')
		snprintf(path, sizeof(path), "%s", config_get(cfg, CONFIG_METRICS_FILE));
	else
		snprintf(path, sizeof(path), "%s/api-metrics", config_get(cfg, CONFIG_STATE_DIR));
	if (shm_open_file(path) == -1) {
		log_warn(NULL, "metrics: cannot share %s (%s): this process counts alone", path,
		    strerror(errno));
		metrics_use(metrics_new(0));
		return;
	}
	set.cells = (uint64_t *)(shm + 1);
	metrics_use(&set);
	shm_take_slot();
}

/* The count of this process alone, when the file could not be shared. */
static uint64_t	 local_auth_epoch;

uint64_t
api_metrics_auth_epoch(void)
{
	return __atomic_load_n(shm != NULL ? &shm->auth_epoch : &local_auth_epoch,
	    __ATOMIC_ACQUIRE);
}

void
api_metrics_auth_changed(void)
{
	__atomic_add_fetch(shm != NULL ? &shm->auth_epoch : &local_auth_epoch, 1,
	    __ATOMIC_ACQ_REL);
}

void
api_metrics_close(void)
{
	metrics_use(NULL);
	if (shm == NULL)
		return;
	if (shm_slot != -1)
		__atomic_store_n(&shm->pids[shm_slot], 0, __ATOMIC_RELEASE);
	munmap(shm, shm_len);
	shm = NULL;
}

void
api_metrics_request(const struct req *rq, double ms)
{
	size_t	 route = api_routes_len;	/* "unmatched" */

	if (rq->route >= api_routes && rq->route < api_routes + api_routes_len)
		route = (size_t)(rq->route - api_routes);

	metrics_inc(M_HTTP_REQUESTS, route, metrics_http_status(rq->status));
	metrics_observe(M_HTTP_DURATION, route, 0, ms > 0 ? (uint64_t)(ms * 1000.0) : 0);
}

/* One integer reply of a Redis command, or -1. */
static long long
redis_int(struct redis_conn *rc, int argc, const char **argv)
{
	redisReply	*r = redis_conn_cmd(rc, argc, argv, NULL);
	long long	 v = -1;

	if (r != NULL && r->type == REDIS_REPLY_INTEGER)
		v = r->integer;
	else if (r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements > 0 &&
	    r->element[0]->type == REDIS_REPLY_INTEGER)
		v = r->element[0]->integer;	/* XPENDING's summary: the count first */
	if (r != NULL)
		freeReplyObject(r);
	return v;
}

/* Fills "set" with the queue's state (MS_SCRAPE families). */
static void
scrape_queue(struct redis_conn *rc, struct metrics *set)
{
	const char	*xlen[] = { "XLEN", QUEUE_STREAM };
	const char	*xpending[] = { "XPENDING", QUEUE_STREAM, QUEUE_GROUP };
	long long	 v;

	if ((v = redis_int(rc, 2, xlen)) >= 0)
		metrics_store(set, M_QUEUE_LENGTH, 0, 0, (uint64_t)v);
	if ((v = redis_int(rc, 3, xpending)) >= 0)
		metrics_store(set, M_QUEUE_PENDING, 0, 0, (uint64_t)v);
}

/* Reads the fresh jobd snapshots into "sets" (labels in "labels"), dropping stale ones.
 * Returns how many. */
static size_t
scrape_jobds(struct redis_conn *rc, struct metrics **sets, char labels[][160], size_t max)
{
	const char	*hgetall[] = { "HGETALL", METRICS_JOBD_KEY };
	const char	*hdel[] = { "HDEL", METRICS_JOBD_KEY, NULL };
	redisReply	*r = redis_conn_cmd(rc, 2, hgetall, NULL), *d;
	long long	 stamp, now = (long long)time(NULL);
	size_t		 i, n = 0;

	if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
		if (r != NULL)
			freeReplyObject(r);
		return 0;
	}
	for (i = 0; i + 1 < r->elements && n < max; i += 2) {
		if (r->element[i]->type != REDIS_REPLY_STRING ||
		    r->element[i + 1]->type != REDIS_REPLY_STRING)
			continue;
		sets[n] = metrics_new(1);
		stamp = metrics_snapshot_read(sets[n], r->element[i + 1]->str);
		if (stamp < 0 || stamp + METRICS_STALE_S < now) {
			metrics_free(sets[n]);
			if (stamp >= 0) {	/* a jobd that stopped publishing */
				hdel[2] = r->element[i]->str;
				if ((d = redis_conn_cmd(rc, 3, hdel, NULL)) != NULL)
					freeReplyObject(d);
			}
			continue;
		}
		snprintf(labels[n], sizeof(labels[n]), "program=\"jobd\",jobd=\"%.100s\"",
		    r->element[i]->str);
		n++;
	}
	freeReplyObject(r);
	return n;
}

int
metrics_get(struct req *rq)
{
	struct metrics_source	 src[2 + SHM_PROCS + SHM_JOBDS];
	struct metrics		*owned[2 + SHM_PROCS + SHM_JOBDS], *m, *scrape;
	char			 labels[SHM_PROCS + SHM_JOBDS][160];
	struct buf		 out;
	uint64_t		 rss, cpu;
	size_t			 n = 0, nl = 0, nown = 0, nj, i;
	int32_t			 pid;
	int			 rc;

	/* the counters every API process shares, copied once for a consistent view */
	m = owned[nown++] = metrics_new(0);
	if (shm != NULL)
		memcpy(m->cells, shm + 1, metrics_cells() * sizeof(uint64_t));
	src[n++] = (struct metrics_source){ MS_API, m, "program=\"api\"" };
	/* the queue's state */
	scrape = owned[nown++] = metrics_new(0);
	scrape_queue(rq->app->redis, scrape);
	src[n++] = (struct metrics_source){ MS_SCRAPE, scrape, "program=\"api\"" };
	/* each API process's memory and CPU */
	for (i = 0; shm != NULL && i < SHM_PROCS; i++) {
		pid = __atomic_load_n(&shm->pids[i], __ATOMIC_RELAXED);
		if (pid == 0 || metrics_proc_read(pid, &rss, &cpu) == -1)
			continue;
		m = owned[nown++] = metrics_new(0);
		metrics_store(m, M_PROCESS_RSS, 0, 0, rss);
		metrics_store(m, M_PROCESS_CPU, 0, 0, cpu);
		snprintf(labels[nl], sizeof(labels[nl]), "program=\"api\",process=\"%zu\"", i);
		src[n++] = (struct metrics_source){ MS_PROC, m, labels[nl++] };
	}
	/* every jobd's snapshot */
	nj = scrape_jobds(rq->app->redis, owned + nown, labels + nl, SHM_JOBDS);
	metrics_store(scrape, M_JOBD_INSTANCES, 0, 0, nj);
	for (i = 0; i < nj; i++)
		src[n++] = (struct metrics_source){ MS_JOBD, owned[nown + i], labels[nl + i] };
	nown += nj;
	buf_init(&out);
	metrics_render(&out, src, n);
	rc = resp_text(rq, 200, "text/plain; version=0.0.4; charset=utf-8", out.data, out.len);
	buf_clear(&out);
	for (i = 0; i < nown; i++)
		metrics_free(owned[i]);
	return rc;
}
