/* SPDX-License-Identifier: GPL-2.0 */
/* params.h - module parameters and run-time configuration. */
#ifndef WHORL_PARAMS_H
#define WHORL_PARAMS_H

#include <linux/types.h>

/* Module parameters (read-only after load). */
extern unsigned long whorl_hash_max;	/* bytes hashed per file */
extern unsigned int whorl_cache_max;	/* fingerprint cache entries */
extern unsigned int whorl_queue_max;	/* events waiting for the worker */
extern int whorl_hash_nice;		/* the worker's nice while it reports */
extern unsigned int whorl_hash_budget_mb;	/* MiB one container may have hashed per window */
extern bool whorl_ovl_table_param;	/* use the compiled overlayfs layout until BTF's */
extern unsigned int whorl_read_timeout;	/* seconds a worker's read may go without progress */

/* Run-time configuration (WHORL_CMD_CONFIG_SET); read with READ_ONCE(). */
extern u32 whorl_kinds_enabled;		/* bitmask of enum whorl_kind */
extern u32 whorl_dedup_ms;
extern u8 whorl_mode;			/* enum whorl_mode */

#endif /* WHORL_PARAMS_H */
