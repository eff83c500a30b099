// SPDX-License-Identifier: GPL-2.0
/* The JSON document: schema in docs/client.md (schema_version 2). */
#include "output.h"
#include "json.h"

#include <string.h>

#ifndef TSCMON_VERSION
#define TSCMON_VERSION "unknown"
#endif

static void json_opt_int(struct json *j, const char *k, int64_t v, int64_t none)
{
	json_key(j, k);
	if (v == none)
		json_null(j);
	else
		json_int(j, v);
}

static void json_opt_num(struct json *j, const char *k, bool known, double v)
{
	json_key(j, k);
	if (known)
		json_num(j, v);
	else
		json_null(j);
}

static void json_strlist(struct json *j, const char *k, const struct strlist *l)
{
	json_key(j, k);
	json_arr_begin(j);
	for (size_t i = 0; i < l->n; i++)
		json_str(j, l->v[i]);
	json_arr_end(j);
}

static void json_cpu(struct json *j, const struct facts *f)
{
	const struct cpuinfo *c = &f->cpu;

	json_key(j, "cpu");
	if (!c->valid) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kstr(j, "vendor", c->vendor);
	json_opt_int(j, "family", c->family, -1);
	json_opt_int(j, "model", c->model, -1);
	json_opt_int(j, "stepping", c->stepping, -1);
	json_kstr(j, "model_name", c->model_name);
	json_kint(j, "cpus", c->nr_cpus);
	json_key(j, "bogomips");
	if (c->bogomips > 0)
		json_num(j, c->bogomips);
	else
		json_null(j);
	json_key(j, "flags");
	json_obj_begin(j);
	for (int i = 0; i < CF_COUNT; i++)
		json_kbool(j, cpuinfo_flag_names[i], cpuinfo_has(c, i));
	json_obj_end(j);
	json_obj_end(j);
}

static void json_cmdline(struct json *j, const struct facts *f)
{
	const struct cmdline *cl = &f->cl;

	json_key(j, "cmdline");
	if (!cl->valid) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kstr(j, "raw", cl->raw);
	json_strlist(j, "tsc", &cl->tsc_values);
	json_kbool(j, "notsc", cl->notsc);
	json_kstr(j, "clocksource", cl->clocksource);
	json_opt_int(j, "processor_max_cstate", cl->processor_max_cstate, -1);
	json_opt_int(j, "intel_idle_max_cstate", cl->intel_idle_max_cstate, -1);
	json_opt_int(j, "lpj", cl->lpj, -1);
	json_obj_end(j);
}

static void json_cpufreq(struct json *j, const struct facts *f)
{
	const char *src;
	int64_t khz = sysfs_max_freq(&f->sys, &src);

	json_key(j, "cpufreq");
	json_arr_begin(j);
	for (size_t i = 0; i < f->sys.nfreq; i++) {
		const struct cpufreq_cpu *c = &f->sys.freq[i];

		json_obj_begin(j);
		json_kint(j, "cpu", c->cpu);
		json_kstr(j, "driver", c->driver);
		json_kstr(j, "governor", c->governor);
		json_key(j, "available_khz");
		json_arr_begin(j);
		for (size_t k = 0; k < c->navail; k++)
			json_int(j, c->avail[k]);
		json_arr_end(j);
		json_opt_int(j, "cpuinfo_max_khz", c->cpuinfo_max, -1);
		json_opt_int(j, "scaling_min_khz", c->scaling_min, -1);
		json_opt_int(j, "scaling_max_khz", c->scaling_max, -1);
		json_opt_int(j, "cur_khz", c->cur, -1);
		json_opt_int(j, "transitions", c->total_trans, -1);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_opt_int(j, "max_khz", khz, -1);
}

static void json_cpuidle(struct json *j, const struct facts *f)
{
	json_key(j, "cpuidle");
	json_obj_begin(j);
	json_kstr(j, "driver", f->sys.idle_driver);
	json_kstr(j, "governor", f->sys.idle_governor);
	json_key(j, "cpus");
	json_arr_begin(j);
	for (size_t i = 0; i < f->sys.nidle; i++) {
		const struct cpuidle_cpu *c = &f->sys.idle[i];

		json_obj_begin(j);
		json_kint(j, "cpu", c->cpu);
		json_key(j, "states");
		json_arr_begin(j);
		for (size_t s = 0; s < c->nstates; s++) {
			json_obj_begin(j);
			json_kstr(j, "name", c->states[s].name);
			json_opt_int(j, "usage", c->states[s].usage, -1);
			json_opt_int(j, "time_us", c->states[s].time_us, -1);
			json_kbool(j, "deep", c->states[s].deep);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void json_machine(struct json *j, const struct facts *f)
{
	json_key(j, "machine");
	json_obj_begin(j);
	json_kstr(j, "role", f->guest ? "guest" : "host");
	json_kstr(j, "hypervisor", f->guest ? f->hypervisor : NULL);
	json_strlist(j, "guest_evidence", &f->guest_evidence);
	json_cpu(j, f);
	json_key(j, "clocksource");
	json_obj_begin(j);
	json_kstr(j, "current", f->sys.cs.current);
	json_strlist(j, "available", &f->sys.cs.available);
	json_obj_end(j);
	json_cmdline(j, f);
	json_cpufreq(j, f);
	json_cpuidle(j, f);
	json_key(j, "dmi");
	json_obj_begin(j);
	json_kstr(j, "sys_vendor", f->sys.dmi_vendor);
	json_kstr(j, "product_name", f->sys.dmi_product);
	json_obj_end(j);
	json_obj_end(j);
}

static void json_module(struct json *j, const struct facts *f)
{
	const struct module_data *m = &f->mod;
	static const char *const keys[] = {
		"abi", "tsc_khz", "reference_cpu", "cpus_possible", "cpus_online",
		"sweeps", "interval_ms", "rounds", "last_sweep_ns",
		"max_abs_skew_cycles", "max_uncertainty_cycles", "warps_total",
		"max_irqoff_ns", "kernel_tsc_unstable", "constant_tsc", "nonstop_tsc",
		"tsc_adjust", "tsc_reliable", "tsc_known_freq", "idle_entries_total",
		"fault_inject", "rounds_lost", "hotplug_events",
	};

	json_key(j, "module");
	json_obj_begin(j);
	json_kbool(j, "present", m->present);
	json_kbool(j, "usable", m->usable);
	json_kstr(j, "version", m->version);
	json_opt_int(j, "abi", m->abi, -1);
	json_key(j, "summary");
	if (m->usable && m->has_summary) {
		json_obj_begin(j);
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			json_opt_int(j, keys[i], module_summary_get(&m->sum, keys[i], NULL),
				     MODULE_UNKNOWN);
		json_kstr(j, "clocksource", m->sum.clocksource);
		json_opt_num(j, "tsc_khz_measured", m->sum.has_khz_measured, m->sum.khz_measured);
		json_opt_num(j, "tsc_rate_ppm", m->sum.has_rate_ppm, m->sum.rate_ppm);
		json_opt_num(j, "tsc_rate_uncertainty_ppm", m->sum.has_rate_unc,
			     m->sum.rate_unc_ppm);
		json_kstr(j, "rate_reference", m->sum.rate_reference);
		json_obj_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "cpus");
	json_arr_begin(j);
	for (size_t i = 0; m->usable && i < m->ncpus; i++) {
		json_obj_begin(j);
		for (int c = 0; c < MC_COUNT; c++)
			json_opt_int(j, module_col_names[c], m->cpus[i].v[c],
				     MODULE_UNKNOWN);
		if (m->cpus[i].has_hist) {
			json_key(j, "histogram");
			json_arr_begin(j);
			for (int b = 0; b < MODULE_HIST_BUCKETS; b++)
				json_int(j, m->cpus[i].hist[b] == MODULE_UNKNOWN
						    ? 0 : m->cpus[i].hist[b]);
			json_arr_end(j);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "warps");
	json_arr_begin(j);
	for (size_t i = 0; m->usable && i < m->nwarps; i++) {
		json_obj_begin(j);
		json_kint(j, "cpu_a", m->warps[i].cpu_a);
		json_kint(j, "cpu_b", m->warps[i].cpu_b);
		json_opt_int(j, "warps", m->warps[i].warps, MODULE_UNKNOWN);
		json_opt_int(j, "max_warp_cycles", m->warps[i].max_warp_cycles,
			     MODULE_UNKNOWN);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void json_log(struct json *j, const struct facts *f)
{
	const struct klog *l = &f->log;

	json_key(j, "log");
	if (!l->valid) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kint(j, "lines", (int64_t)l->lines);
	json_opt_int(j, "lpj", l->lpj ? l->lpj->lpj : -1, -1);
	json_key(j, "tsc_mhz");
	if (l->tsc_mhz)
		json_num(j, l->tsc_mhz->mhz);
	else
		json_null(j);
	json_key(j, "events");
	json_arr_begin(j);
	for (size_t i = 0; i < l->nevents; i++) {
		const struct klog_event *ev = &l->events[i];

		json_obj_begin(j);
		json_kstr(j, "family", klog_family_names[ev->family]);
		json_kstr(j, "kind", ev->kind);
		json_key(j, "time");
		if (ev->has_ts)
			json_num(j, ev->ts);
		else
			json_null(j);
		json_kstr(j, "arg", ev->arg);
		json_kstr(j, "detail", ev->detail);
		json_kstr(j, "watchdog", ev->watchdog);
		json_kbool(j, "continuation", ev->continuation);
		json_kint(j, "head", (int64_t)ev->head);
		json_opt_int(j, "cpu", ev->cpu, KLOG_NONE);
		json_opt_int(j, "cpu_other", ev->cpu2, KLOG_NONE);
		json_opt_int(j, "skew_ns", ev->skew_ns, KLOG_NONE);
		json_opt_int(j, "interval_ns", ev->interval_ns, KLOG_NONE);
		json_opt_int(j, "cs_interval_ns", ev->cs_ns, KLOG_NONE);
		json_opt_int(j, "warp_cycles", ev->warp_cycles, KLOG_NONE);
		json_opt_int(j, "adjust_from", ev->adj_from, KLOG_NONE);
		json_opt_int(j, "adjust_to", ev->adj_to, KLOG_NONE);
		json_opt_int(j, "retries", ev->count, KLOG_NONE);
		json_opt_int(j, "delay_ns", ev->delay_ns, KLOG_NONE);
		json_opt_num(j, "mhz", ev->mhz > 0 && strcmp(ev->kind, "lpj"), ev->mhz);
		json_kstr(j, "text", ev->text);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void json_kernel_watch(struct json *j, const struct facts *f)
{
	struct kwatch w;

	kwatch_eval(f, &w);
	json_key(j, "kernel_watch");
	json_obj_begin(j);
	json_key(j, "active");
	if (w.active < 0)
		json_null(j);
	else
		json_bool(j, w.active == 1);
	json_kbool(j, "tsc_demoted", w.demoted);
	json_kstr(j, "judge", w.judge);
	json_opt_int(j, "packages", f->cpu.valid ? f->cpu.packages : -1, -1);
	json_kstr(j, "kernel", f->log.valid ? f->log.kernel_version : NULL);
	json_strlist(j, "reasons", &w.why);
	json_obj_end(j);
}

static void json_advice(struct json *j, const struct advice *ad)
{
	json_key(j, "advice");
	json_arr_begin(j);
	for (size_t i = 0; i < ad->n; i++) {
		const struct advice_item *it = &ad->items[i];

		json_obj_begin(j);
		json_kstr(j, "id", it->id);
		json_kstr(j, "severity", severity_names[it->sev]);
		json_kstr(j, "title", it->title);
		json_kstr(j, "family", it->family);
		if (!strcmp(it->family, "watchdog")) {
			json_kstr(j, "watchdog", it->watchdog);
			json_opt_int(j, "skew_ns", it->skew_ns, KLOG_NONE);
			json_opt_int(j, "interval_ns", it->interval_ns, KLOG_NONE);
		}
		json_strlist(j, "evidence", &it->evidence);
		json_strlist(j, "change", &it->change);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "guest_plan");
	if (!ad->plan.valid) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kstr(j, "os", ad->plan.os);
	json_kstr(j, "arch", ad->plan.arch);
	json_key(j, "pvclock");
	if (ad->plan.pvclock < 0)
		json_null(j);
	else
		json_bool(j, ad->plan.pvclock);
	json_kstr(j, "parameters", ad->plan.parameters);
	json_obj_end(j);
}

void out_json(FILE *out, const struct facts *f, const struct advice *ad)
{
	struct json j;
	enum severity w = advice_worst(ad);

	json_init(&j, out);
	json_obj_begin(&j);
	json_kint(&j, "schema_version", TSCMON_SCHEMA_VERSION);
	json_kstr(&j, "tscmon_version", TSCMON_VERSION);
	json_kstr(&j, "root", f->root);
	json_machine(&j, f);
	json_module(&j, f);
	json_log(&j, f);
	json_kernel_watch(&j, f);
	json_advice(&j, ad);
	json_key(&j, "verdict");
	json_obj_begin(&j);
	json_kstr(&j, "severity", f->cpu.valid ? severity_names[w] : "unknown");
	json_kint(&j, "exit_code", !f->cpu.valid ? 3 : w == SEV_CRITICAL ? 2 :
			      w == SEV_WARNING ? 1 : 0);
	json_obj_end(&j);
	json_strlist(&j, "not_available", &f->notes);
	json_obj_end(&j);
}
