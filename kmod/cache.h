/* SPDX-License-Identifier: GPL-2.0 */
/* cache.h - fingerprint cache: one entry per (superblock, inode, generation). */
#ifndef WHORL_CACHE_H
#define WHORL_CACHE_H

#include <linux/types.h>

#include "fingerprint.h"

struct file;
struct inode;

/**
 * whorl_cache_peek - the cached fingerprint of @inode, if still valid.
 * @inode: the real (underlying) inode.
 * @out: receives the fingerprint on a hit.
 *
 * Any context, kprobes included: RCU, no lock, no allocation. An entry is
 * valid while the inode's cookie (whorl_inode_cookie()) is unchanged.
 * Counts a hit or a miss. Return: true on a valid hit.
 */
bool whorl_cache_peek(const struct inode *inode, struct whorl_fp *out);

/**
 * whorl_cache_fingerprint - the fingerprint of @file, from the cache or
 * computed now and cached. Concurrent callers for the same inode share one
 * computation (the others wait for it).
 * @file: open readable file whose content is @inode's.
 * @inode: the real inode (the cache key).
 * @out: the fingerprint.
 *
 * Process context (may sleep). Return: 0 or -errno.
 */
int whorl_cache_fingerprint(struct file *file, struct inode *inode,
			    struct whorl_fp *out);

/**
 * whorl_cache_pin - keep @fp, a fingerprint intel refuses, as @inode's
 * content where no churn evicts it; whorl_cache_peek() finds it while the
 * inode's cookie is @fp->cookie. Process context. Return: 0 or -errno.
 */
int whorl_cache_pin(const struct inode *inode, const struct whorl_fp *fp);

/* Drop every entry (module exit, tests). Process context. */
void whorl_cache_flush(void);
u32 whorl_cache_count(void);
/* Bytes of kernel memory one entry takes. */
u32 whorl_cache_entry_bytes(void);

int whorl_cache_init(void);
void whorl_cache_exit(void);

#endif /* WHORL_CACHE_H */
