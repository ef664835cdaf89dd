/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bolt.h - a bounded, read-only reader of bolt databases (go.etcd.io/bbolt's file format), the
 * form containerd (meta.db, the overlayfs snapshotter's metadata.db) and Podman (bolt_state.db)
 * keep their state in. The file is hostile input: it is read with pread, never mapped, never
 * locked (the runtime holds its lock; a reader needs none), and every page, offset and length is
 * checked against the file before use. A file that changes under the reader gives an error or an
 * older consistent answer, never a crash or a stall.
 */
#ifndef WHORL_BOLT_H
#define WHORL_BOLT_H

#include <stddef.h>
#include <stdint.h>

/* A database past this many bytes is not read. */
#define WHORL_BOLT_FILE_MAX	(512ULL << 20)
/* Nesting of pages and buckets the reader follows before it calls the file corrupt. */
#define WHORL_BOLT_DEPTH_MAX	32U
/* Pages one lookup or one walk may read before it gives up (a loop in the page graph ends here). */
#define WHORL_BOLT_PAGES_MAX	65536U

struct whorl_bolt;

/*
 * A bucket: where its B+tree starts. An inline bucket (root 0) carries its page in @inline_page,
 * owned by the bucket (whorl_bolt_bucket_free()).
 */
struct whorl_bolt_bucket {
	uint64_t root;
	unsigned char *inline_page;
	size_t inline_len;
};

/*
 * whorl_bolt_open - open the database at @path: a regular file (opened O_NONBLOCK: a FIFO put
 * there would stall the reader; refused), at most WHORL_BOLT_FILE_MAX bytes, whose meta pages
 * say bolt version 2. The meta page with the higher transaction id whose checksum holds is used.
 * Return: 0, or a negative errno (-EINVAL: not a bolt file or both meta pages bad; -EFBIG: too
 * large; -EPERM: not a regular file; -ENOMEM; the open's own errno).
 */
int whorl_bolt_open(const char *path, struct whorl_bolt **db);
void whorl_bolt_close(struct whorl_bolt *db);

/* The root bucket, holding the top-level buckets. */
void whorl_bolt_root(const struct whorl_bolt *db, struct whorl_bolt_bucket *b);

/*
 * whorl_bolt_bucket - the bucket named @name (@len bytes) inside @parent, into @out (release
 * with whorl_bolt_bucket_free()). Return: 0; -ENOENT when there is no such key, -ENOTDIR when the
 * key holds a value, not a bucket; -EINVAL when the file is corrupt; -ENOMEM; -EIO on a read error.
 */
int whorl_bolt_bucket(struct whorl_bolt *db, const struct whorl_bolt_bucket *parent,
		      const void *name, size_t len, struct whorl_bolt_bucket *out);
void whorl_bolt_bucket_free(struct whorl_bolt_bucket *b);

/*
 * whorl_bolt_get - the value of key @key (@klen bytes) in @b, at most @max bytes, copied into a
 * malloc'd buffer *@val (NUL-terminated for convenience, not counted in *@vlen).
 * Return: 0; -ENOENT when absent, -EISDIR when the key names a bucket, -E2BIG when the value is
 * longer than @max; -EINVAL, -ENOMEM, -EIO as above.
 */
int whorl_bolt_get(struct whorl_bolt *db, const struct whorl_bolt_bucket *b, const void *key,
		   size_t klen, size_t max, char **val, size_t *vlen);

/*
 * whorl_bolt_walk - call @fn for each key of @b in key order, @is_bucket set for nested buckets
 * (then @v and @vl are the bucket's header bytes, not for the caller's use). Keys and values are
 * valid only during the call. @fn returns 0 to go on, anything else to stop the walk, which then
 * returns that value. Return: 0 when all keys were seen, @fn's non-zero value, or a negative
 * errno (-EINVAL corrupt, -E2BIG past WHORL_BOLT_PAGES_MAX pages, -ENOMEM, -EIO).
 */
typedef int (*whorl_bolt_fn)(const void *k, size_t kl, const void *v, size_t vl, int is_bucket,
			     void *arg);
int whorl_bolt_walk(struct whorl_bolt *db, const struct whorl_bolt_bucket *b, whorl_bolt_fn fn,
		    void *arg);

#endif /* WHORL_BOLT_H */
