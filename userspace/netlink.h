/* SPDX-License-Identifier: GPL-2.0 */
/* netlink.h - the tool's side of the "whorl" generic netlink family, through libmnl. */
#ifndef WHORL_NETLINK_H
#define WHORL_NETLINK_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "intel.h"

/* Largest message this tool sends: intel entries are batched under it. */
#define WHORL_NL_BATCH_MAX	(32 * 1024)

struct whorl_nl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t portid;
	uint32_t seq;
	char *buf;			/* receive buffer */
	size_t buflen;
	char extack[256];		/* the kernel's message for the last failed request */
};

/*
 * A message of the whorl family received on the socket: replies to a request and, on a
 * subscribed socket, findings (which may arrive while an acknowledgement is awaited).
 * Return MNL_CB_OK to go on, MNL_CB_ERROR to fail the request.
 */
typedef int (*whorl_nl_msg_cb)(const struct nlmsghdr *nlh, void *data);

/*
 * Every function returning int returns 0 or a negative errno (normalised here, whatever
 * sign the kernel or libc used); -ENOENT from whorl_nl_open() means the family does not
 * exist: the module is not loaded.
 */
int whorl_nl_open(struct whorl_nl *nl);
/*
 * The controller's reply about the whorl family: its id in @id; -ENOENT without one, -EPROTO
 * (the reason in @why) when the module speaks another version of the family than this tool.
 * whorl_nl_open() fails the same way, the reason in the handle's extack.
 */
int whorl_nl_family_parse(const struct nlmsghdr *nlh, uint16_t *id, char *why, size_t whylen);
void whorl_nl_close(struct whorl_nl *nl);
int whorl_nl_fd(const struct whorl_nl *nl);
/* Ask for a receive buffer of @bytes (SO_RCVBUFFORCE, else SO_RCVBUF). */
int whorl_nl_set_rcvbuf(struct whorl_nl *nl, int bytes);

/* A request header for @cmd in @buf (at least WHORL_NL_BATCH_MAX + 1 KiB). */
struct nlmsghdr *whorl_nl_msg(struct whorl_nl *nl, void *buf, uint8_t cmd);
/* Send @nlh with NLM_F_ACK; wait for its acknowledgement, passing other messages to @cb. */
int whorl_nl_request(struct whorl_nl *nl, struct nlmsghdr *nlh, whorl_nl_msg_cb cb, void *data);
/* A request carrying no attributes. */
int whorl_nl_simple(struct whorl_nl *nl, uint8_t cmd, whorl_nl_msg_cb cb, void *data);
/*
 * Receive what is waiting (one datagram) and pass each message to @cb.
 * Return: 0; -EAGAIN when nothing is waiting; -ENOBUFS when the kernel reported an overrun.
 */
int whorl_nl_receive(struct whorl_nl *nl, whorl_nl_msg_cb cb, void *data);

/*
 * whorl_nl_dispatch - run the messages of one received datagram: family messages to @cb,
 * the acknowledgement of the pending request (nl->seq) read into its errno and nl->extack.
 * @acked: set to whether that acknowledgement was among them (may be NULL).
 * Return: 0, the request's error (a negative errno), or @cb's failure.
 */
int whorl_nl_dispatch(struct whorl_nl *nl, const void *buf, size_t len, whorl_nl_msg_cb cb,
		      void *data, int *acked);

/* How far a load has got: labels and entries of the set already put in messages. */
struct whorl_intel_cursor {
	size_t label;
	size_t entry;
};

/* Is anything of @set left to send after @c? */
int whorl_nl_intel_more(const struct whorl_intel *set, const struct whorl_intel_cursor *c);

/*
 * Fill INTEL_ADD message @nlh from @c on, as much as fits under WHORL_NL_BATCH_MAX, and
 * advance @c: first every label (WHORL_A_INTEL_LABEL, numbered as in @set), then the
 * entries in file order, hashes packed in WHORL_A_INTEL_HASHES, name rules as nests.
 */
void whorl_nl_put_intel_batch(struct nlmsghdr *nlh, const struct whorl_intel *set,
			      struct whorl_intel_cursor *c);

/* Replace the kernel's intel set with @set, atomically: BEGIN, ADD..., COMMIT (or ABORT). */
int whorl_nl_intel_load(struct whorl_nl *nl, const struct whorl_intel *set);

struct whorl_config_req {
	int has_kinds, has_dedup_ms, has_mode, has_exec_events;
	uint32_t kinds, dedup_ms;
	uint8_t mode;
	uint8_t exec_events;		/* WHORL_A_CONFIG_EXEC_EVENTS */
	const char *const *env_names;	/* WHORL_A_CONFIG_ENV_NAMES when not NULL */
	size_t nenv_names;
};

/*
 * Is @name one an exec event may carry ([A-Za-z0-9_], 1 to WHORL_ENV_NAME_MAX - 1 bytes)?
 * The module refuses the whole list otherwise.
 */
int whorl_env_name_ok(const char *name);
int whorl_nl_config(struct whorl_nl *nl, const struct whorl_config_req *req);

/*
 * whorl_nl_perror - print why @what failed, as a user should read it: a module not loaded, a
 * missing capability, the kernel's own message, or strerror.
 */
void whorl_nl_perror(const struct whorl_nl *nl, const char *what, int err);

#endif /* WHORL_NETLINK_H */
