// SPDX-License-Identifier: GPL-2.0
/*
 * bench-first.c - first sight: write a new executable, then time one fork + exec + wait of it.
 *
 *   bench-first [-c CPU] SRC DST SIZE [BUSY]
 *
 * DST (which must not exist) gets SRC's bytes, then pseudo-random bytes up to SIZE: an ELF
 * with data past its last segment still runs, so the copy is a real program of SIZE bytes
 * that no cache has seen. The file is closed before the exec (ETXTBSY otherwise). Prints
 * "<exec ns> <write ns>".
 *
 * With BUSY (any word), a child spins on the CPU from just before the exec until it is timed:
 * the control for an asynchronous hash, which takes a CPU at the same moment.
 *
 * -c CPU keeps the writer, the spinner and the program on that CPU (the caller puts the module's
 * worker there too): the case where the hash competes for the very CPU the exec runs on.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>

#include "bench-common.h"

#define BUF (1u << 20)

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	/* xorshift64*: any non-repeating filler; the content only has to be new */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dull;
}

static void write_all(int fd, const char *p, size_t n, const char *what)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			bench_die(what);
		}
		p += w;
		n -= (size_t)w;
	}
}

int main(int argc, char **argv)
{
	static char buf[BUF];
	uint64_t size, done = 0, t0, t1, t2, *q;
	pid_t busy = -1;
	char *args[2];
	ssize_t r;
	size_t i, n;
	int in, out;

	cpu_set_t cpus;
	int opt;

	while ((opt = getopt(argc, argv, "+c:")) != -1) {
		if (opt != 'c')
			goto usage;
		CPU_ZERO(&cpus);
		CPU_SET(bench_number(optarg, "CPU"), &cpus);
		if (sched_setaffinity(0, sizeof(cpus), &cpus))
			bench_die("sched_setaffinity");
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc != 4 && argc != 5) {
usage:
		fprintf(stderr, "usage: bench-first [-c CPU] SRC DST SIZE [BUSY]\n");
		return 2;
	}
	size = bench_number(argv[3], "SIZE");
	state ^= bench_ns(CLOCK_REALTIME) ^ (uint64_t)getpid();
	t0 = bench_ns(CLOCK_MONOTONIC);
	in = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (in < 0)
		bench_die(argv[1]);
	out = open(argv[2], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (out < 0)
		bench_die(argv[2]);
	while ((r = read(in, buf, BUF)) > 0) {
		write_all(out, buf, (size_t)r, argv[2]);
		done += (uint64_t)r;
	}
	if (r < 0)
		bench_die(argv[1]);
	close(in);
	if (done > size) {
		fprintf(stderr, "%s is larger than %llu bytes\n", argv[1], (unsigned long long)size);
		return 2;
	}
	/*
	 * One random MiB, each block of it stamped with its offset: new content throughout at the
	 * cost of a copy (filling every byte anew is slow under emulation, and hashing speed does
	 * not depend on the bytes).
	 */
	q = (uint64_t *)buf;
	for (i = 0; i < BUF / sizeof(*q); i++)
		q[i] = next();
	while (done < size) {
		n = size - done < BUF ? (size_t)(size - done) : BUF;
		for (i = 0; i < BUF / sizeof(*q); i += 512)
			q[i] = done + i * sizeof(*q);
		write_all(out, buf, n, argv[2]);
		done += n;
	}
	if (close(out))
		bench_die(argv[2]);
	if (argc == 5) {
		busy = fork();
		if (busy < 0)
			bench_die("fork");
		if (busy == 0)
			for (;;)
				next();
	}
	t1 = bench_ns(CLOCK_MONOTONIC);
	args[0] = argv[2];
	args[1] = NULL;
	bench_run(args);
	t2 = bench_ns(CLOCK_MONOTONIC);
	if (busy > 0) {
		kill(busy, SIGKILL);
		waitpid(busy, NULL, 0);
	}
	printf("%llu %llu\n", (unsigned long long)(t2 - t1), (unsigned long long)(t1 - t0));
	return 0;
}
