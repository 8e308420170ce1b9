/* confine.h: what a fragent-sandbox helper does to itself before it reads any request: only
 * its four descriptors open, killed with the thread that started it, resource limits, no new
 * privileges, and a seccomp allow-list of system calls. */
#ifndef FRAGENT_SBX_CONFINE_H
#define FRAGENT_SBX_CONFINE_H

#include <stddef.h>

struct sbx_limits {
	long	 memory_mb;	/* address space beyond what the helper maps at start */
	long	 cpu_s;		/* RLIMIT_CPU (soft; the hard limit is one second more) */
};

/* Confines the calling process, which must be single-threaded:
 * - closes every descriptor above SBX_FD;
 * - PR_SET_PDEATHSIG SIGKILL (the helper dies with the thread that started it);
 * - RLIMIT_AS = what is mapped now + lim->memory_mb, RLIMIT_CPU = lim->cpu_s,
 *   RLIMIT_FSIZE = RLIMIT_CORE = 0, RLIMIT_NOFILE = SBX_FD + 1;
 * - PR_SET_NO_NEW_PRIVS;
 * - a seccomp filter allowing read and write, memory management, clocks, signals to itself,
 *   an interval timer, switching itself to SCHED_IDLE and exiting; every other system call (open, openat, socket, connect, execve, clone,
 *   fork, ptrace, kill of another process, …) fails with EPERM, and a call from another
 *   architecture's table kills the process.
 * Returns 0, or -1 with a message in "err" (the caller must then exit: it is not confined). */
int	sbx_confine(const struct sbx_limits *lim, char *err, size_t errlen);

#endif
