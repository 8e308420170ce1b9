/* hash.h: the string hash of the in-memory tables (jobd's runs and event hubs, the compiled
 * expression cache): FNV-1a, 32-bit. Not for anything an attacker must not steer. */
#ifndef FRAGENT_HASH_H
#define FRAGENT_HASH_H

#include <stddef.h>

/* FNV-1a of the NUL-terminated string "s". */
static inline unsigned long
hash_fnv1a(const char *s)
{
	unsigned long	 h = 2166136261UL;

	for (; *s != '\0'; s++)
		h = ((h ^ (unsigned char)*s) * 16777619UL) & 0xffffffffUL;
	return h;
}

#endif
