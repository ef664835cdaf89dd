/* SPDX-License-Identifier: GPL-2.0 */
/* sigma.h - Sigma process_creation rules (docs/SIGMA.md): load, precompile, match exec events. */
#ifndef WHORL_SIGMA_H
#define WHORL_SIGMA_H

#include <stddef.h>
#include <json-c/json.h>

/*
 * The fields of an exec event a rule can name. The first seven are Sigma's process_creation
 * taxonomy; the "whorl." ones are what only whorl knows (docs/SIGMA.md). Environment variables
 * are named whorl.Env.NAME and carried apart (struct whorl_sigma_env).
 */
enum whorl_sigma_field {
	WHORL_SF_IMAGE,
	WHORL_SF_COMMAND_LINE,
	WHORL_SF_PARENT_IMAGE,
	WHORL_SF_PARENT_COMMAND_LINE,
	WHORL_SF_USER,
	WHORL_SF_CURRENT_DIRECTORY,
	WHORL_SF_LOGON_ID,
	WHORL_SF_STDIN_TYPE,
	WHORL_SF_STDIN_REMOTE_ADDRESS,
	WHORL_SF_STDIN_REMOTE_PORT,
	WHORL_SF_STDOUT_TYPE,
	WHORL_SF_STDOUT_REMOTE_ADDRESS,
	WHORL_SF_STDOUT_REMOTE_PORT,
	WHORL_SF_STDERR_TYPE,
	WHORL_SF_STDERR_REMOTE_ADDRESS,
	WHORL_SF_STDERR_REMOTE_PORT,
	WHORL_SF_LAYER,
	WHORL_SF_SHA256,
	WHORL_SF_CONTAINER_ID,
	WHORL_SF_CONTAINER_NAME,
	WHORL_SF_CONTAINER_IMAGE,
	WHORL_SF_ENV_INCOMPLETE,
	WHORL_SF_INTEL_URL,
	WHORL_SF_INTEL_URL_LABEL,
	WHORL_SF_COUNT,
	/* not a field: the environment, looked up by name */
	WHORL_SF_ENV = WHORL_SF_COUNT,
};

/* The prefix of environment variable fields: whorl.Env.LD_PRELOAD. */
#define WHORL_SIGMA_ENV_PREFIX "whorl.Env."

/* The field's name in rules and in event JSON ("Image", "whorl.Layer"), or NULL. */
const char *whorl_sigma_field_name(unsigned int field);
/* The field named @name, or -1 (whorl.Env.* is WHORL_SF_ENV). */
int whorl_sigma_field_by_name(const char *name);

struct whorl_sigma_env {
	const char *name;
	const char *value;
};

/* An exec event: a NULL field is absent (Sigma's null); strings are NUL-terminated. */
struct whorl_sigma_event {
	const char *field[WHORL_SF_COUNT];
	const struct whorl_sigma_env *env;
	size_t nenv;
};

enum whorl_sigma_severity {
	WHORL_SIGMA_LOW,
	WHORL_SIGMA_MEDIUM,
	WHORL_SIGMA_HIGH,
	WHORL_SIGMA_CRITICAL,
};

/*
 * What a match reports about its rule: everything a finding needs, the attribution DRL 1.1
 * asks for (id, title, author, link) included. Valid while the rule set is.
 */
struct whorl_sigma_meta {
	const char *id;			/* "" when the rule has none */
	const char *title;
	const char *category;		/* a whorl.ctd.<slug> tag's category, else the title */
	const char *description;	/* "" when the rule has none */
	const char *author;		/* "" when the rule has none */
	const char *level;		/* as written; "medium" when absent */
	enum whorl_sigma_severity severity;
	const char *status;		/* "" when absent */
	const char *link;		/* SigmaHQ's URL for its rules, else the file's path */
	const char *path;		/* the file it was loaded from */
	char **tags;			/* as written */
	size_t ntags;
	char **tactics;			/* SCC's form: PRIVILEGE_ESCALATION, in tag order */
	size_t ntactics;
	char **techniques;		/* MITRE ids: T1059, T1059.004, in tag order */
	size_t ntechniques;
};

struct whorl_sigma_rule;

/* A loaded rule set. Matching uses scratch space in the set: one thread at a time. */
struct whorl_sigma_set {
	struct whorl_sigma_rule **rules;
	size_t n, cap;
	size_t refused;
	size_t unreadable;		/* of the refused: files or directories not read */
	size_t max_searches;		/* the most search identifiers one rule has */
	struct whorl_sigma_scratch *scratch;
	struct whorl_sigma_index *index;	/* rebuilt when rules were added */
};

/* Room for "FILE:LINE: reason". */
#define WHORL_SIGMA_ERR_MAX 768

/* Called once per refused rule with "FILE:LINE: reason". */
typedef void (*whorl_sigma_refused_fn)(void *ctx, const char *msg);

/*
 * whorl_sigma_load_buf - compile one rule file's text into @set.
 * @name: the file's name for messages and the rule's link. @buf, @len: its text.
 * Return: 0 loaded, 1 refused (@err is "NAME:LINE: reason", @set->refused counts it),
 * -1 out of memory.
 */
int whorl_sigma_load_buf(struct whorl_sigma_set *set, const char *name, const char *buf,
			 size_t len, char err[WHORL_SIGMA_ERR_MAX]);

/* Reads and loads one file; a file that cannot be read is refused ("PATH:0: strerror"). */
int whorl_sigma_load_file(struct whorl_sigma_set *set, const char *path,
			  char err[WHORL_SIGMA_ERR_MAX]);

/*
 * whorl_sigma_load_path - load @path: a file, or every *.yml and *.yaml under a directory,
 * recursively, in name order (hidden entries skipped, symlink loops stepped over).
 * @refused is called for each refused rule, and each unreadable path ("PATH:0: strerror",
 * counted in @set->refused too); it may be NULL.
 * Return: 0, or -1 out of memory.
 */
int whorl_sigma_load_path(struct whorl_sigma_set *set, const char *path,
			  whorl_sigma_refused_fn refused, void *ctx);

/*
 * whorl_sigma_match - the rules @ev matches.
 * @out: room for @max rules' metadata, in load order.
 * Return: how many rules matched (may exceed @max: only @max are stored), or -1 out of memory.
 */
long whorl_sigma_match(struct whorl_sigma_set *set, const struct whorl_sigma_event *ev,
		       const struct whorl_sigma_meta **out, size_t max);

/* Is @name the rule's id, or its file's name (with or without .yml/.yaml)? */
int whorl_sigma_meta_named(const struct whorl_sigma_meta *m, const char *name);

/* The metadata of rule number @i (0 <= @i < set->n). */
const struct whorl_sigma_meta *whorl_sigma_rule_meta(const struct whorl_sigma_set *set, size_t i);

void whorl_sigma_free(struct whorl_sigma_set *set);

/*
 * The Container Threat Detection category whose slug (the name in lower case, each run of
 * other characters than letters and digits one '-': "Reverse Shell" is reverse-shell) is
 * @slug, or NULL. A rule names one with the tag whorl.ctd.<slug> (docs/SIGMA.md).
 */
const char *whorl_sigma_ctd_category(const char *slug);

/* "LOW", "MEDIUM", "HIGH", "CRITICAL". */
const char *whorl_sigma_severity_name(enum whorl_sigma_severity s);

#endif /* WHORL_SIGMA_H */
