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

/*
 * What one CPU did between two sweeps that measured it (events.c): the
 * counters as the earlier sweep found them, and the differences the later
 * one saw.
 */
struct tscmon_window {
	u64 snap[TSCMON_IDLE_STATES];	/* idle entries per state at the snapshot */
	u64 snap_notifier;		/* frequency transitions at the snapshot */
	u64 snap_tracepoint;
	u32 snap_valid;			/* a snapshot has been taken */
	u32 valid;			/* the fields below describe a window */
	int deepest;			/* deepest state entered; -1: none */
	u64 deepest_entries;		/* entries into that state */
	u64 idle_entries;		/* entries into any state */
	u64 freq_notifier;		/* transitions, through each door */
	u64 freq_tracepoint;
};

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
	u64 drift_bound;	/* error bound of stats.drift_ppb (ppb) */
	u64 events;		/* events recorded for this CPU */
	struct tscmon_window win;
};

/* A CPU's record as it stood before a sweep folded into it (events.c). */
struct tscmon_prev {
	u32 valid;		/* skew and uncertainty hold a sample */
	s64 skew;
	u64 uncertainty;
	u64 t_ref;
	u32 drift_valid;
	s64 drift_ppb;
	u64 drift_bound;
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

/* events.c, called under tscmon_state.lock */
void tscmon_events_window(unsigned int cpu, struct tscmon_window *w);
void tscmon_events_check(unsigned int cpu, struct tscmon_cpu_rec *rec,
			 const struct tscmon_prev *prev, u64 sweep);
void tscmon_events_clear(void);

#endif /* TSCMON_STATE_H */
