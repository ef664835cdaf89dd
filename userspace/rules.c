// SPDX-License-Identifier: GPL-2.0
/* rules.c - the 'whorl rules' command: check Sigma rules, match events, measure throughput. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules.h"
#include "sigma.h"
#include "sigma_json.h"

#define EXIT_USAGE 2
/* The benchmark replays the events until this much time has passed (or --rounds). */
#define BENCH_MIN_NS 2000000000ULL

const char whorl_rules_usage[] =
	"Usage: whorl rules check DIR|FILE...\n"
	"       whorl rules match DIR|FILE... [--events FILE]\n"
	"       whorl rules bench DIR|FILE... --events FILE [--rounds N]\n"
	"Sigma rules (logsource process_creation, product linux; docs/SIGMA.md), from every\n"
	"*.yml and *.yaml under each DIR.\n"
	"\n"
	"  check   load the rules; print 'FILE:LINE: reason' per refused rule and 'N loaded,\n"
	"          M refused'; exit 1 if any was refused\n"
	"  match   read exec events, one JSON object per line (keys: the rules' field names),\n"
	"          from FILE or standard input; print one JSON line per match (the rule, its\n"
	"          severity and MITRE ATT&CK ids, the event); refused rules are reported on\n"
	"          standard error and the others used\n"
	"  bench   replay the events of FILE through every rule, on one core, and print how\n"
	"          many events per second were judged (N rounds; default: as many as fit in 2 s)\n";

static void print_refused(void *ctx, const char *msg)
{
	fprintf(ctx, "%s\n", msg);
}

/* Load every path of @paths into @set; refused rules go to @out. Return: 0 or -1. */
static int load_all(struct whorl_sigma_set *set, char **paths, int n, FILE *out)
{
	int i;

	for (i = 0; i < n; i++) {
		if (whorl_sigma_load_path(set, paths[i], print_refused, out)) {
			fprintf(stderr, "whorl: out of memory loading rules\n");
			return -1;
		}
	}
	return 0;
}

struct events {
	json_object **obj;
	struct whorl_sigma_json_event *ev;
	size_t n, cap;
};

static void events_free(struct events *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		json_object_put(e->obj[i]);
	free(e->obj);
	free(e->ev);
}

/* Parse one line into an event; Return: 1 an event, 0 blank or comment, -1 bad (reported). */
static int parse_line(const char *name, size_t lineno, char *line, json_object **obj,
		      struct whorl_sigma_json_event *ev)
{
	char err[WHORL_SIGMA_JSON_ERR_MAX];
	enum json_tokener_error jerr;
	size_t len = strlen(line);

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (!len || line[strspn(line, " \t")] == '#' || !line[strspn(line, " \t")])
		return 0;
	*obj = json_tokener_parse_verbose(line, &jerr);
	if (!*obj) {
		fprintf(stderr, "%s:%zu: not JSON: %s\n", name, lineno,
			json_tokener_error_desc(jerr));
		return -1;
	}
	if (whorl_sigma_event_from_json(*obj, ev, err)) {
		fprintf(stderr, "%s:%zu: %s\n", name, lineno, err);
		json_object_put(*obj);
		*obj = NULL;
		return -1;
	}
	return 1;
}

static FILE *open_events(const char *path)
{
	FILE *f;

	if (!path || !strcmp(path, "-"))
		return stdin;
	f = fopen(path, "r");
	if (!f)
		fprintf(stderr, "whorl: %s: %s\n", path, strerror(errno));
	return f;
}

static int cmd_check(char **paths, int n)
{
	struct whorl_sigma_set set = { 0 };
	int ret;

	ret = load_all(&set, paths, n, stdout);
	printf("%zu loaded, %zu refused\n", set.n, set.refused);
	ret = ret ? 1 : set.refused ? 1 : 0;
	whorl_sigma_free(&set);
	return fflush(stdout) ? 1 : ret;
}

static int print_matches(struct whorl_sigma_set *set, json_object *obj,
			 const struct whorl_sigma_event *ev)
{
	const struct whorl_sigma_meta **hits;
	json_object *o;
	long k, i;

	hits = calloc(set->n ? set->n : 1, sizeof(*hits));
	if (!hits)
		return -1;
	k = whorl_sigma_match(set, ev, hits, set->n);
	for (i = 0; i < k; i++) {
		o = whorl_sigma_match_json(hits[i], obj);
		if (!o) {
			k = -1;
			break;
		}
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	}
	free(hits);
	return k < 0 ? -1 : 0;
}

static int cmd_match(char **paths, int n, const char *events)
{
	struct whorl_sigma_set set = { 0 };
	struct whorl_sigma_json_event ev;
	const char *name = events && strcmp(events, "-") ? events : "<stdin>";
	size_t cap = 0, lineno = 0;
	json_object *obj;
	char *line = NULL;
	int ret = 0, r;
	FILE *in;

	if (load_all(&set, paths, n, stderr)) {
		whorl_sigma_free(&set);
		return 1;
	}
	fprintf(stderr, "whorl: rules: %zu loaded, %zu refused\n", set.n, set.refused);
	in = open_events(events);
	if (!in) {
		whorl_sigma_free(&set);
		return 1;
	}
	while (getline(&line, &cap, in) >= 0) {
		r = parse_line(name, ++lineno, line, &obj, &ev);
		if (r < 0)
			ret = 1;
		if (r <= 0)
			continue;
		if (print_matches(&set, obj, &ev.ev)) {
			fprintf(stderr, "whorl: out of memory\n");
			ret = 1;
		}
		json_object_put(obj);
	}
	free(line);
	if (in != stdin)
		fclose(in);
	whorl_sigma_free(&set);
	return fflush(stdout) ? 1 : ret;
}

static int read_events(const char *path, struct events *e)
{
	size_t cap = 0, lineno = 0, i;
	char *line = NULL;
	void *p;
	int ret = 0, r;
	FILE *in = open_events(path);

	if (!in)
		return -1;
	while (!ret && getline(&line, &cap, in) >= 0) {
		if (e->n == e->cap) {
			e->cap = e->cap ? e->cap * 2 : 256;
			p = realloc(e->obj, e->cap * sizeof(*e->obj));
			if (p)
				e->obj = p;
			p = p ? realloc(e->ev, e->cap * sizeof(*e->ev)) : NULL;
			if (!p) {
				ret = -1;
				break;
			}
			e->ev = p;
		}
		r = parse_line(path, ++lineno, line, &e->obj[e->n], &e->ev[e->n]);
		if (r < 0)
			ret = -1;
		else if (r > 0)
			e->n++;
	}
	free(line);
	if (in != stdin)
		fclose(in);
	/* each event's env points into its own struct, which realloc may have moved */
	for (i = 0; i < e->n; i++)
		e->ev[i].ev.env = e->ev[i].env;
	return ret;
}

static unsigned long long now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmd_bench(char **paths, int n, const char *events, unsigned long rounds)
{
	struct whorl_sigma_set set = { 0 };
	struct events e = { 0 };
	unsigned long long t0, cpu0, wall, cpu, judged = 0, matches = 0;
	unsigned long r;
	size_t i;
	long k;
	int ret = 1;

	if (load_all(&set, paths, n, stderr) || read_events(events, &e))
		goto out;
	if (!e.n) {
		fprintf(stderr, "whorl: %s: no events\n", events);
		goto out;
	}
	t0 = now_ns(CLOCK_MONOTONIC);
	cpu0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
	for (r = 0; rounds ? r < rounds : now_ns(CLOCK_MONOTONIC) - t0 < BENCH_MIN_NS; r++) {
		for (i = 0; i < e.n; i++) {
			k = whorl_sigma_match(&set, &e.ev[i].ev, NULL, 0);
			if (k < 0)
				goto out;
			matches += k;
		}
		judged += e.n;
	}
	wall = now_ns(CLOCK_MONOTONIC) - t0;
	cpu = now_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
	printf("rules %zu (refused %zu), events %zu x %lu rounds = %llu, matches %llu\n",
	       set.n, set.refused, e.n, r, judged, matches);
	printf("throughput %.0f events/s on one core "
	       "(%.3f s CPU, %.3f s wall, %.2f us per event)\n",
	       judged / (cpu / 1e9), cpu / 1e9, wall / 1e9, cpu / 1e3 / judged);
	ret = 0;
out:
	events_free(&e);
	whorl_sigma_free(&set);
	return fflush(stdout) ? 1 : ret;
}

int whorl_rules_main(int argc, char **argv)
{
	const char *events = NULL;
	unsigned long rounds = 0;
	char **paths, *end;
	int i, n = 0, ret;

	if (argc < 2) {
		fprintf(stderr, "%s", whorl_rules_usage);
		return EXIT_USAGE;
	}
	paths = calloc(argc, sizeof(*paths));
	if (!paths)
		return 1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("%s", whorl_rules_usage);
			free(paths);
			return 0;
		}
	}
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--events") || !strcmp(argv[i], "--rounds")) {
			if (i + 1 == argc) {
				fprintf(stderr, "whorl: %s needs a value\n%s", argv[i],
					whorl_rules_usage);
				free(paths);
				return EXIT_USAGE;
			}
			if (argv[i][2] == 'e') {
				events = argv[++i];
				continue;
			}
			errno = 0;
			rounds = strtoul(argv[++i], &end, 10);
			if (errno || *end || end == argv[i] || !rounds) {
				fprintf(stderr, "whorl: bad --rounds '%s'\n", argv[i]);
				free(paths);
				return EXIT_USAGE;
			}
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "whorl: unknown option '%s'\n%s", argv[i],
				whorl_rules_usage);
			free(paths);
			return EXIT_USAGE;
		} else {
			paths[n++] = argv[i];
		}
	}
	ret = EXIT_USAGE;
	if (!n)
		fprintf(stderr, "whorl: rules %s needs at least one DIR or FILE\n%s", argv[1],
			whorl_rules_usage);
	else if (!strcmp(argv[1], "check") && !events && !rounds)
		ret = cmd_check(paths, n);
	else if (!strcmp(argv[1], "match") && !rounds)
		ret = cmd_match(paths, n, events);
	else if (!strcmp(argv[1], "bench") && events)
		ret = cmd_bench(paths, n, events, rounds);
	else
		fprintf(stderr, "whorl: bad 'rules %s' command line\n%s", argv[1],
			whorl_rules_usage);
	free(paths);
	return ret;
}
