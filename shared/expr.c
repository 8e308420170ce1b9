/* expr.c: jq evaluation with a per-thread cache of compiled programs, and {{ … }} templates. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jq.h>
#include <jv.h>

#include "buf.h"
#include "expr.h"
#include "jsonh.h"

#define EXPR_BUCKETS	256

struct expr_entry {
	char			*program;
	jq_state		*jq;
	struct expr_entry	*next;
};

struct expr_cache {
	struct expr_entry	*buckets[EXPR_BUCKETS];
	size_t			 count;
	char			 lasterr[512];	/* filled by the jq error callback */
};

static _Thread_local struct expr_cache cache;
static size_t expr_max_cached = 1024;

void
expr_cache_set_limit(size_t n)
{
	expr_max_cached = n > 0 ? n : 1;
}

/* FNV-1a over the program text. */
static size_t
expr_hash(const char *s)
{
	unsigned long	 h = 2166136261UL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619UL;
	return h % EXPR_BUCKETS;
}

/* jq hands error messages to this callback, which owns "msg". */
static void
expr_on_error(void *data, jv msg)
{
	struct expr_cache	*c = data;

	if (jv_get_kind(msg) == JV_KIND_STRING)
		snprintf(c->lasterr, sizeof(c->lasterr), "%s", jv_string_value(msg));
	else
		snprintf(c->lasterr, sizeof(c->lasterr), "jq error");
	jv_free(msg);
}

void
expr_cache_clear(void)
{
	struct expr_entry	*e, *next;
	size_t			 i;

	for (i = 0; i < EXPR_BUCKETS; i++) {
		for (e = cache.buckets[i]; e != NULL; e = next) {
			next = e->next;
			jq_teardown(&e->jq);
			free(e->program);
			free(e);
		}
		cache.buckets[i] = NULL;
	}
	cache.count = 0;
}

/* Builtins and keywords a workflow expression may not use: user definitions and the
 * generators that can loop without end (a worker thread cannot interrupt libjq 1.6), and
 * everything that reads the process environment, files or standard input. */
static const char *const expr_denied[] = {
	"def", "recurse", "recurse_down", "while", "until", "repeat", "range", "combinations",
	"env", "$ENV", "input", "inputs", "input_filename", "input_line_number", "debug",
	"stderr", "halt", "halt_error", "import", "include", "modulemeta", "get_search_list",
	"$__loc__", NULL,
};

/* True when the identifier [p, p + n) is on the deny-list. */
static int
expr_word_denied(const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; expr_denied[i] != NULL; i++)
		if (strlen(expr_denied[i]) == n && memcmp(expr_denied[i], p, n) == 0)
			return 1;
	return 0;
}

/* Scans "program" for denied identifiers outside string literals (but inside string
 * interpolations "\( … )"). Returns 0, or -1 with a message in "err". */
static int
expr_safe(const char *program, char *err, size_t errlen)
{
	const char	*p = program, *w, *q;
	int		 depth[16], sp = 0, in_str = 0;

	depth[0] = 0;
	while (*p != '\0') {
		if (in_str) {
			if (p[0] == '\\' && p[1] == '(') {
				if (++sp >= 16)
					goto nested;
				depth[sp] = 0;
				in_str = 0;	/* code of an interpolation */
				p += 2;
			} else if (p[0] == '\\' && p[1] != '\0')
				p += 2;
			else {
				if (*p == '"')
					in_str = 0;
				p++;
			}
			continue;
		}
		if (*p == '"') {
			in_str = 1;
			p++;
		} else if (*p == '#') {
			while (*p != '\0' && *p != '\n')
				p++;
		} else if (*p == '(') {
			depth[sp]++;
			p++;
		} else if (*p == ')') {
			if (depth[sp] == 0 && sp > 0) {
				sp--;		/* end of an interpolation: back inside the string */
				in_str = 1;
			} else if (depth[sp] > 0)
				depth[sp]--;
			p++;
		} else if (isalpha((unsigned char)*p) || *p == '_' || *p == '$') {
			w = p++;
			while (isalnum((unsigned char)*p) || *p == '_' ||
			    (*p == ':' && p[1] == ':'))
				p += *p == ':' ? 2 : 1;
			/* ".name" is a field and "name:" an object key, not a call. */
			if (w > program && w[-1] == '.')
				continue;
			for (q = p; *q == ' ' || *q == '\t' || *q == '\n'; q++)
				;
			if (q[0] == ':' && q[1] != ':')
				continue;
			if (expr_word_denied(w, (size_t)(p - w))) {
				snprintf(err, errlen, "\"%.*s\" is not allowed in workflow expressions",
				    (int)(p - w), w);
				return -1;
			}
		} else
			p++;
	}
	return 0;
nested:
	snprintf(err, errlen, "string interpolation nested too deeply");
	return -1;
}

/* Returns the compiled state for "program" (borrowed from the cache), or NULL with "err" set. */
static jq_state *
expr_compiled(const char *program, char *err, size_t errlen)
{
	struct expr_entry	*e;
	size_t			 h;
	jq_state		*jq;

	if (strlen(program) > EXPR_MAX_PROGRAM) {
		snprintf(err, errlen, "expression longer than %d bytes", EXPR_MAX_PROGRAM);
		return NULL;
	}
	h = expr_hash(program);
	for (e = cache.buckets[h]; e != NULL; e = e->next)
		if (strcmp(e->program, program) == 0)
			return e->jq;
	if (expr_safe(program, err, errlen) == -1)
		return NULL;
	if ((jq = jq_init()) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	cache.lasterr[0] = '\0';
	jq_set_error_cb(jq, expr_on_error, &cache);
	if (!jq_compile(jq, program)) {
		snprintf(err, errlen, "%s", cache.lasterr[0] ? cache.lasterr :
		    "invalid expression");
		jq_teardown(&jq);
		return NULL;
	}
	if (cache.count >= expr_max_cached)
		expr_cache_clear();
	if ((e = calloc(1, sizeof(*e))) == NULL || (e->program = strdup(program)) == NULL) {
		free(e);
		jq_teardown(&jq);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->jq = jq;
	e->next = cache.buckets[h];
	cache.buckets[h] = e;
	cache.count++;
	return jq;
}

int
expr_check(const char *program, char *err, size_t errlen)
{
	return expr_compiled(program, err, errlen) == NULL ? -1 : 0;
}

/* Converts a jv (consumed) to a json-c value in "out". Returns 0 or -1. */
static int
expr_jv_to_json(jv v, json_object **out, char *err, size_t errlen)
{
	jv	 s;
	int	 rc;

	*out = NULL;
	if (jv_get_kind(v) == JV_KIND_NULL) {
		jv_free(v);
		return 0;
	}
	s = jv_dump_string(v, 0);
	if (jv_string_length_bytes(jv_copy(s)) > EXPR_MAX_RESULT) {
		jv_free(s);
		snprintf(err, errlen, "result larger than %d bytes", EXPR_MAX_RESULT);
		return -1;
	}
	rc = jsonh_parse(jv_string_value(s), (size_t)jv_string_length_bytes(jv_copy(s)),
	    out, err, errlen);
	jv_free(s);
	return rc;
}

int
expr_eval(const char *program, json_object *input, json_object **out, char *err, size_t errlen)
{
	jq_state	*jq;
	jv		 in, res, msg;

	*out = NULL;
	if ((jq = expr_compiled(program, err, errlen)) == NULL)
		return -1;
	in = jv_parse(jsonh_str(input));
	if (!jv_is_valid(in)) {
		jv_free(in);
		snprintf(err, errlen, "context is not valid JSON");
		return -1;
	}
	jq_start(jq, in, 0);
	res = jq_next(jq);
	if (jv_is_valid(res))
		return expr_jv_to_json(res, out, err, errlen);
	if (!jv_invalid_has_msg(jv_copy(res))) {
		jv_free(res);		/* no output at all: the value is null */
		return 0;
	}
	msg = jv_invalid_get_msg(res);
	if (jv_get_kind(msg) == JV_KIND_STRING)
		snprintf(err, errlen, "%s", jv_string_value(msg));
	else {
		jv	 d = jv_dump_string(jv_copy(msg), 0);

		snprintf(err, errlen, "jq error: %s", jv_string_value(d));
		jv_free(d);
	}
	jv_free(msg);
	return -1;
}

/* Finds the next "{{ … }}" in "s". Returns 1 with the bounds of the whole tag in [*tb, *te)
 * and of the trimmed expression in [*eb, *ee), 0 when there is none, -1 when unclosed. */
static int
expr_next_tag(const char *s, const char **tb, const char **te, const char **eb, const char **ee)
{
	const char	*open, *close;

	if ((open = strstr(s, "{{")) == NULL)
		return 0;
	if ((close = strstr(open + 2, "}}")) == NULL)
		return -1;
	*tb = open;
	*te = close + 2;
	*eb = open + 2;
	*ee = close;
	while (*eb < *ee && isspace((unsigned char)**eb))
		(*eb)++;
	while (*ee > *eb && isspace((unsigned char)(*ee)[-1]))
		(*ee)--;
	return 1;
}

/* Copies the expression [eb, ee) into a heap string, refusing empty ones. */
static char *
expr_dup(const char *eb, const char *ee, char *err, size_t errlen)
{
	char	*p;

	if (ee == eb) {
		snprintf(err, errlen, "empty {{ }} expression");
		return NULL;
	}
	if ((p = strndup(eb, (size_t)(ee - eb))) == NULL)
		snprintf(err, errlen, "out of memory");
	return p;
}

int
expr_template_check(const char *tmpl, char *err, size_t errlen)
{
	const char	*p = tmpl, *tb, *te, *eb, *ee;
	char		*prog;
	int		 found, rc;

	while ((found = expr_next_tag(p, &tb, &te, &eb, &ee)) == 1) {
		if ((prog = expr_dup(eb, ee, err, errlen)) == NULL)
			return -1;
		rc = expr_check(prog, err, errlen);
		free(prog);
		if (rc == -1)
			return -1;
		p = te;
	}
	if (found == -1) {
		snprintf(err, errlen, "unclosed {{ at offset %zu", (size_t)(strstr(p, "{{") - tmpl));
		return -1;
	}
	return 0;
}

int
expr_template_measure(const char *tmpl, size_t *count, size_t *bytes, size_t *longest)
{
	const char	*p = tmpl, *tb, *te, *eb, *ee;
	int		 found;

	while ((found = expr_next_tag(p, &tb, &te, &eb, &ee)) == 1) {
		(*count)++;
		*bytes += (size_t)(ee - eb);
		if ((size_t)(ee - eb) > *longest)
			*longest = (size_t)(ee - eb);
		p = te;
	}
	return found == -1 ? -1 : 0;
}

/* Appends the rendering of one value to "b": strings raw, null as nothing, others as JSON. */
static int
expr_append_value(struct buf *b, json_object *v)
{
	if (v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_string))
		return buf_append(b, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
	return buf_puts(b, jsonh_str(v));
}

int
expr_render(const char *tmpl, json_object *ctx, json_object **out, char *err, size_t errlen)
{
	const char	*p = tmpl, *tb, *te, *eb, *ee;
	json_object	*v = NULL;
	struct buf	 b;
	char		*prog;
	int		 found, rc = -1;

	*out = NULL;
	buf_init(&b);
	while ((found = expr_next_tag(p, &tb, &te, &eb, &ee)) == 1) {
		if ((prog = expr_dup(eb, ee, err, errlen)) == NULL)
			goto out;
		rc = expr_eval(prog, ctx, &v, err, errlen);
		free(prog);
		if (rc == -1)
			goto out;
		rc = -1;
		if (tb == tmpl && *te == '\0' && p == tmpl) {
			*out = v;	/* the template is one expression: keep its type */
			v = NULL;
			rc = 0;
			goto out;
		}
		if (buf_append(&b, p, (size_t)(tb - p)) == -1 || expr_append_value(&b, v) == -1)
			goto oom;
		json_object_put(v);
		v = NULL;
		p = te;
	}
	if (found == -1) {
		snprintf(err, errlen, "unclosed {{ at offset %zu", (size_t)(strstr(p, "{{") - tmpl));
		goto out;
	}
	if (buf_puts(&b, p) == -1)
		goto oom;
	*out = json_object_new_string_len(b.data, (int)b.len);
	rc = *out == NULL ? -1 : 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
out:
	json_object_put(v);
	buf_clear(&b);
	return rc;
}
