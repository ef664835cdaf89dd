/* SPDX-License-Identifier: GPL-2.0 */
/* utf8.h - UTF-8 checks: intel must be UTF-8, and kernel strings are made so before JSON. */
#ifndef WHORL_UTF8_H
#define WHORL_UTF8_H

#include <stddef.h>

/* Is [s, s+len) well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF)? */
int whorl_utf8_valid(const char *s, size_t len);

/*
 * A NUL-terminated copy of [s, s+len), cut at the first NUL, with every byte that is not
 * part of well-formed UTF-8 replaced by U+FFFD. NULL when out of memory.
 */
char *whorl_utf8_dup(const char *s, size_t len);

#endif /* WHORL_UTF8_H */
