/* SPDX-License-Identifier: GPL-2.0 */
/* kinds.h - names of everything the UAPI numbers: kinds, layers, runtimes, counters... */
#ifndef WHORL_KINDS_H
#define WHORL_KINDS_H

#include <stdint.h>
#include <linux/whorl.h>

/* What a finding kind means to an analyst: docs/FINDINGS.md is this table. */
struct whorl_kind_info {
	const char *name;		/* CLI name: added-binary */
	const char *category;		/* SCC category string */
	const char *severity;		/* CRITICAL, HIGH, MEDIUM, LOW */
	const char *tactic;		/* SCC primaryTactic: EXECUTION */
	const char *techniques[3];	/* SCC primaryTechniques, NULL-terminated */
	const char *technique_ids[3];	/* MITRE ATT&CK ids, NULL-terminated */
	int library;			/* the offending file is the library */
};

const struct whorl_kind_info *whorl_kind(uint32_t kind);
/* The kind named NAME (CLI name), or -1. */
int whorl_kind_by_name(const char *name);

const char *whorl_layer_name(unsigned int layer);
const char *whorl_runtime_name(unsigned int runtime);
/* enum whorl_layer_reason: why a file's layer is unknown (NULL for none). */
const char *whorl_layer_reason_name(unsigned int reason);
/* enum whorl_provenance and enum whorl_layout_check, for `whorl status`. */
const char *whorl_provenance_name(unsigned int provenance);
const char *whorl_layout_check_name(unsigned int check);
const char *whorl_event_name(unsigned int event);
const char *whorl_action_name(unsigned int action);
const char *whorl_mode_name(unsigned int mode);
int whorl_mode_by_name(const char *name);
/* enum whorl_intel_category: NULL for WHORL_INTEL_NONE and unknown values. */
const char *whorl_intel_category_name(unsigned int category);
int whorl_intel_category_by_name(const char *name);
/* lowerCamelCase name of a counter, or NULL if this tool does not know it. */
const char *whorl_counter_name(unsigned int counter);
/* Why a file could not be fingerprinted, from the errno the module reports. */
const char *whorl_hash_error_reason(unsigned int err);

#endif /* WHORL_KINDS_H */
