// SPDX-License-Identifier: GPL-2.0
/* Collecting all inputs and deciding host or guest. */
#include "facts.h"

#include <stdio.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

static void facts_read_cpuinfo(struct facts *f)
{
	char why[UTIL_WHY_LEN];
	char *data;
	size_t len;

	if (util_read(f->a, f->root, "proc/cpuinfo", UTIL_MAX_TABLE, &data, &len,
		      NULL, why) ||
	    cpuinfo_parse(data, &f->cpu, why))
		strlist_addf(f->a, &f->notes, "cpuinfo (proc/cpuinfo): %s", why);
}

static void facts_read_cmdline(struct facts *f)
{
	char why[UTIL_WHY_LEN];
	char *data;
	size_t len;

	if (util_read(f->a, f->root, "proc/cmdline", UTIL_MAX_SMALL, &data, &len,
		      NULL, why) ||
	    cmdline_parse(f->a, data, &f->cl, why))
		strlist_addf(f->a, &f->notes, "kernel command line (proc/cmdline): %s",
			     why);
}

static void facts_read_log(struct facts *f)
{
	char why[UTIL_WHY_LEN];
	char *data = NULL;
	size_t len;
	bool cut = false;
	const char *where = f->live ? "kernel log (/dev/kmsg)" :
				      "kernel log (dmesg.txt)";

	if (f->live) {
		data = klog_read_live(f->a, why);
	} else if (util_read(f->a, f->root, "dmesg.txt", UTIL_MAX_LOG, &data,
			     &len, &cut, why)) {
		data = NULL;
	}
	if (!data || klog_parse(f->a, data, &f->log, why)) {
		strlist_addf(f->a, &f->notes, "%s: %s", where, why);
		return;
	}
	f->log.cut = cut;
	if (cut)
		strlist_addf(f->a, &f->notes,
			     "%s: larger than %u bytes, only the start was read",
			     where, UTIL_MAX_LOG);
	if (f->log.dropped)
		strlist_addf(f->a, &f->notes,
			     "%s: more than %d timekeeping lines, %zu ignored",
			     where, KLOG_MAX_EVENTS, f->log.dropped);
}

/* The hypervisor CPUID leaf: live only, or a snapshot's copy of it. */
static void facts_read_cpuid(struct facts *f)
{
	char why[UTIL_WHY_LEN];

	if (!f->live) {
		f->cpuid_signature = util_read_value(f->a, f->root,
						     "hypervisor_cpuid", why);
		return;
	}
#if defined(__x86_64__) || defined(__i386__)
	{
		unsigned eax, ebx, ecx, edx;
		char sig[13];

		__cpuid(1, eax, ebx, ecx, edx);
		if (!(ecx & (1u << 31)))
			return;
		__cpuid(0x40000000, eax, ebx, ecx, edx);
		memcpy(sig, &ebx, 4);
		memcpy(sig + 4, &ecx, 4);
		memcpy(sig + 8, &edx, 4);
		sig[12] = '\0';
		for (int i = 0; i < 12; i++)
			if ((unsigned char)sig[i] < 0x20 ||
			    (unsigned char)sig[i] > 0x7e)
				sig[i] = '\0';
		if (sig[0])
			f->cpuid_signature = arena_strdup(f->a, sig);
	}
#endif
}

struct hv_name {
	const char *match, *name;
};

static const char *facts_hv_from_cpuid(const char *sig)
{
	static const struct hv_name map[] = {
		{ "KVMKVMKVM", "KVM" },    { "Microsoft Hv", "Microsoft Hyper-V" },
		{ "VMwareVMware", "VMware" }, { "XenVMMXenVMM", "Xen" },
		{ "TCGTCGTCGTCG", "QEMU TCG" }, { "bhyve bhyve", "bhyve" },
		{ "ACRNACRNACRN", "ACRN" }, { "VBoxVBoxVBox", "VirtualBox" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (util_starts_with(sig, map[i].match))
			return map[i].name;
	return sig;
}

static const char *facts_hv_from_dmi(const char *vendor, const char *product)
{
	static const struct hv_name vendors[] = {
		{ "QEMU", "QEMU" }, { "VMware", "VMware" }, { "Xen", "Xen" },
		{ "innotek GmbH", "VirtualBox" }, { "Amazon EC2", "Amazon EC2" },
		{ "Google", "Google Compute Engine" }, { "Parallels", "Parallels" },
		{ "Bochs", "Bochs" }, { "OpenStack", "OpenStack" },
	};

	if (product && (!strcmp(product, "KVM") || util_starts_with(product, "KVM ")))
		return "KVM";
	if (vendor && product && !strcmp(vendor, "Microsoft Corporation") &&
	    !strcmp(product, "Virtual Machine"))
		return "Microsoft Hyper-V";
	for (size_t i = 0; vendor && i < sizeof(vendors) / sizeof(vendors[0]); i++)
		if (util_starts_with(vendor, vendors[i].match))
			return vendors[i].name;
	return NULL;
}

static void facts_decide_guest(struct facts *f)
{
	const char *dmi = facts_hv_from_dmi(f->sys.dmi_vendor, f->sys.dmi_product);

	if (f->cpu.valid && (f->cpu.flags_any & (1u << CF_HYPERVISOR))) {
		f->guest = true;
		strlist_add(f->a, &f->guest_evidence,
			    "/proc/cpuinfo flags contain hypervisor");
	}
	if (f->cpuid_signature) {
		f->guest = true;
		f->hypervisor = facts_hv_from_cpuid(f->cpuid_signature);
		strlist_addf(f->a, &f->guest_evidence,
			     "hypervisor CPUID signature \"%s\"",
			     f->cpuid_signature);
	}
	if (f->log.hypervisor) {
		f->guest = true;
		if (!f->hypervisor)
			f->hypervisor = f->log.hypervisor->arg;
		strlist_addf(f->a, &f->guest_evidence, "kernel log: %s",
			     f->log.hypervisor->text);
	}
	if (dmi) {
		f->guest = true;
		if (!f->hypervisor)
			f->hypervisor = dmi;
		strlist_addf(f->a, &f->guest_evidence, "DMI: %s %s",
			     f->sys.dmi_vendor ? f->sys.dmi_vendor : "",
			     f->sys.dmi_product ? f->sys.dmi_product : "");
	}
	if (f->sys.hypervisor_type) {
		f->guest = true;
		if (!f->hypervisor)
			f->hypervisor = f->sys.hypervisor_type;
		strlist_addf(f->a, &f->guest_evidence, "sys/hypervisor/type: %s",
			     f->sys.hypervisor_type);
	}
	if (f->guest && !f->hypervisor)
		f->hypervisor = "unknown hypervisor";
}

void facts_collect(struct arena *a, const char *root, struct facts *f)
{
	memset(f, 0, sizeof(*f));
	f->a = a;
	f->live = !root || !*root || !strcmp(root, "/");
	f->root = f->live ? "/" : root;
	facts_read_cpuinfo(f);
	facts_read_cmdline(f);
	sysfs_read(a, f->root, &f->sys, &f->notes);
	facts_read_log(f);
	module_read(a, f->root, &f->mod, &f->notes);
	facts_read_cpuid(f);
	facts_derive(f);
}

void facts_derive(struct facts *f)
{
	facts_decide_guest(f);
	if (f->log.valid)
		klog_set_guest(&f->log, f->guest);
}

const char *facts_cpu_desc(const struct facts *f)
{
	const struct cpuinfo *c = &f->cpu;

	if (!c->valid)
		return "unknown CPU (/proc/cpuinfo not available)";
	return arena_printf(f->a, "%s family %d (0x%x) model %d (0x%x)%s%s%s",
			    c->vendor[0] ? c->vendor : "unknown-vendor",
			    c->family, c->family < 0 ? 0 : c->family, c->model,
			    c->model < 0 ? 0 : c->model,
			    c->model_name[0] ? " \"" : "", c->model_name,
			    c->model_name[0] ? "\"" : "");
}

int facts_constant_tsc(const struct facts *f)
{
	if (!f->cpu.valid)
		return -1;
	return cpuinfo_has(&f->cpu, CF_CONSTANT_TSC) ? 1 : 0;
}
