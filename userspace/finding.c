// SPDX-License-Identifier: GPL-2.0
/*
 * finding.c - WHORL_CMD_FINDING and WHORL_CMD_EXEC messages into struct whorl_finding. The input
 * comes from the kernel but is treated as untrusted: every attribute is bounds-checked by libmnl,
 * sizes are checked per type, unknown or malformed attributes are skipped, strings are made valid
 * UTF-8.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "finding.h"
#include "kinds.h"
#include "utf8.h"

struct parse_ctx {
	struct whorl_finding *f;
	struct whorl_file *file;
	struct whorl_stdio *stdio;	/* the descriptor being parsed */
	int stdio_fd;
	struct whorl_env *env;		/* the variable being parsed */
	int err;
};

static int get_u8(const struct nlattr *a, int *has, uint8_t *v)
{
	if (mnl_attr_get_payload_len(a) != sizeof(uint8_t))
		return 0;
	*v = mnl_attr_get_u8(a);
	*has = 1;
	return 1;
}

static int get_u32(const struct nlattr *a, int *has, uint32_t *v)
{
	if (mnl_attr_get_payload_len(a) != sizeof(uint32_t))
		return 0;
	*v = mnl_attr_get_u32(a);
	*has = 1;
	return 1;
}

static int get_u64(const struct nlattr *a, int *has, uint64_t *v)
{
	if (mnl_attr_get_payload_len(a) != sizeof(uint64_t))
		return 0;
	*v = mnl_attr_get_u64(a);	/* libmnl copies: no alignment assumed */
	*has = 1;
	return 1;
}

static int get_u16(const struct nlattr *a, int *has, uint16_t *v)
{
	if (mnl_attr_get_payload_len(a) != sizeof(uint16_t))
		return 0;
	*v = mnl_attr_get_u16(a);
	*has = 1;
	return 1;
}

static int get_sha(const struct nlattr *a, int *has, uint8_t *v)
{
	if (mnl_attr_get_payload_len(a) != WHORL_SHA256_LEN)
		return 0;
	memcpy(v, mnl_attr_get_payload(a), WHORL_SHA256_LEN);
	*has = 1;
	return 1;
}

/* A string attribute: the first one wins, later duplicates are skipped. */
static int get_str(struct parse_ctx *c, const struct nlattr *a, char **v)
{
	if (*v)
		return 0;
	*v = whorl_utf8_dup(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
	if (!*v)
		c->err = -ENOMEM;
	return 1;
}

static int file_cb(const struct nlattr *a, void *data)
{
	struct parse_ctx *c = data;
	struct whorl_file *fl = c->file;

	switch (mnl_attr_get_type(a)) {
	case WHORL_FILE_A_PATH:
		get_str(c, a, &fl->path);
		break;
	case WHORL_FILE_A_FS_PATH:
		get_str(c, a, &fl->fs_path);
		break;
	case WHORL_FILE_A_DEV_MAJOR:
		get_u32(a, &fl->has_dev_major, &fl->dev_major);
		break;
	case WHORL_FILE_A_DEV_MINOR:
		get_u32(a, &fl->has_dev_minor, &fl->dev_minor);
		break;
	case WHORL_FILE_A_SHA256:
		get_sha(a, &fl->has_sha256, fl->sha256);
		break;
	case WHORL_FILE_A_SIZE:
		get_u64(a, &fl->has_size, &fl->size);
		break;
	case WHORL_FILE_A_HASHED_SIZE:
		get_u64(a, &fl->has_hashed_size, &fl->hashed_size);
		break;
	case WHORL_FILE_A_PARTIAL:
		fl->partial = 1;
		break;
	case WHORL_FILE_A_LAYER:
		get_u8(a, &fl->has_layer, &fl->layer);
		break;
	case WHORL_FILE_A_LAYER_REASON:
		get_u8(a, &fl->has_layer_reason, &fl->layer_reason);
		break;
	case WHORL_FILE_A_CONTENT:
		get_u8(a, &fl->has_content, &fl->content);
		break;
	case WHORL_FILE_A_LOWER_SHA256:
		get_sha(a, &fl->has_lower_sha256, fl->lower_sha256);
		break;
	case WHORL_FILE_A_LAYER_DIR:
		get_str(c, a, &fl->layer_dir);
		break;
	case WHORL_FILE_A_LAYER_DEV_MAJOR:
		get_u32(a, &fl->has_layer_dev_major, &fl->layer_dev_major);
		break;
	case WHORL_FILE_A_LAYER_DEV_MINOR:
		get_u32(a, &fl->has_layer_dev_minor, &fl->layer_dev_minor);
		break;
	default:
		break;
	}
	return c->err ? MNL_CB_ERROR : MNL_CB_OK;
}

static void parse_file(struct parse_ctx *c, const struct nlattr *a, struct whorl_file *fl)
{
	if (fl->present)
		return;
	fl->present = 1;
	c->file = fl;
	mnl_attr_parse_nested(a, file_cb, c);
	c->file = NULL;
	/* one number, as mounts.c matches it and mountinfo's major:minor reads back (12:20 bits) */
	if (fl->has_dev_major && fl->has_dev_minor && fl->dev_major < (1U << 12) &&
	    fl->dev_minor < (1U << 20)) {
		fl->has_dev = 1;
		fl->dev = fl->dev_major << 20 | fl->dev_minor;
	}
}

/* argv: NUL-terminated strings one after another; a missing last NUL ends the last one. */
static void parse_args(struct parse_ctx *c, const struct nlattr *a)
{
	struct whorl_finding *f = c->f;
	const char *p = mnl_attr_get_payload(a), *end = p + mnl_attr_get_payload_len(a), *q;
	size_t n = 0, i;

	if (f->args)
		return;
	for (q = p; q < end; q += strnlen(q, end - q) + 1)
		n++;
	f->args = calloc(n ? n : 1, sizeof(*f->args));
	if (!f->args) {
		c->err = -ENOMEM;
		return;
	}
	for (i = 0, q = p; q < end; q += strnlen(q, end - q) + 1, i++) {
		f->args[i] = whorl_utf8_dup(q, end - q);
		if (!f->args[i]) {
			c->err = -ENOMEM;
			return;
		}
		f->nargs++;
	}
}

/* An address of an IPv4 or IPv6 socket: exactly 4 or 16 bytes, else absent. */
static void get_addr(const struct nlattr *a, uint8_t *len, uint8_t *v)
{
	uint16_t n = mnl_attr_get_payload_len(a);

	if (*len || (n != 4 && n != 16))
		return;
	memcpy(v, mnl_attr_get_payload(a), n);
	*len = n;
}

static int stdio_cb(const struct nlattr *a, void *data)
{
	struct parse_ctx *c = data;
	struct whorl_stdio *s = c->stdio;
	int has = 0;
	uint8_t fd;

	switch (mnl_attr_get_type(a)) {
	case WHORL_STDIO_A_FD:
		if (get_u8(a, &has, &fd) && c->stdio_fd < 0)
			c->stdio_fd = fd;
		break;
	case WHORL_STDIO_A_TYPE:
		get_u8(a, &s->has_type, &s->type);
		break;
	case WHORL_STDIO_A_FAMILY:
		get_u8(a, &s->has_family, &s->family);
		break;
	case WHORL_STDIO_A_PROTO:
		get_u8(a, &s->has_proto, &s->proto);
		break;
	case WHORL_STDIO_A_LOCAL_ADDR:
		get_addr(a, &s->local_len, s->local);
		break;
	case WHORL_STDIO_A_LOCAL_PORT:
		get_u16(a, &s->has_local_port, &s->local_port);
		break;
	case WHORL_STDIO_A_REMOTE_ADDR:
		get_addr(a, &s->remote_len, s->remote);
		break;
	case WHORL_STDIO_A_REMOTE_PORT:
		get_u16(a, &s->has_remote_port, &s->remote_port);
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

/*
 * One descriptor: kept only with a descriptor number of 0 to 2 not seen before, and its
 * addresses only when they have the size their family says (a hostile message cannot make
 * an IPv6 text of four bytes).
 */
static void parse_stdio(struct parse_ctx *c, const struct nlattr *a)
{
	struct whorl_stdio s = { 0 };
	int want;

	c->stdio = &s;
	c->stdio_fd = -1;
	mnl_attr_parse_nested(a, stdio_cb, c);
	c->stdio = NULL;
	if (c->stdio_fd < 0 || c->stdio_fd > 2 || c->f->stdio[c->stdio_fd].present)
		return;
	want = !s.has_family ? 0 : s.family == AF_INET ? 4 : s.family == AF_INET6 ? 16 : 0;
	if (s.local_len != want)
		s.local_len = 0;
	if (s.remote_len != want)
		s.remote_len = 0;
	s.present = 1;
	c->f->stdio[c->stdio_fd] = s;
}

static int env_cb(const struct nlattr *a, void *data)
{
	struct parse_ctx *c = data;
	struct whorl_env *e = c->env;

	switch (mnl_attr_get_type(a)) {
	case WHORL_ENV_A_NAME:
		if (mnl_attr_get_payload_len(a) <= WHORL_ENV_NAME_MAX)
			get_str(c, a, &e->name);
		break;
	case WHORL_ENV_A_VALUE:
		if (mnl_attr_get_payload_len(a) <= WHORL_ENV_VALUE_MAX)
			get_str(c, a, &e->value);
		break;
	case WHORL_ENV_A_TRUNCATED:
		e->truncated = 1;
		break;
	default:
		break;
	}
	return c->err ? MNL_CB_ERROR : MNL_CB_OK;
}

/* A variable's name as the module allows them: [A-Za-z0-9_]+. */
static int env_name_ok(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

	return n && !s[n];
}

/*
 * One variable: kept with a well-formed name and a value, at most WHORL_ENV_NAMES_MAX of
 * them, each name once (the first wins, as the program's getenv() would see it).
 */
static void parse_env(struct parse_ctx *c, const struct nlattr *a)
{
	struct whorl_finding *f = c->f;
	struct whorl_env e = { 0 };
	size_t i;
	int keep;

	if (f->nenv == WHORL_ENV_NAMES_MAX)
		return;
	if (!f->env) {
		f->env = calloc(WHORL_ENV_NAMES_MAX, sizeof(*f->env));
		if (!f->env) {
			c->err = -ENOMEM;
			return;
		}
	}
	c->env = &e;
	mnl_attr_parse_nested(a, env_cb, c);
	c->env = NULL;
	keep = !c->err && e.name && e.value && env_name_ok(e.name);
	for (i = 0; keep && i < f->nenv; i++)
		keep = strcmp(f->env[i].name, e.name) != 0;
	if (!keep) {
		free(e.name);
		free(e.value);
		return;
	}
	f->env[f->nenv++] = e;
}

static int finding_cb(const struct nlattr *a, void *data)
{
	struct parse_ctx *c = data;
	struct whorl_finding *f = c->f;

	switch (mnl_attr_get_type(a)) {
	case WHORL_F_SEQ:
		get_u64(a, &f->has_seq, &f->seq);
		break;
	case WHORL_F_ID:
		get_u64(a, &f->has_id, &f->id);
		break;
	case WHORL_F_KIND:
		get_u32(a, &f->has_kind, &f->kind);
		break;
	case WHORL_F_EVENT:
		get_u8(a, &f->has_event, &f->event);
		break;
	case WHORL_F_TIME_NS:
		get_u64(a, &f->has_time, &f->time_ns);
		break;
	case WHORL_F_PID:
		get_u32(a, &f->has_pid, &f->pid);
		break;
	case WHORL_F_TGID:
		get_u32(a, &f->has_tgid, &f->tgid);
		break;
	case WHORL_F_PPID:
		get_u32(a, &f->has_ppid, &f->ppid);
		break;
	case WHORL_F_UID:
		get_u32(a, &f->has_uid, &f->uid);
		break;
	case WHORL_F_EUID:
		get_u32(a, &f->has_euid, &f->euid);
		break;
	case WHORL_F_COMM:
		get_str(c, a, &f->comm);
		break;
	case WHORL_F_ARGS:
		parse_args(c, a);
		break;
	case WHORL_F_ARGS_TRUNCATED:
		f->args_truncated = 1;
		break;
	case WHORL_F_BINARY:
		parse_file(c, a, &f->binary);
		break;
	case WHORL_F_LIBRARY:
		parse_file(c, a, &f->library);
		break;
	case WHORL_F_CONTAINER_ID:
		get_str(c, a, &f->container_id);
		break;
	case WHORL_F_RUNTIME:
		get_u8(a, &f->has_runtime, &f->runtime);
		break;
	case WHORL_F_CGROUP:
		get_str(c, a, &f->cgroup);
		break;
	case WHORL_F_CGROUP_ID:
		get_u64(a, &f->has_cgroup_id, &f->cgroup_id);
		break;
	case WHORL_F_INTEL_CATEGORY:
		get_u8(a, &f->has_intel_category, &f->intel_category);
		break;
	case WHORL_F_INTEL_LABEL:
		get_str(c, a, &f->intel_label);
		break;
	case WHORL_F_ACTION:
		get_u8(a, &f->has_action, &f->action);
		break;
	case WHORL_F_ESCAPED:
		f->escaped = 1;
		break;
	case WHORL_F_HASH_ERROR:
		get_u32(a, &f->has_hash_error, &f->hash_error);
		break;
	case WHORL_F_SUPPRESSED:
		get_u32(a, &f->has_suppressed, &f->suppressed);
		break;
	case WHORL_F_GID:
		get_u32(a, &f->has_gid, &f->gid);
		break;
	case WHORL_F_CWD:
		get_str(c, a, &f->cwd);
		break;
	case WHORL_F_STDIO:
		parse_stdio(c, a);
		break;
	case WHORL_F_ENV:
		parse_env(c, a);
		break;
	case WHORL_F_ENV_INCOMPLETE:
		f->env_incomplete = 1;
		break;
	case WHORL_F_START_NS:
		get_u64(a, &f->has_start, &f->start_ns);
		break;
	case WHORL_F_EXEC_SEQ:
		get_u64(a, &f->has_exec_seq, &f->exec_seq);
		break;
	case WHORL_F_PARENT_START_NS:
		get_u64(a, &f->has_parent_start, &f->parent_start_ns);
		break;
	case WHORL_F_PARENT_EXEC_SEQ:
		get_u64(a, &f->has_parent_exec_seq, &f->parent_exec_seq);
		break;
	case WHORL_F_SCRIPT:
		parse_file(c, a, &f->script);
		break;
	default:
		break;
	}
	return c->err ? MNL_CB_ERROR : MNL_CB_OK;
}

int whorl_finding_parse_nest(const void *payload, size_t len, struct whorl_finding *f)
{
	struct parse_ctx c = { .f = f };

	mnl_attr_parse_payload(payload, len, finding_cb, &c);
	return c.err;
}

struct top_ctx {
	uint16_t type;			/* the nest the command carries */
	const struct nlattr *finding;
};

static int top_cb(const struct nlattr *a, void *data)
{
	struct top_ctx *t = data;

	if (mnl_attr_get_type(a) == t->type && !t->finding)
		t->finding = a;
	return MNL_CB_OK;
}

int whorl_finding_parse(const void *buf, size_t len, struct whorl_finding *f)
{
	const struct nlmsghdr *nlh = buf;
	const struct genlmsghdr *genl;
	struct top_ctx t = { 0 };

	memset(f, 0, sizeof(*f));
	if (len < sizeof(*nlh) || len > INT32_MAX || nlh->nlmsg_len > len ||
	    !mnl_nlmsg_ok(nlh, (int)len) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return -EINVAL;
	genl = mnl_nlmsg_get_payload(nlh);
	if (genl->cmd == WHORL_CMD_FINDING)
		t.type = WHORL_A_FINDING;
	else if (genl->cmd == WHORL_CMD_EXEC)
		t.type = WHORL_A_EXEC;
	else
		return -EINVAL;
	mnl_attr_parse(nlh, sizeof(*genl), top_cb, &t);
	if (!t.finding)
		return -EINVAL;
	f->exec = genl->cmd == WHORL_CMD_EXEC;
	return whorl_finding_parse_nest(mnl_attr_get_payload(t.finding),
					mnl_attr_get_payload_len(t.finding), f);
}

static void file_free(struct whorl_file *fl)
{
	free(fl->path);
	free(fl->fs_path);
	free(fl->disk_path);
	free(fl->layer_dir);
	free(fl->layer_diff_id);
}

void whorl_finding_free(struct whorl_finding *f)
{
	size_t i;

	free(f->comm);
	for (i = 0; i < f->nargs; i++)
		free(f->args[i]);
	free(f->args);
	file_free(&f->binary);
	file_free(&f->library);
	free(f->container_id);
	free(f->cgroup);
	free(f->intel_label);
	free(f->cwd);
	for (i = 0; i < f->nenv; i++) {
		free(f->env[i].name);
		free(f->env[i].value);
	}
	free(f->env);
	file_free(&f->script);
	memset(f, 0, sizeof(*f));
}

const struct whorl_file *whorl_finding_subject(const struct whorl_finding *f)
{
	const struct whorl_kind_info *k = f->has_kind ? whorl_kind(f->kind) : NULL;

	/*
	 * A mapping's offending file is its library, whatever the kind: an
	 * unfingerprintable or fileless mapping too, not the program mapping it.
	 */
	if ((k && k->library) || f->library.present)
		return &f->library;
	return &f->binary;
}

uint64_t whorl_seq_next(struct whorl_seq *s, uint64_t seq)
{
	uint64_t gap = 0;

	if (seq > s->next) {
		gap = seq - s->next;
		s->lost += gap;
	}
	s->next = seq + 1;
	return gap;
}

void whorl_hex(const uint8_t sha256[WHORL_SHA256_LEN], char out[2 * WHORL_SHA256_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < WHORL_SHA256_LEN; i++) {
		out[2 * i] = digits[sha256[i] >> 4];
		out[2 * i + 1] = digits[sha256[i] & 15];
	}
	out[2 * WHORL_SHA256_LEN] = '\0';
}
