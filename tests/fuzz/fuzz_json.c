/* fuzz_json.c: fuzz harness of jsonh_parse, the parser of every request body. */
#include "config.h"

#include "fuzz.h"
#include "jsonh.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object	*o = NULL;
	char		 err[256];

	if (jsonh_parse((const char *)data, size, &o, err, sizeof(err)) == 0)
		(void)jsonh_str(o);
	json_object_put(o);
	return 0;
}
