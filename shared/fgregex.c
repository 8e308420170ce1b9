/* fgregex.c: PCRE2 regexes for JSON Schema "pattern" with ECMA-262-like options and match
 * limits (see fgregex.h). */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <pcre2.h>

#include "fgregex.h"
#include "xalloc.h"

struct regex {
	pcre2_code		*code;
	pcre2_match_data	*md;
};

/* ECMA-262 as far as PCRE2 goes: \u and \x escapes, "[^]", "$" only at the end, a
 * back-reference to an unset group matches the empty string; \C (one byte of a UTF-8
 * character) is refused. */
#define REGEX_OPTIONS	(PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ALT_BSUX | \
	PCRE2_ALLOW_EMPTY_CLASS | PCRE2_DOLLAR_ENDONLY | PCRE2_MATCH_UNSET_BACKREF | \
	PCRE2_NEVER_BACKSLASH_C)
#define REGEX_PARENS_NEST	64

/* Contexts shared by every thread: set up once, read-only afterwards. */
static pcre2_compile_context	*regex_cctx;
static pcre2_match_context	*regex_mctx;
static pthread_once_t		 regex_once = PTHREAD_ONCE_INIT;

static void
regex_contexts_init(void)
{
	if ((regex_cctx = pcre2_compile_context_create(NULL)) == NULL ||
	    (regex_mctx = pcre2_match_context_create(NULL)) == NULL)
		xalloc_die(0);
	pcre2_set_newline(regex_cctx, PCRE2_NEWLINE_ANYCRLF);
	pcre2_set_max_pattern_length(regex_cctx, REGEX_MAX_PATTERN);
	pcre2_set_parens_nest_limit(regex_cctx, REGEX_PARENS_NEST);
	pcre2_set_compile_extra_options(regex_cctx, PCRE2_EXTRA_ALT_BSUX);
	pcre2_set_match_limit(regex_mctx, REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(regex_mctx, REGEX_DEPTH_LIMIT);
	pcre2_set_heap_limit(regex_mctx, REGEX_HEAP_LIMIT_KIB);
}

struct regex *
regex_new(const char *pattern, size_t len, char *err, size_t errlen)
{
	struct regex	*re;
	PCRE2_UCHAR	 msg[160];
	PCRE2_SIZE	 off;
	int		 code;

	pthread_once(&regex_once, regex_contexts_init);
	if (len > REGEX_MAX_PATTERN) {
		snprintf(err, errlen, "is %zu bytes; a pattern has at most %d", len,
		    REGEX_MAX_PATTERN);
		return NULL;
	}
	re = xcalloc(1, sizeof(*re));
	re->code = pcre2_compile((PCRE2_SPTR)pattern, len, REGEX_OPTIONS, &code, &off,
	    regex_cctx);
	if (re->code == NULL) {
		if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d", code);
		snprintf(err, errlen, "is not a valid pattern (at offset %zu: %s)", (size_t)off,
		    (const char *)msg);
		regex_free(re);
		return NULL;
	}
	if ((re->md = pcre2_match_data_create_from_pattern(re->code, NULL)) == NULL)
		xalloc_die(0);
	return re;
}

void
regex_free(struct regex *re)
{
	if (re == NULL)
		return;
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re);
}

enum regex_rc
regex_match(struct regex *re, const char *subject, size_t len)
{
	int	 rc;

	if (len > REGEX_MAX_SUBJECT)
		return REGEX_TOO_LONG;
	rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, 0, 0, re->md, regex_mctx);
	if (rc >= 0)
		return REGEX_MATCH;
	switch (rc) {
	case PCRE2_ERROR_NOMATCH:
		return REGEX_NOMATCH;
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
		return REGEX_LIMIT;
	default:
		return REGEX_ERROR;
	}
}
