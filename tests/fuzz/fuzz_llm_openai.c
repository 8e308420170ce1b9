/* fuzz_llm_openai.c: fuzz harness of the openai provider's stream parser (SSE framing in
 * jobd/llm/llm.c and the provider's events), fed whole, byte by byte and in the chunks the
 * input names, and of its final-body and error-body parsers (tests/fuzz/llm_stream.c).
 * fuzz-dict: llm json */
#include "config.h"

#include "fuzz.h"
#include "llm_stream.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return llm_stream_fuzz(&llm_openai, data, size);
}
