// SPDX-License-Identifier: GPL-2.0
/* json.c - render a finding with SCC's lowerCamelCase field names, through json-c. */

#include <stdio.h>
#include <time.h>

#include "json.h"
#include "kinds.h"

#define VT_PREFIX "https://www.virustotal.com/gui/file/"

void whorl_rfc3339(uint64_t time_ns, char out[40])
{
	time_t sec = (time_t)(time_ns / 1000000000u);
	struct tm tm;
	size_t n;

	if (!gmtime_r(&sec, &tm)) {
		snprintf(out, 40, "1970-01-01T00:00:00.000000000Z");
		return;
	}
	n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 40 - n, ".%09uZ", (unsigned int)(time_ns % 1000000000u));
}

static void add(json_object *o, const char *key, json_object *v)
{
	if (v)
		json_object_object_add(o, key, v);
}

static json_object *str(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *hex(const uint8_t sha256[WHORL_SHA256_LEN])
{
	char h[2 * WHORL_SHA256_LEN + 1];

	whorl_hex(sha256, h);
	return json_object_new_string(h);
}

static json_object *str_array(const char *const *v)
{
	json_object *a = json_object_new_array();

	while (a && *v)
		json_object_array_add(a, json_object_new_string(*v++));
	return a;
}

static json_object *file_json(const struct whorl_file *fl)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	add(o, "path", str(fl->path));
	add(o, "diskPath", str(fl->disk_path));
	if (fl->has_sha256) {
		add(o, "sha256", hex(fl->sha256));
		add(o, "partiallyHashed", json_object_new_boolean(fl->partial));
	}
	if (fl->has_size)
		add(o, "size", json_object_new_uint64(fl->size));
	if (fl->has_hashed_size)
		add(o, "hashedSize", json_object_new_uint64(fl->hashed_size));
	if (fl->has_layer && whorl_layer_name(fl->layer))
		add(o, "layer", str(whorl_layer_name(fl->layer)));
	if (fl->has_lower_sha256)
		add(o, "imageSha256", hex(fl->lower_sha256));
	return o;
}

static json_object *process_json(const struct whorl_finding *f)
{
	json_object *p = json_object_new_object(), *a;
	size_t i;

	if (!p)
		return NULL;
	/* SCC's pid is the process: the thread group. */
	if (f->has_tgid)
		add(p, "pid", json_object_new_uint64(f->tgid));
	else if (f->has_pid)
		add(p, "pid", json_object_new_uint64(f->pid));
	if (f->has_pid && f->has_tgid && f->pid != f->tgid)
		add(p, "threadId", json_object_new_uint64(f->pid));
	if (f->has_ppid)
		add(p, "parentPid", json_object_new_uint64(f->ppid));
	add(p, "name", str(f->comm));
	if (f->has_uid)
		add(p, "uid", json_object_new_uint64(f->uid));
	if (f->has_euid)
		add(p, "euid", json_object_new_uint64(f->euid));
	if (f->binary.present)
		add(p, "binary", file_json(&f->binary));
	if (f->library.present) {
		a = json_object_new_array();
		if (a)
			json_object_array_add(a, file_json(&f->library));
		add(p, "libraries", a);
	}
	a = json_object_new_array();
	for (i = 0; a && i < f->nargs; i++)
		json_object_array_add(a, json_object_new_string(f->args[i]));
	add(p, "args", a);
	add(p, "argumentsTruncated", json_object_new_boolean(f->args_truncated));
	return p;
}

static json_object *container_json(const struct whorl_finding *f,
				   const struct whorl_container_info *ci)
{
	json_object *c, *a;

	if (!f->container_id && (!f->has_runtime || f->runtime == WHORL_RUNTIME_NONE))
		return NULL;
	c = json_object_new_object();
	if (!c)
		return NULL;
	add(c, "id", str(f->container_id));
	if (ci) {
		add(c, "name", str(ci->name));
		add(c, "uri", str(ci->image));
	}
	if (f->has_runtime && whorl_runtime_name(f->runtime))
		add(c, "runtime", str(whorl_runtime_name(f->runtime)));
	a = json_object_new_array();
	if (a)
		json_object_array_add(a, c);
	else
		json_object_put(c);
	return a;
}

static json_object *kubernetes_json(const struct whorl_container_info *ci)
{
	json_object *k, *pods, *pod;

	if (!ci || !ci->pod_name)
		return NULL;
	k = json_object_new_object();
	pods = json_object_new_array();
	pod = json_object_new_object();
	if (!k || !pods || !pod) {
		json_object_put(k);
		json_object_put(pods);
		json_object_put(pod);
		return NULL;
	}
	add(pod, "ns", str(ci->pod_namespace));
	add(pod, "name", str(ci->pod_name));
	json_object_array_add(pods, pod);
	add(k, "pods", pods);
	return k;
}

json_object *whorl_finding_json(const struct whorl_finding *f,
				const struct whorl_container_info *ci, const char *host)
{
	const struct whorl_kind_info *k = f->has_kind ? whorl_kind(f->kind) : NULL;
	const struct whorl_file *subject = whorl_finding_subject(f);
	json_object *o, *r, *m;
	char buf[2 * WHORL_SHA256_LEN + sizeof(VT_PREFIX) + 40];

	if (!k)
		return NULL;
	o = json_object_new_object();
	if (!o)
		return NULL;
	add(o, "category", str(k->category));
	add(o, "severity", str(k->severity));
	if (f->has_time) {
		whorl_rfc3339(f->time_ns, buf);
		add(o, "eventTime", str(buf));
	}
	if (f->has_event && whorl_event_name(f->event))
		add(o, "eventType", str(whorl_event_name(f->event)));
	if (f->has_action && whorl_action_name(f->action))
		add(o, "action", str(whorl_action_name(f->action)));

	m = json_object_new_array();
	if (m)
		json_object_array_add(m, process_json(f));
	add(o, "processes", m);
	add(o, "containers", container_json(f, ci));
	add(o, "kubernetes", kubernetes_json(ci));

	r = json_object_new_object();
	if (r) {
		add(r, "host", str(host));
		add(r, "cgroup", str(f->cgroup));
		if (f->has_cgroup_id)
			add(r, "cgroupId", json_object_new_uint64(f->cgroup_id));
	}
	add(o, "resource", r);

	if (subject->present && subject->has_sha256) {
		char h[2 * WHORL_SHA256_LEN + 1];
		const char *uris[] = { buf, NULL };

		whorl_hex(subject->sha256, h);
		snprintf(buf, sizeof(buf), VT_PREFIX "%s", h);
		r = json_object_new_object();
		if (r)
			add(r, "uris", str_array(uris));
		add(o, "indicator", r);
	}

	m = json_object_new_object();
	if (m) {
		add(m, "primaryTactic", str(k->tactic));
		add(m, "primaryTechniques", str_array(k->techniques));
		add(m, "techniqueIds", str_array(k->technique_ids));
	}
	add(o, "mitreAttack", m);

	if (subject->present && subject->has_layer && whorl_layer_name(subject->layer)) {
		add(o, "layer", str(whorl_layer_name(subject->layer)));
		if (subject->layer == WHORL_LAYER_MODIFIED && subject->has_content &&
		    subject->content != WHORL_CONTENT_UNKNOWN)
			add(o, "contentChanged",
			    json_object_new_boolean(subject->content == WHORL_CONTENT_CHANGED));
	}
	if (f->has_intel_category && whorl_intel_category_name(f->intel_category)) {
		r = json_object_new_object();
		if (r) {
			add(r, "category", str(whorl_intel_category_name(f->intel_category)));
			add(r, "label", str(f->intel_label));
		}
		add(o, "intel", r);
	}
	if (f->has_seq)
		add(o, "sequence", json_object_new_uint64(f->seq));
	if (f->has_id)
		add(o, "findingId", json_object_new_uint64(f->id));
	if (f->has_suppressed)
		add(o, "suppressed", json_object_new_uint64(f->suppressed));
	if (f->has_hash_error) {
		json_object *e = json_object_new_object();

		add(e, "errno", json_object_new_uint64(f->hash_error));
		add(e, "reason", json_object_new_string(whorl_hash_error_reason(f->hash_error)));
		add(o, "fingerprintError", e);
	}
	return o;
}

const char *whorl_json_line(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						  JSON_C_TO_STRING_NOSLASHESCAPE);
}
