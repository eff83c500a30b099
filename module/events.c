// SPDX-License-Identifier: GPL-2.0
/*
 * Correlation: a change of a CPU's skew or drift between two sweeps that
 * is larger than a threshold becomes an event, recorded with what that CPU
 * did in between (idle states entered, frequency transitions). Events go
 * into a ring of the last event_ring_size, printed by the events file, and
 * to the tscmon:tscmon_event tracepoint.
 *
 * A change counts only when it exceeds the threshold by more than its own
 * error bound: both skews are intervals (skew +- uncertainty) and the
 * drift figures inherit their width, so a change inside the sum of the
 * half-widths may be no change at all. With the threshold at 0, every
 * change that the intervals prove is an event.
 *
 * Everything here runs under tscmon_state.lock: the window and the checks
 * from tscmon_state_publish(), the files from their readers and writers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "state.h"
#include "trace.h"

struct tscmon_event {
	u64 seq;
	u64 time_ns;		/* CLOCK_MONOTONIC when the sweep published */
	u64 sweep;
	u32 cpu;
	u32 kind;		/* TSCMON_EVENT_SKEW or _DRIFT */
	s64 change;		/* cycles (skew) or ppb (drift) */
	u64 bound;		/* the change's error bound, same unit */
	struct tscmon_window win;
	u32 khz;		/* last frequency seen on the CPU; 0: none */
};

static const char *const tscmon_event_kind[] = {
	[TSCMON_EVENT_SKEW] = "skew",
	[TSCMON_EVENT_DRIFT] = "drift",
};

static struct tscmon_event *tscmon_ring;
static unsigned int tscmon_ring_size = TSCMON_EVENT_RING_DEFAULT;
static unsigned int tscmon_ring_head;	/* next slot to write */
static unsigned int tscmon_ring_count;
static u64 tscmon_event_seq;		/* last sequence number given */
static u64 tscmon_events_total;		/* since load */
static u64 tscmon_events_lost;		/* overwritten before being cleared */
static unsigned int tscmon_thr_cycles = TSCMON_EVENT_CYCLES_DEFAULT;
static unsigned int tscmon_thr_ppb = TSCMON_EVENT_PPB_DEFAULT;

/*
 * Closes the window since the previous snapshot of cpu and opens the next
 * one. The first call after load or reset only takes the snapshot.
 */
void tscmon_events_window(unsigned int cpu, struct tscmon_window *w)
{
	u64 now[TSCMON_IDLE_STATES], n, t, d;
	int i;

	lockdep_assert_held(&tscmon_state.lock);
	tscmon_idle_read(cpu, now);
	tscmon_freq_counts(cpu, &n, &t);
	if (w->snap_valid) {
		w->valid = 1;
		w->deepest = -1;
		w->deepest_entries = 0;
		w->idle_entries = 0;
		for (i = 0; i < TSCMON_IDLE_STATES; i++) {
			d = now[i] - w->snap[i];
			w->idle_entries += d;
			if (d) {
				w->deepest = i;
				w->deepest_entries = d;
			}
		}
		w->freq_notifier = n - w->snap_notifier;
		w->freq_tracepoint = t - w->snap_tracepoint;
	}
	memcpy(w->snap, now, sizeof(w->snap));
	w->snap_notifier = n;
	w->snap_tracepoint = t;
	w->snap_valid = 1;
}

static void tscmon_events_add(unsigned int cpu, struct tscmon_cpu_rec *rec,
			      u32 kind, s64 change, u64 bound, u64 sweep)
{
	struct tscmon_event *e = &tscmon_ring[tscmon_ring_head];

	if (tscmon_ring_count == tscmon_ring_size)
		tscmon_events_lost++;
	else
		tscmon_ring_count++;
	tscmon_ring_head = (tscmon_ring_head + 1) % tscmon_ring_size;

	*e = (struct tscmon_event){
		.seq = ++tscmon_event_seq,
		.time_ns = ktime_get_ns(),
		.sweep = sweep,
		.cpu = cpu,
		.kind = kind,
		.change = change,
		.bound = bound,
		.win = rec->win,
		.khz = tscmon_freq_cur_khz(cpu),
	};
	tscmon_events_total++;
	rec->events++;
	trace_tscmon_event(e->seq, sweep, cpu, kind, change,
			   bound, e->win.valid ? e->win.deepest : -1,
			   e->win.deepest_entries, e->win.freq_notifier,
			   e->win.freq_tracepoint);
}

static bool tscmon_events_exceeds(s64 change, u64 bound, unsigned int thr)
{
	u64 a = tscmon_abs64(change);

	return a > bound && a - bound > thr;
}

/*
 * Called after a sweep folded a valid skew into rec (a CPU other than the
 * reference); prev is the record as it was before.
 */
void tscmon_events_check(unsigned int cpu, struct tscmon_cpu_rec *rec,
			 const struct tscmon_prev *prev, u64 sweep)
{
	const struct tscmon_stats *s = &rec->stats;
	s64 change, prev_drift = 0;
	u64 bound, prev_bound = 0, dt;

	lockdep_assert_held(&tscmon_state.lock);
	if (!prev->valid)
		return;

	change = rec->skew - prev->skew;
	bound = rec->uncertainty + prev->uncertainty;
	if (tscmon_events_exceeds(change, bound, READ_ONCE(tscmon_thr_cycles)))
		tscmon_events_add(cpu, rec, TSCMON_EVENT_SKEW, change, bound,
				  sweep);

	dt = s->last_t - prev->t_ref;
	if (!s->drift_valid || (s64)dt <= 0)
		return;
	/* Each skew is off by at most its half-width: the drift by their sum over dt. */
	rec->drift_bound = (u64)tscmon_ratio_ppb(bound, dt) + 3;
	if (prev->drift_valid) {
		prev_drift = prev->drift_ppb;
		prev_bound = prev->drift_bound;
	}
	change = s->drift_ppb - prev_drift;
	bound = rec->drift_bound > U64_MAX - prev_bound ?
		U64_MAX : rec->drift_bound + prev_bound;
	if (tscmon_events_exceeds(change, bound, READ_ONCE(tscmon_thr_ppb)))
		tscmon_events_add(cpu, rec, TSCMON_EVENT_DRIFT, change, bound,
				  sweep);
}

/* Empties the ring (reset); sequence numbers and totals go on. */
void tscmon_events_clear(void)
{
	lockdep_assert_held(&tscmon_state.lock);
	tscmon_ring_head = 0;
	tscmon_ring_count = 0;
}

static void tscmon_events_u64(struct seq_file *m, bool valid, u64 v)
{
	if (valid)
		seq_printf(m, " %llu", v);
	else
		seq_puts(m, " -");
}

static void tscmon_events_print(struct seq_file *m,
				const struct tscmon_event *e)
{
	const struct tscmon_window *w = &e->win;
	bool deep = w->valid && w->deepest >= 0;

	seq_printf(m, "%llu %llu %llu %u %s %lld %llu", e->seq, e->time_ns,
		   e->sweep, e->cpu, tscmon_event_kind[e->kind], e->change,
		   e->bound);
	tscmon_events_u64(m, deep, w->deepest);
	tscmon_events_u64(m, deep, w->deepest_entries);
	tscmon_events_u64(m, w->valid, w->idle_entries);
	tscmon_events_u64(m, w->valid, w->freq_notifier);
	tscmon_events_u64(m, w->valid, w->freq_tracepoint);
	tscmon_events_u64(m, e->khz, e->khz);
	seq_putc(m, '\n');
}

int tscmon_events_show(struct seq_file *m, void *v)
{
	unsigned int i, first;

	seq_puts(m, "seq time_ns sweep cpu kind change bound deepest_state deepest_entries idle_entries freq_notifier freq_tracepoint cur_khz\n");
	mutex_lock(&tscmon_state.lock);
	first = (tscmon_ring_head + tscmon_ring_size - tscmon_ring_count) %
		tscmon_ring_size;
	for (i = 0; i < tscmon_ring_count; i++)
		tscmon_events_print(m, &tscmon_ring[(first + i) %
						    tscmon_ring_size]);
	mutex_unlock(&tscmon_state.lock);
	return 0;
}

void tscmon_events_summary(struct seq_file *m)
{
	lockdep_assert_held(&tscmon_state.lock);
	seq_printf(m, "events_total %llu\n", tscmon_events_total);
	seq_printf(m, "events_in_ring %u\n", tscmon_ring_count);
	seq_printf(m, "events_overwritten %llu\n", tscmon_events_lost);
	seq_printf(m, "event_ring_size %u\n", tscmon_ring_size);
	seq_printf(m, "event_threshold_cycles %u\n", tscmon_thr_cycles);
	seq_printf(m, "event_threshold_ppb %u\n", tscmon_thr_ppb);
}

unsigned int tscmon_events_threshold(bool drift)
{
	return READ_ONCE(*(drift ? &tscmon_thr_ppb : &tscmon_thr_cycles));
}

void tscmon_events_set_threshold(bool drift, unsigned int v)
{
	mutex_lock(&tscmon_state.lock);
	WRITE_ONCE(*(drift ? &tscmon_thr_ppb : &tscmon_thr_cycles), v);
	mutex_unlock(&tscmon_state.lock);
}

unsigned int tscmon_events_ring_size(void)
{
	return READ_ONCE(tscmon_ring_size);
}

/* A new ring of n slots, keeping the newest events that fit. */
int tscmon_events_set_ring_size(unsigned int n)
{
	struct tscmon_event *ring, *old;
	unsigned int i, keep, first;

	if (n < 1 || n > TSCMON_EVENT_RING_MAX)
		return -EINVAL;
	ring = kvcalloc(n, sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;

	mutex_lock(&tscmon_state.lock);
	keep = min(n, tscmon_ring_count);
	first = (tscmon_ring_head + tscmon_ring_size - keep) % tscmon_ring_size;
	for (i = 0; i < keep; i++)
		ring[i] = tscmon_ring[(first + i) % tscmon_ring_size];
	tscmon_events_lost += tscmon_ring_count - keep;
	old = tscmon_ring;
	tscmon_ring = ring;
	WRITE_ONCE(tscmon_ring_size, n);
	tscmon_ring_count = keep;
	tscmon_ring_head = keep % n;
	mutex_unlock(&tscmon_state.lock);

	kvfree(old);
	return 0;
}

int tscmon_events_init(void)
{
	tscmon_ring = kvcalloc(tscmon_ring_size, sizeof(*tscmon_ring),
			       GFP_KERNEL);
	return tscmon_ring ? 0 : -ENOMEM;
}

void tscmon_events_exit(void)
{
	kvfree(tscmon_ring);
	tscmon_ring = NULL;
}
