/* SPDX-License-Identifier: GPL-2.0 */
/* container.h - which container a cgroup belongs to, from its path. */
#ifndef WHORL_CONTAINER_H
#define WHORL_CONTAINER_H

#include <linux/types.h>

#include "limits.h"

struct cgroup;
struct task_struct;

/**
 * whorl_container_parse - container runtime and id from a cgroup path.
 * @path: the cgroup's path from the hierarchy root, e.g.
 *	"/system.slice/docker-<64 hex>.scope".
 * @id: receives the id (NUL-terminated) when one is found.
 * @idlen: size of @id.
 *
 * Pure function, any context. Return: enum whorl_runtime; WHORL_RUNTIME_NONE
 * when the path names no container.
 */
u8 whorl_container_parse(const char *path, char *id, size_t idlen);

/**
 * whorl_task_cgroup - the cgroup that tells which container @task is in.
 * @task: the task.
 *
 * Its cgroup v2 cgroup; where that is the root, as on a host that runs
 * cgroup v1 only, its cgroup in the v1 hierarchy of the memory, pids or cpu
 * controller, where runtimes make the same container cgroups.
 * Caller holds rcu_read_lock(); any context.
 */
struct cgroup *whorl_task_cgroup(struct task_struct *task);

/**
 * whorl_cgroup_key - the container cache's key for @cgrp: its id, tagged
 * for a cgroup v1 cgroup, whose ids are another hierarchy's and may repeat
 * the v2 ones. Any context.
 */
u64 whorl_cgroup_key(const struct cgroup *cgrp);

/**
 * struct whorl_container - a resolved cgroup.
 * @key: its whorl_cgroup_key().
 * @cgroup_id: the cgroup's id.
 * @runtime: enum whorl_runtime (NONE when the path names no container).
 * @id: container id, or empty.
 * @path: the cgroup path.
 */
struct whorl_container {
	u64 key;
	u64 cgroup_id;
	u8 runtime;
	char id[WHORL_CONTAINER_ID_MAX];
	char path[WHORL_CGROUP_PATH_MAX];
};

/**
 * whorl_container_peek - cached runtime of a cgroup, from a kprobe.
 * @key: the cgroup's whorl_cgroup_key().
 * @runtime: receives enum whorl_runtime when cached.
 *
 * Any context (RCU inside, no allocation). Return: true when cached.
 */
bool whorl_container_peek(u64 key, u8 *runtime);

/* The cached answer for @key, if there is one. Any context. */
bool whorl_container_lookup(u64 key, struct whorl_container *out);

/**
 * whorl_container_resolve - resolve a cgroup and cache the answer.
 * @cgrp: a cgroup the caller holds a reference on.
 * @out: receives the result.
 *
 * Process context (may sleep). Return: 0 or a negative errno.
 */
int whorl_container_resolve(struct cgroup *cgrp, struct whorl_container *out);

#if IS_ENABLED(CONFIG_KUNIT)
/* For the KUnit suite: the cache itself. */
void whorl_container_remember(const struct whorl_container *c);
u32 whorl_container_cached(void);
void whorl_container_forget_all(void);
#endif

int whorl_container_init(void);
void whorl_container_exit(void);

#endif /* WHORL_CONTAINER_H */
