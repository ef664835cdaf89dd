// SPDX-License-Identifier: GPL-2.0
/*
 * urls.c - URLs named by intel, found in command lines (urls.h).
 *
 * An entry's key and a command line's URL are both reduced by whorl_url_key(); a lookup tries
 * the URL's key and each of its prefixes that end where a path segment or the query begins,
 * each by binary search in the sorted keys: a command line costs a few searches per URL,
 * whatever the number of entries.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "urls.h"

static int scheme_char(char c)
{
	return isalnum((unsigned char)c) || c == '+' || c == '.' || c == '-';
}

static int host_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_';
}

/* The port a scheme uses when the URL names none, or NULL. */
static const char *default_port(const char *scheme, size_t len)
{
	static const struct { const char *scheme, *port; } d[] = {
		{ "http", "80" }, { "https", "443" }, { "ftp", "21" }, { "ws", "80" },
		{ "wss", "443" }, { "gopher", "70" }, { "tftp", "69" },
	};
	size_t i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (strlen(d[i].scheme) == len && !strncasecmp(d[i].scheme, scheme, len))
			return d[i].port;
	return NULL;
}

long whorl_url_key(const char *s, size_t len, char out[WHORL_URL_MAX])
{
	const char *end = s + len, *scheme = NULL, *p, *auth, *auth_end, *host, *host_end;
	const char *port = NULL, *port_end = NULL, *dport, *rest, *rest_end, *sep;
	size_t scheme_len = 0, n = 0, i;

	sep = len >= 3 ? memmem(s, len, "://", 3) : NULL;
	if (sep) {
		if (sep == s || !isalpha((unsigned char)*s))
			return -1;
		for (p = s; p < sep; p++)
			if (!scheme_char(*p))
				return -1;
		scheme = s;
		scheme_len = sep - s;
		auth = sep + 3;
	} else {
		auth = s;
	}
	for (auth_end = auth; auth_end < end && !strchr("/?#", *auth_end); auth_end++)
		;
	/* userinfo: everything to the last '@' of the authority */
	host = auth;
	for (p = auth; p < auth_end; p++)
		if (*p == '@')
			host = p + 1;
	host_end = auth_end;
	if (host < host_end && *host == '[') {
		p = memchr(host, ']', (size_t)(host_end - host));
		if (!p)
			return -1;
		for (i = 1; host + i < p; i++)
			if (!isxdigit((unsigned char)host[i]) && host[i] != ':' && host[i] != '.')
				return -1;
		if (p + 1 < host_end) {
			if (p[1] != ':')
				return -1;
			port = p + 2;
			port_end = host_end;
		}
		host_end = p + 1;
	} else {
		for (p = host; p < host_end && *p != ':'; p++)
			;
		if (p < host_end) {
			port = p + 1;
			port_end = host_end;
			host_end = p;
		}
		while (host_end > host && host_end[-1] == '.')
			host_end--;
		for (p = host; p < host_end; p++)
			if (!host_char(*p))
				return -1;
	}
	if (host == host_end)
		return -1;
	if (port) {
		if (port == port_end)
			port = NULL;	/* "host:" is the default port */
		for (p = port; p && p < port_end; p++)
			if (!isdigit((unsigned char)*p))
				return -1;
		dport = scheme ? default_port(scheme, scheme_len) : NULL;
		if (port && dport && (size_t)(port_end - port) == strlen(dport) &&
		    !memcmp(port, dport, port_end - port))
			port = NULL;
	}
	rest = auth_end;
	rest_end = memchr(rest, '#', end - rest);
	if (!rest_end)
		rest_end = end;
	for (p = rest; p < rest_end; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return -1;
	if ((size_t)(host_end - host) + (port ? (size_t)(port_end - port) + 1 : 0) +
	    (size_t)(rest_end - rest) + 1 >= WHORL_URL_MAX)
		return -1;
	for (p = host; p < host_end; p++)
		out[n++] = (char)tolower((unsigned char)*p);
	if (port) {
		out[n++] = ':';
		memcpy(out + n, port, port_end - port);
		n += port_end - port;
	}
	if (rest == rest_end || *rest == '?')
		out[n++] = '/';
	memcpy(out + n, rest, rest_end - rest);
	n += rest_end - rest;
	out[n] = '\0';
	return (long)n;
}

int whorl_urls_add(struct whorl_urls *u, const char *url, size_t len, const char *label,
		   size_t llen)
{
	char key[WHORL_URL_MAX];
	struct whorl_url_entry *e;
	long klen = whorl_url_key(url, len, key);

	if (klen < 0)
		return -2;
	if (u->n == u->cap) {
		size_t cap = u->cap ? 2 * u->cap : 16;

		e = realloc(u->v, cap * sizeof(*e));
		if (!e)
			return -1;
		u->v = e;
		u->cap = cap;
	}
	e = &u->v[u->n];
	e->key = strndup(key, (size_t)klen);
	e->label = label ? strndup(label, llen) : NULL;
	if (!e->key || (label && !e->label)) {
		free(e->key);
		free(e->label);
		return -1;
	}
	e->len = (size_t)klen;
	e->order = u->lines++;
	u->n++;
	u->indexed = 0;
	return 0;
}

static int cmp_key(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c ? c : (alen > blen) - (alen < blen);
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct whorl_url_entry *a = pa, *b = pb;
	int c = cmp_key(a->key, a->len, b->key, b->len);

	return c ? c : (a->order > b->order) - (a->order < b->order);
}

void whorl_urls_index(struct whorl_urls *u)
{
	size_t i, k = 0;

	if (u->indexed || !u->n) {
		u->indexed = 1;
		return;
	}
	qsort(u->v, u->n, sizeof(*u->v), cmp_entry);
	/* of equal keys, the latest line's is kept (its label), as for hashes */
	for (i = 0; i < u->n; i++) {
		if (i + 1 < u->n && !cmp_key(u->v[i].key, u->v[i].len, u->v[i + 1].key,
					     u->v[i + 1].len)) {
			free(u->v[i].key);
			free(u->v[i].label);
			continue;
		}
		u->v[k++] = u->v[i];
	}
	u->n = k;
	u->indexed = 1;
}

static const struct whorl_url_entry *lookup(const struct whorl_urls *u, const char *key,
					    size_t len)
{
	size_t lo = 0, hi = u->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = cmp_key(u->v[mid].key, u->v[mid].len, key, len);
		if (!c)
			return &u->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The entry matching the URL whose key is @key (see whorl_urls_find), or NULL. */
static const struct whorl_url_entry *match_key(const struct whorl_urls *u, const char *key,
					       size_t len)
{
	const struct whorl_url_entry *e = lookup(u, key, len);
	const char *path = memchr(key, '/', len);
	size_t i, start;

	if (!path)
		return e;
	start = (size_t)(path - key);
	for (i = start; !e && i < len; i++) {
		if (key[i] == '/')
			e = lookup(u, key, i + 1);
		if (!e && (key[i] == '/' || key[i] == '?') && i > start)
			e = lookup(u, key, i);
	}
	return e;
}

/* What ends a word of a command line (a shell's quoting and operators left on it). */
static int word_end(char c)
{
	return (unsigned char)c <= ' ' || strchr("\"'`<>|;()\\", c) != NULL;
}

static const struct whorl_url_entry *try_url(const struct whorl_urls *u, const char *s,
					     size_t len, char found[WHORL_URL_MAX])
{
	const struct whorl_url_entry *e;
	char key[WHORL_URL_MAX];
	long klen = whorl_url_key(s, len, key);

	if (klen < 0 || !(e = match_key(u, key, (size_t)klen)))
		return NULL;
	if (len >= WHORL_URL_MAX)
		len = WHORL_URL_MAX - 1;
	memcpy(found, s, len);
	found[len] = '\0';
	return e;
}

const struct whorl_url_entry *whorl_urls_find(const struct whorl_urls *u, const char *cmdline,
					      char found[WHORL_URL_MAX])
{
	const struct whorl_url_entry *e = NULL;
	const char *w = cmdline, *end, *p, *s;
	unsigned int tried = 0;

	if (!u->n || !u->indexed)
		return NULL;
	while (*w && !e && tried < WHORL_URLS_PER_CMDLINE) {
		while (*w && word_end(*w))
			w++;
		for (end = w; *end && !word_end(*end); end++)
			;
		if (w == end)
			break;
		p = memmem(w, end - w, "://", 3);
		if (!p) {
			/* a host name, as curl, wget and nc take one: a letter or digit first */
			if (isalnum((unsigned char)*w) && memchr(w, '.', end - w)) {
				tried++;
				e = try_url(u, w, end - w, found);
			}
		}
		for (; p && !e && tried < WHORL_URLS_PER_CMDLINE;
		     p = memmem(p + 3, end - p - 3, "://", 3)) {
			for (s = p; s > w && scheme_char(s[-1]); s--)
				;
			while (s < p && !isalpha((unsigned char)*s))
				s++;
			tried++;
			if (s < p)
				e = try_url(u, s, end - s, found);
		}
		w = end;
	}
	return e;
}

void whorl_urls_free(struct whorl_urls *u)
{
	size_t i;

	for (i = 0; i < u->n; i++) {
		free(u->v[i].key);
		free(u->v[i].label);
	}
	free(u->v);
	memset(u, 0, sizeof(*u));
}
