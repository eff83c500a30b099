/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arithmetic of tscmon's skew estimate and of its running statistics,
 * in plain integer C so that the same file builds in the kernel and in
 * userspace (the host unit tests in selftests/estimator/, the benchmark).
 * docs/design.md explains why the interval it reports is sound.
 */
#ifndef TSCMON_ESTIMATOR_H
#define TSCMON_ESTIMATOR_H

#ifdef __KERNEL__
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/types.h>
#else
#include "estimator_user.h"
#endif

/* Buckets of the |skew| histogram: b0 holds 0, bK 2^(K-1)..2^K-1, b31 2^30 up. */
#define TSCMON_HIST_BUCKETS	32

/*
 * One CPU's exchange with the reference CPU: the tightest interval of all
 * rounds, and what the rounds saw going backwards.
 */
struct tscmon_est {
	s64 lo;			/* the offset is at least lo ... */
	s64 hi;			/* ... and at most hi (cycles) */
	u64 rtt;		/* t2 - t0 of the round the interval came from */
	u64 t_ref;		/* reference TSC at the middle of that round */
	u32 rounds;		/* rounds that completed */
	u32 valid;		/* 1 once a round has completed */
	u64 warps;		/* stamp pairs that went backwards */
	u64 max_warp;		/* largest step backwards (cycles) */
};

/* Running statistics of one CPU's skew over sweeps. */
struct tscmon_stats {
	u64 n;			/* samples */
	s64 last;
	s64 min;
	s64 max;
	s64 mean_q;		/* the exact mean is mean_q + mean_r / n */
	u64 mean_r;		/* 0 <= mean_r < n */
	u64 m2;			/* Welford's sum of squared deviations, saturating */
	u64 last_t;		/* reference TSC of the last sample */
	s64 drift_ppb;		/* skew change per time between the last two */
	u32 drift_valid;
	u64 hist[TSCMON_HIST_BUCKETS];
};

void tscmon_est_init(struct tscmon_est *e);
int tscmon_est_round(struct tscmon_est *e, u64 t0, u64 t1, u64 t2);
s64 tscmon_est_skew(const struct tscmon_est *e);
u64 tscmon_est_uncertainty(const struct tscmon_est *e);

void tscmon_stats_init(struct tscmon_stats *s);
void tscmon_stats_add(struct tscmon_stats *s, s64 x, u64 t_ref);
s64 tscmon_stats_mean(const struct tscmon_stats *s);
u64 tscmon_stats_stddev(const struct tscmon_stats *s);

unsigned int tscmon_hist_bucket(u64 v);
s64 tscmon_ratio_ppb(s64 num, u64 den);
s64 tscmon_scale_ppb(s64 ppb, u64 cycles);
u64 tscmon_cycles_to_ns(u64 cycles, u32 khz);
u64 tscmon_isqrt(u64 v);
u64 tscmon_abs64(s64 v);

#endif /* TSCMON_ESTIMATOR_H */
