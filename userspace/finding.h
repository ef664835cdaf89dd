/* SPDX-License-Identifier: GPL-2.0 */
/* finding.h - one finding, as parsed from a WHORL_CMD_FINDING message. */
#ifndef WHORL_FINDING_H
#define WHORL_FINDING_H

#include <stddef.h>
#include <stdint.h>
#include <linux/whorl.h>

/* One file (WHORL_F_BINARY / WHORL_F_LIBRARY). Strings are valid UTF-8, owned. */
struct whorl_file {
	int present;
	char *path;
	char *fs_path;			/* from the root of the file's filesystem */
	int has_dev_major, has_dev_minor;
	uint32_t dev_major, dev_minor;	/* that filesystem's device, as sent */
	int has_dev;
	uint32_t dev;			/* the same as one number: major << 20 | minor */
	char *disk_path;		/* the host's path: not sent, resolved (mounts.h) */
	int has_sha256;
	uint8_t sha256[WHORL_SHA256_LEN];
	int has_size, has_hashed_size;
	uint64_t size, hashed_size;
	int partial;
	int has_layer;
	uint8_t layer;
	int has_layer_reason;
	uint8_t layer_reason;		/* enum whorl_layer_reason, with an unknown layer */
	int has_content;
	uint8_t content;
	int has_lower_sha256;
	uint8_t lower_sha256[WHORL_SHA256_LEN];
	char *layer_dir;		/* its image layer's directory, from its filesystem's root */
	int has_layer_dev_major, has_layer_dev_minor;
	uint32_t layer_dev_major, layer_dev_minor;
	char *layer_diff_id;		/* that layer as the runtime records it: not sent, resolved */
	unsigned int layer_index;	/* (enrich.h); 1 is the image's bottom layer */
	unsigned int layer_count;	/* the image's layers, 0 when not known */
};

/* One of descriptors 0, 1, 2 at exec (WHORL_F_STDIO). */
struct whorl_stdio {
	int present;
	int has_type, has_family, has_proto, has_local_port, has_remote_port;
	uint8_t type;			/* enum whorl_stdio_type */
	uint8_t family;			/* AF_INET, AF_INET6 */
	uint8_t proto;			/* IPPROTO_TCP, IPPROTO_UDP, other */
	uint8_t local_len, remote_len;	/* 4 or 16 bytes, 0: absent */
	uint8_t local[16], remote[16];	/* network order */
	uint16_t local_port, remote_port;
};

/* One captured environment variable (WHORL_F_ENV). Valid UTF-8, owned. */
struct whorl_env {
	char *name;
	char *value;
	int truncated;			/* the value was longer than the module keeps */
};

/*
 * The has_* flags say an attribute was present and well formed; absent ones are omitted.
 * An exec event (WHORL_CMD_EXEC) is parsed into the same structure: it has no kind, and the
 * exec's context below the exec flag.
 */
struct whorl_finding {
	int has_seq, has_id, has_kind, has_event, has_time;
	uint64_t seq, id, time_ns;
	uint32_t kind;
	uint8_t event;
	int has_pid, has_tgid, has_ppid, has_uid, has_euid;
	uint32_t pid, tgid, ppid, uid, euid;
	char *comm;
	char **args;			/* argv, each valid UTF-8 */
	size_t nargs;
	int args_truncated;
	struct whorl_file binary, library;
	char *container_id;
	int has_runtime;
	uint8_t runtime;
	char *cgroup;
	int has_cgroup_id;
	uint64_t cgroup_id;
	int has_intel_category;
	uint8_t intel_category;
	char *intel_label;
	int has_action;
	uint8_t action;
	int has_suppressed;
	uint32_t suppressed;
	int has_hash_error;
	uint32_t hash_error;		/* errno hashing the subject ended with */
	int escaped;			/* ran on the host's side from a container's cgroup */

	int exec;			/* an exec event (WHORL_CMD_EXEC), not a finding */
	int has_gid;
	uint32_t gid;
	char *cwd;
	struct whorl_stdio stdio[3];	/* indexed by descriptor */
	struct whorl_env *env;		/* in the order sent, names unique, at most */
	size_t nenv;			/* WHORL_ENV_NAMES_MAX */
	int env_incomplete;
	int has_start, has_exec_seq, has_parent_start, has_parent_exec_seq;
	uint64_t start_ns, exec_seq, parent_start_ns, parent_exec_seq;
	struct whorl_file script;	/* the script an interpreter was given */
};

/*
 * whorl_finding_parse - parse one netlink message of the whorl family.
 * @buf, @len: the message, starting at its struct nlmsghdr.
 * @f: filled on success; release with whorl_finding_free() whatever the result.
 * Unknown attributes and attributes of the wrong size are skipped.
 * Return: 0 (@f->exec says an exec event); -EINVAL if this is neither a WHORL_CMD_FINDING with
 * a WHORL_A_FINDING nest nor a WHORL_CMD_EXEC with a WHORL_A_EXEC nest; -ENOMEM.
 */
int whorl_finding_parse(const void *buf, size_t len, struct whorl_finding *f);

/* Parse the WHORL_A_FINDING nest's payload (the attribute stream inside it). */
int whorl_finding_parse_nest(const void *payload, size_t len, struct whorl_finding *f);

void whorl_finding_free(struct whorl_finding *f);

/* The file the finding is about: the library for library kinds and for any mapping, else the binary. */
const struct whorl_file *whorl_finding_subject(const struct whorl_finding *f);

/*
 * A subscriber's sequence numbers start at 1 and a gap is the kernel's drops.
 * whorl_seq_next() takes the next finding's number and returns how many were lost before it;
 * a number going back (a new subscription) starts counting again from it.
 */
struct whorl_seq {
	uint64_t next;			/* the number expected next; 1 after subscribing */
	uint64_t lost;			/* in all */
};
uint64_t whorl_seq_next(struct whorl_seq *s, uint64_t seq);

/* Lower-case hex of a digest into out[65]. */
void whorl_hex(const uint8_t sha256[WHORL_SHA256_LEN], char out[2 * WHORL_SHA256_LEN + 1]);

#endif /* WHORL_FINDING_H */
