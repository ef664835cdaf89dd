// SPDX-License-Identifier: GPL-2.0
/* sigma.c - Sigma rule files into compiled rules: metadata, logsource, detection, modifiers. */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sigma_int.h"
#include "yamltree.h"

/* Where SigmaHQ keeps its Linux process_creation rules, all named proc_creation_lnx_*. */
#define SIGMAHQ_PREFIX "proc_creation_lnx_"
/* The tag naming a rule's finding category (docs/SIGMA.md). */
#define WHORL_CTD_TAG "whorl.ctd."
#define SIGMAHQ_URL "https://github.com/SigmaHQ/sigma/blob/master/rules/linux/process_creation/"

/* Directories nest at most this deep (a symlink loop ends here). */
#define SIGMA_DIR_MAX_DEPTH 16

static const char *const field_names[WHORL_SF_COUNT] = {
	[WHORL_SF_IMAGE] = "Image",
	[WHORL_SF_COMMAND_LINE] = "CommandLine",
	[WHORL_SF_PARENT_IMAGE] = "ParentImage",
	[WHORL_SF_PARENT_COMMAND_LINE] = "ParentCommandLine",
	[WHORL_SF_USER] = "User",
	[WHORL_SF_CURRENT_DIRECTORY] = "CurrentDirectory",
	[WHORL_SF_LOGON_ID] = "LogonId",
	[WHORL_SF_STDIN_TYPE] = "whorl.StdinType",
	[WHORL_SF_STDIN_REMOTE_ADDRESS] = "whorl.StdinRemoteAddress",
	[WHORL_SF_STDIN_REMOTE_PORT] = "whorl.StdinRemotePort",
	[WHORL_SF_STDOUT_TYPE] = "whorl.StdoutType",
	[WHORL_SF_STDOUT_REMOTE_ADDRESS] = "whorl.StdoutRemoteAddress",
	[WHORL_SF_STDOUT_REMOTE_PORT] = "whorl.StdoutRemotePort",
	[WHORL_SF_STDERR_TYPE] = "whorl.StderrType",
	[WHORL_SF_STDERR_REMOTE_ADDRESS] = "whorl.StderrRemoteAddress",
	[WHORL_SF_STDERR_REMOTE_PORT] = "whorl.StderrRemotePort",
	[WHORL_SF_LAYER] = "whorl.Layer",
	[WHORL_SF_SHA256] = "whorl.Sha256",
	[WHORL_SF_CONTAINER_ID] = "whorl.ContainerId",
	[WHORL_SF_CONTAINER_NAME] = "whorl.ContainerName",
	[WHORL_SF_CONTAINER_IMAGE] = "whorl.ContainerImage",
	[WHORL_SF_ENV_INCOMPLETE] = "whorl.EnvIncomplete",
	[WHORL_SF_INTEL_URL] = "whorl.IntelUrl",
	[WHORL_SF_INTEL_URL_LABEL] = "whorl.IntelUrlLabel",
};

const char *whorl_sigma_field_name(unsigned int field)
{
	return field < WHORL_SF_COUNT ? field_names[field] : NULL;
}

int whorl_sigma_field_by_name(const char *name)
{
	size_t plen = strlen(WHORL_SIGMA_ENV_PREFIX);
	int i;

	for (i = 0; i < WHORL_SF_COUNT; i++)
		if (!strcmp(field_names[i], name))
			return i;
	if (!strncmp(name, WHORL_SIGMA_ENV_PREFIX, plen) && name[plen])
		return WHORL_SF_ENV;
	return -1;
}

const char *whorl_sigma_severity_name(enum whorl_sigma_severity s)
{
	static const char *const names[] = { "LOW", "MEDIUM", "HIGH", "CRITICAL" };

	return (unsigned int)s < 4 ? names[s] : "MEDIUM";
}

struct lctx {
	const char *name;
	char *err;
	struct whorl_sigma_rule *r;
	int oom;
};

static int refuse(struct lctx *c, unsigned int line, const char *fmt, ...)
{
	char why[WHORL_SIGMA_ERR_MAX / 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(c->err, WHORL_SIGMA_ERR_MAX, "%.360s:%u: %s", c->name, line, why);
	return -1;
}

static int oom(struct lctx *c)
{
	c->oom = 1;
	snprintf(c->err, WHORL_SIGMA_ERR_MAX, "%s: out of memory", c->name);
	return -1;
}

static char *dup_n(struct lctx *c, const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (!d) {
		oom(c);
		return NULL;
	}
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

/* --- metadata -------------------------------------------------------------------------------- */

/* A string-valued top-level key: NULL when absent; refused when not a scalar. */
static int meta_string(struct lctx *c, const struct whorl_ynode *root, const char *key,
		       const char *dflt, const char **out)
{
	const struct whorl_ynode *n = whorl_ymap_get(root, key);

	*out = dflt;
	if (!n || whorl_yscalar_is_null(n))
		return 0;
	if (n->type != WHORL_Y_SCALAR)
		return refuse(c, n->line, "'%s' must be a string", key);
	*out = n->str;
	return 0;
}

static int push_str(struct lctx *c, char ***arr, size_t *n, const char *s, size_t len)
{
	char **a = realloc(*arr, (*n + 1) * sizeof(**arr));

	if (!a)
		return oom(c);
	*arr = a;
	a[*n] = dup_n(c, s, len);
	if (!a[*n])
		return -1;
	(*n)++;
	return 0;
}

/* Container Threat Detection's categories a rule may take (whorl.ctd.<slug>). */
static const char *const ctd_categories[] = {
	"Added Binary Executed",
	"Added Library Loaded",
	"Credential Access: Find Google Cloud Credentials",
	"Credential Access: Search Private Keys or Passwords",
	"Defense Evasion: Base64 ELF File Command Line Execution",
	"Defense Evasion: Base64 Encoded Python Script Executed",
	"Defense Evasion: Base64 Encoded Shell Script Executed",
	"Defense Evasion: Launch Code Compiler Tool In Container",
	"Discovery: GPG Key Reconnaissance",
	"Execution: Added Malicious Binary Executed",
	"Execution: Added Malicious Library Loaded",
	"Execution: Built in Malicious Binary Executed",
	"Execution: Container Escape",
	"Execution: Cryptocurrency Mining Pool Connection",
	"Execution: Fileless Execution in /memfd:",
	"Execution: Kubernetes Attack Tool Execution",
	"Execution: Local Reconnaissance Tool Execution",
	"Execution: Malicious Python executed",
	"Execution: Modified Malicious Binary Executed",
	"Execution: Modified Malicious Library Loaded",
	"Execution: Netcat Remote Code Execution in Container",
	"Execution: Possible Remote Command Execution Detected",
	"Execution: Program Run with Disallowed HTTP Proxy Env",
	"Execution: Socat Reverse Shell Detected",
	"Impact: Remove Bulk Data From Disk",
	"Malicious Script Executed",
	"Malicious URL Observed",
	"Privilege Escalation: Fileless Execution in /dev/shm",
	"Privilege Escalation: Polkit Local Privilege Escalation Vulnerability",
	"Privilege Escalation: Sudo Potential Privilege Escalation",
	"Reverse Shell",
	"Unexpected Child Shell",
};

/* Does @name's slug equal @slug? Letters and digits lower-cased, other runs one '-'. */
static int slug_is(const char *name, const char *slug)
{
	const char *s = slug;
	int dash = 0;

	for (; *name; name++) {
		if (!isalnum((unsigned char)*name)) {
			dash = s != slug;
			continue;
		}
		if (dash && *s++ != '-')
			return 0;
		dash = 0;
		if (*s++ != tolower((unsigned char)*name))
			return 0;
	}
	return !*s;
}

const char *whorl_sigma_ctd_category(const char *slug)
{
	size_t i;

	for (i = 0; i < sizeof(ctd_categories) / sizeof(ctd_categories[0]); i++)
		if (slug_is(ctd_categories[i], slug))
			return ctd_categories[i];
	return NULL;
}

/*
 * attack.t1059.004 -> T1059.004; attack.privilege-escalation -> PRIVILEGE_ESCALATION;
 * attack.stealth and attack.defense-impairment -> DEFENSE_EVASION.
 */
static int meta_tag(struct lctx *c, struct whorl_sigma_meta *m, const char *tag)
{
	const char *t;
	char buf[128];
	size_t i, len;

	if (push_str(c, &m->tags, &m->ntags, tag, strlen(tag)))
		return -1;
	if (strncmp(tag, "attack.", 7))
		return 0;
	t = tag + 7;
	len = strlen(t);
	if (!len || len >= sizeof(buf))
		return 0;
	if ((t[0] == 't' || t[0] == 'T') && len >= 5 && strspn(t + 1, "0123456789") == 4 &&
	    (len == 5 || (len == 9 && t[5] == '.' && strspn(t + 6, "0123456789") == 3))) {
		memcpy(buf, t, len + 1);
		buf[0] = 'T';
		return push_str(c, &m->techniques, &m->ntechniques, buf, len);
	}
	/* groups (g0001) and software (s0001) are neither tactics nor techniques */
	if ((t[0] == 'g' || t[0] == 's') && len == 5 && strspn(t + 1, "0123456789") == 4)
		return 0;
	for (i = 0; i < len; i++)
		buf[i] = t[i] == '-' || t[i] == '.' ? '_' :
			 t[i] >= 'a' && t[i] <= 'z' ? t[i] - ('a' - 'A') : t[i];
	buf[len] = '\0';
	/* ATT&CK v18 split Defense Evasion in two; SCC's tactics still have it whole */
	if (!strcmp(buf, "STEALTH") || !strcmp(buf, "DEFENSE_IMPAIRMENT")) {
		strcpy(buf, "DEFENSE_EVASION");
		len = strlen(buf);
	}
	for (i = 0; i < m->ntactics; i++)
		if (!strcmp(m->tactics[i], buf))
			return 0;	/* each tactic once */
	return push_str(c, &m->tactics, &m->ntactics, buf, len);
}

static int load_meta(struct lctx *c, const struct whorl_ynode *root)
{
	static const char *const levels[] = {
		"informational", "low", "medium", "high", "critical",
	};
	static const enum whorl_sigma_severity sev[] = {
		WHORL_SIGMA_LOW, WHORL_SIGMA_LOW, WHORL_SIGMA_MEDIUM, WHORL_SIGMA_HIGH,
		WHORL_SIGMA_CRITICAL,
	};
	struct whorl_sigma_meta *m = &c->r->meta;
	const struct whorl_ynode *tags, *n;
	const char *base;
	size_t i;

	n = whorl_ymap_get(root, "title");
	if (!n || n->type != WHORL_Y_SCALAR || whorl_yscalar_is_null(n))
		return refuse(c, n ? n->line : 1, "a rule needs a title");
	if (meta_string(c, root, "title", "", &m->title) ||
	    meta_string(c, root, "id", "", &m->id) ||
	    meta_string(c, root, "author", "", &m->author) ||
	    meta_string(c, root, "status", "", &m->status) ||
	    meta_string(c, root, "level", "medium", &m->level) ||
	    meta_string(c, root, "description", "", &m->description))
		return -1;
	m->category = m->title;
	for (i = 0; i < 5; i++)
		if (!strcmp(m->level, levels[i]))
			break;
	if (i == 5)
		return refuse(c, whorl_ymap_get(root, "level")->line,
			      "unknown level '%.64s' (informational, low, medium, high, critical)",
			      m->level);
	m->severity = sev[i];
	if (!strcmp(m->status, "unsupported"))
		return refuse(c, whorl_ymap_get(root, "status")->line,
			      "status 'unsupported': the rule says it cannot be used as it is");
	tags = whorl_ymap_get(root, "tags");
	if (tags && !whorl_yscalar_is_null(tags)) {
		if (tags->type != WHORL_Y_SEQ)
			return refuse(c, tags->line, "'tags' must be a list");
		for (i = 0; i < tags->n; i++) {
			if (tags->kids[i]->type != WHORL_Y_SCALAR)
				return refuse(c, tags->kids[i]->line, "a tag must be a string");
			if (meta_tag(c, m, tags->kids[i]->str))
				return -1;
			if (strncmp(tags->kids[i]->str, WHORL_CTD_TAG, strlen(WHORL_CTD_TAG)))
				continue;
			m->category = whorl_sigma_ctd_category(tags->kids[i]->str +
							       strlen(WHORL_CTD_TAG));
			if (!m->category)
				return refuse(c, tags->kids[i]->line,
					      "unknown Container Threat Detection category '%.64s'",
					      tags->kids[i]->str);
		}
	}
	base = strrchr(c->name, '/');
	base = base ? base + 1 : c->name;
	m->path = c->name;
	if (!strncmp(base, SIGMAHQ_PREFIX, strlen(SIGMAHQ_PREFIX))) {
		char *link = malloc(strlen(SIGMAHQ_URL) + strlen(base) + 1);

		if (!link)
			return oom(c);
		strcpy(link, SIGMAHQ_URL);
		strcat(link, base);
		m->link = link;
	} else {
		m->link = c->name;
	}
	return 0;
}

static int load_logsource(struct lctx *c, const struct whorl_ynode *root)
{
	const struct whorl_ynode *ls = whorl_ymap_get(root, "logsource"), *cat, *prod, *svc;

	if (whorl_ymap_get(root, "correlation"))
		return refuse(c, whorl_ymap_get(root, "correlation")->line,
			      "correlation rules are not supported");
	if (whorl_ymap_get(root, "filter"))
		return refuse(c, whorl_ymap_get(root, "filter")->line,
			      "Sigma filters are not supported");
	if (!ls || ls->type != WHORL_Y_MAP)
		return refuse(c, ls ? ls->line : 1, "a rule needs a logsource mapping");
	cat = whorl_ymap_get(ls, "category");
	prod = whorl_ymap_get(ls, "product");
	svc = whorl_ymap_get(ls, "service");
	if (!cat || cat->type != WHORL_Y_SCALAR || strcmp(cat->str, "process_creation"))
		return refuse(c, cat ? cat->line : ls->line,
			      "logsource category must be process_creation");
	if (!prod || prod->type != WHORL_Y_SCALAR || strcmp(prod->str, "linux"))
		return refuse(c, prod ? prod->line : ls->line, "logsource product must be linux");
	if (svc)
		return refuse(c, svc->line, "logsource service is not supported (process_creation has none)");
	return 0;
}

/* A refusal from sigma_value.c, in this file's terms. */
static int verr(struct lctx *c, const struct sigma_verr *e)
{
	return e->oom ? oom(c) : refuse(c, e->line, "%s", e->why);
}

/* --- detection ------------------------------------------------------------------------------- */

static void free_item(struct sigma_item *it)
{
	size_t i;

	for (i = 0; i < it->n; i++)
		sigma_value_free(&it->v[i]);
	free(it->v);
	free(it->env);
}

/* "Field|mod|mod: value or list", or "|all: list" (keywords); @key may be "" for keywords. */
static int compile_item(struct lctx *c, const struct whorl_ynode *key,
			const struct whorl_ynode *val, struct sigma_item *it)
{
	const char *bar = key ? strchr(key->str, '|') : NULL;
	unsigned int line = key ? key->line : val->line;
	char field[128];
	size_t flen, i, nv;
	struct sigma_mods m = { 0 };
	struct sigma_verr e = { 0 };
	int ret = 0;

	memset(it, 0, sizeof(*it));
	it->field = -1;
	if (key) {
		flen = bar ? (size_t)(bar - key->str) : key->len;
		if (flen >= sizeof(field))
			return refuse(c, line, "field name too long");
		memcpy(field, key->str, flen);
		field[flen] = '\0';
		if (bar && sigma_mods_parse(&e, line, bar + 1, &m))
			return verr(c, &e);
		if (flen) {
			it->field = whorl_sigma_field_by_name(field);
			if (it->field < 0)
				return refuse(c, line,
					      "unknown field '%s' (docs/SIGMA.md lists the fields)",
					      field);
			if (it->field == WHORL_SF_ENV) {
				it->env = dup_n(c, field + strlen(WHORL_SIGMA_ENV_PREFIX),
						flen - strlen(WHORL_SIGMA_ENV_PREFIX));
				if (!it->env)
					return -1;
			}
		}
	}
	if (it->field < 0 && !m.op && !m.re && !m.cidr && !m.exists)
		m.op = SIGMA_OP_CONTAINS;	/* keywords are found anywhere in a field */
	if (it->field < 0 && m.exists)
		return refuse(c, line, "'exists' needs a field");
	it->all = m.all;
	nv = val->type == WHORL_Y_SEQ ? val->n : 1;
	if (!nv)
		return refuse(c, val->line, "empty list of values");
	it->v = calloc(nv, sizeof(*it->v));
	if (!it->v)
		return oom(c);
	for (i = 0; i < nv && !ret; i++) {
		const struct whorl_ynode *vn = val->type == WHORL_Y_SEQ ? val->kids[i] : val;

		if (vn->type == WHORL_Y_MAP && val->type != WHORL_Y_SEQ)
			ret = refuse(c, vn->line, "a field's value must be a string, a number, null or a list of them");
		else
			ret = sigma_value_compile(&e, vn, &m, &it->v[i]) ? verr(c, &e) : 0;
		it->n = i + 1;
	}
	return ret;
}

static int compile_map(struct lctx *c, const struct whorl_ynode *map, struct sigma_map *out)
{
	size_t i;

	out->n = 0;
	if (!map->n)
		return refuse(c, map->line, "empty search");
	out->items = calloc(map->n / 2, sizeof(*out->items));
	if (!out->items)
		return oom(c);
	for (i = 0; i + 1 < map->n; i += 2) {
		out->n++;
		if (compile_item(c, map->kids[i], map->kids[i + 1], &out->items[i / 2]))
			return -1;
	}
	return 0;
}

static int compile_search(struct lctx *c, const struct whorl_ynode *key,
			  const struct whorl_ynode *val, struct sigma_search *s)
{
	size_t i, maps = 0;

	s->name = dup_n(c, key->str, key->len);
	if (!s->name)
		return -1;
	if (val->type == WHORL_Y_MAP) {
		s->maps = calloc(1, sizeof(*s->maps));
		if (!s->maps)
			return oom(c);
		s->n = 1;
		return compile_map(c, val, &s->maps[0]);
	}
	if (val->type != WHORL_Y_SEQ || !val->n)
		return refuse(c, val->line, "search '%.64s' must be a mapping or a non-empty list",
			      key->str);
	for (i = 0; i < val->n; i++)
		maps += val->kids[i]->type == WHORL_Y_MAP;
	if (maps && maps != val->n)
		return refuse(c, val->line, "search '%.64s' mixes maps and keywords", key->str);
	if (maps) {
		s->maps = calloc(val->n, sizeof(*s->maps));
		if (!s->maps)
			return oom(c);
		for (i = 0; i < val->n; i++) {
			s->n++;
			if (compile_map(c, val->kids[i], &s->maps[i]))
				return -1;
		}
		return 0;
	}
	/* a keyword list: one map of one field-less item */
	s->maps = calloc(1, sizeof(*s->maps));
	if (!s->maps)
		return oom(c);
	s->n = 1;
	s->maps[0].items = calloc(1, sizeof(*s->maps[0].items));
	if (!s->maps[0].items)
		return oom(c);
	s->maps[0].n = 1;
	return compile_item(c, NULL, val, &s->maps[0].items[0]);
}

static struct sigma_cond *or_node(struct sigma_cond *a, struct sigma_cond *b)
{
	struct sigma_cond *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->op = SC_OR;
	n->a = a;
	n->b = b;
	return n;
}

static int load_detection(struct lctx *c, const struct whorl_ynode *root)
{
	const struct whorl_ynode *det = whorl_ymap_get(root, "detection"), *cond, *cn;
	struct whorl_sigma_rule *r = c->r;
	char err[SIGMA_COND_ERR_MAX];
	struct sigma_cond *one, *all;
	size_t i, ncond;

	if (!det)
		return refuse(c, 1, "a rule needs a detection");
	if (det->type != WHORL_Y_MAP)
		return refuse(c, det->line, "detection must be a mapping");
	cond = whorl_ymap_get(det, "condition");
	if (!cond)
		return refuse(c, det->line, "detection has no condition");
	if (whorl_ymap_get(det, "timeframe"))
		return refuse(c, whorl_ymap_get(det, "timeframe")->line,
			      "timeframe (aggregation over time) is not supported");
	r->s = calloc(det->n / 2, sizeof(*r->s));
	if (!r->s)
		return oom(c);
	for (i = 0; i + 1 < det->n; i += 2) {
		if (!strcmp(det->kids[i]->str, "condition"))
			continue;
		if (compile_search(c, det->kids[i], det->kids[i + 1], &r->s[r->ns++]))
			return -1;
	}
	if (!r->ns)
		return refuse(c, det->line, "detection has no search identifier");
	ncond = cond->type == WHORL_Y_SEQ ? cond->n : 1;
	if (!ncond)
		return refuse(c, cond->line, "empty condition list");
	for (i = 0; i < ncond; i++) {
		cn = cond->type == WHORL_Y_SEQ ? cond->kids[i] : cond;
		if (cn->type != WHORL_Y_SCALAR || whorl_yscalar_is_null(cn))
			return refuse(c, cn->line, "a condition must be a string");
		one = sigma_cond_parse(cn->str, r->s, r->ns, err);
		if (!one)
			return err[0] ? refuse(c, cn->line, "%s", err) : oom(c);
		/* a list of conditions: any of them */
		if (r->cond) {
			all = or_node(r->cond, one);
			if (!all) {
				sigma_cond_free(one);
				return oom(c);
			}
			r->cond = all;
		} else {
			r->cond = one;
		}
	}
	return 0;
}

/* --- rules and sets -------------------------------------------------------------------------- */

static void free_meta(struct whorl_sigma_meta *m, const char *path)
{
	size_t i;

	for (i = 0; i < m->ntags; i++)
		free(m->tags[i]);
	for (i = 0; i < m->ntactics; i++)
		free(m->tactics[i]);
	for (i = 0; i < m->ntechniques; i++)
		free(m->techniques[i]);
	free(m->tags);
	free(m->tactics);
	free(m->techniques);
	if (m->link && m->link != path)
		free((char *)m->link);
}

static void free_rule(struct whorl_sigma_rule *r)
{
	size_t i, j, k;

	if (!r)
		return;
	for (i = 0; i < r->ns; i++) {
		for (j = 0; j < r->s[i].n; j++) {
			for (k = 0; k < r->s[i].maps[j].n; k++)
				free_item(&r->s[i].maps[j].items[k]);
			free(r->s[i].maps[j].items);
		}
		free(r->s[i].maps);
		free(r->s[i].name);
	}
	free(r->s);
	sigma_cond_free(r->cond);
	free_meta(&r->meta, r->meta.path);
	free((char *)r->meta.path);
	/* title, id, author, level, status, description point into this block */
	free((char *)r->meta.title);
	free(r);
}

/* Copy the metadata strings out of the YAML tree into one block the rule owns. */
static int own_strings(struct lctx *c)
{
	struct whorl_sigma_meta *m = &c->r->meta;
	const char **f[] = { &m->title, &m->id, &m->author, &m->level, &m->status,
			     &m->description };
	int title_category = m->category == m->title;
	size_t total = 0, i, len;
	char *block, *p;

	for (i = 0; i < 6; i++)
		total += strlen(*f[i]) + 1;
	block = malloc(total);
	if (!block)
		return oom(c);
	p = block;
	for (i = 0; i < 6; i++) {
		len = strlen(*f[i]) + 1;
		memcpy(p, *f[i], len);
		*f[i] = p;
		p += len;
	}
	/* else a table's category, not the tree's */
	if (title_category)
		m->category = m->title;
	return 0;
}

static int add_rule(struct whorl_sigma_set *set, struct whorl_sigma_rule *r)
{
	struct whorl_sigma_rule **v;
	size_t cap;

	if (set->n == set->cap) {
		cap = set->cap ? set->cap * 2 : 64;
		v = realloc(set->rules, cap * sizeof(*v));
		if (!v)
			return -1;
		set->rules = v;
		set->cap = cap;
	}
	set->rules[set->n++] = r;
	if (r->ns > set->max_searches)
		set->max_searches = r->ns;
	return 0;
}

int whorl_sigma_load_buf(struct whorl_sigma_set *set, const char *name, const char *buf,
			 size_t len, char err[WHORL_SIGMA_ERR_MAX])
{
	struct lctx c = { .name = name, .err = err };
	struct whorl_ynode *root = NULL;
	char yerr[WHORL_YAML_ERR_MAX];
	unsigned int line;
	int ret;

	err[0] = '\0';
	ret = whorl_yaml_parse(buf, len, &root, &line, yerr);
	if (ret == -2)
		return -1;
	if (ret) {
		refuse(&c, line, "%s", yerr);
		set->refused++;
		return 1;
	}
	c.r = calloc(1, sizeof(*c.r));
	if (!c.r) {
		whorl_yaml_free(root);
		return -1;
	}
	c.r->meta.path = dup_n(&c, name, strlen(name));
	if (!c.r->meta.path)
		goto out;
	c.name = c.r->meta.path;
	if (root->type != WHORL_Y_MAP) {
		refuse(&c, root->line, "a rule must be a YAML mapping");
		goto out;
	}
	if (load_meta(&c, root) || load_logsource(&c, root) || load_detection(&c, root))
		goto out;
	if (own_strings(&c))
		goto out;
	if (add_rule(set, c.r)) {
		c.oom = 1;
		free_rule(c.r);
		c.r = NULL;
	}
	whorl_yaml_free(root);
	return c.oom ? -1 : 0;
out:
	/* the metadata still points into the tree: drop those pointers before freeing */
	c.r->meta.title = NULL;
	free_rule(c.r);
	whorl_yaml_free(root);
	if (c.oom)
		return -1;
	set->refused++;
	return 1;
}

int whorl_sigma_load_file(struct whorl_sigma_set *set, const char *path,
			  char err[WHORL_SIGMA_ERR_MAX])
{
	char *buf = NULL;
	size_t len = 0, cap = 0, got;
	FILE *f = fopen(path, "rb");
	int ret;

	if (!f) {
		snprintf(err, WHORL_SIGMA_ERR_MAX, "%s:0: %s", path, strerror(errno));
		set->refused++;
		set->unreadable++;
		return 1;
	}
	do {
		if (len == cap) {
			/* one byte past the bound is enough to refuse the file as too large */
			char *b = cap > WHORL_YAML_MAX_BYTES ? NULL :
				  realloc(buf, cap ? cap * 2 : 16384);

			if (!b && cap <= WHORL_YAML_MAX_BYTES) {
				free(buf);
				fclose(f);
				return -1;
			}
			if (!b)
				break;
			buf = b;
			cap = cap ? cap * 2 : 16384;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got);
	if (ferror(f)) {
		snprintf(err, WHORL_SIGMA_ERR_MAX, "%s:0: read error", path);
		free(buf);
		fclose(f);
		set->refused++;
		set->unreadable++;
		return 1;
	}
	fclose(f);
	ret = whorl_sigma_load_buf(set, path, buf ? buf : "", len, err);
	free(buf);
	return ret;
}

static int has_rule_suffix(const char *name)
{
	size_t n = strlen(name);

	return (n > 4 && !strcmp(name + n - 4, ".yml")) ||
	       (n > 5 && !strcmp(name + n - 5, ".yaml"));
}

/* An unreadable path: reported and counted like a refused rule. */
static void unreadable(struct whorl_sigma_set *set, const char *path, whorl_sigma_refused_fn cb,
		       void *ctx)
{
	char err[WHORL_SIGMA_ERR_MAX];

	snprintf(err, sizeof(err), "%.600s:0: %s", path, strerror(errno));
	if (cb)
		cb(ctx, err);
	set->refused++;
	set->unreadable++;
}

/* The directories being walked, to step over a symlink back to one of them. */
struct walk {
	dev_t dev[SIGMA_DIR_MAX_DEPTH];
	ino_t ino[SIGMA_DIR_MAX_DEPTH];
	int depth;
};

static int load_path(struct whorl_sigma_set *set, const char *path, whorl_sigma_refused_fn cb,
		     void *ctx, struct walk *w)
{
	char err[WHORL_SIGMA_ERR_MAX];
	struct dirent **ents;
	struct stat st;
	int n, i, ret = 0;
	char *sub;

	if (stat(path, &st)) {
		unreadable(set, path, cb, ctx);
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		ret = whorl_sigma_load_file(set, path, err);
		if (ret == 1 && cb)
			cb(ctx, err);
		return ret < 0 ? -1 : 0;
	}
	for (i = 0; i < w->depth; i++)
		if (w->dev[i] == st.st_dev && w->ino[i] == st.st_ino)
			return 0;	/* a loop */
	if (w->depth == SIGMA_DIR_MAX_DEPTH)
		return 0;
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0) {
		unreadable(set, path, cb, ctx);
		return 0;
	}
	w->dev[w->depth] = st.st_dev;
	w->ino[w->depth++] = st.st_ino;
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;

		if (!ret && name[0] != '.') {
			if (asprintf(&sub, "%s/%s", path, name) < 0) {
				ret = -1;
			} else {
				if (!stat(sub, &st) &&
				    (S_ISDIR(st.st_mode) || has_rule_suffix(name)))
					ret = load_path(set, sub, cb, ctx, w);
				free(sub);
			}
		}
		free(ents[i]);
	}
	free(ents);
	w->depth--;
	return ret;
}

int whorl_sigma_load_path(struct whorl_sigma_set *set, const char *path,
			  whorl_sigma_refused_fn refused, void *ctx)
{
	struct walk w = { .depth = 0 };

	return load_path(set, path, refused, ctx, &w);
}

const struct whorl_sigma_meta *whorl_sigma_rule_meta(const struct whorl_sigma_set *set, size_t i)
{
	return i < set->n ? &set->rules[i]->meta : NULL;
}

long whorl_sigma_match(struct whorl_sigma_set *set, const struct whorl_sigma_event *ev,
		       const struct whorl_sigma_meta **out, size_t max)
{
	const char *name = NULL;
	size_t i, len = 0;
	long hits = 0;
	uint32_t gen;

	if (!set->scratch) {
		set->scratch = sigma_scratch_new();
		if (!set->scratch)
			return -1;
	}
	if (!set->index || sigma_index_rules(set->index) != set->n) {
		sigma_index_free(set->index);
		set->index = sigma_index_build(set->rules, set->n);
		if (!set->index)
			return -1;
	}
	if (sigma_scratch_prepare(set->scratch, ev, set->max_searches))
		return -1;
	if (!sigma_scratch_image_name(set->scratch, &name, &len))
		name = NULL;
	gen = sigma_index_lookup(set->index, name, len);
	for (i = 0; i < set->n; i++) {
		if (!sigma_index_wants(set->index, i, gen) ||
		    !sigma_rule_matches(set->scratch, set->rules[i]))
			continue;
		if ((size_t)hits < max)
			out[hits] = &set->rules[i]->meta;
		hits++;
	}
	return hits;
}

void whorl_sigma_free(struct whorl_sigma_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		free_rule(set->rules[i]);
	free(set->rules);
	sigma_scratch_free(set->scratch);
	sigma_index_free(set->index);
	memset(set, 0, sizeof(*set));
}

int whorl_sigma_meta_named(const struct whorl_sigma_meta *m, const char *name)
{
	const char *base = strrchr(m->path, '/'), *dot;
	size_t n = strlen(name);

	if (!*name)
		return 0;
	if (m->id[0] && !strcmp(m->id, name))
		return 1;
	base = base ? base + 1 : m->path;
	if (!strcmp(base, name))
		return 1;
	dot = strrchr(base, '.');
	return dot && (!strcmp(dot, ".yml") || !strcmp(dot, ".yaml")) &&
	       (size_t)(dot - base) == n && !strncmp(base, name, n);
}
