// SPDX-License-Identifier: GPL-2.0
/*
 * overlay.c - image, added or modified: a file's layer in overlayfs.
 *
 * overlayfs exports nothing that says whether a file has an upper copy, a
 * lower one, or both. d_real() (public) returns the real dentry but not
 * which layer it is in, so this file - and only this file - reads a few
 * fields of overlayfs's private structures (struct ovl_inode, ovl_entry,
 * ovl_path, ovl_layer). Where they are comes from the running kernel's own
 * description: the tool reads overlayfs's BTF and hands the offsets over
 * (WHORL_CMD_LAYOUT_SET); a table compiled per kernel range is the fallback
 * until then (and on kernels whose modules carry no BTF) and the cross-check.
 * Whatever a read yields is confirmed against d_real() and public fields on
 * every call before anything is trusted or referenced: when they disagree,
 * only what is certain is reported (WHORL_LAYER_UNKNOWN, with the reason).
 * With neither BTF nor a table, provenance is off, and says so in status.
 */

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/xattr.h>
#include <kunit/visibility.h>
#include <net/netlink.h>

#include "overlay.h"
#include "limits.h"
#include "params.h"
#include "slowread.h"

/*
 * What the module itself was compiled to expect: struct ovl_inode embeds the
 * VFS inode and keeps the upper dentry right after it; where the lower
 * layers are changed twice:
 *   5.10:       the overlay dentry's d_fsdata is a struct ovl_entry
 *               { flags/rcu_head union (16 bytes), numlower, ovl_path[] }
 *   6.1 - 6.4:  struct ovl_path lowerpath { layer, dentry } after the upper
 *               (a directory's whole stack still in d_fsdata's entry)
 *   6.5 - 7.3:  struct ovl_entry *oe after the upper -> { numlower, ovl_path[] }
 * and struct ovl_layer starts with its vfsmount on all. This table is only
 * the fallback and the cross-check: the tool reads the running kernel's own
 * description (BTF) and hands it over with WHORL_CMD_LAYOUT_SET. Ranges are
 * those a kernel of the series was seen to have; outside them there is no
 * table, and provenance waits for BTF.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 10, 0) && \
	LINUX_VERSION_CODE < KERNEL_VERSION(5, 11, 0)
#define WHORL_OVL_TABLE_SHAPE	WHORL_OVL_SHAPE_DENTRY_ENTRY
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0) && \
	LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#define WHORL_OVL_TABLE_SHAPE	WHORL_OVL_SHAPE_INODE_PATH
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0) && \
	LINUX_VERSION_CODE < KERNEL_VERSION(7, 4, 0)
#define WHORL_OVL_TABLE_SHAPE	WHORL_OVL_SHAPE_INODE_ENTRY
#endif

bool whorl_overlay_table(struct whorl_ovl_layout *l)
{
	memset(l, 0, sizeof(*l));
#ifdef WHORL_OVL_TABLE_SHAPE
	l->shape = WHORL_OVL_TABLE_SHAPE;
	l->upper = sizeof(struct inode);
	l->path_layer = 0;
	l->path_dentry = sizeof(void *);
	l->path_size = 2 * sizeof(void *);
	l->layer_mnt = 0;
	switch (l->shape) {
	case WHORL_OVL_SHAPE_DENTRY_ENTRY:
		l->numlower = sizeof(struct rcu_head);
		l->stack = sizeof(struct rcu_head) + sizeof(void *);
		break;
	case WHORL_OVL_SHAPE_INODE_PATH:
		l->lower = sizeof(struct inode) + sizeof(void *);
		/* a directory's whole stack: the dentry's entry, as in 5.10 */
		l->numlower = sizeof(struct rcu_head);
		l->stack = sizeof(struct rcu_head) + sizeof(void *);
		break;
	default:
		l->lower = sizeof(struct inode) + sizeof(void *);
		l->numlower = 0;
		l->stack = sizeof(void *);
		break;
	}
	return true;
#else
	return false;
#endif
}
EXPORT_SYMBOL_IF_KUNIT(whorl_overlay_table);

/* The layout in use; readers take rcu_read_lock(), writers whorl_ovl_lock. */
struct whorl_ovl_active {
	struct whorl_ovl_layout l;
	struct rcu_head rcu;
};

static DEFINE_MUTEX(whorl_ovl_lock);
static struct whorl_ovl_active __rcu *whorl_ovl_cur;
static struct whorl_ovl_active whorl_ovl_table_active;
static u8 whorl_ovl_source;
static u8 whorl_ovl_check;
static char whorl_ovl_reason[WHORL_OVL_REASON_MAX];
static atomic64_t whorl_ovl_confirmed = ATOMIC64_INIT(0);
static atomic64_t whorl_ovl_unconfirmed = ATOMIC64_INIT(0);

static bool whorl_ovl_aligned(s64 off)
{
	return off >= 0 && !(off % sizeof(void *));
}

/* A pointer field of struct ovl_inode: after the VFS inode, near it, aligned. */
static bool whorl_ovl_inode_field(s32 off)
{
	return off >= (s32)sizeof(struct inode) &&
	       off <= (s32)sizeof(struct inode) + WHORL_OVL_FIELD_SPAN &&
	       whorl_ovl_aligned(off);
}

int whorl_overlay_check_layout(const struct whorl_ovl_layout *l, const char **why)
{
	*why = NULL;
	if (!whorl_ovl_inode_field(l->upper))
		*why = "upper dentry offset is not a pointer after struct inode";
	else if (l->shape == WHORL_OVL_SHAPE_DENTRY_ENTRY && l->lower)
		*why = "a d_fsdata entry has no field in the inode";
	else if (l->shape != WHORL_OVL_SHAPE_DENTRY_ENTRY &&
		 (!whorl_ovl_inode_field(l->lower) || l->lower == l->upper))
		*why = "lower offset is not a pointer after struct inode, apart from the upper";
	else if (l->path_size < 2 * sizeof(void *) || l->path_size > WHORL_OVL_FIELD_SPAN ||
		 !whorl_ovl_aligned(l->path_size))
		*why = "struct ovl_path's size is implausible";
	else if (!whorl_ovl_aligned(l->path_layer) || !whorl_ovl_aligned(l->path_dentry) ||
		 l->path_layer == l->path_dentry ||
		 l->path_layer + sizeof(void *) > l->path_size ||
		 l->path_dentry + sizeof(void *) > l->path_size)
		*why = "struct ovl_path's fields do not fit it";
	else if (!whorl_ovl_aligned(l->layer_mnt) || l->layer_mnt > WHORL_OVL_FIELD_SPAN)
		*why = "struct ovl_layer's mount offset is implausible";
	else if ((l->numlower % sizeof(u32) || l->numlower > WHORL_OVL_FIELD_SPAN ||
		  !whorl_ovl_aligned(l->stack) || l->stack > WHORL_OVL_FIELD_SPAN ||
		  (l->stack < l->numlower + sizeof(u32) &&
		   l->numlower < l->stack + l->path_size)))
		*why = "struct ovl_entry's count and stack overlap or are implausible";
	return *why ? -EINVAL : 0;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_overlay_check_layout);

static void whorl_ovl_publish(struct whorl_ovl_active *next, u8 source)
{
	struct whorl_ovl_active *old;

	old = rcu_replace_pointer(whorl_ovl_cur, next, lockdep_is_held(&whorl_ovl_lock));
	WRITE_ONCE(whorl_ovl_source, source);
	if (old && old != &whorl_ovl_table_active)
		kfree_rcu(old, rcu);
}

int whorl_overlay_set_layout(const struct whorl_ovl_layout *l, u32 inode_size,
			     struct netlink_ext_ack *extack)
{
	struct whorl_ovl_layout table;
	struct whorl_ovl_active *next;
	const char *why;

	if (inode_size != sizeof(struct inode)) {
		NL_SET_ERR_MSG(extack,
			       "the layout's struct inode is not the one this module was built for (BTF of another kernel?)");
		pr_warn("whorl: refused an overlayfs layout for a %u-byte struct inode (built for %zu)\n",
			inode_size, sizeof(struct inode));
		return -EINVAL;
	}
	if (l->shape < WHORL_OVL_SHAPE_INODE_PATH || l->shape > WHORL_OVL_SHAPE_MAX) {
		NL_SET_ERR_MSG(extack, "unknown layout shape");
		return -EINVAL;
	}
	if (whorl_overlay_check_layout(l, &why)) {
		/* @why is a string literal: static, as extack needs */
		if (extack)
			extack->_msg = why;
		return -EINVAL;
	}
	next = kzalloc(sizeof(*next), GFP_KERNEL);
	if (!next)
		return -ENOMEM;
	next->l = *l;

	mutex_lock(&whorl_ovl_lock);
	if (!whorl_overlay_table(&table)) {
		whorl_ovl_check = WHORL_LAYOUT_NO_TABLE;
		strscpy(whorl_ovl_reason, "from BTF; no compiled table for this kernel to cross-check",
			sizeof(whorl_ovl_reason));
	} else if (!memcmp(&table, l, sizeof(table))) {
		whorl_ovl_check = WHORL_LAYOUT_AGREES;
		strscpy(whorl_ovl_reason, "from BTF; the compiled table agrees",
			sizeof(whorl_ovl_reason));
	} else {
		whorl_ovl_check = WHORL_LAYOUT_DIFFERS;
		strscpy(whorl_ovl_reason, "from BTF; the compiled table differs and is not used",
			sizeof(whorl_ovl_reason));
		pr_warn("whorl: overlayfs layout from BTF differs from the compiled table; using BTF\n");
	}
	whorl_ovl_publish(next, WHORL_PROVENANCE_BTF);
	mutex_unlock(&whorl_ovl_lock);
	pr_info("whorl: overlayfs layout from BTF: shape %u, upper %d, lower %d\n",
		l->shape, l->upper, l->lower);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_overlay_set_layout);

void whorl_overlay_status(struct whorl_ovl_status *st)
{
	struct whorl_ovl_active *cur;

	memset(st, 0, sizeof(*st));
	mutex_lock(&whorl_ovl_lock);
	cur = rcu_dereference_protected(whorl_ovl_cur, lockdep_is_held(&whorl_ovl_lock));
	if (cur)
		st->layout = cur->l;
	st->source = whorl_ovl_source;
	st->check = whorl_ovl_check;
	strscpy(st->reason, whorl_ovl_reason, sizeof(st->reason));
	mutex_unlock(&whorl_ovl_lock);
	st->confirmed = atomic64_read(&whorl_ovl_confirmed);
	st->unconfirmed = atomic64_read(&whorl_ovl_unconfirmed);
}
EXPORT_SYMBOL_IF_KUNIT(whorl_overlay_status);

void whorl_overlay_init(void)
{
	mutex_lock(&whorl_ovl_lock);
	if (!whorl_ovl_table_param) {
		strscpy(whorl_ovl_reason, "compiled table not used (ovl_table=0) and no layout from BTF yet (whorl layout load)",
			sizeof(whorl_ovl_reason));
		whorl_ovl_publish(NULL, WHORL_PROVENANCE_OFF);
	} else if (whorl_overlay_table(&whorl_ovl_table_active.l)) {
		whorl_ovl_check = WHORL_LAYOUT_NO_TABLE;
		strscpy(whorl_ovl_reason, "compiled table for this kernel; not yet cross-checked with BTF",
			sizeof(whorl_ovl_reason));
		whorl_ovl_publish(&whorl_ovl_table_active, WHORL_PROVENANCE_TABLE);
	} else {
		strscpy(whorl_ovl_reason, "no compiled table for this kernel and no layout from BTF yet (whorl layout load)",
			sizeof(whorl_ovl_reason));
		whorl_ovl_publish(NULL, WHORL_PROVENANCE_OFF);
	}
	mutex_unlock(&whorl_ovl_lock);
}

/* After the hooks are gone: no reader is left but those RCU waits for. */
void whorl_overlay_exit(void)
{
	mutex_lock(&whorl_ovl_lock);
	whorl_ovl_publish(NULL, WHORL_PROVENANCE_OFF);
	mutex_unlock(&whorl_ovl_lock);
	rcu_barrier();
}

/*
 * Read the upper and first lower pointers of an overlayfs file through
 * @l, without trusting them: every read is a _nofault copy.
 */
static bool whorl_ovl_read(const struct whorl_ovl_layout *l, const struct dentry *dentry,
			   const struct inode *inode, struct dentry **upper,
			   struct dentry **lower, void **lower_layer)
{
	const char *vi = (const char *)inode;
	const char *oe = NULL, *path = NULL;
	unsigned int n;

	*lower = NULL;
	*lower_layer = NULL;
	if (copy_from_kernel_nofault(upper, vi + l->upper, sizeof(*upper)))
		return false;
	switch (l->shape) {
	case WHORL_OVL_SHAPE_INODE_PATH:
		path = vi + l->lower;
		break;
	case WHORL_OVL_SHAPE_INODE_ENTRY:
		if (copy_from_kernel_nofault(&oe, vi + l->lower, sizeof(oe)))
			return false;
		break;
	case WHORL_OVL_SHAPE_DENTRY_ENTRY:
		oe = READ_ONCE(dentry->d_fsdata);
		break;
	default:
		return false;
	}
	if (oe) {
		if (copy_from_kernel_nofault(&n, oe + l->numlower, sizeof(n)))
			return false;
		if (n)
			path = oe + l->stack;
	}
	if (path &&
	    (copy_from_kernel_nofault(lower_layer, path + l->path_layer, sizeof(*lower_layer)) ||
	     copy_from_kernel_nofault(lower, path + l->path_dentry, sizeof(*lower))))
		return false;
	if (!*lower)
		*lower_layer = NULL;
	return true;
}

/*
 * The image copy of a file, as a path another open can use: the lower
 * layer's mount and dentry, confirmed to belong together through public
 * fields (the mount's superblock is its root's and the dentry's) and to be a
 * file of the same type as the upper one. Nothing gets a reference before
 * this.
 */
static bool whorl_ovl_lower_path(const struct whorl_ovl_layout *l, struct dentry *upper,
				 struct dentry *lower, void *lower_layer, struct path *out)
{
	struct super_block *sb, *lower_sb, *root_sb;
	struct dentry *root;
	struct vfsmount *mnt;
	unsigned int flags;

	if (!lower_layer || !lower)
		return false;
	if (copy_from_kernel_nofault(&mnt, (char *)lower_layer + l->layer_mnt, sizeof(mnt)) ||
	    !mnt)
		return false;
	/* the mount, its root and the lower dentry all name one superblock */
	if (copy_from_kernel_nofault(&sb, &mnt->mnt_sb, sizeof(sb)) ||
	    copy_from_kernel_nofault(&root, &mnt->mnt_root, sizeof(root)) || !root ||
	    copy_from_kernel_nofault(&root_sb, &root->d_sb, sizeof(root_sb)) ||
	    copy_from_kernel_nofault(&lower_sb, &lower->d_sb, sizeof(lower_sb)) ||
	    copy_from_kernel_nofault(&flags, &lower->d_flags, sizeof(flags)) ||
	    !sb || sb != lower_sb || sb != root_sb ||
	    (flags & DCACHE_ENTRY_TYPE) != (READ_ONCE(upper->d_flags) & DCACHE_ENTRY_TYPE))
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
	struct whorl_ovl_active *cur;
	struct whorl_ovl_layout l;
	void *lower_layer = NULL;
	bool read;

	memset(out, 0, sizeof(*out));
	out->layout_ok = true;
	out->layer = WHORL_LAYER_UNKNOWN;
	if (!inode || dentry->d_sb->s_magic != OVERLAYFS_SUPER_MAGIC) {
		out->reason = WHORL_LAYER_REASON_NOT_OVERLAY;
		return;
	}
	rcu_read_lock();
	cur = rcu_dereference(whorl_ovl_cur);
	if (cur)
		l = cur->l;
	rcu_read_unlock();
	if (!cur) {
		out->reason = WHORL_LAYER_REASON_PROVENANCE_OFF;
		return;
	}

	real = whorl_d_real_meta(dentry);
	read = whorl_ovl_read(&l, dentry, inode, &upper, &lower, &lower_layer);
	/* Trusted only what d_real() confirms: the upper, or else the lower. */
	if (!read || (upper && upper != real) || (!upper && lower != real) ||
	    (upper && lower &&
	     !whorl_ovl_lower_path(&l, upper, lower, lower_layer, &out->lower))) {
		pr_warn_once("whorl: overlayfs layout not confirmed by d_real() on this kernel; layers reported as unknown\n");
		atomic64_inc(&whorl_ovl_unconfirmed);
		memset(&out->lower, 0, sizeof(out->lower));
		out->layout_ok = false;
		out->reason = WHORL_LAYER_REASON_UNCONFIRMED;
		return;
	}
	atomic64_inc(&whorl_ovl_confirmed);

	if (!upper) {
		struct path image;

		out->layer = WHORL_LAYER_IMAGE;
		/* its layer, confirmed as the image copy of a modified file is */
		if (whorl_ovl_lower_path(&l, lower, lower, lower_layer, &image))
			out->layer_mnt = image.mnt;
		return;
	}
	if (lower) {
		out->layer = WHORL_LAYER_MODIFIED;
		return;
	}
	/*
	 * Upper only: added, unless copy-up left an origin xattr or the image
	 * has a file under this name (the worker settles it).
	 */
	out->layer = WHORL_LAYER_ADDED;
	out->origin_xattr = whorl_ovl_origin_xattr(dentry->d_sb);
	out->check_origin = true;
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

/* Most lower layers overlayfs stacks (its OVL_MAX_STACK). */
#define WHORL_OVL_MAX_STACK	500

/* The entry holding overlay directory @dir's lower stack: its inode's, or its d_fsdata. */
static const char *whorl_ovl_dir_entry(const struct whorl_ovl_layout *l, struct dentry *dir)
{
	const char *oe = NULL;

	if (l->shape != WHORL_OVL_SHAPE_INODE_ENTRY)
		return READ_ONCE(dir->d_fsdata);
	if (copy_from_kernel_nofault(&oe, (const char *)d_inode(dir) + l->lower, sizeof(oe)))
		return NULL;
	return oe;
}

/*
 * Is @lower, read from @dir's lower stack with its @layer, a directory of
 * that layer with @dir's name (@dname)? Confirmed through public fields only:
 * the layer's mount, its root and @lower name one superblock; @lower is a
 * directory; it is the layer's root when @dir is the overlay's, else it has
 * @dir's name (a renamed, redirected directory is not followed). Returns the
 * layer's mount, or NULL. @buf: NAME_MAX + 1 bytes. Process context.
 */
static struct vfsmount *whorl_ovl_lower_dir(const struct whorl_ovl_layout *l,
					    struct dentry *dir, const struct qstr *dname,
					    struct dentry *lower, void *layer, char *buf)
{
	struct super_block *sb, *root_sb, *lower_sb;
	struct dentry *root;
	struct vfsmount *mnt;
	unsigned int flags;
	struct qstr q;

	if (!lower || !layer ||
	    copy_from_kernel_nofault(&mnt, (char *)layer + l->layer_mnt, sizeof(mnt)) || !mnt ||
	    copy_from_kernel_nofault(&sb, &mnt->mnt_sb, sizeof(sb)) ||
	    copy_from_kernel_nofault(&root, &mnt->mnt_root, sizeof(root)) || !root ||
	    copy_from_kernel_nofault(&root_sb, &root->d_sb, sizeof(root_sb)) ||
	    copy_from_kernel_nofault(&lower_sb, &lower->d_sb, sizeof(lower_sb)) ||
	    copy_from_kernel_nofault(&flags, &lower->d_flags, sizeof(flags)) ||
	    !sb || sb != root_sb || sb != lower_sb ||
	    (flags & DCACHE_ENTRY_TYPE) != DCACHE_DIRECTORY_TYPE)
		return NULL;
	if (IS_ROOT(dir))
		return lower == root ? mnt : NULL;
	if (copy_from_kernel_nofault(&q, &lower->d_name, sizeof(q)) || q.len != dname->len ||
	    q.len > NAME_MAX || copy_from_kernel_nofault(buf, q.name, q.len) ||
	    memcmp(buf, dname->name, q.len))
		return NULL;
	return mnt;
}

/*
 * whorl_ovl_image_copy - the image's file at an upper-only file's path.
 * @upath: the overlay path of a file with no lower layer of its own.
 * @image: set, with references, to the image's file there.
 *
 * A file written under an image file's name - renamed over it, or created
 * after deleting it - has no lower layer and no origin, yet replaced the
 * image's file: overlayfs would show the image's copy without it. Look the
 * name up in each lower layer of the parent directory, top down, as overlayfs
 * does: the first regular file found is the image's; a whiteout or anything
 * else hides the layers below. Process context.
 */
static bool whorl_ovl_image_copy(const struct path *upath, struct path *image)
{
	struct dentry *dentry = upath->dentry, *dir, *ld, *found;
	struct name_snapshot fname, dname;
	struct whorl_ovl_active *cur;
	struct whorl_ovl_layout l;
	const char *oe, *p;
	struct vfsmount *mnt;
	unsigned int n, i;
	bool ok = false;
	void *layer;
	char *buf;

	rcu_read_lock();
	cur = rcu_dereference(whorl_ovl_cur);
	if (cur)
		l = cur->l;
	rcu_read_unlock();
	if (!cur)
		return false;
	buf = kmalloc(NAME_MAX + 1, GFP_KERNEL);
	if (!buf)
		return false;
	dir = dget_parent(dentry);
	if (dir == dentry || dir->d_sb != dentry->d_sb || !d_inode(dir))
		goto out_dir;
	take_dentry_name_snapshot(&fname, dentry);
	take_dentry_name_snapshot(&dname, dir);
	oe = whorl_ovl_dir_entry(&l, dir);
	if (!oe || copy_from_kernel_nofault(&n, oe + l.numlower, sizeof(n)) ||
	    n > WHORL_OVL_MAX_STACK)
		goto out;
	for (i = 0; i < n; i++) {
		p = oe + l.stack + i * l.path_size;
		if (copy_from_kernel_nofault(&layer, p + l.path_layer, sizeof(layer)) ||
		    copy_from_kernel_nofault(&ld, p + l.path_dentry, sizeof(ld)))
			break;
		mnt = whorl_ovl_lower_dir(&l, dir, &dname.name, ld, layer, buf);
		/* a layer whose server may never answer a lookup is not asked (slowread.c) */
		if (!mnt || whorl_fs_may_stall(mnt->mnt_sb))
			break;
		/* held by the directory's entry, which @dir keeps alive */
		dget(ld);
		found = whorl_lookup_unlocked(&fname.name, ld);
		dput(ld);
		if (IS_ERR(found))
			break;
		if (d_is_negative(found)) {
			dput(found);
			continue;
		}
		if (d_is_reg(found)) {
			image->mnt = mntget(mnt);
			image->dentry = found;
			ok = true;
		} else {
			dput(found);
		}
		break;
	}
out:
	release_dentry_name_snapshot(&dname);
	release_dentry_name_snapshot(&fname);
out_dir:
	dput(dir);
	kfree(buf);
	return ok;
}

void whorl_overlay_finish(struct whorl_origin *out, const struct path *upath)
{
	ssize_t len;

	if (!out->check_origin || !out->upper || !out->held)
		return;
	out->check_origin = false;
	/*
	 * Copy-up writes the origin xattr even when the lower fs cannot
	 * encode a handle (then it is empty): presence alone proves the file
	 * came from the image, in the namespace only overlayfs writes.
	 */
	if (out->origin_xattr) {
		len = __vfs_getxattr(out->upper, d_inode(out->upper), out->origin_xattr,
				     NULL, 0);
		if (len >= 0)
			out->layer = WHORL_LAYER_MODIFIED;
	}
	/* Replaced under the image's name, or copied up: the image's copy, to compare. */
	if (!out->lower.dentry && whorl_ovl_image_copy(upath, &out->lower))
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
	if (origin->layer_mnt)
		mntget(origin->layer_mnt);
	origin->held = true;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_origin_hold);

void whorl_origin_put(struct whorl_origin *origin)
{
	if (origin->held) {
		dput(origin->upper);
		path_put(&origin->lower);
		mntput(origin->layer_mnt);
	}
	memset(origin, 0, sizeof(*origin));
}
EXPORT_SYMBOL_IF_KUNIT(whorl_origin_put);
