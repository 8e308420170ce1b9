/* fuzz.h: the libFuzzer entry points of the harnesses in tests/fuzz/ (docs/FUZZING.md). */
#ifndef FRAGENT_FUZZ_H
#define FRAGENT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Feeds one input to the code under test. Always returns 0; a violated property aborts. */
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Optional: runs once before the first input (libFuzzer and tests/fuzz/replay.c both call it
 * when the harness defines it). Returns 0. */
int	LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Optional, structure-aware harnesses: mutates "size" bytes of "data" (room for "max_size")
 * in place, deterministically for "seed". Returns the new size. Only libFuzzer calls it. */
size_t	LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
	    unsigned int seed) __attribute__((weak));

/* libFuzzer's own byte-level mutator, for custom mutators to fall back on; absent (NULL)
 * outside libFuzzer builds. */
size_t	LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size) __attribute__((weak));

/* Aborts with "what" on stderr when "cond" is false: a property of the code under test
 * failed, which libFuzzer reports as a crash and `make check` as a failed replay. */
#define FUZZ_ASSERT(cond, what) \
	((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, (what)))

static inline void __attribute__((noreturn))
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: property failed: %s\n", file, line, what);
	abort();
}

#endif
