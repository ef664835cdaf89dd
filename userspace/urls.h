/* SPDX-License-Identifier: GPL-2.0 */
/*
 * urls.h - URLs named by intel (`url:` lines, docs/INTEL.md), found in command lines: the
 * relay's Malicious URL Observed (rules/malicious_url_observed.yml, the whorl.IntelUrl field).
 */
#ifndef WHORL_URLS_H
#define WHORL_URLS_H

#include <stddef.h>

/* A url: line's URL, and a URL found on a command line, are at most this long (bytes). */
#define WHORL_URL_MAX		2048
/* URLs looked up per command line, at most (the module keeps 1 KiB of argv). */
#define WHORL_URLS_PER_CMDLINE	64

struct whorl_url_entry {
	char *key;			/* whorl_url_key() of the line's URL */
	size_t len;
	char *label;			/* NULL when the line has none */
	size_t order;			/* the line's place in the set: a later line wins */
};

struct whorl_urls {
	struct whorl_url_entry *v;
	size_t n, cap;
	size_t lines;			/* url: lines added: the next one's order */
	int indexed;			/* sorted by key, one entry per key */
};

/*
 * whorl_url_key - what a URL is compared by: the host in lower case (without userinfo, a
 * trailing dot, or the scheme's default port), then the path (at least "/") and the query.
 * The scheme and the fragment are not part of it; the path is compared as written.
 * @s, @len: "scheme://host[:port][/path][?query][#fragment]", or the same without "scheme://".
 * Return: the key's length (NUL-terminated in @out), or -1 when @s is not such a URL.
 */
long whorl_url_key(const char *s, size_t len, char out[WHORL_URL_MAX]);

/* Add @url (its key) with @label (NULL, or @llen bytes). Return: 0, -1 out of memory, -2 no URL. */
int whorl_urls_add(struct whorl_urls *u, const char *url, size_t len, const char *label,
		   size_t llen);

/* Sort and keep one entry per key (the latest line's); before whorl_urls_find(). */
void whorl_urls_index(struct whorl_urls *u);

/*
 * whorl_urls_find - the entry that a URL on @cmdline matches, or NULL. An entry matches a URL
 * whose key equals its own, or begins with it where the URL's path goes on: after an entry
 * ending in '/', or at a '/' or '?' (evil.example/x matches evil.example/x/y and
 * evil.example/x?a, not evil.example/xy). The URLs tried are every "scheme://" in each word
 * (so one inside another's query too) and each word that starts like a host name.
 * @found: the matching URL as written (cut to fit), when one matches.
 */
const struct whorl_url_entry *whorl_urls_find(const struct whorl_urls *u, const char *cmdline,
					      char found[WHORL_URL_MAX]);

void whorl_urls_free(struct whorl_urls *u);

#endif /* WHORL_URLS_H */
