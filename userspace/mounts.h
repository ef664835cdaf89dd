/* SPDX-License-Identifier: GPL-2.0 */
/* mounts.h - diskPath: a file's host path from its filesystem's device and its path there. */
#ifndef WHORL_MOUNTS_H
#define WHORL_MOUNTS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/stat.h>

#include "finding.h"

#define WHORL_MOUNTS_PATH_MAX 4096

/* One line of a mountinfo file; the strings point into the table's text, decoded. */
struct whorl_mount {
	unsigned long id, parent;
	uint32_t dev;			/* as the kernel encodes it: major << 20 | minor */
	const char *root;		/* the mounted directory, from its filesystem's root */
	const char *point;		/* where it is mounted, from the root of the process
					 * whose mountinfo it is */
};

/*
 * The host's mount table, cached. It is read again when it changed since it was last read
 * (procfs says so through poll(); a plain file, a test's fixture, through its inode, size
 * and mtime) and, on a miss, at most once a second whatever.
 */
struct whorl_mounts {
	char path[2][WHORL_MOUNTS_PATH_MAX];	/* the files tried, in order */
	int npaths;
	int fd;				/* the file last read, kept open for poll(); or -1 */
	int cur;			/* its index in @path */
	int is_proc;			/* it is procfs: poll() tells a change */
	struct stat st;			/* else: the file as it was read */
	struct timespec read_at;	/* CLOCK_MONOTONIC of the last attempt to read */
	char *text;
	struct whorl_mount *v;
	size_t n;
	unsigned long reads;		/* successful reads, for tests */
};

/*
 * whorl_mounts_init - read the mount table.
 * @path: the mountinfo file, or NULL for the host's: $WHORL_STATE_ROOT/proc/1/mountinfo (the
 *	initial mount namespace, for a relay on the host or with hostPID), else
 *	$WHORL_STATE_ROOT/proc/self/mountinfo.
 * Return: 0; -errno if no file could be read (@m is still usable: lookups miss and the file
 * is tried again, at most once a second). Release with whorl_mounts_free() either way.
 */
int whorl_mounts_init(struct whorl_mounts *m, const char *path);

/*
 * whorl_mounts_resolve - where the file at @fs_path (from its filesystem's root) of the
 * filesystem @dev shows in the table: of the mounts of @dev whose root holds @fs_path, the
 * one with the longest root (the first of equals), its mount point joined with the rest of
 * @fs_path.
 * Return: the path, valid UTF-8, malloc'd; NULL if no mount shows the file (or no memory).
 */
char *whorl_mounts_resolve(struct whorl_mounts *m, uint32_t dev, const char *fs_path);

/* Fill the binary's and the library's disk_path (where unset) from their dev and fs_path. */
void whorl_mounts_fill(struct whorl_mounts *m, struct whorl_finding *f);

void whorl_mounts_free(struct whorl_mounts *m);

#endif /* WHORL_MOUNTS_H */
