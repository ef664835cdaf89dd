// SPDX-License-Identifier: GPL-2.0
/* bench-nop.c - the smallest program: what the exec benchmarks start, over and over. */

int main(void)
{
	return 0;
}
