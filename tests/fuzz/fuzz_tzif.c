/* fuzz_tzif.c: fuzz harness of tzif_lookup, the reader of compiled time-zone files. */
#include "config.h"

#include "fuzz.h"
#include "tools/tzif.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	 abbr[16];
	long	 off;
	int	 dst;

	(void)tzif_lookup(data, size, 1721037600, &off, &dst, abbr, sizeof(abbr));
	(void)tzif_lookup(data, size, -1, &off, &dst, abbr, sizeof(abbr));
	return 0;
}
