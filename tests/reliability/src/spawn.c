// SPDX-License-Identifier: GPL-2.0
/*
 * spawn.c - executable code, many times over, fast: the load behind the loss-accounting test.
 *
 *   whorl-spawn [-j JOBS] COUNT PROG [ARG]...
 *       runs PROG with its arguments COUNT times, at most JOBS (default 1) at once; exits 0
 *       when every run exited 0. With COUNT 0 it exits at once, so a copy of this program is its
 *       own cheapest target: each run is one execve(2) of an added file, one finding.
 *   whorl-spawn -m COUNT FILE [ARG]...
 *       maps FILE executable (PROT_EXEC, as ld.so maps a library) and unmaps it, COUNT times:
 *       in a container with added-library on, one finding each, for the price of a system call
 *       instead of an exec. The ARGs are not read; they make this process's argv, which every
 *       finding carries, as long as the test wants.
 */

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int map_many(long count, const char *path)
{
	long i;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *p;

	if (fd < 0) {
		fprintf(stderr, "whorl-spawn: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (i = 0; i < count; i++) {
		p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			fprintf(stderr, "whorl-spawn: mmap %s: %s\n", path, strerror(errno));
			close(fd);
			return 1;
		}
		munmap(p, 4096);
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	long count, started = 0, failed = 0, running = 0, jobs = 1;
	int opt, status, err, map = 0;
	extern char **environ;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+j:m")) != -1) {
		switch (opt) {
		case 'j':
			jobs = strtol(optarg, NULL, 10);
			if (jobs < 1)
				jobs = 1;
			break;
		case 'm':
			map = 1;
			break;
		default:
			return 2;
		}
	}
	if (optind >= argc)
		return 2;
	count = strtol(argv[optind], NULL, 10);
	if (count <= 0)
		return 0;
	if (optind + 1 >= argc) {
		fprintf(stderr, "usage: whorl-spawn [-j JOBS] COUNT PROG [ARG]... | -m COUNT FILE\n");
		return 2;
	}
	if (map)
		return map_many(count, argv[optind + 1]);
	while (started < count || running) {
		if (started < count && running < jobs) {
			/* posix_spawn: a vfork-like clone, so the runs cost little besides the exec. */
			err = posix_spawn(&pid, argv[optind + 1], NULL, NULL, argv + optind + 1,
					  environ);
			if (err) {
				fprintf(stderr, "whorl-spawn: %s: %s\n", argv[optind + 1], strerror(err));
				failed++;
				break;
			}
			started++;
			running++;
			continue;
		}
		if (wait(&status) < 0)
			break;
		running--;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	while (running > 0 && wait(&status) > 0)
		running--;
	if (failed)
		fprintf(stderr, "whorl-spawn: %ld of %ld runs failed\n", failed, started);
	return failed ? 1 : 0;
}
