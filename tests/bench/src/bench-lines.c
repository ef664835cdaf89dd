// SPDX-License-Identifier: GPL-2.0
/*
 * bench-lines.c - timestamp each JSON finding as it arrives from the relay.
 *
 *   whorl relay --format json | bench-lines [RAW]
 *
 * For every line read on standard input, takes CLOCK_REALTIME as soon as the line is complete
 * and prints "<read ns> <eventTime ns>" (eventTime, the finding's CLOCK_REALTIME at the hook,
 * parsed from its RFC 3339 form; 0 when the line has none). Each line itself is appended to
 * RAW, if given. Output is flushed per line.
 */
#include "bench-common.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static uint64_t event_ns(const char *line)
{
	const char *p = strstr(line, "\"eventTime\"");
	unsigned y, mo, d, h, mi, s, ns;

	if (!p)
		return 0;
	p = strchr(p + 11, '"');
	if (!p || sscanf(p + 1, "%4u-%2u-%2uT%2u:%2u:%2u.%9uZ", &y, &mo, &d, &h, &mi, &s, &ns) != 7)
		return 0;
	return (uint64_t)((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s)) *
		       1000000000u + ns;
}

int main(int argc, char **argv)
{
	FILE *raw = NULL;
	char *line = NULL;
	size_t cap = 0;
	uint64_t now;

	if (argc > 1 && !(raw = fopen(argv[1], "a")))
		bench_die(argv[1]);
	while (getline(&line, &cap, stdin) > 0) {
		now = bench_ns(CLOCK_REALTIME);
		printf("%llu %llu\n", (unsigned long long)now, (unsigned long long)event_ns(line));
		fflush(stdout);
		if (raw) {
			fputs(line, raw);
			fflush(raw);
		}
	}
	free(line);
	return 0;
}
