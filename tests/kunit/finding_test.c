// SPDX-License-Identifier: GPL-2.0
/* finding_test.c - KUnit: which finding an event makes; report-once windows. */

#include <kunit/test.h>

#include "finding.h"
#include "params.h"

struct kind_case {
	const char *name;
	u8 event, layer, intel, want;
};

static const struct kind_case kind_cases[] = {
	{ "modified_lib_in_intel_reports_modified_malicious_library",
	  WHORL_EVENT_MMAP, WHORL_LAYER_MODIFIED, WHORL_INTEL_MALICIOUS,
	  WHORL_KIND_MODIFIED_MALICIOUS_LIBRARY },
	{ "mprotect_of_modified_lib_in_intel_reports_the_same",
	  WHORL_EVENT_MPROTECT, WHORL_LAYER_MODIFIED, WHORL_INTEL_MALICIOUS,
	  WHORL_KIND_MODIFIED_MALICIOUS_LIBRARY },
	{ "added_lib_in_intel_reports_added_malicious_library",
	  WHORL_EVENT_MMAP, WHORL_LAYER_ADDED, WHORL_INTEL_MALICIOUS,
	  WHORL_KIND_ADDED_MALICIOUS_LIBRARY },
	{ "image_lib_in_intel_reports_built_in_malicious_library",
	  WHORL_EVENT_MMAP, WHORL_LAYER_IMAGE, WHORL_INTEL_MALICIOUS,
	  WHORL_KIND_BUILTIN_MALICIOUS_LIBRARY },
	{ "escape_tool_exec_reports_container_escape",
	  WHORL_EVENT_EXEC, WHORL_LAYER_ADDED, WHORL_INTEL_CONTAINER_ESCAPE,
	  WHORL_KIND_CONTAINER_ESCAPE },
	{ "escape_tool_from_image_reports_container_escape",
	  WHORL_EVENT_EXEC, WHORL_LAYER_IMAGE, WHORL_INTEL_CONTAINER_ESCAPE,
	  WHORL_KIND_CONTAINER_ESCAPE },
	{ "added_binary_in_intel_reports_added_malicious_binary",
	  WHORL_EVENT_EXEC, WHORL_LAYER_ADDED, WHORL_INTEL_MALICIOUS,
	  WHORL_KIND_ADDED_MALICIOUS_BINARY },
	{ "modified_binary_in_intel_reports_modified_malicious_binary",
	  WHORL_EVENT_EXEC, WHORL_LAYER_MODIFIED, WHORL_INTEL_MALICIOUS,
	  WHORL_KIND_MODIFIED_MALICIOUS_BINARY },
	{ "image_binary_in_intel_reports_built_in_malicious_binary",
	  WHORL_EVENT_EXEC, WHORL_LAYER_IMAGE, WHORL_INTEL_MALICIOUS,
	  WHORL_KIND_BUILTIN_MALICIOUS_BINARY },
	{ "binary_of_unknown_layer_in_intel_is_never_called_built_in",
	  WHORL_EVENT_EXEC, WHORL_LAYER_UNKNOWN, WHORL_INTEL_MALICIOUS,
	  WHORL_KIND_MALICIOUS_BINARY },
	{ "lib_of_unknown_layer_in_intel_is_never_called_built_in",
	  WHORL_EVENT_MMAP, WHORL_LAYER_UNKNOWN, WHORL_INTEL_MALICIOUS,
	  WHORL_KIND_MALICIOUS_LIBRARY },
	{ "volume_binary_in_intel_reports_added_malicious_binary",
	  WHORL_EVENT_EXEC, WHORL_LAYER_VOLUME, WHORL_INTEL_MALICIOUS,
	  WHORL_KIND_ADDED_MALICIOUS_BINARY },
	{ "volume_lib_in_intel_reports_added_malicious_library",
	  WHORL_EVENT_MMAP, WHORL_LAYER_VOLUME, WHORL_INTEL_MALICIOUS,
	  WHORL_KIND_ADDED_MALICIOUS_LIBRARY },
	{ "volume_binary_without_intel_reports_added_binary",
	  WHORL_EVENT_EXEC, WHORL_LAYER_VOLUME, WHORL_INTEL_NONE,
	  WHORL_KIND_ADDED_BINARY },
	{ "k8s_attack_tool_exec_reports_k8s_attack_tool",
	  WHORL_EVENT_EXEC, WHORL_LAYER_ADDED, WHORL_INTEL_K8S_ATTACK,
	  WHORL_KIND_K8S_ATTACK_TOOL },
	{ "recon_tool_exec_reports_recon_tool",
	  WHORL_EVENT_EXEC, WHORL_LAYER_IMAGE, WHORL_INTEL_RECON,
	  WHORL_KIND_RECON_TOOL },
	{ "memfd_exec_reports_fileless_execution",
	  WHORL_EVENT_EXEC, WHORL_LAYER_FILELESS, WHORL_INTEL_NONE,
	  WHORL_KIND_FILELESS_EXECUTION },
	{ "memfd_exec_in_intel_still_reports_fileless_execution",
	  WHORL_EVENT_EXEC, WHORL_LAYER_FILELESS, WHORL_INTEL_MALICIOUS,
	  WHORL_KIND_FILELESS_EXECUTION },
	{ "added_binary_without_intel_reports_added_binary",
	  WHORL_EVENT_EXEC, WHORL_LAYER_ADDED, WHORL_INTEL_NONE,
	  WHORL_KIND_ADDED_BINARY },
	{ "modified_binary_without_intel_reports_added_binary",
	  WHORL_EVENT_EXEC, WHORL_LAYER_MODIFIED, WHORL_INTEL_NONE,
	  WHORL_KIND_ADDED_BINARY },
	{ "added_lib_without_intel_reports_added_library",
	  WHORL_EVENT_MMAP, WHORL_LAYER_ADDED, WHORL_INTEL_NONE,
	  WHORL_KIND_ADDED_LIBRARY },
	{ "image_binary_without_intel_reports_nothing",
	  WHORL_EVENT_EXEC, WHORL_LAYER_IMAGE, WHORL_INTEL_NONE,
	  WHORL_KIND_NONE },
	{ "image_lib_without_intel_reports_nothing",
	  WHORL_EVENT_MMAP, WHORL_LAYER_IMAGE, WHORL_INTEL_NONE,
	  WHORL_KIND_NONE },
	{ "jit_memfd_mapping_without_intel_reports_nothing",
	  WHORL_EVENT_MMAP, WHORL_LAYER_FILELESS, WHORL_INTEL_NONE,
	  WHORL_KIND_NONE },
	{ "unknown_event_reports_nothing",
	  WHORL_EVENT_NONE, WHORL_LAYER_MODIFIED, WHORL_INTEL_MALICIOUS,
	  WHORL_KIND_NONE },
};

static void kind_case_desc(const struct kind_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(kind, kind_cases, kind_case_desc);

static void finding_kind_follows_the_table(struct kunit *test)
{
	const struct kind_case *c = test->param_value;

	KUNIT_EXPECT_EQ_MSG(test, whorl_finding_kind(c->event, c->layer, c->intel),
			    c->want, "event %u layer %u intel %u",
			    c->event, c->layer, c->intel);
}

static void default_config_keeps_low_severity_kinds_off(struct kunit *test)
{
	u32 saved = whorl_kinds_enabled;

	whorl_kinds_enabled = WHORL_KINDS_DEFAULT;
	KUNIT_EXPECT_FALSE(test, whorl_kind_enabled(WHORL_KIND_ADDED_BINARY));
	KUNIT_EXPECT_FALSE(test, whorl_kind_enabled(WHORL_KIND_ADDED_LIBRARY));
	KUNIT_EXPECT_TRUE(test, whorl_kind_enabled(WHORL_KIND_MODIFIED_MALICIOUS_LIBRARY));
	KUNIT_EXPECT_TRUE(test, whorl_kind_enabled(WHORL_KIND_CONTAINER_ESCAPE));
	KUNIT_EXPECT_FALSE(test, whorl_kind_enabled(WHORL_KIND_NONE));
	whorl_kinds_enabled = saved;
}

static void dedup_reports_once_per_window_and_counts_the_rest(struct kunit *test)
{
	u32 saved = whorl_dedup_ms, suppressed;

	/* Arrange: a long window, a clean table. */
	whorl_dedup_ms = 60000;
	whorl_dedup_reset();
	/* Act and assert: first admitted, repeats suppressed, others admitted. */
	KUNIT_EXPECT_TRUE(test, whorl_dedup_admit(0x1234, &suppressed));
	KUNIT_EXPECT_FALSE(test, whorl_dedup_admit(0x1234, &suppressed));
	KUNIT_EXPECT_FALSE(test, whorl_dedup_admit(0x1234, &suppressed));
	KUNIT_EXPECT_TRUE(test, whorl_dedup_admit(0x5678, &suppressed));
	KUNIT_EXPECT_EQ(test, suppressed, 0U);
	whorl_dedup_ms = saved;
	whorl_dedup_reset();
}

static void dedup_window_zero_reports_every_event(struct kunit *test)
{
	u32 saved = whorl_dedup_ms, suppressed;

	whorl_dedup_ms = 0;
	KUNIT_EXPECT_TRUE(test, whorl_dedup_admit(0x42, &suppressed));
	KUNIT_EXPECT_TRUE(test, whorl_dedup_admit(0x42, &suppressed));
	whorl_dedup_ms = saved;
}

static struct kunit_case finding_cases[] = {
	KUNIT_CASE_PARAM(finding_kind_follows_the_table, kind_gen_params),
	KUNIT_CASE(default_config_keeps_low_severity_kinds_off),
	KUNIT_CASE(dedup_reports_once_per_window_and_counts_the_rest),
	KUNIT_CASE(dedup_window_zero_reports_every_event),
	{}
};

static struct kunit_suite finding_suite = {
	.name = "whorl_finding",
	.test_cases = finding_cases,
};
kunit_test_suite(finding_suite);
