/* SPDX-License-Identifier: GPL-2.0 */
/*
 * layout.h - where overlayfs keeps a file's layers on the running kernel, read from the
 * kernel's own BTF (vmlinux and the overlay module), for the module's layer provenance.
 */
#ifndef WHORL_LAYOUT_H
#define WHORL_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "netlink.h"

struct btf;

/* The fields of enum whorl_layout_attr (include/uapi/linux/whorl.h). */
struct whorl_layout {
	uint8_t shape;			/* enum whorl_ovl_shape */
	int32_t upper, lower;		/* from struct ovl_inode's vfs_inode */
	uint32_t numlower, stack;	/* in struct ovl_entry */
	uint32_t path_layer, path_dentry, path_size;	/* struct ovl_path */
	uint32_t layer_mnt;		/* in struct ovl_layer */
	uint32_t inode_size;		/* sizeof(struct inode) */
};

/* Default place of the kernel's BTF: vmlinux and one file per module. */
#define WHORL_BTF_DIR "/sys/kernel/btf"

/*
 * whorl_layout_derive - the layout from a BTF that describes overlayfs's types (the overlay
 * module's split BTF over vmlinux's, or one self-contained BTF).
 * Return: 0, or -ENOENT / -EINVAL with the reason in @why.
 */
int whorl_layout_derive(const struct btf *btf, struct whorl_layout *l, char *why, size_t whylen);

/*
 * whorl_layout_from_dir - the same from @dir/vmlinux and @dir/overlay (e.g. /sys/kernel/btf).
 * Return: 0; -ENOENT when the overlay module has no BTF there (not loaded, or built without
 * module BTF), other errors when BTF is there and does not say; the reason in @why.
 */
int whorl_layout_from_dir(const char *dir, struct whorl_layout *l, char *why, size_t whylen);

/* Hand @l to the module (WHORL_CMD_LAYOUT_SET); its refusal is in nl->extack. */
int whorl_nl_layout_set(struct whorl_nl *nl, const struct whorl_layout *l);

/*
 * whorl_layout_load - derive the layout from @dir's BTF and hand it to the module. With the
 * default directory, loads the overlay module first if nothing has (its BTF appears with it).
 * Says on stderr what failed (and, with @verbose, what was loaded). Return: 0 or -errno.
 */
int whorl_layout_load(const char *dir, int verbose);

json_object *whorl_layout_json(const struct whorl_layout *l);
const char *whorl_ovl_shape_name(unsigned int shape);

#endif /* WHORL_LAYOUT_H */
