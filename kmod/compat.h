/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - the one place where kernel versions differ, force-included in
 * every whorl source. Feature macros come from compat-probe.sh, which greps
 * the target tree; nothing else in the module tests a kernel version, except
 * overlay.c's guarded reading of overlayfs's private layout.
 */
#ifndef WHORL_COMPAT_H
#define WHORL_COMPAT_H

#include <linux/version.h>

#include "compat-probed.h"

#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)
#error "whorl supports Linux 5.10 and later (tested: Debian's 5.10, 6.1, 6.12, 7.2 and 7.3)"
#endif

/*
 * The hooks allocate (GFP_ATOMIC) and take spinlocks from kprobe handlers,
 * where preemption is off: on PREEMPT_RT both may sleep. Kbuild builds only
 * kmod/unsupported.c there (a module that refuses to load, with the reason);
 * the real sources never compile for such a kernel.
 */
#if defined(CONFIG_PREEMPT_RT) && !defined(WHORL_UNSUPPORTED_KERNEL)
#error "whorl does not support PREEMPT_RT kernels: its kprobe handlers allocate and lock with preemption off (install the module on a non-RT kernel)"
#endif

/*
 * <kunit/visibility.h> came in 6.2; before it kmod/compat-include's empty
 * stand-in is what sources include, and the macros are the kernel's own.
 */
#ifndef WHORL_HAVE_KUNIT_VISIBILITY
#if IS_ENABLED(CONFIG_KUNIT)
#define VISIBLE_IF_KUNIT
#define EXPORT_SYMBOL_IF_KUNIT(symbol) EXPORT_SYMBOL_NS(symbol, EXPORTED_FOR_KUNIT_TESTING)
#else
#define VISIBLE_IF_KUNIT static
#define EXPORT_SYMBOL_IF_KUNIT(symbol)
#endif
#endif

/*
 * Generic netlink: 6.1 added the family's resv_start_op (commands from it on
 * are validated strictly; before it every small op is, unless flagged) and
 * GENL_REQ_ATTR_CHECK (a missing attribute reported through extack).
 */
#ifdef WHORL_HAVE_GENL_RESV_START_OP
#define WHORL_GENL_RESV_START_OP(op) .resv_start_op = (op),
#else
#define WHORL_GENL_RESV_START_OP(op)
#endif
#ifndef WHORL_HAVE_GENL_REQ_ATTR_CHECK
#define GENL_REQ_ATTR_CHECK(info, attr) ({					\
	bool __missing = !(info)->attrs[(attr)];				\
										\
	if (__missing)								\
		NL_SET_ERR_MSG((info)->extack, "required attribute missing");	\
	__missing;								\
})
#endif

/*
 * A lockless snapshot of a task's fs_struct (root, pwd): 6.14 folded its
 * spinlock and seqcount into one seqlock_t. Both reads spin only while a
 * writer is inside, never sleep: fine from a kprobe.
 */
/* 5.17 renamed the exit of a thread that holds its module. */
#ifdef WHORL_HAVE_MODULE_PUT_AND_KTHREAD_EXIT
#define whorl_module_put_and_kthread_exit(code) module_put_and_kthread_exit(code)
#else
#define whorl_module_put_and_kthread_exit(code) module_put_and_exit(code)
#endif

#ifdef WHORL_HAVE_FS_STRUCT_SEQLOCK
#define whorl_fs_read_begin(fs) read_seqbegin(&(fs)->seq)
#define whorl_fs_read_retry(fs, seq) read_seqretry(&(fs)->seq, (seq))
#else
#define whorl_fs_read_begin(fs) read_seqcount_begin(&(fs)->seq)
#define whorl_fs_read_retry(fs, seq) read_seqcount_retry(&(fs)->seq, (seq))
#endif

#ifndef __ASSEMBLY__
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/namei.h>
#include <linux/rcupdate.h>

/*
 * The real (underlying) dentry of an overlayfs dentry without any lookup or
 * lock: safe from a kprobe. 6.10 added a type argument; its DATA variant may
 * do a lazy lookup, METADATA never does.
 */
static inline struct dentry *whorl_d_real_meta(struct dentry *dentry)
{
#ifdef WHORL_HAVE_D_REAL_TYPE
	return d_real(dentry, D_REAL_METADATA);
#else
	return d_real(dentry, NULL);
#endif
}

/*
 * The path the user opened. Since 6.8 a mapping of an overlayfs file holds a
 * "backing file" whose f_path is the real file on a private mount.
 */
static inline const struct path *whorl_file_user_path(const struct file *file)
{
#ifdef WHORL_HAVE_BACKING_FILE
	return file_user_path((struct file *)file);
#else
	return &file->f_path;
#endif
}

/*
 * Look @name up in @base, which the caller holds, taking its lock itself.
 * 6.16 renamed the permission-less lookups and made them take a qstr.
 */
static inline struct dentry *whorl_lookup_unlocked(struct qstr *name, struct dentry *base)
{
#ifdef WHORL_HAVE_LOOKUP_NOPERM
	return lookup_noperm_unlocked(name, base);
#else
	return lookup_one_len_unlocked((const char *)name->name, base, name->len);
#endif
}

static inline s64 whorl_inode_mtime_ns(const struct inode *inode)
{
#ifdef WHORL_HAVE_INODE_TIME_ACCESSORS
	return timespec64_to_ns(&(struct timespec64){
		.tv_sec = inode_get_mtime_sec(inode),
		.tv_nsec = inode_get_mtime_nsec(inode) });
#else
	return timespec64_to_ns(&inode->i_mtime);
#endif
}

static inline s64 whorl_inode_ctime_ns(const struct inode *inode)
{
#ifdef WHORL_HAVE_INODE_TIME_ACCESSORS
	return timespec64_to_ns(&(struct timespec64){
		.tv_sec = inode_get_ctime_sec(inode),
		.tv_nsec = inode_get_ctime_nsec(inode) });
#elif defined(WHORL_HAVE_INODE_GET_CTIME)
	struct timespec64 ts = inode_get_ctime(inode);

	return timespec64_to_ns(&ts);
#else
	return timespec64_to_ns(&inode->i_ctime);
#endif
}

/*
 * A reference to the program @mm runs, from atomic context. get_mm_exe_file()
 * is not exported; 6.7 changed get_file_rcu() to take the __rcu pointer.
 */
static inline struct file *whorl_mm_exe_file(struct mm_struct *mm)
{
	struct file *file;

	rcu_read_lock();
#ifdef WHORL_HAVE_GET_FILE_RCU_PTR
	file = get_file_rcu(&mm->exe_file);
#else
	file = rcu_dereference(mm->exe_file);
	if (file && !get_file_rcu(file))
		file = NULL;
#endif
	rcu_read_unlock();
	return file;
}
#endif /* __ASSEMBLY__ */

#endif /* WHORL_COMPAT_H */
