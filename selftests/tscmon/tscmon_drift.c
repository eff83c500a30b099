// SPDX-License-Identifier: GPL-2.0
/*
 * Drift: a rate of 1000 ppm injected through fault_drift_ppb on one CPU
 * must come back in drift_ppb within 10 %, and CPUs without injection must
 * show none beyond what their intervals allow.
 *
 * drift_ppb comes from two skew intervals; its error is at most the sum of
 * their half-widths over the time between them. A busy host can stretch a
 * sweep's round trips so far that the figure says nothing, so a pair of
 * sweeps is judged only when that bound is below 5 % of the injected rate,
 * and retried otherwise.
 */
#include <time.h>

#include "tscmon_test.h"

#define DRIFT_PPB	1000000LL
#define GAP_MS		300
#define ATTEMPTS	6
#define MAX_CPUS	256

struct snap {
	long long unc[MAX_CPUS], drift[MAX_CPUS], samples[MAX_CPUS];
	int online[MAX_CPUS], have_drift[MAX_CPUS];
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int snap(struct snap *s, int nr)
{
	struct test_table *t = test_table_read(TSCMON_DIR "/cpus");
	int row;

	if (!t || t->nrows != nr) {
		if (t)
			test_table_free(t);
		return -1;
	}
	for (row = 0; row < nr; row++) {
		s->online[row] = test_table_num(t, row, "online", NULL);
		s->unc[row] = test_table_num(t, row, "uncertainty_cycles", NULL);
		s->samples[row] = test_table_num(t, row, "samples", NULL);
		s->have_drift[row] = 1;
		s->drift[row] = test_table_num(t, row, "drift_ppb", &s->have_drift[row]);
	}
	test_table_free(t);
	return 0;
}

int main(void)
{
	int nr = test_possible_cpus(), cpu, row, attempt, judged = 0;
	long long khz, d = 0, bound = 0;
	int ok = 0, ok_other = 1;
	struct snap a, b;
	char cmd[64];

	ksft_print_header();
	if (nr < 2 || nr > MAX_CPUS)
		ksft_exit_skip("needs 2 to %d CPUs\n", MAX_CPUS);
	ksft_set_plan(3);
	test_load_quiet();
	if (test_summary("fault_inject", 0) != 1)
		ksft_exit_skip("not a fault-injection build\n");
	khz = test_summary("tsc_khz", 0);
	cpu = nr - 1;

	snprintf(cmd, sizeof(cmd), "%d %lld", cpu, DRIFT_PPB);
	ksft_test_result(!test_ctl("fault_drift_ppb", cmd) && khz > 0,
			 "inject %lld ppb on cpu%d\n", DRIFT_PPB, cpu);

	for (attempt = 1; attempt <= ATTEMPTS && !judged; attempt++) {
		double a_end, b_start, gap_cycles;

		test_ctl("reset", "1");
		if (test_sweep_until_measured(1, 10) < 0 || snap(&a, nr))
			continue;
		a_end = now_ns();
		usleep(GAP_MS * 1000);
		b_start = now_ns();
		if (a.samples[cpu] != 1 || test_sweep() || snap(&b, nr) ||
		    b.samples[cpu] != 2)
			continue;
		/* The two samples lie inside the sweeps: at least this far apart. */
		gap_cycles = (b_start - a_end) * khz / 1e6;
		bound = (long long)((a.unc[cpu] + b.unc[cpu]) * 1e9 / gap_cycles) + 1;
		if (bound > DRIFT_PPB / 20) {
			ksft_print_msg("attempt %d: intervals too wide (+- %lld ppb), again\n",
				       attempt, bound);
			continue;
		}
		judged = 1;
		d = b.drift[cpu];
		ksft_print_msg("attempt %d: cpu%d +- %lld then +- %lld cycles, %.0f cycles apart\n",
			       attempt, cpu, a.unc[cpu], b.unc[cpu], gap_cycles);
		ok = b.have_drift[cpu];
		for (row = 0; row < nr; row++) {
			long long ob;

			if (row == cpu || !b.online[row] || !b.have_drift[row] ||
			    b.samples[row] != 2)
				continue;
			ob = (long long)((a.unc[row] + b.unc[row]) * 1e9 / gap_cycles) + 1;
			if (llabs(b.drift[row]) > ob) {
				ksft_print_msg("cpu%d: drift %lld ppb without injection (bound %lld)\n",
					       row, b.drift[row], ob);
				ok_other = 0;
			}
		}
	}

	if (!judged) {
		ksft_test_result_skip("the host never allowed intervals tight enough to judge drift\n");
		ksft_test_result_skip("other CPUs' drift\n");
	} else {
		if (llabs(d - DRIFT_PPB) > bound)
			ksft_print_msg("cpu%d: drift %lld is outside the +- %lld the intervals allow\n",
				       cpu, d, bound);
		ksft_test_result(ok && llabs(d - DRIFT_PPB) <= DRIFT_PPB / 10,
				 "drift_ppb of cpu%d is %lld (+- %lld), within 10%% of %lld\n",
				 cpu, d, bound, DRIFT_PPB);
		ksft_test_result(ok_other,
				 "CPUs without injection show no drift beyond their intervals\n");
	}

	snprintf(cmd, sizeof(cmd), "%d 0", cpu);
	test_ctl("fault_drift_ppb", cmd);
	test_module_unload("tscmon");
	ksft_finished();
}
