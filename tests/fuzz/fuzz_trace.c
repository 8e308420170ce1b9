/* fuzz_trace.c: fuzz harness of trace_parse (shared/trace.c), the parser of the traceparent
 * header every API request and webhook call may carry. An accepted header gives lower-case
 * hex ids, neither all zeros, and formats as a version 00 header that parses back to the
 * same context; a refused one leaves the context empty. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "trace.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace_ctx	 c, back;
	char			*s, out[TRACE_PARENT_SIZE];

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (trace_parse(s, &c) == 0) {
		if (!trace_ctx_valid(&c) ||
		    strspn(c.trace_id, "0123456789abcdef") != TRACE_ID_HEX ||
		    strspn(c.span_id, "0123456789abcdef") != TRACE_SPAN_HEX ||
		    strspn(c.trace_id, "0") == TRACE_ID_HEX ||
		    strspn(c.span_id, "0") == TRACE_SPAN_HEX || c.flags > 255)
			abort();
		if (trace_format(&c, out) != 0 || strlen(out) != TRACE_PARENT_LEN ||
		    trace_parse(out, &back) != 0 || memcmp(&c, &back, sizeof(c)) != 0)
			abort();
	} else if (trace_ctx_valid(&c))
		abort();
	free(s);
	return 0;
}
