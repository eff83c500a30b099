/* SPDX-License-Identifier: GPL-2.0 */
/* A few lines of TAP for the estimator tests. */
#ifndef TSCMON_TAP_H
#define TSCMON_TAP_H

#include <stdarg.h>
#include <stdio.h>

extern int tap_n, tap_failed;

static inline void tap_result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		tap_failed++;
}

static inline void tap_skip(const char *fmt, ...)
{
	va_list ap;

	printf("ok %d # SKIP ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

#define tap_diag(...) do { printf("# "); printf(__VA_ARGS__); putchar('\n'); } while (0)

/* host_tsc.c */
void test_host_tsc(void);

#endif /* TSCMON_TAP_H */
