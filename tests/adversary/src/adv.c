// SPDX-License-Identifier: GPL-2.0
/*
 * adv.c - the attacker's hands inside a container, for the adversary suite:
 * the few system calls an evasion needs that the image's coreutils lack.
 * Static, so that it runs in any container root.
 *
 *   adv setxattr PATH NAME          set an (empty) extended attribute
 *   adv rename FROM TO              rename FROM over TO (mv, which the image lacks)
 *   adv mount-tmpfs DIR             mount a tmpfs on DIR (an emptyDir volume)
 *   adv selfmap                     map this program's own file executable
 *   adv map PATH [SECONDS]          map PATH executable (a library load), then
 *                                   stay SECONDS with it mapped
 *   adv grow PATH SIZE              extend PATH to SIZE bytes (sparse: free)
 *   adv nsenter-host PROGRAM [ARG...]
 *                                   enter the mount namespace of pid 1 (the host's,
 *                                   from a hostPID container), run PROGRAM there
 *   adv chroot-host PROGRAM [ARG...]
 *                                   chroot into /proc/1/root, run PROGRAM there
 *   adv flood DIR COUNT SIZE SECONDS
 *                                   make COUNT files of SIZE bytes in DIR, then for
 *                                   SECONDS change and map each executable in turn:
 *                                   every mapping is new content to hash
 *   adv churn PATH SECONDS          append to PATH without pause, for SECONDS
 *   adv exec-after-failures BAD N PROGRAM [ARG...]
 *                                   execve BAD (which fails: ENOEXEC) N times in
 *                                   this one task, then execve PROGRAM
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int fail(const char *what, const char *arg)
{
	fprintf(stderr, "adv: %s %s: %s\n", what, arg, strerror(errno));
	/* 2: the kernel or filesystem refuses the attack itself (tests may skip on it) */
	return errno == EOPNOTSUPP || errno == ENOTSUP ? 2 : 1;
}

static int map_exec(const char *path, unsigned int linger)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fail("open", path);
	if (fstat(fd, &st) < 0)
		return fail("fstat", path);
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return fail("mmap", path);
	printf("adv: mapped %s executable\n", path);
	fflush(stdout);
	sleep(linger);
	munmap(p, (size_t)st.st_size);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "exec-after-failures")) {
		char *bad[] = { argv[2], NULL };
		int n = atoi(argv[3]);

		while (n-- > 0)
			if (execve(argv[2], bad, environ) == 0 || errno != ENOEXEC)
				return fail("execve (expected ENOEXEC)", argv[2]);
		execve(argv[4], argv + 4, environ);
		return fail("execve", argv[4]);
	}
	if (argc == 4 && !strcmp(argv[1], "setxattr")) {
		if (setxattr(argv[2], argv[3], "", 0, 0) < 0)
			return fail("setxattr", argv[3]);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "rename")) {
		if (rename(argv[2], argv[3]) < 0)
			return fail("rename onto", argv[3]);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "mount-tmpfs")) {
		if (mount("vol", argv[2], "tmpfs", 0, "mode=0755") < 0)
			return fail("mount tmpfs on", argv[2]);
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "nsenter-host")) {
		int fd = open("/proc/1/ns/mnt", O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			return fail("open", "/proc/1/ns/mnt");
		if (setns(fd, CLONE_NEWNS) < 0)
			return fail("setns", "/proc/1/ns/mnt");
		if (chdir("/") < 0)
			return fail("chdir", "/");
		execv(argv[2], argv + 2);
		return fail("execv", argv[2]);
	}
	if (argc >= 3 && !strcmp(argv[1], "chroot-host")) {
		if (chroot("/proc/1/root") < 0)
			return fail("chroot", "/proc/1/root");
		if (chdir("/") < 0)
			return fail("chdir", "/");
		execv(argv[2], argv + 2);
		return fail("execv", argv[2]);
	}
	if (argc == 4 && !strcmp(argv[1], "grow")) {
		if (truncate(argv[2], atoll(argv[3])) < 0)
			return fail("truncate", argv[2]);
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "flood")) {
		int count = atoi(argv[3]), i, fd;
		size_t size = (size_t)atol(argv[4]);
		time_t end = time(NULL) + atoi(argv[5]);
		char path[4096], *buf = calloc(1, size);
		unsigned long maps = 0;
		void *p;

		if (!buf || count < 1 || size < 16)
			return fail("flood", "arguments");
		for (i = 0; i < count; i++) {
			snprintf(path, sizeof(path), "%s/f%d.so", argv[2], i);
			fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
			if (fd < 0 || write(fd, buf, size) != (ssize_t)size)
				return fail("write", path);
			close(fd);
		}
		while (time(NULL) < end) {
			for (i = 0; i < count; i++) {
				snprintf(path, sizeof(path), "%s/f%d.so", argv[2], i);
				fd = open(path, O_RDWR | O_CLOEXEC);
				if (fd < 0)
					return fail("open", path);
				/* new content, so that the mapping is hashed anew */
				if (pwrite(fd, &maps, sizeof(maps), 0) != sizeof(maps))
					return fail("pwrite", path);
				p = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
				if (p == MAP_FAILED)
					return fail("mmap", path);
				munmap(p, size);
				close(fd);
				maps++;
			}
		}
		printf("adv: flood: %lu mappings\n", maps);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "churn")) {
		int fd = open(argv[2], O_WRONLY | O_APPEND | O_CLOEXEC);
		time_t end = time(NULL) + atoi(argv[3]);

		if (fd < 0)
			return fail("open", argv[2]);
		while (time(NULL) < end)
			if (write(fd, "x", 1) != 1)
				return fail("write", argv[2]);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "selfmap"))
		return map_exec("/proc/self/exe", 0);
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "map"))
		return map_exec(argv[2], argc == 4 ? (unsigned int)atoi(argv[3]) : 0);
	fprintf(stderr, "usage: adv setxattr PATH NAME | rename FROM TO | mount-tmpfs DIR | selfmap | map PATH\n");
	return 64;
}
