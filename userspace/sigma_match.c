// SPDX-License-Identifier: GPL-2.0
/* sigma_match.c - matching compiled Sigma rules against one exec event, fast. */

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "sigma_int.h"

/* A backtracking regular expression gives up (no match) past this many steps. */
#define SIGMA_RE_MATCH_LIMIT 100000

/* Keywords (field-less values) are looked for in these fields. */
static const int keyword_fields[] = {
	WHORL_SF_IMAGE, WHORL_SF_COMMAND_LINE, WHORL_SF_PARENT_IMAGE,
	WHORL_SF_PARENT_COMMAND_LINE, WHORL_SF_USER, WHORL_SF_CURRENT_DIRECTORY,
};

struct field_view {
	const char *s;			/* NULL: absent */
	const char *low;
	size_t len;
};

struct whorl_sigma_scratch {
	const struct whorl_sigma_event *ev;
	struct field_view f[WHORL_SF_COUNT];
	struct field_view *env;
	size_t env_cap;
	char *buf;			/* the lower-case forms */
	size_t buf_cap;
	uint8_t *search;		/* per search of the current rule: 0 unknown, 1 no, 2 yes */
	size_t search_cap;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
};

struct whorl_sigma_scratch *sigma_scratch_new(void)
{
	struct whorl_sigma_scratch *sc = calloc(1, sizeof(*sc));

	if (!sc)
		return NULL;
	sc->md = pcre2_match_data_create(1, NULL);
	sc->mctx = pcre2_match_context_create(NULL);
	if (!sc->md || !sc->mctx) {
		sigma_scratch_free(sc);
		return NULL;
	}
	pcre2_set_match_limit(sc->mctx, SIGMA_RE_MATCH_LIMIT);
	pcre2_set_depth_limit(sc->mctx, SIGMA_RE_MATCH_LIMIT);
	return sc;
}

void sigma_scratch_free(struct whorl_sigma_scratch *sc)
{
	if (!sc)
		return;
	pcre2_match_data_free(sc->md);
	pcre2_match_context_free(sc->mctx);
	free(sc->env);
	free(sc->buf);
	free(sc->search);
	free(sc);
}

static int reserve(void **p, size_t *cap, size_t want, size_t elem)
{
	void *q;
	size_t n;

	if (want <= *cap)
		return 0;
	n = *cap ? *cap : 64;
	while (n < want)
		n *= 2;
	q = realloc(*p, n * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* ASCII case folding: what Sigma's case-insensitive comparison means here (docs/SIGMA.md). */
static void lower_into(char *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char ch = src[i];

		dst[i] = ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch;
	}
	dst[len] = '\0';
}

int sigma_scratch_prepare(struct whorl_sigma_scratch *sc, const struct whorl_sigma_event *ev,
			  size_t max_searches)
{
	size_t i, total = 0, off = 0;

	sc->ev = ev;
	if (reserve((void **)&sc->search, &sc->search_cap, max_searches ? max_searches : 1, 1) ||
	    reserve((void **)&sc->env, &sc->env_cap, ev->nenv ? ev->nenv : 1, sizeof(*sc->env)))
		return -1;
	for (i = 0; i < WHORL_SF_COUNT; i++) {
		sc->f[i].s = ev->field[i];
		sc->f[i].len = ev->field[i] ? strlen(ev->field[i]) : 0;
		total += sc->f[i].len + 1;
	}
	for (i = 0; i < ev->nenv; i++) {
		sc->env[i].s = ev->env[i].value;
		sc->env[i].len = ev->env[i].value ? strlen(ev->env[i].value) : 0;
		total += sc->env[i].len + 1;
	}
	if (reserve((void **)&sc->buf, &sc->buf_cap, total, 1))
		return -1;
	for (i = 0; i < WHORL_SF_COUNT; i++) {
		if (!sc->f[i].s)
			continue;
		lower_into(sc->buf + off, sc->f[i].s, sc->f[i].len);
		sc->f[i].low = sc->buf + off;
		off += sc->f[i].len + 1;
	}
	for (i = 0; i < ev->nenv; i++) {
		if (!sc->env[i].s)
			continue;
		lower_into(sc->buf + off, sc->env[i].s, sc->env[i].len);
		sc->env[i].low = sc->buf + off;
		off += sc->env[i].len + 1;
	}
	return 0;
}

int sigma_scratch_image_name(const struct whorl_sigma_scratch *sc, const char **name,
			     size_t *len)
{
	const struct field_view *f = &sc->f[WHORL_SF_IMAGE];
	const char *slash;

	if (!f->s)
		return 0;
	slash = memrchr(f->low, '/', f->len);
	*name = slash ? slash + 1 : f->low;
	*len = f->len - (*name - f->low);
	return 1;
}

static int cidr_match(const struct sigma_value *v, const char *s)
{
	uint8_t addr[16];
	unsigned int full, rest;

	if (inet_pton(v->family, s, addr) != 1)
		return 0;
	full = v->bits / 8;
	rest = v->bits % 8;
	if (memcmp(addr, v->addr, full))
		return 0;
	return !rest || !((addr[full] ^ v->addr[full]) & (0xff << (8 - rest)));
}

/*
 * Does @s hold @lit (1 <= @llen <= @len)? Command lines and paths are short, where glibc's
 * memmem spends most of its time building its shift table: there, each place the literal's
 * first byte occurs is compared (at most WHORL_CONTAINS_SHORT of them, whatever the input).
 * Longer ones go to memmem, linear in the length.
 */
#define WHORL_CONTAINS_SHORT 256
static int contains(const char *s, size_t len, const char *lit, size_t llen)
{
	const char *p = s, *last = s + (len - llen);

	if (len > WHORL_CONTAINS_SHORT)
		return memmem(s, len, lit, llen) != NULL;
	while (p <= last && (p = memchr(p, lit[0], last - p + 1))) {
		if (!memcmp(p + 1, lit + 1, llen - 1))
			return 1;
		p++;
	}
	return 0;
}

static int literal_match(int kind, const char *s, size_t len, const char *lit, size_t llen)
{
	/* most values differ in their last (suffix) or first byte: test it before calling memcmp */
	switch (kind) {
	case SV_EQUAL:
		return len == llen && (!len || s[len - 1] == lit[len - 1]) && !memcmp(s, lit, len);
	case SV_PREFIX:
		return len >= llen && (!llen || s[0] == lit[0]) && !memcmp(s, lit, llen);
	case SV_SUFFIX:
		return len >= llen && (!llen || s[len - 1] == lit[llen - 1]) &&
		       !memcmp(s + len - llen, lit, llen);
	case SV_CONTAINS:
		return llen == 0 || (len >= llen && contains(s, len, lit, llen));
	}
	return 0;
}

static int value_match(struct whorl_sigma_scratch *sc, const struct sigma_value *v,
		       const struct field_view *f)
{
	const char *s;
	unsigned int i;

	if (!f->s)
		return v->kind == SV_NULL || (v->kind == SV_EXISTS && !v->want);
	s = v->cased ? f->s : f->low;
	switch (v->kind) {
	case SV_NULL:
		return 0;
	case SV_EXISTS:
		return v->want;
	case SV_REGEX:
		return pcre2_match(v->re, (PCRE2_SPTR)s, f->len, 0, 0, sc->md, sc->mctx) >= 0;
	case SV_CIDR:
		return cidr_match(v, f->s);
	default:
		for (i = 0; i < v->nalt; i++)
			if (literal_match(v->kind, s, f->len, v->s[i], v->len[i]))
				return 1;
		return 0;
	}
}

static const struct field_view *env_view(struct whorl_sigma_scratch *sc, const char *name)
{
	static const struct field_view absent;
	size_t i;

	for (i = 0; i < sc->ev->nenv; i++)
		if (sc->ev->env[i].name && !strcmp(sc->ev->env[i].name, name))
			return &sc->env[i];
	return &absent;
}

static int keyword_match(struct whorl_sigma_scratch *sc, const struct sigma_value *v)
{
	size_t i;

	for (i = 0; i < sizeof(keyword_fields) / sizeof(keyword_fields[0]); i++)
		if (sc->f[keyword_fields[i]].s && value_match(sc, v, &sc->f[keyword_fields[i]]))
			return 1;
	return 0;
}

static int item_match(struct whorl_sigma_scratch *sc, const struct sigma_item *it)
{
	const struct field_view *f = NULL;
	size_t i;
	int m;

	if (it->field == WHORL_SF_ENV)
		f = env_view(sc, it->env);
	else if (it->field >= 0)
		f = &sc->f[it->field];
	for (i = 0; i < it->n; i++) {
		m = f ? value_match(sc, &it->v[i], f) : keyword_match(sc, &it->v[i]);
		if (m != it->all)
			return m;
	}
	return it->all;
}

static int search_match(struct whorl_sigma_scratch *sc, const struct sigma_search *s)
{
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		for (j = 0; j < s->maps[i].n; j++)
			if (!item_match(sc, &s->maps[i].items[j]))
				break;
		if (j == s->maps[i].n)
			return 1;
	}
	return 0;
}

static int search_cached(struct whorl_sigma_scratch *sc, const struct whorl_sigma_rule *r,
			 size_t k)
{
	if (!sc->search[k])
		sc->search[k] = search_match(sc, &r->s[k]) ? 2 : 1;
	return sc->search[k] == 2;
}

static int cond_eval(struct whorl_sigma_scratch *sc, const struct whorl_sigma_rule *r,
		     const struct sigma_cond *c)
{
	size_t i, yes = 0;

	switch (c->op) {
	case SC_REF:
		return search_cached(sc, r, c->ref);
	case SC_NOT:
		return !cond_eval(sc, r, c->a);
	case SC_AND:
		return cond_eval(sc, r, c->a) && cond_eval(sc, r, c->b);
	case SC_OR:
		return cond_eval(sc, r, c->a) || cond_eval(sc, r, c->b);
	case SC_OF:
		for (i = 0; i < c->nrefs; i++) {
			if (search_cached(sc, r, c->refs[i]))
				yes++;
			else if (c->need == c->nrefs)
				return 0;	/* all of: one miss decides */
			if (yes >= c->need)
				return 1;
		}
		return 0;
	}
	return 0;
}

int sigma_rule_matches(struct whorl_sigma_scratch *sc, const struct whorl_sigma_rule *r)
{
	memset(sc->search, 0, r->ns);
	return cond_eval(sc, r, r->cond);
}
