/* SPDX-License-Identifier: GPL-2.0 */
/* proctree.h - the processes exec events describe, for ParentImage and a finding's ancestors. */
#ifndef WHORL_PROCTREE_H
#define WHORL_PROCTREE_H

#include <stddef.h>
#include <stdint.h>

#include "finding.h"

/*
 * Bounds: at most WHORL_PROCTREE_MAX execs and WHORL_PROCTREE_BYTES bytes of nodes and their
 * strings; past either, the least recently used exec goes (used: recorded, or looked up as an
 * ancestor, so that the lineages of running workloads stay). An exec's path and argv are kept
 * up to WHORL_PROC_STR_MAX bytes each (the module sends argv up to 1 KiB).
 * 131,072 execs hold a host's 100,000 live processes with room for short-lived ones; 64 MiB is
 * 512 bytes an exec at that count (a node is 168 bytes, leaving 344 for its path and argv: a
 * container workload's average is well under; make bench measures 100,000 of them), and bounds
 * a tree of long command lines, which evicts the oldest instead of growing.
 */
#define WHORL_PROCTREE_MAX	131072
#define WHORL_PROCTREE_BYTES	(64U << 20)
#define WHORL_PROC_STR_MAX	1024
/* Generations of ancestors a lineage names at most (the exec itself not counted). */
#define WHORL_LINEAGE_MAX	8
/* An exec unused this long whose process is gone is reclaimed by whorl_proctree_sweep(). */
#define WHORL_PROCTREE_IDLE_S	300

/*
 * One exec of one process, named by (tgid, start, exec_seq). A process seen only in /proc when
 * the relay started has exec_seq 0 (unknown: it stands for its latest exec) and a start time
 * known to the clock tick.
 */
struct whorl_proc {
	uint32_t tgid, ppid, uid;
	int has_uid;
	uint64_t start_ns;		/* exact from an event; ticks * ns per tick from /proc */
	uint64_t ticks;			/* start_ns in clock ticks (/proc/<pid>/stat) */
	uint64_t exec_seq;		/* 0: seeded from /proc */
	uint64_t parent_start_ns, parent_exec_seq;
	int has_parent;			/* the parent exec's key is known (an event) */
	uint64_t container;		/* a hash of the container id; 0: unknown */
	int helper;			/* a runtime helper (containerd-shim, conmon, runc...) */
	char comm[16];
	char *image;			/* the executed file's path, or NULL */
	char *args;			/* argv, NUL-separated, cut at WHORL_PROC_STR_MAX */
	size_t args_len;
	int args_truncated;
	uint64_t used;			/* the caller's clock (seconds) when last used */
	size_t bytes;
	struct whorl_proc *hnext;	/* hash chain */
	struct whorl_proc *prev, *next;	/* LRU list: head is the most recent */
};

struct whorl_proctree {
	struct whorl_proc **bucket;
	size_t nbuckets;
	struct whorl_proc *head, *tail;
	size_t n, bytes;
	size_t max, max_bytes;		/* WHORL_PROCTREE_MAX and _BYTES unless a test says */
	uint64_t ns_per_tick;		/* 1e9 / sysconf(_SC_CLK_TCK) */
	uint64_t evicted, reclaimed;
};

/* @max, @max_bytes: 0 for the defaults. Return: 0 or -1 out of memory. */
int whorl_proctree_init(struct whorl_proctree *t, size_t max, size_t max_bytes);
void whorl_proctree_free(struct whorl_proctree *t);

/* A hash of a container id (0 for none); what the tree compares to tell containers apart. */
uint64_t whorl_container_hash(const char *id);

/*
 * whorl_proctree_add - record exec event @f (its tgid, START_NS and EXEC_SEQ name it).
 * @now: the caller's clock in seconds, for whorl_proctree_sweep().
 * Return: the tree's node (valid until the next add or sweep), or NULL if @f does not name an
 * exec (no tgid or start) or out of memory.
 */
struct whorl_proc *whorl_proctree_add(struct whorl_proctree *t, const struct whorl_finding *f,
				      uint64_t now);

/*
 * whorl_proctree_find - the exec (@tgid, @start_ns, @exec_seq), else the latest known exec of
 * process (@tgid, @start_ns): a seeded process, or the exact exec not seen (lost, or before
 * the relay). @start_ns is compared to the clock tick with processes seeded from /proc.
 */
struct whorl_proc *whorl_proctree_find(struct whorl_proctree *t, uint32_t tgid,
				       uint64_t start_ns, uint64_t exec_seq);

/*
 * whorl_proctree_lineage - the ancestors of @p, parent first, up to @max (at most
 * WHORL_LINEAGE_MAX), each marked used at @now. Stops at the container's edge: before a
 * parent of another container (both known), a runtime helper or the host's pid 1; and at
 * an exec already listed (a hostile event claiming to be its own ancestor cannot loop).
 * Return: how many were stored in @out.
 */
size_t whorl_proctree_lineage(struct whorl_proctree *t, const struct whorl_proc *p,
			      struct whorl_proc **out, size_t max, uint64_t now);

/*
 * whorl_proctree_seed - record the processes running now from @root/proc (@root "" for the
 * host): each one's exe, cmdline, comm, ppid and start time, read with bounded reads. Threads
 * of the kernel (no exe, no cmdline) are left out. Return: processes recorded.
 */
size_t whorl_proctree_seed(struct whorl_proctree *t, const char *root, uint64_t now);

/*
 * whorl_proctree_sweep - reclaim execs unused for WHORL_PROCTREE_IDLE_S whose process is gone
 * (@root/proc/<tgid>/stat missing, or another start time: the pid was reused), checking at
 * most @budget of them from the least recently used. Return: how many were reclaimed.
 */
size_t whorl_proctree_sweep(struct whorl_proctree *t, const char *root, uint64_t now,
			    size_t budget);

/*
 * whorl_proc_stat - read @root/proc/@pid/stat: ppid, start time in ticks and comm (@comm of 16
 * bytes, may be NULL). Return: 0, or -1 if it cannot be read or parsed.
 */
int whorl_proc_stat(const char *root, uint32_t pid, uint32_t *ppid, uint64_t *ticks,
		    char *comm);

/* argv NUL-separated in @args joined by single spaces into @out of @size bytes (cut to fit). */
void whorl_args_join(const char *args, size_t len, char *out, size_t size);

#endif /* WHORL_PROCTREE_H */
