// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - the worker's half of an event: resolve the container, hash
 * what the cache did not know, settle the layer, ask intel, decide the
 * finding, apply the report-once window and hand it to netlink.
 * Process context throughout.
 */

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/hash.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cache.h"
#include "container.h"
#include "event.h"
#include "finding.h"
#include "intel.h"
#include "netlink.h"
#include "params.h"
#include "slowread.h"
#include "stats.h"

static atomic64_t whorl_finding_ids = ATOMIC64_INIT(0);

/*
 * The path of @file from the root of its filesystem: with the device number
 * it names the file in whatever mount namespace that filesystem is mounted,
 * the host's included (the tool resolves it there). A file no directory
 * names any more has none: where it used to be is not where it is.
 */
static const char *whorl_fs_path(struct file *file, char *buf)
{
	const struct path *path = whorl_file_user_path(file);
	char *p;

	if (whorl_path_nameless(path))
		return NULL;
	p = dentry_path_raw(path->dentry, buf, WHORL_PATH_MAX);
	return IS_ERR(p) ? NULL : p;
}

/*
 * The image layer @obs came from: the layer of a file of the image, or of a
 * modified file's image copy. Its directory from the root of the filesystem
 * holding it, as the runtime that made the layer names it on the host: the
 * tool maps it to the runtime's record of the layer. NULL dir when there is
 * none (an added file, or a layer overlayfs did not confirm).
 */
static void whorl_layer_of(const struct whorl_file_obs *obs, char *buf,
			   struct whorl_layer_ref *out)
{
	const struct vfsmount *mnt = NULL;
	char *p;

	out->dir = NULL;
	if (obs->layer == WHORL_LAYER_IMAGE)
		mnt = obs->origin.layer_mnt;
	else if (obs->layer == WHORL_LAYER_MODIFIED)
		mnt = obs->origin.lower.mnt;
	if (!mnt)
		return;
	p = dentry_path_raw(mnt->mnt_root, buf, WHORL_PATH_MAX);
	if (IS_ERR(p))
		return;
	out->dir = p;
	out->dev = mnt->mnt_sb->s_dev;
}

/*
 * A file of the module's own on the path @file was opened by: read through
 * the user's own, the content is read as the user asked (O_DIRECT, which
 * kernel buffers cannot take) and its atime moves. NULL if it cannot be
 * opened (the user's file is then read).
 */
static struct file *whorl_open_own(struct file *file)
{
	struct file *own = dentry_open(whorl_file_user_path(file),
				       O_RDONLY | O_LARGEFILE | O_NOATIME,
				       current_cred());

	return IS_ERR(own) ? NULL : own;
}

/*
 * Fingerprint @obs. The hook noted the real dentry; if a copy-up replaced
 * it since, the content read is the new real file's: key it there.
 */
static int whorl_obs_fingerprint(struct whorl_file_obs *obs, u64 charge_to)
{
	struct dentry *real;
	struct file *own;
	int err, tries;

	if (obs->fp_known)
		return 0;
	for (tries = 0; tries < 2; tries++) {
		/* (an open is a request a stalling filesystem's server may not answer) */
		own = whorl_fs_may_stall(obs->real->d_sb) ? NULL : whorl_open_own(obs->file);
		err = whorl_cache_fingerprint(own ? own : obs->file,
					      d_inode(obs->real), charge_to,
					      &obs->fp);
		if (own)
			fput(own);
		real = whorl_d_real_meta(whorl_file_user_path(obs->file)->dentry);
		if (real == obs->real)
			break;
		dput(obs->real);
		obs->real = dget(real);
		err = -EAGAIN;
	}
	if (err) {
		whorl_count(WHORL_CTR_HASH_ERRORS);
		return err;
	}
	obs->fp_known = true;
	return 0;
}

/*
 * What intel says of @obs: its hash first, then its name.
 * Return: true when the hash matched.
 */
static bool whorl_obs_intel(const struct whorl_file_obs *obs,
			    struct whorl_intel_match *m)
{
	struct name_snapshot name;

	memset(m, 0, sizeof(*m));
	if (obs->fp_known && whorl_intel_lookup_hash(obs->fp.sha256, m))
		return true;
	if (!whorl_intel_has_rules())
		return false;
	take_dentry_name_snapshot(&name, whorl_file_user_path(obs->file)->dentry);
	if (!whorl_intel_lookup_name(name.name.name, m))
		memset(m, 0, sizeof(*m));
	release_dentry_name_snapshot(&name);
	return false;
}

/*
 * Enforce mode, first sight: the hash became known only after the code
 * started. Known-bad or unjudgeable content (@refuse) kills the process as
 * soon as that is known.
 */
static u8 whorl_enforce_late(const struct whorl_event *ev, bool refuse)
{
	if (READ_ONCE(whorl_mode) != WHORL_MODE_ENFORCE || !ev->tgid_pid ||
	    !refuse)
		return WHORL_ACTION_NONE;
	if (kill_pid(ev->tgid_pid, SIGKILL, 1))
		return WHORL_ACTION_NONE;	/* already gone */
	whorl_count(WHORL_CTR_KILLED);
	return WHORL_ACTION_KILLED;
}

/* For a modified file: does its content differ from the image's copy? */
static void whorl_obs_content(const struct whorl_file_obs *obs,
			      struct whorl_finding *f)
{
	const struct path *lower = &obs->origin.lower;
	struct file *lf;

	f->content = WHORL_CONTENT_UNKNOWN;
	if (!lower->dentry || !obs->fp_known || whorl_fs_may_stall(lower->dentry->d_sb))
		return;
	lf = dentry_open(lower, O_RDONLY | O_LARGEFILE, current_cred());
	if (IS_ERR(lf))
		return;
	if (!whorl_cache_fingerprint(lf, d_inode(lower->dentry), f->ct->cgroup_id,
				     &f->lower_fp)) {
		f->lower_known = true;
		f->content = memcmp(f->lower_fp.sha256, obs->fp.sha256,
				    WHORL_SHA256_LEN) ?
			     WHORL_CONTENT_CHANGED : WHORL_CONTENT_SAME;
	}
	fput(lf);
}

/*
 * Report once per (container, file, kind) and action: a refusal or a kill
 * is news even right after the same file was reported.
 */
static u64 whorl_dedup_key(const struct whorl_container *ct,
			   const struct whorl_file_obs *obs, u8 kind, u8 action)
{
	const struct inode *inode = d_inode(obs->real);
	u64 key = ct->cgroup_id;

	key = hash_64(key ^ (unsigned long)inode->i_sb, 64);
	key = hash_64(key ^ inode->i_ino, 64);
	return hash_64(key ^ kind ^ ((u64)action << 8), 64);
}

static void whorl_report_file(struct whorl_event *ev, struct whorl_file_obs *obs,
			      bool library, const struct whorl_container *ct,
			      char *buf)
{
	struct whorl_finding f = {
		.ev = ev,
		.subject = obs,
		.library = library,
		.ct = ct,
	};
	bool by_hash;

	whorl_overlay_finish(&obs->origin, whorl_file_user_path(obs->file));
	/* an upper-only file may have proved copied up or replaced: modified */
	if (obs->layer == WHORL_LAYER_ADDED)
		obs->layer = obs->origin.layer;
	f.hash_err = whorl_obs_fingerprint(obs, ct->cgroup_id);
	by_hash = whorl_obs_intel(obs, &f.intel);
	/* What enforce mode refuses is refused by its content, whatever churns. */
	if (by_hash && !obs->fp.partial &&
	    (f.intel.category == WHORL_INTEL_MALICIOUS ||
	     f.intel.category == WHORL_INTEL_CONTAINER_ESCAPE))
		whorl_cache_pin(d_inode(obs->real), &obs->fp);

	f.kind = whorl_finding_kind(ev->type, obs->layer, f.intel.category);
	/*
	 * Content that cannot be judged is reported, never just counted, and
	 * refused like known-bad content: unless intel names it anyway.
	 */
	if (f.hash_err && f.intel.category == WHORL_INTEL_NONE &&
	    f.kind != WHORL_KIND_FILELESS_EXECUTION)
		f.kind = WHORL_KIND_UNFINGERPRINTABLE;
	/* What a process that escaped its container runs: the escape, by behaviour. */
	if (ev->escaped && ev->type == WHORL_EVENT_EXEC)
		f.kind = WHORL_KIND_CONTAINER_ESCAPE;
	/*
	 * Enforcement never depends on which kinds are reported, and what it
	 * did is always reported: a refused or killed program is news.
	 */
	f.action = obs->action;
	if (f.action == WHORL_ACTION_NONE)
		f.action = whorl_enforce_late(ev, f.kind == WHORL_KIND_UNFINGERPRINTABLE ||
					      (by_hash &&
					       (f.intel.category == WHORL_INTEL_MALICIOUS ||
						f.intel.category == WHORL_INTEL_CONTAINER_ESCAPE)));
	if (f.kind == WHORL_KIND_NONE ||
	    (!whorl_kind_enabled(f.kind) && f.action == WHORL_ACTION_NONE))
		return;
	if (obs->layer == WHORL_LAYER_MODIFIED)
		whorl_obs_content(obs, &f);
	if (!whorl_dedup_admit(whorl_dedup_key(ct, obs, f.kind, f.action), &f.suppressed))
		return;

	if (library && ev->exe.file) {
		whorl_obs_fingerprint(&ev->exe, ct->cgroup_id);
		f.exe_fs = whorl_fs_path(ev->exe.file, buf + WHORL_PATH_MAX);
		whorl_layer_of(&ev->exe, buf + 3 * WHORL_PATH_MAX, &f.exe_layer);
	}
	f.subject_fs = whorl_fs_path(obs->file, buf);
	whorl_layer_of(obs, buf + 2 * WHORL_PATH_MAX, &f.subject_layer);
	f.id = atomic64_inc_return(&whorl_finding_ids);
	whorl_count(WHORL_CTR_FINDINGS_EMITTED);
	whorl_netlink_emit(&f);
}

/**
 * whorl_report_event - process one event from a hook.
 * @ev: the event; the caller frees it.
 *
 * Process context (the worker).
 */
void whorl_report_event(struct whorl_event *ev)
{
	struct whorl_container *ct;
	char *buf;
	u32 i;

	ct = kzalloc(sizeof(*ct), GFP_KERNEL);
	buf = kmalloc(4 * WHORL_PATH_MAX, GFP_KERNEL);
	if (!ct || !buf) {
		whorl_count(WHORL_CTR_WORK_DROPPED);
		goto out;
	}
	if (!ev->cgrp || whorl_container_resolve(ev->cgrp, ct))
		goto out;
	if (ct->runtime == WHORL_RUNTIME_NONE) {
		/* No id in the cgroup path: a container only if namespaced. */
		if (!ev->namespaced)
			goto out;
		ct->runtime = WHORL_RUNTIME_UNKNOWN;
	}

	for (i = 0; i < ev->nfiles; i++)
		if (ev->files[i].judge)
			whorl_report_file(ev, &ev->files[i], ev->type != WHORL_EVENT_EXEC,
					  ct, buf);
	/* the exec itself, after its findings: the program that runs, and the script */
	if (ev->type == WHORL_EVENT_EXEC && ev->xc.captured && ev->nfiles)
		whorl_netlink_emit_exec(ev, ct);
out:
	kfree(buf);
	kfree(ct);
}
