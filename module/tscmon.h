/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by the parts of tscmon.ko. Each part has one .c file:
 * main.c (load and unload), debugfs.c (the files), idle.c (the cpu_idle
 * probe).
 */
#ifndef TSCMON_H
#define TSCMON_H

#include <linux/types.h>

#include "compat.h"

/* Bumped when a debugfs file, key or column changes meaning (docs/debugfs.md). */
#define TSCMON_ABI	1

struct dentry;
struct seq_file;

/* idle.c */
int tscmon_idle_start(void);
void tscmon_idle_stop(void);
u64 tscmon_idle_entries(unsigned int cpu);

/* debugfs.c */
int tscmon_debugfs_create(void);
void tscmon_debugfs_remove(void);

#endif /* TSCMON_H */
