// SPDX-License-Identifier: GPL-2.0
/*
 * slowread.c - reads that may never end. A FUSE server (a container with
 * /dev/fuse can run one) or a network filesystem can leave a read waiting
 * for ever; a killed task waits too, once FUSE's server has taken the
 * request. A worker reading there would be lost to every container, and
 * rmmod would wait on it. So on such a filesystem the hash runs in a thread
 * of its own, which holds its file, its inode and the module; the worker
 * waits only while that thread makes progress, and after read_timeout
 * seconds without any reports the file as not fingerprintable
 * (-ETIMEDOUT: fail closed and loud) and goes on. Such threads are bounded,
 * in all and per container: past the bound the file is reported the same
 * way at once, without a read.
 */

#include <linux/completion.h>
#include <linux/file.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "params.h"
#include "slowread.h"
#include "stats.h"

/* Slow-read threads alive at once, in all and per container. */
#define WHORL_SLOW_MAX		16
#define WHORL_SLOW_PER_CT	4

struct whorl_slow {
	struct file *file;
	struct inode *inode;
	u64 max;
	u64 owner;
	struct whorl_fp fp;
	u64 cookie;
	int err;
	unsigned long progress;		/* chunks read */
	struct completion done;
	refcount_t ref;			/* the thread's and the waiting worker's */
};

static struct whorl_slow *whorl_slow_slots[WHORL_SLOW_MAX];
/*
 * Each slot's thread, only ever compared with current: a thread finds its own entry
 * without touching another's, which may be freed meanwhile.
 */
static struct task_struct *whorl_slow_tasks[WHORL_SLOW_MAX];
static DEFINE_SPINLOCK(whorl_slow_lock);

/*
 * Filesystems whose content comes from a process (FUSE, virtiofs's daemon)
 * or over a network: what the module reads there may not come back.
 */
static const char *const whorl_stall_fs[] = {
	"fuse", "fuseblk", "virtiofs", "nfs", "nfs4", "cifs", "smb3", "9p",
	"ceph", "afs", "ncpfs", "coda", "orangefs", "gfs2", "ocfs2",
};

bool whorl_fs_may_stall(const struct super_block *sb)
{
	const char *name = sb->s_type->name;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(whorl_stall_fs); i++)
		if (!strcmp(name, whorl_stall_fs[i]))
			return true;
	return false;
}

void whorl_read_progress(void)
{
	unsigned int i;

	if (!(current->flags & PF_KTHREAD))
		return;
	/* lockless: a slot holds its entry, which holds its thread, until that thread ends */
	for (i = 0; i < WHORL_SLOW_MAX; i++) {
		if (READ_ONCE(whorl_slow_tasks[i]) == current) {
			struct whorl_slow *s = READ_ONCE(whorl_slow_slots[i]);

			WRITE_ONCE(s->progress, s->progress + 1);
			return;
		}
	}
}

/* A slot for @s, unless its container or everyone is at the bound. */
static bool whorl_slow_claim(struct whorl_slow *s)
{
	unsigned int i, mine = 0, slot = WHORL_SLOW_MAX;
	bool ok;

	spin_lock(&whorl_slow_lock);
	for (i = 0; i < WHORL_SLOW_MAX; i++) {
		if (!whorl_slow_slots[i])
			slot = min(slot, i);
		else if (whorl_slow_slots[i]->owner == s->owner)
			mine++;
	}
	ok = slot < WHORL_SLOW_MAX && mine < WHORL_SLOW_PER_CT;
	if (ok)
		WRITE_ONCE(whorl_slow_slots[slot], s);
	spin_unlock(&whorl_slow_lock);
	return ok;
}

/* The slot's thread, once it exists (before it runs). */
static void whorl_slow_set_task(struct whorl_slow *s, struct task_struct *t)
{
	unsigned int i;

	spin_lock(&whorl_slow_lock);
	for (i = 0; i < WHORL_SLOW_MAX; i++)
		if (whorl_slow_slots[i] == s)
			WRITE_ONCE(whorl_slow_tasks[i], t);
	spin_unlock(&whorl_slow_lock);
}

static void whorl_slow_put(struct whorl_slow *s)
{
	unsigned int i;

	if (!refcount_dec_and_test(&s->ref))
		return;
	spin_lock(&whorl_slow_lock);
	for (i = 0; i < WHORL_SLOW_MAX; i++) {
		if (whorl_slow_slots[i] == s) {
			WRITE_ONCE(whorl_slow_tasks[i], NULL);
			WRITE_ONCE(whorl_slow_slots[i], NULL);
		}
	}
	spin_unlock(&whorl_slow_lock);
	fput(s->file);
	iput(s->inode);
	kfree(s);
}

static int whorl_slow_fn(void *data)
{
	struct whorl_slow *s = data;

	s->err = whorl_fingerprint_file(s->file, s->inode, s->max, &s->fp,
					&s->cookie);
	complete(&s->done);
	whorl_slow_put(s);
	/* the module reference taken for this thread: its code ends here */
	whorl_module_put_and_kthread_exit(0);
}

int whorl_fingerprint_bounded(struct file *file, struct inode *inode, u64 max,
			      u64 owner, struct whorl_fp *out, u64 *cookie)
{
	unsigned long timeout = (unsigned long)READ_ONCE(whorl_read_timeout) * HZ;
	unsigned long still, seen = 0, p;
	struct task_struct *t;
	struct whorl_slow *s;
	int err;

	if (!whorl_fs_may_stall(inode->i_sb))
		return whorl_fingerprint_file(file, inode, max, out, cookie);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->owner = owner;
	if (!whorl_slow_claim(s)) {
		/* as many of its reads (or everyone's) are stalled already */
		kfree(s);
		whorl_count(WHORL_CTR_READ_TIMEOUTS);
		return -ETIMEDOUT;
	}
	s->file = get_file(file);
	ihold(inode);
	s->inode = inode;
	s->max = max;
	init_completion(&s->done);
	refcount_set(&s->ref, 2);
	t = kthread_create(whorl_slow_fn, s, "whorl-read");
	if (IS_ERR(t)) {
		refcount_set(&s->ref, 1);
		whorl_slow_put(s);
		return PTR_ERR(t);
	}
	whorl_slow_set_task(s, t);
	__module_get(THIS_MODULE);	/* put by the thread as it exits */
	wake_up_process(t);

	still = jiffies;
	for (;;) {
		if (wait_for_completion_timeout(&s->done, HZ)) {
			err = s->err;
			if (!err) {
				*out = s->fp;
				*cookie = s->cookie;
			}
			break;
		}
		p = READ_ONCE(s->progress);
		if (p != seen) {
			seen = p;
			still = jiffies;
		} else if (time_after_eq(jiffies, still + timeout)) {
			whorl_count(WHORL_CTR_READ_TIMEOUTS);
			err = -ETIMEDOUT;
			break;
		}
	}
	whorl_slow_put(s);
	return err;
}
