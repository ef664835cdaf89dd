// SPDX-License-Identifier: GPL-2.0
/*
 * storm.c - the stress tests' load inside a container: an exec storm, an
 * executable-mapping storm, and a burst of distinct new binaries released at
 * one instant.
 *
 *   stress-storm exec COUNT PROGRAM        spawn PROGRAM and reap it, COUNT times
 *   stress-storm mmap COUNT FILE           mmap FILE PROT_EXEC and munmap it, COUNT times
 *   stress-storm mixed EXECS PROGRAM MMAPS FILE
 *                                          both at once (the mappings in a child process);
 *                                          each prints a "reached" line at its count and goes
 *                                          on until SIGTERM, so that one storm serves a counted
 *                                          phase and the churn after it
 *   stress-storm burst COUNT DIR TEMPLATE  write COUNT distinct copies of TEMPLATE in DIR
 *                                          (each with its own trailer, so each is new content
 *                                          and a new inode), fork one waiting child per copy
 *                                          (renamed stress-armed), print "armed" on stderr,
 *                                          release them all on SIGUSR1 and reap them
 *   stress-storm mburst COUNT DIR TEMPLATE the same copies, mapped PROT_EXEC one after another
 *                                          by this process once SIGUSR1 comes ("armed" first)
 *   stress-storm --nice=N MODE ...         the same at nice N (storms that must not starve
 *                                          what the test does meanwhile)
 *
 * COUNT 0 means "until SIGTERM". Each loop prints "storm KIND done=N ok=N failed=N ms=N max_us=N"
 * when it ends (KIND exec, mmap, burst), "mixed" also "storm KIND reached done=N ..." at its
 * count; the exit status is 0 only when every operation succeeded and each count was reached.
 * A failure's reason goes to stderr once per kind (errno), not once per operation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop, go;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_go(int sig)
{
	(void)sig;
	go = 1;
}

static uint64_t now_us(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

struct tally {
	const char *mode;
	unsigned long done, ok, failed;
	uint64_t started, max_us;
	int last_errno;
};

static void fail(struct tally *t, const char *what, int err)
{
	t->failed++;
	if (err != t->last_errno) {
		fprintf(stderr, "storm %s: %s: %s\n", t->mode, what, strerror(err));
		t->last_errno = err;
	}
}

static void print_tally(struct tally *t, const char *what)
{
	printf("storm %s %sdone=%lu ok=%lu failed=%lu ms=%llu max_us=%llu\n", t->mode, what,
	       t->done, t->ok, t->failed,
	       (unsigned long long)((now_us(CLOCK_MONOTONIC) - t->started) / 1000),
	       (unsigned long long)t->max_us);
	fflush(stdout);
}

/* After each operation: at the count, either stop or (@go_on) say so and go on. */
static int at_count(struct tally *t, unsigned long count, int go_on)
{
	if (!count || t->done != count)
		return 0;
	if (go_on)
		print_tally(t, "reached ");
	return !go_on;
}

static int report(struct tally *t, unsigned long count)
{
	printf("storm %s done=%lu ok=%lu failed=%lu ms=%llu max_us=%llu\n", t->mode, t->done,
	       t->ok, t->failed,
	       (unsigned long long)((now_us(CLOCK_MONOTONIC) - t->started) / 1000),
	       (unsigned long long)t->max_us);
	fflush(stdout);
	if (t->failed || (count && t->done < count) || !t->done)
		return 1;
	return 0;
}

static void lap(struct tally *t, uint64_t since)
{
	uint64_t d = now_us(CLOCK_MONOTONIC) - since;

	if (d > t->max_us)
		t->max_us = d;
}

static int storm_exec(unsigned long count, const char *prog, int go_on)
{
	struct tally t = { .mode = "exec", .started = now_us(CLOCK_MONOTONIC) };
	char *argv[] = { (char *)prog, NULL };
	char *envp[] = { NULL };
	int status, err;
	pid_t pid;

	while (!stop) {
		uint64_t t0 = now_us(CLOCK_MONOTONIC);

		t.done++;
		err = posix_spawn(&pid, prog, NULL, NULL, argv, envp);
		if (err) {
			fail(&t, "posix_spawn", err);
		} else {
			status = 0;
			while (waitpid(pid, &status, 0) < 0) {
				if (errno != EINTR) {
					fail(&t, "waitpid", errno);
					break;
				}
			}
			lap(&t, t0);
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				t.ok++;
			else
				fail(&t, "child did not exit 0", ECHILD);
		}
		if (at_count(&t, count, go_on))
			break;
	}
	return report(&t, count);
}

static int storm_mmap(unsigned long count, const char *file, int go_on)
{
	struct tally t = { .mode = "mmap", .started = now_us(CLOCK_MONOTONIC) };
	long page = sysconf(_SC_PAGESIZE);
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	void *p;

	if (fd < 0) {
		fail(&t, file, errno);
		return report(&t, count);
	}
	while (!stop) {
		uint64_t t0 = now_us(CLOCK_MONOTONIC);

		t.done++;
		/* One page is enough: the hook sees the file, whatever the length. */
		p = mmap(NULL, (size_t)page, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			fail(&t, "mmap", errno);
		else if (munmap(p, (size_t)page))
			fail(&t, "munmap", errno);
		else
			t.ok++;
		lap(&t, t0);
		if (at_count(&t, count, go_on))
			break;
	}
	close(fd);
	return report(&t, count);
}

/* TEMPLATE's bytes and a trailer naming this copy: new content, a new file. */
static int write_copy(const char *path, const void *tmpl, size_t len, const char *trailer)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	size_t tl = strlen(trailer);

	if (fd < 0)
		return -1;
	if (write(fd, tmpl, len) != (ssize_t)len || write(fd, trailer, tl) != (ssize_t)tl) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Both storms; the mappings in a child, which ends when we do. */
static int storm_mixed(unsigned long execs, const char *prog, unsigned long mmaps,
		       const char *file)
{
	int status = 0, rc;
	pid_t child = fork();

	if (child < 0) {
		perror("stress-storm: fork");
		return 1;
	}
	if (child == 0)
		_exit(storm_mmap(mmaps, file, 1));
	rc = storm_exec(execs, prog, 1);
	kill(child, SIGTERM);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	return rc || !WIFEXITED(status) || WEXITSTATUS(status);
}

/* COUNT distinct copies of TEMPLATE in DIR: DIR/b00000... Return: 0, or -1 with @t failed. */
static int make_copies(struct tally *t, unsigned long count, const char *dir,
		       const char *tmpl_path)
{
	unsigned char nonce[8];
	char path[4096], trailer[128];
	unsigned long i;
	struct stat st;
	void *tmpl;
	int fd;

	fd = open(tmpl_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		fail(t, tmpl_path, errno);
		return -1;
	}
	tmpl = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (tmpl == MAP_FAILED) {
		fail(t, "mmap template", errno);
		return -1;
	}
	if (getrandom(nonce, sizeof(nonce), 0) != (ssize_t)sizeof(nonce)) {
		fail(t, "getrandom", errno);
		return -1;
	}
	if (mkdir(dir, 0755) && errno != EEXIST) {
		fail(t, dir, errno);
		return -1;
	}
	for (i = 0; i < count; i++) {
		snprintf(path, sizeof(path), "%s/b%05lu", dir, i);
		snprintf(trailer, sizeof(trailer),
			 "\nwhorl-stress burst %02x%02x%02x%02x%02x%02x%02x%02x %lu\n", nonce[0],
			 nonce[1], nonce[2], nonce[3], nonce[4], nonce[5], nonce[6], nonce[7], i);
		if (write_copy(path, tmpl, (size_t)st.st_size, trailer)) {
			fail(t, path, errno);
			return -1;
		}
	}
	munmap(tmpl, (size_t)st.st_size);
	return 0;
}

/* Wait for SIGUSR1 (blocked in @old's complement until then, so that none is lost). */
static void wait_go(const sigset_t *old)
{
	while (!go && !stop)
		sigsuspend(old);
}

/* The copies mapped PROT_EXEC one after another by this process, as soon as released. */
static int storm_mburst(unsigned long count, const char *dir, const char *tmpl_path)
{
	struct tally t = { .mode = "mburst", .started = now_us(CLOCK_MONOTONIC) };
	long page = sysconf(_SC_PAGESIZE);
	sigset_t block, old;
	char path[4096];
	unsigned long i;
	uint64_t t0;
	void *p;
	int fd;

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (make_copies(&t, count, dir, tmpl_path))
		return report(&t, count);
	fprintf(stderr, "storm mburst: %lu files armed\n", count);
	wait_go(&old);
	t.started = now_us(CLOCK_MONOTONIC);
	for (i = 0; i < count; i++) {
		t0 = now_us(CLOCK_MONOTONIC);
		t.done++;
		snprintf(path, sizeof(path), "%s/b%05lu", dir, i);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fail(&t, path, errno);
			continue;
		}
		p = mmap(NULL, (size_t)page, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			fail(&t, "mmap", errno);
		} else {
			munmap(p, (size_t)page);
			t.ok++;
		}
		close(fd);
		lap(&t, t0);
	}
	return report(&t, count);
}

static int storm_burst(unsigned long count, const char *dir, const char *tmpl_path)
{
	struct tally t = { .mode = "burst", .started = now_us(CLOCK_MONOTONIC) };
	char path[4096];
	int fds[2], status;
	unsigned long i, forked = 0;
	sigset_t block, old;
	uint64_t release;
	pid_t pid;

	if (make_copies(&t, count, dir, tmpl_path))
		return report(&t, count);
	if (pipe2(fds, O_CLOEXEC)) {
		fail(&t, "pipe", errno);
		return report(&t, count);
	}
	/* SIGUSR1 is taken in sigsuspend() only: none is lost before we wait for it. */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	/* One child per copy, each blocked on the pipe: closing it releases all at once. */
	for (i = 0; i < count; i++) {
		pid = fork();
		if (pid < 0) {
			fail(&t, "fork", errno);
			break;
		}
		if (pid == 0) {
			char c, *argv[2] = { path, NULL }, *envp[] = { NULL };

			/* not a storm any more: the test signals storms by name */
			prctl(PR_SET_NAME, "stress-armed");
			sigprocmask(SIG_SETMASK, &old, NULL);
			close(fds[1]);
			while (read(fds[0], &c, 1) < 0 && errno == EINTR)
				;
			snprintf(path, sizeof(path), "%s/b%05lu", dir, i);
			execve(path, argv, envp);
			_exit(127);
		}
		forked++;
	}
	fprintf(stderr, "storm burst: %lu children armed\n", forked);
	wait_go(&old);
	release = now_us(CLOCK_MONOTONIC);
	close(fds[1]);
	while (t.done < forked) {
		pid = wait(&status);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			fail(&t, "wait", errno);
			break;
		}
		t.done++;
		lap(&t, release);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			t.ok++;
		else
			fail(&t, "exec of a new binary did not exit 0", ECHILD);
	}
	t.started = release;
	return report(&t, count);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_term }, sg = { .sa_handler = on_go };
	unsigned long count;

	if (argc > 1 && !strncmp(argv[1], "--nice=", 7)) {
		errno = 0;
		if (nice(atoi(argv[1] + 7)) == -1 && errno)
			perror("stress-storm: nice");
		argv++;
		argc--;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: stress-storm [--nice=N] exec|mmap COUNT FILE\n"
				"       stress-storm [--nice=N] mixed EXECS PROGRAM MMAPS FILE\n"
				"       stress-storm [--nice=N] burst|mburst COUNT DIR TEMPLATE\n");
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sg, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	count = strtoul(argv[2], NULL, 10);
	if (!strcmp(argv[1], "exec"))
		return storm_exec(count, argv[3], 0);
	if (!strcmp(argv[1], "mmap"))
		return storm_mmap(count, argv[3], 0);
	if (!strcmp(argv[1], "mixed") && argc == 6)
		return storm_mixed(count, argv[3], strtoul(argv[4], NULL, 10), argv[5]);
	if (!strcmp(argv[1], "burst") && argc == 5)
		return storm_burst(count, argv[3], argv[4]);
	if (!strcmp(argv[1], "mburst") && argc == 5)
		return storm_mburst(count, argv[3], argv[4]);
	fprintf(stderr, "stress-storm: unknown mode %s\n", argv[1]);
	return 2;
}
