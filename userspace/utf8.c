// SPDX-License-Identifier: GPL-2.0
/* utf8.c - UTF-8 validation (RFC 3629) and repair with U+FFFD for strings from the kernel. */

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Length of the well-formed sequence at s (at most n bytes), or 0. */
static size_t seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	if (c == 0xe0)
		lo = 0xa0;		/* overlong */
	else if (c == 0xed)
		hi = 0x9f;		/* surrogates */
	else if (c == 0xf0)
		lo = 0x90;		/* overlong */
	else if (c == 0xf4)
		hi = 0x8f;		/* past U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

int whorl_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t n;

	while (p < end) {
		n = seq_len(p, end - p);
		if (!n)
			return 0;
		p += n;
	}
	return 1;
}

char *whorl_utf8_dup(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end;
	char *out, *o;
	size_t n;

	len = strnlen(s, len);
	end = p + len;
	out = malloc(3 * len + 1);	/* each bad byte becomes 3 */
	if (!out)
		return NULL;
	o = out;
	while (p < end) {
		const unsigned char *run = p;

		/* ASCII, most of what the kernel sends, in runs: one copy each */
		while (p < end && *p < 0x80)
			p++;
		if (p > run) {
			memcpy(o, run, p - run);
			o += p - run;
			continue;
		}
		n = seq_len(p, end - p);
		if (n) {
			memcpy(o, p, n);
			o += n;
			p += n;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
		}
	}
	*o = '\0';
	return out;
}
