/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/cpuinfo: vendor, family, model, TSC-relevant flags, bogomips. */
#ifndef TSCMON_CPUINFO_H
#define TSCMON_CPUINFO_H

#include <stdbool.h>
#include "util.h"

/* The flags tscmon cares about, as bits of cpuinfo.flags. */
enum cpu_flag {
	CF_TSC,
	CF_CONSTANT_TSC,
	CF_NONSTOP_TSC,
	CF_TSC_RELIABLE,
	CF_TSC_KNOWN_FREQ,
	CF_TSC_ADJUST,
	CF_RDTSCP,
	CF_HYPERVISOR,
	CF_COUNT
};

extern const char *const cpuinfo_flag_names[CF_COUNT];

#define CPUINFO_PKG_MAP 1024
#define CPUINFO_MAX_PKGS 256

struct cpuinfo {
	bool valid;            /* at least one processor entry parsed */
	int nr_cpus;           /* processor entries seen */
	char vendor[32];       /* vendor_id of the first processor */
	int family, model, stepping; /* -1 if not given */
	char model_name[96];
	double bogomips;       /* first processor, 0 if not given */
	unsigned flags_all;    /* bit set: flag present on every processor */
	unsigned flags_any;    /* bit set: flag present on some processor */
	/* Packages: distinct "physical id" values; -1 if none given. */
	int packages;
	/* The package of processor N (N < CPUINFO_PKG_MAP), -1 unknown. */
	short pkg_of[CPUINFO_PKG_MAP];
};

/* Parse TEXT; returns 0, or -1 with a reason in WHY. */
int cpuinfo_parse(const char *text, struct cpuinfo *ci, char *why);
/* The package of processor CPU, or -1. */
int cpuinfo_package(const struct cpuinfo *ci, int64_t cpu);
bool cpuinfo_has(const struct cpuinfo *ci, enum cpu_flag f);
bool cpuinfo_is_intel(const struct cpuinfo *ci);
bool cpuinfo_is_amd(const struct cpuinfo *ci);

#endif
