/* excerpt.c: the short, sanitised excerpt of a provider's answer that an error message may
 * quote (see llm_excerpt in llm.h): printable ASCII only, bounded, and with credentials
 * (the call's key, bearer tokens, authorization and api-key values, sk- keys) redacted. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "llm.h"
#include "nitems.h"

#define EXCERPT_REDACTED	"[redacted]"
#define EXCERPT_MIN_RUN		8	/* characters of the secret that give it away */

/* Words whose value is a credential; "all" also redacts the spaces within the value (an
 * authorization header's scheme and token). */
static const struct { const char *word; int all; } excerpt_markers[] = {
	{ "authorization", 1 }, { "bearer", 0 }, { "x-api-key", 0 }, { "api-key", 0 },
	{ "api_key", 0 }, { "apikey", 0 },
};

/* Length of the longest run at "s" (of "len" bytes) found anywhere in "secret". */
static size_t
excerpt_secret_run(const char *s, size_t len, const char *secret, size_t slen)
{
	size_t	 j, k, best = 0;

	for (j = 0; j < slen; j++) {
		for (k = 0; k < len && j + k < slen && s[k] == secret[j + k]; k++)
			;
		if (k > best)
			best = k;
	}
	return best;
}

/* Length of the credential value after a marker word at "s", or 0 when there is none:
 * separators (": ='\"") then the value, which ends at a quote, comma, semicolon, brace,
 * line end or (unless "all") a space. */
static size_t
excerpt_marker_value(const char *s, size_t len, size_t *sep, int all)
{
	size_t	 i = 0, v;

	while (i < len && strchr(": =\t'\"", s[i]) != NULL && s[i] != '\0')
		i++;
	if (i == 0)
		return 0;
	for (v = i; v < len && s[v] != '\0' && strchr("\"',;}{\r\n&", s[v]) == NULL &&
	    (all || (s[v] != ' ' && s[v] != '\t')); v++)
		;
	*sep = i;
	return v - i;
}

/* Appends "n" bytes of "s" to "out" (holding "*o" bytes, room for "room"); returns 0, or -1
 * once full. */
static int
excerpt_put(char *out, size_t *o, size_t room, const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (*o >= room)
			return -1;
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			out[(*o)++] = ' ';
		else if ((unsigned char)s[i] > 0x7e)
			out[(*o)++] = '?';
		else
			out[(*o)++] = s[i];
	}
	return 0;
}

/* At "s": the length of input a redaction covers (0: none) and the bytes to keep first. */
static size_t
excerpt_redaction(const char *s, size_t len, const char *secret, size_t slen, size_t *keep)
{
	size_t	 i, w, sep = 0, v, run;

	*keep = 0;
	if (slen > 0 && (run = excerpt_secret_run(s, len, secret, slen)) >=
	    (slen < EXCERPT_MIN_RUN ? slen : EXCERPT_MIN_RUN))
		return run;
	if (len >= 3 && strncmp(s, "sk-", 3) == 0) {
		for (v = 3; v < len && strchr("\"',;}{ \t\r\n&", s[v]) == NULL; v++)
			;
		return v;
	}
	for (i = 0; i < NITEMS(excerpt_markers); i++) {
		w = strlen(excerpt_markers[i].word);
		if (w < len && strncasecmp(s, excerpt_markers[i].word, w) == 0 &&
		    (v = excerpt_marker_value(s + w, len - w, &sep,
		    excerpt_markers[i].all)) > 0) {
			*keep = w + sep;
			return w + sep + v;
		}
	}
	return 0;
}

void
llm_excerpt(const char *s, size_t len, const char *secret, char *out, size_t outlen)
{
	size_t	 i = 0, o = 0, n, keep, room, slen = secret != NULL ? strlen(secret) : 0;

	if (outlen == 0)
		return;
	room = outlen - 1;
	while (i < len) {
		if ((n = excerpt_redaction(s + i, len - i, secret, slen, &keep)) > 0) {
			if (excerpt_put(out, &o, room, s + i, keep) == -1 ||
			    excerpt_put(out, &o, room, EXCERPT_REDACTED,
			    sizeof(EXCERPT_REDACTED) - 1) == -1)
				break;
			i += n;
			continue;
		}
		if (excerpt_put(out, &o, room, s + i, 1) == -1)
			break;
		i++;
	}
	if (i < len && room >= 3) {
		o = o < room - 3 ? o : room - 3;
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}
