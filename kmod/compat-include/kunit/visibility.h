/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Found only where the target tree has no <kunit/visibility.h> (before 6.2,
 * e.g. 5.10): Kbuild puts this directory after the kernel's (-idirafter).
 * What the kernel's header would define comes from compat.h.
 */
