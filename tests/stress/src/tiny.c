// SPDX-License-Identifier: GPL-2.0
/*
 * tiny.c - the cheapest program to exec, so that an exec storm measures the
 * exec path and not a C library's start-up: no libc, exit(0) at once.
 * Built -static -nostdlib; its ELF is also the head of the stress tests'
 * large and sparse executables (anything after its segments is ignored).
 */

void _start(void);

void _start(void)
{
	__asm__ volatile("mov $60, %eax\n\t"	/* SYS_exit */
			 "xor %edi, %edi\n\t"
			 "syscall");
	__builtin_unreachable();
}
