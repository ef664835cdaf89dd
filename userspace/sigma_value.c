// SPDX-License-Identifier: GPL-2.0
/* sigma_value.c - one Sigma value and its modifiers, compiled: wildcards, base64, regex, CIDR. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sigma_int.h"
#include "yamltree.h"

static int refuse(struct sigma_verr *c, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	c->line = line;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	return -1;
}

static int oom(struct sigma_verr *c)
{
	c->oom = 1;
	return -1;
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

static void lower_ascii(char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] += 'a' - 'A';
}

int sigma_mods_parse(struct sigma_verr *c, unsigned int line, const char *spec,
		     struct sigma_mods *m)
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
			m->op = mod[0] == 'c' ? SIGMA_OP_CONTAINS :
				mod[0] == 's' ? SIGMA_OP_STARTSWITH : SIGMA_OP_ENDSWITH;
		} else if (!strcmp(mod, "all")) {
			m->all = 1;
		} else if (!strcmp(mod, "re")) {
			m->re = 1;
		} else if (m->re && !strcmp(mod, "i")) {
			m->re_i = 1;
		} else if (m->re && !strcmp(mod, "m")) {
			m->re_m = 1;
		} else if (m->re && !strcmp(mod, "s")) {
			m->re_s = 1;
		} else if (!strcmp(mod, "base64") || !strcmp(mod, "base64offset")) {
			if (m->b64 || m->b64off)
				return refuse(c, line, "base64 twice");
			if (!strcmp(mod, "base64"))
				m->b64 = 1;
			else
				m->b64off = 1;
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
					return refuse(c, line,
						      "modifier '%s' is not supported: %s", mod,
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
			      m->op_before_b64 == SIGMA_OP_CONTAINS ? "contains" :
			      m->op_before_b64 == SIGMA_OP_STARTSWITH ? "startswith" : "endswith");
	if (m->b64off && m->op != SIGMA_OP_CONTAINS)
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
		v = in[i] << 16 | (i + 1 < len ? in[i + 1] << 8 : 0) |
		    (i + 2 < len ? in[i + 2] : 0);
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
static int compile_b64(struct sigma_verr *c, struct sigma_value *v, const char *s, size_t len,
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

static int compile_regex(struct sigma_verr *c, unsigned int line, struct sigma_value *v,
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
static int compile_glob(struct sigma_verr *c, unsigned int line, struct sigma_value *v,
			const struct glob_char *g, size_t n, int op)
{
	char *pat = malloc(4 * n + 16), *p;
	size_t i;
	int ret;

	if (!pat)
		return oom(c);
	p = pat;
	if (op == SIGMA_OP_CONTAINS || op == SIGMA_OP_ENDSWITH) {
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
	if (op == SIGMA_OP_CONTAINS || op == SIGMA_OP_STARTSWITH) {
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

static int compile_cidr(struct sigma_verr *c, unsigned int line, struct sigma_value *v,
			const char *s)
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

int sigma_value_compile(struct sigma_verr *c, const struct whorl_ynode *n,
			const struct sigma_mods *m, struct sigma_value *v)
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
	if (op == SIGMA_OP_NONE && !m->b64 && !m->b64off) {
		int lead = gn && g[0].wild == '*', trail = gn > 1 && g[gn - 1].wild == '*';

		if (lead)
			start = 1;
		if (trail)
			end = gn - 1;
		op = lead && trail ? SIGMA_OP_CONTAINS : lead ? SIGMA_OP_ENDSWITH :
		     trail ? SIGMA_OP_STARTSWITH : SIGMA_OP_NONE;
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
	v->kind = op == SIGMA_OP_CONTAINS ? SV_CONTAINS : op == SIGMA_OP_STARTSWITH ? SV_PREFIX :
		  op == SIGMA_OP_ENDSWITH ? SV_SUFFIX : SV_EQUAL;
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

void sigma_value_free(struct sigma_value *v)
{
	unsigned int i;

	for (i = 0; i < v->nalt; i++)
		free(v->s[i]);
	pcre2_code_free(v->re);
}
