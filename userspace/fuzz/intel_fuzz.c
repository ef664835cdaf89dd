// SPDX-License-Identifier: GPL-2.0
/*
 * intel_fuzz.c - libFuzzer target: the intel parser, the INTEL_ADD batches built from it, and
 * its url: lines looked up on the input read as a command line.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "intel.h"
#include "netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[WHORL_NL_BATCH_MAX + 8192];
	struct whorl_intel set = { 0 };
	struct whorl_nl nl = { .family = 0x1d };
	char err[WHORL_INTEL_ERR_MAX];
	struct whorl_intel_cursor c = { 0 }, before;
	struct nlmsghdr *nlh;

	if (whorl_intel_parse(&set, "fuzz", (const char *)data, size, err) == 0) {
		if (set.n != set.hashes + set.names)
			abort();
		while (whorl_nl_intel_more(&set, &c)) {
			nlh = whorl_nl_msg(&nl, buf, 4);
			before = c;
			whorl_nl_put_intel_batch(nlh, &set, &c);
			if ((c.label == before.label && c.entry == before.entry) ||
			    nlh->nlmsg_len > WHORL_NL_BATCH_MAX)
				abort();
		}
		if (set.urls.n) {
			char *line = strndup((const char *)data, size), found[WHORL_URL_MAX];
			const struct whorl_url_entry *e;

			e = line ? whorl_urls_find(&set.urls, line, found) : NULL;
			if (e && (strlen(found) >= WHORL_URL_MAX || !e->key))
				abort();
			free(line);
		}
	} else if (!memchr(err, ':', strlen(err))) {
		abort();	/* every error names file and line */
	}
	whorl_intel_free(&set);
	return 0;
}
