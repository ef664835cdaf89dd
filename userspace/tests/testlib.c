// SPDX-License-Identifier: GPL-2.0
/* testlib.c - findings built with libmnl exactly as the module's whorl_put_finding() does. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/genetlink.h>

#include <json-c/json.h>

#include "json.h"
#include "testlib.h"

/* sha256 of the tampered liblzma stand-in, and of the image's own copy (illustrative). */
#define TAMPERED_SHA "5ee2a4e8d25be3a3f6e0f8ce1ea4a3b0b9d8f3d6c3f2b1a09e8d7c6b5a4f3e2d"
#define IMAGE_SHA "0b3b7c2fa0d4e7d3f5c9b1a2e3d4c5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d2"
#define ESCAPE_SHA "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

struct t_finding t_modified_liblzma(void)
{
	static const char args[] = "/usr/bin/xz\0--version";
	struct t_finding f = {
		.seq = 1, .id = 42, .time_ns = 1711713600123456789ULL,
		.kind = WHORL_KIND_MODIFIED_MALICIOUS_LIBRARY, .event = WHORL_EVENT_MMAP,
		.pid = 4242, .tgid = 4242, .ppid = 4200, .uid = 0, .euid = 0,
		.comm = "xz", .args = args, .args_len = sizeof(args),
		.binary = { .present = 1, .path = "/usr/bin/xz", .fs_path = "/usr/bin/xz",
			    .dev = T_DOCKER_DEV, .layer = WHORL_LAYER_IMAGE, .content = -1 },
		.library = { .present = 1, .path = "/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1",
			     .fs_path = "/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1",
			     .dev = T_DOCKER_DEV, .sha256_hex = TAMPERED_SHA, .size = 186776,
			     .hashed = 186776, .layer = WHORL_LAYER_MODIFIED,
			     .content = WHORL_CONTENT_CHANGED, .lower_sha256_hex = IMAGE_SHA,
			     .layer_dir = T_LAYER_DIR, .layer_dev = T_LAYER_DEV },
		.container_id = T_DOCKER_ID, .runtime = WHORL_RUNTIME_DOCKER,
		.cgroup = "/system.slice/docker-" T_DOCKER_ID ".scope", .cgroup_id = 8123,
		.intel_category = WHORL_INTEL_MALICIOUS, .intel_label = "xz-backdoor CVE-2024-3094",
		.action = WHORL_ACTION_NONE,
	};
	return f;
}

struct t_finding t_escape_tool(void)
{
	static const char args[] = "/tmp/.x\0--scan";
	struct t_finding f = {
		.seq = 7, .id = 9, .time_ns = 1700000000000000000ULL,
		.kind = WHORL_KIND_CONTAINER_ESCAPE, .event = WHORL_EVENT_EXEC,
		.pid = 777, .tgid = 777, .ppid = 700, .uid = 0, .euid = 0,
		.comm = ".x", .args = args, .args_len = sizeof(args),
		.binary = { .present = 1, .path = "/tmp/.x", .fs_path = "/tmp/.x", .dev = T_K8S_DEV,
			    .sha256_hex = ESCAPE_SHA, .size = 917504, .hashed = 917504,
			    .layer = WHORL_LAYER_ADDED, .content = -1 },
		.container_id = T_K8S_ID, .runtime = WHORL_RUNTIME_CONTAINERD,
		.cgroup = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
			  "0f1e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b.slice/cri-containerd-" T_K8S_ID ".scope",
		.cgroup_id = 9001,
		.intel_category = WHORL_INTEL_CONTAINER_ESCAPE, .intel_label = "escape-tool",
		.action = WHORL_ACTION_NONE,
	};
	return f;
}

struct t_finding t_exec_shell(void)
{
	static const char args[] = "sh\0-i";
	struct t_finding f = {
		.exec = 1, .seq = 12, .time_ns = 1711713600500000000ULL, .event = WHORL_EVENT_EXEC,
		.pid = T_EXEC_PID, .tgid = T_EXEC_PID, .ppid = T_EXEC_PPID, .uid = 0, .euid = 0,
		.gid = 0, .comm = "sh", .args = args, .args_len = sizeof(args),
		.binary = { .present = 1, .path = "/bin/busybox", .fs_path = "/bin/busybox",
			    .dev = T_K8S_DEV, .sha256_hex = ESCAPE_SHA, .size = 1131168,
			    .hashed = 1131168, .layer = WHORL_LAYER_IMAGE, .content = -1 },
		.cwd = "/tmp",
		.stdio = {
			{ .present = 1, .type = WHORL_STDIO_SOCKET, .family = AF_INET,
			  .proto = IPPROTO_TCP, .local = "10.244.1.7", .local_port = 41234,
			  .remote = "10.0.0.9", .remote_port = 4444 },
			{ .present = 1, .type = WHORL_STDIO_SOCKET, .family = AF_INET,
			  .proto = IPPROTO_TCP, .local = "10.244.1.7", .local_port = 41234,
			  .remote = "10.0.0.9", .remote_port = 4444 },
			{ .present = 1, .type = WHORL_STDIO_PIPE },
		},
		.env = { { "LD_PRELOAD", "/tmp/.x.so", 0 } },
		.nenv = 1,
		.start_ns = T_EXEC_START_NS, .exec_seq = 1,
		.parent_start_ns = T_EXEC_PARENT_START_NS, .parent_exec_seq = 1,
		.container_id = T_K8S_ID, .runtime = WHORL_RUNTIME_CONTAINERD,
		.cgroup = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
			  "0f1e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b.slice/cri-containerd-" T_K8S_ID
			  ".scope",
		.cgroup_id = 9001,
	};
	return f;
}

void t_unhex(const char *hex, uint8_t *out, size_t n)
{
	size_t i;
	unsigned int b;

	for (i = 0; i < n; i++) {
		sscanf(hex + 2 * i, "%2x", &b);
		out[i] = b;
	}
}

static void put_u64(struct nlmsghdr *nlh, uint16_t type, uint64_t v, uint16_t pad, int pad64)
{
	if (pad64)
		mnl_attr_put(nlh, pad, 0, NULL);
	mnl_attr_put_u64(nlh, type, v);
}

static void put_file(struct nlmsghdr *nlh, uint16_t type, const struct t_file *fl, int pad64)
{
	struct nlattr *nest;
	uint8_t sha[WHORL_SHA256_LEN];

	if (!fl->present)
		return;
	nest = mnl_attr_nest_start(nlh, type);
	mnl_attr_put_strz(nlh, WHORL_FILE_A_PATH, fl->path);
	if (fl->fs_path)
		mnl_attr_put_strz(nlh, WHORL_FILE_A_FS_PATH, fl->fs_path);
	mnl_attr_put_u32(nlh, WHORL_FILE_A_DEV_MAJOR, fl->dev >> 20);
	mnl_attr_put_u32(nlh, WHORL_FILE_A_DEV_MINOR, fl->dev & 0xfffff);
	if (fl->layer >= 0)
		mnl_attr_put_u8(nlh, WHORL_FILE_A_LAYER, fl->layer);
	if (fl->layer_reason > 0)
		mnl_attr_put_u8(nlh, WHORL_FILE_A_LAYER_REASON, fl->layer_reason);
	if (fl->sha256_hex) {
		t_unhex(fl->sha256_hex, sha, sizeof(sha));
		mnl_attr_put(nlh, WHORL_FILE_A_SHA256, sizeof(sha), sha);
		put_u64(nlh, WHORL_FILE_A_SIZE, fl->size, WHORL_FILE_A_PAD, pad64);
		put_u64(nlh, WHORL_FILE_A_HASHED_SIZE, fl->hashed, WHORL_FILE_A_PAD, pad64);
		if (fl->partial)
			mnl_attr_put(nlh, WHORL_FILE_A_PARTIAL, 0, NULL);
	}
	if (fl->content >= 0)
		mnl_attr_put_u8(nlh, WHORL_FILE_A_CONTENT, fl->content);
	if (fl->lower_sha256_hex) {
		t_unhex(fl->lower_sha256_hex, sha, sizeof(sha));
		mnl_attr_put(nlh, WHORL_FILE_A_LOWER_SHA256, sizeof(sha), sha);
	}
	if (fl->layer_dir) {
		mnl_attr_put_strz(nlh, WHORL_FILE_A_LAYER_DIR, fl->layer_dir);
		mnl_attr_put_u32(nlh, WHORL_FILE_A_LAYER_DEV_MAJOR, fl->layer_dev >> 20);
		mnl_attr_put_u32(nlh, WHORL_FILE_A_LAYER_DEV_MINOR, fl->layer_dev & 0xfffff);
	}
	mnl_attr_nest_end(nlh, nest);
}

static void put_addr(struct nlmsghdr *nlh, uint16_t type, uint8_t family, const char *text)
{
	uint8_t a[16];

	if (!text)
		return;
	if (inet_pton(family == AF_INET6 ? AF_INET6 : AF_INET, text, a) != 1) {
		fprintf(stderr, "testlib: bad address '%s'\n", text);
		abort();
	}
	mnl_attr_put(nlh, type, family == AF_INET6 ? 16 : 4, a);
}

/* The exec event's own attributes, in the order the module puts them. */
static void put_exec(struct nlmsghdr *nlh, const struct t_finding *f)
{
	struct nlattr *nest;
	size_t i;

	mnl_attr_put_u32(nlh, WHORL_F_GID, f->gid);
	if (f->cwd)
		mnl_attr_put_strz(nlh, WHORL_F_CWD, f->cwd);
	for (i = 0; i < 3; i++) {
		const struct t_stdio *s = &f->stdio[i];

		if (!s->present)
			continue;
		nest = mnl_attr_nest_start(nlh, WHORL_F_STDIO);
		mnl_attr_put_u8(nlh, WHORL_STDIO_A_FD, i);
		mnl_attr_put_u8(nlh, WHORL_STDIO_A_TYPE, s->type);
		if (s->family) {
			mnl_attr_put_u8(nlh, WHORL_STDIO_A_FAMILY, s->family);
			mnl_attr_put_u8(nlh, WHORL_STDIO_A_PROTO, s->proto);
			put_addr(nlh, WHORL_STDIO_A_LOCAL_ADDR, s->family, s->local);
			mnl_attr_put_u16(nlh, WHORL_STDIO_A_LOCAL_PORT, s->local_port);
			if (s->remote) {
				put_addr(nlh, WHORL_STDIO_A_REMOTE_ADDR, s->family, s->remote);
				mnl_attr_put_u16(nlh, WHORL_STDIO_A_REMOTE_PORT, s->remote_port);
			}
		}
		mnl_attr_nest_end(nlh, nest);
	}
	for (i = 0; i < f->nenv; i++) {
		nest = mnl_attr_nest_start(nlh, WHORL_F_ENV);
		mnl_attr_put_strz(nlh, WHORL_ENV_A_NAME, f->env[i].name);
		mnl_attr_put_strz(nlh, WHORL_ENV_A_VALUE, f->env[i].value);
		if (f->env[i].truncated)
			mnl_attr_put(nlh, WHORL_ENV_A_TRUNCATED, 0, NULL);
		mnl_attr_nest_end(nlh, nest);
	}
	if (f->env_incomplete)
		mnl_attr_put(nlh, WHORL_F_ENV_INCOMPLETE, 0, NULL);
	put_u64(nlh, WHORL_F_START_NS, f->start_ns, WHORL_F_PAD, f->pad64);
	put_u64(nlh, WHORL_F_EXEC_SEQ, f->exec_seq, WHORL_F_PAD, f->pad64);
	put_u64(nlh, WHORL_F_PARENT_START_NS, f->parent_start_ns, WHORL_F_PAD, f->pad64);
	put_u64(nlh, WHORL_F_PARENT_EXEC_SEQ, f->parent_exec_seq, WHORL_F_PAD, f->pad64);
}

size_t t_build_finding(void *buf, const struct t_finding *f)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;
	struct nlattr *nest;
	int pad = f->pad64;

	nlh->nlmsg_type = T_FAMILY;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = f->exec ? WHORL_CMD_EXEC : WHORL_CMD_FINDING;
	genl->version = WHORL_GENL_VERSION;
	nest = mnl_attr_nest_start(nlh, f->exec ? WHORL_A_EXEC : WHORL_A_FINDING);
	put_u64(nlh, WHORL_F_SEQ, f->seq, WHORL_F_PAD, pad);
	if (!f->exec) {
		put_u64(nlh, WHORL_F_ID, f->id, WHORL_F_PAD, pad);
		mnl_attr_put_u32(nlh, WHORL_F_KIND, f->kind);
	}
	mnl_attr_put_u8(nlh, WHORL_F_EVENT, f->event);
	put_u64(nlh, WHORL_F_TIME_NS, f->time_ns, WHORL_F_PAD, pad);
	mnl_attr_put_u32(nlh, WHORL_F_PID, f->pid);
	mnl_attr_put_u32(nlh, WHORL_F_TGID, f->tgid);
	mnl_attr_put_u32(nlh, WHORL_F_PPID, f->ppid);
	mnl_attr_put_u32(nlh, WHORL_F_UID, f->uid);
	mnl_attr_put_u32(nlh, WHORL_F_EUID, f->euid);
	mnl_attr_put_strz(nlh, WHORL_F_COMM, f->comm);
	if (f->args_len)
		mnl_attr_put(nlh, WHORL_F_ARGS, f->args_len, f->args);
	if (f->args_truncated)
		mnl_attr_put(nlh, WHORL_F_ARGS_TRUNCATED, 0, NULL);
	put_file(nlh, WHORL_F_BINARY, &f->binary, pad);
	if (f->exec) {
		put_file(nlh, WHORL_F_SCRIPT, &f->script, pad);
		put_exec(nlh, f);
	} else {
		put_file(nlh, WHORL_F_LIBRARY, &f->library, pad);
	}
	if (f->container_id)
		mnl_attr_put_strz(nlh, WHORL_F_CONTAINER_ID, f->container_id);
	mnl_attr_put_u8(nlh, WHORL_F_RUNTIME, f->runtime);
	mnl_attr_put_strz(nlh, WHORL_F_CGROUP, f->cgroup);
	put_u64(nlh, WHORL_F_CGROUP_ID, f->cgroup_id, WHORL_F_PAD, pad);
	if (f->escaped)
		mnl_attr_put(nlh, WHORL_F_ESCAPED, 0, NULL);
	if (f->exec) {
		mnl_attr_nest_end(nlh, nest);
		return nlh->nlmsg_len;
	}
	mnl_attr_put_u8(nlh, WHORL_F_INTEL_CATEGORY, f->intel_category);
	if (f->intel_label && *f->intel_label)
		mnl_attr_put_strz(nlh, WHORL_F_INTEL_LABEL, f->intel_label);
	mnl_attr_put_u8(nlh, WHORL_F_ACTION, f->action);
	mnl_attr_put_u32(nlh, WHORL_F_SUPPRESSED, f->suppressed);
	mnl_attr_nest_end(nlh, nest);
	return nlh->nlmsg_len;
}

const char *t_fixture(const char *rel)
{
	static char path[4096];
	const char *dir = getenv("WHORL_FIXTURES");

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/fixtures", rel);
	return path;
}

const char *t_json_str(struct json_object *o, const char *path)
{
	json_object *v = whorl_json_at(o, path);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) :
	       "<absent>";
}
