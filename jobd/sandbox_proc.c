/* sandbox_proc.c: starting, checking, killing and reaping one sandbox helper (see
 * sandbox_proc.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/socket.h>
#include <sys/wait.h>

#include "buf.h"
#include "jsonh.h"
#include "sandbox/proto.h"
#include "sandbox_proc.h"

/* Attempts of the probe that must fail in a confined helper. */
static const char *const sbxproc_refused[] = {
	"open", "openat", "socket", "socket_unix", "execve", "fork", "kill_init", "ptrace",
	"setrlimit", NULL,
};

/* The file actions: the socket as SBX_FD, /dev/null as 0-2, every other descriptor closed. */
static int
sbxproc_actions(posix_spawn_file_actions_t *fa, int child_fd)
{
	if (posix_spawn_file_actions_init(fa) != 0)
		return -1;
	if (posix_spawn_file_actions_adddup2(fa, child_fd, SBX_FD) != 0 ||
	    posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0) != 0 ||
	    posix_spawn_file_actions_addopen(fa, 1, "/dev/null", O_WRONLY, 0) != 0 ||
	    posix_spawn_file_actions_addopen(fa, 2, "/dev/null", O_WRONLY, 0) != 0 ||
	    posix_spawn_file_actions_addclosefrom_np(fa, SBX_FD + 1) != 0) {
		posix_spawn_file_actions_destroy(fa);
		return -1;
	}
	return 0;
}

/* The attributes: no blocked signal, every signal at its default. */
static int
sbxproc_attrs(posix_spawnattr_t *at)
{
	sigset_t	 none, all;

	sigemptyset(&none);
	sigfillset(&all);
	if (posix_spawnattr_init(at) != 0)
		return -1;
	if (posix_spawnattr_setflags(at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) != 0 ||
	    posix_spawnattr_setsigmask(at, &none) != 0 ||
	    posix_spawnattr_setsigdefault(at, &all) != 0) {
		posix_spawnattr_destroy(at);
		return -1;
	}
	return 0;
}

int
sbxproc_spawn(const char *bin, long memory_mb, long cpu_s, long slow_ms, struct sbxproc *p,
    char *err, size_t errlen)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 at;
	char				 mem[24], cpu[24], slow[24];
	char				*argv[] = { (char *)bin, (char *)"--memory-mb", mem,
					    (char *)"--cpu-s", cpu, (char *)"--slow-ms", slow,
					    NULL };
	char				*envp[] = { NULL };
	int				 sv[2], rc;

	p->pid = -1;
	p->fd = -1;
	snprintf(mem, sizeof(mem), "%ld", memory_mb);
	snprintf(cpu, sizeof(cpu), "%ld", cpu_s);
	snprintf(slow, sizeof(slow), "%ld", slow_ms);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	if (sbxproc_actions(&fa, sv[1]) == -1) {
		close(sv[0]);
		close(sv[1]);
		snprintf(err, errlen, "cannot set up posix_spawn's file actions");
		return -1;
	}
	if (sbxproc_attrs(&at) == -1) {
		posix_spawn_file_actions_destroy(&fa);
		close(sv[0]);
		close(sv[1]);
		snprintf(err, errlen, "cannot set up posix_spawn's attributes");
		return -1;
	}
	rc = posix_spawn(&p->pid, bin, &fa, &at, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(sv[1]);
	if (rc != 0) {
		close(sv[0]);
		p->pid = -1;
		snprintf(err, errlen, "cannot start %s: %s", bin, strerror(rc));
		return -1;
	}
	p->fd = sv[0];
	if (fcntl(p->fd, F_SETFL, O_NONBLOCK) == -1) {
		snprintf(err, errlen, "helper %ld: %s", (long)p->pid, strerror(errno));
		sbxproc_kill(p);
		(void)waitpid(p->pid, NULL, 0);
		sbxproc_close(p);
		return -1;
	}
	return 0;
}

/* Waits until "fd" is readable, at most until "deadline_ms" (CLOCK_MONOTONIC). */
static int
sbxproc_wait_readable(int fd, long long deadline_ms)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	struct timespec	 ts;
	long long	 now;
	int		 n;

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
		if (now >= deadline_ms)
			return -1;
		n = poll(&pfd, 1, (int)(deadline_ms - now));
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

/* Reads one frame from "p" into "b" (blocking up to "timeout_ms"). Returns 0 with "f"
 * pointing into "b", or -1 with "err". */
static int
sbxproc_read_frame(struct sbxproc *p, long timeout_ms, struct buf *b, struct sbx_frame *f,
    char *err, size_t errlen)
{
	struct timespec	 ts;
	long long	 deadline;
	char		 chunk[4096];
	size_t		 used;
	ssize_t		 n;
	int		 r;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	deadline = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + timeout_ms;
	while ((r = sbx_frame_parse((const uint8_t *)b->data, b->len, SBX_MAX_ANSWER, f,
	    &used)) == 0) {
		if (sbxproc_wait_readable(p->fd, deadline) == -1) {
			snprintf(err, errlen, "the sandbox helper did not answer its probe");
			return -1;
		}
		if ((n = read(p->fd, chunk, sizeof(chunk))) < 0 && (errno == EINTR ||
		    errno == EAGAIN))
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "the sandbox helper ended before its probe");
			return -1;
		}
		buf_append(b, chunk, (size_t)n);
	}
	if (r == -1) {
		snprintf(err, errlen, "the sandbox helper answered a malformed frame");
		return -1;
	}
	return 0;
}

/* Checks the probe's outcome "o": every attempt refused, an empty environment. */
static int
sbxproc_probe_ok(json_object *o, char *err, size_t errlen)
{
	json_object	*env;
	const char	*v;
	size_t		 i;

	for (i = 0; sbxproc_refused[i] != NULL; i++)
		if ((v = jsonh_get_string(o, sbxproc_refused[i])) == NULL ||
		    strcmp(v, "allowed") == 0) {
			snprintf(err, errlen, "the sandbox helper is not confined: %s %s",
			    sbxproc_refused[i], v ? "allowed" : "not tried");
			return -1;
		}
	env = jsonh_get_typed(o, "environ", json_type_int);
	if (env == NULL || json_object_get_int(env) != 0) {
		snprintf(err, errlen, "the sandbox helper has an environment");
		return -1;
	}
	return 0;
}

int
sbxproc_check(struct sbxproc *p, long timeout_ms, char *err, size_t errlen)
{
	struct sbx_frame	 f;
	struct sbx_slice	 s;
	struct buf		 b;
	json_object		*o = NULL;
	uint32_t		 off = 0;
	uint16_t		 item;
	int			 rc = -1;

	buf_init(&b);
	sbx_put_header(&b, 0, 1, SBX_OP_PROBE, 0, 0);
	if (send(p->fd, b.data, b.len, MSG_NOSIGNAL) != (ssize_t)b.len) {
		snprintf(err, errlen, "cannot write to the sandbox helper");
		goto out;
	}
	buf_reset(&b);
	if (sbxproc_read_frame(p, timeout_ms, &b, &f, err, errlen) == -1)
		goto out;
	if (f.op == SBX_OP_ERR && sbx_err_parse(&f, &item, &s) == 0) {
		snprintf(err, errlen, "the sandbox helper cannot start: %.*s", (int)s.len,
		    (const char *)s.p);
		goto out;
	}
	if (f.op != SBX_OP_OK || f.id != 1 || f.count != 1 || sbx_ok_parse(&f) == -1 ||
	    sbx_next_slice(&f, &off, &s) == -1 ||
	    jsonh_parse((const char *)s.p, s.len, &o, err, errlen) == -1) {
		snprintf(err, errlen, "the sandbox helper answered its probe wrongly");
		goto out;
	}
	rc = sbxproc_probe_ok(o, err, errlen);
out:
	json_object_put(o);
	buf_clear(&b);
	return rc;
}

void
sbxproc_kill(const struct sbxproc *p)
{
	if (p->pid > 0)
		(void)kill(p->pid, SIGKILL);
}

int
sbxproc_reap(struct sbxproc *p, int *status)
{
	pid_t	 r;

	if (p->pid <= 0)
		return 1;
	while ((r = waitpid(p->pid, status, WNOHANG)) == -1 && errno == EINTR)
		;
	if (r == 0)
		return 0;
	p->pid = -1;
	return 1;
}

void
sbxproc_close(struct sbxproc *p)
{
	if (p->fd != -1)
		close(p->fd);
	p->fd = -1;
}

void
sbxproc_death(int status, long memory_mb, long limit_ms, char *msg, size_t len)
{
	if ((WIFEXITED(status) && WEXITSTATUS(status) == SBX_EXIT_NOMEM))
		snprintf(msg, len, "expression exceeded its memory limit (%ld MB)", memory_mb);
	else if ((WIFEXITED(status) && WEXITSTATUS(status) == SBX_EXIT_CPU) ||
	    (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU))
		snprintf(msg, len, "expression exceeded its time limit (%ld ms)", limit_ms);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == SBX_EXIT_SETUP)
		snprintf(msg, len, "the expression sandbox is unavailable (its helper could not "
		    "confine itself)");
	else
		snprintf(msg, len, "expression crashed the sandbox");
}
