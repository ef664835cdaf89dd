// SPDX-License-Identifier: GPL-2.0
/* container.c - which container a cgroup belongs to, from its path; cached. */

#include <linux/cgroup.h>
#include <linux/hashtable.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "container.h"

/*
 * The shapes real runtimes give a container's cgroup (systemd and cgroupfs
 * drivers alike; cgroup v1 controllers repeat the same paths):
 *
 *   Docker, systemd       /system.slice/docker-<id>.scope
 *   Docker, cgroupfs      /docker/<id>
 *   containerd CRI, sd    /kubepods.slice/kubepods-<qos>.slice/
 *                           kubepods-<qos>-pod<uid>.slice/cri-containerd-<id>.scope
 *   nerdctl, systemd      /system.slice/nerdctl-<id>.scope
 *   Kubernetes, cgroupfs  /kubepods/<qos>/pod<uid>/<id>   (containerd's)
 *   CRI-O                 .../crio-<id>.scope, or crio-<id> with cgroupfs
 *   Podman                /machine.slice/libpod-<id>.scope[/container],
 *                         /libpod_parent/libpod-<id> with cgroupfs
 *
 * <id> is exactly 64 lowercase hex digits: every one of these runtimes makes
 * its ids that way, and a shorter or odd one is more likely some other unit
 * (crio-conmon-<id>.scope and libpod-conmon-<id>.scope, the runtimes' own
 * monitors, fail this test and are host processes). The outermost component
 * that names a container wins: it is the one the host's runtime made, and
 * everything below it is that container's to name. Docker-in-Docker and kind
 * nodes nest one runtime's cgroups inside another's container, but so can
 * any container given a writable cgroupfs: a docker-<victim>.scope made below
 * its own must not hand its findings to another container. Components below
 * (sub-cgroups, podman's "container" leaf, nested runtimes) belong to it.
 */

#define WHORL_ID_HEX 64

struct whorl_unit_shape {
	const char *prefix;
	const char *suffix;
	u8 runtime;
};

static const struct whorl_unit_shape whorl_unit_shapes[] = {
	{ "docker-",		".scope",	WHORL_RUNTIME_DOCKER },
	{ "cri-containerd-",	".scope",	WHORL_RUNTIME_CONTAINERD },
	{ "nerdctl-",		".scope",	WHORL_RUNTIME_CONTAINERD },
	{ "crio-",		".scope",	WHORL_RUNTIME_CRIO },
	{ "crio-",		"",		WHORL_RUNTIME_CRIO },
	{ "libpod-",		".scope",	WHORL_RUNTIME_PODMAN },
	{ "libpod-",		"",		WHORL_RUNTIME_PODMAN },
};

static bool whorl_is_id(const char *s, size_t len)
{
	size_t i;

	if (len != WHORL_ID_HEX)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool whorl_comp_is(const char *c, size_t len, const char *word)
{
	return strlen(word) == len && !memcmp(c, word, len);
}

static bool whorl_comp_starts(const char *c, size_t len, const char *word)
{
	size_t wl = strlen(word);

	return len >= wl && !memcmp(c, word, wl);
}

/* The runtime a unit-named component (e.g. "docker-<id>.scope") names. */
static u8 whorl_parse_unit(const char *c, size_t len, const char **id)
{
	const struct whorl_unit_shape *s;
	size_t pl, sl;

	for (s = whorl_unit_shapes; s < whorl_unit_shapes + ARRAY_SIZE(whorl_unit_shapes); s++) {
		pl = strlen(s->prefix);
		sl = strlen(s->suffix);
		if (len != pl + WHORL_ID_HEX + sl || memcmp(c, s->prefix, pl) ||
		    memcmp(c + len - sl, s->suffix, sl) || !whorl_is_id(c + pl, WHORL_ID_HEX))
			continue;
		*id = c + pl;
		return s->runtime;
	}
	return WHORL_RUNTIME_NONE;
}

/**
 * whorl_container_parse - container runtime and id from a cgroup path.
 * @path: the cgroup's path from the hierarchy root.
 * @id: receives the id (NUL-terminated); "" when none. May be NULL.
 * @idlen: size of @id.
 *
 * Pure, any context. Return: enum whorl_runtime; WHORL_RUNTIME_NONE when
 * no component of @path names a container.
 */
u8 whorl_container_parse(const char *path, char *id, size_t idlen)
{
	const char *c, *end, *parent = NULL, *found = NULL, *cid;
	size_t len, parent_len = 0;
	bool kubepods = false;
	u8 runtime = WHORL_RUNTIME_NONE, rt;

	for (c = path; c && *c; c = end) {
		while (*c == '/')
			c++;
		end = strchrnul(c, '/');
		len = end - c;
		if (!len)
			break;

		rt = whorl_parse_unit(c, len, &cid);
		if (rt == WHORL_RUNTIME_NONE && whorl_is_id(c, len) && parent) {
			/* A bare id: the cgroupfs drivers. */
			if (whorl_comp_is(parent, parent_len, "docker"))
				rt = WHORL_RUNTIME_DOCKER;
			else if (kubepods && whorl_comp_starts(parent, parent_len, "pod"))
				rt = WHORL_RUNTIME_CONTAINERD;
			cid = c;
		}
		if (rt != WHORL_RUNTIME_NONE && runtime == WHORL_RUNTIME_NONE) {
			runtime = rt;
			found = cid;
		}
		if (whorl_comp_is(c, len, "kubepods"))
			kubepods = true;
		parent = c;
		parent_len = len;
	}

	if (id && idlen) {
		len = found ? min_t(size_t, WHORL_ID_HEX, idlen - 1) : 0;
		memcpy(id, found, len);
		id[len] = '\0';
	}
	return runtime;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_container_parse);

/*
 * The cache: resolved cgroups by id, read under RCU from kprobes, changed
 * under whorl_ct_lock by workers. When full, the clock algorithm evicts:
 * from the oldest, an entry read since it last came round gets another turn,
 * the first that was not goes. Cgroups of exited containers stop being read
 * and go first; a cgroup is never pinned, only its id is kept.
 */
struct whorl_ct_entry {
	struct hlist_node node;
	struct list_head age;
	struct rcu_head rcu;
	u64 key;
	u64 cgroup_id;
	bool referenced;
	u8 runtime;
	char id[WHORL_CONTAINER_ID_MAX];
	char path[];
};

#define WHORL_CT_BITS 12
static DEFINE_HASHTABLE(whorl_ct_table, WHORL_CT_BITS);
static LIST_HEAD(whorl_ct_age);
static DEFINE_SPINLOCK(whorl_ct_lock);
static u32 whorl_ct_count;

/* Caller holds rcu_read_lock() or whorl_ct_lock. */
static struct whorl_ct_entry *whorl_ct_find(u64 key)
{
	struct whorl_ct_entry *e;

	hash_for_each_possible_rcu(whorl_ct_table, e, node, key,
				   lockdep_is_held(&whorl_ct_lock))
		if (e->key == key)
			return e;
	return NULL;
}

static void whorl_ct_touch(struct whorl_ct_entry *e)
{
	if (!READ_ONCE(e->referenced))
		WRITE_ONCE(e->referenced, true);
}

/* Caller holds whorl_ct_lock. */
static void whorl_ct_drop(struct whorl_ct_entry *e)
{
	hash_del_rcu(&e->node);
	list_del(&e->age);
	whorl_ct_count--;
	kfree_rcu(e, rcu);
}

/* Caller holds whorl_ct_lock; the cache is not empty. */
static void whorl_ct_evict(void)
{
	struct whorl_ct_entry *e;
	u32 turns;

	for (turns = 0;; turns++) {
		e = list_first_entry(&whorl_ct_age, struct whorl_ct_entry, age);
		if (!READ_ONCE(e->referenced) || turns >= whorl_ct_count)
			break;
		WRITE_ONCE(e->referenced, false);
		list_move_tail(&e->age, &whorl_ct_age);
	}
	whorl_ct_drop(e);
}

/**
 * whorl_container_remember - cache @c under its cgroup id.
 * @c: a resolved cgroup.
 *
 * Process context. Without memory nothing is cached; the next resolve tries
 * again. An id already cached keeps its entry.
 */
VISIBLE_IF_KUNIT void whorl_container_remember(const struct whorl_container *c)
{
	size_t plen = strnlen(c->path, sizeof(c->path) - 1);
	struct whorl_ct_entry *e;

	e = kmalloc(struct_size(e, path, plen + 1), GFP_KERNEL);
	if (!e)
		return;
	e->key = c->key;
	e->cgroup_id = c->cgroup_id;
	e->referenced = false;
	e->runtime = c->runtime;
	strscpy(e->id, c->id, sizeof(e->id));
	memcpy(e->path, c->path, plen);
	e->path[plen] = '\0';

	spin_lock(&whorl_ct_lock);
	if (whorl_ct_find(c->key)) {
		spin_unlock(&whorl_ct_lock);
		kfree(e);
		return;
	}
	if (whorl_ct_count >= WHORL_CGROUP_CACHE_MAX)
		whorl_ct_evict();
	hash_add_rcu(whorl_ct_table, &e->node, e->key);
	list_add_tail(&e->age, &whorl_ct_age);
	whorl_ct_count++;
	spin_unlock(&whorl_ct_lock);
}
EXPORT_SYMBOL_IF_KUNIT(whorl_container_remember);

#if IS_ENABLED(CONFIG_KUNIT)
/** whorl_container_cached - cgroups in the cache. Any context. */
u32 whorl_container_cached(void)
{
	return READ_ONCE(whorl_ct_count);
}
EXPORT_SYMBOL_IF_KUNIT(whorl_container_cached);
#endif

/** whorl_container_forget_all - empty the cache. Process context. */
VISIBLE_IF_KUNIT void whorl_container_forget_all(void)
{
	struct whorl_ct_entry *e, *tmp;

	spin_lock(&whorl_ct_lock);
	list_for_each_entry_safe(e, tmp, &whorl_ct_age, age)
		whorl_ct_drop(e);
	spin_unlock(&whorl_ct_lock);
}
EXPORT_SYMBOL_IF_KUNIT(whorl_container_forget_all);

/**
 * whorl_container_peek - cached runtime of a cgroup, from a kprobe.
 * @key: the cgroup's whorl_cgroup_key().
 * @runtime: receives enum whorl_runtime when cached.
 *
 * Any context (RCU inside, no allocation, no lock). Return: true when cached.
 */
bool whorl_container_peek(u64 key, u8 *runtime)
{
	struct whorl_ct_entry *e;
	bool hit = false;

	rcu_read_lock();
	e = whorl_ct_find(key);
	if (e) {
		whorl_ct_touch(e);
		*runtime = e->runtime;
		hit = true;
	}
	rcu_read_unlock();
	return hit;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_container_peek);

/* Fill @out from the cache. Return: true when cached. */
static bool whorl_ct_copy(u64 key, struct whorl_container *out)
{
	struct whorl_ct_entry *e;
	bool hit = false;

	rcu_read_lock();
	e = whorl_ct_find(key);
	if (e) {
		whorl_ct_touch(e);
		out->key = key;
		out->cgroup_id = e->cgroup_id;
		out->runtime = e->runtime;
		strscpy(out->id, e->id, sizeof(out->id));
		strscpy(out->path, e->path, sizeof(out->path));
		hit = true;
	}
	rcu_read_unlock();
	return hit;
}

bool whorl_container_lookup(u64 key, struct whorl_container *out)
{
	return whorl_ct_copy(key, out);
}

/**
 * whorl_container_resolve - resolve a cgroup and cache the answer.
 * @cgrp: a cgroup the caller holds a reference on.
 * @out: receives the result; @out->path is cut to WHORL_CGROUP_PATH_MAX - 1
 *	bytes, the id is parsed from the whole path.
 *
 * The path is taken from the root of the cgroup's hierarchy (what the
 * initial cgroup namespace sees), whatever namespace the caller is in.
 * Process context (may sleep). Return: 0, or -ENOMEM, or the error of
 * reading the path.
 */
int whorl_container_resolve(struct cgroup *cgrp, struct whorl_container *out)
{
	u64 key = whorl_cgroup_key(cgrp);
	char *buf, *slash;
	int len;

	if (whorl_ct_copy(key, out))
		return 0;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	/* init_cgroup_ns is not exported: the hierarchy root's path is the same. */
	len = cgroup_path(cgrp, buf, PATH_MAX);
	if (len < 0) {
		kfree(buf);
		return len;
	}
	if (len >= PATH_MAX - 1) {
		/* Silently cut: drop the partial last component. */
		slash = strrchr(buf, '/');
		if (slash && slash != buf)
			*slash = '\0';
	}

	out->key = key;
	out->cgroup_id = cgroup_id(cgrp);
	out->runtime = whorl_container_parse(buf, out->id, sizeof(out->id));
	strscpy(out->path, buf, sizeof(out->path));
	kfree(buf);
	whorl_container_remember(out);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_container_resolve);

/* Controllers whose v1 hierarchy names a task's container when cgroup v2 cannot. */
static const int whorl_v1_controllers[] = {
#if IS_ENABLED(CONFIG_MEMCG)
	memory_cgrp_id,
#endif
#if IS_ENABLED(CONFIG_CGROUP_PIDS)
	pids_cgrp_id,
#endif
#if IS_ENABLED(CONFIG_CGROUP_SCHED)
	cpu_cgrp_id,
#endif
};

struct cgroup *whorl_task_cgroup(struct task_struct *task)
{
	struct cgroup *cgrp = task_dfl_cgroup(task), *v1;
	unsigned int i;

	if (cgroup_parent(cgrp))
		return cgrp;
	/* In the v2 root: a v1 hierarchy, if any controller is bound to one, says more. */
	for (i = 0; i < ARRAY_SIZE(whorl_v1_controllers); i++) {
		v1 = task_css(task, whorl_v1_controllers[i])->cgroup;
		if (v1->root != &cgrp_dfl_root)
			return v1;
	}
	return cgrp;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_task_cgroup);

#define WHORL_CGROUP_V1_TAG BIT_ULL(63)

u64 whorl_cgroup_key(const struct cgroup *cgrp)
{
	u64 id = cgroup_id((struct cgroup *)cgrp);

	return cgrp->root == &cgrp_dfl_root ? id : id | WHORL_CGROUP_V1_TAG;
}
EXPORT_SYMBOL_IF_KUNIT(whorl_cgroup_key);

/** whorl_container_init - start with an empty cache. */
int whorl_container_init(void)
{
	return 0;
}

/** whorl_container_exit - free the cache. Process context, hooks gone. */
void whorl_container_exit(void)
{
	whorl_container_forget_all();
}
