// SPDX-License-Identifier: GPL-2.0
/*
 * enrich.c - container identity, read locally from each runtime's own state files:
 *   Docker      /var/lib/docker/containers/<id>/config.v2.json           Name, Config.Image,
 *               Image (the image id), Created, Config.Labels
 *   containerd  /run/containerd/io.containerd.runtime.v2.task/<ns>/<id>/config.json, the CRI
 *               annotations io.kubernetes.cri.{container-name,image-name,sandbox-name,
 *               sandbox-namespace,sandbox-uid}
 *   CRI-O       /var/lib/containers/storage/overlay-containers/<id>/userdata/config.json,
 *               annotations io.kubernetes.container.name, io.kubernetes.cri-o.ImageName,
 *               io.kubernetes.pod.name, io.kubernetes.pod.namespace, io.kubernetes.pod.uid
 *   Podman      /var/lib/containers/storage/overlay-containers/containers.json
 *               names[0], image (the image id), metadata's image-name; the creation time
 *               from <id>/userdata/config.json's annotation io.kubernetes.cri-o.Created
 *               (else the entry's created)
 * What a file does not say is left out, never guessed; a value not of its field's form (an id
 * that is not a digest, a time that is not RFC 3339) is left out and counted as refused.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
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

/* A string member that is an image id: "sha256:<64 hex>", or the 64 hex digits alone. */
static char *image_id_at(struct whorl_container_info *ci, json_object *o, const char *key)
{
	char *v = str_at(ci, o, key), *out = NULL;
	const char *hex;
	size_t i;

	if (!v)
		return NULL;
	hex = strncmp(v, "sha256:", 7) ? v : v + 7;
	for (i = 0; hex[i] && ((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f'));
	     i++)
		;
	if (i == 64 && !hex[i] && asprintf(&out, "sha256:%s", hex) < 0)
		out = NULL;
	else if (i != 64 || hex[i])
		ci->refused++;
	free(v);
	return out;
}

static int digits(const char *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * RFC 3339 with a zone, as Go writes a time (2026-12-05T03:00:18.78864591Z, ...+01:00), into
 * @out as UTC with nine fractional digits, the form proto3's JSON gives a Timestamp.
 */
int whorl_rfc3339_utc(const char *s, char out[WHORL_TIME_LEN])
{
	struct tm tm = { 0 }, back;
	long nanos = 0, scale = 100000000;
	int off = 0;
	time_t t;
	size_t n;

	if (strlen(s) < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2) || s[10] != 'T' || !digits(s + 11, 2) || s[13] != ':' ||
	    !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
		return -1;
	tm.tm_year = atoi(s) - 1900;
	tm.tm_mon = atoi(s + 5) - 1;
	tm.tm_mday = atoi(s + 8);
	tm.tm_hour = atoi(s + 11);
	tm.tm_min = atoi(s + 14);
	tm.tm_sec = atoi(s + 17);
	s += 19;
	if (*s == '.') {
		for (n = 1; s[n] >= '0' && s[n] <= '9'; n++) {
			if (n > 9)
				return -1;
			nanos += (s[n] - '0') * scale;
			scale /= 10;
		}
		if (n < 2)
			return -1;
		s += n;
	}
	if ((s[0] == '+' || s[0] == '-') && digits(s + 1, 2) && s[3] == ':' && digits(s + 4, 2) &&
	    !s[6])
		off = (s[0] == '-' ? -1 : 1) * (atoi(s + 1) * 3600 + atoi(s + 4) * 60);
	else if (strcmp(s, "Z"))
		return -1;
	/* a field out of its range (timegm would carry it over) is not a time */
	back = tm;
	t = timegm(&tm);
	if (tm.tm_year < 1 - 1900 || tm.tm_year > 9999 - 1900 || tm.tm_mon != back.tm_mon ||
	    tm.tm_mday != back.tm_mday || tm.tm_hour != back.tm_hour || tm.tm_min != back.tm_min ||
	    tm.tm_sec != back.tm_sec)
		return -1;
	t -= off;
	if (!gmtime_r(&t, &tm) || tm.tm_year < 1 - 1900 || tm.tm_year > 9999 - 1900)
		return -1;
	/* (each field within its range, as checked: the bounds only tell the compiler) */
	snprintf(out, WHORL_TIME_LEN, "%04u-%02u-%02uT%02u:%02u:%02u.%09luZ",
		 (unsigned int)(tm.tm_year + 1900) % 10000, (unsigned int)(tm.tm_mon + 1) % 100,
		 (unsigned int)tm.tm_mday % 100, (unsigned int)tm.tm_hour % 100,
		 (unsigned int)tm.tm_min % 100, (unsigned int)tm.tm_sec % 100,
		 (unsigned long)nanos % 1000000000UL);
	return 0;
}

static char *time_at(struct whorl_container_info *ci, json_object *o, const char *key)
{
	char *v = str_at(ci, o, key), utc[WHORL_TIME_LEN];

	if (!v)
		return NULL;
	if (whorl_rfc3339_utc(v, utc)) {
		ci->refused++;
		free(v);
		return NULL;
	}
	free(v);
	return strdup(utc);
}

/* The string members of @o as labels, in its order; other members and those past the caps out. */
static void labels_of(struct whorl_container_info *ci, json_object *o)
{
	struct json_object_iterator it, end;
	size_t n;

	if (!o || !json_object_is_type(o, json_type_object))
		return;
	n = (size_t)json_object_object_length(o);
	if (!n)
		return;
	if (n > WHORL_STATE_LABELS_MAX) {
		ci->refused++;
		n = WHORL_STATE_LABELS_MAX;
	}
	ci->labels = calloc(n, sizeof(*ci->labels));
	if (!ci->labels)
		return;
	it = json_object_iter_begin(o);
	end = json_object_iter_end(o);
	for (; !json_object_iter_equal(&it, &end) && ci->nlabels < n; json_object_iter_next(&it)) {
		const char *key = json_object_iter_peek_name(&it);
		size_t klen = strlen(key);
		char *value;

		if (!klen || klen > WHORL_STATE_FIELD_MAX) {
			ci->refused++;
			continue;
		}
		value = str_at(ci, o, key);
		if (!value)
			continue;
		ci->labels[ci->nlabels].name = whorl_utf8_dup(key, klen);
		ci->labels[ci->nlabels].value = value;
		if (!ci->labels[ci->nlabels].name) {
			free(value);
			continue;
		}
		ci->nlabels++;
	}
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
	ci->image_id = image_id_at(ci, cfg, "Image");
	ci->created = time_at(ci, cfg, "Created");
	labels_of(ci, obj_at(obj_at(cfg, "Config"), "Labels"));
	json_object_put(cfg);
	ci->source = "docker";
	return 1;
}

/* An OCI config.json's annotations. */
static int oci_annotations(json_object *cfg, const char *name_key, const char *alt_name_key,
			   const char *image_key, const char *pod_key, const char *ns_key,
			   const char *uid_key, struct whorl_container_info *ci)
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
	ci->pod_uid = str_at(ci, ann, uid_key);
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
					"io.kubernetes.cri.sandbox-namespace",
					"io.kubernetes.cri.sandbox-uid", ci);
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
				"io.kubernetes.pod.name", "io.kubernetes.pod.namespace",
				"io.kubernetes.pod.uid", ci);
	json_object_put(cfg);
	if (found)
		ci->source = "cri-o";
	return found;
}

static int podman(const char *root, const char *id, struct whorl_container_info *ci)
{
	json_object *all = read_json(ci, root, STORAGE_DIR "/containers.json%s%s", "", "");
	json_object *c, *names, *meta_obj, *bundle;
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
	ci->image_id = image_id_at(ci, c, "image");
	/*
	 * Podman's own creation time (what `podman inspect` says) is in the bundle it writes;
	 * containers/storage's entry was made a moment later.
	 */
	bundle = read_json(ci, root, STORAGE_DIR "/%s/userdata/config.json%s", id, "");
	ci->created = time_at(ci, obj_at(bundle, "annotations"), "io.kubernetes.cri-o.Created");
	json_object_put(bundle);
	if (!ci->created)
		ci->created = time_at(ci, c, "created");
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
	unsigned int i;

	for (i = 0; i < ci->nlabels; i++) {
		free(ci->labels[i].name);
		free(ci->labels[i].value);
	}
	free(ci->labels);
	free(ci->name);
	free(ci->image);
	free(ci->image_id);
	free(ci->created);
	free(ci->pod_name);
	free(ci->pod_namespace);
	free(ci->pod_uid);
	memset(ci, 0, sizeof(*ci));
}
