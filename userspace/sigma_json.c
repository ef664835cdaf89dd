// SPDX-License-Identifier: GPL-2.0
/* sigma_json.c - exec events from JSON, and a Sigma match as a JSON finding (json-c). */

#include <stdio.h>
#include <string.h>

#include "sigma_json.h"

int whorl_sigma_event_from_json(json_object *o, struct whorl_sigma_json_event *out,
				char err[WHORL_SIGMA_JSON_ERR_MAX])
{
	size_t plen = strlen(WHORL_SIGMA_ENV_PREFIX);
	enum json_type t;
	const char *s;
	int f;

	memset(out, 0, sizeof(*out));
	out->ev.env = out->env;
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, WHORL_SIGMA_JSON_ERR_MAX, "an event must be a JSON object");
		return -1;
	}
	json_object_object_foreach(o, key, val) {
		if (key[0] == '_')
			continue;
		f = whorl_sigma_field_by_name(key);
		if (f < 0) {
			snprintf(err, WHORL_SIGMA_JSON_ERR_MAX, "unknown field '%.64s'", key);
			return -1;
		}
		t = json_object_get_type(val);
		if (t == json_type_null)
			continue;
		if (t != json_type_string && t != json_type_int && t != json_type_double &&
		    t != json_type_boolean) {
			snprintf(err, WHORL_SIGMA_JSON_ERR_MAX, "field '%.64s' must be a string",
				 key);
			return -1;
		}
		s = json_object_get_string(val);
		if (f != WHORL_SF_ENV) {
			out->ev.field[f] = s;
			continue;
		}
		if (out->ev.nenv == WHORL_SIGMA_EVENT_ENV_MAX) {
			snprintf(err, WHORL_SIGMA_JSON_ERR_MAX,
				 "more than %d environment variables", WHORL_SIGMA_EVENT_ENV_MAX);
			return -1;
		}
		out->env[out->ev.nenv].name = key + plen;
		out->env[out->ev.nenv++].value = s;
	}
	return 0;
}

static int add(json_object *o, const char *key, json_object *v)
{
	if (!v)
		return -1;
	if (json_object_object_add(o, key, v)) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static json_object *str(const char *s)
{
	return json_object_new_string(s ? s : "");
}

static json_object *str_array(char *const *v, size_t n)
{
	json_object *a = json_object_new_array();
	size_t i;

	if (!a)
		return NULL;
	for (i = 0; i < n; i++) {
		json_object *s = json_object_new_string(v[i]);

		if (!s || json_object_array_add(a, s)) {
			json_object_put(s);
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

json_object *whorl_sigma_match_json(const struct whorl_sigma_meta *m, json_object *event)
{
	json_object *o = json_object_new_object(), *rule, *mitre;
	int bad;

	if (!o)
		return NULL;
	/* added first, so that releasing @o releases them whatever fails later */
	rule = json_object_new_object();
	mitre = json_object_new_object();
	bad = add(o, "category", str(m->category));
	bad |= add(o, "severity", str(whorl_sigma_severity_name(m->severity)));
	bad |= add(o, "rule", rule);
	bad |= add(o, "mitreAttack", mitre);
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	bad |= add(rule, "id", str(m->id));
	bad |= add(rule, "title", str(m->title));
	bad |= add(rule, "author", str(m->author));
	bad |= add(rule, "level", str(m->level));
	if (m->status[0])
		bad |= add(rule, "status", str(m->status));
	bad |= add(rule, "link", str(m->link));
	bad |= add(rule, "tags", str_array(m->tags, m->ntags));
	if (m->ntactics)
		bad |= add(mitre, "primaryTactic", str(m->tactics[0]));
	if (m->ntactics > 1)
		bad |= add(mitre, "additionalTactics", str_array(m->tactics + 1, m->ntactics - 1));
	bad |= add(mitre, "techniqueIds", str_array(m->techniques, m->ntechniques));
	if (event)
		bad |= add(o, "event", json_object_get(event));
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
