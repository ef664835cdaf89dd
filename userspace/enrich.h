/* SPDX-License-Identifier: GPL-2.0 */
/* enrich.h - container name and image from the container runtimes' state on this host. */
#ifndef WHORL_ENRICH_H
#define WHORL_ENRICH_H

/* What the runtime's state says; NULL what it does not say. Owned strings. */
struct whorl_container_info {
	char *name;
	char *image;		/* the image reference the container was created from */
	char *pod_name;		/* Kubernetes: the pod and its namespace */
	char *pod_namespace;
	const char *source;	/* which state answered: "docker", "containerd", "cri-o", "podman" */
	unsigned int refused;	/* state files or fields not used: too large, not a regular file */
};

/* A state file past this many bytes is not read; a field past WHORL_STATE_FIELD_MAX is left out. */
#define WHORL_STATE_FILE_MAX	(16U << 20)
#define WHORL_STATE_FIELD_MAX	1024U

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

#endif /* WHORL_ENRICH_H */
