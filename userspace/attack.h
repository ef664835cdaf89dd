/* SPDX-License-Identifier: GPL-2.0 */
/* attack.h - MITRE ATT&CK ids and tactics as Security Command Center's MitreAttack enums. */
#ifndef WHORL_ATTACK_H
#define WHORL_ATTACK_H

#include <stddef.h>

#include "sigma.h"

/* SCC's MitreAttack.Technique name of ATT&CK id @id ("T1059.004": UNIX_SHELL), or NULL. */
const char *whorl_attack_technique(const char *id);
/* Is @tactic ("PRIVILEGE_ESCALATION") one of SCC's MitreAttack.Tactic values? */
int whorl_attack_tactic_known(const char *tactic);

#define WHORL_ATTACK_LIST_MAX 32

/*
 * A rule's tags as SCC's MitreAttack: its first tactic SCC has is primary, the others
 * additional; the first technique SCC has (with its parent, for a sub-technique) primary, the
 * others additional, each once. Tactics and techniques SCC does not have are left out (the
 * ids stay in techniqueIds).
 */
struct whorl_attack_lists {
	const char *tactic;		/* NULL: none SCC has */
	const char *more_tactics[WHORL_ATTACK_LIST_MAX];
	size_t nmore_tactics;
	const char *techniques[WHORL_ATTACK_LIST_MAX];
	size_t ntechniques;
	const char *more_techniques[WHORL_ATTACK_LIST_MAX];
	size_t nmore_techniques;
};

void whorl_attack_lists(const struct whorl_sigma_meta *m, struct whorl_attack_lists *out);

#endif /* WHORL_ATTACK_H */
