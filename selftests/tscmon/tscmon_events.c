// SPDX-License-Identifier: GPL-2.0
/*
 * Events: a drift injected on one CPU right after a burst of idle entries
 * into one state must come out of the next sweep as an event in `events`
 * (and on the tscmon:tscmon_event tracepoint) naming that CPU and that
 * state. Also the controls: thresholds and ring size, their bad writes
 * (EINVAL, value kept) and a resize that keeps the newest events.
 *
 * Sequence, on the last online CPU c with the test cpuidle driver:
 *   only TSCMON_C1 enabled on c; sweep, 300 ms, sweep (a drift figure of
 *   about 0 with a tight bound; no event); only TSCMON_C2 enabled; wake c
 *   every millisecond for 200 ms; inject 1 % drift on c; 300 ms; sweep.
 * The drift jumps by about 0.6 %, far above the 0.1 % threshold and above
 * any error bound a loaded host produces. A sweep that cannot reach c
 * (host time-slicing) makes the attempt start again, at most 3 times.
 */
#include "tscmon_test.h"

#define DRIFT_PPB	"10000000"
#define THRESHOLD_PPB	"1000000"
#define ATTEMPTS	3
#define TRACE		"/sys/kernel/tracing"

static int events_rows(int cpu, const char *kind, int state, long long *seq)
{
	struct test_table *t = test_table_read(TSCMON_DIR "/events");
	int row, n = 0, have;

	if (!t)
		return -1;
	for (row = 0; row < t->nrows; row++) {
		have = 1;
		if (test_table_num(t, row, "cpu", NULL) != cpu ||
		    strcmp(test_table_get(t, row, "kind"), kind))
			continue;
		if (state >= 0 &&
		    (test_table_num(t, row, "deepest_state", &have) != state ||
		     !have || test_table_num(t, row, "deepest_entries", NULL) < 1))
			continue;
		n++;
		if (seq)
			*seq = test_table_num(t, row, "seq", NULL);
	}
	test_table_free(t);
	return n;
}

static int sweep_reaching(int c)
{
	return test_sweep_reaching(c, 5);
}

static int attempt(int c, long long *seq)
{
	char cmd[64];

	test_ctl("reset", "1");
	snprintf(cmd, sizeof(cmd), "%d 0", c);
	test_ctl("fault_drift_ppb", cmd);
	test_idle_enable(c, 1u << 1, 3);
	if (sweep_reaching(c))
		return -1;
	test_sleep_ms(300);
	if (sweep_reaching(c))
		return -1;
	if (events_rows(c, "drift", -1, NULL) != 0) {
		ksft_print_msg("a drift event before any injection\n");
		return -1;
	}
	test_idle_enable(c, 1u << 2, 3);
	test_wake_cpu(c, 200);
	snprintf(cmd, sizeof(cmd), "%d %s", c, DRIFT_PPB);
	test_ctl("fault_drift_ppb", cmd);
	test_sleep_ms(300);
	if (sweep_reaching(c))
		return -1;
	return events_rows(c, "drift", 2, seq) > 0 ? 0 : -1;
}

static int trace_has(int c)
{
	char *buf = test_read_file(TRACE "/trace"), want[32];
	int ok;

	if (!buf)
		return 0;
	snprintf(want, sizeof(want), "cpu=%d kind=drift", c);
	ok = strstr(buf, "tscmon_event:") && strstr(buf, want);
	free(buf);
	return ok;
}

static void controls(void)
{
	int ok;

	ok = test_summary("event_threshold_cycles", -1) == 1000 &&
	     test_summary("event_threshold_ppb", -1) == 10000 &&
	     test_summary("event_ring_size", -1) == 256;
	ksft_test_result(ok, "defaults: event_threshold_cycles 1000, event_threshold_ppb 10000, event_ring_size 256\n");

	ok = test_ctl("event_threshold_cycles", "-1") == -EINVAL &&
	     test_ctl("event_threshold_cycles", "12x") == -EINVAL &&
	     test_ctl("event_threshold_ppb", "4294967296") == -EINVAL &&
	     test_ctl("event_ring_size", "0") == -EINVAL &&
	     test_ctl("event_ring_size", "65537") == -EINVAL &&
	     test_summary("event_threshold_cycles", -1) == 1000 &&
	     test_summary("event_threshold_ppb", -1) == 10000 &&
	     test_summary("event_ring_size", -1) == 256;
	ksft_test_result(ok, "bad writes fail with EINVAL and keep the values\n");
}

int main(void)
{
	int nr = test_possible_cpus(), c, i, ok = 0, traced;
	long long seq = 0, seq2 = 0;
	char drv[64], cmd[32];

	ksft_print_header();
	if (nr < 2)
		ksft_exit_skip("needs 2 CPUs\n");
	if (test_sysfs_line(TEST_CPU_SYSFS "/cpuidle/current_driver", drv,
			    sizeof(drv)) || strcmp(drv, "none"))
		ksft_exit_skip("no cpuidle, or a cpuidle driver is registered already\n");
	test_load_quiet();
	if (test_summary("fault_inject", 0) != 1)
		ksft_exit_skip("not a fault-injection build\n");
	ksft_set_plan(6);
	controls();

	if (test_module_load(TEST_CPUIDLE_KO, NULL))
		ksft_exit_fail_msg("cannot load %s\n", TEST_CPUIDLE_KO);
	c = nr - 1;
	while (c > 1 && !test_cpu_is_online(c))
		c--;
	test_pin(0);
	test_ctl("event_threshold_ppb", THRESHOLD_PPB);
	traced = !test_write_file(TRACE "/events/tscmon/tscmon_event/enable", "1");
	test_write_file(TRACE "/trace", "");

	for (i = 1; i <= ATTEMPTS && !ok; i++) {
		ok = !attempt(c, &seq);
		if (!ok)
			ksft_print_msg("attempt %d: no drift event naming cpu%d and state 2, again\n",
				       i, c);
	}
	ksft_test_result(ok, "drift after a burst of TSCMON_C2 entries: an event names cpu%d and state 2 (seq %lld)\n",
			 c, seq);
	if (traced)
		ksft_test_result(ok && trace_has(c),
				 "tscmon:tscmon_event fired for cpu%d\n", c);
	else
		ksft_test_result_skip("no tracefs\n");

	/* Shrinking keeps the newest; seq goes on. */
	ksft_test_result(!test_ctl("event_ring_size", "1") &&
			 test_summary("events_in_ring", -1) == 1 &&
			 events_rows(c, "drift", -1, &seq2) == 1 && seq2 == seq,
			 "event_ring_size 1 keeps only the newest event\n");
	test_ctl("reset", "1");
	ksft_test_result(!test_ctl("event_ring_size", "256") &&
			 test_summary("events_in_ring", -1) == 0 &&
			 test_summary("events_total", 0) >= 1,
			 "reset empties the ring, events_total stays\n");

	snprintf(cmd, sizeof(cmd), "%d 0", c);
	test_ctl("fault_drift_ppb", cmd);
	test_idle_enable(c, 7, 3);
	if (traced)
		test_write_file(TRACE "/events/tscmon/tscmon_event/enable", "0");
	test_module_unload(TEST_CPUIDLE_MOD);
	test_module_unload("tscmon");
	ksft_finished();
}
