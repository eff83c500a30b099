/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels tscmon builds against lives here, so
 * that the .c files carry no version tests. Each shim names the release that
 * changed the interface; feature tests come before version tests.
 */
#ifndef TSCMON_COMPAT_H
#define TSCMON_COMPAT_H

#include <linux/timekeeping.h>
#include <linux/types.h>
#include <linux/version.h>
#include <asm/msr.h>

#ifndef CONFIG_X86
#error "tscmon reads the x86 Time Stamp Counter and builds only for x86"
#endif

/* The oldest kernel tscmon is built and tested against. */
#if KERNEL_VERSION(6, 1, 0) > LINUX_VERSION_CODE
#error "tscmon needs Linux 6.1 or later"
#endif

/*
 * 6.16 renamed the 64-bit MSR accessors from rdmsrl*() to rdmsrq*(),
 * rdmsrl_safe_on_cpu() included; the rdmsrq() macro came in the same
 * series, so its presence tells which name this kernel has.
 */
#ifdef rdmsrq
static inline int tscmon_rdmsr_safe_on_cpu(unsigned int cpu, u32 msr, u64 *q)
{
	return rdmsrq_safe_on_cpu(cpu, msr, q);
}
#else
static inline int tscmon_rdmsr_safe_on_cpu(unsigned int cpu, u32 msr, u64 *q)
{
	return rdmsrl_safe_on_cpu(cpu, msr, q);
}
#endif

/*
 * Which clocksource the timekeeper reads, as far as ktime_get_snapshot()
 * tells: the x86 ids (CSID_X86_TSC and friends) came after 6.1, where every
 * x86 clocksource is CSID_GENERIC. clocksource_ids.h has no macro to test,
 * so module/Kbuild looks for the enumerator and defines
 * TSCMON_HAVE_CSID_X86. "-" means this kernel cannot say. 7.x replaced
 * ktime_get_snapshot() with ktime_get_snapshot_id(), which names the clock
 * to pair with the counter (Kbuild: TSCMON_HAVE_SNAPSHOT_ID).
 */
#ifdef TSCMON_HAVE_SNAPSHOT_ID
static inline void tscmon_ktime_get_snapshot(struct system_time_snapshot *snap)
{
	ktime_get_snapshot_id(CLOCK_REALTIME, snap);
}
#else
static inline void tscmon_ktime_get_snapshot(struct system_time_snapshot *snap)
{
	ktime_get_snapshot(snap);
}
#endif

#ifdef TSCMON_HAVE_CSID_X86
static inline const char *tscmon_clocksource_kind(void)
{
	struct system_time_snapshot snap;

	tscmon_ktime_get_snapshot(&snap);
	switch (snap.cs_id) {
	case CSID_X86_TSC:
		return "tsc";
	case CSID_X86_TSC_EARLY:
		return "tsc-early";
	case CSID_X86_KVM_CLK:
		return "kvm-clock";
	default:
		return "other";
	}
}
#else
static inline const char *tscmon_clocksource_kind(void)
{
	return "-";
}
#endif

#endif /* TSCMON_COMPAT_H */
