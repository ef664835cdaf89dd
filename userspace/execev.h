/* SPDX-License-Identifier: GPL-2.0 */
/* execev.h - exec events judged by Sigma rules: the process tree, users, the Sigma event. */
#ifndef WHORL_EXECEV_H
#define WHORL_EXECEV_H

#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <json-c/json.h>

#include "enrich.h"
#include "finding.h"
#include "proctree.h"
#include "sigma.h"
#include "urls.h"

/* CommandLine is cut at this many bytes (the module keeps 1 KiB of argv). */
#define WHORL_EXEC_CMDLINE_MAX	4096
/* A container's /etc/passwd past this size is not read; its users have no name. */
#define WHORL_PASSWD_MAX	(64U << 10)
/* Containers whose users and runtime state are cached, and for how long (seconds). */
#define WHORL_EXEC_CACHE_MAX	256
#define WHORL_EXEC_CACHE_TTL_S	60

/* One exec as a Sigma event, and the storage its strings point to. */
struct whorl_exec_event {
	struct whorl_sigma_event ev;
	struct whorl_sigma_env env[WHORL_ENV_NAMES_MAX];
	char cmdline[WHORL_EXEC_CMDLINE_MAX];
	char parent_cmdline[WHORL_PROC_STR_MAX + 1];
	char logon[24];
	char addr[3][INET6_ADDRSTRLEN];
	char port[3][8];
	char sha256[65];
	char intel_url[WHORL_URL_MAX];
};

/*
 * whorl_exec_sigma - the Sigma event of exec event @f (docs/SIGMA.md, Fields).
 * @parent: the exec that made the process (its ParentImage, ParentCommandLine), or NULL.
 * @user: the uid's name in the container, or NULL. @ci: the container's runtime state, or NULL.
 * @out: strings point into @f, @parent, @user, @ci and @out itself.
 */
void whorl_exec_sigma(const struct whorl_finding *f, const struct whorl_proc *parent,
		      const char *user, const struct whorl_container_info *ci,
		      struct whorl_exec_event *out);

/* @ev as the JSON object `whorl rules match` reads back (field names as keys). */
json_object *whorl_sigma_event_json(const struct whorl_sigma_event *ev);

/* --- the relay's per-exec path ---------------------------------------------------------------- */

struct whorl_users_entry;
struct whorl_ci_entry;

struct whorl_exec_ctx {
	struct whorl_proctree tree;
	const char *root;		/* $WHORL_STATE_ROOT: /proc and runtime state under it */
	int lookup;			/* read /etc/passwd and runtime state */
	struct whorl_users_entry *users;	/* WHORL_EXEC_CACHE_MAX of them */
	struct whorl_ci_entry *cis;
	unsigned int ci_refused;	/* runtime state files or fields not used */
	const struct whorl_sigma_meta **hits;
	size_t hits_cap;
	const struct whorl_urls *urls;	/* intel's url: lines (whorl.IntelUrl), or NULL */
};

/* What one exec came to. Valid until the next whorl_exec_judge(). */
struct whorl_exec_result {
	struct whorl_proc *self;		/* NULL when the event names no exec */
	struct whorl_proc *lineage[WHORL_LINEAGE_MAX];	/* parent first */
	size_t nlineage;
	const struct whorl_container_info *ci;
	const char *user;
	struct whorl_exec_event sev;
	const struct whorl_sigma_meta **hits;	/* the rules it matched, in load order */
	size_t nhits;
};

/* @root: the state root ("" for /). Return: 0 or -1 out of memory. */
int whorl_exec_init(struct whorl_exec_ctx *c, const char *root, int lookup);
void whorl_exec_free(struct whorl_exec_ctx *c);

/*
 * whorl_exec_judge - record exec event @f in the tree, name its user and container, build its
 * Sigma event and match it against @rules (may be NULL: no matching).
 * @now: a monotonic clock in seconds (caches and the tree's idle times).
 * Return: 0, or -1 out of memory.
 */
int whorl_exec_judge(struct whorl_exec_ctx *c, struct whorl_sigma_set *rules,
		     const struct whorl_finding *f, uint64_t now, struct whorl_exec_result *r);

#endif /* WHORL_EXECEV_H */
