/* fuzz_llm_anthropic.c: fuzz harness of the anthropic provider's stream parser (SSE framing and events,
 * fed in two reads cut where the first byte says) and of its final-body parser. */
#include "config.h"

#include "fuzz.h"
#include "llm/llm.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct llm_reply	 r;
	json_object		*m;
	char			 err[256];
	size_t			 cut = size > 0 ? data[0] % (size + 1) : 0;

	llm_reply_init(&r);
	if (llm_sse_feed(&llm_anthropic, &r, (const char *)data, cut, err, sizeof(err)) == 0 &&
	    llm_sse_feed(&llm_anthropic, &r, (const char *)data + cut, size - cut, err,
	    sizeof(err)) == 0 && llm_sse_finish(&llm_anthropic, &r, err, sizeof(err)) == 0) {
		m = llm_reply_message(&r);
		json_object_put(m);
	}
	llm_reply_clear(&r);
	llm_reply_init(&r);
	if (llm_anthropic.parse_final(&r, (const char *)data, size, err, sizeof(err)) == 0)
		json_object_put(llm_reply_message(&r));
	llm_reply_clear(&r);
	llm_error_text((const char *)data, size, err, sizeof(err));
	return 0;
}
