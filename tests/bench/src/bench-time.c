// SPDX-License-Identifier: GPL-2.0
/*
 * bench-time.c - run a command and print its wall-clock time in nanoseconds (CLOCK_MONOTONIC).
 *
 *   bench-time [-q] [-r] [-i] PROGRAM [ARG...]
 *
 * -q sends the command's standard output to /dev/null; -r adds the CPU time the command spent in
 * its own code and in the kernel: "<wall ns> <user ns> <system ns>". The figures are printed on
 * standard output after the command ends; a failing command fails bench-time, with no figure,
 * unless -i (its exit status is ignored).
 */
#include <fcntl.h>
#include <sys/resource.h>

#include "bench-common.h"

int main(int argc, char **argv)
{
	int quiet = 0, cpu = 0, ignore = 0, saved = -1, devnull, status;
	struct rusage ru;
	uint64_t t0, t1;
	pid_t pid;

	for (; argc > 1 && argv[1][0] == '-'; argv++, argc--) {
		if (!strcmp(argv[1], "-q"))
			quiet = 1;
		else if (!strcmp(argv[1], "-r"))
			cpu = 1;
		else if (!strcmp(argv[1], "-i"))
			ignore = 1;
		else
			break;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: bench-time [-q] [-r] [-i] PROGRAM [ARG...]\n");
		return 2;
	}
	fflush(stdout);
	if (quiet) {
		saved = fcntl(1, F_DUPFD_CLOEXEC, 3);
		devnull = open("/dev/null", O_WRONLY);
		if (saved < 0 || devnull < 0 || dup2(devnull, 1) < 0)
			bench_die("/dev/null");
		close(devnull);
	}
	t0 = bench_ns(CLOCK_MONOTONIC);
	pid = fork();
	if (pid < 0)
		bench_die("fork");
	if (pid == 0) {
		execv(argv[1], &argv[1]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		bench_die("waitpid");
	t1 = bench_ns(CLOCK_MONOTONIC);
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127 ||
	    (!ignore && WEXITSTATUS(status))) {
		fprintf(stderr, "%s: exited with status 0x%x\n", argv[1], status);
		return 1;
	}
	if (quiet && dup2(saved, 1) < 0)
		bench_die("dup2");
	printf("%llu", (unsigned long long)(t1 - t0));
	if (cpu) {
		if (getrusage(RUSAGE_CHILDREN, &ru))
			bench_die("getrusage");
		printf(" %llu %llu",
		       (unsigned long long)ru.ru_utime.tv_sec * 1000000000u + ru.ru_utime.tv_usec * 1000u,
		       (unsigned long long)ru.ru_stime.tv_sec * 1000000000u + ru.ru_stime.tv_usec * 1000u);
	}
	printf("\n");
	return 0;
}
