/* fuzz_tzif.c: fuzz harness of the reader of compiled time-zone files (shared/tzif.c):
 * tzif_check and tzif_lookup on the input as a zone file. */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "tzif.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t	 when[] = { INT64_MIN, -5000000000LL, -1, 0, 1721037600,
	    2145916800, INT64_MAX };
	char			 abbr[16];
	size_t			 i;
	long			 off;
	int			 dst, ok = tzif_check(data, size) == 0;

	for (i = 0; i < sizeof(when) / sizeof(when[0]); i++) {
		if (tzif_lookup(data, size, when[i], &off, &dst, abbr, sizeof(abbr)) == -1) {
			FUZZ_ASSERT(!ok, "tzif_check accepted a file a lookup refuses");
			continue;
		}
		FUZZ_ASSERT(off > -90000 && off < 90000, "an offset of a day or more");
		FUZZ_ASSERT(memchr(abbr, '\0', sizeof(abbr)) != NULL, "abbreviation not terminated");
	}
	return 0;
}
