// SPDX-License-Identifier: GPL-2.0
/*
 * finding_test.c - netlink parsing from crafted messages: findings as the module builds them,
 * unknown and malformed attributes skipped, acknowledgements with the kernel's extack message.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "finding.h"
#include "netlink.h"
#include "status.h"
#include "testlib.h"

static char buf[16384];

static void parse_ok(const struct t_finding *tf, struct whorl_finding *f)
{
	size_t len = t_build_finding(buf, tf);

	assert_int_equal(whorl_finding_parse(buf, len, f), 0);
}

static void library_finding_parses_every_field(void **state)
{
	struct t_finding tf = t_modified_liblzma();
	struct whorl_finding f;
	uint8_t sha[WHORL_SHA256_LEN];

	(void)state;
	parse_ok(&tf, &f);
	assert_true(f.has_seq && f.seq == 1);
	assert_true(f.has_id && f.id == 42);
	assert_true(f.has_kind && f.kind == WHORL_KIND_MODIFIED_MALICIOUS_LIBRARY);
	assert_true(f.has_event && f.event == WHORL_EVENT_MMAP);
	assert_true(f.has_time && f.time_ns == 1711713600123456789ULL);
	assert_true(f.has_tgid && f.tgid == 4242);
	assert_true(f.has_ppid && f.ppid == 4200);
	assert_string_equal(f.comm, "xz");
	assert_int_equal(f.nargs, 2);
	assert_string_equal(f.args[0], "/usr/bin/xz");
	assert_string_equal(f.args[1], "--version");
	assert_false(f.args_truncated);
	assert_true(f.binary.present);
	assert_string_equal(f.binary.path, "/usr/bin/xz");
	assert_string_equal(f.binary.fs_path, "/usr/bin/xz");
	assert_true(f.binary.has_dev && f.binary.dev == T_DOCKER_DEV);
	assert_null(f.binary.disk_path);	/* not sent: the relay resolves it */
	assert_false(f.binary.has_sha256);
	assert_true(f.library.present);
	assert_string_equal(f.library.path, "/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1");
	assert_string_equal(f.library.fs_path, "/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1");
	assert_true(f.library.has_dev && f.library.dev == T_DOCKER_DEV);
	assert_null(f.library.disk_path);
	t_unhex(tf.library.sha256_hex, sha, sizeof(sha));
	assert_true(f.library.has_sha256);
	assert_memory_equal(f.library.sha256, sha, sizeof(sha));
	assert_true(f.library.has_size && f.library.size == 186776);
	assert_true(f.library.has_layer && f.library.layer == WHORL_LAYER_MODIFIED);
	assert_true(f.library.has_content && f.library.content == WHORL_CONTENT_CHANGED);
	assert_true(f.library.has_lower_sha256);
	assert_string_equal(f.library.layer_dir, T_LAYER_DIR);
	assert_true(f.library.has_layer_dev_major && f.library.layer_dev_major == 254);
	assert_true(f.library.has_layer_dev_minor && f.library.layer_dev_minor == 1);
	assert_null(f.library.layer_diff_id);	/* not sent: the relay resolves it */
	assert_null(f.binary.layer_dir);
	assert_string_equal(f.container_id, tf.container_id);
	assert_true(f.has_runtime && f.runtime == WHORL_RUNTIME_DOCKER);
	assert_string_equal(f.cgroup, tf.cgroup);
	assert_true(f.has_cgroup_id && f.cgroup_id == 8123);
	assert_true(f.has_intel_category && f.intel_category == WHORL_INTEL_MALICIOUS);
	assert_string_equal(f.intel_label, "xz-backdoor CVE-2024-3094");
	assert_true(f.has_action && f.action == WHORL_ACTION_NONE);
	assert_ptr_equal(whorl_finding_subject(&f), &f.library);
	whorl_finding_free(&f);
}

static void pad_attributes_before_u64_are_skipped(void **state)
{
	struct t_finding tf = t_escape_tool();
	struct whorl_finding f;

	(void)state;
	tf.pad64 = 1;
	parse_ok(&tf, &f);
	assert_int_equal(f.seq, 7);
	assert_int_equal(f.time_ns, 1700000000000000000ULL);
	assert_int_equal(f.binary.size, 917504);
	assert_int_equal(f.cgroup_id, 9001);
	assert_ptr_equal(whorl_finding_subject(&f), &f.binary);
	whorl_finding_free(&f);
}

struct args_case {
	const char *name;
	const char *bytes;
	size_t len;
	size_t nargs;
	const char *args[4];
};

static const struct args_case args_cases[] = {
	{ "args_nul_separated", "a\0bb\0ccc", 9, 3, { "a", "bb", "ccc" } },
	{ "args_empty_argument_kept", "sh\0\0-c", 7, 3, { "sh", "", "-c" } },
	{ "args_last_without_nul", "probe\0memfd-exec", 16, 2, { "probe", "memfd-exec" } },
	{ "args_invalid_utf8_replaced", "cat\0\xff\xfe", 6, 2, { "cat", "\xef\xbf\xbd\xef\xbf\xbd" } },
	/* ASCII runs, valid sequences kept, a bad byte mid-run and a sequence cut at the end */
	{ "args_mixed_runs_repaired", "caf\xc3\xa9\0a\xff" "b\xe2\x82\xac" "z\0x\xe2\x82", 17, 3,
	  { "caf\xc3\xa9", "a\xef\xbf\xbd" "b\xe2\x82\xac" "z", "x\xef\xbf\xbd\xef\xbf\xbd" } },
	{ "args_absent_is_empty", "", 0, 0, { NULL } },
};

static void args_split_on_nul(void **state)
{
	const struct args_case *c = *state;
	struct t_finding tf = t_escape_tool();
	struct whorl_finding f;
	size_t i;

	tf.args = c->bytes;
	tf.args_len = c->len;
	parse_ok(&tf, &f);
	assert_int_equal(f.nargs, c->nargs);
	for (i = 0; i < c->nargs; i++)
		assert_string_equal(f.args[i], c->args[i]);
	whorl_finding_free(&f);
}

/* Appends raw attribute bytes inside the finding nest (the nest is the message's last). */
static size_t append_to_nest(size_t len, uint16_t type, const void *data, uint16_t dlen)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlattr *nest = (struct nlattr *)((char *)mnl_nlmsg_get_payload(nlh) +
						sizeof(struct genlmsghdr));

	mnl_attr_put(nlh, type, dlen, data);
	nest->nla_len = (char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)nest;
	(void)len;
	return nlh->nlmsg_len;
}

static void unknown_attributes_are_skipped(void **state)
{
	struct t_finding tf = t_escape_tool();
	struct whorl_finding f;
	size_t len = t_build_finding(buf, &tf);
	uint32_t v = 99;

	(void)state;
	len = append_to_nest(len, __WHORL_F_MAX + 5, &v, sizeof(v));
	len = append_to_nest(len, 0x3ff, "future", 7);
	assert_int_equal(whorl_finding_parse(buf, len, &f), 0);
	assert_int_equal(f.kind, WHORL_KIND_CONTAINER_ESCAPE);
	assert_string_equal(f.binary.path, "/tmp/.x");
	whorl_finding_free(&f);
}

static void wrong_size_attributes_are_absent(void **state)
{
	struct t_finding tf = t_escape_tool();
	struct whorl_finding f;
	uint64_t big = 5;
	uint8_t small = 1;
	uint8_t short_sha[16] = { 0 };

	(void)state;
	/* Replace the well-formed ones: build a finding without them, then add bad ones. */
	tf.binary.sha256_hex = NULL;
	t_build_finding(buf, &tf);
	size_t len = ((struct nlmsghdr *)buf)->nlmsg_len;
	/* the builder wrote KIND (u32) and EVENT (u8) first; later duplicates of the wrong size
	 * must not overwrite them, and a fresh message with only bad sizes leaves them absent */
	len = append_to_nest(len, WHORL_F_KIND, &big, sizeof(big));
	len = append_to_nest(len, WHORL_F_PID, &small, sizeof(small));
	assert_int_equal(whorl_finding_parse(buf, len, &f), 0);
	assert_int_equal(f.kind, WHORL_KIND_CONTAINER_ESCAPE);
	assert_int_equal(f.pid, 777);
	whorl_finding_free(&f);

	/* A nest holding only malformed attributes. */
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	struct nlattr *nest, *file;

	genl->cmd = WHORL_CMD_FINDING;
	nest = mnl_attr_nest_start(nlh, WHORL_A_FINDING);
	mnl_attr_put_u64(nlh, WHORL_F_KIND, 3);
	mnl_attr_put_u32(nlh, WHORL_F_SEQ, 3);
	mnl_attr_put_u32(nlh, WHORL_F_EVENT, 1);
	file = mnl_attr_nest_start(nlh, WHORL_F_BINARY);
	mnl_attr_put(nlh, WHORL_FILE_A_SHA256, sizeof(short_sha), short_sha);
	mnl_attr_put_u32(nlh, WHORL_FILE_A_SIZE, 10);
	mnl_attr_put_u64(nlh, WHORL_FILE_A_DEV_MAJOR, T_DOCKER_DEV >> 20);
	mnl_attr_nest_end(nlh, file);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(whorl_finding_parse(buf, nlh->nlmsg_len, &f), 0);
	assert_false(f.has_kind);
	assert_false(f.has_seq);
	assert_false(f.has_event);
	assert_true(f.binary.present);
	assert_false(f.binary.has_sha256);
	assert_false(f.binary.has_size);
	assert_false(f.binary.has_dev);
	whorl_finding_free(&f);
}

/* The device comes as major and minor; both, in mountinfo's ranges, or none. */
static void device_needs_both_numbers_in_range(void **state)
{
	static const uint32_t cases[][3] = {
		/* major, minor, 1: sent (0: absent), expected has_dev */
		{ 8, 1, 1 }, { 4095, 1048575, 1 }, { 4096, 0, 0 }, { 0, 1048576, 0 },
	};
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct whorl_finding f;
	struct nlattr *nest, *file;
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	unsigned int i, only;

	(void)state;
	for (i = 0; i < 6; i++) {
		only = i >= 4 ? i - 3 : 0;	/* 1: major only, 2: minor only */
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = T_FAMILY;
		genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
		genl->cmd = WHORL_CMD_FINDING;
		nest = mnl_attr_nest_start(nlh, WHORL_A_FINDING);
		file = mnl_attr_nest_start(nlh, WHORL_F_BINARY);
		if (only != 2)
			mnl_attr_put_u32(nlh, WHORL_FILE_A_DEV_MAJOR, cases[i % 4][0]);
		if (only != 1)
			mnl_attr_put_u32(nlh, WHORL_FILE_A_DEV_MINOR, cases[i % 4][1]);
		mnl_attr_nest_end(nlh, file);
		mnl_attr_nest_end(nlh, nest);
		assert_int_equal(whorl_finding_parse(buf, nlh->nlmsg_len, &f), 0);
		if (i < 4 && cases[i][2]) {
			assert_true(f.binary.has_dev);
			assert_int_equal(f.binary.dev, cases[i][0] << 20 | cases[i][1]);
		} else {
			assert_false(f.binary.has_dev);
		}
		whorl_finding_free(&f);
	}
}

static void attribute_longer_than_its_nest_stops_parsing_safely(void **state)
{
	struct t_finding tf = t_escape_tool();
	struct whorl_finding f;
	size_t len = t_build_finding(buf, &tf);
	struct nlattr *last;

	(void)state;
	/* Make the nest's last attribute claim more bytes than remain. */
	len = append_to_nest(len, WHORL_F_CGROUP, "x", 2);
	last = (struct nlattr *)(buf + len - MNL_ALIGN(MNL_ATTR_HDRLEN + 2));
	last->nla_len = 4000;
	assert_int_equal(whorl_finding_parse(buf, len, &f), 0);
	assert_int_equal(f.kind, WHORL_KIND_CONTAINER_ESCAPE);
	whorl_finding_free(&f);
}

static void message_shorter_than_its_header_is_refused(void **state)
{
	struct t_finding tf = t_escape_tool();
	struct whorl_finding f;
	size_t len = t_build_finding(buf, &tf);

	(void)state;
	assert_int_equal(whorl_finding_parse(buf, len - 8, &f), -EINVAL);
	whorl_finding_free(&f);
	assert_int_equal(whorl_finding_parse(buf, 10, &f), -EINVAL);
	whorl_finding_free(&f);
}

static void other_commands_are_not_findings(void **state)
{
	struct t_finding tf = t_escape_tool();
	struct whorl_finding f;
	size_t len = t_build_finding(buf, &tf);
	struct genlmsghdr *genl = mnl_nlmsg_get_payload((struct nlmsghdr *)buf);

	(void)state;
	genl->cmd = WHORL_CMD_STATUS_GET;
	assert_int_equal(whorl_finding_parse(buf, len, &f), -EINVAL);
	whorl_finding_free(&f);
}

static void finding_without_nest_is_refused(void **state)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	struct whorl_finding f;

	(void)state;
	genl->cmd = WHORL_CMD_FINDING;
	mnl_attr_put_u32(nlh, WHORL_A_INTEL_COUNT, 1);
	assert_int_equal(whorl_finding_parse(buf, nlh->nlmsg_len, &f), -EINVAL);
	whorl_finding_free(&f);
}

static void strings_without_nul_and_bad_utf8_are_made_safe(void **state)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	struct nlattr *nest;
	struct whorl_finding f;

	(void)state;
	genl->cmd = WHORL_CMD_FINDING;
	nest = mnl_attr_nest_start(nlh, WHORL_A_FINDING);
	mnl_attr_put(nlh, WHORL_F_COMM, 4, "abcd");		/* no NUL */
	mnl_attr_put(nlh, WHORL_F_CGROUP, 5, "a\xc3(b");	/* bad UTF-8 */
	mnl_attr_put(nlh, WHORL_F_INTEL_LABEL, 6, "ok\0bad");	/* cut at the NUL */
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(whorl_finding_parse(buf, nlh->nlmsg_len, &f), 0);
	assert_string_equal(f.comm, "abcd");
	assert_string_equal(f.cgroup, "a\xef\xbf\xbd(b");
	assert_string_equal(f.intel_label, "ok");
	whorl_finding_free(&f);
}

/* --- acknowledgements: errno signs and the kernel's extack message ----------------------------- */

/* An NLMSG_ERROR for request @seq, as netlink_ack() builds it (capped, with TLVs). */
static size_t build_ack(uint32_t seq, int error, const char *msg, int capped)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;
	size_t orig = 20;	/* payload of the echoed request when not capped */

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 1234;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e) + (capped ? 0 : orig));
	e->error = error;
	e->msg.nlmsg_len = sizeof(struct nlmsghdr) + orig;
	e->msg.nlmsg_seq = seq;
	if (capped)
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 28);
	}
	return nlh->nlmsg_len;
}

struct ack_case {
	const char *name;
	int error;
	const char *msg;
	int capped;
	int want;
	const char *want_msg;
};

static const struct ack_case acks[] = {
	{ "ack_success", 0, NULL, 1, 0, "" },
	{ "ack_error_is_negative_errno", -EPERM, NULL, 1, -EPERM, "" },
	{ "ack_positive_error_is_normalised", EBUSY, NULL, 1, -EBUSY, "" },
	{ "ack_extack_message_read_capped", -EBUSY, "another intel load is in progress", 1,
	  -EBUSY, "another intel load is in progress" },
	{ "ack_extack_message_read_after_echoed_request", -ERANGE,
	  "dedup window longer than a day", 0, -ERANGE, "dedup window longer than a day" },
};

static void ack_sets_errno_and_extack(void **state)
{
	const struct ack_case *c = *state;
	struct whorl_nl nl = { .family = T_FAMILY, .seq = 77, .portid = 1234 };
	size_t len = build_ack(77, c->error, c->msg, c->capped);
	int acked = 0;

	assert_int_equal(whorl_nl_dispatch(&nl, buf, len, NULL, NULL, &acked), c->want);
	assert_true(acked);
	assert_string_equal(nl.extack, c->want_msg);
}

static void ack_of_an_earlier_request_is_ignored(void **state)
{
	struct whorl_nl nl = { .family = T_FAMILY, .seq = 78, .portid = 1234 };
	size_t len = build_ack(77, -EPERM, "old", 1);
	int acked = 1;

	(void)state;
	assert_int_equal(whorl_nl_dispatch(&nl, buf, len, NULL, NULL, &acked), 0);
	assert_false(acked);
}

static int count_findings(const struct nlmsghdr *nlh, void *data)
{
	struct whorl_finding f;

	if (!whorl_finding_parse(nlh, nlh->nlmsg_len, &f))
		(*(int *)data)++;
	whorl_finding_free(&f);
	return MNL_CB_OK;
}

static void finding_before_the_subscribe_ack_is_delivered(void **state)
{
	struct whorl_nl nl = { .family = T_FAMILY, .seq = 5, .portid = 1234 };
	struct t_finding tf = t_escape_tool();
	static char two[32768];
	size_t a, b;
	int n = 0, acked = 0;

	(void)state;
	a = t_build_finding(buf, &tf);
	memcpy(two, buf, a);
	b = build_ack(5, 0, NULL, 1);
	memcpy(two + a, buf, b);
	assert_int_equal(whorl_nl_dispatch(&nl, two, a + b, count_findings, &n, &acked), 0);
	assert_int_equal(n, 1);
	assert_true(acked);
}

/* Found by finding-fuzz: libmnl compares nlmsg_len as an int; past 2 GiB it walked off the buffer. */
static void datagram_claiming_more_than_2gib_is_cut_safely(void **state)
{
	struct whorl_nl nl = { .family = T_FAMILY, .seq = 5, .portid = 1234 };
	struct t_finding tf = t_escape_tool();
	struct nlmsghdr *second;
	size_t a;
	int n = 0, acked = 0;
	char *dgram;

	(void)state;
	a = t_build_finding(buf, &tf);
	dgram = malloc(a + sizeof(struct nlmsghdr));	/* exact size: ASan sees any overread */
	assert_non_null(dgram);
	memcpy(dgram, buf, a);
	second = (struct nlmsghdr *)(dgram + a);
	memset(second, 0, sizeof(*second));
	second->nlmsg_len = 0xfffffff0;
	second->nlmsg_type = T_FAMILY;
	assert_int_equal(whorl_nl_dispatch(&nl, dgram, a + sizeof(*second), count_findings, &n,
					   &acked), 0);
	assert_int_equal(n, 1);
	assert_false(acked);
	free(dgram);
}

/* --- sequence numbers: gaps are drops ---------------------------------------------------------- */

static void sequence_gaps_count_drops(void **state)
{
	struct whorl_seq s = { .next = 1 };

	(void)state;
	assert_int_equal(whorl_seq_next(&s, 1), 0);
	assert_int_equal(whorl_seq_next(&s, 2), 0);
	assert_int_equal(whorl_seq_next(&s, 5), 2);	/* 3 and 4 lost */
	assert_int_equal(whorl_seq_next(&s, 6), 0);
	assert_int_equal(whorl_seq_next(&s, 106), 99);
	assert_int_equal(s.lost, 101);
	assert_int_equal(whorl_seq_next(&s, 1), 0);	/* subscribed again: from 1 */
	assert_int_equal(whorl_seq_next(&s, 3), 1);
	assert_int_equal(s.lost, 102);
}

static void first_finding_after_subscribing_may_be_a_gap(void **state)
{
	struct whorl_seq s = { .next = 1 };

	(void)state;
	assert_int_equal(whorl_seq_next(&s, 4), 3);
	assert_int_equal(s.lost, 3);
}

/* --- messages for people ----------------------------------------------------------------------- */

/* What whorl_nl_perror() prints for @err, captured from stderr. */
static const char *perror_text(const struct whorl_nl *nl, const char *what, int err)
{
	static char out[512];
	FILE *tmp = tmpfile();
	int saved = dup(2);
	size_t n;

	assert_non_null(tmp);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	whorl_nl_perror(nl, what, err);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return out;
}

static void errors_read_as_people_need_them(void **state)
{
	struct whorl_nl closed = { 0 }, open = { .sock = (void *)1 };

	(void)state;
	/* the family lookup failed: no socket left open */
	assert_string_equal(perror_text(&closed, "status", -ENOENT),
			    "whorl: kernel module not loaded (modprobe whorl)\n");
	/* either errno sign, one message */
	assert_string_equal(perror_text(&open, "intel load", -EPERM),
			    "whorl: intel load: permission denied: whorl needs CAP_NET_ADMIN in the "
			    "initial user namespace (run it as root on the host)\n");
	assert_string_equal(perror_text(&open, "intel load", EPERM),
			    perror_text(&open, "intel load", -EPERM));
	strcpy(open.extack, "another intel load is in progress");
	assert_string_equal(perror_text(&open, "intel load", -EBUSY),
			    "whorl: intel load: another intel load is in progress "
			    "(Device or resource busy)\n");
	open.extack[0] = '\0';
	assert_string_equal(perror_text(&open, "config", ERANGE),
			    "whorl: config: Numerical result out of range\n");
}

/* The controller's CTRL_CMD_NEWFAMILY reply for whorl: @version 0 leaves the attribute out. */
static struct nlmsghdr *family_reply(uint16_t id, uint32_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));

	nlh->nlmsg_type = GENL_ID_CTRL;
	genl->cmd = CTRL_CMD_NEWFAMILY;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, WHORL_GENL_NAME);
	if (id)
		mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, id);
	if (version)
		mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, version);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	return nlh;
}

static void family_of_another_version_is_refused(void **state)
{
	struct whorl_nl nl = { 0 };
	char why[256] = "", want[300];
	uint16_t id = 0;

	(void)state;
	assert_int_equal(whorl_nl_family_parse(family_reply(T_FAMILY, WHORL_GENL_VERSION), &id,
					       why, sizeof(why)), 0);
	assert_int_equal(id, T_FAMILY);
	/* a controller that says no version: the id is enough */
	id = 0;
	assert_int_equal(whorl_nl_family_parse(family_reply(T_FAMILY, 0), &id, why, sizeof(why)), 0);
	assert_int_equal(id, T_FAMILY);
	assert_int_equal(whorl_nl_family_parse(family_reply(0, WHORL_GENL_VERSION), &id, why,
					       sizeof(why)), -ENOENT);
	/* a module of another release: refused, and said so */
	id = 0;
	assert_int_equal(whorl_nl_family_parse(family_reply(T_FAMILY, WHORL_GENL_VERSION + 1), &id,
					       nl.extack, sizeof(nl.extack)), -EPROTO);
	assert_int_equal(id, 0);
	snprintf(why, sizeof(why), "the loaded module speaks version %d of the whorl netlink family, "
		 "this tool version %d: install the tool and the module of one release",
		 WHORL_GENL_VERSION + 1, WHORL_GENL_VERSION);
	assert_string_equal(nl.extack, why);
	snprintf(want, sizeof(want), "whorl: status: %s (Protocol error)\n", why);
	assert_string_equal(perror_text(&nl, "status", -EPROTO), want);
}

/* --- status replies ---------------------------------------------------------------------------- */

static void status_reply_parses_counters_by_number(void **state)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	struct nlattr *nest;
	struct whorl_status st = { 0 };
	json_object *o, *v;

	(void)state;
	nlh->nlmsg_type = T_FAMILY;
	genl->cmd = WHORL_CMD_STATUS_GET;
	mnl_attr_put_strz(nlh, WHORL_A_VERSION, "0.1.0");
	nest = mnl_attr_nest_start(nlh, WHORL_A_COUNTERS);
	mnl_attr_put(nlh, WHORL_CTR_UNSPEC, 0, NULL);		/* a 64-bit pad */
	mnl_attr_put_u64(nlh, WHORL_CTR_HOOK_EXEC, 1234);
	mnl_attr_put_u64(nlh, WHORL_CTR_HOOK_MMAP, 5678);
	mnl_attr_put_u64(nlh, 50, 9);				/* a counter from the future */
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, WHORL_A_CONFIG_KINDS, WHORL_KINDS_DEFAULT);
	mnl_attr_put_u8(nlh, WHORL_A_CONFIG_MODE, WHORL_MODE_ENFORCE);
	mnl_attr_put_u32(nlh, WHORL_A_INTEL_COUNT, 4);
	mnl_attr_put_u64(nlh, WHORL_A_INTEL_BYTES, 4096);
	mnl_attr_put_u32(nlh, WHORL_A_EVENTS_ALIVE, 17);
	mnl_attr_put_u32(nlh, WHORL_A_CONFIG_QUEUE_MAX, 4096);
	assert_int_equal(whorl_status_parse(nlh, &st), 0);
	assert_true(st.has_events_alive && st.events_alive == 17);
	assert_true(st.has_queue_max && st.queue_max == 4096);
	assert_string_equal(st.version, "0.1.0");
	assert_int_equal(st.counters[WHORL_CTR_HOOK_EXEC], 1234);
	assert_true(st.has_counter[50]);

	o = whorl_status_json(&st);
	assert_true(json_object_object_get_ex(o, "counters", &v));
	assert_true(json_object_object_get_ex(v, "hookExec", &v));
	assert_int_equal(json_object_get_uint64(v), 1234);
	json_object_object_get_ex(o, "counters", &v);
	assert_true(json_object_object_get_ex(v, "counter50", &v));
	json_object_object_get_ex(o, "config", &v);
	assert_true(json_object_object_get_ex(v, "mode", &v));
	assert_string_equal(json_object_get_string(v), "enforce");
	json_object_object_get_ex(o, "events", &v);
	assert_true(json_object_object_get_ex(v, "alive", &v));
	assert_int_equal(json_object_get_uint64(v), 17);
	json_object_object_get_ex(o, "config", &v);
	assert_true(json_object_object_get_ex(v, "queueMax", &v));
	assert_int_equal(json_object_get_uint64(v), 4096);
	json_object_object_get_ex(o, "intel", &v);
	assert_true(json_object_object_get_ex(v, "hashes", &v));
	assert_int_equal(json_object_get_uint64(v), 4);
	json_object_put(o);
}

int main(void)
{
	struct CMUnitTest tests[32];
	size_t i, n = 0;

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(library_finding_parses_every_field);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(pad_attributes_before_u64_are_skipped);
	for (i = 0; i < sizeof(args_cases) / sizeof(args_cases[0]); i++)
		tests[n++] = (struct CMUnitTest){ args_cases[i].name, args_split_on_nul, NULL, NULL,
						  (void *)&args_cases[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(unknown_attributes_are_skipped);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(wrong_size_attributes_are_absent);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(device_needs_both_numbers_in_range);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		attribute_longer_than_its_nest_stops_parsing_safely);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		message_shorter_than_its_header_is_refused);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(other_commands_are_not_findings);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(finding_without_nest_is_refused);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		strings_without_nul_and_bad_utf8_are_made_safe);
	for (i = 0; i < sizeof(acks) / sizeof(acks[0]); i++)
		tests[n++] = (struct CMUnitTest){ acks[i].name, ack_sets_errno_and_extack, NULL,
						  NULL, (void *)&acks[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(ack_of_an_earlier_request_is_ignored);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		finding_before_the_subscribe_ack_is_delivered);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		datagram_claiming_more_than_2gib_is_cut_safely);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(sequence_gaps_count_drops);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(first_finding_after_subscribing_may_be_a_gap);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(errors_read_as_people_need_them);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(family_of_another_version_is_refused);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(status_reply_parses_counters_by_number);
	return _cmocka_run_group_tests("netlink", tests, n, NULL, NULL);
}
