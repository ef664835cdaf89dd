/* SPDX-License-Identifier: GPL-2.0 */
/* memo.h - per-CPU memo of executable mappings already judged to need no event. */
#ifndef WHORL_MEMO_H
#define WHORL_MEMO_H

#include <linux/types.h>

struct dentry;
struct file;
struct inode;

/**
 * struct whorl_memo_key - what a mapping's verdict depends on, read before
 *	the verdict is worked out.
 * @dentry: the path the user mapped (its overlayfs dentry, for a container).
 * @real: the real inode behind it: another one after a copy-up.
 * @ino: @real's inode number (a reused inode address is another file).
 * @version: @real's i_version.
 * @mtime: @real's mtime, in ns.
 * @ctime: @real's ctime, in ns.
 * @size: @real's size.
 * @gen: the memo generation: every intel load and configuration change
 *	starts a new one.
 */
struct whorl_memo_key {
	const struct dentry *dentry;
	const struct inode *real;
	u64 ino;
	u64 version;
	s64 mtime;
	s64 ctime;
	loff_t size;
	u32 gen;
};

bool whorl_memo_key(struct file *file, struct whorl_memo_key *key);
bool whorl_memo_hit(const struct whorl_memo_key *key);
void whorl_memo_remember(const struct whorl_memo_key *key);
void whorl_memo_forget_all(void);

int whorl_memo_init(void);
void whorl_memo_exit(void);

#endif /* WHORL_MEMO_H */
