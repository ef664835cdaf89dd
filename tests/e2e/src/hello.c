// SPDX-License-Identifier: GPL-2.0
/*
 * hello.c - a benign program an operator might copy into a container; also
 * the body of the tool-name rule tests (its hash is in no intel set).
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');

	printf("%s: hello from a benign tool (%d args)\n",
	       name ? name + 1 : argv[0], argc - 1);
	return 0;
}
