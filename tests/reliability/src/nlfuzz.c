// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz.c - hostile generic netlink against the whorl family: malformed messages by class,
 * each with the answer the kernel owes it, then random ones; TAP on stdout.
 *
 *   whorl-nlfuzz [-n TOTAL] [-s SEED] [-c CLASS] [-i INDEX] [-v] [-l] [--no-max-capacity]
 *     -n TOTAL   messages in all, spread over the classes by weight (default 12000)
 *     -s SEED    the PRNG seed (default: from the clock); printed, so a run can be repeated
 *     -c CLASS   only this class (-l lists them); -i INDEX only that message of it
 *     -v         every message and its answer, in hex, on stderr
 *     --no-max-capacity  skip the one INTEL_BEGIN at exactly the module's capacity limit
 *                (it allocates about 700 MiB; skipped anyway when less memory is available)
 *     --strict-version   expect requests with a genl version other than 1 to be refused
 *
 * Each message is built from its own PRNG state (seed, class, index), so `-s SEED -c CLASS -i
 * INDEX -v` rebuilds exactly the message a failure names. A class passes when every message got
 * the answer its construction calls for:
 *   error         an error ack (nlmsgerr.error < 0)
 *   error+extack  an error ack with an extended-ack attribute: the policy violations and every
 *                 refusal the module explains
 *   refused       no success: an error ack, or no answer when the framing is too broken for the
 *                 netlink core to answer at all
 *   success       a success ack: only for valid requests with an odd genl version, which the
 *                 kernel ignores ("Irrelevant, set to 1": Documentation/userspace-api/netlink/
 *                 intro.rst); --strict-version expects an error instead
 *   any           anything but a crash (random payloads; their outcomes are counted)
 * Setup steps (an INTEL_BEGIN before a bad INTEL_ADD...) must succeed, and a failed intel load
 * must not be committable. At the end: the module answers a status request, its intel set is
 * the one it started with, its configuration is restored (random CONFIG_SETs may land), no
 * subscription or staged intel set outlives the sockets. Exit status: 0 when all passed.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/whorl.h>

#include "rnl.h"

/* The module's limits the messages probe around (kmod/limits.h). */
#define INTEL_MAX_ENTRIES	(16U << 20)
#define DEDUP_MS_MAX		(24U * 3600 * 1000)
#define SUBSCRIBERS_MAX		16
#define KINDS_ALL		(((1U << __WHORL_KIND_MAX) - 1) & ~(1U << WHORL_KIND_NONE))

enum expect { EXP_ERROR, EXP_ERROR_EXTACK, EXP_REFUSED, EXP_SUCCESS, EXP_ANY };
static const char *const expect_name[] = { "error", "error+extack", "refused", "success", "any" };

/* What becomes of a staged intel set the message was sent into. */
enum stage {
	STAGE_NONE,	/* no set was staged for this message */
	STAGE_KEPT,	/* refused before the command ran: the set is there; abort it */
	STAGE_DROPPED,	/* refused by INTEL_ADD itself: the set must be gone, a COMMIT refused */
};

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)(rng_next(r) % n) : 0;
}

/* Inclusive range. */
static uint32_t between(struct rng *r, uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)(rng_next(r) % ((uint64_t)hi - lo + 1));
}

static void rand_bytes(struct rng *r, void *p, size_t n)
{
	unsigned char *b = p;
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(i % 8))
			v = rng_next(r);
		b[i] = (unsigned char)(v >> (8 * (i % 8)));
	}
}

/* Printable, never NUL, never '/'. */
static void rand_name(struct rng *r, char *p, size_t n)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789-_.";
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = set[below(r, sizeof(set) - 1)];
}

struct status {
	int ok;
	uint32_t kinds, dedup_ms, intel_count, intel_rules;
	uint8_t mode;
	uint64_t intel_bytes, subscribers;
	int has_kinds, has_dedup, has_mode, has_count, has_rules, has_bytes, has_version;
};

struct fcase {
	enum expect exp;
	enum stage stage;
	const char *variant;
	int sock;		/* 0: the main socket; 1: a fresh socket for this message */
	int raw_len;		/* send this many bytes instead of the message's length (>= 0) */
	int finished;		/* the generator set nlmsg_len itself (to a lie, maybe) */
	int abort_other;	/* the other socket staged a set for this message: abort it */
	char why[512];		/* a setup step that failed */
};

struct tally {
	unsigned long sent, errors, successes, silent, extack, broke, setup_failed;
	unsigned long by_errno[140];
	unsigned long first_broken;	/* index + 1 */
	char first[1024];
};

struct ctx {
	struct rnl nl, other;
	uint64_t seed;
	int verbose, max_capacity;
	struct status start;
	unsigned long setup_msgs;
};

static struct ctx C;
static struct rmsg M, S;	/* the fuzz message; a setup message */
static struct rnl_answer A, SA;

static const uint8_t valid_cmds[] = {
	WHORL_CMD_STATUS_GET, WHORL_CMD_CONFIG_SET, WHORL_CMD_INTEL_BEGIN, WHORL_CMD_INTEL_ADD,
	WHORL_CMD_INTEL_COMMIT, WHORL_CMD_INTEL_ABORT, WHORL_CMD_INTEL_CLEAR, WHORL_CMD_SUBSCRIBE,
	WHORL_CMD_UNSUBSCRIBE,
};
/* Commands whose acceptance leaves the live intel set as it was. */
static const uint8_t safe_cmds[] = {
	WHORL_CMD_STATUS_GET, WHORL_CMD_CONFIG_SET, WHORL_CMD_INTEL_BEGIN, WHORL_CMD_INTEL_ADD,
	WHORL_CMD_INTEL_ABORT, WHORL_CMD_SUBSCRIBE, WHORL_CMD_UNSUBSCRIBE,
};

static uint8_t any_valid_cmd(struct rng *r)
{
	return valid_cmds[below(r, sizeof(valid_cmds))];
}

static uint8_t any_safe_cmd(struct rng *r)
{
	return safe_cmds[below(r, sizeof(safe_cmds))];
}

static void start(struct rmsg *m, struct rnl *nl, uint8_t cmd)
{
	rmsg_init(m, nl, nl->family, NLM_F_REQUEST | NLM_F_ACK, cmd, WHORL_GENL_VERSION);
}

static void put_valid_entry(struct rmsg *m, struct rng *r)
{
	size_t nest = rmsg_nest_start(m, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
	unsigned char sha[WHORL_SHA256_LEN];
	char s[WHORL_LABEL_MAX];
	size_t n;

	if (below(r, 2)) {
		rand_bytes(r, sha, sizeof(sha));
		rmsg_attr(m, WHORL_INTEL_A_SHA256, sha, sizeof(sha));
	} else {
		n = between(r, 1, 40);
		rand_name(r, s, n);
		s[n] = '\0';
		rmsg_strz(m, WHORL_INTEL_A_NAME, s);
	}
	if (below(r, 2))
		rmsg_u8(m, WHORL_INTEL_A_CATEGORY, (uint8_t)between(r, WHORL_INTEL_MALICIOUS,
								       WHORL_INTEL_CATEGORY_MAX));
	if (below(r, 2)) {
		n = below(r, WHORL_LABEL_MAX);
		rand_name(r, s, n);
		s[n] = '\0';
		rmsg_strz(m, WHORL_INTEL_A_LABEL, s);
	}
	rmsg_nest_end(m, nest);
}

/* @n valid hash records naming labels 0..@labels, in a WHORL_A_INTEL_HASHES attribute. */
static void put_valid_hashes(struct rmsg *m, struct rng *r, unsigned int n, unsigned int labels)
{
	struct whorl_intel_hash h[4];
	unsigned int i;

	memset(h, 0, sizeof(h));
	for (i = 0; i < n && i < 4; i++) {
		rand_bytes(r, h[i].sha256, sizeof(h[i].sha256));
		h[i].label = (uint16_t)below(r, labels + 1);
		h[i].category = (uint8_t)between(r, WHORL_INTEL_MALICIOUS, WHORL_INTEL_CATEGORY_MAX);
	}
	rmsg_attr(m, WHORL_A_INTEL_HASHES, h, i * sizeof(h[0]));
}

/* 0 to 2 labels, then @records hash records that may name them. */
static void put_valid_compact(struct rmsg *m, struct rng *r, unsigned int records)
{
	unsigned int i, n = below(r, 3);
	char s[WHORL_LABEL_MAX];
	size_t len;

	for (i = 0; i < n; i++) {
		len = between(r, 1, WHORL_LABEL_MAX - 1);
		rand_name(r, s, len);
		s[len] = '\0';
		rmsg_strz(m, WHORL_A_INTEL_LABEL, s);
	}
	put_valid_hashes(m, r, records, n);
}

/*
 * Attributes a command accepts, with harmless values: the configuration the module started with,
 * small capacities, entries for a staged set.
 */
static void put_valid_attrs(struct rmsg *m, struct rng *r, uint8_t cmd)
{
	unsigned int i, n;

	switch (cmd) {
	case WHORL_CMD_CONFIG_SET:
		if (below(r, 2))
			rmsg_u32(m, WHORL_A_CONFIG_KINDS, C.start.kinds);
		if (below(r, 2))
			rmsg_u32(m, WHORL_A_CONFIG_DEDUP_MS, C.start.dedup_ms);
		if (below(r, 2))
			rmsg_u8(m, WHORL_A_CONFIG_MODE, C.start.mode);
		break;
	case WHORL_CMD_INTEL_BEGIN:
		rmsg_u32(m, WHORL_A_INTEL_CAPACITY, below(r, 8));
		break;
	case WHORL_CMD_INTEL_ADD:
		/* 1 to 3 entries, as nests or as packed hash records */
		n = between(r, 1, 3);
		if (below(r, 2))
			put_valid_compact(m, r, n);
		else
			for (i = 0; i < n; i++)
				put_valid_entry(m, r);
		break;
	default:
		break;
	}
}

/* --- setup requests ------------------------------------------------------------------------ */

/* Sends a setup message on @nl; its answer lands in SA. Return: the error (0, -errno). */
static int setup_send(struct rnl *nl, struct rmsg *m)
{
	int err;

	rmsg_finish(m);
	C.setup_msgs++;
	err = rnl_request(nl, m, &SA);
	if (err)
		return err;
	if (!SA.acked)
		return -ETIMEDOUT;
	return SA.error;
}

static int setup_cmd(struct rnl *nl, uint8_t cmd)
{
	start(&S, nl, cmd);
	return setup_send(nl, &S);
}

static int setup_begin(struct rnl *nl, uint32_t capacity)
{
	start(&S, nl, WHORL_CMD_INTEL_BEGIN);
	rmsg_u32(&S, WHORL_A_INTEL_CAPACITY, capacity);
	return setup_send(nl, &S);
}

static int get_status(struct rnl *nl, struct status *st)
{
	const struct nlmsghdr *h;
	size_t off, end, noff, nend;
	int err;

	memset(st, 0, sizeof(*st));
	err = setup_cmd(nl, WHORL_CMD_STATUS_GET);
	if (err)
		return err;
	if (!SA.reply_len)
		return -EPROTO;
	h = (const struct nlmsghdr *)SA.reply;
	end = h->nlmsg_len;
	for (off = NLMSG_HDRLEN + GENL_HDRLEN; off + NLA_HDRLEN <= end;) {
		const struct nlattr *at = (const struct nlattr *)(SA.reply + off);
		const void *p = at + 1;
		size_t len = at->nla_len - NLA_HDRLEN;

		if (at->nla_len < NLA_HDRLEN || off + at->nla_len > end)
			break;
		switch (at->nla_type & NLA_TYPE_MASK) {
		case WHORL_A_VERSION: st->has_version = 1; break;
		case WHORL_A_CONFIG_KINDS:
			if (len == 4) { memcpy(&st->kinds, p, 4); st->has_kinds = 1; }
			break;
		case WHORL_A_CONFIG_DEDUP_MS:
			if (len == 4) { memcpy(&st->dedup_ms, p, 4); st->has_dedup = 1; }
			break;
		case WHORL_A_CONFIG_MODE:
			if (len == 1) { memcpy(&st->mode, p, 1); st->has_mode = 1; }
			break;
		case WHORL_A_INTEL_COUNT:
			if (len == 4) { memcpy(&st->intel_count, p, 4); st->has_count = 1; }
			break;
		case WHORL_A_INTEL_RULES:
			if (len == 4) { memcpy(&st->intel_rules, p, 4); st->has_rules = 1; }
			break;
		case WHORL_A_INTEL_BYTES:
			if (len == 8) { memcpy(&st->intel_bytes, p, 8); st->has_bytes = 1; }
			break;
		case WHORL_A_COUNTERS:
			nend = off + at->nla_len;
			for (noff = off + NLA_HDRLEN; noff + NLA_HDRLEN <= nend;) {
				const struct nlattr *c = (const struct nlattr *)(SA.reply + noff);

				if (c->nla_len < NLA_HDRLEN || noff + c->nla_len > nend)
					break;
				if ((c->nla_type & NLA_TYPE_MASK) == WHORL_CTR_SUBSCRIBERS &&
				    c->nla_len == NLA_HDRLEN + 8)
					memcpy(&st->subscribers, c + 1, 8);
				noff += NLA_ALIGN(c->nla_len);
			}
			break;
		default:
			break;
		}
		off += NLA_ALIGN(at->nla_len);
	}
	st->ok = st->has_version && st->has_kinds && st->has_dedup && st->has_mode &&
		 st->has_count && st->has_rules && st->has_bytes;
	return st->ok ? 0 : -EPROTO;
}

static void setup_failed(struct fcase *fc, const char *what, int err)
{
	if (fc->why[0])
		return;
	snprintf(fc->why, sizeof(fc->why), "setup %s answered %s%s%.256s%s", what,
		 err ? rnl_errname(err) : "ok", SA.msg[0] ? " ('" : "", SA.msg, SA.msg[0] ? "')" : "");
}

/* --- the classes ------------------------------------------------------------------------- */

static void gen_unknown_command(struct rng *r, struct fcase *fc)
{
	uint8_t cmd;

	if (below(r, 4)) {
		cmd = below(r, 6) ? (uint8_t)between(r, WHORL_CMD_MAX + 1, 255) : WHORL_CMD_UNSPEC;
		start(&M, &C.nl, cmd);
		fc->variant = cmd ? "command past the last" : "command 0 (UNSPEC)";
	} else {
		/* Every command is a doit: a dump request for one has no handler. */
		cmd = any_valid_cmd(r);
		rmsg_init(&M, &C.nl, C.nl.family, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, cmd,
			  WHORL_GENL_VERSION);
		fc->variant = "dump of a do-only command";
	}
	put_valid_attrs(&M, r, below(r, 2) ? any_safe_cmd(r) : WHORL_CMD_STATUS_GET);
	fc->exp = EXP_ERROR;
}

static void gen_finding_to_kernel(struct rng *r, struct fcase *fc)
{
	size_t nest, file;
	unsigned char sha[WHORL_SHA256_LEN];
	uint64_t v;

	start(&M, &C.nl, WHORL_CMD_FINDING);
	fc->variant = "bare FINDING";
	if (below(r, 3)) {
		/* A plausible finding, as the kernel itself would send it. */
		fc->variant = "FINDING with a finding nest";
		nest = rmsg_nest_start(&M, WHORL_A_FINDING | NLA_F_NESTED);
		v = 1;
		rmsg_attr(&M, WHORL_F_SEQ, &v, 8);
		v = below(r, 1000);
		rmsg_attr(&M, WHORL_F_ID, &v, 8);
		rmsg_u32(&M, WHORL_F_KIND, between(r, 1, WHORL_KIND_MAX));
		rmsg_u8(&M, WHORL_F_EVENT, WHORL_EVENT_EXEC);
		rmsg_strz(&M, WHORL_F_COMM, "sh");
		file = rmsg_nest_start(&M, WHORL_F_BINARY | NLA_F_NESTED);
		rmsg_strz(&M, WHORL_FILE_A_PATH, "/usr/local/bin/x");
		rand_bytes(r, sha, sizeof(sha));
		rmsg_attr(&M, WHORL_FILE_A_SHA256, sha, sizeof(sha));
		rmsg_nest_end(&M, file);
		rmsg_nest_end(&M, nest);
	}
	fc->exp = EXP_ERROR;
}

static void gen_unknown_attribute(struct rng *r, struct fcase *fc)
{
	static const uint16_t kernel_only[] = {
		WHORL_A_VERSION, WHORL_A_COUNTERS, WHORL_A_CONFIG_HASH_MAX, WHORL_A_CONFIG_CACHE_MAX,
		WHORL_A_INTEL_COUNT, WHORL_A_INTEL_RULES, WHORL_A_FINDING, WHORL_A_CACHE_ENTRIES,
		WHORL_A_CACHE_ENTRY_BYTES, WHORL_A_INTEL_BYTES, WHORL_A_EVENTS_ALIVE,
		WHORL_A_CONFIG_QUEUE_MAX,
	};
	unsigned char junk[64];
	uint8_t cmd = any_valid_cmd(r);
	uint16_t type;
	size_t len;
	int pick = (int)below(r, 3);

	start(&M, &C.nl, cmd);
	if (below(r, 2))
		put_valid_attrs(&M, r, cmd);
	if (pick == 0) {
		type = WHORL_A_UNSPEC;
		fc->variant = "attribute type 0";
	} else if (pick == 1) {
		type = kernel_only[below(r, sizeof(kernel_only) / sizeof(kernel_only[0]))];
		fc->variant = "kernel-only attribute";
	} else {
		type = (uint16_t)between(r, __WHORL_A_MAX, NLA_TYPE_MASK);
		fc->variant = "attribute type past the last";
	}
	len = type == WHORL_A_VERSION ? 0 : below(r, sizeof(junk));
	rand_bytes(r, junk, len);
	if (type == WHORL_A_VERSION) {
		rmsg_strz(&M, type, "0.0.0-fuzz");
	} else if (type == WHORL_A_INTEL_COUNT || type == WHORL_A_CACHE_ENTRIES) {
		rmsg_u32(&M, type, (uint32_t)rng_next(r));
	} else {
		if (below(r, 4) == 0)
			type |= NLA_F_NESTED;
		rmsg_attr(&M, type, junk, len);
	}
	if (below(r, 2))
		put_valid_attrs(&M, r, cmd);
	fc->exp = EXP_ERROR_EXTACK;
}

static void gen_u32_length(struct rng *r, struct fcase *fc)
{
	static const uint16_t attrs[] = {
		WHORL_A_CONFIG_KINDS, WHORL_A_CONFIG_DEDUP_MS, WHORL_A_INTEL_CAPACITY,
	};
	unsigned char junk[16];
	uint16_t type = attrs[below(r, 3)];
	size_t len;
	uint8_t cmd;

	do
		len = below(r, sizeof(junk) + 1);
	while (len == 4);
	if (below(r, 3))
		cmd = type == WHORL_A_INTEL_CAPACITY ? WHORL_CMD_INTEL_BEGIN : WHORL_CMD_CONFIG_SET;
	else
		cmd = any_valid_cmd(r);
	start(&M, &C.nl, cmd);
	rand_bytes(r, junk, len);
	rmsg_attr(&M, type, junk, len);
	fc->variant = len < 4 ? "u32 attribute too short" : "u32 attribute too long";
	fc->exp = EXP_ERROR_EXTACK;
}

static void gen_u8_length(struct rng *r, struct fcase *fc)
{
	unsigned char junk[9], sha[WHORL_SHA256_LEN];
	size_t len, nest;

	do
		len = below(r, sizeof(junk));
	while (len == 1);
	rand_bytes(r, junk, len);
	if (below(r, 2)) {
		start(&M, &C.nl, below(r, 3) ? WHORL_CMD_CONFIG_SET : any_valid_cmd(r));
		rmsg_attr(&M, WHORL_A_CONFIG_MODE, junk, len);
		fc->variant = "mode (u8) of a wrong length";
	} else {
		start(&M, &C.nl, WHORL_CMD_INTEL_ADD);
		nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
		rand_bytes(r, sha, sizeof(sha));
		rmsg_attr(&M, WHORL_INTEL_A_SHA256, sha, sizeof(sha));
		rmsg_attr(&M, WHORL_INTEL_A_CATEGORY, junk, len);
		rmsg_nest_end(&M, nest);
		fc->variant = "intel category (u8) of a wrong length";
	}
	fc->exp = EXP_ERROR_EXTACK;
}

static void gen_out_of_range(struct rng *r, struct fcase *fc)
{
	unsigned char sha[WHORL_SHA256_LEN];
	uint32_t v;
	size_t nest;

	switch (below(r, 4)) {
	case 0:
		/* Bit 0 (NONE) or a kind past the last, with or without valid ones. */
		v = below(r, 2) ? 1U : 1U << between(r, __WHORL_KIND_MAX, 31);
		v |= (uint32_t)rng_next(r) & KINDS_ALL;
		start(&M, &C.nl, below(r, 3) ? WHORL_CMD_CONFIG_SET : any_valid_cmd(r));
		rmsg_u32(&M, WHORL_A_CONFIG_KINDS, v);
		fc->variant = "kinds mask with an unknown kind";
		break;
	case 1:
		start(&M, &C.nl, below(r, 3) ? WHORL_CMD_CONFIG_SET : any_valid_cmd(r));
		rmsg_u8(&M, WHORL_A_CONFIG_MODE, (uint8_t)between(r, WHORL_MODE_ENFORCE + 1, 255));
		fc->variant = "mode past enforce";
		break;
	case 2:
		/* The module's own check: only CONFIG_SET reads the window. */
		start(&M, &C.nl, WHORL_CMD_CONFIG_SET);
		rmsg_u32(&M, WHORL_A_CONFIG_DEDUP_MS, between(r, DEDUP_MS_MAX + 1, UINT32_MAX));
		fc->variant = "dedup window longer than a day";
		break;
	default:
		start(&M, &C.nl, WHORL_CMD_INTEL_ADD);
		nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
		rand_bytes(r, sha, sizeof(sha));
		rmsg_attr(&M, WHORL_INTEL_A_SHA256, sha, sizeof(sha));
		rmsg_u8(&M, WHORL_INTEL_A_CATEGORY,
			below(r, 3) ? WHORL_INTEL_NONE :
				      (uint8_t)between(r, __WHORL_INTEL_CATEGORY_MAX, 255));
		rmsg_nest_end(&M, nest);
		fc->variant = "intel category none or unknown";
		break;
	}
	fc->exp = EXP_ERROR_EXTACK;
}

static char big[8192];

static void gen_oversized_string(struct rng *r, struct fcase *fc)
{
	unsigned char sha[WHORL_SHA256_LEN];
	size_t nest, n;

	start(&M, &C.nl, WHORL_CMD_INTEL_ADD);
	if (below(r, 3) == 0)
		put_valid_entry(&M, r);
	nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
	if (below(r, 2)) {
		/* WHORL_NAME_MAX counts the NUL: 256 characters are one too many. */
		n = below(r, 4) ? between(r, WHORL_NAME_MAX, WHORL_NAME_MAX + 8) :
				  between(r, WHORL_NAME_MAX, 4000);
		rand_name(r, big, n);
		big[n] = '\0';
		rmsg_strz(&M, WHORL_INTEL_A_NAME, big);
		fc->variant = "name rule longer than WHORL_NAME_MAX - 1";
	} else {
		rand_bytes(r, sha, sizeof(sha));
		rmsg_attr(&M, WHORL_INTEL_A_SHA256, sha, sizeof(sha));
		n = below(r, 4) ? between(r, WHORL_LABEL_MAX, WHORL_LABEL_MAX + 8) :
				  between(r, WHORL_LABEL_MAX, 2000);
		rand_name(r, big, n);
		big[n] = '\0';
		rmsg_strz(&M, WHORL_INTEL_A_LABEL, big);
		fc->variant = "label longer than WHORL_LABEL_MAX - 1";
	}
	rmsg_nest_end(&M, nest);
	fc->exp = EXP_ERROR_EXTACK;
}

static void gen_unterminated_string(struct rng *r, struct fcase *fc)
{
	unsigned char sha[WHORL_SHA256_LEN];
	size_t nest, n = below(r, 4) ? between(r, 1, 300) : 0;
	int label = (int)below(r, 2);

	start(&M, &C.nl, WHORL_CMD_INTEL_ADD);
	nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
	if (label) {
		rand_bytes(r, sha, sizeof(sha));
		rmsg_attr(&M, WHORL_INTEL_A_SHA256, sha, sizeof(sha));
	}
	rand_name(r, big, n);
	rmsg_attr(&M, label ? WHORL_INTEL_A_LABEL : WHORL_INTEL_A_NAME, big, n);
	rmsg_nest_end(&M, nest);
	fc->variant = n ? (label ? "label without its NUL" : "name without its NUL") :
			  (label ? "empty label attribute" : "empty name attribute");
	fc->exp = EXP_ERROR_EXTACK;
}

/* Opens a staged set on the main socket for a message that INTEL_ADD itself must refuse. */
static int stage_for(struct fcase *fc, uint32_t capacity)
{
	int err = setup_begin(&C.nl, capacity);

	if (err) {
		setup_failed(fc, "INTEL_BEGIN", err);
		return -1;
	}
	return 0;
}

static void gen_bad_entry(struct rng *r, struct fcase *fc)
{
	unsigned char sha[WHORL_SHA256_LEN], junk[80];
	struct whorl_intel_hash recs[4];
	size_t nest, inner, n, i, k;
	char name[64];

	start(&M, &C.nl, WHORL_CMD_INTEL_ADD);
	if (below(r, 4) == 0)
		put_valid_entry(&M, r);
	rand_bytes(r, sha, sizeof(sha));
	fc->exp = EXP_ERROR_EXTACK;
	switch (below(r, 17)) {
	case 0:
		/* Strict validation wants the nest flag on a nest. */
		nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY);
		rmsg_attr(&M, WHORL_INTEL_A_SHA256, sha, sizeof(sha));
		rmsg_nest_end(&M, nest);
		fc->variant = "entry without NLA_F_NESTED";
		break;
	case 1:
		do
			n = below(r, 2 * WHORL_SHA256_LEN + 1);
		while (n == WHORL_SHA256_LEN);
		nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
		rand_bytes(r, junk, n);
		rmsg_attr(&M, WHORL_INTEL_A_SHA256, junk, n);
		rmsg_nest_end(&M, nest);
		fc->variant = "sha256 of a wrong length";
		break;
	case 2:
		nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
		rmsg_attr(&M, WHORL_INTEL_A_SHA256, sha, sizeof(sha));
		n = below(r, 8);
		rand_bytes(r, junk, n);
		rmsg_attr(&M, below(r, 3) ? (uint16_t)between(r, __WHORL_INTEL_A_MAX, NLA_TYPE_MASK) :
					    WHORL_INTEL_A_UNSPEC, junk, n);
		rmsg_nest_end(&M, nest);
		fc->variant = "unknown attribute inside an entry";
		break;
	case 3:
		nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
		inner = rmsg_nest_start(&M, (uint16_t)between(r, WHORL_INTEL_A_SHA256,
							      WHORL_INTEL_A_LABEL) | NLA_F_NESTED);
		rmsg_attr(&M, WHORL_INTEL_A_SHA256, sha, sizeof(sha));
		rmsg_nest_end(&M, inner);
		rmsg_nest_end(&M, nest);
		fc->variant = "NLA_F_NESTED on a plain entry attribute";
		break;
	case 4:
		/* The inner attribute claims more than the nest holds. */
		nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
		inner = rmsg_attr(&M, WHORL_INTEL_A_SHA256, sha, sizeof(sha));
		((struct nlattr *)(M.buf + inner))->nla_len += (uint16_t)between(r, 1, 64);
		rmsg_nest_end(&M, nest);
		fc->variant = "entry attribute running past its nest";
		break;
	case 5:
		if (stage_for(fc, 4))
			return;
		fc->stage = STAGE_DROPPED;
		nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
		if (below(r, 2))
			rmsg_u8(&M, WHORL_INTEL_A_CATEGORY, WHORL_INTEL_RECON);
		if (below(r, 2))
			rmsg_strz(&M, WHORL_INTEL_A_LABEL, "no-subject");
		rmsg_nest_end(&M, nest);
		fc->variant = "entry with neither sha256 nor name";
		break;
	case 6:
		if (stage_for(fc, 4))
			return;
		fc->stage = STAGE_DROPPED;
		nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
		rmsg_attr(&M, WHORL_INTEL_A_SHA256, sha, sizeof(sha));
		rmsg_strz(&M, WHORL_INTEL_A_NAME, "both");
		rmsg_nest_end(&M, nest);
		fc->variant = "entry with both sha256 and name";
		break;
	case 7:
		if (stage_for(fc, 4))
			return;
		fc->stage = STAGE_DROPPED;
		nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
		if (below(r, 2)) {
			rmsg_strz(&M, WHORL_INTEL_A_NAME, "");
			fc->variant = "empty name rule";
		} else {
			n = between(r, 1, 30);
			rand_name(r, name, n);
			name[below(r, (uint32_t)n)] = '/';
			name[n] = '\0';
			rmsg_strz(&M, WHORL_INTEL_A_NAME, name);
			fc->variant = "name rule with a slash";
		}
		rmsg_nest_end(&M, nest);
		break;
	case 8:
		/* More distinct hashes than INTEL_BEGIN announced. */
		k = below(r, 4);
		if (stage_for(fc, (uint32_t)k))
			return;
		fc->stage = STAGE_DROPPED;
		start(&M, &C.nl, WHORL_CMD_INTEL_ADD);
		for (i = 0; i <= k; i++) {
			nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
			sha[0] = (unsigned char)i;
			rmsg_attr(&M, WHORL_INTEL_A_SHA256, sha, sizeof(sha));
			rmsg_nest_end(&M, nest);
		}
		fc->variant = "more hashes than the announced capacity";
		break;
	case 9:
		/* A valid entry first, then a bad one: the staged set must go as a whole. */
		if (stage_for(fc, 4))
			return;
		fc->stage = STAGE_DROPPED;
		start(&M, &C.nl, WHORL_CMD_INTEL_ADD);
		nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
		rmsg_attr(&M, WHORL_INTEL_A_SHA256, sha, sizeof(sha));
		rmsg_nest_end(&M, nest);
		nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
		rmsg_strz(&M, WHORL_INTEL_A_NAME, "a/b");
		rmsg_nest_end(&M, nest);
		fc->variant = "good entry then bad entry";
		break;
	case 10:
		/* Hash records: the policy wants one at least, the command whole ones. */
		if (stage_for(fc, 4))
			return;
		n = below(r, 3) ? between(r, sizeof(recs[0]) + 1, sizeof(recs) - 1) :
				  below(r, sizeof(recs[0]));
		if (n % sizeof(recs[0]) == 0)
			n++;
		rand_bytes(r, recs, n);
		rmsg_attr(&M, WHORL_A_INTEL_HASHES, recs, n);
		if (n < sizeof(recs[0])) {
			fc->stage = STAGE_KEPT;
			fc->variant = "hashes shorter than a record";
		} else {
			fc->stage = STAGE_DROPPED;
			fc->variant = "hashes not whole records";
		}
		break;
	case 11:
	case 12:
	case 13:
		/* Good records, then a bad one: a label not sent, a category, a reserved byte. */
		if (stage_for(fc, 8))
			return;
		fc->stage = STAGE_DROPPED;
		start(&M, &C.nl, WHORL_CMD_INTEL_ADD);
		k = below(r, 3);
		for (i = 0; i < k; i++)
			rmsg_strz(&M, WHORL_A_INTEL_LABEL, i ? "second" : "first");
		memset(recs, 0, sizeof(recs));
		for (i = 0; i < 3; i++) {
			rand_bytes(r, recs[i].sha256, sizeof(recs[i].sha256));
			recs[i].category = WHORL_INTEL_MALICIOUS;
			recs[i].label = (uint16_t)below(r, (uint32_t)k + 1);
		}
		k = between(r, (uint32_t)k + 1, UINT16_MAX);
		switch (below(r, 3)) {
		case 0:
			recs[2].label = (uint16_t)k;
			fc->variant = "hash record naming a label not sent";
			break;
		case 1:
			recs[2].category = below(r, 2) ? WHORL_INTEL_NONE :
				(uint8_t)between(r, WHORL_INTEL_CATEGORY_MAX + 1, UINT8_MAX);
			fc->variant = "hash record of an unknown category";
			break;
		default:
			recs[2].reserved = (uint8_t)between(r, 1, UINT8_MAX);
			fc->variant = "hash record with its reserved byte set";
			break;
		}
		rmsg_attr(&M, WHORL_A_INTEL_HASHES, recs, 3 * sizeof(recs[0]));
		break;
	case 14:
		/* An empty label is the record's 0, never sent; a long one breaks the policy. */
		if (stage_for(fc, 4))
			return;
		if (below(r, 2)) {
			rmsg_strz(&M, WHORL_A_INTEL_LABEL, "");
			fc->stage = STAGE_DROPPED;
			fc->variant = "empty label";
		} else {
			n = between(r, WHORL_LABEL_MAX, sizeof(big) - 1);
			rand_name(r, big, n);
			big[n] = '\0';
			rmsg_strz(&M, WHORL_A_INTEL_LABEL, big);
			fc->stage = STAGE_KEPT;
			fc->variant = "label past the longest";
		}
		break;
	case 15:
		/* More records than INTEL_BEGIN announced. */
		k = below(r, 3);
		if (stage_for(fc, (uint32_t)k))
			return;
		fc->stage = STAGE_DROPPED;
		start(&M, &C.nl, WHORL_CMD_INTEL_ADD);
		put_valid_hashes(&M, r, (unsigned int)k + 1, 0);
		fc->variant = "more hash records than the announced capacity";
		break;
	default:
		/* A staged set, then an entry the policy refuses: the command never runs. */
		if (stage_for(fc, 4))
			return;
		fc->stage = STAGE_KEPT;
		nest = rmsg_nest_start(&M, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
		rmsg_attr(&M, WHORL_INTEL_A_SHA256, sha, sizeof(sha) - 1);
		rmsg_nest_end(&M, nest);
		fc->variant = "policy-refused entry into a staged set";
		break;
	}
}

/* A valid message of 1-3 attributes for a command that takes some; returns their offsets. */
static size_t valid_with_attrs(struct rng *r, size_t *offs, size_t max)
{
	size_t n = 0, want = between(r, 1, (uint32_t)max), i;
	uint8_t cmd = below(r, 2) ? WHORL_CMD_CONFIG_SET : WHORL_CMD_INTEL_ADD;

	start(&M, &C.nl, cmd);
	for (i = 0; i < want; i++) {
		offs[n++] = M.len;
		if (cmd == WHORL_CMD_CONFIG_SET)
			rmsg_u32(&M, WHORL_A_CONFIG_DEDUP_MS, C.start.dedup_ms);
		else
			put_valid_entry(&M, r);
	}
	return n;
}

static void gen_truncated(struct rng *r, struct fcase *fc)
{
	size_t offs[3], n, pick, at_len, cut;
	struct nlmsghdr *h = (struct nlmsghdr *)M.buf;
	struct nlattr *at;

	fc->finished = 1;
	switch (below(r, 7)) {
	case 0:
		start(&M, &C.nl, any_valid_cmd(r));
		rmsg_finish(&M);
		fc->raw_len = (int)below(r, NLMSG_HDRLEN);
		fc->variant = "datagram shorter than nlmsghdr";
		fc->exp = EXP_REFUSED;
		return;
	case 1:
		start(&M, &C.nl, any_valid_cmd(r));
		put_valid_attrs(&M, r, WHORL_CMD_STATUS_GET);
		rmsg_finish(&M);
		h->nlmsg_len = below(r, NLMSG_HDRLEN);
		fc->variant = "nlmsg_len shorter than nlmsghdr";
		fc->exp = EXP_REFUSED;
		return;
	case 2:
		start(&M, &C.nl, any_valid_cmd(r));
		rmsg_finish(&M);
		h->nlmsg_len = between(r, NLMSG_HDRLEN, NLMSG_HDRLEN + GENL_HDRLEN - 1);
		fc->raw_len = (int)h->nlmsg_len;
		fc->variant = "genlmsghdr cut short";
		fc->exp = EXP_ERROR;
		return;
	case 3:
		n = valid_with_attrs(r, offs, 3);
		(void)n;
		rmsg_finish(&M);
		h->nlmsg_len += below(r, 4) ? between(r, 1, 1024) : between(r, 65536, UINT32_MAX - M.len);
		fc->variant = "nlmsg_len past the datagram";
		fc->exp = EXP_REFUSED;
		return;
	case 4:
		/* Cut strictly inside an attribute (its header or its data, never its padding). */
		n = valid_with_attrs(r, offs, 3);
		pick = below(r, (uint32_t)n);
		at_len = ((struct nlattr *)(M.buf + offs[pick]))->nla_len;
		cut = offs[pick] + between(r, 1, (uint32_t)at_len - 1);
		M.len = cut;
		rmsg_finish(&M);
		fc->variant = "message cut inside an attribute";
		fc->exp = EXP_ERROR_EXTACK;
		return;
	case 5:
		n = valid_with_attrs(r, offs, 3);
		at = (struct nlattr *)(M.buf + offs[n - 1]);
		at->nla_len = (uint16_t)(M.len - offs[n - 1] + between(r, 1, 200));
		rmsg_finish(&M);
		fc->variant = "nla_len past the end of the message";
		fc->exp = EXP_ERROR_EXTACK;
		return;
	default:
		n = valid_with_attrs(r, offs, 3);
		at = (struct nlattr *)(M.buf + offs[below(r, (uint32_t)n)]);
		at->nla_len = (uint16_t)below(r, NLA_HDRLEN);
		rmsg_finish(&M);
		fc->variant = "nla_len shorter than its header";
		fc->exp = EXP_ERROR_EXTACK;
		return;
	}
}

static void gen_reserved(struct rng *r, struct fcase *fc)
{
	uint8_t cmd = any_valid_cmd(r);
	struct genlmsghdr *g;

	start(&M, &C.nl, cmd);
	g = (struct genlmsghdr *)(M.buf + NLMSG_HDRLEN);
	g->reserved = (uint16_t)between(r, 1, 0xffff);
	put_valid_attrs(&M, r, cmd);
	fc->variant = "genlmsghdr.reserved not 0";
	fc->exp = EXP_ERROR_EXTACK;
}

static int strict_version;

static void gen_version(struct rng *r, struct fcase *fc)
{
	uint8_t version;
	uint8_t cmd;

	do
		version = (uint8_t)below(r, 256);
	while (version == WHORL_GENL_VERSION);
	/* Commands that change nothing if the kernel takes them. */
	cmd = below(r, 2) ? WHORL_CMD_STATUS_GET : WHORL_CMD_CONFIG_SET;
	rmsg_init(&M, &C.nl, C.nl.family, NLM_F_REQUEST | NLM_F_ACK, cmd, version);
	put_valid_attrs(&M, r, cmd);
	fc->variant = "genl version not WHORL_GENL_VERSION";
	fc->exp = strict_version ? EXP_ERROR : EXP_SUCCESS;
}

static void gen_nlmsg_flags(struct rng *r, struct fcase *fc)
{
	static const uint16_t bits[] = {
		NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED, NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC,
		0x800, 0x1000, 0x2000, 0x4000, 0x8000,
	};
	uint16_t extra = 0;
	uint8_t cmd = any_valid_cmd(r);

	while (!extra)
		for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
			if (!below(r, 4))
				extra |= bits[i];
	rmsg_init(&M, &C.nl, C.nl.family, NLM_F_REQUEST | NLM_F_ACK | extra, cmd,
		  WHORL_GENL_VERSION);
	put_valid_attrs(&M, r, cmd);
	/* ROOT|MATCH alone is a dump request: refused for want of a handler, without extack. */
	fc->exp = extra == NLM_F_DUMP ? EXP_ERROR : EXP_ERROR_EXTACK;
	fc->variant = "reserved nlmsg_flags bits";
}

static void gen_without_begin(struct rng *r, struct fcase *fc)
{
	static const uint8_t cmds[] = {
		WHORL_CMD_INTEL_ADD, WHORL_CMD_INTEL_COMMIT, WHORL_CMD_INTEL_ABORT,
	};
	int err;

	fc->exp = EXP_ERROR_EXTACK;
	/* Nothing staged by the main socket. */
	setup_cmd(&C.nl, WHORL_CMD_INTEL_ABORT);
	if (below(r, 2)) {
		fc->variant = "no intel load begun";
		start(&M, &C.nl, cmds[below(r, 3)]);
		put_valid_attrs(&M, r, WHORL_CMD_INTEL_ADD);
		return;
	}
	/* Another socket's load: neither joinable nor replaceable from here. */
	fc->abort_other = 1;
	err = setup_begin(&C.other, below(r, 8));
	if (err) {
		setup_failed(fc, "INTEL_BEGIN on the other socket", err);
		return;
	}
	if (below(r, 4)) {
		start(&M, &C.nl, cmds[below(r, 3)]);
		put_valid_attrs(&M, r, WHORL_CMD_INTEL_ADD);
		fc->variant = "intel command into another socket's load";
	} else {
		start(&M, &C.nl, WHORL_CMD_INTEL_BEGIN);
		rmsg_u32(&M, WHORL_A_INTEL_CAPACITY, below(r, 8));
		fc->variant = "INTEL_BEGIN while another socket loads";
	}
}

static long mem_available_kib(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long kib = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static void gen_capacity(struct rng *r, struct fcase *fc, unsigned long index)
{
	fc->exp = EXP_ERROR_EXTACK;
	if (index == 0 && C.max_capacity) {
		/* The limit itself is allowed: the kernel allocates it or says ENOMEM; never more. */
		start(&M, &C.nl, WHORL_CMD_INTEL_BEGIN);
		rmsg_u32(&M, WHORL_A_INTEL_CAPACITY, INTEL_MAX_ENTRIES);
		fc->variant = "capacity at the module's limit";
		fc->exp = EXP_ANY;
		fc->stage = STAGE_KEPT;
		return;
	}
	start(&M, &C.nl, WHORL_CMD_INTEL_BEGIN);
	if (below(r, 8)) {
		rmsg_u32(&M, WHORL_A_INTEL_CAPACITY,
			 below(r, 2) ? between(r, INTEL_MAX_ENTRIES + 1, INTEL_MAX_ENTRIES + 16) :
				       between(r, INTEL_MAX_ENTRIES + 1, UINT32_MAX));
		fc->variant = "capacity past the module's limit";
	} else {
		fc->variant = "INTEL_BEGIN without a capacity";
	}
}

/*
 * LAYOUT_SET with a layout the module must refuse, whatever this kernel's struct inode: a
 * field missing, one out of the policy's range, or a struct inode no kernel has (1 byte).
 * Never a plausible one: that would change what the rest of the run classifies.
 */
static void gen_bad_layout(struct rng *r, struct fcase *fc)
{
	static const uint16_t fields[] = {
		WHORL_LAYOUT_A_SHAPE, WHORL_LAYOUT_A_UPPER, WHORL_LAYOUT_A_LOWER,
		WHORL_LAYOUT_A_NUMLOWER, WHORL_LAYOUT_A_STACK, WHORL_LAYOUT_A_PATH_LAYER,
		WHORL_LAYOUT_A_PATH_DENTRY, WHORL_LAYOUT_A_PATH_SIZE, WHORL_LAYOUT_A_LAYER_MNT,
		WHORL_LAYOUT_A_INODE_SIZE,
	};
	unsigned int variant = below(r, 4), skip = below(r, 10), i;
	size_t nest;

	start(&M, &C.nl, WHORL_CMD_LAYOUT_SET);
	nest = rmsg_nest_start(&M, WHORL_A_LAYOUT | NLA_F_NESTED);
	for (i = 0; i < 10; i++) {
		uint16_t t = fields[i];

		if (variant == 0 && i == skip)
			continue;
		if (t == WHORL_LAYOUT_A_SHAPE)
			rmsg_u8(&M, t, variant == 1 ? (below(r, 2) ? 0 : (uint8_t)between(r, 4, 255))
						    : WHORL_OVL_SHAPE_INODE_ENTRY);
		else if (t == WHORL_LAYOUT_A_UPPER)
			rmsg_u32(&M, t, variant == 2 ? (below(r, 2) ? (uint32_t)-8 : between(r, 4097, UINT32_MAX >> 1)) : 640);
		else if (t == WHORL_LAYOUT_A_LOWER)
			rmsg_u32(&M, t, 648);
		else if (t == WHORL_LAYOUT_A_PATH_DENTRY || t == WHORL_LAYOUT_A_STACK)
			rmsg_u32(&M, t, 8);
		else if (t == WHORL_LAYOUT_A_PATH_SIZE)
			rmsg_u32(&M, t, 16);
		else if (t == WHORL_LAYOUT_A_INODE_SIZE)
			rmsg_u32(&M, t, variant == 3 ? 1 : 640);
		else
			rmsg_u32(&M, t, 0);
	}
	rmsg_nest_end(&M, nest);
	if (variant == 0) {
		/* without the nest at all, now and then */
		if (below(r, 4) == 0)
			start(&M, &C.nl, WHORL_CMD_LAYOUT_SET);
		fc->variant = "layout with a field missing";
	} else {
		fc->variant = variant == 1 ? "layout of an unknown shape" :
			      variant == 2 ? "layout with an offset out of range" :
					     "layout for a 1-byte struct inode";
	}
	fc->exp = EXP_ERROR_EXTACK;
}

static void gen_nesting(struct rng *r, struct fcase *fc)
{
	size_t stack[64], depth = between(r, 2, 48), i;
	unsigned char junk[16];
	uint8_t cmd = below(r, 2) ? WHORL_CMD_INTEL_ADD : any_valid_cmd(r);

	start(&M, &C.nl, cmd);
	/* Under an entry, every level carries NLA_F_NESTED where the policy has a plain type. */
	stack[0] = rmsg_nest_start(&M, below(r, 4) ? (WHORL_A_INTEL_ENTRY | NLA_F_NESTED) :
				   (uint16_t)(between(r, __WHORL_A_MAX, 0x200) | NLA_F_NESTED));
	for (i = 1; i < depth; i++)
		stack[i] = rmsg_nest_start(&M, (uint16_t)(below(r, 8) | NLA_F_NESTED));
	rand_bytes(r, junk, sizeof(junk));
	rmsg_attr(&M, (uint16_t)below(r, 8), junk, below(r, sizeof(junk)));
	while (depth--)
		rmsg_nest_end(&M, stack[depth]);
	fc->variant = "nests inside nests";
	fc->exp = EXP_ERROR_EXTACK;
}

/* The subscription limit and state: refusals each carry their reason. */
static void gen_subscription(struct rng *r, struct fcase *fc, unsigned long index)
{
	static struct rnl socks[SUBSCRIBERS_MAX + 1];
	struct status st;
	int err, i, open_n = 0, have;

	(void)r;
	fc->exp = EXP_ERROR_EXTACK;
	fc->sock = 1;
	switch (index % 3) {
	case 0:
		err = rnl_open(&socks[0]);
		if (!err) {
			socks[0].family = C.nl.family;
			err = setup_cmd(&socks[0], WHORL_CMD_SUBSCRIBE);
		}
		if (err) {
			setup_failed(fc, "SUBSCRIBE", err);
			rnl_close(&socks[0]);
			return;
		}
		start(&M, &socks[0], WHORL_CMD_SUBSCRIBE);
		rmsg_finish(&M);
		rnl_request(&socks[0], &M, &A);
		fc->variant = "SUBSCRIBE twice";
		rnl_close(&socks[0]);
		break;
	case 1:
		err = rnl_open(&socks[0]);
		if (err) {
			setup_failed(fc, "socket", err);
			return;
		}
		socks[0].family = C.nl.family;
		start(&M, &socks[0], WHORL_CMD_UNSUBSCRIBE);
		rmsg_finish(&M);
		rnl_request(&socks[0], &M, &A);
		fc->variant = "UNSUBSCRIBE when not subscribed";
		rnl_close(&socks[0]);
		break;
	default:
		if (get_status(&C.nl, &st)) {
			setup_failed(fc, "STATUS_GET", -EPROTO);
			return;
		}
		have = (int)st.subscribers;
		for (i = have; i < SUBSCRIBERS_MAX; i++) {
			err = rnl_open(&socks[open_n]);
			if (!err) {
				socks[open_n].family = C.nl.family;
				open_n++;
				err = setup_cmd(&socks[open_n - 1], WHORL_CMD_SUBSCRIBE);
			}
			if (err) {
				setup_failed(fc, "SUBSCRIBE below the limit", err);
				break;
			}
		}
		if (!fc->why[0] && !rnl_open(&socks[open_n])) {
			socks[open_n].family = C.nl.family;
			start(&M, &socks[open_n], WHORL_CMD_SUBSCRIBE);
			rmsg_finish(&M);
			rnl_request(&socks[open_n], &M, &A);
			open_n++;
		}
		fc->variant = "SUBSCRIBE past the subscriber limit";
		for (i = 0; i < open_n; i++)
			rnl_close(&socks[i]);
		break;
	}
}

/*
 * A socket that begins a load, adds to it, maybe subscribes, and closes without a word: the
 * next socket's INTEL_BEGIN must succeed, so the closed one's staged set did not outlive it.
 */
static void gen_socket_churn(struct rng *r, struct fcase *fc)
{
	static struct rnl s;
	int err;

	fc->sock = 1;
	fc->exp = EXP_SUCCESS;
	fc->variant = "INTEL_BEGIN after a socket closed with a staged set";
	/* Nothing staged by the sockets that stay open. */
	setup_cmd(&C.nl, WHORL_CMD_INTEL_ABORT);
	setup_cmd(&C.other, WHORL_CMD_INTEL_ABORT);
	err = rnl_open(&s);
	if (err) {
		setup_failed(fc, "socket", err);
		return;
	}
	s.family = C.nl.family;
	start(&M, &s, WHORL_CMD_INTEL_BEGIN);
	/* Room for the one to three entries put_valid_attrs() adds. */
	rmsg_u32(&M, WHORL_A_INTEL_CAPACITY, between(r, 3, 8));
	rmsg_finish(&M);
	rnl_request(&s, &M, &A);
	if (A.acked && !A.error) {
		start(&S, &s, WHORL_CMD_INTEL_ADD);
		put_valid_attrs(&S, r, WHORL_CMD_INTEL_ADD);
		err = setup_send(&s, &S);
		if (err)
			setup_failed(fc, "INTEL_ADD", err);
		if (below(r, 2) && (err = setup_cmd(&s, WHORL_CMD_SUBSCRIBE)))
			setup_failed(fc, "SUBSCRIBE", err);
	}
	rnl_close(&s);
}

static void gen_random_payload(struct rng *r, struct fcase *fc)
{
	unsigned char junk[2048];
	struct nlmsghdr *h;
	struct genlmsghdr *g;
	uint8_t cmd;
	size_t n;

	/* Anything but the two commands that replace the live intel set. */
	do
		cmd = (uint8_t)below(r, 256);
	while (cmd == WHORL_CMD_INTEL_COMMIT || cmd == WHORL_CMD_INTEL_CLEAR);
	start(&M, &C.nl, cmd);
	h = (struct nlmsghdr *)M.buf;
	g = (struct genlmsghdr *)(M.buf + NLMSG_HDRLEN);
	if (!below(r, 8))
		g->version = (uint8_t)below(r, 256);
	if (!below(r, 16))
		g->reserved = (uint16_t)below(r, 0x10000);
	if (!below(r, 8))
		h->nlmsg_pid = (uint32_t)rng_next(r);
	n = below(r, 4) ? below(r, 256) : below(r, sizeof(junk) + 1);
	rand_bytes(r, junk, n);
	rmsg_raw(&M, junk, n);
	fc->variant = "random bytes after the genl header";
	fc->exp = EXP_ANY;
}

static void put_random_attr(struct rng *r, int depth)
{
	static const uint16_t types[] = {
		WHORL_A_CONFIG_KINDS, WHORL_A_CONFIG_DEDUP_MS, WHORL_A_CONFIG_MODE,
		WHORL_A_INTEL_CAPACITY, WHORL_A_INTEL_ENTRY,
	};
	static const size_t len_of[] = { 4, 4, 1, 4, 0 };
	unsigned char junk[300];
	uint16_t type;
	size_t i, n, nest, k;
	uint32_t v;

	if (!below(r, 10)) {
		type = (uint16_t)below(r, 24);
		n = below(r, 40);
		rand_bytes(r, junk, n);
		rmsg_attr(&M, (uint16_t)(type | (below(r, 4) ? 0 : NLA_F_NESTED)), junk, n);
		return;
	}
	k = below(r, sizeof(types) / sizeof(types[0]));
	type = types[k];
	if (type == WHORL_A_INTEL_ENTRY) {
		if (depth > 2 || below(r, 3) == 0) {
			put_valid_entry(&M, r);
			return;
		}
		nest = rmsg_nest_start(&M, (uint16_t)(type | (below(r, 8) ? NLA_F_NESTED : 0)));
		n = below(r, 5);
		for (i = 0; i < n; i++) {
			uint16_t it = (uint16_t)below(r, __WHORL_INTEL_A_MAX + 2);
			size_t il = it == WHORL_INTEL_A_SHA256 && below(r, 2) ? WHORL_SHA256_LEN :
				    it == WHORL_INTEL_A_CATEGORY && below(r, 2) ? 1 : below(r, 300);

			rand_bytes(r, junk, il);
			if ((it == WHORL_INTEL_A_NAME || it == WHORL_INTEL_A_LABEL) && il && below(r, 2))
				junk[il - 1] = '\0';
			if (it == WHORL_INTEL_A_CATEGORY && il == 1 && below(r, 2))
				junk[0] = (unsigned char)between(r, 1, 4);
			rmsg_attr(&M, it, junk, il);
		}
		rmsg_nest_end(&M, nest);
		return;
	}
	n = below(r, 4) ? len_of[k] : below(r, 9);
	if (type == WHORL_A_INTEL_CAPACITY && n == 4) {
		/* Small, or past the limit: never the allocations in between, over and over. */
		v = below(r, 2) ? below(r, 64) : between(r, INTEL_MAX_ENTRIES + 1, UINT32_MAX);
		memcpy(junk, &v, 4);
	} else if (type == WHORL_A_CONFIG_KINDS && n == 4 && below(r, 2)) {
		v = (uint32_t)rng_next(r) & KINDS_ALL;
		memcpy(junk, &v, 4);
	} else if (type == WHORL_A_CONFIG_DEDUP_MS && n == 4 && below(r, 2)) {
		v = below(r, 2) ? below(r, 100000) : (uint32_t)rng_next(r);
		memcpy(junk, &v, 4);
	} else if (type == WHORL_A_CONFIG_MODE && n == 1) {
		junk[0] = (unsigned char)below(r, 3);
	} else {
		rand_bytes(r, junk, n);
	}
	rmsg_attr(&M, type, junk, n);
}

static void gen_random_attributes(struct rng *r, struct fcase *fc)
{
	size_t i, n = between(r, 1, 8);

	start(&M, &C.nl, any_safe_cmd(r));
	for (i = 0; i < n; i++)
		put_random_attr(r, 0);
	fc->variant = "random attributes of the family's types";
	fc->exp = EXP_ANY;
}

struct fclass {
	const char *name;
	const char *tap;	/* the TAP case: the behaviour */
	unsigned int weight;
	void (*gen)(struct rng *r, struct fcase *fc);
	void (*gen_indexed)(struct rng *r, struct fcase *fc, unsigned long index);
};

static const struct fclass classes[] = {
	{ "unknown_command", "unknown_zero_and_dump_commands_are_refused", 5,
	  gen_unknown_command, NULL },
	{ "finding_to_kernel", "kernel_only_finding_command_is_refused", 3,
	  gen_finding_to_kernel, NULL },
	{ "unknown_attribute", "unknown_and_kernel_only_attributes_are_refused_with_extack", 8,
	  gen_unknown_attribute, NULL },
	{ "u32_length", "u32_attributes_of_wrong_length_are_refused_with_extack", 5,
	  gen_u32_length, NULL },
	{ "u8_length", "u8_attributes_of_wrong_length_are_refused_with_extack", 4,
	  gen_u8_length, NULL },
	{ "out_of_range", "out_of_range_values_are_refused_with_extack", 5,
	  gen_out_of_range, NULL },
	{ "oversized_string", "oversized_strings_are_refused_with_extack", 4,
	  gen_oversized_string, NULL },
	{ "unterminated_string", "unterminated_and_empty_strings_are_refused_with_extack", 4,
	  gen_unterminated_string, NULL },
	{ "bad_intel_entry", "bad_intel_entries_are_refused_with_extack_and_never_half_land", 10,
	  gen_bad_entry, NULL },
	{ "truncated", "truncated_messages_and_overlong_lengths_are_refused", 8,
	  gen_truncated, NULL },
	{ "genl_reserved", "nonzero_genl_reserved_field_is_refused_with_extack", 3,
	  gen_reserved, NULL },
	{ "genl_version", "other_genl_versions_are_answered_as_this_one", 3, gen_version, NULL },
	{ "nlmsg_flags", "reserved_nlmsg_flags_are_refused", 3, gen_nlmsg_flags, NULL },
	{ "without_begin", "intel_add_commit_abort_without_begin_are_refused_with_extack", 4,
	  gen_without_begin, NULL },
	{ "intel_capacity", "huge_or_missing_intel_capacity_is_refused_with_extack", 3,
	  NULL, gen_capacity },
	{ "nesting", "deep_nesting_is_refused_with_extack", 4, gen_nesting, NULL },
	{ "bad_layout", "impossible_overlayfs_layouts_are_refused_with_extack", 4, gen_bad_layout,
	  NULL },
	{ "subscription", "subscription_refusals_carry_extack", 2, NULL, gen_subscription },
	{ "socket_churn", "a_closed_socket_leaves_no_staged_intel_behind", 2, gen_socket_churn, NULL },
	{ "random_payload", "random_payloads_do_not_hurt_the_kernel", 14,
	  gen_random_payload, NULL },
	{ "random_attributes", "random_attributes_do_not_hurt_the_kernel", 12,
	  gen_random_attributes, NULL },
};
#define NCLASSES (sizeof(classes) / sizeof(classes[0]))

/* --- running ------------------------------------------------------------------------------ */

static void hex(FILE *f, const unsigned char *p, size_t n, size_t max)
{
	size_t i;

	for (i = 0; i < n && i < max; i++)
		fprintf(f, "%02x", p[i]);
	if (n > max)
		fprintf(f, "...(%zu bytes)", n);
}

static int met(enum expect exp, const struct rnl_answer *a)
{
	unsigned int extack = a->tlvs & ((1U << NLMSGERR_ATTR_MSG) | (1U << NLMSGERR_ATTR_OFFS) |
					 (1U << NLMSGERR_ATTR_POLICY) |
					 (1U << NLMSGERR_ATTR_MISS_TYPE) |
					 (1U << NLMSGERR_ATTR_MISS_NEST));

	switch (exp) {
	case EXP_ERROR:
		return a->acked && a->error < 0;
	case EXP_ERROR_EXTACK:
		return a->acked && a->error < 0 && extack;
	case EXP_REFUSED:
		return !a->acked || a->error < 0;
	case EXP_SUCCESS:
		return a->acked && !a->error;
	default:
		return 1;
	}
}

static void describe(char *buf, size_t n, const struct rnl_answer *a)
{
	if (!a->acked)
		snprintf(buf, n, "no answer%s", a->replies ? " (but a reply)" : "");
	else
		snprintf(buf, n, "%s%s%s%s%s", a->error ? rnl_errname(a->error) : "success",
			 a->tlvs ? " with extack" : " without extack", a->msg[0] ? " '" : "",
			 a->msg, a->msg[0] ? "'" : "");
}

/* After the message: what its staged set must look like. Return: 0, or -1 with @why set. */
static int check_stage(struct fcase *fc, const struct rnl_answer *a)
{
	int err;

	if (fc->abort_other)
		setup_cmd(&C.other, WHORL_CMD_INTEL_ABORT);
	if (fc->stage == STAGE_KEPT) {
		setup_cmd(&C.nl, WHORL_CMD_INTEL_ABORT);	/* whatever became of it */
		return 0;
	}
	if (fc->stage != STAGE_DROPPED || !a->acked || a->error >= 0)
		return 0;
	/* A refused INTEL_ADD must leave nothing that could be committed. */
	err = setup_cmd(&C.nl, WHORL_CMD_INTEL_COMMIT);
	if (err != -ENOENT) {
		snprintf(fc->why, sizeof(fc->why),
			 "after a refused INTEL_ADD, INTEL_COMMIT answered %s, not ENOENT",
			 err ? rnl_errname(err) : "success: a failed load was committed");
		return -1;
	}
	return 0;
}

static void run_one(const struct fclass *cl, size_t ci, unsigned long index, struct tally *t)
{
	struct rng r = { .s = C.seed ^ (0x9e3779b97f4a7c15ULL * (ci + 1)) ^
			     (0xd1b54a32d192ed03ULL * (index + 1)) };
	struct fcase fc = { .raw_len = -1 };
	char got[320];
	int err, ok;

	rng_next(&r);
	memset(&A, 0, offsetof(struct rnl_answer, reply));
	if (cl->gen)
		cl->gen(&r, &fc);
	else
		cl->gen_indexed(&r, &fc, index);
	if (fc.why[0]) {
		t->setup_failed++;
		t->broke++;
		if (!t->first_broken) {
			t->first_broken = index + 1;
			snprintf(t->first, sizeof(t->first), "message %lu (%s): %s", index,
				 fc.variant ? fc.variant : "?", fc.why);
		}
		return;
	}
	if (!fc.sock) {
		if (!fc.finished)
			rmsg_finish(&M);
		err = rnl_send(&C.nl, M.buf, fc.raw_len >= 0 ? (size_t)fc.raw_len : M.len);
		if (!err)
			rnl_collect(&C.nl, rmsg_seq(&M), &A, 0);
		if (!err && !A.acked && fc.exp != EXP_REFUSED)
			rnl_collect(&C.nl, rmsg_seq(&M), &A, 1000);
		if (err) {
			/* sendmsg itself refused it: the kernel never saw it. */
			A.acked = 1;
			A.error = err;
		}
	}
	t->sent++;
	if (!A.acked)
		t->silent++;
	else if (A.error < 0)
		t->errors++;
	else
		t->successes++;
	if (A.acked && A.tlvs)
		t->extack++;
	if (A.acked && A.error < 0 && -A.error < (int)(sizeof(t->by_errno) / sizeof(t->by_errno[0])))
		t->by_errno[-A.error]++;

	ok = met(fc.exp, &A);
	/* Always: it also cleans up what the message's setup staged. */
	if (check_stage(&fc, &A))
		ok = 0;
	if (C.verbose) {
		describe(got, sizeof(got), &A);
		fprintf(stderr, "%s %lu [%s] expect %s: %s\n  ", cl->name, index, fc.variant,
			expect_name[fc.exp], got);
		hex(stderr, M.buf, fc.raw_len >= 0 ? (size_t)fc.raw_len : M.len, 4096);
		fputc('\n', stderr);
	}
	if (ok)
		return;
	t->broke++;
	if (!t->first_broken) {
		t->first_broken = index + 1;
		describe(got, sizeof(got), &A);
		snprintf(t->first, sizeof(t->first), "message %lu (%s): expected %s, got %s%s%.512s",
			 index, fc.variant, expect_name[fc.exp], got, fc.why[0] ? "; " : "", fc.why);
		printf("# %s: first broken message %lu: ", cl->name, index);
		hex(stdout, M.buf, fc.raw_len >= 0 ? (size_t)fc.raw_len : M.len, 256);
		printf("\n");
	}
}

static void report(const struct fclass *cl, const struct tally *t)
{
	size_t e;

	printf("# %s: sent=%lu error=%lu success=%lu silent=%lu extack=%lu broke=%lu", cl->name,
	       t->sent, t->errors, t->successes, t->silent, t->extack, t->broke);
	for (e = 1; e < sizeof(t->by_errno) / sizeof(t->by_errno[0]); e++)
		if (t->by_errno[e])
			printf(" %s=%lu", rnl_errname(-(int)e), t->by_errno[e]);
	printf("\n");
	if (!t->broke && t->sent)
		printf("ok %s\n", cl->tap);
	else if (!t->sent)
		printf("not ok %s - no message was sent\n", cl->tap);
	else
		printf("not ok %s - %lu of %lu broke the expectation; first: %s; reproduce: "
		       "whorl-nlfuzz -s %" PRIu64 " -c %s -i %lu -v\n", cl->tap, t->broke, t->sent,
		       t->first, C.seed, cl->name, t->first_broken - 1);
	fflush(stdout);
}

static int final_checks(void)
{
	struct status st;
	struct rnl fresh;
	int failed = 0, err;

	/* Every fuzz socket closed: their subscriptions and staged sets must be gone. */
	rnl_close(&C.nl);
	rnl_close(&C.other);
	if (rnl_open(&fresh) || rnl_resolve(&fresh, WHORL_GENL_NAME)) {
		printf("not ok module_answers_status_after_fuzzing - the family cannot be resolved\n");
		return 1;
	}
	err = get_status(&fresh, &st);
	if (err) {
		printf("not ok module_answers_status_after_fuzzing - STATUS_GET: %s\n",
		       rnl_errname(err));
		rnl_close(&fresh);
		return 1;
	}
	printf("ok module_answers_status_after_fuzzing\n");

	if (st.intel_count == C.start.intel_count && st.intel_rules == C.start.intel_rules &&
	    st.intel_bytes == C.start.intel_bytes) {
		printf("ok live_intel_set_unchanged\n");
	} else {
		printf("not ok live_intel_set_unchanged - hashes %u -> %u, rules %u -> %u, bytes %" PRIu64
		       " -> %" PRIu64 "\n", C.start.intel_count, st.intel_count, C.start.intel_rules,
		       st.intel_rules, C.start.intel_bytes, st.intel_bytes);
		failed++;
	}

	printf("# configuration after fuzzing: kinds 0x%x dedup %u mode %u (started 0x%x %u %u)\n",
	       st.kinds, st.dedup_ms, st.mode, C.start.kinds, C.start.dedup_ms, C.start.mode);
	start(&S, &fresh, WHORL_CMD_CONFIG_SET);
	rmsg_u32(&S, WHORL_A_CONFIG_KINDS, C.start.kinds);
	rmsg_u32(&S, WHORL_A_CONFIG_DEDUP_MS, C.start.dedup_ms);
	rmsg_u8(&S, WHORL_A_CONFIG_MODE, C.start.mode);
	err = setup_send(&fresh, &S);
	if (!err)
		err = get_status(&fresh, &st);
	if (!err && st.kinds == C.start.kinds && st.dedup_ms == C.start.dedup_ms &&
	    st.mode == C.start.mode) {
		printf("ok configuration_restored\n");
	} else {
		printf("not ok configuration_restored - %s: kinds 0x%x dedup %u mode %u\n",
		       err ? rnl_errname(err) : "mismatch", st.kinds, st.dedup_ms, st.mode);
		failed++;
	}

	if (st.subscribers == C.start.subscribers) {
		printf("ok no_subscription_outlives_its_socket\n");
	} else {
		printf("not ok no_subscription_outlives_its_socket - %" PRIu64 " subscribers, %" PRIu64
		       " before\n", st.subscribers, C.start.subscribers);
		failed++;
	}

	err = setup_begin(&fresh, 0);
	if (!err) {
		printf("ok no_staged_intel_outlives_its_socket\n");
		setup_cmd(&fresh, WHORL_CMD_INTEL_ABORT);
	} else {
		printf("not ok no_staged_intel_outlives_its_socket - INTEL_BEGIN: %s '%s'\n",
		       rnl_errname(err), SA.msg);
		failed++;
	}
	rnl_close(&fresh);
	return failed;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-max-capacity", no_argument, NULL, 'M' },
		{ "strict-version", no_argument, NULL, 'V' },
		{ 0 },
	};
	unsigned long total = 12000, weights = 0, count, i, only_index = 0;
	const char *only = NULL;
	int opt, have_index = 0, failed = 0, err, have_seed = 0;
	struct tally *t;
	size_t ci;
	long avail;

	C.max_capacity = 1;
	while ((opt = getopt_long(argc, argv, "n:s:c:i:vl", opts, NULL)) != -1) {
		switch (opt) {
		case 'n': total = strtoul(optarg, NULL, 10); break;
		case 's': C.seed = strtoull(optarg, NULL, 0); have_seed = 1; break;
		case 'c': only = optarg; break;
		case 'i': only_index = strtoul(optarg, NULL, 10); have_index = 1; break;
		case 'v': C.verbose = 1; break;
		case 'M': C.max_capacity = 0; break;
		case 'V': strict_version = 1; break;
		case 'l':
			for (ci = 0; ci < NCLASSES; ci++)
				printf("%-20s %s\n", classes[ci].name, classes[ci].tap);
			return 0;
		default:
			fprintf(stderr, "usage: whorl-nlfuzz [-n TOTAL] [-s SEED] [-c CLASS] [-i INDEX] "
				"[-v] [-l] [--no-max-capacity] [--strict-version]\n");
			return 2;
		}
	}
	if (!have_seed)
		C.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	printf("# whorl-nlfuzz seed %" PRIu64 ", %lu messages\n", C.seed, total);

	if ((err = rnl_open(&C.nl)) || (err = rnl_open(&C.other))) {
		printf("not ok netlink_socket - %s\n", strerror(-err));
		return 1;
	}
	err = rnl_resolve(&C.nl, WHORL_GENL_NAME);
	if (err) {
		printf("not ok family_resolves - CTRL_CMD_GETFAMILY whorl: %s\n", rnl_errname(err));
		return 1;
	}
	C.other.family = C.nl.family;
	printf("# family whorl has id %u\n", C.nl.family);
	err = get_status(&C.nl, &C.start);
	if (err) {
		printf("not ok status_before_fuzzing - %s\n", rnl_errname(err));
		return 1;
	}
	printf("# before: intel %u hashes %u rules %" PRIu64 " bytes; kinds 0x%x dedup %u mode %u; "
	       "%" PRIu64 " subscribers\n", C.start.intel_count, C.start.intel_rules,
	       C.start.intel_bytes, C.start.kinds, C.start.dedup_ms, C.start.mode,
	       C.start.subscribers);
	avail = mem_available_kib();
	if (C.max_capacity && avail >= 0 && avail < 1536L * 1024) {
		printf("# the capacity-limit message is skipped: %ld MiB available\n", avail / 1024);
		C.max_capacity = 0;
	}

	for (ci = 0; ci < NCLASSES; ci++)
		weights += classes[ci].weight;
	t = calloc(NCLASSES, sizeof(*t));
	if (!t)
		return 1;
	for (ci = 0; ci < NCLASSES; ci++) {
		const struct fclass *cl = &classes[ci];

		if (only && strcmp(only, cl->name))
			continue;
		count = only ? total : total * cl->weight / weights;
		if (count < 20)
			count = 20;
		if (have_index) {
			run_one(cl, ci, only_index, &t[ci]);
		} else {
			for (i = 0; i < count; i++)
				run_one(cl, ci, i, &t[ci]);
		}
		report(cl, &t[ci]);
		if (t[ci].broke)
			failed++;
	}
	printf("# setup messages besides: %lu\n", C.setup_msgs);
	failed += final_checks();
	free(t);
	return failed ? 1 : 0;
}
