/* SPDX-License-Identifier: GPL-2.0 */
/* readfull.h - reading a file the relay was handed whole, whatever read(2) returns at a time. */
#ifndef WHORL_READFULL_H
#define WHORL_READFULL_H

#include <stddef.h>

/*
 * whorl_read_full - read from @fd into @buf until @len bytes, end of file or an error
 * (EINTR is retried). Return: the bytes read; an error ends the read like end of file.
 */
size_t whorl_read_full(int fd, char *buf, size_t len);

#endif /* WHORL_READFULL_H */
