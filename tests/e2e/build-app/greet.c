// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include "greet.h"

int greet(const char *who, char *out, unsigned long size)
{
	return snprintf(out, size, "hello, %s", who);
}
