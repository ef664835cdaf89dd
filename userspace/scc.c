// SPDX-License-Identifier: GPL-2.0
/*
 * scc.c - a finding as Security Command Center v2 exports it: {"finding": ..., "resource": ...},
 * field names, nesting and enum values of google.cloud.securitycenter.v2 in proto3's JSON
 * mapping (int64 as decimal strings, Timestamps as RFC 3339); whatever whorl knows that SCC has
 * no field for goes under finding.sourceProperties. Rendered with json-c.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "attack.h"
#include "json.h"
#include "kinds.h"
#include "scc.h"

#define VT_PREFIX "https://www.virustotal.com/gui/file/"

/* --- categories, severities, MITRE ATT&CK: docs/FINDINGS.md is this table ------------------- */

#define RESPOND_IMAGE_CHANGED							\
	"Keep the container's upper layer (the changed file is there) before removing the "	\
	"container. "
#define RESPOND_WORKLOAD							\
	"Find how the file got there: the container's earlier processes, exec sessions, mounted " \
	"volumes and exposed services. Redeploy from a trusted image and rotate the secrets the " \
	"container could read."

static const struct whorl_scc_kind scc_kinds[__WHORL_KIND_MAX] = {
	[WHORL_KIND_MODIFIED_MALICIOUS_LIBRARY] = {
		"Execution: Modified Malicious Library Loaded", 1, "CRITICAL", "EXECUTION",
		{ "SHARED_MODULES" }, { "COMMAND_AND_CONTROL" }, { "INGRESS_TOOL_TRANSFER" },
		{ "T1129", "T1105" },
		"A library that the container image ships was changed after the container started, "
		"and the changed file, whose SHA-256 is in threat intelligence, was mapped executable "
		"by a process: code the image never shipped runs under a trusted library's name.",
		RESPOND_IMAGE_CHANGED
		"Look the new hash up through the indicator and compare it with the image's copy "
		"(sourceProperties.imageSha256). " RESPOND_WORKLOAD },
	[WHORL_KIND_CONTAINER_ESCAPE] = {
		"Execution: Container Escape", 1, "CRITICAL", "PRIVILEGE_ESCALATION",
		{ "ESCAPE_TO_HOST" }, { NULL }, { NULL }, { "T1611" },
		"A tool known for breaking out of containers (matched by hash or by name in threat "
		"intelligence) ran inside a container: whoever controls the container is trying to "
		"reach the node and the other workloads on it.",
		"Isolate the node (cordon it, stop scheduling to it). Check whether the container was "
		"privileged, shared the host's namespaces or mounted host paths or a runtime socket. "
		"Look on the node for processes, files and credentials changed after eventTime. Remove "
		"the container, and rebuild the node if the escape may have worked." },
	[WHORL_KIND_ADDED_MALICIOUS_LIBRARY] = {
		"Execution: Added Malicious Library Loaded", 1, "CRITICAL", "EXECUTION",
		{ "SHARED_MODULES" }, { "COMMAND_AND_CONTROL" }, { "INGRESS_TOOL_TRANSFER" },
		{ "T1129", "T1105" },
		"A library that is not in the container image was written at run time and mapped "
		"executable, and its SHA-256 is in threat intelligence: someone with control of the "
		"container brought malicious code in and loaded it into a process.",
		"Copy the file (sourceProperties.library.hostPath) and look its hash up through the "
		"indicator. " RESPOND_WORKLOAD },
	[WHORL_KIND_ADDED_MALICIOUS_BINARY] = {
		"Execution: Added Malicious Binary Executed", 1, "CRITICAL", "EXECUTION",
		{ "NATIVE_API" }, { "COMMAND_AND_CONTROL" }, { "INGRESS_TOOL_TRANSFER" },
		{ "T1106", "T1105" },
		"A program that is not in the container image was written at run time and executed, "
		"and its SHA-256 is in threat intelligence: the container is very likely under an "
		"attacker's control.",
		"Copy the file (sourceProperties.binary.hostPath) and look its hash up through the "
		"indicator. " RESPOND_WORKLOAD },
	[WHORL_KIND_MODIFIED_MALICIOUS_BINARY] = {
		"Execution: Modified Malicious Binary Executed", 1, "CRITICAL", "EXECUTION",
		{ "NATIVE_API" }, { "COMMAND_AND_CONTROL", "DEFENSE_EVASION" },
		{ "INGRESS_TOOL_TRANSFER", "MATCH_LEGITIMATE_NAME_OR_LOCATION", "MASQUERADING" },
		{ "T1106", "T1105", "T1036.005" },
		"A program that the container image ships was overwritten after the container started "
		"and then executed, and the new content's SHA-256 is in threat intelligence: malicious "
		"code runs under the name of a legitimate program.",
		RESPOND_IMAGE_CHANGED
		"Look the new hash up through the indicator and compare it with the image's copy "
		"(sourceProperties.imageSha256). " RESPOND_WORKLOAD },
	[WHORL_KIND_BUILTIN_MALICIOUS_BINARY] = {
		"Execution: Built in Malicious Binary Executed", 1, "CRITICAL", "EXECUTION",
		{ "USER_EXECUTION" }, { "INITIAL_ACCESS" },
		{ "COMPROMISE_SOFTWARE_DEPENDENCIES_AND_DEVELOPMENT_TOOLS", "SUPPLY_CHAIN_COMPROMISE" },
		{ "T1204.003", "T1195.001" },
		"A program that came with the container image was executed and its SHA-256 is in "
		"threat intelligence: the image itself carries malicious code, so every container "
		"started from it is affected.",
		"Find every workload that runs this image (containers[].uri) and stop deploying it. "
		"Trace the image back (registry, build pipeline, base image) to the layer that added "
		"the file. Rebuild from trusted sources and check the images built the same way." },
	[WHORL_KIND_BUILTIN_MALICIOUS_LIBRARY] = {
		"Execution: Built in Malicious Library Loaded", 0, "CRITICAL", "EXECUTION",
		{ "SHARED_MODULES" }, { "INITIAL_ACCESS" },
		{ "USER_EXECUTION", "COMPROMISE_SOFTWARE_DEPENDENCIES_AND_DEVELOPMENT_TOOLS",
		  "SUPPLY_CHAIN_COMPROMISE" },
		{ "T1129", "T1204.003", "T1195.001" },
		"A library that came with the container image was mapped executable and its SHA-256 "
		"is in threat intelligence: the image ships a malicious library (a backdoored "
		"dependency), so every container started from it is affected.",
		"Find every workload that runs this image (containers[].uri) and stop deploying it. "
		"Find the package the library belongs to and the layer that brought it; rebuild with "
		"a known-good version and check the images built the same way." },
	[WHORL_KIND_ADDED_BINARY] = {
		"Added Binary Executed", 1, "LOW", "EXECUTION",
		{ "NATIVE_API" }, { "COMMAND_AND_CONTROL" }, { "INGRESS_TOOL_TRANSFER" },
		{ "T1106", "T1105" },
		"A program that is not in the container image ran. Containers are meant to run what "
		"their image ships; an added program is either an attacker's tool or a workload that "
		"installs software at run time.",
		"Check whether this workload is meant to install or build software at run time. If "
		"not, look at the file (sourceProperties.binary.hostPath), at the process that wrote "
		"it and at other findings on the same container." },
	[WHORL_KIND_ADDED_LIBRARY] = {
		"Added Library Loaded", 1, "LOW", "EXECUTION",
		{ "SHARED_MODULES" }, { "COMMAND_AND_CONTROL" }, { "INGRESS_TOOL_TRANSFER" },
		{ "T1129", "T1105" },
		"A library that is not in the container image was mapped executable. Containers are "
		"meant to run what their image ships; an added library is either an attacker's code "
		"or a workload that installs software at run time.",
		"Check whether this workload is meant to install or build software at run time. If "
		"not, look at the file (sourceProperties.library.hostPath), at the process that wrote "
		"it and at other findings on the same container." },
	[WHORL_KIND_FILELESS_EXECUTION] = {
		"Execution: Fileless Execution in /memfd:", 1, "HIGH", "DEFENSE_EVASION",
		{ "REFLECTIVE_CODE_LOADING" }, { "EXECUTION" }, { NULL }, { "T1620" },
		"A process ran code from a file with no name on any filesystem (an anonymous memory "
		"file made with memfd_create, or a file deleted once opened). Running programs from "
		"memory leaves nothing on disk for scanners to find.",
		"While the process runs, save /proc/<pid>/exe and /proc/<pid>/maps: they are gone when "
		"it exits. Find the parent process that made the memory file. Unless the workload "
		"runs in-memory code on purpose, treat the container as compromised." },
	[WHORL_KIND_K8S_ATTACK_TOOL] = {
		"Execution: Kubernetes Attack Tool Execution", 1, "CRITICAL", "EXECUTION",
		{ "CONTAINER_ADMINISTRATION_COMMAND" }, { "DISCOVERY" },
		{ "CONTAINER_AND_RESOURCE_DISCOVERY" }, { "T1609", "T1613" },
		"A tool made for attacking Kubernetes (matched by hash or by name in threat "
		"intelligence) ran inside a container: it probes or takes over the cluster's API "
		"server, nodes and workloads from a foothold in a pod.",
		"Check the pod's service account and what it may do (kubectl auth can-i --list "
		"--as=system:serviceaccount:<namespace>:<name>). Read the API server's audit log for "
		"requests from the pod after eventTime. Remove the pod and rotate its service account's "
		"tokens." },
	[WHORL_KIND_RECON_TOOL] = {
		"Execution: Local Reconnaissance Tool Execution", 1, "CRITICAL", "DISCOVERY",
		{ "CONTAINER_AND_RESOURCE_DISCOVERY" }, { "EXECUTION" }, { NULL },
		{ "T1613", "T1082" },
		"A tool for surveying a system (matched by hash or by name in threat intelligence) "
		"ran inside a container: after a foothold, attackers map processes, network services, "
		"mounts and privileges to plan their next step.",
		"Read what the tool was asked to do (args) and what ran before and after it in the "
		"same container; look for other findings on it. Unless the tool is expected there, "
		"treat the container as compromised." },
	[WHORL_KIND_MALICIOUS_BINARY] = {
		"Execution: Malicious Binary Executed", 0, "CRITICAL", "EXECUTION",
		{ "NATIVE_API" }, { NULL }, { NULL }, { "T1106" },
		"A program whose SHA-256 is in threat intelligence ran inside a container, from a "
		"file whose layer whorl could not establish (not on an overlayfs whorl can read, or "
		"on a kernel where layer provenance is off): it may have come with the image or have "
		"been brought in since.",
		"Copy the file (sourceProperties.binary.hostPath) and look its hash up through the "
		"indicator; check whether the image itself ships it. " RESPOND_WORKLOAD },
	[WHORL_KIND_MALICIOUS_LIBRARY] = {
		"Execution: Malicious Library Loaded", 0, "CRITICAL", "EXECUTION",
		{ "SHARED_MODULES" }, { NULL }, { NULL }, { "T1129" },
		"A library whose SHA-256 is in threat intelligence was mapped executable inside a "
		"container, from a file whose layer whorl could not establish: it may have come "
		"with the image or have been brought in since.",
		"Copy the file (sourceProperties.library.hostPath) and look its hash up through the "
		"indicator; check whether the image itself ships it. " RESPOND_WORKLOAD },
	[WHORL_KIND_UNFINGERPRINTABLE] = {
		"Defense Evasion: Unfingerprintable Executable", 0, "HIGH", "DEFENSE_EVASION",
		{ "IMPAIR_DEFENSES" }, { "EXECUTION" }, { NULL }, { "T1562" },
		"A file was executed or mapped executable inside a container, and the kernel could "
		"not read a stable copy of it to fingerprint (sourceProperties.fingerprintError says "
		"why: a file rewritten while it runs is one way to keep code from being judged).",
		"Copy the file while the process runs and hash it yourself; find the process that "
		"keeps writing it. Unless the workload rewrites its own programs, treat the container "
		"as compromised." },
};

/* The same kind, for a file executed from /dev/shm: CTD names it apart. */
static const struct whorl_scc_kind dev_shm_execution = {
	"Privilege Escalation: Fileless Execution in /dev/shm", 1, "HIGH", "DEFENSE_EVASION",
	{ "REFLECTIVE_CODE_LOADING" }, { "PRIVILEGE_ESCALATION", "EXECUTION" }, { NULL },
	{ "T1620" },
	"A process ran a file from /dev/shm, a memory-backed directory every process in the "
	"container may write to, often writable even when the rest of the filesystem is read-only: "
	"a way to run tools without touching the image's files.",
	"Copy the file out of /dev/shm while the container runs (it goes away with the container) "
	"and find the process that wrote it. Where the workload allows it, mount /dev/shm noexec." };

static int is_dev_shm(const char *path)
{
	return path && !strncmp(path, "/dev/shm/", 9);
}

const struct whorl_scc_kind *whorl_scc_kind(const struct whorl_finding *f)
{
	const struct whorl_file *subject;

	if (!f->has_kind || f->kind >= __WHORL_KIND_MAX || !scc_kinds[f->kind].category)
		return NULL;
	subject = whorl_finding_subject(f);
	if (f->kind == WHORL_KIND_FILELESS_EXECUTION && subject->present &&
	    is_dev_shm(subject->path))
		return &dev_shm_execution;
	return &scc_kinds[f->kind];
}

/* --- json-c helpers --------------------------------------------------------------------------- */

/* proto3's JSON mapping writes 64-bit integers as decimal strings. */
static json_object *int64_str(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return json_object_new_string(buf);
}

static json_object *timestamp(uint64_t ns)
{
	char buf[40];

	whorl_rfc3339(ns, buf);
	return json_object_new_string(buf);
}

/* A JSON array of the NULL-terminated strings in @v[0..n), or NULL when there are none. */
static json_object *str_array(const char *const *v, size_t n)
{
	json_object *a;
	size_t i;

	if (!n || !v[0])
		return NULL;
	a = json_object_new_array();
	for (i = 0; a && i < n && v[i]; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

/* An array holding @o alone; @o is released if the array cannot be had. */
static json_object *one(json_object *o)
{
	json_object *a;

	if (!o)
		return NULL;
	a = json_object_new_array();
	if (!a) {
		json_object_put(o);
		return NULL;
	}
	json_object_array_add(a, o);
	return a;
}

/* --- finding fields --------------------------------------------------------------------------- */

/*
 * SCC's File. diskPath.relativePath is the file's path from the root of the filesystem it is
 * on (WHORL_FILE_A_FS_PATH); partitionUuid stays absent: the module names the filesystem by
 * device number, and an overlayfs or tmpfs has no partition.
 */
static json_object *file_json(const struct whorl_file *fl, int operation)
{
	json_object *o = json_object_new_object(), *d;

	if (!o)
		return NULL;
	whorl_json_add(o, "path", whorl_json_str(fl->path));
	if (fl->has_size)
		whorl_json_add(o, "size", int64_str(fl->size));
	if (fl->has_sha256) {
		whorl_json_add(o, "sha256", whorl_json_sha256(fl->sha256));
		if (fl->has_hashed_size)
			whorl_json_add(o, "hashedSize", int64_str(fl->hashed_size));
		whorl_json_add(o, "partiallyHashed", json_object_new_boolean(fl->partial));
	}
	if (fl->fs_path) {
		d = json_object_new_object();
		if (d)
			whorl_json_add(d, "relativePath", whorl_json_str(fl->fs_path));
		whorl_json_add(o, "diskPath", d);
	}
	if (operation) {
		d = json_object_new_object();
		if (d)
			whorl_json_add(d, "type", whorl_json_str("EXECUTE"));
		whorl_json_add(o, "operations", one(d));
	}
	return o;
}

/* The environment variables an exec event captured: SCC's envVariables. */
static void env_json(json_object *p, const struct whorl_finding *f)
{
	json_object *a, *e;
	size_t i;
	int cut = f->env_incomplete;

	if (!f->nenv && !cut)
		return;
	a = f->nenv ? json_object_new_array() : NULL;
	for (i = 0; a && i < f->nenv; i++) {
		e = json_object_new_object();
		if (!e)
			break;
		whorl_json_add(e, "name", whorl_json_str(f->env[i].name));
		whorl_json_add(e, "val", whorl_json_str(f->env[i].value));
		json_object_array_add(a, e);
		cut |= f->env[i].truncated;
	}
	whorl_json_add(p, "envVariables", a);
	whorl_json_add(p, "envVariablesTruncated", json_object_new_boolean(cut));
}

static json_object *process_json(const struct whorl_finding *f)
{
	json_object *p = json_object_new_object(), *a;
	size_t i;

	if (!p)
		return NULL;
	whorl_json_add(p, "name", whorl_json_str(f->comm));
	if (f->binary.present)
		whorl_json_add(p, "binary", file_json(&f->binary, 0));
	if (f->library.present)
		whorl_json_add(p, "libraries", one(file_json(&f->library, 0)));
	a = json_object_new_array();
	for (i = 0; a && i < f->nargs; i++)
		json_object_array_add(a, json_object_new_string(f->args[i]));
	whorl_json_add(p, "args", a);
	whorl_json_add(p, "argumentsTruncated", json_object_new_boolean(f->args_truncated));
	/* SCC's pid is the process: the thread group. */
	if (f->has_tgid)
		whorl_json_add(p, "pid", int64_str(f->tgid));
	else if (f->has_pid)
		whorl_json_add(p, "pid", int64_str(f->pid));
	if (f->has_ppid)
		whorl_json_add(p, "parentPid", int64_str(f->ppid));
	if (f->has_uid)
		whorl_json_add(p, "userId", int64_str(f->uid));
	if (f->script.present)
		whorl_json_add(p, "script", file_json(&f->script, 0));
	if (f->exec)
		env_json(p, f);
	return p;
}

/* An ancestor from the process tree: what its exec said, or /proc when the relay started. */
static json_object *ancestor_json(const struct whorl_proc *a)
{
	json_object *p = json_object_new_object(), *b, *args;
	const char *s, *end;

	if (!p)
		return NULL;
	if (a->comm[0])
		whorl_json_add(p, "name", whorl_json_str(a->comm));
	if (a->image) {
		b = json_object_new_object();
		if (b)
			whorl_json_add(b, "path", whorl_json_str(a->image));
		whorl_json_add(p, "binary", b);
	}
	args = json_object_new_array();
	end = a->args + a->args_len;
	for (s = a->args; args && s && s < end; s += strlen(s) + 1)
		json_object_array_add(args, json_object_new_string(s));
	whorl_json_add(p, "args", args);
	whorl_json_add(p, "argumentsTruncated", json_object_new_boolean(a->args_truncated));
	whorl_json_add(p, "pid", int64_str(a->tgid));
	whorl_json_add(p, "parentPid", int64_str(a->ppid));
	if (a->has_uid)
		whorl_json_add(p, "userId", int64_str(a->uid));
	return p;
}

/* SCC's Container: what the runtime's state says, nothing else; NULL when it says nothing. */
static json_object *container_json(const struct whorl_container_info *ci)
{
	json_object *c;

	if (!ci || (!ci->name && !ci->image && !ci->image_id && !ci->created && !ci->nlabels))
		return NULL;
	c = json_object_new_object();
	if (!c)
		return NULL;
	whorl_json_add(c, "name", whorl_json_str(ci->name));
	whorl_json_add(c, "uri", whorl_json_str(ci->image));
	whorl_json_add(c, "imageId", whorl_json_str(ci->image_id));
	whorl_json_add(c, "labels", whorl_json_labels(ci));
	whorl_json_add(c, "createTime", whorl_json_str(ci->created));
	return c;
}

static json_object *kubernetes_json(const struct whorl_container_info *ci, const char *host)
{
	json_object *k, *pod, *node;

	if (!ci || !ci->pod_name)
		return NULL;
	k = json_object_new_object();
	pod = json_object_new_object();
	if (!k || !pod) {
		json_object_put(k);
		json_object_put(pod);
		return NULL;
	}
	whorl_json_add(pod, "ns", whorl_json_str(ci->pod_namespace));
	whorl_json_add(pod, "name", whorl_json_str(ci->pod_name));
	whorl_json_add(pod, "containers", one(container_json(ci)));
	whorl_json_add(k, "pods", one(pod));
	if (host) {
		node = json_object_new_object();
		if (node)
			whorl_json_add(node, "name", whorl_json_str(host));
		whorl_json_add(k, "nodes", one(node));
	}
	return k;
}

static json_object *mitre_json(const struct whorl_scc_kind *k)
{
	json_object *m = json_object_new_object();

	if (!m)
		return NULL;
	whorl_json_add(m, "primaryTactic", whorl_json_str(k->tactic));
	whorl_json_add(m, "primaryTechniques", str_array(k->techniques, 3));
	whorl_json_add(m, "additionalTactics", str_array(k->more_tactics, 3));
	whorl_json_add(m, "additionalTechniques", str_array(k->more_techniques, 4));
	whorl_json_add(m, "version", whorl_json_str(WHORL_SCC_ATTACK_VERSION));
	return m;
}

/* --- sourceProperties: what SCC has no field for -------------------------------------------- */

/* The container's id, NULL for none (an empty attribute names no container). */
static const char *container_id(const struct whorl_finding *f)
{
	return f->container_id && f->container_id[0] ? f->container_id : NULL;
}

static int content_known(const struct whorl_file *fl)
{
	return fl->has_layer && fl->layer == WHORL_LAYER_MODIFIED && fl->has_content &&
	       fl->content != WHORL_CONTENT_UNKNOWN;
}

/* Per file: its layer, the host's path to it, its filesystem's device, the image's copy. */
static json_object *file_props(const struct whorl_file *fl)
{
	json_object *o = json_object_new_object();
	char dev[24];

	if (!o)
		return NULL;
	if (fl->has_layer)
		whorl_json_add(o, "layer", whorl_json_str(whorl_layer_name(fl->layer)));
	if (fl->has_layer_reason && whorl_layer_reason_name(fl->layer_reason))
		whorl_json_add(o, "layerReason",
			       whorl_json_str(whorl_layer_reason_name(fl->layer_reason)));
	if (content_known(fl))
		whorl_json_add(o, "contentChanged",
		    json_object_new_boolean(fl->content == WHORL_CONTENT_CHANGED));
	if (fl->has_lower_sha256)
		whorl_json_add(o, "imageSha256", whorl_json_sha256(fl->lower_sha256));
	whorl_json_add(o, "imageLayer", whorl_json_image_layer(fl));
	whorl_json_add(o, "hostPath", whorl_json_str(fl->disk_path));
	if (fl->has_dev) {
		snprintf(dev, sizeof(dev), "%u:%u", fl->dev >> 20, fl->dev & 0xfffff);
		whorl_json_add(o, "device", whorl_json_str(dev));
	}
	if (!json_object_object_length(o)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static const char *fileless_source(const char *path)
{
	if (!path)
		return NULL;
	if (!strncmp(path, "/memfd:", 7))
		return "memfd";
	if (is_dev_shm(path))
		return "devShm";
	return "deleted";
}

/* Where and who, in whorl's own data: the container, cgroup, host, thread, program's file. */
static void where_props(json_object *o, const struct whorl_finding *f,
			const struct whorl_container_info *ci, const char *host)
{
	whorl_json_add(o, "containerId", whorl_json_str(container_id(f)));
	/* (SCC's Pod has no uid) */
	if (ci && ci->pod_name)
		whorl_json_add(o, "podUid", whorl_json_str(ci->pod_uid));
	if (f->has_runtime && f->runtime != WHORL_RUNTIME_NONE)
		whorl_json_add(o, "containerRuntime", whorl_json_str(whorl_runtime_name(f->runtime)));
	whorl_json_add(o, "cgroup", whorl_json_str(f->cgroup));
	if (f->has_cgroup_id)
		whorl_json_add(o, "cgroupId", int64_str(f->cgroup_id));
	whorl_json_add(o, "host", whorl_json_str(host));
	if (f->has_pid && f->has_tgid && f->pid != f->tgid)
		whorl_json_add(o, "threadId", json_object_new_int64(f->pid));
	if (f->has_euid)
		whorl_json_add(o, "effectiveUserId", json_object_new_int64(f->euid));
	if (f->binary.present)
		whorl_json_add(o, "binary", file_props(&f->binary));
}

static json_object *source_properties(const struct whorl_finding *f,
				      const struct whorl_scc_kind *k,
				      const struct whorl_container_info *ci, const char *host)
{
	const struct whorl_file *subject = whorl_finding_subject(f);
	const struct whorl_kind_info *info = whorl_kind(f->kind);
	json_object *o = json_object_new_object(), *i;

	if (!o)
		return NULL;
	if (info)
		whorl_json_add(o, "kind", whorl_json_str(info->name));
	if (subject->present && subject->has_layer && whorl_layer_name(subject->layer)) {
		whorl_json_add(o, "layer", whorl_json_str(whorl_layer_name(subject->layer)));
		if (content_known(subject))
			whorl_json_add(o, "contentChanged",
			    json_object_new_boolean(subject->content == WHORL_CONTENT_CHANGED));
		if (subject->layer == WHORL_LAYER_FILELESS)
			whorl_json_add(o, "fileless", whorl_json_str(fileless_source(subject->path)));
	}
	if (subject->present && subject->has_lower_sha256)
		whorl_json_add(o, "imageSha256", whorl_json_sha256(subject->lower_sha256));
	if (f->has_intel_category && whorl_intel_category_name(f->intel_category)) {
		i = json_object_new_object();
		if (i) {
			whorl_json_add(i, "category", whorl_json_str(whorl_intel_category_name(f->intel_category)));
			whorl_json_add(i, "label", whorl_json_str(f->intel_label));
		}
		whorl_json_add(o, "intel", i);
	}
	if (f->has_event)
		whorl_json_add(o, "eventType", whorl_json_str(whorl_event_name(f->event)));
	if (f->has_action)
		whorl_json_add(o, "action", whorl_json_str(whorl_action_name(f->action)));
	whorl_json_add(o, "techniqueIds", str_array(k->attack_ids, 5));
	if (f->has_seq)
		whorl_json_add(o, "sequence", int64_str(f->seq));
	if (f->has_id)
		whorl_json_add(o, "findingId", int64_str(f->id));
	if (f->has_suppressed)
		whorl_json_add(o, "suppressed", json_object_new_int64(f->suppressed));
	if (f->escaped)
		whorl_json_add(o, "escapedToHost", json_object_new_boolean(1));
	if (f->has_hash_error) {
		i = json_object_new_object();
		if (i) {
			whorl_json_add(i, "errno", json_object_new_int64(f->hash_error));
			whorl_json_add(i, "reason", whorl_json_str(whorl_hash_error_reason(f->hash_error)));
		}
		whorl_json_add(o, "fingerprintError", i);
	}
	where_props(o, f, ci, host);
	if (f->library.present)
		whorl_json_add(o, "library", file_props(&f->library));
	return o;
}

/* --- the resource beside the finding ---------------------------------------------------------- */


/*
 * The container the finding is about, else the host: //whorl/hosts/<host>/containers/<id>,
 * type whorl.Container, its name as display name (the id when the runtime names none);
 * //whorl/hosts/<host>, type whorl.Host. The hosts/ part is left out when the name is unknown.
 */
static int resource_name(const struct whorl_finding *f, const char *host, char *buf, size_t n)
{
	int len = snprintf(buf, n, "//whorl%s%s", host ? "/hosts/" : "", host ? host : "");

	if (len < 0 || (size_t)len >= n)
		return -1;
	if (container_id(f) &&
	    (size_t)snprintf(buf + len, n - len, "/containers/%s", container_id(f)) >= n - len)
		return -1;
	return 0;
}

static json_object *resource_json(const struct whorl_finding *f,
				  const struct whorl_container_info *ci, const char *name,
				  const char *host)
{
	json_object *r = json_object_new_object();

	if (!r)
		return NULL;
	whorl_json_add(r, "name", whorl_json_str(name));
	if (container_id(f)) {
		whorl_json_add(r, "displayName", whorl_json_str(ci && ci->name ? ci->name : container_id(f)));
		whorl_json_add(r, "type", whorl_json_str("whorl.Container"));
	} else {
		whorl_json_add(r, "displayName", whorl_json_str(host));
		whorl_json_add(r, "type", whorl_json_str("whorl.Host"));
	}
	return r;
}

/*
 * What every finding starts with: the resource's name (into @buf), state, category, whorl's own
 * @props, times, severity, class, and the offending @file's indicator. Return: 0 with *@top and
 * *@o (the finding object, not yet in *@top), or -1 (out of memory; @props freed).
 */
static int finding_head(const struct whorl_finding *f, const char *host, const char *category,
			const char *severity, json_object *props, const struct whorl_file *file,
			uint64_t create_ns, json_object **top, json_object **o, char *buf,
			size_t len)
{
	json_object *v;

	*top = json_object_new_object();
	*o = json_object_new_object();
	if (!*top || !*o) {
		json_object_put(*top);
		json_object_put(*o);
		json_object_put(props);
		return -1;
	}
	if (resource_name(f, host, buf, len))
		buf[0] = '\0';
	whorl_json_add(*o, "resourceName", buf[0] ? whorl_json_str(buf) : NULL);
	whorl_json_add(*o, "state", whorl_json_str("ACTIVE"));
	whorl_json_add(*o, "category", whorl_json_str(category));
	whorl_json_add(*o, "sourceProperties", props);
	if (f->has_time)
		whorl_json_add(*o, "eventTime", timestamp(f->time_ns));
	whorl_json_add(*o, "createTime", timestamp(create_ns));
	whorl_json_add(*o, "severity", whorl_json_str(severity));
	whorl_json_add(*o, "findingClass", whorl_json_str("THREAT"));
	if (file->present && file->has_sha256) {
		char uri[sizeof(VT_PREFIX) + 2 * WHORL_SHA256_LEN];
		const char *uris[] = { uri, NULL };

		snprintf(uri, sizeof(uri), VT_PREFIX "%s", "");
		whorl_hex(file->sha256, uri + strlen(VT_PREFIX));
		v = json_object_new_object();
		if (v)
			whorl_json_add(v, "uris", str_array(uris, 1));
		whorl_json_add(*o, "indicator", v);
	}
	return 0;
}

json_object *whorl_finding_scc(const struct whorl_finding *f,
			       const struct whorl_container_info *ci, const char *host,
			       uint64_t create_ns)
{
	const struct whorl_scc_kind *k = whorl_scc_kind(f);
	const struct whorl_file *subject = whorl_finding_subject(f);
	json_object *top, *o;
	char buf[8192];

	if (!k)
		return NULL;
	if (finding_head(f, host, k->category, k->severity, source_properties(f, k, ci, host),
			 subject, create_ns, &top, &o, buf, sizeof(buf)))
		return NULL;
	whorl_json_add(o, "mitreAttack", mitre_json(k));
	whorl_json_add(o, "processes", one(process_json(f)));
	whorl_json_add(o, "parentDisplayName", whorl_json_str("whorl"));
	whorl_json_add(o, "description", whorl_json_str(k->description));
	whorl_json_add(o, "nextSteps", whorl_json_str(k->next_steps));
	whorl_json_add(o, "containers", one(container_json(ci)));
	whorl_json_add(o, "kubernetes", kubernetes_json(ci, host));
	if (subject->present)
		whorl_json_add(o, "files", one(file_json(subject, 1)));

	whorl_json_add(top, "finding", o);
	whorl_json_add(top, "resource", resource_json(f, ci, buf[0] ? buf : NULL, host));
	return top;
}

/* --- a Sigma rule's match --------------------------------------------------------------------- */

static json_object *rule_mitre_json(const struct whorl_sigma_meta *m)
{
	struct whorl_attack_lists l;
	json_object *o;

	whorl_attack_lists(m, &l);
	if (!l.tactic && !l.ntechniques)
		return NULL;
	o = json_object_new_object();
	if (!o)
		return NULL;
	whorl_json_add(o, "primaryTactic", whorl_json_str(l.tactic));
	whorl_json_add(o, "primaryTechniques", str_array(l.techniques, l.ntechniques));
	whorl_json_add(o, "additionalTactics", str_array(l.more_tactics, l.nmore_tactics));
	whorl_json_add(o, "additionalTechniques", str_array(l.more_techniques, l.nmore_techniques));
	whorl_json_add(o, "version", whorl_json_str(WHORL_SIGMA_ATTACK_VERSION));
	return o;
}

json_object *whorl_rule_json(const struct whorl_sigma_meta *m)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	whorl_json_add(o, "id", m->id[0] ? whorl_json_str(m->id) : NULL);
	whorl_json_add(o, "title", whorl_json_str(m->title));
	whorl_json_add(o, "author", m->author[0] ? whorl_json_str(m->author) : NULL);
	whorl_json_add(o, "level", whorl_json_str(m->level));
	whorl_json_add(o, "status", m->status[0] ? whorl_json_str(m->status) : NULL);
	whorl_json_add(o, "link", whorl_json_str(m->link));
	whorl_json_add(o, "path", whorl_json_str(m->path));
	whorl_json_add(o, "tags", str_array((const char *const *)m->tags, m->ntags));
	return o;
}

static json_object *rule_source_properties(const struct whorl_sigma_meta *m,
					   const struct whorl_finding *f,
					   const struct whorl_exec_result *r, const char *host)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	whorl_json_add(o, "rule", whorl_rule_json(m));
	whorl_json_add(o, "techniqueIds", str_array((const char *const *)m->techniques,
						   m->ntechniques));
	whorl_json_add(o, "event", whorl_sigma_event_json(&r->sev.ev));
	if (f->binary.present && f->binary.has_layer && whorl_layer_name(f->binary.layer))
		whorl_json_add(o, "layer", whorl_json_str(whorl_layer_name(f->binary.layer)));
	whorl_json_add(o, "eventType", whorl_json_str("exec"));
	if (f->has_seq)
		whorl_json_add(o, "sequence", int64_str(f->seq));
	if (f->escaped)
		whorl_json_add(o, "escapedToHost", json_object_new_boolean(1));
	where_props(o, f, r->ci, host);
	if (f->script.present)
		whorl_json_add(o, "script", file_props(&f->script));
	return o;
}

#define RULE_NEXT_STEPS								\
	"Read the rule (sourceProperties.rule.link) for what it looks for and when it is "	\
	"known to be wrong. Then look at the process and the ones that started it "		\
	"(processes, the process first), what else ran in the same container "		\
	"about eventTime, and other findings on it. Unless the workload is meant "		\
	"to do this, treat the container as compromised."

json_object *whorl_rule_finding_scc(const struct whorl_sigma_meta *m,
				    const struct whorl_finding *f,
				    const struct whorl_exec_result *r, const char *host,
				    uint64_t create_ns)
{
	const struct whorl_container_info *ci = r->ci;
	json_object *top, *o, *v, *procs;
	char buf[8192];
	size_t i;

	if (finding_head(f, host, m->category, whorl_sigma_severity_name(m->severity),
			 rule_source_properties(m, f, r, host), &f->binary, create_ns, &top, &o,
			 buf, sizeof(buf)))
		return NULL;
	whorl_json_add(o, "mitreAttack", rule_mitre_json(m));
	procs = one(process_json(f));
	for (i = 0; procs && i < r->nlineage; i++) {
		v = ancestor_json(r->lineage[i]);
		if (v)
			json_object_array_add(procs, v);
	}
	whorl_json_add(o, "processes", procs);
	whorl_json_add(o, "parentDisplayName", whorl_json_str("whorl"));
	if (m->description[0]) {
		whorl_json_add(o, "description", whorl_json_str(m->description));
	} else {
		snprintf(buf, sizeof(buf), "An exec in a container matched the Sigma rule '%s'.",
			 m->title);
		whorl_json_add(o, "description", whorl_json_str(buf));
	}
	whorl_json_add(o, "nextSteps", whorl_json_str(RULE_NEXT_STEPS));
	whorl_json_add(o, "containers", one(container_json(ci)));
	whorl_json_add(o, "kubernetes", kubernetes_json(ci, host));
	if (f->binary.present)
		whorl_json_add(o, "files", one(file_json(&f->binary, 1)));
	/* (the description used buf: the resource's name again) */
	if (resource_name(f, host, buf, sizeof(buf)))
		buf[0] = '\0';
	whorl_json_add(top, "finding", o);
	whorl_json_add(top, "resource", resource_json(f, ci, buf[0] ? buf : NULL, host));
	return top;
}
