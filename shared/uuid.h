/* uuid.h: time-ordered random (version 7) UUIDs and their validation. */
#ifndef FRAGENT_UUID_H
#define FRAGENT_UUID_H

#include <stdbool.h>

#define UUID_STRLEN 36

/* Writes a new UUID in canonical lower-case form into "out" (37 bytes): version 7, the
 * current time in milliseconds followed by 74 random bits, so ids made later sort later
 * (at millisecond grain) and new rows land at the right edge of primary-key indexes
 * instead of on random pages. Returns 0, or -1 when the clock or random source failed. */
int	uuid_new(char out[UUID_STRLEN + 1]);
/* True when "s" is a UUID in canonical 8-4-4-4-12 hex form (either case). */
bool	uuid_valid(const char *s);

#endif
