/* SPDX-License-Identifier: GPL-2.0 */
/* finding.h - which finding an observed file makes, and report-once windows. */
#ifndef WHORL_FINDING_H
#define WHORL_FINDING_H

#include <linux/types.h>

#include "limits.h"

/**
 * whorl_finding_kind - the finding an event makes, before configuration.
 * @event: enum whorl_event_type.
 * @layer: enum whorl_layer of the file.
 * @intel: enum whorl_intel_category intel gives the file (or NONE).
 *
 * Pure function, any context. Return: enum whorl_kind (NONE: no finding).
 */
u8 whorl_finding_kind(u8 event, u8 layer, u8 intel);

/* Is @kind switched on? Any context. */
bool whorl_kind_enabled(u8 kind);

/**
 * whorl_dedup_admit - report-once window per (container, file, kind).
 * @key: a hash of the three.
 * @suppressed: receives how many were suppressed since the last report.
 *
 * Process context. Return: true when this one should be reported.
 */
bool whorl_dedup_admit(u64 key, u32 *suppressed);
void whorl_dedup_reset(void);

int whorl_finding_init(void);
void whorl_finding_exit(void);

#endif /* WHORL_FINDING_H */
