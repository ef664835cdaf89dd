// SPDX-License-Identifier: GPL-2.0
/*
 * cache_test.c - KUnit: the fingerprint cache: a miss then hits without a
 * re-hash, a changed file re-hashed and never served stale, one entry per
 * inode, a failed hash not cached, a file open for writing hashed but not
 * kept, the bound kept by CLOCK eviction, one computation shared by
 * concurrent requests, bytes per entry.
 *
 * Every case starts and ends with an empty cache: running this suite drops
 * whatever the loaded module had cached.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "cache.h"
#include "params.h"
#include "stats.h"

#define EXPECT_DIGEST_EQ(test, got, want)					\
	KUNIT_EXPECT_EQ_MSG(test, memcmp(got, want, WHORL_SHA256_LEN), 0,	\
			    "sha256 %*phN, want %*phN", WHORL_SHA256_LEN, got,	\
			    WHORL_SHA256_LEN, want)

static int test_file_init(struct kunit_resource *res, void *file)
{
	res->data = file;
	return 0;
}

static void test_file_free(struct kunit_resource *res)
{
	fput(res->data);
}

static void write_all(struct kunit *test, struct file *file, loff_t pos,
		      const void *data, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = kernel_write(file, data + done, len - done, &pos);
		KUNIT_ASSERT_GT_MSG(test, n, 0, "kernel_write at %lld", pos);
		done += n;
	}
}

/* A shmem file holding @len bytes of @data, closed when the test ends. */
static struct file *test_file(struct kunit *test, const void *data, size_t len)
{
	struct file *file = shmem_file_setup("whorl-test", 0, VM_NORESERVE);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(file), "shmem_file_setup: %ld",
			       PTR_ERR(file));
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, test_file_init,
							 test_file_free,
							 GFP_KERNEL, file));
	write_all(test, file, 0, data, len);
	return file;
}

static void sha256_of(struct kunit *test, const void *data, size_t len, u8 *out)
{
	KUNIT_ASSERT_EQ(test, whorl_sha256(data, len, out), 0);
}

static u64 counter(enum whorl_counter ctr)
{
	return whorl_counter_read(ctr);
}

/* What the event worker does: fingerprint a file through the cache. */
static int cache_fp(struct file *file, struct whorl_fp *fp)
{
	return whorl_cache_fingerprint(file, file_inode(file), 0, fp);
}

static const char content_v1[] = "ELF? no: a shell script, version one\n";

static void second_request_is_served_from_cache(struct kunit *test)
{
	u8 want[WHORL_SHA256_LEN];
	struct whorl_fp first, again, peeked;
	struct file *file;
	u64 hashes, hits, misses;

	/* Arrange */
	file = test_file(test, content_v1, sizeof(content_v1));
	sha256_of(test, content_v1, sizeof(content_v1), want);
	misses = counter(WHORL_CTR_CACHE_MISSES);
	KUNIT_EXPECT_FALSE(test, whorl_cache_peek(file_inode(file), &peeked));
	KUNIT_EXPECT_EQ(test, counter(WHORL_CTR_CACHE_MISSES), misses + 1);
	hashes = counter(WHORL_CTR_HASHES);

	/* Act */
	KUNIT_ASSERT_EQ(test, cache_fp(file, &first), 0);
	KUNIT_ASSERT_EQ(test, cache_fp(file, &again), 0);
	hits = counter(WHORL_CTR_CACHE_HITS);
	KUNIT_ASSERT_TRUE(test, whorl_cache_peek(file_inode(file), &peeked));

	/* Assert: hashed once, the same answer three times */
	KUNIT_EXPECT_EQ(test, counter(WHORL_CTR_HASHES), hashes + 1);
	KUNIT_EXPECT_EQ(test, counter(WHORL_CTR_CACHE_HITS), hits + 1);
	EXPECT_DIGEST_EQ(test, first.sha256, want);
	EXPECT_DIGEST_EQ(test, again.sha256, want);
	EXPECT_DIGEST_EQ(test, peeked.sha256, want);
	KUNIT_EXPECT_EQ(test, peeked.size, (u64)sizeof(content_v1));
	KUNIT_EXPECT_EQ(test, peeked.hashed, (u64)sizeof(content_v1));
	KUNIT_EXPECT_FALSE(test, peeked.partial);
	KUNIT_EXPECT_EQ(test, whorl_cache_count(), 1U);
}

static void same_content_in_two_files_gets_two_entries(struct kunit *test)
{
	struct file *a, *b;
	struct whorl_fp fa, fb;

	/* Arrange */
	a = test_file(test, content_v1, sizeof(content_v1));
	b = test_file(test, content_v1, sizeof(content_v1));

	/* Act */
	KUNIT_ASSERT_EQ(test, cache_fp(a, &fa), 0);
	KUNIT_ASSERT_EQ(test, cache_fp(b, &fb), 0);

	/* Assert: keyed by inode, not by content */
	KUNIT_EXPECT_EQ(test, whorl_cache_count(), 2U);
	EXPECT_DIGEST_EQ(test, fa.sha256, fb.sha256);
}

/* How a file changes after it was cached. */
enum change { REWRITE_SAME_SIZE, REWRITE_AFTER_TICK, APPEND, TRUNCATE };

struct change_case {
	const char *name;
	enum change change;
	const char *after;	/* the whole content once changed */
};

static const struct change_case change_cases[] = {
	{ "same_size_rewrite_at_once_is_rehashed", REWRITE_SAME_SIZE,
	  "ELF? no: a shell script, VERSION TWO\n" },
	{ "same_size_rewrite_later_is_rehashed", REWRITE_AFTER_TICK,
	  "ELF? no: a shell script, VERSION TWO\n" },
	{ "append_is_rehashed", APPEND,
	  "ELF? no: a shell script, version one\nrm -rf /\n" },
	{ "truncate_is_rehashed", TRUNCATE, "ELF? no" },
};

static void change_case_desc(const struct change_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(change, change_cases, change_case_desc);

static void changed_file_is_rehashed_never_served_stale(struct kunit *test)
{
	const struct change_case *c = test->param_value;
	size_t len = strlen(c->after);
	u8 want_old[WHORL_SHA256_LEN], want_new[WHORL_SHA256_LEN];
	struct whorl_fp fp;
	struct file *file;
	u64 hashes;

	/* Arrange: cached before the change */
	file = test_file(test, content_v1, strlen(content_v1));
	sha256_of(test, content_v1, strlen(content_v1), want_old);
	sha256_of(test, c->after, len, want_new);
	KUNIT_ASSERT_EQ(test, cache_fp(file, &fp), 0);
	EXPECT_DIGEST_EQ(test, fp.sha256, want_old);

	/* Act */
	switch (c->change) {
	case REWRITE_AFTER_TICK:
		msleep(20);
		fallthrough;
	case REWRITE_SAME_SIZE:
		KUNIT_ASSERT_EQ(test, len, strlen(content_v1));
		write_all(test, file, 0, c->after, len);
		break;
	case APPEND:
		write_all(test, file, strlen(content_v1), c->after + strlen(content_v1),
			  len - strlen(content_v1));
		break;
	case TRUNCATE:
		KUNIT_ASSERT_EQ(test, vfs_truncate(&file->f_path, len), 0);
		break;
	}

	/* Assert: the old digest is gone; the new one is computed and cached */
	KUNIT_EXPECT_FALSE(test, whorl_cache_peek(file_inode(file), &fp));
	hashes = counter(WHORL_CTR_HASHES);
	KUNIT_ASSERT_EQ(test, cache_fp(file, &fp), 0);
	KUNIT_EXPECT_EQ(test, counter(WHORL_CTR_HASHES), hashes + 1);
	EXPECT_DIGEST_EQ(test, fp.sha256, want_new);
	KUNIT_EXPECT_EQ(test, fp.size, (u64)len);
	KUNIT_ASSERT_TRUE(test, whorl_cache_peek(file_inode(file), &fp));
	EXPECT_DIGEST_EQ(test, fp.sha256, want_new);
	KUNIT_EXPECT_EQ(test, whorl_cache_count(), 1U);	/* replaced, not added */
}

static void failed_hash_is_not_cached(struct kunit *test)
{
	struct whorl_fp fp;
	struct file *file;
	u64 errors;

	/* Arrange: a file whose reads fail (as if its ->read_iter were gone) */
	file = test_file(test, content_v1, sizeof(content_v1));
	file->f_mode &= ~FMODE_CAN_READ;
	errors = counter(WHORL_CTR_HASH_ERRORS);

	/* Act */
	KUNIT_EXPECT_EQ(test, cache_fp(file, &fp),
			-EINVAL);

	/* Assert: no entry left behind; once readable, it hashes */
	file->f_mode |= FMODE_CAN_READ;
	KUNIT_EXPECT_EQ(test, counter(WHORL_CTR_HASH_ERRORS), errors + 1);
	KUNIT_EXPECT_EQ(test, whorl_cache_count(), 0U);
	KUNIT_EXPECT_FALSE(test, whorl_cache_peek(file_inode(file), &fp));
	KUNIT_EXPECT_EQ(test, cache_fp(file, &fp), 0);
	KUNIT_EXPECT_EQ(test, whorl_cache_count(), 1U);
}

#define SMALL_BOUND	4U

static struct file *small_file(struct kunit *test, unsigned int i)
{
	char body[32];

	snprintf(body, sizeof(body), "file number %u\n", i);
	return test_file(test, body, strlen(body));
}

static void cache_stays_within_bound_by_evicting(struct kunit *test)
{
	struct file *files[3 * SMALL_BOUND];
	struct whorl_fp fp;
	u64 evictions;
	unsigned int i;

	/* Arrange */
	WRITE_ONCE(whorl_cache_max, SMALL_BOUND);
	evictions = counter(WHORL_CTR_CACHE_EVICTIONS);

	/* Act */
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		files[i] = small_file(test, i);
		KUNIT_ASSERT_EQ(test, cache_fp(files[i], &fp), 0);
		KUNIT_EXPECT_LE(test, whorl_cache_count(), SMALL_BOUND);
	}

	/* Assert: full, the newest kept, one eviction per file past the bound */
	KUNIT_EXPECT_EQ(test, whorl_cache_count(), SMALL_BOUND);
	KUNIT_EXPECT_EQ(test, counter(WHORL_CTR_CACHE_EVICTIONS),
			evictions + ARRAY_SIZE(files) - SMALL_BOUND);
	KUNIT_EXPECT_TRUE(test, whorl_cache_peek(file_inode(files[ARRAY_SIZE(files) - 1]),
						 &fp));
}

static void recently_used_entry_survives_eviction(struct kunit *test)
{
	struct file *files[SMALL_BOUND + 1];
	struct whorl_fp fp;
	unsigned int i, kept = 0;

	/* Arrange: full, and the first file used again since */
	WRITE_ONCE(whorl_cache_max, SMALL_BOUND);
	for (i = 0; i < SMALL_BOUND; i++) {
		files[i] = small_file(test, i);
		KUNIT_ASSERT_EQ(test, cache_fp(files[i], &fp), 0);
	}
	KUNIT_ASSERT_TRUE(test, whorl_cache_peek(file_inode(files[0]), &fp));

	/* Act: one more file */
	files[SMALL_BOUND] = small_file(test, SMALL_BOUND);
	KUNIT_ASSERT_EQ(test, cache_fp(files[SMALL_BOUND], &fp), 0);

	/* Assert: an unused one went, the used one and the new one stayed */
	KUNIT_EXPECT_TRUE(test, whorl_cache_peek(file_inode(files[0]), &fp));
	KUNIT_EXPECT_TRUE(test, whorl_cache_peek(file_inode(files[SMALL_BOUND]), &fp));
	for (i = 1; i < SMALL_BOUND; i++)
		kept += whorl_cache_peek(file_inode(files[i]), &fp);
	KUNIT_EXPECT_EQ(test, kept, SMALL_BOUND - 2);
}

/* Large enough that its hash is still running when the others ask. */
#define SHARED_FILE_SIZE	(8U << 20)
#define SHARERS			4

struct sharer {
	struct work_struct work;
	struct file *file;
	struct whorl_fp fp;
	int err;
};

static void sharer_work(struct work_struct *work)
{
	struct sharer *s = container_of(work, struct sharer, work);

	s->err = cache_fp(s->file, &s->fp);
}

static void concurrent_requests_share_one_computation(struct kunit *test)
{
	struct sharer *s;
	struct whorl_fp fp;
	struct file *file;
	u64 hashes, shared, cookie;
	unsigned long deadline;
	unsigned int i;
	u8 *data;

	/* Arrange */
	data = kunit_kmalloc(test, 1U << 20, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, data);
	for (i = 0; i < (1U << 20); i++)
		data[i] = i * 7 + (i >> 12);
	file = test_file(test, NULL, 0);
	for (i = 0; i < SHARED_FILE_SIZE >> 20; i++) {
		data[0] = i;	/* no two MiB alike */
		write_all(test, file, (loff_t)i << 20, data, 1U << 20);
	}
	s = kunit_kcalloc(test, SHARERS, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < SHARERS; i++) {
		INIT_WORK(&s[i].work, sharer_work);
		s[i].file = file;
	}
	hashes = counter(WHORL_CTR_HASHES);
	shared = counter(WHORL_CTR_HASH_INFLIGHT_SHARED);

	/* Act: the first request starts hashing; the others ask meanwhile */
	queue_work(system_unbound_wq, &s[0].work);
	deadline = jiffies + 10 * HZ;
	while (!whorl_cache_count() && time_before(jiffies, deadline))
		usleep_range(100, 200);
	KUNIT_EXPECT_FALSE_MSG(test, whorl_cache_peek(file_inode(file), &fp),
			       "hashed before the others could ask: no sharing seen");
	for (i = 1; i < SHARERS; i++)
		queue_work(system_unbound_wq, &s[i].work);
	for (i = 0; i < SHARERS; i++)
		flush_work(&s[i].work);

	/* Assert: one hash, everyone got its result */
	KUNIT_EXPECT_EQ(test, counter(WHORL_CTR_HASHES), hashes + 1);
	KUNIT_EXPECT_EQ(test, counter(WHORL_CTR_HASH_INFLIGHT_SHARED),
			shared + SHARERS - 1);
	KUNIT_ASSERT_EQ(test, s[0].err, 0);
	for (i = 1; i < SHARERS; i++) {
		KUNIT_EXPECT_EQ(test, s[i].err, 0);
		EXPECT_DIGEST_EQ(test, s[i].fp.sha256, s[0].fp.sha256);
		KUNIT_EXPECT_EQ(test, s[i].fp.size, (u64)SHARED_FILE_SIZE);
	}
	KUNIT_EXPECT_EQ(test, s[0].fp.size, (u64)SHARED_FILE_SIZE);
	/* and it is the file's digest: hashed again, bypassing the cache */
	KUNIT_ASSERT_EQ(test, whorl_fingerprint_file(file, file_inode(file),
						     U64_MAX, &fp, &cookie), 0);
	EXPECT_DIGEST_EQ(test, s[0].fp.sha256, fp.sha256);
}

/*
 * A file someone has open for writing may be halfway through a write whose
 * time and i_version changes came first: its hash is returned, never kept.
 */
static void file_open_for_writing_is_hashed_not_kept(struct kunit *test)
{
	static const char path[] = "/tmp/whorl-kunit-writer";
	u8 want[WHORL_SHA256_LEN];
	struct file *writer, *reader;
	struct whorl_fp fp, peeked;
	u64 hashes, uncached;

	/* Arrange: a tmpfs file, a writer still holding it, a reader */
	writer = filp_open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(writer), "open %s: %ld", path,
			       PTR_ERR(writer));
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, test_file_init,
							 test_file_free,
							 GFP_KERNEL, writer));
	write_all(test, writer, 0, content_v1, sizeof(content_v1));
	reader = filp_open(path, O_RDONLY, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(reader));
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, test_file_init,
							 test_file_free,
							 GFP_KERNEL, reader));
	KUNIT_ASSERT_TRUE(test, inode_is_open_for_write(file_inode(reader)));
	sha256_of(test, content_v1, sizeof(content_v1), want);
	hashes = counter(WHORL_CTR_HASHES);
	uncached = counter(WHORL_CTR_HASH_UNCACHED);

	/* Act: asked twice */
	KUNIT_ASSERT_EQ(test, cache_fp(reader, &fp), 0);
	EXPECT_DIGEST_EQ(test, fp.sha256, want);
	KUNIT_EXPECT_FALSE(test, whorl_cache_peek(file_inode(reader), &peeked));
	KUNIT_ASSERT_EQ(test, cache_fp(reader, &fp), 0);

	/* Assert: read both times, kept neither time */
	EXPECT_DIGEST_EQ(test, fp.sha256, want);
	KUNIT_EXPECT_EQ(test, counter(WHORL_CTR_HASHES), hashes + 2);
	KUNIT_EXPECT_EQ(test, counter(WHORL_CTR_HASH_UNCACHED), uncached + 2);
	KUNIT_EXPECT_EQ(test, whorl_cache_count(), 0U);
}

/*
 * A pinned fingerprint (one intel refuses) outlives any churn of the cache:
 * found while the file is unchanged, writer or not, gone once it changes.
 */
static void pinned_fingerprint_outlives_the_cache_until_the_file_changes(struct kunit *test)
{
	struct whorl_fp fp, peeked;
	struct file *file;

	/* Arrange: hashed, pinned, and the cache emptied */
	file = test_file(test, content_v1, sizeof(content_v1));
	KUNIT_ASSERT_EQ(test, cache_fp(file, &fp), 0);
	KUNIT_ASSERT_EQ(test, whorl_cache_pin(file_inode(file), &fp), 0);
	whorl_cache_flush();
	KUNIT_ASSERT_EQ(test, whorl_cache_count(), 0U);

	/* Act, Assert: still known, by content */
	KUNIT_ASSERT_TRUE(test, whorl_cache_peek(file_inode(file), &peeked));
	EXPECT_DIGEST_EQ(test, peeked.sha256, fp.sha256);
	KUNIT_EXPECT_EQ(test, peeked.cookie, fp.cookie);

	/* Act: the file changes; Assert: the pin no longer speaks for it */
	write_all(test, file, 0, "changed", 7);
	KUNIT_EXPECT_FALSE(test, whorl_cache_peek(file_inode(file), &peeked));
}

static void entry_fits_in_128_bytes(struct kunit *test)
{
	u32 bytes = whorl_cache_entry_bytes();

	kunit_info(test, "%u bytes per cache entry at cache_max %u\n", bytes,
		   whorl_cache_max);
	KUNIT_EXPECT_GT(test, bytes, 64U);
	KUNIT_EXPECT_LE(test, bytes, 128U);
}

static unsigned int saved_cache_max;

static int cache_test_init(struct kunit *test)
{
	saved_cache_max = whorl_cache_max;
	whorl_cache_flush();
	return 0;
}

static void cache_test_exit(struct kunit *test)
{
	whorl_cache_flush();
	WRITE_ONCE(whorl_cache_max, saved_cache_max);
}

static struct kunit_case cache_cases[] = {
	KUNIT_CASE(second_request_is_served_from_cache),
	KUNIT_CASE(same_content_in_two_files_gets_two_entries),
	KUNIT_CASE_PARAM(changed_file_is_rehashed_never_served_stale, change_gen_params),
	KUNIT_CASE(failed_hash_is_not_cached),
	KUNIT_CASE(cache_stays_within_bound_by_evicting),
	KUNIT_CASE(recently_used_entry_survives_eviction),
#ifdef KUNIT_CASE_SLOW	/* 6.6+ */
	KUNIT_CASE_SLOW(concurrent_requests_share_one_computation),
#else
	KUNIT_CASE(concurrent_requests_share_one_computation),
#endif
	KUNIT_CASE(file_open_for_writing_is_hashed_not_kept),
	KUNIT_CASE(pinned_fingerprint_outlives_the_cache_until_the_file_changes),
	KUNIT_CASE(entry_fits_in_128_bytes),
	{}
};

static struct kunit_suite cache_suite = {
	.name = "whorl_cache",
	.init = cache_test_init,
	.exit = cache_test_exit,
	.test_cases = cache_cases,
};
kunit_test_suite(cache_suite);
