// SPDX-License-Identifier: GPL-2.0
/*
 * bench_host: issue 8, items 1 and 2, on the host's real TSC.
 *
 * For each pair of CPUs (a, b), with one thread pinned to each:
 *
 *  floor   a plain ping-pong over one cache line: a writes, b answers,
 *          a sees the answer. The smallest round trip timed on a is the
 *          physical floor of any method that learns about the other CPU
 *          through memory.
 *  xchg    tscmon's three-stamp exchange (the protocol of
 *          module/exchange.c) feeding the very estimator the module uses
 *          (module/estimator.c), in sweeps of TSCMON rounds each; the
 *          half-width of each sweep is what the module would report.
 *  warp    a lock-step monotonicity check of the kind the kernel runs at
 *          boot: both threads take a shared lock in turn, read the TSC,
 *          and compare it with the last value anybody stored there.
 *
 * For the comparison an artificial offset is added to every stamp b takes,
 * in both methods; the smallest offset each one proves non-zero, and the
 * rounds it needs, go to warp.csv. Everything is in TSC cycles.
 *
 * Usage: bench_host [-q] [-o DIR]    (-q: the short form of make bench QUICK=1)
 * Writes DIR/host_pairs.csv, DIR/warp.csv, DIR/warp_rounds.csv and
 * DIR/host.env (key=value lines for bench/run.sh). Exits 1 if an invariant
 * breaks (an exchange that gives no interval, intervals that disagree), 2 on
 * a usage or setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "estimator.h"

#define LINE			64
#define SWEEP_ROUNDS		64	/* TSCMON_ROUNDS_DEFAULT */
#define MAX_CPUS		1024
#define MAX_PAIRS		64	/* beyond this, pairs with the first CPU only */

struct cfg {
	int quick;
	const char *dir;
	unsigned int pp_rounds;		/* ping-pong round trips per block */
	unsigned int sweeps;		/* blocks: a ping-pong batch, then one sweep */
	unsigned int trials;		/* threshold searches per method and sign */
	unsigned int bisect;		/* bisection steps after the ladder */
	unsigned int reps;		/* repeats of the rounds-to-detect figure */
	double warp_ms;			/* budget of one warp check run */
};

static u64 tsc_hz;		/* measured against CLOCK_MONOTONIC_RAW */
static u64 spin_limit;		/* cycles: a wait this long gives up */

/*
 * What the kernel's rdtsc_ordered() is on a CPU with RDTSCP: the read waits
 * for every earlier instruction to have executed.
 */
static inline u64 stamp(void)
{
	unsigned int lo, hi, aux;

	__asm__ __volatile__("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux) :: "memory");
	return ((u64)hi << 32) | lo;
}

static inline void relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench_host: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static int pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

static void measure_tsc_hz(void)
{
	u64 n0, n1, c0, c1;
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	n0 = now_ns();
	c0 = stamp();
	nanosleep(&ts, NULL);
	n1 = now_ns();
	c1 = stamp();
	tsc_hz = (u64)((double)(c1 - c0) * 1e9 / (double)(n1 - n0));
	if (!tsc_hz)
		die("cannot measure the TSC rate");
	spin_limit = tsc_hz / 20;	/* 50 ms */
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 median_u64(u64 *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n ? v[n / 2] : 0;
}

/* ---- the partner thread: one job at a time, pinned to CPU b ---- */

enum job { JOB_PINGPONG, JOB_XCHG, JOB_WARP };

struct partner {
	pthread_t thread;
	int cpu;
	enum job job;
	unsigned int rounds;
	s64 offset;			/* added to every stamp b takes */
};

/* One cache line that both threads write: the ping-pong. */
static struct {
	_Atomic u64 seq;
} __attribute__((aligned(LINE))) pp;

/* The exchange line of module/exchange.c: each field has one writer. */
static struct {
	_Atomic u64 go, stop, ready, ack;
	_Atomic u64 t1;
} __attribute__((aligned(LINE))) xl;

/* The warp check: one lock and the last stamp anybody took, one line. */
static struct {
	atomic_int lock;
	u64 last;		/* under the lock */
	u64 acquisitions;	/* under the lock */
	u64 first_warp;		/* acquisition that saw the first warp, 0: none */
	u64 limit;		/* stop after this many acquisitions, 0: no limit */
	_Atomic int stop;
	_Atomic int started;	/* both sides are running */
} __attribute__((aligned(LINE))) wl;

/*
 * Waits until *p == v; 0, or -1 after `limit` cycles or on stop. Like the
 * spins of module/exchange.c, it reads the TSC on every poll for its
 * timeout; with `tight` set, only every 256th poll (the floor, and the
 * "tight" variant of the exchange).
 */
static int tight_polls;

static int wait_eq(_Atomic u64 *p, u64 v, _Atomic u64 *stop, u64 limit)
{
	u64 start = stamp();
	unsigned int n = 0;

	while (atomic_load_explicit(p, memory_order_acquire) != v) {
		relax();
		if (tight_polls && (++n & 255))
			continue;
		if (stop && atomic_load_explicit(stop, memory_order_relaxed))
			return -1;
		if (stamp() - start > limit)
			return -1;
	}
	return 0;
}

static void pingpong_b(unsigned int rounds)
{
	unsigned int i;

	for (i = 1; i <= rounds; i++) {
		if (wait_eq(&pp.seq, 2 * (u64)i - 1, NULL, i == 1 ? 20 * spin_limit : spin_limit))
			return;
		atomic_store_explicit(&pp.seq, 2 * (u64)i, memory_order_release);
	}
}

/* Partner side of module/exchange.c, in userspace. */
static void xchg_b(s64 offset)
{
	u64 r = 1, t1;

	while (!atomic_load_explicit(&xl.stop, memory_order_relaxed)) {
		atomic_store_explicit(&xl.ready, r, memory_order_release);
		if (wait_eq(&xl.go, r, &xl.stop, spin_limit))
			continue;
		t1 = stamp();
		atomic_store_explicit(&xl.t1, t1 + (u64)offset, memory_order_relaxed);
		atomic_store_explicit(&xl.ack, r, memory_order_release);
		r++;
	}
}

static void warp_lock(void)
{
	for (;;) {
		if (!atomic_exchange_explicit(&wl.lock, 1, memory_order_acquire))
			return;
		while (atomic_load_explicit(&wl.lock, memory_order_relaxed))
			relax();
	}
}

static void warp_unlock(void)
{
	atomic_store_explicit(&wl.lock, 0, memory_order_release);
}

/*
 * One side of the lock-step check: take the lock, read the TSC, compare with
 * the last reading of either side, store ours, let go. A reading smaller
 * than one taken before it (in lock order) is a warp.
 */
static _Atomic u64 warp_deadline;
static u64 warp_cycles;

static void warp_side(s64 offset)
{
	u64 prev, now, deadline, t;
	unsigned int n = 0;

	/* Start together; the side that arrives second sets the deadline. */
	if (atomic_fetch_add(&wl.started, 1) == 1) {
		atomic_store(&warp_deadline, stamp() + warp_cycles);
	} else {
		t = stamp();
		while (atomic_load(&wl.started) < 2)
			if (stamp() - t > 20 * spin_limit)
				return;
	}
	while (!(deadline = atomic_load(&warp_deadline)))
		relax();

	while (!atomic_load_explicit(&wl.stop, memory_order_relaxed)) {
		warp_lock();
		prev = wl.last;
		now = stamp() + (u64)offset;
		wl.last = now;
		wl.acquisitions++;
		if ((s64)(now - prev) < 0 && prev && !wl.first_warp) {
			wl.first_warp = wl.acquisitions;
			atomic_store_explicit(&wl.stop, 1, memory_order_relaxed);
		}
		if (wl.limit && wl.acquisitions >= wl.limit)
			atomic_store_explicit(&wl.stop, 1, memory_order_relaxed);
		warp_unlock();
		/* The clock is checked now and then, outside the lock. */
		if (!(++n & 63) && stamp() > deadline)
			atomic_store_explicit(&wl.stop, 1, memory_order_relaxed);
	}
}

static void *partner_main(void *arg)
{
	struct partner *p = arg;

	pin_self(p->cpu);
	switch (p->job) {
	case JOB_PINGPONG:
		pingpong_b(p->rounds);
		break;
	case JOB_XCHG:
		xchg_b(p->offset);
		break;
	case JOB_WARP:
		warp_side(p->offset);
		break;
	}
	return NULL;
}

static void partner_start(struct partner *p, enum job job, int cpu,
			  unsigned int rounds, s64 offset)
{
	p->job = job;
	p->cpu = cpu;
	p->rounds = rounds;
	p->offset = offset;
	if (pthread_create(&p->thread, NULL, partner_main, p))
		die("cannot start a thread: %s", strerror(errno));
}

/* ---- item 1: the floor and the half-width ---- */

/* The smallest and the median round trip of n ping-pongs; 0 if stuck. */
static int pingpong(int b, unsigned int n, u64 *min, u64 *med)
{
	struct partner p;
	u64 *rtt = calloc(n, sizeof(*rtt)), t;
	unsigned int i, done = 0;

	if (!rtt)
		die("out of memory");
	atomic_store(&pp.seq, 0);
	tight_polls = 1;
	partner_start(&p, JOB_PINGPONG, b, n, 0);
	for (i = 1; i <= n; i++) {
		t = stamp();
		atomic_store_explicit(&pp.seq, 2 * (u64)i - 1, memory_order_release);
		if (wait_eq(&pp.seq, 2 * (u64)i, NULL, i == 1 ? 20 * spin_limit : spin_limit))
			break;
		rtt[done++] = stamp() - t;
	}
	pthread_join(p.thread, NULL);
	tight_polls = 0;
	if (done) {
		*med = median_u64(rtt, done);
		*min = rtt[0];
	}
	free(rtt);
	return done == n ? 0 : -1;
}

/*
 * Reference side: one sweep's exchange of `rounds` rounds with the partner
 * already running. *first_warp gets the 1-based round of the first warp
 * (0 if none). Returns the number of rounds that completed.
 */
static u64 xchg_round_no;
static u64 xchg_span, xchg_span_rounds;	/* first t0 to last t2, rounds after the first */

static unsigned int xchg_a(struct tscmon_est *e, unsigned int rounds,
			   unsigned int *first_warp)
{
	unsigned int i, done = 0;
	u64 r, t0, t1, t2;

	tscmon_est_init(e);
	xchg_span_rounds = 0;
	if (first_warp)
		*first_warp = 0;
	for (i = 0; i < rounds; i++) {
		r = ++xchg_round_no;
		/* The first wait also covers the partner thread's start. */
		if (wait_eq(&xl.ready, r, NULL, i ? spin_limit : 20 * spin_limit))
			break;
		t0 = stamp();
		atomic_store_explicit(&xl.go, r, memory_order_release);
		if (wait_eq(&xl.ack, r, NULL, spin_limit))
			break;
		t2 = stamp();
		if (!i)
			xchg_span = t0;
		else
			xchg_span_rounds++;
		t1 = atomic_load_explicit(&xl.t1, memory_order_relaxed);
		if (tscmon_est_round(e, t0, t1, t2))
			continue;
		done++;
		if (first_warp && !*first_warp && e->warps)
			*first_warp = i + 1;
	}
	if (i && xchg_span_rounds)
		xchg_span = t2 - xchg_span;
	else
		xchg_span = 0;
	return done;
}

static void xchg_begin(struct partner *p, int b, s64 offset)
{
	atomic_store(&xl.go, 0);
	atomic_store(&xl.ack, 0);
	atomic_store(&xl.ready, 0);
	atomic_store(&xl.stop, 0);
	xchg_round_no = 0;
	partner_start(p, JOB_XCHG, b, 0, offset);
}

static void xchg_end(struct partner *p)
{
	atomic_store(&xl.stop, 1);
	pthread_join(p->thread, NULL);
}

/*
 * The host's vCPUs move between physical cores now and then, and the round
 * trip moves with them (on the machine this was written on, from about 150
 * to about 570 cycles). So the floor and the half-width are measured in
 * alternating blocks, each a ping-pong batch and then one sweep, and each
 * block gives its own ratio: the two figures of a block always share a
 * placement.
 */
struct pair_result {
	int a, b;
	u64 pp_min;		/* smallest round trip of any block */
	u64 pp_med;		/* median over blocks of the block's smallest */
	u64 rtt_min;		/* smallest t2 - t0 over all sweeps */
	u64 hw_med, hw_min;	/* half-width per sweep: median, best */
	double ratio_med;	/* median over blocks of half-width / floor */
	double ratio_p90;	/* 90th percentile of the same */
	u64 hw_tight_med;	/* the same exchange, timeout read every 256 polls */
	double ratio_tight_med;
	u64 round_cycles;	/* time of one round, ready to ready (median of sweeps) */
	unsigned int blocks;
	int agree;		/* every sweep's interval shares a point */
	int complete;		/* at least half the blocks completed */
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void bench_pair(const struct cfg *c, int a, int b, struct pair_result *pr)
{
	struct partner p;
	struct tscmon_est e, et;
	u64 *hw = calloc(c->sweeps, sizeof(*hw)), *fl = calloc(c->sweeps, sizeof(*fl));
	double *ratio = calloc(c->sweeps, sizeof(*ratio));
	double *rt = calloc(c->sweeps, sizeof(*rt));
	u64 *ht = calloc(c->sweeps, sizeof(*ht));
	u64 *per_round = calloc(c->sweeps, sizeof(*per_round));
	u64 mn = 0, md = 0;
	s64 lo = INT64_MIN, hi = INT64_MAX;
	unsigned int s, n = 0, nr = 0;

	if (!hw || !fl || !ratio || !rt || !ht || !per_round)
		die("out of memory");
	memset(pr, 0, sizeof(*pr));
	pr->a = a;
	pr->b = b;
	pr->rtt_min = UINT64_MAX;
	pr->pp_min = UINT64_MAX;
	pr->complete = 1;
	pin_self(a);
	for (s = 0; s < c->sweeps; s++) {
		if (pingpong(b, c->pp_rounds, &mn, &md))
			continue;
		xchg_begin(&p, b, 0);
		xchg_a(&e, SWEEP_ROUNDS, NULL);
		xchg_end(&p);
		if (xchg_span)
			per_round[nr++] = xchg_span / xchg_span_rounds;
		if (!e.valid)
			continue;
		fl[n] = mn;
		hw[n] = tscmon_est_uncertainty(&e);
		ratio[n] = (double)hw[n] / (double)mn;
		/* What polls without a TSC read each would give, same placement. */
		tight_polls = 1;
		xchg_begin(&p, b, 0);
		xchg_a(&et, SWEEP_ROUNDS, NULL);
		xchg_end(&p);
		tight_polls = 0;
		ht[n] = et.valid ? tscmon_est_uncertainty(&et) : hw[n];
		rt[n] = (double)ht[n] / (double)mn;
		n++;
		if (mn < pr->pp_min)
			pr->pp_min = mn;
		if (e.rtt < pr->rtt_min)
			pr->rtt_min = e.rtt;
		if (e.lo > lo)
			lo = e.lo;
		if (e.hi < hi)
			hi = e.hi;
	}
	pr->round_cycles = nr ? median_u64(per_round, nr) : 0;
	pr->agree = n && lo <= hi;
	pr->blocks = n;
	if (n) {
		pr->hw_med = median_u64(hw, n);	/* sorts hw */
		pr->hw_min = hw[0];
		pr->pp_med = median_u64(fl, n);
		qsort(ratio, n, sizeof(*ratio), cmp_double);
		pr->ratio_med = ratio[n / 2];
		pr->ratio_p90 = ratio[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1];
		pr->hw_tight_med = median_u64(ht, n);
		qsort(rt, n, sizeof(*rt), cmp_double);
		pr->ratio_tight_med = rt[n / 2];
	}
	/* Blocks lost to a busy host are reported; most must complete. */
	pr->complete = 2 * n >= c->sweeps;
	free(hw);
	free(fl);
	free(ratio);
	free(rt);
	free(ht);
	free(per_round);
}

/* ---- item 2: smallest offset detected, rounds needed ---- */

enum method { M_TSCMON, M_WARP, M_WARP64, M_COUNT };
static const char *const method_name[] = { "tscmon", "warpcheck", "warpcheck64" };

/*
 * One detection attempt with `offset` on b's stamps. Returns 1 if the
 * method proved the TSCs differ, 0 if not; *rounds gets the rounds used
 * (to the first detection, or all of them). tscmon gets one sweep
 * (64 rounds); the warp check gets warp_ms of looping, as the kernel's
 * does, or (warpcheck64) 64 lock acquisitions, the same round budget.
 */
static int detect(const struct cfg *c, enum method m, int b, s64 offset, u64 *rounds)
{
	struct partner p;

	if (m == M_TSCMON) {
		struct tscmon_est e;
		unsigned int first, done;

		xchg_begin(&p, b, offset);
		done = xchg_a(&e, SWEEP_ROUNDS, &first);
		xchg_end(&p);
		*rounds = first ? first : done;
		return first != 0;
	}

	atomic_store(&wl.lock, 0);
	atomic_store(&wl.stop, 0);
	wl.last = 0;
	wl.acquisitions = 0;
	wl.first_warp = 0;
	wl.limit = m == M_WARP64 ? SWEEP_ROUNDS : 0;
	atomic_store(&wl.started, 0);
	atomic_store(&warp_deadline, 0);
	warp_cycles = (u64)(c->warp_ms * 1e-3 * (double)tsc_hz);
	partner_start(&p, JOB_WARP, b, 0, offset);
	warp_side(0);
	pthread_join(p.thread, NULL);
	*rounds = wl.first_warp ? wl.first_warp : wl.acquisitions;
	return wl.first_warp != 0;
}

/*
 * The smallest offset (of one sign) the method detects: climb a 1-2-5
 * ladder to the first rung detected, then bisect between it and the rung
 * below. Returns the offset (0 if even 10^7 went unseen).
 */
static u64 threshold(const struct cfg *c, enum method m, int b, int sign, u64 *rounds_at)
{
	static const u64 step[] = { 1, 2, 5 };
	u64 lo = 0, hi = 0, mid, r = 0, rh = 0, dec;
	unsigned int i;

	for (dec = 1; dec <= 10000000 && !hi; dec *= 10)
		for (i = 0; i < 3 && !hi; i++) {
			u64 v = step[i] * dec;

			if (detect(c, m, b, sign * (s64)v, &r)) {
				hi = v;
				rh = r;
			} else {
				lo = v;
			}
		}
	if (!hi)
		return 0;
	for (i = 0; i < c->bisect && hi - lo > 1; i++) {
		mid = lo + (hi - lo) / 2;
		if (detect(c, m, b, sign * (s64)mid, &r)) {
			hi = mid;
			rh = r;
		} else {
			lo = mid;
		}
	}
	*rounds_at = rh;
	return hi;
}

/*
 * Per trial, the three methods back to back (one placement): for each, the
 * smallest offset detected in both directions (the larger of the + and -
 * thresholds). Then at an offset all of them should see, the rounds each
 * needs.
 */
struct warp_result {
	u64 thr[M_COUNT];		/* median over trials */
	u64 thr_rounds[M_COUNT];	/* rounds used at that threshold */
	double thr_ratio;		/* median over trials of warpcheck / tscmon */
	double thr_ratio64;		/* the same for warpcheck64 */
	u64 common;			/* the offset of the rounds figure */
	u64 rounds[M_COUNT];		/* median rounds to detect at common */
	unsigned int hits[M_COUNT];	/* of reps, detected at common */
	int big_seen[M_COUNT];		/* each method saw +-10^6 */
};

static void bench_warp(const struct cfg *c, int a, int b, FILE *csv, FILE *rcsv,
		       struct warp_result *wr)
{
	u64 (*v)[M_COUNT] = calloc(c->trials, sizeof(*v));
	u64 (*rv)[M_COUNT] = calloc(c->trials, sizeof(*rv));
	double *ratio = calloc(c->trials, sizeof(*ratio));
	double *ratio64 = calloc(c->trials, sizeof(*ratio64));
	u64 *col = calloc(c->trials + c->reps, sizeof(*col)), r, rp, rn;
	unsigned int t, m, k, nr;

	if (!v || !rv || !ratio || !ratio64 || !col)
		die("out of memory");
	memset(wr, 0, sizeof(*wr));
	pin_self(a);
	for (t = 0; t < c->trials; t++) {
		for (m = 0; m < M_COUNT; m++) {
			u64 tp = threshold(c, m, b, 1, &rp), tn = threshold(c, m, b, -1, &rn);

			fprintf(csv, "%d,%d,%s,%u,%llu,%llu,%llu,%llu\n", a, b, method_name[m], t,
				tp, rp, tn, rn);
			/* 0 means unseen up to 10^7: count it as worse than that. */
			v[t][m] = (!tp || !tn) ? 20000000 : tp > tn ? tp : tn;
			rv[t][m] = tp > tn ? rp : rn;
		}
		ratio[t] = (double)v[t][M_WARP] / (double)v[t][M_TSCMON];
		ratio64[t] = (double)v[t][M_WARP64] / (double)v[t][M_TSCMON];
	}
	for (m = 0; m < M_COUNT; m++) {
		for (t = 0; t < c->trials; t++)
			col[t] = v[t][m];
		wr->thr[m] = median_u64(col, c->trials);
		for (t = 0; t < c->trials; t++)
			if (v[t][m] == wr->thr[m]) {
				wr->thr_rounds[m] = rv[t][m];
				break;
			}
	}
	qsort(ratio, c->trials, sizeof(*ratio), cmp_double);
	qsort(ratio64, c->trials, sizeof(*ratio64), cmp_double);
	wr->thr_ratio = ratio[c->trials / 2];
	wr->thr_ratio64 = ratio64[c->trials / 2];

	/* An offset well above tscmon's and the kernel-style check's thresholds. */
	wr->common = 4 * (wr->thr[M_WARP] > wr->thr[M_TSCMON] ? wr->thr[M_WARP] : wr->thr[M_TSCMON]);
	if (wr->common > 10000000)
		wr->common = 10000000;
	for (m = 0; m < M_COUNT; m++) {
		nr = 0;
		for (k = 0; k < c->reps; k++) {
			s64 off = (k & 1 ? -1 : 1) * (s64)wr->common;
			int hit = detect(c, m, b, off, &r);

			fprintf(rcsv, "%d,%d,%s,%lld,%u,%d,%llu\n", a, b, method_name[m], off, k, hit, r);
			if (hit) {
				wr->hits[m]++;
				col[nr++] = r;
			}
		}
		wr->rounds[m] = nr ? median_u64(col, nr) : 0;
		/* Sanity: an offset of 10^6 cycles, either sign, must show. */
		wr->big_seen[m] = detect(c, m, b, 1000000, &r) && detect(c, m, b, -1000000, &r);
	}
	free(v);
	free(rv);
	free(ratio);
	free(ratio64);
	free(col);
}

/*
 * Soundness with a known offset: every interval tscmon gives, minus the
 * offset injected, must hold the same true offset. Returns 1 if the
 * shifted intervals of sweeps over offsets 0, +-10^k all share a point.
 */
static int injected_agree(int a, int b, s64 *lo_out, s64 *hi_out)
{
	static const s64 offs[] = { 0, 1, -1, 10, -10, 100, -100, 1000, -1000,
				    100000, -100000, 10000000, -10000000 };
	struct partner p;
	struct tscmon_est e;
	s64 lo = INT64_MIN, hi = INT64_MAX;
	unsigned int i;

	pin_self(a);
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		xchg_begin(&p, b, offs[i]);
		xchg_a(&e, SWEEP_ROUNDS, NULL);
		xchg_end(&p);
		if (!e.valid)
			return 0;
		if (e.lo - offs[i] > lo)
			lo = e.lo - offs[i];
		if (e.hi - offs[i] < hi)
			hi = e.hi - offs[i];
	}
	*lo_out = lo;
	*hi_out = hi;
	return lo <= hi;
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		die("cannot write %s: %s", path, strerror(errno));
	return f;
}

int main(int argc, char **argv)
{
	struct cfg c = { .dir = "." };
	static int cpus[MAX_CPUS];
	struct pair_result pr;
	struct warp_result wr;
	cpu_set_t set;
	FILE *pairs, *warp, *wrounds, *env;
	int opt, n = 0, i, j, npairs = 0, bad = 0;
	s64 ilo = 0, ihi = 0;
	double worst_ratio = 0;

	while ((opt = getopt(argc, argv, "qo:")) != -1) {
		switch (opt) {
		case 'q':
			c.quick = 1;
			break;
		case 'o':
			c.dir = optarg;
			break;
		default:
			fprintf(stderr, "usage: bench_host [-q] [-o DIR]\n");
			return 2;
		}
	}
	c.pp_rounds = c.quick ? 200 : 1000;
	c.sweeps = c.quick ? 100 : 1000;
	c.trials = c.quick ? 1 : 7;
	c.bisect = c.quick ? 2 : 5;
	c.reps = c.quick ? 4 : 40;
	c.warp_ms = c.quick ? 2 : 20;

	if (sched_getaffinity(0, sizeof(set), &set))
		die("sched_getaffinity: %s", strerror(errno));
	for (i = 0; i < CPU_SETSIZE && n < MAX_CPUS; i++)
		if (CPU_ISSET(i, &set))
			cpus[n++] = i;
	measure_tsc_hz();

	pairs = open_out(c.dir, "host_pairs.csv");
	warp = open_out(c.dir, "warp.csv");
	wrounds = open_out(c.dir, "warp_rounds.csv");
	env = open_out(c.dir, "host.env");
	fprintf(pairs, "cpu_a,cpu_b,floor_min_cycles,floor_median_cycles,xchg_rtt_min_cycles,"
		"halfwidth_median_cycles,halfwidth_min_cycles,ratio_median,ratio_p90,round_cycles,"
		"blocks,intervals_agree,tight_halfwidth_median_cycles,tight_ratio_median\n");
	fprintf(warp, "cpu_a,cpu_b,method,trial,threshold_pos_cycles,rounds_pos,"
		"threshold_neg_cycles,rounds_neg\n");
	fprintf(wrounds, "cpu_a,cpu_b,method,offset_cycles,rep,detected,rounds\n");
	fprintf(env, "tsc_hz=%llu\ncpus=%d\n", tsc_hz, n);
	if (n < 2) {
		fprintf(env, "pairs=0\n");
		fprintf(stderr, "bench_host: one CPU only, nothing to pair\n");
		return 0;
	}

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			/* On big machines: every CPU against the first only. */
			if (n * (n - 1) / 2 > MAX_PAIRS && i)
				continue;
			bench_pair(&c, cpus[i], cpus[j], &pr);
			fprintf(pairs, "%d,%d,%llu,%llu,%llu,%llu,%llu,%.3f,%.3f,%llu,%u,%d,%llu,%.3f\n",
				pr.a, pr.b, pr.pp_min, pr.pp_med, pr.rtt_min, pr.hw_med, pr.hw_min,
				pr.ratio_med, pr.ratio_p90, pr.round_cycles, pr.blocks, pr.agree,
				pr.hw_tight_med, pr.ratio_tight_med);
			fprintf(env, "pair%d=%d,%d,%llu,%llu,%llu,%llu,%.3f,%.3f,%llu,%llu,%.3f\n", npairs,
				pr.a, pr.b, pr.pp_min, pr.pp_med, pr.hw_min, pr.hw_med, pr.ratio_med,
				pr.ratio_p90, pr.round_cycles, pr.hw_tight_med, pr.ratio_tight_med);
			if (pr.ratio_med > worst_ratio)
				worst_ratio = pr.ratio_med;
			if (!pr.complete || !pr.agree)
				bad = 1;
			fprintf(env, "pair%d_ok=%d\n", npairs, pr.complete && pr.agree);
			npairs++;
		}
	fprintf(env, "pairs=%d\nworst_ratio=%.3f\n", npairs, worst_ratio);

	/* Item 2 on the first pair. */
	bench_warp(&c, cpus[0], cpus[1], warp, wrounds, &wr);
	for (i = 0; i < M_COUNT; i++) {
		fprintf(env, "%s_thr=%llu\n%s_thr_rounds=%llu\n", method_name[i], wr.thr[i],
			method_name[i], wr.thr_rounds[i]);
		fprintf(env, "%s_rounds=%llu\n%s_hits=%u\n%s_big_seen=%d\n", method_name[i],
			wr.rounds[i], method_name[i], wr.hits[i], method_name[i], wr.big_seen[i]);
	}
	if (!wr.big_seen[M_TSCMON])
		bad = 1;
	fprintf(env, "thr_ratio=%.3f\nthr_ratio64=%.3f\nreps=%u\n", wr.thr_ratio, wr.thr_ratio64,
		c.reps);
	fprintf(env, "common_offset=%llu\nwarp_budget_ms=%g\n", wr.common, c.warp_ms);
	i = injected_agree(cpus[0], cpus[1], &ilo, &ihi);
	fprintf(env, "injected_agree=%d\ninjected_lo=%lld\ninjected_hi=%lld\n", i, ilo, ihi);
	if (!i)
		bad = 1;

	fclose(pairs);
	fclose(warp);
	fclose(wrounds);
	fclose(env);
	return bad;
}
