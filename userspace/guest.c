// SPDX-License-Identifier: GPL-2.0
/* The seed's guest table (S7), lpj (S8), Windows (S9), modern guests. */
#include "guest.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define RHEL5_HZ 1000

struct guest_row {
	const char *os, *arch;
	int pvclock;        /* 1 / 0, or -1 when the table has no column */
	const char *params; /* NULL: none needed */
};

static const struct guest_row guest_rows[] = {
	{ "rhel-5.4", "x86_64", 1, NULL },
	{ "rhel-5.4", "x86_64", 0, "divider=10 notsc lpj=n" },
	{ "rhel-5.4", "x86", 1, NULL },
	{ "rhel-5.4", "x86", 0, "divider=10 clocksource=acpi_pm lpj=n" },
	{ "rhel-5.3", "x86_64", -1, "divider=10 notsc" },
	{ "rhel-5.3", "x86", -1, "divider=10 clocksource=acpi_pm" },
	{ "rhel-4.8", "x86_64", -1, "notsc divider=10" },
	{ "rhel-4.8", "x86", -1, "clock=pmtmr divider=10" },
	{ "rhel-3.9", "x86_64", -1, NULL },
	{ "rhel-3.9", "x86", -1, NULL },
};
#define GUEST_NROWS (sizeof(guest_rows) / sizeof(guest_rows[0]))

static const char *const guest_oses[] = {
	"rhel-5.4", "rhel-5.3", "rhel-4.8", "rhel-3.9", "rhel-6+",
	"linux", "windows-xp", "windows-2003", "windows",
};

bool guest_os_known(const char *os)
{
	for (size_t i = 0; i < sizeof(guest_oses) / sizeof(guest_oses[0]); i++)
		if (!strcmp(os, guest_oses[i]))
			return true;
	return false;
}

const char *guest_os_list(void)
{
	return "rhel-5.4 rhel-5.3 rhel-4.8 rhel-3.9 rhel-6+ linux windows-xp windows-2003 windows";
}

static bool guest_is_table_os(const char *os)
{
	return util_starts_with(os, "rhel-") && strcmp(os, "rhel-6+");
}

const char *guest_validate(const struct advice_opts *o)
{
	if (!guest_os_known(o->guest_os))
		return "--guest: unknown guest OS (use one of: rhel-5.4 rhel-5.3 rhel-4.8 rhel-3.9 rhel-6+ linux windows-xp windows-2003 windows)";
	if (!guest_is_table_os(o->guest_os))
		return NULL;
	if (!o->arch)
		return "--guest rhel-*: --arch x86_64|x86 is required (the guest table differs by architecture)";
	if (!strcmp(o->guest_os, "rhel-5.4") && o->pvclock < 0)
		return "--guest rhel-5.4: --pvclock yes|no is required (does the guest use the para-virtualized clock?)";
	return NULL;
}

static const struct guest_row *guest_row_find(const char *os, const char *arch,
					      int pvclock)
{
	for (size_t i = 0; i < GUEST_NROWS; i++) {
		const struct guest_row *r = &guest_rows[i];

		if (strcmp(r->os, os) || strcmp(r->arch, arch))
			continue;
		if (r->pvclock >= 0 && r->pvclock != pvclock)
			continue;
		return r;
	}
	return NULL;
}

/* Snap a derived HZ to the usual kernel values when close. */
static int guest_snap_hz(double hz)
{
	static const int common[] = { 100, 250, 300, 1000 };

	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		if (fabs(hz - common[i]) <= common[i] * 0.03)
			return common[i];
	return 0;
}

int64_t guest_lpj(const struct facts *f, int hz, struct strlist *how)
{
	const struct klog_event *ev = f->log.lpj;
	double bogo = 0;
	const char *bogo_src = NULL;

	if (ev) {
		bogo = ev->mhz;
		bogo_src = "the same log line";
	}
	if (bogo <= 0 && f->cpu.bogomips > 0) {
		bogo = f->cpu.bogomips;
		bogo_src = "/proc/cpuinfo bogomips";
	}
	if (ev && bogo > 0) {
		int host_hz = guest_snap_hz(bogo * 500000.0 / (double)ev->lpj);

		if (host_hz) {
			int64_t lpj = (int64_t)((double)ev->lpj * host_hz / hz + 0.5);

			strlist_addf(f->a, how, "kernel log: %s", ev->text);
			strlist_addf(f->a, how,
				     "this kernel's HZ is %d (BogoMIPS %.2f from %s x 500000 / lpj %" PRId64 ")",
				     host_hz, bogo, bogo_src, ev->lpj);
			strlist_addf(f->a, how,
				     "scaled to the guest kernel's HZ=%d: %" PRId64 " x %d / %d = %" PRId64,
				     hz, ev->lpj, host_hz, hz, lpj);
			return lpj;
		}
	}
	if (bogo > 0) {
		int64_t lpj = (int64_t)(bogo * 500000.0 / hz + 0.5);

		if (ev)
			strlist_addf(f->a, how,
				     "kernel log lpj=%" PRId64 " does not match a usual HZ with BogoMIPS %.2f; using BogoMIPS",
				     ev->lpj, bogo);
		strlist_addf(f->a, how,
			     "BogoMIPS %.2f (from %s) x 500000 / HZ %d = %" PRId64 " (assumes the guest's delay loop runs at this host's speed)",
			     bogo, bogo_src, hz, lpj);
		return lpj;
	}
	strlist_add(f->a, how,
		    "no lpj= line in the kernel log and no bogomips in /proc/cpuinfo");
	return -1;
}

static void guest_s8(const struct facts *f, struct advice *ad, int64_t lpj,
		     const struct strlist *how)
{
	struct advice_item *it = advice_add(
		ad, f->a, "S8", lpj > 0 ? SEV_INFO : SEV_WARNING,
		"lpj=n means this host's loops_per_jiffy, scaled to the guest kernel's HZ");

	for (size_t i = 0; i < how->n; i++)
		advice_evidence(f->a, it, "%s", how->v[i]);
	if (lpj <= 0) {
		advice_change(f->a, it,
			      "boot the guest once without lpj= and read its value: dmesg | grep lpj=");
		return;
	}
	advice_change(f->a, it, "use lpj=%" PRId64 " for a RHEL 5 guest (HZ=%d)", lpj,
		      RHEL5_HZ);
	advice_change(f->a, it,
		      "divider=10 lowers the guest's timer interrupt to HZ/10 = %d per second to cut its timer load; the value above is per %d Hz jiffy: if the guest's own dmesg shows an lpj about ten times larger (a 10 ms jiffy), use lpj=%" PRId64 " instead",
		      RHEL5_HZ / 10, RHEL5_HZ, lpj * 10);
}

/* The parameters of ROW with lpj=n replaced; NULL row params -> "none". */
static const char *guest_params(const struct facts *f, const struct guest_row *r,
				int64_t lpj)
{
	const char *n;

	if (!r->params)
		return "none";
	n = strstr(r->params, "lpj=n");
	if (!n || lpj <= 0)
		return r->params;
	return arena_printf(f->a, "%.*slpj=%" PRId64 "%s", (int)(n - r->params),
			    r->params, lpj, n + 5);
}

static const char *guest_row_name(const struct facts *f, const struct guest_row *r)
{
	return arena_printf(f->a, "%s %s%s", r->os, r->arch,
			    r->pvclock < 0 ? "" :
			    r->pvclock ? " pvclock" : " no-pvclock");
}

static void guest_s9(const struct facts *f, struct advice *ad, const char *os)
{
	struct advice_item *it = advice_add(
		ad, f->a, "S9", SEV_INFO,
		"Windows uses both the RTC and the TSC: make it use the platform timer instead of the TSC");
	bool old = os && (!strcmp(os, "windows-xp") || !strcmp(os, "windows-2003"));
	bool modern = !os || !strcmp(os, "windows");

	advice_evidence(f->a, it, "guest OS: %s", os ? os : "any Windows");
	if (old || !os) {
		advice_change(f->a, it,
			      "2009 (Windows XP / Server 2003): add /use pmtimer to boot.ini, written /usepmtimer at the end of the OS line, e.g. multi(0)disk(0)rdisk(0)partition(1)\\WINDOWS=\"Windows\" /fastdetect /usepmtimer");
	}
	if (modern) {
		advice_change(f->a, it,
			      "modern Windows: bcdedit /set useplatformclock true (as Administrator, then reboot)");
		advice_change(f->a, it,
			      "on KVM also give the guest the Hyper-V reference clock: -cpu ...,hv-time (libvirt: <hyperv><time state='on'/></hyperv>)");
	}
}

void guest_table_items(const struct facts *f, struct advice *ad)
{
	struct strlist how = { 0 };
	int64_t lpj = guest_lpj(f, RHEL5_HZ, &how);
	struct advice_item *it = advice_add(
		ad, f->a, "S7", SEV_INFO,
		"guests on this host need kernel parameters in /boot/grub/grub.conf (kernel line), by version");

	advice_evidence(f->a, it, "/proc/cpuinfo flags lack constant_tsc");
	for (size_t i = 0; i < GUEST_NROWS; i++)
		advice_change(f->a, it, "%s: %s", guest_row_name(f, &guest_rows[i]),
			      guest_params(f, &guest_rows[i], lpj));
	advice_change(f->a, it, "rhel-6+ / linux: none (kvm-clock)");
	advice_change(f->a, it, "one guest in detail: tscmon advise --guest <os> --arch x86_64|x86 [--pvclock yes|no]");
	guest_s8(f, ad, lpj, &how);
	guest_s9(f, ad, NULL);
}

static void guest_modern_linux(const struct facts *f, struct advice *ad,
			       const char *os)
{
	bool stable = cpuinfo_has(&f->cpu, CF_CONSTANT_TSC) &&
		      cpuinfo_has(&f->cpu, CF_NONSTOP_TSC) &&
		      f->sys.cs.current && !strcmp(f->sys.cs.current, "tsc") &&
		      f->log.nunstable == 0;
	struct advice_item *it = advice_add(
		ad, f->a, "S7", SEV_OK,
		"no guest kernel parameters needed: modern guests use kvm-clock");

	advice_evidence(f->a, it, "guest OS: %s (RHEL 6 and later, current distributions)", os);
	advice_change(f->a, it, "parameters: none");
	advice_change(f->a, it,
		      "in the guest check: cat /sys/devices/system/clocksource/clocksource0/current_clocksource shows kvm-clock (or tsc when the host TSC is invariant)");
	it = advice_add(ad, f->a, "M-kvmclock", stable ? SEV_OK : SEV_WARNING,
			stable ? "this host's TSC looks stable: guests get kvm-clock's stable bit (fast vDSO reads)"
			       : "this host's TSC is not known to be stable: kvm-clock guests lose the pvclock stable bit and read the clock through the hypervisor's per-vCPU data");
	advice_evidence(f->a, it, "host flags: constant_tsc %s, nonstop_tsc %s; clocksource %s; %zu \"Marking TSC unstable\" line(s)",
			cpuinfo_has(&f->cpu, CF_CONSTANT_TSC) ? "yes" : "no",
			cpuinfo_has(&f->cpu, CF_NONSTOP_TSC) ? "yes" : "no",
			f->sys.cs.current ? f->sys.cs.current : "unknown",
			f->log.nunstable);
	advice_change(f->a, it, stable ? "none" :
		      "keep the host on clocksource tsc with constant_tsc and nonstop_tsc (S3/S4 on older CPUs); check inside the guest that dmesg has no \"kvm-clock: ... unstable\" and that its clocksource is kvm-clock");
}

void guest_advise(const struct facts *f, const struct advice_opts *o,
		  struct advice *ad)
{
	const char *os = o->guest_os;
	struct guest_plan *p = &ad->plan;

	p->valid = true;
	p->os = os;
	p->arch = o->arch;
	p->pvclock = o->pvclock;
	if (!strncmp(os, "windows", 7)) {
		p->arch = NULL;
		p->pvclock = -1;
		p->parameters = strcmp(os, "windows") ? "/usepmtimer"
			: "bcdedit /set useplatformclock true";
		guest_s9(f, ad, os);
	} else if (!guest_is_table_os(os)) {
		p->arch = NULL;
		p->pvclock = -1;
		p->parameters = "none";
		guest_modern_linux(f, ad, os);
	} else {
		const struct guest_row *r = guest_row_find(os, o->arch ? o->arch : "",
							   o->pvclock);
		struct strlist how = { 0 };
		int64_t lpj = -1;
		struct advice_item *it;
		int c = facts_constant_tsc(f);

		if (!r) { /* guest_validate() rules this out */
			p->parameters = "none";
			return;
		}
		if (r->pvclock < 0)
			p->pvclock = -1;
		if (r->params && strstr(r->params, "lpj=n"))
			lpj = guest_lpj(f, RHEL5_HZ, &how);
		p->parameters = guest_params(f, r, lpj);
		it = advice_add(ad, f->a, "S7", c == 1 ? SEV_INFO : SEV_WARNING,
				arena_printf(f->a, "guest kernel parameters for %s",
					     guest_row_name(f, r)));
		advice_evidence(f->a, it, "seed table row: %s -> %s",
				guest_row_name(f, r),
				r->params ? r->params : "none needed");
		if (c == 1)
			advice_evidence(f->a, it,
					"this host has constant_tsc: the table is written for hosts without it, so these are a precaution (needed if the guest may run on an older host)");
		else if (c == 0)
			advice_evidence(f->a, it, "this host lacks constant_tsc");
		if (r->params)
			advice_change(f->a, it,
				      "append to the kernel line of the guest's /boot/grub/grub.conf: %s",
				      p->parameters);
		else
			advice_change(f->a, it, "none: no additional parameters are needed");
		if (lpj != -1 || (r->params && strstr(r->params, "lpj=n")))
			guest_s8(f, ad, lpj, &how);
	}
	{
		struct advice_item *it = advice_add(
			ad, f->a, "S1", SEV_INFO,
			"run an NTP daemon in the guest and on the host, now and at boot");

		advice_evidence(f->a, it, "applies to every guest");
		if (!strncmp(os, "windows", 7)) {
			advice_change(f->a, it, "Windows: w32tm /config /syncfromflags:manual /manualpeerlist:pool.ntp.org /update (or your site's NTP server), then w32tm /resync, and keep the Windows Time service automatic");
		} else {
			advice_change(f->a, it, "2009 (RHEL 5): service ntpd start");
			advice_change(f->a, it, "2009 (RHEL 5): chkconfig ntpd on");
			advice_change(f->a, it, "modern: systemctl enable --now chronyd (or ntpd / ntpsec)");
		}
	}
}
