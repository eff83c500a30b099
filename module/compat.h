/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels tscmon builds against lives here, so
 * that the .c files carry no version tests. Each shim names the release that
 * changed the interface; feature tests come before version tests.
 */
#ifndef TSCMON_COMPAT_H
#define TSCMON_COMPAT_H

#include <linux/acpi.h>
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

static inline int tscmon_rdmsr_safe(u32 msr, u64 *q)
{
	return rdmsrq_safe(msr, q);
}
#else
static inline int tscmon_rdmsr_safe_on_cpu(unsigned int cpu, u32 msr, u64 *q)
{
	return rdmsrl_safe_on_cpu(cpu, msr, q);
}

static inline int tscmon_rdmsr_safe(u32 msr, u64 *q)
{
	return rdmsrl_safe(msr, q);
}
#endif

/*
 * The ACPI timers rate.c may read, found as the kernel finds them. The
 * kernel's own pmtmr_ioport is not exported (6.1 to 7.2), acpi_gbl_FADT
 * and acpi_get_table() are; the same on every kernel in the range, but
 * absent without CONFIG_ACPI.
 */
#ifdef CONFIG_ACPI
/* The PM timer's I/O port (0: none) and its width (24 or 32 bits). */
static inline u64 tscmon_acpi_pm_port(u32 *mask)
{
	u64 port;

	if (acpi_disabled)
		return 0;
	/* As arch/x86/kernel/acpi/boot.c: the X field first from FADT rev 2. */
	if (acpi_gbl_FADT.header.revision >= FADT2_REVISION_ID) {
		if (acpi_gbl_FADT.xpm_timer_block.space_id !=
		    ACPI_ADR_SPACE_SYSTEM_IO)
			return 0;
		port = acpi_gbl_FADT.xpm_timer_block.address;
		if (!port)
			port = acpi_gbl_FADT.pm_timer_block;
	} else {
		port = acpi_gbl_FADT.pm_timer_block;
	}
	*mask = acpi_gbl_FADT.flags & ACPI_FADT_32BIT_TIMER ? U32_MAX :
							      0xffffff;
	return port;
}

/* The HPET's physical address from the ACPI HPET table; 0: none. */
static inline u64 tscmon_acpi_hpet_address(void)
{
	struct acpi_table_header *hdr;
	struct acpi_table_hpet *hpet;
	u64 addr = 0;

	if (acpi_disabled ||
	    ACPI_FAILURE(acpi_get_table(ACPI_SIG_HPET, 0, &hdr)))
		return 0;
	hpet = container_of(hdr, struct acpi_table_hpet, header);
	if (hpet->address.space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY)
		addr = hpet->address.address;
	acpi_put_table(hdr);
	return addr;
}
#else
static inline u64 tscmon_acpi_pm_port(u32 *mask)
{
	return 0;
}

static inline u64 tscmon_acpi_hpet_address(void)
{
	return 0;
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
