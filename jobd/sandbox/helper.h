/* helper.h: the request loop of a fragent-sandbox helper: reads frames from its socket,
 * evaluates each RUN request's items against its context with shared/expr.c (compiled
 * programs stay cached), answers in order, and on a fatal signal or an allocation failure
 * writes the answers it had finished before it exits with the matching status. */
#ifndef FRAGENT_SBX_HELPER_H
#define FRAGENT_SBX_HELPER_H

#include "buf.h"
#include "proto.h"

/* Prepares the process: handlers of fatal signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT,
 * SIGXCPU) on an alternate stack, jq's allocation-failure handler, and the CPU-time timer:
 * once one item's evaluation (not its compiling) used "slow_ms" of CPU, the helper switches
 * itself to SCHED_IDLE, so that short requests on other helpers keep their latency, tells
 * the parent (SBX_OP_SLOW) and asks to be replaced (it cannot raise its priority again). Call before sbx_confine.
 * Returns 0 or -1. */
int	sbx_helper_init(long slow_ms);
/* Serves requests from descriptor "fd" until the parent closes it. "retire_cpu_ms": once
 * the process has used this much CPU time, answers carry SBX_FLAG_RETIRE. Returns the exit
 * status (enum sbx_exit). */
int	sbx_helper_serve(int fd, long retire_cpu_ms);
/* Appends the answer to request "f" (RUN or PROBE, parsed by sbx_frame_parse) to "out".
 * Returns 0, or -1 when the request is malformed or memory ran out (then "out" is as it
 * was). */
int	sbx_helper_answer(const struct sbx_frame *f, struct buf *out);

#endif
