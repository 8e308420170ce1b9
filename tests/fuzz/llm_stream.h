/* llm_stream.h: the body of the LLM provider harnesses (fuzz_llm_openai.c,
 * fuzz_llm_anthropic.c), one provider each. */
#ifndef FRAGENT_LLM_STREAM_H
#define FRAGENT_LLM_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "llm/llm.h"

/* Feeds the fuzz input to provider "p": its stream part through llm_sse_feed whole, byte by
 * byte and in the chunks the input names, asserting the same reply each time and storable
 * strings; the stream part also as a final body and as an error body. Input: byte 0's low
 * 4 bits are a number of chunks n, the next n bytes their lengths, the rest the stream.
 * Returns 0. */
int	llm_stream_fuzz(const struct llm_provider *p, const uint8_t *data, size_t size);

#endif
