/* SPDX-License-Identifier: GPL-2.0 */
/* sigma_int.h - a compiled Sigma rule, shared by the loader, the condition parser and matching. */
#ifndef WHORL_SIGMA_INT_H
#define WHORL_SIGMA_INT_H

#include <stddef.h>
#include <stdint.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "sigma.h"
#include "yamltree.h"

/* How one value is compared with a field. */
enum sigma_value_kind {
	SV_NULL,		/* the field is absent */
	SV_EXISTS,		/* the field is present (want 1) or absent (want 0) */
	SV_EQUAL,
	SV_CONTAINS,
	SV_PREFIX,
	SV_SUFFIX,
	SV_REGEX,		/* |re, and plain values with wildcards (translated, anchored) */
	SV_CIDR,
};

/* Up to three literal alternatives: base64offset's three shifts; one otherwise. */
#define SIGMA_ALTS 3

struct sigma_value {
	uint8_t kind;		/* enum sigma_value_kind */
	uint8_t cased;		/* compare with the field as is, not its lower-case form */
	uint8_t want;		/* SV_EXISTS */
	uint8_t nalt;
	char *s[SIGMA_ALTS];	/* lower-case unless cased */
	size_t len[SIGMA_ALTS];
	pcre2_code *re;
	int family;		/* SV_CIDR: AF_INET or AF_INET6 */
	uint8_t addr[16];
	unsigned int bits;
};

/* One "field|modifiers: values" of a map, or a keyword list (field -1). */
struct sigma_item {
	int field;		/* enum whorl_sigma_field, WHORL_SF_ENV, or -1 for keywords */
	char *env;		/* WHORL_SF_ENV: the variable's name */
	int all;		/* every value must match, not one */
	struct sigma_value *v;
	size_t n;
};

/* A map: every item matches. */
struct sigma_map {
	struct sigma_item *items;
	size_t n;
};

/* A search identifier: one of its maps matches. */
struct sigma_search {
	char *name;
	struct sigma_map *maps;
	size_t n;
};

enum sigma_cond_op {
	SC_REF,			/* search identifier number ref */
	SC_NOT,
	SC_AND,
	SC_OR,
	SC_OF,			/* at least need of refs[]; need == nrefs for "all of" */
};

struct sigma_cond {
	uint8_t op;
	struct sigma_cond *a, *b;
	size_t ref;
	size_t *refs;
	size_t nrefs, need;
};

struct whorl_sigma_rule {
	struct whorl_sigma_meta meta;
	struct sigma_search *s;
	size_t ns;
	struct sigma_cond *cond;
};

/* Bound on a condition's nesting (parentheses, not). */
#define SIGMA_COND_MAX_DEPTH 64
#define SIGMA_COND_ERR_MAX 256

/*
 * sigma_cond_parse - compile condition @text against the rule's search identifiers.
 * Return: the tree, or NULL with @err set (a reason), or NULL with @err empty if out of memory.
 */
struct sigma_cond *sigma_cond_parse(const char *text, const struct sigma_search *s, size_t ns,
				    char err[SIGMA_COND_ERR_MAX]);
void sigma_cond_free(struct sigma_cond *c);

/* Per-event state of matching: the fields' lower-case forms, per-search results. */
struct whorl_sigma_scratch;

struct whorl_sigma_scratch *sigma_scratch_new(void);
void sigma_scratch_free(struct whorl_sigma_scratch *sc);
/* Prepare @sc for @ev. Return: 0, or -1 out of memory. */
int sigma_scratch_prepare(struct whorl_sigma_scratch *sc, const struct whorl_sigma_event *ev,
			  size_t max_searches);
/* Does @r match the event @sc was prepared for? */
int sigma_rule_matches(struct whorl_sigma_scratch *sc, const struct whorl_sigma_rule *r);

/* Image's last path component, lower-case, in @name/@len; 0 when Image is absent. */
int sigma_scratch_image_name(const struct whorl_sigma_scratch *sc, const char **name,
			     size_t *len);

void sigma_value_free(struct sigma_value *v);

enum sigma_op {
	SIGMA_OP_NONE,
	SIGMA_OP_CONTAINS,
	SIGMA_OP_STARTSWITH,
	SIGMA_OP_ENDSWITH,
};

/* A value's modifiers, parsed (sigma_value.c). */
struct sigma_mods {
	int op;
	int all, re, re_i, re_m, re_s, b64, b64off, cidr, cased, exists;
	int op_before_b64;
};

/* Why a value was refused, and where; or out of memory. */
struct sigma_verr {
	unsigned int line;
	int oom;
	char why[256];
};

/* Parse "mod|mod" (after the field's name). Return: 0, or -1 with @e set. */
int sigma_mods_parse(struct sigma_verr *e, unsigned int line, const char *spec,
		     struct sigma_mods *m);
/* Compile the value node @n under @m into @v. Return: 0, or -1 with @e set. */
int sigma_value_compile(struct sigma_verr *e, const struct whorl_ynode *n,
			const struct sigma_mods *m, struct sigma_value *v);

/* The file-name index (sigma_index.c): which rules an event's executable can match. */
struct whorl_sigma_index;

/* Return: the index of @rules, or NULL out of memory. */
struct whorl_sigma_index *sigma_index_build(struct whorl_sigma_rule *const *rules, size_t n);
void sigma_index_free(struct whorl_sigma_index *ix);
/* Mark the rules an executable named @name (lower-case; NULL: no Image) may match. */
uint32_t sigma_index_lookup(struct whorl_sigma_index *ix, const char *name, size_t len);
/* Is rule number @rule to be evaluated, @gen being sigma_index_lookup()'s return? */
int sigma_index_wants(const struct whorl_sigma_index *ix, size_t rule, uint32_t gen);
/* How many rules @ix was built for. */
size_t sigma_index_rules(const struct whorl_sigma_index *ix);

#endif /* WHORL_SIGMA_INT_H */
