// SPDX-License-Identifier: GPL-2.0
/*
 * bench-intel.c - write an intel file of N distinct SHA-256 hashes, as a large feed looks.
 *
 *   bench-intel N > FILE
 *
 * The digests are SplitMix64 output, 256 bits each: like real digests, uniform and distinct,
 * and none is the hash of a file the benchmark runs. Labels cycle through 16 names, as a feed
 * of a few malware families would.
 */
#include "bench-common.h"

static uint64_t state = 0x5eedb0a710ull;

static uint64_t splitmix64(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int main(int argc, char **argv)
{
	static char out[1 << 16];
	unsigned long n, i;
	int k;

	if (argc != 2) {
		fprintf(stderr, "usage: bench-intel N\n");
		return 2;
	}
	n = bench_number(argv[1], "N");
	setvbuf(stdout, out, _IOFBF, sizeof(out));
	printf("# whorl benchmark feed: %lu generated SHA-256 digests\n", n);
	for (i = 0; i < n; i++) {
		for (k = 0; k < 4; k++)
			printf("%016llx", (unsigned long long)splitmix64());
		printf(" malicious bench-family-%lu\n", i % 16);
	}
	return fflush(stdout) ? 1 : 0;
}
