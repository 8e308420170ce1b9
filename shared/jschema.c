/* jschema.c: a JSON Schema subset validator over json-c, with bounded cost (jschema.h). */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fgregex.h"
#include "jschema.h"
#include "jsonh.h"
#include "wf.h"

#define JSCHEMA_PATH		256
#define JSCHEMA_RE_CACHE	16	/* compiled patterns kept by one validation */

/* Why a validation stopped before the end. */
enum jschema_stop {
	JSCHEMA_GOING,
	JSCHEMA_STEPS,
	JSCHEMA_REGEX_TIME
};

/* One validation: where problems go and what is left of its budgets. */
struct jschema_run {
	json_object	*errors;	/* where rows go now (NULL inside anyOf: not listed) */
	json_object	*top;		/* the caller's array */
	size_t		 steps;
	long long	 regex_ns;
	enum jschema_stop stop;
	struct {
		const char	*pattern;	/* borrowed from the schema */
		struct regex	*re;
	}		 cache[JSCHEMA_RE_CACHE];
	size_t		 ncache;
};

static int	jschema_check(struct jschema_run *run, json_object *s, json_object *d,
		    const char *path, int depth);

/* Appends {path, message} to "errors" unless JSCHEMA_MAX_ERRORS rows are there already
 * (the row past the cap says so); nothing when "errors" is NULL (inside anyOf). */
static void __attribute__((format(printf, 3, 4)))
jschema_error_to(json_object *errors, const char *path, const char *fmt, ...)
{
	char	 msg[512];
	size_t	 n;
	va_list	 ap;

	if (errors == NULL)
		return;
	n = json_object_array_length(errors);
	if (n > JSCHEMA_MAX_ERRORS)
		return;
	if (n == JSCHEMA_MAX_ERRORS) {
		wf_error_add(errors, path, "more problems were found; only the first %d are listed",
		    JSCHEMA_MAX_ERRORS);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	wf_error_add(errors, path, "%s", msg);
}

#define jschema_error(run, path, ...)	jschema_error_to((run)->errors, path, __VA_ARGS__)

/* "path" extended by the member "key" into "out". */
static void
jschema_path_key(char out[JSCHEMA_PATH], const char *path, const char *key)
{
	snprintf(out, JSCHEMA_PATH, "%s%s%s", path, *path ? "." : "", key);
}

/* Takes "n" steps of the budget. Returns 0, or -1 once it is spent. */
static int
jschema_steps(struct jschema_run *run, size_t n)
{
	if (run->stop != JSCHEMA_GOING)
		return -1;
	if (run->steps < n) {
		run->stop = JSCHEMA_STEPS;
		return -1;
	}
	run->steps -= n;
	return 0;
}

static int
jschema_step(struct jschema_run *run)
{
	return jschema_steps(run, 1);
}

/* True when "d" has the JSON Schema type called "t" (NULL: no type). */
static int
jschema_is_type(json_object *d, const char *t)
{
	double	 v;

	if (t == NULL)
		return 0;
	if (strcmp(t, "null") == 0)
		return d == NULL;
	if (d == NULL)
		return 0;
	if (strcmp(t, "object") == 0)
		return json_object_is_type(d, json_type_object);
	if (strcmp(t, "array") == 0)
		return json_object_is_type(d, json_type_array);
	if (strcmp(t, "string") == 0)
		return json_object_is_type(d, json_type_string);
	if (strcmp(t, "boolean") == 0)
		return json_object_is_type(d, json_type_boolean);
	if (strcmp(t, "number") == 0)
		return json_object_is_type(d, json_type_int) ||
		    json_object_is_type(d, json_type_double);
	if (strcmp(t, "integer") == 0) {
		if (json_object_is_type(d, json_type_int))
			return 1;
		if (!json_object_is_type(d, json_type_double))
			return 0;
		v = json_object_get_double(d);
		return isfinite(v) && floor(v) == v;
	}
	return 0;
}

/* The type name at index "i" of the array "t", or NULL when that entry is no string. */
static const char *
jschema_type_at(json_object *t, size_t i)
{
	json_object	*n = json_object_array_get_idx(t, i);

	return json_object_is_type(n, json_type_string) ? json_object_get_string(n) : NULL;
}

/* Checks "type"; returns 0 when it matches (or is absent or malformed). */
static int
jschema_type(struct jschema_run *run, json_object *s, json_object *d, const char *path)
{
	json_object	*t;
	char		 names[128] = "";
	size_t		 i, used = 0;

	if (!json_object_object_get_ex(s, "type", &t))
		return 0;
	if (json_object_is_type(t, json_type_string)) {
		if (jschema_is_type(d, json_object_get_string(t)))
			return 0;
		snprintf(names, sizeof(names), "%s", json_object_get_string(t));
	} else if (json_object_is_type(t, json_type_array) && json_object_array_length(t) > 0) {
		for (i = 0; i < json_object_array_length(t); i++) {
			const char *n = jschema_type_at(t, i);

			if (jschema_is_type(d, n))
				return 0;
			if (n != NULL && used < sizeof(names))
				used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
				    used > 0 ? " or " : "", n);
		}
	} else
		return 0;
	jschema_error(run, path, "must be of type %s", names);
	return -1;
}

/* The number of UTF-8 code points of "s" ("n" bytes). */
static size_t
jschema_codepoints(const char *s, size_t n)
{
	size_t	 i, cp = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			cp++;
	return cp;
}

/* Reads numeric keyword "k" of "s" into "out". Returns 1 when present and a number. */
static int
jschema_num(json_object *s, const char *k, double *out)
{
	json_object	*v;

	if (!json_object_object_get_ex(s, k, &v) || v == NULL ||
	    !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return 0;
	*out = json_object_get_double(v);
	return 1;
}

/* The compiled "pattern" of this run (compiled now if new). NULL with "err" set when it
 * does not compile; "*owned" says the caller frees it (the cache was full). */
static struct regex *
jschema_regex(struct jschema_run *run, const char *pattern, size_t len, int *owned,
    char *err, size_t errlen)
{
	struct regex	*re;
	size_t		 i;

	*owned = 0;
	for (i = 0; i < run->ncache; i++)
		if (run->cache[i].pattern == pattern)
			return run->cache[i].re;
	if ((re = regex_new(pattern, len, err, errlen)) == NULL)
		return NULL;
	if (run->ncache == JSCHEMA_RE_CACHE) {
		*owned = 1;
		return re;
	}
	run->cache[run->ncache].pattern = pattern;
	run->cache[run->ncache++].re = re;
	return re;
}

/* CPU time of the calling thread in nanoseconds. */
static long long
jschema_cpu_ns(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == -1)
		return 0;
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Checks the string "str" ("len" bytes) against the "pattern" keyword of "s". */
static int
jschema_pattern(struct jschema_run *run, json_object *s, const char *str, size_t len,
    const char *path)
{
	json_object	*p;
	struct regex	*re;
	const char	*pat;
	char		 err[256];
	long long	 t0;
	enum regex_rc	 rc;
	int		 owned;

	if ((p = jsonh_get_typed(s, "pattern", json_type_string)) == NULL)
		return 0;
	pat = json_object_get_string(p);
	if ((re = jschema_regex(run, pat, (size_t)json_object_get_string_len(p), &owned, err,
	    sizeof(err))) == NULL) {
		jschema_error(run, path, "cannot be checked: the schema's pattern %s", err);
		return -1;
	}
	t0 = jschema_cpu_ns();
	rc = regex_match(re, str, len);
	run->regex_ns -= jschema_cpu_ns() - t0;
	if (owned)
		regex_free(re);
	if (run->regex_ns < 0 && run->stop == JSCHEMA_GOING)
		run->stop = JSCHEMA_REGEX_TIME;
	switch (rc) {
	case REGEX_MATCH:
		return 0;
	case REGEX_NOMATCH:
		jschema_error(run, path, "must match the pattern %.200s", pat);
		break;
	case REGEX_TOO_LONG:
		jschema_error(run, path, "is %zu bytes; a string checked against a pattern has at "
		    "most %d", len, REGEX_MAX_SUBJECT);
		break;
	case REGEX_LIMIT:
		/* Said where the caller sees it, even from inside an anyOf branch. */
		jschema_error_to(run->top, path, "could not be checked against the pattern "
		    "%.200s: the match reached its limit of work", pat);
		break;
	default:
		jschema_error(run, path, "could not be checked against the pattern %.200s", pat);
		break;
	}
	return -1;
}

static int
jschema_string(struct jschema_run *run, json_object *s, json_object *d, const char *path)
{
	const char	*str = json_object_get_string(d);
	size_t		 len = (size_t)json_object_get_string_len(d), cp = 0;
	double		 min, max;
	int		 has_min, has_max, bad = 0;

	has_min = jschema_num(s, "minLength", &min);
	has_max = jschema_num(s, "maxLength", &max);
	if (has_min || has_max) {
		/* Counting reads the whole string: a step per 256 bytes. */
		if (jschema_steps(run, len / 256) == -1)
			return -1;
		cp = jschema_codepoints(str, len);
	}
	if (has_min && (double)cp < min) {
		jschema_error(run, path, "must be at least %.0f characters", min);
		bad = -1;
	}
	if (has_max && (double)cp > max) {
		jschema_error(run, path, "must be at most %.0f characters", max);
		bad = -1;
	}
	if (jschema_pattern(run, s, str, len, path) == -1)
		bad = -1;
	return bad;
}

static int
jschema_number(struct jschema_run *run, json_object *s, json_object *d, const char *path)
{
	double	 v = json_object_get_double(d), lim;
	int	 bad = 0;

	if (jschema_num(s, "minimum", &lim) && v < lim) {
		jschema_error(run, path, "must be at least %g", lim);
		bad = -1;
	}
	if (jschema_num(s, "maximum", &lim) && v > lim) {
		jschema_error(run, path, "must be at most %g", lim);
		bad = -1;
	}
	if (jschema_num(s, "exclusiveMinimum", &lim) && v <= lim) {
		jschema_error(run, path, "must be greater than %g", lim);
		bad = -1;
	}
	if (jschema_num(s, "exclusiveMaximum", &lim) && v >= lim) {
		jschema_error(run, path, "must be less than %g", lim);
		bad = -1;
	}
	return bad;
}

/* Checks "required": every string entry must be a member of "d". */
static int
jschema_required(struct jschema_run *run, json_object *s, json_object *d, const char *path)
{
	json_object	*req = jsonh_get_typed(s, "required", json_type_array), *k;
	char		 p[JSCHEMA_PATH];
	size_t		 i;
	int		 bad = 0;

	for (i = 0; req != NULL && i < json_object_array_length(req); i++) {
		if (jschema_step(run) == -1)
			return -1;
		k = json_object_array_get_idx(req, i);
		if (!json_object_is_type(k, json_type_string) ||
		    json_object_object_get_ex(d, json_object_get_string(k), NULL))
			continue;
		jschema_path_key(p, path, json_object_get_string(k));
		jschema_error(run, p, "is required");
		bad = -1;
	}
	return bad;
}

/* Checks minProperties and maxProperties. */
static int
jschema_member_count(struct jschema_run *run, json_object *s, json_object *d,
    const char *path)
{
	double	 n = (double)json_object_object_length(d), lim;

	if (jschema_num(s, "minProperties", &lim) && n < lim) {
		jschema_error(run, path, "must have at least %.0f members", lim);
		return -1;
	}
	if (jschema_num(s, "maxProperties", &lim) && n > lim) {
		jschema_error(run, path, "must have at most %.0f members", lim);
		return -1;
	}
	return 0;
}

static int
jschema_object(struct jschema_run *run, json_object *s, json_object *d, const char *path,
    int depth)
{
	json_object	*props = jsonh_get_typed(s, "properties", json_type_object);
	json_object	*addl = NULL, *sub;
	char		 p[JSCHEMA_PATH];
	int		 bad;

	bad = jschema_required(run, s, d, path);
	bad |= jschema_member_count(run, s, d, path);
	json_object_object_get_ex(s, "additionalProperties", &addl);
	json_object_object_foreach(d, k, v) {
		if (jschema_step(run) == -1)
			return -1;
		jschema_path_key(p, path, k);
		if (props != NULL && json_object_object_get_ex(props, k, &sub))
			bad |= jschema_check(run, sub, v, p, depth + 1);
		else if (json_object_is_type(addl, json_type_boolean) &&
		    !json_object_get_boolean(addl)) {
			jschema_error(run, p, "unknown field");
			bad = -1;
		} else if (addl != NULL)
			bad |= jschema_check(run, addl, v, p, depth + 1);
	}
	return bad;
}

static int
jschema_array(struct jschema_run *run, json_object *s, json_object *d, const char *path,
    int depth)
{
	json_object	*items = NULL;
	size_t		 n = json_object_array_length(d), i;
	char		 p[JSCHEMA_PATH];
	double		 lim;
	int		 bad = 0;

	if (jschema_num(s, "minItems", &lim) && (double)n < lim) {
		jschema_error(run, path, "must have at least %.0f items", lim);
		bad = -1;
	}
	if (jschema_num(s, "maxItems", &lim) && (double)n > lim) {
		jschema_error(run, path, "must have at most %.0f items", lim);
		bad = -1;
	}
	json_object_object_get_ex(s, "items", &items);
	for (i = 0; items != NULL && i < n; i++) {
		if (run->stop != JSCHEMA_GOING)
			return -1;
		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		bad |= jschema_check(run, items, json_object_array_get_idx(d, i), p, depth + 1);
	}
	return bad;
}

/* True when "a" and "b" are the same JSON value (numbers by value, members in any order);
 * each value visited is a step, so comparing large values costs its share of the budget. */
static int
jschema_equal(struct jschema_run *run, json_object *a, json_object *b)
{
	json_object	*m;
	size_t		 i, n;

	if (jschema_step(run) == -1)
		return 0;
	if (a == NULL || b == NULL)
		return a == b;
	if (jschema_is_type(a, "number") && jschema_is_type(b, "number"))
		return json_object_is_type(a, json_type_int) && json_object_is_type(b,
		    json_type_int) ? json_object_get_int64(a) == json_object_get_int64(b) :
		    json_object_get_double(a) == json_object_get_double(b);
	if (json_object_get_type(a) != json_object_get_type(b))
		return 0;
	switch (json_object_get_type(a)) {
	case json_type_object:
		if (json_object_object_length(a) != json_object_object_length(b))
			return 0;
		json_object_object_foreach(a, k, v)
			if (!json_object_object_get_ex(b, k, &m) || !jschema_equal(run, v, m))
				return 0;
		return 1;
	case json_type_array:
		if ((n = json_object_array_length(a)) != json_object_array_length(b))
			return 0;
		for (i = 0; i < n; i++)
			if (!jschema_equal(run, json_object_array_get_idx(a, i),
			    json_object_array_get_idx(b, i)))
				return 0;
		return 1;
	default:
		return json_object_equal(a, b);
	}
}

/* Checks "enum" and "const". */
static int
jschema_values(struct jschema_run *run, json_object *s, json_object *d, const char *path)
{
	json_object	*e, *c;
	size_t		 i;
	int		 found = 0, bad = 0;

	/* The messages quote the schema: built only when they are listed. */
	if (json_object_object_get_ex(s, "const", &c) && !jschema_equal(run, c, d)) {
		if (run->errors != NULL)
			jschema_error(run, path, "must be %.200s", jsonh_str(c));
		bad = -1;
	}
	if ((e = jsonh_get_typed(s, "enum", json_type_array)) == NULL)
		return bad;
	for (i = 0; i < json_object_array_length(e) && !found; i++)
		found = jschema_equal(run, json_object_array_get_idx(e, i), d);
	if (!found) {
		if (run->errors != NULL)
			jschema_error(run, path, "must be one of %.300s", jsonh_str(e));
		return -1;
	}
	return bad;
}

/* Checks "anyOf": at least one branch must accept "d" (their problems are not listed). */
static int
jschema_any_of(struct jschema_run *run, json_object *s, json_object *d, const char *path,
    int depth)
{
	json_object	*any = jsonh_get_typed(s, "anyOf", json_type_array), *saved;
	size_t		 i;
	int		 ok = 0;

	if (any == NULL || json_object_array_length(any) == 0)
		return 0;
	saved = run->errors;
	run->errors = NULL;
	for (i = 0; i < json_object_array_length(any) && !ok; i++)
		ok = jschema_check(run, json_object_array_get_idx(any, i), d, path,
		    depth + 1) == 0;
	run->errors = saved;
	if (ok)
		return 0;
	jschema_error(run, path, "matches none of the allowed forms");
	return -1;
}

/* Checks "d" against the keywords of its JSON type. */
static int
jschema_by_type(struct jschema_run *run, json_object *s, json_object *d, const char *path,
    int depth)
{
	switch (d == NULL ? json_type_null : json_object_get_type(d)) {
	case json_type_string:
		return jschema_string(run, s, d, path);
	case json_type_int:
	case json_type_double:
		return jschema_number(run, s, d, path);
	case json_type_object:
		return jschema_object(run, s, d, path, depth);
	case json_type_array:
		return jschema_array(run, s, d, path, depth);
	default:
		return 0;
	}
}

static int
jschema_check(struct jschema_run *run, json_object *s, json_object *d, const char *path,
    int depth)
{
	int	 bad;

	if (jschema_step(run) == -1)
		return -1;
	if (s != NULL && json_object_is_type(s, json_type_boolean)) {
		if (json_object_get_boolean(s))
			return 0;
		jschema_error(run, path, "is not allowed");
		return -1;
	}
	if (s == NULL || !json_object_is_type(s, json_type_object))
		return 0;	/* {} or a malformed schema: anything goes */
	if (depth > JSCHEMA_MAX_DEPTH) {
		jschema_error(run, path, "nested too deeply");
		return -1;
	}
	if (jschema_type(run, s, d, path) == -1)
		return -1;
	bad = jschema_values(run, s, d, path);
	bad |= jschema_any_of(run, s, d, path, depth);
	bad |= jschema_by_type(run, s, d, path, depth);
	return bad;
}

int
jschema_validate(json_object *schema, json_object *doc, const char *path, json_object *errors)
{
	struct jschema_run	 run;
	size_t			 i;
	int			 rc;

	memset(&run, 0, sizeof(run));
	run.errors = run.top = errors;
	run.steps = JSCHEMA_MAX_STEPS;
	run.regex_ns = (long long)JSCHEMA_MAX_REGEX_MS * 1000000LL;
	rc = jschema_check(&run, schema, doc, path, 0) == 0 ? 0 : -1;
	/* Past the cap of listed rows too: this row says why the list is incomplete. */
	if (run.stop == JSCHEMA_STEPS)
		wf_error_add(errors, path, "needs more than %d schema checks: too costly to "
		    "validate", JSCHEMA_MAX_STEPS);
	else if (run.stop == JSCHEMA_REGEX_TIME)
		wf_error_add(errors, path, "needs more than %d ms of pattern matching: too "
		    "costly to validate", JSCHEMA_MAX_REGEX_MS);
	if (run.stop != JSCHEMA_GOING)
		rc = -1;
	for (i = 0; i < run.ncache; i++)
		regex_free(run.cache[i].re);
	return rc;
}

json_object *
jschema_parse(const char *text)
{
	json_object	*o = NULL;
	char		 err[128];

	if (jsonh_parse(text, strlen(text), &o, err, sizeof(err)) == -1)
		return NULL;
	return o;
}
