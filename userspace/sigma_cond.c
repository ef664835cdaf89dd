// SPDX-License-Identifier: GPL-2.0
/* sigma_cond.c - Sigma's condition grammar: and, or, not, parentheses, N/all of PATTERN|them. */

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigma_int.h"

/*
 * Grammar, least binding first (the specification's precedence):
 *   or   := and ("or" and)*
 *   and  := not ("and" not)*
 *   not  := "not" not | prim
 *   prim := "(" or ")" | ("all" | N) "of" (PATTERN | "them") | IDENTIFIER
 * PATTERN is a search identifier with * wildcards; "them" is every identifier not starting
 * with an underscore.
 */

struct cparse {
	const char *p;
	const struct sigma_search *s;
	size_t ns;
	int depth;
	char *err;
	int failed;
	/* the current token */
	const char *tok;
	size_t len;
};

static struct sigma_cond *fail(struct cparse *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->failed) {
		va_start(ap, fmt);
		vsnprintf(c->err, SIGMA_COND_ERR_MAX, fmt, ap);
		va_end(ap);
		c->failed = 1;
	}
	return NULL;
}

static struct sigma_cond *oom(struct cparse *c)
{
	c->err[0] = '\0';
	c->failed = 1;
	return NULL;
}

/* Move to the next token: "(", ")", "|" or a run of anything else but blanks. */
static void next(struct cparse *c)
{
	const char *p = c->p;

	while (*p && isspace((unsigned char)*p))
		p++;
	c->tok = p;
	if (!*p) {
		c->len = 0;
	} else if (*p == '(' || *p == ')' || *p == '|') {
		c->len = 1;
	} else {
		while (*p && !isspace((unsigned char)*p) && *p != '(' && *p != ')' && *p != '|')
			p++;
		c->len = p - c->tok;
	}
	c->p = c->tok + (c->len ? c->len : 0);
}

static int is(const struct cparse *c, const char *word)
{
	return c->len == strlen(word) && !memcmp(c->tok, word, c->len);
}

/* Does @name match @pat, whose '*' stands for any run of characters? */
static int star_match(const char *pat, size_t plen, const char *name)
{
	const char *star_p = NULL, *star_n = NULL, *end = pat + plen;

	while (*name) {
		if (pat < end && *pat == '*') {
			star_p = ++pat;
			star_n = name;
		} else if (pat < end && *pat == *name) {
			pat++;
			name++;
		} else if (star_p) {
			pat = star_p;
			name = ++star_n;
		} else {
			return 0;
		}
	}
	while (pat < end && *pat == '*')
		pat++;
	return pat == end;
}

static struct sigma_cond *node(struct cparse *c, int op)
{
	struct sigma_cond *n = calloc(1, sizeof(*n));

	if (!n)
		return oom(c);
	n->op = op;
	return n;
}

static struct sigma_cond *parse_or(struct cparse *c);

static struct sigma_cond *parse_of(struct cparse *c)
{
	struct sigma_cond *n;
	size_t need = 0, i;
	int all = is(c, "all"), them;
	char *end;

	if (!all) {
		need = strtoul(c->tok, &end, 10);
		if (end != c->tok + c->len || !need)
			return fail(c, "'%.*s of' needs 'all' or a number from 1", (int)c->len,
				    c->tok);
	}
	next(c);
	if (!is(c, "of"))
		return fail(c, "expected 'of' after '%s'", all ? "all" : "a number");
	next(c);
	if (!c->len || is(c, "(") || is(c, ")") || is(c, "|"))
		return fail(c, "'of' needs a search identifier pattern or 'them'");
	them = is(c, "them");
	n = node(c, SC_OF);
	if (!n)
		return NULL;
	n->refs = calloc(c->ns ? c->ns : 1, sizeof(*n->refs));
	if (!n->refs) {
		free(n);
		return oom(c);
	}
	for (i = 0; i < c->ns; i++) {
		if (them ? c->s[i].name[0] != '_' : star_match(c->tok, c->len, c->s[i].name))
			n->refs[n->nrefs++] = i;
	}
	if (!n->nrefs) {
		sigma_cond_free(n);
		return fail(c, "'%.*s' names no search identifier", (int)c->len, c->tok);
	}
	if (need > n->nrefs) {
		i = n->nrefs;
		sigma_cond_free(n);
		return fail(c, "'%zu of %.*s' but it names %zu", need, (int)c->len, c->tok, i);
	}
	n->need = all ? n->nrefs : need;
	next(c);
	return n;
}

static struct sigma_cond *parse_prim(struct cparse *c)
{
	struct sigma_cond *n;
	size_t i;

	if (!c->len)
		return fail(c, "condition ends where a search identifier was expected");
	if (is(c, "(")) {
		next(c);
		n = parse_or(c);
		if (!n)
			return NULL;
		if (!is(c, ")")) {
			sigma_cond_free(n);
			return fail(c, "missing ')'");
		}
		next(c);
		return n;
	}
	if (is(c, "|"))
		return fail(c, "aggregations ('| count() ...') are not supported");
	if (is(c, ")") || is(c, "and") || is(c, "or") || is(c, "of") || is(c, "them"))
		return fail(c, "unexpected '%.*s'", (int)c->len, c->tok);
	if (is(c, "all") || isdigit((unsigned char)c->tok[0]))
		return parse_of(c);
	for (i = 0; i < c->ns; i++) {
		if (strlen(c->s[i].name) == c->len && !memcmp(c->s[i].name, c->tok, c->len))
			break;
	}
	if (i == c->ns)
		return fail(c, "condition names '%.*s', which the detection does not define",
			    (int)c->len, c->tok);
	n = node(c, SC_REF);
	if (!n)
		return NULL;
	n->ref = i;
	next(c);
	return n;
}

static struct sigma_cond *parse_not(struct cparse *c)
{
	struct sigma_cond *n, *a;

	if (!is(c, "not"))
		return parse_prim(c);
	if (++c->depth > SIGMA_COND_MAX_DEPTH)
		return fail(c, "condition nested deeper than %d", SIGMA_COND_MAX_DEPTH);
	next(c);
	a = parse_not(c);
	c->depth--;
	if (!a)
		return NULL;
	n = node(c, SC_NOT);
	if (!n) {
		sigma_cond_free(a);
		return NULL;
	}
	n->a = a;
	return n;
}

static struct sigma_cond *parse_binary(struct cparse *c, int op)
{
	struct sigma_cond *left, *right, *n;
	const char *word = op == SC_OR ? "or" : "and";

	if (++c->depth > SIGMA_COND_MAX_DEPTH)
		return fail(c, "condition nested deeper than %d", SIGMA_COND_MAX_DEPTH);
	left = op == SC_OR ? parse_binary(c, SC_AND) : parse_not(c);
	while (left && is(c, word)) {
		next(c);
		right = op == SC_OR ? parse_binary(c, SC_AND) : parse_not(c);
		if (!right) {
			sigma_cond_free(left);
			left = NULL;
			break;
		}
		n = node(c, op);
		if (!n) {
			sigma_cond_free(left);
			sigma_cond_free(right);
			left = NULL;
			break;
		}
		n->a = left;
		n->b = right;
		left = n;
	}
	c->depth--;
	return left;
}

static struct sigma_cond *parse_or(struct cparse *c)
{
	return parse_binary(c, SC_OR);
}

struct sigma_cond *sigma_cond_parse(const char *text, const struct sigma_search *s, size_t ns,
				    char err[SIGMA_COND_ERR_MAX])
{
	struct cparse c = { .p = text, .s = s, .ns = ns, .err = err };
	struct sigma_cond *n;

	err[0] = '\0';
	next(&c);
	n = parse_or(&c);
	if (n && c.len) {
		sigma_cond_free(n);
		if (is(&c, "|"))
			return fail(&c, "aggregations ('| count() ...') are not supported");
		return fail(&c, "unexpected '%.*s' in condition", (int)c.len, c.tok);
	}
	return n;
}

void sigma_cond_free(struct sigma_cond *c)
{
	if (!c)
		return;
	sigma_cond_free(c->a);
	sigma_cond_free(c->b);
	free(c->refs);
	free(c);
}
