/* calculator.c: the calculator tool: a recursive-descent parser and evaluator of arithmetic
 * in double precision. No code is ever evaluated: the grammar only knows numbers, operators,
 * parentheses, two constants and a fixed table of functions.
 *
 *   expr  := term (("+" | "-") term)*
 *   term  := unary (("*" | "/" | "%") unary)*
 *   unary := ("-" | "+") unary | power
 *   power := atom ("^" unary)?            right-associative: 2^3^2 = 2^9; -2^2 = -4
 *   atom  := number | "(" expr ")" | name | name "(" expr ("," expr)* ")"
 */
#include "config.h"

#include "tools.h"

TOOL_DEF(calculator,
	.title = "Calculator",
	.description = "Evaluates an arithmetic expression (+ - * / % ^, parentheses, "
	    "decimals, pi, e and sqrt abs min max round floor ceil ln log10 exp) in double "
	    "precision and returns {result}.",
	.input_schema =
	    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"expression\"],"
	    "\"properties\":{\"expression\":{\"type\":\"string\",\"minLength\":1,"
	    "\"maxLength\":1024,\"pattern\":\"^[-+*/%^().,0-9A-Za-z ]+$\","
	    "\"title\":\"Expression\",\"examples\":[\"(2 + 3) * 4.5\"]}}}");

#ifdef JOBD_BUILD
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonh.h"
#include "nitems.h"
#include "tool.h"

#define CALC_MAX_LEN	1024
#define CALC_MAX_DEPTH	64
#define CALC_MAX_ARGS	16

struct calc {
	const char	*s;
	size_t		 pos;
	int		 depth;
	char		*err;
	size_t		 errlen;
};

static int	calc_expr(struct calc *c, double *v);
static int	calc_unary(struct calc *c, double *v);

static int
calc_fail(struct calc *c, const char *what)
{
	snprintf(c->err, c->errlen, "%s at position %zu", what, c->pos + 1);
	return -1;
}

static void
calc_space(struct calc *c)
{
	while (c->s[c->pos] == ' ' || c->s[c->pos] == '\t')
		c->pos++;
}

/* Consumes "ch" when it comes next. */
static int
calc_eat(struct calc *c, char ch)
{
	calc_space(c);
	if (c->s[c->pos] != ch)
		return 0;
	c->pos++;
	return 1;
}

static double	f_min(const double *a, int n) { double m = a[0]; for (int i = 1; i < n; i++) if (a[i] < m) m = a[i]; return m; }
static double	f_max(const double *a, int n) { double m = a[0]; for (int i = 1; i < n; i++) if (a[i] > m) m = a[i]; return m; }
static double	f_sqrt(const double *a, int n) { (void)n; return sqrt(a[0]); }
static double	f_abs(const double *a, int n) { (void)n; return fabs(a[0]); }
static double	f_round(const double *a, int n) { (void)n; return round(a[0]); }
static double	f_floor(const double *a, int n) { (void)n; return floor(a[0]); }
static double	f_ceil(const double *a, int n) { (void)n; return ceil(a[0]); }
static double	f_ln(const double *a, int n) { (void)n; return log(a[0]); }
static double	f_log10(const double *a, int n) { (void)n; return log10(a[0]); }
static double	f_exp(const double *a, int n) { (void)n; return exp(a[0]); }

static const struct calc_fn {
	const char	*name;
	int		 min_args, max_args;
	double		(*fn)(const double *, int);
} calc_fns[] = {
	{ "sqrt", 1, 1, f_sqrt }, { "abs", 1, 1, f_abs }, { "round", 1, 1, f_round },
	{ "floor", 1, 1, f_floor }, { "ceil", 1, 1, f_ceil }, { "ln", 1, 1, f_ln },
	{ "log10", 1, 1, f_log10 }, { "exp", 1, 1, f_exp },
	{ "min", 1, CALC_MAX_ARGS, f_min }, { "max", 1, CALC_MAX_ARGS, f_max },
};

/* A function call "name(args…)"; the name was consumed, "(" comes next. */
static int
calc_call(struct calc *c, const char *name, size_t nlen, double *v)
{
	const struct calc_fn	*f = NULL;
	double			 args[CALC_MAX_ARGS];
	size_t			 i;
	int			 n = 0;

	for (i = 0; i < NITEMS(calc_fns); i++)
		if (strlen(calc_fns[i].name) == nlen && memcmp(calc_fns[i].name, name, nlen) == 0)
			f = &calc_fns[i];
	if (f == NULL)
		return calc_fail(c, "unknown function");
	calc_eat(c, '(');
	do {
		if (n == CALC_MAX_ARGS)
			return calc_fail(c, "too many arguments");
		if (calc_expr(c, &args[n++]) == -1)
			return -1;
	} while (calc_eat(c, ','));
	if (!calc_eat(c, ')'))
		return calc_fail(c, "expected \")\"");
	if (n < f->min_args || n > f->max_args) {
		snprintf(c->err, c->errlen, "%s takes %d argument%s", f->name, f->min_args,
		    f->min_args == 1 ? "" : "s");
		return -1;
	}
	*v = f->fn(args, n);
	return 0;
}

/* A number: digits with an optional fraction and exponent. */
static int
calc_number(struct calc *c, double *v)
{
	const char	*p = c->s + c->pos;
	char		*end;

	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		return calc_fail(c, "expected a number");
	/* strtod would also take hex, inf and nan: check the shape first. */
	end = (char *)p;
	while (isdigit((unsigned char)*end))
		end++;
	if (*end == '.')
		for (end++; isdigit((unsigned char)*end); end++)
			;
	if ((*end == 'e' || *end == 'E') && (isdigit((unsigned char)end[1]) ||
	    ((end[1] == '+' || end[1] == '-') && isdigit((unsigned char)end[2]))))
		for (end += 2; isdigit((unsigned char)*end); end++)
			;
	{
		char	 tmp[CALC_MAX_LEN + 1];
		size_t	 n = (size_t)(end - p);

		memcpy(tmp, p, n);
		tmp[n] = '\0';
		*v = strtod(tmp, NULL);
	}
	c->pos += (size_t)(end - p);
	return 0;
}

static int
calc_atom(struct calc *c, double *v)
{
	const char	*p;
	size_t		 n;

	calc_space(c);
	p = c->s + c->pos;
	if (calc_eat(c, '(')) {
		if (calc_expr(c, v) == -1)
			return -1;
		return calc_eat(c, ')') ? 0 : calc_fail(c, "expected \")\"");
	}
	if (isalpha((unsigned char)*p)) {
		for (n = 0; isalnum((unsigned char)p[n]); n++)
			;
		c->pos += n;
		calc_space(c);
		if (c->s[c->pos] == '(')
			return calc_call(c, p, n, v);
		if (n == 2 && memcmp(p, "pi", 2) == 0)
			*v = M_PI;
		else if (n == 1 && *p == 'e')
			*v = M_E;
		else {
			c->pos -= n;
			return calc_fail(c, "unknown name");
		}
		return 0;
	}
	return calc_number(c, v);
}

static int
calc_power(struct calc *c, double *v)
{
	double	 rhs;

	if (calc_atom(c, v) == -1)
		return -1;
	if (!calc_eat(c, '^'))
		return 0;
	if (calc_unary(c, &rhs) == -1)
		return -1;
	*v = pow(*v, rhs);
	return 0;
}

static int
calc_unary(struct calc *c, double *v)
{
	int	 rc;

	if (++c->depth > CALC_MAX_DEPTH)
		return calc_fail(c, "expression nested too deeply");
	if (calc_eat(c, '-')) {
		rc = calc_unary(c, v);
		*v = -*v;
	} else if (calc_eat(c, '+'))
		rc = calc_unary(c, v);
	else
		rc = calc_power(c, v);
	c->depth--;
	return rc;
}

static int
calc_term(struct calc *c, double *v)
{
	double	 rhs;
	char	 op;

	if (calc_unary(c, v) == -1)
		return -1;
	for (;;) {
		calc_space(c);
		op = c->s[c->pos];
		if (op != '*' && op != '/' && op != '%')
			return 0;
		c->pos++;
		if (calc_unary(c, &rhs) == -1)
			return -1;
		if (op != '*' && rhs == 0.0)
			return calc_fail(c, op == '/' ? "division by zero" : "modulo by zero");
		*v = op == '*' ? *v * rhs : op == '/' ? *v / rhs : fmod(*v, rhs);
	}
}

static int
calc_expr(struct calc *c, double *v)
{
	double	 rhs;
	char	 op;

	if (++c->depth > CALC_MAX_DEPTH)
		return calc_fail(c, "expression nested too deeply");
	if (calc_term(c, v) == -1)
		return -1;
	for (;;) {
		calc_space(c);
		op = c->s[c->pos];
		if (op != '+' && op != '-')
			break;
		c->pos++;
		if (calc_term(c, &rhs) == -1)
			return -1;
		*v = op == '+' ? *v + rhs : *v - rhs;
	}
	c->depth--;
	return 0;
}

int
calc_eval(const char *expr, double *out, char *err, size_t errlen)
{
	struct calc	 c = { expr, 0, 0, err, errlen };
	size_t		 len = strlen(expr);

	if (len == 0 || len > CALC_MAX_LEN) {
		snprintf(err, errlen, "the expression must be 1 to %d characters", CALC_MAX_LEN);
		return -1;
	}
	if (calc_expr(&c, out) == -1)
		return -1;
	calc_space(&c);
	if (c.s[c.pos] != '\0')
		return calc_fail(&c, "unexpected character");
	if (isnan(*out)) {
		snprintf(err, errlen, "the result is not a number (e.g. sqrt of a negative)");
		return -1;
	}
	if (isinf(*out)) {
		snprintf(err, errlen, "the result is too large");
		return -1;
	}
	return 0;
}

static enum tool_rc
calculator_run(struct tool_call *t, json_object **result, char *err, size_t errlen)
{
	const char	*e = jsonh_get_string(t->args, "expression");
	json_object	*o;
	double		 v;

	if (e == NULL) {
		snprintf(err, errlen, "\"expression\" (a string) is required");
		return TOOL_ERROR;
	}
	if (calc_eval(e, &v, err, errlen) == -1)
		return TOOL_ERROR;
	o = jsonh_new_object();
	/* Integral results print as integers (2 rather than 2.0). */
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		json_object_object_add(o, "result", jsonh_new_int64((int64_t)v));
	else
		json_object_object_add(o, "result", jsonh_new_double(v));
	*result = o;
	return TOOL_OK;
}

TOOL_IMPL(calculator, calculator_run, NULL);
#endif
