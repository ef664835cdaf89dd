// SPDX-License-Identifier: GPL-2.0
/*
 * bolt_test.c - the bolt reader on real runtime databases (tests/fixtures/bolt: containerd
 * 1.6.20's meta.db and overlayfs snapshotter metadata.db, Podman 4.3.1's bolt_state.db), then on
 * copies of them broken on purpose, and on small databases built here to be hostile.
 */

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "bolt.h"
#include "testlib.h"

#define META "bolt/containerd-meta.db"
#define SNAP "bolt/containerd-snapshotter.db"
#define PODMAN "bolt/podman-state.db"

#define CTR "73c68dc59c524a0cab834bae041dc758d2612fa8938440cd9d37cacffe75af71"
#define MOBY_CTR "f3ff86869bdd75f7bf74847fc7ed9d58e2361f0f9855e26c860e2eed088e88fd"
#define PODMAN_CTR "afe057d671ed25a2513690ccbd967c7bd098eade8f906eb58d2fde3fa19a4de2"
#define IMAGE "docker.io/whorl-e2e/app:1.0"
#define MANIFEST "sha256:fc1ee7673d5cabaff931f26bd285aa4afcb58432ec75345f6152c7b934cf1af1"
#define CONFIG "sha256:8ccbbc90c271aeb38e4175fedb6f0d363aea6d0bebd56b2ee3b67f4f27cfcf2a"
#define LAYER0 "sha256:6e9eef44895dabe4931a4cec2b7d13d45df6fe4c953feea008be6d39b04668bf"
#define SNAP6 "sha256:0f46abb0227d0912533cd059274cc7ff1a3ce59c638a4b9c893fd7ce2992a671"

/* Keys and values may hold NULs: their lengths come from the literals. */
#define K(s) .key = s, .klen = sizeof(s) - 1
#define V(s) .want = s, .wlen = sizeof(s) - 1

/* --- lookups in the real databases ----------------------------------------------------------- */

struct lookup_case {
	const char *name, *file;
	const char *path[7];		/* buckets from the root, NULL-terminated */
	const char *key;
	size_t klen, max;
	int ret;			/* of whorl_bolt_get, or of a bucket on the way */
	const char *want;		/* the whole value, or NULL */
	size_t wlen;
	const char *contains[3];	/* or parts of it */
};

static const struct lookup_case lookups[] = {
	/* containerd: v1/<namespace>/containers/<id>, one bucket per container */
	{ "containerd_container_image", META, { "v1", "k8s.io", "containers", CTR },
	  K("image"), 4096, 0, V(IMAGE) },
	{ "containerd_container_snapshot", META, { "v1", "k8s.io", "containers", CTR },
	  K("snapshotKey"), 4096, 0, V(CTR) },
	{ "containerd_container_label_in_inline_bucket", META,
	  { "v1", "k8s.io", "containers", CTR, "labels" }, K("tier"), 4096, 0, V("api") },
	{ "containerd_container_runtime", META, { "v1", "k8s.io", "containers", CTR, "runtime" },
	  K("name"), 4096, 0, V("io.containerd.runc.v2") },
	/* the OCI spec, an Any: its type URL, then the JSON */
	{ "containerd_container_spec_is_a_typed_any", META,
	  { "v1", "k8s.io", "containers", CTR }, K("spec"), 65536, 0,
	  .contains = { "types.containerd.io/opencontainers/runtime-spec/1/Spec",
			"\"ociVersion\"" } },
	{ "containerd_image_target_digest", META, { "v1", "k8s.io", "images", IMAGE, "target" },
	  K("digest"), 4096, 0, V(MANIFEST) },
	{ "containerd_image_target_media_type", META,
	  { "v1", "k8s.io", "images", IMAGE, "target" }, K("mediatype"), 4096, 0,
	  V("application/vnd.docker.distribution.manifest.v2+json") },
	{ "containerd_content_blob_gc_label", META,
	  { "v1", "k8s.io", "content", "blob", MANIFEST, "labels" },
	  K("containerd.io/gc.ref.content.config"), 4096, 0, V(CONFIG) },
	{ "containerd_snapshot_name_in_snapshotter", META,
	  { "v1", "k8s.io", "snapshots", "overlayfs", CTR }, K("name"), 4096, 0,
	  V("k8s.io/7/" CTR) },
	{ "containerd_snapshot_parent", META, { "v1", "k8s.io", "snapshots", "overlayfs", CTR },
	  K("parent"), 4096, 0, V(SNAP6) },
	/* the schema's version 3, a Go signed (zigzag) varint */
	{ "containerd_schema_version", META, { "v1" }, K("version"), 16, 0, V("\x06") },
	/* Docker's container: its bucket's root is a branch page over two leaves */
	{ "branch_first_key_of_left_leaf", META, { "v1", "moby", "containers", MOBY_CTR },
	  K("createdat"), 64, 0, .wlen = 15, .contains = { "\x01" } },
	{ "branch_last_key_of_left_leaf", META, { "v1", "moby", "containers", MOBY_CTR },
	  K("snapshotKey"), 64, 0, V("") },
	{ "branch_key_equal_to_separator", META, { "v1", "moby", "containers", MOBY_CTR },
	  K("snapshotter"), 64, 0, V("") },
	{ "branch_value_on_overflow_pages", META, { "v1", "moby", "containers", MOBY_CTR },
	  K("spec"), 65536, 0, .contains = { "\"ociVersion\"", "-exec-root=/var/run/docker" } },
	{ "branch_last_key_of_right_leaf", META, { "v1", "moby", "containers", MOBY_CTR },
	  K("updatedat"), 64, 0, .wlen = 15, .contains = { "\x01" } },
	{ "branch_nested_bucket", META, { "v1", "moby", "containers", MOBY_CTR, "labels" },
	  K("com.docker/engine.bundle.path"), 4096, 0,
	  V("/var/run/docker/containerd/" MOBY_CTR) },
	/* the snapshotter: v1/snapshots/<ns>/<txn>/<name>, ids as Go uvarints */
	{ "snapshotter_bottom_layer_id", SNAP, { "v1", "snapshots", "k8s.io/2/" LAYER0 },
	  K("id"), 16, 0, V("\x01") },
	{ "snapshotter_active_snapshot", SNAP, { "v1", "snapshots", "k8s.io/7/" CTR },
	  K("id"), 16, 0, V("\x04") },
	{ "snapshotter_active_kind", SNAP, { "v1", "snapshots", "k8s.io/7/" CTR },
	  K("kind"), 16, 0, V("\x02") },
	{ "snapshotter_parent_key", SNAP, { "v1", "snapshots", "k8s.io/7/" CTR },
	  K("parent"), 4096, 0, V("k8s.io/6/" SNAP6) },
	{ "snapshotter_parents_index", SNAP, { "v1", "parents" }, K("\x03\x00\x04"), 4096, 0,
	  V("k8s.io/7/" CTR) },
	/* Podman: ctr/<id>/config, JSON */
	{ "podman_container_config", PODMAN, { "ctr", PODMAN_CTR }, K("config"), 1 << 20, 0,
	  .contains = { "\"createdTime\":\"2026-12-05T06:26:31.32416442Z\"",
			"\"labels\":{", "\"tier\":\"worker\"" } },
	{ "podman_container_config_at_its_exact_length", PODMAN, { "ctr", PODMAN_CTR },
	  K("config"), 11855, 0, .wlen = 11855,
	  .contains = { "\"name\":\"shop-worker\"" } },
	{ "podman_container_state", PODMAN, { "ctr", PODMAN_CTR }, K("state"), 1 << 20, 0,
	  .contains = { "\"state\":3" } },
	{ "podman_name_registry", PODMAN, { "name-registry" }, K("shop-worker"), 128, 0,
	  V(PODMAN_CTR) },
	{ "podman_id_registry", PODMAN, { "id-registry" }, K(PODMAN_CTR), 128, 0,
	  V("shop-worker") },
	{ "podman_runtime_config", PODMAN, { "runtime-config" }, K("graph-root"), 128, 0,
	  V("/var/lib/containers/storage") },
	/* what is not there, or not of the kind asked for */
	{ "absent_key_is_enoent", META, { "v1", "k8s.io", "containers", CTR }, K("nope"), 64,
	  -ENOENT },
	{ "absent_bucket_is_enoent", META, { "v2" }, K("version"), 64, -ENOENT },
	{ "key_below_every_branch_key_is_enoent", META, { "v1", "moby", "containers", MOBY_CTR },
	  K("a"), 64, -ENOENT },
	{ "key_above_every_branch_key_is_enoent", META, { "v1", "moby", "containers", MOBY_CTR },
	  K("zzz"), 64, -ENOENT },
	{ "key_prefix_is_enoent", META, { "v1", "k8s.io", "containers", CTR }, K("imag"), 64,
	  -ENOENT },
	{ "empty_key_is_enoent", PODMAN, { "ctr" }, K(""), 64, -ENOENT },
	{ "bucket_that_is_a_value_is_enotdir", META, { "v1", "k8s.io", "containers", CTR, "image" },
	  K("x"), 64, -ENOTDIR },
	{ "value_that_is_a_bucket_is_eisdir", META, { "v1", "k8s.io", "containers", CTR },
	  K("labels"), 64, -EISDIR },
	{ "value_past_max_is_e2big", META, { "v1", "k8s.io", "containers", CTR }, K("spec"), 100,
	  -E2BIG },
	{ "value_one_past_max_is_e2big", PODMAN, { "ctr", PODMAN_CTR }, K("config"), 11854,
	  -E2BIG },
};

/* Walk down @path from the root of the open @db into @b; the first failure's errno. */
static int descend(struct whorl_bolt *db, const char *const *path, struct whorl_bolt_bucket *b)
{
	struct whorl_bolt_bucket next;
	int ret;

	whorl_bolt_root(db, b);
	for (; *path; path++) {
		ret = whorl_bolt_bucket(db, b, *path, strlen(*path), &next);
		whorl_bolt_bucket_free(b);
		if (ret)
			return ret;
		*b = next;
	}
	return 0;
}

static void lookup_finds_real_content(void **state)
{
	const struct lookup_case *c = *state;
	struct whorl_bolt_bucket b;
	struct whorl_bolt *db;
	char *v = (char *)"unset";
	size_t vl = 1, i;
	int ret;

	assert_int_equal(whorl_bolt_open(t_fixture(c->file), &db), 0);
	ret = descend(db, c->path, &b);
	if (!ret) {
		ret = whorl_bolt_get(db, &b, c->key, c->klen, c->max, &v, &vl);
		/* a failed get hands out nothing */
		if (ret && (v || vl))
			fail_msg("%s: %d with a value", c->key, ret);
	}
	if (ret != c->ret)
		fail_msg("%s: expected %d, got %d", c->key, c->ret, ret);
	if (ret)
		goto out;
	assert_int_equal(v[vl], '\0');
	if (c->want && (vl != c->wlen || memcmp(v, c->want, vl)))
		fail_msg("%s: expected '%.*s', got '%.*s'", c->key, (int)c->wlen, c->want,
			 (int)vl, v);
	if (!c->want && c->wlen && vl != c->wlen)
		fail_msg("%s: expected %zu bytes, got %zu", c->key, c->wlen, vl);
	for (i = 0; i < 3 && c->contains[i]; i++)
		if (!memmem(v, vl, c->contains[i], strlen(c->contains[i])))
			fail_msg("%s: no '%s' in '%.*s'", c->key, c->contains[i], (int)vl, v);
	free(v);
out:
	whorl_bolt_bucket_free(&b);
	whorl_bolt_close(db);
}

/* --- walks ------------------------------------------------------------------------------------ */

struct walk_case {
	const char *name, *file;
	const char *path[7];
	unsigned int keys, buckets;
	const char *first, *last;
};

static const struct walk_case walks[] = {
	{ "walk_containerd_root", META, { NULL }, 1, 1, "v1", "v1" },
	{ "walk_containerd_namespaces", META, { "v1" }, 3, 2, "k8s.io", "version" },
	{ "walk_containerd_container_fields", META, { "v1", "k8s.io", "containers", CTR }, 8, 2,
	  "createdat", "updatedat" },
	{ "walk_inline_labels_bucket", META, { "v1", "k8s.io", "containers", CTR, "labels" }, 6, 0,
	  "io.containerd.image.config.stop-signal", "tier" },
	{ "walk_across_a_branch_page", META, { "v1", "moby", "containers", MOBY_CTR }, 8, 2,
	  "createdat", "updatedat" },
	{ "walk_content_blobs", META, { "v1", "k8s.io", "content", "blob" }, 5, 5, LAYER0,
	  MANIFEST },
	{ "walk_snapshotter_snapshots", SNAP, { "v1", "snapshots" }, 4, 4, "k8s.io/2/" LAYER0,
	  "k8s.io/7/" CTR },
	{ "walk_podman_root", PODMAN, { NULL }, 14, 14, "all-ctrs", "volume-ctrs" },
	{ "walk_podman_container", PODMAN, { "ctr", PODMAN_CTR }, 3, 1, "config", "state" },
	{ "walk_empty_bucket", PODMAN, { "allPods" }, 0, 0, NULL, NULL },
};

struct seen {
	unsigned int keys, buckets;
	char prev[512], first[512];
	size_t prev_len;
	int stop_after;
};

/* bytes.Compare, bbolt's order. */
static int cmp(const void *a, size_t al, const void *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	return c ? c : (al > bl) - (al < bl);
}

static int count_key(const void *k, size_t kl, const void *v, size_t vl, int is_bucket, void *arg)
{
	struct seen *s = arg;

	(void)v;
	assert_true(kl < sizeof(s->prev));
	if (s->keys && cmp(s->prev, s->prev_len, k, kl) >= 0)
		fail_msg("'%.*s' after '%.*s'", (int)kl, (const char *)k, (int)s->prev_len,
			 s->prev);
	if (is_bucket)
		assert_true(vl >= 16);	/* the bucket header at least */
	if (!s->keys)
		memcpy(s->first, k, kl);
	memcpy(s->prev, k, kl);
	s->prev[kl] = '\0';
	s->prev_len = kl;
	s->keys++;
	s->buckets += !!is_bucket;
	return s->stop_after && (int)s->keys == s->stop_after ? 42 : 0;
}

static void walk_lists_keys_in_order(void **state)
{
	const struct walk_case *c = *state;
	struct seen s = { 0 };
	struct whorl_bolt_bucket b;
	struct whorl_bolt *db;

	assert_int_equal(whorl_bolt_open(t_fixture(c->file), &db), 0);
	assert_int_equal(descend(db, c->path, &b), 0);
	assert_int_equal(whorl_bolt_walk(db, &b, count_key, &s), 0);
	assert_int_equal(s.keys, c->keys);
	assert_int_equal(s.buckets, c->buckets);
	if (c->first) {
		assert_string_equal(s.first, c->first);
		assert_string_equal(s.prev, c->last);
	}
	whorl_bolt_bucket_free(&b);
	whorl_bolt_close(db);
}

static void walk_stops_with_the_callbacks_value(void **state)
{
	struct seen s = { .stop_after = 3 };
	struct whorl_bolt_bucket b;
	struct whorl_bolt *db;

	(void)state;
	assert_int_equal(whorl_bolt_open(t_fixture(PODMAN), &db), 0);
	whorl_bolt_root(db, &b);
	assert_int_equal(whorl_bolt_walk(db, &b, count_key, &s), 42);
	assert_int_equal(s.keys, 3);
	whorl_bolt_close(db);
}

/* Every bucket, nested at most @depth deep: the keys and buckets seen, or the first error. */
struct tree {
	struct whorl_bolt *db;
	const struct whorl_bolt_bucket *b;
	unsigned int depth, keys, buckets;
};

static int tree_key(const void *k, size_t kl, const void *v, size_t vl, int is_bucket, void *arg)
{
	struct tree *t = arg, sub = *t;
	struct whorl_bolt_bucket b;
	char *val;
	size_t n;
	int ret;

	(void)v;
	(void)vl;
	t->keys++;
	if (!is_bucket) {
		ret = whorl_bolt_get(t->db, t->b, k, kl, 1 << 20, &val, &n);
		free(val);
		return ret;
	}
	t->buckets++;
	/* a corrupt file may nest a bucket in itself: the caller bounds the recursion */
	if (!t->depth)
		return 0;
	ret = whorl_bolt_bucket(t->db, t->b, k, kl, &b);
	if (ret)
		return ret;
	sub.b = &b;
	sub.depth--;
	sub.keys = sub.buckets = 0;
	ret = whorl_bolt_walk(t->db, &b, tree_key, &sub);
	t->keys += sub.keys;
	t->buckets += sub.buckets;
	whorl_bolt_bucket_free(&b);
	return ret;
}

static int tree_walk(struct whorl_bolt *db, unsigned int depth, unsigned int *keys,
		     unsigned int *buckets)
{
	struct whorl_bolt_bucket root;
	struct tree t = { .db = db, .b = &root, .depth = depth };
	int ret;

	whorl_bolt_root(db, &root);
	ret = whorl_bolt_walk(db, &root, tree_key, &t);
	*keys = t.keys;
	*buckets = t.buckets;
	return ret;
}

/* Every key of every bucket, each value read back by its key. */
static void whole_databases_walk_and_read_back(void **state)
{
	static const struct {
		const char *file;
		unsigned int keys, buckets;
	} dbs[] = { { META, 125, 44 }, { SNAP, 35, 7 }, { PODMAN, 28, 16 } };
	unsigned int i, keys, buckets;
	struct whorl_bolt *db;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_int_equal(whorl_bolt_open(t_fixture(dbs[i].file), &db), 0);
		assert_int_equal(tree_walk(db, 16, &keys, &buckets), 0);
		if (keys != dbs[i].keys || buckets != dbs[i].buckets)
			fail_msg("%s: %u keys, %u buckets; expected %u, %u", dbs[i].file, keys,
				 buckets, dbs[i].keys, dbs[i].buckets);
		whorl_bolt_close(db);
	}
}

/* --- hostile files: the fixtures broken on purpose, and databases built here --------------- */

static char dir[] = "/tmp/whorl-bolt-XXXXXX";
static char copy[64];

static int hostile_setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(copy, sizeof(copy), "%s/db", dir);
	return 0;
}

static int hostile_teardown(void **state)
{
	(void)state;
	unlink(copy);
	return rmdir(dir);
}

/* @fixture copied to the scratch file, @len bytes of it (all when 0); an fd open on it. */
static int copy_fixture(const char *fixture, size_t len)
{
	char buf[65536];
	int in, out;
	ssize_t n;

	unlink(copy);
	in = open(t_fixture(fixture), O_RDONLY);
	out = open(copy, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(in >= 0 && out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	close(in);
	if (len)
		assert_int_equal(ftruncate(out, (off_t)len), 0);
	return out;
}

static uint64_t rd(int fd, uint64_t off, unsigned int n)
{
	unsigned char b[8];
	uint64_t v = 0;

	assert_int_equal(pread(fd, b, n, (off_t)off), n);
	while (n--)
		v = v << 8 | b[n];
	return v;
}

static void wr(int fd, uint64_t off, uint64_t v, unsigned int n)
{
	unsigned char b[8];
	unsigned int i;

	for (i = 0; i < n; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	assert_int_equal(pwrite(fd, b, n, (off_t)off), n);
}

/* Where element @i of page @pgid (4 KiB pages, as all three fixtures have) sits in the file. */
static uint64_t elem_off(uint64_t pgid, unsigned int i)
{
	return pgid * 4096 + 16 + (uint64_t)i * 16;
}

/* Where the value of element @i of leaf @pgid starts. */
static uint64_t value_off(int fd, uint64_t pgid, unsigned int i)
{
	uint64_t e = elem_off(pgid, i);

	return e + rd(fd, e + 4, 4) + rd(fd, e + 8, 4);
}

/*
 * The fixtures' pages this breaks (containerd-meta.db, meta 1 the newer, txid 55): 35 the root
 * bucket's leaf ({"v1"}), 34 v1's, 19 the Docker container's bucket root (a branch over 16 and
 * 26, 26 with two overflow pages for the spec), 14 the CRI container's (its "labels", element 2,
 * inline).
 */
#define ROOT_LEAF 35
#define MOBY_BRANCH 19
#define SPEC_LEAF 26
#define CTR_LEAF 14

static int get_in(const char *const *path, const char *key, char **v, size_t *vl)
{
	struct whorl_bolt_bucket b;
	struct whorl_bolt *db;
	int ret;

	*v = NULL;
	ret = whorl_bolt_open(copy, &db);
	if (ret)
		return ret;
	ret = descend(db, path, &b);
	if (!ret)
		ret = whorl_bolt_get(db, &b, key, strlen(key), 1 << 20, v, vl);
	whorl_bolt_bucket_free(&b);
	whorl_bolt_close(db);
	return ret;
}

static const char *const ctr_path[] = { "v1", "k8s.io", "containers", CTR, NULL };
static const char *const labels_path[] = { "v1", "k8s.io", "containers", CTR, "labels", NULL };
static const char *const moby_path[] = { "v1", "moby", "containers", MOBY_CTR, NULL };

/* The CRI container's image in the copy: 0 and the right value, or the errno. */
static int copy_image(void)
{
	char *v;
	size_t vl;
	int ret = get_in(ctr_path, "image", &v, &vl);

	if (!ret)
		assert_string_equal(v, IMAGE);
	free(v);
	return ret;
}

static void truncated_file_is_einval(void **state)
{
	static const size_t lens[] = { 1, 79, 4096, 4096 + 80, 100000, 39 * 4096 - 1 };
	struct whorl_bolt *db;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		close(copy_fixture(META, lens[i]));
		assert_int_equal(whorl_bolt_open(copy, &db), -EINVAL);
		assert_null(db);
	}
	/* the high-water mark's page ends the file: enough */
	close(copy_fixture(META, 39 * 4096));
	assert_int_equal(copy_image(), 0);
}

static void file_shrinking_under_the_reader_is_einval(void **state)
{
	struct whorl_bolt_bucket b;
	struct whorl_bolt *db;
	int fd;

	(void)state;
	fd = copy_fixture(META, 0);
	assert_int_equal(whorl_bolt_open(copy, &db), 0);
	assert_int_equal(ftruncate(fd, 8192), 0);
	close(fd);
	assert_int_equal(descend(db, ctr_path, &b), -EINVAL);
	whorl_bolt_close(db);
}

static void both_meta_checksums_broken_is_einval(void **state)
{
	struct whorl_bolt *db;
	int fd;

	(void)state;
	fd = copy_fixture(META, 0);
	wr(fd, 16 + 56, rd(fd, 16 + 56, 1) ^ 1, 1);
	wr(fd, 4096 + 16 + 56, rd(fd, 4096 + 16 + 56, 1) ^ 1, 1);
	close(fd);
	assert_int_equal(whorl_bolt_open(copy, &db), -EINVAL);
}

/* Either meta alone will do; without meta 0 the page size is found from where meta 1 is. */
static void one_meta_broken_uses_the_other(void **state)
{
	int fd;

	(void)state;
	fd = copy_fixture(META, 0);
	wr(fd, 4096 + 16 + 48, 1000, 8);	/* meta 1's txid: its checksum fails */
	close(fd);
	assert_int_equal(copy_image(), 0);
	fd = copy_fixture(META, 0);
	wr(fd, 16, 0, 4);			/* meta 0's magic */
	close(fd);
	assert_int_equal(copy_image(), 0);
	fd = copy_fixture(META, 0);
	wr(fd, 0, 7, 8);			/* meta 0's page id */
	close(fd);
	assert_int_equal(copy_image(), 0);
}

/* Podman's newer meta (0, txid 8) has root page 4, the older 9: break 9 and only 0 is read. */
static void newer_meta_is_the_one_read(void **state)
{
	const char *const path[] = { "ctr", PODMAN_CTR, NULL };
	char *v;
	size_t vl;
	int fd;

	(void)state;
	fd = copy_fixture(PODMAN, 0);
	wr(fd, 9 * 4096, 0xdead, 8);
	assert_int_equal(get_in(path, "config", &v, &vl), 0);
	free(v);
	wr(fd, 16, 0, 4);
	close(fd);
	assert_int_equal(get_in(path, "config", &v, &vl), -EINVAL);
}

static void page_id_past_the_end_is_einval(void **state)
{
	char *v;
	size_t vl;
	int fd;

	(void)state;
	/* "v1"'s root past the high-water mark, and far past the file */
	fd = copy_fixture(META, 0);
	wr(fd, value_off(fd, ROOT_LEAF, 0), 39, 8);
	assert_int_equal(copy_image(), -EINVAL);
	wr(fd, value_off(fd, ROOT_LEAF, 0), 1ULL << 60, 8);
	assert_int_equal(copy_image(), -EINVAL);
	wr(fd, value_off(fd, ROOT_LEAF, 0), 34, 8);
	assert_int_equal(copy_image(), 0);
	/* a branch's child past the end */
	wr(fd, elem_off(MOBY_BRANCH, 1) + 8, 0xffffffffffffffffULL, 8);
	assert_int_equal(get_in(moby_path, "spec", &v, &vl), -EINVAL);
	close(fd);
}

/* A page that is not what points at it: another id, a freelist or meta page, a leaf flag mix. */
static void page_of_the_wrong_kind_is_einval(void **state)
{
	int fd;

	(void)state;
	fd = copy_fixture(META, 0);
	wr(fd, value_off(fd, ROOT_LEAF, 0), 38, 8);	/* the freelist */
	assert_int_equal(copy_image(), -EINVAL);
	wr(fd, value_off(fd, ROOT_LEAF, 0), 1, 8);	/* meta 1 */
	assert_int_equal(copy_image(), -EINVAL);
	wr(fd, value_off(fd, ROOT_LEAF, 0), 34, 8);
	assert_int_equal(copy_image(), 0);
	wr(fd, 34 * 4096, 33, 8);			/* page 34 says it is 33 */
	assert_int_equal(copy_image(), -EINVAL);
	wr(fd, 34 * 4096, 34, 8);
	wr(fd, 34 * 4096 + 8, 0x03, 2);			/* branch and leaf at once */
	assert_int_equal(copy_image(), -EINVAL);
	close(fd);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A branch page whose child is itself: an error at once, lookups and walks alike. */
static void branch_pointing_to_itself_is_einval_fast(void **state)
{
	struct whorl_bolt_bucket b;
	struct whorl_bolt *db;
	struct seen s = { 0 };
	double t = now();
	char *v;
	size_t vl;
	int fd;

	(void)state;
	fd = copy_fixture(META, 0);
	wr(fd, elem_off(MOBY_BRANCH, 0) + 8, MOBY_BRANCH, 8);
	wr(fd, elem_off(MOBY_BRANCH, 1) + 8, MOBY_BRANCH, 8);
	close(fd);
	assert_int_equal(get_in(moby_path, "createdat", &v, &vl), -EINVAL);
	assert_int_equal(get_in(moby_path, "spec", &v, &vl), -EINVAL);
	assert_int_equal(whorl_bolt_open(copy, &db), 0);
	assert_int_equal(descend(db, moby_path, &b), 0);
	assert_int_equal(whorl_bolt_walk(db, &b, count_key, &s), -EINVAL);
	assert_int_equal(s.keys, 0);
	whorl_bolt_bucket_free(&b);
	whorl_bolt_close(db);
	assert_true(now() - t < 1.0);
}

/* Element positions and lengths, counts and overflow that reach past the page. */
static void elements_past_the_page_are_einval(void **state)
{
	static const struct {
		const char *what;
		uint64_t page;
		int elem;		/* -1: @off is in the page header */
		unsigned int off, n;
		uint64_t v;
	} bad[] = {
		{ "leaf element's pos", ROOT_LEAF, 0, 4, 4, 0x7fffffff },
		{ "leaf element's key size", ROOT_LEAF, 0, 8, 4, 4096 },
		{ "leaf element's value size", ROOT_LEAF, 0, 12, 4, 0xffffffff },
		{ "leaf's count", ROOT_LEAF, -1, 10, 2, 300 },
		{ "branch element's pos", MOBY_BRANCH, 1, 0, 4, 4096 },
		{ "branch element's key size", MOBY_BRANCH, 1, 4, 4, 0x80000000 },
		{ "branch's count", MOBY_BRANCH, -1, 10, 2, 0xffff },
		{ "branch without elements", MOBY_BRANCH, -1, 10, 2, 0 },
		{ "overflow past the file", MOBY_BRANCH, -1, 12, 4, 0xffffffff },
		{ "overflow past the high-water mark", MOBY_BRANCH, -1, 12, 4, 20 },
		/* the spec's leaf without its overflow pages: the value outruns the span */
		{ "value past the span", SPEC_LEAF, -1, 12, 4, 0 },
	};
	unsigned int i;
	uint64_t at;
	char *v;
	size_t vl;
	int fd, ret;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fd = copy_fixture(META, 0);
		at = bad[i].elem < 0 ? bad[i].page * 4096 :
				       elem_off(bad[i].page, (unsigned int)bad[i].elem);
		wr(fd, at + bad[i].off, bad[i].v, bad[i].n);
		close(fd);
		ret = bad[i].page == ROOT_LEAF ? copy_image() : get_in(moby_path, "spec", &v, &vl);
		if (ret != -EINVAL)
			fail_msg("%s: expected -EINVAL, got %d", bad[i].what, ret);
	}
}

/* An inline bucket whose page does not fit in its value, or is not a leaf. */
static void inline_page_past_its_value_is_einval(void **state)
{
	static const struct {
		unsigned int at, n;
		uint64_t v;
	} bad[] = {
		{ 16 + 10, 2, 0xffff },		/* count: elements past the value */
		{ 16 + 16 + 4, 4, 4096 },	/* an element's pos */
		{ 16 + 8, 2, 0x01 },		/* a branch */
	};
	unsigned int i;
	char *v;
	size_t vl;
	int fd;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fd = copy_fixture(META, 0);
		wr(fd, value_off(fd, CTR_LEAF, 2) + bad[i].at, bad[i].v, bad[i].n);
		close(fd);
		assert_int_equal(get_in(labels_path, "tier", &v, &vl), -EINVAL);
	}
	/* the value too short for the bucket header, or for an inline page after it */
	fd = copy_fixture(META, 0);
	wr(fd, elem_off(CTR_LEAF, 2) + 12, 8, 4);
	assert_int_equal(get_in(labels_path, "tier", &v, &vl), -EINVAL);
	wr(fd, elem_off(CTR_LEAF, 2) + 12, 16 + 15, 4);
	assert_int_equal(get_in(labels_path, "tier", &v, &vl), -EINVAL);
	close(fd);
}

/* A FIFO in the database's place (a rootless Podman's state is the user's) never stalls. */
static void fifo_is_eperm_without_blocking(void **state)
{
	struct whorl_bolt *db;

	(void)state;
	unlink(copy);
	assert_int_equal(mkfifo(copy, 0600), 0);
	assert_int_equal(whorl_bolt_open(copy, &db), -EPERM);
	assert_null(db);
	unlink(copy);
	assert_int_equal(whorl_bolt_open(dir, &db), -EPERM);
	assert_int_equal(whorl_bolt_open("/nonexistent/meta.db", &db), -ENOENT);
}

/* A file past WHORL_BOLT_FILE_MAX (sparse: free to make) is not read. */
static void file_over_the_cap_is_efbig(void **state)
{
	struct whorl_bolt *db;
	int fd;

	(void)state;
	fd = copy_fixture(META, 0);
	assert_int_equal(ftruncate(fd, (off_t)WHORL_BOLT_FILE_MAX + 1), 0);
	close(fd);
	assert_int_equal(whorl_bolt_open(copy, &db), -EFBIG);
	fd = copy_fixture(META, 0);
	assert_int_equal(ftruncate(fd, (off_t)WHORL_BOLT_FILE_MAX), 0);
	close(fd);
	assert_int_equal(copy_image(), 0);
}

/* FNV-1a 64, to sign the metas of the databases built below. */
static uint64_t fnv(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

/*
 * A database of its own: both metas naming page 2, then @levels branch pages each with @fan
 * elements (empty keys) all pointing at the next page, then a leaf holding "k" = "v". A tree
 * only in name: its walk meets the leaf fan^levels times.
 */
static void build_chain(unsigned int levels, unsigned int fan)
{
	uint64_t hwm = 2 + levels + 1, pg, i;
	unsigned char m[56];
	int fd;

	unlink(copy);
	fd = open(copy, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)(hwm * 4096)), 0);
	for (i = 0; i < 2; i++) {
		wr(fd, i * 4096, i, 8);
		wr(fd, i * 4096 + 8, 0x04, 2);
		wr(fd, i * 4096 + 16, 0xED0CDAED, 4);
		wr(fd, i * 4096 + 20, 2, 4);
		wr(fd, i * 4096 + 24, 4096, 4);
		wr(fd, i * 4096 + 32, 2, 8);			/* root */
		wr(fd, i * 4096 + 48, ~0ULL, 8);		/* no freelist */
		wr(fd, i * 4096 + 56, hwm, 8);
		wr(fd, i * 4096 + 64, 1 + i, 8);		/* txid */
		assert_int_equal(pread(fd, m, 56, (off_t)(i * 4096 + 16)), 56);
		wr(fd, i * 4096 + 72, fnv(m, 56), 8);
	}
	for (pg = 2; pg < 2 + levels; pg++) {
		wr(fd, pg * 4096, pg, 8);
		wr(fd, pg * 4096 + 8, 0x01, 2);
		wr(fd, pg * 4096 + 10, fan, 2);
		for (i = 0; i < fan; i++)
			wr(fd, elem_off(pg, (unsigned int)i) + 8, pg + 1, 8);
	}
	wr(fd, pg * 4096, pg, 8);
	wr(fd, pg * 4096 + 8, 0x02, 2);
	wr(fd, pg * 4096 + 10, 1, 2);
	wr(fd, elem_off(pg, 0) + 4, 16, 4);
	wr(fd, elem_off(pg, 0) + 8, 1, 4);
	wr(fd, elem_off(pg, 0) + 12, 1, 4);
	assert_int_equal(pwrite(fd, "kv", 2, (off_t)elem_off(pg, 1)), 2);
	close(fd);
}

static int count_any(const void *k, size_t kl, const void *v, size_t vl, int is_bucket, void *arg)
{
	(void)k, (void)kl, (void)v, (void)vl, (void)is_bucket;
	++*(unsigned int *)arg;
	return 0;
}

static int chain_walk(unsigned int *keys)
{
	struct whorl_bolt_bucket b;
	struct whorl_bolt *db;
	int ret;

	*keys = 0;
	assert_int_equal(whorl_bolt_open(copy, &db), 0);
	whorl_bolt_root(db, &b);
	ret = whorl_bolt_walk(db, &b, count_any, keys);
	whorl_bolt_close(db);
	return ret;
}

/* Branches that all lead to one page: the walk gives up at WHORL_BOLT_PAGES_MAX pages. */
static void shared_subtrees_exhaust_the_budget(void **state)
{
	unsigned int keys;
	double t = now();
	char *v;
	size_t vl;

	(void)state;
	build_chain(3, 4);	/* a sane size: 64 visits of the leaf */
	assert_int_equal(chain_walk(&keys), 0);
	assert_int_equal(keys, 64);
	build_chain(20, 2);	/* 2^20 visits */
	assert_int_equal(chain_walk(&keys), -E2BIG);
	/* a lookup goes down one path only */
	assert_int_equal(get_in((const char *const[]){ NULL }, "k", &v, &vl), 0);
	assert_string_equal(v, "v");
	free(v);
	assert_true(now() - t < 5.0);
}

/* Deeper than WHORL_BOLT_DEPTH_MAX pages: corrupt, for lookups and walks. */
static void chain_deeper_than_the_limit_is_einval(void **state)
{
	unsigned int keys;
	char *v;
	size_t vl;

	(void)state;
	build_chain(WHORL_BOLT_DEPTH_MAX - 1, 1);
	assert_int_equal(get_in((const char *const[]){ NULL }, "k", &v, &vl), 0);
	free(v);
	assert_int_equal(chain_walk(&keys), 0);
	assert_int_equal(keys, 1);
	build_chain(WHORL_BOLT_DEPTH_MAX, 1);
	assert_int_equal(get_in((const char *const[]){ NULL }, "k", &v, &vl), -EINVAL);
	assert_int_equal(chain_walk(&keys), -EINVAL);
}

static uint32_t xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static int errno_ok(int ret)
{
	return ret == 0 || ret == -ENOENT || ret == -ENOTDIR || ret == -EISDIR || ret == -E2BIG ||
	       ret == -EINVAL;
}

/*
 * Random bytes of each fixture flipped (a fixed seed; the headers and element arrays at the
 * start of each page hit most often), then everything looked up and walked: errors, never a
 * crash (ASan and UBSan run the same in the fuzz target).
 */
static void flipped_bytes_never_crash(void **state)
{
	static const char *const files[] = { META, SNAP, PODMAN };
	unsigned char saved[8];
	uint64_t at[8], size;
	unsigned int f, it, i, n, keys, buckets;
	struct whorl_bolt_bucket b;
	struct whorl_bolt *db;
	uint32_t seed = 0x5eed;
	struct stat st;
	char *v;
	size_t vl;
	int fd, ret;

	(void)state;
	for (f = 0; f < 3; f++) {
		fd = copy_fixture(files[f], 0);
		assert_int_equal(fstat(fd, &st), 0);
		size = (uint64_t)st.st_size;
		for (it = 0; it < 1500; it++) {
			n = 1 + xorshift(&seed) % 8;
			for (i = 0; i < n; i++) {
				at[i] = xorshift(&seed) % 2 ?
					(xorshift(&seed) % (size / 4096)) * 4096 +
						xorshift(&seed) % 160 :
					xorshift(&seed) % size;
				saved[i] = (unsigned char)rd(fd, at[i], 1);
				wr(fd, at[i], saved[i] ^ (1u << (xorshift(&seed) % 8)), 1);
			}
			ret = whorl_bolt_open(copy, &db);
			assert_true(ret == 0 || ret == -EINVAL);
			if (!ret) {
				assert_true(errno_ok(tree_walk(db, 6, &keys, &buckets)));
				ret = descend(db, ctr_path, &b);
				if (!ret)
					ret = whorl_bolt_get(db, &b, "image", 5, 4096, &v, &vl);
				if (!ret)
					free(v);
				assert_true(errno_ok(ret));
				whorl_bolt_bucket_free(&b);
				whorl_bolt_close(db);
			}
			while (n--)
				wr(fd, at[n], saved[n], 1);
		}
		close(fd);
	}
}

int main(void)
{
	const struct CMUnitTest hostile[] = {
		cmocka_unit_test(truncated_file_is_einval),
		cmocka_unit_test(file_shrinking_under_the_reader_is_einval),
		cmocka_unit_test(both_meta_checksums_broken_is_einval),
		cmocka_unit_test(one_meta_broken_uses_the_other),
		cmocka_unit_test(newer_meta_is_the_one_read),
		cmocka_unit_test(page_id_past_the_end_is_einval),
		cmocka_unit_test(page_of_the_wrong_kind_is_einval),
		cmocka_unit_test(branch_pointing_to_itself_is_einval_fast),
		cmocka_unit_test(elements_past_the_page_are_einval),
		cmocka_unit_test(inline_page_past_its_value_is_einval),
		cmocka_unit_test(fifo_is_eperm_without_blocking),
		cmocka_unit_test(file_over_the_cap_is_efbig),
		cmocka_unit_test(shared_subtrees_exhaust_the_budget),
		cmocka_unit_test(chain_deeper_than_the_limit_is_einval),
		cmocka_unit_test(flipped_bytes_never_crash),
	};
	struct CMUnitTest tests[sizeof(lookups) / sizeof(lookups[0]) +
				sizeof(walks) / sizeof(walks[0]) + 2];
	size_t i, n = 0;
	int failed;

	for (i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++)
		tests[n++] = (struct CMUnitTest){ lookups[i].name, lookup_finds_real_content, NULL,
						  NULL, (void *)&lookups[i] };
	for (i = 0; i < sizeof(walks) / sizeof(walks[0]); i++)
		tests[n++] = (struct CMUnitTest){ walks[i].name, walk_lists_keys_in_order, NULL,
						  NULL, (void *)&walks[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(walk_stops_with_the_callbacks_value);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(whole_databases_walk_and_read_back);
	failed = _cmocka_run_group_tests("bolt", tests, n, NULL, NULL);
	return failed | cmocka_run_group_tests_name("bolt-hostile", hostile, hostile_setup,
						    hostile_teardown);
}
