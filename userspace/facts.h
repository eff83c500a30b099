/* SPDX-License-Identifier: GPL-2.0 */
/* Everything tscmon read about one machine, and what follows directly. */
#ifndef TSCMON_FACTS_H
#define TSCMON_FACTS_H

#include <stdbool.h>
#include "cmdline.h"
#include "cpuinfo.h"
#include "klog.h"
#include "module.h"
#include "sysfs.h"
#include "util.h"

struct facts {
	struct arena *a;
	const char *root;      /* "/" when live */
	bool live;
	struct strlist notes;  /* inputs not available, with the reason */
	struct cpuinfo cpu;    /* cpu.valid tells */
	struct cmdline cl;     /* cl.valid tells */
	struct klog log;       /* log.valid tells */
	struct module_data mod;
	struct sysfs_data sys;
	/* Derived */
	bool guest;
	const char *hypervisor;      /* name, or NULL */
	struct strlist guest_evidence;
	const char *cpuid_signature; /* hypervisor CPUID leaf, if known */
};

/* Read every input under ROOT (NULL or "/" for the live system). */
void facts_collect(struct arena *a, const char *root, struct facts *f);
/*
 * What follows from the inputs once they are in F: host or guest, and the
 * log lines whose family depends on it. facts_collect() ends with it; a
 * caller that fills F from buffers (the fuzz tests) calls it itself.
 */
void facts_derive(struct facts *f);
/* "AuthenticAMD family 15 (0xf) model 65 (0x41)" or "unknown CPU". */
const char *facts_cpu_desc(const struct facts *f);
/* 1 constant_tsc on all CPUs, 0 missing, -1 cpuinfo not available. */
int facts_constant_tsc(const struct facts *f);

#endif
