/* confine.c: the helper's confinement (see confine.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/prctl.h>
#include <sys/resource.h>

#include <seccomp.h>

#include "confine.h"
#include "nitems.h"
#include "proto.h"

/* System calls a helper needs once it serves requests: reading and writing its socket,
 * memory management (malloc, jq), clocks (jq's now, the helper's timing), randomness (glibc's
 * arc4random aborts without it), its own signals (abort, the crash handlers, the CPU-time
 * timer that deprioritises a long request) and exiting. */
static const int sbx_allowed[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(writev), SCMP_SYS(close),
	SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise),
	SCMP_SYS(mprotect), SCMP_SYS(futex),
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday), SCMP_SYS(time),
	SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep), SCMP_SYS(getrusage),
	SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(sched_yield), SCMP_SYS(getrandom),
	SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigaction),
	SCMP_SYS(sigaltstack), SCMP_SYS(restart_syscall), SCMP_SYS(setitimer),
	SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(lseek),
	SCMP_SYS(exit), SCMP_SYS(exit_group),
};

/* Sets resource "res" to "soft"/"hard". Returns 0, or -1 with "err". */
static int
sbx_rlimit(int res, rlim_t soft, rlim_t hard, const char *name, char *err, size_t errlen)
{
	struct rlimit	 rl = { soft, hard };

	if (setrlimit(res, &rl) == 0)
		return 0;
	snprintf(err, errlen, "setrlimit %s: %s", name, strerror(errno));
	return -1;
}

/* Bytes mapped by this process now (the first field of /proc/self/statm, in pages). */
static long long
sbx_mapped_bytes(void)
{
	FILE		*f = fopen("/proc/self/statm", "r");
	long long	 pages = -1;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%lld", &pages) != 1)
		pages = -1;
	fclose(f);
	return pages < 0 ? -1 : pages * sysconf(_SC_PAGESIZE);
}

/* Resource limits. Returns 0, or -1 with "err". */
static int
sbx_limits_set(const struct sbx_limits *lim, char *err, size_t errlen)
{
	long long	 base = sbx_mapped_bytes();

	if (base < 0) {
		snprintf(err, errlen, "cannot read /proc/self/statm");
		return -1;
	}
	if (sbx_rlimit(RLIMIT_AS, (rlim_t)(base + (lim->memory_mb << 20)),
	    (rlim_t)(base + (lim->memory_mb << 20)), "RLIMIT_AS", err, errlen) == -1 ||
	    sbx_rlimit(RLIMIT_CPU, (rlim_t)lim->cpu_s, (rlim_t)lim->cpu_s + 1, "RLIMIT_CPU", err,
	    errlen) == -1 ||
	    sbx_rlimit(RLIMIT_FSIZE, 0, 0, "RLIMIT_FSIZE", err, errlen) == -1 ||
	    sbx_rlimit(RLIMIT_CORE, 0, 0, "RLIMIT_CORE", err, errlen) == -1 ||
	    sbx_rlimit(RLIMIT_NOFILE, SBX_FD + 1, SBX_FD + 1, "RLIMIT_NOFILE", err,
	    errlen) == -1)
		return -1;
	return 0;
}

/* A rule's condition: argument "arg" equals "value", every field set (libseccomp's
 * SCMP_An macros leave the second datum to the compiler, which clang's -Wextra refuses). */
static struct scmp_arg_cmp
sbx_arg_is(unsigned int arg, scmp_datum_t value)
{
	return (struct scmp_arg_cmp){ .arg = arg, .op = SCMP_CMP_EQ, .datum_a = value,
	    .datum_b = 0 };
}

/* Loads the seccomp allow-list. Returns 0, or -1 with "err". */
static int
sbx_seccomp(char *err, size_t errlen)
{
	scmp_filter_ctx	 ctx;
	size_t		 i;
	int		 rc = 0;
	pid_t		 self = getpid();

	if ((ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM))) == NULL) {
		snprintf(err, errlen, "seccomp_init failed");
		return -1;
	}
	for (i = 0; rc == 0 && i < NITEMS(sbx_allowed); i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, sbx_allowed[i], 0);
	/* Signals only to itself (abort raises SIGABRT with tgkill). */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
		    sbx_arg_is(0, (scmp_datum_t)self));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1,
		    sbx_arg_is(0, (scmp_datum_t)self));
	/* Deprioritising itself (helper.c), and nothing else of scheduling. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sched_setscheduler), 2,
		    sbx_arg_is(0, 0), sbx_arg_is(1, SCHED_IDLE));
	/* Pinning itself to a CPU once slow (helper.c). */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sched_setaffinity), 1,
		    sbx_arg_is(0, 0));
	/* Reading a resource limit (new_limit NULL), never setting one. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 2,
		    sbx_arg_is(0, 0), sbx_arg_is(2, 0));
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc != 0) {
		snprintf(err, errlen, "seccomp: %s", strerror(-rc));
		return -1;
	}
	return 0;
}

int
sbx_confine(const struct sbx_limits *lim, char *err, size_t errlen)
{
	if (close_range(SBX_FD + 1, ~0U, 0) == -1) {
		snprintf(err, errlen, "close_range: %s", strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1) {
		snprintf(err, errlen, "PR_SET_PDEATHSIG: %s", strerror(errno));
		return -1;
	}
	if (sbx_limits_set(lim, err, errlen) == -1)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return -1;
	}
	return sbx_seccomp(err, errlen);
}
