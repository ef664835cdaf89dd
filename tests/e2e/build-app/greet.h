/* SPDX-License-Identifier: GPL-2.0 */
#ifndef GREET_H
#define GREET_H
int greet(const char *who, char *out, unsigned long size);
#endif
