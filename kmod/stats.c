// SPDX-License-Identifier: GPL-2.0
/* stats.c - per-CPU counters: cheap to bump from a kprobe, summed on read. */

#include <linux/percpu.h>
#include <kunit/visibility.h>

#include "stats.h"

struct whorl_counters {
	u64 c[__WHORL_CTR_MAX];
};

static struct whorl_counters __percpu *whorl_counters;
static atomic64_t whorl_gauges[__WHORL_CTR_MAX];

/**
 * whorl_count_add - add @n to counter @ctr. Any context.
 * @ctr: the counter.
 * @n: how much.
 */
void whorl_count_add(enum whorl_counter ctr, u64 n)
{
	if (WARN_ON_ONCE(ctr <= WHORL_CTR_UNSPEC || ctr >= __WHORL_CTR_MAX))
		return;
	this_cpu_add(whorl_counters->c[ctr], n);
}

/**
 * whorl_gauge_set - set a gauge (a value that goes down as well as up).
 * @ctr: the counter that reads as this gauge.
 * @value: its new value.
 */
void whorl_gauge_set(enum whorl_counter ctr, u64 value)
{
	if (WARN_ON_ONCE(ctr <= WHORL_CTR_UNSPEC || ctr >= __WHORL_CTR_MAX))
		return;
	atomic64_set(&whorl_gauges[ctr], value);
}

/**
 * whorl_counter_read - the sum of @ctr over every CPU, plus its gauge.
 * @ctr: the counter.
 *
 * Return: the value; a counter being bumped meanwhile may be off by the
 * bumps in flight, which is all a monitoring read needs.
 */
u64 whorl_counter_read(enum whorl_counter ctr)
{
	u64 sum;
	int cpu;

	if (ctr <= WHORL_CTR_UNSPEC || ctr >= __WHORL_CTR_MAX)
		return 0;
	sum = atomic64_read(&whorl_gauges[ctr]);
	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(whorl_counters, cpu)->c[ctr];
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_counter_read);

int whorl_stats_init(void)
{
	whorl_counters = alloc_percpu(struct whorl_counters);
	return whorl_counters ? 0 : -ENOMEM;
}

void whorl_stats_exit(void)
{
	free_percpu(whorl_counters);
	whorl_counters = NULL;
}

unsigned int whorl_ct_stat_add(struct whorl_ct_stat *st, unsigned int n, u64 key,
			       u64 over_share, u64 over_budget)
{
	unsigned int i, least = 0;

	for (i = 0; i < n; i++) {
		if (st[i].key == key) {
			st[i].over_share += over_share;
			st[i].over_budget += over_budget;
			return n;
		}
		if (st[i].over_share + st[i].over_budget <
		    st[least].over_share + st[least].over_budget)
			least = i;
	}
	if (n < WHORL_CT_STATS_MAX)
		i = n++;
	else if (st[least].over_share + st[least].over_budget < over_share + over_budget)
		i = least;
	else
		return n;
	st[i].key = key;
	st[i].over_share = over_share;
	st[i].over_budget = over_budget;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_ct_stat_add);
