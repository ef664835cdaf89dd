// SPDX-License-Identifier: GPL-2.0
/* fingerprint.c - SHA-256 of files through the crypto API, streamed in chunks. */

#include <crypto/hash.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/iversion.h>
#include <linux/kmod.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "fingerprint.h"
#include "params.h"
#include "stats.h"
#include "slowread.h"

/* Reads of a file that keeps changing under us before we give up. */
#define WHORL_HASH_TRIES	3
/*
 * Looks for a moment when no change is in progress, and the pause before
 * each next look, doubling: 1 + 2 + ... + 128 ms, a quarter second at most.
 */
#define WHORL_QUIET_TRIES	8
#define WHORL_QUIET_FIRST_MS	1

/*
 * One transform for the module's lifetime: a shash tfm is stateless between
 * calls (the state lives in the on-stack descriptor), so every worker shares
 * it without a lock.
 */
static struct crypto_shash *whorl_sha256_tfm;
/* Keys the cookie: nobody can craft a change that keeps it unchanged. */
static siphash_key_t whorl_cookie_key;

/**
 * whorl_inode_cookie - a 64-bit summary of what changes when a file does.
 * @inode: the inode.
 *
 * i_version (where the filesystem keeps it; the "queried" flag bit is left
 * out so that querying it does not look like a change), mtime, ctime and
 * size, mixed by SipHash under a key drawn at load. Any context: plain
 * reads, no lock.
 *
 * Return: the cookie.
 */
u64 whorl_inode_cookie(const struct inode *inode)
{
	return siphash_4u64(inode_peek_iversion(inode),
			    (u64)whorl_inode_mtime_ns(inode),
			    (u64)whorl_inode_ctime_ns(inode),
			    (u64)i_size_read(inode), &whorl_cookie_key);
}
EXPORT_SYMBOL_IF_KUNIT(whorl_inode_cookie);

/**
 * whorl_sha256 - SHA-256 of a buffer.
 * @data: the bytes.
 * @len: how many.
 * @out: WHORL_SHA256_LEN bytes.
 *
 * Process context. Return: 0 or -errno.
 */
int whorl_sha256(const void *data, size_t len, u8 *out)
{
	if (WARN_ON_ONCE(!whorl_sha256_tfm))
		return -ENODEV;
	return crypto_shash_tfm_digest(whorl_sha256_tfm, data, len, out);
}
EXPORT_SYMBOL_IF_KUNIT(whorl_sha256);

/*
 * whorl_quiet_cookie - @inode's cookie, and its size unless @size is NULL,
 * taken while no change to it is in progress.
 *
 * A write() changes the file's times and i_version when it begins and then
 * copies its bytes, all under the inode's i_rwsem held for writing; so do
 * truncate, fallocate and attribute changes. A cookie taken between them
 * would be the finished file's while the bytes are half old, half new. The
 * lock taken shared, for the look only (never across the read: some
 * filesystems' reads take it themselves), and only by trylock: a write that
 * stalls halfway (its source pages behind userfaultfd or FUSE) must not hold
 * a worker. Querying i_version here makes the next change bump it even
 * within one timestamp tick, where the kernel keeps it (NFS and others
 * store an opaque value: not queried).
 *
 * Sleeps. Return: 0, or -EBUSY when a change stayed in progress.
 */
static int whorl_quiet_cookie(struct inode *inode, u64 *cookie, u64 *size)
{
	unsigned int i;

	for (i = 0; i < WHORL_QUIET_TRIES; i++) {
		if (inode_trylock_shared(inode)) {
			if (IS_I_VERSION(inode))
				inode_query_iversion(inode);
			*cookie = whorl_inode_cookie(inode);
			if (size)
				*size = i_size_read(inode);
			inode_unlock_shared(inode);
			return 0;
		}
		msleep(WHORL_QUIET_FIRST_MS << i);
	}
	whorl_count(WHORL_CTR_HASH_BUSY);
	return -EBUSY;
}

/*
 * @len bytes into @desc, WHORL_HASH_STEP at a time with a chance to
 * reschedule between steps: x86's SIMD drivers hash each update with
 * preemption off, and the task whose exec caused the hash may be waiting
 * for this CPU.
 */
static int whorl_hash_update(struct shash_desc *desc, const u8 *data,
			     size_t len)
{
	size_t step;
	int err;

	while (len) {
		step = min_t(size_t, len, WHORL_HASH_STEP);
		err = crypto_shash_update(desc, data, step);
		if (err)
			return err;
		data += step;
		len -= step;
		cond_resched();
	}
	return 0;
}

/*
 * One pass over the first @want bytes of @file into @desc.
 * Return: bytes hashed (short when the file shrank meanwhile) or -errno.
 */
static s64 whorl_hash_pass(struct file *file, struct shash_desc *desc,
			   u8 *buf, u64 want)
{
	loff_t pos = 0;
	ssize_t n;
	int err;

	err = crypto_shash_init(desc);
	if (err)
		return err;
	while ((u64)pos < want) {
		n = kernel_read(file, buf, min_t(u64, WHORL_HASH_CHUNK, want - pos),
				&pos);
		if (n < 0)
			return n;
		if (n == 0)
			break;		/* truncated under us */
		err = whorl_hash_update(desc, buf, n);
		if (err)
			return err;
		whorl_count_add(WHORL_CTR_HASH_BYTES, n);
		whorl_read_progress();
	}
	return pos;
}

/**
 * whorl_fingerprint_file - hash @file from offset 0, at most @max bytes.
 * @file: an open, readable file (its own position is not used).
 * @inode: the inode whose cookie guards the content (the real inode).
 * @max: bound; a longer file gets a prefix hash flagged partial.
 * @out: the result.
 * @cookie: receives the inode cookie the content was read under.
 *
 * The cookie is taken before and after each pass, each time at a moment when
 * no change is in progress (whorl_quiet_cookie()); a pass counts only when
 * the two agree and it read every byte it expected. Otherwise the file is
 * read again, up to WHORL_HASH_TRIES times. What stays undetected: a change
 * through a shared writable mapping; a direct-I/O overwrite in progress on
 * ext4 or XFS, which hold the lock only shared for it; and, on a filesystem
 * without i_version, a change within the timestamp tick of the one before
 * it that keeps the size.
 *
 * Process context (sleeps). Return: 0, -EAGAIN for a file that kept
 * changing, -EBUSY for one whose change stayed in progress, or the read's or
 * the hash's -errno.
 */
int whorl_fingerprint_file(struct file *file, struct inode *inode, u64 max,
			   struct whorl_fp *out, u64 *cookie)
{
	SHASH_DESC_ON_STACK(desc, whorl_sha256_tfm);
	u64 before, after, size, want, started;
	int tries, err = -EAGAIN;
	s64 got;
	u8 *buf;

	if (WARN_ON_ONCE(!whorl_sha256_tfm))
		return -ENODEV;
	/* kernel_read() WARNs on a file not opened for reading */
	if (!(file->f_mode & FMODE_READ)) {
		whorl_count(WHORL_CTR_HASH_ERRORS);
		return -EBADF;
	}
	buf = kvmalloc(WHORL_HASH_CHUNK, GFP_KERNEL);
	if (!buf) {
		whorl_count(WHORL_CTR_HASH_ERRORS);
		return -ENOMEM;
	}
	desc->tfm = whorl_sha256_tfm;

	started = ktime_get_ns();
	for (tries = 0; tries < WHORL_HASH_TRIES; tries++) {
		err = whorl_quiet_cookie(inode, &before, &size);
		if (err)
			break;
		want = min(size, max);
		got = whorl_hash_pass(file, desc, buf, want);
		if (got < 0) {
			err = got;
			break;
		}
		err = whorl_quiet_cookie(inode, &after, NULL);
		if (err)
			break;
		err = -EAGAIN;
		if ((u64)got != want || after != before)
			continue;	/* changed while we read it */
		err = crypto_shash_final(desc, out->sha256);
		if (err)
			break;
		out->size = size;
		out->hashed = got;
		out->partial = size > max;
		*cookie = before;
		break;
	}
	shash_desc_zero(desc);
	kvfree(buf);
	whorl_count_add(WHORL_CTR_HASH_NS, ktime_get_ns() - started);
	if (err)
		whorl_count(WHORL_CTR_HASH_ERRORS);
	else
		whorl_count(WHORL_CTR_HASHES);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_fingerprint_file);

static struct crypto_shash *whorl_sha256_alloc(void)
{
	struct crypto_shash *tfm = crypto_alloc_shash("sha256", 0, 0);

	/*
	 * The generic C code is built in, the x86 SHA-NI/AVX2 drivers are a
	 * module that udev loads by CPU feature. Without udev (an initramfs),
	 * ask for that module once, then take the best driver registered.
	 */
	if (IS_ENABLED(CONFIG_X86) && IS_MODULE(CONFIG_CRYPTO_SHA256_SSSE3) &&
	    !IS_ERR(tfm) &&
	    !strcmp(crypto_shash_driver_name(tfm), "sha256-generic") &&
	    !request_module("crypto-sha256-ssse3")) {
		crypto_free_shash(tfm);
		tfm = crypto_alloc_shash("sha256", 0, 0);
	}
	return tfm;
}

/*
 * The SHA-256 drivers a kernel may offer besides its preferred one (x86,
 * arm64, generic C). The preferred one is ranked by priority, which says
 * what is fastest on the hardware its authors knew: a hypervisor or an
 * emulator that runs SIMD slowly turns the ranking over.
 */
static const char *const whorl_sha256_drivers[] = {
	"sha256-ni", "sha256-avx2", "sha256-avx", "sha256-ssse3",
	"sha256-ce", "sha256-arm64", "sha256-generic",
};

/* Bytes hashed per timed run of a driver, and runs per driver. */
#define WHORL_SHA256_TRIAL	(64U << 10)
#define WHORL_SHA256_TRIALS	3

/* The best of a few runs of @tfm over @buf, in ns (U64_MAX if it failed). */
static u64 whorl_sha256_time(struct crypto_shash *tfm, const u8 *buf)
{
	u8 out[WHORL_SHA256_LEN];
	u64 best = U64_MAX, t;
	unsigned int i;

	for (i = 0; i < WHORL_SHA256_TRIALS; i++) {
		t = ktime_get_ns();
		if (crypto_shash_tfm_digest(tfm, buf, WHORL_SHA256_TRIAL, out))
			return U64_MAX;
		best = min(best, ktime_get_ns() - t);
		cond_resched();
	}
	return best;
}

/*
 * Of the preferred driver and the others registered, the one that hashes
 * fastest on this machine, timed here (as the kernel picks its RAID6 and
 * XOR code at boot). Sleeps. Return: a tfm, or ERR_PTR.
 */
static struct crypto_shash *whorl_sha256_fastest(void)
{
	struct crypto_shash *best = whorl_sha256_alloc(), *tfm;
	u64 best_ns, ns;
	unsigned int i;
	u8 *buf;

	if (IS_ERR(best))
		return best;
	buf = kvmalloc(WHORL_SHA256_TRIAL, GFP_KERNEL);
	if (!buf)
		return best;		/* the preferred one, untimed */
	get_random_bytes(buf, WHORL_SHA256_TRIAL);
	best_ns = whorl_sha256_time(best, buf);
	pr_info("whorl: sha256: %s %llu ns per %u KiB (the kernel's preferred)\n",
		crypto_shash_driver_name(best), best_ns, WHORL_SHA256_TRIAL >> 10);
	for (i = 0; i < ARRAY_SIZE(whorl_sha256_drivers); i++) {
		if (!strcmp(whorl_sha256_drivers[i],
			    crypto_shash_driver_name(best)))
			continue;
		/* registered ones only: no module is asked for by this name */
		tfm = crypto_alloc_shash(whorl_sha256_drivers[i], 0,
					 CRYPTO_NOLOAD);
		if (IS_ERR(tfm))
			continue;
		ns = whorl_sha256_time(tfm, buf);
		pr_info("whorl: sha256: %s %llu ns per %u KiB\n",
			whorl_sha256_drivers[i], ns, WHORL_SHA256_TRIAL >> 10);
		if (ns < best_ns) {
			swap(best, tfm);
			best_ns = ns;
		}
		crypto_free_shash(tfm);
	}
	kvfree(buf);
	return best;
}

int whorl_fingerprint_init(void)
{
	struct crypto_shash *tfm = whorl_sha256_fastest();

	if (IS_ERR(tfm)) {
		pr_err("whorl: no sha256 in the crypto API: %ld\n", PTR_ERR(tfm));
		return PTR_ERR(tfm);
	}
	get_random_bytes(&whorl_cookie_key, sizeof(whorl_cookie_key));
	whorl_sha256_tfm = tfm;
	pr_info("whorl: sha256 by %s\n", crypto_shash_driver_name(tfm));
	return 0;
}

void whorl_fingerprint_exit(void)
{
	crypto_free_shash(whorl_sha256_tfm);
	whorl_sha256_tfm = NULL;
}

/*
 * Hashing budgets: what each container may have the module read and hash per
 * window, so that one container cannot buy the host's CPU (or every worker)
 * with files that cost it nothing, such as large sparse ones. A slot per
 * container, found by its cgroup id; a container that finds another's in its
 * slot starts a window of its own. Past the budget a file is not hashed: the
 * caller reports it as content that could not be fingerprinted.
 */
#define WHORL_BUDGET_BITS	10
#define WHORL_BUDGET_WINDOW	(60 * HZ)

struct whorl_budget {
	u64 cgroup_id;
	unsigned long since;
	u64 bytes;
	u64 refused;	/* files refused since this container took the slot */
};

static struct whorl_budget whorl_budgets[1 << WHORL_BUDGET_BITS];
static DEFINE_SPINLOCK(whorl_budget_lock);

/**
 * whorl_hash_budget_take - charge @bytes of hashing to a container.
 * @cgroup_id: the container's cgroup id; 0 charges nobody.
 * @bytes: what the hash will read.
 *
 * Any context. Return: true when within the container's budget (then the
 * bytes are charged), false when the budget of this window is spent.
 */
bool whorl_hash_budget_take(u64 cgroup_id, u64 bytes)
{
	u64 limit = (u64)READ_ONCE(whorl_hash_budget_mb) << 20;
	struct whorl_budget *b;
	unsigned long flags;
	bool ok;

	if (!limit || !cgroup_id)
		return true;
	spin_lock_irqsave(&whorl_budget_lock, flags);
	b = &whorl_budgets[hash_64(cgroup_id, WHORL_BUDGET_BITS)];
	if (b->cgroup_id != cgroup_id) {
		b->cgroup_id = cgroup_id;
		b->refused = 0;
		b->since = jiffies - WHORL_BUDGET_WINDOW - 1;
	}
	if (time_after(jiffies, b->since + WHORL_BUDGET_WINDOW)) {
		b->since = jiffies;
		b->bytes = 0;
	}
	ok = b->bytes + bytes <= limit;
	if (ok)
		b->bytes += bytes;
	else
		b->refused++;
	spin_unlock_irqrestore(&whorl_budget_lock, flags);
	if (!ok)
		whorl_count(WHORL_CTR_HASH_OVER_BUDGET);
	return ok;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_hash_budget_take);

unsigned int whorl_budget_ct_stats(struct whorl_ct_stat *st, unsigned int n)
{
	struct whorl_budget b;
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(whorl_budgets); i++) {
		spin_lock_irqsave(&whorl_budget_lock, flags);
		b = whorl_budgets[i];
		spin_unlock_irqrestore(&whorl_budget_lock, flags);
		if (b.refused)
			n = whorl_ct_stat_add(st, n, b.cgroup_id, 0, b.refused);
	}
	return n;
}
