/* SPDX-License-Identifier: GPL-2.0 */
/* netlink.h - the "whorl" generic netlink family. */
#ifndef WHORL_NETLINK_H
#define WHORL_NETLINK_H

struct whorl_container;
struct whorl_event;
struct whorl_finding;

/* Deliver @f to every subscriber. Process context. */
void whorl_netlink_emit(const struct whorl_finding *f);
/* Send @ev, an exec in container @ct with its context, to every subscriber. Process context. */
void whorl_netlink_emit_exec(const struct whorl_event *ev, const struct whorl_container *ct);

/* Does any socket subscribe? Any context (a hint: it may change as soon as read). */
bool whorl_netlink_listened(void);

int whorl_netlink_init(void);
void whorl_netlink_exit(void);

#endif /* WHORL_NETLINK_H */
