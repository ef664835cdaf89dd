/* SPDX-License-Identifier: GPL-2.0 */
/* bench-common.h - clocks, fork + exec + wait and argument parsing shared by the benchmark programs. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline uint64_t bench_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline void bench_die(const char *what)
{
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
	exit(2);
}

static inline unsigned long bench_number(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end) {
		fprintf(stderr, "not a number for %s: '%s'\n", what, s);
		exit(2);
	}
	return v;
}

/* fork, execv(argv[0]) in the child, wait; exits the benchmark if the child failed. */
static inline void bench_run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		bench_die("fork");
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		bench_die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "%s: exited with status 0x%x\n", argv[0], status);
		exit(1);
	}
}

#endif /* BENCH_COMMON_H */
