/* expr.h: jq expressions and {{ … }} templates evaluated against a workflow context.
 * Compiled programs are cached per thread, keyed by their text: jq compiles slowly. */
#ifndef FRAGENT_EXPR_H
#define FRAGENT_EXPR_H

#include <stddef.h>

#include <json-c/json.h>

#define EXPR_MAX_PROGRAM 4096
#define EXPR_MAX_RESULT	(8 << 20)	/* bytes of one result as JSON */

/* Limits: a program is at most EXPR_MAX_PROGRAM bytes and may not use user definitions
 * ("def"), the unbounded generators (recurse with arguments, while, until, repeat, range,
 * combinations) nor what reads the environment, files or stdin (env, $ENV, input, inputs,
 * import, include, debug, halt…): libjq 1.6 cannot be interrupted, so every program must
 * finish in time proportional to its input. A result is at most EXPR_MAX_RESULT bytes.
 * ".." (recurse over the finite input) stays allowed. */

/* Compiles "program" (or finds it in the cache). Returns 0, or -1 with jq's message in "err". */
int	expr_check(const char *program, char *err, size_t errlen);
/* Runs "program" on "input" (NULL is JSON null) and gives its first result as a new reference
 * in "out" (NULL for null or no result). Returns 0, or -1 with a message in "err". */
int	expr_eval(const char *program, json_object *input, json_object **out,
	    char *err, size_t errlen);
/* Checks every {{ … }} of "tmpl" is closed and compiles. Returns 0, or -1 with a message. */
int	expr_template_check(const char *tmpl, char *err, size_t errlen);
/* Measures the {{ … }} expressions of "tmpl" without compiling them: adds their number to
 * "*count" and their bytes (trimmed) to "*bytes", and raises "*longest" to the longest.
 * Returns 0, or -1 when a tag is unclosed (what expr_template_check reports). */
int	expr_template_measure(const char *tmpl, size_t *count, size_t *bytes, size_t *longest);
/* Renders "tmpl" against "ctx". A template that is exactly one "{{ expr }}" yields that
 * expression's value unchanged (a number stays a number); otherwise the result is a string in
 * which strings are inserted as they are, null as nothing and other values as compact JSON.
 * Returns 0 with a new reference in "out", or -1 with a message in "err". */
int	expr_render(const char *tmpl, json_object *ctx, json_object **out,
	    char *err, size_t errlen);
/* Sets how many compiled programs a thread keeps (default 1024, about 15 KB each); when full,
 * the cache starts over. */
void	expr_cache_set_limit(size_t n);
/* Frees the calling thread's compiled programs. */
void	expr_cache_clear(void);

#endif
