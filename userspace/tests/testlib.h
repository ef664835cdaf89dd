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

struct t_file {
	int present;
	const char *path, *disk_path;
	const char *sha256_hex;		/* NULL: not hashed */
	uint64_t size, hashed;
	int partial;
	int layer;			/* -1: attribute absent */
	int content;			/* -1: attribute absent */
	const char *lower_sha256_hex;
};

/* A finding as whorl_put_finding() in kmod/netlink.c sends it. */
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
};

/* The CVE-2024-3094 case: xz in a Docker container loads a modified liblzma in intel. */
struct t_finding t_modified_liblzma(void);
/* An escape tool added to a Kubernetes (containerd) container and run. */
struct t_finding t_escape_tool(void);

/* Build the WHORL_CMD_FINDING message into @buf (at least 16 KiB); returns its length. */
size_t t_build_finding(void *buf, const struct t_finding *f);

void t_unhex(const char *hex, uint8_t *out, size_t n);

/* $WHORL_FIXTURES (default tests/fixtures) joined with @rel, in a static buffer. */
const char *t_fixture(const char *rel);

#endif /* WHORL_TESTLIB_H */
