// SPDX-License-Identifier: GPL-2.0
/* kinds.c - the one table of finding kinds (category, severity, MITRE) and the UAPI's names. */

#include <errno.h>
#include <string.h>

#include "kinds.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* MITRE ATT&CK: T1105 Ingress Tool Transfer, T1129 Shared Modules, T1611 Escape to Host,
 * T1204.003 User Execution: Malicious Image, T1620 Reflective Code Loading,
 * T1609 Container Administration Command, T1613 Container and Resource Discovery,
 * T1082 System Information Discovery. */
static const struct whorl_kind_info kinds[__WHORL_KIND_MAX] = {
	[WHORL_KIND_MODIFIED_MALICIOUS_LIBRARY] = {
		"modified-malicious-library", "Execution: Modified Malicious Library Loaded",
		"CRITICAL", "EXECUTION",
		{ "INGRESS_TOOL_TRANSFER", "SHARED_MODULES" }, { "T1105", "T1129" }, 1 },
	[WHORL_KIND_CONTAINER_ESCAPE] = {
		"container-escape", "Execution: Container Escape",
		"CRITICAL", "PRIVILEGE_ESCALATION",
		{ "ESCAPE_TO_HOST" }, { "T1611" }, 0 },
	[WHORL_KIND_ADDED_MALICIOUS_LIBRARY] = {
		"added-malicious-library", "Execution: Added Malicious Library Loaded",
		"CRITICAL", "EXECUTION",
		{ "INGRESS_TOOL_TRANSFER", "SHARED_MODULES" }, { "T1105", "T1129" }, 1 },
	[WHORL_KIND_ADDED_MALICIOUS_BINARY] = {
		"added-malicious-binary", "Execution: Added Malicious Binary Executed",
		"CRITICAL", "EXECUTION",
		{ "INGRESS_TOOL_TRANSFER" }, { "T1105" }, 0 },
	[WHORL_KIND_MODIFIED_MALICIOUS_BINARY] = {
		"modified-malicious-binary", "Execution: Modified Malicious Binary Executed",
		"CRITICAL", "EXECUTION",
		{ "INGRESS_TOOL_TRANSFER" }, { "T1105" }, 0 },
	[WHORL_KIND_BUILTIN_MALICIOUS_BINARY] = {
		"builtin-malicious-binary", "Execution: Built in Malicious Binary Executed",
		"CRITICAL", "EXECUTION",
		{ "MALICIOUS_IMAGE" }, { "T1204.003" }, 0 },
	[WHORL_KIND_BUILTIN_MALICIOUS_LIBRARY] = {
		"builtin-malicious-library", "Execution: Built in Malicious Library Loaded",
		"CRITICAL", "EXECUTION",
		{ "MALICIOUS_IMAGE", "SHARED_MODULES" }, { "T1204.003", "T1129" }, 1 },
	[WHORL_KIND_ADDED_BINARY] = {
		"added-binary", "Added Binary Executed",
		"LOW", "EXECUTION",
		{ "INGRESS_TOOL_TRANSFER" }, { "T1105" }, 0 },
	[WHORL_KIND_ADDED_LIBRARY] = {
		"added-library", "Added Library Loaded",
		"LOW", "EXECUTION",
		{ "INGRESS_TOOL_TRANSFER", "SHARED_MODULES" }, { "T1105", "T1129" }, 1 },
	[WHORL_KIND_FILELESS_EXECUTION] = {
		"fileless-execution", "Execution: Fileless Execution in /memfd:",
		"HIGH", "DEFENSE_EVASION",
		{ "REFLECTIVE_CODE_LOADING" }, { "T1620" }, 0 },
	[WHORL_KIND_K8S_ATTACK_TOOL] = {
		"k8s-attack-tool", "Execution: Kubernetes Attack Tool Execution",
		"HIGH", "EXECUTION",
		{ "CONTAINER_ADMINISTRATION_COMMAND", "CONTAINER_AND_RESOURCE_DISCOVERY" },
		{ "T1609", "T1613" }, 0 },
	[WHORL_KIND_RECON_TOOL] = {
		"recon-tool", "Execution: Local Reconnaissance Tool Execution",
		"HIGH", "DISCOVERY",
		{ "SYSTEM_INFORMATION_DISCOVERY", "CONTAINER_AND_RESOURCE_DISCOVERY" },
		{ "T1082", "T1613" }, 0 },
	/* Intel knows the file, but nothing proves which layer it came from. */
	[WHORL_KIND_MALICIOUS_BINARY] = {
		"malicious-binary", "Execution: Malicious Binary Executed",
		"CRITICAL", "EXECUTION",
		{ "INGRESS_TOOL_TRANSFER" }, { "T1105" }, 0 },
	[WHORL_KIND_UNFINGERPRINTABLE] = {
		"unfingerprintable", "Defense Evasion: Unfingerprintable Executable",
		"HIGH", "DEFENSE_EVASION",
		{ "IMPAIR_DEFENSES" }, { "T1562" }, 0 },
	[WHORL_KIND_MALICIOUS_LIBRARY] = {
		"malicious-library", "Execution: Malicious Library Loaded",
		"CRITICAL", "EXECUTION",
		{ "INGRESS_TOOL_TRANSFER", "SHARED_MODULES" }, { "T1105", "T1129" }, 1 },
};

const struct whorl_kind_info *whorl_kind(uint32_t kind)
{
	if (kind >= ARRAY_SIZE(kinds) || !kinds[kind].name)
		return NULL;
	return &kinds[kind];
}

int whorl_kind_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (kinds[i].name && !strcmp(kinds[i].name, name))
			return i;
	return -1;
}

static const char *const layers[__WHORL_LAYER_MAX] = {
	[WHORL_LAYER_UNKNOWN] = "unknown",
	[WHORL_LAYER_IMAGE] = "image",
	[WHORL_LAYER_ADDED] = "added",
	[WHORL_LAYER_MODIFIED] = "modified",
	[WHORL_LAYER_FILELESS] = "fileless",
	[WHORL_LAYER_VOLUME] = "volume",
};

static const char *const layer_reasons[__WHORL_LAYER_REASON_MAX] = {
	[WHORL_LAYER_REASON_NONE] = NULL,
	[WHORL_LAYER_REASON_NOT_OVERLAY] = "not on overlayfs",
	[WHORL_LAYER_REASON_PROVENANCE_OFF] = "layer provenance is off on this kernel (whorl status)",
	[WHORL_LAYER_REASON_UNCONFIRMED] = "overlayfs layout not confirmed by d_real() for this file",
};

static const char *const provenances[] = {
	[WHORL_PROVENANCE_OFF] = "off",
	[WHORL_PROVENANCE_TABLE] = "table",
	[WHORL_PROVENANCE_BTF] = "btf",
};

static const char *const layout_checks[] = {
	[WHORL_LAYOUT_NO_TABLE] = "no-table",
	[WHORL_LAYOUT_AGREES] = "agrees",
	[WHORL_LAYOUT_DIFFERS] = "differs",
};

static const char *const runtimes[__WHORL_RUNTIME_MAX] = {
	[WHORL_RUNTIME_NONE] = "none",
	[WHORL_RUNTIME_UNKNOWN] = "unknown",
	[WHORL_RUNTIME_DOCKER] = "docker",
	[WHORL_RUNTIME_CONTAINERD] = "containerd",
	[WHORL_RUNTIME_CRIO] = "cri-o",
	[WHORL_RUNTIME_PODMAN] = "podman",
};

static const char *const events[__WHORL_EVENT_MAX] = {
	[WHORL_EVENT_NONE] = NULL,
	[WHORL_EVENT_EXEC] = "exec",
	[WHORL_EVENT_MMAP] = "mmap",
	[WHORL_EVENT_MPROTECT] = "mprotect",
};

static const char *const actions[] = {
	[WHORL_ACTION_NONE] = "none",
	[WHORL_ACTION_DENIED] = "denied",
	[WHORL_ACTION_KILLED] = "killed",
};

static const char *const modes[] = {
	[WHORL_MODE_DETECT] = "detect",
	[WHORL_MODE_ENFORCE] = "enforce",
};

static const char *const intel_categories[__WHORL_INTEL_CATEGORY_MAX] = {
	[WHORL_INTEL_NONE] = NULL,
	[WHORL_INTEL_MALICIOUS] = "malicious",
	[WHORL_INTEL_CONTAINER_ESCAPE] = "container-escape",
	[WHORL_INTEL_K8S_ATTACK] = "k8s-attack",
	[WHORL_INTEL_RECON] = "recon",
};

static const char *const counters[__WHORL_CTR_MAX] = {
	[WHORL_CTR_HOOK_EXEC] = "hookExec",
	[WHORL_CTR_HOOK_MMAP] = "hookMmap",
	[WHORL_CTR_HOOK_MPROTECT] = "hookMprotect",
	[WHORL_CTR_CONTAINER_EVENTS] = "containerEvents",
	[WHORL_CTR_CACHE_HITS] = "cacheHits",
	[WHORL_CTR_CACHE_MISSES] = "cacheMisses",
	[WHORL_CTR_CACHE_EVICTIONS] = "cacheEvictions",
	[WHORL_CTR_HASHES] = "filesHashed",
	[WHORL_CTR_HASH_BYTES] = "bytesHashed",
	[WHORL_CTR_HASH_ERRORS] = "hashErrors",
	[WHORL_CTR_WORK_QUEUED] = "workQueued",
	[WHORL_CTR_WORK_DROPPED] = "workDropped",
	[WHORL_CTR_FINDINGS_EMITTED] = "findingsEmitted",
	[WHORL_CTR_FINDINGS_SUPPRESSED] = "findingsSuppressed",
	[WHORL_CTR_FINDINGS_DELIVERED] = "findingsDelivered",
	[WHORL_CTR_FINDINGS_DROPPED] = "findingsDropped",
	[WHORL_CTR_FINDINGS_UNHEARD] = "findingsUnheard",
	[WHORL_CTR_INTEL_LOADS] = "intelLoads",
	[WHORL_CTR_DENIED] = "denied",
	[WHORL_CTR_KILLED] = "killed",
	[WHORL_CTR_SUBSCRIBERS] = "subscribers",
	[WHORL_CTR_HASH_INFLIGHT_SHARED] = "hashInflightShared",
	[WHORL_CTR_HASH_NS] = "hashNanoseconds",
	[WHORL_CTR_HASH_UNCACHED] = "hashUncached",
	[WHORL_CTR_HASH_BUSY] = "hashBusy",
	[WHORL_CTR_MAP_MEMO_HITS] = "mapMemoHits",
	[WHORL_CTR_PROBES_MISSED] = "probesMissed",
	[WHORL_CTR_HASH_OVER_BUDGET] = "hashOverBudget",
	[WHORL_CTR_WORK_OVER_SHARE] = "workOverShare",
	[WHORL_CTR_READ_TIMEOUTS] = "readTimeouts",
	[WHORL_CTR_EXEC_EVENTS] = "execEvents",
	[WHORL_CTR_EXEC_CAPTURED] = "execCaptured",
};

#define LOOKUP(table, i) ((i) < ARRAY_SIZE(table) ? (table)[i] : NULL)

const char *whorl_layer_name(unsigned int layer) { return LOOKUP(layers, layer); }
const char *whorl_runtime_name(unsigned int runtime) { return LOOKUP(runtimes, runtime); }
const char *whorl_layer_reason_name(unsigned int r) { return LOOKUP(layer_reasons, r); }
const char *whorl_provenance_name(unsigned int p) { return LOOKUP(provenances, p); }
const char *whorl_layout_check_name(unsigned int c) { return LOOKUP(layout_checks, c); }
const char *whorl_event_name(unsigned int event) { return LOOKUP(events, event); }
const char *whorl_action_name(unsigned int action) { return LOOKUP(actions, action); }
const char *whorl_mode_name(unsigned int mode) { return LOOKUP(modes, mode); }
const char *whorl_counter_name(unsigned int counter) { return LOOKUP(counters, counter); }

const char *whorl_intel_category_name(unsigned int category)
{
	return LOOKUP(intel_categories, category);
}

static int index_of(const char *const *table, unsigned int n, const char *name)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (table[i] && !strcmp(table[i], name))
			return i;
	return -1;
}

int whorl_mode_by_name(const char *name)
{
	return index_of(modes, ARRAY_SIZE(modes), name);
}

int whorl_intel_category_by_name(const char *name)
{
	return index_of(intel_categories, ARRAY_SIZE(intel_categories), name);
}

const char *whorl_hash_error_reason(unsigned int err)
{
	switch (err) {
	case EAGAIN:
		return "the file kept changing while it was read";
	case EDQUOT:
		return "its container's hashing budget for this minute is spent";
	case EBUSY:
		return "a change to the file stayed in progress";
	case ENOMEM:
		return "no memory to hash it";
	case EINVAL:
	case EFAULT:
		return "the filesystem refused the module's read";
	case EIO:
		return "read error";
	case ETIMEDOUT:
		return "the filesystem did not answer the module's read within read_timeout";
	default:
		return "the file could not be read";
	}
}
