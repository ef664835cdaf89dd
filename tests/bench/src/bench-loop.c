// SPDX-License-Identifier: GPL-2.0
/*
 * bench-loop.c - time a cached workload, iteration by iteration, optionally in A/B blocks.
 *
 *   bench-loop [-w WARMUP] [-p PAUSE_US] [-a FD -b BLOCKS] exec N PROGRAM [ARG...]
 *   bench-loop [-w WARMUP] [-a FD -b BLOCKS] mmap N FILE
 *
 * exec: fork + exec + wait of PROGRAM. mmap: mmap(PROT_READ | PROT_EXEC) + munmap of the whole
 * FILE, as ld.so maps a library's code (the file is opened once). WARMUP untimed iterations come
 * first (per block with -a). -p pauses (untimed) after each iteration.
 *
 * Without -a: N timed iterations; prints
 *     stats all <n> <mean> <min> <p10> <p25> <p50> <p90>       (nanoseconds per iteration)
 * With -a: BLOCKS blocks of N iterations, the kernel's kprobes armed or disarmed before each by
 * writing 1 or 0 to FD (/sys/kernel/debug/kprobes/enabled, opened by the caller, who has debugfs,
 * and passed in: runc exec --preserve-fds). Blocks go A B B A ...: block b is armed when b % 4 is
 * 0 or 3. Prints "block on|off <mean>" per block, then "stats on ..." and "stats off ..." over
 * every iteration of each state; kprobes are left armed.
 *
 * Percentiles because the CPU is shared: contention only ever adds time, so the low percentiles
 * of many short iterations are the steadiest view of what the work itself costs.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "bench-common.h"

struct series {
	uint64_t *v;
	size_t n, cap;
};

static void add(struct series *s, uint64_t x)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			bench_die("realloc");
	}
	s->v[s->n++] = x;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* nearest rank */
static uint64_t pct(const struct series *s, unsigned int p)
{
	size_t k = (s->n * p + 99) / 100;

	return s->v[k ? k - 1 : 0];
}

static void stats(const char *name, struct series *s)
{
	uint64_t sum = 0;
	size_t i;

	if (!s->n)
		return;
	for (i = 0; i < s->n; i++)
		sum += s->v[i];
	qsort(s->v, s->n, sizeof(*s->v), cmp);
	printf("stats %s %zu %llu %llu %llu %llu %llu %llu\n", name, s->n,
	       (unsigned long long)(sum / s->n), (unsigned long long)s->v[0],
	       (unsigned long long)pct(s, 10), (unsigned long long)pct(s, 25),
	       (unsigned long long)pct(s, 50), (unsigned long long)pct(s, 90));
}

static void arm(int fd, int on)
{
	if (pwrite(fd, on ? "1\n" : "0\n", 2, 0) != 2)
		bench_die("write kprobes/enabled");
}

static int mfd = -1;
static size_t msize;

static void once(int mm, char *const argv[])
{
	void *p;

	if (!mm) {
		bench_run(argv);
		return;
	}
	p = mmap(NULL, msize, PROT_READ | PROT_EXEC, MAP_PRIVATE, mfd, 0);
	if (p == MAP_FAILED || munmap(p, msize))
		bench_die("mmap");
}

int main(int argc, char **argv)
{
	unsigned long n, warm = 0, pause_us = 0, blocks = 1, b, i;
	struct series on = { 0 }, off = { 0 }, *s;
	int opt, fd = -1, mm, armed = 1;
	uint64_t t0, dt, sum;
	struct stat st;

	while ((opt = getopt(argc, argv, "+w:p:a:b:")) != -1) {
		switch (opt) {
		case 'w': warm = bench_number(optarg, "-w"); break;
		case 'p': pause_us = bench_number(optarg, "-p"); break;
		case 'a': fd = (int)bench_number(optarg, "-a"); break;
		case 'b': blocks = bench_number(optarg, "-b"); break;
		default: return 2;
		}
	}
	if (argc - optind < 3 || (strcmp(argv[optind], "exec") && strcmp(argv[optind], "mmap"))) {
		fprintf(stderr, "usage: bench-loop [-w W] [-p US] [-a FD -b BLOCKS] exec|mmap N TARGET...\n");
		return 2;
	}
	mm = !strcmp(argv[optind], "mmap");
	n = bench_number(argv[optind + 1], "N");
	if (!n || !blocks)
		return 2;
	if (mm) {
		mfd = open(argv[optind + 2], O_RDONLY | O_CLOEXEC);
		if (mfd < 0 || fstat(mfd, &st))
			bench_die(argv[optind + 2]);
		msize = (size_t)st.st_size;
	}
	if (fd < 0)
		blocks = 1;
	for (b = 0; b < blocks; b++) {
		if (fd >= 0) {
			armed = b % 4 == 0 || b % 4 == 3;
			arm(fd, armed);
		}
		s = armed ? &on : &off;
		for (i = 0; i < warm; i++)
			once(mm, &argv[optind + 2]);
		sum = 0;
		for (i = 0; i < n; i++) {
			t0 = bench_ns(CLOCK_MONOTONIC);
			once(mm, &argv[optind + 2]);
			dt = bench_ns(CLOCK_MONOTONIC) - t0;
			add(s, dt);
			sum += dt;
			if (pause_us)
				usleep(pause_us);
		}
		if (fd >= 0)
			printf("block %s %llu\n", armed ? "on" : "off", (unsigned long long)(sum / n));
	}
	if (fd >= 0) {
		arm(fd, 1);
		stats("on", &on);
		stats("off", &off);
	} else {
		stats("all", &on);
	}
	return 0;
}
