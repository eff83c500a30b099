/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the sweeps found, as state.c keeps it and report.c prints it. Every
 * field below is read and written under tscmon_state.lock only, except
 * online[] and hotplug_events, which the hotplug callbacks update on their
 * own.
 */
#ifndef TSCMON_STATE_H
#define TSCMON_STATE_H

#include <linux/atomic.h>
#include <linux/mutex.h>

#include "tscmon.h"

struct tscmon_cpu_rec {
	u32 measured;		/* has a skew from at least one sweep */
	s64 skew;		/* the last sweep's interval ... */
	u64 uncertainty;
	u64 rtt;
	struct tscmon_stats stats;
	u64 warps;		/* against the reference CPU */
	u64 max_warp;
	u32 adjust_valid;
	s64 tsc_adjust;
};

struct tscmon_state {
	struct mutex lock;		/* guards all but online[], hotplug_events */
	unsigned int ref;
	struct tscmon_cpu_rec *cpu;	/* nr_cpu_ids entries */
	bool *online;			/* nr_cpu_ids entries */
	u64 sweeps;
	u64 last_sweep_ns;
	u64 max_abs_skew;
	u64 max_uncertainty;
	u64 warps_total;
	u64 max_irqoff_ns;
	u64 rounds_lost;
	atomic_long_t hotplug_events;	/* not cleared by reset */
};

extern struct tscmon_state tscmon_state;

#endif /* TSCMON_STATE_H */
