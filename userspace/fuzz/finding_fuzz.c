// SPDX-License-Identifier: GPL-2.0
/*
 * finding_fuzz.c - libFuzzer target: whatever the socket delivers, as the relay handles it:
 * dispatch (acks, extack), finding and exec event parse, an exec's Sigma event, diskPath
 * resolution (against the fixtures' host mount table), JSON (flat and SCC) and text rendering,
 * status parse.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "execev.h"
#include "finding.h"
#include "json.h"
#include "mounts.h"
#include "netlink.h"
#include "scc.h"
#include "status.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Run from userspace/, as `make fuzz` does; without the file every lookup misses. */
#define MOUNTINFO "tests/fixtures/state/proc/1/mountinfo"

static struct whorl_mounts mounts;

static int on_message(const struct nlmsghdr *nlh, void *arg)
{
	struct whorl_container_info ci = { .name = "n", .image = "i" };
	struct whorl_finding f;
	struct whorl_status st = { 0 };
	json_object *o, *back;
	char *text;
	int parsed;

	(void)arg;
	if (!mounts.npaths)
		whorl_mounts_init(&mounts, MOUNTINFO);
	parsed = whorl_finding_parse(nlh, nlh->nlmsg_len, &f) == 0;
	if (parsed && f.exec) {
		/* an exec event: its Sigma event, as JSON that reads back */
		static struct whorl_exec_event ev;

		whorl_exec_sigma(&f, NULL, "root", &ci, &ev);
		o = whorl_sigma_event_json(&ev.ev);
		if (o) {
			back = json_tokener_parse(whorl_json_line(o));
			if (!back)
				abort();
			json_object_put(back);
			json_object_put(o);
		}
	} else if (parsed) {
		whorl_mounts_fill(&mounts, &f);
		o = whorl_finding_json(&f, &ci, "fuzz");
		if (o) {
			back = json_tokener_parse(whorl_json_line(o));
			if (!back)
				abort();	/* we must always write valid JSON */
			json_object_put(back);
			text = whorl_finding_text(o);
			if (text && strchr(text, '\n'))
				abort();	/* one line per finding */
			free(text);
			json_object_put(o);
		}
		/* The SCC shape renders the same findings: valid JSON, one line, every time. */
		o = whorl_finding_scc(&f, &ci, "fuzz", 0);
		if (o) {
			if (strchr(whorl_json_line(o), '\n'))
				abort();
			back = json_tokener_parse(whorl_json_line(o));
			if (!back)
				abort();
			json_object_put(back);
			json_object_put(o);
		}
	}
	whorl_finding_free(&f);
	whorl_status_parse(nlh, &st);
	return MNL_CB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct whorl_nl nl = { .family = 0x1d, .seq = 7, .portid = 1234 };
	void *copy;
	int acked;

	/* An exact-size copy so that ASan sees any read past the datagram. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	whorl_nl_dispatch(&nl, copy, size, on_message, NULL, &acked);
	if (strnlen(nl.extack, sizeof(nl.extack)) == sizeof(nl.extack))
		abort();
	free(copy);
	return 0;
}
