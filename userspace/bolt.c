// SPDX-License-Identifier: GPL-2.0
/*
 * bolt.c - a bounded, read-only reader of bolt databases (go.etcd.io/bbolt's format). The file
 * is a run of pages of one size; each starts with a 16-byte header {id u64, flags u16, count u16,
 * overflow u32} and spans 1 + overflow pages. Pages 0 and 1 are meta pages (the newer valid one
 * names the root bucket); a bucket is a B+tree of branch pages ({pos u32, ksize u32, pgid u64}
 * elements) over leaf pages ({flags u32, pos u32, ksize u32, vsize u32} elements), each element's
 * pos counted from the element itself. A leaf value flagged as a bucket is a bucket header
 * {root u64, sequence u64}, followed by the bucket's own leaf page when root is 0 (inline).
 * bbolt writes native-endian; the file is read as little-endian, as amd64 and arm64 write it.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "bolt.h"

#define PAGE_HDR	16U
#define ELEM_SIZE	16U	/* a branch and a leaf element alike */
#define META_SIZE	64U
#define BUCKET_HDR	16U

#define FLAG_BRANCH	0x01
#define FLAG_LEAF	0x02
#define FLAG_META	0x04
#define LEAF_BUCKET	0x01

#define BOLT_MAGIC	0xED0CDAEDU
#define BOLT_VERSION	2U
/* bbolt takes the OS page size: 4 KiB on amd64, up to 64 KiB on arm64 and ppc64le kernels. */
#define PAGE_SIZE_MIN	1024U
#define PAGE_SIZE_MAX	65536U

struct whorl_bolt {
	int fd;
	uint32_t psize;
	uint64_t hwm;		/* the first page id never allocated: none past it is read */
	uint64_t root, txid;
};

/* One tree page, header and elements checked; @buf is owned unless the page is inline. */
struct page {
	unsigned char *buf;
	const unsigned char *p;
	unsigned int flags, count;
};

/* One element of a checked page: a branch's child, or a leaf's value and whether a bucket. */
struct elem {
	const unsigned char *k, *v;
	size_t kl, vl;
	uint64_t child;
	int is_bucket;
};

/* One lookup or walk: its pages-read budget and the page ids from the bucket's root down. */
struct op {
	struct whorl_bolt *db;
	unsigned int pages;
	uint64_t path[WHORL_BOLT_DEPTH_MAX];
};

/* An @n-byte little-endian integer. */
static uint64_t le(const unsigned char *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* A short read means the file shrank under us: as corrupt as a bad page. */
static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	size_t got = 0;
	ssize_t r;

	while (got < len) {
		r = pread(fd, (char *)buf + got, len - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -EIO;
		if (!r)
			return -EINVAL;
		got += (size_t)r;
	}
	return 0;
}

/* FNV-1a 64, bbolt's meta checksum. */
static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

/*
 * The meta page @id at @off, into @out when it is whole: magic, version, checksum, and a page
 * size, root and high-water mark that fit the file (page 1 sits one page in, so its page size
 * must be its offset).
 */
static int meta_read(int fd, uint64_t size, uint64_t off, uint64_t id, struct whorl_bolt *out)
{
	unsigned char b[PAGE_HDR + META_SIZE];
	const unsigned char *m = b + PAGE_HDR;
	uint32_t psize;
	uint64_t root, hwm;
	int ret;

	if (off + sizeof(b) > size)
		return -EINVAL;
	ret = read_at(fd, b, sizeof(b), off);
	if (ret)
		return ret;
	psize = (uint32_t)le(m + 8, 4);
	root = le(m + 16, 8);
	hwm = le(m + 40, 8);
	if (le(b, 8) != id || le(b + 8, 2) != FLAG_META || le(m, 4) != BOLT_MAGIC ||
	    le(m + 4, 4) != BOLT_VERSION || le(m + 56, 8) != fnv1a(m, 56))
		return -EINVAL;
	if (psize < PAGE_SIZE_MIN || psize > PAGE_SIZE_MAX || (psize & (psize - 1)) ||
	    (id && psize != off) || root < 2 || root >= hwm || hwm > size / psize)
		return -EINVAL;
	out->psize = psize;
	out->root = root;
	out->hwm = hwm;
	out->txid = le(m + 48, 8);
	return 0;
}

int whorl_bolt_open(const char *path, struct whorl_bolt **dbp)
{
	struct whorl_bolt m0 = { 0 }, m1 = { 0 };
	int fd, ret, ok0, ok1 = 0;
	struct stat st;
	uint64_t size;
	uint32_t off;

	*dbp = NULL;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		ret = -errno;
	else if (!S_ISREG(st.st_mode))
		ret = -EPERM;
	else if ((uint64_t)st.st_size > WHORL_BOLT_FILE_MAX)
		ret = -EFBIG;
	else
		ret = 0;
	if (ret)
		goto err;
	size = (uint64_t)st.st_size;
	ok0 = !meta_read(fd, size, 0, 0, &m0);
	if (ok0)
		ok1 = !meta_read(fd, size, m0.psize, 1, &m1);
	/* Without meta 0 the page size is unknown: look for meta 1 one page in, at each size. */
	for (off = PAGE_SIZE_MIN; !ok0 && !ok1 && off <= PAGE_SIZE_MAX; off <<= 1)
		ok1 = !meta_read(fd, size, off, 1, &m1);
	ret = -EINVAL;
	if (!ok0 && !ok1)
		goto err;
	ret = -ENOMEM;
	*dbp = malloc(sizeof(**dbp));
	if (!*dbp)
		goto err;
	**dbp = (ok1 && (!ok0 || m1.txid > m0.txid)) ? m1 : m0;
	(*dbp)->fd = fd;
	return 0;
err:
	close(fd);
	return ret;
}

void whorl_bolt_close(struct whorl_bolt *db)
{
	if (!db)
		return;
	close(db->fd);
	free(db);
}

void whorl_bolt_root(const struct whorl_bolt *db, struct whorl_bolt_bucket *b)
{
	*b = (struct whorl_bolt_bucket){ .root = db->root };
}

void whorl_bolt_bucket_free(struct whorl_bolt_bucket *b)
{
	free(b->inline_page);
	memset(b, 0, sizeof(*b));
}

/* A branch or leaf page (a leaf only when @leaf) of @len bytes: all its elements within it. */
static int page_check(const unsigned char *p, size_t len, int leaf, struct page *pg)
{
	uint64_t e, end;
	unsigned int i;

	if (len < PAGE_HDR)
		return -EINVAL;
	pg->p = p;
	pg->flags = (unsigned int)le(p + 8, 2);
	pg->count = (unsigned int)le(p + 10, 2);
	if ((pg->flags != FLAG_LEAF && (leaf || pg->flags != FLAG_BRANCH || !pg->count)) ||
	    PAGE_HDR + (uint64_t)pg->count * ELEM_SIZE > len)
		return -EINVAL;
	for (i = 0; i < pg->count; i++) {
		e = PAGE_HDR + (uint64_t)i * ELEM_SIZE;
		if (pg->flags == FLAG_BRANCH)
			end = e + le(p + e, 4) + le(p + e + 4, 4);
		else
			end = e + le(p + e + 4, 4) + le(p + e + 8, 4) + le(p + e + 12, 4);
		if (end > len)
			return -EINVAL;
	}
	return 0;
}

static struct elem elem_at(const struct page *pg, unsigned int i)
{
	const unsigned char *e = pg->p + PAGE_HDR + (size_t)i * ELEM_SIZE;
	struct elem el = { 0 };

	if (pg->flags == FLAG_BRANCH) {
		el.k = e + le(e, 4);
		el.kl = le(e + 4, 4);
		el.child = le(e + 8, 8);
	} else {
		el.k = e + le(e + 4, 4);
		el.kl = le(e + 8, 4);
		el.v = el.k + el.kl;
		el.vl = le(e + 12, 4);
		el.is_bucket = !!(le(e, 4) & LEAF_BUCKET);
	}
	return el;
}

static void page_free(struct page *pg)
{
	free(pg->buf);
	pg->buf = NULL;
}

/*
 * Page @pgid, @depth pages below its bucket's root, into @pg: below the high-water mark (so
 * within the file, checked at open), not already on the way down (a loop), saying it is @pgid,
 * and within the budget (every overflow page counts).
 */
static int page_read(struct op *op, uint64_t pgid, unsigned int depth, struct page *pg)
{
	const struct whorl_bolt *db = op->db;
	unsigned char hdr[PAGE_HDR];
	uint64_t off, over, span;
	unsigned int i;
	int ret;

	pg->buf = NULL;
	if (depth >= WHORL_BOLT_DEPTH_MAX || pgid < 2 || pgid >= db->hwm)
		return -EINVAL;
	for (i = 0; i < depth; i++)
		if (op->path[i] == pgid)
			return -EINVAL;
	op->path[depth] = pgid;
	off = pgid * db->psize;
	ret = read_at(db->fd, hdr, PAGE_HDR, off);
	if (ret)
		return ret;
	over = le(hdr + 12, 4);
	if (le(hdr, 8) != pgid || over >= db->hwm - pgid)
		return -EINVAL;
	if (over >= WHORL_BOLT_PAGES_MAX - op->pages)
		return -E2BIG;
	op->pages += 1 + (unsigned int)over;
	span = (1 + over) * db->psize;
	pg->buf = malloc(span);
	if (!pg->buf)
		return -ENOMEM;
	ret = read_at(db->fd, pg->buf, span, off);
	/* (the header again: the page may have been rewritten in between) */
	if (!ret && memcmp(pg->buf, hdr, PAGE_HDR))
		ret = -EINVAL;
	if (!ret)
		ret = page_check(pg->buf, span, 0, pg);
	if (ret)
		page_free(pg);
	return ret;
}

/* bytes.Compare, as bbolt orders keys. */
static int key_cmp(const unsigned char *a, size_t al, const unsigned char *b, size_t bl)
{
	size_t n = al < bl ? al : bl;
	int c = n ? memcmp(a, b, n) : 0;

	return c ? c : (al > bl) - (al < bl);
}

/* The first element whose key is not below @key (bbolt's sort.Search), @pg->count if none. */
static unsigned int lower_bound(const struct page *pg, const void *key, size_t klen, int *exact)
{
	unsigned int lo = 0, hi = pg->count, mid;
	struct elem el;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		el = elem_at(pg, mid);
		if (key_cmp(el.k, el.kl, key, klen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*exact = 0;
	if (lo < pg->count) {
		el = elem_at(pg, lo);
		*exact = !key_cmp(el.k, el.kl, key, klen);
	}
	return lo;
}

/*
 * The leaf element of @key in bucket @b into @el, its page in @pg (page_free() it). Down the
 * branches, the last element whose key is at most @key (the first when none is), as bbolt's
 * cursor goes.
 */
static int find(struct whorl_bolt *db, const struct whorl_bolt_bucket *b, const void *key,
		size_t klen, struct page *pg, struct elem *el)
{
	struct op op = { .db = db };
	uint64_t pgid = b->root;
	unsigned int i, depth;
	int ret, exact;

	pg->buf = NULL;
	if (b->inline_page) {
		ret = page_check(b->inline_page, b->inline_len, 1, pg);
	} else {
		for (depth = 0;; depth++) {
			ret = page_read(&op, pgid, depth, pg);
			if (ret || pg->flags == FLAG_LEAF)
				break;
			i = lower_bound(pg, key, klen, &exact);
			pgid = elem_at(pg, !exact && i ? i - 1 : i).child;
			page_free(pg);
		}
	}
	/* (past the budget within one lookup the page graph is not a tree) */
	if (ret)
		return ret == -E2BIG ? -EINVAL : ret;
	i = lower_bound(pg, key, klen, &exact);
	if (!exact) {
		page_free(pg);
		return -ENOENT;
	}
	*el = elem_at(pg, i);
	return 0;
}

int whorl_bolt_bucket(struct whorl_bolt *db, const struct whorl_bolt_bucket *parent,
		      const void *name, size_t len, struct whorl_bolt_bucket *out)
{
	struct page pg, in;
	struct elem el;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = find(db, parent, name, len, &pg, &el);
	if (ret)
		return ret;
	if (!el.is_bucket) {
		ret = -ENOTDIR;
		goto out;
	}
	if (el.vl < BUCKET_HDR || le(el.v, 8) == 1 || le(el.v, 8) >= db->hwm) {
		ret = -EINVAL;
		goto out;
	}
	out->root = le(el.v, 8);
	if (out->root)
		goto out;
	/* An inline bucket's page is checked now: a bucket handed out is whole. */
	ret = page_check(el.v + BUCKET_HDR, el.vl - BUCKET_HDR, 1, &in);
	if (ret)
		goto out;
	out->inline_len = el.vl - BUCKET_HDR;
	out->inline_page = malloc(out->inline_len);
	if (!out->inline_page)
		ret = -ENOMEM;
	else
		memcpy(out->inline_page, el.v + BUCKET_HDR, out->inline_len);
out:
	page_free(&pg);
	if (ret)
		memset(out, 0, sizeof(*out));
	return ret;
}

int whorl_bolt_get(struct whorl_bolt *db, const struct whorl_bolt_bucket *b, const void *key,
		   size_t klen, size_t max, char **val, size_t *vlen)
{
	struct page pg;
	struct elem el;
	int ret;

	*val = NULL;
	*vlen = 0;
	ret = find(db, b, key, klen, &pg, &el);
	if (ret)
		return ret;
	if (el.is_bucket)
		ret = -EISDIR;
	else if (el.vl > max)
		ret = -E2BIG;
	else
		*val = malloc(el.vl + 1);
	if (!ret && !*val)
		ret = -ENOMEM;
	if (!ret) {
		memcpy(*val, el.v, el.vl);
		(*val)[el.vl] = '\0';
		*vlen = el.vl;
	}
	page_free(&pg);
	return ret;
}

static int walk_leaf(const struct page *pg, whorl_bolt_fn fn, void *arg)
{
	struct elem el;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < pg->count && !ret; i++) {
		el = elem_at(pg, i);
		ret = fn(el.k, el.kl, el.v, el.vl, el.is_bucket, arg);
	}
	return ret;
}

/* Depth first; a branch keeps only its children's ids while below it, not its page. */
static int walk_tree(struct op *op, uint64_t pgid, unsigned int depth, whorl_bolt_fn fn,
		     void *arg)
{
	unsigned int i, n;
	struct page pg;
	uint64_t *kids;
	int ret;

	ret = page_read(op, pgid, depth, &pg);
	if (ret)
		return ret;
	if (pg.flags == FLAG_LEAF) {
		ret = walk_leaf(&pg, fn, arg);
		page_free(&pg);
		return ret;
	}
	n = pg.count;
	kids = malloc(n * sizeof(*kids));
	for (i = 0; kids && i < n; i++)
		kids[i] = elem_at(&pg, i).child;
	page_free(&pg);
	if (!kids)
		return -ENOMEM;
	for (i = 0; i < n && !ret; i++)
		ret = walk_tree(op, kids[i], depth + 1, fn, arg);
	free(kids);
	return ret;
}

int whorl_bolt_walk(struct whorl_bolt *db, const struct whorl_bolt_bucket *b, whorl_bolt_fn fn,
		    void *arg)
{
	struct op op = { .db = db };
	struct page pg;
	int ret;

	if (!b->inline_page)
		return walk_tree(&op, b->root, 0, fn, arg);
	ret = page_check(b->inline_page, b->inline_len, 1, &pg);
	return ret ? ret : walk_leaf(&pg, fn, arg);
}
