// SPDX-License-Identifier: GPL-2.0
/*
 * memo_test.c - KUnit: the per-CPU memo of mappings judged to need no event,
 * on the real overlayfs of tests/kunit/overlay-fixture.sh: a remembered
 * mapping hits; a copy-up, a write, another file, a new generation all miss;
 * files outside overlayfs are never memoised.
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/preempt.h>
#include <linux/shmem_fs.h>

#include "memo.h"

#define FIXTURE "/tmp/whorl-kunit/merged/"

static struct file *open_fixture(struct kunit *test, const char *name, int flags)
{
	char path[128];
	struct file *file;

	snprintf(path, sizeof(path), FIXTURE "%s", name);
	file = filp_open(path, flags, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(file),
			       "fixture %s: %ld: run tests/kunit/overlay-fixture.sh first",
			       path, PTR_ERR(file));
	return file;
}

static struct whorl_memo_key key_of(struct kunit *test, struct file *file)
{
	struct whorl_memo_key key = {};

	KUNIT_ASSERT_TRUE_MSG(test, whorl_memo_key(file, &key),
			      "an overlayfs file with a name is memoised");
	return key;
}

/* The memo is per CPU: remember and look on one CPU. */
static bool remember_then_hit(const struct whorl_memo_key *remembered,
			      const struct whorl_memo_key *looked_up)
{
	bool hit;

	preempt_disable();
	whorl_memo_remember(remembered);
	hit = whorl_memo_hit(looked_up);
	preempt_enable();
	return hit;
}

static void remembered_mapping_is_a_hit(struct kunit *test)
{
	/* Arrange */
	struct file *file = open_fixture(test, "memo-lib", O_RDONLY);
	struct whorl_memo_key k1 = key_of(test, file), k2;

	/* Act */
	k2 = key_of(test, file);

	/* Assert */
	KUNIT_EXPECT_TRUE(test, remember_then_hit(&k1, &k2));
	fput(file);
}

static void other_file_is_a_miss(struct kunit *test)
{
	struct file *a = open_fixture(test, "memo-lib", O_RDONLY);
	struct file *b = open_fixture(test, "image-file", O_RDONLY);
	struct whorl_memo_key ka = key_of(test, a), kb = key_of(test, b);

	KUNIT_EXPECT_FALSE(test, remember_then_hit(&ka, &kb));
	fput(a);
	fput(b);
}

static void new_generation_forgets_everything(struct kunit *test)
{
	struct file *file = open_fixture(test, "memo-lib", O_RDONLY);
	struct whorl_memo_key before = key_of(test, file), after;

	/* Act: an intel load or a configuration change */
	whorl_memo_forget_all();
	after = key_of(test, file);

	/* Assert: what was judged before is void */
	KUNIT_EXPECT_NE(test, before.gen, after.gen);
	KUNIT_EXPECT_FALSE(test, remember_then_hit(&before, &after));
	fput(file);
}

/*
 * The memo keys of fixture @name before and after one byte is appended to
 * it through the overlay.
 */
static void keys_around_a_write(struct kunit *test, const char *name,
				struct whorl_memo_key *before,
				struct whorl_memo_key *after)
{
	struct file *file = open_fixture(test, name, O_RDONLY);
	struct file *w;
	loff_t pos = 0;

	*before = key_of(test, file);
	w = open_fixture(test, name, O_WRONLY | O_APPEND);
	KUNIT_ASSERT_EQ(test, kernel_write(w, "x", 1, &pos), 1);
	fput(w);
	*after = key_of(test, file);
	fput(file);
}

/* An image file written to is copied up: another real inode, a miss. */
static void copied_up_file_is_a_miss(struct kunit *test)
{
	struct whorl_memo_key image, modified;

	keys_around_a_write(test, "memo-copyup", &image, &modified);

	KUNIT_EXPECT_PTR_NE(test, image.real, modified.real);
	KUNIT_EXPECT_FALSE(test, remember_then_hit(&image, &modified));
}

/* A file already in the upper layer keeps its inode: its times and size tell. */
static void written_file_is_a_miss(struct kunit *test)
{
	struct whorl_memo_key before, after;

	keys_around_a_write(test, "added-file", &before, &after);

	KUNIT_EXPECT_PTR_EQ(test, before.real, after.real);
	KUNIT_EXPECT_FALSE(test, remember_then_hit(&before, &after));
}

/* A tmpfs file's verdict depends on the task's root (/dev/shm): never memoised. */
static void file_outside_overlayfs_is_not_memoised(struct kunit *test)
{
	struct file *file = shmem_file_setup("whorl-memo", PAGE_SIZE, 0);
	struct whorl_memo_key key;

	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_EXPECT_FALSE(test, whorl_memo_key(file, &key));
	fput(file);
}

static struct kunit_case memo_cases[] = {
	KUNIT_CASE(remembered_mapping_is_a_hit),
	KUNIT_CASE(other_file_is_a_miss),
	KUNIT_CASE(new_generation_forgets_everything),
	KUNIT_CASE(copied_up_file_is_a_miss),
	KUNIT_CASE(written_file_is_a_miss),
	KUNIT_CASE(file_outside_overlayfs_is_not_memoised),
	{}
};

static struct kunit_suite memo_suite = {
	.name = "whorl_memo",
	.test_cases = memo_cases,
};
kunit_test_suite(memo_suite);
