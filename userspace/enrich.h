/* SPDX-License-Identifier: GPL-2.0 */
/* enrich.h - container name and image from the container runtimes' state on this host. */
#ifndef WHORL_ENRICH_H
#define WHORL_ENRICH_H

struct whorl_label {
	char *name;
	char *value;
};

/* What the runtime's state says; NULL what it does not say. Owned strings. */
struct whorl_container_info {
	char *name;
	char *image;		/* the image reference the container was created from */
	char *image_id;		/* the image's id, "sha256:<64 hex>" (the digest of its config) */
	char *created;		/* when the runtime created the container, RFC 3339 in UTC */
	struct whorl_label *labels;	/* in the state file's order, at most WHORL_STATE_LABELS_MAX */
	unsigned int nlabels;
	char *pod_name;		/* Kubernetes: the pod, its namespace and uid */
	char *pod_namespace;
	char *pod_uid;
	const char *source;	/* which state answered: "docker", "containerd", "cri-o", "podman" */
	unsigned int refused;	/* state files or fields not used: too large, not a regular file */
};

/* A state file past this many bytes is not read; a field past WHORL_STATE_FIELD_MAX is left out. */
#define WHORL_STATE_FILE_MAX	(16U << 20)
#define WHORL_STATE_FIELD_MAX	1024U
/* Labels past this many are left out (and counted in refused). */
#define WHORL_STATE_LABELS_MAX	64U

/* The state root prefix: $WHORL_STATE_ROOT, or "" for the host's own paths. */
const char *whorl_state_root(void);

/*
 * whorl_enrich - look container @id up in the runtimes' local state under @root (a path
 * prefix, "" for /). @runtime (enum whorl_runtime) picks the runtime asked first; the others
 * are asked after, since a 64-hex id names one container wherever it is found.
 * Return: 1 if found (@ci filled, release with whorl_container_info_free()), 0 if not.
 * Either way @ci->refused counts what was not used: a state file that is not a regular file
 * (a FIFO would stall the reader) or is larger than WHORL_STATE_FILE_MAX, a field longer than
 * WHORL_STATE_FIELD_MAX. Truncated or malformed JSON, and a field that is not a string, are
 * absent. Field values are well-formed UTF-8 (bad bytes replaced), never longer than the cap.
 */
int whorl_enrich(const char *root, unsigned int runtime, const char *id,
		 struct whorl_container_info *ci);

void whorl_container_info_free(struct whorl_container_info *ci);

/* "2026-12-05T03:00:18.788645910Z" and its terminating NUL */
#define WHORL_TIME_LEN 31

/*
 * whorl_rfc3339_utc - a time in RFC 3339's form with its zone (Z or an offset), as @out in UTC
 * with nine fractional digits (proto3's JSON form of a Timestamp). Return: 0, or -1 if @s is not
 * such a time (a field out of range included).
 */
int whorl_rfc3339_utc(const char *s, char out[WHORL_TIME_LEN]);

#endif /* WHORL_ENRICH_H */
