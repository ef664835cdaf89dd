// SPDX-License-Identifier: GPL-2.0
/*
 * evil.c - a harmless stand-in for a malicious preload library: its
 * constructor only announces that it ran.
 */
#include <stdio.h>

__attribute__((constructor)) static void evil_init(void)
{
	fputs("libsystemd-shim: constructor ran\n", stderr);
}

int evil_marker(void)
{
	return 42;
}
