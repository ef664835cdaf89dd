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
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/stat.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "event.h"
#include "params.h"
#include "stats.h"

/* Concurrent hashes: each holds a WHORL_HASH_CHUNK buffer. */
#define WHORL_WORKERS		4
/*
 * Workers one container may hold at once: a container whose files are slow
 * to read (a stalled FUSE server, many huge files) holds these and no more,
 * and the others' events always find a worker.
 */
#define WHORL_WORKERS_PER_CT	(WHORL_WORKERS / 2)
/* A parked exec older than this failed: its task never finished it. */
#define WHORL_PENDING_TTL	(10 * HZ)

static struct kmem_cache *whorl_event_cache;

/*
 * The workers: threads of the module's own, at hash_nice for their whole
 * life (a workqueue's kworkers are shared; their nice is not the module's
 * to change). They take events from one queue, oldest first, skipping a
 * container that holds WHORL_WORKERS_PER_CT of them already. A read that
 * its filesystem's server may never answer does not hold a worker past
 * read_timeout (slowread.c).
 */
struct whorl_worker {
	struct task_struct *task;
	u64 owner;			/* busy: the event's container */
	bool busy;
};

static struct whorl_worker whorl_workers[WHORL_WORKERS];
static LIST_HEAD(whorl_queue);
/* The queue and the workers' owner and busy. */
static DEFINE_SPINLOCK(whorl_queue_lock);
static DECLARE_WAIT_QUEUE_HEAD(whorl_queue_wait);

/*
 * Dropped events only release their references: on their own queue, so
 * that they are not held behind the hashes the workers run; the reaper of
 * parked execs runs there too, for the same reason.
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

static void whorl_event_release_work(struct work_struct *work);

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
	INIT_WORK(&ev->work, whorl_event_release_work);
	INIT_LIST_HEAD(&ev->qlink);
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
	obs->judge = true;
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

/* The dropped events' work: free, in process context. */
static void whorl_event_release_work(struct work_struct *work)
{
	whorl_event_free(container_of(work, struct whorl_event, work));
}

static unsigned int whorl_ct_busy(u64 owner)
{
	unsigned int i, n = 0;

	for (i = 0; i < WHORL_WORKERS; i++)
		n += whorl_workers[i].busy && whorl_workers[i].owner == owner;
	return n;
}

/* The oldest event whose container may have one more worker, now @w's. */
static struct whorl_event *whorl_queue_pick(struct whorl_worker *w)
{
	struct whorl_event *ev, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&whorl_queue_lock, flags);
	list_for_each_entry(ev, &whorl_queue, qlink) {
		if (whorl_ct_busy(ev->owner) < WHORL_WORKERS_PER_CT) {
			list_del_init(&ev->qlink);
			found = ev;
			w->busy = true;
			w->owner = ev->owner;
			break;
		}
	}
	spin_unlock_irqrestore(&whorl_queue_lock, flags);
	return found;
}

static bool whorl_queue_empty(void)
{
	unsigned long flags;
	bool empty;

	spin_lock_irqsave(&whorl_queue_lock, flags);
	empty = list_empty(&whorl_queue);
	spin_unlock_irqrestore(&whorl_queue_lock, flags);
	return empty;
}

static int whorl_worker_fn(void *data)
{
	struct whorl_worker *w = data;
	struct whorl_event *ev;
	unsigned long flags;

	set_user_nice(current, whorl_hash_nice);
	for (;;) {
		ev = NULL;
		/* a stop waits for the queue to drain: every queued event is reported */
		/* (interruptible: an idle worker is not a blocked task; no signal reaches it) */
		wait_event_interruptible(whorl_queue_wait,
					 (ev = whorl_queue_pick(w)) ||
					 (kthread_should_stop() && whorl_queue_empty()));
		if (!ev) {
			if (kthread_should_stop() && whorl_queue_empty())
				break;
			continue;
		}
		if (ev->type != WHORL_EVENT_NONE) {
			/*
			 * Woken by the program whose exec or mapping queued the
			 * event, this worker may have taken that program's CPU:
			 * a sleeper's lag lets even nice 19 preempt on wakeup,
			 * for a whole slice. If anything else wants this CPU,
			 * step aside for a tick first; an idle one costs nothing.
			 */
			if (!single_task_running())
				schedule_timeout_interruptible(1);
			whorl_report_event(ev);
		}
		whorl_event_free(ev);
		spin_lock_irqsave(&whorl_queue_lock, flags);
		w->busy = false;
		spin_unlock_irqrestore(&whorl_queue_lock, flags);
		/* events skipped while this container held its share may go now */
		wake_up(&whorl_queue_wait);
	}
	return 0;
}

/*
 * An exec event that is only its context (no file to judge, nothing refused,
 * no escape): what the relay's rules read, a tick later as well as now.
 */
static bool whorl_event_routine(const struct whorl_event *ev)
{
	u32 i;

	if (ev->type != WHORL_EVENT_EXEC || ev->escaped)
		return false;
	for (i = 0; i < ev->nfiles; i++)
		if (ev->files[i].judge || ev->files[i].action != WHORL_ACTION_NONE)
			return false;
	return true;
}

static void whorl_kick_work(struct work_struct *work)
{
	wake_up(&whorl_queue_wait);
}
static DECLARE_DELAYED_WORK(whorl_kick, whorl_kick_work);

void whorl_event_queue(struct whorl_event *ev)
{
	unsigned long flags;
	bool routine = whorl_event_routine(ev);

	/* Its place in the bound was taken when it was allocated. */
	whorl_count(WHORL_CTR_WORK_QUEUED);
	spin_lock_irqsave(&whorl_queue_lock, flags);
	list_add_tail(&ev->qlink, &whorl_queue);
	spin_unlock_irqrestore(&whorl_queue_lock, flags);
	/*
	 * Waking the workers costs the exec more than capturing its context:
	 * routine exec events wait up to a tick for the next wake-up, so that
	 * a stream of execs wakes them once a tick (or with the next event to
	 * judge), not once each. Anything to judge wakes them now.
	 */
	if (routine && !READ_ONCE(whorl_stopping))
		queue_delayed_work(whorl_release_wq, &whorl_kick, 1);
	else
		wake_up(&whorl_queue_wait);
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

static void whorl_workers_stop(void)
{
	unsigned int i;

	for (i = 0; i < WHORL_WORKERS; i++) {
		if (whorl_workers[i].task)
			kthread_stop(whorl_workers[i].task);
		whorl_workers[i].task = NULL;
	}
}

int whorl_event_init(void)
{
	struct task_struct *t;
	unsigned int i;

	/*
	 * argv is copied from user memory straight into the event: the slab
	 * must whitelist that field, or hardened usercopy (Debian's kernels
	 * have it) kills the task.
	 */
	whorl_event_cache = KMEM_CACHE_USERCOPY(whorl_event, 0, args);
	if (!whorl_event_cache)
		return -ENOMEM;
	whorl_release_wq = alloc_workqueue("whorl_release", WQ_UNBOUND, 0);
	if (!whorl_release_wq)
		goto no_release_wq;
	whorl_stopping = false;
	memset(whorl_workers, 0, sizeof(whorl_workers));
	for (i = 0; i < WHORL_WORKERS; i++) {
		t = kthread_create(whorl_worker_fn, &whorl_workers[i], "whorl/%u", i);
		if (IS_ERR(t))
			goto no_workers;
		whorl_workers[i].task = t;
		wake_up_process(t);
	}
	INIT_DELAYED_WORK(&whorl_reaper, whorl_reaper_work);
	queue_delayed_work(whorl_release_wq, &whorl_reaper, WHORL_PENDING_TTL);
	return 0;

no_workers:
	whorl_workers_stop();
	destroy_workqueue(whorl_release_wq);
no_release_wq:
	kmem_cache_destroy(whorl_event_cache);
	return -ENOMEM;
}

void whorl_event_exit(void)
{
	WRITE_ONCE(whorl_stopping, true);
	cancel_delayed_work_sync(&whorl_reaper);
	/* (the hooks are gone: nothing queues it again; the workers drain what it would wake) */
	cancel_delayed_work_sync(&whorl_kick);
	whorl_pending_reap(true);
	/* The workers drain the queue before they stop: every queued event is reported. */
	whorl_workers_stop();
	destroy_workqueue(whorl_release_wq);
	WARN_ON_ONCE(atomic_read(&whorl_alive));
	kmem_cache_destroy(whorl_event_cache);
}
