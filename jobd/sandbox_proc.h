/* sandbox_proc.h: one fragent-sandbox helper process as jobd sees it: starting it (an empty
 * environment, its end of a socketpair as descriptor 3, /dev/null as 0-2, nothing else
 * open), checking its confinement once, killing and reaping it, and what its end means. */
#ifndef FRAGENT_SANDBOX_PROC_H
#define FRAGENT_SANDBOX_PROC_H

#include <stddef.h>
#include <sys/types.h>

struct sbxproc {
	pid_t	 pid;
	int	 fd;		/* jobd's end of the socketpair, non-blocking; it reads the end
				 * of the file once the helper exited (only the helper holds the
				 * other end) */
};

/* Starts "bin" with the limits "memory_mb" and "cpu_s", deprioritising itself once a request
 * used "slow_ms" of CPU time. Returns 0 with "p" filled, or -1 with a message in "err" ("p"
 * holds nothing then). */
int	sbxproc_spawn(const char *bin, long memory_mb, long cpu_s, long slow_ms,
	    struct sbxproc *p, char *err, size_t errlen);
/* Sends a probe to the fresh helper "p" and waits for its answer (at most "timeout_ms"):
 * refuses a helper that could open a file, a socket, run a program, fork, signal another
 * process, trace, raise a limit, or that has an environment. Returns 0, or -1 with a
 * message in "err". */
int	sbxproc_check(struct sbxproc *p, long timeout_ms, char *err, size_t errlen);
/* Sends SIGKILL (the helper is not reaped yet, so its pid is still its own). */
void	sbxproc_kill(const struct sbxproc *p);
/* Reaps "p" if it ended: returns 1 with its wait status in "status", 0 when it still runs. */
int	sbxproc_reap(struct sbxproc *p, int *status);
/* Closes the descriptors of "p" (after reaping). */
void	sbxproc_close(struct sbxproc *p);
/* The error of the request a helper was running when it ended with wait status "status",
 * written into "msg"; "memory_mb" and "limit_ms" name the limits. */
void	sbxproc_death(int status, long memory_mb, long limit_ms, char *msg, size_t len);

#endif
