// SPDX-License-Identifier: GPL-2.0
/*
 * peak.c - sample kernel memory while a stress phase runs and report its extremes: the
 * objects in use in the named slab caches (SLUB's /sys/kernel/slab/<cache>/objects, which
 * counts the free objects of per-CPU slabs as used: an upper bound) and /proc/meminfo's
 * Slab, SUnreclaim and MemAvailable.
 *
 *   stress-peak INTERVAL_MS CACHE...     until SIGTERM or SIGINT, then one line per cache
 *       peak cache=NAME first=N max=N last=N       (-1: the cache does not exist at that time)
 *     and
 *       peak meminfo samples=N slab_kb_first=N slab_kb_max=N sunreclaim_kb_first=N
 *            sunreclaim_kb_max=N memavailable_kb_first=N memavailable_kb_min=N
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CACHES_MAX 8

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static long cache_objects(const char *name)
{
	char path[256];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/objects", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

static void meminfo(long *slab, long *sunreclaim, long *avail)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	*slab = *sunreclaim = *avail = -1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "Slab: %ld", slab);
		sscanf(line, "SUnreclaim: %ld", sunreclaim);
		sscanf(line, "MemAvailable: %ld", avail);
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_term };
	long first[CACHES_MAX], max[CACHES_MAX], last[CACHES_MAX];
	long slab, sunr, avail, slab0, sunr0, avail0, slab_max, sunr_max, avail_min;
	unsigned long samples = 0;
	struct timespec ts;
	int i, n = argc - 2;

	if (argc < 3 || n > CACHES_MAX) {
		fprintf(stderr, "usage: stress-peak INTERVAL_MS CACHE... (at most %d)\n",
			CACHES_MAX);
		return 2;
	}
	ts.tv_sec = atol(argv[1]) / 1000;
	ts.tv_nsec = (atol(argv[1]) % 1000) * 1000000L;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (i = 0; i < n; i++)
		first[i] = max[i] = last[i] = cache_objects(argv[i + 2]);
	meminfo(&slab0, &sunr0, &avail0);
	slab_max = slab0;
	sunr_max = sunr0;
	avail_min = avail0;
	while (!stop) {
		samples++;
		for (i = 0; i < n; i++) {
			last[i] = cache_objects(argv[i + 2]);
			if (last[i] > max[i])
				max[i] = last[i];
		}
		meminfo(&slab, &sunr, &avail);
		if (slab > slab_max)
			slab_max = slab;
		if (sunr > sunr_max)
			sunr_max = sunr;
		if (avail >= 0 && avail < avail_min)
			avail_min = avail;
		nanosleep(&ts, NULL);
	}
	/* last: as things are when stopped, not a sample up to one interval old */
	for (i = 0; i < n; i++) {
		last[i] = cache_objects(argv[i + 2]);
		if (last[i] > max[i])
			max[i] = last[i];
	}
	for (i = 0; i < n; i++)
		printf("peak cache=%s first=%ld max=%ld last=%ld\n", argv[i + 2], first[i], max[i],
		       last[i]);
	printf("peak meminfo samples=%lu slab_kb_first=%ld slab_kb_max=%ld sunreclaim_kb_first=%ld "
	       "sunreclaim_kb_max=%ld memavailable_kb_first=%ld memavailable_kb_min=%ld\n",
	       samples, slab0, slab_max, sunr0, sunr_max, avail0, avail_min);
	return 0;
}
