/* expr.c: checks of jq programs and {{ … }} templates (tokens and deny rules, compiling with a
 * per-thread cache), and their evaluation for the sandbox helper (see expr.h). */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jq.h>
#include <jv.h>

#include "buf.h"
#include "expr.h"
#include "hash.h"
#include "strmap.h"
#include "jqlex.h"
#include "xalloc.h"

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

/* Programs this thread saw compile within a batch (their text; values unused): a later batch
 * does not compile them again. Bounded: started over when full. */
#define EXPR_KNOWN_MAX	4096
static _Thread_local struct strmap *expr_known;

static bool
expr_known_good(const char *program)
{
	return expr_known != NULL && strmap_get(expr_known, program) != NULL;
}

static void
expr_known_add(const struct expr_item *items, size_t lo, size_t hi)
{
	size_t	 i;

	if (expr_known == NULL)
		expr_known = strmap_new();
	if (strmap_len(expr_known) + (hi - lo) > EXPR_KNOWN_MAX)
		strmap_clear(expr_known, NULL);
	for (i = lo; i < hi; i++)
		strmap_put(expr_known, items[i].program, (void *)1, NULL);
}

static void (*expr_nomem)(void *);	/* handed to every new jq state */
static void *expr_nomem_data;

/* ---------------------------------------------------------------- deny rules */

/* Builtins that read the environment, files, standard input or the program's location,
 * write to standard error, or stop the process. */
static const char *const expr_denied_calls[] = {
	"env", "input", "inputs", "input_filename", "input_line_number", "debug", "stderr",
	"halt", "halt_error", "modulemeta", "get_search_list", "get_jq_origin",
	"get_prog_origin", NULL,
};

/* Keywords of the module system and the location of the program. */
static const char *const expr_denied_keywords[] = {
	"import", "include", "module", "__loc__", NULL,
};


/* True when the token's text is one of "list". */
static int
expr_in(const struct jqlex_token *t, const char *const *list)
{
	size_t	 i;

	for (i = 0; list[i] != NULL; i++)
		if (strlen(list[i]) == t->len && memcmp(list[i], t->p, t->len) == 0)
			return 1;
	return 0;
}

static int
expr_tok_is(const struct jqlex_token *t, enum jqlex_kind kind, const char *text)
{
	return t->kind == kind && t->len == strlen(text) && memcmp(t->p, text, t->len) == 0;
}

/* Why name token "t" (IDENT, KEYWORD or VARIABLE) is refused, or NULL when it is allowed. */
static const char *
expr_denied(const struct jqlex_token *t)
{
	int	 module = memchr(t->p, ':', t->len) != NULL;

	switch (t->kind) {
	case JQLEX_VARIABLE:
		if (module)
			return "module data is not available";
		if ((t->len == 3 && memcmp(t->p, "ENV", 3) == 0) ||
		    (t->len >= 2 && memcmp(t->p, "__", 2) == 0))
			return "it reads outside the document";
		return NULL;
	case JQLEX_KEYWORD:
		return expr_in(t, expr_denied_keywords) ? "modules and the program's location are "
		    "not available" : NULL;
	case JQLEX_IDENT:
		if (module)
			return "modules are not available";
		if (expr_in(t, expr_denied_calls))
			return "it reads or writes outside the document";
		if (t->p[0] == '_')
			return "names starting with \"_\" are jq's internals";
		return NULL;
	default:
		return NULL;
	}
}

/* Where the scan of one program stands: the previous token, and per open "{" whether a
 * keyword was met directly inside it (from then on a name after "," there is not taken for
 * a key: jq 1.6 allows no keyword in an object's values, later versions do). */
struct expr_scan {
	struct jqlex		 lx;
	struct jqlex_token	 prev;
	unsigned char		 keyless[JQLEX_MAX_DEPTH];
};

/* True when name token "t" is an object key ({env: 1}, {env}), not a call or a reference:
 * directly inside "{" after "{" or ",", and followed by ":", "," or "}". */
static int
expr_is_key(const struct expr_scan *s, const struct jqlex_token *t)
{
	struct jqlex		 peek = s->lx;
	struct jqlex_token	 next;

	if (jqlex_context(&s->lx) != '{' || s->keyless[s->lx.depth - 1] ||
	    !(expr_tok_is(&s->prev, JQLEX_OPEN, "{") || expr_tok_is(&s->prev, JQLEX_OP, ",")))
		return 0;
	jqlex_next(&peek, &next);
	return expr_tok_is(&next, JQLEX_OP, ":") || expr_tok_is(&next, JQLEX_OP, ",") ||
	    expr_tok_is(&next, JQLEX_CLOSE, "}");
}

int
expr_syntax_check(const char *program, char *err, size_t errlen)
{
	struct expr_scan	 s;
	struct jqlex_token	 t;
	const char		*why;
	size_t			 len = strlen(program);

	if (len > EXPR_MAX_PROGRAM) {
		snprintf(err, errlen, "expression longer than %d bytes", EXPR_MAX_PROGRAM);
		return -1;
	}
	memset(&s, 0, sizeof(s));
	jqlex_init(&s.lx, program, len);
	for (;;) {
		switch (jqlex_next(&s.lx, &t)) {
		case JQLEX_END:
			return 0;
		case JQLEX_ERROR:
			snprintf(err, errlen, "%s at offset %zu", s.lx.error, t.off);
			return -1;
		case JQLEX_OPEN:
			s.keyless[s.lx.depth - 1] = 0;
			break;
		case JQLEX_KEYWORD:
		case JQLEX_IDENT:
		case JQLEX_VARIABLE:
			if (t.kind != JQLEX_VARIABLE && expr_is_key(&s, &t))
				break;
			if ((why = expr_denied(&t)) != NULL) {
				snprintf(err, errlen, "\"%s%.*s\" is not allowed in expressions (%s) "
				    "at offset %zu", t.kind == JQLEX_VARIABLE ? "$" : "",
				    (int)(t.len > 64 ? 64 : t.len), t.p, why, t.off);
				return -1;
			}
			if (t.kind == JQLEX_KEYWORD && jqlex_context(&s.lx) == '{')
				s.keyless[s.lx.depth - 1] = 1;
			break;
		default:
			break;
		}
		s.prev = t;
	}
}

/* ---------------------------------------------------------------- compiled programs */

void
expr_cache_set_limit(size_t n)
{
	expr_max_cached = n > 0 ? n : 1;
}

void
expr_set_nomem_handler(void (*fn)(void *), void *data)
{
	expr_nomem = fn;
	expr_nomem_data = data;
}

static size_t
expr_hash(const char *s)
{
	return hash_fnv1a(s) % EXPR_BUCKETS;
}

/* jq hands error messages to this callback, which owns "msg". */
static void
expr_on_error(void *data, jv msg)
{
	struct expr_cache	*c = data;

	if (c->lasterr[0] != '\0')
		;		/* the first message says what; jq adds "1 compile error" */
	else if (jv_get_kind(msg) == JV_KIND_STRING)
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

	strmap_free(expr_known, NULL);
	expr_known = NULL;
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

/* Returns the compiled state for "program" (borrowed from the cache), or NULL with "err" set.
 * Only programs that pass expr_syntax_check reach jq_compile: libjq 1.6 leaks on
 * unterminated strings and aborts on "import" without a library path. */
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
	if (expr_syntax_check(program, err, errlen) == -1)
		return NULL;
	if ((jq = jq_init()) == NULL)
		xalloc_die(0);
	cache.lasterr[0] = '\0';
	jq_set_error_cb(jq, expr_on_error, &cache);
	if (expr_nomem != NULL)
		jq_set_nomem_handler(jq, expr_nomem, expr_nomem_data);
	if (!jq_compile(jq, program)) {
		snprintf(err, errlen, "%s", cache.lasterr[0] ? cache.lasterr :
		    "invalid expression");
		jq_teardown(&jq);
		return NULL;
	}
	if (cache.count >= expr_max_cached)
		expr_cache_clear();
	e = xcalloc(1, sizeof(*e));
	e->program = xstrdup(program);
	e->jq = jq;
	e->next = cache.buckets[h];
	cache.buckets[h] = e;
	cache.count++;
	return jq;
}

int
expr_check(const char *program, enum expr_mode mode, char *err, size_t errlen)
{
	if (mode == EXPR_SYNTAX)
		return expr_syntax_check(program, err, errlen);
	return expr_compiled(program, err, errlen) == NULL ? -1 : 0;
}

/* ---------------------------------------------------------------- templates */

int
expr_template_next(const char *s, const char **tb, const char **te, const char **eb,
    const char **ee)
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
	if (ee == eb) {
		snprintf(err, errlen, "empty {{ }} expression");
		return NULL;
	}
	return xstrndup(eb, (size_t)(ee - eb));
}

/* The message of an unclosed tag starting in "p" (somewhere in "tmpl"). */
static void
expr_unclosed(const char *tmpl, const char *p, char *err, size_t errlen)
{
	snprintf(err, errlen, "unclosed {{ at offset %zu", (size_t)(strstr(p, "{{") - tmpl));
}

int
expr_template_check(const char *tmpl, enum expr_mode mode, char *err, size_t errlen)
{
	const char	*p = tmpl, *tb, *te, *eb, *ee;
	char		*prog;
	int		 found, rc;

	while ((found = expr_template_next(p, &tb, &te, &eb, &ee)) == 1) {
		if ((prog = expr_dup(eb, ee, err, errlen)) == NULL)
			return -1;
		rc = expr_check(prog, mode, err, errlen);
		free(prog);
		if (rc == -1)
			return -1;
		p = te;
	}
	if (found == -1) {
		expr_unclosed(tmpl, p, err, errlen);
		return -1;
	}
	return 0;
}

int
expr_template_each(const char *tmpl, int (*fn)(void *arg, const char *expr, size_t len),
    void *arg)
{
	const char	*p = tmpl, *tb, *te, *eb, *ee;
	int		 found;

	while ((found = expr_template_next(p, &tb, &te, &eb, &ee)) == 1) {
		if (fn(arg, eb, (size_t)(ee - eb)) == -1)
			return -1;
		p = te;
	}
	return found == -1 ? -1 : 0;
}

struct expr_measure {
	size_t	*count, *bytes, *longest;
};

static int
expr_measure_one(void *arg, const char *expr, size_t len)
{
	struct expr_measure	*m = arg;

	(void)expr;
	(*m->count)++;
	*m->bytes += len;
	if (len > *m->longest)
		*m->longest = len;
	return 0;
}

int
expr_template_measure(const char *tmpl, size_t *count, size_t *bytes, size_t *longest)
{
	struct expr_measure	 m = { count, bytes, longest };

	return expr_template_each(tmpl, expr_measure_one, &m);
}

/* ---------------------------------------------------------------- checking many */

/* Compiles items [lo, hi) of "items" as one program "(p1),(p2),…" (each on lines of its own:
 * a comment ends at its line). Returns 1 when it compiles, 0 when not (the first message in
 * "err"). */
static int
expr_compile_joined(const struct expr_item *items, size_t lo, size_t hi, char *err,
    size_t errlen)
{
	struct buf	 b;
	jq_state	*jq;
	size_t		 i;
	int		 ok;

	buf_init(&b);
	for (i = lo; i < hi; i++) {
		buf_puts(&b, i > lo ? ",(\n" : "(\n");
		buf_puts(&b, items[i].program);
		buf_puts(&b, "\n)\n");
	}
	if ((jq = jq_init()) == NULL)
		xalloc_die(0);
	cache.lasterr[0] = '\0';
	jq_set_error_cb(jq, expr_on_error, &cache);
	if (expr_nomem != NULL)
		jq_set_nomem_handler(jq, expr_nomem, expr_nomem_data);
	ok = jq_compile(jq, b.data) ? 1 : 0;
	if (!ok)
		snprintf(err, errlen, "%s", cache.lasterr[0] ? cache.lasterr :
		    "invalid expression");
	jq_teardown(&jq);
	buf_clear(&b);
	return ok;
}

/* Decides items [lo, hi) (all past the syntax check), "*budget" compiles left. */
static void
expr_batch_split(struct expr_item *items, size_t lo, size_t hi, size_t *budget)
{
	char	 err[sizeof(items[0].err)];
	size_t	 i, mid;
	int	 rc;

	if (*budget == 0) {
		for (i = lo; i < hi; i++)
			items[i].rc = -2;
		return;
	}
	(*budget)--;
	if ((rc = expr_compile_joined(items, lo, hi, err, sizeof(err))) == 1) {
		expr_known_add(items, lo, hi);
		return;
	}
	if (hi - lo == 1) {
		/* One program alone: the message is its own (lines counted from its start). */
		items[lo].rc = -1;
		snprintf(items[lo].err, sizeof(items[lo].err), "%s", err);
		return;
	}
	mid = lo + (hi - lo) / 2;
	expr_batch_split(items, lo, mid, budget);
	expr_batch_split(items, mid, hi, budget);
}

size_t
expr_check_batch(struct expr_item *items, size_t n, size_t max_compiles)
{
	struct expr_item	*todo;
	size_t			*where, i, j, budget = max_compiles;

	if (n == 0)
		return 0;
	where = xcalloc(n, sizeof(*where));
	todo = xcalloc(n, sizeof(*todo));
	/* What fails the syntax check never reaches jq, nor what compiled in an earlier batch;
	 * the rest is compiled together, in a copy, so that the caller's order stays (the same
	 * definition gets its errors in the same order, whatever the cache held). */
	for (i = j = 0; i < n; i++) {
		items[i].rc = expr_syntax_check(items[i].program, items[i].err,
		    sizeof(items[i].err));
		if (items[i].rc == 0 && !expr_known_good(items[i].program)) {
			todo[j] = items[i];
			where[j++] = i;
		}
	}
	if (j > 0)
		expr_batch_split(todo, 0, j, &budget);
	for (i = 0; i < j; i++)
		items[where[i]] = todo[i];
	free(todo);
	free(where);
	return max_compiles - budget;
}

/* ---------------------------------------------------------------- evaluation */

/* Copies the message of jq's error "res" (consumed) into "err". */
static void
expr_jq_error(jv res, char *err, size_t errlen)
{
	jv	 msg = jv_invalid_get_msg(res), d;

	if (jv_get_kind(msg) == JV_KIND_STRING)
		snprintf(err, errlen, "%s", jv_string_value(msg));
	else {
		d = jv_dump_string(jv_copy(msg), 0);
		snprintf(err, errlen, "jq error: %s", jv_string_value(d));
		jv_free(d);
	}
	jv_free(msg);
}

int
expr_eval(const char *program, jv input, jv *out, char *err, size_t errlen)
{
	jq_state	*jq;
	jv		 res;

	*out = jv_invalid();
	if ((jq = expr_compiled(program, err, errlen)) == NULL)
		return -1;
	jq_start(jq, jv_copy(input), 0);
	res = jq_next(jq);
	if (jv_is_valid(res)) {
		*out = res;
		return 0;
	}
	if (!jv_invalid_has_msg(jv_copy(res))) {
		jv_free(res);		/* no output at all: the value is null */
		*out = jv_null();
		return 0;
	}
	expr_jq_error(res, err, errlen);
	return -1;
}

/* Appends the rendering of "v" (consumed) to the string "*s": strings raw, null as nothing,
 * others as compact JSON. Returns 0, or -1 past EXPR_MAX_RESULT bytes. */
static int
expr_append(jv *s, jv v, char *err, size_t errlen)
{
	jv	 text;

	if (jv_get_kind(v) == JV_KIND_NULL)
		text = jv_string("");
	else if (jv_get_kind(v) == JV_KIND_STRING)
		text = jv_copy(v);
	else
		text = jv_dump_string(jv_copy(v), 0);
	jv_free(v);
	if ((size_t)jv_string_length_bytes(jv_copy(*s)) +
	    (size_t)jv_string_length_bytes(jv_copy(text)) > EXPR_MAX_RESULT) {
		jv_free(text);
		snprintf(err, errlen, "rendered text larger than %d bytes", EXPR_MAX_RESULT);
		return -1;
	}
	*s = jv_string_concat(*s, text);
	return 0;
}

int
expr_render(const char *tmpl, jv ctx, jv *out, char *err, size_t errlen)
{
	const char	*p = tmpl, *tb, *te, *eb, *ee;
	jv		 s = jv_string(""), v;
	char		*prog;
	int		 found, rc;

	*out = jv_invalid();
	while ((found = expr_template_next(p, &tb, &te, &eb, &ee)) == 1) {
		if ((prog = expr_dup(eb, ee, err, errlen)) == NULL)
			goto fail;
		rc = expr_eval(prog, ctx, &v, err, errlen);
		free(prog);
		if (rc == -1)
			goto fail;
		if (tb == tmpl && *te == '\0') {
			jv_free(s);
			*out = v;	/* the template is one expression: keep its type */
			return 0;
		}
		s = jv_string_append_buf(s, p, (int)(tb - p));
		if (expr_append(&s, v, err, errlen) == -1)
			goto fail;
		p = te;
	}
	if (found == -1) {
		expr_unclosed(tmpl, p, err, errlen);
		goto fail;
	}
	*out = jv_string_append_str(s, p);
	return 0;
fail:
	jv_free(s);
	return -1;
}
