// SPDX-License-Identifier: GPL-2.0
/*
 * scc_test.c - findings in Security Command Center v2's shape: categories, severities and MITRE
 * values per kind, every layer, processes, files, containers, pods, the resource, whorl's own
 * data under sourceProperties, int64 as strings, hostile strings. Every rendered finding is
 * then checked by tests/scc_validate.py against docs/scc-finding.schema.json and by a strict
 * proto3 parse (protoc + python3-protobuf, unknown fields refused); broken documents show that
 * each of the two checks can fail.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "finding.h"
#include "json.h"
#include "kinds.h"
#include "mounts.h"
#include "scc.h"
#include "testlib.h"

#define CREATE_NS 1711713601000000000ULL	/* 2024-03-29T12:00:01Z */

static char buf[16384];
static struct whorl_mounts mounts;
/* Every finding rendered by any test, validated at the end. */
static FILE *rendered;
static char rendered_path[] = "/tmp/whorl-scc-test.XXXXXX";

static json_object *render_host(const struct t_finding *tf, const struct whorl_container_info *ci,
				const char *host)
{
	struct whorl_finding f;
	json_object *o;
	size_t len = t_build_finding(buf, tf);

	assert_int_equal(whorl_finding_parse(buf, len, &f), 0);
	whorl_mounts_fill(&mounts, &f);
	o = whorl_finding_scc(&f, ci, host, CREATE_NS);
	whorl_finding_free(&f);
	if (o)
		fprintf(rendered, "%s\n", whorl_json_line(o));
	return o;
}

static json_object *render(const struct t_finding *tf, const struct whorl_container_info *ci)
{
	return render_host(tf, ci, "node-1");
}

#define at whorl_json_at

static const char *s_at(json_object *o, const char *path)
{
	json_object *v = at(o, path);

	if (!v)
		fail_msg("no field %s in %s", path, whorl_json_line(o));
	if (!json_object_is_type(v, json_type_string))
		fail_msg("%s is not a string in %s", path, whorl_json_line(o));
	return json_object_get_string(v);
}

/* The strings of the array at @path joined by ','; "" when absent. */
static const char *joined(json_object *o, const char *path)
{
	static char out[512];
	json_object *a = at(o, path);
	size_t i;

	out[0] = '\0';
	for (i = 0; a && i < json_object_array_length(a); i++) {
		if (i)
			strcat(out, ",");
		strcat(out, json_object_get_string(json_object_array_get_idx(a, i)));
	}
	return out;
}

/* --- one case per kind: what an analyst reads first -------------------------------------------- */

struct kind_case {
	uint32_t kind;
	const char *category;
	const char *severity;
	const char *tactic;
	const char *primary;		/* primaryTechniques joined by ',' */
	const char *ids;		/* sourceProperties.techniqueIds */
};

static const struct kind_case kinds_table[] = {
	{ WHORL_KIND_MODIFIED_MALICIOUS_LIBRARY, "Execution: Modified Malicious Library Loaded",
	  "CRITICAL", "EXECUTION", "SHARED_MODULES", "T1129,T1105" },
	{ WHORL_KIND_CONTAINER_ESCAPE, "Execution: Container Escape",
	  "CRITICAL", "PRIVILEGE_ESCALATION", "ESCAPE_TO_HOST", "T1611" },
	{ WHORL_KIND_ADDED_MALICIOUS_LIBRARY, "Execution: Added Malicious Library Loaded",
	  "CRITICAL", "EXECUTION", "SHARED_MODULES", "T1129,T1105" },
	{ WHORL_KIND_ADDED_MALICIOUS_BINARY, "Execution: Added Malicious Binary Executed",
	  "CRITICAL", "EXECUTION", "NATIVE_API", "T1106,T1105" },
	{ WHORL_KIND_MODIFIED_MALICIOUS_BINARY, "Execution: Modified Malicious Binary Executed",
	  "CRITICAL", "EXECUTION", "NATIVE_API", "T1106,T1105,T1036.005" },
	{ WHORL_KIND_BUILTIN_MALICIOUS_BINARY, "Execution: Built in Malicious Binary Executed",
	  "CRITICAL", "EXECUTION", "USER_EXECUTION", "T1204.003,T1195.001" },
	{ WHORL_KIND_BUILTIN_MALICIOUS_LIBRARY, "Execution: Built in Malicious Library Loaded",
	  "CRITICAL", "EXECUTION", "SHARED_MODULES", "T1129,T1204.003,T1195.001" },
	{ WHORL_KIND_ADDED_BINARY, "Added Binary Executed",
	  "LOW", "EXECUTION", "NATIVE_API", "T1106,T1105" },
	{ WHORL_KIND_ADDED_LIBRARY, "Added Library Loaded",
	  "LOW", "EXECUTION", "SHARED_MODULES", "T1129,T1105" },
	{ WHORL_KIND_FILELESS_EXECUTION, "Execution: Fileless Execution in /memfd:",
	  "HIGH", "DEFENSE_EVASION", "REFLECTIVE_CODE_LOADING", "T1620" },
	{ WHORL_KIND_K8S_ATTACK_TOOL, "Execution: Kubernetes Attack Tool Execution",
	  "CRITICAL", "EXECUTION", "CONTAINER_ADMINISTRATION_COMMAND", "T1609,T1613" },
	{ WHORL_KIND_RECON_TOOL, "Execution: Local Reconnaissance Tool Execution",
	  "CRITICAL", "DISCOVERY", "CONTAINER_AND_RESOURCE_DISCOVERY", "T1613,T1082" },
	{ WHORL_KIND_MALICIOUS_BINARY, "Execution: Malicious Binary Executed",
	  "CRITICAL", "EXECUTION", "NATIVE_API", "T1106" },
	{ WHORL_KIND_MALICIOUS_LIBRARY, "Execution: Malicious Library Loaded",
	  "CRITICAL", "EXECUTION", "SHARED_MODULES", "T1129" },
	{ WHORL_KIND_UNFINGERPRINTABLE, "Defense Evasion: Unfingerprintable Executable",
	  "HIGH", "DEFENSE_EVASION", "IMPAIR_DEFENSES", "T1562" },
};
#define NKINDS (sizeof(kinds_table) / sizeof(kinds_table[0]))
static char kind_names[NKINDS][96];

/* A finding of @kind about the right file: the library for library kinds. */
static struct t_finding finding_of_kind(uint32_t kind)
{
	const struct whorl_kind_info *k = whorl_kind(kind);
	struct t_finding tf = k && k->library ? t_modified_liblzma() : t_escape_tool();

	tf.kind = kind;
	return tf;
}

static void kind_renders_ctd_category_severity_and_mitre(void **state)
{
	const struct kind_case *c = *state;
	struct t_finding tf = finding_of_kind(c->kind);
	const char *sha = whorl_kind(c->kind)->library ? tf.library.sha256_hex : tf.binary.sha256_hex;
	const char *path = whorl_kind(c->kind)->library ? tf.library.path : tf.binary.path;
	char want[200];
	json_object *o;

	o = render(&tf, NULL);
	assert_non_null(o);
	assert_string_equal(s_at(o, "finding.category"), c->category);
	assert_string_equal(s_at(o, "finding.severity"), c->severity);
	assert_string_equal(s_at(o, "finding.state"), "ACTIVE");
	assert_string_equal(s_at(o, "finding.findingClass"), "THREAT");
	assert_string_equal(s_at(o, "finding.mitreAttack.primaryTactic"), c->tactic);
	assert_string_equal(joined(o, "finding.mitreAttack.primaryTechniques"), c->primary);
	assert_string_equal(s_at(o, "finding.mitreAttack.version"), WHORL_SCC_ATTACK_VERSION);
	assert_string_equal(joined(o, "finding.sourceProperties.techniqueIds"), c->ids);
	assert_string_equal(s_at(o, "finding.sourceProperties.kind"), whorl_kind(c->kind)->name);
	assert_true(strlen(s_at(o, "finding.description")) > 80);
	assert_true(strlen(s_at(o, "finding.nextSteps")) > 80);
	/* The offending file is the indicator and the finding's file. */
	snprintf(want, sizeof(want), "https://www.virustotal.com/gui/file/%s", sha);
	assert_string_equal(s_at(o, "finding.indicator.uris.0"), want);
	assert_string_equal(s_at(o, "finding.files.0.path"), path);
	assert_string_equal(s_at(o, "finding.files.0.sha256"), sha);
	assert_string_equal(s_at(o, "finding.files.0.operations.0.type"), "EXECUTE");
	assert_null(at(o, "finding.files.1"));
	json_object_put(o);
}

/* A kind the tool names (kinds.c) but that has no SCC row would never be printed. */
static void every_kind_the_tool_names_has_an_scc_row(void **state)
{
	struct whorl_finding f = { .has_kind = 1 };
	unsigned int kind;
	size_t i;
	int tested;

	(void)state;
	for (kind = 1; kind < __WHORL_KIND_MAX; kind++) {
		if (!whorl_kind(kind))
			continue;
		f.kind = kind;
		if (!whorl_scc_kind(&f))
			fail_msg("kind %s has no row in scc.c", whorl_kind(kind)->name);
		for (i = 0, tested = 0; i < NKINDS; i++)
			tested |= kinds_table[i].kind == kind;
		if (!tested)
			fail_msg("kind %s has no case in scc_test.c", whorl_kind(kind)->name);
	}
}

/* SCC lists a sub-technique together with its parent. */
static const char *const parents[][2] = {
	{ "MATCH_LEGITIMATE_NAME_OR_LOCATION", "MASQUERADING" },
	{ "COMPROMISE_SOFTWARE_DEPENDENCIES_AND_DEVELOPMENT_TOOLS", "SUPPLY_CHAIN_COMPROMISE" },
};

static void sub_techniques_come_with_their_parent(void **state)
{
	static const char *const lists[] = { "finding.mitreAttack.primaryTechniques",
					     "finding.mitreAttack.additionalTechniques" };
	char list[520];
	size_t i, j, l;
	json_object *o;
	int seen = 0;

	(void)state;
	for (i = 0; i < NKINDS; i++) {
		struct t_finding tf = finding_of_kind(kinds_table[i].kind);

		o = render(&tf, NULL);
		for (l = 0; l < 2; l++) {
			snprintf(list, sizeof(list), ",%s,", joined(o, lists[l]));
			for (j = 0; j < sizeof(parents) / sizeof(parents[0]); j++) {
				char sub[80], parent[80];

				snprintf(sub, sizeof(sub), ",%s,", parents[j][0]);
				snprintf(parent, sizeof(parent), ",%s,", parents[j][1]);
				if (!strstr(list, sub))
					continue;
				seen++;
				if (!strstr(list, parent))
					fail_msg("%s: %s without %s", kinds_table[i].category,
						 parents[j][0], parents[j][1]);
			}
		}
		json_object_put(o);
	}
	assert_true(seen >= 3);
}

/* --- fileless: /dev/shm is CTD's own category ------------------------------------------------ */

struct fileless_case {
	const char *name;
	const char *path;
	const char *category;
	const char *source;
};

static const struct fileless_case fileless[] = {
	{ "fileless_memfd_is_the_memfd_category", "/memfd:payload (deleted)",
	  "Execution: Fileless Execution in /memfd:", "memfd" },
	{ "fileless_dev_shm_is_its_own_category", "/dev/shm/.x",
	  "Privilege Escalation: Fileless Execution in /dev/shm", "devShm" },
	{ "fileless_deleted_file_is_the_memfd_category", "/tmp/x (deleted)",
	  "Execution: Fileless Execution in /memfd:", "deleted" },
};

static void fileless_category_follows_where_the_file_was(void **state)
{
	const struct fileless_case *c = *state;
	struct t_finding tf = t_escape_tool();
	json_object *o;

	tf.kind = WHORL_KIND_FILELESS_EXECUTION;
	tf.intel_category = WHORL_INTEL_NONE;
	tf.intel_label = NULL;
	tf.binary.path = c->path;
	tf.binary.fs_path = c->path;
	tf.binary.dev = T_DEV(0, 1);
	tf.binary.layer = WHORL_LAYER_FILELESS;
	o = render(&tf, NULL);
	assert_string_equal(s_at(o, "finding.category"), c->category);
	assert_string_equal(s_at(o, "finding.sourceProperties.layer"), "fileless");
	assert_string_equal(s_at(o, "finding.sourceProperties.fileless"), c->source);
	assert_null(at(o, "finding.sourceProperties.intel"));
	assert_null(at(o, "finding.sourceProperties.binary.hostPath"));	/* mounted nowhere */
	assert_string_equal(s_at(o, "finding.sourceProperties.binary.device"), "0:1");
	json_object_put(o);
}

/* --- every layer ------------------------------------------------------------------------------- */

static void every_layer_is_named_in_source_properties(void **state)
{
	unsigned int layer;
	json_object *o;

	(void)state;
	for (layer = 0; layer < __WHORL_LAYER_MAX; layer++) {
		struct t_finding tf = t_escape_tool();

		tf.kind = WHORL_KIND_ADDED_MALICIOUS_BINARY;
		tf.binary.layer = layer;
		o = render(&tf, NULL);
		assert_non_null(whorl_layer_name(layer));
		assert_string_equal(s_at(o, "finding.sourceProperties.layer"),
				    whorl_layer_name(layer));
		assert_string_equal(s_at(o, "finding.sourceProperties.binary.layer"),
				    whorl_layer_name(layer));
		json_object_put(o);
	}
}

/* An unknown layer says why: here, a kernel whose overlayfs layout whorl could not confirm. */
static void unknown_layer_carries_its_reason(void **state)
{
	struct t_finding tf = t_escape_tool();
	json_object *o;

	(void)state;
	tf.kind = WHORL_KIND_MALICIOUS_BINARY;
	tf.binary.layer = WHORL_LAYER_UNKNOWN;
	tf.binary.layer_reason = WHORL_LAYER_REASON_PROVENANCE_OFF;
	o = render(&tf, NULL);
	assert_string_equal(s_at(o, "finding.sourceProperties.binary.layer"), "unknown");
	assert_string_equal(s_at(o, "finding.sourceProperties.binary.layerReason"),
			    whorl_layer_reason_name(WHORL_LAYER_REASON_PROVENANCE_OFF));
	json_object_put(o);
}

/* --- the xz case, field by field --------------------------------------------------------------- */

static void library_finding_has_process_files_and_source_properties(void **state)
{
	struct t_finding tf = t_modified_liblzma();
	json_object *o;

	(void)state;
	/* The module hashes the program that mapped the library too (kmod/report.c). */
	tf.binary.sha256_hex = "1c4e8d3f9a7b2c6d5e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f";
	tf.binary.size = tf.binary.hashed = 85072;
	o = render(&tf, NULL);
	assert_string_equal(s_at(o, "finding.eventTime"), "2024-03-29T12:00:00.123456789Z");
	assert_string_equal(s_at(o, "finding.createTime"), "2024-03-29T12:00:01.000000000Z");
	assert_string_equal(s_at(o, "finding.processes.0.name"), "xz");
	assert_string_equal(s_at(o, "finding.processes.0.pid"), "4242");
	assert_string_equal(s_at(o, "finding.processes.0.parentPid"), "4200");
	assert_string_equal(s_at(o, "finding.processes.0.userId"), "0");
	assert_string_equal(s_at(o, "finding.processes.0.binary.path"), "/usr/bin/xz");
	assert_string_equal(s_at(o, "finding.processes.0.binary.sha256"), tf.binary.sha256_hex);
	assert_string_equal(s_at(o, "finding.processes.0.binary.size"), "85072");
	assert_string_equal(s_at(o, "finding.processes.0.binary.diskPath.relativePath"),
			    "/usr/bin/xz");
	assert_null(at(o, "finding.processes.0.binary.diskPath.partitionUuid"));
	assert_string_equal(s_at(o, "finding.processes.0.libraries.0.path"),
			    "/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1");
	assert_string_equal(s_at(o, "finding.processes.0.libraries.0.sha256"),
			    tf.library.sha256_hex);
	assert_string_equal(s_at(o, "finding.processes.0.libraries.0.size"), "186776");
	assert_string_equal(s_at(o, "finding.processes.0.libraries.0.hashedSize"), "186776");
	assert_false(json_object_get_boolean(at(o, "finding.processes.0.libraries.0.partiallyHashed")));
	assert_string_equal(s_at(o, "finding.processes.0.args.1"), "--version");
	assert_false(json_object_get_boolean(at(o, "finding.processes.0.argumentsTruncated")));
	/* SCC's Process has no uid, euid or threadId field. */
	assert_null(at(o, "finding.processes.0.uid"));
	assert_null(at(o, "finding.processes.0.euid"));
	assert_string_equal(s_at(o, "finding.files.0.path"),
			    "/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1");
	/* whorl's own data. */
	assert_string_equal(s_at(o, "finding.sourceProperties.layer"), "modified");
	assert_true(json_object_get_boolean(at(o, "finding.sourceProperties.contentChanged")));
	assert_string_equal(s_at(o, "finding.sourceProperties.imageSha256"),
			    tf.library.lower_sha256_hex);
	assert_string_equal(s_at(o, "finding.sourceProperties.library.imageSha256"),
			    tf.library.lower_sha256_hex);
	assert_string_equal(s_at(o, "finding.sourceProperties.intel.category"), "malicious");
	assert_string_equal(s_at(o, "finding.sourceProperties.intel.label"),
			    "xz-backdoor CVE-2024-3094");
	assert_string_equal(s_at(o, "finding.sourceProperties.eventType"), "mmap");
	assert_string_equal(s_at(o, "finding.sourceProperties.action"), "none");
	assert_string_equal(s_at(o, "finding.sourceProperties.sequence"), "1");
	assert_string_equal(s_at(o, "finding.sourceProperties.findingId"), "42");
	assert_string_equal(s_at(o, "finding.sourceProperties.containerId"), T_DOCKER_ID);
	assert_string_equal(s_at(o, "finding.sourceProperties.containerRuntime"), "docker");
	assert_string_equal(s_at(o, "finding.sourceProperties.cgroup"), tf.cgroup);
	assert_string_equal(s_at(o, "finding.sourceProperties.cgroupId"), "8123");
	assert_string_equal(s_at(o, "finding.sourceProperties.host"), "node-1");
	assert_int_equal(json_object_get_int(at(o, "finding.sourceProperties.effectiveUserId")), 0);
	assert_string_equal(s_at(o, "finding.sourceProperties.binary.layer"), "image");
	assert_string_equal(s_at(o, "finding.sourceProperties.binary.hostPath"),
			    T_DOCKER_ROOTFS "/usr/bin/xz");
	assert_string_equal(s_at(o, "finding.sourceProperties.library.hostPath"),
			    T_DOCKER_ROOTFS "/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1");
	assert_string_equal(s_at(o, "finding.sourceProperties.library.device"), "0:123");
	/* No slash escaping. */
	assert_non_null(strstr(whorl_json_line(o), "\"/usr/bin/xz\""));
	json_object_put(o);
}

static void big_integers_are_exact_decimal_strings(void **state)
{
	struct t_finding tf = t_escape_tool();
	json_object *o;

	(void)state;
	tf.binary.size = 3ULL << 30;
	tf.binary.hashed = 256ULL << 20;
	tf.binary.partial = 1;
	tf.cgroup_id = 18446744073709551615ULL;
	tf.seq = 9007199254740993ULL;		/* 2^53 + 1: a double would round it */
	tf.pid = 4194304;
	tf.tgid = 4194303;			/* a thread of another process */
	o = render(&tf, NULL);
	assert_string_equal(s_at(o, "finding.processes.0.binary.size"), "3221225472");
	assert_string_equal(s_at(o, "finding.processes.0.binary.hashedSize"), "268435456");
	assert_true(json_object_get_boolean(at(o, "finding.processes.0.binary.partiallyHashed")));
	assert_string_equal(s_at(o, "finding.processes.0.pid"), "4194303");
	assert_int_equal(json_object_get_int64(at(o, "finding.sourceProperties.threadId")), 4194304);
	assert_string_equal(s_at(o, "finding.sourceProperties.cgroupId"), "18446744073709551615");
	assert_string_equal(s_at(o, "finding.sourceProperties.sequence"), "9007199254740993");
	json_object_put(o);
}

static void truncated_args_say_so(void **state)
{
	struct t_finding tf = t_escape_tool();
	json_object *o;

	(void)state;
	tf.args_truncated = 1;
	o = render(&tf, NULL);
	assert_true(json_object_get_boolean(at(o, "finding.processes.0.argumentsTruncated")));
	assert_string_equal(s_at(o, "finding.processes.0.args.0"), "/tmp/.x");
	json_object_put(o);
}

static void unhashed_file_has_no_indicator_and_no_hash(void **state)
{
	struct t_finding tf = t_escape_tool();
	json_object *o;

	(void)state;
	tf.kind = WHORL_KIND_K8S_ATTACK_TOOL;
	tf.binary.sha256_hex = NULL;
	o = render(&tf, NULL);
	assert_null(at(o, "finding.indicator"));
	assert_null(at(o, "finding.files.0.sha256"));
	assert_null(at(o, "finding.files.0.partiallyHashed"));
	json_object_put(o);
}

/* --- containers, pods, the resource ----------------------------------------------------------- */

static void docker_container_is_the_resource_with_its_name(void **state)
{
	struct t_finding tf = t_modified_liblzma();
	struct whorl_container_info ci = { .name = "xz-demo", .image = "debian:bookworm-slim",
					   .source = "docker" };
	json_object *o;

	(void)state;
	o = render(&tf, &ci);
	assert_string_equal(s_at(o, "finding.containers.0.name"), "xz-demo");
	assert_string_equal(s_at(o, "finding.containers.0.uri"), "debian:bookworm-slim");
	assert_null(at(o, "finding.containers.0.id"));
	assert_null(at(o, "finding.containers.0.runtime"));
	assert_null(at(o, "finding.kubernetes"));
	assert_string_equal(s_at(o, "resource.name"),
			    "//whorl/hosts/node-1/containers/" T_DOCKER_ID);
	assert_string_equal(s_at(o, "finding.resourceName"), s_at(o, "resource.name"));
	assert_string_equal(s_at(o, "resource.displayName"), "xz-demo");
	assert_string_equal(s_at(o, "resource.type"), "whorl.Container");
	json_object_put(o);
}

static void container_the_runtime_does_not_name_has_no_container_object(void **state)
{
	struct t_finding tf = t_modified_liblzma();
	json_object *o;

	(void)state;
	o = render(&tf, NULL);
	assert_null(at(o, "finding.containers"));
	assert_string_equal(s_at(o, "resource.displayName"), T_DOCKER_ID);
	assert_string_equal(s_at(o, "finding.sourceProperties.containerId"), T_DOCKER_ID);
	json_object_put(o);
}

static void kubernetes_pod_and_node_are_named(void **state)
{
	struct t_finding tf = t_escape_tool();
	struct whorl_label labels[] = { { "tier", "web" } };
	struct whorl_container_info ci = { .name = "web", .image = "docker.io/library/nginx:1.25",
					   .image_id = T_IMAGE_ID,
					   .created = "2026-12-05T03:00:18.788645910Z",
					   .labels = labels, .nlabels = 1,
					   .pod_name = "web-7d4b9c", .pod_namespace = "shop",
					   .pod_uid = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
					   .source = "containerd" };
	json_object *o;

	(void)state;
	o = render(&tf, &ci);
	assert_string_equal(s_at(o, "finding.containers.0.imageId"), T_IMAGE_ID);
	assert_string_equal(s_at(o, "finding.containers.0.createTime"),
			    "2026-12-05T03:00:18.788645910Z");
	assert_string_equal(s_at(o, "finding.containers.0.labels.0.name"), "tier");
	assert_string_equal(s_at(o, "finding.containers.0.labels.0.value"), "web");
	assert_string_equal(s_at(o, "finding.sourceProperties.podUid"),
			    "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
	assert_string_equal(s_at(o, "finding.kubernetes.pods.0.name"), "web-7d4b9c");
	assert_string_equal(s_at(o, "finding.kubernetes.pods.0.ns"), "shop");
	assert_string_equal(s_at(o, "finding.kubernetes.pods.0.containers.0.name"), "web");
	assert_string_equal(s_at(o, "finding.kubernetes.pods.0.containers.0.uri"),
			    "docker.io/library/nginx:1.25");
	assert_string_equal(s_at(o, "finding.kubernetes.nodes.0.name"), "node-1");
	assert_string_equal(s_at(o, "finding.containers.0.name"), "web");
	assert_string_equal(s_at(o, "finding.sourceProperties.containerRuntime"), "containerd");
	json_object_put(o);
}

static void host_process_makes_the_host_the_resource(void **state)
{
	struct t_finding tf = t_escape_tool();
	json_object *o;

	(void)state;
	tf.container_id = NULL;
	tf.runtime = WHORL_RUNTIME_NONE;
	o = render(&tf, NULL);
	assert_null(at(o, "finding.containers"));
	assert_null(at(o, "finding.sourceProperties.containerId"));
	assert_null(at(o, "finding.sourceProperties.containerRuntime"));
	assert_string_equal(s_at(o, "resource.name"), "//whorl/hosts/node-1");
	assert_string_equal(s_at(o, "resource.displayName"), "node-1");
	assert_string_equal(s_at(o, "resource.type"), "whorl.Host");
	json_object_put(o);
}

static void empty_container_id_names_no_container(void **state)
{
	struct t_finding tf = t_escape_tool();
	json_object *o;

	(void)state;
	tf.container_id = "";
	o = render(&tf, NULL);
	assert_null(at(o, "finding.sourceProperties.containerId"));
	assert_string_equal(s_at(o, "resource.name"), "//whorl/hosts/node-1");
	assert_string_equal(s_at(o, "resource.type"), "whorl.Host");
	json_object_put(o);
}

static void unknown_host_name_is_left_out(void **state)
{
	struct t_finding tf = t_escape_tool();
	struct whorl_container_info ci = { .pod_name = "p", .pod_namespace = "ns" };
	json_object *o;

	(void)state;
	o = render_host(&tf, &ci, NULL);
	assert_string_equal(s_at(o, "resource.name"), "//whorl/containers/" T_K8S_ID);
	assert_null(at(o, "finding.sourceProperties.host"));
	assert_null(at(o, "finding.kubernetes.nodes"));
	assert_null(at(o, "finding.kubernetes.pods.0.containers"));	/* no name, no image */
	json_object_put(o);
}

/* --- bad input ------------------------------------------------------------------------------- */

static void hostile_strings_stay_escaped_and_valid(void **state)
{
	static const char args[] = "sh\0-c\0echo \"}\\\n\t\x01\x7f\0\xff\xfe\0\xc0\xaf";
	struct t_finding tf = t_escape_tool();
	struct whorl_container_info ci = { .name = "a\x1b[31mred\n", .image = "img\"}{",
					   .pod_name = "p\x01od", .pod_namespace = "n\\s" };
	json_object *o, *back;
	const char *line;

	(void)state;
	tf.args = args;
	tf.args_len = sizeof(args) - 1;
	tf.args_truncated = 1;
	tf.comm = "\x01\x02\n";
	tf.binary.path = "/tmp/a \"quoted\"\npath\xe2\x28\xa1";
	tf.intel_label = "label\r\n{\"x\":1}";
	o = render(&tf, &ci);
	line = whorl_json_line(o);
	assert_null(strchr(line, '\n'));
	assert_null(strchr(line, '\x1b'));
	back = json_tokener_parse(line);
	assert_non_null(back);
	assert_string_equal(s_at(back, "finding.processes.0.args.2"), "echo \"}\\\n\t\x01\x7f");
	assert_string_equal(s_at(back, "finding.processes.0.args.3"), "\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(s_at(back, "finding.processes.0.args.4"), "\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(s_at(back, "finding.processes.0.name"), "\x01\x02\n");
	assert_string_equal(s_at(back, "finding.files.0.path"),
			    "/tmp/a \"quoted\"\npath\xef\xbf\xbd(\xef\xbf\xbd");
	assert_string_equal(s_at(back, "finding.containers.0.name"), "a\x1b[31mred\n");
	assert_string_equal(s_at(back, "resource.displayName"), "a\x1b[31mred\n");
	assert_string_equal(s_at(back, "finding.kubernetes.pods.0.ns"), "n\\s");
	assert_string_equal(s_at(back, "finding.sourceProperties.intel.label"),
			    "label\r\n{\"x\":1}");
	json_object_put(back);
	json_object_put(o);
}

static void unknown_kind_is_not_rendered(void **state)
{
	struct t_finding tf = t_escape_tool();

	(void)state;
	tf.kind = __WHORL_KIND_MAX;
	assert_null(render(&tf, NULL));
	tf.kind = WHORL_KIND_NONE;
	assert_null(render(&tf, NULL));
}

/* --- the command line ------------------------------------------------------------------------ */

struct format_case {
	const char *name;
	const char *format;
	int status;
};

/* getopt reads --format before --help: a bad name is a usage error, a good one shows help. */
static const struct format_case formats[] = {
	{ "relay_accepts_format_scc", "scc", 0 },
	{ "relay_accepts_format_flat", "flat", 0 },
	{ "relay_accepts_format_json_as_flat", "json", 0 },
	{ "relay_accepts_format_text", "text", 0 },
	{ "relay_refuses_an_unknown_format", "proto", 2 },
};

static void relay_format_names(void **state)
{
	const struct format_case *c = *state;
	char cmd[256];
	int ret;

	snprintf(cmd, sizeof(cmd), "./whorl relay --format %s --help >/dev/null 2>&1", c->format);
	ret = system(cmd);
	assert_true(WIFEXITED(ret));
	assert_int_equal(WEXITSTATUS(ret), c->status);
}

/* --- the two validators ------------------------------------------------------------------------ */

/* tests/scc_validate.py on @path: 0 if every line is valid. @only: "schema", "proto" or NULL. */
static int validate(const char *path, const char *only, int quiet)
{
	const char *python = getenv("WHORL_PYTHON");
	const char *schema = getenv("WHORL_SCC_SCHEMA");
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "'%s' tests/scc_validate.py --schema '%s'%s%s '%s'%s",
		 python ? python : "/usr/bin/python3",
		 schema ? schema : "../docs/scc-finding.schema.json",
		 only ? " --only " : "", only ? only : "", path, quiet ? " 2>/dev/null" : "");
	return system(cmd);
}

static void every_rendered_finding_passes_schema_and_strict_proto3_parse(void **state)
{
	(void)state;
	assert_int_equal(fflush(rendered), 0);
	assert_true(ftell(rendered) > 0);
	assert_int_equal(validate(rendered_path, NULL, 0), 0);
}

struct broken_case {
	const char *name;
	const char *from, *to;
	int schema_rejects, proto_rejects;
};

static const struct broken_case broken[] = {
	{ "stray_top_level_field_is_rejected_by_both", "{\"finding\":",
	  "{\"extra\":1,\"finding\":", 1, 1 },
	{ "flat_shape_uid_in_process_is_rejected_by_both", "\"userId\":\"0\"", "\"uid\":0", 1, 1 },
	{ "container_id_field_is_rejected_by_both", "\"containers\":[{",
	  "\"containers\":[{\"id\":\"x\",", 1, 1 },
	{ "technique_outside_scc_enum_is_rejected_by_both", "\"SHARED_MODULES\"",
	  "\"MALICIOUS_IMAGE\"", 1, 1 },
	{ "unknown_severity_is_rejected_by_both", "\"CRITICAL\"", "\"SEVERE\"", 1, 1 },
	{ "disk_path_as_string_is_rejected_by_both", "\"diskPath\":{\"relativePath\":\"/usr/bin/xz\"}",
	  "\"diskPath\":\"/usr/bin/xz\"", 1, 1 },
	{ "bad_timestamp_is_rejected_by_both", "\"2024-03-29T12:00:00.123456789Z\"",
	  "\"2024-03-29 12:00\"", 1, 1 },
	{ "pid_as_json_number_is_rejected_by_the_schema", "\"pid\":\"4242\"", "\"pid\":4242", 1, 0 },
	{ "unknown_source_property_is_rejected_by_the_schema", "\"sourceProperties\":{",
	  "\"sourceProperties\":{\"whatever\":1,", 1, 0 },
};

/* The validators can fail: a finding broken one way is refused by the check(s) that must. */
static void validators_reject_a_broken_finding(void **state)
{
	const struct broken_case *c = *state;
	struct t_finding tf = t_modified_liblzma();
	struct whorl_container_info ci = { .name = "xz-demo", .image = "debian:bookworm-slim" };
	char path[] = "/tmp/whorl-scc-broken.XXXXXX", line[16384];
	const char *good, *p;
	json_object *o;
	FILE *f;
	int fd;

	o = render(&tf, &ci);
	good = whorl_json_line(o);
	p = strstr(good, c->from);
	if (!p)
		fail_msg("'%s' not in %s", c->from, good);
	snprintf(line, sizeof(line), "%.*s%s%s\n", (int)(p - good), good, c->to,
		 p + strlen(c->from));
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(line, f);
	fclose(f);
	assert_int_equal(validate(path, "schema", 1) != 0, c->schema_rejects);
	assert_int_equal(validate(path, "proto", 1) != 0, c->proto_rejects);
	unlink(path);
	json_object_put(o);
}

int main(void)
{
	struct CMUnitTest tests[96];
	size_t i, n = 0;
	int fd, ret;

	if (whorl_mounts_init(&mounts, t_fixture(T_MOUNTINFO))) {
		perror("scc-test: " T_MOUNTINFO);
		return 1;
	}
	fd = mkstemp(rendered_path);
	if (fd < 0 || !(rendered = fdopen(fd, "w"))) {
		perror("scc-test");
		return 1;
	}
	for (i = 0; i < NKINDS; i++) {
		snprintf(kind_names[i], sizeof(kind_names[i]), "%s_renders_ctd_category_and_mitre",
			 whorl_kind(kinds_table[i].kind)->name);
		tests[n++] = (struct CMUnitTest){ kind_names[i],
			kind_renders_ctd_category_severity_and_mitre, NULL, NULL,
			(void *)&kinds_table[i] };
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(every_kind_the_tool_names_has_an_scc_row);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(sub_techniques_come_with_their_parent);
	for (i = 0; i < sizeof(fileless) / sizeof(fileless[0]); i++)
		tests[n++] = (struct CMUnitTest){ fileless[i].name,
			fileless_category_follows_where_the_file_was, NULL, NULL,
			(void *)&fileless[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(every_layer_is_named_in_source_properties);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(unknown_layer_carries_its_reason);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		library_finding_has_process_files_and_source_properties);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(big_integers_are_exact_decimal_strings);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(truncated_args_say_so);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(unhashed_file_has_no_indicator_and_no_hash);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		docker_container_is_the_resource_with_its_name);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		container_the_runtime_does_not_name_has_no_container_object);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(kubernetes_pod_and_node_are_named);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(host_process_makes_the_host_the_resource);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(empty_container_id_names_no_container);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(unknown_host_name_is_left_out);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(hostile_strings_stay_escaped_and_valid);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(unknown_kind_is_not_rendered);
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		tests[n++] = (struct CMUnitTest){ formats[i].name, relay_format_names, NULL, NULL,
						  (void *)&formats[i] };
	/* after every test that renders */
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		every_rendered_finding_passes_schema_and_strict_proto3_parse);
	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++)
		tests[n++] = (struct CMUnitTest){ broken[i].name, validators_reject_a_broken_finding,
						  NULL, NULL, (void *)&broken[i] };
	ret = _cmocka_run_group_tests("scc", tests, n, NULL, NULL);
	fclose(rendered);
	unlink(rendered_path);
	whorl_mounts_free(&mounts);
	return ret;
}
