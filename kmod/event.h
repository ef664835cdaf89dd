/* SPDX-License-Identifier: GPL-2.0 */
/*
 * event.h - what a hook saw, snapshot in atomic context and finished by the
 * worker: hashing, layer checks that read xattrs, container resolution,
 * findings.
 */
#ifndef WHORL_EVENT_H
#define WHORL_EVENT_H

#include <linux/list.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "container.h"
#include "exec.h"
#include "fingerprint.h"
#include "intel.h"
#include "limits.h"
#include "overlay.h"

struct cgroup;
struct file;
struct linux_binprm;

/**
 * struct whorl_file_obs - one file the hook saw.
 * @file: the file (a reference).
 * @real: its real dentry at the hook (a reference); the cache key's inode.
 * @origin: its layer, as overlayfs tells it.
 * @layer: enum whorl_layer findings use (fileless overrides @origin's).
 * @fp: its fingerprint, when @fp_known.
 * @fp_known: from the cache at the hook, or computed by the worker.
 * @action: enum whorl_action taken at the hook.
 * @judge: a finding is possible: the worker judges it. An exec's file in an
 *	exec event only for its context is reported as it was seen, unhashed.
 * @path: as the process saw it (relative to its root).
 */
struct whorl_file_obs {
	struct file *file;
	struct dentry *real;
	struct whorl_origin origin;
	u8 layer;
	struct whorl_fp fp;
	bool fp_known;
	u8 action;
	bool judge;
	char path[WHORL_PATH_MAX];
};

/**
 * struct whorl_event - one exec or executable mapping in a container.
 * @work: the release queue's item, for a dropped event.
 * @qlink: in the workers' queue.
 * @node: in the pending-exec table until argv is read.
 * @task: for pending execs, the task that execs.
 * @bprm: for pending execs, its exec.
 * @since: for pending execs, jiffies when first seen.
 * @owner: the container (cgroup key) whose share of the queue it takes.
 * @type: enum whorl_event_type.
 * @time_ns: CLOCK_REALTIME at the hook.
 * @pid, @tgid, @ppid, @uid, @euid, @comm: the process.
 * @tgid_pid: a reference on the process, for a kill in enforce mode.
 * @cgrp: a reference on that cgroup.
 * @runtime: enum whorl_runtime from the cache, or NONE when unresolved.
 * @namespaced: non-initial mount and pid namespaces.
 * @escaped: the task was on the host's side, from a container's cgroup.
 * @nfiles: entries used in @files.
 * @files: exec: the script, interpreter(s), binary; map: the library.
 * @exe: map: the program that mapped the library (@exe.file may be NULL).
 * @args_len: bytes used in @args.
 * @args_truncated: argv was longer than @args.
 * @args: argv, NUL-separated.
 * @xc: an exec's context, for its exec event (exec.h).
 */
struct whorl_event {
	struct work_struct work;
	struct list_head qlink;
	struct hlist_node node;
	const struct task_struct *task;
	const struct linux_binprm *bprm;
	unsigned long since;
	u64 owner;
	u8 type;
	u64 time_ns;
	u32 pid, tgid, ppid, uid, euid;
	char comm[TASK_COMM_LEN];
	struct pid *tgid_pid;
	struct cgroup *cgrp;
	u8 runtime;
	bool namespaced;
	bool escaped;
	u32 nfiles;
	struct whorl_file_obs files[WHORL_EXEC_FILES_MAX];
	struct whorl_file_obs exe;
	u32 args_len;
	bool args_truncated;
	char args[WHORL_ARGS_MAX];
	struct whorl_exec_ctx xc;
};

/**
 * struct whorl_finding - what the worker hands netlink to deliver.
 * @kind: enum whorl_kind.
 * @action: enum whorl_action.
 * @id: kernel-wide finding number.
 * @ev: the event.
 * @subject: the offending file (in @ev).
 * @library: @subject is a library mapped by @ev->exe.
 * @ct: the container.
 * @intel: what intel says of @subject.
 * @content: enum whorl_content, for a modified @subject.
 * @lower_fp: the image copy's fingerprint, when @lower_known.
 * @lower_known: @lower_fp is set.
 * @suppressed: repeats suppressed since the last report of this key.
 * @subject_fs: @subject's path from the root of its filesystem, or NULL.
 * @exe_fs: for a library, the program's path from the root of its
 *	filesystem, or NULL.
 * @hash_err: for WHORL_KIND_UNFINGERPRINTABLE, the hash's -errno.
 */
/* The image layer a reported file came from: its directory, and its filesystem's device. */
struct whorl_layer_ref {
	const char *dir;
	dev_t dev;
};

struct whorl_finding {
	u8 kind;
	u8 action;
	u64 id;
	const struct whorl_event *ev;
	const struct whorl_file_obs *subject;
	bool library;
	const struct whorl_container *ct;
	struct whorl_intel_match intel;
	u8 content;
	struct whorl_fp lower_fp;
	bool lower_known;
	u32 suppressed;
	const char *subject_fs;
	const char *exe_fs;
	struct whorl_layer_ref subject_layer;
	struct whorl_layer_ref exe_layer;
	int hash_err;
};

/*
 * Atomic context: allocate an event for the current task, in the share of
 * @owner (its container's cgroup key). NULL: dropped (counted).
 */
struct whorl_event *whorl_event_alloc(u8 type, u64 owner);
/* Events alive now (see event.c), for status. */
unsigned int whorl_events_alive(void);
/*
 * Atomic context: add @file to @ev, taking references.
 * Return: the observation, or NULL when @ev is full.
 */
struct whorl_file_obs *whorl_event_add_file(struct whorl_event *ev,
					    struct whorl_file_obs *into,
					    struct file *file, struct dentry *real,
					    const struct whorl_origin *origin,
					    u8 layer, const struct whorl_fp *fp,
					    const char *path);
/* Any context: hand @ev to the worker (its place was taken at allocation). */
void whorl_event_queue(struct whorl_event *ev);
/* Process context: drop @ev and every reference it holds. */
void whorl_event_free(struct whorl_event *ev);
/* Atomic context: free an event that holds no reference yet. */
void whorl_event_discard(struct whorl_event *ev);

/* Exec pairing: files seen at bprm_check wait for argv at exec's end. */
/* Atomic context: park @ev (its ->task and ->bprm set) until argv is read. */
void whorl_exec_pending_add(struct whorl_event *ev);
/*
 * Atomic context: take @task's parked exec out of the table. An exec that
 * failed leaves one behind with another ->bprm: the caller drops it with
 * whorl_event_queue_drop().
 */
struct whorl_event *whorl_exec_pending_take(const struct task_struct *task);
/* Any context: is any exec parked? (A cheap test for the exec tracepoint.) */
bool whorl_exec_pending_any(void);
/* Any context: let the worker free @ev without reporting it. */
void whorl_event_queue_drop(struct whorl_event *ev);

/* The worker's processing of one event (event.c calls it; report.c). */
void whorl_report_event(struct whorl_event *ev);

int whorl_event_init(void);
/* Stop accepting work and drain it. Hooks must be gone already. */
void whorl_event_exit(void);

#endif /* WHORL_EVENT_H */
