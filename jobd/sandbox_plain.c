/* sandbox_plain.c: plain paths of a context, answered in jobd without a sandbox helper (see
 * sandbox_plain.h). The template syntax is shared/expr.c's; the rendering rules mirror
 * expr_render's: a template that is one tag keeps the value's type, otherwise strings go in
 * as they are, null as nothing and other values as compact JSON. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "expr.h"
#include "sandbox_plain.h"
#include "utf8.h"

#define PLAIN_MAX_INT	(INT64_C(1) << 53)	/* integers a double (jq's number) holds */
#define PLAIN_MAX_TEXT	(EXPR_MAX_RESULT / 6)	/* a byte escaped as JSON takes up to 6 */
#define PLAIN_MAX_NAME	64

/* Words jq reads as keywords, and its internals ("_…"): such a field goes to the helper. */
static const char *const plain_keywords[] = {
	"and", "as", "catch", "def", "elif", "else", "end", "foreach", "if", "import",
	"include", "label", "not", "or", "reduce", "then", "try", NULL
};

static bool
plain_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
plain_is_keyword(const char *name)
{
	size_t	 i;

	for (i = 0; plain_keywords[i] != NULL; i++)
		if (strcmp(plain_keywords[i], name) == 0)
			return true;
	return false;
}

/* Looks the path [p, e) (".a.b…": fields of letters, digits and "_", starting with a letter)
 * up in "ctx". Returns 0 with the value (borrowed; NULL is JSON null) in "*out", or -1 when
 * [p, e) is not such a path or jq would fail on it (a field of a value that is neither an
 * object nor null). */
static int
plain_lookup(json_object *ctx, const char *p, const char *e, json_object **out)
{
	json_object	*cur = ctx, *next;
	char		 name[PLAIN_MAX_NAME];
	const char	*s;
	size_t		 n;

	if (p == e)
		return -1;
	while (p < e) {
		if (*p++ != '.' || p == e || !plain_is_alpha(*p))
			return -1;
		for (s = p; p < e && (plain_is_alpha(*p) || (*p >= '0' && *p <= '9') ||
		    *p == '_'); p++)
			;
		if ((n = (size_t)(p - s)) >= sizeof(name))
			return -1;
		memcpy(name, s, n);
		name[n] = '\0';
		if (plain_is_keyword(name))
			return -1;
		if (cur == NULL)
			continue;		/* null.a is null */
		if (!json_object_is_type(cur, json_type_object))
			return -1;
		cur = json_object_object_get_ex(cur, name, &next) ? next : NULL;
	}
	*out = cur;
	return 0;
}

/* True when the helper's answer for "v" would be "v" again, within the size limits. */
static bool
plain_renders_alike(json_object *v)
{
	int64_t	 i;
	size_t	 n;

	switch (json_object_get_type(v)) {
	case json_type_null:
	case json_type_boolean:
		return true;
	case json_type_int:
		/* A uint64 past INT64_MAX reads as INT64_MAX: out of range too. */
		i = json_object_get_int64(v);
		return i >= -PLAIN_MAX_INT && i <= PLAIN_MAX_INT;
	case json_type_string:
		n = (size_t)json_object_get_string_len(v);
		return n <= PLAIN_MAX_TEXT && utf8_check(json_object_get_string(v), n) == n;
	default:
		return false;
	}
}

/* A new value equal to "v" (one of plain_renders_alike's): the answer owns its values. */
static json_object *
plain_copy(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_boolean:
		return json_object_new_boolean(json_object_get_boolean(v));
	case json_type_int:
		return json_object_new_int64(json_object_get_int64(v));
	case json_type_string:
		return json_object_new_string_len(json_object_get_string(v),
		    json_object_get_string_len(v));
	default:
		return NULL;
	}
}

/* Appends "v" (one of plain_renders_alike's) as a template renders it inside text. */
static void
plain_append(struct buf *b, json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_boolean:
		buf_puts(b, json_object_get_boolean(v) ? "true" : "false");
		break;
	case json_type_int:
		buf_printf(b, "%lld", (long long)json_object_get_int64(v));
		break;
	case json_type_string:
		buf_append(b, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
		break;
	default:
		break;		/* null: nothing */
	}
}

/* Appends the template text [p, e), when it is UTF-8 (jq would replace what is not).
 * Returns 0, or -1. */
static int
plain_append_text(struct buf *b, const char *p, const char *e)
{
	size_t	 n = (size_t)(e - p);

	if (utf8_check(p, n) != n)
		return -1;
	buf_append(b, p, n);
	return 0;
}

static int
plain_template(json_object *ctx, const char *tmpl, json_object **out)
{
	const char	*p = tmpl, *tb, *te, *eb, *ee;
	json_object	*v;
	struct buf	 s;
	int		 found;

	buf_init(&s);
	while ((found = expr_template_next(p, &tb, &te, &eb, &ee)) == 1) {
		if (plain_lookup(ctx, eb, ee, &v) == -1 || !plain_renders_alike(v))
			goto helper;
		if (tb == tmpl && *te == '\0') {
			*out = plain_copy(v);	/* the template is one tag: its value */
			return 0;
		}
		if (plain_append_text(&s, p, tb) == -1)
			goto helper;
		plain_append(&s, v);
		if (s.len > PLAIN_MAX_TEXT)
			goto helper;
		p = te;
	}
	if (found == -1 || plain_append_text(&s, p, p + strlen(p)) == -1 ||
	    s.len > PLAIN_MAX_TEXT)
		goto helper;
	*out = json_object_new_string_len(s.len > 0 ? s.data : "", (int)s.len);
	buf_clear(&s);
	return 0;
helper:
	buf_clear(&s);
	return -1;
}

/* Answers program "text": a plain path alone, perhaps between blanks. */
static int
plain_program(json_object *ctx, const char *text, json_object **out)
{
	const char	*e = text + strlen(text);
	json_object	*v;

	while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
		text++;
	while (e > text && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	if (plain_lookup(ctx, text, e, &v) == -1 || !plain_renders_alike(v))
		return -1;
	*out = plain_copy(v);
	return 0;
}

int
sandbox_plain(json_object *ctx, enum sandbox_kind kind, const char *text, size_t *room,
    json_object **out)
{
	json_object	*v;
	size_t		 n;

	if ((kind == SANDBOX_TEMPLATE ? plain_template(ctx, text, &v) :
	    plain_program(ctx, text, &v)) == -1)
		return -1;
	n = json_object_is_type(v, json_type_string) ?
	    (size_t)json_object_get_string_len(v) : 32;
	if (n > *room) {
		json_object_put(v);
		return -1;
	}
	*room -= n;
	*out = v;
	return 0;
}
