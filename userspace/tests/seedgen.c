// SPDX-License-Identifier: GPL-2.0
/* seedgen.c - write the netlink fuzz target's seed corpus: findings as the module sends them. */

#include <stdio.h>
#include <string.h>
#include <netinet/in.h>

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
	/* exec events (WHORL_CMD_EXEC): a reverse shell, then IPv6, a script, cut values */
	f = t_exec_shell();
	err |= write_seed(argv[1], "exec-shell", buf, t_build_finding(buf, &f));
	f.pad64 = 1;
	f.script = (struct t_file){ .present = 1, .path = "/tmp/x.sh", .fs_path = "/tmp/x.sh",
				    .dev = T_K8S_DEV, .layer = WHORL_LAYER_ADDED, .content = -1 };
	f.stdio[1] = (struct t_stdio){ .present = 1, .type = WHORL_STDIO_SOCKET,
				       .family = AF_INET6, .proto = IPPROTO_TCP,
				       .local = "2001:db8::1", .local_port = 8080,
				       .remote = "::ffff:10.0.0.9", .remote_port = 50000 };
	f.env[0].truncated = 1;
	f.env[1] = (struct t_env){ "HTTP_PROXY", "http://10.0.0.9:3128", 0 };
	f.nenv = 2;
	f.env_incomplete = 1;
	err |= write_seed(argv[1], "exec-script-ipv6", buf, t_build_finding(buf, &f));
	return err;
}
