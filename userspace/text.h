/* SPDX-License-Identifier: GPL-2.0 */
/* text.h - a finding as one readable line (--format text). */
#ifndef WHORL_TEXT_H
#define WHORL_TEXT_H

#include <json-c/json.h>

/*
 * whorl_finding_text - one line, no newline, from the finding's JSON rendering (so both
 * formats say the same): time, severity, category, container, process, file, layer, intel.
 * Return: a malloc'd string, or NULL.
 */
char *whorl_finding_text(json_object *finding);

#endif /* WHORL_TEXT_H */
