// SPDX-License-Identifier: GPL-2.0
/*
 * overlay_test.c - KUnit: layer provenance on a real overlayfs, set up by
 * tests/kunit/overlay-fixture.sh before this module loads. A wrong guess at
 * overlayfs's private layout on this kernel fails these cases.
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/shmem_fs.h>
#include <linux/xattr.h>

#include "overlay.h"

#define FIXTURE "/tmp/whorl-kunit/merged/"

struct layer_case {
	const char *file;
	u8 want;
	bool want_lower;
};

static const struct layer_case layer_cases[] = {
	{ "image-file", WHORL_LAYER_IMAGE, false },
	{ "added-file", WHORL_LAYER_ADDED, false },
	{ "modified-file", WHORL_LAYER_MODIFIED, true },
	{ "chmod-file", WHORL_LAYER_MODIFIED, true },
	/* renamed over an image file: in the top layer, the bottom one, a merged directory */
	{ "replaced-file", WHORL_LAYER_MODIFIED, true },
	{ "deep-file", WHORL_LAYER_MODIFIED, true },
	{ "sub/sub-file", WHORL_LAYER_MODIFIED, true },
	/* deleted and written again */
	{ "recreated-file", WHORL_LAYER_MODIFIED, true },
	/* the image deleted it (a whiteout hides the bottom layer's): added */
	{ "gone-file", WHORL_LAYER_ADDED, false },
};

static void layer_case_desc(const struct layer_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s_is_layer_%u", c->file, c->want);
	strreplace(desc, '/', '_');
}
KUNIT_ARRAY_PARAM(layer, layer_cases, layer_case_desc);

static void overlay_file_is_classified_by_its_layer(struct kunit *test)
{
	const struct layer_case *c = test->param_value;
	struct whorl_origin origin;
	char name[128];
	struct path path;
	int err;

	/* Arrange */
	snprintf(name, sizeof(name), FIXTURE "%s", c->file);
	err = kern_path(name, LOOKUP_FOLLOW, &path);
	KUNIT_ASSERT_EQ_MSG(test, err, 0,
			    "fixture %s missing: run tests/kunit/overlay-fixture.sh first",
			    name);

	/* Act */
	whorl_overlay_classify(&path, &origin);
	whorl_origin_hold(&origin);
	whorl_overlay_finish(&origin, &path);

	/* Assert */
	KUNIT_EXPECT_TRUE_MSG(test, origin.layout_ok,
			      "overlayfs private layout disagrees with d_real()");
	KUNIT_EXPECT_EQ(test, origin.layer, c->want);
	KUNIT_EXPECT_EQ(test, origin.lower.dentry != NULL, c->want_lower);
	whorl_origin_put(&origin);
	path_put(&path);
}

static void file_outside_overlayfs_has_unknown_layer(struct kunit *test)
{
	struct whorl_origin origin;
	struct path path;

	KUNIT_ASSERT_EQ(test, kern_path("/tmp/whorl-kunit/lower/image-file",
					LOOKUP_FOLLOW, &path), 0);
	whorl_overlay_classify(&path, &origin);
	KUNIT_EXPECT_EQ(test, origin.layer, WHORL_LAYER_UNKNOWN);
	KUNIT_EXPECT_EQ(test, origin.reason, WHORL_LAYER_REASON_NOT_OVERLAY);
	KUNIT_EXPECT_TRUE(test, origin.layout_ok);
	path_put(&path);
}

/*
 * The fixture's mount is made by root without userxattr: overlayfs writes
 * trusted. xattrs there, and a user.overlay.origin is anyone's to set.
 */
static void origin_xattr_is_the_mounts_own_namespace(struct kunit *test)
{
	struct path path;
	const char *name;

	KUNIT_ASSERT_EQ(test, kern_path(FIXTURE "image-file", LOOKUP_FOLLOW, &path), 0);
	name = whorl_overlay_origin_xattr(&path);
	KUNIT_EXPECT_STREQ(test, name ? name : "(none)", "trusted.overlay.origin");
	path_put(&path);
	KUNIT_ASSERT_EQ(test, kern_path("/tmp/whorl-kunit/lower/image-file",
					LOOKUP_FOLLOW, &path), 0);
	KUNIT_EXPECT_NULL(test, whorl_overlay_origin_xattr(&path));
	path_put(&path);
}

/* A memfd is a pseudo file: no directory names it, and d_unlinked() misses it. */
static void memfd_like_file_is_nameless(struct kunit *test)
{
	struct file *file = shmem_file_setup("memfd:kunit", PAGE_SIZE, 0);

	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_EXPECT_FALSE(test, d_unlinked(file->f_path.dentry));
	KUNIT_EXPECT_TRUE(test, whorl_path_nameless(&file->f_path));
	fput(file);
}

static void o_tmpfile_is_nameless(struct kunit *test)
{
	struct file *file = filp_open("/tmp/whorl-kunit", O_TMPFILE | O_RDWR, 0600);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(file), "O_TMPFILE in /tmp/whorl-kunit: %ld",
			       PTR_ERR(file));
	KUNIT_EXPECT_TRUE(test, whorl_path_nameless(&file->f_path));
	fput(file);
}

static void named_file_and_mount_root_are_not_nameless(struct kunit *test)
{
	struct path path;

	KUNIT_ASSERT_EQ(test, kern_path(FIXTURE "image-file", LOOKUP_FOLLOW, &path), 0);
	KUNIT_EXPECT_FALSE(test, whorl_path_nameless(&path));
	path_put(&path);
	KUNIT_ASSERT_EQ(test, kern_path("/tmp", LOOKUP_FOLLOW, &path), 0);
	KUNIT_EXPECT_FALSE(test, whorl_path_nameless(&path));
	path_put(&path);
}

/* classify @file of the fixture: its layer, whether a lower path was held, the reason */
static void classify_fixture(struct kunit *test, const char *file, struct whorl_origin *origin)
{
	char name[128];
	struct path path;

	snprintf(name, sizeof(name), FIXTURE "%s", file);
	KUNIT_ASSERT_EQ(test, kern_path(name, LOOKUP_FOLLOW, &path), 0);
	whorl_overlay_classify(&path, origin);
	whorl_origin_hold(origin);
	whorl_overlay_finish(origin, &path);
	path_put(&path);
}

static void table_layout_is_plausible_and_agrees_when_set(struct kunit *test)
{
	struct whorl_ovl_layout table;
	struct whorl_ovl_status st;
	struct whorl_origin origin;
	const char *why;

	if (!whorl_overlay_table(&table))
		kunit_skip(test, "no compiled table for this kernel");
	KUNIT_EXPECT_EQ_MSG(test, whorl_overlay_check_layout(&table, &why), 0, "%s", why);
	KUNIT_ASSERT_EQ(test, whorl_overlay_set_layout(&table, sizeof(struct inode), NULL), 0);
	whorl_overlay_status(&st);
	KUNIT_EXPECT_EQ(test, st.source, WHORL_PROVENANCE_BTF);
	KUNIT_EXPECT_EQ(test, st.check, WHORL_LAYOUT_AGREES);
	classify_fixture(test, "modified-file", &origin);
	KUNIT_EXPECT_EQ(test, origin.layer, WHORL_LAYER_MODIFIED);
	KUNIT_EXPECT_NOT_NULL(test, origin.lower.dentry);
	whorl_origin_put(&origin);
}

static void implausible_layouts_are_refused(struct kunit *test)
{
	struct whorl_ovl_layout table, l;
	const char *why;

	if (!whorl_overlay_table(&table))
		kunit_skip(test, "no compiled table for this kernel");
	/* a struct inode of another size: BTF of another kernel */
	KUNIT_EXPECT_EQ(test, whorl_overlay_set_layout(&table, sizeof(struct inode) + 8, NULL),
			-EINVAL);
	l = table;
	l.upper = 8;			/* inside struct inode */
	KUNIT_EXPECT_EQ(test, whorl_overlay_check_layout(&l, &why), -EINVAL);
	l = table;
	l.upper += 4;			/* not a pointer's alignment */
	KUNIT_EXPECT_EQ(test, whorl_overlay_check_layout(&l, &why), -EINVAL);
	l = table;
	l.path_dentry = l.path_layer;
	KUNIT_EXPECT_EQ(test, whorl_overlay_check_layout(&l, &why), -EINVAL);
	l = table;
	l.shape = WHORL_OVL_SHAPE_MAX + 1;
	KUNIT_EXPECT_EQ(test, whorl_overlay_set_layout(&l, sizeof(struct inode), NULL), -EINVAL);
}

/*
 * A layout that passes every plausibility check but is wrong (upper and lower swapped): no
 * read it yields is confirmed by d_real(), so every overlay file is unknown, with the reason,
 * and nothing is referenced. The table's layout then works again.
 */
static void wrong_layout_is_never_trusted(struct kunit *test)
{
	static const char *const files[] = {
		"image-file", "added-file", "modified-file", "chmod-file",
	};
	struct whorl_ovl_layout table, l;
	struct whorl_ovl_status before, after;
	struct whorl_origin origin;
	unsigned int i;

	if (!whorl_overlay_table(&table) || table.shape == WHORL_OVL_SHAPE_DENTRY_ENTRY)
		kunit_skip(test, "no inode-held layout in the compiled table for this kernel");
	l = table;
	l.upper = table.lower;
	l.lower = table.upper;
	KUNIT_ASSERT_EQ(test, whorl_overlay_set_layout(&l, sizeof(struct inode), NULL), 0);
	whorl_overlay_status(&before);
	KUNIT_EXPECT_EQ(test, before.check, WHORL_LAYOUT_DIFFERS);
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		classify_fixture(test, files[i], &origin);
		KUNIT_EXPECT_EQ_MSG(test, origin.layer, WHORL_LAYER_UNKNOWN, "%s", files[i]);
		KUNIT_EXPECT_EQ_MSG(test, origin.reason, WHORL_LAYER_REASON_UNCONFIRMED, "%s",
				    files[i]);
		KUNIT_EXPECT_FALSE(test, origin.layout_ok);
		KUNIT_EXPECT_NULL(test, origin.lower.dentry);
		KUNIT_EXPECT_NULL(test, origin.upper);
		whorl_origin_put(&origin);
	}
	whorl_overlay_status(&after);
	KUNIT_EXPECT_EQ(test, after.unconfirmed - before.unconfirmed, ARRAY_SIZE(files));

	KUNIT_ASSERT_EQ(test, whorl_overlay_set_layout(&table, sizeof(struct inode), NULL), 0);
	classify_fixture(test, "modified-file", &origin);
	KUNIT_EXPECT_EQ(test, origin.layer, WHORL_LAYER_MODIFIED);
	KUNIT_EXPECT_TRUE(test, origin.layout_ok);
	whorl_origin_put(&origin);
}

static struct kunit_case overlay_cases[] = {
	KUNIT_CASE_PARAM(overlay_file_is_classified_by_its_layer, layer_gen_params),
	KUNIT_CASE(file_outside_overlayfs_has_unknown_layer),
	KUNIT_CASE(origin_xattr_is_the_mounts_own_namespace),
	KUNIT_CASE(memfd_like_file_is_nameless),
	KUNIT_CASE(o_tmpfile_is_nameless),
	KUNIT_CASE(named_file_and_mount_root_are_not_nameless),
	KUNIT_CASE(table_layout_is_plausible_and_agrees_when_set),
	KUNIT_CASE(implausible_layouts_are_refused),
	KUNIT_CASE(wrong_layout_is_never_trusted),
	{}
};

static struct kunit_suite overlay_suite = {
	.name = "whorl_overlay",
	.test_cases = overlay_cases,
};
kunit_test_suite(overlay_suite);
