/* SPDX-License-Identifier: GPL-2.0 */
/* intel.h - threat intelligence files (docs/INTEL.md), parsed into entries for the kernel. */
#ifndef WHORL_INTEL_H
#define WHORL_INTEL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/whorl.h>

struct whorl_intel_entry {
	char *name;			/* a tool-name rule's basename, or NULL for a hash */
	char *label;			/* NULL when the line has none */
	uint8_t sha256[WHORL_SHA256_LEN];
	uint8_t category;		/* enum whorl_intel_category */
};

struct whorl_intel {
	struct whorl_intel_entry *v;
	size_t n, cap;
	size_t hashes, names;
};

/* Room for "FILE:LINE: reason". */
#define WHORL_INTEL_ERR_MAX 512

/*
 * whorl_intel_parse - add the entries of one intel file's text to @set.
 * @name: the file's name, for messages. @text, @len: its content (need not end in NUL).
 * Return: 0, or -1 with @err set to "NAME:LINE: reason"; on error @set may hold some
 * of this file's entries: the caller discards the whole set (nothing is loaded).
 */
int whorl_intel_parse(struct whorl_intel *set, const char *name, const char *text, size_t len,
		      char err[WHORL_INTEL_ERR_MAX]);

/* Reads and parses the file at @path; errors as whorl_intel_parse, or "PATH: strerror". */
int whorl_intel_load_file(struct whorl_intel *set, const char *path,
			  char err[WHORL_INTEL_ERR_MAX]);

void whorl_intel_free(struct whorl_intel *set);

#endif /* WHORL_INTEL_H */
