/* SPDX-License-Identifier: GPL-2.0 */
/* json.h - a finding as Google Security Command Center-style JSON (docs/finding.schema.json). */
#ifndef WHORL_JSON_H
#define WHORL_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "enrich.h"
#include "finding.h"

/* eventTime: RFC 3339, UTC, nanoseconds: 2024-03-29T12:00:00.000000001Z. */
void whorl_rfc3339(uint64_t time_ns, char out[40]);

/*
 * whorl_finding_json - the finding as a JSON object.
 * @ci: what enrichment found about its container, or NULL. @host: this host's name, or NULL.
 * Return: a new object (json_object_put() it), or NULL if the kind is missing or unknown to
 * this tool, or out of memory.
 */
json_object *whorl_finding_json(const struct whorl_finding *f,
				const struct whorl_container_info *ci, const char *host);

/* json-c helpers both renderings share: add @v under @key unless NULL (allocation failed or
 * nothing to say); a string, NULL for NULL; a digest as lower-case hex. */
void whorl_json_add(json_object *o, const char *key, json_object *v);

/*
 * The value at a dotted path of object keys and array indexes ("processes.0.binary.path"),
 * or NULL when a step is missing (or a key is longer than 63 bytes).
 */
json_object *whorl_json_at(json_object *o, const char *path);
json_object *whorl_json_str(const char *s);
json_object *whorl_json_sha256(const uint8_t sha256[WHORL_SHA256_LEN]);
struct whorl_container_info;
/* The runtime's labels as SCC's Label list ([{"name", "value"}]); NULL when there are none. */
/*
 * The image layer a file came from: its directory as the module saw it and, where the runtime's
 * records say, its diff_id, position (1 is the bottom layer) and the image's layer count.
 */
json_object *whorl_json_image_layer(const struct whorl_file *fl);
json_object *whorl_json_labels(const struct whorl_container_info *ci);

struct whorl_sigma_meta;
struct whorl_exec_result;
/*
 * whorl_rule_finding_json - Sigma rule @m's match of exec event @f (judged into @r), flat: the
 * rule's category and severity, processes (the process, then its ancestors), container,
 * mitreAttack from the rule's tags, the rule and the Sigma event. NULL out of memory.
 */
json_object *whorl_rule_finding_json(const struct whorl_sigma_meta *m,
				     const struct whorl_finding *f,
				     const struct whorl_exec_result *r, const char *host);

/* One line of JSON, no newline; valid until @o is released. */
const char *whorl_json_line(json_object *o);

#endif /* WHORL_JSON_H */
