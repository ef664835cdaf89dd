// SPDX-License-Identifier: GPL-2.0
/* main.c - the whorl command line: relay, intel, status, config, layout. */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/whorl.h>

#include "intel.h"
#include "json.h"
#include "kinds.h"
#include "layout.h"
#include "netlink.h"
#include "relay.h"
#include "sigma.h"
#include "rules.h"
#include "status.h"

#define EXIT_USAGE 2

static const char usage_main[] =
	"Usage: whorl COMMAND [OPTIONS]\n"
	"Detect container attacks with the whorl kernel module.\n"
	"\n"
	"Commands:\n"
	"  relay    load intel, subscribe, print findings as JSON lines\n"
	"  intel    load or clear the kernel's threat intelligence\n"
	"  status   show the module's version, configuration and counters\n"
	"  config   switch finding kinds on or off, set the dedup window and mode\n"
	"  layout   read overlayfs's layout from the kernel's BTF; hand it to the module\n"
	"  rules    check Sigma rules, match exec events against them (no module needed)\n"
	"\n"
	"Options: --help, --version. 'whorl COMMAND --help' describes a command.\n"
	"Every command but rules needs CAP_NET_ADMIN in the initial namespaces\n"
	"(root on the host).\n";

static const char usage_relay[] =
	"Usage: whorl relay [--intel FILE]... [--format scc|flat|text] [--output PATH]\n"
	"                   [--enable KIND]... [--rcvbuf BYTES] [--rules DIR|FILE]...\n"
	"                   [--env NAME]... [--exec-log FILE] [--min-level LEVEL]\n"
	"                   [--disable-rule NAME]... [--no-shipped-rules]\n"
	"Load the intel FILEs into the kernel as one set (a bad line loads nothing), subscribe\n"
	"to findings and write one per line, flushed per line. Prints 'whorl: ready' on stderr\n"
	"once subscribed (and READY=1 to systemd when NOTIFY_SOCKET is set).\n"
	"SIGHUP reloads the intel files and the rules and reopens --output; SIGINT/SIGTERM\n"
	"exit 0.\n"
	"\n"
	"  -i, --intel FILE     intel file (repeatable); without one the kernel's set is kept\n"
	"  -f, --format FORMAT  scc (default): Security Command Center v2 finding JSON,\n"
	"                       {\"finding\": ..., \"resource\": ...}; flat (or json): one flat\n"
	"                       object per finding; text: one readable line\n"
	"  -o, --output PATH    append findings to PATH instead of standard output\n"
	"  -e, --enable KIND    also report KIND (repeatable), e.g. added-binary, added-library\n"
	"  -b, --rcvbuf BYTES   receive buffer for findings not yet read (default 16 MiB; the\n"
	"                       kernel drops, counts and numbers what does not fit)\n"
	"      --no-layout      do not hand the module overlayfs's layout from the kernel's BTF\n"
	"                       at start (it keeps its compiled table, or provenance off)\n"
	"  -r, --rules PATH     Sigma rules (a file, or every *.yml/*.yaml under a directory;\n"
	"                       repeatable): the module sends every exec in a container, each\n"
	"                       is matched and each match written as a finding (docs/SIGMA.md).\n"
	"                       Refused rules are reported and the others used. The rules\n"
	"                       whorl ships (" WHORL_RULES_DIR ", or $WHORL_RULES_DIR)\n"
	"                       are loaded first when that directory exists\n"
	"      --no-shipped-rules  do not load the shipped rules (with no --rules either, the\n"
	"                       module sends no exec events)\n"
	"      --disable-rule NAME  switch one rule off (repeatable): its id, or its file's\n"
	"                       name with or without .yml (netcat_remote_code_execution)\n"
	"      --env NAME       an environment variable exec events carry (repeatable, at most\n"
	"                       16; replaces the default list: LD_PRELOAD, LD_LIBRARY_PATH,\n"
	"                       LD_AUDIT, GCONV_PATH, HTTP_PROXY, HTTPS_PROXY, http_proxy,\n"
	"                       https_proxy, ALL_PROXY, no_proxy)\n"
	"      --exec-log FILE  with --rules: append every exec's Sigma event to FILE, one JSON\n"
	"                       line each (what 'whorl rules match' and 'bench' read)\n"
	"      --min-level LEVEL  report rule matches of this level and above: low, medium\n"
	"                       (the default), high, critical; informational counts as low\n"
	"  -h, --help           this help\n"
	"\n"
	"Container names and images are read from the runtimes' state under $WHORL_STATE_ROOT\n"
	"(default /), host paths (diskPath) from $WHORL_STATE_ROOT/proc/1/mountinfo.\n";

static const char usage_intel[] =
	"Usage: whorl intel load FILE...\n"
	"       whorl intel clear\n"
	"'load' replaces the kernel's intel set with the entries of all FILEs, atomically: any\n"
	"bad line is reported (file, line, reason) and nothing is loaded. 'clear' empties it.\n"
	"File format: docs/INTEL.md, whorl(8).\n";

static const char usage_status[] =
	"Usage: whorl status [--json]\n"
	"Show the module's version, configuration, intel size, cache use and counters.\n"
	"\n"
	"  -j, --json   as one JSON object\n"
	"  -h, --help   this help\n";

static const char usage_layout[] =
	"Usage: whorl layout [--btf DIR] [--json] show|load\n"
	"Read where overlayfs keeps a file's layers on the running kernel from its BTF\n"
	"(DIR/vmlinux and DIR/overlay, default /sys/kernel/btf), for layer provenance.\n"
	"'show' prints it (no module needed); 'load' hands it to the module, which checks it\n"
	"and uses it instead of its compiled table ('whorl status' shows which is in use).\n"
	"'whorl relay' loads it at start. 'load' with the default DIR loads the overlay module\n"
	"first if it is not (its BTF comes with it).\n"
	"\n"
	"  -b, --btf DIR   where the BTF files are\n"
	"  -j, --json      'show' as one JSON object\n"
	"  -h, --help      this help\n";

static const char usage_config[] =
	"Usage: whorl config [--enable KIND]... [--disable KIND]... [--dedup-ms N]\n"
	"                    [--mode detect|enforce] [--exec-events on|off]\n"
	"Change the module's configuration; with no option, show it.\n"
	"\n"
	"  -e, --enable KIND    report KIND (repeatable; 'all' for every kind)\n"
	"  -d, --disable KIND   stop reporting KIND (repeatable; 'all' for every kind)\n"
	"  -w, --dedup-ms N     report the same (container, file, kind) once per N ms; 0: always\n"
	"  -m, --mode MODE      detect (report) or enforce (also refuse known-bad code)\n"
	"      --exec-events on|off  send every exec in a container to subscribers ('whorl\n"
	"                       relay --rules' turns it on, and off when it exits last)\n"
	"  -h, --help           this help\n";

static void print_kinds(FILE *out)
{
	const struct whorl_kind_info *k;
	unsigned int i;

	fprintf(out, "Kinds:");
	for (i = 1; i <= WHORL_KIND_MAX; i++) {
		k = whorl_kind(i);
		if (k)
			fprintf(out, " %s", k->name);
	}
	fprintf(out, "\n");
}

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
	fprintf(stderr, "whorl: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", usage);
	return EXIT_USAGE;
}

/* KIND or "all" as a bitmask; 0 if unknown. */
static uint32_t kind_mask(const char *name)
{
	int k;

	if (!strcmp(name, "all"))
		return ((1U << __WHORL_KIND_MAX) - 1) & ~(1U << WHORL_KIND_NONE);
	k = whorl_kind_by_name(name);
	return k > 0 ? 1U << k : 0;
}

static int bad_kind(const char *usage, const char *name)
{
	fprintf(stderr, "whorl: unknown kind '%s'\n", name);
	print_kinds(stderr);
	(void)usage;
	return EXIT_USAGE;
}

/* --min-level's word as enum whorl_sigma_severity; -1 for anything else */
static int min_level(const char *s)
{
	if (!strcmp(s, "low") || !strcmp(s, "informational"))
		return WHORL_SIGMA_LOW;
	if (!strcmp(s, "medium"))
		return WHORL_SIGMA_MEDIUM;
	if (!strcmp(s, "high"))
		return WHORL_SIGMA_HIGH;
	if (!strcmp(s, "critical"))
		return WHORL_SIGMA_CRITICAL;
	return -1;
}

static int cmd_relay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "intel", required_argument, NULL, 'i' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "enable", required_argument, NULL, 'e' },
		{ "no-layout", no_argument, NULL, 'L' },
		{ "rcvbuf", required_argument, NULL, 'b' },
		{ "rules", required_argument, NULL, 'r' },
		{ "env", required_argument, NULL, 'E' },
		{ "exec-log", required_argument, NULL, 'X' },
		{ "min-level", required_argument, NULL, 'M' },
		{ "disable-rule", required_argument, NULL, 'D' },
		{ "no-shipped-rules", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct whorl_relay_opts ro = { .min_severity = WHORL_SIGMA_MEDIUM };
	int c, ret, have_level = 0, no_shipped = 0;
	const char *shipped, **rules_alloc;
	unsigned long bytes;
	struct stat st;
	uint32_t m;
	char *end;

	ro.intel = calloc(argc, sizeof(*ro.intel));
	ro.rules = rules_alloc = calloc(argc + 1, sizeof(*ro.rules));
	ro.env = calloc(argc, sizeof(*ro.env));
	ro.disabled = calloc(argc, sizeof(*ro.disabled));
	if (!ro.intel || !ro.rules || !ro.env || !ro.disabled)
		return 1;
	/* the shipped rules come first, so that a finding names them before any other */
	shipped = getenv("WHORL_RULES_DIR");
	if (!shipped || !*shipped)
		shipped = WHORL_RULES_DIR;
	ro.rules[ro.nrules++] = shipped;
	while ((c = getopt_long(argc, argv, "+i:f:o:e:b:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			ro.rules[ro.nrules++] = optarg;
			break;
		case 'E':
			if (!whorl_env_name_ok(optarg))
				return usage_error(usage_relay, "--env takes a variable's name "
						   "([A-Za-z0-9_], at most 63 bytes), not '%s'",
						   optarg);
			if (ro.nenv == WHORL_ENV_NAMES_MAX)
				return usage_error(usage_relay, "%s", "at most 16 --env names");
			ro.env[ro.nenv++] = optarg;
			break;
		case 'X':
			ro.exec_log = optarg;
			break;
		case 'D':
			ro.disabled[ro.ndisabled++] = optarg;
			break;
		case 'N':
			no_shipped = 1;
			break;
		case 'M':
			have_level = 1;
			ro.min_severity = min_level(optarg);
			if (ro.min_severity < 0)
				return usage_error(usage_relay, "--min-level takes low, medium, high "
						   "or critical, not '%s'", optarg);
			break;
		case 'i':
			ro.intel[ro.nintel++] = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "scc"))
				ro.format = WHORL_FORMAT_SCC;
			else if (!strcmp(optarg, "flat") || !strcmp(optarg, "json"))
				ro.format = WHORL_FORMAT_FLAT;
			else if (!strcmp(optarg, "text"))
				ro.format = WHORL_FORMAT_TEXT;
			else
				return usage_error(usage_relay, "unknown format '%s'", optarg);
			break;
		case 'o':
			ro.output = optarg;
			break;
		case 'e':
			m = kind_mask(optarg);
			if (!m)
				return bad_kind(usage_relay, optarg);
			ro.enable |= m;
			break;
		case 'L':
			ro.no_layout = 1;
			break;
		case 'b':
			errno = 0;
			bytes = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || bytes < 4096 || bytes > (1UL << 30))
				return usage_error(usage_relay, "--rcvbuf takes 4096 to 1073741824 bytes, not '%s'",
						   optarg);
			ro.rcvbuf = (int)bytes;
			break;
		case 'h':
			printf("%s", usage_relay);
			print_kinds(stdout);
			return 0;
		default:
			fprintf(stderr, "%s", usage_relay);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error(usage_relay, "unexpected argument '%s'", argv[optind]);
	if (no_shipped || stat(shipped, &st) || !S_ISDIR(st.st_mode)) {
		if (!no_shipped && getenv("WHORL_RULES_DIR"))
			fprintf(stderr, "whorl: WHORL_RULES_DIR=%s is no directory; the shipped rules "
				"are not loaded\n", shipped);
		ro.rules++;
		ro.nrules--;
	} else {
		fprintf(stderr, "whorl: shipped rules: %s\n", shipped);
	}
	if ((ro.nenv || ro.exec_log || have_level || ro.ndisabled) && !ro.nrules)
		return usage_error(usage_relay, "%s", "--env, --exec-log, --min-level and "
				   "--disable-rule need rules: --rules, or the shipped ones");
	if (!ro.nenv) {
		free(ro.env);
		ro.env = NULL;	/* the default list */
	}
	ret = whorl_relay(&ro);
	free(ro.intel);
	free(rules_alloc);
	free(ro.env);
	free(ro.disabled);
	return ret;
}

static int cmd_intel(int argc, char **argv)
{
	struct whorl_intel set = { 0 };
	char err[WHORL_INTEL_ERR_MAX];
	struct whorl_nl nl;
	int i, ret;

	if (argc < 2)
		return usage_error(usage_intel, "%s", "intel needs 'load FILE...' or 'clear'");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("%s", usage_intel);
		return 0;
	}
	if (!strcmp(argv[1], "clear")) {
		if (argc > 2) {
			if (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")) {
				printf("%s", usage_intel);
				return 0;
			}
			return usage_error(usage_intel, "unexpected argument '%s'", argv[2]);
		}
		ret = whorl_nl_open(&nl);
		if (!ret)
			ret = whorl_nl_simple(&nl, WHORL_CMD_INTEL_CLEAR, NULL, NULL);
		if (ret)
			whorl_nl_perror(&nl, "intel clear", ret);
		whorl_nl_close(&nl);
		return ret ? 1 : 0;
	}
	if (strcmp(argv[1], "load"))
		return usage_error(usage_intel, "unknown intel command '%s'", argv[1]);
	if (argc < 3)
		return usage_error(usage_intel, "%s", "intel load needs at least one FILE");
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("%s", usage_intel);
			return 0;
		}
	}
	for (i = 2; i < argc; i++) {
		if (whorl_intel_load_file(&set, argv[i], err)) {
			fprintf(stderr, "whorl: %s; nothing loaded\n", err);
			whorl_intel_free(&set);
			return 1;
		}
	}
	ret = whorl_nl_open(&nl);
	if (!ret)
		ret = whorl_nl_intel_load(&nl, &set);
	if (ret)
		whorl_nl_perror(&nl, "intel load", ret);
	else
		printf("whorl: intel loaded: %zu hashes, %zu name rules\n", set.hashes, set.names);
	if (!ret && set.urls.n)
		printf("whorl: %zu URL(s) not loaded: url: lines are the relay's (whorl relay "
		       "--intel FILE --rules DIR looks for them on command lines)\n", set.urls.n);
	whorl_nl_close(&nl);
	whorl_intel_free(&set);
	return ret ? 1 : 0;
}

static int show_status(int json)
{
	struct whorl_status st;
	struct whorl_nl nl;
	json_object *o;
	int ret;

	ret = whorl_nl_open(&nl);
	if (!ret)
		ret = whorl_nl_status(&nl, &st);
	if (ret) {
		whorl_nl_perror(&nl, "status", ret);
		whorl_nl_close(&nl);
		return 1;
	}
	whorl_nl_close(&nl);
	if (json) {
		o = whorl_status_json(&st);
		if (!o)
			return 1;
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		whorl_status_print(stdout, &st);
	}
	return fflush(stdout) ? 1 : 0;
}

static int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, json = 0;

	while ((c = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			printf("%s", usage_status);
			return 0;
		default:
			fprintf(stderr, "%s", usage_status);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error(usage_status, "unexpected argument '%s'", argv[optind]);
	return show_status(json);
}

static int cmd_config(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "enable", required_argument, NULL, 'e' },
		{ "disable", required_argument, NULL, 'd' },
		{ "dedup-ms", required_argument, NULL, 'w' },
		{ "mode", required_argument, NULL, 'm' },
		{ "exec-events", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct whorl_config_req req = { 0 };
	uint32_t enable = 0, disable = 0, m;
	struct whorl_status st;
	struct whorl_nl nl;
	unsigned long v;
	char *end;
	int c, mode, ret;

	while ((c = getopt_long(argc, argv, "+e:d:w:m:h", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
		case 'd':
			m = kind_mask(optarg);
			if (!m)
				return bad_kind(usage_config, optarg);
			if (c == 'e')
				enable |= m;
			else
				disable |= m;
			break;
		case 'w':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-' || v > UINT32_MAX)
				return usage_error(usage_config, "bad --dedup-ms '%s'", optarg);
			req.has_dedup_ms = 1;
			req.dedup_ms = v;
			break;
		case 'm':
			mode = whorl_mode_by_name(optarg);
			if (mode < 0)
				return usage_error(usage_config, "unknown mode '%s'", optarg);
			req.has_mode = 1;
			req.mode = mode;
			break;
		case 'x':
			if (strcmp(optarg, "on") && strcmp(optarg, "off"))
				return usage_error(usage_config,
						   "--exec-events takes on or off, not '%s'",
						   optarg);
			req.has_exec_events = 1;
			req.exec_events = !strcmp(optarg, "on");
			break;
		case 'h':
			printf("%s", usage_config);
			print_kinds(stdout);
			return 0;
		default:
			fprintf(stderr, "%s", usage_config);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error(usage_config, "unexpected argument '%s'", argv[optind]);
	if (enable & disable) {
		fprintf(stderr, "whorl: a kind cannot be both enabled and disabled\n");
		return EXIT_USAGE;
	}
	if (!enable && !disable && !req.has_dedup_ms && !req.has_mode && !req.has_exec_events)
		return show_status(0);

	ret = whorl_nl_open(&nl);
	if (!ret && (enable || disable)) {
		/* Read-modify-write of the kinds mask: other kinds keep their state. */
		ret = whorl_nl_status(&nl, &st);
		if (!ret && !st.has_kinds)
			ret = -EPROTO;
		req.has_kinds = 1;
		req.kinds = (st.kinds | enable) & ~disable;
	}
	if (!ret)
		ret = whorl_nl_config(&nl, &req);
	if (ret)
		whorl_nl_perror(&nl, "config", ret);
	whorl_nl_close(&nl);
	return ret ? 1 : 0;
}

static int cmd_layout(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "btf", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *dir = WHORL_BTF_DIR, *verb;
	struct whorl_layout l;
	char why[256];
	json_object *o;
	int c, json = 0;

	while ((c = getopt_long(argc, argv, "+b:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			dir = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			printf("%s", usage_layout);
			return 0;
		default:
			fprintf(stderr, "%s", usage_layout);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return usage_error(usage_layout, "say %s", "show or load");
	verb = argv[optind];
	if (!strcmp(verb, "load"))
		return whorl_layout_load(dir, 1) ? 1 : 0;
	if (strcmp(verb, "show"))
		return usage_error(usage_layout, "unknown action '%s'", verb);
	if (whorl_layout_from_dir(dir, &l, why, sizeof(why))) {
		fprintf(stderr, "whorl: layout: %s\n", why);
		return 1;
	}
	if (json) {
		o = whorl_layout_json(&l);
		printf("%s\n", whorl_json_line(o));
		json_object_put(o);
		return 0;
	}
	printf("shape            %s\n", whorl_ovl_shape_name(l.shape));
	printf("ovl_inode        upper dentry at vfs_inode%+d, lower %s at vfs_inode%+d\n",
	       l.upper, l.shape == WHORL_OVL_SHAPE_INODE_PATH ? "path" : "entry", l.lower);
	printf("ovl_entry        count at %u, lower stack at %u (%s)\n", l.numlower, l.stack,
	       l.shape == WHORL_OVL_SHAPE_INODE_ENTRY ? "the inode's oe" : "the dentry's d_fsdata");
	printf("ovl_path         layer at %u, dentry at %u, %u bytes\n", l.path_layer,
	       l.path_dentry, l.path_size);
	printf("ovl_layer        mount at %u\n", l.layer_mnt);
	printf("struct inode     %u bytes\n", l.inode_size);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2) {
		fprintf(stderr, "%s", usage_main);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		printf("%s", usage_main);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("whorl %s (netlink family %s version %d)\n", WHORL_TOOL_VERSION,
		       WHORL_GENL_NAME, WHORL_GENL_VERSION);
		return 0;
	}
	/* Each command parses its own options, argv[0] being the command's name. */
	argc--;
	argv++;
	optind = 1;
	if (!strcmp(cmd, "relay"))
		return cmd_relay(argc, argv);
	if (!strcmp(cmd, "intel"))
		return cmd_intel(argc, argv);
	if (!strcmp(cmd, "status"))
		return cmd_status(argc, argv);
	if (!strcmp(cmd, "config"))
		return cmd_config(argc, argv);
	if (!strcmp(cmd, "rules"))
		return whorl_rules_main(argc, argv);
	if (!strcmp(cmd, "layout"))
		return cmd_layout(argc, argv);
	fprintf(stderr, "whorl: unknown command '%s'\n%s", cmd, usage_main);
	return EXIT_USAGE;
}
