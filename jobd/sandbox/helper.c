/* helper.c: the request loop of a fragent-sandbox helper (see helper.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sched.h>

#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <jv.h>

#include "expr.h"
#include "helper.h"
#include "nitems.h"
#include "xalloc.h"

#define SBX_FLUSH_NS	2000000L	/* an answer waits at most this long for the next */
#define SBX_FLUSH_BYTES	(256u << 10)
#define SBX_READ_CHUNK	(64u << 10)
#define SBX_ALTSTACK	(64u << 10)

extern char **environ;

/* What the signal handlers need: the answers already whole, to write before exiting or
 * before the notice that a request is slow. */
static struct {
	int		 fd;
	struct buf	 out;		/* answers not written yet */
	volatile size_t	 sent;		/* bytes of "out" already written */
	volatile size_t	 done;		/* bytes of "out" that are whole answers */
	volatile uint32_t running;	/* the id of the request being evaluated */
	volatile sig_atomic_t retire;	/* answers ask to be replaced */
	struct buf	 text;		/* the item being run, NUL-terminated */
	struct itimerval slow;		/* armed around each evaluation */
	cpu_set_t	 slow_cpus;	/* where a slow evaluation goes on: the last CPU */
	int		 slow_pin;	/* there are others to leave to the short ones */
} sbx = { .fd = -1 };

static unsigned char sbx_altstack[SBX_ALTSTACK];

/* Writes "n" bytes of "p" (async-signal-safe). Returns 0 or -1. */
static int
sbx_write_all(const void *p, size_t n)
{
	const char	*c = p;
	ssize_t		 w;

	while (n > 0) {
		if ((w = write(sbx.fd, c, n)) < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Writes the whole answers of "out" not written yet (async-signal-safe). */
static void
sbx_write_done(void)
{
	if (sbx.done > sbx.sent && sbx_write_all(sbx.out.data + sbx.sent,
	    sbx.done - sbx.sent) == 0)
		sbx.sent = sbx.done;
}

static void
sbx_on_fatal(int sig)
{
	sbx_write_done();
	_exit(sig == SIGXCPU ? SBX_EXIT_CPU : SBX_EXIT_CRASH);
}

/* An evaluation used the slow threshold in CPU time: step aside for the short ones, and
 * tell the parent (after the answers before it), which moves what waits behind it. The
 * timer runs only while evaluating, never while "out" is being written or grown. */
static void
sbx_on_slow(int sig)
{
	struct sched_param	 sp = { 0 };
	unsigned char		 h[SBX_HEADER] = { 0 };
	uint32_t		 id = sbx.running;

	(void)sig;
	(void)sched_setscheduler(0, SCHED_IDLE, &sp);
	/* Idle priority still shares a core's caches and pipeline with whatever runs beside it:
	 * on one CPU only, the slow ones leave the others to the engine and the short ones. */
	if (sbx.slow_pin)
		(void)sched_setaffinity(0, sizeof(sbx.slow_cpus), &sbx.slow_cpus);
	sbx.retire = 1;
	h[4] = (unsigned char)id;
	h[5] = (unsigned char)(id >> 8);
	h[6] = (unsigned char)(id >> 16);
	h[7] = (unsigned char)(id >> 24);
	h[8] = SBX_OP_SLOW;
	sbx_write_done();
	(void)sbx_write_all(h, sizeof(h));
}

/* jq's allocation failed: libjq would abort after this returns. */
static void
sbx_on_nomem(void *data)
{
	(void)data;
	sbx_write_done();
	_exit(SBX_EXIT_NOMEM);
}

int
sbx_helper_init(long slow_ms)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGXCPU };
	struct sigaction	 sa;
	stack_t			 ss;
	size_t			 i;

	ss.ss_sp = sbx_altstack;
	ss.ss_size = sizeof(sbx_altstack);
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL) == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sbx_on_fatal;
	sa.sa_flags = SA_ONSTACK;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < NITEMS(fatal); i++)
		if (sigaction(fatal[i], &sa, NULL) == -1)
			return -1;
	sa.sa_handler = sbx_on_slow;
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGPROF, &sa, NULL) == -1)
		return -1;
	{
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

		CPU_ZERO(&sbx.slow_cpus);
		if ((sbx.slow_pin = ncpu > 1 && ncpu <= CPU_SETSIZE))
			CPU_SET((int)ncpu - 1, &sbx.slow_cpus);
	}
	sbx.slow.it_value.tv_sec = slow_ms / 1000;
	sbx.slow.it_value.tv_usec = (slow_ms % 1000) * 1000;
	signal(SIGPIPE, SIG_DFL);
	expr_set_nomem_handler(sbx_on_nomem, NULL);
	return 0;
}

/* ---------------------------------------------------------------- answers */

/* Appends an ERR answer to request "id" for item "item". */
static void
sbx_answer_err(struct buf *out, uint32_t id, uint16_t item, const char *msg)
{
	size_t	 n = strlen(msg);

	if (n > SBX_MAX_ERROR)
		n = SBX_MAX_ERROR;
	sbx_put_header(out, (uint32_t)n + 2, id, SBX_OP_ERR, sbx.retire ? SBX_FLAG_RETIRE : 0,
	    0);
	sbx_put_u16(out, item);
	buf_append(out, msg, n);
}

/* Runs item "it" against "ctx" and appends its result (an OK answer's slice) to "out", whose
 * answer started at "at". Returns 0, or -1 with a message in "err". */
static int
sbx_item(const struct sbx_slice *it, jv ctx, struct buf *out, size_t at, char *err,
    size_t errlen)
{
	jv	 v, d;
	size_t	 n;
	int	 rc;

	static const struct itimerval	 off;

	buf_reset(&sbx.text);
	buf_append(&sbx.text, it->p, it->len);		/* NUL-terminated */
	/* Compiled first (or found in the cache), so that the timer counts evaluation only. */
	if (it->kind == SBX_ITEM_EXPR)
		rc = expr_check(sbx.text.data, EXPR_COMPILE, err, errlen);
	else
		rc = expr_template_check(sbx.text.data, EXPR_COMPILE, err, errlen);
	if (rc == -1)
		return -1;
	if (!sbx.retire)
		(void)setitimer(ITIMER_PROF, &sbx.slow, NULL);
	if (it->kind == SBX_ITEM_EXPR)
		rc = expr_eval(sbx.text.data, ctx, &v, err, errlen);
	else
		rc = expr_render(sbx.text.data, ctx, &v, err, errlen);
	(void)setitimer(ITIMER_PROF, &off, NULL);
	if (rc == -1)
		return -1;
	d = jv_dump_string(v, 0);
	n = (size_t)jv_string_length_bytes(jv_copy(d));
	if (n > EXPR_MAX_RESULT || out->len - at + n + 4 > SBX_MAX_ANSWER) {
		jv_free(d);
		snprintf(err, errlen, "result larger than %d bytes", n > EXPR_MAX_RESULT ?
		    EXPR_MAX_RESULT : (int)SBX_MAX_ANSWER);
		return -1;
	}
	sbx_put_slice(out, -1, jv_string_value(d), (uint32_t)n);
	jv_free(d);
	return 0;
}

/* Appends the answer to RUN request "f". Returns 0 or an exit status. */
static int
sbx_answer_run(const struct sbx_frame *f, struct buf *out)
{
	struct sbx_slice	 ctx, it;
	size_t			 at = out->len;
	uint32_t		 off;
	uint16_t		 i;
	char			 err[SBX_MAX_ERROR + 1];
	jv			 c;

	if (sbx_run_parse(f, &ctx) == -1)
		return SBX_EXIT_PROTO;
	c = jv_parse_sized((const char *)ctx.p, (int)ctx.len);
	if (!jv_is_valid(c)) {
		jv_free(c);
		sbx_answer_err(out, f->id, 0, "the context is not valid JSON");
		return 0;
	}
	sbx_put_header(out, 0, f->id, SBX_OP_OK, sbx.retire ? SBX_FLAG_RETIRE : 0, f->count);
	off = 4 + ctx.len;
	for (i = 0; i < f->count; i++) {
		(void)sbx_next_slice(f, &off, &it);	/* checked by sbx_run_parse */
		err[0] = '\0';
		sbx.running = f->id;
		if (sbx_item(&it, c, out, at, err, sizeof(err)) == -1) {
			out->len = at;
			sbx_answer_err(out, f->id, i, err[0] ? err : "failed");
			jv_free(c);
			return 0;
		}
	}
	jv_free(c);
	sbx_patch_header(out, at, (uint32_t)(out->len - at - SBX_HEADER), f->id, f->count);
	if (sbx.retire)		/* perhaps since this request's evaluation */
		out->data[at + 9] = SBX_FLAG_RETIRE;
	return 0;
}

/* Appends "name":"outcome" of one probe: the errno name, or "allowed". */
static void
sbx_probe_one(struct buf *b, const char *name, long rc, int err)
{
	buf_printf(b, "%s\"%s\":\"%s\"", b->len > 1 ? "," : "", name,
	    rc >= 0 ? "allowed" : strerrorname_np(err) ? strerrorname_np(err) : "?");
	if (rc > SBX_FD && strcmp(name, "fork") != 0)
		close((int)rc);
}

/* Tries what the confinement must refuse. A forked child leaves at once. */
static void
sbx_answer_probe(const struct sbx_frame *f, struct buf *out)
{
	static const struct { const char *name; long nr; long a, b, c; } tries[] = {
		{ "open", SYS_open, 0, O_RDONLY, 0 },
		{ "openat", SYS_openat, AT_FDCWD, 0, O_RDONLY },
		{ "socket", SYS_socket, AF_INET, SOCK_STREAM, 0 },
		{ "socket_unix", SYS_socket, AF_UNIX, SOCK_STREAM, 0 },
		{ "execve", SYS_execve, 0, 0, 0 },
		{ "fork", SYS_fork, 0, 0, 0 },
		{ "kill_init", SYS_kill, 1, 0, 0 },
		{ "ptrace", SYS_ptrace, PTRACE_TRACEME, 0, 0 },
		{ "setrlimit", SYS_setrlimit, RLIMIT_CPU, 0, 0 },
	};
	static char *const argv[] = { (char *)"/bin/true", NULL };
	struct rlimit	 rl = { RLIM_INFINITY, RLIM_INFINITY };
	struct buf	 b;
	size_t		 i, n = 0;
	long		 rc, a, bb;

	buf_init(&b);
	buf_puts(&b, "{");
	for (i = 0; i < NITEMS(tries); i++) {
		a = tries[i].a;
		bb = tries[i].b;
		if (tries[i].nr == SYS_open)
			a = (long)"/etc/hostname";
		if (tries[i].nr == SYS_execve)
			a = (long)argv[0];
		if (tries[i].nr == SYS_openat)
			bb = (long)"/etc/hostname";
		if (tries[i].nr == SYS_execve)
			bb = (long)argv;
		if (tries[i].nr == SYS_setrlimit)
			bb = (long)&rl;
		errno = 0;
		rc = syscall(tries[i].nr, a, bb, tries[i].c);
		if (tries[i].nr == SYS_fork && rc == 0)
			_exit(0);
		sbx_probe_one(&b, tries[i].name, rc, errno);
	}
	while (environ != NULL && environ[n] != NULL)
		n++;
	buf_printf(&b, ",\"environ\":%zu}", n);
	sbx_put_header(out, (uint32_t)b.len + 4, f->id, SBX_OP_OK, 0, 1);
	sbx_put_slice(out, -1, b.data, (uint32_t)b.len);
	buf_clear(&b);
}

int
sbx_helper_answer(const struct sbx_frame *f, struct buf *out)
{
	size_t	 at = out->len;
	int	 rc;

	switch (f->op) {
	case SBX_OP_RUN:
		rc = sbx_answer_run(f, out);
		break;
	case SBX_OP_PROBE:
		sbx_answer_probe(f, out);
		rc = 0;
		break;
	default:
		rc = SBX_EXIT_PROTO;
		break;
	}
	if (rc != 0)
		out->len = at;
	return rc;
}

/* ---------------------------------------------------------------- loop */

static long long
sbx_now_ns(clockid_t clk)
{
	struct timespec	 ts;

	clock_gettime(clk, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Writes every answer (blocking); a parent that went away ends the helper. */
static void
sbx_flush(void)
{
	sbx.done = sbx.out.len;
	sbx_write_done();
	buf_reset(&sbx.out);
	sbx.done = sbx.sent = 0;
}

/* Makes room for at least SBX_READ_CHUNK more bytes in "*in". Returns 0, or -1 when the
 * buffer is already as large as one request may need (a request past the protocol's
 * limit). */
static int
sbx_in_room(unsigned char **in, size_t len, size_t *cap)
{
	size_t		 want;

	if (*cap - len >= SBX_READ_CHUNK)
		return 0;
	want = *cap ? *cap * 2 : 4 * SBX_READ_CHUNK;
	if (want < len + SBX_READ_CHUNK)
		want = len + SBX_READ_CHUNK;
	if (want > SBX_HEADER + SBX_MAX_REQUEST + SBX_READ_CHUNK)
		want = SBX_HEADER + SBX_MAX_REQUEST + SBX_READ_CHUNK;
	if (want <= *cap)
		return -1;
	*in = xrealloc(*in, want);
	*cap = want;
	return 0;
}

/* Answers every whole request of [in, in + len); returns the bytes used ("*status" set when
 * the helper must end). */
static size_t
sbx_batch(const unsigned char *in, size_t len, int *status)
{
	struct sbx_frame	 f;
	size_t			 start = 0, used;
	long long		 first = 0;
	int			 r;

	while ((r = sbx_frame_parse(in + start, len - start, SBX_MAX_REQUEST, &f, &used)) == 1) {
		if ((*status = sbx_helper_answer(&f, &sbx.out)) != 0)
			return start;
		sbx.done = sbx.out.len;
		start += used;
		if (first == 0)
			first = sbx_now_ns(CLOCK_MONOTONIC);
		else if (sbx_now_ns(CLOCK_MONOTONIC) - first > SBX_FLUSH_NS ||
		    sbx.out.len > SBX_FLUSH_BYTES) {
			sbx_flush();
			first = 0;
		}
	}
	if (r == -1)
		*status = SBX_EXIT_PROTO;
	return start;
}

int
sbx_helper_serve(int fd, long retire_cpu_ms)
{
	unsigned char	*in = NULL;
	size_t		 len = 0, cap = 0, used;
	ssize_t		 n;
	int		 status = 0;

	sbx.fd = fd;
	for (;;) {
		if (sbx_in_room(&in, len, &cap) == -1) {
			status = SBX_EXIT_PROTO;
			break;
		}
		if ((n = read(fd, in + len, cap - len)) < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;		/* the parent closed: asked to go */
		len += (size_t)n;
		used = sbx_batch(in, len, &status);
		sbx_flush();
		if (status != 0)
			break;
		memmove(in, in + used, len - used);
		len -= used;
		if (sbx_now_ns(CLOCK_PROCESS_CPUTIME_ID) / 1000000 >= retire_cpu_ms)
			sbx.retire = 1;
	}
	free(in);
	return status;
}
