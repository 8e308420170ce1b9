/* fuzz.h: the libFuzzer entry point every harness in tests/fuzz/ defines. */
#ifndef FRAGENT_FUZZ_H
#define FRAGENT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Feeds one input to the parser under test. Always returns 0. */
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
