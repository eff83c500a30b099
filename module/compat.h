/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels tscmon builds against lives here, so
 * that the .c files carry no version tests. Each shim names the release that
 * changed the interface; feature tests come before version tests.
 */
#ifndef TSCMON_COMPAT_H
#define TSCMON_COMPAT_H

#include <linux/version.h>

#ifndef CONFIG_X86
#error "tscmon reads the x86 Time Stamp Counter and builds only for x86"
#endif

#if KERNEL_VERSION(6, 1, 0) > LINUX_VERSION_CODE
#error "tscmon needs Linux 6.1 or later"
#endif

#endif /* TSCMON_COMPAT_H */
