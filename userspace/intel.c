// SPDX-License-Identifier: GPL-2.0
/* intel.c - the intel file parser: one entry per line, any bad line refuses the whole load. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* What one parse needs besides the line: the set, the file's name, the hex digit table. */
struct parse_ctx {
	struct whorl_intel *set;
	const char *file;
	char *err;
	signed char hex[256];		/* a byte's hex digit value, or -1 */
};

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

/* Are all bytes of [s, s+len) in 0x01..0x7f? Eight at a time: most feeds are ASCII. */
static int plain_ascii(const char *s, size_t len)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	uint64_t w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		if ((w & highs) || ((w - ones) & ~w & highs))
			return 0;
	}
	for (; i < len; i++)
		if ((unsigned char)s[i] - 1u >= 0x7f)
			return 0;
	return 1;
}

/* Room in *@arr (@elem-byte items, *@cap of them) for one past @n, doubling. Return: 0 or -1. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem, size_t first)
{
	size_t ncap = *cap ? 2 * *cap : first;
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* FNV-1a over a label. */
static uint32_t label_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	while (len--) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

/* Rebuild the label index with @slots slots (a power of two). */
static int label_index_resize(struct whorl_intel *set, size_t slots)
{
	uint32_t *idx = calloc(slots, sizeof(*idx));
	size_t k, i;

	if (!idx)
		return -1;
	for (k = 0; k < set->nlabels; k++) {
		i = label_hash(set->labels[k], strlen(set->labels[k])) & (slots - 1);
		while (idx[i])
			i = (i + 1) & (slots - 1);
		idx[i] = k + 1;
	}
	free(set->label_index);
	set->label_index = idx;
	set->label_slots = slots;
	return 0;
}

/* The number of label [s, s+len) (not empty), added when new. Return: 0, or -1 when full. */
static int label_intern(struct parse_ctx *c, size_t lineno, const char *s, size_t len,
			uint32_t *out)
{
	struct whorl_intel *set = c->set;
	uint32_t h = label_hash(s, len), v;
	size_t i, mask;
	const char *l;

	if (!set->label_slots && label_index_resize(set, 32))
		goto nomem;
	mask = set->label_slots - 1;
	for (i = h & mask; (v = set->label_index[i]); i = (i + 1) & mask) {
		l = set->labels[v - 1];
		if (!strncmp(l, s, len) && !l[len]) {
			*out = v;
			return 0;
		}
	}
	if (set->nlabels == WHORL_INTEL_MAX_LABELS)
		return fail(c->err, c->file, lineno, "more than %d distinct labels",
			    WHORL_INTEL_MAX_LABELS);
	if (grow((void **)&set->labels, &set->labels_cap, set->nlabels, sizeof(*set->labels), 16))
		goto nomem;
	if (2 * (set->nlabels + 1) > set->label_slots &&
	    label_index_resize(set, 2 * set->label_slots))
		goto nomem;
	set->labels[set->nlabels] = strndup(s, len);
	if (!set->labels[set->nlabels])
		goto nomem;
	mask = set->label_slots - 1;
	for (i = h & mask; set->label_index[i]; i = (i + 1) & mask)
		;
	*out = set->label_index[i] = ++set->nlabels;
	return 0;
nomem:
	return fail(c->err, c->file, lineno, "out of memory");
}

static struct whorl_intel_entry *add_entry(struct whorl_intel *set)
{
	struct whorl_intel_entry *e;

	if (grow((void **)&set->v, &set->cap, set->n, sizeof(*set->v), 256))
		return NULL;
	e = &set->v[set->n++];
	memset(e, 0, sizeof(*e));
	return e;
}

/* Decode the 64 hex digits at @w into @sha; on a bad digit, its offset in @w, else -1. */
static long decode_sha256(const signed char *hex, const char *w, uint8_t *sha)
{
	int hi, lo;
	size_t i;

	for (i = 0; i < WHORL_SHA256_LEN; i++) {
		hi = hex[(unsigned char)w[2 * i]];
		lo = hex[(unsigned char)w[2 * i + 1]];
		if ((hi | lo) < 0)
			return 2 * i + (hi >= 0);
		sha[i] = (uint8_t)(hi << 4 | lo);
	}
	return -1;
}

/* The rest of a line, [p, end), as a label: trimmed, checked. Return: its length, or -1. */
static long label_text(struct parse_ctx *c, size_t lineno, const char **pp, const char *end)
{
	const char *p = *pp;
	size_t i;

	while (p < end && is_blank(*p))
		p++;
	*pp = p;
	if ((size_t)(end - p) > WHORL_LABEL_MAX - 1)
		return fail(c->err, c->file, lineno, "label longer than %d bytes",
			    WHORL_LABEL_MAX - 1);
	for (i = 0; p + i < end; i++)
		if (((unsigned char)p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f)
			return fail(c->err, c->file, lineno, "control character in the label");
	return end - p;
}

/* "url:<URL> [label...]": the relay's, matched against command lines (urls.h). */
static int parse_url(struct parse_ctx *c, size_t lineno, const char *w, size_t wlen,
		     const char *p, const char *end)
{
	long llen;
	int ret;

	if (!wlen)
		return fail(c->err, c->file, lineno, "empty URL in a url: line");
	if (wlen > WHORL_URL_MAX - 1)
		return fail(c->err, c->file, lineno, "URL longer than %d bytes", WHORL_URL_MAX - 1);
	llen = label_text(c, lineno, &p, end);
	if (llen < 0)
		return -1;
	ret = whorl_urls_add(&c->set->urls, w, wlen, llen ? p : NULL, (size_t)llen);
	if (ret == -2)
		return fail(c->err, c->file, lineno,
			    "not a URL: scheme://host[:port][/path] or host[/path] expected");
	if (ret)
		return fail(c->err, c->file, lineno, "out of memory");
	return 0;
}

static int parse_line(struct parse_ctx *c, size_t lineno, const char *s, const char *end)
{
	const char *w, *cat_w, *p = s, *file = c->file;
	uint8_t sha[WHORL_SHA256_LEN];
	struct whorl_intel_entry *e;
	size_t wlen, cat_len, i;
	char word[32], *err = c->err;
	int category = WHORL_INTEL_MALICIOUS;
	uint32_t label = 0;
	int is_name;
	long bad;

	if (!plain_ascii(s, end - s)) {
		if (memchr(s, '\0', end - s))
			return fail(err, file, lineno, "NUL byte in the line");
		if (!whorl_utf8_valid(s, end - s))
			return fail(err, file, lineno, "not UTF-8 text");
	}
	while (end > s && (is_blank(end[-1]) || end[-1] == '\r'))
		end--;
	if (!next_word(&p, end, &w, &wlen) || *w == '#')
		return 0;

	if (wlen >= 4 && !memcmp(w, "url:", 4))
		return parse_url(c, lineno, w + 4, wlen - 4, p, end);
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
		bad = decode_sha256(c->hex, w, sha);
		if (bad >= 0)
			return fail(err, file, lineno,
				    "not a SHA-256: '%c' at column %zu is not a hex digit",
				    w[bad], (size_t)(w - s) + bad + 1);
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

	if (label_text(c, lineno, &p, end) < 0)
		return -1;
	if (p < end && label_intern(c, lineno, p, end - p, &label))
		return -1;

	e = add_entry(c->set);
	if (!e)
		return fail(err, file, lineno, "out of memory");
	e->category = category;
	e->label = label;
	if (is_name) {
		if (!(e->name = strndup(w, wlen)))
			return fail(err, file, lineno, "out of memory");
		c->set->names++;
	} else {
		memcpy(e->sha256, sha, WHORL_SHA256_LEN);
		c->set->hashes++;
	}
	return 0;
}

int whorl_intel_parse(struct whorl_intel *set, const char *name, const char *text, size_t len,
		      char err[WHORL_INTEL_ERR_MAX])
{
	struct parse_ctx c = { .set = set, .file = name, .err = err };
	const char *end = text + len, *s = text, *nl;
	size_t lineno = 1;
	int i;

	memset(c.hex, -1, sizeof(c.hex));
	for (i = 0; i < 10; i++)
		c.hex['0' + i] = i;
	for (i = 0; i < 6; i++)
		c.hex['a' + i] = c.hex['A' + i] = 10 + i;
	/* A byte order mark, as some editors write UTF-8. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		s += 3;
	for (; s < end; s = nl + 1, lineno++) {
		nl = memchr(s, '\n', end - s);
		if (!nl)
			nl = end;
		if (parse_line(&c, lineno, s, nl))
			return -1;
	}
	whorl_urls_index(&set->urls);
	return 0;
}

int whorl_intel_load_file(struct whorl_intel *set, const char *path,
			  char err[WHORL_INTEL_ERR_MAX])
{
	size_t cap = 1 << 16, len = 0, got;
	char *buf = NULL, *nbuf;
	struct stat st;
	FILE *f;
	int ret;

	f = fopen(path, "re");
	if (!f)
		goto err_errno;
	/* A regular file's size, so its text is read into one buffer without regrowing. */
	if (!fstat(fileno(f), &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size < SIZE_MAX / 2)
		cap = (size_t)st.st_size + 1;
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

	for (i = 0; i < set->n; i++)
		free(set->v[i].name);
	for (i = 0; i < set->nlabels; i++)
		free(set->labels[i]);
	free(set->v);
	free(set->labels);
	free(set->label_index);
	whorl_urls_free(&set->urls);
	memset(set, 0, sizeof(*set));
}
