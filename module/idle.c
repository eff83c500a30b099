// SPDX-License-Identifier: GPL-2.0
/*
 * Idle states per CPU, counted from the power:cpu_idle tracepoint: entries
 * and residency per state index, and the last state left.
 *
 * The probe runs on the idle path of every CPU, with interrupts off, as
 * the CPU goes to sleep and as it wakes. It touches only this CPU's own
 * record through this_cpu ops (one %gs-relative instruction each): no
 * locks, no atomics, no calls, no shared cache lines. Residency is kept in
 * raw TSC cycles (one RDTSC per event) and converted to ns at read time.
 *
 * Readers on other CPUs read the counters with READ_ONCE(); a u64 read is
 * single-copy atomic on x86-64, so a reader sees each counter either
 * before or after an update, never torn.
 *
 * Only indices are kept. The names belong to the cpuidle driver, which may
 * unregister and unload at any time; no exported lock keeps a driver's
 * state table alive for a module short of cpuidle_pause_and_lock(), which
 * stops idle on every CPU (docs/design.md). Clients map an index to its
 * name through sysfs (cpuN/cpuidle/stateK/name).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/tracepoint.h>
#include <asm/tsc.h>
#include <trace/events/power.h>

#include "tscmon.h"

struct tscmon_idle {
	u64 entries[TSCMON_IDLE_STATES];
	u64 residency[TSCMON_IDLE_STATES];	/* TSC cycles */
	u64 enter_tsc;		/* TSC at the last entry; 0 once it was left */
	u64 out_of_range;	/* entries with an index >= TSCMON_IDLE_STATES */
	u32 cur;		/* index of the last state entered */
	u32 last_exit;		/* index + 1 of the last state left; 0: none */
};

static DEFINE_PER_CPU(struct tscmon_idle, tscmon_idle);

static void tscmon_idle_probe(void *data, unsigned int state,
			      unsigned int cpu_id)
{
	u64 now = rdtsc();
	u64 enter;
	u32 cur;

	if (state == PWR_EVENT_EXIT) {
		enter = this_cpu_read(tscmon_idle.enter_tsc);
		if (!enter)
			return;		/* entered before the probe was attached */
		cur = this_cpu_read(tscmon_idle.cur);
		/*
		 * cur < TSCMON_IDLE_STATES by construction. Pointer arithmetic,
		 * not an index: a kernel with UBSAN_BOUNDS would add a check
		 * and a call that can never be taken.
		 */
		this_cpu_add(*(tscmon_idle.residency + cur), now - enter);
		this_cpu_write(tscmon_idle.last_exit, cur + 1);
		this_cpu_write(tscmon_idle.enter_tsc, 0);
		return;
	}
	if (state >= TSCMON_IDLE_STATES) {
		this_cpu_inc(tscmon_idle.out_of_range);
		return;
	}
	this_cpu_inc(*(tscmon_idle.entries + state));
	this_cpu_write(tscmon_idle.cur, state);
	this_cpu_write(tscmon_idle.enter_tsc, now);
}

/* Entries of every state on cpu, as they stand now. */
void tscmon_idle_read(unsigned int cpu, u64 *entries)
{
	const struct tscmon_idle *t = per_cpu_ptr(&tscmon_idle, cpu);
	unsigned int i;

	for (i = 0; i < TSCMON_IDLE_STATES; i++)
		entries[i] = READ_ONCE(t->entries[i]);
}

u64 tscmon_idle_entries(unsigned int cpu)
{
	u64 e[TSCMON_IDLE_STATES], sum = 0;
	unsigned int i;

	tscmon_idle_read(cpu, e);
	for (i = 0; i < TSCMON_IDLE_STATES; i++)
		sum += e[i];
	return sum;
}

u64 tscmon_idle_out_of_range(unsigned int cpu)
{
	return READ_ONCE(per_cpu(tscmon_idle, cpu).out_of_range);
}

/* Residency of all states on cpu, in ns at the current tsc_khz. */
u64 tscmon_idle_residency_ns(unsigned int cpu)
{
	const struct tscmon_idle *t = per_cpu_ptr(&tscmon_idle, cpu);
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < TSCMON_IDLE_STATES; i++)
		sum += READ_ONCE(t->residency[i]);
	return tscmon_cycles_to_ns(sum, READ_ONCE(tsc_khz));
}

/* Index of the last state cpu left, or -1 if none yet. */
int tscmon_idle_last_exit(unsigned int cpu)
{
	return (int)READ_ONCE(per_cpu(tscmon_idle, cpu).last_exit) - 1;
}

/*
 * The idle table: one row per possible CPU and state index, for the
 * indices 0 to the highest any CPU has entered, so every CPU has the same
 * rows. Read live, without the state lock.
 */
int tscmon_idle_show(struct seq_file *m, void *v)
{
	u32 khz = READ_ONCE(tsc_khz);
	unsigned int cpu, i, top = 0;

	for_each_possible_cpu(cpu)
		for (i = 0; i < TSCMON_IDLE_STATES; i++)
			if (READ_ONCE(per_cpu(tscmon_idle, cpu).entries[i]))
				top = max(top, i + 1);

	seq_puts(m, "cpu state entries residency_ns\n");
	for_each_possible_cpu(cpu) {
		const struct tscmon_idle *t = per_cpu_ptr(&tscmon_idle, cpu);

		for (i = 0; i < top; i++)
			seq_printf(m, "%u %u %llu %llu\n", cpu, i,
				   READ_ONCE(t->entries[i]),
				   tscmon_cycles_to_ns(READ_ONCE(t->residency[i]),
						       khz));
	}
	return 0;
}

int tscmon_idle_start(void)
{
	int ret;

	ret = register_trace_cpu_idle(tscmon_idle_probe, NULL);
	if (ret)
		pr_err("cannot attach to power:cpu_idle (%d)\n", ret);
	return ret;
}

void tscmon_idle_stop(void)
{
	unregister_trace_cpu_idle(tscmon_idle_probe, NULL);
	/* No probe may still be running once the module text goes away. */
	tracepoint_synchronize_unregister();
}
