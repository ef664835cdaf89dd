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

/* An image layer as its runtime records it. */
struct whorl_layer_info {
	char *diff_id;		/* the digest of the layer's uncompressed content, "sha256:<64 hex>" */
	unsigned int index;	/* its position in the image, 1 for the bottom layer; 0 unknown */
	unsigned int count;	/* the image's layers; 0 when not known */
};

/* Layer directories and chain links followed before a layer store is called corrupt. */
#define WHORL_LAYERS_MAX	4096U
#define WHORL_LAYER_DEPTH_MAX	512U

/*
 * whorl_enrich_layer - the image layer whose directory is @layer_dir (as the module sends it:
 * from the root of the filesystem holding it), looked up in the records of the runtime whose
 * layout it has under @root: Docker's overlay2 layer database (<id>/diff: layerdb's cache-id,
 * diff and parent), containers/storage's layers.json (overlay/<id>/diff: Podman, CRI-O), or
 * containerd's overlayfs snapshotter (snapshots/<n>/fs: its metadata.db, and the image config
 * in its content store). @image_id (from whorl_enrich(), may be NULL) gives the image's layer
 * count. Return: 1 with @out filled (release with whorl_layer_info_free()), 0 if no record
 * says; @refused counts records not used (too large, malformed, a loop).
 */
int whorl_enrich_layer(const char *root, const char *layer_dir, const char *image_id,
		       struct whorl_layer_info *out, unsigned int *refused);
void whorl_layer_info_free(struct whorl_layer_info *l);

/* "2026-12-05T03:00:18.788645910Z" and its terminating NUL */
#define WHORL_TIME_LEN 31

/*
 * whorl_rfc3339_utc - a time in RFC 3339's form with its zone (Z or an offset), as @out in UTC
 * with nine fractional digits (proto3's JSON form of a Timestamp). Return: 0, or -1 if @s is not
 * such a time (a field out of range included).
 */
int whorl_rfc3339_utc(const char *s, char out[WHORL_TIME_LEN]);

#endif /* WHORL_ENRICH_H */
