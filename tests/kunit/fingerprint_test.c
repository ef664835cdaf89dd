// SPDX-License-Identifier: GPL-2.0
/*
 * fingerprint_test.c - KUnit: SHA-256 against the NIST FIPS 180-2 vectors,
 * over buffers and over files made in the kernel (shmem), whole and as a
 * partial prefix at a bound, across chunk boundaries; the change cookie.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "fingerprint.h"
#include "params.h"
#include "stats.h"

/* NIST FIPS 180-2 appendix B: SHA-256 of known messages. */
struct nist_vector {
	const char *name;
	const char *message;	/* repeated @repeat times */
	size_t repeat;
	u8 sha256[WHORL_SHA256_LEN];
};

static const struct nist_vector nist_vectors[] = {
	{ "empty_message", "", 1, {
	  0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8,
	  0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c,
	  0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55 } },
	{ "one_block_abc", "abc", 1, {
	  0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde,
	  0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
	  0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad } },
	{ "two_blocks_448_bits",
	  "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1, {
	  0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26, 0x93,
	  0x0c, 0x3e, 0x60, 0x39, 0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff, 0x21, 0x67,
	  0xf6, 0xec, 0xed, 0xd4, 0x19, 0xdb, 0x06, 0xc1 } },
	{ "million_a", "a", 1000000, {
	  0xcd, 0xc7, 0x6e, 0x5c, 0x99, 0x14, 0xfb, 0x92, 0x81, 0xa1, 0xc7, 0xe2,
	  0x84, 0xd7, 0x3e, 0x67, 0xf1, 0x80, 0x9a, 0x48, 0xa4, 0x97, 0x20, 0x0e,
	  0x04, 0x6d, 0x39, 0xcc, 0xc7, 0x11, 0x2c, 0xd0 } },
};

/* KUNIT_EXPECT_MEMEQ is 6.2+; this one prints both digests too. */
#define EXPECT_DIGEST_EQ(test, got, want)					\
	KUNIT_EXPECT_EQ_MSG(test, memcmp(got, want, WHORL_SHA256_LEN), 0,	\
			    "sha256 %*phN, want %*phN", WHORL_SHA256_LEN, got,	\
			    WHORL_SHA256_LEN, want)

static void nist_vector_desc(const struct nist_vector *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(nist_vector, nist_vectors, nist_vector_desc);

/* Test memory: kvmalloc'ed (a million bytes is too much for kmalloc to promise). */
static int test_kvbuf_init(struct kunit_resource *res, void *len)
{
	res->data = kvmalloc((size_t)len, GFP_KERNEL);
	return res->data ? 0 : -ENOMEM;
}

static void test_kvbuf_free(struct kunit_resource *res)
{
	kvfree(res->data);
}

static u8 *test_kvbuf(struct kunit *test, size_t len)
{
	u8 *buf = kunit_alloc_resource(test, test_kvbuf_init, test_kvbuf_free,
				       GFP_KERNEL, (void *)max_t(size_t, len, 1));

	KUNIT_ASSERT_NOT_NULL(test, buf);
	return buf;
}

static u8 *nist_message(struct kunit *test, const struct nist_vector *v,
			size_t *len)
{
	size_t piece = strlen(v->message), i;
	u8 *buf;

	*len = piece * v->repeat;
	buf = test_kvbuf(test, *len);
	for (i = 0; i < v->repeat; i++)
		memcpy(buf + i * piece, v->message, piece);
	return buf;
}

/* Bytes no shorter period would reproduce: a chunking error changes the digest. */
static void fill_pattern(u8 *buf, size_t len, u32 seed)
{
	u32 x = seed | 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = x;
	}
}

static int test_file_init(struct kunit_resource *res, void *file)
{
	res->data = file;
	return 0;
}

static void test_file_free(struct kunit_resource *res)
{
	fput(res->data);
}

/* A shmem file holding @len bytes of @data, closed when the test ends. */
static struct file *test_file(struct kunit *test, const u8 *data, size_t len)
{
	struct file *file = shmem_file_setup("whorl-test", 0, VM_NORESERVE);
	loff_t pos = 0;
	ssize_t n;

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(file), "shmem_file_setup: %ld",
			       PTR_ERR(file));
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, test_file_init,
							 test_file_free,
							 GFP_KERNEL, file));
	while (pos < len) {
		n = kernel_write(file, data + pos, len - pos, &pos);
		KUNIT_ASSERT_GT_MSG(test, n, 0, "kernel_write at %lld", pos);
	}
	return file;
}

static void sha256_of_buffer_matches_nist_vector(struct kunit *test)
{
	const struct nist_vector *v = test->param_value;
	u8 digest[WHORL_SHA256_LEN];
	size_t len;
	u8 *msg;

	/* Arrange */
	msg = nist_message(test, v, &len);

	/* Act */
	KUNIT_ASSERT_EQ(test, whorl_sha256(msg, len, digest), 0);

	/* Assert */
	EXPECT_DIGEST_EQ(test, digest, v->sha256);
}

static void sha256_of_file_matches_nist_vector(struct kunit *test)
{
	const struct nist_vector *v = test->param_value;
	struct whorl_fp fp;
	struct file *file;
	u64 cookie;
	size_t len;
	u8 *msg;

	/* Arrange */
	msg = nist_message(test, v, &len);
	file = test_file(test, msg, len);

	/* Act */
	KUNIT_ASSERT_EQ(test, whorl_fingerprint_file(file, file_inode(file),
						     U64_MAX, &fp, &cookie), 0);

	/* Assert */
	EXPECT_DIGEST_EQ(test, fp.sha256, v->sha256);
	KUNIT_EXPECT_EQ(test, fp.size, (u64)len);
	KUNIT_EXPECT_EQ(test, fp.hashed, (u64)len);
	KUNIT_EXPECT_FALSE(test, fp.partial);
}

/* Files whose size falls on each side of the read chunk. */
struct whole_case {
	const char *name;
	size_t size;
};

static const struct whole_case whole_cases[] = {
	{ "one_byte", 1 },
	{ "one_page_minus_one", PAGE_SIZE - 1 },
	{ "chunk_minus_one", WHORL_HASH_CHUNK - 1 },
	{ "exactly_one_chunk", WHORL_HASH_CHUNK },
	{ "chunk_plus_one", WHORL_HASH_CHUNK + 1 },
	{ "three_chunks_and_a_tail", 3 * WHORL_HASH_CHUNK + 4097 },
};

static void whole_case_desc(const struct whole_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(whole, whole_cases, whole_case_desc);

static void file_within_bound_hashes_whole_content(struct kunit *test)
{
	const struct whole_case *c = test->param_value;
	u8 want[WHORL_SHA256_LEN];
	struct whorl_fp fp;
	struct file *file;
	u64 cookie;
	u8 *data;

	/* Arrange */
	data = test_kvbuf(test, c->size);
	fill_pattern(data, c->size, c->size);
	file = test_file(test, data, c->size);
	KUNIT_ASSERT_EQ(test, whorl_sha256(data, c->size, want), 0);

	/* Act: the bound is the file's size exactly */
	KUNIT_ASSERT_EQ(test, whorl_fingerprint_file(file, file_inode(file),
						     c->size, &fp, &cookie), 0);

	/* Assert */
	EXPECT_DIGEST_EQ(test, fp.sha256, want);
	KUNIT_EXPECT_EQ(test, fp.size, (u64)c->size);
	KUNIT_EXPECT_EQ(test, fp.hashed, (u64)c->size);
	KUNIT_EXPECT_FALSE(test, fp.partial);
	KUNIT_EXPECT_EQ(test, cookie, whorl_inode_cookie(file_inode(file)));
}

/* A file of 2 chunks + 3 bytes hashed up to a smaller bound. */
#define PARTIAL_FILE_SIZE	(2 * WHORL_HASH_CHUNK + 3)

struct partial_case {
	const char *name;
	u64 bound;
};

static const struct partial_case partial_cases[] = {
	{ "bound_zero_hashes_nothing", 0 },
	{ "bound_one_byte", 1 },
	{ "bound_inside_first_chunk", 1000 },
	{ "bound_at_chunk_edge", WHORL_HASH_CHUNK },
	{ "bound_one_byte_short_of_whole", PARTIAL_FILE_SIZE - 1 },
};

static void partial_case_desc(const struct partial_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(partial, partial_cases, partial_case_desc);

static void file_beyond_bound_gets_partial_prefix_hash(struct kunit *test)
{
	const struct partial_case *c = test->param_value;
	u8 want[WHORL_SHA256_LEN];
	struct whorl_fp fp;
	struct file *file;
	u64 cookie;
	u8 *data;

	/* Arrange */
	data = test_kvbuf(test, PARTIAL_FILE_SIZE);
	fill_pattern(data, PARTIAL_FILE_SIZE, 7);
	file = test_file(test, data, PARTIAL_FILE_SIZE);
	KUNIT_ASSERT_EQ(test, whorl_sha256(data, c->bound, want), 0);

	/* Act */
	KUNIT_ASSERT_EQ(test, whorl_fingerprint_file(file, file_inode(file),
						     c->bound, &fp, &cookie), 0);

	/* Assert: the prefix's digest, flagged, with both sizes told */
	KUNIT_EXPECT_TRUE(test, fp.partial);
	KUNIT_EXPECT_EQ(test, fp.hashed, c->bound);
	KUNIT_EXPECT_EQ(test, fp.size, (u64)PARTIAL_FILE_SIZE);
	EXPECT_DIGEST_EQ(test, fp.sha256, want);
}

/* What a writer does to a file whose cookie was taken. */
enum change { UNCHANGED, REWRITE_SAME_SIZE, REWRITE_AFTER_TICK, APPEND, TRUNCATE };

struct cookie_case {
	const char *name;
	enum change change;
	bool want_changed;
};

static const struct cookie_case cookie_cases[] = {
	{ "untouched_file_keeps_cookie", UNCHANGED, false },
	/* same size, same timestamp tick: only i_version can tell */
	{ "same_size_rewrite_at_once_changes_cookie", REWRITE_SAME_SIZE, true },
	{ "same_size_rewrite_later_changes_cookie", REWRITE_AFTER_TICK, true },
	{ "append_changes_cookie", APPEND, true },
	{ "truncate_changes_cookie", TRUNCATE, true },
};

static void cookie_case_desc(const struct cookie_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(cookie, cookie_cases, cookie_case_desc);

static void file_change_changes_cookie(struct kunit *test)
{
	const struct cookie_case *c = test->param_value;
	static const u8 before[] = "#!/bin/sh\necho before\n";
	static const u8 after[] = "#!/bin/sh\necho AFTER!\n";
	struct whorl_fp fp;
	struct file *file;
	u64 read_under;
	loff_t pos = 0;

	/* Arrange: hashed once, as the cache would */
	static_assert(sizeof(before) == sizeof(after));
	file = test_file(test, before, sizeof(before));
	KUNIT_ASSERT_EQ(test, whorl_fingerprint_file(file, file_inode(file),
						     U64_MAX, &fp, &read_under), 0);

	/* Act */
	switch (c->change) {
	case UNCHANGED:
		break;
	case REWRITE_AFTER_TICK:
		msleep(20);
		fallthrough;
	case REWRITE_SAME_SIZE:
		KUNIT_ASSERT_EQ(test, kernel_write(file, after, sizeof(after), &pos),
				(ssize_t)sizeof(after));
		break;
	case APPEND:
		pos = sizeof(before);
		KUNIT_ASSERT_EQ(test, kernel_write(file, "x", 1, &pos), (ssize_t)1);
		break;
	case TRUNCATE:
		KUNIT_ASSERT_EQ(test, vfs_truncate(&file->f_path, 4), 0);
		break;
	}

	/* Assert */
	if (c->want_changed)
		KUNIT_EXPECT_NE(test, whorl_inode_cookie(file_inode(file)), read_under);
	else
		KUNIT_EXPECT_EQ(test, whorl_inode_cookie(file_inode(file)), read_under);
}

/*
 * A change in progress: a write() holds the inode's i_rwsem for writing
 * from the moment it changes times and i_version until its last byte is in.
 */
struct change_holder {
	struct inode *inode;
	unsigned int hold_ms;
	struct completion locked;
	struct completion done;
};

static int change_holder_fn(void *arg)
{
	struct change_holder *h = arg;

	inode_lock(h->inode);
	complete(&h->locked);
	msleep(h->hold_ms);
	inode_unlock(h->inode);
	complete(&h->done);
	return 0;
}

/* Start a thread that holds @file's inode lock for @hold_ms; return once it has it. */
static struct change_holder *hold_change(struct kunit *test, struct file *file,
					 unsigned int hold_ms)
{
	struct change_holder *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	struct task_struct *t;

	KUNIT_ASSERT_NOT_NULL(test, h);
	h->inode = file_inode(file);
	h->hold_ms = hold_ms;
	init_completion(&h->locked);
	init_completion(&h->done);
	t = kthread_run(change_holder_fn, h, "whorl-test-writer");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&h->locked);
	return h;
}

static void change_in_progress_is_waited_for(struct kunit *test)
{
	static const u8 data[] = "#!/bin/sh\necho waited\n";
	u8 want[WHORL_SHA256_LEN];
	struct change_holder *h;
	struct whorl_fp fp;
	struct file *file;
	u64 cookie, busy;

	/* Arrange: a change that ends well within the wait */
	KUNIT_ASSERT_EQ(test, whorl_sha256(data, sizeof(data), want), 0);
	file = test_file(test, data, sizeof(data));
	busy = whorl_counter_read(WHORL_CTR_HASH_BUSY);
	h = hold_change(test, file, 20);

	/* Act */
	KUNIT_EXPECT_EQ(test, whorl_fingerprint_file(file, file_inode(file),
						     U64_MAX, &fp, &cookie), 0);
	wait_for_completion(&h->done);

	/* Assert */
	EXPECT_DIGEST_EQ(test, fp.sha256, want);
	KUNIT_EXPECT_EQ(test, whorl_counter_read(WHORL_CTR_HASH_BUSY), busy);
}

static void change_that_stays_in_progress_is_not_hashed(struct kunit *test)
{
	static const u8 data[] = "#!/bin/sh\necho stalled\n";
	u8 want[WHORL_SHA256_LEN];
	struct change_holder *h;
	struct whorl_fp fp;
	struct file *file;
	u64 cookie, busy;
	int err;

	/* Arrange: a change that outlasts the wait (a quarter second) */
	KUNIT_ASSERT_EQ(test, whorl_sha256(data, sizeof(data), want), 0);
	file = test_file(test, data, sizeof(data));
	busy = whorl_counter_read(WHORL_CTR_HASH_BUSY);
	h = hold_change(test, file, 1000);

	/* Act */
	err = whorl_fingerprint_file(file, file_inode(file), U64_MAX, &fp, &cookie);
	wait_for_completion(&h->done);

	/* Assert: no hash while it lasted, counted; the quiet file hashes */
	KUNIT_EXPECT_EQ(test, err, -EBUSY);
	KUNIT_EXPECT_EQ(test, whorl_counter_read(WHORL_CTR_HASH_BUSY), busy + 1);
	KUNIT_ASSERT_EQ(test, whorl_fingerprint_file(file, file_inode(file),
						     U64_MAX, &fp, &cookie), 0);
	EXPECT_DIGEST_EQ(test, fp.sha256, want);
}

/* Each container pays for its own hashing, and only up to its budget. */
static void hashing_budget_is_per_container_and_bounded(struct kunit *test)
{
	unsigned int saved = whorl_hash_budget_mb;
	u64 over = whorl_counter_read(WHORL_CTR_HASH_OVER_BUDGET);
	const u64 a = 0x1000000001ULL, b = 0x1000000002ULL;

	/* Arrange: 1 MiB per window */
	WRITE_ONCE(whorl_hash_budget_mb, 1);

	/* Act, Assert */
	KUNIT_EXPECT_TRUE(test, whorl_hash_budget_take(a, 768 << 10));
	KUNIT_EXPECT_FALSE(test, whorl_hash_budget_take(a, 512 << 10));
	KUNIT_EXPECT_TRUE(test, whorl_hash_budget_take(a, 256 << 10));
	KUNIT_EXPECT_FALSE(test, whorl_hash_budget_take(a, 1));
	KUNIT_EXPECT_TRUE(test, whorl_hash_budget_take(b, 1 << 20));
	KUNIT_EXPECT_TRUE(test, whorl_hash_budget_take(0, U64_MAX));
	KUNIT_EXPECT_EQ(test, whorl_counter_read(WHORL_CTR_HASH_OVER_BUDGET), over + 2);
	WRITE_ONCE(whorl_hash_budget_mb, 0);
	KUNIT_EXPECT_TRUE(test, whorl_hash_budget_take(a, U64_MAX >> 1));
	WRITE_ONCE(whorl_hash_budget_mb, saved);
}

static struct kunit_case fingerprint_cases[] = {
	KUNIT_CASE_PARAM(sha256_of_buffer_matches_nist_vector, nist_vector_gen_params),
	KUNIT_CASE_PARAM(sha256_of_file_matches_nist_vector, nist_vector_gen_params),
	KUNIT_CASE_PARAM(file_within_bound_hashes_whole_content, whole_gen_params),
	KUNIT_CASE_PARAM(file_beyond_bound_gets_partial_prefix_hash, partial_gen_params),
	KUNIT_CASE_PARAM(file_change_changes_cookie, cookie_gen_params),
	KUNIT_CASE(change_in_progress_is_waited_for),
	KUNIT_CASE(change_that_stays_in_progress_is_not_hashed),
	KUNIT_CASE(hashing_budget_is_per_container_and_bounded),
	{}
};

static struct kunit_suite fingerprint_suite = {
	.name = "whorl_fingerprint",
	.test_cases = fingerprint_cases,
};
kunit_test_suite(fingerprint_suite);
