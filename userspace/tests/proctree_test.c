// SPDX-License-Identifier: GPL-2.0
/*
 * proctree_test.c - the process tree: lineages from exec events, where they stop, the LRU's
 * bounds, processes seeded from a /proc fixture, hostile events claiming to be their own
 * ancestors, reclaiming processes that are gone.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "proctree.h"
#include "testlib.h"

#define CT_A "aaaa"
#define CT_B "bbbb"

static struct whorl_proctree tree;

static int setup(void **state)
{
	(void)state;
	return whorl_proctree_init(&tree, 0, 0);
}

static int teardown(void **state)
{
	(void)state;
	whorl_proctree_free(&tree);
	return 0;
}

/*
 * Exec number @seq of process @pid (started at @pid seconds after boot) running @path, made
 * by exec @pseq of process @ppid, in container @ct.
 */
static struct whorl_proc *exec_of(uint32_t pid, uint64_t seq, const char *path, uint32_t ppid,
				  uint64_t pseq, const char *ct)
{
	char *args[] = { (char *)path, (char *)"-c", (char *)"x" };
	struct whorl_finding f = {
		.has_tgid = 1, .tgid = pid, .has_ppid = 1, .ppid = ppid,
		.has_start = 1, .start_ns = pid * 1000000000ULL + 17,
		.has_exec_seq = 1, .exec_seq = seq,
		.has_parent_start = 1, .parent_start_ns = ppid * 1000000000ULL + 17,
		.has_parent_exec_seq = 1, .parent_exec_seq = pseq,
		.binary = { .present = 1, .path = (char *)path },
		.args = args, .nargs = 3, .container_id = (char *)ct, .exec = 1,
	};

	return whorl_proctree_add(&tree, &f, 1);
}

static void lineage_names_ancestors_parent_first(void **state)
{
	struct whorl_proc *p, *out[WHORL_LINEAGE_MAX];
	size_t n;

	(void)state;
	exec_of(100, 1, "/usr/bin/containerd-shim-runc-v2", 1, 1, NULL);
	exec_of(101, 1, "/sbin/tini", 100, 1, CT_A);
	exec_of(102, 1, "/usr/bin/python3", 101, 1, CT_A);
	exec_of(103, 1, "/bin/bash", 102, 1, CT_A);
	exec_of(104, 1, "/bin/sh", 103, 1, CT_A);
	exec_of(105, 1, "/usr/bin/curl", 104, 1, CT_A);
	p = exec_of(106, 1, "/bin/nc", 105, 1, CT_A);
	n = whorl_proctree_lineage(&tree, p, out, WHORL_LINEAGE_MAX, 2);
	/* five generations, up to the container's init; the shim is the host's */
	assert_int_equal(n, 5);
	assert_string_equal(out[0]->image, "/usr/bin/curl");
	assert_string_equal(out[1]->image, "/bin/sh");
	assert_string_equal(out[4]->image, "/sbin/tini");
	assert_int_equal(out[0]->args_len, strlen("/usr/bin/curl -c x") + 1);
	assert_int_equal(whorl_proctree_lineage(&tree, p, out, 2, 2), 2);
}

static void lineage_stops_at_another_container_and_host_init(void **state)
{
	struct whorl_proc *p, *out[WHORL_LINEAGE_MAX];

	(void)state;
	exec_of(1, 1, "/sbin/init", 0, 0, NULL);
	exec_of(200, 1, "/bin/sh", 1, 1, CT_B);
	exec_of(201, 1, "/bin/sh", 200, 1, CT_B);
	p = exec_of(202, 1, "/bin/id", 201, 1, CT_A);
	assert_int_equal(whorl_proctree_lineage(&tree, p, out, WHORL_LINEAGE_MAX, 2), 0);
	p = exec_of(203, 1, "/bin/id", 201, 1, CT_B);
	/* 201 and 200 are the container's; the host's pid 1 ends it */
	assert_int_equal(whorl_proctree_lineage(&tree, p, out, WHORL_LINEAGE_MAX, 2), 2);
}

/* A shell that exec'd again since: the child names the exec that made it, not the latest. */
static void parent_is_the_exec_that_made_the_child(void **state)
{
	struct whorl_proc *p, *out[WHORL_LINEAGE_MAX];

	(void)state;
	exec_of(300, 1, "/bin/sh", 0, 0, CT_A);
	exec_of(300, 2, "/usr/bin/env", 0, 0, CT_A);
	exec_of(300, 3, "/usr/bin/python3", 0, 0, CT_A);
	p = exec_of(301, 1, "/bin/ls", 300, 2, CT_A);
	assert_int_equal(whorl_proctree_lineage(&tree, p, out, 1, 2), 1);
	assert_string_equal(out[0]->image, "/usr/bin/env");
	/* an exec of the parent not seen (seq 5): the latest known before it */
	p = exec_of(302, 1, "/bin/ls", 300, 5, CT_A);
	assert_int_equal(whorl_proctree_lineage(&tree, p, out, 1, 2), 1);
	assert_string_equal(out[0]->image, "/usr/bin/python3");
}

static void hostile_cycles_end(void **state)
{
	struct whorl_proc *p, *out[WHORL_LINEAGE_MAX];

	(void)state;
	/* its own parent */
	p = exec_of(400, 1, "/bin/sh", 400, 1, CT_A);
	assert_int_equal(whorl_proctree_lineage(&tree, p, out, WHORL_LINEAGE_MAX, 2), 0);
	/* two claiming each other */
	exec_of(401, 1, "/bin/a", 402, 1, CT_A);
	p = exec_of(402, 1, "/bin/b", 401, 1, CT_A);
	assert_int_equal(whorl_proctree_lineage(&tree, p, out, WHORL_LINEAGE_MAX, 2), 1);
	assert_string_equal(out[0]->image, "/bin/a");
	/* a longer loop: 403 -> 404 -> 405 -> 403 */
	exec_of(403, 1, "/bin/x", 405, 1, CT_A);
	exec_of(404, 1, "/bin/y", 403, 1, CT_A);
	p = exec_of(405, 1, "/bin/z", 404, 1, CT_A);
	assert_int_equal(whorl_proctree_lineage(&tree, p, out, WHORL_LINEAGE_MAX, 2), 2);
}

static void lru_evicts_the_least_recently_used_at_the_cap(void **state)
{
	struct whorl_proctree small;
	struct whorl_proc *p, *out[WHORL_LINEAGE_MAX];
	char *args[] = { (char *)"x" };
	struct whorl_finding f = {
		.has_tgid = 1, .has_start = 1, .has_exec_seq = 1, .exec_seq = 1,
		.binary = { .present = 1, .path = (char *)"/bin/x" }, .args = args, .nargs = 1,
		.has_ppid = 1, .has_parent_start = 1, .has_parent_exec_seq = 1,
		.parent_exec_seq = 1,
	};
	uint32_t pid;

	(void)state;
	assert_int_equal(whorl_proctree_init(&small, 4, 0), 0);
	for (pid = 1000; pid < 1004; pid++) {
		f.tgid = pid;
		f.start_ns = pid * 1000000000ULL;
		f.ppid = pid - 1;
		f.parent_start_ns = (pid - 1) * 1000000000ULL;
		assert_non_null(whorl_proctree_add(&small, &f, pid));
	}
	assert_int_equal(small.n, 4);
	/* using 1000 (as 1001's ancestor) makes 1001 the least recently used */
	p = whorl_proctree_find(&small, 1001, 1001 * 1000000000ULL, 1);
	assert_int_equal(whorl_proctree_lineage(&small, p, out, 1, 2000), 1);
	f.tgid = 1004;
	f.start_ns = 1004 * 1000000000ULL;
	assert_non_null(whorl_proctree_add(&small, &f, 2001));
	assert_int_equal(small.n, 4);
	assert_int_equal(small.evicted, 1);
	assert_null(whorl_proctree_find(&small, 1001, 1001 * 1000000000ULL, 1));
	assert_non_null(whorl_proctree_find(&small, 1000, 1000 * 1000000000ULL, 1));
	whorl_proctree_free(&small);
}

static void lru_evicts_past_the_byte_cap(void **state)
{
	struct whorl_proctree small;
	char arg[900], *args[] = { arg };
	struct whorl_finding f = {
		.has_tgid = 1, .has_start = 1, .has_exec_seq = 1, .exec_seq = 1,
		.args = args, .nargs = 1,
	};
	uint32_t pid;

	(void)state;
	memset(arg, 'a', sizeof(arg) - 1);
	arg[sizeof(arg) - 1] = '\0';
	assert_int_equal(whorl_proctree_init(&small, 100, 4096), 0);
	for (pid = 1; pid <= 20; pid++) {
		f.tgid = pid;
		f.start_ns = pid;
		assert_non_null(whorl_proctree_add(&small, &f, pid));
		assert_true(small.bytes <= 4096);
	}
	assert_true(small.n < 5);
	assert_true(small.evicted > 15);
	whorl_proctree_free(&small);
}

/*
 * The default bounds hold 100,000 live processes, each with a path and a command line of a
 * container workload's length (140 bytes together), none evicted; make bench measures
 * their memory.
 */
static void defaults_hold_100000_live_processes(void **state)
{
	char *args[] = { (char *)"/usr/bin/python3", (char *)"-m", (char *)"gunicorn",
			 (char *)"--workers=4", (char *)"--bind=0.0.0.0:8080",
			 (char *)"--access-logfile=-", (char *)"app.wsgi:application" };
	struct whorl_finding f = {
		.has_tgid = 1, .has_start = 1, .has_exec_seq = 1, .exec_seq = 1,
		.binary = { .present = 1, .path = (char *)"/usr/local/lib/python3.11/bin/python3" },
		.args = args, .nargs = 7, .container_id = (char *)CT_A, .exec = 1,
	};
	uint32_t pid;

	(void)state;
	for (pid = 1; pid <= 100000; pid++) {
		f.tgid = pid + 100;
		f.start_ns = pid * 1000000ULL;
		assert_non_null(whorl_proctree_add(&tree, &f, 1));
	}
	assert_int_equal(tree.n, 100000);
	assert_int_equal(tree.evicted, 0);
	assert_true(tree.bytes <= WHORL_PROCTREE_BYTES);
	assert_non_null(whorl_proctree_find(&tree, 101, 1000000ULL, 1));
}

/* A /proc tree of three processes under a temporary root: a shim, a shell, a python. */
static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void fake_proc(const char *root, uint32_t pid, uint32_t ppid, uint64_t ticks,
		      const char *comm, const char *exe, const char *cmdline, size_t cmdlen)
{
	char path[512], stat[512];

	snprintf(path, sizeof(path), "%s/proc/%u", root, pid);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(stat, sizeof(stat), "%u (%s) S %u %u %u 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
		 "%llu 1000 100 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n",
		 pid, comm, ppid, pid, pid, (unsigned long long)ticks);
	snprintf(path, sizeof(path), "%s/proc/%u/stat", root, pid);
	write_file(path, stat, strlen(stat));
	snprintf(path, sizeof(path), "%s/proc/%u/cmdline", root, pid);
	write_file(path, cmdline, cmdlen);
	if (exe) {
		snprintf(path, sizeof(path), "%s/proc/%u/exe", root, pid);
		assert_int_equal(symlink(exe, path), 0);
	}
}

static void seeded_processes_are_found_by_their_start_tick(void **state)
{
	char root[] = "/tmp/whorl-proctree.XXXXXX", path[512];
	struct whorl_proc *p, *out[WHORL_LINEAGE_MAX];
	uint64_t tick = tree.ns_per_tick;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/proc", root);
	assert_int_equal(mkdir(path, 0755), 0);
	fake_proc(root, 2000, 1, 500, "containerd-shim", "/usr/bin/containerd-shim-runc-v2",
		  "containerd-shim\0-id\0x\0", 22);
	fake_proc(root, 2001, 2000, 600, "sh", "/bin/busybox", "sh\0-c\0sleep 1d; x\0", 19);
	/* a comm with a space and a parenthesis: it ends at the last ')' */
	fake_proc(root, 2002, 2001, 700, "py (x) y", "/usr/bin/python3.11",
		  "python3\0app.py\0", 15);
	fake_proc(root, 2, 0, 1, "kthreadd", NULL, "", 0);	/* a kernel thread */
	assert_int_equal(whorl_proctree_seed(&tree, root, 1), 3);
	p = whorl_proctree_find(&tree, 2002, 700 * tick + tick - 1, 9);
	assert_non_null(p);
	assert_string_equal(p->comm, "py (x) y");
	assert_int_equal(p->ppid, 2001);

	/* an exec of a child of the python, sent with nanoseconds within the tick */
	{
		char *args[] = { (char *)"sh" };
		struct whorl_finding f = {
			.has_tgid = 1, .tgid = 2003, .has_ppid = 1, .ppid = 2002,
			.has_start = 1, .start_ns = 800 * tick + 5,
			.has_exec_seq = 1, .exec_seq = 1,
			.has_parent_start = 1, .parent_start_ns = 700 * tick + tick / 2,
			.has_parent_exec_seq = 1, .parent_exec_seq = 1,
			.binary = { .present = 1, .path = (char *)"/bin/sh" },
			.args = args, .nargs = 1, .container_id = (char *)CT_A, .exec = 1,
		};

		p = whorl_proctree_add(&tree, &f, 1);
	}
	assert_int_equal(whorl_proctree_lineage(&tree, p, out, WHORL_LINEAGE_MAX, 2), 2);
	assert_string_equal(out[0]->image, "/usr/bin/python3.11");
	assert_int_equal(out[0]->args_len, 15);
	assert_string_equal(out[1]->image, "/bin/busybox");
	/* the shim is the host's: not in the lineage */

	/* gone after the idle time: 2002 removed from the fixture, the others still run */
	snprintf(path, sizeof(path), "rm -rf '%s/proc/2002'", root);
	assert_int_equal(system(path), 0);
	assert_int_equal(whorl_proctree_sweep(&tree, root, 2 + WHORL_PROCTREE_IDLE_S, 100), 2);
	/* 2002 and the 2003 exec (no /proc entry) went; the shell and the shim stay */
	assert_null(whorl_proctree_find(&tree, 2002, 700 * tick, 0));
	assert_non_null(whorl_proctree_find(&tree, 2001, 600 * tick, 0));
	assert_int_equal(tree.n, 2);
	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	assert_int_equal(system(path), 0);
}

static void stat_parses_comm_with_spaces_and_refuses_garbage(void **state)
{
	char root[] = "/tmp/whorl-proctree.XXXXXX", path[512], comm[16];
	uint32_t ppid;
	uint64_t ticks;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/proc", root);
	assert_int_equal(mkdir(path, 0755), 0);
	fake_proc(root, 7, 3, 12345, "a) b (c", "/x", "x", 1);
	assert_int_equal(whorl_proc_stat(root, 7, &ppid, &ticks, comm), 0);
	assert_int_equal(ppid, 3);
	assert_int_equal(ticks, 12345);
	assert_string_equal(comm, "a) b (c");
	snprintf(path, sizeof(path), "%s/proc/7/stat", root);
	write_file(path, "7 (x) S", 7);
	assert_int_equal(whorl_proc_stat(root, 7, &ppid, &ticks, comm), -1);
	assert_int_equal(whorl_proc_stat(root, 8, &ppid, &ticks, comm), -1);
	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	assert_int_equal(system(path), 0);
}

static void args_join_with_single_spaces(void **state)
{
	char out[8];

	(void)state;
	whorl_args_join("sh\0-c\0x\0", 7, out, sizeof(out));
	assert_string_equal(out, "sh -c x");
	whorl_args_join("abcdefghij", 10, out, sizeof(out));
	assert_string_equal(out, "abcdefg");
	whorl_args_join("", 0, out, sizeof(out));
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(lineage_names_ancestors_parent_first, setup,
						teardown),
		cmocka_unit_test_setup_teardown(lineage_stops_at_another_container_and_host_init,
						setup, teardown),
		cmocka_unit_test_setup_teardown(parent_is_the_exec_that_made_the_child, setup,
						teardown),
		cmocka_unit_test_setup_teardown(hostile_cycles_end, setup, teardown),
		cmocka_unit_test(lru_evicts_the_least_recently_used_at_the_cap),
		cmocka_unit_test(lru_evicts_past_the_byte_cap),
		cmocka_unit_test_setup_teardown(defaults_hold_100000_live_processes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(seeded_processes_are_found_by_their_start_tick,
						setup, teardown),
		cmocka_unit_test(stat_parses_comm_with_spaces_and_refuses_garbage),
		cmocka_unit_test(args_join_with_single_spaces),
	};

	return cmocka_run_group_tests_name("proctree", tests, NULL, NULL);
}
