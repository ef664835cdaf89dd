// SPDX-License-Identifier: GPL-2.0
/*
 * mutate.c - a large file changed while the kernel hashes it: rewritten in place, truncated,
 * or deleted and replaced, while another process keeps executing or mapping it; every state
 * the file takes is logged so the test can hash each one itself and check that the kernel
 * never reports a hash of content the file did not have.
 *
 *   stress-mutate gen SEED SIZE PREFIX|-      the content of state (SEED, SIZE) on stdout
 *   stress-mutate sparse FILE SIZE PREFIX     PREFIX's bytes, then a hole up to SIZE
 *   stress-mutate write FILE SEED SIZE PREFIX|-  state (SEED, SIZE) written over FILE in place
 *                                             (created if missing, never truncated first)
 *   stress-mutate stall FILE SEED SIZE AT     state (SEED, SIZE) written over FILE in place by one
 *                                             pwrite() that stops after AT bytes: its source
 *                                             buffer's pages from AT on are missing, held by
 *                                             userfaultfd. Prints "stalled", waits for a line on
 *                                             stdin, lets the write finish, prints "written N".
 *                                             (Needs CAP_SYS_PTRACE: run it outside containers.)
 *   stress-mutate touch map FILE TAG PREFIX|- map FILE PROT_EXEC once, say which seed it holds
 *   stress-mutate run MODE HOW FILE SIZE ROUNDS PREFIX|- [PAUSE_MS]
 *       MODE rewrite   the whole content replaced by another seed's, in place (one pwrite)
 *            truncate  cut to SIZE/2, then to 0, then written in full with the other seed,
 *                      in turn; the last round always writes it in full
 *            delete    the other seed's content written aside, the file unlinked, the new one
 *                      renamed into its place (the old inode lives on while in use)
 *       HOW  map       each touch is a new `stress-mutate touch map FILE tN PREFIX` process
 *            exec      each touch executes FILE itself (argv: FILE tN); PREFIX must be an ELF
 *       PAUSE_MS       the longest pause between two changes (default 1500; from 200 up):
 *                      about as long as the kernel takes to hash the file, so that some passes
 *                      see a change and some do not
 *
 * Content: PREFIX's bytes (an executable's head, or none), then a xorshift64* stream seeded
 * by SEED; state (SEED, SIZE) is the first SIZE bytes of that. `run` prints
 *   state seed=S size=Z         each state the file took (the first one included)
 *   touch tag=tN rc=R           each touch and its exit status
 *   final tag=final seed=S size=Z  a last touch once the file is quiet again
 *   mutate MODE HOW rounds=R busy=B   (B: writes refused, ETXTBSY, while FILE was executing)
 * `touch map` prints "touch tag=TAG seed=S size=Z" (S 0: no seed's content at its start).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SEEDS_MAX 16

static volatile sig_atomic_t stop;
static unsigned char *prefix;
static size_t prefix_len;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "stress-mutate: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t stream_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/* The first @size bytes of seed @seed's content into @buf. */
static void fill(unsigned char *buf, uint64_t seed, size_t size)
{
	uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1, v;
	size_t off = prefix_len < size ? prefix_len : size, n;

	memcpy(buf, prefix, off);
	while (off < size) {
		v = stream_next(&s);
		n = size - off < 8 ? size - off : 8;
		memcpy(buf + off, &v, n);
		off += n;
	}
}

static void load_prefix(const char *path)
{
	struct stat st;
	int fd;

	if (!strcmp(path, "-"))
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		die(path);
	prefix_len = (size_t)st.st_size;
	prefix = malloc(prefix_len);
	if (!prefix || read(fd, prefix, prefix_len) != (ssize_t)prefix_len)
		die("reading the prefix");
	close(fd);
}

static void write_all(int fd, const unsigned char *buf, size_t len, off_t off)
{
	ssize_t n;

	while (len) {
		n = pwrite(fd, buf, len, off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("pwrite");
		}
		buf += n;
		len -= (size_t)n;
		off += n;
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR && !stop)
		;
}

/* --- gen, sparse, touch --------------------------------------------------------------------- */

static int cmd_gen(uint64_t seed, size_t size)
{
	unsigned char *buf = malloc(size ? size : 1);

	if (!buf)
		die("malloc");
	fill(buf, seed, size);
	for (size_t off = 0; off < size;) {
		ssize_t n = write(1, buf + off, size - off);

		if (n < 0)
			die("write");
		off += (size_t)n;
	}
	return 0;
}

static int cmd_sparse(const char *file, off_t size)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);

	if (fd < 0)
		die(file);
	write_all(fd, prefix, prefix_len, 0);
	if (ftruncate(fd, size))
		die("ftruncate");
	return close(fd) ? 1 : 0;
}

static int cmd_write(const char *file, uint64_t seed, size_t size)
{
	unsigned char *buf = malloc(size ? size : 1);
	int fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);

	if (!buf || fd < 0)
		die(file);
	fill(buf, seed, size);
	write_all(fd, buf, size, 0);
	return close(fd) ? 1 : 0;
}

struct stalled_write {
	int fd;
	const unsigned char *buf;
	size_t size;
	ssize_t done;
	int err;
};

static void *stalled_writer(void *arg)
{
	struct stalled_write *w = arg;

	w->done = pwrite(w->fd, w->buf, w->size, 0);
	w->err = errno;
	return NULL;
}

/*
 * One write() of the whole new content that the kernel has begun (inode locked, times updated,
 * the first AT bytes copied) but cannot finish until we say so: the page of the source buffer
 * at AT is missing and userfaultfd holds the fault.
 */
static int cmd_stall(const char *file, uint64_t seed, size_t size, size_t at)
{
	long page = sysconf(_SC_PAGESIZE);
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_copy copy = { 0 };
	struct stalled_write w = { 0 };
	struct uffd_msg msg;
	struct pollfd pfd;
	unsigned char *buf, *src;
	char line[16];
	pthread_t th;
	int uffd;

	at = at / (size_t)page * (size_t)page;
	if (!at || at >= size || size % (size_t)page)
		die("stall: AT must fall inside the file, SIZE be whole pages");
	w.fd = open(file, O_WRONLY | O_CLOEXEC);
	if (w.fd < 0)
		die(file);
	src = malloc(size);
	buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!src || buf == MAP_FAILED)
		die("stall: buffers");
	/*
	 * Small pages only: a transparent huge page behind the first AT bytes would also make
	 * pages after AT present (zeros), and the write would not stall where it must.
	 */
	if (madvise(buf, size, MADV_NOHUGEPAGE) && errno != EINVAL)	/* EINVAL: no THP */
		die("stall: madvise(MADV_NOHUGEPAGE)");
	fill(src, seed, size);
	memcpy(buf, src, at);			/* present: the write gets this far */
	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api))
		die("userfaultfd");
	reg.range.start = (unsigned long)(buf + at);
	reg.range.len = size - at;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		die("UFFDIO_REGISTER");
	w.buf = buf;
	w.size = size;
	if (pthread_create(&th, NULL, stalled_writer, &w))
		die("pthread_create");
	pfd.fd = uffd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 60000) != 1 || read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		die("stall: no fault from the write");
	if (msg.arg.pagefault.address != (unsigned long)(buf + at))
		fprintf(stderr, "stress-mutate: stall: the write faulted at %llu, not at %zu\n",
			(unsigned long long)(msg.arg.pagefault.address - (unsigned long)buf), at);
	printf("stalled at %llu\n",
	       (unsigned long long)(msg.arg.pagefault.address - (unsigned long)buf));
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		fprintf(stderr, "stress-mutate: stall: stdin closed; finishing the write\n");
	/* Fill in every missing page at once: the write goes on to the end. */
	copy.dst = (unsigned long)(buf + at);
	copy.src = (unsigned long)(src + at);
	copy.len = size - at;
	if (ioctl(uffd, UFFDIO_COPY, &copy))
		die("UFFDIO_COPY");
	pthread_join(th, NULL);
	if (w.done != (ssize_t)size) {
		errno = w.err;
		die("stall: pwrite");
	}
	printf("written %zd\n", w.done);
	return close(w.fd) ? 1 : 0;
}

/* Which seed's content the file holds, from the 8 stream bytes after the prefix (0: none). */
static unsigned int seed_of(const unsigned char *p, size_t len)
{
	unsigned char want[8];
	unsigned int seed;

	if (len < prefix_len + 8)
		return 0;
	for (seed = 1; seed <= SEEDS_MAX; seed++) {
		uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1, v = stream_next(&s);

		memcpy(want, &v, 8);
		if (!memcmp(p + prefix_len, want, 8))
			return seed;
	}
	return 0;
}

static int cmd_touch_map(const char *file, const char *tag)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char head[64 * 1024];
	struct stat st;
	ssize_t n;
	void *p;
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 1;
	p = mmap(NULL, (size_t)page, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return 1;
	/* What this inode holds now: exact for files that are replaced, never rewritten. */
	if (fstat(fd, &st))
		return 1;
	n = pread(fd, head, prefix_len + 8 <= sizeof(head) ? prefix_len + 8 : 0, 0);
	printf("touch tag=%s seed=%u size=%lld\n", tag, n > 0 ? seed_of(head, (size_t)n) : 0,
	       (long long)st.st_size);
	munmap(p, (size_t)page);
	close(fd);
	return 0;
}

/* --- run ------------------------------------------------------------------------------------ */

static char self[4096];
static const char *prefix_arg = "-";

static int touch_once(const char *how, const char *file, const char *tag)
{
	char *map_argv[] = { self, "touch", "map", (char *)file, (char *)tag,
			     (char *)prefix_arg, NULL };
	char *exec_argv[] = { (char *)file, (char *)tag, NULL };
	char **argv = !strcmp(how, "map") ? map_argv : exec_argv;
	extern char **environ;
	int status;
	pid_t pid;

	if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ))
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Keep touching FILE, 50 to 250 ms apart, until SIGTERM. */
static void toucher(const char *how, const char *file)
{
	unsigned long n = 0;
	char tag[32];

	srand((unsigned int)getpid());
	while (!stop) {
		snprintf(tag, sizeof(tag), "t%lu", ++n);
		printf("touch tag=%s rc=%d\n", tag, touch_once(how, file, tag));
		sleep_ms(50 + rand() % 200);
	}
	exit(0);
}

/* Open FILE for writing; an executing file refuses (ETXTBSY) until its process is gone. */
static int open_for_write(const char *file, int flags, unsigned long *busy)
{
	int fd;

	while ((fd = open(file, O_WRONLY | O_CLOEXEC | flags, 0755)) < 0) {
		if (errno != ETXTBSY)
			die(file);
		(*busy)++;
		sleep_ms(1);
	}
	return fd;
}

static void retry_busy(int (*op)(int, off_t), int fd, off_t arg, unsigned long *busy)
{
	while (op(fd, arg)) {
		if (errno != ETXTBSY)
			die("ftruncate");
		(*busy)++;
		sleep_ms(1);
	}
}

static int cmd_run(const char *mode, const char *how, const char *file, size_t size,
		   unsigned long rounds, long pause_ms)
{
	unsigned char *content[3] = { NULL, NULL, NULL };
	unsigned long r, busy = 0;
	char tmp[4200], line[256];
	unsigned int seed = 1;
	int fds[2], status, fd;
	size_t cur = size;
	pid_t tpid;
	FILE *in;

	if (strcmp(how, "map") && strcmp(how, "exec"))
		die("HOW is map or exec");
	if (readlink("/proc/self/exe", self, sizeof(self) - 1) < 0)
		die("/proc/self/exe");
	for (seed = 1; seed <= 2; seed++) {
		content[seed] = malloc(size);
		if (!content[seed])
			die("malloc");
		fill(content[seed], seed, size);
	}
	seed = 1;
	snprintf(tmp, sizeof(tmp), "%s.new", file);
	fd = open_for_write(file, O_CREAT | O_TRUNC, &busy);
	write_all(fd, content[seed], size, 0);
	close(fd);
	printf("state seed=%u size=%zu\n", seed, size);
	fflush(stdout);

	/* The toucher's lines come back through a pipe, so that ours and its stay whole. */
	if (pipe(fds))
		die("pipe");
	tpid = fork();
	if (tpid < 0)
		die("fork");
	if (tpid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		setvbuf(stdout, NULL, _IOLBF, 0);
		toucher(how, file);
	}
	close(fds[1]);
	if (fork() == 0) {
		/* Relay the toucher's lines; the parent keeps writing the file meanwhile. */
		in = fdopen(fds[0], "r");
		while (in && fgets(line, sizeof(line), in))
			fputs(line, stdout);
		fflush(stdout);
		_exit(0);
	}
	close(fds[0]);

	srand((unsigned int)getpid() ^ (unsigned int)time(NULL));
	for (r = 1; r <= rounds && !stop; r++) {
		sleep_ms(200 + rand() % (pause_ms > 200 ? pause_ms - 200 : 1));
		if (!strcmp(mode, "rewrite")) {
			seed = 3 - seed;
			fd = open_for_write(file, 0, &busy);
			write_all(fd, content[seed], size, 0);
			close(fd);
		} else if (!strcmp(mode, "truncate")) {
			fd = open_for_write(file, 0, &busy);
			/* The last change writes it in full: the final touch needs a whole file. */
			switch (r == rounds ? 0 : r % 3) {
			case 1:
				cur = size / 2;
				retry_busy(ftruncate, fd, (off_t)cur, &busy);
				break;
			case 2:
				cur = 0;
				retry_busy(ftruncate, fd, 0, &busy);
				break;
			default:
				seed = 3 - seed;
				cur = size;
				write_all(fd, content[seed], size, 0);
				break;
			}
			close(fd);
		} else if (!strcmp(mode, "delete")) {
			seed = 3 - seed;
			fd = open_for_write(tmp, O_CREAT | O_TRUNC, &busy);
			write_all(fd, content[seed], size, 0);
			close(fd);
			if (unlink(file))
				die("unlink");
			if (rename(tmp, file))
				die("rename");
		} else {
			fprintf(stderr, "stress-mutate: unknown mode %s\n", mode);
			return 2;
		}
		printf("state seed=%u size=%zu\n", seed, cur);
		fflush(stdout);
	}
	kill(tpid, SIGTERM);
	waitpid(tpid, &status, 0);
	while (wait(&status) > 0)
		;
	/* The file is quiet now: a last touch, whose finding must carry this very state. */
	sleep_ms(500);
	status = touch_once(how, file, "final");
	printf("final tag=final seed=%u size=%zu rc=%d\n", seed, cur, status);
	printf("mutate %s %s rounds=%lu busy=%lu\n", mode, how, rounds, busy);
	return status ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_term };

	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGTERM, &sa, NULL);
	if (argc == 5 && !strcmp(argv[1], "gen")) {
		load_prefix(argv[4]);
		return cmd_gen(strtoull(argv[2], NULL, 10), strtoull(argv[3], NULL, 10));
	}
	if (argc == 5 && !strcmp(argv[1], "sparse")) {
		load_prefix(argv[4]);
		return cmd_sparse(argv[2], (off_t)strtoull(argv[3], NULL, 10));
	}
	if (argc == 6 && !strcmp(argv[1], "stall"))
		return cmd_stall(argv[2], strtoull(argv[3], NULL, 10), strtoull(argv[4], NULL, 10),
				 strtoull(argv[5], NULL, 10));
	if (argc == 6 && !strcmp(argv[1], "write")) {
		load_prefix(argv[5]);
		return cmd_write(argv[2], strtoull(argv[3], NULL, 10), strtoull(argv[4], NULL, 10));
	}
	if (argc == 6 && !strcmp(argv[1], "touch") && !strcmp(argv[2], "map")) {
		load_prefix(argv[5]);
		return cmd_touch_map(argv[3], argv[4]);
	}
	if ((argc == 8 || argc == 9) && !strcmp(argv[1], "run")) {
		prefix_arg = argv[7];
		load_prefix(argv[7]);
		return cmd_run(argv[2], argv[3], argv[4], strtoull(argv[5], NULL, 10),
			       strtoul(argv[6], NULL, 10), argc == 9 ? atol(argv[8]) : 1500);
	}
	fprintf(stderr, "usage: see the top of tests/stress/src/mutate.c\n");
	return 2;
}
