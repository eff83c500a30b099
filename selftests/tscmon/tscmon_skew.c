// SPDX-License-Identifier: GPL-2.0
/*
 * Skew estimates against the truth. The vCPUs of a TCG guest share one TSC,
 * so without injection every interval must hold 0; with an offset injected
 * through fault_offset, the interval must hold the injected value. The
 * interval is a causal bound, not a statistic, so the only tolerance is
 * TOLERANCE cycles for the vCPUs' TSCs not being exactly equal.
 */
#include "tscmon_test.h"

#define TOLERANCE	16
#define SWEEPS		3

static int nr_possible;

/* Checks every online CPU's interval against the expected offset. */
static int check_intervals(int inj_cpu, long long inj, int quiet)
{
	struct test_table *t = test_table_read(TSCMON_DIR "/cpus");
	int row, ok = 1, ref = (int)test_summary("reference_cpu", -1);

	if (!t || t->nrows != nr_possible) {
		ksft_print_msg("cpus table unreadable or wrong row count\n");
		if (t)
			test_table_free(t);
		return 0;
	}
	for (row = 0; row < t->nrows; row++) {
		int have = 1;
		long long skew = test_table_num(t, row, "skew_cycles", &have);
		long long unc = test_table_num(t, row, "uncertainty_cycles", &have);
		long long rtt = test_table_num(t, row, "rtt_cycles", &have);
		long long want = row == inj_cpu ? inj : 0;
		long long err = skew - want;

		if (!test_table_num(t, row, "online", NULL))
			continue;
		if (!have) {
			ksft_print_msg("cpu%d: no estimate\n", row);
			ok = 0;
			continue;
		}
		if (row == ref && (skew || unc)) {
			ksft_print_msg("cpu%d: reference reports %lld +- %lld\n",
				       row, skew, unc);
			ok = 0;
		}
		if (row != ref && (rtt <= 0 || 2 * unc > rtt + 1)) {
			ksft_print_msg("cpu%d: uncertainty %lld exceeds rtt/2 (rtt %lld)\n",
				       row, unc, rtt);
			ok = 0;
		}
		if (llabs(err) > unc + TOLERANCE) {
			ksft_print_msg("cpu%d: %lld +- %lld does not hold %lld\n",
				       row, skew, unc, want);
			ok = 0;
		} else if (!quiet) {
			ksft_print_msg("cpu%d: %lld +- %lld (rtt %lld) holds %lld\n",
				       row, skew, unc, rtt, want);
		}
	}
	test_table_free(t);
	return ok;
}

/* SWEEPS sweeps, more if a CPU is still without an estimate. */
static int sweeps(void)
{
	int n = test_sweep_until_measured(SWEEPS, 10 * SWEEPS);

	if (n < 0)
		ksft_print_msg("some CPU got no estimate in %d sweeps\n", 10 * SWEEPS);
	else if (n > SWEEPS)
		ksft_print_msg("%d sweeps to measure every CPU\n", n);
	return n < 0;
}

/* Warps on the pair (reference, cpu) from the warps table. */
static long long pair_warps(int cpu, long long *max_warp)
{
	struct test_table *t = test_table_read(TSCMON_DIR "/warps");
	long long w = -1;
	int row;

	*max_warp = -1;
	for (row = 0; t && row < t->nrows; row++) {
		if (test_table_num(t, row, "cpu_b", NULL) != cpu)
			continue;
		w = test_table_num(t, row, "warps", NULL);
		*max_warp = test_table_num(t, row, "max_warp_cycles", NULL);
	}
	if (t)
		test_table_free(t);
	return w;
}

/* The uncertainty the cpus table shows for cpu, or -1. */
static long long uncertainty(int cpu)
{
	struct test_table *t = test_table_read(TSCMON_DIR "/cpus");
	long long u = -1;
	int have = 1;

	if (t) {
		u = test_table_num(t, cpu, "uncertainty_cycles", &have);
		test_table_free(t);
	}
	return have ? u : -1;
}

static void check_offset(int cpu, long long inj)
{
	long long warps, max_warp, unc;
	char cmd[64];
	int ok, i;

	test_ctl("reset", "1");
	snprintf(cmd, sizeof(cmd), "%d %lld", cpu, inj);
	if (test_ctl("fault_offset", cmd)) {
		ksft_test_result_fail("inject %lld cycles on cpu%d\n", inj, cpu);
		ksft_test_result_skip("warps of cpu%d\n", cpu);
		return;
	}
	ok = !sweeps() && check_intervals(cpu, inj, 0);
	ksft_test_result(ok, "offset %+lld injected on cpu%d is recovered, other CPUs hold 0\n",
			 inj, cpu);

	/*
	 * An offset beyond the round trip must show as warps: the stamps
	 * cross in time. A busy host can stretch every round trip of a sweep
	 * past the offset; a few more sweeps usually find a quiet moment.
	 */
	unc = uncertainty(cpu);
	for (i = 0; i < 20 && (unc < 0 || unc > llabs(inj) / 4); i++) {
		test_sweep();
		unc = uncertainty(cpu);
	}
	warps = pair_warps(cpu, &max_warp);
	if (llabs(inj) < 100000)
		ksft_test_result(warps >= 0, "offset %+lld: warps row for cpu%d present (%lld)\n",
				 inj, cpu, warps);
	else if (unc < 0 || unc > llabs(inj) / 4)
		ksft_test_result_skip("offset %+lld: the host kept every round trip above %lld cycles\n",
				      inj, llabs(inj) / 2);
	else
		ksft_test_result(warps > 0 && max_warp > llabs(inj) / 2,
				 "offset %+lld: %lld warps counted on cpu%d, largest %lld\n",
				 inj, warps, cpu, max_warp);

	snprintf(cmd, sizeof(cmd), "%d 0", cpu);
	test_ctl("fault_offset", cmd);
}

static void check_trace(void)
{
	const char *ev = "/sys/kernel/tracing/events/tscmon";
	char *buf;
	int ok;

	if (access(ev, F_OK)) {
		ksft_test_result_skip("tracepoints (no tracefs)\n");
		return;
	}
	test_write_file("/sys/kernel/tracing/trace", "");
	test_ctl("reset", "1");
	ok = !test_write_file("/sys/kernel/tracing/events/tscmon/enable", "1");
	/* tscmon_skew fires for CPUs a sweep measured; a busy host may skip one. */
	ok = ok && test_sweep_until_measured(1, 10) > 0;
	test_write_file("/sys/kernel/tracing/events/tscmon/enable", "0");
	buf = test_read_file("/sys/kernel/tracing/trace");
	ok = ok && buf && strstr(buf, "tscmon_sweep:") && strstr(buf, "tscmon_skew:");
	free(buf);
	ksft_test_result(ok, "tscmon:tscmon_sweep and tscmon:tscmon_skew fire\n");
}

int main(void)
{
	int last;

	nr_possible = test_possible_cpus();
	ksft_print_header();
	if (nr_possible < 2)
		ksft_exit_skip("needs two CPUs\n");
	ksft_set_plan(8);
	test_load_quiet();
	if (test_summary("fault_inject", 0) != 1)
		ksft_exit_skip("not a fault-injection build\n");
	last = nr_possible - 1;

	ksft_test_result(!sweeps() && check_intervals(-1, 0, 0),
			 "no injection: reference 0, every interval holds 0, uncertainty <= rtt/2\n");

	check_offset(last, 1000000);
	check_offset(nr_possible > 2 ? 1 : last, -1000000);
	check_offset(nr_possible > 3 ? 2 : last, 5000);

	check_trace();
	if (test_module_unload("tscmon"))
		ksft_print_msg("rmmod failed\n");
	ksft_finished();
}
