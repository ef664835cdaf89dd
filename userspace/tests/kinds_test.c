// SPDX-License-Identifier: GPL-2.0
/* kinds_test.c - the tables agree with the UAPI: every kind, counter, layer and runtime named. */

#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/whorl.h>

#include "kinds.h"

static void every_kind_has_a_complete_entry(void **state)
{
	const struct whorl_kind_info *k;
	regex_t id_re, name_re;
	unsigned int i, t;

	(void)state;
	assert_int_equal(regcomp(&id_re, "^T[0-9]{4}(\\.[0-9]{3})?$", REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(regcomp(&name_re, "^[a-z0-9]+(-[a-z0-9]+)*$", REG_EXTENDED | REG_NOSUB), 0);
	assert_null(whorl_kind(WHORL_KIND_NONE));
	assert_null(whorl_kind(__WHORL_KIND_MAX));
	for (i = 1; i <= WHORL_KIND_MAX; i++) {
		k = whorl_kind(i);
		if (!k)
			fail_msg("kind %u has no entry in kinds.c", i);
		assert_int_equal(regexec(&name_re, k->name, 0, NULL, 0), 0);
		assert_non_null(k->category);
		assert_true(!strcmp(k->severity, "CRITICAL") || !strcmp(k->severity, "HIGH") ||
			    !strcmp(k->severity, "MEDIUM") || !strcmp(k->severity, "LOW"));
		assert_non_null(k->tactic);
		assert_non_null(k->technique_ids[0]);
		for (t = 0; k->technique_ids[t]; t++) {
			assert_int_equal(regexec(&id_re, k->technique_ids[t], 0, NULL, 0), 0);
			assert_non_null(k->techniques[t]);
		}
		assert_null(k->techniques[t]);
		assert_int_equal(whorl_kind_by_name(k->name), (int)i);
	}
	regfree(&id_re);
	regfree(&name_re);
}

static void library_kinds_are_the_library_categories(void **state)
{
	const struct whorl_kind_info *k;
	unsigned int i;

	(void)state;
	for (i = 1; i <= WHORL_KIND_MAX; i++) {
		k = whorl_kind(i);
		assert_int_equal(k->library, strstr(k->category, "Library Loaded") != NULL);
	}
}

/* The module's default is "all but low severity"; the table must say which ones are low. */
static void default_kinds_are_exactly_the_non_low_severity_ones(void **state)
{
	uint32_t low = 0;
	unsigned int i;

	(void)state;
	for (i = 1; i <= WHORL_KIND_MAX; i++)
		if (!strcmp(whorl_kind(i)->severity, "LOW"))
			low |= 1U << i;
	assert_int_equal(low, (1U << WHORL_KIND_ADDED_BINARY) | (1U << WHORL_KIND_ADDED_LIBRARY));
	assert_int_equal(WHORL_KINDS_DEFAULT & low, 0);
	assert_int_equal(WHORL_KINDS_DEFAULT | low | 1U, (1U << __WHORL_KIND_MAX) - 1);
}

static void every_counter_has_a_name(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 1; i <= WHORL_CTR_MAX; i++)
		if (!whorl_counter_name(i))
			fail_msg("counter %u has no name in kinds.c", i);
	assert_null(whorl_counter_name(__WHORL_CTR_MAX));
}

static void every_layer_runtime_event_and_category_has_a_name(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < __WHORL_LAYER_MAX; i++)
		assert_non_null(whorl_layer_name(i));
	for (i = 0; i < __WHORL_RUNTIME_MAX; i++)
		assert_non_null(whorl_runtime_name(i));
	for (i = 1; i < __WHORL_EVENT_MAX; i++)
		assert_non_null(whorl_event_name(i));
	assert_null(whorl_intel_category_name(WHORL_INTEL_NONE));
	for (i = 1; i <= WHORL_INTEL_CATEGORY_MAX; i++)
		assert_int_equal(whorl_intel_category_by_name(whorl_intel_category_name(i)), (int)i);
	assert_string_equal(whorl_mode_name(WHORL_MODE_ENFORCE), "enforce");
	assert_int_equal(whorl_mode_by_name("detect"), WHORL_MODE_DETECT);
	assert_string_equal(whorl_action_name(WHORL_ACTION_KILLED), "killed");
	assert_null(whorl_layer_name(__WHORL_LAYER_MAX));
	assert_null(whorl_layer_reason_name(WHORL_LAYER_REASON_NONE));
	for (i = 1; i < __WHORL_LAYER_REASON_MAX; i++)
		assert_non_null(whorl_layer_reason_name(i));
	assert_string_equal(whorl_provenance_name(WHORL_PROVENANCE_BTF), "btf");
	assert_string_equal(whorl_provenance_name(WHORL_PROVENANCE_TABLE), "table");
	assert_string_equal(whorl_provenance_name(WHORL_PROVENANCE_OFF), "off");
	assert_string_equal(whorl_layout_check_name(WHORL_LAYOUT_AGREES), "agrees");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_kind_has_a_complete_entry),
		cmocka_unit_test(library_kinds_are_the_library_categories),
		cmocka_unit_test(default_kinds_are_exactly_the_non_low_severity_ones),
		cmocka_unit_test(every_counter_has_a_name),
		cmocka_unit_test(every_layer_runtime_event_and_category_has_a_name),
	};

	return cmocka_run_group_tests_name("kinds", tests, NULL, NULL);
}
