/* SPDX-License-Identifier: GPL-2.0 */
/* stats.h - per-CPU counters, read back by WHORL_CMD_STATUS_GET. */
#ifndef WHORL_STATS_H
#define WHORL_STATS_H

#include <linux/types.h>

#include "limits.h"

/* Any context. */
void whorl_count_add(enum whorl_counter ctr, u64 n);
static inline void whorl_count(enum whorl_counter ctr)
{
	whorl_count_add(ctr, 1);
}

u64 whorl_counter_read(enum whorl_counter ctr);
/* Gauges (e.g. subscribers) are set, not added. */
void whorl_gauge_set(enum whorl_counter ctr, u64 value);

/*
 * What one container (a cgroup key; keys that share a slot share a line)
 * was refused: events past its share of queue_max, files past its hashing
 * budget. For `whorl status`, where the overall counters cannot say who.
 */
struct whorl_ct_stat {
	u64 key;
	u64 over_share;
	u64 over_budget;
};

/* Most containers `whorl status` names, those refused most first. */
#define WHORL_CT_STATS_MAX	32

/*
 * whorl_ct_stat_add - merge one slot's counts into @st (@n in use, at most
 * WHORL_CT_STATS_MAX): the same key adds up; when full, a line with less
 * in all gives way. Returns the new @n. Process context, caller's array.
 */
unsigned int whorl_ct_stat_add(struct whorl_ct_stat *st, unsigned int n, u64 key,
			       u64 over_share, u64 over_budget);
/* The slots of event.c's shares and fingerprint.c's budgets, into @st. */
unsigned int whorl_event_ct_stats(struct whorl_ct_stat *st, unsigned int n);
unsigned int whorl_budget_ct_stats(struct whorl_ct_stat *st, unsigned int n);

int whorl_stats_init(void);
void whorl_stats_exit(void);

#endif /* WHORL_STATS_H */
