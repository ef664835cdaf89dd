// SPDX-License-Identifier: GPL-2.0
/*
 * layout.c - overlayfs's private layout on the running kernel, from its BTF (libbpf), for
 * the module's layer provenance: the module reads a few fields of struct ovl_inode,
 * ovl_entry, ovl_path and ovl_layer, and their places change between kernels (and between
 * distributions' backports of the same version). BTF is the kernel's own description of
 * them; the module checks what it is given and confirms every read against d_real().
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/btf.h>
#include <linux/btf.h>
#include <linux/whorl.h>

#include "json.h"
#include "layout.h"

static int fail(char *why, size_t n, int err, const char *fmt, const char *arg)
{
	snprintf(why, n, fmt, arg);
	return err;
}

static const struct btf_type *strip(const struct btf *btf, uint32_t id, uint32_t *out)
{
	int r = btf__resolve_type(btf, id);

	if (r < 0)
		return NULL;
	if (out)
		*out = (uint32_t)r;
	return btf__type_by_id(btf, (uint32_t)r);
}

/*
 * The bit offset of member @name of @t, looking into anonymous structs and unions (overlayfs
 * keeps some fields in them); its type id in @type.
 */
static int member(const struct btf *btf, const struct btf_type *t, const char *name,
		  uint32_t base, uint32_t *off, uint32_t *type)
{
	const struct btf_member *m = btf_members(t);
	unsigned int i, n = btf_vlen(t);

	for (i = 0; i < n; i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);
		uint32_t o = base + btf_member_bit_offset(t, i);
		const struct btf_type *mt;

		if (mn && *mn) {
			if (strcmp(mn, name))
				continue;
			*off = o;
			*type = m->type;
			return 0;
		}
		mt = strip(btf, m->type, NULL);
		if (mt && btf_is_composite(mt) && !member(btf, mt, name, o, off, type))
			return 0;
	}
	return -ENOENT;
}

static const struct btf_type *find_struct(const struct btf *btf, const char *name)
{
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT);

	return id < 0 ? NULL : btf__type_by_id(btf, (uint32_t)id);
}

/* A member's byte offset; @kind is the kind its type must have once typedefs are gone. */
static int field(const struct btf *btf, const struct btf_type *t, const char *sname,
		 const char *name, int kind, uint32_t *bytes, uint32_t *type, char *why, size_t n)
{
	char what[128];
	const struct btf_type *mt;
	uint32_t off, id;

	snprintf(what, sizeof(what), "%s.%s", sname, name);
	if (member(btf, t, name, 0, &off, &id))
		return fail(why, n, -ENOENT, "BTF has no %s", what);
	mt = strip(btf, id, type);
	if (!mt || off % 8 || (kind >= 0 && btf_kind(mt) != kind))
		return fail(why, n, -EINVAL, "BTF's %s is not what whorl reads", what);
	*bytes = off / 8;
	return 0;
}

static int entry_fields(const struct btf *btf, struct whorl_layout *l, char *why, size_t n)
{
	const struct btf_type *e = find_struct(btf, "ovl_entry");
	uint32_t type;

	if (!e)
		return fail(why, n, -ENOENT, "BTF has no struct %s", "ovl_entry");
	/* Renamed with a leading "__" in 6.5, when the entry moved to the inode. */
	if (field(btf, e, "ovl_entry", "__numlower", BTF_KIND_INT, &l->numlower, &type, why, n) &&
	    field(btf, e, "ovl_entry", "numlower", BTF_KIND_INT, &l->numlower, &type, why, n))
		return -ENOENT;
	if (field(btf, e, "ovl_entry", "__lowerstack", BTF_KIND_ARRAY, &l->stack, &type, why,
		  n) &&
	    field(btf, e, "ovl_entry", "lowerstack", BTF_KIND_ARRAY, &l->stack, &type, why, n))
		return -ENOENT;
	return 0;
}

int whorl_layout_derive(const struct btf *btf, struct whorl_layout *l, char *why, size_t n)
{
	const struct btf_type *oi, *op, *ol;
	uint32_t vi, up, off, type, ty;
	int64_t size;
	int err;

	memset(l, 0, sizeof(*l));
	oi = find_struct(btf, "ovl_inode");
	if (!oi)
		return fail(why, n, -ENOENT, "BTF has no struct %s (overlayfs's)", "ovl_inode");
	if ((err = field(btf, oi, "ovl_inode", "vfs_inode", BTF_KIND_STRUCT, &vi, &ty, why, n)))
		return err;
	size = btf__resolve_size(btf, ty);
	if (size <= 0 || size > UINT32_MAX)
		return fail(why, n, -EINVAL, "BTF's %s has no size", "struct inode");
	l->inode_size = (uint32_t)size;
	if ((err = field(btf, oi, "ovl_inode", "__upperdentry", BTF_KIND_PTR, &up, &type, why, n)))
		return err;
	l->upper = (int32_t)up - (int32_t)vi;

	if (!field(btf, oi, "ovl_inode", "oe", BTF_KIND_PTR, &off, &type, why, n)) {
		l->shape = WHORL_OVL_SHAPE_INODE_ENTRY;
		l->lower = (int32_t)off - (int32_t)vi;
		if ((err = entry_fields(btf, l, why, n)))
			return err;
	} else if (!field(btf, oi, "ovl_inode", "lowerpath", BTF_KIND_STRUCT, &off, &type, why,
			  n)) {
		l->shape = WHORL_OVL_SHAPE_INODE_PATH;
		l->lower = (int32_t)off - (int32_t)vi;
		/* a directory's whole lower stack is still the dentry's entry (d_fsdata) */
		if ((err = entry_fields(btf, l, why, n)))
			return err;
	} else {
		/* No lower in the inode: the entry hangs off the dentry (d_fsdata). */
		if ((err = entry_fields(btf, l, why, n)))
			return err;
		l->shape = WHORL_OVL_SHAPE_DENTRY_ENTRY;
		l->lower = 0;
	}

	op = find_struct(btf, "ovl_path");
	if (!op)
		return fail(why, n, -ENOENT, "BTF has no struct %s", "ovl_path");
	if ((err = field(btf, op, "ovl_path", "layer", BTF_KIND_PTR, &l->path_layer, &type, why,
			 n)) ||
	    (err = field(btf, op, "ovl_path", "dentry", BTF_KIND_PTR, &l->path_dentry, &type, why,
			 n)))
		return err;
	size = btf__resolve_size(btf, (uint32_t)btf__find_by_name_kind(btf, "ovl_path",
								     BTF_KIND_STRUCT));
	if (size <= 0 || size > 256)
		return fail(why, n, -EINVAL, "BTF's %s has no plausible size", "struct ovl_path");
	l->path_size = (uint32_t)size;

	ol = find_struct(btf, "ovl_layer");
	if (!ol)
		return fail(why, n, -ENOENT, "BTF has no struct %s", "ovl_layer");
	return field(btf, ol, "ovl_layer", "mnt", BTF_KIND_PTR, &l->layer_mnt, &type, why, n);
}

int whorl_layout_from_dir(const char *dir, struct whorl_layout *l, char *why, size_t n)
{
	char vpath[PATH_MAX], opath[PATH_MAX];
	struct btf *base, *ovl;
	int err;

	snprintf(vpath, sizeof(vpath), "%s/vmlinux", dir);
	snprintf(opath, sizeof(opath), "%s/overlay", dir);
	base = btf__parse_raw(vpath);
	if (!base) {
		err = -errno;
		snprintf(why, n, "no kernel BTF at %s (%s)", vpath, strerror(-err));
		return err ? err : -ENOENT;
	}
	ovl = btf__parse_raw_split(opath, base);
	if (!ovl) {
		err = -errno;
		/* overlayfs built into the kernel: its types are in vmlinux's BTF */
		if (err == -ENOENT &&
		    btf__find_by_name_kind(base, "ovl_inode", BTF_KIND_STRUCT) > 0) {
			err = whorl_layout_derive(base, l, why, n);
			btf__free(base);
			return err;
		}
		if (err == -ENOENT)
			snprintf(why, n, "no BTF for overlayfs at %s (the overlay module is not "
				 "loaded, or this kernel's modules carry no BTF)", opath);
		else
			snprintf(why, n, "cannot read %s (%s)", opath, strerror(-err));
		btf__free(base);
		return err ? err : -ENOENT;
	}
	err = whorl_layout_derive(ovl, l, why, n);
	btf__free(ovl);
	btf__free(base);
	return err;
}

int whorl_nl_layout_set(struct whorl_nl *nl, const struct whorl_layout *l)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = whorl_nl_msg(nl, buf, WHORL_CMD_LAYOUT_SET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, WHORL_A_LAYOUT);

	mnl_attr_put_u8(nlh, WHORL_LAYOUT_A_SHAPE, l->shape);
	mnl_attr_put_u32(nlh, WHORL_LAYOUT_A_UPPER, (uint32_t)l->upper);
	mnl_attr_put_u32(nlh, WHORL_LAYOUT_A_LOWER, (uint32_t)l->lower);
	mnl_attr_put_u32(nlh, WHORL_LAYOUT_A_NUMLOWER, l->numlower);
	mnl_attr_put_u32(nlh, WHORL_LAYOUT_A_STACK, l->stack);
	mnl_attr_put_u32(nlh, WHORL_LAYOUT_A_PATH_LAYER, l->path_layer);
	mnl_attr_put_u32(nlh, WHORL_LAYOUT_A_PATH_DENTRY, l->path_dentry);
	mnl_attr_put_u32(nlh, WHORL_LAYOUT_A_PATH_SIZE, l->path_size);
	mnl_attr_put_u32(nlh, WHORL_LAYOUT_A_LAYER_MNT, l->layer_mnt);
	mnl_attr_put_u32(nlh, WHORL_LAYOUT_A_INODE_SIZE, l->inode_size);
	mnl_attr_nest_end(nlh, nest);
	return whorl_nl_request(nl, nlh, NULL, NULL);
}

const char *whorl_ovl_shape_name(unsigned int shape)
{
	switch (shape) {
	case WHORL_OVL_SHAPE_INODE_PATH:
		return "inode-path";
	case WHORL_OVL_SHAPE_INODE_ENTRY:
		return "inode-entry";
	case WHORL_OVL_SHAPE_DENTRY_ENTRY:
		return "dentry-entry";
	default:
		return NULL;
	}
}

json_object *whorl_layout_json(const struct whorl_layout *l)
{
	json_object *o = json_object_new_object();
	const char *shape = whorl_ovl_shape_name(l->shape);

	if (!o)
		return NULL;
	whorl_json_add(o, "shape", whorl_json_str(shape ? shape : "none"));
	json_object_object_add(o, "upper", json_object_new_int(l->upper));
	json_object_object_add(o, "lower", json_object_new_int(l->lower));
	json_object_object_add(o, "entryCount", json_object_new_int64(l->numlower));
	json_object_object_add(o, "entryStack", json_object_new_int64(l->stack));
	json_object_object_add(o, "pathLayer", json_object_new_int64(l->path_layer));
	json_object_object_add(o, "pathDentry", json_object_new_int64(l->path_dentry));
	json_object_object_add(o, "pathSize", json_object_new_int64(l->path_size));
	json_object_object_add(o, "layerMnt", json_object_new_int64(l->layer_mnt));
	json_object_object_add(o, "inodeSize", json_object_new_int64(l->inode_size));
	return o;
}

/* The overlay module, if nothing loaded it yet: its BTF appears only once it is loaded. */
static void load_overlay_module(void)
{
	pid_t pid;
	int status;

	if (access("/sys/module/overlay", F_OK) == 0)
		return;
	pid = fork();
	if (pid == 0) {
		execl("/sbin/modprobe", "modprobe", "-q", "overlay", (char *)NULL);
		execlp("modprobe", "modprobe", "-q", "overlay", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
}

int whorl_layout_load(const char *dir, int verbose)
{
	struct whorl_layout l;
	struct whorl_nl nl;
	char why[256];
	int ret;

	if (!strcmp(dir, WHORL_BTF_DIR))
		load_overlay_module();
	ret = whorl_layout_from_dir(dir, &l, why, sizeof(why));
	if (ret) {
		fprintf(stderr, "whorl: layer provenance: no layout from BTF: %s; the module keeps "
			"its own ('whorl status' says which)\n", why);
		return ret;
	}
	ret = whorl_nl_open(&nl);
	if (!ret)
		ret = whorl_nl_layout_set(&nl, &l);
	if (ret)
		whorl_nl_perror(&nl, "layout load", ret);
	else if (verbose)
		fprintf(stderr, "whorl: layer provenance: overlayfs layout from BTF loaded (%s, "
			"upper %d, lower %d)\n", whorl_ovl_shape_name(l.shape), l.upper, l.lower);
	whorl_nl_close(&nl);
	return ret;
}
