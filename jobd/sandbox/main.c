/* main.c: fragent-sandbox, the helper process jobd starts to evaluate author-supplied jq
 * programs and templates: it confines itself (confine.h), then answers the requests of its
 * socket, descriptor 3 (helper.h, proto.h), until jobd closes it.
 * Usage: fragent-sandbox --memory-mb N --cpu-s N --slow-ms N */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "confine.h"
#include "helper.h"
#include "proto.h"

#if defined(__SANITIZE_ADDRESS__)
/* A sanitizer build: allocations past the memory limit fail like glibc's (jq's handler ends
 * the helper), and the leak check, which needs ptrace, is left to the in-process suites. */
const char	*__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1:detect_leaks=0";
}
#endif

/* Parses "--name value" pairs into "lim" and "slow_ms". Returns 0 or -1. */
static int
sbx_args(int argc, char **argv, struct sbx_limits *lim, long *slow_ms)
{
	char	*end;
	long	 v;
	int	 i;

	for (i = 1; i + 1 < argc; i += 2) {
		v = strtol(argv[i + 1], &end, 10);
		if (*argv[i + 1] == '\0' || *end != '\0' || v < 1 || v > 1000000)
			return -1;
		if (strcmp(argv[i], "--memory-mb") == 0)
			lim->memory_mb = v;
		else if (strcmp(argv[i], "--cpu-s") == 0)
			lim->cpu_s = v;
		else if (strcmp(argv[i], "--slow-ms") == 0)
			*slow_ms = v;
		else
			return -1;
	}
	return i == argc ? 0 : -1;
}

/* Tells the parent why the helper cannot serve: an ERR frame with id 0. */
static void
sbx_setup_failed(const char *msg)
{
	struct buf	 b;
	size_t		 n = strlen(msg) > SBX_MAX_ERROR ? SBX_MAX_ERROR : strlen(msg);

	buf_init(&b);
	sbx_put_header(&b, (uint32_t)n + 2, 0, SBX_OP_ERR, 0, 0);
	sbx_put_u16(&b, 0);
	buf_append(&b, msg, n);
	(void)!write(SBX_FD, b.data, b.len);
	buf_clear(&b);
	_exit(SBX_EXIT_SETUP);
}

int
main(int argc, char **argv)
{
	struct sbx_limits	 lim = { 256, 60 };
	long			 slow_ms = 50;
	char			 err[256];

	if (sbx_args(argc, argv, &lim, &slow_ms) == -1)
		sbx_setup_failed("usage: fragent-sandbox --memory-mb N --cpu-s N --slow-ms N");
	if (sbx_helper_init(slow_ms) == -1)
		sbx_setup_failed("cannot install the signal handlers");
	if (sbx_confine(&lim, err, sizeof(err)) == -1)
		sbx_setup_failed(err);
	/* Exits without the atexit handlers: nothing to flush, and a sanitizer's leak check
	 * cannot run confined. */
	_exit(sbx_helper_serve(SBX_FD, lim.cpu_s * 1000 / 2));
}
