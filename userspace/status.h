/* SPDX-License-Identifier: GPL-2.0 */
/* status.h - the module's status (WHORL_CMD_STATUS_GET): version, configuration, counters. */
#ifndef WHORL_STATUS_H
#define WHORL_STATUS_H

#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>

#include "layout.h"
#include "netlink.h"

#define WHORL_STATUS_COUNTERS_MAX 64
/* Most container lines the module sends (WHORL_A_CONTAINER_STAT). */
#define WHORL_STATUS_CONTAINERS_MAX 32

/* What one container was refused (enum whorl_ct_stat_attr). */
struct whorl_ct_line {
	uint64_t cgroup_id, over_share, over_budget;
	char id[128];
	char cgroup[512];
};

struct whorl_status {
	char version[64];
	int has_kinds, has_dedup_ms, has_mode, has_hash_max, has_cache_max;
	int has_intel_count, has_intel_rules, has_intel_bytes, has_cache_entries;
	int has_cache_entry_bytes, has_events_alive, has_queue_max, has_exec_events;
	uint32_t kinds, dedup_ms, cache_max, intel_count, intel_rules, cache_entries;
	uint32_t cache_entry_bytes, events_alive, queue_max;
	uint8_t mode;
	uint8_t exec_events;		/* WHORL_A_CONFIG_EXEC_EVENTS */
	uint64_t hash_max, intel_bytes;
	/* layer provenance (WHORL_A_LAYOUT) */
	int has_provenance, has_layout;
	uint8_t provenance, layout_check;
	char provenance_reason[128];
	uint64_t layout_confirmed, layout_unconfirmed;
	struct whorl_layout layout;
	unsigned int ncontainers;
	struct whorl_ct_line containers[WHORL_STATUS_CONTAINERS_MAX];
	uint8_t has_counter[WHORL_STATUS_COUNTERS_MAX];
	uint64_t counters[WHORL_STATUS_COUNTERS_MAX];
};

/* Parse a STATUS_GET reply; unknown and malformed attributes are skipped. 0 or -EINVAL. */
int whorl_status_parse(const struct nlmsghdr *nlh, struct whorl_status *st);
/* Ask the kernel. */
int whorl_nl_status(struct whorl_nl *nl, struct whorl_status *st);

json_object *whorl_status_json(const struct whorl_status *st);
void whorl_status_print(FILE *out, const struct whorl_status *st);

#endif /* WHORL_STATUS_H */
