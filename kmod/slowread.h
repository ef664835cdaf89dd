/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slowread.h - fingerprints of files whose filesystem's server may never
 * answer (FUSE, network filesystems), read without holding a worker.
 */
#ifndef WHORL_SLOWREAD_H
#define WHORL_SLOWREAD_H

#include <linux/fs.h>
#include <linux/types.h>

#include "fingerprint.h"

/*
 * whorl_fingerprint_bounded - whorl_fingerprint_file(), but on a filesystem
 * that may stall (whorl_fs_may_stall()) the read runs in a thread of its
 * own and the caller waits only while it makes progress: after read_timeout
 * seconds without any, the caller gets -ETIMEDOUT and goes on, and the
 * thread is left to finish when the filesystem answers (it holds the module:
 * rmmod says "in use" meanwhile, and never hangs). @owner is the container
 * whose stalled reads are bounded. Process context (sleeps).
 */
int whorl_fingerprint_bounded(struct file *file, struct inode *inode, u64 max,
			      u64 owner, struct whorl_fp *out, u64 *cookie);

/* Is @sb's content served by a process or a remote server that may never answer? */
bool whorl_fs_may_stall(const struct super_block *sb);

/* From the hashing loop, per chunk read: a slow read makes progress. */
void whorl_read_progress(void);

#endif /* WHORL_SLOWREAD_H */
