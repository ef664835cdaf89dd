// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - generic netlink through libmnl: family lookup, requests acknowledged with the
 * kernel's extended ack message, intel loads in batches, configuration, errors for humans.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/whorl.h>

#include "netlink.h"

#define RECV_BUF_SIZE	(64 * 1024)
/* Tries, 100 ms apart, while another socket's intel load holds the stage. */
#define WHORL_INTEL_BUSY_TRIES	50

/* The one place errno signs are normalised: the kernel says -EPERM, libc says EPERM. */
static int neg_errno(int e)
{
	if (e == 0)
		return -EIO;
	return e < 0 ? e : -e;
}

int whorl_nl_fd(const struct whorl_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

struct nlmsghdr *whorl_nl_msg(struct whorl_nl *nl, void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = WHORL_GENL_VERSION;
	return nlh;
}

struct req_ctx {
	struct whorl_nl *nl;
	whorl_nl_msg_cb cb;
	void *data;
	int err;
	int acked;
};

static int error_cb(const struct nlmsghdr *nlh, void *data);
static int data_cb(const struct nlmsghdr *nlh, void *data);

static int extack_cb(const struct nlattr *a, void *data)
{
	struct req_ctx *c = data;
	size_t n;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG) {
		n = strnlen(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
		if (n >= sizeof(c->nl->extack))
			n = sizeof(c->nl->extack) - 1;
		memcpy(c->nl->extack, mnl_attr_get_payload(a), n);
		c->nl->extack[n] = '\0';
	}
	return MNL_CB_OK;
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct req_ctx *c = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh), off = sizeof(*e);

	if (len < sizeof(*e)) {
		c->err = -EBADMSG;
		return MNL_CB_STOP;
	}
	if (nlh->nlmsg_seq != c->nl->seq)
		return MNL_CB_OK;	/* a late answer to an earlier request */
	c->acked = 1;
	c->err = e->error ? neg_errno(e->error) : 0;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len >= sizeof(struct nlmsghdr))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		if (off <= len)
			mnl_attr_parse(nlh, off, extack_cb, c);
	}
	return MNL_CB_STOP;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct req_ctx *c = data;

	if (nlh->nlmsg_type != c->nl->family || !c->cb)
		return MNL_CB_OK;
	return c->cb(nlh, c->data);
}

static mnl_cb_t ctl_cb[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
};

/*
 * The well-formed messages at the start of a datagram: libmnl 1.0.4 compares nlmsg_len as an
 * int, so a length past 2 GiB would walk it off the buffer.
 */
static size_t valid_prefix(const void *buf, size_t len)
{
	const char *p = buf;
	size_t off = 0, n;

	while (len - off >= sizeof(struct nlmsghdr)) {
		n = ((const struct nlmsghdr *)(p + off))->nlmsg_len;
		if (n < sizeof(struct nlmsghdr) || n > len - off)
			break;
		off += MNL_ALIGN(n) < len - off ? MNL_ALIGN(n) : len - off;
	}
	return off;
}

int whorl_nl_dispatch(struct whorl_nl *nl, const void *buf, size_t len, whorl_nl_msg_cb cb,
		      void *data, int *acked)
{
	struct req_ctx c = { .nl = nl, .cb = cb, .data = data };
	int ret;

	len = valid_prefix(buf, len);
	ret = mnl_cb_run2(buf, len, 0, nl->portid, data_cb, &c, ctl_cb, NLMSG_MIN_TYPE);
	if (ret == MNL_CB_ERROR && !c.err)
		c.err = neg_errno(errno);
	if (acked)
		*acked = c.acked;
	return c.err;
}

/* One datagram: 0 or -errno (-EAGAIN when nothing waits and the socket is non-blocking). */
static int receive_one(struct whorl_nl *nl, whorl_nl_msg_cb cb, void *data, int flags,
		       int *acked)
{
	ssize_t n;

	n = recv(mnl_socket_get_fd(nl->sock), nl->buf, nl->buflen, flags | MSG_TRUNC);
	if (n < 0)
		return neg_errno(errno);
	if ((size_t)n > nl->buflen) {
		fprintf(stderr, "whorl: a %zd-byte netlink message was cut to %zu bytes; skipped\n",
			n, nl->buflen);
		return 0;
	}
	return whorl_nl_dispatch(nl, nl->buf, n, cb, data, acked);
}

int whorl_nl_request(struct whorl_nl *nl, struct nlmsghdr *nlh, whorl_nl_msg_cb cb, void *data)
{
	int err, acked = 0;

	nl->extack[0] = '\0';
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return neg_errno(errno);
	for (;;) {
		err = receive_one(nl, cb, data, 0, &acked);
		if (acked)
			return err;
		if (err == -EINTR || err == -ENOBUFS)
			continue;	/* overrun findings show up as a sequence gap */
		if (err)
			return err;	/* the socket, or a callback, failed */
	}
}

int whorl_nl_simple(struct whorl_nl *nl, uint8_t cmd, whorl_nl_msg_cb cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return whorl_nl_request(nl, whorl_nl_msg(nl, buf, cmd), cb, data);
}

int whorl_nl_receive(struct whorl_nl *nl, whorl_nl_msg_cb cb, void *data)
{
	return receive_one(nl, cb, data, MSG_DONTWAIT, NULL);
}

/* --- the family ---------------------------------------------------------------------------- */

struct family_ctx {
	uint16_t id;
	uint32_t version;
	int found;
	int has_version;
};

static int family_attr_cb(const struct nlattr *a, void *data)
{
	struct family_ctx *f = data;

	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_get_payload_len(a) == sizeof(uint16_t)) {
		f->id = mnl_attr_get_u16(a);
		f->found = 1;
	} else if (mnl_attr_get_type(a) == CTRL_ATTR_VERSION &&
		   mnl_attr_get_payload_len(a) == sizeof(uint32_t)) {
		f->version = mnl_attr_get_u32(a);
		f->has_version = 1;
	}
	return MNL_CB_OK;
}

int whorl_nl_family_parse(const struct nlmsghdr *nlh, uint16_t *id, char *why, size_t whylen)
{
	struct family_ctx f = { 0 };

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct genlmsghdr)))
		return -EBADMSG;
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, &f);
	if (!f.found)
		return -ENOENT;
	/* A tool and a module of different releases would misread each other's attributes. */
	if (f.has_version && f.version != WHORL_GENL_VERSION) {
		snprintf(why, whylen, "the loaded module speaks version %u of the %s netlink family, "
			 "this tool version %d: install the tool and the module of one release",
			 f.version, WHORL_GENL_NAME, WHORL_GENL_VERSION);
		return -EPROTO;
	}
	*id = f.id;
	return 0;
}

struct family_reply {
	uint16_t id;
	int err;
	char *why;
	size_t whylen;
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct family_reply *r = data;

	r->err = whorl_nl_family_parse(nlh, &r->id, r->why, r->whylen);
	return MNL_CB_OK;
}

static int resolve_family(struct whorl_nl *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct family_reply r = { .err = -ENOENT, .why = nl->extack,
				  .whylen = sizeof(nl->extack) };
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	int err;

	nl->family = GENL_ID_CTRL;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, WHORL_GENL_NAME);
	err = whorl_nl_request(nl, nlh, family_cb, &r);
	if (err)
		return err;
	if (r.err)
		return r.err;
	nl->family = r.id;
	return 0;
}

int whorl_nl_open(struct whorl_nl *nl)
{
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->seq = (uint32_t)time(NULL);
	nl->buflen = RECV_BUF_SIZE;
	nl->buf = malloc(nl->buflen);
	if (!nl->buf)
		return -ENOMEM;
	nl->sock = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!nl->sock)
		goto err;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err;
	nl->portid = mnl_socket_get_portid(nl->sock);
	/* The kernel's reason with every error, without our request echoed back. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	err = resolve_family(nl);
	if (err) {
		whorl_nl_close(nl);
		return err;
	}
	return 0;
err:
	err = neg_errno(errno);
	whorl_nl_close(nl);
	return err;
}

void whorl_nl_close(struct whorl_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	nl->sock = NULL;
	nl->buf = NULL;
}

int whorl_nl_set_rcvbuf(struct whorl_nl *nl, int bytes)
{
	int fd = mnl_socket_get_fd(nl->sock);

	if (!setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		return 0;
	if (!setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)))
		return 0;
	return neg_errno(errno);
}

/* --- intel and configuration ----------------------------------------------------------------- */

/* Room one nested entry may take, at most: nest, name or digest, category, label. */
#define ENTRY_MAX (MNL_ATTR_HDRLEN * 4 + MNL_ALIGN(WHORL_NAME_MAX) + MNL_ALIGN(1) + \
		   MNL_ALIGN(WHORL_LABEL_MAX))
/* Room one label takes, at most. */
#define LABEL_ATTR_MAX (MNL_ATTR_HDRLEN + MNL_ALIGN(WHORL_LABEL_MAX))
/* Records one WHORL_A_INTEL_HASHES attribute holds, at most (its length is 16 bits). */
#define HASHES_PER_ATTR ((UINT16_MAX - MNL_ATTR_HDRLEN) / sizeof(struct whorl_intel_hash))

static void put_entry(struct nlmsghdr *nlh, const struct whorl_intel *set,
		      const struct whorl_intel_entry *e)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, WHORL_A_INTEL_ENTRY);
	const char *label = whorl_intel_label(set, e);

	if (e->name)
		mnl_attr_put_strz(nlh, WHORL_INTEL_A_NAME, e->name);
	else
		mnl_attr_put(nlh, WHORL_INTEL_A_SHA256, WHORL_SHA256_LEN, e->sha256);
	mnl_attr_put_u8(nlh, WHORL_INTEL_A_CATEGORY, e->category);
	if (label)
		mnl_attr_put_strz(nlh, WHORL_INTEL_A_LABEL, label);
	mnl_attr_nest_end(nlh, nest);
}

/*
 * One WHORL_A_INTEL_HASHES attribute: the hash entries from @from on, up to the next name
 * rule and as many as fit. Return: the index of the first entry not added.
 */
static size_t put_hashes(struct nlmsghdr *nlh, const struct whorl_intel *set, size_t from)
{
	struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);
	struct whorl_intel_hash *h = (void *)((char *)a + MNL_ATTR_HDRLEN);
	const struct whorl_intel_entry *e;
	size_t k, room;

	if (nlh->nlmsg_len + MNL_ATTR_HDRLEN + sizeof(*h) > WHORL_NL_BATCH_MAX)
		return from;
	room = (WHORL_NL_BATCH_MAX - nlh->nlmsg_len - MNL_ATTR_HDRLEN) / sizeof(*h);
	if (room > HASHES_PER_ATTR)
		room = HASHES_PER_ATTR;
	for (k = 0; k < room && from + k < set->n && !set->v[from + k].name; k++) {
		e = &set->v[from + k];
		memcpy(h[k].sha256, e->sha256, WHORL_SHA256_LEN);
		h[k].label = (uint16_t)e->label;
		h[k].category = e->category;
		h[k].reserved = 0;
	}
	a->nla_type = WHORL_A_INTEL_HASHES;
	a->nla_len = (uint16_t)(MNL_ATTR_HDRLEN + k * sizeof(*h));
	nlh->nlmsg_len += MNL_ALIGN(a->nla_len);
	return from + k;
}

int whorl_nl_intel_more(const struct whorl_intel *set, const struct whorl_intel_cursor *c)
{
	return c->label < set->nlabels || c->entry < set->n;
}

void whorl_nl_put_intel_batch(struct nlmsghdr *nlh, const struct whorl_intel *set,
			      struct whorl_intel_cursor *c)
{
	size_t next;

	while (c->label < set->nlabels && nlh->nlmsg_len + LABEL_ATTR_MAX <= WHORL_NL_BATCH_MAX)
		mnl_attr_put_strz(nlh, WHORL_A_INTEL_LABEL, set->labels[c->label++]);
	if (c->label < set->nlabels)
		return;		/* every label goes before the hashes that name it */
	while (c->entry < set->n) {
		if (set->v[c->entry].name) {
			if (nlh->nlmsg_len + ENTRY_MAX > WHORL_NL_BATCH_MAX)
				return;
			put_entry(nlh, set, &set->v[c->entry++]);
		} else {
			next = put_hashes(nlh, set, c->entry);
			if (next == c->entry)
				return;
			c->entry = next;
		}
	}
}

int whorl_nl_intel_load(struct whorl_nl *nl, const struct whorl_intel *set)
{
	char *buf, saved[sizeof(nl->extack)];
	struct whorl_intel_cursor c = { 0 };
	struct nlmsghdr *nlh;
	int err, tries;

	if (set->n > UINT32_MAX)
		return -E2BIG;
	buf = malloc(WHORL_NL_BATCH_MAX + MNL_SOCKET_BUFFER_SIZE);
	if (!buf)
		return -ENOMEM;
	/*
	 * The capacity counts every entry; the kernel needs at least the hashes. Another
	 * socket's load in progress (two relays starting at once) is waited for, briefly.
	 */
	for (tries = 0;; tries++) {
		nlh = whorl_nl_msg(nl, buf, WHORL_CMD_INTEL_BEGIN);
		mnl_attr_put_u32(nlh, WHORL_A_INTEL_CAPACITY, (uint32_t)set->n);
		err = whorl_nl_request(nl, nlh, NULL, NULL);
		if (err != -EBUSY || tries >= WHORL_INTEL_BUSY_TRIES)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 100 * 1000 * 1000 }, NULL);
	}
	if (err)
		goto out;
	while (whorl_nl_intel_more(set, &c)) {
		nlh = whorl_nl_msg(nl, buf, WHORL_CMD_INTEL_ADD);
		whorl_nl_put_intel_batch(nlh, set, &c);
		err = whorl_nl_request(nl, nlh, NULL, NULL);
		if (err)
			goto abort;
	}
	err = whorl_nl_request(nl, whorl_nl_msg(nl, buf, WHORL_CMD_INTEL_COMMIT), NULL, NULL);
	if (!err)
		goto out;
abort:
	/* The kernel may have dropped the staged set already; the first reason is the one. */
	memcpy(saved, nl->extack, sizeof(saved));
	whorl_nl_request(nl, whorl_nl_msg(nl, buf, WHORL_CMD_INTEL_ABORT), NULL, NULL);
	memcpy(nl->extack, saved, sizeof(saved));
out:
	free(buf);
	return err;
}

int whorl_nl_config(struct whorl_nl *nl, const struct whorl_config_req *req)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = whorl_nl_msg(nl, buf, WHORL_CMD_CONFIG_SET);

	if (req->has_kinds)
		mnl_attr_put_u32(nlh, WHORL_A_CONFIG_KINDS, req->kinds);
	if (req->has_dedup_ms)
		mnl_attr_put_u32(nlh, WHORL_A_CONFIG_DEDUP_MS, req->dedup_ms);
	if (req->has_mode)
		mnl_attr_put_u8(nlh, WHORL_A_CONFIG_MODE, req->mode);
	if (req->env_names) {
		char names[WHORL_ENV_NAMES_MAX * WHORL_ENV_NAME_MAX];
		size_t len = 0, i, k;

		/* names one after another, each NUL-terminated; checked by the caller */
		for (i = 0; i < req->nenv_names && i < WHORL_ENV_NAMES_MAX; i++) {
			k = strlen(req->env_names[i]) + 1;
			if (k > WHORL_ENV_NAME_MAX)
				return -EINVAL;
			memcpy(names + len, req->env_names[i], k);
			len += k;
		}
		mnl_attr_put(nlh, WHORL_A_CONFIG_ENV_NAMES, len, names);
	}
	if (req->has_exec_events)
		mnl_attr_put_u8(nlh, WHORL_A_CONFIG_EXEC_EVENTS, req->exec_events);
	return whorl_nl_request(nl, nlh, NULL, NULL);
}

int whorl_env_name_ok(const char *name)
{
	size_t n = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

	return n && !name[n] && n < WHORL_ENV_NAME_MAX;
}

/* A PREEMPT_RT kernel says so in its version string; whorl.ko refuses to load there. */
static int kernel_is_rt(void)
{
	struct utsname u;

	return uname(&u) == 0 && strstr(u.version, "PREEMPT_RT") != NULL;
}

void whorl_nl_perror(const struct whorl_nl *nl, const char *what, int err)
{
	err = neg_errno(err);
	if (err == -ENOENT && nl && !nl->sock) {
		/*
		 * The family exists only in the host's network namespace: a loaded module that
		 * this process cannot see means it runs in another one (a container).
		 */
		if (access("/sys/module/whorl", F_OK) == 0)
			fprintf(stderr, "whorl: the whorl module is loaded but answers only in the "
				"host's network namespace (run whorl on the host, or with "
				"hostNetwork)\n");
		else if (kernel_is_rt())
			fprintf(stderr, "whorl: kernel module not loaded: this kernel is "
				"PREEMPT_RT (uname -v), which whorl does not support\n");
		else
			fprintf(stderr, "whorl: kernel module not loaded (modprobe whorl)\n");
		return;
	}
	if (err == -EPERM) {
		fprintf(stderr, "whorl: %s: permission denied: whorl needs CAP_NET_ADMIN in the "
			"initial user namespace (run it as root on the host)\n", what);
		return;
	}
	if (nl && nl->extack[0])
		fprintf(stderr, "whorl: %s: %s (%s)\n", what, nl->extack, strerror(-err));
	else
		fprintf(stderr, "whorl: %s: %s\n", what, strerror(-err));
}
