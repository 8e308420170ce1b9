/* expr.h: jq expressions and {{ … }} templates: a compile-free syntax check with the rules
 * that keep a program inside its document, compiling (cached per thread, keyed by the
 * program's text: jq compiles slowly), and evaluation. Evaluation runs author code: only the
 * sandbox helper (jobd/sandbox/) calls it; the API and jobd only check. */
#ifndef FRAGENT_EXPR_H
#define FRAGENT_EXPR_H

#include <stddef.h>

#include <jv.h>

#define EXPR_MAX_PROGRAM 4096
#define EXPR_MAX_RESULT	(8 << 20)	/* bytes of one result as JSON */

/* What a program may not use, refused on its tokens (jqlex.h), never on words of strings,
 * comments, fields (.env) or object keys ({env: 1}):
 * - what reads outside the document: $ENV, env, input, inputs, input_filename,
 *   input_line_number, $__loc__, get_search_list, get_jq_origin, get_prog_origin,
 *   modulemeta, and modules (import, include, module, name::name, $name::name);
 * - what writes or stops: debug, stderr, halt, halt_error;
 * - jq's internals: names starting with "_" and variables starting with "$__".
 * Loops (def, while, until, repeat, range, recurse, limit…) are allowed: the sandbox bounds
 * every evaluation in time and memory. */

/* How deeply a check goes: EXPR_SYNTAX checks tokens, balance and the rules above without
 * compiling (what jobd and the fuzz harnesses use); EXPR_COMPILE also compiles (the API). */
enum expr_mode {
	EXPR_SYNTAX,
	EXPR_COMPILE,
	EXPR_MODE__MAX
};

/* Checks "program" without compiling it: at most EXPR_MAX_PROGRAM bytes, jq's lexical syntax
 * with every string and bracket closed, and the rules above. Returns 0, or -1 with a
 * message (naming the offset) in "err". */
int	expr_syntax_check(const char *program, char *err, size_t errlen);
/* expr_syntax_check, then (EXPR_COMPILE) compiles "program" or finds it in the cache.
 * Returns 0, or -1 with a message in "err". */
int	expr_check(const char *program, enum expr_mode mode, char *err, size_t errlen);
/* Checks that every {{ … }} of "tmpl" is closed and its expression passes expr_check in
 * "mode". Returns 0, or -1 with a message. */
int	expr_template_check(const char *tmpl, enum expr_mode mode, char *err, size_t errlen);
/* Measures the {{ … }} expressions of "tmpl" without checking them: adds their number to
 * "*count" and their bytes (trimmed) to "*bytes", and raises "*longest" to the longest.
 * Returns 0, or -1 when a tag is unclosed (what expr_template_check reports). */
int	expr_template_measure(const char *tmpl, size_t *count, size_t *bytes, size_t *longest);
/* Finds the next "{{ … }}" in "s". Returns 1 with the bounds of the whole tag in [*tb, *te)
 * and of the trimmed expression in [*eb, *ee), 0 when there is none, -1 when unclosed. */
int	expr_template_next(const char *s, const char **tb, const char **te, const char **eb,
	    const char **ee);
/* Calls "fn" with each {{ … }} expression of "tmpl" (trimmed; not NUL-terminated, "len"
 * bytes). Returns 0, or -1 when a tag is unclosed or "fn" returned -1. */
int	expr_template_each(const char *tmpl, int (*fn)(void *arg, const char *expr, size_t len),
	    void *arg);

/* One program of a batch to check: its text (borrowed, NUL-terminated), a tag of the
 * caller's (e.g. where it came from), and what expr_check_batch found. */
struct expr_item {
	const char	*program;
	size_t		 tag;
	int		 rc;		/* 0: compiles; -1: does not (err); -2: not checked */
	char		 err[256];
};
/* Checks that each of the "n" items compiles, with few compiles (each costs ≈ 15 ms in
 * libjq 1.6, whatever the program): every item gets expr_syntax_check, then those that pass
 * are compiled together as one program "(p1),(p2),…"; a batch that fails is split in halves
 * until each failing item is compiled alone (its message is then its own). At most
 * "max_compiles" compiles: the items still undecided then get rc -2. The items keep their
 * order, whatever was compiled before. Returns the number of compiles made. */
size_t	expr_check_batch(struct expr_item *items, size_t n, size_t max_compiles);
/* Runs "program" (checked and compiled first, or taken from the cache) on "input"
 * (borrowed) and gives its first result in "out" (jv_null() when there is none), which the
 * caller frees with jv_free. Returns 0, or -1 with a message in "err" ("out" is then
 * invalid and needs no freeing). */
int	expr_eval(const char *program, jv input, jv *out, char *err, size_t errlen);
/* Renders "tmpl" against "ctx" (borrowed). A template that is exactly one "{{ expr }}"
 * yields that expression's value unchanged (a number stays a number); otherwise the result
 * is a string, at most EXPR_MAX_RESULT bytes, in which strings are inserted as they are,
 * null as nothing and other values as compact JSON. Returns 0 with the value in "out" (the
 * caller frees it with jv_free), or -1 with a message in "err". */
int	expr_render(const char *tmpl, jv ctx, jv *out, char *err, size_t errlen);
/* Sets how many compiled programs a thread keeps (default 1024, about 15 KB each); when full,
 * the cache starts over. */
void	expr_cache_set_limit(size_t n);
/* Sets what jq calls when an allocation fails (for the states compiled from now on); libjq
 * aborts the process when it returns. */
void	expr_set_nomem_handler(void (*fn)(void *), void *data);
/* Frees the calling thread's compiled programs. */
void	expr_cache_clear(void);

#endif
