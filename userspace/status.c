// SPDX-License-Identifier: GPL-2.0
/* status.c - parse the module's status reply and show it, as text or JSON. */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/whorl.h>

#include "json.h"
#include "kinds.h"
#include "status.h"

static int u32_of(const struct nlattr *a, int *has, uint32_t *v)
{
	if (mnl_attr_get_payload_len(a) != sizeof(*v))
		return MNL_CB_OK;
	*v = mnl_attr_get_u32(a);
	*has = 1;
	return MNL_CB_OK;
}

static int u64_of(const struct nlattr *a, int *has, uint64_t *v)
{
	if (mnl_attr_get_payload_len(a) != sizeof(*v))
		return MNL_CB_OK;
	*v = mnl_attr_get_u64(a);
	*has = 1;
	return MNL_CB_OK;
}

static void str_into(const struct nlattr *a, char *out, size_t size)
{
	size_t n = strnlen(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));

	if (n >= size)
		n = size - 1;
	memcpy(out, mnl_attr_get_payload(a), n);
	out[n] = '\0';
}

static int counter_cb(const struct nlattr *a, void *data)
{
	struct whorl_status *st = data;
	unsigned int t = mnl_attr_get_type(a);
	int has = 0;

	/* Type 0 is the 64-bit alignment pad. */
	if (t == WHORL_CTR_UNSPEC || t >= WHORL_STATUS_COUNTERS_MAX)
		return MNL_CB_OK;
	u64_of(a, &has, &st->counters[t]);
	st->has_counter[t] |= has;
	return MNL_CB_OK;
}

static void u32_into(const struct nlattr *a, uint32_t *v)
{
	if (mnl_attr_get_payload_len(a) == sizeof(*v))
		*v = mnl_attr_get_u32(a);
}

static int layout_cb(const struct nlattr *a, void *data)
{
	struct whorl_status *st = data;
	struct whorl_layout *l = &st->layout;
	uint32_t v = 0;

	switch (mnl_attr_get_type(a)) {
	case WHORL_LAYOUT_A_SOURCE:
		if (mnl_attr_get_payload_len(a) == 1) {
			st->provenance = mnl_attr_get_u8(a);
			st->has_provenance = 1;
		}
		break;
	case WHORL_LAYOUT_A_CHECK:
		if (mnl_attr_get_payload_len(a) == 1)
			st->layout_check = mnl_attr_get_u8(a);
		break;
	case WHORL_LAYOUT_A_REASON:
		str_into(a, st->provenance_reason, sizeof(st->provenance_reason));
		break;
	case WHORL_LAYOUT_A_CONFIRMED:
		if (mnl_attr_get_payload_len(a) == 8)
			st->layout_confirmed = mnl_attr_get_u64(a);
		break;
	case WHORL_LAYOUT_A_UNCONFIRMED:
		if (mnl_attr_get_payload_len(a) == 8)
			st->layout_unconfirmed = mnl_attr_get_u64(a);
		break;
	case WHORL_LAYOUT_A_SHAPE:
		if (mnl_attr_get_payload_len(a) == 1) {
			l->shape = mnl_attr_get_u8(a);
			st->has_layout = 1;
		}
		break;
	case WHORL_LAYOUT_A_UPPER:
		u32_into(a, &v);
		l->upper = (int32_t)v;
		break;
	case WHORL_LAYOUT_A_LOWER:
		u32_into(a, &v);
		l->lower = (int32_t)v;
		break;
	case WHORL_LAYOUT_A_NUMLOWER:
		u32_into(a, &l->numlower);
		break;
	case WHORL_LAYOUT_A_STACK:
		u32_into(a, &l->stack);
		break;
	case WHORL_LAYOUT_A_PATH_LAYER:
		u32_into(a, &l->path_layer);
		break;
	case WHORL_LAYOUT_A_PATH_DENTRY:
		u32_into(a, &l->path_dentry);
		break;
	case WHORL_LAYOUT_A_PATH_SIZE:
		u32_into(a, &l->path_size);
		break;
	case WHORL_LAYOUT_A_LAYER_MNT:
		u32_into(a, &l->layer_mnt);
		break;
	case WHORL_LAYOUT_A_INODE_SIZE:
		u32_into(a, &l->inode_size);
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

static int ct_cb(const struct nlattr *a, void *data)
{
	struct whorl_ct_line *c = data;
	int has = 0;

	switch (mnl_attr_get_type(a)) {
	case WHORL_CT_STAT_A_CGROUP_ID:
		u64_of(a, &has, &c->cgroup_id);
		break;
	case WHORL_CT_STAT_A_OVER_SHARE:
		u64_of(a, &has, &c->over_share);
		break;
	case WHORL_CT_STAT_A_OVER_BUDGET:
		u64_of(a, &has, &c->over_budget);
		break;
	case WHORL_CT_STAT_A_ID:
		str_into(a, c->id, sizeof(c->id));
		break;
	case WHORL_CT_STAT_A_CGROUP:
		str_into(a, c->cgroup, sizeof(c->cgroup));
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

static int status_cb(const struct nlattr *a, void *data)
{
	struct whorl_status *st = data;

	switch (mnl_attr_get_type(a)) {
	case WHORL_A_VERSION:
		str_into(a, st->version, sizeof(st->version));
		break;
	case WHORL_A_COUNTERS:
		mnl_attr_parse_nested(a, counter_cb, st);
		break;
	case WHORL_A_CONFIG_KINDS:
		return u32_of(a, &st->has_kinds, &st->kinds);
	case WHORL_A_CONFIG_DEDUP_MS:
		return u32_of(a, &st->has_dedup_ms, &st->dedup_ms);
	case WHORL_A_CONFIG_MODE:
		if (mnl_attr_get_payload_len(a) == 1) {
			st->mode = mnl_attr_get_u8(a);
			st->has_mode = 1;
		}
		break;
	case WHORL_A_CONFIG_EXEC_EVENTS:
		if (mnl_attr_get_payload_len(a) == 1) {
			st->exec_events = mnl_attr_get_u8(a);
			st->has_exec_events = 1;
		}
		break;
	case WHORL_A_CONFIG_HASH_MAX:
		return u64_of(a, &st->has_hash_max, &st->hash_max);
	case WHORL_A_CONFIG_CACHE_MAX:
		return u32_of(a, &st->has_cache_max, &st->cache_max);
	case WHORL_A_INTEL_COUNT:
		return u32_of(a, &st->has_intel_count, &st->intel_count);
	case WHORL_A_INTEL_RULES:
		return u32_of(a, &st->has_intel_rules, &st->intel_rules);
	case WHORL_A_INTEL_BYTES:
		return u64_of(a, &st->has_intel_bytes, &st->intel_bytes);
	case WHORL_A_CACHE_ENTRIES:
		return u32_of(a, &st->has_cache_entries, &st->cache_entries);
	case WHORL_A_CACHE_ENTRY_BYTES:
		return u32_of(a, &st->has_cache_entry_bytes, &st->cache_entry_bytes);
	case WHORL_A_EVENTS_ALIVE:
		return u32_of(a, &st->has_events_alive, &st->events_alive);
	case WHORL_A_CONFIG_QUEUE_MAX:
		return u32_of(a, &st->has_queue_max, &st->queue_max);
	case WHORL_A_LAYOUT:
		mnl_attr_parse_nested(a, layout_cb, st);
		break;
	case WHORL_A_CONTAINER_STAT:
		if (st->ncontainers < WHORL_STATUS_CONTAINERS_MAX) {
			memset(&st->containers[st->ncontainers], 0, sizeof(st->containers[0]));
			mnl_attr_parse_nested(a, ct_cb, &st->containers[st->ncontainers]);
			st->ncontainers++;
		}
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

int whorl_status_parse(const struct nlmsghdr *nlh, struct whorl_status *st)
{
	const struct genlmsghdr *genl;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return -EINVAL;
	genl = mnl_nlmsg_get_payload(nlh);
	if (genl->cmd != WHORL_CMD_STATUS_GET)
		return -EINVAL;
	mnl_attr_parse(nlh, sizeof(*genl), status_cb, st);
	return 0;
}

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	whorl_status_parse(nlh, data);
	return MNL_CB_OK;
}

int whorl_nl_status(struct whorl_nl *nl, struct whorl_status *st)
{
	memset(st, 0, sizeof(*st));
	return whorl_nl_simple(nl, WHORL_CMD_STATUS_GET, reply_cb, st);
}

static json_object *kinds_json(uint32_t mask)
{
	json_object *a = json_object_new_array();
	const struct whorl_kind_info *k;
	char other[32];
	unsigned int i;

	for (i = 0; a && i < 32; i++) {
		if (!(mask & (1U << i)))
			continue;
		k = whorl_kind(i);
		if (k) {
			json_object_array_add(a, json_object_new_string(k->name));
		} else {
			snprintf(other, sizeof(other), "kind-%u", i);
			json_object_array_add(a, json_object_new_string(other));
		}
	}
	return a;
}

static void put_u64(json_object *o, const char *key, int has, uint64_t v)
{
	if (has)
		json_object_object_add(o, key, json_object_new_uint64(v));
}

/* What each container was refused: counters the overall ones cannot attribute. */
static json_object *containers_json(const struct whorl_status *st)
{
	json_object *a = json_object_new_array(), *c;
	const struct whorl_ct_line *l;
	unsigned int i;

	for (i = 0; a && i < st->ncontainers; i++) {
		l = &st->containers[i];
		c = json_object_new_object();
		if (!c)
			break;
		json_object_object_add(c, "cgroupId", json_object_new_uint64(l->cgroup_id));
		if (l->id[0])
			whorl_json_add(c, "id", whorl_json_str(l->id));
		if (l->cgroup[0])
			whorl_json_add(c, "cgroup", whorl_json_str(l->cgroup));
		json_object_object_add(c, "workOverShare", json_object_new_uint64(l->over_share));
		json_object_object_add(c, "hashOverBudget", json_object_new_uint64(l->over_budget));
		json_object_array_add(a, c);
	}
	return a;
}

json_object *whorl_status_json(const struct whorl_status *st)
{
	json_object *o = json_object_new_object(), *c, *i, *k, *e, *ctr;
	const char *name;
	char other[32];
	unsigned int t;

	if (!o)
		return NULL;
	json_object_object_add(o, "version", json_object_new_string(st->version));
	c = json_object_new_object();
	if (st->has_kinds) {
		json_object_object_add(c, "kinds", kinds_json(st->kinds));
		json_object_object_add(c, "kindsMask", json_object_new_uint64(st->kinds));
	}
	put_u64(c, "dedupMs", st->has_dedup_ms, st->dedup_ms);
	if (st->has_mode)
		json_object_object_add(c, "mode", json_object_new_string(
			whorl_mode_name(st->mode) ? whorl_mode_name(st->mode) : "unknown"));
	if (st->has_exec_events)
		json_object_object_add(c, "execEvents", json_object_new_boolean(st->exec_events));
	put_u64(c, "hashMax", st->has_hash_max, st->hash_max);
	put_u64(c, "cacheMax", st->has_cache_max, st->cache_max);
	put_u64(c, "queueMax", st->has_queue_max, st->queue_max);
	json_object_object_add(o, "config", c);

	e = json_object_new_object();
	put_u64(e, "alive", st->has_events_alive, st->events_alive);
	json_object_object_add(o, "events", e);

	i = json_object_new_object();
	put_u64(i, "hashes", st->has_intel_count, st->intel_count);
	put_u64(i, "rules", st->has_intel_rules, st->intel_rules);
	put_u64(i, "bytes", st->has_intel_bytes, st->intel_bytes);
	json_object_object_add(o, "intel", i);

	k = json_object_new_object();
	put_u64(k, "entries", st->has_cache_entries, st->cache_entries);
	put_u64(k, "entryBytes", st->has_cache_entry_bytes, st->cache_entry_bytes);
	json_object_object_add(o, "cache", k);

	if (st->has_provenance) {
		json_object *p = json_object_new_object();

		whorl_json_add(p, "source", whorl_json_str(
			whorl_provenance_name(st->provenance) ?
			whorl_provenance_name(st->provenance) : "unknown"));
		whorl_json_add(p, "tableCheck", whorl_json_str(
			whorl_layout_check_name(st->layout_check) ?
			whorl_layout_check_name(st->layout_check) : "unknown"));
		whorl_json_add(p, "reason", whorl_json_str(st->provenance_reason));
		json_object_object_add(p, "confirmed", json_object_new_uint64(st->layout_confirmed));
		json_object_object_add(p, "unconfirmed",
				       json_object_new_uint64(st->layout_unconfirmed));
		if (st->has_layout)
			json_object_object_add(p, "layout", whorl_layout_json(&st->layout));
		json_object_object_add(o, "provenance", p);
	}

	json_object_object_add(o, "containers", containers_json(st));

	ctr = json_object_new_object();
	for (t = 1; t < WHORL_STATUS_COUNTERS_MAX; t++) {
		if (!st->has_counter[t])
			continue;
		name = whorl_counter_name(t);
		if (!name) {
			snprintf(other, sizeof(other), "counter%u", t);
			name = other;
		}
		json_object_object_add(ctr, name, json_object_new_uint64(st->counters[t]));
	}
	json_object_object_add(o, "counters", ctr);
	return o;
}

void whorl_status_print(FILE *out, const struct whorl_status *st)
{
	const struct whorl_kind_info *k;
	const char *name;
	unsigned int t;

	fprintf(out, "module version   %s\n", st->version[0] ? st->version : "(not reported)");
	if (st->has_mode)
		fprintf(out, "mode             %s\n",
			whorl_mode_name(st->mode) ? whorl_mode_name(st->mode) : "unknown");
	if (st->has_exec_events)
		fprintf(out, "exec events      %s\n", st->exec_events ? "on" : "off");
	if (st->has_kinds) {
		fprintf(out, "kinds enabled   ");
		for (t = 0; t < 32; t++) {
			if (!(st->kinds & (1U << t)))
				continue;
			k = whorl_kind(t);
			if (k)
				fprintf(out, " %s", k->name);
			else
				fprintf(out, " kind-%u", t);
		}
		fprintf(out, "\n");
	}
	if (st->has_dedup_ms)
		fprintf(out, "dedup window     %" PRIu32 " ms\n", st->dedup_ms);
	if (st->has_hash_max)
		fprintf(out, "hash limit       %" PRIu64 " bytes\n", st->hash_max);
	if (st->has_intel_count || st->has_intel_rules)
		fprintf(out, "intel            %" PRIu32 " hashes, %" PRIu32 " name rules, %" PRIu64
			" bytes\n", st->intel_count, st->intel_rules, st->intel_bytes);
	if (st->has_cache_entries)
		fprintf(out, "cache            %" PRIu32 " of %" PRIu32 " entries (%" PRIu32
			" bytes each)\n", st->cache_entries, st->cache_max, st->cache_entry_bytes);
	if (st->has_events_alive)
		fprintf(out, "events alive     %" PRIu32 " of %" PRIu32 "\n", st->events_alive,
			st->queue_max);
	if (st->has_provenance)
		fprintf(out, "layer provenance %s: %s (reads confirmed %" PRIu64 ", refused %" PRIu64
			")\n", whorl_provenance_name(st->provenance) ?
			whorl_provenance_name(st->provenance) : "unknown", st->provenance_reason,
			st->layout_confirmed, st->layout_unconfirmed);
	for (t = 0; t < st->ncontainers; t++) {
		const struct whorl_ct_line *l = &st->containers[t];

		fprintf(out, "container        %s (cgroup %" PRIu64 "%s%s): %" PRIu64
			" events over its queue share, %" PRIu64 " files over its hashing budget\n",
			l->id[0] ? l->id : "-", l->cgroup_id, l->cgroup[0] ? " " : "", l->cgroup,
			l->over_share, l->over_budget);
	}
	fprintf(out, "counters\n");
	for (t = 1; t < WHORL_STATUS_COUNTERS_MAX; t++) {
		if (!st->has_counter[t])
			continue;
		name = whorl_counter_name(t);
		if (name)
			fprintf(out, "  %-20s %" PRIu64 "\n", name, st->counters[t]);
		else
			fprintf(out, "  counter%-13u %" PRIu64 "\n", t, st->counters[t]);
	}
}
