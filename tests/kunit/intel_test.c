// SPDX-License-Identifier: GPL-2.0
/*
 * intel_test.c - KUnit: intel sets: load, lookup, duplicates, limits, name
 * rules, atomic replace of the live set, a failed load, clear, size.
 *
 * Cases that publish leave the live set empty (the suite's exit clears it):
 * running this suite drops whatever intel was loaded.
 */

#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "intel.h"

/* Parameterised cases over @array, each run named by its element's name. */
#define CASES_NAMED(prefix, array)						\
	static void prefix##_case_desc(const typeof((array)[0]) *c, char *desc)	\
	{									\
		strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);			\
	}									\
	KUNIT_ARRAY_PARAM(prefix, array, prefix##_case_desc)

/* NIST FIPS 180-2 SHA-256 vectors: real digests of known inputs. */
static const u8 sha_abc[WHORL_SHA256_LEN] = {	/* "abc" */
	0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde,
	0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
	0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };
static const u8 sha_empty[WHORL_SHA256_LEN] = {	/* "" */
	0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8,
	0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c,
	0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55 };
static const u8 sha_448[WHORL_SHA256_LEN] = {	/* "abcdbcde...nopq" */
	0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26, 0x93,
	0x0c, 0x3e, 0x60, 0x39, 0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff, 0x21, 0x67,
	0xf6, 0xec, 0xed, 0xd4, 0x19, 0xdb, 0x06, 0xc1 };
static const u8 sha_million_a[WHORL_SHA256_LEN] = {	/* 10^6 x "a" */
	0xcd, 0xc7, 0x6e, 0x5c, 0x99, 0x14, 0xfb, 0x92, 0x81, 0xa1, 0xc7, 0xe2,
	0x84, 0xd7, 0x3e, 0x67, 0xf1, 0x80, 0x9a, 0x48, 0xa4, 0x97, 0x20, 0x0e,
	0x04, 0x6d, 0x39, 0xcc, 0xc7, 0x11, 0x2c, 0xd0 };
/* "abc"'s digest with the last byte changed: same index slot, other file. */
static const u8 sha_abc_last_byte_off[WHORL_SHA256_LEN] = {
	0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde,
	0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
	0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xae };
static const u8 sha_zero[WHORL_SHA256_LEN];

struct loaded_entry {
	const u8 *sha256;
	u8 category;
	const char *label;
};

/* The set the lookup cases read. */
static const struct loaded_entry loaded[] = {
	{ sha_abc, WHORL_INTEL_MALICIOUS, "xmrig" },
	{ sha_empty, WHORL_INTEL_CONTAINER_ESCAPE, "cdk" },
	{ sha_448, WHORL_INTEL_K8S_ATTACK, "peirates" },
	{ sha_million_a, WHORL_INTEL_RECON, "" },
};

static struct whorl_intel_set *load_set(struct kunit *test, u32 capacity)
{
	struct whorl_intel_set *set;
	size_t i;

	set = whorl_intel_set_alloc(capacity);
	KUNIT_ASSERT_NOT_NULL(test, set);
	for (i = 0; i < ARRAY_SIZE(loaded); i++)
		KUNIT_ASSERT_EQ(test, whorl_intel_set_add_hash(set, loaded[i].sha256,
							       loaded[i].category,
							       loaded[i].label, NULL), 0);
	return set;
}

struct lookup_case {
	const char *name;
	const u8 *sha256;
	bool want_hit;
	u8 want_category;
	const char *want_label;
};

static const struct lookup_case lookup_cases[] = {
	{ "malicious_hash_found_with_label", sha_abc, true, WHORL_INTEL_MALICIOUS, "xmrig" },
	{ "escape_hash_found_with_label", sha_empty, true,
	  WHORL_INTEL_CONTAINER_ESCAPE, "cdk" },
	{ "k8s_attack_hash_found_with_label", sha_448, true, WHORL_INTEL_K8S_ATTACK, "peirates" },
	{ "recon_hash_found_with_empty_label", sha_million_a, true, WHORL_INTEL_RECON, "" },
	{ "hash_differing_in_last_byte_misses", sha_abc_last_byte_off, false,
	  WHORL_INTEL_NONE, "" },
	{ "all_zero_hash_misses", sha_zero, false, WHORL_INTEL_NONE, "" },
};

CASES_NAMED(lookup, lookup_cases);

static void loaded_set_answers_lookup(struct kunit *test)
{
	const struct lookup_case *c = test->param_value;
	struct whorl_intel_match m = { .category = 0xff, .label = "stale" };
	struct whorl_intel_set *set;
	bool hit;

	/* Arrange */
	set = load_set(test, 8);

	/* Act */
	hit = whorl_intel_set_find_hash(set, c->sha256, &m);

	/* Assert */
	KUNIT_EXPECT_EQ(test, hit, c->want_hit);
	KUNIT_EXPECT_EQ(test, m.category, c->want_category);
	KUNIT_EXPECT_STREQ(test, m.label, c->want_label);
	whorl_intel_set_free(set);
}

static void published_set_answers_lookup(struct kunit *test)
{
	const struct lookup_case *c = test->param_value;
	struct whorl_intel_match m = { .category = 0xff, .label = "stale" };

	/* Arrange */
	whorl_intel_publish(load_set(test, ARRAY_SIZE(loaded)));

	/* Act, Assert */
	KUNIT_EXPECT_EQ(test, whorl_intel_lookup_hash(c->sha256, &m), c->want_hit);
	KUNIT_EXPECT_EQ(test, m.category, c->want_category);
	KUNIT_EXPECT_STREQ(test, m.label, c->want_label);
	KUNIT_EXPECT_EQ(test, whorl_intel_count(), (u32)ARRAY_SIZE(loaded));
	KUNIT_EXPECT_FALSE(test, whorl_intel_is_empty());
}

/* A label of @n bytes. */
static char *label_of(struct kunit *test, size_t n)
{
	char *s = kunit_kzalloc(test, n + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	memset(s, 'L', n);
	return s;
}

struct add_case {
	const char *name;
	u8 category;
	size_t label_len;	/* SIZE_MAX: NULL label */
	int want;
};

static const struct add_case add_cases[] = {
	{ "category_none_is_rejected", WHORL_INTEL_NONE, 4, -EINVAL },
	{ "category_past_the_last_is_rejected", WHORL_INTEL_CATEGORY_MAX + 1, 4, -EINVAL },
	{ "category_255_is_rejected", 255, 4, -EINVAL },
	{ "label_of_64_bytes_is_rejected", WHORL_INTEL_MALICIOUS, WHORL_LABEL_MAX, -EINVAL },
	{ "label_of_1000_bytes_is_rejected", WHORL_INTEL_RECON, 1000, -EINVAL },
	{ "label_of_63_bytes_is_accepted", WHORL_INTEL_MALICIOUS, WHORL_LABEL_MAX - 1, 0 },
	{ "empty_label_is_accepted", WHORL_INTEL_K8S_ATTACK, 0, 0 },
	{ "null_label_is_accepted", WHORL_INTEL_CONTAINER_ESCAPE, SIZE_MAX, 0 },
	{ "last_category_is_accepted", WHORL_INTEL_CATEGORY_MAX, 4, 0 },
};

CASES_NAMED(add, add_cases);

static void hash_entry_is_validated(struct kunit *test)
{
	const struct add_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct whorl_intel_match m;
	struct whorl_intel_set *set;
	const char *label;
	int err;

	/* Arrange */
	set = whorl_intel_set_alloc(4);
	KUNIT_ASSERT_NOT_NULL(test, set);
	label = c->label_len == SIZE_MAX ? NULL : label_of(test, c->label_len);

	/* Act */
	err = whorl_intel_set_add_hash(set, sha_abc, c->category, label, &extack);

	/* Assert */
	KUNIT_EXPECT_EQ(test, err, c->want);
	KUNIT_EXPECT_EQ(test, whorl_intel_set_find_hash(set, sha_abc, &m), c->want == 0);
	if (c->want) {
		KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "no extack message");
	} else {
		KUNIT_EXPECT_EQ(test, m.category, c->category);
		KUNIT_EXPECT_STREQ(test, m.label, label ? label : "");
	}
	whorl_intel_set_free(set);
}

static void same_name_rule_is_validated(struct kunit *test)
{
	const struct add_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct whorl_intel_set *set;
	const char *label;
	int err;

	/* Arrange */
	set = whorl_intel_set_alloc(0);
	KUNIT_ASSERT_NOT_NULL(test, set);
	label = c->label_len == SIZE_MAX ? NULL : label_of(test, c->label_len);

	/* Act */
	err = whorl_intel_set_add_name(set, "cdk", c->category, label, &extack);

	/* Assert */
	KUNIT_EXPECT_EQ(test, err, c->want);
	KUNIT_EXPECT_EQ(test, whorl_intel_set_find_name(set, "cdk", NULL), c->want == 0);
	if (c->want)
		KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "no extack message");
	whorl_intel_set_free(set);
}

/* A set with room for exactly one hash, "abc"'s, malicious, labelled "first". */
static struct whorl_intel_set *one_hash_set(struct kunit *test)
{
	struct whorl_intel_set *set = whorl_intel_set_alloc(1);

	KUNIT_ASSERT_NOT_NULL(test, set);
	KUNIT_ASSERT_EQ(test, whorl_intel_set_add_hash(set, sha_abc, WHORL_INTEL_MALICIOUS,
						       "first", NULL), 0);
	return set;
}

static void duplicate_hash_keeps_one_entry_last_wins(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct whorl_intel_match m;
	struct whorl_intel_set *set;

	/* Arrange */
	set = one_hash_set(test);

	/* Act */
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_hash(set, sha_abc, WHORL_INTEL_RECON,
						       "second", NULL), 0);

	/* Assert: one entry, the last word, and no capacity used by it. */
	KUNIT_EXPECT_TRUE(test, whorl_intel_set_find_hash(set, sha_abc, &m));
	KUNIT_EXPECT_EQ(test, m.category, WHORL_INTEL_RECON);
	KUNIT_EXPECT_STREQ(test, m.label, "second");
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_hash(set, sha_empty, WHORL_INTEL_MALICIOUS,
						       "", &extack), -ENOSPC);
	whorl_intel_publish(set);
	KUNIT_EXPECT_EQ(test, whorl_intel_count(), 1U);
}

static void hashes_past_capacity_are_refused(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct whorl_intel_set *set;
	size_t i;

	/* Arrange */
	set = load_set(test, ARRAY_SIZE(loaded));

	/* Act, Assert */
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_hash(set, sha_zero, WHORL_INTEL_MALICIOUS,
						       "", &extack), -ENOSPC);
	KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "no extack message");
	KUNIT_EXPECT_FALSE(test, whorl_intel_set_find_hash(set, sha_zero, NULL));
	for (i = 0; i < ARRAY_SIZE(loaded); i++)
		KUNIT_EXPECT_TRUE(test, whorl_intel_set_find_hash(set, loaded[i].sha256, NULL));
	whorl_intel_set_free(set);
}

static void empty_capacity_takes_rules_but_no_hashes(struct kunit *test)
{
	struct whorl_intel_set *set;

	/* Arrange */
	set = whorl_intel_set_alloc(0);
	KUNIT_ASSERT_NOT_NULL(test, set);

	/* Act, Assert */
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_hash(set, sha_abc, WHORL_INTEL_MALICIOUS,
						       "", NULL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_name(set, "deepce.sh",
						       WHORL_INTEL_CONTAINER_ESCAPE,
						       "deepce", NULL), 0);
	KUNIT_EXPECT_FALSE(test, whorl_intel_set_find_hash(set, sha_abc, NULL));
	KUNIT_EXPECT_TRUE(test, whorl_intel_set_find_name(set, "deepce.sh", NULL));
	whorl_intel_set_free(set);
}

static void capacity_past_the_module_limit_is_refused(struct kunit *test)
{
	/* Act, Assert */
	KUNIT_EXPECT_NULL(test, whorl_intel_set_alloc(WHORL_INTEL_MAX_ENTRIES + 1));
	KUNIT_EXPECT_NULL(test, whorl_intel_set_alloc(U32_MAX));
}

/* Tools known by name: the rules the lookup cases read. */
static const struct {
	const char *name;
	u8 category;
	const char *label;
} rules[] = {
	{ "cdk", WHORL_INTEL_CONTAINER_ESCAPE, "cdk" },
	{ "peirates", WHORL_INTEL_K8S_ATTACK, "peirates" },
	{ "linpeas.sh", WHORL_INTEL_RECON, "linpeas" },
	{ "kubectl-who-can", WHORL_INTEL_K8S_ATTACK, "" },
};

struct name_case {
	const char *name;
	const char *basename;
	u8 want_category;
	const char *want_label;
};

static const struct name_case name_cases[] = {
	{ "escape_tool_by_name", "cdk", WHORL_INTEL_CONTAINER_ESCAPE, "cdk" },
	{ "k8s_tool_by_name", "peirates", WHORL_INTEL_K8S_ATTACK, "peirates" },
	{ "recon_script_by_name", "linpeas.sh", WHORL_INTEL_RECON, "linpeas" },
	{ "rule_without_label", "kubectl-who-can", WHORL_INTEL_K8S_ATTACK, "" },
	{ "names_compare_case_sensitively", "CDK", WHORL_INTEL_NONE, "" },
	{ "a_longer_name_is_another_tool", "cdk2", WHORL_INTEL_NONE, "" },
	{ "a_prefix_is_another_tool", "cd", WHORL_INTEL_NONE, "" },
	{ "a_suffix_is_another_tool", "linpeas", WHORL_INTEL_NONE, "" },
	{ "empty_basename_misses", "", WHORL_INTEL_NONE, "" },
};

CASES_NAMED(name, name_cases);

static void name_rule_matches_exact_basename(struct kunit *test)
{
	const struct name_case *c = test->param_value;
	struct whorl_intel_match m = { .category = 0xff, .label = "stale" };
	struct whorl_intel_set *set;
	size_t i;

	/* Arrange */
	set = whorl_intel_set_alloc(0);
	KUNIT_ASSERT_NOT_NULL(test, set);
	for (i = 0; i < ARRAY_SIZE(rules); i++)
		KUNIT_ASSERT_EQ(test, whorl_intel_set_add_name(set, rules[i].name,
							       rules[i].category,
							       rules[i].label, NULL), 0);
	whorl_intel_publish(set);

	/* Act, Assert */
	KUNIT_EXPECT_EQ(test, whorl_intel_lookup_name(c->basename, &m),
			c->want_category != WHORL_INTEL_NONE);
	KUNIT_EXPECT_EQ(test, m.category, c->want_category);
	KUNIT_EXPECT_STREQ(test, m.label, c->want_label);
	KUNIT_EXPECT_TRUE(test, whorl_intel_has_rules());
	KUNIT_EXPECT_EQ(test, whorl_intel_rules(), (u32)ARRAY_SIZE(rules));
	KUNIT_EXPECT_EQ(test, whorl_intel_count(), 0U);
	KUNIT_EXPECT_FALSE(test, whorl_intel_is_empty());
}

struct bad_name_case {
	const char *name;
	size_t len;		/* 0: use @s */
	const char *s;
};

static const struct bad_name_case bad_name_cases[] = {
	{ "empty_name_is_rejected", 0, "" },
	{ "null_name_is_rejected", 0, NULL },
	{ "path_is_not_a_basename", 0, "/usr/bin/cdk" },
	{ "relative_path_is_not_a_basename", 0, "bin/cdk" },
	{ "name_of_256_bytes_is_rejected", WHORL_NAME_MAX, NULL },
};

CASES_NAMED(bad_name, bad_name_cases);

static void bad_name_rule_is_rejected(struct kunit *test)
{
	const struct bad_name_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct whorl_intel_set *set;
	const char *name;

	/* Arrange */
	set = whorl_intel_set_alloc(0);
	KUNIT_ASSERT_NOT_NULL(test, set);
	name = c->len ? label_of(test, c->len) : c->s;

	/* Act, Assert */
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_name(set, name, WHORL_INTEL_RECON, "",
						       &extack), -EINVAL);
	KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "no extack message");
	whorl_intel_set_free(set);
}

static void longest_name_rule_is_accepted_and_found(struct kunit *test)
{
	struct whorl_intel_set *set;
	char *name;

	/* Arrange */
	set = whorl_intel_set_alloc(0);
	KUNIT_ASSERT_NOT_NULL(test, set);
	name = label_of(test, WHORL_NAME_MAX - 1);

	/* Act, Assert */
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_name(set, name, WHORL_INTEL_RECON, "",
						       NULL), 0);
	KUNIT_EXPECT_TRUE(test, whorl_intel_set_find_name(set, name, NULL));
	whorl_intel_set_free(set);
}

static void duplicate_name_rule_keeps_one_last_wins(struct kunit *test)
{
	struct whorl_intel_match m;
	struct whorl_intel_set *set;

	/* Arrange */
	set = whorl_intel_set_alloc(0);
	KUNIT_ASSERT_NOT_NULL(test, set);
	KUNIT_ASSERT_EQ(test, whorl_intel_set_add_name(set, "nmap", WHORL_INTEL_MALICIOUS,
						       "scanner", NULL), 0);

	/* Act */
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_name(set, "nmap", WHORL_INTEL_RECON,
						       "nmap", NULL), 0);
	whorl_intel_publish(set);

	/* Assert */
	KUNIT_EXPECT_EQ(test, whorl_intel_rules(), 1U);
	KUNIT_EXPECT_TRUE(test, whorl_intel_lookup_name("nmap", &m));
	KUNIT_EXPECT_EQ(test, m.category, WHORL_INTEL_RECON);
	KUNIT_EXPECT_STREQ(test, m.label, "nmap");
}

static void many_name_rules_are_all_found(struct kunit *test)
{
	struct whorl_intel_match m;
	struct whorl_intel_set *set;
	char name[32];
	u32 i, missed = 0;

	/* Arrange: enough rules to grow the rule table several times. */
	set = whorl_intel_set_alloc(0);
	KUNIT_ASSERT_NOT_NULL(test, set);
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "tool-%u", i);
		KUNIT_ASSERT_EQ(test, whorl_intel_set_add_name(set, name,
							       1 + i % WHORL_INTEL_CATEGORY_MAX,
							       name, NULL), 0);
	}
	whorl_intel_publish(set);

	/* Act, Assert */
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "tool-%u", i);
		if (!whorl_intel_lookup_name(name, &m) ||
		    m.category != 1 + i % WHORL_INTEL_CATEGORY_MAX || strcmp(m.label, name))
			missed++;
	}
	KUNIT_EXPECT_EQ(test, missed, 0U);
	KUNIT_EXPECT_FALSE(test, whorl_intel_lookup_name("tool-5000", NULL));
	KUNIT_EXPECT_EQ(test, whorl_intel_rules(), 5000U);
}

static void publish_replaces_the_live_set_at_once(struct kunit *test)
{
	struct whorl_intel_set *first, *second;
	struct whorl_intel_match m;

	/* Arrange */
	first = load_set(test, ARRAY_SIZE(loaded));
	whorl_intel_publish(first);
	KUNIT_ASSERT_TRUE(test, whorl_intel_lookup_hash(sha_abc, NULL));
	second = whorl_intel_set_alloc(1);
	KUNIT_ASSERT_NOT_NULL(test, second);
	KUNIT_ASSERT_EQ(test, whorl_intel_set_add_hash(second, sha_zero,
						       WHORL_INTEL_CONTAINER_ESCAPE,
						       "zero", NULL), 0);
	/* Built but not published: the live set is still the first. */
	KUNIT_EXPECT_FALSE(test, whorl_intel_lookup_hash(sha_zero, NULL));

	/* Act */
	whorl_intel_publish(second);

	/* Assert: the first set's hashes are gone, the second's answer. */
	KUNIT_EXPECT_FALSE(test, whorl_intel_lookup_hash(sha_abc, NULL));
	KUNIT_EXPECT_FALSE(test, whorl_intel_lookup_hash(sha_million_a, NULL));
	KUNIT_EXPECT_TRUE(test, whorl_intel_lookup_hash(sha_zero, &m));
	KUNIT_EXPECT_EQ(test, m.category, WHORL_INTEL_CONTAINER_ESCAPE);
	KUNIT_EXPECT_STREQ(test, m.label, "zero");
	KUNIT_EXPECT_EQ(test, whorl_intel_count(), 1U);
}

static void failed_load_leaves_the_live_set_answering(struct kunit *test)
{
	struct whorl_intel_set *live, *failed;
	struct whorl_intel_match m;
	u64 bytes;

	/* Arrange */
	live = load_set(test, ARRAY_SIZE(loaded));
	whorl_intel_publish(live);
	bytes = whorl_intel_bytes();
	failed = whorl_intel_set_alloc(1);
	KUNIT_ASSERT_NOT_NULL(test, failed);
	KUNIT_ASSERT_EQ(test, whorl_intel_set_add_hash(failed, sha_zero, WHORL_INTEL_MALICIOUS,
						       "", NULL), 0);
	KUNIT_ASSERT_EQ(test, whorl_intel_set_add_hash(failed, sha_abc_last_byte_off,
						       WHORL_INTEL_MALICIOUS, "", NULL),
			-ENOSPC);

	/* Act: the builder gives up. */
	whorl_intel_set_free(failed);

	/* Assert */
	KUNIT_EXPECT_TRUE(test, whorl_intel_lookup_hash(sha_abc, &m));
	KUNIT_EXPECT_STREQ(test, m.label, "xmrig");
	KUNIT_EXPECT_FALSE(test, whorl_intel_lookup_hash(sha_zero, NULL));
	KUNIT_EXPECT_EQ(test, whorl_intel_count(), (u32)ARRAY_SIZE(loaded));
	KUNIT_EXPECT_EQ(test, whorl_intel_bytes(), bytes);
}

static void clear_empties_the_live_set(struct kunit *test)
{
	struct whorl_intel_set *set;

	/* Arrange */
	set = load_set(test, ARRAY_SIZE(loaded));
	KUNIT_ASSERT_EQ(test, whorl_intel_set_add_name(set, "cdk", WHORL_INTEL_CONTAINER_ESCAPE,
						       "cdk", NULL), 0);
	whorl_intel_publish(set);
	KUNIT_ASSERT_NE(test, whorl_intel_bytes(), 0ULL);

	/* Act */
	whorl_intel_publish(NULL);

	/* Assert */
	KUNIT_EXPECT_TRUE(test, whorl_intel_is_empty());
	KUNIT_EXPECT_FALSE(test, whorl_intel_has_rules());
	KUNIT_EXPECT_EQ(test, whorl_intel_count(), 0U);
	KUNIT_EXPECT_EQ(test, whorl_intel_rules(), 0U);
	KUNIT_EXPECT_EQ(test, whorl_intel_bytes(), 0ULL);
	KUNIT_EXPECT_FALSE(test, whorl_intel_lookup_hash(sha_abc, NULL));
	KUNIT_EXPECT_FALSE(test, whorl_intel_lookup_name("cdk", NULL));
}

static void distinct_labels_are_bounded_repeated_ones_free(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct whorl_intel_match m;
	struct whorl_intel_set *set;
	u8 sha[WHORL_SHA256_LEN] = {};
	char label[24];
	u32 i;

	/* Arrange: every label the module allows, each on its own hash. */
	set = whorl_intel_set_alloc(WHORL_INTEL_MAX_LABELS + 2);
	KUNIT_ASSERT_NOT_NULL(test, set);
	for (i = 0; i < WHORL_INTEL_MAX_LABELS; i++) {
		memcpy(sha, &i, sizeof(i));
		snprintf(label, sizeof(label), "family-%u", i);
		KUNIT_ASSERT_EQ(test, whorl_intel_set_add_hash(set, sha, WHORL_INTEL_MALICIOUS,
							       label, NULL), 0);
	}

	/* Act, Assert: one more distinct label is refused, a known one is not. */
	i = WHORL_INTEL_MAX_LABELS;
	memcpy(sha, &i, sizeof(i));
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_hash(set, sha, WHORL_INTEL_MALICIOUS,
						       "one-too-many", &extack), -ENOSPC);
	KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "no extack message");
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_hash(set, sha, WHORL_INTEL_MALICIOUS,
						       "family-7", NULL), 0);
	KUNIT_EXPECT_TRUE(test, whorl_intel_set_find_hash(set, sha, &m));
	KUNIT_EXPECT_STREQ(test, m.label, "family-7");
	i = 12345;
	memcpy(sha, &i, sizeof(i));
	KUNIT_EXPECT_TRUE(test, whorl_intel_set_find_hash(set, sha, &m));
	KUNIT_EXPECT_STREQ(test, m.label, "family-12345");
	whorl_intel_set_free(set);
}

/* A packed record as WHORL_A_INTEL_HASHES carries it. */
static struct whorl_intel_hash record(const u8 *sha256, u8 category, u16 label)
{
	struct whorl_intel_hash h = { .category = category, .label = label };

	memcpy(h.sha256, sha256, WHORL_SHA256_LEN);
	return h;
}

static void packed_hashes_take_the_labels_sent_before(struct kunit *test)
{
	struct whorl_intel_hash h[4];
	struct whorl_intel_match m;
	struct whorl_intel_set *set;

	/* Arrange: labels 1 "xmrig", 2 "cdk", 3 "xmrig" again (a new number, one label). */
	set = whorl_intel_set_alloc(4);
	KUNIT_ASSERT_NOT_NULL(test, set);
	KUNIT_ASSERT_EQ(test, whorl_intel_set_add_label(set, "xmrig", NULL), 0);
	KUNIT_ASSERT_EQ(test, whorl_intel_set_add_label(set, "cdk", NULL), 0);
	KUNIT_ASSERT_EQ(test, whorl_intel_set_add_label(set, "xmrig", NULL), 0);
	h[0] = record(sha_abc, WHORL_INTEL_MALICIOUS, 1);
	h[1] = record(sha_empty, WHORL_INTEL_CONTAINER_ESCAPE, 2);
	h[2] = record(sha_448, WHORL_INTEL_K8S_ATTACK, 3);
	h[3] = record(sha_million_a, WHORL_INTEL_RECON, 0);

	/* Act */
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_hashes(set, h, ARRAY_SIZE(h), NULL), 0);

	/* Assert: the same answers as the lookup cases' set, built entry by entry. */
	KUNIT_EXPECT_TRUE(test, whorl_intel_set_find_hash(set, sha_abc, &m));
	KUNIT_EXPECT_EQ(test, m.category, WHORL_INTEL_MALICIOUS);
	KUNIT_EXPECT_STREQ(test, m.label, "xmrig");
	KUNIT_EXPECT_TRUE(test, whorl_intel_set_find_hash(set, sha_empty, &m));
	KUNIT_EXPECT_EQ(test, m.category, WHORL_INTEL_CONTAINER_ESCAPE);
	KUNIT_EXPECT_STREQ(test, m.label, "cdk");
	KUNIT_EXPECT_TRUE(test, whorl_intel_set_find_hash(set, sha_448, &m));
	KUNIT_EXPECT_STREQ(test, m.label, "xmrig");
	KUNIT_EXPECT_TRUE(test, whorl_intel_set_find_hash(set, sha_million_a, &m));
	KUNIT_EXPECT_EQ(test, m.category, WHORL_INTEL_RECON);
	KUNIT_EXPECT_STREQ(test, m.label, "");
	KUNIT_EXPECT_FALSE(test, whorl_intel_set_find_hash(set, sha_abc_last_byte_off, NULL));
	whorl_intel_publish(set);
	KUNIT_EXPECT_EQ(test, whorl_intel_count(), 4U);
}

static void packed_and_nested_entries_mix_last_wins(struct kunit *test)
{
	struct whorl_intel_hash h;
	struct whorl_intel_match m;
	struct whorl_intel_set *set;

	/* Arrange: room for one hash, given first as a nested entry. */
	set = one_hash_set(test);
	KUNIT_ASSERT_EQ(test, whorl_intel_set_add_label(set, "second", NULL), 0);
	h = record(sha_abc, WHORL_INTEL_RECON, 1);

	/* Act */
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_hashes(set, &h, 1, NULL), 0);

	/* Assert: one entry, the packed record's word. */
	KUNIT_EXPECT_TRUE(test, whorl_intel_set_find_hash(set, sha_abc, &m));
	KUNIT_EXPECT_EQ(test, m.category, WHORL_INTEL_RECON);
	KUNIT_EXPECT_STREQ(test, m.label, "second");
	h = record(sha_empty, WHORL_INTEL_MALICIOUS, 0);
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_hashes(set, &h, 1, NULL), -ENOSPC);
	whorl_intel_set_free(set);
}

struct record_case {
	const char *name;
	u8 category;
	u16 label;
	u8 reserved;
	int want;
};

/* Two labels are sent before each record. */
static const struct record_case record_cases[] = {
	{ "record_without_label_is_accepted", WHORL_INTEL_MALICIOUS, 0, 0, 0 },
	{ "record_naming_the_last_label_sent_is_accepted", WHORL_INTEL_RECON, 2, 0, 0 },
	{ "record_naming_a_label_not_sent_is_refused", WHORL_INTEL_MALICIOUS, 3, 0, -EINVAL },
	{ "record_naming_the_highest_number_is_refused", WHORL_INTEL_MALICIOUS, U16_MAX, 0,
	  -EINVAL },
	{ "record_of_category_none_is_refused", WHORL_INTEL_NONE, 0, 0, -EINVAL },
	{ "record_past_the_last_category_is_refused", WHORL_INTEL_CATEGORY_MAX + 1, 0, 0,
	  -EINVAL },
	{ "record_with_reserved_byte_set_is_refused", WHORL_INTEL_MALICIOUS, 0, 1, -EINVAL },
};

CASES_NAMED(record, record_cases);

static void packed_record_is_validated(struct kunit *test)
{
	const struct record_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct whorl_intel_hash h[2];
	struct whorl_intel_set *set;

	/* Arrange: a good record, then the case's. */
	set = whorl_intel_set_alloc(4);
	KUNIT_ASSERT_NOT_NULL(test, set);
	KUNIT_ASSERT_EQ(test, whorl_intel_set_add_label(set, "one", NULL), 0);
	KUNIT_ASSERT_EQ(test, whorl_intel_set_add_label(set, "two", NULL), 0);
	h[0] = record(sha_448, WHORL_INTEL_MALICIOUS, 1);
	h[1] = record(sha_abc, c->category, c->label);
	h[1].reserved = c->reserved;

	/* Act */
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_hashes(set, h, 2, &extack), c->want);

	/* Assert */
	KUNIT_EXPECT_TRUE(test, whorl_intel_set_find_hash(set, sha_448, NULL));
	KUNIT_EXPECT_EQ(test, whorl_intel_set_find_hash(set, sha_abc, NULL), c->want == 0);
	if (c->want)
		KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "no extack message");
	whorl_intel_set_free(set);
}

static void label_numbers_are_checked_and_bounded(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct whorl_intel_set *set;
	char *long_label;
	u32 i;

	/* Arrange */
	set = whorl_intel_set_alloc(1);
	KUNIT_ASSERT_NOT_NULL(test, set);
	long_label = kunit_kzalloc(test, WHORL_LABEL_MAX + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, long_label);
	memset(long_label, 'x', WHORL_LABEL_MAX);

	/* Act, Assert: empty and too long are refused; every number up to the bound is given. */
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_label(set, "", &extack), -EINVAL);
	KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "no extack message");
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_label(set, NULL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_label(set, long_label, NULL), -EINVAL);
	long_label[WHORL_LABEL_MAX - 1] = '\0';
	for (i = 0; i < WHORL_INTEL_MAX_LABELS; i++)
		if (whorl_intel_set_add_label(set, long_label, NULL))
			break;
	KUNIT_EXPECT_EQ(test, i, WHORL_INTEL_MAX_LABELS);
	extack._msg = NULL;
	KUNIT_EXPECT_EQ(test, whorl_intel_set_add_label(set, "one-more", &extack), -ENOSPC);
	KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "no extack message");
	whorl_intel_set_free(set);
}

/* Digests as uniform as SHA-256's, from a counter (splitmix64). */
static void digest_of(u64 n, u8 *sha)
{
	u64 z, s = n * 4;
	int i;

	for (i = 0; i < 4; i++) {
		z = (s++ + 1) * 0x9e3779b97f4a7c15ULL;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31;
		memcpy(sha + 8 * i, &z, sizeof(z));
	}
}

/* Load @n digests, check each is found and @n others are not; timings out. */
static void load_and_find_all(struct kunit *test, u32 n)
{
	struct whorl_intel_set *set;
	struct whorl_intel_match m;
	u32 i, missed = 0, false_hits = 0;
	u8 sha[WHORL_SHA256_LEN];
	u64 t0, t1, t2, t3;

	/* Arrange */
	set = whorl_intel_set_alloc(n);
	KUNIT_ASSERT_NOT_NULL(test, set);

	/* Act */
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		digest_of(i, sha);
		if (whorl_intel_set_add_hash(set, sha, 1 + i % WHORL_INTEL_CATEGORY_MAX,
					     i % 2 ? "odd" : "even", NULL))
			break;
	}
	t1 = ktime_get_ns();
	KUNIT_ASSERT_EQ_MSG(test, i, n, "hash %u refused", i);
	whorl_intel_publish(set);
	t2 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		digest_of(i, sha);
		if (!whorl_intel_lookup_hash(sha, &m) ||
		    m.category != 1 + i % WHORL_INTEL_CATEGORY_MAX ||
		    strcmp(m.label, i % 2 ? "odd" : "even"))
			missed++;
		digest_of((u64)n + i, sha);
		false_hits += whorl_intel_lookup_hash(sha, NULL);
	}
	t3 = ktime_get_ns();

	/* Assert */
	KUNIT_EXPECT_EQ(test, missed, 0U);
	KUNIT_EXPECT_EQ(test, false_hits, 0U);
	KUNIT_EXPECT_EQ(test, whorl_intel_count(), n);
	kunit_info(test, "%u hashes: load %llu ms, %llu ns per lookup, %llu bytes\n",
		   n, (t1 - t0) / NSEC_PER_MSEC, (t3 - t2) / (2ULL * n),
		   whorl_intel_bytes());
}

static void hundred_thousand_hashes_load_and_are_all_found(struct kunit *test)
{
	load_and_find_all(test, 100000);
}

static void digests_sharing_a_prefix_are_told_apart(struct kunit *test)
{
	struct whorl_intel_set *set;
	u8 sha[WHORL_SHA256_LEN];
	u32 i, missed = 0;

	/* Arrange: 2000 digests, same first 28 bytes: one long probe run. */
	set = whorl_intel_set_alloc(2000);
	KUNIT_ASSERT_NOT_NULL(test, set);
	memcpy(sha, sha_abc, sizeof(sha));
	for (i = 0; i < 2000; i++) {
		memcpy(sha + 28, &i, sizeof(i));
		KUNIT_ASSERT_EQ(test, whorl_intel_set_add_hash(set, sha, WHORL_INTEL_MALICIOUS,
							       "", NULL), 0);
	}

	/* Act, Assert */
	for (i = 0; i < 2000; i++) {
		memcpy(sha + 28, &i, sizeof(i));
		missed += !whorl_intel_set_find_hash(set, sha, NULL);
	}
	KUNIT_EXPECT_EQ(test, missed, 0U);
	i = 2000;
	memcpy(sha + 28, &i, sizeof(i));
	KUNIT_EXPECT_FALSE(test, whorl_intel_set_find_hash(set, sha, NULL));
	whorl_intel_set_free(set);
}

static void million_hash_set_fits_in_48_mib(struct kunit *test)
{
	struct whorl_intel_set *set;
	u64 bytes;

	/* Arrange */
	set = whorl_intel_set_alloc(1000000);
	KUNIT_ASSERT_NOT_NULL_MSG(test, set, "no memory for a 1M set (guest too small?)");

	/* Act */
	bytes = whorl_intel_set_bytes(set);

	/* Assert */
	kunit_info(test, "a 1M-hash set takes %llu bytes\n", bytes);
	KUNIT_EXPECT_LE(test, bytes, 48ULL << 20);
	whorl_intel_set_free(set);
}

static void intel_test_exit(struct kunit *test)
{
	whorl_intel_publish(NULL);
}

static struct kunit_case intel_test_cases[] = {
	KUNIT_CASE_PARAM(loaded_set_answers_lookup, lookup_gen_params),
	KUNIT_CASE_PARAM(published_set_answers_lookup, lookup_gen_params),
	KUNIT_CASE_PARAM(hash_entry_is_validated, add_gen_params),
	KUNIT_CASE_PARAM(same_name_rule_is_validated, add_gen_params),
	KUNIT_CASE(duplicate_hash_keeps_one_entry_last_wins),
	KUNIT_CASE(hashes_past_capacity_are_refused),
	KUNIT_CASE(empty_capacity_takes_rules_but_no_hashes),
	KUNIT_CASE(capacity_past_the_module_limit_is_refused),
	KUNIT_CASE_PARAM(name_rule_matches_exact_basename, name_gen_params),
	KUNIT_CASE_PARAM(bad_name_rule_is_rejected, bad_name_gen_params),
	KUNIT_CASE(longest_name_rule_is_accepted_and_found),
	KUNIT_CASE(duplicate_name_rule_keeps_one_last_wins),
	KUNIT_CASE(many_name_rules_are_all_found),
	KUNIT_CASE(publish_replaces_the_live_set_at_once),
	KUNIT_CASE(failed_load_leaves_the_live_set_answering),
	KUNIT_CASE(clear_empties_the_live_set),
	KUNIT_CASE(distinct_labels_are_bounded_repeated_ones_free),
	KUNIT_CASE(packed_hashes_take_the_labels_sent_before),
	KUNIT_CASE(packed_and_nested_entries_mix_last_wins),
	KUNIT_CASE_PARAM(packed_record_is_validated, record_gen_params),
	KUNIT_CASE(label_numbers_are_checked_and_bounded),
	KUNIT_CASE(digests_sharing_a_prefix_are_told_apart),
	KUNIT_CASE(hundred_thousand_hashes_load_and_are_all_found),
	KUNIT_CASE(million_hash_set_fits_in_48_mib),
	{}
};

static struct kunit_suite intel_test_suite = {
	.name = "whorl_intel",
	.exit = intel_test_exit,
	.test_cases = intel_test_cases,
};
kunit_test_suite(intel_test_suite);
