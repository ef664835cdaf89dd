// SPDX-License-Identifier: GPL-2.0
/* text.c - the readable one-line form of a finding; free text is quoted by json-c. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "text.h"

struct line {
	char *buf;
	size_t len, cap;
	int oom;
};

static void put(struct line *l, const char *s)
{
	size_t n = strlen(s);
	char *b;

	if (l->oom)
		return;
	if (l->len + n + 1 > l->cap) {
		size_t cap = (l->len + n + 1) * 2;

		b = realloc(l->buf, cap);
		if (!b) {
			l->oom = 1;
			return;
		}
		l->buf = b;
		l->cap = cap;
	}
	memcpy(l->buf + l->len, s, n + 1);
	l->len += n;
}

/* " key=value", the value quoted if it holds anything but plain characters. */
static void field(struct line *l, json_object *f, const char *key, const char *path)
{
	json_object *v = whorl_json_at(f, path);
	const char *s, *c;
	int plain = 1;

	if (!v)
		return;
	put(l, " ");
	put(l, key);
	put(l, "=");
	if (!json_object_is_type(v, json_type_string)) {
		put(l, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
		return;
	}
	s = json_object_get_string(v);
	for (c = s; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '"' || *c == '\\' || *c == '=' ||
		    (unsigned char)*c >= 0x7f)
			plain = 0;
	if (plain && *s)
		put(l, s);
	else
		put(l, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
}

char *whorl_finding_text(json_object *f)
{
	struct line l = { 0 };
	json_object *v;
	const char *file = whorl_json_at(f, "processes.0.libraries.0") ? "processes.0.libraries.0" :
			   "processes.0.binary";
	char path[64];

	v = whorl_json_at(f, "eventTime");
	put(&l, v ? json_object_get_string(v) : "-");
	put(&l, " ");
	v = whorl_json_at(f, "severity");
	put(&l, v ? json_object_get_string(v) : "-");
	put(&l, " ");
	v = whorl_json_at(f, "category");
	put(&l, v ? json_object_get_string(v) : "-");
	put(&l, ":");
	field(&l, f, "container", "containers.0.id");
	field(&l, f, "name", "containers.0.name");
	field(&l, f, "image", "containers.0.uri");
	field(&l, f, "runtime", "containers.0.runtime");
	field(&l, f, "pid", "processes.0.pid");
	field(&l, f, "comm", "processes.0.name");
	field(&l, f, "exe", "processes.0.binary.path");
	if (!strcmp(file, "processes.0.libraries.0"))
		field(&l, f, "library", "processes.0.libraries.0.path");
	snprintf(path, sizeof(path), "%s.sha256", file);
	field(&l, f, "sha256", path);
	field(&l, f, "layer", "layer");
	field(&l, f, "rule", "rule.id");
	field(&l, f, "parent", "processes.1.binary.path");
	field(&l, f, "intel", "intel.category");
	field(&l, f, "label", "intel.label");
	field(&l, f, "action", "action");
	field(&l, f, "seq", "sequence");
	if (l.oom) {
		free(l.buf);
		return NULL;
	}
	return l.buf;
}
