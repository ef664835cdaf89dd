// SPDX-License-Identifier: GPL-2.0
/* enrich_test.c - container name and image from runtime state fixtures (tests/fixtures/state). */

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <linux/whorl.h>

#include "enrich.h"
#include "testlib.h"
#include "utf8.h"

#define DOCKER_ID "8a3c8d0b5b7e54f0a4e0fd2c3b1a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f"
#define DOCKER_NO_IMAGE_ID "9e9e9e9e0d0d0d0d1c1c1c1c2b2b2b2b3a3a3a3a4949494958585858e7e7e7e7"
#define K8S_ID "3f1e2d4c5b6a798012345678901234567890abcdef1234567890abcdef123456"
#define CRIO_ID "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00"
#define PODMAN_ID "5a5a5a5a1b1b1b1b2c2c2c2c3d3d3d3d4e4e4e4e5f5f5f5f6a6a6a6a7b7b7b7b"
#define UNKNOWN_ID "0000000000000000000000000000000000000000000000000000000000000000"

struct enrich_case {
	const char *name;
	unsigned int runtime;
	const char *id;
	int found;
	const char *source, *cname, *image, *pod, *ns;
	const char *image_id, *created, *pod_uid;
	const char *labels;	/* "name=value;..." in the state's order */
};

static const struct enrich_case cases[] = {
	{ "docker_name_without_slash_and_config_image", WHORL_RUNTIME_DOCKER, DOCKER_ID, 1,
	  "docker", "xz-demo", "debian:bookworm-slim", NULL, NULL,
	  "sha256:6c1e4d1b9c0c0f2e9f7d3a7b1c5e9a8d2f6b4c3a1e0d9c8b7a6f5e4d3c2b1a0f",
	  "2024-03-29T11:58:01.902244120Z", NULL,
	  "com.example.team=payments;org.opencontainers.image.version=12.5" },
	{ "docker_without_config_image_omits_the_image", WHORL_RUNTIME_DOCKER, DOCKER_NO_IMAGE_ID,
	  1, "docker", "quirky_hopper", NULL, NULL, NULL,
	  "sha256:6c1e4d1b9c0c0f2e9f7d3a7b1c5e9a8d2f6b4c3a1e0d9c8b7a6f5e4d3c2b1a0f", NULL, NULL, NULL },
	{ "containerd_cri_annotations", WHORL_RUNTIME_CONTAINERD, K8S_ID, 1,
	  "containerd", "web", "docker.io/library/nginx:1.25", "web-7d4b9c", "shop",
	  NULL, NULL, "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", NULL },
	{ "crio_annotations", WHORL_RUNTIME_CRIO, CRIO_ID, 1,
	  "cri-o", "redis", "docker.io/library/redis:7.2", "cache-0", "data",
	  NULL, NULL, "1a2b3c4d-0000-1111-2222-333344445555", NULL },
	{ "podman_containers_json_name_and_image_name", WHORL_RUNTIME_PODMAN, PODMAN_ID, 1,
	  "podman", "pg", "docker.io/library/postgres:16", NULL, NULL,
	  "sha256:8f2a0b3c8f2a0b3c8f2a0b3c8f2a0b3c8f2a0b3c8f2a0b3c8f2a0b3c8f2a0b3c",
	  "2024-03-29T11:51:39.987654300Z", NULL, NULL },
	{ "unknown_runtime_still_finds_a_docker_container", WHORL_RUNTIME_UNKNOWN, DOCKER_ID, 1,
	  "docker", "xz-demo", "debian:bookworm-slim", NULL, NULL,
	  "sha256:6c1e4d1b9c0c0f2e9f7d3a7b1c5e9a8d2f6b4c3a1e0d9c8b7a6f5e4d3c2b1a0f",
	  "2024-03-29T11:58:01.902244120Z", NULL,
	  "com.example.team=payments;org.opencontainers.image.version=12.5" },
	{ "container_in_no_state_is_not_found", WHORL_RUNTIME_DOCKER, UNKNOWN_ID, 0,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "path_traversal_id_is_refused", WHORL_RUNTIME_DOCKER, "../../../etc", 0,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "dot_id_is_refused", WHORL_RUNTIME_CONTAINERD, "..", 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "empty_id_is_refused", WHORL_RUNTIME_DOCKER, "", 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

static void check_str(const char *what, const char *got, const char *want)
{
	if (!want && got)
		fail_msg("%s: expected none, got '%s'", what, got);
	if (want && (!got || strcmp(got, want)))
		fail_msg("%s: expected '%s', got '%s'", what, want, got ? got : "(none)");
}

/* The labels as "name=value;...", NULL for none. */
static const char *labels_text(const struct whorl_container_info *ci)
{
	static char buf[4096];
	size_t n = 0;
	unsigned int i;

	if (!ci->nlabels)
		return NULL;
	buf[0] = '\0';
	for (i = 0; i < ci->nlabels && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s=%s", i ? ";" : "",
				      ci->labels[i].name, ci->labels[i].value);
	return buf;
}

static void enrich_reads_runtime_state(void **state)
{
	const struct enrich_case *c = *state;
	struct whorl_container_info ci;
	char root[4096];

	strcpy(root, t_fixture("state"));
	assert_int_equal(whorl_enrich(root, c->runtime, c->id, &ci), c->found);
	check_str("source", ci.source, c->source);
	check_str("name", ci.name, c->cname);
	check_str("image", ci.image, c->image);
	check_str("pod", ci.pod_name, c->pod);
	check_str("namespace", ci.pod_namespace, c->ns);
	check_str("image id", ci.image_id, c->image_id);
	check_str("created", ci.created, c->created);
	check_str("pod uid", ci.pod_uid, c->pod_uid);
	check_str("labels", labels_text(&ci), c->labels);
	assert_int_equal(ci.refused, 0);
	whorl_container_info_free(&ci);
}

static void docker_bundle_without_cri_annotations_is_not_containerd_state(void **state)
{
	struct whorl_container_info ci;
	char root[4096];

	(void)state;
	/* Docker's id has a containerd bundle (namespace moby) too; only Docker's state names it. */
	strcpy(root, t_fixture("state"));
	assert_int_equal(whorl_enrich(root, WHORL_RUNTIME_CONTAINERD, DOCKER_ID, &ci), 1);
	assert_string_equal(ci.source, "docker");
	whorl_container_info_free(&ci);
}

static void missing_state_root_finds_nothing(void **state)
{
	struct whorl_container_info ci;

	(void)state;
	assert_int_equal(whorl_enrich("/nonexistent", WHORL_RUNTIME_DOCKER, DOCKER_ID, &ci), 0);
	assert_null(ci.name);
}

static void state_root_comes_from_the_environment(void **state)
{
	(void)state;
	setenv("WHORL_STATE_ROOT", "/srv/host", 1);
	assert_string_equal(whorl_state_root(), "/srv/host");
	unsetenv("WHORL_STATE_ROOT");
	assert_string_equal(whorl_state_root(), "");
}

/* --- hostile state: a root of our own, one Docker config.v2.json written per case ------------ */

#define HOSTILE_ID "4444444444444444444444444444444444444444444444444444444444444444"

static char hroot[] = "/tmp/whorl-enrich-XXXXXX";
static char hdir[256], hfile[320];

static int hostile_setup(void **state)
{
	char cmd[400];

	(void)state;
	if (!mkdtemp(hroot))
		return -1;
	snprintf(hdir, sizeof(hdir), "%s/var/lib/docker/containers/" HOSTILE_ID, hroot);
	snprintf(hfile, sizeof(hfile), "%s/config.v2.json", hdir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", hdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int hostile_teardown(void **state)
{
	char cmd[400];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", hroot);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_state(const char *text, size_t len)
{
	FILE *f;

	unlink(hfile);
	f = fopen(hfile, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* A FIFO in a state file's place (rootless Podman's state is the user's to write) never stalls. */
static void fifo_state_file_is_refused_without_blocking(void **state)
{
	struct whorl_container_info ci;

	(void)state;
	unlink(hfile);
	assert_int_equal(mkfifo(hfile, 0600), 0);
	assert_int_equal(whorl_enrich(hroot, WHORL_RUNTIME_DOCKER, HOSTILE_ID, &ci), 0);
	assert_null(ci.name);
	assert_true(ci.refused >= 1);
	unlink(hfile);
}

/* A state file past WHORL_STATE_FILE_MAX (sparse: free to make) is not read. */
static void huge_state_file_is_refused(void **state)
{
	struct whorl_container_info ci;
	int fd;

	(void)state;
	write_state("{\"Name\":\"/big\"}", 15);
	fd = open(hfile, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)WHORL_STATE_FILE_MAX + 1), 0);
	close(fd);
	assert_int_equal(whorl_enrich(hroot, WHORL_RUNTIME_DOCKER, HOSTILE_ID, &ci), 0);
	assert_null(ci.name);
	assert_true(ci.refused >= 1);
}

/* A 1 MiB name is left out, never cut to a prefix (which could name another container). */
static void overlong_name_is_absent_and_counted(void **state)
{
	struct whorl_container_info ci;
	size_t n = 1 << 20, len;
	char *text = malloc(n + 64);

	(void)state;
	assert_non_null(text);
	len = (size_t)sprintf(text, "{\"Name\":\"/");
	memset(text + len, 'a', n);
	len += n;
	len += (size_t)sprintf(text + len, "\",\"Config\":{\"Image\":\"debian:12\"}}");
	write_state(text, len);
	free(text);
	assert_int_equal(whorl_enrich(hroot, WHORL_RUNTIME_DOCKER, HOSTILE_ID, &ci), 1);
	assert_null(ci.name);
	assert_string_equal(ci.image, "debian:12");
	assert_int_equal(ci.refused, 1);
	whorl_container_info_free(&ci);
}

/* Control characters come through as themselves (JSON output escapes them); bad UTF-8 is replaced. */
static void hostile_bytes_become_valid_utf8(void **state)
{
	static const char text[] = "{\"Name\":\"/evil\\u001b[31m\\n\", \"Config\":{\"Image\":\"x\\udc80y\"}}";
	struct whorl_container_info ci;

	(void)state;
	write_state(text, sizeof(text) - 1);
	assert_int_equal(whorl_enrich(hroot, WHORL_RUNTIME_DOCKER, HOSTILE_ID, &ci), 1);
	assert_string_equal(ci.name, "evil\x1b[31m\n");
	/* a lone surrogate escape: json-c's bytes for it are not UTF-8, and are replaced */
	assert_non_null(ci.image);
	assert_true(whorl_utf8_valid(ci.image, strlen(ci.image)));
	assert_int_equal(ci.refused, 0);
	whorl_container_info_free(&ci);
}

/* Truncated, trailing garbage, not JSON, not an object: nothing found, nothing refused. */
static void malformed_state_finds_nothing(void **state)
{
	static const char *const texts[] = {
		"{\"Name\":\"/half", "{\"Name\":\"/a\"} trailing", "not json", "[1,2,3]",
		"{\"Name\":42}", "",
	};
	struct whorl_container_info ci;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		write_state(texts[i], strlen(texts[i]));
		whorl_enrich(hroot, WHORL_RUNTIME_DOCKER, HOSTILE_ID, &ci);
		assert_null(ci.name);
		assert_int_equal(ci.refused, 0);
		whorl_container_info_free(&ci);
	}
}

/* An id that is not a digest and a time that is not RFC 3339: absent, and counted. */
static void malformed_id_and_time_are_absent_and_counted(void **state)
{
	static const char *const bad[][2] = {
		{ "sha256:xyz", "2024-03-29T11:58Z" },
		{ "sha256:6c1e4d1b9c0c0f2e9f7d3a7b1c5e9a8d2f6b4c3a1e0d9c8b7a6f5e4d3c2b1a0f0",
		  "2024-03-29 11:58:01" },
		{ "md5:6c1e4d1b9c0c0f2e9f7d3a7b1c5e9a8d2f6b4c3a1e0d9c8b7a6f5e4d3c2b1a0f",
		  "2024-03-29T11:58:01.Z" },
		{ "sha256:6C1E4D1B9C0C0F2E9F7D3A7B1C5E9A8D2F6B4C3A1E0D9C8B7A6F5E4D3C2B1A0F",
		  "2024-03-29T11:58:01+0100" },
		{ "sha256:../../../../etc/passwd", "yesterday\\u001b[2J" },
	};
	struct whorl_container_info ci;
	char text[512], utc[WHORL_TIME_LEN];
	size_t i;
	int len;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = snprintf(text, sizeof(text), "{\"Name\":\"/n\",\"Image\":\"%s\",\"Created\":\"%s\"}",
			       bad[i][0], bad[i][1]);
		write_state(text, (size_t)len);
		assert_int_equal(whorl_enrich(hroot, WHORL_RUNTIME_DOCKER, HOSTILE_ID, &ci), 1);
		assert_string_equal(ci.name, "n");
		assert_null(ci.image_id);
		assert_null(ci.created);
		assert_int_equal(ci.refused, 2);
		whorl_container_info_free(&ci);
	}
	assert_int_equal(whorl_rfc3339_utc("2026-12-05T03:00:18+01:00", utc), 0);
	assert_string_equal(utc, "2026-12-05T02:00:18.000000000Z");
	assert_int_equal(whorl_rfc3339_utc("2026-12-31T23:30:00.1-01:00", utc), 0);
	assert_string_equal(utc, "2027-01-01T00:30:00.100000000Z");
	assert_int_equal(whorl_rfc3339_utc("2026-12-05T03:00:18.1234567890Z", utc), -1);
	assert_int_equal(whorl_rfc3339_utc("2026-02-30T03:00:18Z", utc), -1);
	assert_int_equal(whorl_rfc3339_utc("2026-12-05T24:00:18Z", utc), -1);
}

/* Labels: strings only, at most WHORL_STATE_LABELS_MAX, a long one left out; all counted. */
static void labels_are_bounded(void **state)
{
	struct whorl_container_info ci;
	size_t cap = 1 << 16, len;
	char *text = malloc(cap);
	unsigned int i;

	(void)state;
	assert_non_null(text);
	len = (size_t)sprintf(text, "{\"Name\":\"/n\",\"Config\":{\"Labels\":{\"num\":7,\"long\":\"");
	memset(text + len, 'v', 2000);
	len += 2000;
	len += (size_t)sprintf(text + len, "\"");
	for (i = 0; i < 100; i++)
		len += (size_t)sprintf(text + len, ",\"k%u\":\"v%u\"", i, i);
	len += (size_t)sprintf(text + len, "}}}");
	write_state(text, len);
	free(text);
	assert_int_equal(whorl_enrich(hroot, WHORL_RUNTIME_DOCKER, HOSTILE_ID, &ci), 1);
	/* "num" is not a string and "long" is too long: the first 64 of the others */
	assert_int_equal(ci.nlabels, WHORL_STATE_LABELS_MAX);
	assert_string_equal(ci.labels[63].name, "k63");
	assert_string_equal(ci.labels[0].name, "k0");
	assert_string_equal(ci.labels[0].value, "v0");
	assert_int_equal(ci.refused, 2);	/* past the cap, and the long value */
	whorl_container_info_free(&ci);
}

/*
 * tests/fixtures/runtimes: state captured from Debian 12's dockerd 20.10, containerd 1.6 and
 * podman 4.3 running one three-layer image in a guest (see its README).
 */
#define RT_IMAGE_ID "sha256:8ccbbc90c271aeb38e4175fedb6f0d363aea6d0bebd56b2ee3b67f4f27cfcf2a"
#define RT_CTR_ID "73c68dc59c524a0cab834bae041dc758d2612fa8938440cd9d37cacffe75af71"
#define RT_PODMAN_ID "afe057d671ed25a2513690ccbd967c7bd098eade8f906eb58d2fde3fa19a4de2"
#define RT_DIFF1 "sha256:6e9eef44895dabe4931a4cec2b7d13d45df6fe4c953feea008be6d39b04668bf"
#define RT_DIFF2 "sha256:b549a464ab38ef9190859ba7add212bfb2cb9b0617403064bfaa442b50ada243"
#define RT_DIFF3 "sha256:7f3a13c6bac52a5c878e2d1951305819850df5c1799576dfd1c8e6c51a20554c"

#define DOCKER_LAYER(id) "/var/lib/docker/overlay2/" id "/diff"
#define STORAGE_LAYER(id) "/var/lib/containers/storage/overlay/" id "/diff"
#define SNAPSHOT(n) "/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/" n "/fs"

struct layer_case {
	const char *dir;
	const char *image_id;
	int found;
	const char *diff_id;
	unsigned int index, count;
};

static const struct layer_case layer_cases[] = {
	/* Docker: overlay2/<cache-id>/diff, through layerdb */
	{ DOCKER_LAYER("097564d9a0470f10dc2487f59dcddbbd0a8d2a5a4b8b95021e658bd3f0235f53"),
	  RT_IMAGE_ID, 1, RT_DIFF3, 3, 3 },
	{ DOCKER_LAYER("7762c67251403cd28d4f358575ea4531ed77c0554c0d58dbdfdd73d09c4db521"),
	  RT_IMAGE_ID, 1, RT_DIFF1, 1, 3 },
	/* /var/lib/docker on a filesystem of its own: its path there */
	{ "/overlay2/7543f812a176e313913a6043bd3164f257ccdda1aabf6d590d26091532b78df8/diff",
	  NULL, 1, RT_DIFF2, 2, 0 },
	/* the same layer with another image's id: no count that image's config does not give */
	{ DOCKER_LAYER("7543f812a176e313913a6043bd3164f257ccdda1aabf6d590d26091532b78df8"),
	  "sha256:0000000000000000000000000000000000000000000000000000000000000000", 1, RT_DIFF2, 2, 0 },
	/* Docker's init layer is no image layer */
	{ DOCKER_LAYER("20f63165c6df46a562a93811a47abe8fd84a346db15a743ea8ce8e630553a1ae-init"),
	  RT_IMAGE_ID, 0, NULL, 0, 0 },
	/* containers/storage: overlay/<layer id>/diff, through layers.json */
	{ STORAGE_LAYER("bd34c626e5e651b7e22125e9d2b3b340a2afc4d294a74e865e1de4fe75013d58"),
	  RT_IMAGE_ID, 1, RT_DIFF3, 3, 3 },
	{ STORAGE_LAYER("9aef3b19178e57bd99d2bddd306bc9d87371a929ee49d28bb66fd067b96e238d"),
	  RT_IMAGE_ID, 1, RT_DIFF2, 2, 3 },
	/* containerd: snapshots/<n>/fs, through the snapshotter's metadata.db and the image config */
	{ SNAPSHOT("3"),
	  RT_IMAGE_ID, 1, RT_DIFF3, 3, 3 },
	{ SNAPSHOT("1"),
	  RT_IMAGE_ID, 1, RT_DIFF1, 1, 3 },
	{ SNAPSHOT("99"),
	  RT_IMAGE_ID, 0, NULL, 0, 0 },
	/* not a layer directory of any runtime's */
	{ "/var/lib/docker/overlay2/../diff", RT_IMAGE_ID, 0, NULL, 0, 0 },
	{ "/srv/layers/diff", RT_IMAGE_ID, 0, NULL, 0, 0 },
	{ "diff", RT_IMAGE_ID, 0, NULL, 0, 0 },
};

static void layer_is_the_runtimes_record(void **state)
{
	const struct layer_case *c = *state;
	struct whorl_layer_info li;
	unsigned int refused = 0;
	char root[4096];

	strcpy(root, t_fixture("runtimes"));
	assert_int_equal(whorl_enrich_layer(root, c->dir, c->image_id, &li, &refused), c->found);
	if (c->diff_id)
		assert_string_equal(li.diff_id, c->diff_id);
	else
		assert_null(li.diff_id);
	assert_int_equal(li.index, c->index);
	assert_int_equal(li.count, c->count);
	assert_int_equal(refused, 0);
	whorl_layer_info_free(&li);
}

/* containerd's own record: the image, its id through the content store, labels, the time. */
static void containerd_metadata_database(void **state)
{
	struct whorl_container_info ci;
	char root[4096];
	unsigned int i;
	int tier = 0;

	(void)state;
	strcpy(root, t_fixture("runtimes"));
	assert_int_equal(whorl_enrich(root, WHORL_RUNTIME_CONTAINERD, RT_CTR_ID, &ci), 1);
	assert_string_equal(ci.source, "containerd");
	assert_string_equal(ci.name, "api");
	assert_string_equal(ci.image, "docker.io/whorl-e2e/app:1.0");
	assert_string_equal(ci.image_id, RT_IMAGE_ID);
	assert_non_null(ci.created);
	assert_int_equal(strncmp(ci.created, "2026-12-05T06:26:", 17), 0);
	assert_int_equal(strlen(ci.created), WHORL_TIME_LEN - 1);
	for (i = 0; i < ci.nlabels; i++)
		tier += !strcmp(ci.labels[i].name, "tier") && !strcmp(ci.labels[i].value, "api");
	assert_int_equal(tier, 1);
	assert_int_equal(ci.refused, 0);
	whorl_container_info_free(&ci);
}

/* Podman's own record: the labels `podman run --label` gave and the image's. */
static void podman_state_database(void **state)
{
	static const char *const want[] = { "io.whorl.test=runtimes",
		"org.opencontainers.image.title=whorl-e2e", "team=ops", "tier=worker" };
	struct whorl_container_info ci;
	char root[4096], kv[256];
	unsigned int i;

	(void)state;
	strcpy(root, t_fixture("runtimes"));
	assert_int_equal(whorl_enrich(root, WHORL_RUNTIME_PODMAN, RT_PODMAN_ID, &ci), 1);
	assert_string_equal(ci.source, "podman");
	assert_string_equal(ci.name, "shop-worker");
	assert_string_equal(ci.image_id, RT_IMAGE_ID);
	assert_int_equal(ci.nlabels, 4);
	for (i = 0; i < 4; i++) {
		snprintf(kv, sizeof(kv), "%s=%s", ci.labels[i].name, ci.labels[i].value);
		assert_string_equal(kv, want[i]);
	}
	whorl_container_info_free(&ci);
}

/* put_file REL TEXT: a file under the hostile root, its directories made */
static void put_file(const char *rel, const char *text)
{
	char path[4096], cmd[4400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", hroot, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#define H_LAYERDB "var/lib/docker/image/overlay2/layerdb/sha256/"
#define H_CHAIN_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define H_CHAIN_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/*
 * Layer records that loop (a parent chain back to itself), lie (a diff that is no digest) or
 * are not JSON: the layer is found without a position or digest, nothing hangs, all counted.
 */
static void hostile_layer_records(void **state)
{
	struct whorl_layer_info li;
	unsigned int refused = 0;

	(void)state;
	put_file(H_LAYERDB H_CHAIN_A "/cache-id", "loop-a\n");
	put_file(H_LAYERDB H_CHAIN_A "/diff", "sha256:../../etc/passwd\n");
	put_file(H_LAYERDB H_CHAIN_A "/parent", "sha256:" H_CHAIN_B);
	put_file(H_LAYERDB H_CHAIN_B "/cache-id", "loop-b");
	put_file(H_LAYERDB H_CHAIN_B "/parent", "sha256:" H_CHAIN_A);
	assert_int_equal(whorl_enrich_layer(hroot, "/overlay2/loop-a/diff", NULL, &li, &refused), 1);
	assert_null(li.diff_id);
	assert_int_equal(li.index, 0);
	assert_int_equal(refused, 1);
	whorl_layer_info_free(&li);

	refused = 0;
	put_file("var/lib/containers/storage/overlay-layers/layers.json",
		 "[{\"id\":\"x\",\"parent\":\"y\",\"diff-digest\":\"sha256:zz\"},"
		 "{\"id\":\"y\",\"parent\":\"x\"}]");
	assert_int_equal(whorl_enrich_layer(hroot, "/var/lib/containers/storage/overlay/x/diff",
					    RT_IMAGE_ID, &li, &refused), 1);
	assert_null(li.diff_id);
	assert_int_equal(li.index, 0);
	assert_int_equal(refused, 1);
	whorl_layer_info_free(&li);

	refused = 0;
	put_file("var/lib/containers/storage/overlay-layers/layers.json", "[{\"id\":\"x\"");
	assert_int_equal(whorl_enrich_layer(hroot, "/var/lib/containers/storage/overlay/x/diff",
					    NULL, &li, &refused), 0);
	whorl_layer_info_free(&li);

	/* a snapshotter database that is not one */
	put_file("var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/metadata.db",
		 "not a bolt file");
	assert_int_equal(whorl_enrich_layer(hroot, "/snapshots/1/fs", RT_IMAGE_ID, &li, &refused),
			 0);
	whorl_layer_info_free(&li);
}

int main(void)
{
	const struct CMUnitTest hostile[] = {
		cmocka_unit_test(fifo_state_file_is_refused_without_blocking),
		cmocka_unit_test(huge_state_file_is_refused),
		cmocka_unit_test(overlong_name_is_absent_and_counted),
		cmocka_unit_test(hostile_bytes_become_valid_utf8),
		cmocka_unit_test(malformed_state_finds_nothing),
		cmocka_unit_test(malformed_id_and_time_are_absent_and_counted),
		cmocka_unit_test(labels_are_bounded),
		cmocka_unit_test(hostile_layer_records),
	};
	int failed;

	struct CMUnitTest tests[48];
	size_t i, n = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tests[n++] = (struct CMUnitTest){ cases[i].name, enrich_reads_runtime_state, NULL,
						  NULL, (void *)&cases[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		docker_bundle_without_cri_annotations_is_not_containerd_state);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(missing_state_root_finds_nothing);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(state_root_comes_from_the_environment);
	for (i = 0; i < sizeof(layer_cases) / sizeof(layer_cases[0]); i++)
		tests[n++] = (struct CMUnitTest){ layer_cases[i].dir, layer_is_the_runtimes_record,
						  NULL, NULL, (void *)&layer_cases[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(containerd_metadata_database);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(podman_state_database);
	failed = _cmocka_run_group_tests("enrich", tests, n, NULL, NULL);
	return failed | cmocka_run_group_tests_name("enrich-hostile", hostile, hostile_setup,
						    hostile_teardown);
}
