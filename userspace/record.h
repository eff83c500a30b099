/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tscmon record and tscmon plot: the recording file (docs/client.md,
 * "Recordings"), its reader, and the drawing.
 */
#ifndef TSCMON_RECORD_H
#define TSCMON_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "util.h"

#define REC_MAGIC "tscmon-record"
#define REC_VERSION 1
#define REC_MAX_CPUS 512
#define REC_MAX_STATES 16
#define REC_MAX_POLLS 1000000
#define REC_MAX_BYTES (256u * 1024u * 1024u)
#define REC_HIST 32
#define REC_NONE INT64_MIN

/* Exit codes of record and plot (sysexits.h values). */
#define EX_DATAERR 65
#define EX_NOINPUT_REC 66
#define EX_UNAVAILABLE 69
#define EX_CANTCREAT 73
#define EX_IOERR 74

/* The module files record copies at each poll, when present. */
extern const char *const rec_files[];

/* One CPU at one poll; REC_NONE where not known. */
struct rec_cpu {
	int64_t skew, unc, warps, idle_entries, freq_trans, cur_khz;
	int64_t state[REC_MAX_STATES]; /* idle file: entries per state index */
};

struct rec_poll {
	double t;              /* seconds since the first poll */
	int64_t mono_ns;       /* CLOCK_MONOTONIC of the poll */
	const char *clocksource;
	int64_t sweeps;        /* summary "sweeps", REC_NONE if absent */
	size_t ncpus;          /* rows in cpus (highest CPU + 1) */
	struct rec_cpu *cpu;
};

struct rec_event {         /* a line of the module's events ring */
	double t;
	int64_t cpu, change, bound;
	const char *kind;
};

struct rec_switch {        /* "Switched to clocksource X" in the log */
	double t;              /* seconds since the first poll (approximate) */
	const char *to;
};

struct recording {
	const char *host, *kernel, *clocksource, *version, *started;
	int64_t tsc_khz;
	size_t ncpus;          /* highest CPU seen + 1 */
	size_t nstates;        /* highest idle state index seen + 1 */
	const char *state_name[REC_MAX_STATES];
	size_t npolls;
	struct rec_poll *polls;
	bool has_hist;
	int64_t (*hist)[REC_HIST]; /* last histogram, ncpus rows */
	bool has_idle, has_freq;
	size_t nevents;
	struct rec_event *events;
	size_t nswitches;
	struct rec_switch *switches;
	size_t bad_rows;       /* malformed table rows skipped */
};

int record_run(const char *root, const char *out, double seconds,
	       double interval);
/* Parse a recording; 0, or -1 with a one-line reason in WHY. */
int rec_parse(struct arena *a, char *text, size_t len, struct recording *r,
	      char *why, size_t whylen);
int plot_run(const char *in, const char *out);
void plot_timeline(FILE *f, const struct recording *r, double *y);
void plot_summary(FILE *f, const struct recording *r, double *y);

#endif
