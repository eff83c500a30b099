// SPDX-License-Identifier: GPL-2.0
/*
 * The exchange of module/exchange.c between two threads pinned to two CPUs
 * of the host, on the host's real TSC (rdtscp), feeding the same estimator.
 * What can be asserted without knowing the host: every exchange yields an
 * interval, its half-width is at most half its round trip, and exchanges
 * made one after the other agree (their intervals intersect), since the
 * offset between two TSCs does not move in milliseconds. Whether the
 * intervals hold 0 is reported, not asserted: it depends on the host.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "estimator.h"
#include "tap.h"

#define ROUNDS		2000
#define EXCHANGES	5
#define SPIN_LIMIT	200000000ULL	/* cycles: give up on a round */

struct line {
	_Atomic u64 go, stop, ready, ack;
	_Atomic u64 t1;
} __attribute__((aligned(64)));

static struct line line;
static int cpu_a, cpu_b;

/* rdtscp waits for earlier instructions; the lfence keeps later ones after. */
static inline u64 tsc(void)
{
	unsigned int lo, hi, aux;

	__asm__ __volatile__("rdtscp; lfence" : "=a"(lo), "=d"(hi), "=c"(aux) :: "memory");
	return ((u64)hi << 32) | lo;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *partner(void *arg)
{
	u64 r = 1, start;

	(void)arg;
	pin(cpu_b);
	while (!atomic_load(&line.stop)) {
		atomic_store_explicit(&line.ready, r, memory_order_release);
		start = tsc();
		while (atomic_load_explicit(&line.go, memory_order_acquire) != r &&
		       !atomic_load(&line.stop) && tsc() - start < SPIN_LIMIT)
			;
		if (atomic_load_explicit(&line.go, memory_order_acquire) == r) {
			atomic_store_explicit(&line.t1, tsc(), memory_order_relaxed);
			atomic_store_explicit(&line.ack, r, memory_order_release);
			r++;
		}
	}
	return NULL;
}

/* One exchange of ROUNDS rounds; 0 on success. */
static int exchange(struct tscmon_est *e)
{
	static u64 r;
	u64 end = r + ROUNDS, t0, t2, start;

	tscmon_est_init(e);
	while (r < end) {
		r++;
		start = tsc();
		while (atomic_load_explicit(&line.ready, memory_order_acquire) != r)
			if (tsc() - start > SPIN_LIMIT)
				return -1;
		t0 = tsc();
		atomic_store_explicit(&line.go, r, memory_order_release);
		while (atomic_load_explicit(&line.ack, memory_order_acquire) != r)
			if (tsc() - t0 > SPIN_LIMIT)
				return -1;
		t2 = tsc();
		tscmon_est_round(e, t0, atomic_load_explicit(&line.t1, memory_order_relaxed), t2);
	}
	return e->valid ? 0 : -1;
}

void test_host_tsc(void)
{
	struct tscmon_est e[EXCHANGES];
	s64 lo = INT64_MIN, hi = INT64_MAX;
	int i, n = 0, ok = 1, half = 1, zero = 1;
	cpu_set_t set;
	pthread_t t;

	cpu_a = cpu_b = -1;
	if (!sched_getaffinity(0, sizeof(set), &set))
		for (i = 0; i < CPU_SETSIZE && cpu_b < 0; i++)
			if (CPU_ISSET(i, &set)) {
				if (cpu_a < 0)
					cpu_a = i;
				else
					cpu_b = i;
			}
	if (cpu_b < 0) {
		tap_skip("host TSC exchange: needs two CPUs");
		tap_skip("host TSC exchange: consistency");
		return;
	}
	pin(cpu_a);
	if (pthread_create(&t, NULL, partner, NULL)) {
		tap_result(0, "host TSC exchange: cannot start the partner thread");
		return;
	}
	for (i = 0; i < EXCHANGES; i++) {
		if (exchange(&e[i])) {
			ok = 0;
			break;
		}
		n++;
		tap_diag("cpu%d vs cpu%d: skew %lld +- %llu (rtt %llu, [%lld, %lld], %llu warps)",
			 cpu_b, cpu_a, tscmon_est_skew(&e[i]), tscmon_est_uncertainty(&e[i]),
			 e[i].rtt, e[i].lo, e[i].hi, e[i].warps);
		if (2 * tscmon_est_uncertainty(&e[i]) > e[i].rtt + 1)
			half = 0;
		if (e[i].lo > 0 || e[i].hi < 0)
			zero = 0;
		if (e[i].lo > lo)
			lo = e[i].lo;
		if (e[i].hi < hi)
			hi = e[i].hi;
	}
	atomic_store(&line.stop, 1);
	pthread_join(t, NULL);

	tap_result(ok && half, "host TSC exchange: %d exchanges of %d rounds between pinned threads, uncertainty <= rtt/2",
		   n, ROUNDS);
	tap_result(ok && lo <= hi, "host TSC exchange: the intervals agree (intersection [%lld, %lld])",
		   lo, hi);
	tap_diag("host TSCs %s", zero ? "agree: every interval holds 0" :
		 "differ: some interval does not hold 0");
}
