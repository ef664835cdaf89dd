// SPDX-License-Identifier: GPL-2.0
/* sigma.c - Sigma rule files into compiled rules: metadata, logsource, detection, modifiers. */

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "sigma_int.h"
#include "yamltree.h"

/* Where SigmaHQ keeps its Linux process_creation rules; their files are named proc_creation_lnx_*. */
#define SIGMAHQ_PREFIX "proc_creation_lnx_"
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

/* Modifiers Sigma defines that whorl refuses, and why (docs/SIGMA.md). */
static const struct {
	const char *name;
	const char *why;
} unsupported_mods[] = {
	{ "windash", "Windows command-line dash variants; Linux options have one dash" },
	{ "wide", "UTF-16 encodings do not occur in Linux argv" },
	{ "utf16", "UTF-16 encodings do not occur in Linux argv" },
	{ "utf16le", "UTF-16 encodings do not occur in Linux argv" },
	{ "utf16be", "UTF-16 encodings do not occur in Linux argv" },
	{ "lt", "numeric comparisons: no process_creation field is a number to compare" },
	{ "lte", "numeric comparisons: no process_creation field is a number to compare" },
	{ "gt", "numeric comparisons: no process_creation field is a number to compare" },
	{ "gte", "numeric comparisons: no process_creation field is a number to compare" },
	{ "neq", "neq is not supported; use a filter and 'not'" },
	{ "fieldref", "field references are not supported" },
	{ "expand", "placeholders need a pipeline that whorl does not have" },
	{ "minute", "time modifiers: an exec event has no date field" },
	{ "hour", "time modifiers: an exec event has no date field" },
	{ "day", "time modifiers: an exec event has no date field" },
	{ "week", "time modifiers: an exec event has no date field" },
	{ "month", "time modifiers: an exec event has no date field" },
	{ "year", "time modifiers: an exec event has no date field" },
};

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

static void lower_ascii(char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] += 'a' - 'A';
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

/* attack.t1059.004 -> T1059.004; attack.privilege-escalation -> PRIVILEGE_ESCALATION. */
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
	return push_str(c, &m->tactics, &m->ntactics, buf, len);
}

static int load_meta(struct lctx *c, const struct whorl_ynode *root)
{
	static const char *const levels[] = { "informational", "low", "medium", "high", "critical" };
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
	    meta_string(c, root, "level", "medium", &m->level))
		return -1;
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

/* --- values ---------------------------------------------------------------------------------- */

enum { OP_NONE, OP_CONTAINS, OP_STARTSWITH, OP_ENDSWITH };

struct mods {
	int op;
	int all, re, re_i, re_m, re_s, b64, b64off, cidr, cased, exists;
	int op_before_b64;
};

static int parse_mods(struct lctx *c, unsigned int line, const char *spec, struct mods *m)
{
	const char *p = spec, *e;
	char mod[32];
	size_t len, i;

	memset(m, 0, sizeof(*m));
	while (*p) {
		e = strchr(p, '|');
		len = e ? (size_t)(e - p) : strlen(p);
		if (!len || len >= sizeof(mod))
			return refuse(c, line, "bad modifier in '%.64s'", spec);
		memcpy(mod, p, len);
		mod[len] = '\0';
		p += len + (e ? 1 : 0);
		if (!strcmp(mod, "contains") || !strcmp(mod, "startswith") ||
		    !strcmp(mod, "endswith")) {
			if (m->op)
				return refuse(c, line, "more than one of contains, startswith, endswith");
			m->op = mod[0] == 'c' ? OP_CONTAINS : mod[0] == 's' ? OP_STARTSWITH :
				OP_ENDSWITH;
		} else if (!strcmp(mod, "all")) {
			m->all = 1;
		} else if (!strcmp(mod, "re")) {
			m->re = 1;
		} else if (m->re && (!strcmp(mod, "i") || !strcmp(mod, "m") || !strcmp(mod, "s"))) {
			*(mod[0] == 'i' ? &m->re_i : mod[0] == 'm' ? &m->re_m : &m->re_s) = 1;
		} else if (!strcmp(mod, "base64") || !strcmp(mod, "base64offset")) {
			if (m->b64 || m->b64off)
				return refuse(c, line, "base64 twice");
			*(mod[6] ? &m->b64off : &m->b64) = 1;
			m->op_before_b64 = m->op;
		} else if (!strcmp(mod, "cidr")) {
			m->cidr = 1;
		} else if (!strcmp(mod, "cased")) {
			m->cased = 1;
		} else if (!strcmp(mod, "exists")) {
			m->exists = 1;
		} else {
			for (i = 0; i < sizeof(unsupported_mods) / sizeof(unsupported_mods[0]); i++)
				if (!strcmp(mod, unsupported_mods[i].name))
					return refuse(c, line, "modifier '%s' is not supported: %s", mod,
						      unsupported_mods[i].why);
			return refuse(c, line, "unknown modifier '%.31s'", mod);
		}
	}
	if (m->re && (m->op || m->b64 || m->b64off || m->cidr || m->cased || m->exists))
		return refuse(c, line, "'re' takes no other modifier but i, m, s and all");
	if (m->cidr && (m->op || m->b64 || m->b64off || m->cased || m->exists))
		return refuse(c, line, "'cidr' takes no other modifier but all");
	if (m->exists && (m->op || m->b64 || m->b64off || m->cased || m->all))
		return refuse(c, line, "'exists' takes no other modifier");
	if (m->op_before_b64)
		return refuse(c, line, "%s must come after base64/base64offset, not before",
			      m->op_before_b64 == OP_CONTAINS ? "contains" :
			      m->op_before_b64 == OP_STARTSWITH ? "startswith" : "endswith");
	if (m->b64off && m->op != OP_CONTAINS)
		return refuse(c, line, "base64offset is supported with contains only");
	return 0;
}

/* Sigma's escaping: a backslash makes the next *, ? or \ plain; elsewhere it is itself. */
struct glob_char {
	char ch;
	char wild;		/* '*' or '?', or 0 for a plain ch */
};

static size_t unescape(const char *s, size_t len, struct glob_char *out)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len &&
		    (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
			out[n].ch = s[++i];
			out[n++].wild = 0;
		} else if (s[i] == '*' || s[i] == '?') {
			out[n].ch = s[i];
			out[n++].wild = s[i];
		} else {
			out[n].ch = s[i];
			out[n++].wild = 0;
		}
	}
	return n;
}

static const char b64_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard base64 with '=' padding; @out needs 4 * ((len + 2) / 3) + 1 bytes. */
static size_t b64_encode(const unsigned char *in, size_t len, char *out)
{
	size_t i, o = 0;
	uint32_t v;

	for (i = 0; i < len; i += 3) {
		v = in[i] << 16 | (i + 1 < len ? in[i + 1] << 8 : 0) | (i + 2 < len ? in[i + 2] : 0);
		out[o++] = b64_chars[v >> 18 & 63];
		out[o++] = b64_chars[v >> 12 & 63];
		out[o++] = i + 1 < len ? b64_chars[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? b64_chars[v & 63] : '=';
	}
	out[o] = '\0';
	return o;
}

/*
 * The value as base64 (one alternative) or, for base64offset, the three forms it takes
 * depending on its offset in the encoded data: the characters that depend on the bytes
 * around it are cut (leading: 0, 2, 3 for offsets 0, 1, 2; trailing: by the final group).
 */
static int compile_b64(struct lctx *c, struct sigma_value *v, const char *s, size_t len,
		       int offsets)
{
	static const size_t lead[3] = { 0, 2, 3 }, trail[3] = { 0, 3, 2 };
	unsigned char *in = malloc(len + 2);
	size_t i, n, from, to;
	char *out;

	if (!in)
		return oom(c);
	for (i = 0; i < (offsets ? 3u : 1u); i++) {
		memset(in, 0, i);
		memcpy(in + i, s, len);
		out = malloc(4 * ((len + i + 2) / 3) + 1);
		if (!out) {
			free(in);
			return oom(c);
		}
		n = b64_encode(in, len + i, out);
		from = offsets ? lead[i] : 0;
		to = offsets ? n - trail[(len + i) % 3] : n;
		if (to < from)
			to = from;
		memmove(out, out + from, to - from);
		out[to - from] = '\0';
		v->s[v->nalt] = out;
		v->len[v->nalt++] = to - from;
	}
	free(in);
	v->cased = 1;	/* base64's letters' case is data */
	return 0;
}

static int compile_regex(struct lctx *c, unsigned int line, struct sigma_value *v,
			 const char *pattern, size_t len, uint32_t flags)
{
	PCRE2_UCHAR msg[128];
	PCRE2_SIZE off;
	int code;

	v->kind = SV_REGEX;
	v->re = pcre2_compile((PCRE2_SPTR)pattern, len, flags, &code, &off, NULL);
	if (!v->re) {
		if (code == PCRE2_ERROR_NOMEMORY)
			return oom(c);
		pcre2_get_error_message(code, msg, sizeof(msg));
		return refuse(c, line, "bad regular expression at offset %zu: %s", (size_t)off,
			      (char *)msg);
	}
	pcre2_jit_compile(v->re, PCRE2_JIT_COMPLETE);	/* the interpreter if JIT is missing */
	return 0;
}

/* A plain value with wildcards, as an anchored PCRE2 pattern over the (lower-case) field. */
static int compile_glob(struct lctx *c, unsigned int line, struct sigma_value *v,
			const struct glob_char *g, size_t n, int op)
{
	char *pat = malloc(4 * n + 16), *p;
	size_t i;
	int ret;

	if (!pat)
		return oom(c);
	p = pat;
	if (op == OP_CONTAINS || op == OP_ENDSWITH) {
		*p++ = '.';
		*p++ = '*';
	}
	for (i = 0; i < n; i++) {
		if (g[i].wild == '*') {
			*p++ = '.';
			*p++ = '*';
		} else if (g[i].wild == '?') {
			*p++ = '.';
		} else if ((unsigned char)g[i].ch < 0x80 && !((g[i].ch >= '0' && g[i].ch <= '9') ||
							     (g[i].ch >= 'a' && g[i].ch <= 'z') ||
							     (g[i].ch >= 'A' && g[i].ch <= 'Z'))) {
			if (!g[i].ch) {
				memcpy(p, "\\x00", 4);
				p += 4;
				continue;
			}
			*p++ = '\\';
			*p++ = g[i].ch;
		} else {
			*p++ = g[i].ch;
		}
	}
	if (op == OP_CONTAINS || op == OP_STARTSWITH) {
		*p++ = '.';
		*p++ = '*';
	}
	if (!v->cased)
		lower_ascii(pat, p - pat);
	ret = compile_regex(c, line, v, pat, p - pat, PCRE2_ANCHORED | PCRE2_ENDANCHORED |
			    PCRE2_DOTALL);
	free(pat);
	return ret;
}

static int compile_cidr(struct lctx *c, unsigned int line, struct sigma_value *v, const char *s)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	unsigned long bits;
	char *end;
	size_t len = slash ? (size_t)(slash - s) : strlen(s);

	v->kind = SV_CIDR;
	if (len >= sizeof(addr))
		return refuse(c, line, "bad CIDR '%.64s'", s);
	memcpy(addr, s, len);
	addr[len] = '\0';
	v->family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(v->family, addr, v->addr) != 1)
		return refuse(c, line, "bad CIDR '%.64s'", s);
	bits = v->family == AF_INET ? 32 : 128;
	if (slash) {
		errno = 0;
		bits = strtoul(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end ||
		    bits > (v->family == AF_INET ? 32u : 128u))
			return refuse(c, line, "bad CIDR '%.64s'", s);
	}
	v->bits = bits;
	return 0;
}

static int compile_value(struct lctx *c, const struct whorl_ynode *n, const struct mods *m,
			 struct sigma_value *v)
{
	struct glob_char *g;
	size_t gn, i, start, end;
	int wild = 0, op = m->op, ret;
	uint32_t flags;
	char *lit;

	memset(v, 0, sizeof(*v));
	if (n->type != WHORL_Y_SCALAR)
		return refuse(c, n->line, "a value must be a string, a number or null");
	if (m->exists) {
		if (strcmp(n->str, "true") && strcmp(n->str, "false"))
			return refuse(c, n->line, "'exists' takes true or false");
		v->kind = SV_EXISTS;
		v->want = n->str[0] == 't';
		return 0;
	}
	if (whorl_yscalar_is_null(n)) {
		if (m->op || m->re || m->b64 || m->b64off || m->cidr)
			return refuse(c, n->line, "null takes no modifier");
		v->kind = SV_NULL;
		return 0;
	}
	if (m->re) {
		v->cased = 1;
		flags = (m->re_i ? PCRE2_CASELESS : 0) | (m->re_m ? PCRE2_MULTILINE : 0) |
			(m->re_s ? PCRE2_DOTALL : 0);
		return compile_regex(c, n->line, v, n->str, n->len, flags);
	}
	if (m->cidr)
		return compile_cidr(c, n->line, v, n->str);
	v->cased = m->cased;
	g = malloc((n->len + 1) * sizeof(*g));
	if (!g)
		return oom(c);
	gn = unescape(n->str, n->len, g);
	/* leading and trailing * of a plain value are contains/startswith/endswith */
	start = 0;
	end = gn;
	if (op == OP_NONE && !m->b64 && !m->b64off) {
		int lead = gn && g[0].wild == '*', trail = gn > 1 && g[gn - 1].wild == '*';

		if (lead)
			start = 1;
		if (trail)
			end = gn - 1;
		op = lead && trail ? OP_CONTAINS : lead ? OP_ENDSWITH : trail ? OP_STARTSWITH : OP_NONE;
	}
	for (i = start; i < end; i++)
		wild |= g[i].wild;
	if (wild && (m->b64 || m->b64off)) {
		free(g);
		return refuse(c, n->line, "wildcards in a base64-encoded value are not supported");
	}
	if (wild) {
		ret = compile_glob(c, n->line, v, g + start, end - start, op);
		free(g);
		return ret;
	}
	lit = malloc(end - start + 1);
	if (!lit) {
		free(g);
		return oom(c);
	}
	for (i = start; i < end; i++)
		lit[i - start] = g[i].ch;
	lit[end - start] = '\0';
	free(g);
	v->kind = op == OP_CONTAINS ? SV_CONTAINS : op == OP_STARTSWITH ? SV_PREFIX :
		  op == OP_ENDSWITH ? SV_SUFFIX : SV_EQUAL;
	if (m->b64 || m->b64off) {
		ret = compile_b64(c, v, lit, end - start, m->b64off);
		free(lit);
		return ret;
	}
	if (!v->cased)
		lower_ascii(lit, end - start);
	v->s[0] = lit;
	v->len[0] = end - start;
	v->nalt = 1;
	return 0;
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
	struct mods m = { 0 };
	int ret = 0;

	memset(it, 0, sizeof(*it));
	it->field = -1;
	if (key) {
		flen = bar ? (size_t)(bar - key->str) : key->len;
		if (flen >= sizeof(field))
			return refuse(c, line, "field name too long");
		memcpy(field, key->str, flen);
		field[flen] = '\0';
		if (bar && parse_mods(c, line, bar + 1, &m))
			return -1;
		if (flen) {
			it->field = whorl_sigma_field_by_name(field);
			if (it->field < 0)
				return refuse(c, line, "unknown field '%s' (docs/SIGMA.md lists the fields)",
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
		m.op = OP_CONTAINS;	/* keywords are found anywhere in a field */
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
			ret = compile_value(c, vn, &m, &it->v[i]);
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
	/* title, id, author, level, status point into this block */
	free((char *)r->meta.title);
	free(r);
}

/* Copy the metadata strings out of the YAML tree into one block the rule owns. */
static int own_strings(struct lctx *c)
{
	struct whorl_sigma_meta *m = &c->r->meta;
	const char **f[] = { &m->title, &m->id, &m->author, &m->level, &m->status };
	size_t total = 0, i, len;
	char *block, *p;

	for (i = 0; i < 5; i++)
		total += strlen(*f[i]) + 1;
	block = malloc(total);
	if (!block)
		return oom(c);
	p = block;
	for (i = 0; i < 5; i++) {
		len = strlen(*f[i]) + 1;
		memcpy(p, *f[i], len);
		*f[i] = p;
		p += len;
	}
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

	return (n > 4 && !strcmp(name + n - 4, ".yml")) || (n > 5 && !strcmp(name + n - 5, ".yaml"));
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
				if (!stat(sub, &st) && (S_ISDIR(st.st_mode) || has_rule_suffix(name)))
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
