/* SPDX-License-Identifier: GPL-2.0 */
/* The tscmon module's debugfs files, read by the ABI in docs/debugfs.md. */
#ifndef TSCMON_MODULE_H
#define TSCMON_MODULE_H

#include <stdbool.h>
#include <stdint.h>
#include "util.h"

#define MODULE_ABI_KNOWN 1
#define MODULE_DIR "sys/kernel/debug/tscmon"
#define MODULE_UNKNOWN INT64_MIN /* a "-" in a table */
#define MODULE_HIST_BUCKETS 32

/* The per-CPU columns tscmon uses, found by header name. */
enum mod_col {
	MC_CPU, MC_ONLINE, MC_SKEW, MC_UNCERTAINTY, MC_RTT, MC_MIN, MC_MAX,
	MC_MEAN, MC_STDDEV, MC_SAMPLES, MC_DRIFT, MC_WARPS, MC_MAX_WARP,
	MC_TSC_ADJUST, MC_IDLE, MC_COUNT
};
extern const char *const module_col_names[MC_COUNT];

struct mod_cpu {
	int64_t v[MC_COUNT];   /* MODULE_UNKNOWN where "-" or no column */
	bool has_hist;
	int64_t hist[MODULE_HIST_BUCKETS];
};

struct mod_warp {
	int64_t cpu_a, cpu_b, warps, max_warp_cycles;
};

/* summary keys tscmon knows; the rest are kept as raw pairs. */
struct mod_summary {
	int64_t abi, tsc_khz, reference_cpu, cpus_possible, cpus_online,
		sweeps, interval_ms, rounds, last_sweep_ns, max_abs_skew_cycles,
		max_uncertainty_cycles, warps_total, max_irqoff_ns,
		kernel_tsc_unstable, constant_tsc, nonstop_tsc, tsc_adjust,
		tsc_reliable, tsc_known_freq, idle_entries_total, fault_inject,
		rounds_lost, hotplug_events;
	const char *clocksource; /* NULL if absent or "-" */
	/* The rate check against an independent timer (may be fractional). */
	bool has_khz_measured, has_rate_ppm, has_rate_unc;
	double khz_measured, rate_ppm, rate_unc_ppm;
	const char *rate_reference; /* acpi_pm, hpet, none; NULL if absent */
};

struct module_data {
	bool present;        /* the debugfs directory exists */
	bool usable;         /* version read and ABI known */
	const char *version; /* release string from `version` */
	int64_t abi;         /* -1 if unreadable */
	bool has_summary;
	struct mod_summary sum;
	struct strlist extra_keys; /* "key value" of unknown summary keys */
	bool has_cpus;
	size_t ncpus;
	struct mod_cpu *cpus;
	bool has_cols[MC_COUNT];
	bool has_warps;
	size_t nwarps;
	struct mod_warp *warps;
	struct strlist later_files; /* idle, freq, events: seen, not parsed */
};

enum module_file { MF_VERSION, MF_SUMMARY, MF_CPUS, MF_HISTOGRAM, MF_WARPS };

/*
 * Supplies the text of one of the module's files, NUL-terminated and
 * writable (tables are split in place), or NULL with the reason in WHY.
 * MF_VERSION is a one-line value (util_read_value()).
 */
typedef char *module_source(void *ctx, enum module_file file, char *why);

/*
 * Parse the files SRC supplies into MD, which the caller has zeroed with
 * abi -1: the version first, the tables only if its ABI is known, the
 * histogram only if the cpus table had rows. Problems go to NOTES.
 * module_read() is this over files; the fuzz tests feed it buffers.
 */
void module_parse(struct arena *a, module_source *src, void *ctx,
		  struct module_data *md, struct strlist *notes);

/*
 * Read the module's files under ROOT. Problems are added to NOTES as
 * "input: reason" lines; the data is usable only where the flags say so.
 */
void module_read(struct arena *a, const char *root, struct module_data *md,
		 struct strlist *notes);
int64_t module_summary_get(const struct mod_summary *s, const char *key,
			   bool *found);

#endif
