// SPDX-License-Identifier: GPL-2.0
/* readfull.c - see readfull.h. */
#include <errno.h>
#include <unistd.h>

#include "readfull.h"

size_t whorl_read_full(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}
