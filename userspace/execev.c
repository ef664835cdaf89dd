// SPDX-License-Identifier: GPL-2.0
/*
 * execev.c - an exec event as Sigma sees it: the tree gives its parent, the container's
 * /etc/passwd its user, the runtime's state its container's name and image. What is read from a
 * container (its passwd) is read through the process's root with the path resolved inside it,
 * non-blocking and bounded, and cached per container.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

#include "execev.h"
#include "kinds.h"
#include "readfull.h"
#include "utf8.h"

/* Linux user names are at most 32 bytes. */
#define USER_NAME_MAX 33

/* --- the Sigma event -------------------------------------------------------------------------- */

static const char *stdio_type_name(uint8_t type)
{
	switch (type) {
	case WHORL_STDIO_TTY:
		return "tty";
	case WHORL_STDIO_PIPE:
		return "pipe";
	case WHORL_STDIO_FILE:
		return "file";
	case WHORL_STDIO_SOCKET:
		return "socket";
	default:
		return "other";
	}
}

/*
 * The peer's address as text. An IPv4-mapped IPv6 address (a dual-stack socket's IPv4 peer) is
 * written as IPv4, so that a rule's IPv4 |cidr sees the address the peer has.
 */
static const char *remote_text(const struct whorl_stdio *s, char *buf)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (s->remote_len == 4)
		return inet_ntop(AF_INET, s->remote, buf, INET6_ADDRSTRLEN);
	if (s->remote_len != 16)
		return NULL;
	if (!memcmp(s->remote, mapped, sizeof(mapped)))
		return inet_ntop(AF_INET, s->remote + 12, buf, INET6_ADDRSTRLEN);
	return inet_ntop(AF_INET6, s->remote, buf, INET6_ADDRSTRLEN);
}

/* argv joined by single spaces, cut at @size - 1 bytes. */
static void join_args(char *const *args, size_t n, char *out, size_t size)
{
	size_t len = 0, i, k;

	out[0] = '\0';
	for (i = 0; i < n && len < size - 1; i++) {
		if (i)
			out[len++] = ' ';
		k = strlen(args[i]);
		if (k > size - 1 - len)
			k = size - 1 - len;
		memcpy(out + len, args[i], k);
		len += k;
	}
	out[len < size ? len : size - 1] = '\0';
}

void whorl_exec_sigma(const struct whorl_finding *f, const struct whorl_proc *parent,
		      const char *user, const struct whorl_container_info *ci,
		      struct whorl_exec_event *out)
{
	static const int type_field[3] = {
		WHORL_SF_STDIN_TYPE, WHORL_SF_STDOUT_TYPE, WHORL_SF_STDERR_TYPE,
	};
	const char **fl = out->ev.field;
	size_t i;

	memset(&out->ev, 0, sizeof(out->ev));
	out->ev.env = out->env;
	if (f->binary.present)
		fl[WHORL_SF_IMAGE] = f->binary.path;
	if (f->args) {
		join_args(f->args, f->nargs, out->cmdline, sizeof(out->cmdline));
		fl[WHORL_SF_COMMAND_LINE] = out->cmdline;
	}
	if (parent) {
		fl[WHORL_SF_PARENT_IMAGE] = parent->image;
		if (parent->args) {
			whorl_args_join(parent->args, parent->args_len, out->parent_cmdline,
					sizeof(out->parent_cmdline));
			fl[WHORL_SF_PARENT_COMMAND_LINE] = out->parent_cmdline;
		}
	}
	fl[WHORL_SF_USER] = user;
	fl[WHORL_SF_CURRENT_DIRECTORY] = f->cwd;
	if (f->has_uid) {
		/* Sysmon's: terminal index << 32 | uid; the module sends no terminal: index 0 */
		snprintf(out->logon, sizeof(out->logon), "%" PRIu64, (uint64_t)f->uid);
		fl[WHORL_SF_LOGON_ID] = out->logon;
	}
	for (i = 0; i < 3; i++) {
		const struct whorl_stdio *s = &f->stdio[i];

		if (!s->present || !s->has_type)
			continue;
		/* TYPE, REMOTE_ADDRESS and REMOTE_PORT follow each other in the enum */
		fl[type_field[i]] = stdio_type_name(s->type);
		fl[type_field[i] + 1] = remote_text(s, out->addr[i]);
		if (fl[type_field[i] + 1] && s->has_remote_port) {
			snprintf(out->port[i], sizeof(out->port[i]), "%u", s->remote_port);
			fl[type_field[i] + 2] = out->port[i];
		}
	}
	if (f->binary.present && f->binary.has_layer)
		fl[WHORL_SF_LAYER] = whorl_layer_name(f->binary.layer);
	if (f->binary.present && f->binary.has_sha256) {
		whorl_hex(f->binary.sha256, out->sha256);
		fl[WHORL_SF_SHA256] = out->sha256;
	}
	if (f->container_id && f->container_id[0])
		fl[WHORL_SF_CONTAINER_ID] = f->container_id;
	if (ci) {
		fl[WHORL_SF_CONTAINER_NAME] = ci->name;
		fl[WHORL_SF_CONTAINER_IMAGE] = ci->image;
	}
	/* a variable may be missing from whorl.Env.*: a rule can ask (never absent-and-silent) */
	if (f->env_incomplete)
		fl[WHORL_SF_ENV_INCOMPLETE] = "true";
	for (i = 0; i < f->nenv && i < WHORL_ENV_NAMES_MAX; i++) {
		out->env[i].name = f->env[i].name;
		out->env[i].value = f->env[i].value;
	}
	out->ev.nenv = i;
}

json_object *whorl_sigma_event_json(const struct whorl_sigma_event *ev)
{
	json_object *o = json_object_new_object(), *v = NULL;
	char key[sizeof(WHORL_SIGMA_ENV_PREFIX) + WHORL_ENV_NAME_MAX];
	unsigned int i;

	if (!o)
		return NULL;
	for (i = 0; i < WHORL_SF_COUNT; i++) {
		if (!ev->field[i])
			continue;
		v = json_object_new_string(ev->field[i]);
		if (!v || json_object_object_add(o, whorl_sigma_field_name(i), v))
			goto oom;
	}
	for (i = 0; i < ev->nenv; i++) {
		snprintf(key, sizeof(key), WHORL_SIGMA_ENV_PREFIX "%s", ev->env[i].name);
		v = json_object_new_string(ev->env[i].value);
		if (!v || json_object_object_add(o, key, v))
			goto oom;
	}
	return o;
oom:
	json_object_put(v);
	json_object_put(o);
	return NULL;
}

/* --- users: the container's /etc/passwd ------------------------------------------------------- */

struct uname {
	uint32_t uid;
	uint32_t line;			/* a uid's first line is what getpwuid() reads */
	char name[USER_NAME_MAX];
};

/* What both caches key their entries by: a container. */
struct slot {
	uint64_t hash;			/* of the container id; 0: a free slot */
	char *id;
	uint64_t loaded;		/* the caller's clock when read */
};

struct whorl_users_entry {
	struct slot s;
	struct uname *u;		/* sorted by uid, then line */
	size_t n;
};

struct whorl_ci_entry {
	struct slot s;
	int found;
	struct whorl_container_info ci;
};

static int uname_cmp(const void *a, const void *b)
{
	const struct uname *x = a, *y = b;

	if (x->uid != y->uid)
		return x->uid < y->uid ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int uid_cmp(const void *a, const void *b)
{
	const struct uname *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/* Every "name:password:uid:..." line of a passwd text whose name and uid are well formed. */
static void passwd_parse(const char *buf, size_t len, struct whorl_users_entry *e)
{
	const char *line, *end = buf + len, *nl, *c1, *c2, *c3;
	size_t n = 0, k;
	unsigned long v;
	char *x;

	for (line = buf; line < end; line = nl + 1) {
		nl = memchr(line, '\n', end - line);
		n++;
		if (!nl)
			break;
	}
	e->u = calloc(n ? n : 1, sizeof(*e->u));
	if (!e->u)
		return;
	for (line = buf, n = 0; line < end; line = nl + 1, n++) {
		nl = memchr(line, '\n', end - line);
		if (!nl)
			nl = end;
		c1 = memchr(line, ':', nl - line);
		c2 = c1 ? memchr(c1 + 1, ':', nl - c1 - 1) : NULL;
		c3 = c2 ? memchr(c2 + 1, ':', nl - c2 - 1) : NULL;
		k = c1 ? (size_t)(c1 - line) : 0;
		if (!c3 || !k || k >= USER_NAME_MAX || c3 == c2 + 1 || c3 - c2 > 11 ||
		    c2[1] < '0' || c2[1] > '9' || !whorl_utf8_valid(line, k) ||
		    memchr(line, '\0', k))
			continue;
		v = strtoul(c2 + 1, &x, 10);
		if (x != c3 || v > UINT32_MAX)
			continue;
		e->u[e->n].uid = (uint32_t)v;
		e->u[e->n].line = (uint32_t)n;
		memcpy(e->u[e->n].name, line, k);
		e->u[e->n++].name[k] = '\0';
	}
	qsort(e->u, e->n, sizeof(*e->u), uname_cmp);
}

static int open_in_root(int dirfd, const char *rel)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));

	/* before Linux 5.6: no symlink at the end at least (a hostile one could point out) */
	if (fd < 0 && errno == ENOSYS)
		fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
	return (int)fd;
}

/*
 * The container's users, read through @tgid's root (symlinks resolved inside it). Return: 0
 * read, or known absent (a container without /etc/passwd, or one that is not a regular file
 * of at most WHORL_PASSWD_MAX bytes, names no one); -1 the process is gone (nothing learnt).
 */
static int users_load(const char *root, uint32_t tgid, struct whorl_users_entry *e)
{
	char path[PATH_MAX], *buf;
	struct stat st;
	size_t got;
	int dirfd, fd;

	snprintf(path, sizeof(path), "%s/proc/%u/root", root, tgid);
	dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -1;
	fd = open_in_root(dirfd, "etc/passwd");
	close(dirfd);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > WHORL_PASSWD_MAX ||
	    !(buf = malloc(st.st_size + 1))) {
		close(fd);
		return 0;
	}
	got = whorl_read_full(fd, buf, (size_t)st.st_size);
	close(fd);
	passwd_parse(buf, got, e);
	free(buf);
	return 0;
}

/*
 * A live process of the cgroup at @cgroup (the path the module sends: from the hierarchy's root),
 * read from cgroup v2's cgroup.procs, else v1's pids hierarchy; 0 when none is found.
 */
static uint32_t cgroup_member(const char *root, const char *cgroup)
{
	static const char *const mounts[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/pids",
					      "/sys/fs/cgroup/unified" };
	char path[PATH_MAX], line[32];
	unsigned long pid = 0;
	unsigned int i;
	FILE *fp;

	if (!cgroup || cgroup[0] != '/' || strstr(cgroup, "/.."))
		return 0;
	for (i = 0; i < sizeof(mounts) / sizeof(mounts[0]) && !pid; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s%s%s/cgroup.procs", root, mounts[i],
				     cgroup) >= sizeof(path))
			continue;
		fp = fopen(path, "re");
		if (!fp)
			continue;
		if (fgets(line, sizeof(line), fp))
			pid = strtoul(line, NULL, 10);
		fclose(fp);
	}
	return pid > 0 && pid < UINT32_MAX ? (uint32_t)pid : 0;
}

/*
 * The entry for container @id in a cache of WHORL_EXEC_CACHE_MAX entries of @size bytes: its
 * own, else a free one, else the one read longest ago. *@fresh says whether it is @id's and
 * read less than WHORL_EXEC_CACHE_TTL_S ago.
 */
static void *slot_find(void *arr, size_t size, const char *id, uint64_t h, uint64_t now,
		       int *own, int *fresh)
{
	struct slot *best = arr, *s;
	size_t i;

	*own = *fresh = 0;
	for (i = 0; i < WHORL_EXEC_CACHE_MAX; i++) {
		s = (struct slot *)((char *)arr + i * size);
		if (s->hash == h && !strcmp(s->id, id)) {
			*own = 1;
			*fresh = now - s->loaded < WHORL_EXEC_CACHE_TTL_S;
			return s;
		}
		if (!best->hash)
			continue;
		if (!s->hash || s->loaded < best->loaded)
			best = s;
	}
	return best;
}

static void users_clear(struct whorl_users_entry *e)
{
	free(e->s.id);
	free(e->u);
	memset(e, 0, sizeof(*e));
}

static const char *user_name(struct whorl_exec_ctx *c, const struct whorl_finding *f,
			     uint64_t now)
{
	struct whorl_users_entry *e, fresh_e = { 0 };
	struct uname key, *u;
	uint64_t h = whorl_container_hash(f->container_id);
	int own, fresh;

	if (!h || !f->has_uid || !f->has_tgid)
		return NULL;
	e = slot_find(c->users, sizeof(*e), f->container_id, h, now, &own, &fresh);
	if (!fresh) {
		/* a short-lived process is often gone already: any process of its cgroup will do */
		if (users_load(c->root, f->tgid, &fresh_e) &&
		    users_load(c->root, cgroup_member(c->root, f->cgroup), &fresh_e)) {
			if (!own)
				return NULL;	/* gone: what we knew of it stays */
		} else if (!(fresh_e.s.id = strdup(f->container_id))) {
			free(fresh_e.u);
			return NULL;
		} else {
			users_clear(e);
			*e = fresh_e;
			e->s.hash = h;
			e->s.loaded = now;
		}
	}
	key.uid = f->uid;
	u = e->n ? bsearch(&key, e->u, e->n, sizeof(*e->u), uid_cmp) : NULL;
	while (u && u > e->u && u[-1].uid == f->uid)
		u--;		/* bsearch lands on any line of the uid: the first names it */
	return u ? u->name : NULL;
}

static const struct whorl_container_info *container(struct whorl_exec_ctx *c,
						    const struct whorl_finding *f, uint64_t now)
{
	struct whorl_ci_entry *e;
	uint64_t h = whorl_container_hash(f->container_id);
	int own, fresh;
	char *id;

	if (!h)
		return NULL;
	e = slot_find(c->cis, sizeof(*e), f->container_id, h, now, &own, &fresh);
	if (fresh)
		return e->found ? &e->ci : NULL;
	id = strdup(f->container_id);
	if (!id)
		return NULL;
	if (e->found)
		whorl_container_info_free(&e->ci);
	free(e->s.id);
	memset(e, 0, sizeof(*e));
	e->found = whorl_enrich(c->root, f->has_runtime ? f->runtime : 0, id, &e->ci);
	c->ci_refused += e->ci.refused;
	e->s.id = id;
	e->s.hash = h;
	e->s.loaded = now;
	return e->found ? &e->ci : NULL;
}

/* --- the per-exec path ------------------------------------------------------------------------ */

int whorl_exec_init(struct whorl_exec_ctx *c, const char *root, int lookup)
{
	memset(c, 0, sizeof(*c));
	c->root = root;
	c->lookup = lookup;
	c->users = calloc(WHORL_EXEC_CACHE_MAX, sizeof(*c->users));
	c->cis = calloc(WHORL_EXEC_CACHE_MAX, sizeof(*c->cis));
	if (!c->users || !c->cis || whorl_proctree_init(&c->tree, 0, 0)) {
		whorl_exec_free(c);
		return -1;
	}
	return 0;
}

void whorl_exec_free(struct whorl_exec_ctx *c)
{
	size_t i;

	for (i = 0; c->users && i < WHORL_EXEC_CACHE_MAX; i++)
		users_clear(&c->users[i]);
	for (i = 0; c->cis && i < WHORL_EXEC_CACHE_MAX; i++) {
		if (c->cis[i].found)
			whorl_container_info_free(&c->cis[i].ci);
		free(c->cis[i].s.id);
	}
	free(c->users);
	free(c->cis);
	free(c->hits);
	if (c->tree.bucket)
		whorl_proctree_free(&c->tree);
	memset(c, 0, sizeof(*c));
}

int whorl_exec_judge(struct whorl_exec_ctx *c, struct whorl_sigma_set *rules,
		     const struct whorl_finding *f, uint64_t now, struct whorl_exec_result *r)
{
	long k;

	struct whorl_proc *parent = NULL;

	r->self = whorl_proctree_add(&c->tree, f, now);
	r->nlineage = r->self ? whorl_proctree_lineage(&c->tree, r->self, r->lineage,
						       WHORL_LINEAGE_MAX, now) : 0;
	/* The parent names ParentImage even where the lineage stops (a container's init). */
	if (r->nlineage)
		parent = r->lineage[0];
	else if (r->self && r->self->has_parent)
		parent = whorl_proctree_find(&c->tree, f->ppid, f->parent_start_ns,
					     r->self->parent_exec_seq);
	if (parent == r->self)
		parent = NULL;
	r->ci = c->lookup ? container(c, f, now) : NULL;
	r->user = c->lookup ? user_name(c, f, now) : NULL;
	whorl_exec_sigma(f, parent, r->user, r->ci, &r->sev);
	if (c->urls && r->sev.ev.field[WHORL_SF_COMMAND_LINE]) {
		const struct whorl_url_entry *u = whorl_urls_find(
			c->urls, r->sev.ev.field[WHORL_SF_COMMAND_LINE], r->sev.intel_url);

		if (u) {
			r->sev.ev.field[WHORL_SF_INTEL_URL] = r->sev.intel_url;
			r->sev.ev.field[WHORL_SF_INTEL_URL_LABEL] = u->label;
		}
	}
	r->hits = NULL;
	r->nhits = 0;
	if (!rules || !rules->n)
		return 0;
	if (c->hits_cap < rules->n) {
		const struct whorl_sigma_meta **h = realloc(c->hits, rules->n * sizeof(*h));

		if (!h)
			return -1;
		c->hits = h;
		c->hits_cap = rules->n;
	}
	k = whorl_sigma_match(rules, &r->sev.ev, c->hits, c->hits_cap);
	if (k < 0)
		return -1;
	r->hits = c->hits;
	r->nhits = (size_t)k;
	return 0;
}
