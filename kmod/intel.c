// SPDX-License-Identifier: GPL-2.0
/* intel.c - the threat-intelligence set: SHA-256 hashes and basename rules. */

#include <linux/build_bug.h>
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "intel.h"
#include "memo.h"

/*
 * A set is built once, by one builder, then published and never changed:
 * readers need no lock, only RCU to keep it alive.
 *
 * Hashes: a dense array of 36-byte entries sized by the announced capacity,
 * and an open-addressing index of u32 slots (a power of two, at least twice
 * the capacity, so at most half full and every probe ends at an empty slot).
 * A slot holds an entry number + 1; 0 is empty. The digest is uniform
 * already; its first eight bytes are mixed once more by hash_64() so a feed
 * of digests sharing a prefix still spreads. One million hashes take
 * 36 MB of entries plus an 8 MiB index.
 *
 * A digest added twice keeps one entry: the last category and label win, as
 * a later line of a feed corrects an earlier one. The same holds for rules.
 *
 * Labels are stored once each in a label table (entry 0 is the empty label)
 * and referred to by number. Basename rules live in their own small table
 * with the same kind of index, over a jhash of the name.
 *
 * A load may send its labels once, numbered in the order they come, and
 * then its hashes as packed records naming them by that number: the builder
 * maps those numbers to its own (@wire_labels) and skips the per-entry
 * string work.
 */

struct whorl_intel_entry {
	u8 sha256[WHORL_SHA256_LEN];
	u16 label;
	u8 category;
	u8 pad;
};
static_assert(sizeof(struct whorl_intel_entry) == 36);
static_assert(sizeof(struct whorl_intel_hash) == 36);
static_assert(WHORL_INTEL_MAX_LABELS <= U16_MAX);
static_assert(WHORL_NAME_MAX - 1 <= U8_MAX);

struct whorl_intel_rule {
	u32 hash;
	u32 name;	/* offset of the name in the names arena */
	u16 label;
	u8 category;
	u8 len;
};

/**
 * struct whorl_intel_set - one intel set.
 * @capacity: hashes @entries holds, as announced.
 * @count: hashes in @entries.
 * @entries: the hashes.
 * @index: open-addressing index of @entries.
 * @index_mask: slots in @index, less one.
 * @index_bits: log2 of the slots in @index.
 * @labels: the label table; label 0 is the empty one.
 * @nlabels: labels in @labels.
 * @labels_cap: labels @labels holds.
 * @label_index: builder only: label number + 1, by jhash of the label.
 * @label_index_mask: slots in @label_index, less one.
 * @rules: the basename rules.
 * @nrules: rules in @rules.
 * @rules_cap: rules @rules holds.
 * @rule_index: rule number + 1, by jhash of the name.
 * @rule_index_mask: slots in @rule_index, less one.
 * @names: the rules' names, each NUL-terminated.
 * @names_len: bytes used in @names.
 * @names_cap: bytes @names holds.
 * @wire_labels: builder only: the load's label numbers, less one, mapped to
 *	label numbers in @labels.
 * @nwire: labels the load has numbered.
 * @wire_cap: numbers @wire_labels holds.
 * @sealed: published; no more changes.
 */
struct whorl_intel_set {
	u32 capacity;
	u32 count;
	struct whorl_intel_entry *entries;
	u32 *index;
	u32 index_mask;
	unsigned int index_bits;

	char (*labels)[WHORL_LABEL_MAX];
	u32 nlabels, labels_cap;
	u32 *label_index;
	u32 label_index_mask;

	struct whorl_intel_rule *rules;
	u32 nrules, rules_cap;
	u32 *rule_index;
	u32 rule_index_mask;
	char *names;
	u32 names_len, names_cap;

	u16 *wire_labels;
	u32 nwire, wire_cap;

	bool sealed;
};

static struct whorl_intel_set __rcu *whorl_intel_live;
/* Serialises writers of whorl_intel_live. */
static DEFINE_MUTEX(whorl_intel_lock);

/* A set as large as the bound (16M entries, ~830 MiB) must fail, not wake the OOM killer. */
#define WHORL_INTEL_GFP (GFP_KERNEL | __GFP_NOWARN | __GFP_RETRY_MAYFAIL)

/* Grow @*arr of @elem-byte items, @used of @*cap in use, to hold @need. */
static int whorl_grow(void **arr, u32 *cap, u32 used, u32 need, size_t elem,
		      u32 max)
{
	u32 ncap;
	void *n;

	if (need <= *cap)
		return 0;
	if (need > max)
		return -ENOSPC;
	ncap = *cap ? min_t(u64, (u64)*cap * 2, max) : min_t(u32, 16, max);
	ncap = max(ncap, need);
	n = kvmalloc_array(ncap, elem, WHORL_INTEL_GFP);
	if (!n)
		return -ENOMEM;
	if (used)
		memcpy(n, *arr, (size_t)used * elem);
	kvfree(*arr);
	*arr = n;
	*cap = ncap;
	return 0;
}

/* Slots for an index of at most @items: a power of two, at least twice that. */
static u32 whorl_index_slots(u32 items)
{
	return roundup_pow_of_two(2 * max_t(u32, items, 8));
}

static u32 whorl_digest_slot(const struct whorl_intel_set *set,
			     const u8 *sha256)
{
	u64 key;

	memcpy(&key, sha256, sizeof(key));
	return hash_64(key, set->index_bits);
}

/*
 * The entry number of @sha256 in @set, or -1 with @slot at the empty slot
 * where it would go. Any context; the set must not change meanwhile.
 */
static s64 whorl_find_digest(const struct whorl_intel_set *set,
			     const u8 *sha256, u32 *slot)
{
	u32 i, v;

	for (i = whorl_digest_slot(set, sha256);; i = (i + 1) & set->index_mask) {
		v = set->index[i];
		if (!v)
			break;
		if (!memcmp(set->entries[v - 1].sha256, sha256, WHORL_SHA256_LEN))
			return v - 1;
	}
	if (slot)
		*slot = i;
	return -1;
}

/* The rule number of @name (@len bytes, hash @h) in @set, or -1. */
static s64 whorl_find_rule(const struct whorl_intel_set *set, const char *name,
			   u32 len, u32 h)
{
	const struct whorl_intel_rule *r;
	u32 i, v;

	if (!set->rule_index)
		return -1;
	for (i = h & set->rule_index_mask;; i = (i + 1) & set->rule_index_mask) {
		v = set->rule_index[i];
		if (!v)
			break;
		r = &set->rules[v - 1];
		if (r->hash == h && r->len == len &&
		    !memcmp(set->names + r->name, name, len))
			return v - 1;
	}
	return -1;
}

/* Put item number @n (hash @h) in the first empty slot of @idx. */
static void whorl_index_put(u32 *idx, u32 mask, u32 h, u32 n)
{
	u32 i;

	for (i = h & mask; idx[i]; i = (i + 1) & mask)
		;
	idx[i] = n + 1;
}

/*
 * Make @*index (u32 slots of item number + 1) fit one more item: rebuilt
 * for @cap items over the @items there are, when it would pass half full.
 * On failure the old index stays, valid.
 */
static int whorl_index_fit(u32 **index, u32 *mask, u32 cap, u32 items,
			   u32 (*hash_of)(const struct whorl_intel_set *, u32),
			   const struct whorl_intel_set *set)
{
	u32 slots, n;
	u32 *idx;

	if (*index && 2 * ((u64)items + 1) <= (u64)*mask + 1)
		return 0;
	slots = whorl_index_slots(max(cap, items + 1));
	idx = kvcalloc(slots, sizeof(*idx), WHORL_INTEL_GFP);
	if (!idx)
		return -ENOMEM;
	for (n = 0; n < items; n++)
		whorl_index_put(idx, slots - 1, hash_of(set, n), n);
	kvfree(*index);
	*index = idx;
	*mask = slots - 1;
	return 0;
}

static u32 whorl_label_hash(const struct whorl_intel_set *set, u32 n)
{
	return jhash(set->labels[n], strlen(set->labels[n]), 0);
}

static u32 whorl_rule_hash(const struct whorl_intel_set *set, u32 n)
{
	return set->rules[n].hash;
}

/* The label number of @label (@len bytes, no more than WHORL_LABEL_MAX - 1). */
static int whorl_label_intern(struct whorl_intel_set *set, const char *label,
			      size_t len, u16 *out, struct netlink_ext_ack *extack)
{
	u32 h, i, v;
	int err;

	if (!len) {
		*out = 0;
		return 0;
	}
	h = jhash(label, len, 0);
	for (i = h & set->label_index_mask; (v = set->label_index[i]);
	     i = (i + 1) & set->label_index_mask) {
		if (!strcmp(set->labels[v - 1], label)) {
			*out = v - 1;
			return 0;
		}
	}
	/* Label 0 is the empty one; WHORL_INTEL_MAX_LABELS others fit. */
	err = whorl_grow((void **)&set->labels, &set->labels_cap, set->nlabels,
			 set->nlabels + 1, sizeof(*set->labels),
			 WHORL_INTEL_MAX_LABELS + 1);
	if (err == -ENOSPC)
		NL_SET_ERR_MSG(extack, "too many distinct intel labels");
	if (!err)
		err = whorl_index_fit(&set->label_index, &set->label_index_mask,
				      set->labels_cap, set->nlabels,
				      whorl_label_hash, set);
	if (err)
		return err;
	memcpy(set->labels[set->nlabels], label, len);
	set->labels[set->nlabels][len] = '\0';
	whorl_index_put(set->label_index, set->label_index_mask, h, set->nlabels);
	*out = set->nlabels++;
	return 0;
}

static bool whorl_intel_category_ok(u8 category, struct netlink_ext_ack *extack)
{
	if (category >= WHORL_INTEL_MALICIOUS && category <= WHORL_INTEL_CATEGORY_MAX)
		return true;
	NL_SET_ERR_MSG(extack, "unknown intel category");
	return false;
}

/* Category and label of a new entry; the label's length goes to @len. */
static int whorl_intel_check(const struct whorl_intel_set *set, u8 category,
			     const char *label, size_t *len,
			     struct netlink_ext_ack *extack)
{
	if (WARN_ON_ONCE(!set || set->sealed))
		return -EINVAL;
	if (!whorl_intel_category_ok(category, extack))
		return -EINVAL;
	*len = label ? strnlen(label, WHORL_LABEL_MAX) : 0;
	if (*len >= WHORL_LABEL_MAX) {
		NL_SET_ERR_MSG(extack, "intel label too long");
		return -EINVAL;
	}
	return 0;
}

/**
 * whorl_intel_set_alloc - an empty set for @capacity hashes.
 * @capacity: the most hashes the set will take; rules are bounded apart,
 *	by WHORL_INTEL_MAX_RULES.
 *
 * Process context. Return: the set, or NULL when @capacity is above
 * WHORL_INTEL_MAX_ENTRIES or memory is short.
 */
struct whorl_intel_set *whorl_intel_set_alloc(u32 capacity)
{
	struct whorl_intel_set *set;
	u32 slots;

	if (capacity > WHORL_INTEL_MAX_ENTRIES)
		return NULL;
	set = kzalloc(sizeof(*set), GFP_KERNEL);
	if (!set)
		return NULL;
	set->capacity = capacity;
	if (capacity) {
		set->entries = kvmalloc_array(capacity, sizeof(*set->entries),
					      WHORL_INTEL_GFP);
		if (!set->entries)
			goto err;
	}
	slots = whorl_index_slots(capacity);
	set->index = kvcalloc(slots, sizeof(*set->index), WHORL_INTEL_GFP);
	if (!set->index)
		goto err;
	set->index_mask = slots - 1;
	set->index_bits = ilog2(slots);

	/* Label 0: the empty label. */
	if (whorl_grow((void **)&set->labels, &set->labels_cap, 0, 1,
		       sizeof(*set->labels), WHORL_INTEL_MAX_LABELS + 1))
		goto err;
	set->labels[0][0] = '\0';
	set->nlabels = 1;
	if (whorl_index_fit(&set->label_index, &set->label_index_mask,
			    set->labels_cap, 0, whorl_label_hash, set))
		goto err;
	return set;
err:
	whorl_intel_set_free(set);
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_set_alloc);

/*
 * Where @sha256 goes: its entry number in @n, or -1 with the empty index
 * slot in @slot when it is new. Return: 0, or -ENOSPC when a new one would
 * pass the announced capacity.
 */
static int whorl_intel_find_room(const struct whorl_intel_set *set,
				 const u8 *sha256, s64 *n, u32 *slot,
				 struct netlink_ext_ack *extack)
{
	*n = whorl_find_digest(set, sha256, slot);
	if (*n >= 0 || set->count < set->capacity)
		return 0;
	NL_SET_ERR_MSG(extack, "more intel hashes than announced");
	return -ENOSPC;
}

/*
 * Give @sha256 @category and label number @lbl, where
 * whorl_intel_find_room() found room: entry @n, or a new one at @slot.
 */
static void whorl_intel_place(struct whorl_intel_set *set, const u8 *sha256,
			      s64 n, u32 slot, u8 category, u16 lbl)
{
	struct whorl_intel_entry *e;

	if (n >= 0) {
		e = &set->entries[n];
	} else {
		e = &set->entries[set->count];
		memcpy(e->sha256, sha256, WHORL_SHA256_LEN);
		e->pad = 0;
		set->index[slot] = ++set->count;
	}
	e->category = category;
	e->label = lbl;
}

/**
 * whorl_intel_set_add_hash - add a SHA-256 digest to an unpublished set.
 * @set: the set.
 * @sha256: WHORL_SHA256_LEN bytes.
 * @category: enum whorl_intel_category, not WHORL_INTEL_NONE.
 * @label: at most WHORL_LABEL_MAX - 1 bytes; NULL is empty.
 * @extack: receives the reason of a failure; may be NULL.
 *
 * A digest already in the set takes the new category and label and uses no
 * capacity. Process context. Return: 0; -EINVAL for a bad category or label,
 * -ENOSPC past the capacity or the label limit, -ENOMEM.
 */
int whorl_intel_set_add_hash(struct whorl_intel_set *set, const u8 *sha256,
			     u8 category, const char *label,
			     struct netlink_ext_ack *extack)
{
	size_t len;
	u16 lbl;
	u32 slot;
	s64 n;
	int err;

	err = whorl_intel_check(set, category, label, &len, extack);
	if (err)
		return err;
	err = whorl_intel_find_room(set, sha256, &n, &slot, extack);
	if (!err)
		err = whorl_label_intern(set, label, len, &lbl, extack);
	if (err)
		return err;
	whorl_intel_place(set, sha256, n, slot, category, lbl);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_set_add_hash);

/**
 * whorl_intel_set_add_label - number the next label of a load.
 * @set: the unpublished set the load builds.
 * @label: 1 to WHORL_LABEL_MAX - 1 bytes, NUL-terminated.
 * @extack: receives the reason of a failure; may be NULL.
 *
 * The first call numbers its label 1, the next 2, and so on; records given
 * to whorl_intel_set_add_hashes() name labels by these numbers. The same
 * string twice gets two numbers for one label. Process context.
 * Return: 0; -EINVAL for a bad label, -ENOSPC past WHORL_INTEL_MAX_LABELS
 * numbers or distinct labels, -ENOMEM.
 */
int whorl_intel_set_add_label(struct whorl_intel_set *set, const char *label,
			      struct netlink_ext_ack *extack)
{
	size_t len;
	u16 lbl;
	int err;

	if (WARN_ON_ONCE(!set || set->sealed))
		return -EINVAL;
	len = label ? strnlen(label, WHORL_LABEL_MAX) : 0;
	if (!len || len >= WHORL_LABEL_MAX) {
		NL_SET_ERR_MSG(extack, "an intel label is 1 to 63 bytes");
		return -EINVAL;
	}
	err = whorl_grow((void **)&set->wire_labels, &set->wire_cap, set->nwire,
			 set->nwire + 1, sizeof(*set->wire_labels),
			 WHORL_INTEL_MAX_LABELS);
	if (err == -ENOSPC)
		NL_SET_ERR_MSG(extack, "too many intel labels in one load");
	if (!err)
		err = whorl_label_intern(set, label, len, &lbl, extack);
	if (err)
		return err;
	set->wire_labels[set->nwire++] = lbl;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_set_add_label);

/**
 * whorl_intel_set_add_hashes - add packed hash entries to an unpublished set.
 * @set: the set.
 * @h: @n records; each label 0 or a number given by
 *	whorl_intel_set_add_label() before.
 * @n: records in @h.
 * @extack: receives the reason of a failure; may be NULL.
 *
 * As whorl_intel_set_add_hash() for each record, in order. On failure the
 * records before the bad one are in the set. Process context.
 * Return: 0; -EINVAL for a bad category, label number or reserved byte,
 * -ENOSPC past the capacity.
 */
int whorl_intel_set_add_hashes(struct whorl_intel_set *set,
			       const struct whorl_intel_hash *h, u32 n,
			       struct netlink_ext_ack *extack)
{
	u32 i, slot;
	s64 found;
	int err;

	if (WARN_ON_ONCE(!set || set->sealed))
		return -EINVAL;
	for (i = 0; i < n; i++, h++) {
		if (!whorl_intel_category_ok(h->category, extack))
			return -EINVAL;
		if (h->reserved) {
			NL_SET_ERR_MSG(extack, "intel hash reserved byte is not 0");
			return -EINVAL;
		}
		if (h->label > set->nwire) {
			NL_SET_ERR_MSG(extack, "intel hash names a label not sent before it");
			return -EINVAL;
		}
		err = whorl_intel_find_room(set, h->sha256, &found, &slot, extack);
		if (err)
			return err;
		whorl_intel_place(set, h->sha256, found, slot, h->category,
				  h->label ? set->wire_labels[h->label - 1] : 0);
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_set_add_hashes);

/**
 * whorl_intel_set_add_name - add a basename rule to an unpublished set.
 * @set: the set.
 * @name: a basename, compared exactly; 1 to WHORL_NAME_MAX - 1 bytes, no '/'.
 * @category: enum whorl_intel_category, not WHORL_INTEL_NONE.
 * @label: at most WHORL_LABEL_MAX - 1 bytes; NULL is empty.
 * @extack: receives the reason of a failure; may be NULL.
 *
 * Process context. Return: 0; -EINVAL for a bad name, category or label,
 * -ENOSPC past WHORL_INTEL_MAX_RULES or the label limit, -ENOMEM.
 */
int whorl_intel_set_add_name(struct whorl_intel_set *set, const char *name,
			     u8 category, const char *label,
			     struct netlink_ext_ack *extack)
{
	struct whorl_intel_rule *r;
	size_t len, nlen;
	u32 h;
	u16 lbl;
	s64 n;
	int err;

	err = whorl_intel_check(set, category, label, &len, extack);
	if (err)
		return err;
	nlen = name ? strnlen(name, WHORL_NAME_MAX) : 0;
	if (!nlen || nlen >= WHORL_NAME_MAX || memchr(name, '/', nlen)) {
		NL_SET_ERR_MSG(extack, "a name rule is a basename of 1 to 255 bytes");
		return -EINVAL;
	}
	h = jhash(name, nlen, 0);
	n = whorl_find_rule(set, name, nlen, h);
	if (n < 0 && set->nrules >= WHORL_INTEL_MAX_RULES) {
		NL_SET_ERR_MSG(extack, "too many intel name rules");
		return -ENOSPC;
	}
	err = whorl_label_intern(set, label, len, &lbl, extack);
	if (err)
		return err;
	if (n >= 0) {
		r = &set->rules[n];
		r->category = category;
		r->label = lbl;
		return 0;
	}

	err = whorl_grow((void **)&set->names, &set->names_cap, set->names_len,
			 set->names_len + nlen + 1, 1,
			 WHORL_INTEL_MAX_RULES * WHORL_NAME_MAX);
	if (!err)
		err = whorl_grow((void **)&set->rules, &set->rules_cap, set->nrules,
				 set->nrules + 1, sizeof(*set->rules),
				 WHORL_INTEL_MAX_RULES);
	if (!err)
		err = whorl_index_fit(&set->rule_index, &set->rule_index_mask,
				      set->rules_cap, set->nrules,
				      whorl_rule_hash, set);
	if (err)
		return err;
	r = &set->rules[set->nrules];
	r->hash = h;
	r->name = set->names_len;
	r->len = nlen;
	r->category = category;
	r->label = lbl;
	memcpy(set->names + set->names_len, name, nlen);
	set->names[set->names_len + nlen] = '\0';
	whorl_index_put(set->rule_index, set->rule_index_mask, h, set->nrules);
	set->names_len += nlen + 1;
	set->nrules++;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_set_add_name);

/**
 * whorl_intel_set_free - free a set that was never published.
 * @set: the set, or NULL.
 *
 * Process context. The live set is untouched.
 */
void whorl_intel_set_free(struct whorl_intel_set *set)
{
	if (!set)
		return;
	kvfree(set->entries);
	kvfree(set->index);
	kvfree(set->labels);
	kvfree(set->label_index);
	kvfree(set->rules);
	kvfree(set->rule_index);
	kvfree(set->names);
	kvfree(set->wire_labels);
	kfree(set);
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_set_free);

/* The builder's label index and label numbers are not needed to read a set. */
static void whorl_intel_seal(struct whorl_intel_set *set)
{
	kvfree(set->label_index);
	set->label_index = NULL;
	kvfree(set->wire_labels);
	set->wire_labels = NULL;
	set->nwire = 0;
	set->wire_cap = 0;
	set->sealed = true;
}

/**
 * whorl_intel_set_find_hash - look a digest up in one set.
 * @set: a set that does not change meanwhile.
 * @sha256: WHORL_SHA256_LEN bytes.
 * @m: receives category and label (NONE and empty on a miss); may be NULL.
 *
 * Any context. Return: true when @set holds @sha256.
 */
VISIBLE_IF_KUNIT bool whorl_intel_set_find_hash(const struct whorl_intel_set *set,
						const u8 *sha256,
						struct whorl_intel_match *m)
{
	const struct whorl_intel_entry *e;
	s64 n;

	n = set && set->count ? whorl_find_digest(set, sha256, NULL) : -1;
	if (n < 0) {
		if (m) {
			m->category = WHORL_INTEL_NONE;
			m->label[0] = '\0';
		}
		return false;
	}
	e = &set->entries[n];
	if (m) {
		m->category = e->category;
		strscpy(m->label, set->labels[e->label], sizeof(m->label));
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_set_find_hash);

/**
 * whorl_intel_set_find_name - look a basename up in one set's rules.
 * @set: a set that does not change meanwhile.
 * @basename: NUL-terminated.
 * @m: receives category and label (NONE and empty on a miss); may be NULL.
 *
 * Any context. Return: true when a rule names @basename exactly.
 */
VISIBLE_IF_KUNIT bool whorl_intel_set_find_name(const struct whorl_intel_set *set,
						const char *basename,
						struct whorl_intel_match *m)
{
	const struct whorl_intel_rule *r;
	size_t len;
	s64 n = -1;

	len = basename ? strnlen(basename, WHORL_NAME_MAX) : 0;
	if (set && set->nrules && len && len < WHORL_NAME_MAX)
		n = whorl_find_rule(set, basename, len, jhash(basename, len, 0));
	if (n < 0) {
		if (m) {
			m->category = WHORL_INTEL_NONE;
			m->label[0] = '\0';
		}
		return false;
	}
	r = &set->rules[n];
	if (m) {
		m->category = r->category;
		strscpy(m->label, set->labels[r->label], sizeof(m->label));
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_set_find_name);

/**
 * whorl_intel_set_bytes - kernel memory one set holds.
 * @set: the set, or NULL (0).
 */
VISIBLE_IF_KUNIT u64 whorl_intel_set_bytes(const struct whorl_intel_set *set)
{
	u64 b;

	if (!set)
		return 0;
	b = sizeof(*set);
	b += (u64)set->capacity * sizeof(*set->entries);
	b += ((u64)set->index_mask + 1) * sizeof(*set->index);
	b += (u64)set->labels_cap * sizeof(*set->labels);
	if (set->label_index)
		b += ((u64)set->label_index_mask + 1) * sizeof(*set->label_index);
	b += (u64)set->rules_cap * sizeof(*set->rules);
	if (set->rule_index)
		b += ((u64)set->rule_index_mask + 1) * sizeof(*set->rule_index);
	b += set->names_cap;
	b += (u64)set->wire_cap * sizeof(*set->wire_labels);
	return b;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_set_bytes);

/**
 * whorl_intel_publish - make @set the live set.
 * @set: a set from whorl_intel_set_alloc(), or NULL for an empty one.
 *
 * Readers see the old set or @set, never a mix. The module owns @set from
 * now on. The old set is freed once no reader can hold it. Process context.
 */
void whorl_intel_publish(struct whorl_intel_set *set)
{
	struct whorl_intel_set *old;

	if (set)
		whorl_intel_seal(set);
	mutex_lock(&whorl_intel_lock);
	old = rcu_replace_pointer(whorl_intel_live, set,
				  lockdep_is_held(&whorl_intel_lock));
	mutex_unlock(&whorl_intel_lock);
	whorl_memo_forget_all();
	if (old) {
		synchronize_rcu();
		whorl_intel_set_free(old);
	}
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_publish);

/**
 * whorl_intel_lookup_hash - what the live set says about a digest.
 * @sha256: WHORL_SHA256_LEN bytes.
 * @m: receives category and label (NONE and empty on a miss); may be NULL.
 *
 * Any context: no lock, no allocation. Return: true on a match.
 */
bool whorl_intel_lookup_hash(const u8 *sha256, struct whorl_intel_match *m)
{
	bool hit;

	rcu_read_lock();
	hit = whorl_intel_set_find_hash(rcu_dereference(whorl_intel_live),
					sha256, m);
	rcu_read_unlock();
	return hit;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_lookup_hash);

/**
 * whorl_intel_lookup_name - what the live set's rules say about a basename.
 * @basename: NUL-terminated, compared exactly.
 * @m: receives category and label (NONE and empty on a miss); may be NULL.
 *
 * Any context: no lock, no allocation. Return: true on a match.
 */
bool whorl_intel_lookup_name(const char *basename, struct whorl_intel_match *m)
{
	bool hit;

	rcu_read_lock();
	hit = whorl_intel_set_find_name(rcu_dereference(whorl_intel_live),
					basename, m);
	rcu_read_unlock();
	return hit;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_lookup_name);

/** whorl_intel_count - hashes in the live set. Any context. */
u32 whorl_intel_count(void)
{
	const struct whorl_intel_set *set;
	u32 n;

	rcu_read_lock();
	set = rcu_dereference(whorl_intel_live);
	n = set ? set->count : 0;
	rcu_read_unlock();
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_count);

/** whorl_intel_rules - basename rules in the live set. Any context. */
u32 whorl_intel_rules(void)
{
	const struct whorl_intel_set *set;
	u32 n;

	rcu_read_lock();
	set = rcu_dereference(whorl_intel_live);
	n = set ? set->nrules : 0;
	rcu_read_unlock();
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_rules);

/** whorl_intel_bytes - kernel memory the live set holds. Any context. */
u64 whorl_intel_bytes(void)
{
	u64 b;

	rcu_read_lock();
	b = whorl_intel_set_bytes(rcu_dereference(whorl_intel_live));
	rcu_read_unlock();
	return b;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_bytes);

/** whorl_intel_is_empty - true when the live set has no hashes and no rules. */
bool whorl_intel_is_empty(void)
{
	const struct whorl_intel_set *set;
	bool empty;

	rcu_read_lock();
	set = rcu_dereference(whorl_intel_live);
	empty = !set || (!set->count && !set->nrules);
	rcu_read_unlock();
	return empty;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_is_empty);

/** whorl_intel_has_rules - true when the live set has basename rules. */
bool whorl_intel_has_rules(void)
{
	return whorl_intel_rules() != 0;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_intel_has_rules);

/** whorl_intel_init - start with an empty live set. */
int whorl_intel_init(void)
{
	RCU_INIT_POINTER(whorl_intel_live, NULL);
	return 0;
}

/** whorl_intel_exit - free the live set. Process context, hooks gone. */
void whorl_intel_exit(void)
{
	whorl_intel_publish(NULL);
}
