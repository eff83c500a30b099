// SPDX-License-Identifier: GPL-2.0
/*
 * An independent clock: the reference CPU's TSC rate measured against a
 * timer that owes nothing to the TSC, the ACPI PM timer (3.579545 MHz, its
 * I/O port from the FADT) or, without one, the HPET main counter (its
 * address from the ACPI HPET table, its period from its own ID register).
 *
 * Once a second a delayed work bound to the reference CPU reads the timer
 * between two TSC stamps with interrupts off (a few microseconds; the
 * narrowest of three tries is kept). The timer value is extended to 64 bits
 * across wraps (a 24-bit PM timer wraps every 4.7 s, so a gap of more than
 * 3 s between two reads starts the window afresh). The last
 * TSCMON_RATE_SAMPLES reads form the window; the rate is the TSC cycles
 * over the reference time between its first and last read, once that is at
 * least one second.
 *
 * Error bound, relative: the half-widths of the two brackets over the TSC
 * cycles between them (where in its bracket each timer read happened is not
 * known) plus one timer tick over the ticks between them (the timer count
 * says only which tick was running). Nothing here is statistical.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/workqueue.h>
#include <asm/hpet.h>
#include <asm/msr.h>
#include <asm/tsc.h>

#include "tscmon.h"

#define TSCMON_RATE_PERIOD_MS	1000
#define TSCMON_RATE_SAMPLES	32
#define TSCMON_RATE_TRIES	3
#define TSCMON_RATE_GAP_NS	3000000000ULL	/* longest gap between reads */
#define TSCMON_PM_HZ		3579545ULL
#define TSCMON_FS_PER_SEC	1000000000000000ULL
#define TSCMON_HPET_MAX_FS	100000000U	/* the spec's longest period */

struct tscmon_rate_sample {
	u64 tsc;		/* middle of the bracket */
	u64 half;		/* half-width of the bracket, rounded up */
	u64 ticks;		/* timer ticks since the window started */
};

static struct {
	struct mutex lock;	/* the samples and the result */
	struct delayed_work work;
	bool stopping;
	const char *name;	/* acpi_pm, hpet or none */
	u16 port;		/* acpi_pm */
	void __iomem *hpet;	/* hpet */
	u32 mask;		/* counter width */
	u64 tick_num;		/* one tick is tick_num / tick_den s */
	u64 tick_den;
	u32 last_raw;
	unsigned int head;	/* next slot */
	unsigned int count;
	u64 restarts;
	struct tscmon_rate_sample ring[TSCMON_RATE_SAMPLES];
} tscmon_rate = {
	.lock = __MUTEX_INITIALIZER(tscmon_rate.lock),
	.name = "none",
};

static u32 tscmon_rate_raw(void)
{
	if (tscmon_rate.port)
		return inl(tscmon_rate.port) & tscmon_rate.mask;
	return readl(tscmon_rate.hpet + HPET_COUNTER);
}

/* The ACPI PM timer, as arch/x86/kernel/acpi/boot.c finds it. */
static bool tscmon_rate_find_pm(void)
{
	u64 port = tscmon_acpi_pm_port(&tscmon_rate.mask);

	if (!port || port > 0xfffc)
		return false;
	tscmon_rate.port = port;
	tscmon_rate.tick_num = 1;
	tscmon_rate.tick_den = TSCMON_PM_HZ;
	tscmon_rate.name = "acpi_pm";
	return true;
}

/* The HPET main counter, if the ACPI table names it and it is running. */
static bool tscmon_rate_find_hpet(void)
{
	u64 addr = tscmon_acpi_hpet_address();
	void __iomem *base;
	u32 period, a, b;

	if (!addr)
		return false;
	base = ioremap(addr, HPET_COUNTER + 8);
	if (!base)
		return false;
	period = readl(base + HPET_PERIOD);
	a = readl(base + HPET_COUNTER);
	usleep_range(10, 20);
	b = readl(base + HPET_COUNTER);
	if (!period || period > TSCMON_HPET_MAX_FS ||
	    !(readl(base + HPET_CFG) & HPET_CFG_ENABLE) || a == b) {
		iounmap(base);
		return false;
	}
	tscmon_rate.hpet = base;
	tscmon_rate.mask = U32_MAX;
	tscmon_rate.tick_num = period;
	tscmon_rate.tick_den = TSCMON_FS_PER_SEC;
	tscmon_rate.name = "hpet";
	return true;
}

/*
 * Next read in a second on the reference CPU, or anywhere while it is
 * offline (the read then finds itself elsewhere and restarts the window).
 */
static void tscmon_rate_arm(unsigned long delay)
{
	unsigned int ref = tscmon_state_ref_cpu();

	cpus_read_lock();
	if (cpu_online(ref))
		queue_delayed_work_on(ref, system_wq, &tscmon_rate.work, delay);
	else
		queue_delayed_work(system_wq, &tscmon_rate.work, delay);
	cpus_read_unlock();
}

/* Forgets the window; the next read starts a new one. */
static void tscmon_rate_restart_locked(void)
{
	lockdep_assert_held(&tscmon_rate.lock);
	tscmon_rate.count = 0;
	tscmon_rate.head = 0;
	tscmon_rate.restarts++;
}

void tscmon_rate_restart(void)
{
	mutex_lock(&tscmon_rate.lock);
	tscmon_rate_restart_locked();
	mutex_unlock(&tscmon_rate.lock);
}

/*
 * One bracketed read on the reference CPU; false if this work is not
 * running there (the CPU went offline and the work was moved).
 */
static bool tscmon_rate_read(unsigned int ref, struct tscmon_rate_sample *s,
			     u32 *raw)
{
	u64 a, b, best = U64_MAX;
	unsigned long flags;
	unsigned int i;
	u32 r;

	for (i = 0; i < TSCMON_RATE_TRIES; i++) {
		local_irq_save(flags);
		if (smp_processor_id() != ref) {
			local_irq_restore(flags);
			return false;
		}
		a = rdtsc_ordered();
		r = tscmon_rate_raw();
		b = rdtsc_ordered();
		local_irq_restore(flags);
		a = tscmon_fault_stamp(ref, a);
		b = tscmon_fault_stamp(ref, b);
		if (b - a < best) {
			best = b - a;
			s->tsc = a + best / 2;
			s->half = best - best / 2;
			*raw = r;
		}
	}
	return true;
}

static void tscmon_rate_add(struct tscmon_rate_sample *s, u32 raw)
{
	struct tscmon_rate_sample *last;
	u64 gap;

	lockdep_assert_held(&tscmon_rate.lock);
	if (tscmon_rate.count) {
		last = &tscmon_rate.ring[(tscmon_rate.head +
					  TSCMON_RATE_SAMPLES - 1) %
					 TSCMON_RATE_SAMPLES];
		gap = tscmon_cycles_to_ns(s->tsc - last->tsc, tsc_khz);
		if ((s64)(s->tsc - last->tsc) <= 0 || gap > TSCMON_RATE_GAP_NS)
			tscmon_rate_restart_locked();
		else
			s->ticks = last->ticks +
				   ((raw - tscmon_rate.last_raw) &
				    tscmon_rate.mask);
	}
	if (!tscmon_rate.count)
		s->ticks = 0;
	tscmon_rate.ring[tscmon_rate.head] = *s;
	tscmon_rate.head = (tscmon_rate.head + 1) % TSCMON_RATE_SAMPLES;
	if (tscmon_rate.count < TSCMON_RATE_SAMPLES)
		tscmon_rate.count++;
	tscmon_rate.last_raw = raw;
}

static void tscmon_rate_work(struct work_struct *work)
{
	unsigned int ref = tscmon_state_ref_cpu();
	struct tscmon_rate_sample s = { 0 };
	u32 raw = 0;

	mutex_lock(&tscmon_rate.lock);
	if (tscmon_rate.stopping) {
		mutex_unlock(&tscmon_rate.lock);
		return;
	}
	if (tscmon_rate_read(ref, &s, &raw))
		tscmon_rate_add(&s, raw);
	else
		tscmon_rate_restart_locked();
	tscmon_rate_arm(msecs_to_jiffies(TSCMON_RATE_PERIOD_MS));
	mutex_unlock(&tscmon_rate.lock);
}

/* The figures of the current window; false until it spans a second. */
struct tscmon_rate_result {
	u64 mhz;		/* measured TSC rate, millihertz */
	s64 dev_ppb;		/* (measured - declared) / declared */
	u64 unc_ppb;		/* error bound of dev_ppb */
	u64 window_ns;		/* reference time the window spans */
	u32 khz;		/* the declared rate it was compared with */
};

static bool tscmon_rate_result(struct tscmon_rate_result *res)
{
	const struct tscmon_rate_sample *o, *n;
	u64 dt, dk, ref_ns, decl, diff, rel;

	lockdep_assert_held(&tscmon_rate.lock);
	res->khz = READ_ONCE(tsc_khz);
	if (tscmon_rate.count < 2 || !res->khz)
		return false;
	o = &tscmon_rate.ring[(tscmon_rate.head + TSCMON_RATE_SAMPLES -
			       tscmon_rate.count) % TSCMON_RATE_SAMPLES];
	n = &tscmon_rate.ring[(tscmon_rate.head + TSCMON_RATE_SAMPLES - 1) %
			      TSCMON_RATE_SAMPLES];
	dt = n->tsc - o->tsc;
	dk = n->ticks - o->ticks;
	/* At most 32 s of a timer of at most 3.6e9 Hz: no product overflows. */
	ref_ns = mul_u64_u64_div_u64(dk, tscmon_rate.tick_num * NSEC_PER_SEC,
				     tscmon_rate.tick_den);
	if (ref_ns < NSEC_PER_SEC || !dt)
		return false;
	res->window_ns = ref_ns;
	/* dt * tick_den / (dk * tick_num) Hz, in mHz. */
	res->mhz = mul_u64_u64_div_u64(dt, tscmon_rate.tick_den * 1000,
				       dk * tscmon_rate.tick_num);
	decl = (u64)res->khz * 1000000;
	diff = res->mhz > decl ? res->mhz - decl : decl - res->mhz;
	res->dev_ppb = (s64)mul_u64_u64_div_u64(diff, NSEC_PER_SEC, decl);
	if (res->mhz < decl)
		res->dev_ppb = -res->dev_ppb;
	/* Relative bound in ppb of the measured rate, rounded up ... */
	rel = div64_u64((o->half + n->half) * NSEC_PER_SEC + dt - 1, dt) +
	      div64_u64(NSEC_PER_SEC + dk - 1, dk) + 1;
	/* ... then in ppb of the declared one, like dev_ppb. */
	res->unc_ppb = mul_u64_u64_div_u64(rel, res->mhz, decl) + 1;
	return true;
}

/* ppb as ppm with three decimals: -828123 as -828.123. */
static void tscmon_rate_ppm(struct seq_file *m, const char *key, s64 ppb)
{
	u64 a = tscmon_abs64(ppb);

	seq_printf(m, "%s %s%llu.%03llu\n", key, ppb < 0 ? "-" : "",
		   div_u64(a, 1000), a % 1000);
}

void tscmon_rate_summary(struct seq_file *m)
{
	struct tscmon_rate_result r;
	bool ok;

	mutex_lock(&tscmon_rate.lock);
	ok = tscmon_rate_result(&r);
	seq_printf(m, "rate_reference %s\n", tscmon_rate.name);
	if (ok) {
		seq_printf(m, "tsc_khz_measured %llu\n",
			   div_u64(r.mhz + 500000, 1000000));
		tscmon_rate_ppm(m, "tsc_rate_ppm", r.dev_ppb);
		tscmon_rate_ppm(m, "tsc_rate_uncertainty_ppm", r.unc_ppb);
		seq_printf(m, "tsc_rate_ppb %lld\n", r.dev_ppb);
		seq_printf(m, "tsc_rate_uncertainty_ppb %llu\n", r.unc_ppb);
		seq_printf(m, "tsc_rate_mhz %llu\n", r.mhz);
		seq_printf(m, "rate_window_ms %llu\n",
			   div_u64(r.window_ns, NSEC_PER_MSEC));
	} else {
		seq_puts(m, "tsc_khz_measured -\ntsc_rate_ppm -\n");
		seq_puts(m, "tsc_rate_uncertainty_ppm -\ntsc_rate_ppb -\n");
		seq_puts(m, "tsc_rate_uncertainty_ppb -\ntsc_rate_mhz -\n");
		seq_puts(m, "rate_window_ms 0\n");
	}
	seq_printf(m, "rate_samples %u\n", tscmon_rate.count);
	seq_printf(m, "rate_restarts %llu\n", tscmon_rate.restarts);
	mutex_unlock(&tscmon_rate.lock);
}

int tscmon_rate_start(void)
{
	if (!tscmon_rate_find_pm() && !tscmon_rate_find_hpet()) {
		pr_info("no ACPI PM timer or HPET: the TSC rate is not checked\n");
		return 0;
	}
	INIT_DELAYED_WORK(&tscmon_rate.work, tscmon_rate_work);
	mutex_lock(&tscmon_rate.lock);
	tscmon_rate.stopping = false;
	tscmon_rate.restarts = 0;
	tscmon_rate_arm(0);
	mutex_unlock(&tscmon_rate.lock);
	return 0;
}

void tscmon_rate_stop(void)
{
	if (!strcmp(tscmon_rate.name, "none"))
		return;
	mutex_lock(&tscmon_rate.lock);
	tscmon_rate.stopping = true;
	mutex_unlock(&tscmon_rate.lock);
	cancel_delayed_work_sync(&tscmon_rate.work);
	if (tscmon_rate.hpet)
		iounmap(tscmon_rate.hpet);
	tscmon_rate.hpet = NULL;
	tscmon_rate.port = 0;
	tscmon_rate.name = "none";
}
