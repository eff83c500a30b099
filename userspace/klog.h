/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel log: lines are classified into events by a table of
 * matchers, one family per mechanism that prints them (see
 * shared/reference/kernel-log.md). New wordings are new table rows.
 */
#ifndef TSCMON_KLOG_H
#define TSCMON_KLOG_H

#include <stdbool.h>
#include <stdint.h>
#include "util.h"

enum klog_family {
	KF_CALIBRATION, /* lpj, Detected MHz, refined calibration */
	KF_UNSTABLE,    /* Marking TSC unstable due to ... */
	KF_SWITCH,      /* clocksource changes */
	KF_WATCHDOG,    /* the clocksource watchdog judged a clock */
	KF_WATCHDOG_READ, /* the watchdog could not read cleanly */
	KF_BOOT_WARP,   /* tsc_sync.c warp test */
	KF_TSC_ADJUST,  /* TSC_ADJUST found or fixed */
	KF_FIRMWARE,    /* other [Firmware Bug]: TSC lines */
	KF_FIRMWARE_NOISE, /* firmware lines known to be harmless here */
	KF_OVERRIDE,    /* clocksource= override refused */
	KF_HYPERVISOR,  /* Hypervisor detected */
	KF_KVM_HOST,    /* kvm: guests of an unstable-TSC host */
	KF_POWER,       /* suspend and resume markers */
	KF_COUNT
};

/* A number the line did not give (or gave malformed or out of range). */
#define KLOG_NONE INT64_MIN

extern const char *const klog_family_names[KF_COUNT];

struct klog_event {
	enum klog_family family;
	const char *kind;   /* finer name: "lpj", "tsc-mhz", "p0", ... */
	bool has_ts;
	double ts;          /* seconds since boot */
	const char *text;   /* the line without its timestamp, cut */
	const char *arg;    /* reason, clocksource or hypervisor name */
	double mhz;         /* calibration: MHz; lpj: BogoMIPS */
	int64_t lpj;        /* lpj line: the value, else -1 */
	/*
	 * Details, NULL or KLOG_NONE where the line does not give them. A
	 * watchdog report's head line (kind "demote") also collects the
	 * numbers of its continuation lines (see klog_fold()).
	 */
	const char *detail;   /* calibration source; demotion wording */
	const char *watchdog; /* the clock that judged (watchdog lines) */
	bool continuation;    /* belongs to the report of event HEAD */
	size_t head;
	int64_t cpu, cpu2;    /* CPUs the line names */
	int64_t skew_ns;      /* clocksource minus watchdog over the interval */
	int64_t interval_ns;  /* the watchdog's interval */
	int64_t cs_ns;        /* the judged clock's interval */
	int64_t wd_cycles, cs_cycles; /* old wording: raw counter deltas */
	int64_t warp_cycles;
	int64_t adj_from, adj_to; /* TSC_ADJUST: expected -> found/written */
	int64_t count;        /* watchdog retries */
	int64_t delay_ns;     /* watchdog read-back delay / readout time */
};

#define KLOG_MAX_EVENTS 4096
#define KLOG_MAX_TEXT 400

struct klog {
	bool valid;
	bool cut;               /* input was larger than the read limit */
	size_t lines;
	size_t nevents, dropped;
	struct klog_event *events;
	size_t cap;             /* room in EVENTS */
	/* Summary of the latest value of each kind. */
	const struct klog_event *lpj;       /* the lpj line */
	const struct klog_event *tsc_mhz;   /* Detected ... MHz TSC/processor */
	const struct klog_event *refined;   /* Refined calibration */
	const struct klog_event *hypervisor;
	const struct klog_event *last_switch;
	const char *kernel_version; /* from "Linux version X ...", or NULL */
	size_t nunstable;       /* Marking TSC unstable lines */
	size_t ndemote;         /* watchdog reports (head lines) */
	size_t nswitch;
	size_t family_count[KF_COUNT];
};

/* Parse TEXT (whole log). Returns 0, or -1 with WHY when nothing parsed. */
int klog_parse(struct arena *a, const char *text, struct klog *kl, char *why);
/*
 * Lines whose meaning depends on the machine: the AMD P0 line is
 * firmware-noise in a guest, a firmware fact on bare metal.
 */
void klog_set_guest(struct klog *kl, bool guest);
/* The rule table (klog_rules.c): classify one stripped line. */
struct klog_rule;
const struct klog_rule *klog_match(const char *line, size_t len);
void klog_apply(struct arena *a, const struct klog_rule *r,
		struct klog_event *ev, const char *line, size_t len);
/* Join continuation lines to their report and derive its numbers. */
void klog_fold(struct klog *kl);
/* Number parsing shared by the rules: KLOG_NONE when absent/malformed. */
int64_t klog_num_after(const char *line, size_t len, const char *prefix,
		       int base);
/* The first event of FAMILY (and KIND if not NULL) at or after *IDX. */
const struct klog_event *klog_find(const struct klog *kl,
				   enum klog_family family, const char *kind,
				   size_t *idx);

/*
 * Read the live kernel log (/dev/kmsg, or syslog(2) as a fallback) into a
 * text buffer of "[ seconds] text" lines. Returns NULL with WHY.
 */
char *klog_read_live(struct arena *a, char *why);

#endif
