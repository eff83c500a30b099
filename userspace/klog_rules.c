// SPDX-License-Identifier: GPL-2.0
/*
 * The table of kernel log lines tscmon recognises, one row per wording
 * (shared/reference/kernel-log.md lists them by family), and the small
 * parsers that take the numbers out of each line. Every parser tolerates
 * a truncated or absurd line: a number that is missing, malformed or out
 * of the 64-bit range is KLOG_NONE, never a guess.
 */
#include "klog.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct klog_rule {
	enum klog_family family;
	const char *kind;
	const char *needle[3];
	void (*extract)(struct arena *a, struct klog_event *ev,
			const char *line, size_t len);
};

/* A cursor over one line. */
struct cur {
	const char *p, *end;
};

static bool cur_find(struct cur *c, const char *needle)
{
	const char *p = util_memstr(c->p, (size_t)(c->end - c->p), needle);

	if (!p)
		return false;
	c->p = p + strlen(needle);
	return true;
}

static void cur_blanks(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static int digit(char ch, int base)
{
	int d = ch >= '0' && ch <= '9' ? ch - '0' :
		ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
		ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : 99;

	return d < base ? d : -1;
}

/* An unsigned number at the cursor; false if none or beyond 64 bits. */
static bool cur_u64(struct cur *c, int base, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0, d;

	cur_blanks(c);
	if (base == 16 && c->end - c->p > 2 && c->p[0] == '0' &&
	    (c->p[1] == 'x' || c->p[1] == 'X'))
		c->p += 2;
	while (c->p < c->end && (d = digit(*c->p, base)) >= 0) {
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
		c->p++;
		n++;
	}
	*out = v;
	return n > 0;
}

/* A signed decimal (or hex) number at the cursor, KLOG_NONE if none. */
static int64_t cur_i64(struct cur *c, int base)
{
	bool neg = false;
	uint64_t v;

	cur_blanks(c);
	if (c->p < c->end && (*c->p == '-' || *c->p == '+'))
		neg = *c->p++ == '-';
	if (!cur_u64(c, base, &v) || v > (uint64_t)INT64_MAX)
		return KLOG_NONE;
	return neg ? -(int64_t)v : (int64_t)v;
}

int64_t klog_num_after(const char *line, size_t len, const char *prefix,
		       int base)
{
	struct cur c = { line, line + len };

	return cur_find(&c, prefix) ? cur_i64(&c, base) : KLOG_NONE;
}

/* The word after PREFIX (blanks skipped), trailing . , : ' cut. */
static const char *word_after(struct arena *a, const char *line, size_t len,
			      const char *prefix)
{
	struct cur c = { line, line + len };
	size_t n = 0;

	if (!cur_find(&c, prefix))
		return NULL;
	cur_blanks(&c);
	while (c.p + n < c.end && c.p[n] != ' ' && c.p[n] != '\t' && n < 64)
		n++;
	while (n && (c.p[n - 1] == '.' || c.p[n - 1] == ',' ||
		     c.p[n - 1] == ':' || c.p[n - 1] == '\''))
		n--;
	return n ? arena_strndup(a, c.p, n) : NULL;
}

/* The word that ends just before SUFFIX. */
static const char *word_before(struct arena *a, const char *line, size_t len,
			       const char *suffix)
{
	const char *e = util_memstr(line, len, suffix), *s;

	if (!e)
		return NULL;
	s = e;
	while (s > line && s[-1] != ' ' && e - s < 64)
		s--;
	return s < e ? arena_strndup(a, s, (size_t)(e - s)) : NULL;
}

/* The rest of the line after PREFIX, cut at 120 bytes and trimmed. */
static const char *rest_after(struct arena *a, const char *line, size_t len,
			      const char *prefix)
{
	struct cur c = { line, line + len };
	size_t n;

	if (!cur_find(&c, prefix))
		return NULL;
	n = (size_t)(c.end - c.p);
	if (n > 120)
		n = 120;
	while (n && (c.p[n - 1] == ' ' || c.p[n - 1] == '\r'))
		n--;
	return arena_strndup(a, c.p, n);
}

/* The NTH (0-based) 'quoted' word of the line. */
static const char *quoted(struct arena *a, const char *line, size_t len,
			  int nth)
{
	const char *p = line, *end = line + len;

	for (int i = 0; p < end; i++) {
		const char *o = memchr(p, '\'', (size_t)(end - p)), *q;

		if (!o)
			return NULL;
		q = memchr(o + 1, '\'', (size_t)(end - o - 1));
		if (!q)
			return NULL;
		if (i == nth)
			return q > o + 1 && q - o < 64 ?
				       arena_strndup(a, o + 1, (size_t)(q - o - 1)) :
				       NULL;
		p = q + 1;
	}
	return NULL;
}

/* A decimal number (digits and one dot) ending just before END. */
static double number_before(const char *line, const char *end)
{
	const char *s = end;
	char buf[32], *e;
	double v;

	while (s > line && s[-1] == ' ')
		s--;
	end = s;
	while (s > line && ((s[-1] >= '0' && s[-1] <= '9') || s[-1] == '.') &&
	       end - s < 24)
		s--;
	if (s == end)
		return 0;
	util_copy(buf, sizeof(buf), s, (size_t)(end - s));
	v = strtod(buf, &e);
	/* MHz and BogoMIPS of real machines stay far below this. */
	return *e == '\0' && v > 0 && v < 1e7 ? v : 0;
}

static void x_lpj(struct arena *a, struct klog_event *ev, const char *line,
		  size_t len)
{
	const char *b = util_memstr(line, len, "BogoMIPS");
	int64_t v = klog_num_after(line, len, "lpj=", 10);

	(void)a;
	ev->lpj = v > 0 && v < 1000000000000000LL ? v : -1;
	if (b)
		ev->mhz = number_before(line, b);
}

static void x_mhz(struct arena *a, struct klog_event *ev, const char *line,
		  size_t len)
{
	const char *m = util_memstr(line, len, " MHz");

	if (m)
		ev->mhz = number_before(line, m);
	if (!strcmp(ev->kind, "refined"))
		ev->detail = "refined";
	else if (util_memstr(line, len, " MHz TSC"))
		ev->detail = arena_strdup(a, "TSC");
}

static void x_cal(struct arena *a, struct klog_event *ev, const char *line,
		  size_t len)
{
	if (util_memstr(line, len, "calibration using PIT"))
		ev->detail = "PIT";
	else if (util_memstr(line, len, "reference calibration"))
		ev->detail = word_after(a, line, len, "using ");
	else if (util_memstr(line, len, "PIT calibration matches "))
		ev->detail = word_after(a, line, len, "matches ");
	else if (util_memstr(line, len, "deviates from "))
		ev->detail = word_after(a, line, len, "deviates from ");
}

static void x_reason(struct arena *a, struct klog_event *ev, const char *line,
		     size_t len)
{
	ev->arg = rest_after(a, line, len, "unstable due to ");
}

static void x_switch(struct arena *a, struct klog_event *ev, const char *line,
		     size_t len)
{
	ev->arg = word_after(a, line, len, "to clocksource ");
}

static void x_hyper(struct arena *a, struct klog_event *ev, const char *line,
		    size_t len)
{
	ev->arg = rest_after(a, line, len, "Hypervisor detected: ");
}

static void x_override(struct arena *a, struct klog_event *ev,
		       const char *line, size_t len)
{
	ev->arg = word_after(a, line, len, "Override clocksource ");
}

/* "timekeeping watchdog on CPU3:" (kernels from about 4.19). */
static void wd_cpu(struct klog_event *ev, const char *line, size_t len)
{
	ev->cpu = klog_num_after(line, len, "watchdog on CPU", 10);
}

static void x_demote(struct arena *a, struct klog_event *ev, const char *line,
		     size_t len)
{
	wd_cpu(ev, line, len);
	ev->arg = quoted(a, line, len, 0);
	if (!ev->arg)
		ev->arg = word_after(a, line, len, "Marking clocksource ");
	if (util_memstr(line, len, "frequency skew"))
		ev->detail = "frequency skew";
	else if (util_memstr(line, len, "inter CPU skew"))
		ev->detail = "inter CPU skew";
	else if (util_memstr(line, len, "skew is too large"))
		ev->detail = "skew too large";
	else
		ev->detail = "unstable";
}

/* Kernels before 4.x: "Clocksource tsc unstable (delta = -1234 ns)". */
static void x_delta(struct arena *a, struct klog_event *ev, const char *line,
		    size_t len)
{
	ev->arg = word_after(a, line, len, "Clocksource ");
	ev->skew_ns = klog_num_after(line, len, "delta = ", 10);
	ev->detail = "delta";
}

/* (NOW - LAST) & MASK from "'x' wd_now: N wd_last: N mask: N". */
static int64_t raw_delta(const char *line, size_t len, const char *now_key,
			 const char *last_key)
{
	struct cur c = { line, line + len };
	uint64_t now, last, mask, d;

	if (!cur_find(&c, now_key) || !cur_u64(&c, 16, &now) ||
	    !cur_find(&c, last_key) || !cur_u64(&c, 16, &last) ||
	    !cur_find(&c, "mask:") || !cur_u64(&c, 16, &mask))
		return KLOG_NONE;
	d = (now - last) & mask;
	return d > (uint64_t)INT64_MAX ? KLOG_NONE : (int64_t)d;
}

static void x_reading(struct arena *a, struct klog_event *ev,
		      const char *line, size_t len)
{
	ev->arg = quoted(a, line, len, 0);
	ev->continuation = true;
	if (util_memstr(line, len, "wd_now:")) {
		ev->watchdog = ev->arg;
		ev->interval_ns = klog_num_after(line, len, "wd_nsec:", 10);
		ev->wd_cycles = raw_delta(line, len, "wd_now:", "wd_last:");
	} else {
		ev->cs_ns = klog_num_after(line, len, "cs_nsec:", 10);
		ev->cs_cycles = raw_delta(line, len, "cs_now:", "cs_last:");
	}
}

static void x_skewed(struct arena *a, struct klog_event *ev, const char *line,
		     size_t len)
{
	ev->continuation = true;
	ev->arg = quoted(a, line, len, 0);
	ev->watchdog = quoted(a, line, len, 1);
	ev->skew_ns = klog_num_after(line, len, " skewed ", 10);
	ev->interval_ns = klog_num_after(line, len, "interval of ", 10);
}

/* 2026: "Watchdog    <name> interval: N ns" / "Clocksource <name> ...". */
static void x_interval(struct arena *a, struct klog_event *ev,
		       const char *line, size_t len)
{
	int64_t v = klog_num_after(line, len, " interval: ", 10);

	ev->continuation = true;
	if (util_memstr(line, len, "Watchdog ")) {
		ev->watchdog = word_after(a, line, len, "Watchdog ");
		ev->interval_ns = v;
	} else {
		ev->arg = word_after(a, line, len, "Clocksource ");
		ev->cs_ns = v;
	}
}

/* 2026: "CPU1 123 < CPU0 456 (cycles)" after an inter CPU skew. */
static void x_cputs(struct arena *a, struct klog_event *ev, const char *line,
		    size_t len)
{
	(void)a;
	ev->continuation = true;
	ev->cpu = klog_num_after(line, len, "CPU", 10);
	ev->cpu2 = klog_num_after(line, len, "< CPU", 10);
}

static void x_current(struct arena *a, struct klog_event *ev,
		      const char *line, size_t len)
{
	ev->continuation = true;
	ev->arg = quoted(a, line, len, 0);
}

/* "CPUs 2-3 ahead of CPU 0 for clocksource tsc." (6.x verify_percpu). */
static void x_percpu(struct arena *a, struct klog_event *ev,
		     const char *line, size_t len)
{
	ev->cpu = klog_num_after(line, len, " of CPU ", 10);
	ev->arg = word_after(a, line, len, "for clocksource ");
	ev->detail = util_memstr(line, len, " ahead of ") ? "ahead" : "behind";
}

static void x_retry(struct arena *a, struct klog_event *ev, const char *line,
		    size_t len)
{
	wd_cpu(ev, line, len);
	ev->watchdog = word_before(a, line, len, " retried ");
	ev->count = klog_num_after(line, len, " retried ", 10);
}

static void x_delay(struct arena *a, struct klog_event *ev, const char *line,
		    size_t len)
{
	wd_cpu(ev, line, len);
	ev->delay_ns = klog_num_after(line, len, "read-back delay of ", 10);
	if (util_memstr(line, len, "marking "))
		ev->arg = word_after(a, line, len, "marking ");
}

static void x_long(struct arena *a, struct klog_event *ev, const char *line,
		   size_t len)
{
	(void)a;
	ev->cs_ns = klog_num_after(line, len, "cs_nsec:", 10);
	ev->interval_ns = klog_num_after(line, len, "wd_nsec:", 10);
}

static void x_timeout(struct arena *a, struct klog_event *ev,
		      const char *line, size_t len)
{
	if (util_memstr(line, len, "remote CPU")) {
		ev->cpu = klog_num_after(line, len, "remote CPU ", 10);
		return;
	}
	ev->watchdog = word_after(a, line, len, "Watchdog ");
	ev->delay_ns = klog_num_after(line, len, "took:", 10);
}

static void x_sync(struct arena *a, struct klog_event *ev, const char *line,
		   size_t len)
{
	(void)a;
	ev->cpu = klog_num_after(line, len, "[CPU#", 10);
	ev->cpu2 = klog_num_after(line, len, "-> CPU#", 10);
}

static void x_warp(struct arena *a, struct klog_event *ev, const char *line,
		   size_t len)
{
	(void)a;
	ev->warp_cycles = klog_num_after(line, len, "Measured ", 10);
}

/* "TSC ADJUST: CPU1: -5000 force to 0" */
static void x_adj_force(struct arena *a, struct klog_event *ev,
			const char *line, size_t len)
{
	struct cur c = { line, line + len };

	(void)a;
	if (!cur_find(&c, "TSC ADJUST: CPU"))
		return;
	ev->cpu = cur_i64(&c, 10);
	if (ev->cpu != KLOG_NONE && c.p < c.end && *c.p == ':') {
		c.p++;
		ev->adj_from = cur_i64(&c, 10);
		ev->adj_to = 0;
	}
}

/* "TSC ADJUST differs: CPU2 0 --> -9000. Restoring" */
static void x_adj_differs(struct arena *a, struct klog_event *ev,
			  const char *line, size_t len)
{
	struct cur c = { line, line + len };

	(void)a;
	if (!cur_find(&c, "differs: CPU"))
		return;
	ev->cpu = cur_i64(&c, 10);
	if (ev->cpu == KLOG_NONE)
		return;
	ev->adj_from = cur_i64(&c, 10);
	if (cur_find(&c, "-->"))
		ev->adj_to = cur_i64(&c, 10);
	if (ev->adj_from == KLOG_NONE || ev->adj_to == KLOG_NONE)
		ev->adj_from = ev->adj_to = KLOG_NONE;
}

/* "TSC ADJUST compensate: CPU4 observed 1234 warp. Adjust: 1234" */
static void x_adj_comp(struct arena *a, struct klog_event *ev,
		       const char *line, size_t len)
{
	(void)a;
	ev->cpu = klog_num_after(line, len, "compensate: CPU", 10);
	ev->warp_cycles = klog_num_after(line, len, " observed ", 10);
	ev->adj_to = klog_num_after(line, len, "Adjust:", 10);
}

#define R(fam, kind, ...) { fam, kind, __VA_ARGS__ }
static const struct klog_rule klog_rules[] = {
	/* calibration (tsc.c) */
	R(KF_CALIBRATION, "lpj", { "Calibrating delay", "lpj=" }, x_lpj),
	R(KF_CALIBRATION, "lpj", { "BogoMIPS (lpj=" }, x_lpj),
	R(KF_CALIBRATION, "refined",
	  { "Refined TSC clocksource calibration:", " MHz" }, x_mhz),
	R(KF_CALIBRATION, "tsc-mhz", { "Detected ", " MHz TSC" }, x_mhz),
	R(KF_CALIBRATION, "tsc-mhz", { "Detected ", " MHz processor" }, x_mhz),
	R(KF_CALIBRATION, "pit-fast", { "Fast TSC calibration using PIT" }, x_cal),
	R(KF_CALIBRATION, "pit-failed", { "Fast TSC calibration failed" }, NULL),
	R(KF_CALIBRATION, "pit-failed", { "Unable to calibrate against PIT" }, NULL),
	R(KF_CALIBRATION, "reference", { "reference calibration" }, x_cal),
	R(KF_CALIBRATION, "pit-checked", { "PIT calibration matches " }, x_cal),
	R(KF_CALIBRATION, "pit-deviates", { "PIT calibration deviates from " }, x_cal),
	/* unstable, switch (tsc.c, clocksource.c) */
	R(KF_UNSTABLE, "unstable", { "Marking TSC unstable due to" }, x_reason),
	R(KF_UNSTABLE, "after-boot", { "TSC found unstable after boot" }, NULL),
	R(KF_SWITCH, "switch", { "Switched to clocksource " }, x_switch),
	R(KF_SWITCH, "switch", { "Switching to clocksource " }, x_switch),
	/* the watchdog could not read cleanly (clocksource.c) */
	R(KF_WATCHDOG_READ, "retried", { " retried ", "times before success" }, x_retry),
	R(KF_WATCHDOG_READ, "read-demote", { "excessive read-back delay" }, x_delay),
	R(KF_WATCHDOG_READ, "read-delay", { "read-back delay" }, x_delay),
	R(KF_WATCHDOG_READ, "skipped", { "clock-skew test skipped" }, NULL),
	R(KF_WATCHDOG_READ, "long-readout",
	  { "Long readout interval, skipping watchdog check" }, x_long),
	R(KF_WATCHDOG_READ, "timeout", { "Watchdog ", " read timed out" }, x_timeout),
	/* the watchdog judged a clock, and its continuation lines */
	R(KF_WATCHDOG, "demote", { "Marking clocksource", "unstable" }, x_demote),
	R(KF_WATCHDOG, "demote", { "Clocksource ", " unstable (delta = " }, x_delta),
	R(KF_WATCHDOG, "skewed", { "Clocksource '", " skewed " }, x_skewed),
	R(KF_WATCHDOG, "reading", { "wd_now:" }, x_reading),
	R(KF_WATCHDOG, "reading", { "cs_now:" }, x_reading),
	R(KF_WATCHDOG, "interval", { "Watchdog ", " interval: " }, x_interval),
	R(KF_WATCHDOG, "interval", { "Clocksource ", " interval: " }, x_interval),
	R(KF_WATCHDOG, "cpu-cycles", { "CPU", " < CPU", "(cycles)" }, x_cputs),
	R(KF_WATCHDOG, "current", { "is current clocksource" }, x_current),
	R(KF_WATCHDOG, "current", { "No current clocksource" }, x_current),
	R(KF_WATCHDOG, "cpu-skew", { "CPUs ", " of CPU ", "for clocksource " }, x_percpu),
	/* boot and hotplug warp test (tsc_sync.c) */
	R(KF_BOOT_WARP, "sync", { "TSC synchronization [CPU#" }, x_sync),
	R(KF_BOOT_WARP, "warp", { "cycles TSC warp between CPUs" }, x_warp),
	R(KF_BOOT_WARP, "random", { "TSC warped randomly between CPUs" }, NULL),
	/* firmware */
	R(KF_FIRMWARE, "p0", { "[Firmware Bug]: TSC doesn't count with P0" }, NULL),
	R(KF_FIRMWARE_NOISE, "tsc-deadline", { "TSC_DEADLINE disabled due to Errata" }, NULL),
	R(KF_TSC_ADJUST, "force-zero", { "TSC ADJUST: CPU", "force to 0" }, x_adj_force),
	R(KF_TSC_ADJUST, "differs", { "TSC ADJUST differs: CPU" }, x_adj_differs),
	R(KF_TSC_ADJUST, "socket", { "TSC ADJUST differs within socket" }, NULL),
	R(KF_TSC_ADJUST, "compensate", { "TSC ADJUST compensate: CPU" }, x_adj_comp),
	R(KF_TSC_ADJUST, "adjust", { "TSC ADJUST" }, NULL),
	R(KF_FIRMWARE, "fwbug", { "[Firmware Bug]: TSC" }, NULL),
	R(KF_OVERRIDE, "override", { "Override clocksource " }, x_override),
	R(KF_HYPERVISOR, "hypervisor", { "Hypervisor detected: " }, x_hyper),
	R(KF_KVM_HOST, "unstable-host", { "host with unstable TSC" }, NULL),
	/* suspend and resume, to date TSC_ADJUST rewrites */
	R(KF_POWER, "suspend", { "PM: suspend entry" }, NULL),
	R(KF_POWER, "resume", { "PM: suspend exit" }, NULL),
	R(KF_POWER, "resume", { "Waking up from system sleep state" }, NULL),
	R(KF_POWER, "resume", { "Low-level resume complete" }, NULL),
};

static bool rule_matches(const struct klog_rule *r, const char *line,
			 size_t len)
{
	for (int i = 0; i < 3 && r->needle[i]; i++)
		if (!util_memstr(line, len, r->needle[i]))
			return false;
	return true;
}

const struct klog_rule *klog_match(const char *line, size_t len)
{
	for (size_t r = 0; r < sizeof(klog_rules) / sizeof(klog_rules[0]); r++)
		if (rule_matches(&klog_rules[r], line, len))
			return &klog_rules[r];
	return NULL;
}

void klog_apply(struct arena *a, const struct klog_rule *r,
		struct klog_event *ev, const char *line, size_t len)
{
	ev->family = r->family;
	ev->kind = r->kind;
	if (r->extract)
		r->extract(a, ev, line, len);
}
