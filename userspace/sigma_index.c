// SPDX-License-Identifier: GPL-2.0
/* sigma_index.c - skip the rules an exec cannot match, by the executable's file name. */

#include <stdlib.h>
#include <string.h>

#include "sigma_int.h"

/*
 * Most process_creation rules require the executable to be one of a few programs
 * (Image|endswith: '/nc', Image: '/usr/bin/x'). For each rule the loader works out, from its
 * condition, a set of file names of which Image's last component must be one for the rule to
 * possibly match; rules for which no such set exists (a bare 'not', a selection without an
 * Image constraint, a wildcard...) are always evaluated. An event then evaluates the rules
 * listed under its own file name, plus those. Only a necessary condition is derived, so the
 * index never changes a verdict, it only avoids work.
 */

/* Beyond this many names a rule is simply always evaluated. */
#define NEED_MAX 64

struct need {
	int any;			/* no constraint could be derived */
	const char *name[NEED_MAX];	/* lower-case, not NUL-terminated at len */
	size_t len[NEED_MAX];
	size_t n;
};

struct index_entry {
	const char *name;
	size_t len;
	size_t rule;
};

struct whorl_sigma_index {
	struct index_entry *e;
	size_t n;
	uint8_t *always;		/* per rule: evaluated whatever the file name */
	uint32_t *stamp;		/* per rule: == gen when listed for this event */
	uint32_t gen;
	size_t rules;			/* how many rules the index covers */
};

static void need_any(struct need *n)
{
	n->any = 1;
	n->n = 0;
}

static void need_union(struct need *dst, const struct need *src)
{
	size_t i;

	if (dst->any || src->any || dst->n + src->n > NEED_MAX) {
		need_any(dst);
		return;
	}
	for (i = 0; i < src->n; i++) {
		dst->name[dst->n] = src->name[i];
		dst->len[dst->n++] = src->len[i];
	}
}

/* The file name one value of Image requires, or any. */
static void need_of_value(const struct sigma_value *v, struct need *n)
{
	const char *slash;

	n->n = 0;
	n->any = 0;
	if (v->cased || v->nalt != 1 || (v->kind != SV_SUFFIX && v->kind != SV_EQUAL)) {
		need_any(n);
		return;
	}
	slash = memrchr(v->s[0], '/', v->len[0]);
	if (!slash && v->kind == SV_SUFFIX) {
		need_any(n);	/* endswith 'sh': the name only ends so */
		return;
	}
	n->name[0] = slash ? slash + 1 : v->s[0];
	n->len[0] = v->len[0] - (n->name[0] - v->s[0]);
	n->n = 1;
}

static void need_of_item(const struct sigma_item *it, struct need *n)
{
	struct need one;
	size_t i;

	need_any(n);
	if (it->field != WHORL_SF_IMAGE || !it->n)
		return;
	if (it->all) {
		need_of_value(&it->v[0], n);	/* every value must match: the first will do */
		return;
	}
	n->any = 0;
	for (i = 0; i < it->n && !n->any; i++) {
		need_of_value(&it->v[i], &one);
		need_union(n, &one);
	}
}

static void need_of_search(const struct sigma_search *s, struct need *n)
{
	struct need map, item;
	size_t i, j;

	n->any = 0;
	n->n = 0;
	for (i = 0; i < s->n && !n->any; i++) {
		/* a map needs what any one of its items needs */
		need_any(&map);
		for (j = 0; j < s->maps[i].n && map.any; j++) {
			need_of_item(&s->maps[i].items[j], &item);
			if (!item.any)
				map = item;
		}
		need_union(n, &map);
	}
}

/* What @c needs to hold (under a not nothing is derived: any). */
static void need_of_cond(const struct whorl_sigma_rule *r, const struct sigma_cond *c,
			 struct need *n)
{
	struct need b;
	size_t i;

	switch (c->op) {
	case SC_REF:
		need_of_search(&r->s[c->ref], n);
		return;
	case SC_NOT:
		need_any(n);
		return;
	case SC_AND:
		need_of_cond(r, c->a, n);
		if (n->any)
			need_of_cond(r, c->b, n);
		return;
	case SC_OR:
		need_of_cond(r, c->a, n);
		need_of_cond(r, c->b, &b);
		need_union(n, &b);
		return;
	case SC_OF:
		if (c->need == c->nrefs) {
			/* all of: what any one of them needs */
			need_any(n);
			for (i = 0; i < c->nrefs && n->any; i++)
				need_of_search(&r->s[c->refs[i]], n);
			return;
		}
		n->any = 0;
		n->n = 0;
		for (i = 0; i < c->nrefs && !n->any; i++) {
			need_of_search(&r->s[c->refs[i]], &b);
			need_union(n, &b);
		}
		return;
	}
	need_any(n);
}

static int entry_cmp(const void *a, const void *b)
{
	const struct index_entry *x = a, *y = b;
	size_t len = x->len < y->len ? x->len : y->len;
	int d = memcmp(x->name, y->name, len);

	if (d)
		return d;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

void sigma_index_free(struct whorl_sigma_index *ix)
{
	if (!ix)
		return;
	free(ix->e);
	free(ix->always);
	free(ix->stamp);
	free(ix);
}

struct whorl_sigma_index *sigma_index_build(struct whorl_sigma_rule *const *rules, size_t nrules)
{
	struct whorl_sigma_index *ix = calloc(1, sizeof(*ix));
	struct need *n = malloc(sizeof(*n));
	size_t i, j, cap = 0;
	void *p;

	if (!ix || !n)
		goto fail;
	ix->rules = nrules;
	ix->always = calloc(nrules ? nrules : 1, 1);
	ix->stamp = calloc(nrules ? nrules : 1, sizeof(*ix->stamp));
	if (!ix->always || !ix->stamp)
		goto fail;
	for (i = 0; i < nrules; i++) {
		need_of_cond(rules[i], rules[i]->cond, n);
		if (n->any) {
			ix->always[i] = 1;
			continue;
		}
		if (ix->n + n->n > cap) {
			cap = (ix->n + n->n) * 2;
			p = realloc(ix->e, cap * sizeof(*ix->e));
			if (!p)
				goto fail;
			ix->e = p;
		}
		for (j = 0; j < n->n; j++)
			ix->e[ix->n++] = (struct index_entry){ n->name[j], n->len[j], i };
	}
	if (ix->n)
		qsort(ix->e, ix->n, sizeof(*ix->e), entry_cmp);
	free(n);
	return ix;
fail:
	free(n);
	sigma_index_free(ix);
	return NULL;
}

/* Mark the rules listed under @name (lower-case); Return: the stamp marked ones carry. */
uint32_t sigma_index_lookup(struct whorl_sigma_index *ix, const char *name, size_t len)
{
	struct index_entry key = { name, len, 0 };
	size_t lo = 0, hi = ix->n, mid;

	if (++ix->gen == 0) {
		memset(ix->stamp, 0, ix->rules * sizeof(*ix->stamp));
		ix->gen = 1;
	}
	if (!name)
		return ix->gen;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (entry_cmp(&ix->e[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ix->n && ix->e[lo].len == len && !memcmp(ix->e[lo].name, name, len); lo++)
		ix->stamp[ix->e[lo].rule] = ix->gen;
	return ix->gen;
}

int sigma_index_wants(const struct whorl_sigma_index *ix, size_t rule, uint32_t gen)
{
	return ix->always[rule] || ix->stamp[rule] == gen;
}

size_t sigma_index_rules(const struct whorl_sigma_index *ix)
{
	return ix->rules;
}
