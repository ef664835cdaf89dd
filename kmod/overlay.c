// SPDX-License-Identifier: GPL-2.0
/*
 * overlay.c - image, added or modified: a file's layer in overlayfs.
 *
 * overlayfs exports nothing that says whether a file has an upper copy, a
 * lower one, or both. d_real() (public) returns the real dentry but not
 * which layer it is in, so this file - and only this file - reads two fields
 * of overlayfs's private struct ovl_inode, whose layout is guarded per
 * kernel range below and checked against d_real() on every call: when the
 * two disagree, the layout assumption is wrong and only what is certain is
 * reported (WHORL_LAYER_UNKNOWN). A KUnit case and the end-to-end suite
 * exercise the check on every supported kernel.
 */

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/printk.h>
#include <linux/uaccess.h>
#include <linux/xattr.h>
#include <kunit/visibility.h>

#include "overlay.h"
#include "limits.h"

/*
 * struct ovl_inode embeds the VFS inode and keeps, right after it, the upper
 * dentry; what follows changed in 6.5:
 *   6.1 - 6.4:  struct ovl_path lowerpath   { layer, dentry }
 *   6.5 - 6.12: struct ovl_entry *oe        -> { numlower, { layer, dentry }[] }
 * and struct ovl_layer starts with its vfsmount on both.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0) && \
	LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#define WHORL_OVL_LOWER_IN_INODE 1
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0) && \
	LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
#define WHORL_OVL_LOWER_IN_ENTRY 1
#endif

struct whorl_ovl_tail {
	struct dentry *upper;
#ifdef WHORL_OVL_LOWER_IN_INODE
	void *lower_layer;
	struct dentry *lower;
#else
	void *oe;
#endif
};

struct whorl_ovl_entry_head {
	unsigned int numlower;
	void *lower_layer;
	struct dentry *lower;
};

/*
 * Read the upper and first lower pointers of an overlayfs inode, without
 * trusting them: pointers are copied with the _nofault accessors.
 */
static bool whorl_ovl_read(const struct inode *inode, struct dentry **upper,
			   struct dentry **lower, void **lower_layer)
{
#if defined(WHORL_OVL_LOWER_IN_INODE) || defined(WHORL_OVL_LOWER_IN_ENTRY)
	const void *tail = (const char *)inode + sizeof(struct inode);
	struct whorl_ovl_tail t;

	if (copy_from_kernel_nofault(&t, tail, sizeof(t)))
		return false;
	*upper = t.upper;
#ifdef WHORL_OVL_LOWER_IN_INODE
	*lower = t.lower;
	*lower_layer = t.lower_layer;
#else
	*lower = NULL;
	*lower_layer = NULL;
	if (t.oe) {
		struct whorl_ovl_entry_head h;

		if (copy_from_kernel_nofault(&h, t.oe, sizeof(h)))
			return false;
		if (h.numlower) {
			*lower = h.lower;
			*lower_layer = h.lower_layer;
		}
	}
#endif
	return true;
#else
	return false;
#endif
}

/*
 * The image copy of a file, as a path another open can use: the lower
 * layer's mount and dentry, checked to belong together.
 */
static bool whorl_ovl_lower_path(struct dentry *lower, void *lower_layer,
				 struct path *out)
{
	struct super_block *sb, *lower_sb;
	struct vfsmount *mnt;

	if (!lower_layer || !lower)
		return false;
	/* Nothing read here is trusted until the two superblocks agree. */
	if (copy_from_kernel_nofault(&mnt, lower_layer, sizeof(mnt)) || !mnt)
		return false;
	if (copy_from_kernel_nofault(&sb, &mnt->mnt_sb, sizeof(sb)) ||
	    copy_from_kernel_nofault(&lower_sb, &lower->d_sb, sizeof(lower_sb)) ||
	    !sb || sb != lower_sb)
		return false;
	out->mnt = mnt;
	out->dentry = lower;
	return true;
}

/*
 * The origin xattr's full name on an overlayfs superblock. overlayfs keeps
 * its own xattrs in one namespace per mount, trusted. by default, user. with
 * "userxattr" (mounts in a user namespace), and gives the superblock the
 * xattr handler of that namespace: its prefix says which, through public
 * fields. The other namespace's "overlay.origin" is an ordinary xattr that
 * anyone who may write the file can set, so it is never read. NULL when no
 * handler says (then an upper-only file stays added).
 */
static const char *whorl_ovl_origin_xattr(const struct super_block *sb)
{
	const struct xattr_handler *const *h;

	for (h = sb->s_xattr; h && *h; h++) {
		const char *prefix = (*h)->prefix;

		if (!prefix)
			continue;
		if (!strcmp(prefix, XATTR_TRUSTED_PREFIX "overlay."))
			return XATTR_TRUSTED_PREFIX "overlay.origin";
		if (!strcmp(prefix, XATTR_USER_PREFIX "overlay."))
			return XATTR_USER_PREFIX "overlay.origin";
	}
	return NULL;
}

void whorl_overlay_classify(const struct path *path, struct whorl_origin *out)
{
	struct dentry *dentry = path->dentry;
	struct dentry *real, *upper = NULL, *lower = NULL;
	struct inode *inode = d_inode(dentry);
	void *lower_layer = NULL;

	memset(out, 0, sizeof(*out));
	out->layout_ok = true;
	if (!inode || dentry->d_sb->s_magic != OVERLAYFS_SUPER_MAGIC) {
		out->layer = WHORL_LAYER_UNKNOWN;
		return;
	}

	real = whorl_d_real_meta(dentry);
	if (!whorl_ovl_read(inode, &upper, &lower, &lower_layer) ||
	    (upper && upper != real) || (!upper && lower != real)) {
		pr_warn_once("whorl: overlayfs layout not as expected on this kernel; layers reported as unknown\n");
		out->layout_ok = false;
		out->layer = WHORL_LAYER_UNKNOWN;
		return;
	}

	if (!upper) {
		out->layer = WHORL_LAYER_IMAGE;
		return;
	}
	if (lower) {
		out->layer = WHORL_LAYER_MODIFIED;
		whorl_ovl_lower_path(lower, lower_layer, &out->lower);
		return;
	}
	/* Upper only: added, unless copy-up left an origin xattr. */
	out->layer = WHORL_LAYER_ADDED;
	out->origin_xattr = whorl_ovl_origin_xattr(dentry->d_sb);
	out->check_origin = out->origin_xattr != NULL;
	out->upper = upper;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_overlay_classify);

bool whorl_path_nameless(const struct path *path)
{
	const struct dentry *d = path->dentry;

	return d_unlinked(d) || (IS_ROOT(d) && d != path->mnt->mnt_root);
}
EXPORT_SYMBOL_IF_KUNIT(whorl_path_nameless);

const char *whorl_overlay_origin_xattr(const struct path *path)
{
	if (path->dentry->d_sb->s_magic != OVERLAYFS_SUPER_MAGIC)
		return NULL;
	return whorl_ovl_origin_xattr(path->dentry->d_sb);
}
EXPORT_SYMBOL_IF_KUNIT(whorl_overlay_origin_xattr);

void whorl_overlay_finish(struct whorl_origin *out)
{
	ssize_t len;

	if (!out->check_origin || !out->upper || !out->held || !out->origin_xattr)
		return;
	out->check_origin = false;
	/*
	 * Copy-up writes the origin xattr even when the lower fs cannot
	 * encode a handle (then it is empty): presence alone proves the file
	 * came from the image, in the namespace only overlayfs writes.
	 */
	len = __vfs_getxattr(out->upper, d_inode(out->upper), out->origin_xattr,
			     NULL, 0);
	if (len >= 0)
		out->layer = WHORL_LAYER_MODIFIED;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_overlay_finish);

void whorl_origin_hold(struct whorl_origin *origin)
{
	if (origin->held)
		return;
	dget(origin->upper);
	if (origin->lower.dentry)
		path_get(&origin->lower);
	origin->held = true;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_origin_hold);

void whorl_origin_put(struct whorl_origin *origin)
{
	if (origin->held) {
		dput(origin->upper);
		path_put(&origin->lower);
	}
	memset(origin, 0, sizeof(*origin));
}
EXPORT_SYMBOL_IF_KUNIT(whorl_origin_put);
