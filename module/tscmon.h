/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by the parts of tscmon.ko. One concern per file:
 *   main.c      load and unload
 *   estimator.c interval arithmetic and statistics (also built in userspace)
 *   exchange.c  the three-stamp exchange between two CPUs
 *   sweep.c     sweeps: when they run, over which CPUs, their settings
 *   state.c     what the sweeps found, published for readers
 *   report.c    the tables of summary, cpus, histogram and warps
 *   kinfo.c     what the kernel itself thinks of the TSC
 *   hotplug.c   CPUs coming and going
 *   debugfs.c   the files and the parsing of control writes
 *   fault.c     test-only stamp injection (TSCMON_FAULT_INJECT builds)
 *   idle.c      idle states per CPU (power:cpu_idle)
 *   freq.c      frequency transitions per CPU, APERF/MPERF
 *   events.c    skew and drift changes tied to idle and frequency
 *   rate.c      the TSC rate against the ACPI PM timer or the HPET
 */
#ifndef TSCMON_H
#define TSCMON_H

#include <linux/types.h>

#include "compat.h"
#include "estimator.h"

/* Bumped when a debugfs file, key or column changes meaning (docs/debugfs.md). */
#define TSCMON_ABI	1

#define TSCMON_INTERVAL_DEFAULT	1000
#define TSCMON_INTERVAL_MAX	3600000
#define TSCMON_ROUNDS_DEFAULT	64
#define TSCMON_ROUNDS_MAX	10000

/* Idle state indices kept per CPU (the cpuidle core's own limit). */
#define TSCMON_IDLE_STATES	10

#define TSCMON_EVENT_SKEW		0
#define TSCMON_EVENT_DRIFT		1
#define TSCMON_EVENT_RING_DEFAULT	256
#define TSCMON_EVENT_RING_MAX		65536
#define TSCMON_EVENT_CYCLES_DEFAULT	1000
#define TSCMON_EVENT_PPB_DEFAULT	10000

struct dentry;
struct seq_file;

/* What one sweep found for one CPU. */
struct tscmon_xchg_result {
	struct tscmon_est est;
	u64 irqoff_cycles;	/* longest interrupt-off window, either side */
	u32 lost;		/* rounds that timed out or said nothing */
	u32 measured;		/* 1 if the sweep exchanged with this CPU */
	u32 adjust_valid;
	s64 tsc_adjust;		/* IA32_TSC_ADJUST, if adjust_valid */
};

/* idle.c */
int tscmon_idle_start(void);
void tscmon_idle_stop(void);
void tscmon_idle_read(unsigned int cpu, u64 *entries);
u64 tscmon_idle_entries(unsigned int cpu);
u64 tscmon_idle_out_of_range(unsigned int cpu);
u64 tscmon_idle_residency_ns(unsigned int cpu);
int tscmon_idle_last_exit(unsigned int cpu);
int tscmon_idle_show(struct seq_file *m, void *v);

/* freq.c */
int tscmon_freq_start(void);
void tscmon_freq_stop(void);
void tscmon_freq_counts(unsigned int cpu, u64 *notifier, u64 *tracepoint);
u32 tscmon_freq_cur_khz(unsigned int cpu);
u32 tscmon_freq_aperf_mperf_khz(unsigned int cpu);
bool tscmon_freq_have_aperfmperf(void);
const char *tscmon_freq_notifier_status(void);
void tscmon_freq_sample(unsigned int cpu);
int tscmon_freq_show(struct seq_file *m, void *v);

/* events.c */
int tscmon_events_init(void);
void tscmon_events_exit(void);
int tscmon_events_show(struct seq_file *m, void *v);
void tscmon_events_summary(struct seq_file *m);
unsigned int tscmon_events_threshold(bool drift);
void tscmon_events_set_threshold(bool drift, unsigned int v);
unsigned int tscmon_events_ring_size(void);
int tscmon_events_set_ring_size(unsigned int n);

/* rate.c */
int tscmon_rate_start(void);
void tscmon_rate_stop(void);
void tscmon_rate_restart(void);
void tscmon_rate_summary(struct seq_file *m);

/* exchange.c */
void tscmon_xchg_run(unsigned int ref, unsigned int cpu, unsigned int rounds,
		     struct tscmon_xchg_result *res);

/* sweep.c */
int tscmon_sweep_start(void);
void tscmon_sweep_stop(void);
int tscmon_sweep_run(void);
unsigned int tscmon_sweep_interval(void);
int tscmon_sweep_set_interval(unsigned int ms);
unsigned int tscmon_sweep_rounds(void);
int tscmon_sweep_set_rounds(unsigned int rounds);
int tscmon_sweep_reset(void);
void tscmon_sweep_lock(void);
void tscmon_sweep_unlock(void);

/* state.c */
int tscmon_state_init(void);
void tscmon_state_exit(void);
unsigned int tscmon_state_ref_cpu(void);
void tscmon_state_set_online(unsigned int cpu, bool online, bool event);
void tscmon_state_publish(unsigned int ref,
			  const struct tscmon_xchg_result *res, u64 sweep_ns);
void tscmon_state_reset(void);

/* report.c */
int tscmon_report_summary(struct seq_file *m, void *v);
int tscmon_report_cpus(struct seq_file *m, void *v);
int tscmon_report_histogram(struct seq_file *m, void *v);
int tscmon_report_warps(struct seq_file *m, void *v);

/* kinfo.c */
bool tscmon_kinfo_tsc_unstable(void);
const char *tscmon_kinfo_clocksource(void);
void tscmon_kinfo_features(struct seq_file *m);
int tscmon_kinfo_tsc_adjust(unsigned int cpu, s64 *val);

/* hotplug.c */
int tscmon_hotplug_start(void);
void tscmon_hotplug_stop(void);

/* debugfs.c */
int tscmon_debugfs_create(void);
void tscmon_debugfs_remove(void);
int tscmon_debugfs_parse(const char __user *ubuf, size_t count, loff_t *ppos,
			 char *buf, size_t size);
int tscmon_debugfs_uint(const char *s, unsigned int *val);
int tscmon_debugfs_s64(const char *s, s64 max, s64 *val);

/* fault.c: test-only, absent from release builds */
#ifdef TSCMON_FAULT_INJECT
#define TSCMON_FAULT_BUILD	1
u64 tscmon_fault_stamp(unsigned int cpu, u64 tsc);
void tscmon_fault_create(struct dentry *dir);
#else
#define TSCMON_FAULT_BUILD	0
static inline u64 tscmon_fault_stamp(unsigned int cpu, u64 tsc)
{
	return tsc;
}

static inline void tscmon_fault_create(struct dentry *dir)
{
}
#endif

#endif /* TSCMON_H */
