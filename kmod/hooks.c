// SPDX-License-Identifier: GPL-2.0
/*
 * hooks.c - the kprobes on exec (security_bprm_check) and on executable file
 * mappings (security_mmap_file, security_file_mprotect), and the exec
 * tracepoint that reads argv once the new program's stack exists.
 *
 * Every handler here runs in the hooked task, in atomic context (preemption
 * off): it decides from cached facts whether a finding is possible at all,
 * and if so snapshots the task and the file and takes references; hashing,
 * xattrs and messages are the worker's (report.c). No exec or mmap waits.
 */

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/binfmts.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/kprobes.h>
#include <linux/linkage.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/netlink.h>
#include <linux/nsproxy.h>
#include <linux/objtool.h>
#include <linux/percpu.h>
#include <linux/pid_namespace.h>
#include <linux/sched/task.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>

#include "cache.h"
#include "container.h"
#include "event.h"
#include "exec.h"
#include "finding.h"
#include "hooks.h"
#include "intel.h"
#include "memo.h"
#include "overlay.h"
#include "params.h"
#include "stats.h"

/* Scratch for a path: handlers run with preemption off and do not nest. */
static DEFINE_PER_CPU(char[WHORL_PATH_MAX], whorl_path_scratch);

/**
 * struct whorl_ctx - the current task's container, as far as a hook knows.
 * @cgroup_key: its cgroup's whorl_cgroup_key().
 * @runtime: enum whorl_runtime from the cache (NONE if not cached).
 * @namespaced: non-initial mount and pid namespaces.
 * @escaped: on the host's side, from a container's cgroup (whorl_escaped()).
 */
struct whorl_ctx {
	u64 cgroup_key;
	u8 runtime;
	bool namespaced;
	bool escaped;
};

/* @task's root (a snapshot: chroot() and pivot_root() write it under fs->seq). */
static bool whorl_root_of(struct task_struct *task, struct path *root)
{
	struct fs_struct *fs = task->fs;
	unsigned int seq;

	if (!fs)
		return false;
	do {
		seq = whorl_fs_read_begin(fs);
		*root = fs->root;
	} while (whorl_fs_read_retry(fs, seq));
	return true;
}

/*
 * The root of the host's init (pid 1) when the hooks were set up: after an
 * initramfs's switch_root it is not the kernel's own tasks' root. Compared,
 * never dereferenced.
 */
static struct path whorl_init_root;

/*
 * Is the current task on the host's side: in the initial mount namespace,
 * or rooted where the host's init or the kernel's own tasks are (what
 * `chroot /proc/1/root` gives)? Atomic.
 */
static bool whorl_on_host(void)
{
	struct nsproxy *ns = current->nsproxy;
	struct path root;

	if (!ns || ns->mnt_ns == init_task.nsproxy->mnt_ns)
		return true;
	if (!whorl_root_of(current, &root))
		return true;
	return (root.mnt == init_task.fs->root.mnt &&
		root.dentry == init_task.fs->root.dentry) ||
	       (root.mnt == whorl_init_root.mnt &&
		root.dentry == whorl_init_root.dentry);
}

/*
 * Is the current task running a container runtime's own program: runc (or
 * the copy of itself runc init executes from a memfd), crun, youki, conmon,
 * a containerd shim? Those run in a container's cgroup on the host's side
 * before they enter the container. Atomic.
 */
static bool whorl_runtime_program(void)
{
	static const char *const runtimes[] = {
		"runc", "memfd:runc_cloned", "crun", "youki", "conmon",
		"containerd-shim",
	};
	struct name_snapshot name;
	struct file *exe;
	unsigned int i;
	bool runtime = false;

	exe = whorl_mm_exe_file(current->mm);
	if (!exe)
		return false;
	take_dentry_name_snapshot(&name, whorl_file_user_path(exe)->dentry);
	for (i = 0; i < ARRAY_SIZE(runtimes) && !runtime; i++)
		runtime = !strncmp(name.name.name, runtimes[i], strlen(runtimes[i]));
	release_dentry_name_snapshot(&name);
	fput(exe);
	return runtime;
}

/*
 * A task on the host's side (whorl_on_host()) whose cgroup is a known
 * container's has escaped it (nsenter -t 1 -m, chroot /proc/1/root from a
 * privileged or hostPID container): unless it runs the runtime's own
 * program, as runc init does before pivot_root (and its memfd self-exec),
 * and crun's child before it executes the container's entrypoint. An
 * escaped process is running the attacker's program when it leaves, so the
 * exec that leaves is seen whatever it is named. Atomic.
 */
static bool whorl_escaped(void)
{
	u8 runtime;
	u64 key;

	rcu_read_lock();
	key = whorl_cgroup_key(whorl_task_cgroup(current));
	rcu_read_unlock();
	return whorl_container_peek(key, &runtime) &&
	       runtime != WHORL_RUNTIME_NONE && !whorl_runtime_program();
}

/*
 * Is the file at @path outside the current task's overlayfs root: a volume
 * or bind mount (hostPath, emptyDir, PVC), whatever the container did with
 * its image? Only for a task whose root is an overlayfs (a container's image
 * mount). Atomic.
 */
static bool whorl_on_volume(const struct path *path)
{
	const struct super_block *root_sb;
	struct path root;

	if (!whorl_root_of(current, &root))
		return false;
	root_sb = root.dentry->d_sb;
	return root_sb->s_magic == OVERLAYFS_SUPER_MAGIC &&
	       path->dentry->d_sb != root_sb;
}

static bool whorl_namespaced(void)
{
	struct nsproxy *ns = current->nsproxy;

	return ns && ns->mnt_ns != init_task.nsproxy->mnt_ns &&
	       ns_of_pid(task_pid(current)) != &init_pid_ns;
}

/*
 * Atomic. Return: true for a task whorl does not judge: a kernel thread, or
 * a task on the host's side that has not escaped a container (@escaped says
 * whether it has).
 */
static bool whorl_task_outside(bool *escaped)
{
	*escaped = false;
	if ((current->flags & PF_KTHREAD) || !current->mm)
		return true;
	if (!whorl_on_host())
		return false;
	*escaped = whorl_escaped();
	return !*escaped;
}

/*
 * Atomic; after whorl_task_outside() said no. Return: false when the
 * current task is surely not in a container.
 */
static bool whorl_ctx_get(struct whorl_ctx *ctx, bool escaped)
{
	bool cached;

	memset(ctx, 0, sizeof(*ctx));
	ctx->escaped = escaped;
	ctx->namespaced = whorl_namespaced();

	rcu_read_lock();
	ctx->cgroup_key = whorl_cgroup_key(whorl_task_cgroup(current));
	rcu_read_unlock();
	cached = whorl_container_peek(ctx->cgroup_key, &ctx->runtime);

	if (cached && ctx->runtime == WHORL_RUNTIME_NONE) {
		if (!ctx->namespaced)
			return false;
		ctx->runtime = WHORL_RUNTIME_UNKNOWN;
	}
	whorl_count(WHORL_CTR_CONTAINER_EVENTS);
	return true;
}

/* Give @ev the context's facts and a reference on the task's cgroup. */
static void whorl_ctx_give(const struct whorl_ctx *ctx, struct whorl_event *ev)
{
	struct cgroup *cgrp;

	rcu_read_lock();
	cgrp = whorl_task_cgroup(current);
	/* it may be on its way out, its last task moving (cgroup_sk_alloc()) */
	if (!cgroup_tryget(cgrp))
		cgrp = NULL;
	rcu_read_unlock();
	ev->cgrp = cgrp;
	ev->tgid_pid = get_task_pid(current, PIDTYPE_TGID);
	ev->runtime = ctx->runtime;
	ev->namespaced = ctx->namespaced;
	ev->escaped = ctx->escaped;
}

static void whorl_task_snapshot(struct whorl_event *ev)
{
	const struct cred *cred = current_cred();

	ev->time_ns = ktime_get_real_ns();
	ev->pid = current->pid;
	ev->tgid = current->tgid;
	rcu_read_lock();
	ev->ppid = task_tgid_nr(rcu_dereference(current->real_parent));
	rcu_read_unlock();
	ev->uid = from_kuid_munged(&init_user_ns, cred->uid);
	ev->euid = from_kuid_munged(&init_user_ns, cred->euid);
	strscpy(ev->comm, current->comm, sizeof(ev->comm));
}

/* argv of the current task, bounded, without faulting pages in. */
static void whorl_args_snapshot(struct whorl_event *ev)
{
	struct mm_struct *mm = current->mm;
	unsigned long start, end, len;

	if (!mm)
		return;
	start = READ_ONCE(mm->arg_start);
	end = READ_ONCE(mm->arg_end);
	if (end <= start)
		return;
	len = end - start;
	if (len > sizeof(ev->args)) {
		len = sizeof(ev->args);
		ev->args_truncated = true;
	}
	if (copy_from_user_nofault(ev->args, (const void __user *)start, len)) {
		ev->args_len = 0;
		return;
	}
	ev->args[len - 1] = '\0';
	ev->args_len = len;
}

/**
 * struct whorl_look - one file, as the hook sees it.
 * @deny: enforce mode, and the cached fingerprint is known-bad: refuse.
 * @upath: the path the user opened.
 * @real: the real (underlying) dentry.
 * @origin: its layer.
 * @layer: the layer findings use (fileless overrides the overlay's).
 * @fp: the cached fingerprint, when @fp_known.
 * @fp_known: the cache had a valid one.
 * @regular: the file is a regular file: everything else here is filled.
 * @path: the path as the process sees it (per-CPU scratch), NULL until
 *	whorl_look_path() builds it.
 */
struct whorl_look {
	const struct path *upath;
	struct dentry *real;
	struct whorl_origin origin;
	u8 layer;
	struct whorl_fp fp;
	bool fp_known;
	bool deny;
	bool regular;
	char *path;
};

static bool whorl_name_rule(const struct path *upath,
			    struct whorl_intel_match *m)
{
	struct name_snapshot name;
	bool hit;

	take_dentry_name_snapshot(&name, upath->dentry);
	hit = whorl_intel_lookup_name(name.name.name, m);
	release_dentry_name_snapshot(&name);
	return hit;
}

/*
 * Fill @lk for @file and say whether any enabled finding is possible, from
 * what is known here: the cached fingerprint, intel, the layer.
 */
/*
 * The path as the process sees it, in this CPU's scratch buffer: built only
 * for a file that is reported (or on tmpfs, to tell /dev/shm), as d_path()
 * is a good part of what a look costs.
 */
static const char *whorl_look_path(struct whorl_look *lk)
{
	char *p;

	if (lk->path)
		return lk->path;
	lk->path = this_cpu_ptr(whorl_path_scratch);
	p = d_path(lk->upath, lk->path, WHORL_PATH_MAX);
	if (IS_ERR(p))
		strscpy(lk->path, "?", WHORL_PATH_MAX);
	else if (p != lk->path)
		memmove(lk->path, p, strlen(p) + 1);
	return lk->path;
}

static bool whorl_look(u8 type, struct file *file, bool can_deny,
		       struct whorl_look *lk)
{
	struct whorl_intel_match m;
	struct inode *real_inode;
	u8 intel = WHORL_INTEL_NONE;
	u8 kind;

	lk->upath = whorl_file_user_path(file);
	lk->path = NULL;
	lk->real = whorl_d_real_meta(lk->upath->dentry);
	real_inode = d_inode(lk->real);
	lk->regular = real_inode && S_ISREG(real_inode->i_mode);
	if (!lk->regular)
		return false;

	whorl_overlay_classify(lk->upath, &lk->origin);
	lk->layer = lk->origin.layer;
	if (lk->layer == WHORL_LAYER_UNKNOWN && whorl_on_volume(lk->upath))
		lk->layer = WHORL_LAYER_VOLUME;
	if (whorl_path_nameless(lk->upath) ||
	    (lk->upath->dentry->d_sb->s_magic == TMPFS_MAGIC &&
	     !strncmp(whorl_look_path(lk), "/dev/shm/", 9)))
		lk->layer = WHORL_LAYER_FILELESS;

	lk->deny = false;
	lk->fp_known = whorl_cache_peek(real_inode, &lk->fp);
	if (lk->fp_known && whorl_intel_lookup_hash(lk->fp.sha256, &m)) {
		intel = m.category;
		/* Only a known hash, never a name or a cache miss, refuses. */
		lk->deny = can_deny &&
			   READ_ONCE(whorl_mode) == WHORL_MODE_ENFORCE &&
			   (intel == WHORL_INTEL_MALICIOUS ||
			    intel == WHORL_INTEL_CONTAINER_ESCAPE);
		/* A refusal never depends on which kinds are reported. */
		if (lk->deny)
			return true;
	} else if (whorl_intel_has_rules() && whorl_name_rule(lk->upath, &m))
		intel = m.category;

	/* Unknown content and a non-empty intel set: only a hash can tell. */
	if (!lk->fp_known && intel == WHORL_INTEL_NONE && !whorl_intel_is_empty())
		return true;

	kind = whorl_finding_kind(type, lk->layer, intel);
	if (whorl_kind_enabled(kind))
		return true;
	/* An upper-only file may yet prove copied up: modified. */
	return lk->origin.check_origin &&
	       whorl_kind_enabled(whorl_finding_kind(type, WHORL_LAYER_MODIFIED,
						     intel));
}

static struct whorl_file_obs *whorl_add_look(struct whorl_event *ev,
					     struct whorl_file_obs *into,
					     struct file *file, struct whorl_look *lk)
{
	struct whorl_file_obs *obs;

	obs = whorl_event_add_file(ev, into, file, lk->real, &lk->origin,
				   lk->layer, lk->fp_known ? &lk->fp : NULL,
				   whorl_look_path(lk));
	if (obs && lk->deny) {
		obs->action = WHORL_ACTION_DENIED;
		whorl_count(WHORL_CTR_DENIED);
	}
	return obs;
}

/*
 * An exec of @bprm by the current task, at security_bprm_check(). Atomic
 * context. Return: true to refuse it (only when @can_deny: the probe can
 * change the hook's answer, and enforce mode knows the fingerprint is bad).
 */
static bool whorl_observe_exec(struct linux_binprm *bprm, bool can_deny)
{
	struct whorl_file_obs *obs;
	struct whorl_event *ev;
	bool judge;
	struct whorl_look lk;
	struct whorl_ctx ctx;
	bool escaped;

	whorl_count(WHORL_CTR_HOOK_EXEC);
	if (!bprm || !bprm->file || whorl_task_outside(&escaped) ||
	    !whorl_ctx_get(&ctx, escaped))
		return false;
	/*
	 * The first pass of an exec: only a #! script or binfmt_misc changes
	 * ->interp (bprm_change_interp()), so it is still the name exec was
	 * given. Whatever this task has parked is from an exec that failed,
	 * whose bprm may have been freed and its address reused by this one.
	 */
	if (bprm->interp == bprm->filename) {
		ev = whorl_exec_pending_take(current);
		if (ev)
			whorl_event_queue_drop(ev);
	}
	/*
	 * Whatever an escaped process runs is reported: the escape is the news.
	 * With exec events on, every exec is, for its context, judged or not.
	 */
	judge = whorl_look(WHORL_EVENT_EXEC, bprm->file, can_deny, &lk) ||
		(ctx.escaped && lk.regular);
	if (!judge && !(lk.regular && whorl_exec_events_active()))
		return false;

	/* A script and its interpreter(s) pass here in turn: one event. */
	ev = whorl_exec_pending_take(current);
	if (ev && ev->bprm != bprm) {
		whorl_event_queue_drop(ev);	/* a failed earlier exec */
		ev = NULL;
	}
	if (!ev) {
		ev = whorl_event_alloc(WHORL_EVENT_EXEC, ctx.cgroup_key);
		if (!ev)
			return lk.deny;
		ev->task = current;
		ev->bprm = bprm;
		ev->since = jiffies;
		whorl_ctx_give(&ctx, ev);
	}
	obs = whorl_add_look(ev, NULL, bprm->file, &lk);
	if (obs)
		obs->judge = judge;
	if (lk.deny) {
		/* A refused exec never reaches the tracepoint: report it now. */
		whorl_task_snapshot(ev);
		whorl_event_queue(ev);
	} else {
		whorl_exec_pending_add(ev);
	}
	return lk.deny;
}

/*
 * Tracepoint sched_process_exec: the exec succeeded and current->mm is the
 * new program's, argv on its stack. Atomic context.
 */
static void probe_sched_process_exec(void *data, struct task_struct *p,
				     pid_t old_pid, struct linux_binprm *bprm)
{
	struct whorl_event *ev;

	if (!whorl_exec_pending_any())
		return;
	ev = whorl_exec_pending_take(current);
	if (!ev)
		return;
	if (ev->bprm != bprm) {
		whorl_event_queue_drop(ev);
		return;
	}
	whorl_task_snapshot(ev);
	whorl_args_snapshot(ev);
	if (whorl_exec_events_active())
		whorl_exec_capture(ev);
	whorl_event_queue(ev);
}

/*
 * An executable mapping of @file by the current task. Atomic context.
 * Return: true to refuse it (as whorl_observe_exec()).
 */
static bool whorl_observe_map(u8 type, struct file *file, bool can_deny)
{
	struct whorl_memo_key key;
	struct whorl_event *ev;
	struct file *exe = NULL;
	struct whorl_look lk;
	struct whorl_ctx ctx;
	bool own_program, memo, escaped;

	/*
	 * The same unchanged library mapped again: judged already, to need no
	 * event, whoever maps it (a task outside any container needs none
	 * either). First, since it is the common case of a container's
	 * mappings: it spares them the look at the task's root.
	 */
	memo = whorl_memo_key(file, &key);
	if (memo && whorl_memo_hit(&key)) {
		whorl_count(WHORL_CTR_MAP_MEMO_HITS);
		return false;
	}
	if (whorl_task_outside(&escaped))
		return false;
	if (!whorl_ctx_get(&ctx, escaped))
		return false;

	/*
	 * The kernel mapping the program itself during its exec: not a
	 * library, and judged as the exec. Only then: create_elf_tables()
	 * sets arg_end after the program and its interpreter are mapped, and
	 * prctl(PR_SET_MM*) never sets it below mmap_min_addr, while it can
	 * point exe_file at any file the process then maps.
	 */
	if (!READ_ONCE(current->mm->arg_end)) {
		rcu_read_lock();
		exe = rcu_dereference(current->mm->exe_file);
		own_program = exe && whorl_file_user_path(exe)->dentry ==
				     whorl_file_user_path(file)->dentry;
		rcu_read_unlock();
		if (own_program)
			return false;
	}
	if (!whorl_look(type, file, can_deny, &lk)) {
		if (memo)
			whorl_memo_remember(&key);
		return false;
	}

	ev = whorl_event_alloc(type, ctx.cgroup_key);
	if (!ev)
		return lk.deny;
	whorl_ctx_give(&ctx, ev);
	whorl_task_snapshot(ev);
	whorl_args_snapshot(ev);
	whorl_add_look(ev, NULL, file, &lk);

	exe = whorl_mm_exe_file(current->mm);
	if (exe) {
		struct whorl_look elk;

		/* The program is reported, not judged: its look is advisory. */
		whorl_look(WHORL_EVENT_EXEC, exe, false, &elk);
		if (d_inode(elk.real))
			whorl_add_look(ev, &ev->exe, exe, &elk);
		fput(exe);
	}
	whorl_event_queue(ev);
	return lk.deny;
}

/* security_mmap_file(file, prot, flags): an executable mapping is new code. */
static bool whorl_observe_mmap(struct pt_regs *regs, bool can_deny)
{
	struct file *file = (struct file *)regs_get_kernel_argument(regs, 0);
	unsigned long prot = regs_get_kernel_argument(regs, 1);

	whorl_count(WHORL_CTR_HOOK_MMAP);
	/* An unreadable file cannot be mapped: do_mmap() will refuse it. */
	return file && (prot & PROT_EXEC) && (file->f_mode & FMODE_READ) &&
	       whorl_observe_map(WHORL_EVENT_MMAP, file, can_deny);
}
NOKPROBE_SYMBOL(whorl_observe_mmap);

/* security_file_mprotect(vma, reqprot, prot): only gaining PROT_EXEC is new code. */
static bool whorl_observe_mprotect(struct pt_regs *regs, bool can_deny)
{
	struct vm_area_struct *vma =
		(struct vm_area_struct *)regs_get_kernel_argument(regs, 0);
	unsigned long prot = regs_get_kernel_argument(regs, 2);

	whorl_count(WHORL_CTR_HOOK_MPROTECT);
	return vma && vma->vm_file && (prot & PROT_EXEC) &&
	       !(vma->vm_flags & VM_EXEC) &&
	       whorl_observe_map(WHORL_EVENT_MPROTECT, vma->vm_file, can_deny);
}
NOKPROBE_SYMBOL(whorl_observe_mprotect);

static bool whorl_observe_bprm(struct pt_regs *regs, bool can_deny)
{
	return whorl_observe_exec((struct linux_binprm *)
				  regs_get_kernel_argument(regs, 0), can_deny);
}
NOKPROBE_SYMBOL(whorl_observe_bprm);

/*
 * Refusing a call: the kprobe at the hooked function's entry sends it
 * straight back to its caller with -EPERM, before any of it runs (what the
 * kernel's own error injection does). A plain kprobe has no instance to run
 * out of, unlike the kretprobe this replaces: however many tasks sleep inside
 * the hooked functions at once (a fork bomb of execs under IMA), every call
 * is judged, in detect and enforce mode alike, by the same probes; the mode
 * is read at each call. x86-64 only, as the module is.
 */
#ifndef CONFIG_X86_64
#error "whorl's hooks return from a probed function on x86-64 only"
#endif
asmlinkage void whorl_refused_return(void);
asm(".pushsection .text, \"ax\"\n"
    ".type whorl_refused_return, @function\n"
    "whorl_refused_return:\n"
	ANNOTATE_NOENDBR "\n"	/* 7.x's ends without a newline */
	ASM_RET
    ".size whorl_refused_return, .-whorl_refused_return\n"
    ".popsection\n");

/*
 * The hooked function's entry. Atomic context. Return: 1 when the call is
 * refused (the instruction pointer was changed: kprobes must not step the
 * probed instruction), else 0.
 */
#define WHORL_KPROBE_HANDLER(name, observe)				\
static int name(struct kprobe *p, struct pt_regs *regs)		\
{									\
	if (!observe(regs, READ_ONCE(whorl_mode) == WHORL_MODE_ENFORCE)) \
		return 0;						\
	regs_set_return_value(regs, -EPERM);				\
	instruction_pointer_set(regs, (unsigned long)whorl_refused_return); \
	return 1;							\
}									\
NOKPROBE_SYMBOL(name)

WHORL_KPROBE_HANDLER(kprobe_bprm_check, whorl_observe_bprm);
WHORL_KPROBE_HANDLER(kprobe_mmap_file, whorl_observe_mmap);
WHORL_KPROBE_HANDLER(kprobe_file_mprotect, whorl_observe_mprotect);

/*
 * A post handler, which never runs on a refused call, only so that kprobes
 * on ftrace arm these probes with FTRACE_OPS_FL_IPMODIFY: another user that
 * changes the instruction pointer of the same function (a live patch) then
 * conflicts loudly at registration instead of silently.
 */
static void kprobe_post_nop(struct kprobe *p, struct pt_regs *regs,
			    unsigned long flags)
{
}
NOKPROBE_SYMBOL(kprobe_post_nop);

static const struct {
	const char *symbol;
	kprobe_pre_handler_t handler;
} whorl_hooks[] = {
	{ "security_bprm_check", kprobe_bprm_check },
	{ "security_mmap_file", kprobe_mmap_file },
	{ "security_file_mprotect", kprobe_file_mprotect },
};

#define WHORL_HOOKS ARRAY_SIZE(whorl_hooks)

static struct kprobe whorl_kprobes[WHORL_HOOKS];
static struct kprobe *whorl_kprobe_ptrs[WHORL_HOOKS];

/**
 * whorl_hooks_missed - calls the probes did not see: kprobes counts a hit
 * it could not handle (one probe firing inside another's handler).
 * Any context.
 */
u64 whorl_hooks_missed(void)
{
	u64 missed = 0;
	unsigned int i;

	for (i = 0; i < WHORL_HOOKS; i++)
		missed += READ_ONCE(whorl_kprobes[i].nmissed);
	return missed;
}

/**
 * whorl_hooks_set_mode - switch between detecting and enforcing.
 * @mode: enum whorl_mode.
 * @extack: unused: a switch cannot fail.
 *
 * The probes read the mode at each call. Any context. Return: 0.
 */
int whorl_hooks_set_mode(u8 mode, struct netlink_ext_ack *extack)
{
	WRITE_ONCE(whorl_mode, mode);
	return 0;
}

static struct tracepoint *whorl_tp_exec;

static void whorl_find_tracepoint(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exec"))
		*(struct tracepoint **)priv = tp;
}

int whorl_hooks_init(void)
{
	struct task_struct *init;
	unsigned int i;
	int err;

	rcu_read_lock();
	init = READ_ONCE(init_pid_ns.child_reaper);
	if (!init || !whorl_root_of(init, &whorl_init_root))
		whorl_init_root = init_task.fs->root;
	rcu_read_unlock();

	for_each_kernel_tracepoint(whorl_find_tracepoint, &whorl_tp_exec);
	if (!whorl_tp_exec) {
		pr_err("whorl: tracepoint sched_process_exec not found\n");
		return -ENOENT;
	}
	err = tracepoint_probe_register(whorl_tp_exec, probe_sched_process_exec,
					NULL);
	if (err) {
		pr_err("whorl: cannot attach to sched_process_exec: %d\n", err);
		return err;
	}

	memset(whorl_kprobes, 0, sizeof(whorl_kprobes));
	for (i = 0; i < WHORL_HOOKS; i++) {
		whorl_kprobes[i].symbol_name = whorl_hooks[i].symbol;
		whorl_kprobes[i].pre_handler = whorl_hooks[i].handler;
		whorl_kprobes[i].post_handler = kprobe_post_nop;
		whorl_kprobe_ptrs[i] = &whorl_kprobes[i];
	}
	err = register_kprobes(whorl_kprobe_ptrs, WHORL_HOOKS);
	if (err) {
		pr_err("whorl: cannot register kprobes: %d\n", err);
		goto err_tracepoint;
	}
	return 0;

err_tracepoint:
	tracepoint_probe_unregister(whorl_tp_exec, probe_sched_process_exec,
				    NULL);
	tracepoint_synchronize_unregister();
	return err;
}

void whorl_hooks_exit(void)
{
	/* Waits until no handler runs. */
	unregister_kprobes(whorl_kprobe_ptrs, WHORL_HOOKS);
	tracepoint_probe_unregister(whorl_tp_exec, probe_sched_process_exec,
				    NULL);
	tracepoint_synchronize_unregister();
}
