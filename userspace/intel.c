// SPDX-License-Identifier: GPL-2.0
/* intel.c - the intel file parser: one entry per line, any bad line refuses the whole load. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel.h"
#include "kinds.h"
#include "utf8.h"

#define SHA256_HEX_LEN (2 * WHORL_SHA256_LEN)

static int fail(char *err, const char *file, size_t line, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(err, WHORL_INTEL_ERR_MAX, "%s:%zu: ", file, line);
	if (n < 0 || n >= WHORL_INTEL_ERR_MAX)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(err + n, WHORL_INTEL_ERR_MAX - n, fmt, ap);
	va_end(ap);
	return -1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next whitespace-separated word of [*p, end): sets *w, *wlen; advances *p past it. */
static int next_word(const char **p, const char *end, const char **w, size_t *wlen)
{
	const char *s = *p;

	while (s < end && is_blank(*s))
		s++;
	*w = s;
	while (s < end && !is_blank(*s))
		s++;
	*wlen = s - *w;
	*p = s;
	return *wlen > 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static struct whorl_intel_entry *add_entry(struct whorl_intel *set)
{
	struct whorl_intel_entry *e;

	if (set->n == set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 256;

		e = realloc(set->v, cap * sizeof(*e));
		if (!e)
			return NULL;
		set->v = e;
		set->cap = cap;
	}
	e = &set->v[set->n++];
	memset(e, 0, sizeof(*e));
	return e;
}

static int parse_line(struct whorl_intel *set, const char *file, size_t lineno,
		      const char *s, const char *end, char *err)
{
	const char *w, *cat_w, *p = s;
	size_t wlen, cat_len, i;
	struct whorl_intel_entry *e;
	char word[32];
	int category = WHORL_INTEL_MALICIOUS;
	int is_name;

	if (memchr(s, '\0', end - s))
		return fail(err, file, lineno, "NUL byte in the line");
	if (!whorl_utf8_valid(s, end - s))
		return fail(err, file, lineno, "not UTF-8 text");
	while (end > s && (is_blank(end[-1]) || end[-1] == '\r'))
		end--;
	if (!next_word(&p, end, &w, &wlen) || *w == '#')
		return 0;

	is_name = wlen >= 5 && !memcmp(w, "name:", 5);
	if (is_name) {
		w += 5;
		wlen -= 5;
		if (!wlen)
			return fail(err, file, lineno, "empty name in a name: rule");
		if (wlen > WHORL_NAME_MAX - 1)
			return fail(err, file, lineno, "name longer than %d bytes",
				    WHORL_NAME_MAX - 1);
		if (memchr(w, '/', wlen))
			return fail(err, file, lineno, "a name: rule is a basename, without '/'");
		for (i = 0; i < wlen; i++)
			if ((unsigned char)w[i] < 0x20 || w[i] == 0x7f)
				return fail(err, file, lineno, "control character in the name");
	} else {
		if (wlen != SHA256_HEX_LEN)
			return fail(err, file, lineno,
				    "not a SHA-256: %zu characters where 64 hex digits were expected",
				    wlen);
		for (i = 0; i < wlen; i++)
			if (hexval(w[i]) < 0)
				return fail(err, file, lineno,
					    "not a SHA-256: '%c' at column %zu is not a hex digit",
					    w[i], (size_t)(w - s) + i + 1);
	}

	if (next_word(&p, end, &cat_w, &cat_len)) {
		if (cat_len >= sizeof(word))
			cat_len = sizeof(word) - 1;
		memcpy(word, cat_w, cat_len);
		word[cat_len] = '\0';
		category = whorl_intel_category_by_name(word);
		if (category <= WHORL_INTEL_NONE)
			return fail(err, file, lineno,
				    "unknown category '%s' (malicious, container-escape, k8s-attack, recon)",
				    word);
	} else if (is_name) {
		return fail(err, file, lineno,
			    "a name: rule needs a category (malicious, container-escape, k8s-attack, recon)");
	}

	while (p < end && is_blank(*p))
		p++;
	if ((size_t)(end - p) > WHORL_LABEL_MAX - 1)
		return fail(err, file, lineno, "label longer than %d bytes", WHORL_LABEL_MAX - 1);
	for (i = 0; p + i < end; i++)
		if (((unsigned char)p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f)
			return fail(err, file, lineno, "control character in the label");

	e = add_entry(set);
	if (!e)
		return fail(err, file, lineno, "out of memory");
	e->category = category;
	if (p < end && !(e->label = strndup(p, end - p)))
		goto nomem;
	if (is_name) {
		if (!(e->name = strndup(w, wlen)))
			goto nomem;
		set->names++;
	} else {
		for (i = 0; i < WHORL_SHA256_LEN; i++)
			e->sha256[i] = hexval(w[2 * i]) << 4 | hexval(w[2 * i + 1]);
		set->hashes++;
	}
	return 0;
nomem:
	return fail(err, file, lineno, "out of memory");
}

int whorl_intel_parse(struct whorl_intel *set, const char *name, const char *text, size_t len,
		      char err[WHORL_INTEL_ERR_MAX])
{
	const char *end = text + len, *s = text, *nl;
	size_t lineno = 1;

	/* A byte order mark, as some editors write UTF-8. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		s += 3;
	for (; s < end; s = nl + 1, lineno++) {
		nl = memchr(s, '\n', end - s);
		if (!nl)
			nl = end;
		if (parse_line(set, name, lineno, s, nl, err))
			return -1;
	}
	return 0;
}

int whorl_intel_load_file(struct whorl_intel *set, const char *path,
			  char err[WHORL_INTEL_ERR_MAX])
{
	size_t cap = 1 << 16, len = 0, got;
	char *buf = NULL, *nbuf;
	FILE *f;
	int ret;

	f = fopen(path, "re");
	if (!f)
		goto err_errno;
	for (;;) {
		if (len == cap || !buf) {
			if (buf)
				cap *= 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				errno = ENOMEM;
				goto err_close;
			}
			buf = nbuf;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f)) {
				errno = EIO;
				goto err_close;
			}
			break;
		}
	}
	fclose(f);
	ret = whorl_intel_parse(set, path, buf, len, err);
	free(buf);
	return ret;

err_close:
	ret = errno;
	fclose(f);
	free(buf);
	errno = ret;
err_errno:
	snprintf(err, WHORL_INTEL_ERR_MAX, "%s: %s", path, strerror(errno));
	return -1;
}

void whorl_intel_free(struct whorl_intel *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		free(set->v[i].name);
		free(set->v[i].label);
	}
	free(set->v);
	memset(set, 0, sizeof(*set));
}
