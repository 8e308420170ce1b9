/* tzif.h: a reader of compiled time-zone files (TZif, RFC 8536) that answers "what is the UTC
 * offset at time t", so the current_time tool needs neither setenv("TZ") nor tzset, which are
 * not thread-safe in a multi-threaded daemon. */
#ifndef FRAGENT_TZIF_H
#define FRAGENT_TZIF_H

#include <stddef.h>
#include <stdint.h>

#define TZIF_MAX_FILE	(256L << 10)

/* Finds the local-time type in force at Unix time "t" in the TZif data "d" ("n" bytes):
 * the UTC offset in seconds ("*utoff"), whether it is daylight time ("*isdst") and its
 * abbreviation ("abbr", "abbrlen" bytes, NUL-terminated). After the last transition the type
 * of that transition is kept (files are compiled with transitions to 2037). Returns 0, or -1
 * when "d" is not a well-formed TZif file. */
int	tzif_lookup(const unsigned char *d, size_t n, int64_t t, long *utoff, int *isdst,
	    char *abbr, size_t abbrlen);
/* Reads the zone "name" (an IANA name such as "Europe/Paris": letters, digits, "_", "+",
 * "-" and "/" between non-empty parts) from the system's zoneinfo folder and looks "t" up.
 * Returns 0, or -1 with a message in "err" (invalid or unknown name). */
int	tzif_zone(const char *name, int64_t t, long *utoff, char *abbr, size_t abbrlen,
	    char *err, size_t errlen);

#endif
