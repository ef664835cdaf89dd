// SPDX-License-Identifier: GPL-2.0
/*
 * exec_bench.c - the relay's per-exec path on one core: WHORL_CMD_EXEC messages, built as the
 * module builds them from a stream of Sigma events (each event with a ParentImage also gets
 * its parent's exec, sent first), go through what the relay's on_exec() does: parse, the
 * process tree, the container's users and runtime state (cached), the Sigma event, every
 * rule, and a finding rendered for each match.
 *
 * Usage: exec-bench --events FILE [--seconds N] RULES...
 * Messages are rebuilt for each round with new pids outside the timed part, so the tree sees
 * new processes all along (and evicts at its cap, as a relay running for long does).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "execev.h"
#include "finding.h"
#include "json.h"
#include "scc.h"
#include "sigma.h"
#include "sigma_json.h"
#include "testlib.h"

#define MSG_MAX 8192

struct msg {
	size_t len;
	char buf[MSG_MAX];
};

static unsigned long long cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* "a b  c" as NUL-separated argv into @out; returns its length. */
static size_t split(const char *cmd, char *out, size_t size)
{
	size_t n = 0;

	for (; *cmd && n + 2 < size; cmd++) {
		if (*cmd == ' ') {
			if (n && out[n - 1])
				out[n++] = '\0';
			continue;
		}
		out[n++] = *cmd;
	}
	if (n && out[n - 1])
		out[n++] = '\0';
	return n;
}

static const char *get(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

/* One exec event of the stream as the module would send it. */
static size_t build(struct msg *m, json_object *ev, int parent, uint32_t pid, uint64_t seq)
{
	char args[1024];
	const char *image = get(ev, parent ? "ParentImage" : "Image");
	const char *cmd = get(ev, parent ? "ParentCommandLine" : "CommandLine");
	struct t_finding tf = t_exec_shell();
	size_t i = 0;

	tf.seq = seq;
	tf.pid = tf.tgid = pid;
	tf.ppid = parent ? 1 : pid - 1;
	tf.start_ns = pid * 1000ULL;
	tf.parent_start_ns = parent ? 1 : (pid - 1) * 1000ULL;
	tf.binary.path = tf.binary.fs_path = image ? image : "/bin/true";
	tf.binary.sha256_hex = NULL;
	tf.args_len = split(cmd ? cmd : tf.binary.path, args, sizeof(args));
	tf.args = args;
	tf.cwd = parent ? "/" : get(ev, "CurrentDirectory");
	tf.nenv = 0;
	tf.stdio[0] = tf.stdio[1] = (struct t_stdio){ .present = 1, .type = WHORL_STDIO_PIPE };
	if (!parent) {
		json_object_object_foreach(ev, key, val) {
			if (strncmp(key, WHORL_SIGMA_ENV_PREFIX, strlen(WHORL_SIGMA_ENV_PREFIX)) ||
			    i == T_ENV_MAX || !json_object_is_type(val, json_type_string))
				continue;
			tf.env[i].name = key + strlen(WHORL_SIGMA_ENV_PREFIX);
			tf.env[i++].value = json_object_get_string(val);
		}
		tf.nenv = i;
	}
	m->len = t_build_finding(m->buf, &tf);
	return m->len;
}

int main(int argc, char **argv)
{
	const char *events = NULL;
	struct whorl_sigma_set set = { 0 };
	struct whorl_exec_ctx ctx;
	static struct whorl_exec_result r;
	json_object **evs = NULL;
	struct msg *msgs;
	size_t nev = 0, cap = 0, nmsg, i, k;
	unsigned long long t, busy = 0, judged = 0, matches = 0, seconds = 3;
	char root[] = "/tmp/whorl-exec-bench.XXXXXX", line[65536], path[600];
	uint32_t pid = 1000;
	uint64_t seq = 1;
	FILE *in;
	int a, round;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--events") && a + 1 < argc)
			events = argv[++a];
		else if (!strcmp(argv[a], "--seconds") && a + 1 < argc)
			seconds = strtoull(argv[++a], NULL, 10);
		else if (whorl_sigma_load_path(&set, argv[a], NULL, NULL))
			return 1;
	}
	in = events ? fopen(events, "r") : NULL;
	if (!in) {
		fprintf(stderr, "usage: exec-bench --events FILE [--seconds N] RULES...\n");
		return 2;
	}
	while (fgets(line, sizeof(line), in)) {
		json_object *o = json_tokener_parse(line);

		if (!o)
			continue;
		if (nev == cap) {
			cap = cap ? 2 * cap : 1024;
			evs = realloc(evs, cap * sizeof(*evs));
			if (!evs)
				return 1;
		}
		evs[nev++] = o;
	}
	fclose(in);
	msgs = calloc(2 * nev, sizeof(*msgs));
	/* the first process's container root: its /etc/passwd is read once and cached */
	if (!msgs || !mkdtemp(root))
		return 1;
	snprintf(path, sizeof(path), "for p in 1000 1001; do mkdir -p %s/proc/$p/root/etc && "
		 "echo root:x:0:0::/:/bin/sh > %s/proc/$p/root/etc/passwd; done", root, root);
	if (system(path) || whorl_exec_init(&ctx, root, 1))
		return 1;
	for (round = 0; busy < seconds * 1000000000ULL; round++) {
		for (i = 0, nmsg = 0; i < nev; i++) {
			if (get(evs[i], "ParentImage"))
				build(&msgs[nmsg++], evs[i], 1, pid, seq++);
			pid++;
			build(&msgs[nmsg++], evs[i], 0, pid++, seq++);
		}
		t = cpu_ns();
		for (i = 0; i < nmsg; i++) {
			struct whorl_finding f;

			if (whorl_finding_parse(msgs[i].buf, msgs[i].len, &f) ||
			    whorl_exec_judge(&ctx, &set, &f, round / 8, &r))
				return 1;
			for (k = 0; k < r.nhits; k++) {
				json_object *o;

				o = whorl_rule_finding_scc(r.hits[k], &f, &r, "bench", 0);
				if (!o || !whorl_json_line(o))
					return 1;
				json_object_put(o);
			}
			matches += r.nhits;
			whorl_finding_free(&f);
		}
		busy += cpu_ns() - t;
		judged += nmsg;
	}
	printf("rules %zu, exec messages %llu (%d rounds), matches %llu, tree %zu execs "
	       "(%llu evicted)\n", set.n, judged, round, matches, ctx.tree.n,
	       (unsigned long long)ctx.tree.evicted);
	printf("throughput %.0f exec events/s on one core (%.2f us per exec: parse, tree, "
	       "Sigma event, every rule, findings)\n", judged / (busy / 1e9), busy / 1e3 / judged);
	whorl_exec_free(&ctx);
	whorl_sigma_free(&set);
	for (i = 0; i < nev; i++)
		json_object_put(evs[i]);
	free(evs);
	free(msgs);
	snprintf(path, sizeof(path), "rm -rf %s", root);
	return system(path) ? 1 : 0;
}
