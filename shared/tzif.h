/* tzif.h: a reader of the system's compiled time-zone files (TZif, RFC 8536) that answers
 * "what is the UTC offset at time t", so that neither the current_time tool nor schedules
 * (cron.c) need setenv("TZ") or tzset, which are not thread-safe in a threaded daemon. */
#ifndef FRAGENT_TZIF_H
#define FRAGENT_TZIF_H

#include <stddef.h>
#include <stdint.h>

#define TZIF_MAX_FILE	(256L << 10)
#define TZIF_NAME_MAX	64	/* bytes of a zone name, its NUL not counted */

/* Finds the local time in force at Unix time "t" in the TZif data "d" ("n" bytes): the UTC
 * offset in seconds ("*utoff"), whether it is daylight time ("*isdst") and its abbreviation
 * ("abbr", "abbrlen" bytes, NUL-terminated, cut to fit; "abbr" may be NULL when "abbrlen" is
 * 0). Up to the last transition (files list them to 2037 at most), the type of the latest
 * one at or before "t" (the first type before the first); after it, or at every "t" in a
 * file without transitions, the footer of version 2+ files decides: a POSIX TZ string
 * (RFC 8536 section 3.3, with its extensions: hours of -167 to 167 in transition times,
 * daylight time all year) giving standard time, or standard and daylight time with the
 * yearly dates and local times of their changes ("Mm.w.d", "Jn", "n"), for any year. A
 * file without a footer or with an empty one keeps the last transition's type. Reentrant:
 * no global state, no TZ or libc time-zone calls. Returns 0, or -1 when "d" is not a
 * well-formed TZif file. */
int	tzif_lookup(const unsigned char *d, size_t n, int64_t t, long *utoff, int *isdst,
	    char *abbr, size_t abbrlen);
/* Returns 0 when the TZif data "d" ("n" bytes) is well-formed throughout (counts within the
 * data, transitions ascending, every type index, offset and abbreviation valid, the footer
 * absent, empty or a valid rule with offsets under 25 hours like the types'), so that
 * tzif_lookup succeeds for every "t"; -1 otherwise. */
int	tzif_check(const unsigned char *d, size_t n);
/* Whether "name" is a plausible zone name: at most TZIF_NAME_MAX bytes of letters, digits,
 * "_", "+" and "-" in non-empty parts joined by "/" (so never a path outside the zoneinfo
 * folder). It says nothing of whether the zone exists. */
int	tzif_name_ok(const char *name);
/* Reads the zone "name" (an IANA name such as "Europe/Paris", links such as "US/Eastern"
 * included) from the system's zoneinfo folder into "*d" ("*n" bytes), checked by tzif_check,
 * for any number of tzif_lookup calls; "UTC" and "Etc/UTC" are built in, so they need no
 * file. Returns 0 with "*d" to be released with free(3), or -1 with "*d" NULL, "*n" 0 and
 * a message in "err" ("errlen" bytes with its NUL; invalid or unknown name). */
int	tzif_load(const char *name, unsigned char **d, size_t *n, char *err, size_t errlen);
/* Loads the zone "name" (tzif_load) and looks "t" up in it (tzif_lookup). Returns 0, or -1
 * with a message in "err" (invalid or unknown name). */
int	tzif_zone(const char *name, int64_t t, long *utoff, char *abbr, size_t abbrlen,
	    char *err, size_t errlen);

#endif
