/* fgregex.h: JSON Schema "pattern" regexes: PCRE2 configured as close to ECMA-262 as it
 * allows, with caps on the pattern, on the subject and on the work of one match. */
#ifndef FRAGENT_FGREGEX_H
#define FRAGENT_FGREGEX_H

#include <stddef.h>

#define REGEX_MAX_PATTERN	1024		/* bytes of a pattern */
#define REGEX_MAX_SUBJECT	16384		/* bytes of a string matched against one */
#define REGEX_MATCH_LIMIT	1000000		/* PCRE2 match limit (backtracking steps) */
#define REGEX_DEPTH_LIMIT	50000		/* PCRE2 depth limit (nested backtracking) */
#define REGEX_HEAP_LIMIT_KIB	8192		/* PCRE2 heap limit of one match */

struct regex;

enum regex_rc {
	REGEX_MATCH,		/* the subject matches (anywhere: patterns are not anchored) */
	REGEX_NOMATCH,
	REGEX_TOO_LONG,		/* the subject is over REGEX_MAX_SUBJECT bytes */
	REGEX_LIMIT,		/* the match, depth or heap limit was reached */
	REGEX_ERROR,		/* another PCRE2 failure (its own heap included) */
	REGEX__MAX
};

/* Compiles "pattern" ("len" bytes) as a UTF-8 pattern with ECMA-262 escapes (\uhhhh,
 * \u{h…}, \xhh), "$" only at the very end, "[^]" for any character and "." excluding CR and
 * LF. Returns a new regex (free with regex_free), or NULL with a message naming the offset
 * in "err" (also for a pattern over REGEX_MAX_PATTERN bytes). */
struct regex	*regex_new(const char *pattern, size_t len, char *err, size_t errlen);
/* Frees "re"; NULL-safe. */
void		 regex_free(struct regex *re);
/* Searches the "len" bytes of "subject" (invalid UTF-8 is matched, never trusted) for "re",
 * with the limits above. */
enum regex_rc	 regex_match(struct regex *re, const char *subject, size_t len);

#endif
