// SPDX-License-Identifier: GPL-2.0
/*
 * memo.c - per-CPU memo of executable mappings already judged to need no
 * event, so that a container mapping the same unchanged library again costs
 * a handful of loads instead of the whole judgement.
 *
 * Only an overlayfs file with a name is memoised: its verdict depends on the
 * file (its layer, its content's fingerprint, its name), on intel and on the
 * configuration, never on the task mapping it (a tmpfs file's does: the
 * /dev/shm test uses the task's root). The key holds what changes with the
 * file: the real inode (another after a copy-up) and its i_version, times
 * and size, read before the verdict is worked out, so that a change made
 * meanwhile leaves a key that no later look matches. Intel loads and
 * configuration changes start a new generation, which empties every memo at
 * once. Only "no event" is ever remembered: a hit means the full judgement
 * would have said the same.
 */

#include <linux/atomic.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/iversion.h>
#include <linux/magic.h>
#include <linux/percpu.h>
#include <kunit/visibility.h>

#include "memo.h"
#include "overlay.h"

#define WHORL_MEMO_BITS	4

struct whorl_memo {
	struct whorl_memo_key slot[1 << WHORL_MEMO_BITS];
};

static struct whorl_memo __percpu *whorl_memo;
/* Slots start zeroed, generation 0: no slot matches before a remember. */
static atomic_t whorl_memo_gen = ATOMIC_INIT(1);

/**
 * whorl_memo_key - the memo key of a mapping of @file.
 * @file: the file being mapped.
 * @key: receives the key.
 *
 * Read the generation first: a verdict worked out after this call uses
 * intel and configuration at least as new as @key->gen. Any context.
 *
 * Return: false when @file's verdict is not memoised (not an overlayfs
 * file, no inode, or nameless).
 */
bool whorl_memo_key(struct file *file, struct whorl_memo_key *key)
{
	const struct path *upath = whorl_file_user_path(file);
	struct inode *real;

	key->gen = atomic_read_acquire(&whorl_memo_gen);
	if (upath->dentry->d_sb->s_magic != OVERLAYFS_SUPER_MAGIC ||
	    whorl_path_nameless(upath))
		return false;
	real = d_inode(whorl_d_real_meta(upath->dentry));
	if (!real)
		return false;
	key->dentry = upath->dentry;
	key->real = real;
	key->ino = real->i_ino;
	key->version = inode_peek_iversion(real);
	key->mtime = whorl_inode_mtime_ns(real);
	key->ctime = whorl_inode_ctime_ns(real);
	key->size = i_size_read(real);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_memo_key);

static bool whorl_memo_same(const struct whorl_memo_key *a,
			    const struct whorl_memo_key *b)
{
	return a->dentry == b->dentry && a->real == b->real &&
	       a->gen == b->gen && a->ino == b->ino &&
	       a->version == b->version && a->mtime == b->mtime &&
	       a->ctime == b->ctime && a->size == b->size;
}

/**
 * whorl_memo_hit - was a mapping with @key judged to need no event, on this
 *	CPU, in this generation?
 * @key: from whorl_memo_key().
 *
 * Any context. Return: true on a hit.
 */
bool whorl_memo_hit(const struct whorl_memo_key *key)
{
	struct whorl_memo *memo = get_cpu_ptr(whorl_memo);
	bool hit;

	hit = whorl_memo_same(&memo->slot[hash_ptr(key->dentry, WHORL_MEMO_BITS)],
			      key);
	put_cpu_ptr(whorl_memo);
	return hit;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_memo_hit);

/**
 * whorl_memo_remember - remember that a mapping with @key needs no event.
 * @key: from whorl_memo_key(), taken before the verdict was worked out.
 *
 * Replaces whatever this CPU's slot held. Any context.
 */
void whorl_memo_remember(const struct whorl_memo_key *key)
{
	struct whorl_memo *memo = get_cpu_ptr(whorl_memo);

	memo->slot[hash_ptr(key->dentry, WHORL_MEMO_BITS)] = *key;
	put_cpu_ptr(whorl_memo);
}
EXPORT_SYMBOL_IF_KUNIT(whorl_memo_remember);

/**
 * whorl_memo_forget_all - start a new generation: every memo is void.
 *
 * Call after the change (intel published, configuration written): a
 * handler that reads the new generation then sees the change. Any context.
 */
void whorl_memo_forget_all(void)
{
	smp_mb__before_atomic();
	atomic_inc(&whorl_memo_gen);
}
EXPORT_SYMBOL_IF_KUNIT(whorl_memo_forget_all);

int whorl_memo_init(void)
{
	whorl_memo = alloc_percpu(struct whorl_memo);
	return whorl_memo ? 0 : -ENOMEM;
}

void whorl_memo_exit(void)
{
	free_percpu(whorl_memo);
	whorl_memo = NULL;
}
