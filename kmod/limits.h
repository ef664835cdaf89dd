/* SPDX-License-Identifier: GPL-2.0 */
/* limits.h - every fixed bound of the whorl module, in one place. */
#ifndef WHORL_LIMITS_H
#define WHORL_LIMITS_H

#include <uapi/linux/whorl.h>

/* Paths kept per file (as seen by the process, and from the host root). */
#define WHORL_PATH_MAX		512
/* argv bytes kept per exec; longer argv is flagged truncated. */
#define WHORL_ARGS_MAX		1024
/* Cgroup path bytes kept per container cgroup. */
#define WHORL_CGROUP_PATH_MAX	512
/*
 * Files seen by one exec: the script, its interpreter(s), the binary. As
 * many as the kernel lets one exec pass security_bprm_check(): exec_binprm()
 * refuses a seventh binfmt rewrite with -ELOOP (6.1 to 6.12), so the file an
 * exec finally runs always has a slot, however deep the chain of #!
 * scripts and binfmt_misc handlers in front of it.
 */
#define WHORL_EXEC_FILES_MAX	6
/*
 * Events alive at once by default (module parameter queue_max): waiting for
 * the worker, parked for their argv, or dropped and being released; past the
 * bound a new event is not built, only counted. An event is about 5.6 KiB.
 */
#define WHORL_QUEUE_MAX		4096
/* The most queue_max may be: about 1.1 GiB of events. */
#define WHORL_QUEUE_MAX_LIMIT	(1U << 18)
/* Execs whose files were seen but whose argv is not yet read. */
#define WHORL_PENDING_EXEC_MAX	1024
/* Cgroups whose container attribution is cached. */
#define WHORL_CGROUP_CACHE_MAX	4096
/* Most intel entries one set may hold. */
#define WHORL_INTEL_MAX_ENTRIES	(16U << 20)
/* Most basename rules one set may hold. */
#define WHORL_INTEL_MAX_RULES	65536
/* Bytes read per step while hashing. */
#define WHORL_HASH_CHUNK	(256U << 10)
/* Bytes hashed between chances to reschedule (SIMD hashing is not preemptible). */
#define WHORL_HASH_STEP		(16U << 10)
/* Allow-listed environment variables kept per exec, and their bytes ("NAME\0VALUE\0" each). */
#define WHORL_ENV_ENTRIES_MAX	16
#define WHORL_ENV_BUF		1024
/* Dedup keys remembered at once. */
#define WHORL_DEDUP_MAX		8192

#endif /* WHORL_LIMITS_H */
