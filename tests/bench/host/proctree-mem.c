// SPDX-License-Identifier: GPL-2.0
/*
 * proctree-mem.c - the relay's process tree holding N live processes: its memory, natively.
 *
 *   proctree-mem [-a BYTES] N EVENTS.jsonl...
 *
 * Reads exec events (JSON lines of Sigma fields, as `whorl rules match` reads them) for their
 * Image and CommandLine, then records N distinct execs in a tree with the relay's own bounds
 * (whorl_proctree_init(t, 0, 0): WHORL_PROCTREE_MAX, WHORL_PROCTREE_BYTES), each a new process
 * (its own pid and start time; its parent the exec before it, as a shell's children are) whose
 * path and argv are the next event's, cycling through them, so the lengths are the events'. All
 * stay live: nothing is swept. -a adds to each argv one more argument of BYTES bytes (the
 * tree cuts argv at WHORL_PROC_STR_MAX): long command lines, where the byte bound evicts. Prints, as `# bench KEY VALUE` lines:
 *   tree.n, tree.evicted     execs the tree holds, and evicted to stay under its bounds
 *   tree.bytes               the tree's own accounting (nodes and strings)
 *   tree.rss_bytes           VmRSS after minus before (the tree made after "before", the events
 *                            read before it; the bucket array included)
 *   tree.hwm_bytes           the same for VmHWM (the peak)
 *   tree.str_bytes           the strings the execs carried, path + argv, on average per exec
 *   tree.max, tree.max_bytes the bounds
 *   tree.add_ns              CPU time per exec recorded
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proctree.h"

struct ev {
	char *image;
	char *args[64];
	size_t nargs;
};

/* VmRSS or VmHWM of this process, in bytes. */
static long long vm(const char *key)
{
	char line[256];
	long long kb = -1;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			kb = strtoll(line + n + 1, NULL, 10);
	fclose(f);
	return kb * 1024;
}

static const char *field(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

/* CommandLine split at spaces into @e's argv (kept in one string of its own). */
static void split(struct ev *e, const char *cmd)
{
	char *s = strdup(cmd), *save = NULL, *a;

	if (!s)
		exit(1);
	for (a = strtok_r(s, " ", &save); a && e->nargs < 64; a = strtok_r(NULL, " ", &save))
		e->args[e->nargs++] = a;
}

int main(int argc, char **argv)
{
	static struct whorl_proctree t;
	struct ev *evs = NULL;
	size_t nev = 0, cap = 0, i, k;
	unsigned long n;
	unsigned long long strs = 0, t0, t1;
	long long rss0, hwm0, rss1, hwm1;
	struct timespec ts;
	char line[65536], *pad = NULL;
	int a = 1;

	if (argc > 2 && !strcmp(argv[1], "-a")) {
		size_t len = strtoul(argv[2], NULL, 10);

		pad = malloc(len + 1);
		if (!pad)
			return 1;
		memset(pad, 'x', len);
		pad[len] = '\0';
		a = 3;
	}
	if (argc - a < 2) {
		fprintf(stderr, "usage: proctree-mem [-a BYTES] N EVENTS.jsonl...\n");
		return 2;
	}
	n = strtoul(argv[a], NULL, 10);
	for (a++; a < argc; a++) {
		FILE *in = fopen(argv[a], "r");

		if (!in) {
			perror(argv[a]);
			return 1;
		}
		while (fgets(line, sizeof(line), in)) {
			json_object *o = json_tokener_parse(line);
			const char *img = o ? field(o, "Image") : NULL, *cmd;

			if (!img) {
				json_object_put(o);
				continue;
			}
			if (nev == cap) {
				cap = cap ? 2 * cap : 256;
				evs = realloc(evs, cap * sizeof(*evs));
				if (!evs)
					return 1;
			}
			memset(&evs[nev], 0, sizeof(evs[nev]));
			evs[nev].image = strdup(img);
			cmd = field(o, "CommandLine");
			split(&evs[nev], cmd ? cmd : img);
			if (pad)
				evs[nev].args[evs[nev].nargs < 64 ? evs[nev].nargs++ : 63] = pad;
			nev++;
			json_object_put(o);
		}
		fclose(in);
	}
	if (!nev || !n) {
		fprintf(stderr, "proctree-mem: no events, or N is 0\n");
		return 1;
	}
	rss0 = vm("VmRSS");
	hwm0 = vm("VmHWM");
	if (whorl_proctree_init(&t, 0, 0))
		return 1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	t0 = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	for (i = 0; i < n; i++) {
		struct ev *e = &evs[i % nev];
		struct whorl_finding f = {
			.has_tgid = 1, .tgid = (uint32_t)(1000 + i), .has_ppid = 1,
			.ppid = (uint32_t)(999 + i), .has_start = 1,
			.start_ns = 1000000000ULL + i * 1000003ULL,
			.has_exec_seq = 1, .exec_seq = 1, .has_parent_start = 1,
			.parent_start_ns = 1000000000ULL + (i ? i - 1 : 0) * 1000003ULL,
			.has_parent_exec_seq = 1, .parent_exec_seq = 1,
			.binary = { .present = 1, .path = e->image },
			.args = e->args, .nargs = e->nargs,
			.container_id = (char *)"bench", .exec = 1,
		};

		if (!whorl_proctree_add(&t, &f, 1)) {
			fprintf(stderr, "proctree-mem: out of memory at %zu\n", i);
			return 1;
		}
		strs += strlen(e->image) + 1;
		for (k = 0; k < e->nargs; k++)
			strs += strlen(e->args[k]) + 1;
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	t1 = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	rss1 = vm("VmRSS");
	hwm1 = vm("VmHWM");
	printf("# bench tree.n %zu\n", t.n);
	printf("# bench tree.evicted %llu\n", (unsigned long long)t.evicted);
	printf("# bench tree.bytes %zu\n", t.bytes);
	printf("# bench tree.rss_bytes %lld\n", rss1 - rss0);
	printf("# bench tree.hwm_bytes %lld\n", hwm1 - hwm0);
	printf("# bench tree.str_bytes %llu\n", strs / n);
	printf("# bench tree.max %zu\n", t.max);
	printf("# bench tree.max_bytes %zu\n", t.max_bytes);
	printf("# bench tree.add_ns %llu\n", (t1 - t0) / n);
	printf("# bench-info tree.events %zu events, cycled\n", nev);
	whorl_proctree_free(&t);
	return 0;
}
