// SPDX-License-Identifier: GPL-2.0
/* json.c - render a finding with SCC's lowerCamelCase field names, through json-c. */

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "attack.h"
#include "json.h"
#include "kinds.h"
#include "scc.h"

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

void whorl_json_add(json_object *o, const char *key, json_object *v)
{
	if (v)
		json_object_object_add(o, key, v);
}

json_object *whorl_json_str(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

json_object *whorl_json_sha256(const uint8_t sha256[WHORL_SHA256_LEN])
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

json_object *whorl_json_image_layer(const struct whorl_file *fl)
{
	json_object *o;

	if (!fl->layer_dir)
		return NULL;
	o = json_object_new_object();
	if (!o)
		return NULL;
	whorl_json_add(o, "directory", whorl_json_str(fl->layer_dir));
	whorl_json_add(o, "diffId", whorl_json_str(fl->layer_diff_id));
	if (fl->layer_index)
		whorl_json_add(o, "index", json_object_new_uint64(fl->layer_index));
	if (fl->layer_count)
		whorl_json_add(o, "count", json_object_new_uint64(fl->layer_count));
	return o;
}

static json_object *file_json(const struct whorl_file *fl)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	whorl_json_add(o, "path", whorl_json_str(fl->path));
	whorl_json_add(o, "diskPath", whorl_json_str(fl->disk_path));
	if (fl->has_sha256) {
		whorl_json_add(o, "sha256", whorl_json_sha256(fl->sha256));
		whorl_json_add(o, "partiallyHashed", json_object_new_boolean(fl->partial));
	}
	if (fl->has_size)
		whorl_json_add(o, "size", json_object_new_uint64(fl->size));
	if (fl->has_hashed_size)
		whorl_json_add(o, "hashedSize", json_object_new_uint64(fl->hashed_size));
	if (fl->has_layer && whorl_layer_name(fl->layer))
		whorl_json_add(o, "layer", whorl_json_str(whorl_layer_name(fl->layer)));
	if (fl->has_layer_reason && whorl_layer_reason_name(fl->layer_reason))
		whorl_json_add(o, "layerReason",
			       whorl_json_str(whorl_layer_reason_name(fl->layer_reason)));
	if (fl->has_lower_sha256)
		whorl_json_add(o, "imageSha256", whorl_json_sha256(fl->lower_sha256));
	whorl_json_add(o, "imageLayer", whorl_json_image_layer(fl));
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
		whorl_json_add(p, "pid", json_object_new_uint64(f->tgid));
	else if (f->has_pid)
		whorl_json_add(p, "pid", json_object_new_uint64(f->pid));
	if (f->has_pid && f->has_tgid && f->pid != f->tgid)
		whorl_json_add(p, "threadId", json_object_new_uint64(f->pid));
	if (f->has_ppid)
		whorl_json_add(p, "parentPid", json_object_new_uint64(f->ppid));
	whorl_json_add(p, "name", whorl_json_str(f->comm));
	if (f->has_uid)
		whorl_json_add(p, "uid", json_object_new_uint64(f->uid));
	if (f->has_euid)
		whorl_json_add(p, "euid", json_object_new_uint64(f->euid));
	if (f->binary.present)
		whorl_json_add(p, "binary", file_json(&f->binary));
	if (f->library.present) {
		a = json_object_new_array();
		if (a)
			json_object_array_add(a, file_json(&f->library));
		whorl_json_add(p, "libraries", a);
	}
	a = json_object_new_array();
	for (i = 0; a && i < f->nargs; i++)
		json_object_array_add(a, json_object_new_string(f->args[i]));
	whorl_json_add(p, "args", a);
	whorl_json_add(p, "argumentsTruncated", json_object_new_boolean(f->args_truncated));
	if (f->script.present)
		whorl_json_add(p, "script", file_json(&f->script));
	return p;
}

static json_object *ancestor_json(const struct whorl_proc *anc)
{
	json_object *p = json_object_new_object(), *b, *a;
	const char *s, *end;

	if (!p)
		return NULL;
	whorl_json_add(p, "pid", json_object_new_uint64(anc->tgid));
	whorl_json_add(p, "parentPid", json_object_new_uint64(anc->ppid));
	if (anc->comm[0])
		whorl_json_add(p, "name", whorl_json_str(anc->comm));
	if (anc->has_uid)
		whorl_json_add(p, "uid", json_object_new_uint64(anc->uid));
	if (anc->image) {
		b = json_object_new_object();
		if (b)
			whorl_json_add(b, "path", whorl_json_str(anc->image));
		whorl_json_add(p, "binary", b);
	}
	a = json_object_new_array();
	end = anc->args + anc->args_len;
	for (s = anc->args; a && s && s < end; s += strlen(s) + 1)
		json_object_array_add(a, json_object_new_string(s));
	whorl_json_add(p, "args", a);
	whorl_json_add(p, "argumentsTruncated", json_object_new_boolean(anc->args_truncated));
	return p;
}

json_object *whorl_json_labels(const struct whorl_container_info *ci)
{
	json_object *a, *l;
	unsigned int i;

	if (!ci || !ci->nlabels)
		return NULL;
	a = json_object_new_array();
	for (i = 0; a && i < ci->nlabels; i++) {
		l = json_object_new_object();
		if (!l)
			break;
		whorl_json_add(l, "name", whorl_json_str(ci->labels[i].name));
		whorl_json_add(l, "value", whorl_json_str(ci->labels[i].value));
		json_object_array_add(a, l);
	}
	return a;
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
	whorl_json_add(c, "id", whorl_json_str(f->container_id));
	if (ci) {
		whorl_json_add(c, "name", whorl_json_str(ci->name));
		whorl_json_add(c, "uri", whorl_json_str(ci->image));
		whorl_json_add(c, "imageId", whorl_json_str(ci->image_id));
		whorl_json_add(c, "createTime", whorl_json_str(ci->created));
		whorl_json_add(c, "labels", whorl_json_labels(ci));
	}
	if (f->has_runtime && whorl_runtime_name(f->runtime))
		whorl_json_add(c, "runtime", whorl_json_str(whorl_runtime_name(f->runtime)));
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
	whorl_json_add(pod, "ns", whorl_json_str(ci->pod_namespace));
	whorl_json_add(pod, "name", whorl_json_str(ci->pod_name));
	whorl_json_add(pod, "uid", whorl_json_str(ci->pod_uid));
	json_object_array_add(pods, pod);
	whorl_json_add(k, "pods", pods);
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
	whorl_json_add(o, "category", whorl_json_str(k->category));
	whorl_json_add(o, "severity", whorl_json_str(k->severity));
	if (f->has_time) {
		whorl_rfc3339(f->time_ns, buf);
		whorl_json_add(o, "eventTime", whorl_json_str(buf));
	}
	if (f->has_event && whorl_event_name(f->event))
		whorl_json_add(o, "eventType", whorl_json_str(whorl_event_name(f->event)));
	if (f->has_action && whorl_action_name(f->action))
		whorl_json_add(o, "action", whorl_json_str(whorl_action_name(f->action)));

	m = json_object_new_array();
	if (m)
		json_object_array_add(m, process_json(f));
	whorl_json_add(o, "processes", m);
	whorl_json_add(o, "containers", container_json(f, ci));
	whorl_json_add(o, "kubernetes", kubernetes_json(ci));

	r = json_object_new_object();
	if (r) {
		whorl_json_add(r, "host", whorl_json_str(host));
		whorl_json_add(r, "cgroup", whorl_json_str(f->cgroup));
		if (f->has_cgroup_id)
			whorl_json_add(r, "cgroupId", json_object_new_uint64(f->cgroup_id));
	}
	whorl_json_add(o, "resource", r);

	if (subject->present && subject->has_sha256) {
		char h[2 * WHORL_SHA256_LEN + 1];
		const char *uris[] = { buf, NULL };

		whorl_hex(subject->sha256, h);
		snprintf(buf, sizeof(buf), VT_PREFIX "%s", h);
		r = json_object_new_object();
		if (r)
			whorl_json_add(r, "uris", str_array(uris));
		whorl_json_add(o, "indicator", r);
	}

	m = json_object_new_object();
	if (m) {
		whorl_json_add(m, "primaryTactic", whorl_json_str(k->tactic));
		whorl_json_add(m, "primaryTechniques", str_array(k->techniques));
		whorl_json_add(m, "techniqueIds", str_array(k->technique_ids));
	}
	whorl_json_add(o, "mitreAttack", m);

	if (subject->present && subject->has_layer && whorl_layer_name(subject->layer)) {
		whorl_json_add(o, "layer", whorl_json_str(whorl_layer_name(subject->layer)));
		if (subject->layer == WHORL_LAYER_MODIFIED && subject->has_content &&
		    subject->content != WHORL_CONTENT_UNKNOWN)
			whorl_json_add(o, "contentChanged",
			    json_object_new_boolean(subject->content == WHORL_CONTENT_CHANGED));
	}
	if (f->has_intel_category && whorl_intel_category_name(f->intel_category)) {
		r = json_object_new_object();
		if (r) {
			whorl_json_add(r, "category", whorl_json_str(whorl_intel_category_name(f->intel_category)));
			whorl_json_add(r, "label", whorl_json_str(f->intel_label));
		}
		whorl_json_add(o, "intel", r);
	}
	if (f->has_seq)
		whorl_json_add(o, "sequence", json_object_new_uint64(f->seq));
	if (f->has_id)
		whorl_json_add(o, "findingId", json_object_new_uint64(f->id));
	if (f->has_suppressed)
		whorl_json_add(o, "suppressed", json_object_new_uint64(f->suppressed));
	if (f->escaped)
		whorl_json_add(o, "escapedToHost", json_object_new_boolean(1));
	if (f->has_hash_error) {
		json_object *e = json_object_new_object();

		whorl_json_add(e, "errno", json_object_new_uint64(f->hash_error));
		whorl_json_add(e, "reason", json_object_new_string(whorl_hash_error_reason(f->hash_error)));
		whorl_json_add(o, "fingerprintError", e);
	}
	return o;
}

static json_object *strs(const char *const *v, size_t n)
{
	json_object *a;
	size_t i;

	if (!n)
		return NULL;
	a = json_object_new_array();
	for (i = 0; a && i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

json_object *whorl_rule_finding_json(const struct whorl_sigma_meta *m,
				     const struct whorl_finding *f,
				     const struct whorl_exec_result *r, const char *host)
{
	struct whorl_attack_lists l;
	json_object *o, *v, *procs;
	char buf[2 * WHORL_SHA256_LEN + sizeof(VT_PREFIX) + 40];
	size_t i;

	o = json_object_new_object();
	if (!o)
		return NULL;
	whorl_json_add(o, "category", whorl_json_str(m->category));
	whorl_json_add(o, "severity", whorl_json_str(whorl_sigma_severity_name(m->severity)));
	if (f->has_time) {
		whorl_rfc3339(f->time_ns, buf);
		whorl_json_add(o, "eventTime", whorl_json_str(buf));
	}
	whorl_json_add(o, "eventType", whorl_json_str("exec"));
	procs = json_object_new_array();
	if (procs) {
		json_object_array_add(procs, process_json(f));
		for (i = 0; i < r->nlineage; i++) {
			v = ancestor_json(r->lineage[i]);
			if (v)
				json_object_array_add(procs, v);
		}
	}
	whorl_json_add(o, "processes", procs);
	whorl_json_add(o, "containers", container_json(f, r->ci));
	whorl_json_add(o, "kubernetes", kubernetes_json(r->ci));
	v = json_object_new_object();
	if (v) {
		whorl_json_add(v, "host", whorl_json_str(host));
		whorl_json_add(v, "cgroup", whorl_json_str(f->cgroup));
		if (f->has_cgroup_id)
			whorl_json_add(v, "cgroupId", json_object_new_uint64(f->cgroup_id));
	}
	whorl_json_add(o, "resource", v);
	if (f->binary.present && f->binary.has_sha256) {
		char h[2 * WHORL_SHA256_LEN + 1];
		const char *uris[] = { buf, NULL };

		whorl_hex(f->binary.sha256, h);
		snprintf(buf, sizeof(buf), VT_PREFIX "%s", h);
		v = json_object_new_object();
		if (v)
			whorl_json_add(v, "uris", str_array(uris));
		whorl_json_add(o, "indicator", v);
	}
	whorl_attack_lists(m, &l);
	v = json_object_new_object();
	if (v) {
		whorl_json_add(v, "primaryTactic", whorl_json_str(l.tactic));
		whorl_json_add(v, "primaryTechniques", strs(l.techniques, l.ntechniques));
		whorl_json_add(v, "additionalTactics", strs(l.more_tactics, l.nmore_tactics));
		whorl_json_add(v, "techniqueIds", strs((const char *const *)m->techniques,
						       m->ntechniques));
	}
	whorl_json_add(o, "mitreAttack", v);
	if (f->binary.present && f->binary.has_layer && whorl_layer_name(f->binary.layer))
		whorl_json_add(o, "layer", whorl_json_str(whorl_layer_name(f->binary.layer)));
	if (f->has_seq)
		whorl_json_add(o, "sequence", json_object_new_uint64(f->seq));
	if (f->escaped)
		whorl_json_add(o, "escapedToHost", json_object_new_boolean(1));
	whorl_json_add(o, "rule", whorl_rule_json(m));
	whorl_json_add(o, "event", whorl_sigma_event_json(&r->sev.ev));
	return o;
}

const char *whorl_json_line(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						  JSON_C_TO_STRING_NOSLASHESCAPE);
}

json_object *whorl_json_at(json_object *o, const char *path)
{
	char key[64];
	const char *p = path, *dot;
	size_t n;

	while (o && *p) {
		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		if (json_object_is_type(o, json_type_array)) {
			o = json_object_array_get_idx(o, atoi(key));
		} else if (!json_object_object_get_ex(o, key, &o)) {
			return NULL;
		}
		p = dot ? dot + 1 : p + n;
	}
	return o;
}
