// SPDX-License-Identifier: GPL-2.0
/*
 * The three-stamp exchange between the reference CPU and one partner CPU,
 * over one shared cache line.
 *
 * The reference side runs in a kworker bound to the reference CPU, the
 * partner side in a work item queued on the partner CPU. Each round keeps
 * interrupts off on either side only for the round itself; between rounds
 * both sides are preemptible. Every wait is bounded: a partner that is
 * never scheduled, or is preempted mid-round, costs a round or the whole
 * exchange with that CPU for this sweep, never a hang.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cache.h>
#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/workqueue.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/tsc.h>

#include "tscmon.h"

/* Longest any one spin may last with interrupts off. */
#define TSCMON_SPIN_US		500
/* Longest the whole exchange with one CPU may take. */
#define TSCMON_XCHG_MS		500

/*
 * The line the two CPUs talk through. Round numbers start at 1; each field
 * has one writer.
 */
struct tscmon_line {
	u64 go;			/* reference: round whose t0 has been taken */
	u64 stop;		/* reference: the partner must return */
	u64 ready;		/* partner: round it waits to stamp */
	u64 ack;		/* partner: round whose t1 is in t1 */
	u64 t1;			/* partner: its stamp */
} ____cacheline_aligned_in_smp;

struct tscmon_xchg {
	struct tscmon_line line;
	struct work_struct work;
	unsigned int cpu;
	unsigned int rounds;
	u64 spin_cycles;
	ktime_t deadline;
	u64 partner_irqoff;	/* longest irq-off window of the partner */
};

static struct tscmon_xchg tscmon_xchg;

static u64 tscmon_xchg_spin_cycles(void)
{
	u64 c = (u64)READ_ONCE(tsc_khz) * TSCMON_SPIN_US / 1000;

	return c ? c : 1000000;
}

/* Partner side: stamp each round once the reference says go. */
static void tscmon_xchg_partner(struct work_struct *work)
{
	struct tscmon_xchg *x = container_of(work, struct tscmon_xchg, work);
	struct tscmon_line *l = &x->line;
	u64 r = 1, go, start, end, t1;
	unsigned long flags;

	while (r <= x->rounds && !READ_ONCE(l->stop) &&
	       ktime_before(ktime_get(), x->deadline)) {
		local_irq_save(flags);
		start = rdtsc_ordered();
		/* Pairs with the acquire in tscmon_xchg_wait_ready(). */
		smp_store_release(&l->ready, r);
		/* Pairs with the release of go: t0 was taken before it. */
		while ((go = smp_load_acquire(&l->go)) != r &&
		       !READ_ONCE(l->stop) &&
		       rdtsc_ordered() - start < x->spin_cycles)
			cpu_relax();
		if (go == r) {
			t1 = rdtsc_ordered();
			WRITE_ONCE(l->t1, tscmon_fault_stamp(x->cpu, t1));
			/* Publishes t1; pairs with the acquire of ack. */
			smp_store_release(&l->ack, r);
			r++;
		}
		end = rdtsc_ordered();
		local_irq_restore(flags);
		if (end - start > x->partner_irqoff)
			x->partner_irqoff = end - start;
		cond_resched();
	}
}

/* Waits, preemptibly, until the partner is ready for round r. */
static bool tscmon_xchg_wait_ready(struct tscmon_xchg *x, u64 r)
{
	/* Pairs with the partner's release of ready. */
	while (smp_load_acquire(&x->line.ready) != r) {
		if (!ktime_before(ktime_get(), x->deadline))
			return false;
		cond_resched();
		cpu_relax();
	}
	return true;
}

/*
 * Reference side of one exchange; runs on CPU ref (a kworker bound to it)
 * with CPU hotplug held off, so that cpu stays online throughout. Fills
 * res->est, res->irqoff_cycles and res->lost.
 */
void tscmon_xchg_run(unsigned int ref, unsigned int cpu, unsigned int rounds,
		     struct tscmon_xchg_result *res)
{
	struct tscmon_xchg *x = &tscmon_xchg;
	struct tscmon_line *l = &x->line;
	u64 r, t0, t1, t2, start, end;
	unsigned long flags;
	bool acked;

	tscmon_est_init(&res->est);
	res->irqoff_cycles = 0;
	res->lost = 0;

	memset(l, 0, sizeof(*l));
	x->cpu = cpu;
	x->rounds = rounds;
	x->spin_cycles = tscmon_xchg_spin_cycles();
	x->deadline = ktime_add_ms(ktime_get(), TSCMON_XCHG_MS);
	x->partner_irqoff = 0;
	INIT_WORK(&x->work, tscmon_xchg_partner);
	queue_work_on(cpu, system_highpri_wq, &x->work);

	for (r = 1; r <= rounds; r++) {
		if (!tscmon_xchg_wait_ready(x, r)) {
			res->lost += rounds - r + 1;
			break;
		}
		local_irq_save(flags);
		start = rdtsc_ordered();
		t0 = tscmon_fault_stamp(ref, start);
		/* t0 is taken before the partner can see go. */
		smp_store_release(&l->go, r);
		/* Pairs with the release of ack: t1 is readable after it. */
		while (!(acked = smp_load_acquire(&l->ack) == r) &&
		       rdtsc_ordered() - start < x->spin_cycles)
			cpu_relax();
		end = rdtsc_ordered();
		t2 = tscmon_fault_stamp(ref, end);
		local_irq_restore(flags);

		if (end - start > res->irqoff_cycles)
			res->irqoff_cycles = end - start;
		t1 = READ_ONCE(l->t1);
		if (!acked || tscmon_est_round(&res->est, t0, t1, t2))
			res->lost++;
		cond_resched();
	}

	WRITE_ONCE(l->stop, 1);
	flush_work(&x->work);
	if (x->partner_irqoff > res->irqoff_cycles)
		res->irqoff_cycles = x->partner_irqoff;
}
