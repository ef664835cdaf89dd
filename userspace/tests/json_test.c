// SPDX-License-Identifier: GPL-2.0
/*
 * json_test.c - finding JSON: every kind's category, severity and MITRE ids, the indicator
 * naming the offending file, eventTime, layers, enrichment, escaping; every rendered finding is
 * validated against docs/finding.schema.json by python3-jsonschema.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "finding.h"
#include "json.h"
#include "kinds.h"
#include "mounts.h"
#include "scc.h"
#include "enrich.h"
#include "testlib.h"
#include "text.h"

static char buf[16384];
/* The fixtures' host mount table, for diskPath as the relay fills it. */
static struct whorl_mounts mounts;
/* Every finding rendered by any test, validated at the end. */
static FILE *rendered;
static char rendered_path[] = "/tmp/whorl-json-test.XXXXXX";

static json_object *render(const struct t_finding *tf, const struct whorl_container_info *ci)
{
	struct whorl_finding f;
	json_object *o;
	size_t len = t_build_finding(buf, tf);

	assert_int_equal(whorl_finding_parse(buf, len, &f), 0);
	whorl_mounts_fill(&mounts, &f);
	o = whorl_finding_json(&f, ci, "node-1");
	whorl_finding_free(&f);
	if (o)
		fprintf(rendered, "%s\n", whorl_json_line(o));
	return o;
}

#define at whorl_json_at

static const char *s_at(json_object *o, const char *path)
{
	json_object *v = at(o, path);

	if (!v)
		fail_msg("no field %s in %s", path, whorl_json_line(o));
	return json_object_get_string(v);
}

/* --- one case per kind ------------------------------------------------------------------------ */

struct kind_case {
	const char *name;
	uint32_t kind;
	const char *category;
	const char *severity;
	const char *tactic;
	const char *ids;		/* techniqueIds joined by ',' */
	int library;
};

static const struct kind_case kinds_table[] = {
	{ "modified_malicious_library", WHORL_KIND_MODIFIED_MALICIOUS_LIBRARY,
	  "Execution: Modified Malicious Library Loaded", "CRITICAL", "EXECUTION", "T1105,T1129", 1 },
	{ "container_escape", WHORL_KIND_CONTAINER_ESCAPE,
	  "Execution: Container Escape", "CRITICAL", "PRIVILEGE_ESCALATION", "T1611", 0 },
	{ "added_malicious_library", WHORL_KIND_ADDED_MALICIOUS_LIBRARY,
	  "Execution: Added Malicious Library Loaded", "CRITICAL", "EXECUTION", "T1105,T1129", 1 },
	{ "added_malicious_binary", WHORL_KIND_ADDED_MALICIOUS_BINARY,
	  "Execution: Added Malicious Binary Executed", "CRITICAL", "EXECUTION", "T1105", 0 },
	{ "modified_malicious_binary", WHORL_KIND_MODIFIED_MALICIOUS_BINARY,
	  "Execution: Modified Malicious Binary Executed", "CRITICAL", "EXECUTION", "T1105", 0 },
	{ "builtin_malicious_binary", WHORL_KIND_BUILTIN_MALICIOUS_BINARY,
	  "Execution: Built in Malicious Binary Executed", "CRITICAL", "EXECUTION", "T1204.003", 0 },
	{ "builtin_malicious_library", WHORL_KIND_BUILTIN_MALICIOUS_LIBRARY,
	  "Execution: Built in Malicious Library Loaded", "CRITICAL", "EXECUTION",
	  "T1204.003,T1129", 1 },
	{ "added_binary", WHORL_KIND_ADDED_BINARY,
	  "Added Binary Executed", "LOW", "EXECUTION", "T1105", 0 },
	{ "added_library", WHORL_KIND_ADDED_LIBRARY,
	  "Added Library Loaded", "LOW", "EXECUTION", "T1105,T1129", 1 },
	{ "fileless_execution", WHORL_KIND_FILELESS_EXECUTION,
	  "Execution: Fileless Execution in /memfd:", "HIGH", "DEFENSE_EVASION", "T1620", 0 },
	{ "k8s_attack_tool", WHORL_KIND_K8S_ATTACK_TOOL,
	  "Execution: Kubernetes Attack Tool Execution", "HIGH", "EXECUTION", "T1609,T1613", 0 },
	{ "recon_tool", WHORL_KIND_RECON_TOOL,
	  "Execution: Local Reconnaissance Tool Execution", "HIGH", "DISCOVERY", "T1082,T1613", 0 },
	{ "malicious_binary_of_unknown_layer", WHORL_KIND_MALICIOUS_BINARY,
	  "Execution: Malicious Binary Executed", "CRITICAL", "EXECUTION", "T1105", 0 },
	{ "unfingerprintable_executable", WHORL_KIND_UNFINGERPRINTABLE,
	  "Defense Evasion: Unfingerprintable Executable", "HIGH", "DEFENSE_EVASION", "T1562", 0 },
	{ "malicious_library_of_unknown_layer", WHORL_KIND_MALICIOUS_LIBRARY,
	  "Execution: Malicious Library Loaded", "CRITICAL", "EXECUTION", "T1105,T1129", 1 },
};

static void kind_renders_category_severity_mitre_and_indicator(void **state)
{
	const struct kind_case *c = *state;
	struct t_finding tf = c->library ? t_modified_liblzma() : t_escape_tool();
	const char *sha = c->library ? tf.library.sha256_hex : tf.binary.sha256_hex;
	json_object *o, *ids;
	char want[200], got[200] = "";
	size_t i;

	tf.kind = c->kind;
	o = render(&tf, NULL);
	assert_non_null(o);
	assert_string_equal(s_at(o, "category"), c->category);
	assert_string_equal(s_at(o, "severity"), c->severity);
	assert_string_equal(s_at(o, "mitreAttack.primaryTactic"), c->tactic);
	ids = at(o, "mitreAttack.techniqueIds");
	for (i = 0; i < json_object_array_length(ids); i++) {
		if (i)
			strcat(got, ",");
		strcat(got, json_object_get_string(json_object_array_get_idx(ids, i)));
	}
	assert_string_equal(got, c->ids);
	assert_int_equal(json_object_array_length(at(o, "mitreAttack.primaryTechniques")),
			 json_object_array_length(ids));
	/* The indicator is the offending file: the library for library kinds. */
	snprintf(want, sizeof(want), "https://www.virustotal.com/gui/file/%s", sha);
	assert_string_equal(s_at(o, "indicator.uris.0"), want);
	assert_int_equal(json_object_array_length(at(o, "indicator.uris")), 1);
	assert_int_equal(!!at(o, "processes.0.libraries"), c->library);
	json_object_put(o);
}

/* --- fields ------------------------------------------------------------------------------------- */

static void modified_library_finding_has_the_issue_fields(void **state)
{
	struct t_finding tf = t_modified_liblzma();
	json_object *o;

	(void)state;
	o = render(&tf, NULL);
	assert_string_equal(s_at(o, "eventTime"), "2024-03-29T12:00:00.123456789Z");
	assert_string_equal(s_at(o, "eventType"), "mmap");
	assert_string_equal(s_at(o, "action"), "none");
	assert_int_equal(json_object_get_int64(at(o, "processes.0.pid")), 4242);
	assert_int_equal(json_object_get_int64(at(o, "processes.0.parentPid")), 4200);
	assert_string_equal(s_at(o, "processes.0.name"), "xz");
	assert_string_equal(s_at(o, "processes.0.binary.path"), "/usr/bin/xz");
	assert_null(at(o, "processes.0.binary.sha256"));
	assert_string_equal(s_at(o, "processes.0.libraries.0.path"),
			    "/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1");
	assert_string_equal(s_at(o, "processes.0.binary.diskPath"), T_DOCKER_ROOTFS "/usr/bin/xz");
	assert_string_equal(s_at(o, "processes.0.libraries.0.diskPath"),
			    T_DOCKER_ROOTFS "/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1");
	assert_string_equal(s_at(o, "processes.0.libraries.0.sha256"), tf.library.sha256_hex);
	assert_int_equal(json_object_get_int64(at(o, "processes.0.libraries.0.size")), 186776);
	assert_int_equal(json_object_get_int64(at(o, "processes.0.libraries.0.hashedSize")), 186776);
	assert_false(json_object_get_boolean(at(o, "processes.0.libraries.0.partiallyHashed")));
	assert_string_equal(s_at(o, "processes.0.libraries.0.imageSha256"),
			    tf.library.lower_sha256_hex);
	/* the layer's directory as sent; its record only once the relay looked it up */
	assert_string_equal(s_at(o, "processes.0.libraries.0.imageLayer.directory"), T_LAYER_DIR);
	assert_null(at(o, "processes.0.libraries.0.imageLayer.diffId"));
	assert_null(at(o, "processes.0.binary.imageLayer"));
	assert_string_equal(s_at(o, "processes.0.args.0"), "/usr/bin/xz");
	assert_string_equal(s_at(o, "processes.0.args.1"), "--version");
	assert_false(json_object_get_boolean(at(o, "processes.0.argumentsTruncated")));
	assert_string_equal(s_at(o, "containers.0.id"), tf.container_id);
	assert_string_equal(s_at(o, "containers.0.runtime"), "docker");
	assert_null(at(o, "containers.0.name"));	/* no enrichment: omitted, not guessed */
	assert_string_equal(s_at(o, "resource.host"), "node-1");
	assert_string_equal(s_at(o, "resource.cgroup"), tf.cgroup);
	assert_int_equal(json_object_get_int64(at(o, "resource.cgroupId")), 8123);
	assert_string_equal(s_at(o, "layer"), "modified");
	assert_true(json_object_get_boolean(at(o, "contentChanged")));
	assert_string_equal(s_at(o, "intel.category"), "malicious");
	assert_string_equal(s_at(o, "intel.label"), "xz-backdoor CVE-2024-3094");
	assert_int_equal(json_object_get_int64(at(o, "sequence")), 1);
	assert_int_equal(json_object_get_int64(at(o, "findingId")), 42);
	/* No slash escaping: log pipelines and the e2e tests read paths as written. */
	assert_non_null(strstr(whorl_json_line(o), "\"/usr/bin/xz\""));
	json_object_put(o);
}

struct content_case {
	const char *name;
	int content;
	int present;
	int changed;
};

static const struct content_case contents[] = {
	{ "modified_content_changed_is_true", WHORL_CONTENT_CHANGED, 1, 1 },
	{ "modified_content_same_is_false", WHORL_CONTENT_SAME, 1, 0 },
	{ "modified_content_unknown_is_omitted", WHORL_CONTENT_UNKNOWN, 0, 0 },
	{ "modified_content_absent_is_omitted", -1, 0, 0 },
};

static void content_changed_follows_the_kernel(void **state)
{
	const struct content_case *c = *state;
	struct t_finding tf = t_modified_liblzma();
	json_object *o;

	tf.library.content = c->content;
	o = render(&tf, NULL);
	assert_int_equal(!!at(o, "contentChanged"), c->present);
	if (c->present)
		assert_int_equal(json_object_get_boolean(at(o, "contentChanged")), c->changed);
	json_object_put(o);
}

struct time_case {
	const char *name;
	uint64_t ns;
	const char *want;
};

static const struct time_case times[] = {
	{ "event_time_epoch", 0, "1970-01-01T00:00:00.000000000Z" },
	{ "event_time_keeps_nanoseconds", 999999999, "1970-01-01T00:00:00.999999999Z" },
	{ "event_time_leap_day", 1709251199000000001ULL, "2024-02-29T23:59:59.000000001Z" },
	{ "event_time_2038_and_after", 2147483648000000000ULL, "2038-01-19T03:14:08.000000000Z" },
};

static void event_time_is_rfc3339_utc(void **state)
{
	const struct time_case *c = *state;
	char out[40];

	whorl_rfc3339(c->ns, out);
	assert_string_equal(out, c->want);
}

static void fileless_finding_without_intel_has_no_intel_object(void **state)
{
	struct t_finding tf = t_escape_tool();
	json_object *o;

	(void)state;
	tf.kind = WHORL_KIND_FILELESS_EXECUTION;
	tf.intel_category = WHORL_INTEL_NONE;
	tf.intel_label = NULL;
	tf.binary.path = "/memfd:payload (deleted)";
	tf.binary.fs_path = "/memfd:payload (deleted)";
	tf.binary.dev = T_DEV(0, 1);		/* the kernel's internal shmem mount */
	tf.binary.layer = WHORL_LAYER_FILELESS;
	o = render(&tf, NULL);
	assert_null(at(o, "intel"));
	assert_string_equal(s_at(o, "layer"), "fileless");
	assert_string_equal(s_at(o, "processes.0.binary.path"), "/memfd:payload (deleted)");
	assert_null(at(o, "processes.0.binary.diskPath"));
	json_object_put(o);
}

/* An unhashable mapping is about its library: the program mapping it is not the subject. */
static void unfingerprintable_mapping_is_about_its_library(void **state)
{
	struct t_finding tf = t_modified_liblzma();
	json_object *o;

	(void)state;
	tf.kind = WHORL_KIND_UNFINGERPRINTABLE;
	tf.intel_category = WHORL_INTEL_NONE;
	tf.intel_label = NULL;
	tf.binary.sha256_hex = "ece2b966bc9b5046cf75bc2a46644514d92128bc7f1a12eeecc73d35f60a3b0e";
	tf.binary.layer = WHORL_LAYER_ADDED;
	tf.library.path = "/fuse1/libstall.so";
	tf.library.fs_path = "/libstall.so";
	tf.library.sha256_hex = NULL;
	tf.library.size = tf.library.hashed = 0;
	tf.library.layer = WHORL_LAYER_VOLUME;
	tf.library.content = -1;
	tf.library.lower_sha256_hex = NULL;
	o = render(&tf, NULL);
	assert_string_equal(s_at(o, "layer"), "volume");
	/* no indicator: the subject has no hash (the program's would point at the wrong file) */
	assert_null(at(o, "indicator"));
	assert_string_equal(s_at(o, "processes.0.libraries.0.path"), "/fuse1/libstall.so");
	assert_string_equal(s_at(o, "processes.0.binary.layer"), "added");
	json_object_put(o);
}

static void unknown_layer_carries_its_reason(void **state)
{
	struct t_finding tf = t_escape_tool();
	json_object *o;

	(void)state;
	tf.kind = WHORL_KIND_MALICIOUS_BINARY;
	tf.binary.layer = WHORL_LAYER_UNKNOWN;
	tf.binary.layer_reason = WHORL_LAYER_REASON_UNCONFIRMED;
	o = render(&tf, NULL);
	assert_string_equal(s_at(o, "processes.0.binary.layer"), "unknown");
	assert_string_equal(s_at(o, "processes.0.binary.layerReason"),
			    whorl_layer_reason_name(WHORL_LAYER_REASON_UNCONFIRMED));
	json_object_put(o);
}

static void unhashed_file_has_no_indicator(void **state)
{
	struct t_finding tf = t_escape_tool();
	json_object *o;

	(void)state;
	tf.kind = WHORL_KIND_K8S_ATTACK_TOOL;
	tf.binary.sha256_hex = NULL;
	o = render(&tf, NULL);
	assert_null(at(o, "indicator"));
	assert_null(at(o, "processes.0.binary.sha256"));
	json_object_put(o);
}

static void partially_hashed_file_says_so(void **state)
{
	struct t_finding tf = t_escape_tool();
	json_object *o;

	(void)state;
	tf.binary.size = 3ULL << 30;
	tf.binary.hashed = 256ULL << 20;
	tf.binary.partial = 1;
	o = render(&tf, NULL);
	assert_true(json_object_get_boolean(at(o, "processes.0.binary.partiallyHashed")));
	assert_int_equal(json_object_get_int64(at(o, "processes.0.binary.size")), 3LL << 30);
	assert_int_equal(json_object_get_int64(at(o, "processes.0.binary.hashedSize")), 256LL << 20);
	json_object_put(o);
}

static void enrichment_adds_name_image_and_pod(void **state)
{
	struct t_finding tf = t_escape_tool();
	struct whorl_label labels[] = { { "tier", "web" }, { "team", "payments" } };
	struct whorl_container_info ci = { .name = "web", .image = "docker.io/library/nginx:1.25",
					   .image_id = T_IMAGE_ID, .created = "2026-12-05T03:00:18.000000000Z",
					   .labels = labels, .nlabels = 2,
					   .pod_name = "web-7d4b9c", .pod_namespace = "shop",
					   .pod_uid = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b" };
	json_object *o;

	(void)state;
	o = render(&tf, &ci);
	assert_string_equal(s_at(o, "containers.0.name"), "web");
	assert_string_equal(s_at(o, "containers.0.uri"), "docker.io/library/nginx:1.25");
	assert_string_equal(s_at(o, "containers.0.imageId"), T_IMAGE_ID);
	assert_string_equal(s_at(o, "containers.0.createTime"), "2026-12-05T03:00:18.000000000Z");
	assert_string_equal(s_at(o, "containers.0.labels.1.name"), "team");
	assert_string_equal(s_at(o, "containers.0.labels.1.value"), "payments");
	assert_string_equal(s_at(o, "kubernetes.pods.0.name"), "web-7d4b9c");
	assert_string_equal(s_at(o, "kubernetes.pods.0.ns"), "shop");
	assert_string_equal(s_at(o, "kubernetes.pods.0.uid"), "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
	json_object_put(o);
}

/* The image layer, as the relay resolves it from Docker's layer database: in both shapes. */
static void image_layer_resolved_from_the_runtime(void **state)
{
	struct t_finding tf = t_modified_liblzma();
	struct whorl_layer_info li;
	struct whorl_finding f;
	unsigned int refused = 0;
	size_t len = t_build_finding(buf, &tf);
	json_object *o, *scc;
	char root[4096];

	(void)state;
	strcpy(root, t_fixture("runtimes"));
	assert_int_equal(whorl_finding_parse(buf, len, &f), 0);
	assert_int_equal(whorl_enrich_layer(root, f.library.layer_dir,
		"sha256:8ccbbc90c271aeb38e4175fedb6f0d363aea6d0bebd56b2ee3b67f4f27cfcf2a", &li,
		&refused), 1);
	f.library.layer_diff_id = li.diff_id;
	f.library.layer_index = li.index;
	f.library.layer_count = li.count;
	o = whorl_finding_json(&f, NULL, "node-1");
	scc = whorl_finding_scc(&f, NULL, "node-1", 1711713600123456789ULL);
	whorl_finding_free(&f);
	assert_non_null(o);
	assert_non_null(scc);
	fprintf(rendered, "%s\n", whorl_json_line(o));
	assert_string_equal(s_at(o, "processes.0.libraries.0.imageLayer.diffId"),
		"sha256:b549a464ab38ef9190859ba7add212bfb2cb9b0617403064bfaa442b50ada243");
	assert_int_equal(json_object_get_int64(at(o, "processes.0.libraries.0.imageLayer.index")),
			 2);
	assert_int_equal(json_object_get_int64(at(o, "processes.0.libraries.0.imageLayer.count")),
			 3);
	assert_string_equal(s_at(scc, "finding.sourceProperties.library.imageLayer.diffId"),
		"sha256:b549a464ab38ef9190859ba7add212bfb2cb9b0617403064bfaa442b50ada243");
	assert_int_equal(json_object_get_int64(at(scc,
		"finding.sourceProperties.library.imageLayer.index")), 2);
	json_object_put(o);
	json_object_put(scc);
}

static void host_process_has_no_container(void **state)
{
	struct t_finding tf = t_escape_tool();
	json_object *o;

	(void)state;
	tf.container_id = NULL;
	tf.runtime = WHORL_RUNTIME_NONE;
	o = render(&tf, NULL);
	assert_null(at(o, "containers"));
	json_object_put(o);
}

static void hostile_strings_round_trip_through_json(void **state)
{
	static const char args[] = "sh\0-c\0echo \"}\\\n\t\x01\0\xff";
	struct t_finding tf = t_escape_tool();
	json_object *o, *back;

	(void)state;
	tf.args = args;
	tf.args_len = sizeof(args) - 1;
	tf.binary.path = "/tmp/a \"quoted\"\npath";
	tf.args_truncated = 1;
	o = render(&tf, NULL);
	back = json_tokener_parse(whorl_json_line(o));
	assert_non_null(back);
	assert_null(strchr(whorl_json_line(o), '\n'));
	assert_string_equal(s_at(back, "processes.0.args.2"), "echo \"}\\\n\t\x01");
	assert_string_equal(s_at(back, "processes.0.args.3"), "\xef\xbf\xbd");
	assert_string_equal(s_at(back, "processes.0.binary.path"), "/tmp/a \"quoted\"\npath");
	assert_true(json_object_get_boolean(at(back, "processes.0.argumentsTruncated")));
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

static void text_format_is_one_readable_line(void **state)
{
	struct t_finding tf = t_modified_liblzma();
	json_object *o;
	char *line;

	(void)state;
	o = render(&tf, NULL);
	line = whorl_finding_text(o);
	assert_non_null(line);
	assert_null(strchr(line, '\n'));
	assert_non_null(strstr(line, "2024-03-29T12:00:00.123456789Z CRITICAL "
				     "Execution: Modified Malicious Library Loaded: container="));
	assert_non_null(strstr(line, " runtime=docker pid=4242 comm=xz exe=/usr/bin/xz "
				     "library=/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1 sha256="));
	assert_non_null(strstr(line, " layer=modified intel=malicious "
				     "label=\"xz-backdoor CVE-2024-3094\" action=none seq=1"));
	free(line);
	json_object_put(o);
}

/* --- the schema, with a real validator ---------------------------------------------------------- */

/* 0 if every line of @path is valid; the validator's reasons on stderr unless @quiet. */
static int validate(const char *path, int quiet)
{
	const char *schema = getenv("WHORL_SCHEMA");
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "python3 tests/validate.py '%s' '%s'%s",
		 schema ? schema : "../docs/finding.schema.json", path,
		 quiet ? " 2>/dev/null" : "");
	return system(cmd);
}

static void every_rendered_finding_validates_against_the_schema(void **state)
{
	(void)state;
	assert_int_equal(fflush(rendered), 0);
	assert_true(ftell(rendered) > 0);
	assert_int_equal(validate(rendered_path, 0), 0);
}

struct broken_case {
	const char *name;
	const char *from, *to;
};

static const struct broken_case broken[] = {
	{ "schema_rejects_unknown_severity", "\"CRITICAL\"", "\"SEVERE\"" },
	{ "schema_rejects_uppercase_sha256", "\"5ee2a4e8", "\"5EE2A4E8" },
	{ "schema_rejects_unknown_field", "\"category\":", "\"categry\":\"x\",\"category\":" },
	{ "schema_rejects_time_without_nanoseconds", ".123456789Z", "Z" },
	{ "schema_rejects_string_pid", "\"pid\":4242", "\"pid\":\"4242\"" },
};

/* The validator can fail: a finding broken one way is refused. */
static void schema_rejects_a_broken_finding(void **state)
{
	const struct broken_case *c = *state;
	struct t_finding tf = t_modified_liblzma();
	char path[] = "/tmp/whorl-broken.XXXXXX", line[8192];
	const char *good, *p;
	json_object *o;
	FILE *f;
	int fd;

	o = render(&tf, NULL);
	good = whorl_json_line(o);
	p = strstr(good, c->from);
	assert_non_null(p);
	snprintf(line, sizeof(line), "%.*s%s%s\n", (int)(p - good), good, c->to,
		 p + strlen(c->from));
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(line, f);
	fclose(f);
	assert_int_not_equal(validate(path, 1), 0);
	unlink(path);
	json_object_put(o);
}

int main(void)
{
	struct CMUnitTest tests[64];
	size_t i, n = 0;
	int fd, ret;

	if (whorl_mounts_init(&mounts, t_fixture(T_MOUNTINFO))) {
		perror("json-test: " T_MOUNTINFO);
		return 1;
	}
	fd = mkstemp(rendered_path);
	if (fd < 0 || !(rendered = fdopen(fd, "w"))) {
		perror("json-test");
		return 1;
	}
	for (i = 0; i < sizeof(kinds_table) / sizeof(kinds_table[0]); i++)
		tests[n++] = (struct CMUnitTest){ kinds_table[i].name,
			kind_renders_category_severity_mitre_and_indicator, NULL, NULL,
			(void *)&kinds_table[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		modified_library_finding_has_the_issue_fields);
	for (i = 0; i < sizeof(contents) / sizeof(contents[0]); i++)
		tests[n++] = (struct CMUnitTest){ contents[i].name, content_changed_follows_the_kernel,
						  NULL, NULL, (void *)&contents[i] };
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		tests[n++] = (struct CMUnitTest){ times[i].name, event_time_is_rfc3339_utc,
						  NULL, NULL, (void *)&times[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		fileless_finding_without_intel_has_no_intel_object);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(unfingerprintable_mapping_is_about_its_library);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(unknown_layer_carries_its_reason);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(unhashed_file_has_no_indicator);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(partially_hashed_file_says_so);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(enrichment_adds_name_image_and_pod);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(image_layer_resolved_from_the_runtime);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(host_process_has_no_container);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(hostile_strings_round_trip_through_json);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(unknown_kind_is_not_rendered);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(text_format_is_one_readable_line);
	/* after every test that renders */
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		every_rendered_finding_validates_against_the_schema);
	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++)
		tests[n++] = (struct CMUnitTest){ broken[i].name, schema_rejects_a_broken_finding,
						  NULL, NULL, (void *)&broken[i] };
	ret = _cmocka_run_group_tests("json", tests, n, NULL, NULL);
	fclose(rendered);
	unlink(rendered_path);
	whorl_mounts_free(&mounts);
	return ret;
}
