/* SPDX-License-Identifier: GPL-2.0 */
/* overlay.h - which layer of a container's overlayfs a file came from. */
#ifndef WHORL_OVERLAY_H
#define WHORL_OVERLAY_H

#include <linux/path.h>
#include <linux/types.h>

#include "limits.h"

struct dentry;
struct file;
struct netlink_ext_ack;

/* Longest status text about the layout, NUL included. */
#define WHORL_OVL_REASON_MAX	96
/* How far from struct inode (and within the small structs) a field may be. */
#define WHORL_OVL_FIELD_SPAN	256

/**
 * struct whorl_ovl_layout - where overlayfs keeps what provenance reads;
 * the fields of enum whorl_layout_attr (include/uapi/linux/whorl.h).
 */
struct whorl_ovl_layout {
	u8 shape;
	s32 upper;
	s32 lower;
	u32 numlower;
	u32 stack;
	u32 path_layer;
	u32 path_dentry;
	u32 path_size;
	u32 layer_mnt;
};

/** struct whorl_ovl_status - what `whorl status` shows of provenance. */
struct whorl_ovl_status {
	struct whorl_ovl_layout layout;
	u8 source;
	u8 check;
	char reason[WHORL_OVL_REASON_MAX];
	u64 confirmed;
	u64 unconfirmed;
};

/* Publish the compiled table, if this kernel has one. Before the hooks. */
void whorl_overlay_init(void);
/* Unpublish and wait for readers. After the hooks. */
void whorl_overlay_exit(void);
/* The compiled table for this kernel; false when there is none. */
bool whorl_overlay_table(struct whorl_ovl_layout *l);
/* Is @l plausible at all? -EINVAL with the reason in @why when not. */
int whorl_overlay_check_layout(const struct whorl_ovl_layout *l, const char **why);
/*
 * Use @l (from BTF) from now on, after checking it against this build's
 * struct inode (@inode_size) and plausibility; cross-checked with the
 * table. Process context.
 */
int whorl_overlay_set_layout(const struct whorl_ovl_layout *l, u32 inode_size,
			     struct netlink_ext_ack *extack);
void whorl_overlay_status(struct whorl_ovl_status *st);

/**
 * struct whorl_origin - what the hook learnt about a file's layer.
 * @layer: enum whorl_layer. WHORL_LAYER_ADDED may still turn out to be
 *	modified: see @check_origin.
 * @check_origin: an upper file with no lower link: the worker must read
 *	its origin xattr, and look for the image's file under its name, to
 *	tell added from copied-up or replaced (modified).
 * @layout_ok: overlayfs's private layout read as expected (or not needed).
 * @reason: enum whorl_layer_reason, when @layer is unknown.
 * @held: whorl_origin_hold() took the references below.
 * @upper: the upper dentry, when @check_origin.
 * @origin_xattr: with @check_origin, the origin xattr's name in the only
 *	namespace this mount's overlayfs writes (a static string), or NULL.
 * @lower: the image copy, for a modified file; else empty.
 * @layer_mnt: for a file of the image, the mount of the lower layer it lies
 *	in (a modified file's is @lower's); referenced with @held.
 */
struct whorl_origin {
	u8 layer;
	bool check_origin;
	bool layout_ok;
	bool held;
	u8 reason;
	struct dentry *upper;
	const char *origin_xattr;
	struct path lower;
	struct vfsmount *layer_mnt;
};

/**
 * whorl_overlay_classify - the layer of the file at @path.
 * @path: the path the user opened (an overlayfs path for container files).
 * @out: the answer. Its pointers are borrowed: valid while the caller
 *	holds @path, until whorl_origin_hold() makes them references.
 *
 * Any context (kprobes included): reads only, no lock, no reference.
 */
void whorl_overlay_classify(const struct path *path, struct whorl_origin *out);

/* Take references on what @origin points to. Any context. */
void whorl_origin_hold(struct whorl_origin *origin);

/**
 * whorl_overlay_finish - settle what the hook could not: an upper file is
 * modified when copy-up left its origin xattr, or when the image has a file
 * under its name (replaced by a rename, or deleted and written again); then
 * @out->lower is the image's copy, referenced.
 * @out: from whorl_overlay_classify(), held.
 * @upath: the path the user opened.
 *
 * Process context (reads an xattr, looks names up).
 */
void whorl_overlay_finish(struct whorl_origin *out, const struct path *upath);

/* Drop the references taken by whorl_origin_hold(). Process context. */
void whorl_origin_put(struct whorl_origin *origin);

/**
 * whorl_path_nameless - is @path a file no directory names: deleted after
 * it was opened (or made with O_TMPFILE), or a pseudo file such as a memfd?
 * @path: the path the user opened.
 *
 * A memfd's dentry is a root of its own that is not its mount's root, which
 * d_unlinked() does not see. Any context.
 */
bool whorl_path_nameless(const struct path *path);

/*
 * The name of the origin xattr overlayfs writes on the mount of @path
 * (trusted.overlay.origin, or user.overlay.origin with userxattr); NULL when
 * @path is not on overlayfs or its superblock does not say. Any context.
 */
const char *whorl_overlay_origin_xattr(const struct path *path);

#endif /* WHORL_OVERLAY_H */
