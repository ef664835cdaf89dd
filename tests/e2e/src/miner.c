// SPDX-License-Identifier: GPL-2.0
/*
 * miner.c - a harmless stand-in for a cryptominer dropped into containers:
 * it prints the pool it would join and exits.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("kworkerd: would connect to stratum+tcp://pool.invalid:3333 (%d args)\n",
	       argc - 1);
	(void)argv;
	return 0;
}
