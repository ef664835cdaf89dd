/* SPDX-License-Identifier: GPL-2.0 */
/* testlib.h - what the unit tests share: findings built as the kernel builds them, fixtures. */
#ifndef WHORL_TESTLIB_H
#define WHORL_TESTLIB_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/whorl.h>

/* The family id the tests pretend the kernel assigned. */
#define T_FAMILY 0x1d

/* A device number as the kernel encodes it (MKDEV). */
#define T_DEV(major, minor) ((uint32_t)(major) << 20 | (minor))

struct t_file {
	int present;
	const char *path;
	const char *fs_path;		/* from the filesystem's root; NULL: attribute absent */
	uint32_t dev;			/* the filesystem's device, always sent */
	const char *sha256_hex;		/* NULL: not hashed */
	uint64_t size, hashed;
	int partial;
	int layer;			/* -1: attribute absent */
	int layer_reason;		/* enum whorl_layer_reason; 0: attribute absent */
	int content;			/* -1: attribute absent */
	const char *lower_sha256_hex;
	const char *layer_dir;		/* its image layer's directory; NULL: attribute absent */
	uint32_t layer_dev;		/* that layer's filesystem, with layer_dir */
};

/* One standard descriptor of an exec event. */
struct t_stdio {
	int present;
	uint8_t type;			/* enum whorl_stdio_type */
	uint8_t family, proto;		/* 0: attribute absent */
	const char *local, *remote;	/* addresses as text (inet_pton); NULL: absent */
	uint16_t local_port, remote_port;
};

struct t_env {
	const char *name, *value;
	int truncated;
};

#define T_ENV_MAX 20

/*
 * A finding as whorl_put_finding() in kmod/netlink.c sends it; with @exec, an exec event
 * (WHORL_CMD_EXEC) as the module sends it: no id, kind, intel, action or suppressed count,
 * and the exec's context (gid ... script).
 */
struct t_finding {
	uint64_t seq, id, time_ns;
	uint32_t kind;
	uint8_t event;
	uint32_t pid, tgid, ppid, uid, euid;
	const char *comm;
	const char *args;		/* argv as NUL-separated strings */
	size_t args_len;
	int args_truncated;
	struct t_file binary, library;
	const char *container_id;
	uint8_t runtime;
	const char *cgroup;
	uint64_t cgroup_id;
	uint8_t intel_category;
	const char *intel_label;
	uint8_t action;
	uint32_t suppressed;
	int pad64;			/* put a pad attribute before every u64, as on
					 * architectures without efficient unaligned access */
	int escaped;
	int exec;			/* an exec event */
	uint32_t gid;
	const char *cwd;
	struct t_stdio stdio[3];	/* by descriptor */
	struct t_env env[T_ENV_MAX];
	size_t nenv;
	int env_incomplete;
	uint64_t start_ns, exec_seq, parent_start_ns, parent_exec_seq;
	struct t_file script;
};

/*
 * The CVE-2024-3094 case: xz in a Docker container loads a modified liblzma in intel. Its
 * files are on the container's overlayfs, T_DOCKER_DEV, mounted on the host (in
 * tests/fixtures/state/proc/1/mountinfo) at T_DOCKER_ROOTFS.
 */
struct t_finding t_modified_liblzma(void);
/* An escape tool added to a Kubernetes (containerd) container and run; T_K8S_DEV. */
struct t_finding t_escape_tool(void);
/*
 * An exec event: in the Kubernetes container, `sh -i` (busybox's, from the image) run as root
 * by /usr/bin/python3 (pid T_EXEC_PPID) with its standard input and output a TCP socket
 * connected to 10.0.0.9:4444 and its error a pipe, LD_PRELOAD set: a reverse shell.
 */
struct t_finding t_exec_shell(void);
#define T_EXEC_PID 5150
#define T_EXEC_PPID 5100
#define T_EXEC_START_NS 90000000000ULL	/* 90 s after boot: clock ticks 9000 at 100 Hz */
#define T_EXEC_PARENT_START_NS 80000000000ULL

#define T_DOCKER_ID "8a3c8d0b5b7e54f0a4e0fd2c3b1a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f"
#define T_K8S_ID "3f1e2d4c5b6a798012345678901234567890abcdef1234567890abcdef123456"
#define T_DOCKER_DEV T_DEV(0, 123)
#define T_K8S_DEV T_DEV(0, 131)
/* an image id, as a runtime names it */
#define T_IMAGE_ID "sha256:6c1e4d1b9c0c0f2e9f7d3a7b1c5e9a8d2f6b4c3a1e0d9c8b7a6f5e4d3c2b1a0f"
#define T_DOCKER_ROOTFS "/run/containerd/io.containerd.runtime.v2.task/moby/" T_DOCKER_ID "/rootfs"
#define T_K8S_ROOTFS "/run/containerd/io.containerd.runtime.v2.task/k8s.io/" T_K8S_ID "/rootfs"
/* The image layer the liblzma case's image copy lies in: Docker's layer 2 of the
 * tests/fixtures/runtimes image. */
#define T_LAYER_DIR \
	"/var/lib/docker/overlay2/7543f812a176e313913a6043bd3164f257ccdda1aabf6d590d26091532b78df8/diff"
#define T_LAYER_DEV T_DEV(254, 1)
/* The host's mount table of the fixtures. */
#define T_MOUNTINFO "state/proc/1/mountinfo"

/* Build the WHORL_CMD_FINDING (or WHORL_CMD_EXEC) message into @buf (at least 16 KiB); returns
 * its length. */
size_t t_build_finding(void *buf, const struct t_finding *f);

void t_unhex(const char *hex, uint8_t *out, size_t n);

/* $WHORL_FIXTURES (default tests/fixtures) joined with @rel, in a static buffer. */
const char *t_fixture(const char *rel);

struct json_object;
/* The string at a dotted path (whorl_json_at), or "<absent>" (which no expected value is). */
const char *t_json_str(struct json_object *o, const char *path);

#endif /* WHORL_TESTLIB_H */
