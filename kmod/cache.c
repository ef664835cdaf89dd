// SPDX-License-Identifier: GPL-2.0
/*
 * cache.c - fingerprint cache: one entry per (superblock, inode, generation),
 * valid while the inode's change cookie is the one the content was read
 * under.
 *
 * Readers (kprobes) walk a bucket under RCU and take no lock. An entry is
 * written once: it is inserted PENDING, filled in, and published VALID with a
 * release store; from then on it never changes. A changed file gets a new
 * entry that replaces the old one, which is freed after a grace period.
 * Inserts, replacements and evictions take one spinlock.
 *
 * The bound (whorl_cache_max) is kept by CLOCK, an approximate LRU: a hit
 * sets the entry's referenced byte (a plain store, only when clear), and the
 * eviction hand, sweeping the buckets in turn, clears referenced entries and
 * evicts the first unreferenced one. The hit path touches no shared list.
 *
 * Concurrent requests for one file share its computation: the first inserts
 * a PENDING entry and hashes; the others hold a reference to that entry and
 * sleep until it is VALID or FAILED.
 *
 * Memory per entry: the slab object (see the static_assert below) plus the
 * bucket array, one pointer per two entries of the bound.
 */

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait_bit.h>
#include <kunit/visibility.h>

#include "cache.h"
#include "params.h"
#include "stats.h"
#include "slowread.h"

enum whorl_cache_state {
	WHORL_CACHE_PENDING,	/* being hashed; waiters sleep on ->state */
	WHORL_CACHE_VALID,	/* fingerprint published, immutable */
	WHORL_CACHE_FAILED,	/* hashing failed with ->err; never in the table */
};

struct whorl_cache_entry {
	struct hlist_node node;		/* bucket chain, RCU */
	struct rcu_head rcu;
	/* the key; i_sb is compared, never dereferenced */
	const struct super_block *sb;
	unsigned long ino;
	/* the content: valid from state == VALID on */
	u64 cookie;
	u8 sha256[WHORL_SHA256_LEN];
	u64 size;
	u64 hashed;
	u32 generation;
	refcount_t ref;			/* the table's and each waiter's */
	s16 err;			/* for FAILED */
	u8 state;			/* enum whorl_cache_state */
	u8 partial;
	u8 referenced;			/* CLOCK: set on hit, cleared by the hand */
	u8 linked;			/* in the table; under whorl_cache_lock */
};

/* issue 7: at most 128 bytes of kernel memory per entry, bucket included. */
static_assert(sizeof(struct whorl_cache_entry) <= 120);

static struct kmem_cache *whorl_cache_slab;
static struct hlist_head *whorl_cache_table;
static unsigned int whorl_cache_bits;
static DEFINE_SPINLOCK(whorl_cache_lock);
/* under whorl_cache_lock */
static u32 whorl_cache_entries;
static unsigned int whorl_cache_hand;

static struct hlist_head *whorl_cache_bucket(const struct super_block *sb,
					     unsigned long ino, u32 gen)
{
	u64 h = hash_64((unsigned long)sb ^ ino, 64) ^ gen;

	return &whorl_cache_table[hash_64(h, whorl_cache_bits)];
}

static bool whorl_cache_match(const struct whorl_cache_entry *e,
			      const struct inode *inode)
{
	return e->sb == inode->i_sb && e->ino == inode->i_ino &&
	       e->generation == inode->i_generation;
}

/* Under rcu_read_lock() or whorl_cache_lock. */
static struct whorl_cache_entry *whorl_cache_find(const struct inode *inode)
{
	struct hlist_head *b = whorl_cache_bucket(inode->i_sb, inode->i_ino,
						  inode->i_generation);
	struct whorl_cache_entry *e;

	hlist_for_each_entry_rcu(e, b, node,
				 lockdep_is_held(&whorl_cache_lock))
		if (whorl_cache_match(e, inode))
			return e;
	return NULL;
}

/* A VALID entry's fingerprint, and CLOCK's mark that it was used. */
static void whorl_cache_read(struct whorl_cache_entry *e, struct whorl_fp *out)
{
	memcpy(out->sha256, e->sha256, WHORL_SHA256_LEN);
	out->size = e->size;
	out->hashed = e->hashed;
	out->partial = e->partial;
	out->cookie = e->cookie;
	if (!READ_ONCE(e->referenced))
		WRITE_ONCE(e->referenced, 1);
}

/* Is @e VALID (with its fields visible) and still @inode's content? */
static bool whorl_cache_fresh(struct whorl_cache_entry *e, u64 cookie)
{
	/* pairs with the release in whorl_cache_compute(): fields before state */
	return smp_load_acquire(&e->state) == WHORL_CACHE_VALID &&
	       e->cookie == cookie;
}

static void whorl_cache_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(whorl_cache_slab,
			container_of(rcu, struct whorl_cache_entry, rcu));
}

static void whorl_cache_put(struct whorl_cache_entry *e)
{
	/* Lockless readers may still be walking past it: free after them. */
	if (refcount_dec_and_test(&e->ref))
		call_rcu(&e->rcu, whorl_cache_free_rcu);
}

/* Take @e out of the table and drop the table's reference. */
static void whorl_cache_unlink(struct whorl_cache_entry *e)
{
	lockdep_assert_held(&whorl_cache_lock);
	hlist_del_rcu(&e->node);
	e->linked = 0;
	whorl_cache_entries--;
	whorl_cache_put(e);
}

/*
 * CLOCK: advance the hand over the buckets until one entry is evicted.
 * PENDING entries are skipped (their hashers hold them). Two full turns
 * clear every referenced byte; if nothing could go by then (everything
 * pending), the table may run over its bound until the hashes finish.
 */
static void whorl_cache_evict_one(void)
{
	unsigned int nbuckets = 1U << whorl_cache_bits, n;
	struct whorl_cache_entry *e;
	struct hlist_node *tmp;

	lockdep_assert_held(&whorl_cache_lock);
	for (n = 0; n < 2 * nbuckets; n++) {
		struct hlist_head *b = &whorl_cache_table[whorl_cache_hand];

		whorl_cache_hand = (whorl_cache_hand + 1) & (nbuckets - 1);
		hlist_for_each_entry_safe(e, tmp, b, node) {
			/* a PENDING entry may turn VALID meanwhile: lockless */
			if (READ_ONCE(e->state) != WHORL_CACHE_VALID)
				continue;
			if (e->referenced) {
				WRITE_ONCE(e->referenced, 0);
				continue;
			}
			whorl_cache_unlink(e);
			whorl_count(WHORL_CTR_CACHE_EVICTIONS);
			return;
		}
	}
}

/*
 * Pinned verdicts: the fingerprints intel refuses, kept apart from the
 * cache so that no churn of other files evicts them, and kept even when read
 * while a writer had the file open (the cache then keeps nothing): a pinned
 * fingerprint stands only while the inode's cookie is the one its content
 * was read under, and any later write changes that. Only content that was
 * known bad when read is pinned, so what a container can fill this with is
 * copies of malware, each one reported; past the bound the oldest goes.
 * Same entries, same RCU rules as the cache; FIFO under whorl_cache_lock.
 */
#define WHORL_PIN_BITS	10
#define WHORL_PIN_MAX	(4U << WHORL_PIN_BITS)
static struct hlist_head whorl_pin_table[1 << WHORL_PIN_BITS];
static struct whorl_cache_entry *whorl_pin_ring[WHORL_PIN_MAX];
static u32 whorl_pin_next;

/* Under rcu_read_lock() or whorl_cache_lock. */
static struct whorl_cache_entry *whorl_pin_find(const struct inode *inode)
{
	struct whorl_cache_entry *e;
	u64 h = hash_64((unsigned long)inode->i_sb ^ inode->i_ino, 64) ^
		inode->i_generation;

	hlist_for_each_entry_rcu(e, &whorl_pin_table[hash_64(h, WHORL_PIN_BITS)],
				 node, lockdep_is_held(&whorl_cache_lock))
		if (whorl_cache_match(e, inode))
			return e;
	return NULL;
}

/**
 * whorl_cache_pin - keep @fp as @inode's content where churn cannot evict it.
 * @inode: the real inode.
 * @fp: its fingerprint, full (not partial), with the cookie it was read under.
 *
 * For fingerprints intel refuses. Process context. Return: 0 or -ENOMEM.
 */
int whorl_cache_pin(const struct inode *inode, const struct whorl_fp *fp)
{
	struct whorl_cache_entry *e, *old;
	u64 h;

	if (WARN_ON_ONCE(fp->partial))
		return -EINVAL;
	e = kmem_cache_zalloc(whorl_cache_slab, GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->sb = inode->i_sb;
	e->ino = inode->i_ino;
	e->generation = inode->i_generation;
	e->cookie = fp->cookie;
	memcpy(e->sha256, fp->sha256, WHORL_SHA256_LEN);
	e->size = fp->size;
	e->hashed = fp->hashed;
	e->state = WHORL_CACHE_VALID;
	refcount_set(&e->ref, 1);
	h = hash_64((unsigned long)e->sb ^ e->ino, 64) ^ e->generation;

	spin_lock(&whorl_cache_lock);
	old = whorl_pin_find(inode);
	if (old && old->cookie == e->cookie) {
		/* pinned already, as it is */
		spin_unlock(&whorl_cache_lock);
		kmem_cache_free(whorl_cache_slab, e);
		return 0;
	}
	if (old) {
		u32 i;

		/* the same inode pinned again: the newer content takes its slot */
		hlist_replace_rcu(&old->node, &e->node);
		for (i = 0; i < WHORL_PIN_MAX; i++)
			if (whorl_pin_ring[i] == old)
				whorl_pin_ring[i] = e;
	} else {
		old = whorl_pin_ring[whorl_pin_next];
		if (old)
			hlist_del_rcu(&old->node);
		hlist_add_head_rcu(&e->node,
				   &whorl_pin_table[hash_64(h, WHORL_PIN_BITS)]);
		whorl_pin_ring[whorl_pin_next] = e;
		whorl_pin_next = (whorl_pin_next + 1) % WHORL_PIN_MAX;
	}
	spin_unlock(&whorl_cache_lock);
	if (old)
		whorl_cache_put(old);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_cache_pin);

static void whorl_pin_flush(void)
{
	struct whorl_cache_entry *e;
	u32 i;

	for (i = 0; i < WHORL_PIN_MAX; i++) {
		spin_lock(&whorl_cache_lock);
		e = whorl_pin_ring[i];
		whorl_pin_ring[i] = NULL;
		if (e)
			hlist_del_rcu(&e->node);
		spin_unlock(&whorl_cache_lock);
		if (e)
			whorl_cache_put(e);
	}
	whorl_pin_next = 0;
}

/**
 * whorl_cache_peek - the cached fingerprint of @inode, if still valid.
 * @inode: the real (underlying) inode.
 * @out: receives the fingerprint on a hit.
 *
 * Any context, kprobes included: RCU, no lock, no allocation. Counts a hit
 * or a miss. Return: true on a valid hit.
 */
bool whorl_cache_peek(const struct inode *inode, struct whorl_fp *out)
{
	struct whorl_cache_entry *e;
	bool hit = false;

	u64 cookie = whorl_inode_cookie(inode);

	rcu_read_lock();
	e = whorl_cache_find(inode);
	if (!e || !whorl_cache_fresh(e, cookie))
		e = whorl_pin_find(inode);
	if (e && whorl_cache_fresh(e, cookie)) {
		whorl_cache_read(e, out);
		hit = true;
	}
	rcu_read_unlock();
	whorl_count(hit ? WHORL_CTR_CACHE_HITS : WHORL_CTR_CACHE_MISSES);
	return hit;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_cache_peek);

/*
 * Sleep until @e is no longer PENDING; then its outcome, copied out. Its
 * hasher may have read the file before a change that our @cookie has seen:
 * that content is not ours to report (-EAGAIN: ask again).
 */
static int whorl_cache_join(struct whorl_cache_entry *e, u64 cookie,
			    struct whorl_fp *out)
{
	int err;

	whorl_count(WHORL_CTR_HASH_INFLIGHT_SHARED);
	/* acquire: the outcome (fields, err) is visible once state says so */
	wait_var_event(&e->state,
		       smp_load_acquire(&e->state) != WHORL_CACHE_PENDING);
	if (READ_ONCE(e->state) == WHORL_CACHE_VALID) {
		err = e->cookie == cookie ? 0 : -EAGAIN;
		if (!err)
			whorl_cache_read(e, out);
	} else {
		err = e->err;
	}
	whorl_cache_put(e);
	return err;
}

/* Requests that join others' hashes before one hashes alone (see below). */
#define WHORL_CACHE_JOINS	4

/*
 * Hash into the PENDING entry @e (ours), publish the outcome, wake waiters.
 * @e may be outside the table (never linked): then the outcome is ours only.
 */
static int whorl_cache_compute(struct whorl_cache_entry *e, struct file *file,
			       struct inode *inode, u64 charge_to,
			       struct whorl_fp *out)
{
	u64 max = READ_ONCE(whorl_hash_max);
	bool writer;
	u64 cookie;
	int err;

	/*
	 * A write changes the file's times and i_version when it begins, not
	 * when it ends: read meanwhile, the content is half old, half new under
	 * the cookie the finished file will keep. So what is read while anyone
	 * has the file open for writing is reported, never kept.
	 */
	writer = inode_is_open_for_write(inode);
	if (whorl_hash_budget_take(charge_to, min_t(u64, i_size_read(inode), max)))
		err = whorl_fingerprint_bounded(file, inode, max, charge_to, out, &cookie);
	else
		err = -EDQUOT;
	if (!err) {
		out->cookie = cookie;
		memcpy(e->sha256, out->sha256, WHORL_SHA256_LEN);
		e->size = out->size;
		e->hashed = out->hashed;
		e->partial = out->partial;
		e->cookie = cookie;
		/* out of the table first: no lockless reader may find it VALID */
		if (writer || inode_is_open_for_write(inode)) {
			spin_lock(&whorl_cache_lock);
			if (e->linked)
				whorl_cache_unlink(e);
			spin_unlock(&whorl_cache_lock);
			whorl_count(WHORL_CTR_HASH_UNCACHED);
		}
		/* publish: lockless readers see the fields once they see VALID */
		smp_store_release(&e->state, WHORL_CACHE_VALID);
	} else {
		e->err = err;
		spin_lock(&whorl_cache_lock);
		if (e->linked)
			whorl_cache_unlink(e);
		/* waiters read ->err once they see FAILED */
		smp_store_release(&e->state, WHORL_CACHE_FAILED);
		spin_unlock(&whorl_cache_lock);
	}
	/* Order the state store before wake_up_var()'s look at the queue. */
	smp_mb();
	wake_up_var(&e->state);
	whorl_cache_put(e);
	return err;
}

/**
 * whorl_cache_fingerprint - the fingerprint of @file, from the cache or
 * computed now and cached.
 * @file: open readable file whose content is @inode's.
 * @inode: the real inode (the cache key).
 * @charge_to: the cgroup id whose hashing budget pays if the file is read
 *	(whorl_hash_budget_take()); 0 for none.
 * @out: the fingerprint.
 *
 * A valid entry is returned as is; a PENDING one is waited for (its error is
 * ours, its fingerprint only if read under the cookie we saw: else we ask
 * again); a stale one is replaced and the file hashed again. Hits and misses are counted by whorl_cache_peek() only: the hooks
 * peek first, and counting here again would count each event twice.
 *
 * Process context (may sleep). Return: 0 or -errno.
 */
int whorl_cache_fingerprint(struct file *file, struct inode *inode,
			    u64 charge_to, struct whorl_fp *out)
{
	struct whorl_cache_entry *e, *fresh;
	unsigned int joins = 0;
	u64 cookie;
	int err;

again:
	cookie = whorl_inode_cookie(inode);
	rcu_read_lock();
	e = whorl_cache_find(inode);
	if (e && whorl_cache_fresh(e, cookie)) {
		whorl_cache_read(e, out);
		rcu_read_unlock();
		return 0;
	}
	rcu_read_unlock();

	/* Allocate before the lock; given back if someone else is hashing. */
	fresh = kmem_cache_zalloc(whorl_cache_slab, GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;
	fresh->sb = inode->i_sb;
	fresh->ino = inode->i_ino;
	fresh->generation = inode->i_generation;
	fresh->state = WHORL_CACHE_PENDING;
	refcount_set(&fresh->ref, 2);	/* the table's and ours */

	spin_lock(&whorl_cache_lock);
	e = whorl_cache_find(inode);
	if (e && READ_ONCE(e->state) == WHORL_CACHE_PENDING) {
		if (joins++ >= WHORL_CACHE_JOINS) {
			/* It keeps changing under its hashers: hash it alone, uncached. */
			spin_unlock(&whorl_cache_lock);
			refcount_set(&fresh->ref, 1);
			return whorl_cache_compute(fresh, file, inode, charge_to, out);
		}
		refcount_inc(&e->ref);
		spin_unlock(&whorl_cache_lock);
		kmem_cache_free(whorl_cache_slab, fresh);
		err = whorl_cache_join(e, cookie, out);
		if (err == -EAGAIN)
			goto again;
		return err;
	}
	if (e && whorl_cache_fresh(e, cookie)) {	/* filled meanwhile */
		whorl_cache_read(e, out);
		spin_unlock(&whorl_cache_lock);
		kmem_cache_free(whorl_cache_slab, fresh);
		return 0;
	}
	if (e)				/* VALID but stale: the file changed */
		whorl_cache_unlink(e);
	while (whorl_cache_entries >= READ_ONCE(whorl_cache_max)) {
		u32 before = whorl_cache_entries;

		whorl_cache_evict_one();
		if (whorl_cache_entries == before)
			break;
	}
	hlist_add_head_rcu(&fresh->node,
			   whorl_cache_bucket(fresh->sb, fresh->ino,
					      fresh->generation));
	fresh->linked = 1;
	whorl_cache_entries++;
	spin_unlock(&whorl_cache_lock);

	return whorl_cache_compute(fresh, file, inode, charge_to, out);
}
EXPORT_SYMBOL_IF_KUNIT(whorl_cache_fingerprint);

/**
 * whorl_cache_flush - drop every entry. Entries being hashed are taken out
 * of the table too; their hashers and waiters still get the result.
 * Process context.
 */
void whorl_cache_flush(void)
{
	unsigned int i, nbuckets = 1U << whorl_cache_bits;
	struct whorl_cache_entry *e;
	struct hlist_node *tmp;

	for (i = 0; i < nbuckets; i++) {
		spin_lock(&whorl_cache_lock);
		hlist_for_each_entry_safe(e, tmp, &whorl_cache_table[i], node)
			whorl_cache_unlink(e);
		spin_unlock(&whorl_cache_lock);
		if (!(i & 1023))
			cond_resched();
	}
}
EXPORT_SYMBOL_IF_KUNIT(whorl_cache_flush);

/* Entries in the table, PENDING ones included. */
u32 whorl_cache_count(void)
{
	return READ_ONCE(whorl_cache_entries);
}
EXPORT_SYMBOL_IF_KUNIT(whorl_cache_count);

/**
 * whorl_cache_entry_bytes - kernel memory per entry: the slab object and
 * its share of the bucket array at the bound the table was sized for.
 */
u32 whorl_cache_entry_bytes(void)
{
	u32 object = ALIGN(kmem_cache_size(whorl_cache_slab), sizeof(void *));
	u32 buckets = (sizeof(struct hlist_head) << whorl_cache_bits);

	return object + DIV_ROUND_UP(buckets, max(whorl_cache_max, 1U));
}
EXPORT_SYMBOL_IF_KUNIT(whorl_cache_entry_bytes);

int whorl_cache_init(void)
{
	unsigned int i, nbuckets;

	/* About two entries per bucket when full; 2^6 to 2^22 buckets. */
	whorl_cache_bits = clamp(order_base_2(max(whorl_cache_max, 2U)) - 1, 6, 22);
	nbuckets = 1U << whorl_cache_bits;
	whorl_cache_table = kvmalloc_array(nbuckets, sizeof(*whorl_cache_table),
					   GFP_KERNEL);
	if (!whorl_cache_table)
		return -ENOMEM;
	for (i = 0; i < nbuckets; i++)
		INIT_HLIST_HEAD(&whorl_cache_table[i]);
	whorl_cache_slab = KMEM_CACHE(whorl_cache_entry, 0);
	if (!whorl_cache_slab) {
		kvfree(whorl_cache_table);
		whorl_cache_table = NULL;
		return -ENOMEM;
	}
	whorl_cache_entries = 0;
	whorl_cache_hand = 0;
	for (i = 0; i < ARRAY_SIZE(whorl_pin_table); i++)
		INIT_HLIST_HEAD(&whorl_pin_table[i]);
	whorl_pin_next = 0;
	return 0;
}

void whorl_cache_exit(void)
{
	whorl_cache_flush();
	whorl_pin_flush();
	/* Wait for the frees queued by call_rcu() before the slab goes. */
	rcu_barrier();
	kmem_cache_destroy(whorl_cache_slab);
	whorl_cache_slab = NULL;
	kvfree(whorl_cache_table);
	whorl_cache_table = NULL;
}
