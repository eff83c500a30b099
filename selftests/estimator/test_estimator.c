// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of module/estimator.c on the host: the interval arithmetic
 * against hand-worked rounds and a simulated exchange with a known offset,
 * the running statistics against a two-pass computation in long double,
 * and the fixed-point helpers against floating point. host_tsc.c adds an
 * exchange between two pinned threads on the host's real TSC.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "estimator.h"
#include "tap.h"

int tap_n, tap_failed;

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void test_round_worked(void)
{
	struct tscmon_est e;

	/* Partner 1000 ahead, 50 cycles each way. */
	tscmon_est_init(&e);
	tscmon_est_round(&e, 100, 1150, 200);
	tap_result(e.lo == 950 && e.hi == 1050 && e.rtt == 100 &&
		   tscmon_est_skew(&e) == 1000 && tscmon_est_uncertainty(&e) == 50,
		   "round 100/1150/200: [950, 1050], skew 1000 +- 50, rtt 100");
	/* An offset beyond the round trip is a warp: t2 reads below t1. */
	tap_result(e.warps == 1 && e.max_warp == 950,
		   "an offset larger than the round trip shows as a warp (950)");

	/* A wider round does not replace it, a tighter one does. */
	tscmon_est_round(&e, 1000, 2100, 1300);
	tap_result(e.rtt == 100 && e.rounds == 2, "a wider round is not kept");
	tscmon_est_round(&e, 5000, 6030, 5060);
	tap_result(e.rtt == 60 && e.lo == 970 && e.hi == 1030 &&
		   tscmon_est_skew(&e) == 1000 && tscmon_est_uncertainty(&e) == 30,
		   "a tighter round replaces it: [970, 1030]");

	/* Odd round trip: the half-width rounds up and still covers. */
	tscmon_est_init(&e);
	tscmon_est_round(&e, 0, 5, 3);
	tap_result(e.lo == 2 && e.hi == 5 && tscmon_est_skew(&e) == 3 &&
		   tscmon_est_uncertainty(&e) == 2 &&
		   2 * tscmon_est_uncertainty(&e) <= e.rtt + 1,
		   "odd rtt 3: skew 3 +- 2 covers [2, 5], uncertainty <= (rtt + 1) / 2");

	/* Negative offsets. */
	tscmon_est_init(&e);
	tscmon_est_round(&e, 1000000, 10, 1000100);
	tap_result(e.lo == -1000090 && e.hi == -999990 && tscmon_est_skew(&e) == -1000040,
		   "partner 1e6 behind: [-1000090, -999990]");
	tap_result(e.warps == 1 && e.max_warp == 999990,
		   "t1 below t0 is one warp of 999990 cycles");

	tscmon_est_init(&e);
	tscmon_est_round(&e, 100, 1000000, 200);
	tap_result(e.warps == 1 && e.max_warp == 999800,
		   "t2 below t1 is one warp of 999800 cycles");

	tscmon_est_init(&e);
	tap_result(tscmon_est_round(&e, 200, 150, 100) == -1 && !e.valid && !e.rounds,
		   "a round whose reference stamps go backwards is refused");
	tap_result(tscmon_est_skew(&e) == 0 && tscmon_est_uncertainty(&e) == 0,
		   "no round: skew and uncertainty 0, valid 0");
}

/*
 * A simulated exchange: true offset theta, random one-way delays. Every
 * round's interval and the kept one must hold theta.
 */
static void test_round_simulated(void)
{
	int trial, r, held = 1, tight = 1;

	for (trial = 0; trial < 2000; trial++) {
		s64 theta = (s64)(rng() % 4000000) - 2000000;
		u64 now = 1000000000ULL + rng() % 1000000000ULL;
		struct tscmon_est e;
		u64 best = UINT64_MAX;

		tscmon_est_init(&e);
		for (r = 0; r < 64; r++) {
			u64 d1 = 200 + rng() % 5000, d2 = 200 + rng() % 5000;
			u64 t0 = now, t1 = now + d1 + theta, t2 = now + d1 + d2;

			tscmon_est_round(&e, t0, t1, t2);
			if (d1 + d2 < best)
				best = d1 + d2;
			now += d1 + d2 + rng() % 10000;
		}
		if (llabs(tscmon_est_skew(&e) - theta) > (s64)tscmon_est_uncertainty(&e) ||
		    theta < e.lo || theta > e.hi)
			held = 0;
		if (e.rtt != best || e.rounds != 64)
			tight = 0;
	}
	tap_result(held, "2000 simulated exchanges: the interval always holds the true offset");
	tap_result(tight, "the kept interval is the one of the smallest round trip");
}

static void two_pass(const s64 *x, int n, long double *mean, long double *sd)
{
	long double m = 0, v = 0;
	int i;

	for (i = 0; i < n; i++)
		m += x[i];
	m /= n;
	for (i = 0; i < n; i++)
		v += (x[i] - m) * (x[i] - m);
	*mean = m;
	*sd = n > 1 ? sqrtl(v / (n - 1)) : 0;
}

static int stats_match(const s64 *x, int n, const char *what)
{
	struct tscmon_stats s;
	long double m, sd;
	s64 mn = x[0], mx = x[0];
	int i, ok;

	tscmon_stats_init(&s);
	for (i = 0; i < n; i++) {
		tscmon_stats_add(&s, x[i], (u64)i * 1000000);
		if (x[i] < mn)
			mn = x[i];
		if (x[i] > mx)
			mx = x[i];
	}
	two_pass(x, n, &m, &sd);
	ok = s.n == (u64)n && s.min == mn && s.max == mx && s.last == x[n - 1] &&
	     fabsl(tscmon_stats_mean(&s) - m) <= 0.5L &&
	     fabsl((long double)tscmon_stats_stddev(&s) - sd) <= 1.0L + sd * 1e-3L;
	tap_result(ok, "%s: mean %lld (exact %.2Lf), stddev %llu (exact %.2Lf)", what,
		   tscmon_stats_mean(&s), m, tscmon_stats_stddev(&s), sd);
	return ok;
}

static void test_stats(void)
{
	static s64 x[10000];
	struct tscmon_stats s;
	int i;

	for (i = 0; i < 8; i++)
		x[i] = (s64[]){ 2, 4, 4, 4, 5, 5, 7, 9 }[i];
	stats_match(x, 8, "2 4 4 4 5 5 7 9");

	/* Small spread on a huge offset: where naive sums of squares fail. */
	for (i = 0; i < 10000; i++)
		x[i] = 1000000000000LL + (s64)(rng() % 2001) - 1000;
	stats_match(x, 10000, "10000 samples of 1e12 +- 1000");

	for (i = 0; i < 10000; i++)
		x[i] = -5000000 + (s64)(rng() % 401) - 200;
	stats_match(x, 10000, "10000 samples of -5e6 +- 200");

	/* Truncated running means drift; the kept remainder must not. */
	x[0] = 0;
	for (i = 1; i < 10000; i++)
		x[i] = 1;
	stats_match(x, 10000, "one 0 then 9999 ones (truncation bias)");

	tscmon_stats_init(&s);
	tscmon_stats_add(&s, 7, 0);
	tap_result(s.n == 1 && tscmon_stats_stddev(&s) == 0 && !s.drift_valid &&
		   tscmon_stats_mean(&s) == 7, "one sample: mean 7, stddev 0, no drift");

	/* Saturation instead of wrap-around. */
	tscmon_stats_init(&s);
	tscmon_stats_add(&s, -4000000000000000000LL, 0);
	tscmon_stats_add(&s, 4000000000000000000LL, 1);
	tap_result(s.m2 == UINT64_MAX, "m2 saturates on huge deviations");

	/* Drift: skew growing by 1e-3 of the elapsed reference time. */
	tscmon_stats_init(&s);
	for (i = 0; i < 5; i++)
		tscmon_stats_add(&s, 500 + (s64)i * 2600000, 1000 + (u64)i * 2600000000ULL);
	tap_result(s.drift_valid && s.drift_ppb == 1000000,
		   "skew +2.6e6 cycles per 2.6e9: drift %lld ppb (1e6)", s.drift_ppb);

	tscmon_stats_init(&s);
	tscmon_stats_add(&s, 0, 0);
	tscmon_stats_add(&s, 1, 0);
	tap_result(!s.drift_valid, "no drift over zero elapsed time");

	tscmon_stats_init(&s);
	tscmon_stats_add(&s, 0, 0);
	tscmon_stats_add(&s, 3, 0);
	tscmon_stats_add(&s, -3, 0);
	tscmon_stats_add(&s, 1 << 30, 0);
	tap_result(s.hist[0] == 1 && s.hist[2] == 2 && s.hist[31] == 1,
		   "histogram counts |skew|: 0 in b0, +-3 in b2, 2^30 in b31");
}

static void test_helpers(void)
{
	int ok = 1, i;

	tap_result(tscmon_hist_bucket(0) == 0 && tscmon_hist_bucket(1) == 1 &&
		   tscmon_hist_bucket(2) == 2 && tscmon_hist_bucket(3) == 2 &&
		   tscmon_hist_bucket((1 << 30) - 1) == 30 &&
		   tscmon_hist_bucket(1 << 30) == 31 && tscmon_hist_bucket(UINT64_MAX) == 31,
		   "histogram buckets: bK holds 2^(K-1)..2^K-1, b31 from 2^30");

	tap_result(tscmon_ratio_ppb(1, 1000000000) == 1 &&
		   tscmon_ratio_ppb(2600000, 2600000000ULL) == 1000000 &&
		   tscmon_ratio_ppb(-2600000, 2600000000ULL) == -1000000 &&
		   tscmon_ratio_ppb(3, 3) == 1000000000,
		   "ratio_ppb of exact cases");
	for (i = 0; i < 100000; i++) {
		s64 num = (s64)(rng() % 2000000000000ULL) - 1000000000000LL;
		u64 den = 1 + rng() % (1ULL << (1 + rng() % 50));
		long double want = (long double)num * 1e9L / den;
		s64 got = tscmon_ratio_ppb(num, den);

		if (fabsl(want) < 9e18L && fabsl(got - want) > 2.0L + fabsl(want) * 1e-12L) {
			if (ok)
				tap_diag("ratio_ppb(%lld, %llu) = %lld, want %.1Lf", num, den, got, want);
			ok = 0;
		}
	}
	tap_result(ok, "ratio_ppb is within 2 ppb of long double over 100000 random cases");
	tap_result(tscmon_ratio_ppb(INT64_MAX, 1) == INT64_MAX &&
		   tscmon_ratio_ppb(-INT64_MAX, 1) == -INT64_MAX,
		   "ratio_ppb saturates");

	tap_result(tscmon_scale_ppb(1000000, 2600000000ULL) == 2600000 &&
		   tscmon_scale_ppb(-1000000, 2600000000ULL) == -2600000 &&
		   tscmon_scale_ppb(100000000, 10000000000000ULL) == 1000000000000LL &&
		   tscmon_scale_ppb(0, 123456) == 0,
		   "scale_ppb: 1000 ppm of 2.6e9 cycles is 2.6e6");

	tap_result(tscmon_cycles_to_ns(2600000000ULL, 2600000) == 1000000000ULL &&
		   tscmon_cycles_to_ns(2599, 2600000) == 999 &&
		   tscmon_cycles_to_ns(5, 0) == 0,
		   "cycles_to_ns at 2.6 GHz");

	ok = 1;
	for (i = 0; i < 100000 && ok; i++) {
		u64 v = i < 70000 ? (u64)i : rng() >> (rng() % 64);
		u64 r = tscmon_isqrt(v);

		if ((unsigned __int128)r * r > v ||
		    (unsigned __int128)(r + 1) * (r + 1) <= v)
			ok = 0;
	}
	tap_result(ok && tscmon_isqrt(UINT64_MAX) == 4294967295ULL,
		   "isqrt is floor(sqrt) for 0..69999, random values and 2^64-1");
	tap_result(tscmon_abs64(INT64_MIN) == 1ULL << 63 && tscmon_abs64(-5) == 5,
		   "abs64 of INT64_MIN is 2^63");
}

int main(void)
{
	printf("TAP version 13\n");
	test_round_worked();
	test_round_simulated();
	test_stats();
	test_helpers();
	test_host_tsc();
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
