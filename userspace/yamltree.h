/* SPDX-License-Identifier: GPL-2.0 */
/* yamltree.h - one YAML document read with libyaml into a small tree that keeps line numbers. */
#ifndef WHORL_YAMLTREE_H
#define WHORL_YAMLTREE_H

#include <stddef.h>

/* Bounds on what a rule file may be: anything past them is refused, never crashes. */
#define WHORL_YAML_MAX_BYTES	(1024 * 1024)
#define WHORL_YAML_MAX_DEPTH	32
#define WHORL_YAML_MAX_NODES	100000

enum whorl_ynode_type {
	WHORL_Y_SCALAR,
	WHORL_Y_SEQ,
	WHORL_Y_MAP,
};

struct whorl_ynode {
	enum whorl_ynode_type type;
	unsigned int line;		/* 1-based, where the node starts */
	char *str;			/* scalar: its value, NUL-terminated */
	size_t len;
	int plain;			/* scalar: written without quotes (null, numbers) */
	struct whorl_ynode **kids;	/* seq: the items; map: key, value, key, value... */
	size_t n;			/* seq: items; map: 2 * pairs */
	size_t cap;
};

/* Room for "reason" of a refused document. */
#define WHORL_YAML_ERR_MAX 256

/*
 * whorl_yaml_parse - parse exactly one YAML document.
 * @buf, @len: the text. @root: set to the tree on success.
 * @line, @err: on failure, the 1-based line and the reason (libyaml's, or one of the bounds:
 * size, depth, node count; aliases, several documents and duplicate map keys are refused).
 * Return: 0, or -1 on a refused document, or -2 out of memory.
 */
int whorl_yaml_parse(const char *buf, size_t len, struct whorl_ynode **root,
		     unsigned int *line, char err[WHORL_YAML_ERR_MAX]);

void whorl_yaml_free(struct whorl_ynode *n);

/* The value of @key in mapping @map, or NULL (also when @map is not a mapping). */
const struct whorl_ynode *whorl_ymap_get(const struct whorl_ynode *map, const char *key);

/* A plain scalar YAML reads as null: null, Null, NULL, ~ or nothing. */
int whorl_yscalar_is_null(const struct whorl_ynode *n);

#endif /* WHORL_YAMLTREE_H */
