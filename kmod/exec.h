/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exec.h - the context of an exec in a container (WHORL_CMD_EXEC): who ran
 * what, from where (the working directory), with what on its standard
 * descriptors (a terminal, a pipe, a socket and its peer), with which of the
 * allow-listed environment variables, and which exec of its parent's made it.
 */
#ifndef WHORL_EXEC_H
#define WHORL_EXEC_H

#include <linux/types.h>

#include "limits.h"

struct netlink_ext_ack;
struct nlattr;
struct sk_buff;
struct whorl_event;

/* One standard descriptor at exec. */
struct whorl_stdio {
	bool open;
	u8 type;		/* enum whorl_stdio_type */
	u8 family;		/* AF_INET, AF_INET6, or 0 */
	u8 proto;
	bool connected;
	u16 lport, rport;
	u8 laddr[16], raddr[16];
};

/* The exec's context, part of its event. */
struct whorl_exec_ctx {
	bool captured;
	bool env_incomplete;
	u8 nenv;
	u16 env_len;
	u16 env_cut;		/* bit i: entry i's value was longer than kept */
	u32 gid;
	u64 start_ns, exec_seq, parent_start_ns, parent_exec_seq;
	struct whorl_stdio stdio[3];
	char env[WHORL_ENV_BUF];	/* entries "NAME\0VALUE\0", in the environment's order */
	char cwd[WHORL_PATH_MAX];
};

/* Are exec events on (the setting)? Any context. */
bool whorl_exec_events_on(void);

/*
 * Are exec events to be captured now: on, and someone subscribes? A relay killed without
 * turning them off leaves the setting on; the exec path pays nothing for it until another
 * subscribes. Any context.
 */
bool whorl_exec_events_active(void);

/*
 * Fill @ev's exec context from the current task, which has just exec'd
 * (sched_process_exec). Atomic context: reads only what is resident, takes
 * no lock that sleeps, keeps no reference.
 */
void whorl_exec_capture(struct whorl_event *ev);

/* The exec context's attributes, into the WHORL_A_EXEC nest. Process context. */
int whorl_exec_put(struct sk_buff *skb, const struct whorl_exec_ctx *x);

/* CONFIG_SET: WHORL_A_CONFIG_EXEC_EVENTS and WHORL_A_CONFIG_ENV_NAMES. Process context. */
int whorl_exec_config(const struct nlattr *on, const struct nlattr *names,
		      struct netlink_ext_ack *extack);
/* Are WHORL_A_CONFIG_ENV_NAMES' names well formed? -EINVAL with extack if not. */
int whorl_exec_names_check(const struct nlattr *names, struct netlink_ext_ack *extack);
/* STATUS_GET: the same two. */
int whorl_exec_put_config(struct sk_buff *skb);

int whorl_exec_init(void);
void whorl_exec_exit(void);

#endif /* WHORL_EXEC_H */
