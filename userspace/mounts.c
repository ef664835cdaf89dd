// SPDX-License-Identifier: GPL-2.0
/*
 * mounts.c - diskPath. The kernel names a file by its filesystem's device number and its path
 * from that filesystem's root (the mounts of other mount namespaces are private to it); the
 * host's path is found here, in the host's mount table, /proc/1/mountinfo:
 *   ID PARENT MAJOR:MINOR ROOT POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER-OPTIONS
 * A file on no mount of the table (a memfd, a container's private tmpfs) has no diskPath:
 * it is left out, never guessed.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "enrich.h"
#include "mounts.h"
#include "utf8.h"

/* A sanity bound: a node with tens of thousands of mounts has a few MiB of mountinfo. */
#define MOUNTINFO_MAX	(64 << 20)

/* The whole file, NUL-terminated; NULL with errno set on failure. */
static char *read_all(int fd)
{
	size_t cap = 64 << 10, n = 0;
	char *buf = malloc(cap), *p;
	ssize_t r;

	while (buf) {
		if (n + 1 == cap) {
			if (cap >= MOUNTINFO_MAX) {
				errno = EFBIG;
				break;
			}
			p = realloc(buf, cap * 2);
			if (!p)
				break;
			buf = p;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (r == 0) {
			buf[n] = '\0';
			return buf;
		}
		n += r;
	}
	free(buf);
	return NULL;
}

static int is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* Undo the kernel's mangling in place: space, tab, newline and backslash are written \ooo. */
static char *unescape(char *s)
{
	char *r = s, *w = s;
	int c;

	while (*r) {
		c = 0;
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && is_octal(r[2]) && is_octal(r[3]))
			c = (r[1] - '0') << 6 | (r[2] - '0') << 3 | (r[3] - '0');
		if (c) {		/* a "\000" would cut the string: kept as written */
			*w++ = c;
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return s;
}

static int get_ulong(const char *s, char **end, unsigned long *v)
{
	if (!isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	*v = strtoul(s, end, 10);
	return !errno;
}

/* "MAJOR:MINOR" into the kernel's encoding; 0 if it is not that or does not fit. */
static int get_dev(const char *s, uint32_t *dev)
{
	unsigned long major, minor;
	char *end;

	if (!get_ulong(s, &end, &major) || *end != ':' || !get_ulong(end + 1, &end, &minor) ||
	    *end || major >= 1UL << 12 || minor >= 1UL << 20)
		return 0;
	*dev = major << 20 | minor;
	return 1;
}

/* One line, its fields cut and decoded in place; 0 for a line that is not a mount. */
static int parse_line(char *line, struct whorl_mount *mt)
{
	char *field[5], *save = NULL, *end;
	int i;

	for (i = 0; i < 5; i++) {
		field[i] = strtok_r(i ? NULL : line, " ", &save);
		if (!field[i])
			return 0;
	}
	if (!get_ulong(field[0], &end, &mt->id) || *end ||
	    !get_ulong(field[1], &end, &mt->parent) || *end || !get_dev(field[2], &mt->dev))
		return 0;
	mt->root = unescape(field[3]);
	mt->point = unescape(field[4]);
	return mt->root[0] == '/' && mt->point[0] == '/';
}

static int parse(struct whorl_mounts *m)
{
	size_t lines = 1, n = 0;
	char *p, *nl;

	for (p = m->text; *p; p++)
		lines += *p == '\n';
	m->v = calloc(lines, sizeof(*m->v));
	if (!m->v)
		return -ENOMEM;
	for (p = m->text; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		n += parse_line(p, &m->v[n]);
		if (!nl)
			break;
	}
	m->n = n;
	return 0;
}

static void drop(struct whorl_mounts *m)
{
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
	free(m->text);
	free(m->v);
	m->text = NULL;
	m->v = NULL;
	m->n = 0;
}

/* Read the table afresh from the first file that can be read; on failure it is empty. */
static int reload(struct whorl_mounts *m)
{
	struct statfs sfs;
	int i, err = -ENOENT;

	drop(m);
	clock_gettime(CLOCK_MONOTONIC, &m->read_at);
	for (i = 0; i < m->npaths; i++) {
		/*
		 * Opened before it is read: procfs reports, through poll(), any change after
		 * the open, so none made before the next poll() goes unseen.
		 */
		m->fd = open(m->path[i], O_RDONLY | O_CLOEXEC);
		if (m->fd >= 0 && !fstat(m->fd, &m->st) && (m->text = read_all(m->fd)))
			break;
		err = -errno;
		if (m->fd >= 0)
			close(m->fd);
		m->fd = -1;
	}
	if (m->fd < 0)
		return err;
	m->cur = i;
	m->is_proc = !fstatfs(m->fd, &sfs) && sfs.f_type == PROC_SUPER_MAGIC;
	err = parse(m);
	if (err) {
		drop(m);
		return err;
	}
	m->reads++;
	return 0;
}

/* Has the table changed since it was read? */
static int changed(struct whorl_mounts *m)
{
	struct pollfd pfd = { .fd = m->fd, .events = POLLPRI };
	struct stat st;

	if (m->is_proc)
		return poll(&pfd, 1, 0) != 0;	/* POLLERR | POLLPRI: the table changed */
	if (stat(m->path[m->cur], &st))
		return 1;
	return st.st_dev != m->st.st_dev || st.st_ino != m->st.st_ino ||
	       st.st_size != m->st.st_size || st.st_mtim.tv_sec != m->st.st_mtim.tv_sec ||
	       st.st_mtim.tv_nsec != m->st.st_mtim.tv_nsec;
}

/* A second or more since the last attempt to read. */
static int stale(const struct whorl_mounts *m)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - m->read_at.tv_sec) * 1000000000LL +
	       (now.tv_nsec - m->read_at.tv_nsec) >= 1000000000LL;
}

/* The length of @s without its trailing slashes: "/" is 0. */
static size_t trimmed_len(const char *s)
{
	size_t n = strlen(s);

	while (n && s[n - 1] == '/')
		n--;
	return n;
}

static char *lookup(const struct whorl_mounts *m, uint32_t dev, const char *fs_path)
{
	const struct whorl_mount *best = NULL;
	size_t i, len, best_len = 0, point_len, rest_len;
	const char *rest;
	char *joined, *out;

	for (i = 0; i < m->n; i++) {
		len = trimmed_len(m->v[i].root);
		/* The root must hold the file: "/var/lib" holds "/var/lib/x", not "/var/lib2". */
		if (m->v[i].dev != dev || strncmp(fs_path, m->v[i].root, len) ||
		    (fs_path[len] && fs_path[len] != '/'))
			continue;
		if (!best || len > best_len) {
			best = &m->v[i];
			best_len = len;
		}
	}
	if (!best)
		return NULL;
	rest = fs_path + best_len;		/* "", "/" or "/..." */
	rest_len = trimmed_len(rest);
	point_len = trimmed_len(best->point);
	if (!point_len && !rest_len)
		return strdup("/");
	if (asprintf(&joined, "%.*s%.*s", (int)point_len, best->point, (int)rest_len, rest) < 0)
		return NULL;
	out = whorl_utf8_dup(joined, strlen(joined));
	free(joined);
	return out;
}

int whorl_mounts_init(struct whorl_mounts *m, const char *path)
{
	const char *root = whorl_state_root();

	memset(m, 0, sizeof(*m));
	m->fd = -1;
	if (path) {
		if ((size_t)snprintf(m->path[0], sizeof(m->path[0]), "%s", path) >=
		    sizeof(m->path[0]))
			return -ENAMETOOLONG;
		m->npaths = 1;
	} else {
		if ((size_t)snprintf(m->path[0], sizeof(m->path[0]), "%s/proc/1/mountinfo",
				     root) >= sizeof(m->path[0]) ||
		    (size_t)snprintf(m->path[1], sizeof(m->path[1]), "%s/proc/self/mountinfo",
				     root) >= sizeof(m->path[1]))
			return -ENAMETOOLONG;
		m->npaths = 2;
	}
	return reload(m);
}

char *whorl_mounts_resolve(struct whorl_mounts *m, uint32_t dev, const char *fs_path)
{
	char *p;

	if (!fs_path || fs_path[0] != '/' || !m->npaths)
		return NULL;
	/* Also before a hit: an unmounted filesystem's device number is given to the next. */
	if (m->fd >= 0 && changed(m))
		reload(m);
	p = lookup(m, dev, fs_path);
	if (!p && stale(m)) {
		reload(m);
		p = lookup(m, dev, fs_path);
	}
	return p;
}

static void fill(struct whorl_mounts *m, struct whorl_file *fl)
{
	if (fl->present && fl->has_dev && fl->fs_path && !fl->disk_path)
		fl->disk_path = whorl_mounts_resolve(m, fl->dev, fl->fs_path);
}

void whorl_mounts_fill(struct whorl_mounts *m, struct whorl_finding *f)
{
	fill(m, &f->binary);
	fill(m, &f->library);
}

void whorl_mounts_free(struct whorl_mounts *m)
{
	drop(m);
	m->npaths = 0;
}
