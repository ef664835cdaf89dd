// SPDX-License-Identifier: GPL-2.0
/*
 * fusestall.c - a hostile FUSE server for the adversary suite: it serves one
 * executable file and takes every READ request off /dev/fuse without ever
 * answering it. A reader then waits for ever, a killed one too (FUSE only lets
 * go of a request its server has not taken). That is what a container given
 * /dev/fuse can do to whatever reads its files: whorl's worker among them.
 *
 *   fusestall PID MNT NAME SIZE
 *       open /dev/fuse here, enter the mount namespace of PID (a container's
 *       process), mount the filesystem on MNT there, and serve: MNT/NAME is a
 *       regular file of SIZE bytes, mode 0755, whose content never comes.
 *       Runs until killed; killing it aborts the connection (and every read
 *       waiting on it fails).
 *
 * Static, raw /dev/fuse protocol (<linux/fuse.h>): INIT, LOOKUP, GETATTR,
 * OPEN, FLUSH, RELEASE answered; READ taken and dropped; FORGET and
 * INTERRUPT need no answer; anything else is ENOSYS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define FILE_NODE	2
#define BUF_SIZE	(FUSE_MIN_READ_BUFFER + (1 << 20))

static int fuse_fd;
static const char *file_name;
static unsigned long long file_size;
static unsigned long long reads_taken;

static int fail(const char *what, const char *arg)
{
	fprintf(stderr, "fusestall: %s %s: %s\n", what, arg, strerror(errno));
	return 1;
}

static void reply(uint64_t unique, int error, const void *body, size_t len)
{
	struct fuse_out_header h = {
		.len = (uint32_t)(sizeof(h) + (error ? 0 : len)),
		.error = error,
		.unique = unique,
	};
	struct iovec iov[2] = {
		{ .iov_base = &h, .iov_len = sizeof(h) },
		{ .iov_base = (void *)body, .iov_len = error ? 0 : len },
	};

	/* the kernel may have dropped the request meanwhile (ENOENT): nothing to do */
	if (writev(fuse_fd, iov, 2) < 0 && errno != ENOENT)
		fprintf(stderr, "fusestall: reply %llu: %s\n", (unsigned long long)unique,
			strerror(errno));
}

static void fill_attr(uint64_t node, struct fuse_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->ino = node;
	a->nlink = 1;
	a->blksize = 4096;
	if (node == FUSE_ROOT_ID) {
		a->mode = S_IFDIR | 0755;
		a->nlink = 2;
	} else {
		a->mode = S_IFREG | 0755;
		a->size = file_size;
		a->blocks = (file_size + 511) / 512;
	}
}

static void serve(const struct fuse_in_header *in, const char *arg)
{
	switch (in->opcode) {
	case FUSE_INIT: {
		const struct fuse_init_in *ii = (const void *)arg;
		struct fuse_init_out o = {
			.major = FUSE_KERNEL_VERSION,
			.minor = ii->minor < FUSE_KERNEL_MINOR_VERSION ? ii->minor :
				 FUSE_KERNEL_MINOR_VERSION,
			.max_readahead = ii->max_readahead,
			.max_write = 1 << 20,
			.max_background = 16,
			.congestion_threshold = 12,
			/* no FUSE_ASYNC_READ: a read is a request its reader waits for */
		};
		reply(in->unique, 0, &o, sizeof(o));
		return;
	}
	case FUSE_LOOKUP: {
		struct fuse_entry_out o;

		if (in->nodeid != FUSE_ROOT_ID || strcmp(arg, file_name)) {
			reply(in->unique, -ENOENT, NULL, 0);
			return;
		}
		memset(&o, 0, sizeof(o));
		o.nodeid = FILE_NODE;
		o.entry_valid = 3600;
		o.attr_valid = 3600;
		fill_attr(FILE_NODE, &o.attr);
		reply(in->unique, 0, &o, sizeof(o));
		return;
	}
	case FUSE_GETATTR: {
		struct fuse_attr_out o;

		memset(&o, 0, sizeof(o));
		o.attr_valid = 3600;
		fill_attr(in->nodeid, &o.attr);
		reply(in->unique, 0, &o, sizeof(o));
		return;
	}
	case FUSE_OPEN: {
		struct fuse_open_out o = { .fh = 1 };

		reply(in->unique, 0, &o, sizeof(o));
		return;
	}
	case FUSE_READ:
		/* taken, never answered */
		reads_taken++;
		fprintf(stderr, "fusestall: read %llu taken, never to be answered\n", reads_taken);
		return;
	case FUSE_FLUSH:
	case FUSE_RELEASE:
		reply(in->unique, 0, NULL, 0);
		return;
	case FUSE_FORGET:
	case FUSE_BATCH_FORGET:
	case FUSE_INTERRUPT:
		return;
	default:
		reply(in->unique, -ENOSYS, NULL, 0);
		return;
	}
}

int main(int argc, char **argv)
{
	char opts[128], ns[64];
	static char buf[BUF_SIZE];
	ssize_t n;
	int nsfd;

	if (argc != 5) {
		fprintf(stderr, "usage: fusestall PID MNT NAME SIZE\n");
		return 64;
	}
	file_name = argv[3];
	file_size = strtoull(argv[4], NULL, 0);
	fuse_fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fuse_fd < 0)
		return fail("open", "/dev/fuse");
	snprintf(ns, sizeof(ns), "/proc/%s/ns/mnt", argv[1]);
	nsfd = open(ns, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0)
		return fail("open", ns);
	if (setns(nsfd, CLONE_NEWNS) < 0)
		return fail("setns", ns);
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other",
		 fuse_fd);
	if (mount("fusestall", argv[2], "fuse", MS_NOSUID | MS_NODEV, opts) < 0)
		return fail("mount fuse on", argv[2]);
	fprintf(stderr, "fusestall: serving %s/%s (%llu bytes) in pid %s's mounts\n", argv[2],
		file_name, file_size, argv[1]);
	for (;;) {
		n = read(fuse_fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			if (errno == ENODEV)	/* unmounted */
				return 0;
			return fail("read", "/dev/fuse");
		}
		if ((size_t)n < sizeof(struct fuse_in_header))
			continue;
		buf[n < (ssize_t)sizeof(buf) ? n : (ssize_t)sizeof(buf) - 1] = '\0';
		serve((const struct fuse_in_header *)buf,
		      buf + sizeof(struct fuse_in_header));
	}
}
