/* jqlex.c: the jq 1.6 lexer (see jqlex.h). Each rule below names the rule of jq's
 * src/lexer.l it mirrors; where two rules match, the longer wins and, on a tie, the one
 * jq lists first. */
#include "config.h"

#include <string.h>

#include "jqlex.h"

static const char *const jqlex_keywords[] = {
	"as", "import", "include", "module", "def", "if", "then", "else", "elif", "and", "or",
	"end", "reduce", "foreach", "try", "catch", "label", "break", "__loc__", NULL,
};

/* Operators of two or three bytes, longest first; single bytes come after. */
static const char *const jqlex_ops[] = {
	"?//", "//=", "!=", "==", "//", "|=", "+=", "-=", "*=", "/=", "%=", "<=", ">=", NULL,
};
static const char jqlex_single_ops[] = ".?=;,:|+-*/%<>";

static int
jqlex_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
jqlex_alnum(char c)
{
	return jqlex_alpha(c) || (c >= '0' && c <= '9');
}

static int
jqlex_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

void
jqlex_init(struct jqlex *lx, const char *program, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = program;
	lx->p = program;
	lx->end = program + len;
}

char
jqlex_context(const struct jqlex *lx)
{
	return lx->depth > 0 ? lx->stack[lx->depth - 1] : 0;
}

/* Fills "t" with the token [p, p + len) of "kind" and moves past it. */
static enum jqlex_kind
jqlex_emit(struct jqlex *lx, struct jqlex_token *t, enum jqlex_kind kind, const char *p,
    size_t len)
{
	t->kind = kind;
	t->p = p;
	t->len = len;
	t->off = (size_t)(p - lx->src);
	lx->p = p + len;
	return kind;
}

/* Stops at "p" with "why"; the lexer stays there. */
static enum jqlex_kind
jqlex_fail(struct jqlex *lx, struct jqlex_token *t, const char *p, const char *why)
{
	lx->error = why;
	lx->p = p;
	lx->end = p;		/* every later call fails the same way */
	t->kind = JQLEX_ERROR;
	t->p = p;
	t->len = 0;
	t->off = (size_t)(p - lx->src);
	return JQLEX_ERROR;
}

static int
jqlex_push(struct jqlex *lx, char c)
{
	if (lx->depth >= JQLEX_MAX_DEPTH)
		return -1;
	lx->stack[lx->depth++] = c;
	return 0;
}

/* Length of the name at "p": ([a-zA-Z_][a-zA-Z_0-9]*::)*[a-zA-Z_][a-zA-Z_0-9]*, 0 if none. */
static size_t
jqlex_name_len(const char *p, const char *end)
{
	const char	*q = p;

	if (q >= end || !jqlex_alpha(*q))
		return 0;
	for (;;) {
		while (q < end && jqlex_alnum(*q))
			q++;
		/* "::" continues the name only when a name follows it. */
		if (end - q >= 3 && q[0] == ':' && q[1] == ':' && jqlex_alpha(q[2]))
			q += 2;
		else
			return (size_t)(q - p);
	}
}

/* Length of the number at "p": [0-9.]+([eE][+-]?[0-9]+)?, 0 if none. */
static size_t
jqlex_number_len(const char *p, const char *end)
{
	const char	*q = p, *e;

	while (q < end && ((*q >= '0' && *q <= '9') || *q == '.'))
		q++;
	if (q == p)
		return 0;
	if (q < end && (*q == 'e' || *q == 'E')) {
		e = q + 1;
		if (e < end && (*e == '+' || *e == '-'))
			e++;
		if (e < end && *e >= '0' && *e <= '9') {
			while (e < end && *e >= '0' && *e <= '9')
				e++;
			q = e;
		}
	}
	return (size_t)(q - p);
}

/* Skips whitespace ([ \n\t]) and comments ("#" to the end of the line, \r or \n). */
static const char *
jqlex_skip(const char *p, const char *end)
{
	while (p < end) {
		if (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		else if (*p == '#') {
			while (p < end && *p != '\n' && *p != '\r')
				p++;
		} else
			break;
	}
	return p;
}

/* Inside a string: text and escapes up to the next quote or "\(". */
static enum jqlex_kind
jqlex_string(struct jqlex *lx, struct jqlex_token *t)
{
	const char	*p = lx->p, *q = p;
	int		 i;

	if (p >= lx->end)
		return jqlex_fail(lx, t, p, "unterminated string");
	if (*p == '"') {
		lx->depth--;
		return jqlex_emit(lx, t, JQLEX_STRING_END, p, 1);
	}
	if (*p == '\\' && p + 1 < lx->end && p[1] == '(') {
		if (jqlex_push(lx, 'i') == -1)
			return jqlex_fail(lx, t, p, "nested too deeply");
		return jqlex_emit(lx, t, JQLEX_INTERP_START, p, 2);
	}
	while (q < lx->end && *q != '"') {
		if (*q != '\\') {
			q++;
			continue;
		}
		if (q + 1 >= lx->end)
			return jqlex_fail(lx, t, q, "unterminated string");
		if (q[1] == '(')
			break;
		if (q[1] == 'u') {
			/* jq hands \u escapes to its JSON parser: four hex digits. */
			for (i = 2; i < 6; i++)
				if (q + i >= lx->end || !jqlex_hex(q[i]))
					return jqlex_fail(lx, t, q, "invalid \\u escape");
			q += 6;
		} else if (strchr("\"\\/bfnrt", q[1]) != NULL && q[1] != '\0')
			q += 2;
		else
			return jqlex_fail(lx, t, q, "invalid escape in a string");
	}
	if (q >= lx->end)
		return jqlex_fail(lx, t, q, "unterminated string");
	return jqlex_emit(lx, t, JQLEX_STRING_TEXT, p, (size_t)(q - p));
}

/* "$" then, after any whitespace or comments, a name: one VARIABLE token of the name. */
static enum jqlex_kind
jqlex_variable(struct jqlex *lx, struct jqlex_token *t, const char *p)
{
	const char	*q = jqlex_skip(p + 1, lx->end);
	size_t		 n = jqlex_name_len(q, lx->end);

	if (n == 0)
		return jqlex_fail(lx, t, p, "\"$\" must be followed by a name");
	jqlex_emit(lx, t, JQLEX_VARIABLE, q, n);
	t->off = (size_t)(p - lx->src);
	return JQLEX_VARIABLE;
}

/* A name: a keyword when it is exactly one (jq lists keywords first), else an IDENT. */
static enum jqlex_kind
jqlex_word(struct jqlex *lx, struct jqlex_token *t, const char *p)
{
	size_t	 n = jqlex_name_len(p, lx->end), i;

	for (i = 0; jqlex_keywords[i] != NULL; i++)
		if (strlen(jqlex_keywords[i]) == n && memcmp(jqlex_keywords[i], p, n) == 0)
			return jqlex_emit(lx, t, JQLEX_KEYWORD, p, n);
	return jqlex_emit(lx, t, JQLEX_IDENT, p, n);
}

/* "." starts a field (.name), a number (.5), ".." or the dot itself. */
static enum jqlex_kind
jqlex_dot(struct jqlex *lx, struct jqlex_token *t, const char *p)
{
	size_t	 num = jqlex_number_len(p, lx->end), n = 1;

	if (p + 1 < lx->end && jqlex_alpha(p[1])) {
		while (p + n < lx->end && jqlex_alnum(p[n]))
			n++;
		return jqlex_emit(lx, t, JQLEX_FIELD, p, n);
	}
	if (num == 2 && p[1] == '.')
		return jqlex_emit(lx, t, JQLEX_OP, p, 2);
	if (num >= 2)
		return jqlex_emit(lx, t, JQLEX_NUMBER, p, num);
	return jqlex_emit(lx, t, JQLEX_OP, p, 1);
}

/* ( [ { open; ) ] } must close the innermost, and ")" also ends an interpolation. */
static enum jqlex_kind
jqlex_delim(struct jqlex *lx, struct jqlex_token *t, const char *p)
{
	char	 top = jqlex_context(lx), want;

	if (*p == '(' || *p == '[' || *p == '{') {
		if (jqlex_push(lx, *p) == -1)
			return jqlex_fail(lx, t, p, "nested too deeply");
		return jqlex_emit(lx, t, JQLEX_OPEN, p, 1);
	}
	want = *p == ')' ? '(' : *p == ']' ? '[' : '{';
	if (*p == ')' && top == 'i') {
		lx->depth--;
		return jqlex_emit(lx, t, JQLEX_INTERP_END, p, 1);
	}
	if (top != want)
		return jqlex_fail(lx, t, p, "unbalanced brackets");
	lx->depth--;
	return jqlex_emit(lx, t, JQLEX_CLOSE, p, 1);
}

/* Operators and formats; anything else is not jq. */
static enum jqlex_kind
jqlex_symbol(struct jqlex *lx, struct jqlex_token *t, const char *p)
{
	size_t	 i, n;

	if (*p == '@') {
		for (n = 1; p + n < lx->end && jqlex_alnum(p[n]); n++)
			;
		if (n == 1)
			return jqlex_fail(lx, t, p, "\"@\" must be followed by a format name");
		return jqlex_emit(lx, t, JQLEX_FORMAT, p, n);
	}
	for (i = 0; jqlex_ops[i] != NULL; i++) {
		n = strlen(jqlex_ops[i]);
		if ((size_t)(lx->end - p) >= n && memcmp(jqlex_ops[i], p, n) == 0)
			return jqlex_emit(lx, t, JQLEX_OP, p, n);
	}
	if (*p != '\0' && strchr(jqlex_single_ops, *p) != NULL)
		return jqlex_emit(lx, t, JQLEX_OP, p, 1);
	return jqlex_fail(lx, t, p, "unexpected character");
}

enum jqlex_kind
jqlex_next(struct jqlex *lx, struct jqlex_token *t)
{
	const char	*p;

	if (lx->error != NULL)
		return jqlex_fail(lx, t, lx->p, lx->error);
	if (jqlex_context(lx) == '"')
		return jqlex_string(lx, t);
	p = jqlex_skip(lx->p, lx->end);
	if (p >= lx->end) {
		if (lx->depth > 0)
			return jqlex_fail(lx, t, p, jqlex_context(lx) == 'i' ?
			    "unterminated string" : "unclosed bracket");
		return jqlex_emit(lx, t, JQLEX_END, p, 0);
	}
	if (jqlex_alpha(*p))
		return jqlex_word(lx, t, p);
	if (*p == '.')
		return jqlex_dot(lx, t, p);
	if (*p >= '0' && *p <= '9')
		return jqlex_emit(lx, t, JQLEX_NUMBER, p, jqlex_number_len(p, lx->end));
	if (*p == '$')
		return jqlex_variable(lx, t, p);
	if (*p == '"') {
		if (jqlex_push(lx, '"') == -1)
			return jqlex_fail(lx, t, p, "nested too deeply");
		return jqlex_emit(lx, t, JQLEX_STRING_START, p, 1);
	}
	if (strchr("([{)]}", *p) != NULL && *p != '\0')
		return jqlex_delim(lx, t, p);
	return jqlex_symbol(lx, t, p);
}
