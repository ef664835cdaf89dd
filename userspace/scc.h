/* SPDX-License-Identifier: GPL-2.0 */
/* scc.h - a finding as Security Command Center v2 exports it (docs/scc-finding.schema.json). */
#ifndef WHORL_SCC_H
#define WHORL_SCC_H

#include <stdint.h>
#include <json-c/json.h>

#include "enrich.h"
#include "execev.h"
#include "finding.h"
#include "sigma.h"

/* What SCC's category, severity and MITRE ATT&CK fields say for one kind of finding. */
struct whorl_scc_kind {
	const char *category;		/* Container Threat Detection's name, or whorl's own */
	int ctd;			/* 1: a CTD category; 0: whorl's own */
	const char *severity;		/* Finding.Severity */
	const char *tactic;		/* MitreAttack.Tactic */
	const char *techniques[3];	/* MitreAttack.Technique: a sub-technique, then its parent */
	const char *more_tactics[3];
	const char *more_techniques[4];
	const char *attack_ids[5];	/* ATT&CK ids, sub-techniques SCC's enum lacks included */
	const char *description;
	const char *next_steps;
};

/* The ATT&CK release the techniques above were checked against (MitreAttack.version). */
#define WHORL_SCC_ATTACK_VERSION "16"

/*
 * whorl_scc_kind - the SCC row for @f: by kind, and for fileless execution by where the file
 * was (/dev/shm has a category of its own). NULL if the kind is missing or unknown.
 */
const struct whorl_scc_kind *whorl_scc_kind(const struct whorl_finding *f);

/*
 * whorl_finding_scc - @f as {"finding": {...}, "resource": {...}} in proto3's JSON mapping.
 * @ci: what enrichment found about the container, or NULL. @host: this host's name, or NULL.
 * @create_ns: createTime, the time the relay wrote the finding (CLOCK_REALTIME, ns).
 * Return: a new object (json_object_put() it), or NULL if the kind is missing or unknown to
 * this tool, or out of memory.
 */
json_object *whorl_finding_scc(const struct whorl_finding *f,
			       const struct whorl_container_info *ci, const char *host,
			       uint64_t create_ns);

/* The ATT&CK release Sigma rules' tags are written against (SigmaHQ's, with stealth). */
#define WHORL_SIGMA_ATTACK_VERSION "18"

/*
 * whorl_rule_finding_scc - Sigma rule @m's match of exec event @f (judged into @r) as an SCC
 * finding: category and severity from the rule, mitreAttack from its attack.* tags, the rule
 * (id, title, author, link, path) and the Sigma event under sourceProperties, processes[] the
 * process then its ancestors. Return: a new object, or NULL out of memory.
 */
json_object *whorl_rule_finding_scc(const struct whorl_sigma_meta *m,
				    const struct whorl_finding *f,
				    const struct whorl_exec_result *r, const char *host,
				    uint64_t create_ns);

/* The rule as a finding names it: id, title, author, level, status, link, path, tags. */
json_object *whorl_rule_json(const struct whorl_sigma_meta *m);

#endif /* WHORL_SCC_H */
