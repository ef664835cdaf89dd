// SPDX-License-Identifier: GPL-2.0
/*
 * unsupported.c - whorl.ko as built for a kernel whorl cannot run on: PREEMPT_RT.
 *
 * The hooks allocate (GFP_ATOMIC) and take spinlocks from kprobe handlers, where
 * preemption is off; on PREEMPT_RT the allocator and spinlock_t may sleep, so the
 * real module would corrupt or splat there. For such a kernel Kbuild compiles this
 * file alone: the build succeeds (DKMS's autoinstall, run by every kernel package,
 * does not fail a kernel upgrade), and loading fails, saying why, where the operator
 * looks: modprobe's error, the kernel log, and the unit that loads whorl.
 */
#include <linux/module.h>
#include <linux/printk.h>

static int __init whorl_unsupported_init(void)
{
	pr_err("whorl: not loaded: PREEMPT_RT kernels are not supported (the kprobe handlers allocate and lock with preemption off); run whorl on a kernel without PREEMPT_RT\n");
	return -EOPNOTSUPP;
}
module_init(whorl_unsupported_init);

MODULE_LICENSE("GPL");
MODULE_VERSION(WHORL_VERSION);
MODULE_DESCRIPTION("whorl (unsupported kernel: PREEMPT_RT; refuses to load)");
MODULE_AUTHOR("The whorl authors");
