// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include "greet.h"
#include "version.h"

int main(int argc, char **argv)
{
	char line[128];

	if (greet(argc > 1 ? argv[1] : "world", line, sizeof(line)) < 0)
		return 1;
	printf("%s (greet %s)\n", line, GREET_VERSION);
	return 0;
}
