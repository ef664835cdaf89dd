// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the "whorl" generic netlink family: status, configuration,
 * staged intel loads, subscriptions, and finding delivery.
 *
 * Input is hostile: every command needs CAP_NET_ADMIN in the initial user
 * namespace (GENL_ADMIN_PERM), the family exists only in the initial network
 * namespace, every attribute is validated strictly against the policies
 * below, and every refusal carries an extack message.
 */

#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>

#include "cache.h"
#include "container.h"
#include "event.h"
#include "exec.h"
#include "finding.h"
#include "hooks.h"
#include "intel.h"
#include "memo.h"
#include "netlink.h"
#include "overlay.h"
#include "params.h"
#include "stats.h"

#define WHORL_SUBSCRIBERS_MAX	16
/* Room for one exec event: two files, the working directory, argv, cgroup, environment. */
#define WHORL_EXEC_MSG_SIZE	(3 * WHORL_PATH_MAX + WHORL_ARGS_MAX + WHORL_CGROUP_PATH_MAX + \
				 WHORL_ENV_BUF + WHORL_ENV_ENTRIES_MAX * 16 + 1024)
/* Room for one finding: two files with paths and layers, argv, cgroup path. */
#define WHORL_FINDING_MSG_SIZE	(6 * WHORL_PATH_MAX + WHORL_ARGS_MAX + \
				 WHORL_CGROUP_PATH_MAX + 1024)
/* The status reply: counters and configuration, and each container's line. */
#define WHORL_STATUS_MSG_SIZE	(NLMSG_GOODSIZE + WHORL_CT_STATS_MAX * \
				 (WHORL_CGROUP_PATH_MAX + WHORL_CONTAINER_ID_MAX + 64))
/* Longest report-once window, in ms: a day. */
#define WHORL_DEDUP_MS_MAX	(24U * 3600 * 1000)

#define WHORL_KINDS_ALL	(((1U << __WHORL_KIND_MAX) - 1) & ~(1U << WHORL_KIND_NONE))

static struct genl_family whorl_family;

struct whorl_subscriber {
	u32 portid;
	u64 seq;
};

static DEFINE_MUTEX(whorl_sub_lock);
static struct whorl_subscriber whorl_subs[WHORL_SUBSCRIBERS_MAX];
static unsigned int whorl_nsubs;

/* The one staged intel set, owned by the socket that began it. */
static DEFINE_MUTEX(whorl_stage_lock);
static struct whorl_intel_set *whorl_stage;
static u32 whorl_stage_portid;

static const struct nla_policy whorl_intel_entry_policy[WHORL_INTEL_A_MAX + 1] = {
	[WHORL_INTEL_A_SHA256] = NLA_POLICY_EXACT_LEN(WHORL_SHA256_LEN),
	[WHORL_INTEL_A_NAME] = { .type = NLA_NUL_STRING, .len = WHORL_NAME_MAX - 1 },
	[WHORL_INTEL_A_CATEGORY] = NLA_POLICY_RANGE(NLA_U8, WHORL_INTEL_MALICIOUS,
						    WHORL_INTEL_CATEGORY_MAX),
	[WHORL_INTEL_A_LABEL] = { .type = NLA_NUL_STRING, .len = WHORL_LABEL_MAX - 1 },
};

/* What LAYOUT_SET carries; the status-only attributes are absent (rejected). */
static const struct nla_policy whorl_layout_policy[WHORL_LAYOUT_A_MAX + 1] = {
	[WHORL_LAYOUT_A_SHAPE] = NLA_POLICY_RANGE(NLA_U8, WHORL_OVL_SHAPE_INODE_PATH,
						  WHORL_OVL_SHAPE_MAX),
	[WHORL_LAYOUT_A_UPPER] = NLA_POLICY_RANGE(NLA_S32, 0, 4096),
	[WHORL_LAYOUT_A_LOWER] = NLA_POLICY_RANGE(NLA_S32, 0, 4096),
	[WHORL_LAYOUT_A_NUMLOWER] = NLA_POLICY_MAX(NLA_U32, WHORL_OVL_FIELD_SPAN),
	[WHORL_LAYOUT_A_STACK] = NLA_POLICY_MAX(NLA_U32, WHORL_OVL_FIELD_SPAN),
	[WHORL_LAYOUT_A_PATH_LAYER] = NLA_POLICY_MAX(NLA_U32, WHORL_OVL_FIELD_SPAN),
	[WHORL_LAYOUT_A_PATH_DENTRY] = NLA_POLICY_MAX(NLA_U32, WHORL_OVL_FIELD_SPAN),
	[WHORL_LAYOUT_A_PATH_SIZE] = NLA_POLICY_MAX(NLA_U32, WHORL_OVL_FIELD_SPAN),
	[WHORL_LAYOUT_A_LAYER_MNT] = NLA_POLICY_MAX(NLA_U32, WHORL_OVL_FIELD_SPAN),
	[WHORL_LAYOUT_A_INODE_SIZE] = NLA_POLICY_MAX(NLA_U32, 16384),
};

/* Attributes the kernel only sends are absent here: strict mode rejects them. */
static const struct nla_policy whorl_policy[WHORL_A_MAX + 1] = {
	[WHORL_A_CONFIG_KINDS] = NLA_POLICY_MASK(NLA_U32, WHORL_KINDS_ALL),
	[WHORL_A_CONFIG_DEDUP_MS] = { .type = NLA_U32 },
	[WHORL_A_CONFIG_MODE] = NLA_POLICY_MAX(NLA_U8, WHORL_MODE_ENFORCE),
	[WHORL_A_INTEL_CAPACITY] = { .type = NLA_U32 },
	[WHORL_A_INTEL_ENTRY] = NLA_POLICY_NESTED(whorl_intel_entry_policy),
	[WHORL_A_INTEL_LABEL] = { .type = NLA_NUL_STRING, .len = WHORL_LABEL_MAX - 1 },
	[WHORL_A_INTEL_HASHES] = NLA_POLICY_MIN_LEN(sizeof(struct whorl_intel_hash)),
	[WHORL_A_LAYOUT] = NLA_POLICY_NESTED(whorl_layout_policy),
	[WHORL_A_CONFIG_EXEC_EVENTS] = NLA_POLICY_MAX(NLA_U8, 1),
	[WHORL_A_CONFIG_ENV_NAMES] = { .type = NLA_BINARY,
				       .len = WHORL_ENV_NAMES_MAX * WHORL_ENV_NAME_MAX },
};

static int whorl_put_counters(struct sk_buff *skb)
{
	struct nlattr *nest = nla_nest_start(skb, WHORL_A_COUNTERS);
	int c;

	if (!nest)
		return -EMSGSIZE;
	for (c = WHORL_CTR_UNSPEC + 1; c < __WHORL_CTR_MAX; c++)
		/* kprobes keeps that count itself */
		if (nla_put_u64_64bit(skb, c, c == WHORL_CTR_PROBES_MISSED ?
				      whorl_hooks_missed() : whorl_counter_read(c),
				      WHORL_CTR_UNSPEC))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int whorl_put_layout(struct sk_buff *skb)
{
	struct whorl_ovl_status st;
	struct nlattr *nest;

	whorl_overlay_status(&st);
	nest = nla_nest_start(skb, WHORL_A_LAYOUT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, WHORL_LAYOUT_A_SOURCE, st.source) ||
	    nla_put_u8(skb, WHORL_LAYOUT_A_CHECK, st.check) ||
	    nla_put_string(skb, WHORL_LAYOUT_A_REASON, st.reason) ||
	    nla_put_u64_64bit(skb, WHORL_LAYOUT_A_CONFIRMED, st.confirmed, WHORL_LAYOUT_A_PAD) ||
	    nla_put_u64_64bit(skb, WHORL_LAYOUT_A_UNCONFIRMED, st.unconfirmed,
			      WHORL_LAYOUT_A_PAD) ||
	    nla_put_u32(skb, WHORL_LAYOUT_A_INODE_SIZE, sizeof(struct inode)))
		return -EMSGSIZE;
	if (st.source != WHORL_PROVENANCE_OFF &&
	    (nla_put_u8(skb, WHORL_LAYOUT_A_SHAPE, st.layout.shape) ||
	     nla_put_s32(skb, WHORL_LAYOUT_A_UPPER, st.layout.upper) ||
	     nla_put_s32(skb, WHORL_LAYOUT_A_LOWER, st.layout.lower) ||
	     nla_put_u32(skb, WHORL_LAYOUT_A_NUMLOWER, st.layout.numlower) ||
	     nla_put_u32(skb, WHORL_LAYOUT_A_STACK, st.layout.stack) ||
	     nla_put_u32(skb, WHORL_LAYOUT_A_PATH_LAYER, st.layout.path_layer) ||
	     nla_put_u32(skb, WHORL_LAYOUT_A_PATH_DENTRY, st.layout.path_dentry) ||
	     nla_put_u32(skb, WHORL_LAYOUT_A_PATH_SIZE, st.layout.path_size) ||
	     nla_put_u32(skb, WHORL_LAYOUT_A_LAYER_MNT, st.layout.layer_mnt)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int whorl_cmd_layout_set(struct sk_buff *skb, struct genl_info *info)
{
	static const int needed[] = {
		WHORL_LAYOUT_A_SHAPE, WHORL_LAYOUT_A_UPPER, WHORL_LAYOUT_A_LOWER,
		WHORL_LAYOUT_A_NUMLOWER, WHORL_LAYOUT_A_STACK, WHORL_LAYOUT_A_PATH_LAYER,
		WHORL_LAYOUT_A_PATH_DENTRY, WHORL_LAYOUT_A_PATH_SIZE,
		WHORL_LAYOUT_A_LAYER_MNT, WHORL_LAYOUT_A_INODE_SIZE,
	};
	struct nlattr *tb[WHORL_LAYOUT_A_MAX + 1];
	struct whorl_ovl_layout l = {};
	unsigned int i;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, WHORL_A_LAYOUT))
		return -EINVAL;
	err = nla_parse_nested(tb, WHORL_LAYOUT_A_MAX, info->attrs[WHORL_A_LAYOUT],
			       whorl_layout_policy, info->extack);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(needed); i++) {
		if (!tb[needed[i]]) {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[WHORL_A_LAYOUT],
					    "layout attribute missing");
			return -EINVAL;
		}
	}
	l.shape = nla_get_u8(tb[WHORL_LAYOUT_A_SHAPE]);
	l.upper = nla_get_s32(tb[WHORL_LAYOUT_A_UPPER]);
	l.lower = nla_get_s32(tb[WHORL_LAYOUT_A_LOWER]);
	l.numlower = nla_get_u32(tb[WHORL_LAYOUT_A_NUMLOWER]);
	l.stack = nla_get_u32(tb[WHORL_LAYOUT_A_STACK]);
	l.path_layer = nla_get_u32(tb[WHORL_LAYOUT_A_PATH_LAYER]);
	l.path_dentry = nla_get_u32(tb[WHORL_LAYOUT_A_PATH_DENTRY]);
	l.path_size = nla_get_u32(tb[WHORL_LAYOUT_A_PATH_SIZE]);
	l.layer_mnt = nla_get_u32(tb[WHORL_LAYOUT_A_LAYER_MNT]);
	return whorl_overlay_set_layout(&l, nla_get_u32(tb[WHORL_LAYOUT_A_INODE_SIZE]),
					info->extack);
}

/* What each container was refused, those refused most, named where the cache knows them. */
static int whorl_put_ct_stats(struct sk_buff *skb)
{
	struct whorl_container *ct;
	struct whorl_ct_stat *st;
	unsigned int n, i;
	struct nlattr *nest;
	int err = 0;

	st = kcalloc(WHORL_CT_STATS_MAX, sizeof(*st), GFP_KERNEL);
	ct = kmalloc(sizeof(*ct), GFP_KERNEL);
	if (!st || !ct) {
		err = -ENOMEM;
		goto out;
	}
	n = whorl_event_ct_stats(st, 0);
	n = whorl_budget_ct_stats(st, n);
	for (i = 0; i < n && !err; i++) {
		nest = nla_nest_start(skb, WHORL_A_CONTAINER_STAT);
		if (!nest ||
		    nla_put_u64_64bit(skb, WHORL_CT_STAT_A_CGROUP_ID, st[i].key,
				      WHORL_CT_STAT_A_PAD) ||
		    nla_put_u64_64bit(skb, WHORL_CT_STAT_A_OVER_SHARE, st[i].over_share,
				      WHORL_CT_STAT_A_PAD) ||
		    nla_put_u64_64bit(skb, WHORL_CT_STAT_A_OVER_BUDGET, st[i].over_budget,
				      WHORL_CT_STAT_A_PAD) ||
		    (whorl_container_lookup(st[i].key, ct) &&
		     ((ct->id[0] && nla_put_string(skb, WHORL_CT_STAT_A_ID, ct->id)) ||
		      nla_put_string(skb, WHORL_CT_STAT_A_CGROUP, ct->path)))) {
			err = -EMSGSIZE;
			break;
		}
		nla_nest_end(skb, nest);
	}
out:
	kfree(ct);
	kfree(st);
	return err;
}

static int whorl_cmd_status(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	/* room for every container line: WHORL_CT_STATS_MAX of them, paths included */
	msg = genlmsg_new(WHORL_STATUS_MSG_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &whorl_family, 0, WHORL_CMD_STATUS_GET);
	if (!hdr)
		goto err;
	if (nla_put_string(msg, WHORL_A_VERSION, WHORL_VERSION) ||
	    whorl_put_counters(msg) ||
	    nla_put_u32(msg, WHORL_A_CONFIG_KINDS, READ_ONCE(whorl_kinds_enabled)) ||
	    nla_put_u32(msg, WHORL_A_CONFIG_DEDUP_MS, READ_ONCE(whorl_dedup_ms)) ||
	    nla_put_u8(msg, WHORL_A_CONFIG_MODE, READ_ONCE(whorl_mode)) ||
	    nla_put_u64_64bit(msg, WHORL_A_CONFIG_HASH_MAX, whorl_hash_max,
			      WHORL_A_UNSPEC) ||
	    nla_put_u32(msg, WHORL_A_CONFIG_CACHE_MAX, whorl_cache_max) ||
	    nla_put_u32(msg, WHORL_A_INTEL_COUNT, whorl_intel_count()) ||
	    nla_put_u32(msg, WHORL_A_INTEL_RULES, whorl_intel_rules()) ||
	    nla_put_u64_64bit(msg, WHORL_A_INTEL_BYTES, whorl_intel_bytes(),
			      WHORL_A_UNSPEC) ||
	    nla_put_u32(msg, WHORL_A_CACHE_ENTRIES, whorl_cache_count()) ||
	    nla_put_u32(msg, WHORL_A_CACHE_ENTRY_BYTES, whorl_cache_entry_bytes()) ||
	    nla_put_u32(msg, WHORL_A_EVENTS_ALIVE, whorl_events_alive()) ||
	    nla_put_u32(msg, WHORL_A_CONFIG_QUEUE_MAX, READ_ONCE(whorl_queue_max)) ||
	    whorl_put_layout(msg) || whorl_put_ct_stats(msg) || whorl_exec_put_config(msg))
		goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int whorl_cmd_config(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	int err;

	if (tb[WHORL_A_CONFIG_DEDUP_MS] &&
	    nla_get_u32(tb[WHORL_A_CONFIG_DEDUP_MS]) > WHORL_DEDUP_MS_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[WHORL_A_CONFIG_DEDUP_MS],
				    "dedup window longer than a day");
		return -ERANGE;
	}
	err = whorl_exec_names_check(tb[WHORL_A_CONFIG_ENV_NAMES], info->extack);
	if (err)
		return err;
	/* first: the one change that can fail, before any other applies */
	if (tb[WHORL_A_CONFIG_MODE]) {
		err = whorl_hooks_set_mode(nla_get_u8(tb[WHORL_A_CONFIG_MODE]),
					   info->extack);
		if (err)
			return err;
	}
	if (tb[WHORL_A_CONFIG_EXEC_EVENTS] || tb[WHORL_A_CONFIG_ENV_NAMES]) {
		/* (names checked above: only a failed allocation is left) */
		err = whorl_exec_config(tb[WHORL_A_CONFIG_EXEC_EVENTS],
					tb[WHORL_A_CONFIG_ENV_NAMES], info->extack);
		if (err)
			return err;
	}
	if (tb[WHORL_A_CONFIG_KINDS])
		WRITE_ONCE(whorl_kinds_enabled, nla_get_u32(tb[WHORL_A_CONFIG_KINDS]));
	if (tb[WHORL_A_CONFIG_DEDUP_MS]) {
		WRITE_ONCE(whorl_dedup_ms, nla_get_u32(tb[WHORL_A_CONFIG_DEDUP_MS]));
		whorl_dedup_reset();
	}
	/* what the hooks judged under the old configuration is void */
	whorl_memo_forget_all();
	return 0;
}

/* Caller holds whorl_stage_lock. */
static void whorl_stage_drop(void)
{
	whorl_intel_set_free(whorl_stage);
	whorl_stage = NULL;
	whorl_stage_portid = 0;
}

static int whorl_cmd_intel_begin(struct sk_buff *skb, struct genl_info *info)
{
	struct whorl_intel_set *set;
	u32 capacity;

	if (GENL_REQ_ATTR_CHECK(info, WHORL_A_INTEL_CAPACITY))
		return -EINVAL;
	capacity = nla_get_u32(info->attrs[WHORL_A_INTEL_CAPACITY]);
	if (capacity > WHORL_INTEL_MAX_ENTRIES) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[WHORL_A_INTEL_CAPACITY],
				    "more intel entries than the module holds");
		return -E2BIG;
	}
	mutex_lock(&whorl_stage_lock);
	if (whorl_stage && whorl_stage_portid != info->snd_portid) {
		mutex_unlock(&whorl_stage_lock);
		NL_SET_ERR_MSG(info->extack, "another intel load is in progress");
		return -EBUSY;
	}
	whorl_stage_drop();
	set = whorl_intel_set_alloc(capacity);
	if (!set) {
		mutex_unlock(&whorl_stage_lock);
		NL_SET_ERR_MSG(info->extack, "no memory for an intel set that size");
		return -ENOMEM;
	}
	whorl_stage = set;
	whorl_stage_portid = info->snd_portid;
	mutex_unlock(&whorl_stage_lock);
	return 0;
}

/* Caller holds whorl_stage_lock. */
static bool whorl_stage_owned(struct genl_info *info)
{
	if (whorl_stage && whorl_stage_portid == info->snd_portid)
		return true;
	NL_SET_ERR_MSG(info->extack, "no intel load begun by this socket");
	return false;
}

static int whorl_intel_add_one(const struct nlattr *entry,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[WHORL_INTEL_A_MAX + 1];
	u8 category = WHORL_INTEL_MALICIOUS;
	const char *label = "";
	int err;

	err = nla_parse_nested(tb, WHORL_INTEL_A_MAX, entry,
			       whorl_intel_entry_policy, extack);
	if (err)
		return err;
	if (!!tb[WHORL_INTEL_A_SHA256] == !!tb[WHORL_INTEL_A_NAME]) {
		NL_SET_ERR_MSG_ATTR(extack, entry,
				    "an intel entry needs exactly one of sha256 and name");
		return -EINVAL;
	}
	if (tb[WHORL_INTEL_A_CATEGORY])
		category = nla_get_u8(tb[WHORL_INTEL_A_CATEGORY]);
	if (tb[WHORL_INTEL_A_LABEL])
		label = nla_data(tb[WHORL_INTEL_A_LABEL]);
	if (tb[WHORL_INTEL_A_SHA256])
		return whorl_intel_set_add_hash(whorl_stage,
						nla_data(tb[WHORL_INTEL_A_SHA256]),
						category, label, extack);
	if (strchr(nla_data(tb[WHORL_INTEL_A_NAME]), '/') ||
	    !*(const char *)nla_data(tb[WHORL_INTEL_A_NAME])) {
		NL_SET_ERR_MSG_ATTR(extack, tb[WHORL_INTEL_A_NAME],
				    "a name rule is a non-empty basename");
		return -EINVAL;
	}
	return whorl_intel_set_add_name(whorl_stage, nla_data(tb[WHORL_INTEL_A_NAME]),
					category, label, extack);
}

/* A WHORL_A_INTEL_HASHES array: whole records only. */
static int whorl_intel_add_hashes(const struct nlattr *attr,
				  struct netlink_ext_ack *extack)
{
	if (nla_len(attr) % sizeof(struct whorl_intel_hash)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "intel hashes are whole 36-byte records");
		return -EINVAL;
	}
	return whorl_intel_set_add_hashes(whorl_stage, nla_data(attr),
					  nla_len(attr) / sizeof(struct whorl_intel_hash),
					  extack);
}

static int whorl_cmd_intel_add(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *attr;
	int rem, err = 0;

	mutex_lock(&whorl_stage_lock);
	if (!whorl_stage_owned(info)) {
		err = -ENOENT;
		goto out;
	}
	/* In message order: a label is numbered before the hashes naming it. */
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		switch (nla_type(attr)) {
		case WHORL_A_INTEL_ENTRY:
			err = whorl_intel_add_one(attr, info->extack);
			break;
		case WHORL_A_INTEL_LABEL:
			err = whorl_intel_set_add_label(whorl_stage, nla_data(attr),
							info->extack);
			break;
		case WHORL_A_INTEL_HASHES:
			err = whorl_intel_add_hashes(attr, info->extack);
			break;
		default:
			continue;
		}
		if (err) {
			/* A failed load never half-lands: start over. */
			whorl_stage_drop();
			break;
		}
	}
out:
	mutex_unlock(&whorl_stage_lock);
	return err;
}

static int whorl_cmd_intel_commit(struct sk_buff *skb, struct genl_info *info)
{
	int err = 0;

	mutex_lock(&whorl_stage_lock);
	if (whorl_stage_owned(info)) {
		whorl_intel_publish(whorl_stage);
		whorl_stage = NULL;
		whorl_stage_portid = 0;
		whorl_count(WHORL_CTR_INTEL_LOADS);
	} else {
		err = -ENOENT;
	}
	mutex_unlock(&whorl_stage_lock);
	return err;
}

static int whorl_cmd_intel_abort(struct sk_buff *skb, struct genl_info *info)
{
	int err = 0;

	mutex_lock(&whorl_stage_lock);
	if (whorl_stage_owned(info))
		whorl_stage_drop();
	else
		err = -ENOENT;
	mutex_unlock(&whorl_stage_lock);
	return err;
}

static int whorl_cmd_intel_clear(struct sk_buff *skb, struct genl_info *info)
{
	whorl_intel_publish(NULL);
	whorl_count(WHORL_CTR_INTEL_LOADS);
	return 0;
}

/* Caller holds whorl_sub_lock. */
static int whorl_sub_find(u32 portid)
{
	unsigned int i;

	for (i = 0; i < whorl_nsubs; i++)
		if (whorl_subs[i].portid == portid)
			return i;
	return -1;
}

/* Caller holds whorl_sub_lock. */
static void whorl_sub_remove(unsigned int i)
{
	whorl_subs[i] = whorl_subs[whorl_nsubs - 1];
	WRITE_ONCE(whorl_nsubs, whorl_nsubs - 1);
	whorl_gauge_set(WHORL_CTR_SUBSCRIBERS, whorl_nsubs);
}

bool whorl_netlink_listened(void)
{
	return READ_ONCE(whorl_nsubs) != 0;
}

static int whorl_cmd_subscribe(struct sk_buff *skb, struct genl_info *info)
{
	int err = 0;

	mutex_lock(&whorl_sub_lock);
	if (whorl_sub_find(info->snd_portid) >= 0) {
		NL_SET_ERR_MSG(info->extack, "already subscribed");
		err = -EALREADY;
	} else if (whorl_nsubs == WHORL_SUBSCRIBERS_MAX) {
		NL_SET_ERR_MSG(info->extack, "too many subscribers");
		err = -EBUSY;
	} else {
		whorl_subs[whorl_nsubs].portid = info->snd_portid;
		whorl_subs[whorl_nsubs].seq = 0;
		WRITE_ONCE(whorl_nsubs, whorl_nsubs + 1);
		whorl_gauge_set(WHORL_CTR_SUBSCRIBERS, whorl_nsubs);
	}
	mutex_unlock(&whorl_sub_lock);
	return err;
}

static int whorl_cmd_unsubscribe(struct sk_buff *skb, struct genl_info *info)
{
	int i, err = 0;

	mutex_lock(&whorl_sub_lock);
	i = whorl_sub_find(info->snd_portid);
	if (i >= 0) {
		whorl_sub_remove(i);
	} else {
		NL_SET_ERR_MSG(info->extack, "not subscribed");
		err = -ENOENT;
	}
	mutex_unlock(&whorl_sub_lock);
	return err;
}

static int whorl_put_file(struct sk_buff *skb, int type,
			  const struct whorl_file_obs *obs, const char *fs_path,
			  const struct whorl_layer_ref *layer,
			  const struct whorl_finding *f)
{
	dev_t dev = whorl_file_user_path(obs->file)->dentry->d_sb->s_dev;
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, WHORL_FILE_A_PATH, obs->path) ||
	    (fs_path && nla_put_string(skb, WHORL_FILE_A_FS_PATH, fs_path)) ||
	    nla_put_u32(skb, WHORL_FILE_A_DEV_MAJOR, MAJOR(dev)) ||
	    nla_put_u32(skb, WHORL_FILE_A_DEV_MINOR, MINOR(dev)) ||
	    nla_put_u8(skb, WHORL_FILE_A_LAYER, obs->layer) ||
	    (obs->layer == WHORL_LAYER_UNKNOWN && obs->origin.reason &&
	     nla_put_u8(skb, WHORL_FILE_A_LAYER_REASON, obs->origin.reason)) ||
	    (layer->dir &&
	     (nla_put_string(skb, WHORL_FILE_A_LAYER_DIR, layer->dir) ||
	      nla_put_u32(skb, WHORL_FILE_A_LAYER_DEV_MAJOR, MAJOR(layer->dev)) ||
	      nla_put_u32(skb, WHORL_FILE_A_LAYER_DEV_MINOR, MINOR(layer->dev)))))
		return -EMSGSIZE;
	if (obs->fp_known &&
	    (nla_put(skb, WHORL_FILE_A_SHA256, WHORL_SHA256_LEN, obs->fp.sha256) ||
	     nla_put_u64_64bit(skb, WHORL_FILE_A_SIZE, obs->fp.size, WHORL_FILE_A_PAD) ||
	     nla_put_u64_64bit(skb, WHORL_FILE_A_HASHED_SIZE, obs->fp.hashed,
			       WHORL_FILE_A_PAD) ||
	     (obs->fp.partial && nla_put_flag(skb, WHORL_FILE_A_PARTIAL))))
		return -EMSGSIZE;
	if (f && obs->layer == WHORL_LAYER_MODIFIED &&
	    (nla_put_u8(skb, WHORL_FILE_A_CONTENT, f->content) ||
	     (f->lower_known && nla_put(skb, WHORL_FILE_A_LOWER_SHA256,
					WHORL_SHA256_LEN, f->lower_fp.sha256))))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* The process an event is about, as a finding and an exec event carry it. */
static int whorl_put_process(struct sk_buff *skb, const struct whorl_event *ev)
{
	if (nla_put_u8(skb, WHORL_F_EVENT, ev->type) ||
	    nla_put_u64_64bit(skb, WHORL_F_TIME_NS, ev->time_ns, WHORL_F_PAD) ||
	    nla_put_u32(skb, WHORL_F_PID, ev->pid) ||
	    nla_put_u32(skb, WHORL_F_TGID, ev->tgid) ||
	    nla_put_u32(skb, WHORL_F_PPID, ev->ppid) ||
	    nla_put_u32(skb, WHORL_F_UID, ev->uid) ||
	    nla_put_u32(skb, WHORL_F_EUID, ev->euid) ||
	    nla_put_string(skb, WHORL_F_COMM, ev->comm) ||
	    (ev->args_len && nla_put(skb, WHORL_F_ARGS, ev->args_len, ev->args)) ||
	    (ev->args_truncated && nla_put_flag(skb, WHORL_F_ARGS_TRUNCATED)))
		return -EMSGSIZE;
	return 0;
}

static int whorl_put_finding(struct sk_buff *skb, const struct whorl_finding *f,
			     u64 seq)
{
	const struct whorl_event *ev = f->ev;
	struct nlattr *nest = nla_nest_start(skb, WHORL_A_FINDING);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, WHORL_F_SEQ, seq, WHORL_F_PAD) ||
	    nla_put_u64_64bit(skb, WHORL_F_ID, f->id, WHORL_F_PAD) ||
	    nla_put_u32(skb, WHORL_F_KIND, f->kind) ||
	    whorl_put_process(skb, ev))
		return -EMSGSIZE;
	if (f->library) {
		if ((ev->exe.file &&
		     whorl_put_file(skb, WHORL_F_BINARY, &ev->exe, f->exe_fs, &f->exe_layer,
				    NULL)) ||
		    whorl_put_file(skb, WHORL_F_LIBRARY, f->subject, f->subject_fs,
				   &f->subject_layer, f))
			return -EMSGSIZE;
	} else if (whorl_put_file(skb, WHORL_F_BINARY, f->subject, f->subject_fs,
				  &f->subject_layer, f)) {
		return -EMSGSIZE;
	}
	if ((f->ct->id[0] && nla_put_string(skb, WHORL_F_CONTAINER_ID, f->ct->id)) ||
	    nla_put_u8(skb, WHORL_F_RUNTIME, f->ct->runtime) ||
	    nla_put_string(skb, WHORL_F_CGROUP, f->ct->path) ||
	    nla_put_u64_64bit(skb, WHORL_F_CGROUP_ID, f->ct->cgroup_id, WHORL_F_PAD) ||
	    nla_put_u8(skb, WHORL_F_INTEL_CATEGORY, f->intel.category) ||
	    (f->intel.label[0] &&
	     nla_put_string(skb, WHORL_F_INTEL_LABEL, f->intel.label)) ||
	    nla_put_u8(skb, WHORL_F_ACTION, f->action) ||
	    nla_put_u32(skb, WHORL_F_SUPPRESSED, f->suppressed) ||
	    (f->hash_err && nla_put_u32(skb, WHORL_F_HASH_ERROR, -f->hash_err)) ||
	    (ev->escaped && nla_put_flag(skb, WHORL_F_ESCAPED)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int whorl_put_exec(struct sk_buff *skb, const struct whorl_event *ev,
			  const struct whorl_container *ct, u64 seq)
{
	static const struct whorl_layer_ref none;
	struct nlattr *nest = nla_nest_start(skb, WHORL_A_EXEC);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, WHORL_F_SEQ, seq, WHORL_F_PAD) ||
	    whorl_put_process(skb, ev) ||
	    /* the program that runs: the last an exec's passes saw; the first, a script */
	    whorl_put_file(skb, WHORL_F_BINARY, &ev->files[ev->nfiles - 1], NULL, &none, NULL) ||
	    (ev->nfiles > 1 &&
	     whorl_put_file(skb, WHORL_F_SCRIPT, &ev->files[0], NULL, &none, NULL)) ||
	    (ct->id[0] && nla_put_string(skb, WHORL_F_CONTAINER_ID, ct->id)) ||
	    nla_put_u8(skb, WHORL_F_RUNTIME, ct->runtime) ||
	    nla_put_string(skb, WHORL_F_CGROUP, ct->path) ||
	    nla_put_u64_64bit(skb, WHORL_F_CGROUP_ID, ct->cgroup_id, WHORL_F_PAD) ||
	    (ev->escaped && nla_put_flag(skb, WHORL_F_ESCAPED)) ||
	    whorl_exec_put(skb, &ev->xc))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* A message's attributes, for subscriber @seq. */
typedef int (*whorl_put_fn)(struct sk_buff *skb, const void *arg, u64 seq);

/*
 * Send one message of @cmd (at most @size bytes, filled by @put) to every
 * subscriber, each with its own next sequence number; @sent is the counter
 * of a delivery.
 */
static void whorl_unicast_all(u8 cmd, size_t size, whorl_put_fn put, const void *arg,
			      enum whorl_counter sent)
{
	unsigned int i = 0;

	mutex_lock(&whorl_sub_lock);
	if (!whorl_nsubs && cmd == WHORL_CMD_FINDING)
		whorl_count(WHORL_CTR_FINDINGS_UNHEARD);
	while (i < whorl_nsubs) {
		struct whorl_subscriber *sub = &whorl_subs[i];
		struct sk_buff *skb;
		void *hdr = NULL;
		int err;

		sub->seq++;
		skb = genlmsg_new(size, GFP_KERNEL);
		if (skb)
			hdr = genlmsg_put(skb, 0, 0, &whorl_family, 0, cmd);
		if (!hdr || put(skb, arg, sub->seq)) {
			nlmsg_free(skb);
			whorl_count(WHORL_CTR_FINDINGS_DROPPED);
			i++;
			continue;
		}
		genlmsg_end(skb, hdr);
		err = genlmsg_unicast(&init_net, skb, sub->portid);
		if (err == -ECONNREFUSED) {
			/* The socket is gone: it was lost, not dropped. */
			whorl_sub_remove(i);
			continue;
		}
		whorl_count(err ? WHORL_CTR_FINDINGS_DROPPED : sent);
		i++;
	}
	mutex_unlock(&whorl_sub_lock);
}

static int whorl_put_finding_fn(struct sk_buff *skb, const void *f, u64 seq)
{
	return whorl_put_finding(skb, f, seq);
}

/**
 * whorl_netlink_emit - send @f to every subscriber, by unicast.
 * @f: the finding.
 *
 * Process context. A subscriber whose buffer is full loses this finding:
 * the drop is counted and its sequence numbers show the gap. The kernel
 * never waits for a reader.
 */
void whorl_netlink_emit(const struct whorl_finding *f)
{
	whorl_unicast_all(WHORL_CMD_FINDING, WHORL_FINDING_MSG_SIZE, whorl_put_finding_fn, f,
			  WHORL_CTR_FINDINGS_DELIVERED);
}

struct whorl_exec_msg {
	const struct whorl_event *ev;
	const struct whorl_container *ct;
};

static int whorl_put_exec_fn(struct sk_buff *skb, const void *arg, u64 seq)
{
	const struct whorl_exec_msg *m = arg;

	return whorl_put_exec(skb, m->ev, m->ct, seq);
}

void whorl_netlink_emit_exec(const struct whorl_event *ev, const struct whorl_container *ct)
{
	const struct whorl_exec_msg m = { .ev = ev, .ct = ct };

	whorl_unicast_all(WHORL_CMD_EXEC, WHORL_EXEC_MSG_SIZE, whorl_put_exec_fn, &m,
			  WHORL_CTR_EXEC_EVENTS);
}

/* A closed socket unsubscribes and abandons its staged intel. */
static int whorl_netlink_notify(struct notifier_block *nb, unsigned long state,
				void *ptr)
{
	struct netlink_notify *n = ptr;
	int i;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net))
		return NOTIFY_DONE;

	mutex_lock(&whorl_sub_lock);
	i = whorl_sub_find(n->portid);
	if (i >= 0)
		whorl_sub_remove(i);
	mutex_unlock(&whorl_sub_lock);

	mutex_lock(&whorl_stage_lock);
	if (whorl_stage && whorl_stage_portid == n->portid)
		whorl_stage_drop();
	mutex_unlock(&whorl_stage_lock);
	return NOTIFY_DONE;
}

static struct notifier_block whorl_netlink_nb = {
	.notifier_call = whorl_netlink_notify,
};

static const struct genl_small_ops whorl_ops[] = {
	{ .cmd = WHORL_CMD_STATUS_GET, .doit = whorl_cmd_status, .flags = GENL_ADMIN_PERM },
	{ .cmd = WHORL_CMD_CONFIG_SET, .doit = whorl_cmd_config, .flags = GENL_ADMIN_PERM },
	{ .cmd = WHORL_CMD_INTEL_BEGIN, .doit = whorl_cmd_intel_begin, .flags = GENL_ADMIN_PERM },
	{ .cmd = WHORL_CMD_INTEL_ADD, .doit = whorl_cmd_intel_add, .flags = GENL_ADMIN_PERM },
	{ .cmd = WHORL_CMD_INTEL_COMMIT, .doit = whorl_cmd_intel_commit, .flags = GENL_ADMIN_PERM },
	{ .cmd = WHORL_CMD_INTEL_ABORT, .doit = whorl_cmd_intel_abort, .flags = GENL_ADMIN_PERM },
	{ .cmd = WHORL_CMD_INTEL_CLEAR, .doit = whorl_cmd_intel_clear, .flags = GENL_ADMIN_PERM },
	{ .cmd = WHORL_CMD_SUBSCRIBE, .doit = whorl_cmd_subscribe, .flags = GENL_ADMIN_PERM },
	{ .cmd = WHORL_CMD_UNSUBSCRIBE, .doit = whorl_cmd_unsubscribe, .flags = GENL_ADMIN_PERM },
	{ .cmd = WHORL_CMD_LAYOUT_SET, .doit = whorl_cmd_layout_set, .flags = GENL_ADMIN_PERM },
};

static struct genl_family whorl_family = {
	.name = WHORL_GENL_NAME,
	.version = WHORL_GENL_VERSION,
	.maxattr = WHORL_A_MAX,
	.policy = whorl_policy,
	.netnsok = false,
	/*
	 * Every command takes the lock of what it changes (stage, subscribers,
	 * probes): none needs genl_mutex, and an intel commit's grace period
	 * or a probe registration must not hold every other family's commands.
	 */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = whorl_ops,
	.n_small_ops = ARRAY_SIZE(whorl_ops),
	WHORL_GENL_RESV_START_OP(WHORL_CMD_STATUS_GET)
};

int whorl_netlink_init(void)
{
	int err;

	err = netlink_register_notifier(&whorl_netlink_nb);
	if (err)
		return err;
	err = genl_register_family(&whorl_family);
	if (err) {
		netlink_unregister_notifier(&whorl_netlink_nb);
		return err;
	}
	return 0;
}

void whorl_netlink_exit(void)
{
	genl_unregister_family(&whorl_family);
	netlink_unregister_notifier(&whorl_netlink_nb);
	mutex_lock(&whorl_stage_lock);
	whorl_stage_drop();
	mutex_unlock(&whorl_stage_lock);
	/* workers may still be emitting: they find no subscriber from now on */
	mutex_lock(&whorl_sub_lock);
	WRITE_ONCE(whorl_nsubs, 0);
	mutex_unlock(&whorl_sub_lock);
}
