// SPDX-License-Identifier: GPL-2.0
/* seedgen.c - write the netlink fuzz target's seed corpus: findings as the module sends them. */

#include <stdio.h>
#include <string.h>

#include "testlib.h"

static int write_seed(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len) {
		perror(path);
		return 1;
	}
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	static char buf[16384];
	struct t_finding f;
	int err = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: finding-seeds DIR\n");
		return 2;
	}
	f = t_modified_liblzma();
	err |= write_seed(argv[1], "modified-liblzma", buf, t_build_finding(buf, &f));
	f.pad64 = 1;
	err |= write_seed(argv[1], "modified-liblzma-padded", buf, t_build_finding(buf, &f));
	f = t_escape_tool();
	err |= write_seed(argv[1], "escape-tool", buf, t_build_finding(buf, &f));
	f.kind = WHORL_KIND_FILELESS_EXECUTION;
	f.binary.path = "/memfd:payload (deleted)";
	f.args_truncated = 1;
	err |= write_seed(argv[1], "fileless", buf, t_build_finding(buf, &f));
	return err;
}
