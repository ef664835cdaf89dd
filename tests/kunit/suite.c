// SPDX-License-Identifier: GPL-2.0
/*
 * suite.c - whorl_kunit.ko: the KUnit suites of whorl's components, run
 * against the functions of the loaded whorl.ko (exported to this module
 * only on kernels built with KUnit).
 */

#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for whorl");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
