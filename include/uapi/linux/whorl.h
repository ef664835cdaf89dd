/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * whorl.h - the generic netlink contract between the whorl kernel module and
 * the whorl tool.
 *
 * Family "whorl", version WHORL_GENL_VERSION, reachable only from the initial
 * network namespace. Every command needs CAP_NET_ADMIN in the initial user
 * namespace. Findings are delivered by unicast to subscribed sockets only:
 * a subscriber whose receive buffer is full loses the finding, the kernel
 * counts the drop and the subscriber sees a gap in WHORL_A_FINDING_SEQ.
 *
 * Numbering rules: UNSPEC first, __*_MAX last; values never change once
 * released, new ones are appended.
 */
#ifndef _UAPI_LINUX_WHORL_H
#define _UAPI_LINUX_WHORL_H

#include <linux/types.h>

#define WHORL_GENL_NAME		"whorl"
#define WHORL_GENL_VERSION	3

#define WHORL_SHA256_LEN	32
/* Longest intel label, NUL included. */
#define WHORL_LABEL_MAX		64
/* Most distinct labels in one intel set, and in one load's label numbering. */
#define WHORL_INTEL_MAX_LABELS	65535
/* Longest basename in a name rule, NUL included. */
#define WHORL_NAME_MAX		256
/* Longest container id, NUL included (64 hex digits for OCI runtimes). */
#define WHORL_CONTAINER_ID_MAX	128

/**
 * enum whorl_cmd - commands of the whorl family.
 * @WHORL_CMD_STATUS_GET: reply carries WHORL_A_VERSION, the WHORL_A_CONFIG_*
 *	attributes, WHORL_A_COUNTERS and WHORL_A_INTEL_COUNT/_RULES.
 * @WHORL_CMD_CONFIG_SET: change any of WHORL_A_CONFIG_KINDS,
 *	WHORL_A_CONFIG_DEDUP_MS, WHORL_A_CONFIG_MODE. Absent ones are unchanged.
 * @WHORL_CMD_INTEL_BEGIN: open a staged intel set; WHORL_A_INTEL_CAPACITY
 *	(required) is the number of entries that will follow. Only one staged
 *	set exists at a time; it belongs to the socket that opened it and is
 *	discarded when that socket closes.
 * @WHORL_CMD_INTEL_ADD: add to the staged set: WHORL_A_INTEL_ENTRY nests,
 *	WHORL_A_INTEL_LABEL strings and WHORL_A_INTEL_HASHES arrays, taken in
 *	the order they come.
 * @WHORL_CMD_INTEL_COMMIT: replace the live set with the staged one, at
 *	once: a reader sees the old set or the new one, never a mix.
 * @WHORL_CMD_INTEL_ABORT: drop the staged set; the live set is unchanged.
 * @WHORL_CMD_INTEL_CLEAR: replace the live set with an empty one.
 * @WHORL_CMD_SUBSCRIBE: the sending socket starts receiving
 *	WHORL_CMD_FINDING messages. Its sequence numbers start at 1.
 * @WHORL_CMD_UNSUBSCRIBE: stop; closing the socket does the same.
 * @WHORL_CMD_FINDING: kernel to subscriber: one finding.
 * @WHORL_CMD_LAYOUT_SET: hand the module overlayfs's private layout on
 *	this kernel (WHORL_A_LAYOUT, read by the tool from the kernel's BTF).
 *	The module checks it against what it can see itself, then layer
 *	provenance uses it; every read through it is still confirmed with
 *	d_real(). The reply is refused with extack when the layout cannot be
 *	right, and the provenance in use stays as it was.
 * @WHORL_CMD_EXEC: kernel to subscriber, while WHORL_A_CONFIG_EXEC_EVENTS is
 *	on: one successful exec of a process in a container (WHORL_A_EXEC), with
 *	or without a finding. Sequence numbers are shared with findings.
 */
enum whorl_cmd {
	WHORL_CMD_UNSPEC,
	WHORL_CMD_STATUS_GET,
	WHORL_CMD_CONFIG_SET,
	WHORL_CMD_INTEL_BEGIN,
	WHORL_CMD_INTEL_ADD,
	WHORL_CMD_INTEL_COMMIT,
	WHORL_CMD_INTEL_ABORT,
	WHORL_CMD_INTEL_CLEAR,
	WHORL_CMD_SUBSCRIBE,
	WHORL_CMD_UNSUBSCRIBE,
	WHORL_CMD_FINDING,
	WHORL_CMD_LAYOUT_SET,
	WHORL_CMD_EXEC,

	__WHORL_CMD_MAX
};
#define WHORL_CMD_MAX (__WHORL_CMD_MAX - 1)

/**
 * enum whorl_attr - top-level attributes.
 * @WHORL_A_VERSION: string, the module's version.
 * @WHORL_A_COUNTERS: nest of u64 attributes, one per enum whorl_counter,
 *	each attribute's type being the counter's number.
 * @WHORL_A_CONFIG_KINDS: u32 bitmask of enabled enum whorl_kind values
 *	(bit n enables kind n). Low-severity kinds are off by default.
 * @WHORL_A_CONFIG_DEDUP_MS: u32, the window within which the same
 *	(container, file, kind) is reported once; 0 reports every event.
 * @WHORL_A_CONFIG_MODE: u8, enum whorl_mode.
 * @WHORL_A_CONFIG_HASH_MAX: u64, read only: files larger than this are
 *	hashed over their first WHORL_A_CONFIG_HASH_MAX bytes (partial).
 * @WHORL_A_CONFIG_CACHE_MAX: u32, read only: fingerprint cache entries.
 * @WHORL_A_INTEL_COUNT: u32, hashes in the live intel set.
 * @WHORL_A_INTEL_RULES: u32, basename rules in the live intel set.
 * @WHORL_A_INTEL_CAPACITY: u32, entries announced by INTEL_BEGIN.
 * @WHORL_A_INTEL_ENTRY: nest, enum whorl_intel_attr; repeated.
 * @WHORL_A_FINDING: nest, enum whorl_finding_attr.
 * @WHORL_A_CACHE_ENTRIES: u32, fingerprint cache entries in use.
 * @WHORL_A_CACHE_ENTRY_BYTES: u32, bytes of kernel memory per cache entry.
 * @WHORL_A_INTEL_BYTES: u64, kernel memory the live intel set holds.
 * @WHORL_A_EVENTS_ALIVE: u32, events the module holds now: waiting for the
 *	worker, parked until their exec completes, or dropped and not yet
 *	released. Never above WHORL_A_CONFIG_QUEUE_MAX.
 * @WHORL_A_CONFIG_QUEUE_MAX: u32, read only: the bound on events alive;
 *	an event past it is counted in WHORL_CTR_WORK_DROPPED, never built.
 * @WHORL_A_INTEL_LABEL: string, 1 to WHORL_LABEL_MAX - 1 bytes; repeated.
 *	The labels of one load are numbered 1, 2, ... in the order they come,
 *	across its INTEL_ADD messages (a repeated string gets a new number
 *	for the same label), at most WHORL_INTEL_MAX_LABELS of them.
 * @WHORL_A_INTEL_HASHES: binary, one or more struct whorl_intel_hash;
 *	repeated. The compact form of many hash entries: no nest per entry.
 * @WHORL_A_LAYOUT: nest, enum whorl_layout_attr: with LAYOUT_SET, the
 *	layout to use; in the status reply, the one in use and where it came
 *	from.
 * @WHORL_A_CONTAINER_STAT: nest, enum whorl_ct_stat_attr; repeated in the
 *	status reply: what a container was refused (at most 32, those refused
 *	most).
 * @WHORL_A_EXEC: nest, enum whorl_finding_attr: one exec (WHORL_CMD_EXEC). It
 *	carries what a finding about an exec carries (WHORL_F_BINARY is the
 *	program that runs: for a script, its interpreter; WHORL_F_SCRIPT the
 *	script), no kind, and the exec's context: WHORL_F_GID, _CWD, _STDIO,
 *	_ENV, _ENV_INCOMPLETE, _START_NS, _EXEC_SEQ, _PARENT_START_NS,
 *	_PARENT_EXEC_SEQ.
 * @WHORL_A_CONFIG_EXEC_EVENTS: u8, 1: every successful exec of a process in a
 *	container is sent to the subscribers (WHORL_CMD_EXEC); 0 (the default):
 *	none.
 * @WHORL_A_CONFIG_ENV_NAMES: binary, the environment variables an exec
 *	event carries: names of [A-Za-z0-9_] (1 to WHORL_ENV_NAME_MAX - 1
 *	bytes), each NUL-terminated, at most WHORL_ENV_NAMES_MAX of them.
 */
enum whorl_attr {
	WHORL_A_UNSPEC,
	WHORL_A_VERSION,
	WHORL_A_COUNTERS,
	WHORL_A_CONFIG_KINDS,
	WHORL_A_CONFIG_DEDUP_MS,
	WHORL_A_CONFIG_MODE,
	WHORL_A_CONFIG_HASH_MAX,
	WHORL_A_CONFIG_CACHE_MAX,
	WHORL_A_INTEL_COUNT,
	WHORL_A_INTEL_RULES,
	WHORL_A_INTEL_CAPACITY,
	WHORL_A_INTEL_ENTRY,
	WHORL_A_FINDING,
	WHORL_A_CACHE_ENTRIES,
	WHORL_A_CACHE_ENTRY_BYTES,
	WHORL_A_INTEL_BYTES,
	WHORL_A_EVENTS_ALIVE,
	WHORL_A_CONFIG_QUEUE_MAX,
	WHORL_A_INTEL_LABEL,
	WHORL_A_INTEL_HASHES,
	WHORL_A_LAYOUT,
	WHORL_A_CONTAINER_STAT,
	WHORL_A_EXEC,
	WHORL_A_CONFIG_EXEC_EVENTS,
	WHORL_A_CONFIG_ENV_NAMES,

	__WHORL_A_MAX
};
#define WHORL_A_MAX (__WHORL_A_MAX - 1)

/**
 * enum whorl_ct_stat_attr - one container in the status reply.
 * @WHORL_CT_STAT_A_CGROUP_ID: u64, its cgroup's id (a cgroup v1 id is
 *	tagged in bit 63).
 * @WHORL_CT_STAT_A_ID: string, the container id, when the module has
 *	resolved that cgroup.
 * @WHORL_CT_STAT_A_CGROUP: string, the cgroup's path, likewise.
 * @WHORL_CT_STAT_A_OVER_SHARE: u64, its events dropped past its share of
 *	queue_max (its part of WHORL_CTR_WORK_OVER_SHARE).
 * @WHORL_CT_STAT_A_OVER_BUDGET: u64, its files not hashed past its hashing
 *	budget (its part of WHORL_CTR_HASH_OVER_BUDGET) since it took its slot.
 * Containers whose ids share a slot of the module's tables share a line,
 * under the id of the last one refused.
 */
enum whorl_ct_stat_attr {
	WHORL_CT_STAT_A_UNSPEC,
	WHORL_CT_STAT_A_PAD,
	WHORL_CT_STAT_A_CGROUP_ID,
	WHORL_CT_STAT_A_ID,
	WHORL_CT_STAT_A_CGROUP,
	WHORL_CT_STAT_A_OVER_SHARE,
	WHORL_CT_STAT_A_OVER_BUDGET,

	__WHORL_CT_STAT_A_MAX
};
#define WHORL_CT_STAT_A_MAX (__WHORL_CT_STAT_A_MAX - 1)

/**
 * enum whorl_intel_attr - one intel entry (inside WHORL_A_INTEL_ENTRY).
 * Exactly one of @WHORL_INTEL_A_SHA256 and @WHORL_INTEL_A_NAME is present.
 * @WHORL_INTEL_A_SHA256: binary, WHORL_SHA256_LEN bytes.
 * @WHORL_INTEL_A_NAME: string, a basename (no '/'), for a tool-name rule.
 * @WHORL_INTEL_A_CATEGORY: u8, enum whorl_intel_category (default malicious).
 * @WHORL_INTEL_A_LABEL: string, at most WHORL_LABEL_MAX - 1 bytes.
 */
enum whorl_intel_attr {
	WHORL_INTEL_A_UNSPEC,
	WHORL_INTEL_A_SHA256,
	WHORL_INTEL_A_NAME,
	WHORL_INTEL_A_CATEGORY,
	WHORL_INTEL_A_LABEL,

	__WHORL_INTEL_A_MAX
};
#define WHORL_INTEL_A_MAX (__WHORL_INTEL_A_MAX - 1)

/**
 * struct whorl_intel_hash - one hash entry of WHORL_A_INTEL_HASHES.
 * @sha256: the digest.
 * @label: 0 for no label, or the number of a WHORL_A_INTEL_LABEL that came
 *	before it in the same load; host byte order.
 * @category: enum whorl_intel_category, not WHORL_INTEL_NONE.
 * @reserved: 0.
 */
struct whorl_intel_hash {
	__u8 sha256[WHORL_SHA256_LEN];
	__u16 label;
	__u8 category;
	__u8 reserved;
};

/**
 * enum whorl_intel_category - what intel says a file is.
 */
enum whorl_intel_category {
	WHORL_INTEL_NONE,		/* not in intel (findings only) */
	WHORL_INTEL_MALICIOUS,
	WHORL_INTEL_CONTAINER_ESCAPE,
	WHORL_INTEL_K8S_ATTACK,
	WHORL_INTEL_RECON,

	__WHORL_INTEL_CATEGORY_MAX
};
#define WHORL_INTEL_CATEGORY_MAX (__WHORL_INTEL_CATEGORY_MAX - 1)

/**
 * enum whorl_kind - what a finding reports. The tool names them; see
 * docs/FINDINGS.md for the category strings, severities and MITRE ids.
 */
enum whorl_kind {
	WHORL_KIND_NONE,
	WHORL_KIND_MODIFIED_MALICIOUS_LIBRARY,	/* Execution: Modified Malicious Library Loaded */
	WHORL_KIND_CONTAINER_ESCAPE,		/* Execution: Container Escape */
	WHORL_KIND_ADDED_MALICIOUS_LIBRARY,	/* Execution: Added Malicious Library Loaded */
	WHORL_KIND_ADDED_MALICIOUS_BINARY,	/* Execution: Added Malicious Binary Executed */
	WHORL_KIND_MODIFIED_MALICIOUS_BINARY,	/* Execution: Modified Malicious Binary Executed */
	WHORL_KIND_BUILTIN_MALICIOUS_BINARY,	/* Execution: Built in Malicious Binary Executed */
	WHORL_KIND_BUILTIN_MALICIOUS_LIBRARY,	/* Execution: Built in Malicious Library Loaded */
	WHORL_KIND_ADDED_BINARY,		/* Added Binary Executed (low) */
	WHORL_KIND_ADDED_LIBRARY,		/* Added Library Loaded (low) */
	WHORL_KIND_FILELESS_EXECUTION,		/* Execution: Fileless Execution in /memfd: */
	WHORL_KIND_K8S_ATTACK_TOOL,		/* Execution: Kubernetes Attack Tool Execution */
	WHORL_KIND_RECON_TOOL,			/* Execution: Local Reconnaissance Tool Execution */
	WHORL_KIND_MALICIOUS_BINARY,		/* Execution: Malicious Binary Executed (layer unknown) */
	WHORL_KIND_MALICIOUS_LIBRARY,		/* Execution: Malicious Library Loaded (layer unknown) */
	WHORL_KIND_UNFINGERPRINTABLE,		/* Defense Evasion: Unfingerprintable Executable */

	__WHORL_KIND_MAX
};
#define WHORL_KIND_MAX (__WHORL_KIND_MAX - 1)

/* Kinds enabled when the module loads: all but the low-severity ones. */
#define WHORL_KINDS_DEFAULT						\
	(((1U << __WHORL_KIND_MAX) - 1) & ~(1U << WHORL_KIND_NONE) &	\
	 ~(1U << WHORL_KIND_ADDED_BINARY) & ~(1U << WHORL_KIND_ADDED_LIBRARY))

/**
 * enum whorl_layer - where, in the container's filesystem, a file came from.
 * @WHORL_LAYER_UNKNOWN: not on overlayfs, or not decidable.
 * @WHORL_LAYER_IMAGE: a lower (image) layer, unchanged.
 * @WHORL_LAYER_ADDED: only in the upper layer: not in the image.
 * @WHORL_LAYER_MODIFIED: copied up from the image and changed at run time.
 * @WHORL_LAYER_FILELESS: memfd, a file deleted after open, or /dev/shm.
 * @WHORL_LAYER_VOLUME: not on the container's overlayfs root: a volume or
 *	bind mount (hostPath, emptyDir, PVC); never the image's.
 */
enum whorl_layer {
	WHORL_LAYER_UNKNOWN,
	WHORL_LAYER_IMAGE,
	WHORL_LAYER_ADDED,
	WHORL_LAYER_MODIFIED,
	WHORL_LAYER_FILELESS,
	WHORL_LAYER_VOLUME,

	__WHORL_LAYER_MAX
};

/**
 * enum whorl_layer_reason - why a file's layer is unknown.
 * @WHORL_LAYER_REASON_NOT_OVERLAY: the file is not on an overlayfs.
 * @WHORL_LAYER_REASON_PROVENANCE_OFF: layer provenance is off on this
 *	kernel: no layout for overlayfs's private structures (see status).
 * @WHORL_LAYER_REASON_UNCONFIRMED: the layout's reading disagreed with
 *	d_real(): nothing it yielded was trusted.
 */
enum whorl_layer_reason {
	WHORL_LAYER_REASON_NONE,
	WHORL_LAYER_REASON_NOT_OVERLAY,
	WHORL_LAYER_REASON_PROVENANCE_OFF,
	WHORL_LAYER_REASON_UNCONFIRMED,

	__WHORL_LAYER_REASON_MAX
};

/**
 * enum whorl_ovl_shape - where overlayfs keeps a file's lower layers.
 * @WHORL_OVL_SHAPE_INODE_PATH: struct ovl_inode holds the lower path
 *	(struct ovl_path) itself (Linux 6.1 to 6.4).
 * @WHORL_OVL_SHAPE_INODE_ENTRY: struct ovl_inode points to a struct
 *	ovl_entry: a count, then the lower stack of struct ovl_path (6.5 on).
 * @WHORL_OVL_SHAPE_DENTRY_ENTRY: the overlay dentry's d_fsdata is the
 *	struct ovl_entry (up to 6.0).
 */
enum whorl_ovl_shape {
	WHORL_OVL_SHAPE_NONE,
	WHORL_OVL_SHAPE_INODE_PATH,
	WHORL_OVL_SHAPE_INODE_ENTRY,
	WHORL_OVL_SHAPE_DENTRY_ENTRY,

	__WHORL_OVL_SHAPE_MAX
};
#define WHORL_OVL_SHAPE_MAX (__WHORL_OVL_SHAPE_MAX - 1)

/** enum whorl_provenance - where the layout layer provenance uses came from. */
enum whorl_provenance {
	WHORL_PROVENANCE_OFF,		/* none: every overlay file's layer is unknown */
	WHORL_PROVENANCE_TABLE,		/* the module's compiled table for this kernel */
	WHORL_PROVENANCE_BTF,		/* the running kernel's BTF, via the tool */
};

/** enum whorl_layout_check - the compiled table against a BTF layout. */
enum whorl_layout_check {
	WHORL_LAYOUT_NO_TABLE,		/* no compiled table for this kernel */
	WHORL_LAYOUT_AGREES,
	WHORL_LAYOUT_DIFFERS,		/* BTF is used; the table is wrong here */
};

/**
 * enum whorl_layout_attr - overlayfs's private layout (in WHORL_A_LAYOUT).
 * Offsets are in bytes. @UPPER and @LOWER are counted from the start of
 * the struct inode embedded in struct ovl_inode (its vfs_inode member).
 * @WHORL_LAYOUT_A_SHAPE: u8, enum whorl_ovl_shape.
 * @WHORL_LAYOUT_A_UPPER: s32, struct ovl_inode's upper dentry pointer.
 * @WHORL_LAYOUT_A_LOWER: s32, INODE_PATH: the struct ovl_path; INODE_ENTRY:
 *	the struct ovl_entry pointer; DENTRY_ENTRY: 0 (unused).
 * @WHORL_LAYOUT_A_NUMLOWER: u32, struct ovl_entry's count of lower layers.
 * @WHORL_LAYOUT_A_STACK: u32, struct ovl_entry's first struct ovl_path.
 * @WHORL_LAYOUT_A_PATH_LAYER: u32, struct ovl_path's struct ovl_layer *.
 * @WHORL_LAYOUT_A_PATH_DENTRY: u32, struct ovl_path's struct dentry *.
 * @WHORL_LAYOUT_A_PATH_SIZE: u32, sizeof(struct ovl_path).
 * @WHORL_LAYOUT_A_LAYER_MNT: u32, struct ovl_layer's struct vfsmount *.
 * @WHORL_LAYOUT_A_INODE_SIZE: u32, sizeof(struct inode) in the same
 *	description: the module refuses a layout whose struct inode is not
 *	the one it was built against.
 * @WHORL_LAYOUT_A_SOURCE: u8, enum whorl_provenance (status only).
 * @WHORL_LAYOUT_A_REASON: string, why provenance is off, or what the
 *	cross-check found (status only).
 * @WHORL_LAYOUT_A_CHECK: u8, enum whorl_layout_check (status only).
 * @WHORL_LAYOUT_A_CONFIRMED: u64, reads d_real() confirmed (status only).
 * @WHORL_LAYOUT_A_UNCONFIRMED: u64, reads d_real() refused (status only).
 */
enum whorl_layout_attr {
	WHORL_LAYOUT_A_UNSPEC,
	WHORL_LAYOUT_A_SHAPE,
	WHORL_LAYOUT_A_UPPER,
	WHORL_LAYOUT_A_LOWER,
	WHORL_LAYOUT_A_NUMLOWER,
	WHORL_LAYOUT_A_STACK,
	WHORL_LAYOUT_A_PATH_LAYER,
	WHORL_LAYOUT_A_PATH_DENTRY,
	WHORL_LAYOUT_A_PATH_SIZE,
	WHORL_LAYOUT_A_LAYER_MNT,
	WHORL_LAYOUT_A_INODE_SIZE,
	WHORL_LAYOUT_A_SOURCE,
	WHORL_LAYOUT_A_REASON,
	WHORL_LAYOUT_A_CHECK,
	WHORL_LAYOUT_A_CONFIRMED,
	WHORL_LAYOUT_A_UNCONFIRMED,
	WHORL_LAYOUT_A_PAD,

	__WHORL_LAYOUT_A_MAX
};
#define WHORL_LAYOUT_A_MAX (__WHORL_LAYOUT_A_MAX - 1)

/**
 * enum whorl_content - for a modified file, is its content the image's?
 */
enum whorl_content {
	WHORL_CONTENT_UNKNOWN,
	WHORL_CONTENT_CHANGED,		/* hash differs from the image's copy */
	WHORL_CONTENT_SAME,		/* only metadata changed */
};

/** enum whorl_runtime - the container runtime, from the cgroup path. */
enum whorl_runtime {
	WHORL_RUNTIME_NONE,		/* not a container */
	WHORL_RUNTIME_UNKNOWN,		/* namespaced, no id in the cgroup path */
	WHORL_RUNTIME_DOCKER,
	WHORL_RUNTIME_CONTAINERD,	/* containerd/CRI, Kubernetes */
	WHORL_RUNTIME_CRIO,
	WHORL_RUNTIME_PODMAN,

	__WHORL_RUNTIME_MAX
};

/** enum whorl_event_type - the hook that saw the file. */
enum whorl_event_type {
	WHORL_EVENT_NONE,
	WHORL_EVENT_EXEC,		/* execve of the file (or its interpreter) */
	WHORL_EVENT_MMAP,		/* mmap with PROT_EXEC */
	WHORL_EVENT_MPROTECT,		/* mprotect adding PROT_EXEC */

	__WHORL_EVENT_MAX
};

/** enum whorl_mode - detect reports; enforce also refuses known-bad code. */
enum whorl_mode {
	WHORL_MODE_DETECT,
	WHORL_MODE_ENFORCE,
};

/** enum whorl_action - what the kernel did about a finding. */
enum whorl_action {
	WHORL_ACTION_NONE,
	WHORL_ACTION_DENIED,
	WHORL_ACTION_KILLED,
};

/**
 * enum whorl_finding_attr - one finding (inside WHORL_A_FINDING).
 * @WHORL_F_SEQ: u64, per-subscriber sequence number from 1; a gap is a drop.
 * @WHORL_F_ID: u64, the kernel-wide finding number.
 * @WHORL_F_KIND: u32, enum whorl_kind.
 * @WHORL_F_EVENT: u8, enum whorl_event_type.
 * @WHORL_F_TIME_NS: u64, CLOCK_REALTIME at the hook, in nanoseconds.
 * @WHORL_F_PID, @WHORL_F_TGID, @WHORL_F_PPID: u32, in the initial pid ns.
 * @WHORL_F_UID, @WHORL_F_EUID: u32, in the initial user ns.
 * @WHORL_F_COMM: string, the task's comm at the hook.
 * @WHORL_F_ARGS: binary, argv as NUL-terminated strings one after another.
 * @WHORL_F_ARGS_TRUNCATED: flag, argv was longer than the kernel keeps.
 * @WHORL_F_BINARY: nest, enum whorl_file_attr: the executed file, or for a
 *	library finding the program that mapped it.
 * @WHORL_F_LIBRARY: nest, enum whorl_file_attr: the mapped library.
 * @WHORL_F_CONTAINER_ID: string.
 * @WHORL_F_RUNTIME: u8, enum whorl_runtime.
 * @WHORL_F_CGROUP: string, cgroup path from the root of the hierarchy.
 * @WHORL_F_CGROUP_ID: u64.
 * @WHORL_F_INTEL_CATEGORY: u8, enum whorl_intel_category.
 * @WHORL_F_INTEL_LABEL: string.
 * @WHORL_F_ACTION: u8, enum whorl_action.
 * @WHORL_F_SUPPRESSED: u32, findings of the same key suppressed by dedup
 *	since the last report.
 * @WHORL_F_HASH_ERROR: u32, for WHORL_KIND_UNFINGERPRINTABLE: the positive
 *	errno hashing the file ended with (EAGAIN: it kept changing while
 *	read; EBUSY: a change stayed in progress; EDQUOT: its container's
 *	hashing budget was spent; others: the read's error).
 * @WHORL_F_ESCAPED: flag, the process ran on the host's side (its mount
 *	namespace or root) from a container's cgroup: it escaped.
 * @WHORL_F_GID: u32, in the initial user ns.
 * @WHORL_F_CWD: string, the working directory at exec, as the process sees it.
 * @WHORL_F_STDIO: nest, enum whorl_stdio_attr; one for each of descriptors
 *	0, 1 and 2 that is open.
 * @WHORL_F_ENV: nest, enum whorl_env_attr; one per allow-listed environment
 *	variable the new program was given (WHORL_A_CONFIG_ENV_NAMES).
 * @WHORL_F_ENV_INCOMPLETE: flag, the environment was longer than the module
 *	reads (WHORL_ENV_SCAN_MAX bytes) or could not be read: a variable may be
 *	missing from WHORL_F_ENV.
 * @WHORL_F_START_NS: u64, when the process was created, in nanoseconds of
 *	boot time (/proc/<pid>/stat's start time is it in clock ticks).
 * @WHORL_F_EXEC_SEQ: u64, how many execs the process has made, this one
 *	included. With the pid and WHORL_F_START_NS it names this exec, uniquely
 *	for the boot.
 * @WHORL_F_PARENT_START_NS: u64, the parent's WHORL_F_START_NS.
 * @WHORL_F_PARENT_EXEC_SEQ: u64, the parent's WHORL_F_EXEC_SEQ when it made
 *	this process: with WHORL_F_PPID and WHORL_F_PARENT_START_NS, the exec of
 *	the parent's that started it.
 * @WHORL_F_SCRIPT: nest, enum whorl_file_attr: in an exec event, the script
 *	exec was given when an interpreter runs it.
 */
enum whorl_finding_attr {
	WHORL_F_UNSPEC,
	WHORL_F_SEQ,
	WHORL_F_ID,
	WHORL_F_KIND,
	WHORL_F_EVENT,
	WHORL_F_TIME_NS,
	WHORL_F_PID,
	WHORL_F_TGID,
	WHORL_F_PPID,
	WHORL_F_UID,
	WHORL_F_EUID,
	WHORL_F_COMM,
	WHORL_F_ARGS,
	WHORL_F_ARGS_TRUNCATED,
	WHORL_F_BINARY,
	WHORL_F_LIBRARY,
	WHORL_F_CONTAINER_ID,
	WHORL_F_RUNTIME,
	WHORL_F_CGROUP,
	WHORL_F_CGROUP_ID,
	WHORL_F_INTEL_CATEGORY,
	WHORL_F_INTEL_LABEL,
	WHORL_F_ACTION,
	WHORL_F_SUPPRESSED,
	WHORL_F_PAD,
	WHORL_F_HASH_ERROR,
	WHORL_F_ESCAPED,
	WHORL_F_GID,
	WHORL_F_CWD,
	WHORL_F_STDIO,
	WHORL_F_ENV,
	WHORL_F_ENV_INCOMPLETE,
	WHORL_F_START_NS,
	WHORL_F_EXEC_SEQ,
	WHORL_F_PARENT_START_NS,
	WHORL_F_PARENT_EXEC_SEQ,
	WHORL_F_SCRIPT,

	__WHORL_F_MAX
};
#define WHORL_F_MAX (__WHORL_F_MAX - 1)

/** enum whorl_stdio_type - what a standard descriptor is. */
enum whorl_stdio_type {
	WHORL_STDIO_OTHER,
	WHORL_STDIO_TTY,
	WHORL_STDIO_PIPE,
	WHORL_STDIO_FILE,
	WHORL_STDIO_SOCKET,
};

/**
 * enum whorl_stdio_attr - one standard descriptor (inside WHORL_F_STDIO).
 * @WHORL_STDIO_A_FD: u8, 0, 1 or 2.
 * @WHORL_STDIO_A_TYPE: u8, enum whorl_stdio_type.
 * @WHORL_STDIO_A_FAMILY: u8, for an IPv4 or IPv6 socket: AF_INET or AF_INET6.
 * @WHORL_STDIO_A_PROTO: u8, its protocol: IPPROTO_TCP, IPPROTO_UDP, or other.
 * @WHORL_STDIO_A_LOCAL_ADDR: binary, 4 or 16 bytes, network order.
 * @WHORL_STDIO_A_LOCAL_PORT: u16, host order.
 * @WHORL_STDIO_A_REMOTE_ADDR: binary, the peer's; absent when not connected.
 * @WHORL_STDIO_A_REMOTE_PORT: u16.
 */
enum whorl_stdio_attr {
	WHORL_STDIO_A_UNSPEC,
	WHORL_STDIO_A_FD,
	WHORL_STDIO_A_TYPE,
	WHORL_STDIO_A_FAMILY,
	WHORL_STDIO_A_PROTO,
	WHORL_STDIO_A_LOCAL_ADDR,
	WHORL_STDIO_A_LOCAL_PORT,
	WHORL_STDIO_A_REMOTE_ADDR,
	WHORL_STDIO_A_REMOTE_PORT,

	__WHORL_STDIO_A_MAX
};
#define WHORL_STDIO_A_MAX (__WHORL_STDIO_A_MAX - 1)

/* Environment variables an exec event may carry, and their names' and values' bounds. */
#define WHORL_ENV_NAMES_MAX	16
#define WHORL_ENV_NAME_MAX	64
#define WHORL_ENV_VALUE_MAX	256
/* Bytes of a new program's environment the module reads for them. */
#define WHORL_ENV_SCAN_MAX	65536

/**
 * enum whorl_env_attr - one environment variable (inside WHORL_F_ENV).
 * @WHORL_ENV_A_NAME: string.
 * @WHORL_ENV_A_VALUE: string, at most WHORL_ENV_VALUE_MAX - 1 bytes.
 * @WHORL_ENV_A_TRUNCATED: flag, the value was longer.
 */
enum whorl_env_attr {
	WHORL_ENV_A_UNSPEC,
	WHORL_ENV_A_NAME,
	WHORL_ENV_A_VALUE,
	WHORL_ENV_A_TRUNCATED,

	__WHORL_ENV_A_MAX
};
#define WHORL_ENV_A_MAX (__WHORL_ENV_A_MAX - 1)

/**
 * enum whorl_file_attr - one file (inside WHORL_F_BINARY / WHORL_F_LIBRARY).
 * @WHORL_FILE_A_PATH: string, the path as the process sees it.
 * @WHORL_FILE_A_FS_PATH: string, the path from the root of the file's
 *	filesystem (for a container's file: from the root of its overlayfs).
 *	With @WHORL_FILE_A_DEV_MAJOR and _MINOR it names the file wherever that filesystem is
 *	mounted: the tool finds the host's mount of it in /proc/1/mountinfo
 *	and reports the path there (diskPath). The kernel cannot: the mounts
 *	of other mount namespaces are private to fs/.
 * @WHORL_FILE_A_SHA256: binary, WHORL_SHA256_LEN bytes; absent if the file
 *	could not be hashed (the binary of a library finding is not hashed).
 * @WHORL_FILE_A_SIZE: u64, the file's size when hashed.
 * @WHORL_FILE_A_HASHED_SIZE: u64, bytes the hash covers.
 * @WHORL_FILE_A_PARTIAL: flag, the hash covers only a prefix.
 * @WHORL_FILE_A_LAYER: u8, enum whorl_layer.
 * @WHORL_FILE_A_CONTENT: u8, enum whorl_content (modified files).
 * @WHORL_FILE_A_LOWER_SHA256: binary, the image copy's hash (modified files).
 * @WHORL_FILE_A_DEV: not sent since version 3 (it carried the kernel's own
 *	dev_t encoding).
 * @WHORL_FILE_A_LAYER_REASON: u8, enum whorl_layer_reason, when the
 *	layer is unknown.
 * @WHORL_FILE_A_DEV_MAJOR: u32, the major number of the file's filesystem's
 *	device, as mountinfo shows it (major:minor).
 * @WHORL_FILE_A_DEV_MINOR: u32, its minor number.
 * @WHORL_FILE_A_LAYER_DIR: string, for a file of the image (layer image) or the image copy of a
 *	modified one: the directory of the image layer it lies in, from the root of the filesystem
 *	holding the layers (such as /var/lib/docker/overlay2/<id>/diff). The tool maps it to the
 *	layer the runtime records (its digest and position in the image).
 * @WHORL_FILE_A_LAYER_DEV_MAJOR: u32, the major number of that filesystem's device.
 * @WHORL_FILE_A_LAYER_DEV_MINOR: u32, its minor number.
 */
enum whorl_file_attr {
	WHORL_FILE_A_UNSPEC,
	WHORL_FILE_A_PATH,
	WHORL_FILE_A_FS_PATH,
	WHORL_FILE_A_SHA256,
	WHORL_FILE_A_SIZE,
	WHORL_FILE_A_HASHED_SIZE,
	WHORL_FILE_A_PARTIAL,
	WHORL_FILE_A_LAYER,
	WHORL_FILE_A_CONTENT,
	WHORL_FILE_A_LOWER_SHA256,
	WHORL_FILE_A_PAD,
	WHORL_FILE_A_DEV,
	WHORL_FILE_A_LAYER_REASON,
	WHORL_FILE_A_DEV_MAJOR,
	WHORL_FILE_A_DEV_MINOR,
	WHORL_FILE_A_LAYER_DIR,
	WHORL_FILE_A_LAYER_DEV_MAJOR,
	WHORL_FILE_A_LAYER_DEV_MINOR,

	__WHORL_FILE_A_MAX
};
#define WHORL_FILE_A_MAX (__WHORL_FILE_A_MAX - 1)

/**
 * enum whorl_counter - counters in WHORL_A_COUNTERS, monotonic since load.
 */
enum whorl_counter {
	WHORL_CTR_UNSPEC,
	WHORL_CTR_HOOK_EXEC,		/* exec hook hits */
	WHORL_CTR_HOOK_MMAP,		/* mmap hook hits (any prot) */
	WHORL_CTR_HOOK_MPROTECT,	/* mprotect hook hits (any prot) */
	WHORL_CTR_CONTAINER_EVENTS,	/* hits attributed to a container */
	WHORL_CTR_CACHE_HITS,
	WHORL_CTR_CACHE_MISSES,
	WHORL_CTR_CACHE_EVICTIONS,
	WHORL_CTR_HASHES,		/* files hashed */
	WHORL_CTR_HASH_BYTES,		/* bytes hashed */
	WHORL_CTR_HASH_ERRORS,		/* read errors, unstable files */
	WHORL_CTR_WORK_QUEUED,		/* events handed to the worker */
	WHORL_CTR_WORK_DROPPED,		/* events lost: queue full, no memory, exec never finished */
	WHORL_CTR_FINDINGS_EMITTED,	/* findings produced */
	WHORL_CTR_FINDINGS_SUPPRESSED,	/* same key within the dedup window */
	WHORL_CTR_FINDINGS_DELIVERED,	/* unicasts that reached a subscriber */
	WHORL_CTR_FINDINGS_DROPPED,	/* unicasts lost (subscriber full) */
	WHORL_CTR_FINDINGS_UNHEARD,	/* produced with no subscriber */
	WHORL_CTR_INTEL_LOADS,		/* successful commits and clears */
	WHORL_CTR_DENIED,		/* enforce: refused at the hook */
	WHORL_CTR_KILLED,		/* enforce: killed on first sight */
	WHORL_CTR_SUBSCRIBERS,		/* current subscribers (a gauge) */
	WHORL_CTR_HASH_INFLIGHT_SHARED,	/* requests that joined a running hash */
	WHORL_CTR_HASH_NS,		/* time spent hashing, in nanoseconds */
	WHORL_CTR_HASH_UNCACHED,	/* hashed while open for writing: not kept */
	WHORL_CTR_HASH_BUSY,		/* not hashed: a change stayed in progress */
	WHORL_CTR_MAP_MEMO_HITS,	/* executable mappings judged already (memo) */
	WHORL_CTR_PROBES_MISSED,	/* calls a probe did not see (kprobes' nmissed) */
	WHORL_CTR_HASH_OVER_BUDGET,	/* files not hashed: their container's budget was spent */
	WHORL_CTR_WORK_OVER_SHARE,	/* events dropped: their container's share of queue_max was full */
	WHORL_CTR_READ_TIMEOUTS,	/* reads cut after read_timeout without progress */
	WHORL_CTR_EXEC_EVENTS,		/* exec events sent (WHORL_CMD_EXEC) */
	WHORL_CTR_EXEC_CAPTURED,	/* execs whose context was captured (exec events on, a subscriber) */

	__WHORL_CTR_MAX
};
#define WHORL_CTR_MAX (__WHORL_CTR_MAX - 1)

#endif /* _UAPI_LINUX_WHORL_H */
