/* SPDX-License-Identifier: GPL-2.0 */
/* hooks.h - attach to and detach from exec and executable mappings. */
#ifndef WHORL_HOOKS_H
#define WHORL_HOOKS_H

#include <linux/types.h>

struct netlink_ext_ack;

int whorl_hooks_set_mode(u8 mode, struct netlink_ext_ack *extack);
/* Calls the probes missed (kprobes' nmissed, summed). Any context. */
u64 whorl_hooks_missed(void);
int whorl_hooks_init(void);
void whorl_hooks_exit(void);

#endif /* WHORL_HOOKS_H */
