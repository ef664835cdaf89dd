// SPDX-License-Identifier: GPL-2.0
/*
 * enrich.c - container name and image, read locally from each runtime's own state files:
 *   Docker      /var/lib/docker/containers/<id>/config.v2.json           Name, Config.Image
 *   containerd  /run/containerd/io.containerd.runtime.v2.task/<ns>/<id>/config.json, the CRI
 *               annotations io.kubernetes.cri.{container-name,image-name,sandbox-name,
 *               sandbox-namespace}
 *   CRI-O       /var/lib/containers/storage/overlay-containers/<id>/userdata/config.json,
 *               annotations io.kubernetes.container.name, io.kubernetes.cri-o.ImageName,
 *               io.kubernetes.pod.name, io.kubernetes.pod.namespace
 *   Podman      /var/lib/containers/storage/overlay-containers/containers.json
 *               names[0], metadata's image-name
 * What a file does not say is left out, never guessed.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include <linux/whorl.h>

#include "enrich.h"
#include "utf8.h"

#define DOCKER_DIR "/var/lib/docker/containers"
#define CONTAINERD_DIR "/run/containerd/io.containerd.runtime.v2.task"
#define STORAGE_DIR "/var/lib/containers/storage/overlay-containers"

const char *whorl_state_root(void)
{
	const char *root = getenv("WHORL_STATE_ROOT");

	return root ? root : "";
}

/* Ids come from cgroup names; still, only a plain file name may reach a path. */
static int id_ok(const char *id)
{
	size_t i, n = strlen(id);

	if (!n || n > 127 || id[0] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

/*
 * A state file's JSON: a regular file of at most WHORL_STATE_FILE_MAX bytes, opened without
 * blocking (a FIFO put there would stall the relay) and read in full; NULL for anything else,
 * counted in @ci->refused when the file is there but refused.
 */
static json_object *read_json(struct whorl_container_info *ci, const char *root, const char *fmt,
			      const char *a, const char *b)
{
	json_object *o = NULL;
	char path[4096], *buf;
	struct stat st;
	size_t got = 0;
	ssize_t r;
	int n, fd;

	n = snprintf(path, sizeof(path), "%s", root);
	if (n < 0 || (size_t)n >= sizeof(path))
		return NULL;
	n = snprintf(path + n, sizeof(path) - n, fmt, a, b);
	if (n < 0 || (size_t)n >= sizeof(path) - strlen(root))
		return NULL;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > WHORL_STATE_FILE_MAX) {
		ci->refused++;
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return NULL;
	}
	/* (a file that grows meanwhile is read up to its size at open) */
	while (got < (size_t)st.st_size &&
	       ((r = read(fd, buf + got, (size_t)st.st_size - got)) > 0 || (r < 0 && errno == EINTR)))
		if (r > 0)
			got += (size_t)r;
	close(fd);
	buf[got] = '\0';
	if (got == (size_t)st.st_size) {
		json_tokener *tok = json_tokener_new();

		if (tok) {
			o = json_tokener_parse_ex(tok, buf, (int)got);
			/* a document followed by more text is as malformed as a truncated one */
			if (o && (json_tokener_get_error(tok) != json_tokener_success ||
				  (size_t)json_tokener_get_parse_end(tok) < got)) {
				json_object_put(o);
				o = NULL;
			}
			json_tokener_free(tok);
		}
	}
	free(buf);
	return o;
}

/*
 * A non-empty string member of @o, as a valid UTF-8 copy; NULL otherwise, and for a value
 * longer than WHORL_STATE_FIELD_MAX (counted in @ci->refused: never cut, to a name that
 * could then be another's).
 */
static char *str_at(struct whorl_container_info *ci, json_object *o, const char *key)
{
	json_object *v;
	const char *s;
	int len;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	s = json_object_get_string(v);
	len = json_object_get_string_len(v);
	if (!s || !*s || len <= 0)
		return NULL;
	if ((unsigned int)len > WHORL_STATE_FIELD_MAX) {
		ci->refused++;
		return NULL;
	}
	return whorl_utf8_dup(s, (size_t)len);
}

/* containers/storage's metadata: a JSON document in a string member, up to 64 KiB. */
static char *metadata_of(struct whorl_container_info *ci, json_object *c)
{
	json_object *v;
	int len;

	if (!c || !json_object_object_get_ex(c, "metadata", &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	len = json_object_get_string_len(v);
	if (len <= 0)
		return NULL;
	if (len > 65536) {
		ci->refused++;
		return NULL;
	}
	return strndup(json_object_get_string(v), (size_t)len);
}

static json_object *obj_at(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_object))
		return NULL;
	return v;
}

static int docker(const char *root, const char *id, struct whorl_container_info *ci)
{
	json_object *cfg = read_json(ci, root, DOCKER_DIR "/%s/config.v2.json%s", id, "");
	char *name;

	if (!cfg)
		return 0;
	name = str_at(ci, cfg, "Name");
	if (name && name[0] == '/')
		memmove(name, name + 1, strlen(name));
	if (name && !*name) {
		free(name);
		name = NULL;
	}
	ci->name = name;
	ci->image = str_at(ci, obj_at(cfg, "Config"), "Image");
	json_object_put(cfg);
	ci->source = "docker";
	return 1;
}

/* An OCI config.json's annotations. */
static int oci_annotations(json_object *cfg, const char *name_key, const char *alt_name_key,
			   const char *image_key, const char *pod_key, const char *ns_key,
			   struct whorl_container_info *ci)
{
	json_object *ann = obj_at(cfg, "annotations");

	if (!ann)
		return 0;
	ci->name = str_at(ci, ann, name_key);
	if (!ci->name && alt_name_key)
		ci->name = str_at(ci, ann, alt_name_key);
	ci->image = str_at(ci, ann, image_key);
	ci->pod_name = str_at(ci, ann, pod_key);
	ci->pod_namespace = str_at(ci, ann, ns_key);
	return ci->name || ci->image || ci->pod_name;
}

static int containerd(const char *root, const char *id, struct whorl_container_info *ci)
{
	char dir[4096];
	struct dirent *d;
	json_object *cfg;
	int found = 0;
	DIR *dp;

	if ((size_t)snprintf(dir, sizeof(dir), "%s" CONTAINERD_DIR, root) >= sizeof(dir))
		return 0;
	dp = opendir(dir);
	if (!dp)
		return 0;
	while (!found && (d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		cfg = read_json(ci, root, CONTAINERD_DIR "/%s/%s/config.json", d->d_name, id);
		if (!cfg)
			continue;
		/* The bundle exists for any containerd client; only the CRI annotates it. */
		found = oci_annotations(cfg, "io.kubernetes.cri.container-name", NULL,
					"io.kubernetes.cri.image-name",
					"io.kubernetes.cri.sandbox-name",
					"io.kubernetes.cri.sandbox-namespace", ci);
		json_object_put(cfg);
	}
	closedir(dp);
	if (found)
		ci->source = "containerd";
	return found;
}

static int crio(const char *root, const char *id, struct whorl_container_info *ci)
{
	json_object *cfg = read_json(ci, root, STORAGE_DIR "/%s/userdata/config.json%s", id, "");
	int found;

	if (!cfg)
		return 0;
	found = oci_annotations(cfg, "io.kubernetes.container.name",
				"io.kubernetes.cri-o.ContainerName", "io.kubernetes.cri-o.ImageName",
				"io.kubernetes.pod.name", "io.kubernetes.pod.namespace", ci);
	json_object_put(cfg);
	if (found)
		ci->source = "cri-o";
	return found;
}

static int podman(const char *root, const char *id, struct whorl_container_info *ci)
{
	json_object *all = read_json(ci, root, STORAGE_DIR "/containers.json%s%s", "", "");
	json_object *c, *names, *meta_obj;
	char *meta;
	size_t i, n;
	int found = 0;

	if (!all || !json_object_is_type(all, json_type_array))
		goto out;
	n = json_object_array_length(all);
	for (i = 0; i < n && !found; i++) {
		char *cid;

		c = json_object_array_get_idx(all, i);
		cid = str_at(ci, c, "id");
		found = cid && !strcmp(cid, id);
		free(cid);
	}
	if (!found)
		goto out;
	c = json_object_array_get_idx(all, i - 1);
	if (json_object_object_get_ex(c, "names", &names) &&
	    json_object_is_type(names, json_type_array) && json_object_array_length(names) > 0) {
		json_object *first = json_object_array_get_idx(names, 0);

		if (json_object_is_type(first, json_type_string) &&
		    json_object_get_string_len(first) > 0) {
			if ((unsigned int)json_object_get_string_len(first) > WHORL_STATE_FIELD_MAX)
				ci->refused++;
			else
				ci->name = whorl_utf8_dup(json_object_get_string(first),
							  json_object_get_string_len(first));
		}
	}
	/* containers/storage keeps the creator's metadata as a JSON document in a string. */
	meta = metadata_of(ci, c);
	if (meta) {
		meta_obj = json_tokener_parse(meta);
		ci->image = str_at(ci, meta_obj, "image-name");
		if (!ci->name)
			ci->name = str_at(ci, meta_obj, "name");
		json_object_put(meta_obj);
		free(meta);
	}
	ci->source = "podman";
out:
	json_object_put(all);
	return found;
}

int whorl_enrich(const char *root, unsigned int runtime, const char *id,
		 struct whorl_container_info *ci)
{
	static int (*const order[])(const char *, const char *, struct whorl_container_info *) = {
		docker, containerd, crio, podman,
	};
	unsigned int refused;
	int first, i;

	memset(ci, 0, sizeof(*ci));
	if (!id || !id_ok(id))
		return 0;
	switch (runtime) {
	case WHORL_RUNTIME_CONTAINERD: first = 1; break;
	case WHORL_RUNTIME_CRIO: first = 2; break;
	case WHORL_RUNTIME_PODMAN: first = 3; break;
	default: first = 0; break;
	}
	if (order[first](root, id, ci))
		return 1;
	for (i = 0; i < 4; i++) {
		refused = ci->refused;
		whorl_container_info_free(ci);
		ci->refused = refused;
		if (i != first && order[i](root, id, ci))
			return 1;
	}
	refused = ci->refused;
	whorl_container_info_free(ci);
	ci->refused = refused;
	return 0;
}

void whorl_container_info_free(struct whorl_container_info *ci)
{
	free(ci->name);
	free(ci->image);
	free(ci->pod_name);
	free(ci->pod_namespace);
	memset(ci, 0, sizeof(*ci));
}
