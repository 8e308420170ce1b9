/* jqlex.h: a lexer of jq 1.6's program syntax, following the token rules of jq's own
 * src/lexer.l (longest match, keywords before names, strings with escapes and \( )
 * interpolations, comments, "$" and its name apart), with the delimiter balance jq's
 * lexer enforces. It does not parse: expr.c builds its checks on the tokens. */
#ifndef FRAGENT_JQLEX_H
#define FRAGENT_JQLEX_H

#include <stddef.h>

#define JQLEX_MAX_DEPTH	256	/* open delimiters, strings and interpolations at once */

enum jqlex_kind {
	JQLEX_END,		/* the end of the program, every delimiter closed */
	JQLEX_IDENT,		/* name or module::name: a call, a definition, a parameter, a key */
	JQLEX_KEYWORD,		/* as def if then elif else end and or reduce foreach try catch
				 * label break import include module __loc__ */
	JQLEX_FIELD,		/* .name */
	JQLEX_VARIABLE,		/* $name; the token's text is the name ("$ ENV" gives ENV) */
	JQLEX_FORMAT,		/* @name */
	JQLEX_NUMBER,
	JQLEX_STRING_START,	/* " */
	JQLEX_STRING_TEXT,	/* characters and escapes inside a string */
	JQLEX_INTERP_START,	/* \( inside a string */
	JQLEX_INTERP_END,	/* the ) that closes it */
	JQLEX_STRING_END,	/* " */
	JQLEX_OPEN,		/* ( [ { */
	JQLEX_CLOSE,		/* ) ] } */
	JQLEX_OP,		/* . .. ? ?// = == != | |= , : ; + - * / % // < <= > >= and the
				 * update-assignments += -= *= /= %= //= */
	JQLEX_ERROR,		/* not jq: the lexer's "error" says why */
	JQLEX__MAX
};

struct jqlex_token {
	enum jqlex_kind	 kind;
	const char	*p;		/* the token's text [p, p + len), borrowed */
	size_t		 len;
	size_t		 off;		/* offset of the token's first byte in the program */
};

struct jqlex {
	const char	*src;
	const char	*p;		/* next byte to read */
	const char	*end;
	char		 stack[JQLEX_MAX_DEPTH];	/* ( [ { open, '"' a string, 'i' an
						 * interpolation */
	size_t		 depth;
	const char	*error;		/* static text, set with JQLEX_ERROR */
};

/* Prepares "lx" to read the "len" bytes of "program" (borrowed; must outlive "lx"). */
void		 jqlex_init(struct jqlex *lx, const char *program, size_t len);
/* Reads the next token into "t" and returns its kind. After JQLEX_END or JQLEX_ERROR (with
 * lx->error set and t->off at the offending byte) it keeps returning the same. */
enum jqlex_kind	 jqlex_next(struct jqlex *lx, struct jqlex_token *t);
/* The innermost open delimiter: '(', '[', '{', 'i' (an interpolation), or 0 at the top
 * level. Strings are never innermost between tokens outside them. */
char		 jqlex_context(const struct jqlex *lx);

#endif
