// SPDX-License-Identifier: GPL-2.0
/*
 * event.c - events from the hooks to the worker: allocation in atomic
 * context, a bounded queue, and the table where an exec's files wait for its
 * argv. Nothing here sleeps except the worker and the exit path.
 */

#include <linux/atomic.h>
#include <linux/cgroup.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/stat.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "event.h"
#include "params.h"
#include "stats.h"

/* Concurrent hashes: each holds a WHORL_HASH_CHUNK buffer. */
#define WHORL_WORKERS		4
/* A parked exec older than this failed: its task never finished it. */
#define WHORL_PENDING_TTL	(10 * HZ)

static struct kmem_cache *whorl_event_cache;
static struct workqueue_struct *whorl_wq;
/*
 * Dropped events only release their references: on their own queue, so
 * that they are not held behind the hashes running on whorl_wq; the reaper
 * of parked execs runs there too, for the same reason.
 */
static struct workqueue_struct *whorl_release_wq;
/*
 * Events alive: waiting for the worker, parked for their argv, or dropped
 * and not yet released. An event takes its place at allocation, before it
 * holds any reference, so queue_max bounds what the hooks can pin, whatever
 * the worker's speed; past it an event is never built, only counted.
 */
static atomic_t whorl_alive = ATOMIC_INIT(0);
static bool whorl_stopping;

/*
 * Each container's share of queue_max: a quarter, counted per container
 * (cgroup key; containers whose keys share a slot share it). One container
 * flooding the hooks fills its own share and no more: another container's
 * events always find room. Taken at allocation with the global place.
 */
#define WHORL_SHARE_BITS	10
static atomic_t whorl_share[1 << WHORL_SHARE_BITS];
/* Per slot: events refused past the share, and the last container refused. */
static atomic64_t whorl_share_over[1 << WHORL_SHARE_BITS];
static u64 whorl_share_owner[1 << WHORL_SHARE_BITS];

static atomic_t *whorl_share_of(u64 owner)
{
	return &whorl_share[hash_64(owner, WHORL_SHARE_BITS)];
}

unsigned int whorl_event_ct_stats(struct whorl_ct_stat *st, unsigned int n)
{
	unsigned int i;
	u64 over;

	for (i = 0; i < ARRAY_SIZE(whorl_share_over); i++) {
		over = atomic64_read(&whorl_share_over[i]);
		if (over)
			n = whorl_ct_stat_add(st, n, READ_ONCE(whorl_share_owner[i]), over, 0);
	}
	return n;
}

static DEFINE_HASHTABLE(whorl_pending, 8);
static DEFINE_SPINLOCK(whorl_pending_lock);
static atomic_t whorl_pending_count = ATOMIC_INIT(0);
static struct delayed_work whorl_reaper;

static void whorl_event_work(struct work_struct *work);

unsigned int whorl_events_alive(void)
{
	/* Above queue_max for an instant: an allocation being refused, not an event. */
	return clamp_t(int, atomic_read(&whorl_alive), 0, READ_ONCE(whorl_queue_max));
}

struct whorl_event *whorl_event_alloc(u8 type, u64 owner)
{
	unsigned int queue_max = READ_ONCE(whorl_queue_max);
	atomic_t *share = whorl_share_of(owner);
	struct whorl_event *ev;

	if (atomic_inc_return(share) > max(queue_max / 4, 1U)) {
		unsigned int slot = share - whorl_share;

		whorl_count(WHORL_CTR_WORK_OVER_SHARE);
		WRITE_ONCE(whorl_share_owner[slot], owner);
		atomic64_inc(&whorl_share_over[slot]);
		goto drop_share;
	}
	if (atomic_inc_return(&whorl_alive) > queue_max)
		goto drop;
	ev = kmem_cache_zalloc(whorl_event_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!ev)
		goto drop;
	INIT_WORK(&ev->work, whorl_event_work);
	INIT_HLIST_NODE(&ev->node);
	ev->type = type;
	ev->owner = owner;
	return ev;
drop:
	atomic_dec(&whorl_alive);
drop_share:
	atomic_dec(share);
	whorl_count(WHORL_CTR_WORK_DROPPED);
	return NULL;
}

struct whorl_file_obs *whorl_event_add_file(struct whorl_event *ev,
					    struct whorl_file_obs *into,
					    struct file *file, struct dentry *real,
					    const struct whorl_origin *origin,
					    u8 layer, const struct whorl_fp *fp,
					    const char *path)
{
	struct whorl_file_obs *obs = into;

	if (!obs) {
		/* Never: the slots are as many as an exec's passes (limits.h). */
		if (WARN_ON_ONCE(ev->nfiles >= ARRAY_SIZE(ev->files)))
			return NULL;
		obs = &ev->files[ev->nfiles++];
	}
	obs->file = get_file(file);
	obs->real = dget(real);
	obs->origin = *origin;
	obs->origin.held = false;
	whorl_origin_hold(&obs->origin);
	obs->layer = layer;
	if (fp) {
		obs->fp = *fp;
		obs->fp_known = true;
	}
	strscpy(obs->path, path, sizeof(obs->path));
	return obs;
}

static void whorl_obs_put(struct whorl_file_obs *obs)
{
	whorl_origin_put(&obs->origin);
	dput(obs->real);
	obs->real = NULL;
	if (obs->file)
		fput(obs->file);
	obs->file = NULL;
}

void whorl_event_free(struct whorl_event *ev)
{
	u32 i;

	for (i = 0; i < ev->nfiles; i++)
		whorl_obs_put(&ev->files[i]);
	whorl_obs_put(&ev->exe);
	if (ev->cgrp)
		cgroup_put(ev->cgrp);
	put_pid(ev->tgid_pid);
	atomic_dec(whorl_share_of(ev->owner));
	kmem_cache_free(whorl_event_cache, ev);
	atomic_dec(&whorl_alive);
}

void whorl_event_discard(struct whorl_event *ev)
{
	WARN_ON_ONCE(ev->nfiles || ev->exe.file || ev->cgrp || ev->tgid_pid);
	atomic_dec(whorl_share_of(ev->owner));
	kmem_cache_free(whorl_event_cache, ev);
	atomic_dec(&whorl_alive);
}

/*
 * The worker hashes at hash_nice (lowest by default): the program whose exec
 * or mapping caused the hash may share this CPU, and it must not wait for
 * its own fingerprint. The kworker's own nice is back before it returns to
 * its pool (workqueue attributes, which would set it for good, are not for
 * modules).
 */
static void whorl_event_work(struct work_struct *work)
{
	struct whorl_event *ev = container_of(work, struct whorl_event, work);
	long nice = task_nice(current);

	if (ev->type != WHORL_EVENT_NONE) {
		set_user_nice(current, whorl_hash_nice);
		/*
		 * Woken at the pool's nice, this worker may have taken the CPU
		 * from the very program that queued it, and the scheduler keeps
		 * it running when its nice drops. If anything else wants this
		 * CPU, step aside for a tick: the worker then wakes at hash_nice,
		 * behind them. An idle CPU costs no delay.
		 */
		if (whorl_hash_nice > nice && !single_task_running())
			schedule_timeout_uninterruptible(1);
		whorl_report_event(ev);
		set_user_nice(current, nice);
	}
	whorl_event_free(ev);
}

void whorl_event_queue(struct whorl_event *ev)
{
	/* Its place in the bound was taken when it was allocated. */
	whorl_count(WHORL_CTR_WORK_QUEUED);
	queue_work(whorl_wq, &ev->work);
}

/*
 * Freeing references needs process context, so even a dropped event goes
 * through a worker, as a no-op, when it holds any.
 */
void whorl_event_queue_drop(struct whorl_event *ev)
{
	ev->type = WHORL_EVENT_NONE;
	if (!ev->nfiles && !ev->exe.file && !ev->cgrp && !ev->tgid_pid) {
		whorl_event_discard(ev);
		return;
	}
	queue_work(whorl_release_wq, &ev->work);
}

void whorl_exec_pending_add(struct whorl_event *ev)
{
	unsigned long flags;

	if (atomic_inc_return(&whorl_pending_count) > WHORL_PENDING_EXEC_MAX) {
		atomic_dec(&whorl_pending_count);
		whorl_count(WHORL_CTR_WORK_DROPPED);
		whorl_event_queue_drop(ev);
		return;
	}
	spin_lock_irqsave(&whorl_pending_lock, flags);
	hash_add(whorl_pending, &ev->node, (unsigned long)ev->task);
	spin_unlock_irqrestore(&whorl_pending_lock, flags);
}

struct whorl_event *whorl_exec_pending_take(const struct task_struct *task)
{
	struct whorl_event *ev, *found = NULL;
	unsigned long flags;

	if (!atomic_read(&whorl_pending_count))
		return NULL;
	spin_lock_irqsave(&whorl_pending_lock, flags);
	hash_for_each_possible(whorl_pending, ev, node, (unsigned long)task) {
		if (ev->task == task) {
			hash_del(&ev->node);
			found = ev;
			break;
		}
	}
	spin_unlock_irqrestore(&whorl_pending_lock, flags);
	if (found)
		atomic_dec(&whorl_pending_count);
	return found;
}

bool whorl_exec_pending_any(void)
{
	return atomic_read(&whorl_pending_count) != 0;
}

/* Drop parked execs older than the TTL, or all of them when @all. */
static void whorl_pending_reap(bool all)
{
	struct whorl_event *ev;
	struct hlist_node *tmp;
	HLIST_HEAD(dead);
	unsigned long flags;
	int bkt;

	spin_lock_irqsave(&whorl_pending_lock, flags);
	hash_for_each_safe(whorl_pending, bkt, tmp, ev, node) {
		if (all || time_after(jiffies, ev->since + WHORL_PENDING_TTL)) {
			hash_del(&ev->node);
			hlist_add_head(&ev->node, &dead);
			atomic_dec(&whorl_pending_count);
		}
	}
	spin_unlock_irqrestore(&whorl_pending_lock, flags);
	/*
	 * Lost events: a failed exec, or one that took longer than the TTL
	 * to finish (its tracepoint then finds nothing). Counted either way.
	 */
	hlist_for_each_entry_safe(ev, tmp, &dead, node) {
		whorl_count(WHORL_CTR_WORK_DROPPED);
		whorl_event_free(ev);
	}
}

static void whorl_reaper_work(struct work_struct *work)
{
	whorl_pending_reap(false);
	if (!READ_ONCE(whorl_stopping))
		queue_delayed_work(whorl_release_wq, &whorl_reaper, WHORL_PENDING_TTL);
}

int whorl_event_init(void)
{
	/*
	 * argv is copied from user memory straight into the event: the slab
	 * must whitelist that field, or hardened usercopy (Debian's kernels
	 * have it) kills the task.
	 */
	whorl_event_cache = KMEM_CACHE_USERCOPY(whorl_event, 0, args);
	if (!whorl_event_cache)
		return -ENOMEM;
	whorl_wq = alloc_workqueue("whorl", WQ_UNBOUND, WHORL_WORKERS);
	if (!whorl_wq)
		goto no_wq;
	whorl_release_wq = alloc_workqueue("whorl_release", WQ_UNBOUND, 0);
	if (!whorl_release_wq)
		goto no_release_wq;
	whorl_stopping = false;
	INIT_DELAYED_WORK(&whorl_reaper, whorl_reaper_work);
	queue_delayed_work(whorl_release_wq, &whorl_reaper, WHORL_PENDING_TTL);
	return 0;

no_release_wq:
	destroy_workqueue(whorl_wq);
no_wq:
	kmem_cache_destroy(whorl_event_cache);
	return -ENOMEM;
}

void whorl_event_exit(void)
{
	WRITE_ONCE(whorl_stopping, true);
	cancel_delayed_work_sync(&whorl_reaper);
	whorl_pending_reap(true);
	/* destroy_workqueue() drains: every queued event is processed. */
	destroy_workqueue(whorl_wq);
	destroy_workqueue(whorl_release_wq);
	WARN_ON_ONCE(atomic_read(&whorl_alive));
	kmem_cache_destroy(whorl_event_cache);
}
