/* SPDX-License-Identifier: GPL-2.0 */
/* sigma_json.h - exec events from JSON, and a Sigma match as a JSON finding (json-c). */
#ifndef WHORL_SIGMA_JSON_H
#define WHORL_SIGMA_JSON_H

#include <stddef.h>
#include <json-c/json.h>

#include "sigma.h"

/* The most environment variables one event may carry. */
#define WHORL_SIGMA_EVENT_ENV_MAX 64
#define WHORL_SIGMA_JSON_ERR_MAX 256

/* An event and the storage its strings point into (owned by the JSON object it came from). */
struct whorl_sigma_json_event {
	struct whorl_sigma_event ev;
	struct whorl_sigma_env env[WHORL_SIGMA_EVENT_ENV_MAX];
};

/*
 * whorl_sigma_event_from_json - read an event from a JSON object whose keys are field names
 * (docs/SIGMA.md): a string (or a number, as written) is the field's value, null or a missing
 * key leaves it absent; keys starting with '_' are comments.
 * @out: points into @o: valid while @o is.
 * Return: 0, or -1 with @err set (not an object, an unknown field, a value of another type).
 */
int whorl_sigma_event_from_json(json_object *o, struct whorl_sigma_json_event *out,
				char err[WHORL_SIGMA_JSON_ERR_MAX]);

/*
 * whorl_sigma_match_json - what a match reports: the rule (id, title, author, level, status,
 * link, tags), category (the rule's title), severity, mitreAttack (tactics and technique ids
 * from the attack.* tags) and, if @event is not NULL, the event (a new reference is taken).
 * Return: a new object, or NULL out of memory.
 */
json_object *whorl_sigma_match_json(const struct whorl_sigma_meta *m, json_object *event);

#endif /* WHORL_SIGMA_JSON_H */
