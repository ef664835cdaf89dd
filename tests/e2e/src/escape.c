// SPDX-License-Identifier: GPL-2.0
/*
 * escape.c - a harmless stand-in for a container escape tool: it looks for
 * the ways out such tools probe (runtime sockets, host root via /proc/1,
 * capabilities) and only prints what it finds.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	static const char *const ways_out[] = {
		"/var/run/docker.sock", "/run/containerd/containerd.sock",
		"/proc/1/root/etc/shadow", "/sys/fs/cgroup/release_agent",
	};
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	for (size_t i = 0; i < sizeof(ways_out) / sizeof(ways_out[0]); i++)
		printf("escape: %s %s\n", ways_out[i],
		       access(ways_out[i], F_OK) ? "absent" : "PRESENT");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7))
			printf("escape: %s", line);
	if (f)
		fclose(f);
	return 0;
}
