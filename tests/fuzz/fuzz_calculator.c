/* fuzz_calculator.c: fuzz harness of calc_eval, the calculator tool's parser. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tools/tool.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, err[256];
	double	 v;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)calc_eval(s, &v, err, sizeof(err));
	free(s);
	return 0;
}
