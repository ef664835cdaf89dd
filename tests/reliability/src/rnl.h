/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rnl.h - raw generic netlink for the reliability tests: byte-exact message building (the
 * fuzzer must be able to write what no library would), a socket with extended acks, and the
 * kernel's answer to one request.
 */
#ifndef RNL_H
#define RNL_H

#include <stddef.h>
#include <stdint.h>

#define RNL_MSG_MAX	(64 * 1024)
#define RNL_REPLY_MAX	(16 * 1024)

struct rnl {
	int fd;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;	/* the whorl family's id, once resolved */
};

/* What the kernel answered to one request (matched by sequence number). */
struct rnl_answer {
	int acked;		/* an NLMSG_ERROR for the request arrived */
	int error;		/* its error field: 0 or -errno */
	int replies;		/* other messages carrying the request's sequence number */
	unsigned int tlvs;	/* bit n set: extack attribute n (NLMSGERR_ATTR_*) present */
	char msg[256];		/* NLMSGERR_ATTR_MSG, if any */
	int overrun;		/* the socket reported ENOBUFS while collecting */
	size_t reply_len;	/* the first reply, copied */
	unsigned char reply[RNL_REPLY_MAX];
};

/* A message being built, byte by byte. */
struct rmsg {
	size_t len;
	unsigned char buf[RNL_MSG_MAX];
};

int rnl_open(struct rnl *nl);
void rnl_close(struct rnl *nl);
/* Sends @len bytes as one datagram to the kernel. Return: 0 or -errno. */
int rnl_send(struct rnl *nl, const void *buf, size_t len);
/*
 * Collects what the kernel answered to @seq. The kernel handles a request inside sendmsg(), so
 * its answer is queued when rnl_send() returns; @wait_ms bounds a wait for a first datagram
 * all the same.
 */
void rnl_collect(struct rnl *nl, uint32_t seq, struct rnl_answer *a, int wait_ms);
/* Sends a finished message (its nlmsg_seq already set) and collects the answer. */
int rnl_request(struct rnl *nl, struct rmsg *m, struct rnl_answer *a);
/* The family's id through nlctrl's CTRL_CMD_GETFAMILY. Return: 0 or -errno (-ENOENT). */
int rnl_resolve(struct rnl *nl, const char *name);

/* nlmsghdr and genlmsghdr; the sequence number is the socket's next. */
void rmsg_init(struct rmsg *m, struct rnl *nl, uint16_t type, uint16_t flags, uint8_t cmd,
	       uint8_t version);
/* Appends an attribute (header, data, zero padding). Return: its offset in the message. */
size_t rmsg_attr(struct rmsg *m, uint16_t type, const void *data, size_t len);
size_t rmsg_u8(struct rmsg *m, uint16_t type, uint8_t v);
size_t rmsg_u32(struct rmsg *m, uint16_t type, uint32_t v);
size_t rmsg_strz(struct rmsg *m, uint16_t type, const char *s);
/* A nest: start returns its offset, end fixes its length. NLA_F_NESTED is the caller's. */
size_t rmsg_nest_start(struct rmsg *m, uint16_t type);
void rmsg_nest_end(struct rmsg *m, size_t off);
/* Raw bytes, no header, no padding. */
void rmsg_raw(struct rmsg *m, const void *data, size_t len);
/* Sets nlmsg_len to the bytes written. */
void rmsg_finish(struct rmsg *m);
uint32_t rmsg_seq(const struct rmsg *m);

const char *rnl_errname(int err);

#endif
