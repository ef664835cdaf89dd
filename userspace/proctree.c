// SPDX-License-Identifier: GPL-2.0
/*
 * proctree.c - the processes exec events describe: one node per exec, keyed by (tgid, start
 * time, exec sequence), hashed by (tgid, start in clock ticks) so that a process seen only in
 * /proc (whose start time is known to the tick) is found by the execs of its children. Bounded
 * by count and bytes with an LRU list; what the kernel sends is not trusted to form a tree.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proctree.h"
#include "readfull.h"

uint64_t whorl_container_hash(const char *id)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	if (!id || !*id)
		return 0;
	while (*id)
		h = (h ^ (unsigned char)*id++) * 0x100000001b3ULL;
	return h ? h : 1;
}

static size_t bucket_of(const struct whorl_proctree *t, uint32_t tgid, uint64_t ticks)
{
	uint64_t h = (ticks ^ ((uint64_t)tgid << 32 | tgid)) * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (t->nbuckets - 1);
}

int whorl_proctree_init(struct whorl_proctree *t, size_t max, size_t max_bytes)
{
	long hz = sysconf(_SC_CLK_TCK);

	memset(t, 0, sizeof(*t));
	t->max = max ? max : WHORL_PROCTREE_MAX;
	t->max_bytes = max_bytes ? max_bytes : WHORL_PROCTREE_BYTES;
	t->ns_per_tick = 1000000000ULL / (uint64_t)(hz > 0 ? hz : 100);
	for (t->nbuckets = 64; t->nbuckets < 2 * t->max; t->nbuckets *= 2)
		;
	t->bucket = calloc(t->nbuckets, sizeof(*t->bucket));
	return t->bucket ? 0 : -1;
}

static void lru_unlink(struct whorl_proctree *t, struct whorl_proc *p)
{
	if (p->prev)
		p->prev->next = p->next;
	else
		t->head = p->next;
	if (p->next)
		p->next->prev = p->prev;
	else
		t->tail = p->prev;
	p->prev = p->next = NULL;
}

static void lru_front(struct whorl_proctree *t, struct whorl_proc *p)
{
	p->next = t->head;
	p->prev = NULL;
	if (t->head)
		t->head->prev = p;
	t->head = p;
	if (!t->tail)
		t->tail = p;
}

static void touch(struct whorl_proctree *t, struct whorl_proc *p, uint64_t now)
{
	p->used = now;
	if (t->head == p)
		return;
	lru_unlink(t, p);
	lru_front(t, p);
}

static void node_free(struct whorl_proc *p)
{
	free(p->image);
	free(p->args);
	free(p);
}

static void node_remove(struct whorl_proctree *t, struct whorl_proc *p)
{
	struct whorl_proc **pp = &t->bucket[bucket_of(t, p->tgid, p->ticks)];

	while (*pp && *pp != p)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = p->hnext;
	lru_unlink(t, p);
	t->n--;
	t->bytes -= p->bytes;
	node_free(p);
}

void whorl_proctree_free(struct whorl_proctree *t)
{
	struct whorl_proc *p, *next;

	for (p = t->head; p; p = next) {
		next = p->next;
		node_free(p);
	}
	free(t->bucket);
	memset(t, 0, sizeof(*t));
}

static int same_start(const struct whorl_proctree *t, const struct whorl_proc *p,
		      uint32_t tgid, uint64_t start_ns)
{
	if (p->tgid != tgid || p->ticks != start_ns / t->ns_per_tick)
		return 0;
	/* a process seeded from /proc is known to the tick */
	return !p->exec_seq || p->start_ns == start_ns;
}

struct whorl_proc *whorl_proctree_find(struct whorl_proctree *t, uint32_t tgid,
				       uint64_t start_ns, uint64_t exec_seq)
{
	struct whorl_proc *p, *best = NULL;

	for (p = t->bucket[bucket_of(t, tgid, start_ns / t->ns_per_tick)]; p; p = p->hnext) {
		if (!same_start(t, p, tgid, start_ns))
			continue;
		if (p->exec_seq == exec_seq && exec_seq)
			return p;
		/* else the latest exec before it: what the process ran when it made the child */
		if (p->exec_seq <= exec_seq && (!best || p->exec_seq > best->exec_seq))
			best = p;
	}
	return best;
}

static const char *base_name(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;

	return s ? s + 1 : path ? path : "";
}

/* The programs between a container and the host: a lineage stops before them. */
static int is_helper(const char *name)
{
	static const char *const helpers[] = {
		"conmon", "runc", "crun", "youki", "runsc", "containerd", "dockerd",
		"docker-containerd-shim", "crio", "podman",
	};
	size_t i;

	if (!strncmp(name, "containerd-shim", 15))
		return 1;
	for (i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++)
		if (!strcmp(name, helpers[i]))
			return 1;
	return 0;
}

static char *dup_cut(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Make room for one more node of @bytes: the least recently used go first. */
static void make_room(struct whorl_proctree *t, size_t bytes)
{
	while (t->tail && (t->n >= t->max || t->bytes + bytes > t->max_bytes)) {
		node_remove(t, t->tail);
		t->evicted++;
	}
}

/*
 * A new node, most recently used, in the tree. @args (NUL-separated, @len bytes) and @image
 * are copied and cut to WHORL_PROC_STR_MAX.
 */
static struct whorl_proc *node_add(struct whorl_proctree *t, uint32_t tgid, uint64_t start_ns,
				   uint64_t exec_seq, const char *image, const char *args,
				   size_t len, uint64_t now)
{
	struct whorl_proc *p = calloc(1, sizeof(*p));
	size_t b;

	if (!p)
		return NULL;
	p->tgid = tgid;
	p->start_ns = start_ns;
	p->ticks = start_ns / t->ns_per_tick;
	p->exec_seq = exec_seq;
	p->used = now;
	if (image && !(p->image = dup_cut(image, WHORL_PROC_STR_MAX)))
		goto oom;
	if (len > WHORL_PROC_STR_MAX) {
		len = WHORL_PROC_STR_MAX;
		p->args_truncated = 1;
	}
	if (len) {
		p->args = malloc(len + 1);
		if (!p->args)
			goto oom;
		memcpy(p->args, args, len);
		p->args[len] = '\0';
		/* a cut argument, or a last one without its NUL, ends here */
		p->args_len = len;
	}
	p->helper = is_helper(base_name(p->image));
	b = sizeof(*p) + (p->image ? strlen(p->image) + 1 : 0) + (p->args ? len + 1 : 0);
	make_room(t, b);
	p->bytes = b;
	b = bucket_of(t, tgid, p->ticks);
	p->hnext = t->bucket[b];
	t->bucket[b] = p;
	lru_front(t, p);
	t->n++;
	t->bytes += p->bytes;
	return p;
oom:
	node_free(p);
	return NULL;
}

struct whorl_proc *whorl_proctree_add(struct whorl_proctree *t, const struct whorl_finding *f,
				      uint64_t now)
{
	char args[WHORL_PROC_STR_MAX + 1];
	struct whorl_proc *p;
	size_t len = 0, i, n;
	int cut = f->args_truncated;

	if (!f->has_tgid || !f->has_start)
		return NULL;
	p = whorl_proctree_find(t, f->tgid, f->start_ns, f->exec_seq);
	if (p && p->exec_seq == f->exec_seq && p->exec_seq) {
		touch(t, p, now);	/* the same exec twice: a replay, or a hostile sender */
		return p;
	}
	for (i = 0; i < f->nargs && !cut; i++) {
		n = strlen(f->args[i]) + 1;
		if (len + n > WHORL_PROC_STR_MAX) {
			n = WHORL_PROC_STR_MAX - len;
			cut = 1;
		}
		memcpy(args + len, f->args[i], n);
		len += n;
	}
	p = node_add(t, f->tgid, f->start_ns, f->exec_seq, f->binary.present ? f->binary.path :
		     NULL, args, len, now);
	if (!p)
		return NULL;
	p->args_truncated |= cut;
	p->ppid = f->ppid;
	p->uid = f->uid;
	p->has_uid = f->has_uid;
	p->has_parent = f->has_ppid && f->has_parent_start;
	p->parent_start_ns = f->parent_start_ns;
	p->parent_exec_seq = f->has_parent_exec_seq ? f->parent_exec_seq : 0;
	p->container = whorl_container_hash(f->container_id);
	if (f->comm)
		snprintf(p->comm, sizeof(p->comm), "%s", f->comm);
	return p;
}

static int listed(struct whorl_proc *const *out, size_t n, const struct whorl_proc *p)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (out[i] == p)
			return 1;
	return 0;
}

size_t whorl_proctree_lineage(struct whorl_proctree *t, const struct whorl_proc *p,
			      struct whorl_proc **out, size_t max, uint64_t now)
{
	const struct whorl_proc *cur = p;
	struct whorl_proc *up;
	size_t n = 0;

	if (max > WHORL_LINEAGE_MAX)
		max = WHORL_LINEAGE_MAX;
	while (n < max && cur->has_parent) {
		up = whorl_proctree_find(t, cur->ppid, cur->parent_start_ns, cur->parent_exec_seq);
		if (!up || up == p || listed(out, n, up))
			break;
		if (up->helper || up->tgid == 1 ||
		    (up->container && cur->container && up->container != cur->container))
			break;
		touch(t, up, now);
		out[n++] = up;
		cur = up;
	}
	return n;
}

/* Read at most @size - 1 bytes of @path into @buf, NUL-terminated; non-blocking. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	size_t got;

	if (fd < 0)
		return -1;
	got = whorl_read_full(fd, buf, size - 1);
	close(fd);
	buf[got] = '\0';
	return (ssize_t)got;
}

int whorl_proc_stat(const char *root, uint32_t pid, uint32_t *ppid, uint64_t *ticks,
		    char *comm)
{
	char path[PATH_MAX], buf[1024], *open_paren, *close_paren, *tok, *save = NULL;
	unsigned long long v;
	int field;

	snprintf(path, sizeof(path), "%s/proc/%u/stat", root, pid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	/* comm may hold spaces and parentheses: it ends at the last ')' */
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren || close_paren < open_paren)
		return -1;
	if (comm)
		snprintf(comm, 16, "%.*s", (int)(close_paren - open_paren - 1), open_paren + 1);
	for (field = 3, tok = strtok_r(close_paren + 1, " \n", &save); tok;
	     field++, tok = strtok_r(NULL, " \n", &save)) {
		if (field != 4 && field != 22)
			continue;
		if (!isdigit((unsigned char)tok[0]))
			return -1;
		v = strtoull(tok, NULL, 10);
		if (field == 4) {
			*ppid = (uint32_t)v;
		} else {
			*ticks = v;
			return 0;
		}
	}
	return -1;
}

struct seen {
	uint32_t pid;
	uint64_t ticks;
};

static int seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

size_t whorl_proctree_seed(struct whorl_proctree *t, const char *root, uint64_t now)
{
	char path[PATH_MAX], exe[PATH_MAX], args[WHORL_PROC_STR_MAX + 1], comm[16];
	struct seen *seen = NULL, key, *hit;
	struct whorl_proc *p;
	size_t n = 0, cap = 0, added = 0;
	struct dirent *d;
	uint32_t pid, ppid;
	uint64_t ticks;
	ssize_t alen, elen;
	DIR *dir;
	char *end;

	snprintf(path, sizeof(path), "%s/proc", root);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir)) && t->n < t->max) {
		errno = 0;
		pid = (uint32_t)strtoul(d->d_name, &end, 10);
		if (!isdigit((unsigned char)d->d_name[0]) || *end || errno || !pid)
			continue;
		if (whorl_proc_stat(root, pid, &ppid, &ticks, comm))
			continue;
		snprintf(path, sizeof(path), "%s/proc/%u/exe", root, pid);
		elen = readlink(path, exe, sizeof(exe) - 1);
		snprintf(path, sizeof(path), "%s/proc/%u/cmdline", root, pid);
		alen = read_small(path, args, sizeof(args));
		if (elen <= 0 && alen <= 0)
			continue;	/* a kernel thread */
		exe[elen > 0 ? elen : 0] = '\0';
		p = node_add(t, pid, ticks * t->ns_per_tick, 0, elen > 0 ? exe : NULL, args,
			     alen > 0 ? (size_t)alen : 0, now);
		if (!p)
			break;
		p->ppid = ppid;
		p->args_truncated = alen == WHORL_PROC_STR_MAX;
		snprintf(p->comm, sizeof(p->comm), "%s", comm);
		if (!p->image)
			p->helper = is_helper(comm);
		if (n == cap) {
			void *m = realloc(seen, (cap = cap ? 2 * cap : 256) * sizeof(*seen));

			if (!m)
				break;
			seen = m;
		}
		seen[n].pid = pid;
		seen[n++].ticks = ticks;
		added++;
	}
	closedir(dir);
	/* Each one's parent, as it was when seen: by the parent's own start time. */
	qsort(seen, n, sizeof(*seen), seen_cmp);
	for (p = t->head; p && n; p = p->next) {
		if (p->exec_seq || p->has_parent)
			continue;
		key.pid = p->ppid;
		hit = bsearch(&key, seen, n, sizeof(*seen), seen_cmp);
		if (!hit)
			continue;
		p->has_parent = 1;
		p->parent_start_ns = hit->ticks * t->ns_per_tick;
		p->parent_exec_seq = 0;
	}
	free(seen);
	return added;
}

size_t whorl_proctree_sweep(struct whorl_proctree *t, const char *root, uint64_t now,
			    size_t budget)
{
	struct whorl_proc *p;
	size_t gone = 0;
	uint32_t ppid;
	uint64_t ticks;

	while (budget-- && (p = t->tail) && p->used + WHORL_PROCTREE_IDLE_S <= now) {
		if (!whorl_proc_stat(root, p->tgid, &ppid, &ticks, NULL) && ticks == p->ticks) {
			touch(t, p, now);	/* still running: keep it, checked again later */
			continue;
		}
		node_remove(t, p);
		t->reclaimed++;
		gone++;
	}
	return gone;
}

void whorl_args_join(const char *args, size_t len, char *out, size_t size)
{
	size_t i, n;

	/* the last argument's NUL is no separator */
	if (len && !args[len - 1])
		len--;
	n = len < size - 1 ? len : size - 1;
	for (i = 0; i < n; i++)
		out[i] = args[i] ? args[i] : ' ';
	out[n] = '\0';
}
