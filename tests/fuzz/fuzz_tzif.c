/* fuzz_tzif.c: fuzz harness of the reader of compiled time-zone files (shared/tzif.c):
 * tzif_check and tzif_lookup on the input as a zone file, then on a zone file without
 * transitions whose footer (POSIX TZ rule, RFC 8536 section 3.3) is the input. Properties:
 * a file tzif_check accepts answers every lookup, with an offset under 25 hours, a DST flag
 * of 0 or 1 and a terminated abbreviation; a footer's answers repeat every 400 years. */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "tzif.h"

#define CYCLE		(146097LL * 86400)	/* 400 Gregorian years, in seconds */
#define FOOTER_MAX	300

/* A version 2 file of one type (UTC, "UTC") and no transitions, in both blocks. */
#define HEAD	"TZif2" "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0" \
	"\0\0\0\0" "\0\0\0\0" "\0\0\0\0" "\0\0\0\0" "\0\0\0\1" "\0\0\0\4"
#define DATA	"\0\0\0\0\0\0" "UTC\0"
static const char zone_head[] = HEAD DATA HEAD DATA;

static const int64_t when[] = { INT64_MIN, -5000000000LL, -1, 0, 1721037600, 2145916800,
    2240611199, 2240611200, 4102444800LL, 253402300799LL, INT64_MAX };

/* Looks every instant of "when" up in "d" ("n" bytes), which tzif_check accepted ("ok"). */
static void
lookups(const uint8_t *d, size_t n, int ok)
{
	char	 abbr[16];
	size_t	 i;
	long	 off;
	int	 dst;

	for (i = 0; i < sizeof(when) / sizeof(when[0]); i++) {
		if (tzif_lookup(d, n, when[i], &off, &dst, abbr, sizeof(abbr)) == -1) {
			FUZZ_ASSERT(!ok, "tzif_check accepted a file a lookup refuses");
			continue;
		}
		FUZZ_ASSERT(off > -90000 && off < 90000, "an offset of 25 hours or more");
		FUZZ_ASSERT(dst == 0 || dst == 1, "a DST flag other than 0 or 1");
		FUZZ_ASSERT(memchr(abbr, '\0', sizeof(abbr)) != NULL,
		    "abbreviation not terminated");
	}
}

/* The input as the footer of a file without transitions: its rule decides every instant. */
static void
footer(const uint8_t *data, size_t size)
{
	static const size_t	 hl = sizeof(zone_head) - 1;
	uint8_t			 d[sizeof(zone_head) + FOOTER_MAX + 2];
	char			 a1[16], a2[16];
	size_t			 i, n = hl + size + 2;
	int64_t			 t;
	long			 o1, o2;
	int			 s1, s2, ok;

	if (size > FOOTER_MAX)
		return;
	memcpy(d, zone_head, hl);
	d[hl] = '\n';
	memcpy(d + hl + 1, data, size);
	d[n - 1] = '\n';
	ok = tzif_check(d, n) == 0;
	lookups(d, n, ok);
	if (!ok)
		return;
	for (i = 0; i < sizeof(when) / sizeof(when[0]); i++) {
		t = when[i] > INT64_MAX - CYCLE ? when[i] - CYCLE : when[i];
		FUZZ_ASSERT(tzif_lookup(d, n, t, &o1, &s1, a1, sizeof(a1)) == 0 &&
		    tzif_lookup(d, n, t + CYCLE, &o2, &s2, a2, sizeof(a2)) == 0,
		    "an accepted footer refused a lookup");
		FUZZ_ASSERT(o1 == o2 && s1 == s2 && strcmp(a1, a2) == 0,
		    "a footer's answers 400 years apart differ");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lookups(data, size, tzif_check(data, size) == 0);
	footer(data, size);
	return 0;
}
