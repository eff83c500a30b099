// SPDX-License-Identifier: GPL-2.0
/*
 * M-tsc-adjust: what the kernel's TSC_ADJUST messages (tsc_sync.c) say
 * about who wrote the TSC. The same "A --> B" pair on every CPU of one
 * socket after a resume is the firmware resynchronising the TSCs on
 * wake-up; scattered values are writes by SMM code or a tool.
 */
#include "advice.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define MAX_SHOWN 8

/* Is there a resume marker before event index I (and after a previous
 * TSC ADJUST burst is irrelevant: any resume before counts)? */
static const struct klog_event *resume_before(const struct klog *l, size_t i)
{
	const struct klog_event *r = NULL;

	for (size_t k = 0; k < i; k++)
		if (l->events[k].family == KF_POWER &&
		    !strcmp(l->events[k].kind, "resume"))
			r = &l->events[k];
	return r;
}

/* The packages of the CPUs in a group, as "0" or "0,1" or "unknown". */
static const char *group_packages(const struct facts *f, const int64_t *cpus,
				  size_t n, int *npk)
{
	struct strlist l = { 0 };

	*npk = 0;
	for (size_t i = 0; i < n; i++) {
		int p = cpuinfo_package(&f->cpu, cpus[i]);
		const char *s = p < 0 ? "unknown" : arena_printf(f->a, "%d", p);

		if (!strlist_has(&l, s)) {
			strlist_add(f->a, &l, s);
			(*npk)++;
		}
	}
	return strlist_join(f->a, &l, ",");
}

/* Every "differs" line, grouped by its (from, to) pair. */
static void adjust_differs(const struct facts *f, struct advice *ad)
{
	const struct klog *l = &f->log;
	bool *done = arena_alloc(f->a, l->nevents + 1);
	size_t groups = 0;

	memset(done, 0, l->nevents + 1);
	for (size_t i = 0; i < l->nevents && groups < MAX_SHOWN; i++) {
		const struct klog_event *e = &l->events[i], *r;
		int64_t cpus[64];
		size_t n = 0;
		int npk;
		const char *pk;
		struct advice_item *it;
		bool resync;

		if (done[i] || e->family != KF_TSC_ADJUST || strcmp(e->kind, "differs"))
			continue;
		groups++;
		for (size_t k = i; k < l->nevents; k++) {
			const struct klog_event *o = &l->events[k];

			if (o->family != KF_TSC_ADJUST || strcmp(o->kind, "differs") ||
			    o->adj_from != e->adj_from || o->adj_to != e->adj_to)
				continue;
			done[k] = true;
			if (n < 64 && o->cpu != KLOG_NONE)
				cpus[n++] = o->cpu;
		}
		pk = group_packages(f, cpus, n, &npk);
		r = resume_before(l, i);
		resync = n >= 2 && e->adj_from != KLOG_NONE;
		it = advice_add(ad, f->a, "M-tsc-adjust", resync && r ? SEV_INFO : SEV_WARNING,
				resync && r ? "TSC_ADJUST rewritten with the same value on a whole socket after a resume: the firmware resynchronised the TSCs" :
				resync ? "TSC_ADJUST rewritten with the same value on several CPUs: the firmware (SMM) wrote the TSC" :
				"TSC_ADJUST changed behind the kernel's back: something wrote the TSC");
		advice_evidence(f->a, it, "%s", advice_log_line(f, e));
		advice_evidence(f->a, it, "%s --> %s on %zu CPU(s), package(s) %s",
				e->adj_from == KLOG_NONE ? "?" : arena_printf(f->a, "%" PRId64, e->adj_from),
				e->adj_to == KLOG_NONE ? "?" : arena_printf(f->a, "%" PRId64, e->adj_to),
				n, pk);
		if (r)
			advice_evidence(f->a, it, "after %s", advice_log_line(f, r));
		if (resync && r) {
			advice_change(f->a, it, "none needed: the kernel restored its value; the firmware writes the TSC on wake-up. A BIOS update may stop it; if tscmon's sweeps show skew after resume, report it to the vendor");
		} else if (resync) {
			advice_change(f->a, it, "the firmware writes the TSC at run time (SMM): update the BIOS; the kernel restores TSC_ADJUST each time, but readings between the write and the repair are off");
		} else {
			advice_change(f->a, it, f->guest ?
				      "the hypervisor or a tool in this guest writes MSR 0x10/0x3b: stop it (wrmsr, tuning tools) or update the hypervisor" :
				      "SMM firmware or a tool writes MSR 0x10/0x3b at run time: stop such tools (wrmsr, overclocking utilities) and update the BIOS");
		}
	}
}

static void adjust_boot(const struct facts *f, struct advice *ad)
{
	struct advice_item *zero = NULL, *fix = NULL;
	const struct klog_event *ev;
	size_t idx = 0, nz = 0, nf = 0;

	while ((ev = klog_find(&f->log, KF_TSC_ADJUST, NULL, &idx))) {
		if (!strcmp(ev->kind, "force-zero")) {
			if (!zero) {
				zero = advice_add(ad, f->a, "M-tsc-adjust", SEV_INFO,
						  "the firmware left TSC_ADJUST non-zero at boot; the kernel set it to 0");
				advice_change(f->a, zero, "none: repaired at boot; a BIOS update may stop the firmware from writing the TSC");
			}
			if (nz++ < MAX_SHOWN)
				advice_evidence(f->a, zero, "%s", advice_log_line(f, ev));
		} else if (!strcmp(ev->kind, "socket") || !strcmp(ev->kind, "compensate") ||
			   !strcmp(ev->kind, "adjust")) {
			if (!fix) {
				fix = advice_add(ad, f->a, "M-tsc-adjust", SEV_WARNING,
						 "the sockets' TSCs started apart: the kernel rewrote TSC_ADJUST to line them up");
				advice_change(f->a, fix, "update the BIOS/firmware so that all sockets start their TSCs together; check with tscmon's sweeps that the compensation holds (M-skew)");
			}
			if (nf++ < MAX_SHOWN)
				advice_evidence(f->a, fix, "%s", advice_log_line(f, ev));
			if (ev->warp_cycles != KLOG_NONE && ev->cpu != KLOG_NONE)
				advice_evidence(f->a, fix, "CPU%" PRId64 ": warp of %" PRId64 " cycles compensated",
						ev->cpu, ev->warp_cycles);
		}
	}
}

void advice_tsc_adjust(const struct facts *f, struct advice *ad)
{
	if (!f->log.valid || !f->log.family_count[KF_TSC_ADJUST])
		return;
	adjust_boot(f, ad);
	adjust_differs(f, ad);
}
