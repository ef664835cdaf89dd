// SPDX-License-Identifier: GPL-2.0
/*
 * nlprobe.c - send whorl commands one by one on one socket and print what the kernel answered,
 * so a test can ask "may this process do that?" from any user, namespace or container.
 *
 *   whorl-nlprobe [-F FAMILY_ID] STEP...
 *     resolve            look "whorl" up through nlctrl (done first unless -F gives the id)
 *     status             WHORL_CMD_STATUS_GET
 *     config-dedup=N     WHORL_CMD_CONFIG_SET, WHORL_A_CONFIG_DEDUP_MS N
 *     intel-begin=N      WHORL_CMD_INTEL_BEGIN, capacity N
 *     intel-add=HEX      WHORL_CMD_INTEL_ADD, one entry: that SHA-256, category malicious
 *     intel-commit, intel-abort, intel-clear, subscribe, unsubscribe
 *
 * One line per step: "STEP result=ok", "STEP result=EPERM extack='...'", or "STEP
 * result=skipped" after a failed lookup. Exit status 0 once every step was tried, whatever the
 * kernel said; 2 for a usage or socket error. -F sends to a family id learnt elsewhere, to show
 * that a process outside the initial network namespace cannot reach the family even by number.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/whorl.h>

#include "rnl.h"

static struct rmsg m;
static struct rnl_answer a;

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int parse_sha256(const char *s, unsigned char *out)
{
	int i, hi, lo;

	if (strlen(s) != 2 * WHORL_SHA256_LEN)
		return -1;
	for (i = 0; i < WHORL_SHA256_LEN; i++) {
		hi = hexval(s[2 * i]);
		lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

static int parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 0);
	if (errno || end == s || *end || n > UINT32_MAX)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

/* Builds the request for @step. Return: 0, or -1 for a step this program does not know. */
static int build(struct rnl *nl, const char *step)
{
	const char *arg = strchr(step, '=');
	size_t name_len = arg ? (size_t)(arg - step) : strlen(step);
	unsigned char sha[WHORL_SHA256_LEN];
	static const struct { const char *name; uint8_t cmd; } plain[] = {
		{ "status", WHORL_CMD_STATUS_GET },
		{ "intel-commit", WHORL_CMD_INTEL_COMMIT },
		{ "intel-abort", WHORL_CMD_INTEL_ABORT },
		{ "intel-clear", WHORL_CMD_INTEL_CLEAR },
		{ "subscribe", WHORL_CMD_SUBSCRIBE },
		{ "unsubscribe", WHORL_CMD_UNSUBSCRIBE },
	};
	uint32_t v;
	size_t i, nest;

	if (arg)
		arg++;
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		if (!arg && !strcmp(step, plain[i].name)) {
			rmsg_init(&m, nl, nl->family, NLM_F_REQUEST | NLM_F_ACK, plain[i].cmd,
				  WHORL_GENL_VERSION);
			rmsg_finish(&m);
			return 0;
		}
	}
	if (arg && name_len == strlen("config-dedup") && !strncmp(step, "config-dedup", name_len) &&
	    !parse_u32(arg, &v)) {
		rmsg_init(&m, nl, nl->family, NLM_F_REQUEST | NLM_F_ACK, WHORL_CMD_CONFIG_SET,
			  WHORL_GENL_VERSION);
		rmsg_u32(&m, WHORL_A_CONFIG_DEDUP_MS, v);
		rmsg_finish(&m);
		return 0;
	}
	if (arg && name_len == strlen("intel-begin") && !strncmp(step, "intel-begin", name_len) &&
	    !parse_u32(arg, &v)) {
		rmsg_init(&m, nl, nl->family, NLM_F_REQUEST | NLM_F_ACK, WHORL_CMD_INTEL_BEGIN,
			  WHORL_GENL_VERSION);
		rmsg_u32(&m, WHORL_A_INTEL_CAPACITY, v);
		rmsg_finish(&m);
		return 0;
	}
	if (arg && name_len == strlen("intel-add") && !strncmp(step, "intel-add", name_len) &&
	    !parse_sha256(arg, sha)) {
		rmsg_init(&m, nl, nl->family, NLM_F_REQUEST | NLM_F_ACK, WHORL_CMD_INTEL_ADD,
			  WHORL_GENL_VERSION);
		nest = rmsg_nest_start(&m, WHORL_A_INTEL_ENTRY | NLA_F_NESTED);
		rmsg_attr(&m, WHORL_INTEL_A_SHA256, sha, sizeof(sha));
		rmsg_u8(&m, WHORL_INTEL_A_CATEGORY, WHORL_INTEL_MALICIOUS);
		rmsg_strz(&m, WHORL_INTEL_A_LABEL, "reliability-probe");
		rmsg_nest_end(&m, nest);
		rmsg_finish(&m);
		return 0;
	}
	return -1;
}

static void print_answer(const char *step, int send_err)
{
	const char *q;

	if (send_err) {
		printf("%s result=%s (sendto)\n", step, rnl_errname(send_err));
		return;
	}
	if (!a.acked) {
		printf("%s result=noanswer\n", step);
		return;
	}
	printf("%s result=%s", step, a.error ? rnl_errname(a.error) : "ok");
	if (a.msg[0]) {
		/* A quote in the kernel's message would end the shell word early: keep it out. */
		printf(" extack='");
		for (q = a.msg; *q; q++)
			putchar(*q == '\'' ? '"' : *q);
		putchar('\'');
	}
	putchar('\n');
}

int main(int argc, char **argv)
{
	struct rnl nl;
	int i = 1, err, have_family = 0;
	uint32_t id;

	if (argc > 2 && !strcmp(argv[1], "-F")) {
		if (parse_u32(argv[2], &id) || !id || id > UINT16_MAX) {
			fprintf(stderr, "whorl-nlprobe: bad family id '%s'\n", argv[2]);
			return 2;
		}
		i = 3;
		have_family = 1;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: whorl-nlprobe [-F FAMILY_ID] STEP... (see the source's header)\n");
		return 2;
	}
	err = rnl_open(&nl);
	if (err) {
		fprintf(stderr, "whorl-nlprobe: netlink socket: %s\n", strerror(-err));
		return 2;
	}
	if (have_family) {
		nl.family = (uint16_t)id;
	} else {
		err = rnl_resolve(&nl, WHORL_GENL_NAME);
		printf("resolve result=%s", err ? rnl_errname(err) : "ok");
		if (!err)
			printf(" id=%u", nl.family);
		putchar('\n');
	}
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "resolve"))
			continue;	/* done above */
		if (!nl.family) {
			printf("%s result=skipped\n", argv[i]);
			continue;
		}
		if (build(&nl, argv[i])) {
			fprintf(stderr, "whorl-nlprobe: unknown step '%s'\n", argv[i]);
			rnl_close(&nl);
			return 2;
		}
		err = rnl_request(&nl, &m, &a);
		print_answer(argv[i], err);
	}
	fflush(stdout);
	rnl_close(&nl);
	return 0;
}
