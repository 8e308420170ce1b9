/* fuzz_wf.c: fuzz harness of wf_parse, the workflow definition validator, with expressions
 * and templates checked without compiling (WF_PARSE_NO_COMPILE: tokens, balance, deny rules),
 * so that an input costs no jq compile; fuzz_template covers compiling.
 * fuzz-dict: jq json */
#include "config.h"

#include "fuzz.h"
#include "jsonh.h"
#include "wf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object	*def = NULL, *errors;
	struct wf	*wf = NULL;
	char		 err[256];

	if (jsonh_parse((const char *)data, size, &def, err, sizeof(err)) == -1)
		return 0;
	errors = json_object_new_array();
	(void)wf_parse_opts(def, WF_PARSE_NO_COMPILE, &wf, errors);
	wf_free(wf);
	json_object_put(errors);
	json_object_put(def);
	return 0;
}
