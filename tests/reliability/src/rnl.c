// SPDX-License-Identifier: GPL-2.0
/* rnl.c - raw generic netlink for the reliability tests (see rnl.h). */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "rnl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int rnl_open(struct rnl *nl)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t salen = sizeof(sa);
	int one = 1, rcvbuf = 4 << 20;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(nl->fd, (struct sockaddr *)&sa, &salen) < 0) {
		int err = -errno;

		close(nl->fd);
		nl->fd = -1;
		return err;
	}
	nl->portid = sa.nl_pid;
	nl->seq = 1;
	/* The kernel's reason with every error, and no copy of the request in the ack. */
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Room for status replies and stray findings between two drains; unprivileged falls back. */
	if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return 0;
}

void rnl_close(struct rnl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

int rnl_send(struct rnl *nl, const void *buf, size_t len)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	if (sendto(nl->fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

static void parse_ack(const struct nlmsghdr *h, struct rnl_answer *a)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t len = h->nlmsg_len - NLMSG_HDRLEN, off = sizeof(*e);
	const unsigned char *p = NLMSG_DATA(h);

	if (h->nlmsg_len < NLMSG_HDRLEN + sizeof(*e)) {
		a->acked = 1;
		a->error = -EBADMSG;
		return;
	}
	a->acked = 1;
	a->error = e->error;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* Without NLM_F_CAPPED the request's payload sits between nlmsgerr and the TLVs. */
	if (!(h->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len >= NLMSG_HDRLEN)
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	while (off + NLA_HDRLEN <= len) {
		const struct nlattr *at = (const struct nlattr *)(p + off);
		size_t alen = at->nla_len, type = at->nla_type & NLA_TYPE_MASK;

		if (alen < NLA_HDRLEN || off + alen > len)
			break;
		if (type < 32)
			a->tlvs |= 1U << type;
		if (type == NLMSGERR_ATTR_MSG) {
			size_t n = strnlen((const char *)(at + 1), alen - NLA_HDRLEN);

			if (n >= sizeof(a->msg))
				n = sizeof(a->msg) - 1;
			memcpy(a->msg, at + 1, n);
			a->msg[n] = '\0';
		}
		off += NLA_ALIGN(alen);
	}
}

void rnl_collect(struct rnl *nl, uint32_t seq, struct rnl_answer *a, int wait_ms)
{
	static unsigned char buf[256 * 1024];
	struct pollfd pfd = { .fd = nl->fd, .events = POLLIN };
	ssize_t n;

	memset(a, 0, offsetof(struct rnl_answer, reply));
	if (wait_ms > 0)
		poll(&pfd, 1, wait_ms);
	for (;;) {
		n = recv(nl->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				a->overrun = 1;
				continue;
			}
			return;	/* EAGAIN: everything queued has been read */
		}
		for (size_t off = 0; off + NLMSG_HDRLEN <= (size_t)n;) {
			const struct nlmsghdr *h = (const struct nlmsghdr *)(buf + off);

			if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > (size_t)n - off)
				break;
			off += NLMSG_ALIGN(h->nlmsg_len);
			if (h->nlmsg_seq != seq || h->nlmsg_pid != nl->portid)
				continue;	/* a finding, or an answer to an earlier request */
			if (h->nlmsg_type == NLMSG_ERROR) {
				parse_ack(h, a);
			} else if (h->nlmsg_type != NLMSG_DONE && h->nlmsg_type != NLMSG_NOOP) {
				if (!a->replies++ && h->nlmsg_len <= sizeof(a->reply)) {
					memcpy(a->reply, h, h->nlmsg_len);
					a->reply_len = h->nlmsg_len;
				}
			}
		}
		if (a->acked)
			return;
	}
}

int rnl_request(struct rnl *nl, struct rmsg *m, struct rnl_answer *a)
{
	int err = rnl_send(nl, m->buf, m->len);

	if (err) {
		memset(a, 0, offsetof(struct rnl_answer, reply));
		return err;
	}
	rnl_collect(nl, rmsg_seq(m), a, 0);
	if (!a->acked)
		rnl_collect(nl, rmsg_seq(m), a, 2000);	/* not expected: the kernel answers inline */
	return 0;
}

int rnl_resolve(struct rnl *nl, const char *name)
{
	static struct rmsg m;
	static struct rnl_answer a;
	const struct nlmsghdr *h;
	size_t off;
	int err;

	rmsg_init(&m, nl, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, CTRL_CMD_GETFAMILY, 1);
	rmsg_strz(&m, CTRL_ATTR_FAMILY_NAME, name);
	rmsg_finish(&m);
	err = rnl_request(nl, &m, &a);
	if (err)
		return err;
	if (!a.acked)
		return -ETIMEDOUT;
	if (a.error)
		return a.error;
	if (!a.reply_len)
		return -EPROTO;
	h = (const struct nlmsghdr *)a.reply;
	for (off = NLMSG_HDRLEN + GENL_HDRLEN; off + NLA_HDRLEN <= h->nlmsg_len;) {
		const struct nlattr *at = (const struct nlattr *)(a.reply + off);

		if (at->nla_len < NLA_HDRLEN || off + at->nla_len > h->nlmsg_len)
			break;
		if ((at->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID &&
		    at->nla_len == NLA_HDRLEN + 2) {
			memcpy(&nl->family, at + 1, 2);
			return 0;
		}
		off += NLA_ALIGN(at->nla_len);
	}
	return -EPROTO;
}

void rmsg_init(struct rmsg *m, struct rnl *nl, uint16_t type, uint16_t flags, uint8_t cmd,
	       uint8_t version)
{
	struct nlmsghdr *h = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = nl->seq++;
	h->nlmsg_pid = 0;
	g->cmd = cmd;
	g->version = version;
	g->reserved = 0;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

static int room(const struct rmsg *m, size_t n)
{
	return m->len + n <= sizeof(m->buf);
}

void rmsg_raw(struct rmsg *m, const void *data, size_t len)
{
	if (!room(m, len))
		return;	/* the callers' sizes keep far below RNL_MSG_MAX */
	memcpy(m->buf + m->len, data, len);
	m->len += len;
}

size_t rmsg_attr(struct rmsg *m, uint16_t type, const void *data, size_t len)
{
	size_t off = m->len;
	struct nlattr at = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };

	if (!room(m, NLA_ALIGN(NLA_HDRLEN + len)))
		return off;	/* the callers' sizes keep far below this */
	memcpy(m->buf + m->len, &at, sizeof(at));
	if (len)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	memset(m->buf + m->len + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	m->len += NLA_HDRLEN + NLA_ALIGN(len);
	return off;
}

size_t rmsg_u8(struct rmsg *m, uint16_t type, uint8_t v)
{
	return rmsg_attr(m, type, &v, sizeof(v));
}

size_t rmsg_u32(struct rmsg *m, uint16_t type, uint32_t v)
{
	return rmsg_attr(m, type, &v, sizeof(v));
}

size_t rmsg_strz(struct rmsg *m, uint16_t type, const char *s)
{
	return rmsg_attr(m, type, s, strlen(s) + 1);
}

size_t rmsg_nest_start(struct rmsg *m, uint16_t type)
{
	return rmsg_attr(m, type, NULL, 0);
}

void rmsg_nest_end(struct rmsg *m, size_t off)
{
	struct nlattr *at = (struct nlattr *)(m->buf + off);

	at->nla_len = (uint16_t)(m->len - off);
}

void rmsg_finish(struct rmsg *m)
{
	((struct nlmsghdr *)m->buf)->nlmsg_len = (uint32_t)m->len;
}

uint32_t rmsg_seq(const struct rmsg *m)
{
	return ((const struct nlmsghdr *)m->buf)->nlmsg_seq;
}

const char *rnl_errname(int err)
{
	static char other[16];

	switch (-err) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ERANGE: return "ERANGE";
	case E2BIG: return "E2BIG";
	case ENOSPC: return "ENOSPC";
	case EBUSY: return "EBUSY";
	case EALREADY: return "EALREADY";
	case ENOMEM: return "ENOMEM";
	case EMSGSIZE: return "EMSGSIZE";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case ENOBUFS: return "ENOBUFS";
	case EBADMSG: return "EBADMSG";
	case EPROTO: return "EPROTO";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ENODATA: return "ENODATA";
	default:
		snprintf(other, sizeof(other), "E%d", -err);
		return other;
	}
}
