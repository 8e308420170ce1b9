/* fuzz_cron.c: fuzz harness of cron_parse, cron_describe and cron_next (shared/cron.c). */
#include "config.h"

#include <string.h>

#include "cron.h"
#include "fuzz.h"
#include "xalloc.h"

/* Whether "s" is one line of printable ASCII. */
static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s > 0x7e)
			return 0;
	return 1;
}

/* Three fire times in a row in "zone" from "after": each strictly later than the one
 * before. */
static void
chain(const struct cron *c, const char *zone, int64_t after)
{
	int64_t	 next;
	int	 i;

	for (i = 0; i < 3 && cron_next(c, zone, after, &next) == 0; i++) {
		FUZZ_ASSERT(next > after, "cron_next is not strictly after");
		after = next;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cron	 c;
	char		*s, err[128], desc[CRON_DESC_MAX], small[12];

	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (cron_parse(s, &c, err, sizeof(err)) == -1) {
		FUZZ_ASSERT(err[0] != '\0' && printable(err), "a refusal without a message");
		FUZZ_ASSERT(cron_parse(s, &c, small, sizeof(small)) == -1, "parse not stable");
		FUZZ_ASSERT(strncmp(small, err, sizeof(small) - 1) == 0, "short error differs");
		free(s);
		return 0;
	}
	FUZZ_ASSERT(strlen(s) <= CRON_EXPR_MAX, "an expression over CRON_EXPR_MAX parsed");
	cron_describe(&c, desc, sizeof(desc));
	FUZZ_ASSERT(desc[0] != '\0' && printable(desc), "description empty or not printable");
	FUZZ_ASSERT(strlen(desc) < sizeof(desc) - 1, "description cut at CRON_DESC_MAX");
	cron_describe(&c, small, sizeof(small));
	FUZZ_ASSERT(strncmp(small, desc, sizeof(small) - 1) == 0, "short description differs");
	chain(&c, "UTC", 1774699200);			/* 2026-03-28T12:00:00Z */
	chain(&c, "Europe/Paris", 1774745400);		/* 2026-03-29T00:50:00Z, before the gap */
	free(s);
	return 0;
}
