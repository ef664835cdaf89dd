// SPDX-License-Identifier: GPL-2.0
/* intel_fuzz.c - libFuzzer target: the intel parser, and the INTEL_ADD batches built from it. */

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
	struct nlmsghdr *nlh;
	size_t from = 0, next;

	if (whorl_intel_parse(&set, "fuzz", (const char *)data, size, err) == 0) {
		if (set.n != set.hashes + set.names)
			abort();
		while (from < set.n) {
			nlh = whorl_nl_msg(&nl, buf, 4);
			next = whorl_nl_put_intel_batch(nlh, &set, from);
			if (next == from || nlh->nlmsg_len > WHORL_NL_BATCH_MAX)
				abort();
			from = next;
		}
	} else if (!memchr(err, ':', strlen(err))) {
		abort();	/* every error names file and line */
	}
	whorl_intel_free(&set);
	return 0;
}
