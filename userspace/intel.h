/* SPDX-License-Identifier: GPL-2.0 */
/* intel.h - threat intelligence files (docs/INTEL.md), parsed into entries for the kernel. */
#ifndef WHORL_INTEL_H
#define WHORL_INTEL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/whorl.h>

#include "urls.h"

struct whorl_intel_entry {
	char *name;			/* a tool-name rule's basename, or NULL for a hash */
	uint32_t label;			/* 0 when the line has none, else a number in labels */
	uint8_t sha256[WHORL_SHA256_LEN];
	uint8_t category;		/* enum whorl_intel_category */
};

/* Entries in file order; each distinct label is stored once, numbered from 1. */
struct whorl_intel {
	struct whorl_intel_entry *v;
	size_t n, cap;
	size_t hashes, names;
	char **labels;			/* labels[k - 1] is label number k */
	size_t nlabels, labels_cap;
	uint32_t *label_index;		/* open addressing: label number, 0 empty */
	size_t label_slots;		/* a power of two, kept at most half full */
	struct whorl_urls urls;		/* url: lines, the relay's alone (never sent to the module) */
};

/* The label of @e, or NULL when it has none. */
static inline const char *whorl_intel_label(const struct whorl_intel *set,
					    const struct whorl_intel_entry *e)
{
	return e->label ? set->labels[e->label - 1] : NULL;
}

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
