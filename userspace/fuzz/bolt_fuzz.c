// SPDX-License-Identifier: GPL-2.0
/*
 * bolt_fuzz.c - libFuzzer target: the bolt reader (bolt.c). The input is written as a database
 * file; the buckets whorl reads in containerd's and Podman's databases are looked up, and every
 * bucket is walked a few levels down, each value read back by its key. Whatever the bytes: only
 * the documented errors, nothing leaked, nothing read out of bounds (ASan, UBSan).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bolt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Buckets nested deeper than this are not opened (a corrupt file may nest one in itself). */
#define NEST_MAX 4
/* Keys one input may visit in all (each walk is bounded; a file of many buckets is not). */
#define KEYS_MAX 20000

static char path[] = "/tmp/whorl-bolt-fuzz-XXXXXX";
static int fd = -1;

static void cleanup(void)
{
	unlink(path);
}

static void check(int ret)
{
	if (ret && ret != -ENOENT && ret != -ENOTDIR && ret != -EISDIR && ret != -E2BIG &&
	    ret != -EINVAL)
		abort();
}

struct walk {
	struct whorl_bolt *db;
	const struct whorl_bolt_bucket *b;
	unsigned int nest, *keys;
};

static int visit(const void *k, size_t kl, const void *v, size_t vl, int is_bucket, void *arg)
{
	struct walk *w = arg, sub = *w;
	struct whorl_bolt_bucket b;
	char *val;
	size_t n;
	int ret;

	(void)v;
	(void)vl;
	if (++*w->keys > KEYS_MAX)
		return 1;
	if (!is_bucket) {
		ret = whorl_bolt_get(w->db, w->b, k, kl, 1 << 16, &val, &n);
		check(ret);
		/* (a corrupt leaf may hold a key twice: the one found need not be this one) */
		if (!ret && val[n])
			abort();
		free(val);
		return 0;
	}
	if (w->nest >= NEST_MAX)
		return 0;
	ret = whorl_bolt_bucket(w->db, w->b, k, kl, &b);
	check(ret);
	if (ret)
		return 0;
	sub.b = &b;
	sub.nest++;
	ret = whorl_bolt_walk(w->db, &b, visit, &sub);
	if (ret != 1)
		check(ret);
	whorl_bolt_bucket_free(&b);
	return ret == 1;
}

/* Down @names from the root, then @key read there. */
static void lookup(struct whorl_bolt *db, const char *const *names, const char *key)
{
	struct whorl_bolt_bucket b, next;
	char *val;
	size_t n;
	int ret = 0;

	whorl_bolt_root(db, &b);
	for (; *names && !ret; names++) {
		ret = whorl_bolt_bucket(db, &b, *names, strlen(*names), &next);
		whorl_bolt_bucket_free(&b);
		b = next;
	}
	if (!ret) {
		ret = whorl_bolt_get(db, &b, key, strlen(key), 1 << 16, &val, &n);
		free(val);
	}
	check(ret);
	whorl_bolt_bucket_free(&b);
}

/* FNV-1a 64 over the meta at @m into its checksum field. */
static void sign(uint8_t *m)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned int i;

	for (i = 0; i < 56; i++)
		h = (h ^ m[i]) * 0x100000001b3ULL;
	for (i = 0; i < 8; i++)
		m[56 + i] = (uint8_t)(h >> (8 * i));
}

static void run(const uint8_t *data, size_t size)
{
	static const char *const containerd[] = { "v1", "k8s.io", "containers",
		"73c68dc59c524a0cab834bae041dc758d2612fa8938440cd9d37cacffe75af71", NULL };
	static const char *const snapshot[] = { "v1", "snapshots",
		"k8s.io/7/73c68dc59c524a0cab834bae041dc758d2612fa8938440cd9d37cacffe75af71", NULL };
	static const char *const podman[] = { "ctr",
		"afe057d671ed25a2513690ccbd967c7bd098eade8f906eb58d2fde3fa19a4de2", NULL };
	struct whorl_bolt_bucket root;
	struct whorl_bolt *db;
	unsigned int keys = 0;
	struct walk w;
	int ret;

	if (fd < 0) {
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		atexit(cleanup);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	ret = whorl_bolt_open(path, &db);
	if (ret) {
		if (ret != -EINVAL || db)
			abort();
		return;
	}
	lookup(db, containerd, "image");
	lookup(db, snapshot, "id");
	lookup(db, podman, "config");
	whorl_bolt_root(db, &root);
	w = (struct walk){ .db = db, .b = &root, .keys = &keys };
	ret = whorl_bolt_walk(db, &root, visit, &w);
	if (ret != 1)
		check(ret);
	whorl_bolt_close(db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;
	size_t psize;

	run(data, size);
	/*
	 * A mutated meta fails its checksum, and nothing past it is read: read again with both
	 * metas signed, so the mutations of page size, root and high-water mark count too.
	 */
	if (size < 4096 + 80)
		return 0;
	copy = malloc(size);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	psize = (size_t)copy[24] | (size_t)copy[25] << 8 | (size_t)copy[26] << 16 |
		(size_t)copy[27] << 24;
	sign(copy + 16);
	sign(copy + (psize && psize <= size - 80 ? psize : 4096) + 16);
	if (memcmp(copy, data, size))
		run(copy, size);
	free(copy);
	return 0;
}
