// SPDX-License-Identifier: GPL-2.0
/*
 * tscmon's idle table against the kernel's own counters, with the test
 * cpuidle driver (states POLL, TSCMON_C1, TSCMON_C2) loaded.
 *
 * The bound: tscmon counts an entry when power:cpu_idle fires as the CPU
 * goes in; the kernel counts cpuidle/stateK/usage after the CPU came out
 * (cpuidle_enter_state()). At any instant the two differ by the one entry
 * in progress on that CPU, or not at all. A delta between two samples can
 * therefore differ by at most one per state, and that is what is asserted
 * (the message says when it was exact). The samples are taken from
 * another CPU while the measured one has nothing to run, tscmon's counts
 * read before and after the kernel's; when they moved meanwhile (a slow
 * debug kernel on a busy host), the kernel's delta must lie within the
 * wider bounds they give.
 */
#include "tscmon_test.h"

#define NSTATES		3
#define WINDOW_MS	300
#define TRIES		20
#define MIN_ENTRIES	5

static const char *const names[] = TEST_IDLE_STATES;

/*
 * A sample of cpu: the kernel's usage counters read between two reads of
 * tscmon's (lo before, hi after). Where the CPU stayed quiet, lo == hi.
 */
struct sample {
	unsigned long long lo[NSTATES], hi[NSTATES], usage[NSTATES];
};

static int take(int cpu, struct sample *s)
{
	char path[128];
	int t, k;

	for (t = 0; t < TRIES; t++) {
		memset(s, 0, sizeof(*s));
		if (test_idle_entries(cpu, s->lo, NSTATES) < 0)
			return -1;
		for (k = 0; k < NSTATES; k++) {
			test_idle_path(path, sizeof(path), cpu, k, "usage");
			if (test_sysfs_ull(path, &s->usage[k]))
				return -1;
		}
		if (test_idle_entries(cpu, s->hi, NSTATES) < 0)
			return -1;
		/* A quiet sample is exact; else keep the bounds of the last. */
		if (!memcmp(s->lo, s->hi, sizeof(s->lo)))
			return 0;
		test_sleep_ms(5);
	}
	ksft_print_msg("cpu%d never stayed quiet for a sample: comparing within the bounds of one\n",
		       cpu);
	return 0;
}

/*
 * Over a window in which cpu is woken every millisecond: every state's
 * delta in the kernel's usage lies within tscmon's delta, widened by what
 * happened while the samples were read and by one visit in progress (the
 * kernel counts after the wakeup, tscmon on entry). *exact when the samples
 * were quiet and the deltas equal.
 * want: states that must have been entered at least MIN_ENTRIES times.
 */
static int compare(int cpu, unsigned int want, int *exact)
{
	long long lo, hi, du, tot = 0;
	struct sample a, b;
	int k, ok = 1;

	test_sleep_ms(50);
	if (take(cpu, &a))
		return 0;
	test_wake_cpu(cpu, WINDOW_MS);
	test_sleep_ms(50);
	if (take(cpu, &b))
		return 0;
	*exact = 1;
	for (k = 0; k < NSTATES; k++) {
		lo = b.lo[k] - a.hi[k];
		hi = b.hi[k] - a.lo[k];
		du = b.usage[k] - a.usage[k];
		tot += hi;
		ksft_print_msg("cpu%d %s: tscmon +%lld..%lld, usage +%lld\n", cpu,
			       names[k], lo, hi, du);
		if (lo != hi || lo != du)
			*exact = 0;
		if (du < lo - 1 || du > hi + 1)
			ok = 0;
		if ((want & (1u << k)) && lo < MIN_ENTRIES) {
			ksft_print_msg("cpu%d: only %lld entries into %s\n",
				       cpu, lo, names[k]);
			ok = 0;
		}
	}
	return ok && tot > 0;
}

static int check_table(int nr)
{
	struct test_table *t = test_table_read(TSCMON_DIR "/idle");
	int ok;

	if (!t)
		return 0;
	ok = t->ncols == 4 && !strcmp(t->col[0], "cpu") &&
	     !strcmp(t->col[1], "state") && !strcmp(t->col[2], "entries") &&
	     !strcmp(t->col[3], "residency_ns") && t->nrows >= nr * NSTATES &&
	     t->nrows % nr == 0;
	if (!ok)
		ksft_print_msg("idle: %d columns, %d rows for %d CPUs\n",
			       t->ncols, t->nrows, nr);
	test_table_free(t);
	return ok;
}

/* cpus: idle_last_exit and idle_deepest of cpu after two sweeps. */
static int check_cpus_columns(int cpu, unsigned int state)
{
	struct test_table *t;
	long long deepest, last;
	int have_d = 1, have_l = 1;

	/* The first sweep that reaches cpu opens its window, the next closes it. */
	if (test_sweep_reaching(cpu, 5))
		return 0;
	test_wake_cpu(cpu, 100);
	if (test_sweep_reaching(cpu, 5))
		return 0;
	t = test_table_read(TSCMON_DIR "/cpus");
	if (!t)
		return 0;
	deepest = test_table_num(t, cpu, "idle_deepest", &have_d);
	last = test_table_num(t, cpu, "idle_last_exit", &have_l);
	test_table_free(t);
	ksft_print_msg("cpu%d: idle_deepest %lld, idle_last_exit %lld\n", cpu,
		       have_d ? deepest : -1, have_l ? last : -1);
	return have_d && have_l && deepest == state && last == state;
}

int main(void)
{
	int nr = test_possible_cpus(), cpu, s, ok, exact, ret;
	char drv[64];

	ksft_print_header();
	if (nr < 2)
		ksft_exit_skip("needs a second CPU to sample from\n");
	if (test_sysfs_line(TEST_CPU_SYSFS "/cpuidle/current_driver", drv,
			    sizeof(drv)) || strcmp(drv, "none"))
		ksft_exit_skip("no cpuidle, or a cpuidle driver is registered already\n");
	ksft_set_plan(6);
	test_load_quiet();
	ret = test_module_load(TEST_CPUIDLE_KO, NULL);
	if (ret)
		ksft_exit_fail_msg("%s: %s\n", TEST_CPUIDLE_KO, strerror(-ret));

	cpu = nr - 1;
	while (cpu > 0 && !test_cpu_is_online(cpu))
		cpu--;
	/* Sample from CPU 0; wake the measured one from a child. */
	test_pin(0);

	test_wake_cpu(cpu, 100);
	ksft_test_result(check_table(nr),
			 "idle: header cpu state entries residency_ns, the same states for every CPU\n");

	for (s = 1; s < NSTATES; s++) {
		ok = !test_idle_enable(cpu, 1u << s, NSTATES);
		ok = ok && compare(cpu, 1u << s, &exact);
		ksft_test_result(ok, "only %s enabled on cpu%d: entries match cpuidle usage within 1 per state (%s)\n",
				 names[s], cpu, exact ? "exact" : "within bounds");
	}
	ksft_test_result(check_cpus_columns(cpu, NSTATES - 1),
			 "cpus: idle_deepest and idle_last_exit of cpu%d name %s\n",
			 cpu, names[NSTATES - 1]);

	ok = !test_idle_enable(cpu, (1u << NSTATES) - 1, NSTATES);
	ok = ok && compare(cpu, 0, &exact);
	ksft_test_result(ok, "all states enabled on cpu%d: entries match cpuidle usage within 1 per state (%s)\n",
			 cpu, exact ? "exact" : "within bounds");

	ksft_test_result(test_summary("idle_out_of_range_total", -1) == 0 &&
			 test_summary("idle_residency_ns_total", 0) > 0,
			 "summary: no out-of-range index, residency counted\n");

	test_module_unload(TEST_CPUIDLE_MOD);
	test_module_unload("tscmon");
	ksft_finished();
}
