/* llmsrv_ctl.h: starts and stops tests/llmsrv (the scripted LLM vendor) from a test program
 * on a free port of LLMSRV_ADDR (default 127.0.0.1), and reads what it recorded. */
#ifndef FRAGENT_LLMSRV_CTL_H
#define FRAGENT_LLMSRV_CTL_H

#include <sys/types.h>

#include <json-c/json.h>

struct llmsrv {
	pid_t	 pid;
	int	 port;
	char	 base[64];	/* "http://<LLMSRV_ADDR>:<port>" */
};

/* The address llmsrv listens on: LLMSRV_ADDR, else "127.0.0.1". */
const char	*llmsrv_addr(void);

/* Starts the binary LLMSRV_BIN (default: llmsrv beside the calling program) with the
 * scenarios of LLMSRV_SCENARIOS (default tests/llm-scenarios). Returns 0, or -1 when it
 * did not come up. */
int		 llmsrv_start(struct llmsrv *s);
/* Stops it (SIGTERM, then waits); NULL-safe. */
void		 llmsrv_stop(struct llmsrv *s);
/* The requests recorded for "scenario" (a new reference to the "requests" array), or NULL. */
json_object	*llmsrv_requests(const struct llmsrv *s, const char *scenario);
/* Forgets every recorded request and counter. Returns 0 or -1. */
int		 llmsrv_reset(const struct llmsrv *s);
/* Defines scenario "name" from the script "json" (see llmsrv.c). Returns 0 or -1. */
int		 llmsrv_upload(const struct llmsrv *s, const char *name, const char *json);

#endif
