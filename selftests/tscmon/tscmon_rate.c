// SPDX-License-Identifier: GPL-2.0
/*
 * The TSC rate against an independent timer (rate.c):
 *  - the summary names a reference and, within a few seconds, reports the
 *    measured rate with an uncertainty; the ppm and ppb keys agree;
 *  - a second, independent estimate agrees within the two uncertainties:
 *    userspace RDTSC against CLOCK_MONOTONIC_RAW over 2 s, each read
 *    bracketed by RDTSC. Only where the kernel's clocksource is not the
 *    TSC (hpet, acpi_pm), since otherwise CLOCK_MONOTONIC_RAW is the TSC
 *    scaled by the declared rate, and proves nothing;
 *  - with fault_rate_ppb = +100000 every stamp runs 100 ppm fast, and the
 *    deviation must move to (1 + d0)(1 + 1e-4) - 1 within the two reported
 *    uncertainties. The truth (the host's TSC against its clock) may move
 *    between the two windows if NTP retunes the host; one retry allows it.
 */
#include <limits.h>

#include "tscmon_test.h"

#define WINDOW_MS	2000
#define WAIT_MS		15000
#define FAULT_PPB	100000LL
#define RAW_SLACK_PPB	100	/* CLOCK_MONOTONIC_RAW's mult/shift rounding */

/* No libm in the static guest binaries. */
static double dabs(double x)
{
	return x < 0 ? -x : x;
}

static long long dround(double x)
{
	return (long long)(x < 0 ? x - 0.5 : x + 0.5);
}

struct rate {
	long long ppb, unc_ppb, mhz, window_ms, restarts;
};

static int read_rate(struct rate *r)
{
	char ppm[64], unc[64];

	r->ppb = test_summary("tsc_rate_ppb", LLONG_MIN);
	r->unc_ppb = test_summary("tsc_rate_uncertainty_ppb", -1);
	r->mhz = test_summary("tsc_rate_mhz", -1);
	r->window_ms = test_summary("rate_window_ms", 0);
	r->restarts = test_summary("rate_restarts", -1);
	if (r->ppb == LLONG_MIN || r->unc_ppb < 0 || r->mhz <= 0)
		return -1;
	/* The ppm keys are the ppb ones with three decimals. */
	if (test_summary_str("tsc_rate_ppm", ppm, sizeof(ppm)) ||
	    test_summary_str("tsc_rate_uncertainty_ppm", unc, sizeof(unc)) ||
	    dround(atof(ppm) * 1000) != r->ppb ||
	    dround(atof(unc) * 1000) != r->unc_ppb) {
		ksft_print_msg("tsc_rate_ppm %s / %s do not match %lld / %lld ppb\n",
			       ppm, unc, r->ppb, r->unc_ppb);
		return -1;
	}
	return 0;
}

/* Waits for a window of WINDOW_MS begun after `after` restarts. */
static int wait_rate(struct rate *r, long long after)
{
	double end = test_now_ms() + WAIT_MS;

	while (test_now_ms() < end) {
		if (!read_rate(r) && r->restarts >= after &&
		    r->window_ms >= WINDOW_MS)
			return 0;
		test_sleep_ms(250);
	}
	return -1;
}

static unsigned long long rdtsc_now(void)
{
	return __builtin_ia32_rdtsc();
}

/*
 * One CLOCK_MONOTONIC_RAW read between two RDTSCs, the narrowest of 20
 * tries: *mid and *half in cycles, *ns the clock.
 */
static void raw_read(double *mid, double *half, double *ns)
{
	unsigned long long a, b, best = ~0ULL;
	struct timespec ts;
	int i;

	for (i = 0; i < 20; i++) {
		a = rdtsc_now();
		clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
		b = rdtsc_now();
		if (b - a < best) {
			best = b - a;
			*mid = a + (b - a) / 2.0;
			*half = (b - a) / 2.0 + 1;
			*ns = ts.tv_sec * 1e9 + ts.tv_nsec;
		}
	}
}

/* RDTSC against CLOCK_MONOTONIC_RAW over 2 s: rate in mHz, bound in ppb. */
static void raw_estimate(double *mhz, double *unc_ppb)
{
	double m0, h0, n0, m1, h1, n1;

	raw_read(&m0, &h0, &n0);
	test_sleep_ms(2000);
	raw_read(&m1, &h1, &n1);
	*mhz = (m1 - m0) / (n1 - n0) * 1e12;
	*unc_ppb = (h0 + h1) / (m1 - m0) * 1e9 + 1e9 / (n1 - n0) + RAW_SLACK_PPB;
}

int main(void)
{
	struct rate r0, r1;
	char ref[32], cs[64];
	double mhz, unc, diff, want;
	int ok, i;

	ksft_print_header();
	ksft_set_plan(4);
	test_load_quiet();
	test_pin(test_summary("reference_cpu", 0));
	if (test_summary_str("rate_reference", ref, sizeof(ref)) ||
	    !strcmp(ref, "none"))
		ksft_exit_skip("no ACPI PM timer or HPET in this machine\n");

	ok = !wait_rate(&r0, 0);
	ksft_test_result(ok, "rate_reference %s: %lld ppb +- %lld over %lld ms, ppm keys agree\n",
			 ref, r0.ppb, r0.unc_ppb, r0.window_ms);
	if (!ok)
		ksft_exit_fail_msg("no rate within %d ms\n", WAIT_MS);

	test_sysfs_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
			cs, sizeof(cs));
	if (!strcmp(cs, "tsc") || !strcmp(cs, "tsc-early")) {
		ksft_test_result_skip("clocksource %s: CLOCK_MONOTONIC_RAW is not independent of the TSC\n",
				      cs);
	} else {
		raw_estimate(&mhz, &unc);
		if (read_rate(&r0))
			ksft_exit_fail_msg("summary lost its rate\n");
		diff = (mhz - r0.mhz) / r0.mhz * 1e9;
		ksft_print_msg("clocksource %s: RDTSC/CLOCK_MONOTONIC_RAW %.0f mHz (+- %.0f ppb), module %lld mHz (+- %lld ppb), apart %.0f ppb\n",
			       cs, mhz, unc, r0.mhz, r0.unc_ppb, diff);
		ksft_test_result(dabs(diff) <= unc + r0.unc_ppb,
				 "a second estimate through %s agrees within the two uncertainties\n",
				 cs);
	}

	if (test_summary("fault_inject", 0) != 1) {
		ksft_test_result_skip("fault_rate_ppb: not a fault-injection build\n");
		ksft_test_result_skip("fault_rate_ppb: not a fault-injection build\n");
		test_module_unload("tscmon");
		ksft_finished();
	}
	ok = 0;
	for (i = 0; i < 2 && !ok; i++) {
		if (wait_rate(&r0, 0) || test_ctl("fault_rate_ppb", "100000") ||
		    wait_rate(&r1, r0.restarts + 1))
			break;
		want = ((1 + r0.ppb / 1e9) * (1 + FAULT_PPB / 1e9) - 1) * 1e9;
		diff = r1.ppb - want;
		ksft_print_msg("deviation %lld +- %lld ppb, then %lld +- %lld ppb with +%lld ppb injected (expected %.0f)\n",
			       r0.ppb, r0.unc_ppb, r1.ppb, r1.unc_ppb, FAULT_PPB, want);
		ok = dabs(diff) <= r0.unc_ppb + r1.unc_ppb + 1;
		test_ctl("fault_rate_ppb", "0");
	}
	ksft_test_result(ok, "fault_rate_ppb +100000 moves the deviation by +100 ppm within the reported uncertainty\n");

	ok = test_ctl("fault_rate_ppb", "100000001") == -EINVAL &&
	     test_ctl("fault_rate_ppb", "1 2") == -EINVAL &&
	     test_ctl("fault_rate_ppb", "0x10") == -EINVAL &&
	     !test_ctl("fault_rate_ppb", "-0");
	ksft_test_result(ok, "fault_rate_ppb refuses bad values with EINVAL\n");

	test_module_unload("tscmon");
	ksft_finished();
}
