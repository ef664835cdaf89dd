// SPDX-License-Identifier: GPL-2.0
/*
 * enrich_fuzz.c - libFuzzer target: the runtime state readers (enrich.c). The input is written
 * as each runtime's state file for one container (Docker's config.v2.json, containerd's and
 * CRI-O's config.json, Podman's containers.json, containers/storage's layers.json and
 * images.json, Docker's layer records) under a private state root, the container is looked up as
 * each runtime, and a layer directory of each store's form is looked up. Whatever the bytes,
 * every field that comes out is well-formed UTF-8 within WHORL_STATE_FIELD_MAX, and a layer's
 * digest is one.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/whorl.h>

#include "enrich.h"
#include "utf8.h"

#define ID "4444444444444444444444444444444444444444444444444444444444444444"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[] = "/tmp/whorl-enrich-fuzz-XXXXXX";
#define NFILES 9
static char files[NFILES][512];
static int ready;

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		fprintf(stderr, "enrich-fuzz: could not remove %s\n", root);
}

static void setup(void)
{
	static const char *const rel[NFILES] = {
		"/var/lib/docker/containers/" ID "/config.v2.json",
		"/run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID "/config.json",
		"/var/lib/containers/storage/overlay-containers/" ID "/userdata/config.json",
		"/var/lib/containers/storage/overlay-containers/containers.json",
		"/var/lib/containers/storage/overlay-layers/layers.json",
		"/var/lib/containers/storage/overlay-images/images.json",
		"/var/lib/docker/image/overlay2/layerdb/sha256/" ID "/cache-id",
		"/var/lib/docker/image/overlay2/layerdb/sha256/" ID "/parent",
		"/var/lib/docker/image/overlay2/imagedb/content/sha256/" ID,
	};
	char cmd[1024];
	int i;

	if (!mkdtemp(root))
		abort();
	atexit(cleanup);
	ready = 1;
	for (i = 0; i < NFILES; i++) {
		snprintf(files[i], sizeof(files[i]), "%s%s", root, rel[i]);
		snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", files[i]);
		if (system(cmd))
			abort();
	}
}

static void check(const char *s)
{
	if (s && (strlen(s) > WHORL_STATE_FIELD_MAX * 3 || !whorl_utf8_valid(s, strlen(s))))
		abort();	/* (U+FFFD for a bad byte: at most three bytes each) */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int runtimes[] = {
		WHORL_RUNTIME_DOCKER, WHORL_RUNTIME_CONTAINERD, WHORL_RUNTIME_CRIO,
		WHORL_RUNTIME_PODMAN,
	};
	static const char *const layers[] = {
		"/var/lib/containers/storage/overlay/" ID "/diff",
		"/var/lib/docker/overlay2/" ID "/diff",
	};
	struct whorl_container_info ci;
	struct whorl_layer_info li;
	unsigned int refused = 0;
	FILE *f;
	size_t i;

	if (!ready)
		setup();
	for (i = 0; i < NFILES; i++) {
		f = fopen(files[i], "w");
		if (!f || fwrite(data, 1, size, f) != size || fclose(f))
			abort();
	}
	for (i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
		if (whorl_enrich(root, runtimes[i], ID, &ci)) {
			check(ci.name);
			check(ci.image);
			check(ci.pod_name);
			check(ci.pod_namespace);
		}
		whorl_container_info_free(&ci);
	}
	for (i = 0; i < sizeof(layers) / sizeof(layers[0]); i++) {
		if (whorl_enrich_layer(root, layers[i], "sha256:" ID, &li, &refused) && li.diff_id &&
		    (strlen(li.diff_id) != 71 || strncmp(li.diff_id, "sha256:", 7)))
			abort();
		whorl_layer_info_free(&li);
	}
	return 0;
}
