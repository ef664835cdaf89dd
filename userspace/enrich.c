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

#include "bolt.h"
#include "enrich.h"
#include "readfull.h"
#include "utf8.h"

#define DOCKER_DIR "/var/lib/docker/containers"
#define CONTAINERD_DIR "/run/containerd/io.containerd.runtime.v2.task"
#define STORAGE_DIR "/var/lib/containers/storage/overlay-containers"
#define DOCKER_LAYERDB "/var/lib/docker/image/overlay2/layerdb/sha256"
#define DOCKER_IMAGEDB "/var/lib/docker/image/overlay2/imagedb/content/sha256"
#define STORAGE_LAYERS "/var/lib/containers/storage/overlay-layers/layers.json"
#define STORAGE_IMAGES "/var/lib/containers/storage/overlay-images/images.json"
#define CONTAINERD_META "/var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db"
#define CONTAINERD_SNAPSHOTS \
	"/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/metadata.db"
#define CONTAINERD_BLOBS "/var/lib/containerd/io.containerd.content.v1.content/blobs/sha256"
#define PODMAN_STATE "/var/lib/containers/storage/libpod/bolt_state.db"

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
	size_t got;
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
	got = whorl_read_full(fd, buf, (size_t)st.st_size);
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
	    !s[6] && atoi(s + 1) < 24 && atoi(s + 4) < 60)
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

/* "sha256:" and 64 lower-case hex digits */
static int digest_ok(const char *s)
{
	size_t i;

	if (!s || strncmp(s, "sha256:", 7))
		return 0;
	for (i = 7; (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'); i++)
		;
	return i == 71 && !s[i];
}

/*
 * A small state file (an id, a digest) into @buf, trailing white space cut: its length, or -1
 * when absent, not a regular file or not shorter than @cap (counted in @refused but absent).
 */
static int read_small(const char *path, char *buf, size_t cap, unsigned int *refused)
{
	struct stat st;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (uint64_t)st.st_size >= cap) {
		(*refused)++;
		close(fd);
		return -1;
	}
	do
		r = read(fd, buf, cap - 1);
	while (r < 0 && errno == EINTR);
	close(fd);
	if (r < 0)
		return -1;
	while (r > 0 && (buf[r - 1] == '\n' || buf[r - 1] == ' ' || buf[r - 1] == '\r'))
		r--;
	buf[r] = '\0';
	return (int)r;
}

/*
 * The id in a layer directory "<...>/<store>/<id>/<leaf>": copied into @id (a plain file name),
 * or 0 when @dir does not end so.
 */
static int layer_dir_id(const char *dir, const char *store, const char *leaf, char *id, size_t cap)
{
	size_t n = strlen(dir), ll = strlen(leaf), sl = strlen(store);
	const char *end, *start, *from;

	if (n < ll + 2 || strcmp(dir + n - ll, leaf) || dir[n - ll - 1] != '/')
		return 0;
	end = dir + n - ll - 1;
	for (start = end; start > dir && start[-1] != '/'; start--)
		;
	if (start == end || (size_t)(end - start) >= cap || (size_t)(start - dir) < sl + 1)
		return 0;
	/* the store's own name, a whole path component: "<...>/<store>/" */
	from = start - 1 - sl;
	if (strncmp(from, store, sl) || start[-1] != '/' || (from > dir && from[-1] != '/'))
		return 0;
	memcpy(id, start, (size_t)(end - start));
	id[end - start] = '\0';
	return id_ok(id);
}

/* An image config's rootfs.diff_ids: the count, and whether entry @index (1-based) is @diff_id. */
static unsigned int config_layers(json_object *cfg, unsigned int index, const char *diff_id,
				  int *agrees)
{
	json_object *ids, *v;
	unsigned int n;

	*agrees = 0;
	if (!json_object_object_get_ex(obj_at(cfg, "rootfs"), "diff_ids", &ids) ||
	    !json_object_is_type(ids, json_type_array))
		return 0;
	n = (unsigned int)json_object_array_length(ids);
	if (index >= 1 && index <= n && diff_id) {
		v = json_object_array_get_idx(ids, index - 1);
		*agrees = json_object_is_type(v, json_type_string) &&
			  !strcmp(json_object_get_string(v), diff_id);
	}
	return n;
}

/* The diff_id at @index (1-based) of an image config, validated; NULL when it has none. */
static char *config_diff_id(json_object *cfg, unsigned int index)
{
	json_object *ids, *v;
	const char *s;

	if (!json_object_object_get_ex(obj_at(cfg, "rootfs"), "diff_ids", &ids) ||
	    !json_object_is_type(ids, json_type_array) || !index ||
	    index > json_object_array_length(ids))
		return NULL;
	v = json_object_array_get_idx(ids, index - 1);
	s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	return digest_ok(s) ? strdup(s) : NULL;
}

/*
 * Docker: overlay2/<cache-id>/diff is the layer whose layerdb entry (named by its chain id)
 * holds that cache-id; its diff file is the diff_id, its parent file the layer below.
 */
static int docker_layer(const char *root, const char *cache_id, const char *image_id,
			struct whorl_layer_info *out, unsigned int *refused)
{
	struct whorl_container_info tmp = { 0 };
	char db[4096], p[4400], buf[160], chain[128] = "";
	unsigned int seen = 0, depth;
	json_object *cfg;
	struct dirent *d;
	int agrees;
	DIR *dp;

	if ((size_t)snprintf(db, sizeof(db), "%s" DOCKER_LAYERDB, root) >= sizeof(db))
		return 0;
	dp = opendir(db);
	if (!dp)
		return 0;
	while ((d = readdir(dp)) && !chain[0]) {
		if (d->d_name[0] == '.' || !id_ok(d->d_name) || strlen(d->d_name) >= sizeof(chain))
			continue;
		if (++seen > WHORL_LAYERS_MAX) {
			(*refused)++;
			break;
		}
		snprintf(p, sizeof(p), "%s/%s/cache-id", db, d->d_name);
		if (read_small(p, buf, sizeof(buf), refused) > 0 && !strcmp(buf, cache_id))
			strcpy(chain, d->d_name);
	}
	closedir(dp);
	if (!chain[0])
		return 0;
	snprintf(p, sizeof(p), "%s/%s/diff", db, chain);
	if (read_small(p, buf, sizeof(buf), refused) > 0 && digest_ok(buf))
		out->diff_id = strdup(buf);
	/* its position: the layers below it, through parent links (a loop ends at the cap) */
	for (depth = 1; depth <= WHORL_LAYER_DEPTH_MAX; depth++) {
		snprintf(p, sizeof(p), "%s/%s/parent", db, chain);
		if (read_small(p, buf, sizeof(buf), refused) < 0)
			break;
		if (!digest_ok(buf)) {
			depth = WHORL_LAYER_DEPTH_MAX + 1;
			break;
		}
		strcpy(chain, buf + 7);
	}
	if (depth > WHORL_LAYER_DEPTH_MAX)
		(*refused)++;
	else
		out->index = depth;
	if (out->index && image_id && digest_ok(image_id)) {
		cfg = read_json(&tmp, root, DOCKER_IMAGEDB "/%s%s", image_id + 7, "");
		out->count = config_layers(cfg, out->index, out->diff_id, &agrees);
		/* a count for another image's layers is no count */
		if (!agrees)
			out->count = 0;
		json_object_put(cfg);
		*refused += tmp.refused;
	}
	return 1;
}

/* containers/storage: the entry of layers.json with this id. */
static json_object *storage_entry(json_object *all, const char *key, const char *id)
{
	size_t i, n = json_object_array_length(all);
	json_object *e, *v;

	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(all, i);
		if (json_object_object_get_ex(e, key, &v) &&
		    json_object_is_type(v, json_type_string) && !strcmp(json_object_get_string(v), id))
			return e;
	}
	return NULL;
}

/* The layers from layer @id down to the bottom, through parent links; 0 if unknown or a loop. */
static unsigned int storage_depth(json_object *layers, const char *id)
{
	json_object *e = storage_entry(layers, "id", id), *v;
	unsigned int depth = 0;

	while (e && ++depth <= WHORL_LAYER_DEPTH_MAX) {
		if (!json_object_object_get_ex(e, "parent", &v) ||
		    !json_object_is_type(v, json_type_string) || !json_object_get_string_len(v))
			return depth;
		e = storage_entry(layers, "id", json_object_get_string(v));
	}
	return 0;
}

/* containers/storage (Podman, CRI-O): overlay/<layer id>/diff, recorded in layers.json. */
static int storage_layer(const char *root, const char *layer_id, const char *image_id,
			 struct whorl_layer_info *out, unsigned int *refused)
{
	struct whorl_container_info tmp = { 0 };
	json_object *layers, *images, *e, *v;
	int found = 0;

	layers = read_json(&tmp, root, STORAGE_LAYERS "%s%s", "", "");
	if (!layers || !json_object_is_type(layers, json_type_array))
		goto out;
	e = storage_entry(layers, "id", layer_id);
	if (!e)
		goto out;
	found = 1;
	if (json_object_object_get_ex(e, "diff-digest", &v) &&
	    json_object_is_type(v, json_type_string) && digest_ok(json_object_get_string(v)))
		out->diff_id = strdup(json_object_get_string(v));
	out->index = storage_depth(layers, layer_id);
	if (!out->index)
		tmp.refused++;
	if (!out->index || !image_id || !digest_ok(image_id))
		goto out;
	/* the image's top layer: as many layers below and at it as the image has */
	images = read_json(&tmp, root, STORAGE_IMAGES "%s%s", "", "");
	if (images && json_object_is_type(images, json_type_array)) {
		e = storage_entry(images, "id", image_id + 7);
		if (e && json_object_object_get_ex(e, "layer", &v) &&
		    json_object_is_type(v, json_type_string))
			out->count = storage_depth(layers, json_object_get_string(v));
		if (out->count < out->index)
			out->count = 0;
	}
	json_object_put(images);
out:
	json_object_put(layers);
	*refused += tmp.refused;
	return found;
}

/* Go's binary.Uvarint, at most 10 bytes; 0 if malformed. */
static int uvarint(const unsigned char *p, size_t n, uint64_t *v)
{
	unsigned int shift = 0;
	size_t i;

	*v = 0;
	for (i = 0; i < n && i < 10; i++) {
		*v |= (uint64_t)(p[i] & 0x7f) << shift;
		if (!(p[i] & 0x80))
			return 1;
		shift += 7;
	}
	return 0;
}

/* Keys of the nested buckets of a bolt bucket, collected (bounded) for lookups after the walk. */
struct bolt_keys {
	char **k;
	unsigned int n;
	int over;
};

static int collect_bucket(const void *k, size_t kl, const void *v, size_t vl, int is_bucket,
			  void *arg)
{
	struct bolt_keys *keys = arg;
	char **grown;

	(void)v;
	(void)vl;
	if (!is_bucket || !kl || kl > WHORL_STATE_FIELD_MAX)
		return 0;
	if (keys->n >= WHORL_LAYERS_MAX) {
		keys->over = 1;
		return 1;
	}
	if (!(keys->n & (keys->n - 1))) {
		grown = realloc(keys->k, (keys->n ? 2 * keys->n : 1) * sizeof(*keys->k));
		if (!grown)
			return -ENOMEM;
		keys->k = grown;
	}
	keys->k[keys->n] = strndup(k, kl);
	if (!keys->k[keys->n])
		return -ENOMEM;
	keys->n++;
	return 0;
}

static void bolt_keys_free(struct bolt_keys *keys)
{
	while (keys->n)
		free(keys->k[--keys->n]);
	free(keys->k);
}

/* The bucket at a path of names under the root; 0 or a negative errno. */
static int bolt_path(struct whorl_bolt *db, struct whorl_bolt_bucket *out, const char *const *names)
{
	struct whorl_bolt_bucket cur, next;
	int err = 0;

	whorl_bolt_root(db, &cur);
	for (; *names; names++) {
		err = whorl_bolt_bucket(db, &cur, *names, strlen(*names), &next);
		whorl_bolt_bucket_free(&cur);
		if (err)
			return err;
		cur = next;
	}
	*out = cur;
	return 0;
}

/* A content blob of containerd's store, as JSON. */
static json_object *containerd_blob(struct whorl_container_info *ci, const char *root,
				    const char *digest)
{
	if (!digest_ok(digest))
		return NULL;
	return read_json(ci, root, CONTAINERD_BLOBS "/%s%s", digest + 7, "");
}

/* Go's GOARCH for this machine, as an image index names platforms. */
static const char *go_arch(void)
{
#if defined(__x86_64__)
	return "amd64";
#elif defined(__aarch64__)
	return "arm64";
#elif defined(__i386__)
	return "386";
#else
	return "";
#endif
}

/*
 * The image id (its config's digest) of a manifest or an index in containerd's content store:
 * an index names one manifest per platform; this machine's is the one a container here runs.
 */
static char *containerd_config(struct whorl_container_info *ci, const char *root,
			       const char *digest)
{
	json_object *doc = containerd_blob(ci, root, digest), *ms, *m, *plat, *v;
	char *id = NULL, *sub = NULL;
	size_t i, n;

	if (!doc)
		return NULL;
	if (json_object_object_get_ex(doc, "manifests", &ms) &&
	    json_object_is_type(ms, json_type_array)) {
		n = json_object_array_length(ms);
		for (i = 0; i < n && !sub; i++) {
			m = json_object_array_get_idx(ms, i);
			plat = obj_at(m, "platform");
			if (json_object_object_get_ex(plat, "os", &v) &&
			    !strcmp(json_object_get_string(v), "linux") &&
			    json_object_object_get_ex(plat, "architecture", &v) &&
			    !strcmp(json_object_get_string(v), go_arch()))
				sub = str_at(ci, m, "digest");
		}
		json_object_put(doc);
		/* (one level: an index of indexes is not what a runtime unpacks) */
		doc = sub ? containerd_blob(ci, root, sub) : NULL;
		free(sub);
	}
	id = str_at(ci, obj_at(doc, "config"), "digest");
	if (id && !digest_ok(id)) {
		ci->refused++;
		free(id);
		id = NULL;
	}
	json_object_put(doc);
	return id;
}

/* containerd: snapshots/<n>/fs is the snapshot whose id is n in the snapshotter's metadata.db. */
static int containerd_layer(const char *root, const char *num, const char *image_id,
			    struct whorl_layer_info *out, unsigned int *refused)
{
	static const char *const path[] = { "v1", "snapshots", NULL };
	struct whorl_container_info tmp = { 0 };
	struct whorl_bolt_bucket snaps, b;
	struct bolt_keys keys = { 0 };
	struct whorl_bolt *db = NULL;
	char file[4096], *val, *key = NULL, *slash;
	uint64_t want, id;
	unsigned int i, depth = 0;
	json_object *cfg;
	size_t vl;
	int found = 0, err;

	want = strtoull(num, &slash, 10);
	if (*slash || !*num)
		return 0;
	if ((size_t)snprintf(file, sizeof(file), "%s" CONTAINERD_SNAPSHOTS, root) >= sizeof(file) ||
	    whorl_bolt_open(file, &db))
		return 0;
	if (bolt_path(db, &snaps, path))
		goto out;
	err = whorl_bolt_walk(db, &snaps, collect_bucket, &keys);
	if (err < 0 || keys.over)
		tmp.refused++;
	for (i = 0; i < keys.n && !key; i++) {
		if (whorl_bolt_bucket(db, &snaps, keys.k[i], strlen(keys.k[i]), &b))
			continue;
		if (!whorl_bolt_get(db, &b, "id", 2, 16, &val, &vl)) {
			if (uvarint((unsigned char *)val, vl, &id) && id == want)
				key = strdup(keys.k[i]);
			free(val);
		}
		whorl_bolt_bucket_free(&b);
	}
	/* its position: the snapshots below it, through parent keys (a loop ends at the cap) */
	while (key && ++depth <= WHORL_LAYER_DEPTH_MAX) {
		found = 1;
		if (whorl_bolt_bucket(db, &snaps, key, strlen(key), &b)) {
			depth = WHORL_LAYER_DEPTH_MAX + 1;
			break;
		}
		err = whorl_bolt_get(db, &b, "parent", 6, WHORL_STATE_FIELD_MAX, &val, &vl);
		whorl_bolt_bucket_free(&b);
		if (err == -ENOENT)
			break;
		if (err) {
			depth = WHORL_LAYER_DEPTH_MAX + 1;
			break;
		}
		free(key);
		key = val;
	}
	if (found && depth <= WHORL_LAYER_DEPTH_MAX)
		out->index = depth;
	else if (found)
		tmp.refused++;
	/* the diff_id: the image config's, at that position (containerd unpacks them in order) */
	if (out->index && image_id) {
		cfg = containerd_blob(&tmp, root, image_id);
		out->diff_id = config_diff_id(cfg, out->index);
		out->count = out->diff_id ? config_layers(cfg, 0, NULL, &err) : 0;
		json_object_put(cfg);
	}
	whorl_bolt_bucket_free(&snaps);
out:
	free(key);
	bolt_keys_free(&keys);
	whorl_bolt_close(db);
	*refused += tmp.refused;
	return found;
}

int whorl_enrich_layer(const char *root, const char *layer_dir, const char *image_id,
		       struct whorl_layer_info *out, unsigned int *refused)
{
	char id[128];

	memset(out, 0, sizeof(*out));
	if (!layer_dir)
		return 0;
	if (layer_dir_id(layer_dir, "overlay2", "diff", id, sizeof(id)))
		return docker_layer(root, id, image_id, out, refused);
	if (layer_dir_id(layer_dir, "overlay", "diff", id, sizeof(id)))
		return storage_layer(root, id, image_id, out, refused);
	if (layer_dir_id(layer_dir, "snapshots", "fs", id, sizeof(id)))
		return containerd_layer(root, id, image_id, out, refused);
	return 0;
}

void whorl_layer_info_free(struct whorl_layer_info *l)
{
	free(l->diff_id);
	memset(l, 0, sizeof(*l));
}

/*
 * Go's time.MarshalBinary (versions 1 and 2), the form containerd keeps createdat in: version,
 * seconds since year 1 (big-endian), nanoseconds, zone offset. As RFC 3339 in UTC; NULL if not.
 */
static char *go_time(const unsigned char *p, size_t n)
{
	char out[WHORL_TIME_LEN];
	uint64_t usec = 0;
	uint32_t nsec = 0;
	struct tm tm;
	time_t t;
	size_t i;

	if (n != (p[0] == 2 ? 16U : 15U) || (p[0] != 1 && p[0] != 2))
		return NULL;
	for (i = 1; i <= 8; i++)
		usec = usec << 8 | p[i];
	for (i = 9; i <= 12; i++)
		nsec = nsec << 8 | p[i];
	/* year 1 to 9999, whatever the bytes say (62135596800: year 1 to 1970) */
	if (nsec >= 1000000000U || usec > 315537897599ULL)
		return NULL;
	t = (time_t)((int64_t)usec - 62135596800LL);
	if (!gmtime_r(&t, &tm))
		return NULL;
	snprintf(out, sizeof(out), "%04u-%02u-%02uT%02u:%02u:%02u.%09uZ",
		 (unsigned int)(tm.tm_year + 1900) % 10000, (unsigned int)(tm.tm_mon + 1) % 100,
		 (unsigned int)tm.tm_mday % 100, (unsigned int)tm.tm_hour % 100,
		 (unsigned int)tm.tm_min % 100, (unsigned int)tm.tm_sec % 100, nsec);
	return strdup(out);
}

/* A bolt value as a field: valid UTF-8, NULL when empty or past WHORL_STATE_FIELD_MAX. */
static char *bolt_str(struct whorl_container_info *ci, struct whorl_bolt *db,
		      const struct whorl_bolt_bucket *b, const char *key)
{
	char *val, *out = NULL;
	size_t vl;
	int err = whorl_bolt_get(db, b, key, strlen(key), WHORL_STATE_FIELD_MAX, &val, &vl);

	if (err == -E2BIG)
		ci->refused++;
	if (err)
		return NULL;
	if (vl)
		out = whorl_utf8_dup(val, vl);
	free(val);
	return out;
}

/* Each key of a labels bucket: a label, within the caps. */
static int bolt_label(const void *k, size_t kl, const void *v, size_t vl, int is_bucket, void *arg)
{
	struct whorl_container_info *ci = arg;
	struct whorl_label *l;

	if (is_bucket)
		return 0;
	if (!kl || kl > WHORL_STATE_FIELD_MAX || vl > WHORL_STATE_FIELD_MAX) {
		ci->refused++;
		return 0;
	}
	if (ci->nlabels >= WHORL_STATE_LABELS_MAX) {
		ci->refused++;
		return 1;
	}
	if (!ci->labels) {
		ci->labels = calloc(WHORL_STATE_LABELS_MAX, sizeof(*ci->labels));
		if (!ci->labels)
			return -ENOMEM;
	}
	l = &ci->labels[ci->nlabels];
	l->name = whorl_utf8_dup(k, kl);
	l->value = whorl_utf8_dup(v, vl);
	if (!l->name || !l->value) {
		free(l->name);
		free(l->value);
		l->name = l->value = NULL;
		return -ENOMEM;
	}
	ci->nlabels++;
	return 0;
}

/*
 * containerd's own record of a container, in its metadata database (any client's: ctr, the
 * CRI, BuildKit): the image it was made from, its labels, when it was made, and through the
 * image's record and the content store, the image's id. Return: 1 if the record exists.
 */
static int containerd_meta(const char *root, const char *ns, const char *id,
			   struct whorl_container_info *ci)
{
	const char *cpath[] = { "v1", ns, "containers", id, NULL };
	struct whorl_bolt_bucket ctr, b, img, target;
	struct whorl_bolt *db;
	char file[4096], *val, *image, *digest;
	size_t vl;
	int err;

	if ((size_t)snprintf(file, sizeof(file), "%s" CONTAINERD_META, root) >= sizeof(file))
		return 0;
	err = whorl_bolt_open(file, &db);
	if (err) {
		if (err != -ENOENT)
			ci->refused++;
		return 0;
	}
	if (bolt_path(db, &ctr, cpath)) {
		whorl_bolt_close(db);
		return 0;
	}
	image = bolt_str(ci, db, &ctr, "image");
	if (!whorl_bolt_get(db, &ctr, "createdat", 9, 32, &val, &vl)) {
		if (!ci->created && !(ci->created = go_time((unsigned char *)val, vl)))
			ci->refused++;
		free(val);
	}
	if (!ci->nlabels && !whorl_bolt_bucket(db, &ctr, "labels", 6, &b)) {
		if (whorl_bolt_walk(db, &b, bolt_label, ci) < 0)
			ci->refused++;
		whorl_bolt_bucket_free(&b);
	}
	/* the image's record: its target (a manifest or an index), whose config is the image id */
	if (image) {
		const char *ipath[] = { "v1", ns, "images", image, NULL };

		if (!bolt_path(db, &img, ipath)) {
			if (!whorl_bolt_bucket(db, &img, "target", 6, &target)) {
				digest = bolt_str(ci, db, &target, "digest");
				if (digest && !ci->image_id)
					ci->image_id = containerd_config(ci, root, digest);
				free(digest);
				whorl_bolt_bucket_free(&target);
			}
			whorl_bolt_bucket_free(&img);
		}
		if (!ci->image)
			ci->image = image;
		else
			free(image);
	}
	whorl_bolt_bucket_free(&ctr);
	whorl_bolt_close(db);
	return 1;
}

/*
 * Podman's own record of a container (its bolt state database; Podman 5's default SQLite one is
 * not read): the labels it was given and its image's, as `podman inspect` shows them.
 */
static void podman_state(const char *root, const char *id, struct whorl_container_info *ci)
{
	const char *cpath[] = { "ctr", id, NULL };
	struct whorl_bolt_bucket ctr;
	struct whorl_bolt *db;
	char file[4096], *val;
	json_object *cfg;
	size_t vl;
	int err;

	if ((size_t)snprintf(file, sizeof(file), "%s" PODMAN_STATE, root) >= sizeof(file) ||
	    whorl_bolt_open(file, &db))
		return;
	if (!bolt_path(db, &ctr, cpath)) {
		err = whorl_bolt_get(db, &ctr, "config", 6, WHORL_STATE_FILE_MAX, &val, &vl);
		if (!err) {
			cfg = json_tokener_parse(val);
			labels_of(ci, obj_at(cfg, "labels"));
			json_object_put(cfg);
			free(val);
		} else if (err == -E2BIG) {
			ci->refused++;
		}
		whorl_bolt_bucket_free(&ctr);
	}
	whorl_bolt_close(db);
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
		/* containerd's own record, for any client; the CRI's annotations first */
		if (containerd_meta(root, d->d_name, id, ci))
			found = 1;
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
	podman_state(root, id, ci);
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
