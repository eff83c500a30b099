/* SPDX-License-Identifier: GPL-2.0 */
/* The advice engine: items with an id, a severity, evidence and a change. */
#ifndef TSCMON_ADVICE_H
#define TSCMON_ADVICE_H

#include <stdint.h>
#include "facts.h"

enum severity { SEV_OK, SEV_INFO, SEV_WARNING, SEV_CRITICAL };
extern const char *const severity_names[4];

struct advice_item {
	const char *id;
	enum severity sev;
	const char *title;
	/* boot-warp watchdog watchdog-read tsc-adjust calibration switch
	 * unstable override firmware-noise, or config / measurement */
	const char *family;
	/* watchdog items: the judging clock and the numbers, where known */
	const char *watchdog;
	int64_t skew_ns, interval_ns; /* KLOG_NONE if unknown */
	struct strlist evidence;
	struct strlist change;
};

#define ADVICE_MAX 128

struct advice_opts {
	int64_t skew_warn_cycles;  /* |skew| beyond its uncertainty */
	int64_t skew_crit_cycles;
	int64_t drift_warn_ppb;
	/* advise --guest */
	const char *guest_os;      /* NULL: advice for this machine */
	const char *arch;          /* "x86_64", "x86" or NULL */
	int pvclock;               /* 1 yes, 0 no, -1 not given */
};

struct guest_plan {
	bool valid;
	const char *os, *arch;
	int pvclock;
	const char *parameters;    /* "none" or the kernel parameters */
};

struct advice {
	size_t n;
	struct advice_item items[ADVICE_MAX];
	struct guest_plan plan;
};

void advice_opts_default(struct advice_opts *o);
struct advice_item *advice_add(struct advice *ad, struct arena *a,
			       const char *id, enum severity sev,
			       const char *title);
void advice_evidence(struct arena *a, struct advice_item *it,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void advice_change(struct arena *a, struct advice_item *it, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));
enum severity advice_worst(const struct advice *ad);
const struct advice_item *advice_find(const struct advice *ad, const char *id);

/* Advice for the machine the facts describe (seed rules, then modern). */
void advice_host(const struct facts *f, const struct advice_opts *o,
		 struct advice *ad);
/* The seed's rules S1-S9 as they apply to this machine. */
void advice_seed(const struct facts *f, const struct advice_opts *o,
		 struct advice *ad);
/* The modern rules (M-*). */
void advice_modern(const struct facts *f, const struct advice_opts *o,
		   struct advice *ad);

/* The rules on the kernel's own words (advice_log.c, advice_tsc.c). */
void advice_log(const struct facts *f, struct advice *ad);
void advice_tsc_adjust(const struct facts *f, struct advice *ad);
/* The kernel's blind spots and the module's rate check (advice_watch.c). */
void advice_watch(const struct facts *f, struct advice *ad);

/* Is the kernel's clocksource watchdog checking the TSC? */
struct kwatch {
	int active;            /* 1 yes, 0 no, -1 cannot tell */
	bool demoted;          /* the TSC was already dropped */
	struct strlist why;    /* the reasons, in words */
	const char *judge;     /* the clock that would judge it, or NULL */
	int kmaj, kmin;        /* kernel version from the log, -1 unknown */
};
void kwatch_eval(const struct facts *f, struct kwatch *w);

/* Rate check thresholds (ppm beyond the reported uncertainty). */
#define RATE_CRIT_PPM 500.0
#define RATE_WARN_PPM 100.0

/* "kernel log [12.345678]: text" for evidence. */
const char *advice_log_line(const struct facts *f, const struct klog_event *ev);
/* The paravirtual clocksource a guest should use, by hypervisor. */
const char *advice_pv_clock(const struct facts *f);

/* Highest CPU frequency in kHz and where it came from; -1 if unknown. */
int64_t advice_max_khz(const struct facts *f, const char **source);
/* The TSC frequency in kHz from the module or the log; -1 if unknown. */
int64_t advice_tsc_khz(const struct facts *f, const char **source);

#endif
