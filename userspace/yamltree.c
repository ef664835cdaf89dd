// SPDX-License-Identifier: GPL-2.0
/* yamltree.c - one YAML document read with libyaml into a small tree that keeps line numbers. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "yamltree.h"

struct ybuild {
	struct whorl_ynode *root;
	struct whorl_ynode *stack[WHORL_YAML_MAX_DEPTH];
	size_t depth;
	size_t nodes;
	int docs;
	unsigned int *line;
	char *err;
};

static int refuse(struct ybuild *b, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	*b->line = line;
	va_start(ap, fmt);
	vsnprintf(b->err, WHORL_YAML_ERR_MAX, fmt, ap);
	va_end(ap);
	return -1;
}

void whorl_yaml_free(struct whorl_ynode *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->n; i++)
		whorl_yaml_free(n->kids[i]);
	free(n->kids);
	free(n->str);
	free(n);
}

static int add_kid(struct whorl_ynode *parent, struct whorl_ynode *kid)
{
	struct whorl_ynode **k;
	size_t cap;

	if (parent->n == parent->cap) {
		cap = parent->cap ? parent->cap * 2 : 8;
		k = realloc(parent->kids, cap * sizeof(*k));
		if (!k)
			return -2;
		parent->kids = k;
		parent->cap = cap;
	}
	parent->kids[parent->n++] = kid;
	return 0;
}

/* Hang @n under the innermost open collection (or make it the root); takes @n either way. */
static int attach(struct ybuild *b, struct whorl_ynode *n)
{
	struct whorl_ynode *top;
	size_t i;
	int ret;

	if (!b->depth) {
		b->root = n;
		return 0;
	}
	top = b->stack[b->depth - 1];
	if (top->type == WHORL_Y_MAP && !(top->n & 1)) {
		/* a key: scalars only, and each once */
		if (n->type != WHORL_Y_SCALAR) {
			ret = refuse(b, n->line, "a mapping key must be a plain string");
			whorl_yaml_free(n);
			return ret;
		}
		for (i = 0; i < top->n; i += 2) {
			if (!strcmp(top->kids[i]->str, n->str)) {
				ret = refuse(b, n->line, "duplicate key '%.64s'", n->str);
				whorl_yaml_free(n);
				return ret;
			}
		}
	}
	ret = add_kid(top, n);
	if (ret)
		whorl_yaml_free(n);
	return ret;
}

static struct whorl_ynode *new_node(struct ybuild *b, enum whorl_ynode_type type,
				    const yaml_event_t *ev)
{
	struct whorl_ynode *n;

	if (++b->nodes > WHORL_YAML_MAX_NODES) {
		refuse(b, ev->start_mark.line + 1, "more than %d YAML nodes", WHORL_YAML_MAX_NODES);
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		refuse(b, ev->start_mark.line + 1, "out of memory");
		return NULL;
	}
	n->type = type;
	n->line = ev->start_mark.line + 1;
	return n;
}

static int on_scalar(struct ybuild *b, const yaml_event_t *ev)
{
	struct whorl_ynode *n = new_node(b, WHORL_Y_SCALAR, ev);

	if (!n)
		return -1;
	n->len = ev->data.scalar.length;
	n->str = malloc(n->len + 1);
	if (!n->str) {
		free(n);
		return -2;
	}
	memcpy(n->str, ev->data.scalar.value, n->len);
	n->str[n->len] = '\0';
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	return attach(b, n);
}

static int on_open(struct ybuild *b, const yaml_event_t *ev, enum whorl_ynode_type type)
{
	struct whorl_ynode *n;
	int ret;

	if (b->depth == WHORL_YAML_MAX_DEPTH)
		return refuse(b, ev->start_mark.line + 1, "nested deeper than %d levels",
			      WHORL_YAML_MAX_DEPTH);
	n = new_node(b, type, ev);
	if (!n)
		return -1;
	ret = attach(b, n);
	if (ret)
		return ret;
	b->stack[b->depth++] = n;
	return 0;
}

static int on_event(struct ybuild *b, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->docs > 1)
			return refuse(b, ev->start_mark.line + 1,
				      "several YAML documents in one file (rule collections are not supported)");
		return 0;
	case YAML_ALIAS_EVENT:
		return refuse(b, ev->start_mark.line + 1, "YAML aliases are not supported");
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_open(b, ev, WHORL_Y_SEQ);
	case YAML_MAPPING_START_EVENT:
		return on_open(b, ev, WHORL_Y_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		b->depth--;
		return 0;
	default:
		return 0;
	}
}

int whorl_yaml_parse(const char *buf, size_t len, struct whorl_ynode **root,
		     unsigned int *line, char err[WHORL_YAML_ERR_MAX])
{
	struct ybuild b = { .line = line, .err = err };
	yaml_parser_t parser;
	yaml_event_t ev;
	size_t line_no;
	int ret = 0, done = 0;

	*root = NULL;
	*line = 1;
	err[0] = '\0';
	if (len > WHORL_YAML_MAX_BYTES) {
		refuse(&b, 1, "larger than %d bytes", WHORL_YAML_MAX_BYTES);
		return -1;
	}
	if (!yaml_parser_initialize(&parser))
		return -2;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done && !ret) {
		if (!yaml_parser_parse(&parser, &ev)) {
			if (parser.error == YAML_MEMORY_ERROR) {
				ret = -2;
				break;
			}
			line_no = parser.problem_mark.line ? parser.problem_mark.line :
				  parser.context_mark.line;
			ret = refuse(&b, line_no + 1, "not valid YAML: %s%s%s",
				     parser.problem ? parser.problem : "error",
				     parser.context ? " " : "",
				     parser.context ? parser.context : "");
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		ret = on_event(&b, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (!ret && !b.root)
		ret = refuse(&b, 1, "empty document");
	if (ret) {
		whorl_yaml_free(b.root);
		return ret;
	}
	*root = b.root;
	return 0;
}

const struct whorl_ynode *whorl_ymap_get(const struct whorl_ynode *map, const char *key)
{
	size_t i;

	if (!map || map->type != WHORL_Y_MAP)
		return NULL;
	for (i = 0; i + 1 < map->n; i += 2)
		if (!strcmp(map->kids[i]->str, key))
			return map->kids[i + 1];
	return NULL;
}

int whorl_yscalar_is_null(const struct whorl_ynode *n)
{
	return n->type == WHORL_Y_SCALAR && n->plain &&
	       (!n->len || !strcmp(n->str, "null") || !strcmp(n->str, "Null") ||
		!strcmp(n->str, "NULL") || !strcmp(n->str, "~"));
}
