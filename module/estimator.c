// SPDX-License-Identifier: GPL-2.0
/*
 * Interval arithmetic of the three-stamp exchange and running statistics
 * over sweeps. Plain integer C with no kernel calls beyond the 64-bit
 * division helpers, so that it also builds in userspace (estimator_user.h).
 *
 * A round: the reference CPU reads t0, the partner CPU, having seen that
 * t0 was taken, reads t1, and the reference CPU, having seen t1, reads t2.
 * Causality puts the partner's read between the two reference reads, so the
 * partner-minus-reference offset lies in [t1 - t2, t1 - t0] (docs/design.md).
 */
#include "estimator.h"

#define TSCMON_NSEC_PER_SEC	1000000000ULL
#define TSCMON_NSEC_PER_MSEC	1000000ULL

u64 tscmon_abs64(s64 v)
{
	return v < 0 ? (u64)0 - (u64)v : (u64)v;
}

void tscmon_est_init(struct tscmon_est *e)
{
	*e = (struct tscmon_est){ 0 };
}

static void tscmon_est_warp(struct tscmon_est *e, u64 size)
{
	e->warps++;
	if (size > e->max_warp)
		e->max_warp = size;
}

/*
 * Adds one round. Returns 0, or -1 when the reference CPU's own stamps went
 * backwards (t2 before t0), in which case the round says nothing.
 */
int tscmon_est_round(struct tscmon_est *e, u64 t0, u64 t1, u64 t2)
{
	s64 fwd = (s64)(t1 - t0);
	s64 back = (s64)(t2 - t1);
	u64 rtt;

	if ((s64)(t2 - t0) < 0)
		return -1;
	rtt = t2 - t0;

	/* t1 was read after t0 and t2 after t1: a smaller value is a warp. */
	if (fwd < 0)
		tscmon_est_warp(e, tscmon_abs64(fwd));
	if (back < 0)
		tscmon_est_warp(e, tscmon_abs64(back));

	e->rounds++;
	if (!e->valid || rtt < e->rtt) {
		e->lo = -back;
		e->hi = fwd;
		e->rtt = rtt;
		e->t_ref = t0 + rtt / 2;
		e->valid = 1;
	}
	return 0;
}

/* Midpoint of the interval, rounded down. */
s64 tscmon_est_skew(const struct tscmon_est *e)
{
	return e->valid ? e->lo + (s64)(e->rtt / 2) : 0;
}

/*
 * Half-width, rounded up so that skew +- uncertainty always covers the
 * interval: at most rtt / 2 rounded up.
 */
u64 tscmon_est_uncertainty(const struct tscmon_est *e)
{
	return e->valid ? e->rtt - e->rtt / 2 : 0;
}

void tscmon_stats_init(struct tscmon_stats *s)
{
	*s = (struct tscmon_stats){ 0 };
}

/* The mean rounded to the nearest cycle. */
s64 tscmon_stats_mean(const struct tscmon_stats *s)
{
	if (!s->n)
		return 0;
	return s->mean_q + (2 * s->mean_r >= s->n ? 1 : 0);
}

static u64 tscmon_sat_add(u64 a, u64 b)
{
	return a > U64_MAX - b ? U64_MAX : a + b;
}

static u64 tscmon_sat_mul(u64 a, u64 b)
{
	if (a && b > div64_u64(U64_MAX, a))
		return U64_MAX;
	return a * b;
}

/*
 * Welford's update. The mean is kept exactly as mean_q + mean_r / n (a
 * quotient and a remainder), so rounding never accumulates over samples;
 * m2 grows by (x - old mean) * (x - new mean), which is never negative
 * because the new mean lies between the old one and x.
 */
void tscmon_stats_add(struct tscmon_stats *s, s64 x, u64 t_ref)
{
	s64 old_mean, new_mean, d, q, r, n1;

	s->hist[tscmon_hist_bucket(tscmon_abs64(x))]++;
	if (!s->n) {
		s->n = 1;
		s->last = x;
		s->min = x;
		s->max = x;
		s->mean_q = x;
		s->mean_r = 0;
		s->m2 = 0;
		s->last_t = t_ref;
		s->drift_valid = 0;
		return;
	}

	if ((s64)(t_ref - s->last_t) > 0) {
		s->drift_ppb = tscmon_ratio_ppb(x - s->last, t_ref - s->last_t);
		s->drift_valid = 1;
	}

	old_mean = tscmon_stats_mean(s);
	n1 = (s64)s->n + 1;
	d = (s64)s->mean_r + (x - s->mean_q);
	q = div64_s64(d, n1);
	r = d - q * n1;
	if (r < 0) {
		q--;
		r += n1;
	}
	s->mean_q += q;
	s->mean_r = (u64)r;
	s->n = (u64)n1;
	new_mean = tscmon_stats_mean(s);

	if ((x - old_mean < 0) == (x - new_mean < 0))
		s->m2 = tscmon_sat_add(s->m2,
				       tscmon_sat_mul(tscmon_abs64(x - old_mean),
						      tscmon_abs64(x - new_mean)));
	if (x < s->min)
		s->min = x;
	if (x > s->max)
		s->max = x;
	s->last = x;
	s->last_t = t_ref;
}

/* Sample standard deviation (divisor n - 1); 0 below two samples. */
u64 tscmon_stats_stddev(const struct tscmon_stats *s)
{
	if (s->n < 2)
		return 0;
	return tscmon_isqrt(div64_u64(s->m2, s->n - 1));
}

unsigned int tscmon_hist_bucket(u64 v)
{
	unsigned int k = 0;

	while (v) {
		k++;
		v >>= 1;
	}
	return k < TSCMON_HIST_BUCKETS ? k : TSCMON_HIST_BUCKETS - 1;
}

/*
 * num / den in parts per billion, rounded toward zero, without overflow:
 * the integer part and the remainder are scaled separately, and a den above
 * 2^33 is shifted down together with the remainder, which costs at most
 * 2 ppb. Saturates at +-S64_MAX. den must not be 0.
 */
s64 tscmon_ratio_ppb(s64 num, u64 den)
{
	u64 a = tscmon_abs64(num), q, r, res;

	q = div64_u64(a, den);
	r = a - q * den;
	if (q > div64_u64(S64_MAX, TSCMON_NSEC_PER_SEC))
		return num < 0 ? -S64_MAX : S64_MAX;
	while (den > (1ULL << 33)) {
		den >>= 1;
		r >>= 1;
	}
	res = q * TSCMON_NSEC_PER_SEC + div64_u64(r * TSCMON_NSEC_PER_SEC, den);
	if (res > (u64)S64_MAX)
		res = S64_MAX;
	return num < 0 ? -(s64)res : (s64)res;
}

/*
 * ppb * cycles / 1e9, rounded toward zero: the offset a drift of ppb builds
 * up over cycles. Exact for |ppb| <= 1e9 and cycles below 2^63.
 */
s64 tscmon_scale_ppb(s64 ppb, u64 cycles)
{
	u64 q = div64_u64(cycles, TSCMON_NSEC_PER_SEC);
	u64 r = cycles - q * TSCMON_NSEC_PER_SEC;

	return ppb * (s64)q + div64_s64(ppb * (s64)r, TSCMON_NSEC_PER_SEC);
}

/* Cycles at khz kHz in nanoseconds; 0 when the rate is unknown. */
u64 tscmon_cycles_to_ns(u64 cycles, u32 khz)
{
	u64 q, r;

	if (!khz)
		return 0;
	q = div64_u64(cycles, khz);
	r = cycles - q * khz;
	return tscmon_sat_add(tscmon_sat_mul(q, TSCMON_NSEC_PER_MSEC),
			      div64_u64(r * TSCMON_NSEC_PER_MSEC, khz));
}

/* floor(sqrt(v)), bit by bit. */
u64 tscmon_isqrt(u64 v)
{
	u64 res = 0, bit = 1ULL << 62;

	while (bit > v)
		bit >>= 2;
	while (bit) {
		if (v >= res + bit) {
			v -= res + bit;
			res = (res >> 1) + bit;
		} else {
			res >>= 1;
		}
		bit >>= 2;
	}
	return res;
}
