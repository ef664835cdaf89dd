// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - whorl: in-kernel fingerprints of what containers execute and map,
 * with their image-layer provenance, reported over generic netlink.
 *
 * Components come up in dependency order and go down in reverse. Every
 * component a command touches (the intel set, the memo a configuration
 * change clears) is there before the netlink family is registered and
 * after it is gone; a mode switch only writes the mode, which the probes
 * read. The event queue and the hooks come after the family and leave
 * before it: every event queued before the hooks left is reported to the
 * subscribers as the queue drains.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched/prio.h>
#include <net/genetlink.h>
#include <kunit/visibility.h>

#include "cache.h"
#include "container.h"
#include "event.h"
#include "finding.h"
#include "fingerprint.h"
#include "hooks.h"
#include "intel.h"
#include "memo.h"
#include "netlink.h"
#include "overlay.h"
#include "params.h"
#include "stats.h"

unsigned long whorl_hash_max = 2UL << 30;
module_param_named(hash_max, whorl_hash_max, ulong, 0400);
MODULE_PARM_DESC(hash_max, "Bytes hashed per file; larger files get a partial (prefix) hash, which intel's whole-file hashes never match (default 2 GiB)");

unsigned int whorl_hash_budget_mb = 4096;
module_param_named(hash_budget_mb, whorl_hash_budget_mb, uint, 0400);
MODULE_PARM_DESC(hash_budget_mb, "MiB of files one container may have hashed per minute; past it a file is reported as unfingerprintable, not hashed (default 4096; at least hash_max; 0: no bound)");

unsigned int whorl_cache_max = 16384;
module_param_named(cache_max, whorl_cache_max, uint, 0400);
MODULE_PARM_DESC(cache_max, "Fingerprint cache entries (default 16384)");

unsigned int whorl_queue_max = WHORL_QUEUE_MAX;
module_param_named(queue_max, whorl_queue_max, uint, 0400);
MODULE_PARM_DESC(queue_max, "Events alive at once: waiting to be hashed and reported, or for their exec to finish; beyond this new ones are dropped and counted (default 4096, about 5.6 KiB each)");

u32 whorl_kinds_enabled = WHORL_KINDS_DEFAULT;
module_param_named(kinds, whorl_kinds_enabled, uint, 0400);
MODULE_PARM_DESC(kinds, "Bitmask of enabled finding kinds at load (default: all but the low-severity ones)");

u32 whorl_dedup_ms = 60000;
module_param_named(dedup_ms, whorl_dedup_ms, uint, 0400);
MODULE_PARM_DESC(dedup_ms, "Report the same (container, file, kind) once per this many ms; 0 reports all (default 60000)");

int whorl_hash_nice = 19;
module_param_named(hash_nice, whorl_hash_nice, int, 0400);
MODULE_PARM_DESC(hash_nice, "Nice level of the work that hashes and reports, -20 to 19 (default 19: it takes CPU time no runnable task wants, so that no program waits for its own fingerprint)");

unsigned int whorl_read_timeout = 20;
module_param_named(read_timeout, whorl_read_timeout, uint, 0400);
MODULE_PARM_DESC(read_timeout, "Seconds the module's read of a file may go without progress (a FUSE server or network filesystem that does not answer) before it is cut and the file reported as not fingerprintable, 1 to 3600 (default 20)");

bool whorl_ovl_table_param = true;
module_param_named(ovl_table, whorl_ovl_table_param, bool, 0400);
MODULE_PARM_DESC(ovl_table, "Use the compiled overlayfs layout for this kernel until the tool hands one from BTF (default 1); 0: layer provenance is off until then");

static unsigned int whorl_mode_param = WHORL_MODE_DETECT;
module_param_named(mode, whorl_mode_param, uint, 0400);
MODULE_PARM_DESC(mode, "0: detect (default), 1: enforce - refuse known-bad code in containers; changeable at run time with 'whorl config --mode'");
u8 whorl_mode;
EXPORT_SYMBOL_IF_KUNIT(whorl_hash_max);
EXPORT_SYMBOL_IF_KUNIT(whorl_cache_max);
EXPORT_SYMBOL_IF_KUNIT(whorl_kinds_enabled);
EXPORT_SYMBOL_IF_KUNIT(whorl_dedup_ms);
EXPORT_SYMBOL_IF_KUNIT(whorl_hash_budget_mb);

static int __init whorl_init(void)
{
	int err;

	if (whorl_hash_budget_mb &&
	    ((u64)whorl_hash_budget_mb << 20) < whorl_hash_max) {
		pr_err("whorl: hash_budget_mb must cover one file of hash_max bytes (or be 0)\n");
		return -EINVAL;
	}
	if (!whorl_hash_max || !whorl_cache_max || !whorl_queue_max ||
	    whorl_queue_max > WHORL_QUEUE_MAX_LIMIT ||
	    whorl_mode_param > WHORL_MODE_ENFORCE ||
	    whorl_hash_nice < MIN_NICE || whorl_hash_nice > MAX_NICE ||
	    !whorl_read_timeout || whorl_read_timeout > 3600) {
		pr_err("whorl: hash_max and cache_max must be positive, queue_max 1 to %u, mode 0 or 1, hash_nice %d to %d, read_timeout 1 to 3600\n",
		       WHORL_QUEUE_MAX_LIMIT, MIN_NICE, MAX_NICE);
		return -EINVAL;
	}
	whorl_mode = whorl_mode_param;
	err = whorl_stats_init();
	if (err)
		goto err_out;
	err = whorl_finding_init();
	if (err)
		goto err_stats;
	err = whorl_fingerprint_init();
	if (err)
		goto err_finding;
	err = whorl_cache_init();
	if (err)
		goto err_fingerprint;
	err = whorl_container_init();
	if (err)
		goto err_cache;
	err = whorl_intel_init();
	if (err)
		goto err_container;
	err = whorl_memo_init();
	if (err)
		goto err_intel;
	whorl_overlay_init();
	err = whorl_netlink_init();
	if (err)
		goto err_overlay;
	err = whorl_event_init();
	if (err)
		goto err_netlink;
	err = whorl_exec_init();
	if (err)
		goto err_event;
	err = whorl_hooks_init();
	if (err)
		goto err_exec;

	pr_info("whorl: %s loaded: hooks on exec, mmap and mprotect\n", WHORL_VERSION);
	return 0;

err_exec:
	whorl_exec_exit();
err_event:
	whorl_event_exit();
err_netlink:
	whorl_netlink_exit();
err_overlay:
	whorl_overlay_exit();
	whorl_memo_exit();
err_intel:
	whorl_intel_exit();
err_container:
	whorl_container_exit();
err_cache:
	whorl_cache_exit();
err_fingerprint:
	whorl_fingerprint_exit();
err_finding:
	whorl_finding_exit();
err_stats:
	whorl_stats_exit();
err_out:
	pr_err("whorl: failed to load: %d\n", err);
	return err;
}

static void __exit whorl_exit(void)
{
	whorl_hooks_exit();
	whorl_exec_exit();
	whorl_event_exit();
	whorl_netlink_exit();
	whorl_overlay_exit();
	whorl_memo_exit();
	whorl_intel_exit();
	whorl_container_exit();
	whorl_cache_exit();
	whorl_fingerprint_exit();
	whorl_finding_exit();
	whorl_stats_exit();
	pr_info("whorl: unloaded\n");
}

module_init(whorl_init);
module_exit(whorl_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(WHORL_VERSION);
MODULE_DESCRIPTION("whorl: container attack detection from exec and executable mappings, with in-kernel SHA-256 and overlayfs layer provenance");
MODULE_AUTHOR("The whorl authors");
MODULE_ALIAS_GENL_FAMILY(WHORL_GENL_NAME);
