// SPDX-License-Identifier: GPL-2.0
/*
 * finding.c - the kernel decides the facts; this table turns an event, a
 * layer and what intel says into one kind of finding, and keeps the
 * report-once windows.
 */

#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <kunit/visibility.h>

#include "finding.h"
#include "limits.h"
#include "params.h"
#include "stats.h"

static u8 whorl_exec_kind(u8 layer, u8 intel)
{
	switch (intel) {
	case WHORL_INTEL_CONTAINER_ESCAPE:
		return WHORL_KIND_CONTAINER_ESCAPE;
	case WHORL_INTEL_K8S_ATTACK:
		return WHORL_KIND_K8S_ATTACK_TOOL;
	case WHORL_INTEL_RECON:
		return WHORL_KIND_RECON_TOOL;
	case WHORL_INTEL_MALICIOUS:
		switch (layer) {
		case WHORL_LAYER_FILELESS:
			return WHORL_KIND_FILELESS_EXECUTION;
		case WHORL_LAYER_ADDED:
		case WHORL_LAYER_VOLUME:
			return WHORL_KIND_ADDED_MALICIOUS_BINARY;
		case WHORL_LAYER_MODIFIED:
			return WHORL_KIND_MODIFIED_MALICIOUS_BINARY;
		case WHORL_LAYER_IMAGE:
			return WHORL_KIND_BUILTIN_MALICIOUS_BINARY;
		default:
			/* "Built in" only with proof of a lower layer */
			return WHORL_KIND_MALICIOUS_BINARY;
		}
	default:
		switch (layer) {
		case WHORL_LAYER_FILELESS:
			return WHORL_KIND_FILELESS_EXECUTION;
		case WHORL_LAYER_ADDED:
		case WHORL_LAYER_MODIFIED:
		case WHORL_LAYER_VOLUME:
			return WHORL_KIND_ADDED_BINARY;
		default:
			return WHORL_KIND_NONE;
		}
	}
}

/*
 * A library in any intel category is a malicious library: tool categories
 * name programs, not what they load. An executable memfd mapping without
 * intel is what JIT compilers do, so it alone is no finding.
 */
static u8 whorl_map_kind(u8 layer, u8 intel)
{
	if (intel != WHORL_INTEL_NONE) {
		switch (layer) {
		case WHORL_LAYER_ADDED:
		case WHORL_LAYER_FILELESS:
		case WHORL_LAYER_VOLUME:
			return WHORL_KIND_ADDED_MALICIOUS_LIBRARY;
		case WHORL_LAYER_MODIFIED:
			return WHORL_KIND_MODIFIED_MALICIOUS_LIBRARY;
		case WHORL_LAYER_IMAGE:
			return WHORL_KIND_BUILTIN_MALICIOUS_LIBRARY;
		default:
			return WHORL_KIND_MALICIOUS_LIBRARY;
		}
	}
	switch (layer) {
	case WHORL_LAYER_ADDED:
	case WHORL_LAYER_MODIFIED:
	case WHORL_LAYER_VOLUME:
		return WHORL_KIND_ADDED_LIBRARY;
	default:
		return WHORL_KIND_NONE;
	}
}

u8 whorl_finding_kind(u8 event, u8 layer, u8 intel)
{
	switch (event) {
	case WHORL_EVENT_EXEC:
		return whorl_exec_kind(layer, intel);
	case WHORL_EVENT_MMAP:
	case WHORL_EVENT_MPROTECT:
		return whorl_map_kind(layer, intel);
	default:
		return WHORL_KIND_NONE;
	}
}
EXPORT_SYMBOL_IF_KUNIT(whorl_finding_kind);

bool whorl_kind_enabled(u8 kind)
{
	return kind != WHORL_KIND_NONE && kind <= WHORL_KIND_MAX &&
	       (READ_ONCE(whorl_kinds_enabled) & (1U << kind));
}
EXPORT_SYMBOL_IF_KUNIT(whorl_kind_enabled);

struct whorl_dedup_slot {
	u64 key;
	unsigned long when;
	u32 suppressed;
};

static struct whorl_dedup_slot *whorl_dedup;
static DEFINE_SPINLOCK(whorl_dedup_lock);

bool whorl_dedup_admit(u64 key, u32 *suppressed)
{
	unsigned long window = msecs_to_jiffies(READ_ONCE(whorl_dedup_ms));
	struct whorl_dedup_slot *slot;
	bool admit;

	*suppressed = 0;
	if (!window || !whorl_dedup)
		return true;
	key |= 1;	/* 0 marks an empty slot */
	spin_lock(&whorl_dedup_lock);
	slot = &whorl_dedup[hash_64(key, ilog2(WHORL_DEDUP_MAX))];
	if (slot->key == key && time_before(jiffies, slot->when + window)) {
		slot->suppressed++;
		admit = false;
	} else {
		/* A colliding key takes the slot: at worst a repeat report. */
		*suppressed = slot->key == key ? slot->suppressed : 0;
		slot->key = key;
		slot->when = jiffies;
		slot->suppressed = 0;
		admit = true;
	}
	spin_unlock(&whorl_dedup_lock);
	if (!admit)
		whorl_count(WHORL_CTR_FINDINGS_SUPPRESSED);
	return admit;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_dedup_admit);

void whorl_dedup_reset(void)
{
	spin_lock(&whorl_dedup_lock);
	if (whorl_dedup)
		memset(whorl_dedup, 0, WHORL_DEDUP_MAX * sizeof(*whorl_dedup));
	spin_unlock(&whorl_dedup_lock);
}
EXPORT_SYMBOL_IF_KUNIT(whorl_dedup_reset);

int whorl_finding_init(void)
{
	BUILD_BUG_ON(!is_power_of_2(WHORL_DEDUP_MAX));
	BUILD_BUG_ON(__WHORL_KIND_MAX > 32);
	whorl_dedup = kvcalloc(WHORL_DEDUP_MAX, sizeof(*whorl_dedup), GFP_KERNEL);
	return whorl_dedup ? 0 : -ENOMEM;
}

void whorl_finding_exit(void)
{
	kvfree(whorl_dedup);
	whorl_dedup = NULL;
}
