// SPDX-License-Identifier: GPL-2.0
/*
 * exec.c - the context of an exec in a container, captured where argv is
 * (the sched_process_exec tracepoint: the exec succeeded, current is the new
 * program) and sent as WHORL_CMD_EXEC by the worker.
 *
 * Everything is read in the task's own context, in atomic context, and kept
 * by value: the working directory as the process sees it, what its standard
 * descriptors are (a socket's addresses read without its lock: a report, not
 * a decision), the allow-listed environment variables from the new stack
 * (which the kernel has just written: resident), and the exec counters that
 * name this exec and the parent's that made the process. No reference
 * outlives the tracepoint.
 */

#include <linux/ctype.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/magic.h>
#include <linux/major.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/uaccess.h>
#include <net/genetlink.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "event.h"
#include "exec.h"
#include "netlink.h"
#include "stats.h"

/* The allow-list: names of [A-Za-z0-9_], published by RCU. */
struct whorl_env_names {
	struct rcu_head rcu;
	u8 n;
	u8 len[WHORL_ENV_NAMES_MAX];
	char name[WHORL_ENV_NAMES_MAX][WHORL_ENV_NAME_MAX];
};

static struct whorl_env_names whorl_env_default = {
	.n = 10,
	.len = { 10, 15, 7, 10, 10, 11, 10, 11, 9, 8 },
	.name = { "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "GCONV_PATH", "HTTP_PROXY",
		  "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "no_proxy" },
};

static struct whorl_env_names __rcu *whorl_env_names = &whorl_env_default;
static DEFINE_MUTEX(whorl_exec_config_lock);
static bool whorl_exec_events;

bool whorl_exec_events_on(void)
{
	return READ_ONCE(whorl_exec_events);
}

bool whorl_exec_events_active(void)
{
	return READ_ONCE(whorl_exec_events) && whorl_netlink_listened();
}

/* The working directory as the process sees it (from its own root). */
static void whorl_exec_cwd(struct whorl_exec_ctx *x)
{
	struct fs_struct *fs = current->fs;
	unsigned int seq;
	struct path pwd;
	char *p;

	if (!fs)
		return;
	rcu_read_lock();
	do {
		seq = whorl_fs_read_begin(fs);
		pwd = fs->pwd;
	} while (whorl_fs_read_retry(fs, seq));
	/* (the dentries are RCU-freed; d_path walks under RCU and the rename seqlock) */
	p = d_path(&pwd, x->cwd, sizeof(x->cwd));
	rcu_read_unlock();
	if (IS_ERR(p))
		x->cwd[0] = '\0';
	else if (p != x->cwd)
		memmove(x->cwd, p, strlen(p) + 1);
}

static bool whorl_is_tty(const struct inode *inode)
{
	unsigned int major = imajor(inode);

	return S_ISCHR(inode->i_mode) &&
	       (major == TTY_MAJOR || major == TTYAUX_MAJOR || major == PTY_SLAVE_MAJOR ||
		(major >= UNIX98_PTY_SLAVE_MAJOR &&
		 major < UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT));
}

/* An IPv4 or IPv6 socket's protocol and addresses, read as they are now. */
static void whorl_exec_sock(struct socket *sock, struct whorl_stdio *s)
{
	struct sock *sk = READ_ONCE(sock->sk);
	const struct inet_sock *inet;

	if (!sk)
		return;
	s->proto = READ_ONCE(sk->sk_protocol);
	inet = inet_sk(sk);
	switch (READ_ONCE(sk->sk_family)) {
	case AF_INET:
		s->family = AF_INET;
		memcpy(s->laddr, &inet->inet_rcv_saddr, 4);
		memcpy(s->raddr, &inet->inet_daddr, 4);
		s->connected = inet->inet_daddr || inet->inet_dport;
		break;
#if IS_ENABLED(CONFIG_IPV6)
	case AF_INET6:
		s->family = AF_INET6;
		memcpy(s->laddr, &sk->sk_v6_rcv_saddr, 16);
		memcpy(s->raddr, &sk->sk_v6_daddr, 16);
		s->connected = !ipv6_addr_any(&sk->sk_v6_daddr) || inet->inet_dport;
		break;
#endif
	default:
		s->proto = 0;
		return;
	}
	s->lport = inet->inet_num;
	s->rport = ntohs(inet->inet_dport);
}

/* What descriptor @fd of the current task is. */
static void whorl_exec_stdio(unsigned int fd, struct whorl_stdio *s)
{
	struct file *file = fget(fd);	/* (not O_PATH: those never were the stream) */
	struct inode *inode;

	if (!file)
		return;
	s->open = true;
	inode = file_inode(file);
	if (whorl_is_tty(inode))
		s->type = WHORL_STDIO_TTY;
	else if (S_ISFIFO(inode->i_mode))
		s->type = WHORL_STDIO_PIPE;
	else if (S_ISREG(inode->i_mode))
		s->type = WHORL_STDIO_FILE;
	else if (S_ISSOCK(inode->i_mode) && inode->i_sb->s_magic == SOCKFS_MAGIC) {
		s->type = WHORL_STDIO_SOCKET;
		whorl_exec_sock(SOCKET_I(inode), s);
	} else
		s->type = WHORL_STDIO_OTHER;
	fput(file);	/* (deferred by the kernel when it is the last) */
}

/*
 * Add NAME=VALUE's value to @x's entries, for the allow-listed @name: as much
 * as fits WHORL_ENV_VALUE_MAX - 1 bytes and the buffer, marked when cut.
 */
static char *whorl_env_entry(struct whorl_exec_ctx *x, const char *name, size_t nlen)
{
	char *e;

	if (x->nenv >= WHORL_ENV_ENTRIES_MAX || x->env_len + nlen + 2 > sizeof(x->env)) {
		x->env_incomplete = true;
		return NULL;
	}
	e = x->env + x->env_len;
	memcpy(e, name, nlen);
	e[nlen] = '\0';
	x->env_len += nlen + 1;
	x->env[x->env_len] = '\0';
	x->nenv++;
	return x->env + x->env_len;
}

/*
 * The allow-listed variables of the new program's environment, streamed from
 * its stack in small reads: a name is recognised in the first bytes of each
 * string, its value copied while it lasts; an environment longer than
 * WHORL_ENV_SCAN_MAX, or one that cannot be read, is marked incomplete (a
 * padded environment must not hide a variable unseen).
 */
static void whorl_exec_env(struct whorl_exec_ctx *x, const struct whorl_env_names *names)
{
	struct mm_struct *mm = current->mm;
	unsigned long start, end, off, n;
	unsigned int pos = 0, i, k, vlen = 0;
	u32 cand = 0;
	char *value = NULL;
	char chunk[128];

	if (!mm || !names->n)
		return;
	start = READ_ONCE(mm->env_start);
	end = READ_ONCE(mm->env_end);
	if (end <= start)
		return;
	if (end - start > WHORL_ENV_SCAN_MAX) {
		x->env_incomplete = true;
		end = start + WHORL_ENV_SCAN_MAX;
	}
	cand = (1U << names->n) - 1;
	for (off = start; off < end; off += n) {
		n = min_t(unsigned long, sizeof(chunk), end - off);
		if (copy_from_user_nofault(chunk, (const void __user *)off, n)) {
			x->env_incomplete = true;
			break;
		}
		for (i = 0; i < n; i++) {
			char c = chunk[i];

			if (!c) {		/* the end of one NAME=VALUE */
				if (value) {
					value[vlen] = '\0';
					x->env_len += vlen + 1;
					x->env[x->env_len] = '\0';
				}
				value = NULL;
				vlen = 0;
				pos = 0;
				cand = (1U << names->n) - 1;
				continue;
			}
			if (value) {
				if (vlen < WHORL_ENV_VALUE_MAX - 1 &&
				    x->env_len + vlen + 2 < sizeof(x->env))
					value[vlen++] = c;
				else
					x->env_cut |= 1U << (x->nenv - 1);
				continue;
			}
			if (!cand)
				continue;
			if (c == '=') {
				u32 m = cand;

				cand = 0;
				for (k = 0; k < names->n; k++)
					if ((m & (1U << k)) && names->len[k] == pos)
						break;
				if (k < names->n)
					value = whorl_env_entry(x, names->name[k], pos);
				continue;
			}
			for (k = 0; k < names->n; k++)
				if ((cand & (1U << k)) &&
				    (pos >= names->len[k] || names->name[k][pos] != c))
					cand &= ~(1U << k);
			pos++;
		}
	}
	/* a last string without its NUL (the scan was cut) */
	if (value) {
		value[vlen] = '\0';
		x->env_len += vlen + 1;
		x->env[x->env_len] = '\0';
		x->env_cut |= 1U << (x->nenv - 1);
	}
}

void whorl_exec_capture(struct whorl_event *ev)
{
	struct whorl_exec_ctx *x = &ev->xc;
	const struct whorl_env_names *names;
	struct task_struct *parent;
	unsigned int fd;

	x->captured = true;
	whorl_count(WHORL_CTR_EXEC_CAPTURED);
	x->gid = from_kgid_munged(&init_user_ns, current_gid());
	x->start_ns = current->group_leader->start_boottime;
	x->exec_seq = READ_ONCE(current->self_exec_id);
	x->parent_exec_seq = READ_ONCE(current->parent_exec_id);
	rcu_read_lock();
	parent = rcu_dereference(current->real_parent);
	x->parent_start_ns = parent->group_leader->start_boottime;
	rcu_read_unlock();
	whorl_exec_cwd(x);
	for (fd = 0; fd < 3; fd++)
		whorl_exec_stdio(fd, &x->stdio[fd]);
	rcu_read_lock();
	names = rcu_dereference(whorl_env_names);
	whorl_exec_env(x, names);
	rcu_read_unlock();
}

static int whorl_exec_put_stdio(struct sk_buff *skb, unsigned int fd, const struct whorl_stdio *s)
{
	unsigned int alen = s->family == AF_INET6 ? 16 : 4;
	struct nlattr *nest;

	if (!s->open)
		return 0;
	nest = nla_nest_start(skb, WHORL_F_STDIO);
	if (!nest || nla_put_u8(skb, WHORL_STDIO_A_FD, fd) ||
	    nla_put_u8(skb, WHORL_STDIO_A_TYPE, s->type))
		return -EMSGSIZE;
	if (s->family &&
	    (nla_put_u8(skb, WHORL_STDIO_A_FAMILY, s->family) ||
	     nla_put_u8(skb, WHORL_STDIO_A_PROTO, s->proto) ||
	     nla_put(skb, WHORL_STDIO_A_LOCAL_ADDR, alen, s->laddr) ||
	     nla_put_u16(skb, WHORL_STDIO_A_LOCAL_PORT, s->lport) ||
	     (s->connected &&
	      (nla_put(skb, WHORL_STDIO_A_REMOTE_ADDR, alen, s->raddr) ||
	       nla_put_u16(skb, WHORL_STDIO_A_REMOTE_PORT, s->rport)))))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int whorl_exec_put(struct sk_buff *skb, const struct whorl_exec_ctx *x)
{
	const char *e = x->env;
	struct nlattr *nest;
	unsigned int i;

	if (nla_put_u32(skb, WHORL_F_GID, x->gid) ||
	    (x->cwd[0] && nla_put_string(skb, WHORL_F_CWD, x->cwd)) ||
	    nla_put_u64_64bit(skb, WHORL_F_START_NS, x->start_ns, WHORL_F_PAD) ||
	    nla_put_u64_64bit(skb, WHORL_F_EXEC_SEQ, x->exec_seq, WHORL_F_PAD) ||
	    nla_put_u64_64bit(skb, WHORL_F_PARENT_START_NS, x->parent_start_ns, WHORL_F_PAD) ||
	    nla_put_u64_64bit(skb, WHORL_F_PARENT_EXEC_SEQ, x->parent_exec_seq, WHORL_F_PAD) ||
	    (x->env_incomplete && nla_put_flag(skb, WHORL_F_ENV_INCOMPLETE)))
		return -EMSGSIZE;
	for (i = 0; i < 3; i++)
		if (whorl_exec_put_stdio(skb, i, &x->stdio[i]))
			return -EMSGSIZE;
	for (i = 0; i < x->nenv; i++) {
		const char *v = e + strlen(e) + 1;

		nest = nla_nest_start(skb, WHORL_F_ENV);
		if (!nest || nla_put_string(skb, WHORL_ENV_A_NAME, e) ||
		    nla_put_string(skb, WHORL_ENV_A_VALUE, v) ||
		    ((x->env_cut & (1U << i)) && nla_put_flag(skb, WHORL_ENV_A_TRUNCATED)))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
		e = v + strlen(v) + 1;
	}
	return 0;
}

static bool whorl_env_name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || n >= WHORL_ENV_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum(s[i]) && s[i] != '_')
			return false;
	return true;
}

/* Parse @names into @out (when not NULL). */
static int whorl_exec_names_parse(const struct nlattr *names, struct whorl_env_names *out,
				  struct netlink_ext_ack *extack)
{
	const char *p = nla_data(names), *end = p + nla_len(names);
	unsigned int count = 0;
	size_t n;

	while (p < end) {
		n = strnlen(p, end - p);
		if (p + n == end || !whorl_env_name_ok(p, n) || count >= WHORL_ENV_NAMES_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, names,
					    "environment names: at most 16 of [A-Za-z0-9_], 1 to 63 bytes, each NUL-terminated");
			return -EINVAL;
		}
		if (out) {
			memcpy(out->name[count], p, n);
			out->len[count] = n;
			out->n = count + 1;
		}
		count++;
		p += n + 1;
	}
	return 0;
}

int whorl_exec_names_check(const struct nlattr *names, struct netlink_ext_ack *extack)
{
	return names ? whorl_exec_names_parse(names, NULL, extack) : 0;
}

int whorl_exec_config(const struct nlattr *on, const struct nlattr *names,
		      struct netlink_ext_ack *extack)
{
	struct whorl_env_names *next = NULL, *old;

	if (names) {
		next = kzalloc(sizeof(*next), GFP_KERNEL);
		if (!next)
			return -ENOMEM;
		if (whorl_exec_names_parse(names, next, extack)) {
			kfree(next);
			return -EINVAL;
		}
	}
	mutex_lock(&whorl_exec_config_lock);
	if (next) {
		old = rcu_replace_pointer(whorl_env_names, next,
					  lockdep_is_held(&whorl_exec_config_lock));
		if (old != &whorl_env_default)
			kfree_rcu(old, rcu);
	}
	if (on)
		WRITE_ONCE(whorl_exec_events, nla_get_u8(on));
	mutex_unlock(&whorl_exec_config_lock);
	return 0;
}

int whorl_exec_put_config(struct sk_buff *skb)
{
	char buf[WHORL_ENV_NAMES_MAX * WHORL_ENV_NAME_MAX];
	const struct whorl_env_names *names;
	size_t len = 0;
	unsigned int i;

	mutex_lock(&whorl_exec_config_lock);
	names = rcu_dereference_protected(whorl_env_names,
					  lockdep_is_held(&whorl_exec_config_lock));
	for (i = 0; i < names->n; i++) {
		memcpy(buf + len, names->name[i], names->len[i] + 1);
		len += names->len[i] + 1;
	}
	mutex_unlock(&whorl_exec_config_lock);
	if (nla_put_u8(skb, WHORL_A_CONFIG_EXEC_EVENTS, whorl_exec_events_on()) ||
	    (len && nla_put(skb, WHORL_A_CONFIG_ENV_NAMES, len, buf)))
		return -EMSGSIZE;
	return 0;
}

int whorl_exec_init(void)
{
	WRITE_ONCE(whorl_exec_events, false);
	return 0;
}

void whorl_exec_exit(void)
{
	struct whorl_env_names *old;

	/* after the hooks are gone: no reader is left but RCU's */
	old = rcu_replace_pointer(whorl_env_names, &whorl_env_default, true);
	if (old != &whorl_env_default)
		kfree_rcu(old, rcu);
}
