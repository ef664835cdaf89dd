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

int whorl_stats_init(void);
void whorl_stats_exit(void);

#endif /* WHORL_STATS_H */
