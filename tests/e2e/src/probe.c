// SPDX-License-Identifier: GPL-2.0
/*
 * probe.c - the end-to-end tests' hands inside a container: map a file
 * executable (or not), add PROT_EXEC later, dlopen a library, run an ELF
 * from a memfd. Shipped in the image's top layer, so it is image software.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static int fail(const char *what, const char *file)
{
	fprintf(stderr, "probe: %s %s: %s\n", what, file, strerror(errno));
	return 1;
}

static int map_file(const char *file, int prot, int add_exec_later)
{
	struct stat st;
	void *p;
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fail("open", file);
	if (fstat(fd, &st) < 0)
		return fail("fstat", file);
	p = mmap(NULL, (size_t)st.st_size, prot, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return fail("mmap", file);
	if (add_exec_later &&
	    mprotect(p, (size_t)st.st_size, PROT_READ | PROT_EXEC) < 0)
		return fail("mprotect", file);
	printf("probe: mapped %s (%lld bytes)%s\n", file, (long long)st.st_size,
	       prot & PROT_EXEC || add_exec_later ? " executable" : "");
	munmap(p, (size_t)st.st_size);
	close(fd);
	return 0;
}

static int memfd_exec(const char *file, char **argv)
{
	char buf[65536];
	ssize_t n;
	int in = open(file, O_RDONLY | O_CLOEXEC);
	int mfd;

	if (in < 0)
		return fail("open", file);
	mfd = memfd_create("payload", 0);
	if (mfd < 0)
		return fail("memfd_create", file);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(mfd, buf, (size_t)n) != n)
			return fail("write", "memfd");
	if (n < 0)
		return fail("read", file);
	close(in);
	fexecve(mfd, argv, environ);
	return fail("fexecve", file);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (argc < 3) {
		fprintf(stderr,
			"usage: probe mmap-exec|mmap-read|mprotect-exec|dlopen FILE\n"
			"       probe memfd-exec FILE [ARG...]\n");
		return 2;
	}
	if (!strcmp(cmd, "mmap-exec"))
		return map_file(argv[2], PROT_READ | PROT_EXEC, 0);
	if (!strcmp(cmd, "mmap-read"))
		return map_file(argv[2], PROT_READ, 0);
	if (!strcmp(cmd, "mprotect-exec"))
		return map_file(argv[2], PROT_READ, 1);
	if (!strcmp(cmd, "dlopen")) {
		if (!dlopen(argv[2], RTLD_NOW)) {
			fprintf(stderr, "probe: dlopen %s: %s\n", argv[2], dlerror());
			return 1;
		}
		printf("probe: loaded %s\n", argv[2]);
		return 0;
	}
	if (!strcmp(cmd, "memfd-exec"))
		return memfd_exec(argv[2], argv + 2);
	fprintf(stderr, "probe: unknown command %s\n", cmd);
	return 2;
}
