/* uuid.h: random (version 4) UUIDs and their validation. */
#ifndef FRAGENT_UUID_H
#define FRAGENT_UUID_H

#include <stdbool.h>

#define UUID_STRLEN 36

/* Writes a new random UUID in canonical lower-case form into "out" (37 bytes).
 * Returns 0, or -1 when the random source failed. */
int	uuid_new(char out[UUID_STRLEN + 1]);
/* True when "s" is a UUID in canonical 8-4-4-4-12 hex form (either case). */
bool	uuid_valid(const char *s);

#endif
