/* SPDX-License-Identifier: GPL-2.0 */
/* intel.h - the threat-intelligence set: SHA-256 hashes and basename rules. */
#ifndef WHORL_INTEL_H
#define WHORL_INTEL_H

#include <linux/types.h>

#include "limits.h"

struct netlink_ext_ack;

/**
 * struct whorl_intel_match - what intel knows about a file.
 * @category: enum whorl_intel_category; WHORL_INTEL_NONE when unknown.
 * @label: NUL-terminated, possibly empty.
 */
struct whorl_intel_match {
	u8 category;
	char label[WHORL_LABEL_MAX];
};

struct whorl_intel_set;

/*
 * Building a set (process context, may sleep). A set is private to its
 * builder until whorl_intel_publish(); after that the module owns it.
 */
struct whorl_intel_set *whorl_intel_set_alloc(u32 capacity);
int whorl_intel_set_add_hash(struct whorl_intel_set *set, const u8 *sha256,
			     u8 category, const char *label,
			     struct netlink_ext_ack *extack);
int whorl_intel_set_add_label(struct whorl_intel_set *set, const char *label,
			      struct netlink_ext_ack *extack);
int whorl_intel_set_add_hashes(struct whorl_intel_set *set,
			       const struct whorl_intel_hash *h, u32 n,
			       struct netlink_ext_ack *extack);
int whorl_intel_set_add_name(struct whorl_intel_set *set, const char *name,
			     u8 category, const char *label,
			     struct netlink_ext_ack *extack);
void whorl_intel_set_free(struct whorl_intel_set *set);

/* Replace the live set (NULL: an empty one); the old one is freed after RCU. */
void whorl_intel_publish(struct whorl_intel_set *set);

/* Lookups: any context (RCU inside). Return true on a match. */
bool whorl_intel_lookup_hash(const u8 *sha256, struct whorl_intel_match *m);
bool whorl_intel_lookup_name(const char *basename, struct whorl_intel_match *m);
/* Any context: true when the live set has no hashes and no rules. */
bool whorl_intel_is_empty(void);
bool whorl_intel_has_rules(void);

u32 whorl_intel_count(void);
u32 whorl_intel_rules(void);
u64 whorl_intel_bytes(void);

#if IS_ENABLED(CONFIG_KUNIT)
/* For the KUnit suite: one set, published or not, read directly. */
bool whorl_intel_set_find_hash(const struct whorl_intel_set *set,
			       const u8 *sha256, struct whorl_intel_match *m);
bool whorl_intel_set_find_name(const struct whorl_intel_set *set,
			       const char *basename, struct whorl_intel_match *m);
u64 whorl_intel_set_bytes(const struct whorl_intel_set *set);
#endif

int whorl_intel_init(void);
void whorl_intel_exit(void);

#endif /* WHORL_INTEL_H */
