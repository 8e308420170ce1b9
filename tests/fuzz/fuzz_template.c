/* fuzz_template.c: fuzz harness of expr_template_check ({{ … }} scanning, the compile-free
 * check, then jq compiling of what passes it). Rendering is left out: a jq program may loop
 * for ever by design (the sandbox bounds it).
 * fuzz-dict: jq */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*tmpl, err[256];

	if (size > 4096 || (tmpl = malloc(size + 1)) == NULL)
		return 0;
	memcpy(tmpl, data, size);
	tmpl[size] = '\0';
	(void)expr_template_check(tmpl, EXPR_SYNTAX, err, sizeof(err));
	(void)expr_template_check(tmpl, EXPR_COMPILE, err, sizeof(err));
	free(tmpl);
	expr_cache_clear();
	return 0;
}
