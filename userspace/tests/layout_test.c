// SPDX-License-Identifier: GPL-2.0
/*
 * layout_test.c - overlayfs's layout from BTF: each of the three shapes overlayfs has had,
 * described in BTF built here the way the kernel describes its types (a vmlinux BTF and the
 * overlay module's split BTF over it), and the descriptions whorl must refuse.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/btf.h>
#include <linux/whorl.h>

#include "layout.h"

#define INODE_SIZE	624
/* where struct ovl_inode's vfs_inode starts: its cache/redirect/version/flags before it */
#define VFS_INODE_AT	32

struct ids {
	int uint, ulong, inode, dentry_ptr, path, path_arr, entry_ptr, layer_ptr;
};

/* vmlinux's part: struct inode, struct dentry, struct vfsmount, an int or two */
static struct btf *vmlinux_btf(struct ids *t)
{
	struct btf *b = btf__new_empty();
	int dentry, mnt;

	assert_non_null(b);
	t->uint = btf__add_int(b, "unsigned int", 4, 0);
	t->ulong = btf__add_int(b, "long unsigned int", 8, 0);
	t->inode = btf__add_struct(b, "inode", INODE_SIZE);
	assert_int_equal(btf__add_field(b, "i_mode", t->uint, 0, 0), 0);
	dentry = btf__add_struct(b, "dentry", 192);
	assert_int_equal(btf__add_field(b, "d_flags", t->uint, 0, 0), 0);
	mnt = btf__add_struct(b, "vfsmount", 24);
	assert_int_equal(btf__add_field(b, "mnt_flags", t->uint, 0, 0), 0);
	t->dentry_ptr = btf__add_ptr(b, dentry);
	(void)mnt;
	assert_true(t->uint > 0 && t->ulong > 0 && t->inode > 0 && t->dentry_ptr > 0);
	return b;
}

/* overlay's common part: struct ovl_layer { mnt; ... } and struct ovl_path { layer; dentry } */
static void ovl_common(struct btf *b, struct ids *t)
{
	int vfsmount = btf__find_by_name_kind(b, "vfsmount", BTF_KIND_STRUCT);
	int layer, mnt_ptr;

	mnt_ptr = btf__add_ptr(b, vfsmount);
	layer = btf__add_struct(b, "ovl_layer", 32);
	assert_int_equal(btf__add_field(b, "mnt", mnt_ptr, 0, 0), 0);
	assert_int_equal(btf__add_field(b, "idx", t->uint, 128, 0), 0);
	t->layer_ptr = btf__add_ptr(b, layer);
	t->path = btf__add_struct(b, "ovl_path", 16);
	assert_int_equal(btf__add_field(b, "layer", t->layer_ptr, 0, 0), 0);
	assert_int_equal(btf__add_field(b, "dentry", t->dentry_ptr, 64, 0), 0);
	t->path_arr = btf__add_array(b, t->uint, t->path, 0);
	assert_true(t->path_arr > 0);
}

enum shape_case { INODE_ENTRY, INODE_PATH, DENTRY_ENTRY, NO_UPPER, UPPER_NOT_PTR, NO_INODE };

/* overlayfs's types added to @b, laid out as overlayfs was in the kernels of @c */
static struct btf *add_overlay_types(struct btf *b, struct ids *t, enum shape_case c)
{
	int entry, anon, rcu, flags_s, u;

	assert_non_null(b);
	ovl_common(b, t);
	if (c == DENTRY_ENTRY || c == INODE_PATH) {
		/* before 6.5, at d_fsdata: { union { struct { unsigned long flags; }; struct rcu_head rcu; };
		 * unsigned numlower; struct ovl_path lowerstack[]; } */
		rcu = btf__add_struct(b, "callback_head", 16);
		assert_int_equal(btf__add_field(b, "next", t->ulong, 0, 0), 0);
		flags_s = btf__add_struct(b, NULL, 8);
		assert_int_equal(btf__add_field(b, "flags", t->ulong, 0, 0), 0);
		u = btf__add_union(b, NULL, 16);
		assert_int_equal(btf__add_field(b, NULL, flags_s, 0, 0), 0);
		assert_int_equal(btf__add_field(b, "rcu", rcu, 0, 0), 0);
		entry = btf__add_struct(b, "ovl_entry", 24);
		assert_int_equal(btf__add_field(b, NULL, u, 0, 0), 0);
		assert_int_equal(btf__add_field(b, "numlower", t->uint, 128, 0), 0);
		assert_int_equal(btf__add_field(b, "lowerstack", t->path_arr, 192, 0), 0);
	} else {
		entry = btf__add_struct(b, "ovl_entry", 8);
		assert_int_equal(btf__add_field(b, "__numlower", t->uint, 0, 0), 0);
		assert_int_equal(btf__add_field(b, "__lowerstack", t->path_arr, 64, 0), 0);
	}
	t->entry_ptr = btf__add_ptr(b, entry);
	if (c == NO_INODE)
		return b;

	/* the upper dentry inside an anonymous struct: found through it, offsets summed */
	anon = btf__add_struct(b, NULL, 8);
	assert_int_equal(btf__add_field(b, c == NO_UPPER ? "__upper" : "__upperdentry",
					c == UPPER_NOT_PTR ? t->ulong : t->dentry_ptr, 0, 0), 0);
	btf__add_struct(b, "ovl_inode", VFS_INODE_AT + INODE_SIZE + 64);
	assert_int_equal(btf__add_field(b, "redirect", t->ulong, 0, 0), 0);
	assert_int_equal(btf__add_field(b, "vfs_inode", t->inode, VFS_INODE_AT * 8, 0), 0);
	assert_int_equal(btf__add_field(b, NULL, anon, (VFS_INODE_AT + INODE_SIZE) * 8, 0), 0);
	if (c == INODE_ENTRY)
		assert_int_equal(btf__add_field(b, "oe", t->entry_ptr,
						(VFS_INODE_AT + INODE_SIZE + 8) * 8, 0), 0);
	else if (c == INODE_PATH)
		assert_int_equal(btf__add_field(b, "lowerpath", t->path,
						(VFS_INODE_AT + INODE_SIZE + 8) * 8, 0), 0);
	return b;
}

/* overlay's split BTF over @base, as the module's /sys/kernel/btf/overlay is */
static struct btf *overlay_btf(struct btf *base, struct ids *t, enum shape_case c)
{
	return add_overlay_types(btf__new_empty_split(base), t, c);
}

static int derive(enum shape_case c, struct whorl_layout *l, char *why, size_t n)
{
	struct ids t;
	struct btf *base = vmlinux_btf(&t), *ovl = overlay_btf(base, &t, c);
	int ret = whorl_layout_derive(ovl, l, why, n);

	btf__free(ovl);
	btf__free(base);
	return ret;
}

static void inode_entry_shape_of_6_5_on(void **state)
{
	struct whorl_layout l;
	char why[256] = "";

	(void)state;
	assert_int_equal(derive(INODE_ENTRY, &l, why, sizeof(why)), 0);
	assert_int_equal(l.shape, WHORL_OVL_SHAPE_INODE_ENTRY);
	assert_int_equal(l.upper, INODE_SIZE);
	assert_int_equal(l.lower, INODE_SIZE + 8);
	assert_int_equal(l.numlower, 0);
	assert_int_equal(l.stack, 8);
	assert_int_equal(l.path_layer, 0);
	assert_int_equal(l.path_dentry, 8);
	assert_int_equal(l.path_size, 16);
	assert_int_equal(l.layer_mnt, 0);
	assert_int_equal(l.inode_size, INODE_SIZE);
}

static void inode_path_shape_of_6_1_to_6_4(void **state)
{
	struct whorl_layout l;
	char why[256] = "";

	(void)state;
	assert_int_equal(derive(INODE_PATH, &l, why, sizeof(why)), 0);
	assert_int_equal(l.shape, WHORL_OVL_SHAPE_INODE_PATH);
	assert_int_equal(l.upper, INODE_SIZE);
	assert_int_equal(l.lower, INODE_SIZE + 8);
	assert_int_equal(l.numlower, 16);
	assert_int_equal(l.stack, 24);
	assert_int_equal(l.path_dentry, 8);
}

static void dentry_entry_shape_of_5_10(void **state)
{
	struct whorl_layout l;
	char why[256] = "";

	(void)state;
	assert_int_equal(derive(DENTRY_ENTRY, &l, why, sizeof(why)), 0);
	assert_int_equal(l.shape, WHORL_OVL_SHAPE_DENTRY_ENTRY);
	assert_int_equal(l.upper, INODE_SIZE);
	assert_int_equal(l.lower, 0);
	assert_int_equal(l.numlower, 16);
	assert_int_equal(l.stack, 24);
}

static void descriptions_whorl_cannot_use_are_refused_with_the_reason(void **state)
{
	struct whorl_layout l;
	char why[256] = "";

	(void)state;
	assert_int_equal(derive(NO_UPPER, &l, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "ovl_inode.__upperdentry"));
	assert_int_equal(derive(UPPER_NOT_PTR, &l, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "__upperdentry"));
	assert_int_equal(derive(NO_INODE, &l, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "ovl_inode"));
}

static void write_raw(const struct btf *b, const char *path)
{
	unsigned int n;
	const void *d = btf__raw_data(b, &n);
	FILE *f = fopen(path, "w");

	assert_non_null(d);
	assert_non_null(f);
	assert_int_equal(fwrite(d, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* As /sys/kernel/btf has them: raw vmlinux BTF, and the module's split BTF over it. */
static void layout_is_read_from_a_btf_directory(void **state)
{
	char dir[] = "/tmp/whorl-layout-XXXXXX", path[64];
	struct whorl_layout l;
	char why[256] = "";
	struct btf *base, *ovl;
	struct ids t;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(whorl_layout_from_dir(dir, &l, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "vmlinux"));

	base = vmlinux_btf(&t);
	ovl = overlay_btf(base, &t, INODE_ENTRY);
	snprintf(path, sizeof(path), "%s/vmlinux", dir);
	write_raw(base, path);
	assert_int_equal(whorl_layout_from_dir(dir, &l, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "overlay module is not loaded"));

	snprintf(path, sizeof(path), "%s/overlay", dir);
	write_raw(ovl, path);
	assert_int_equal(whorl_layout_from_dir(dir, &l, why, sizeof(why)), 0);
	assert_int_equal(l.shape, WHORL_OVL_SHAPE_INODE_ENTRY);
	assert_int_equal(l.upper, INODE_SIZE);
	assert_int_equal(l.inode_size, INODE_SIZE);

	btf__free(ovl);
	btf__free(base);
	unlink(path);
	snprintf(path, sizeof(path), "%s/vmlinux", dir);
	unlink(path);
	rmdir(dir);
}

/* overlayfs built into the kernel: no module BTF, its types in vmlinux's own */
static void built_in_overlayfs_is_read_from_vmlinux(void **state)
{
	char dir[] = "/tmp/whorl-layout-XXXXXX", path[64];
	struct whorl_layout l;
	char why[256] = "";
	struct btf *whole;
	struct ids t;

	(void)state;
	assert_non_null(mkdtemp(dir));
	whole = add_overlay_types(vmlinux_btf(&t), &t, INODE_PATH);
	snprintf(path, sizeof(path), "%s/vmlinux", dir);
	write_raw(whole, path);
	assert_int_equal(whorl_layout_from_dir(dir, &l, why, sizeof(why)), 0);
	assert_int_equal(l.shape, WHORL_OVL_SHAPE_INODE_PATH);
	assert_int_equal(l.upper, INODE_SIZE);
	btf__free(whole);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(inode_entry_shape_of_6_5_on),
		cmocka_unit_test(inode_path_shape_of_6_1_to_6_4),
		cmocka_unit_test(dentry_entry_shape_of_5_10),
		cmocka_unit_test(descriptions_whorl_cannot_use_are_refused_with_the_reason),
		cmocka_unit_test(layout_is_read_from_a_btf_directory),
		cmocka_unit_test(built_in_overlayfs_is_read_from_vmlinux),
	};

	return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
