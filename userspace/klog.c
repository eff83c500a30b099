// SPDX-License-Identifier: GPL-2.0
/* Kernel log parsing: strip prefixes, classify lines into events. */
#include "klog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const klog_family_names[KF_COUNT] = {
	[KF_CALIBRATION] = "calibration",
	[KF_UNSTABLE] = "unstable",
	[KF_SWITCH] = "switch",
	[KF_WATCHDOG] = "watchdog",
	[KF_WATCHDOG_READ] = "watchdog-read",
	[KF_BOOT_WARP] = "boot-warp",
	[KF_TSC_ADJUST] = "tsc-adjust",
	[KF_FIRMWARE] = "firmware",
	[KF_OVERRIDE] = "override",
	[KF_HYPERVISOR] = "hypervisor",
	[KF_KVM_HOST] = "kvm-host",
};

/* A matcher: every NEEDLE must occur in the line (NULL ends the list). */
struct klog_rule {
	enum klog_family family;
	const char *kind;
	const char *needle[3];
	void (*extract)(struct arena *a, struct klog_event *ev,
			const char *line, size_t len);
};

/* The word after PREFIX up to a blank, trailing dots/commas cut. */
static const char *klog_word_after(struct arena *a, const char *line,
				   size_t len, const char *prefix)
{
	const char *p = util_memstr(line, len, prefix);
	size_t n;

	if (!p)
		return NULL;
	p += strlen(prefix);
	n = 0;
	while (p + n < line + len && p[n] != ' ' && p[n] != '\t' && n < 64)
		n++;
	while (n && (p[n - 1] == '.' || p[n - 1] == ',' || p[n - 1] == ':'))
		n--;
	return n ? arena_strndup(a, p, n) : NULL;
}

/* The rest of the line after PREFIX, cut and trimmed. */
static const char *klog_rest_after(struct arena *a, const char *line,
				   size_t len, const char *prefix)
{
	const char *p = util_memstr(line, len, prefix);
	size_t n;

	if (!p)
		return NULL;
	p += strlen(prefix);
	n = len - (size_t)(p - line);
	if (n > 120)
		n = 120;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\r'))
		n--;
	return arena_strndup(a, p, n);
}

/* A decimal number (digits and one dot) ending just before END. */
static double klog_number_before(const char *line, const char *end)
{
	const char *s = end;
	char buf[32];
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
	v = strtod(buf, NULL);
	/* MHz and BogoMIPS of real machines stay far below this. */
	return v > 0 && v < 1e7 ? v : 0;
}

static int64_t klog_int_after(const char *line, size_t len, const char *pfx)
{
	const char *p = util_memstr(line, len, pfx);
	int64_t v = 0;
	int digits = 0;

	if (!p)
		return -1;
	p += strlen(pfx);
	while (p < line + len && *p >= '0' && *p <= '9' && digits < 15) {
		v = v * 10 + (*p - '0');
		p++;
		digits++;
	}
	return digits ? v : -1;
}

static void klog_x_lpj(struct arena *a, struct klog_event *ev,
		       const char *line, size_t len)
{
	const char *b = util_memstr(line, len, "BogoMIPS");

	(void)a;
	ev->lpj = klog_int_after(line, len, "lpj=");
	if (b)
		ev->mhz = klog_number_before(line, b);
}

static void klog_x_mhz(struct arena *a, struct klog_event *ev,
		       const char *line, size_t len)
{
	const char *m = util_memstr(line, len, " MHz");

	(void)a;
	if (m)
		ev->mhz = klog_number_before(line, m);
}

static void klog_x_reason(struct arena *a, struct klog_event *ev,
			  const char *line, size_t len)
{
	ev->arg = klog_rest_after(a, line, len, "unstable due to ");
}

static void klog_x_switch(struct arena *a, struct klog_event *ev,
			  const char *line, size_t len)
{
	ev->arg = klog_word_after(a, line, len, "to clocksource ");
}

static void klog_x_hyper(struct arena *a, struct klog_event *ev,
			 const char *line, size_t len)
{
	ev->arg = klog_rest_after(a, line, len, "Hypervisor detected: ");
}

static void klog_x_watchdog(struct arena *a, struct klog_event *ev,
			    const char *line, size_t len)
{
	/* The clock's name is the first quoted word ('tsc', 'hpet'), or in the
	 * unquoted wording the word after "Marking clocksource ". */
	const char *p = memchr(line, '\'', len);

	if (p) {
		const char *q;

		p++;
		q = memchr(p, '\'', (size_t)(line + len - p));
		if (q && q > p && q - p < 64) {
			ev->arg = arena_strndup(a, p, (size_t)(q - p));
			return;
		}
	}
	ev->arg = klog_word_after(a, line, len, "Marking clocksource ");
}

static const struct klog_rule klog_rules[] = {
	{ KF_CALIBRATION, "lpj", { "Calibrating delay", "lpj=" }, klog_x_lpj },
	{ KF_CALIBRATION, "lpj", { "BogoMIPS (lpj=" }, klog_x_lpj },
	{ KF_CALIBRATION, "refined",
	  { "Refined TSC clocksource calibration:", " MHz" }, klog_x_mhz },
	{ KF_CALIBRATION, "tsc-mhz", { "Detected ", " MHz TSC" }, klog_x_mhz },
	{ KF_CALIBRATION, "tsc-mhz", { "Detected ", " MHz processor" },
	  klog_x_mhz },
	{ KF_CALIBRATION, "pit-failed", { "Fast TSC calibration failed" }, NULL },
	{ KF_CALIBRATION, "pit-failed", { "Unable to calibrate against PIT" }, NULL },
	{ KF_CALIBRATION, "reference", { "reference calibration" }, NULL },
	{ KF_UNSTABLE, "unstable", { "Marking TSC unstable due to" },
	  klog_x_reason },
	{ KF_UNSTABLE, "after-boot", { "TSC found unstable after boot" }, NULL },
	{ KF_SWITCH, "switch", { "Switched to clocksource " }, klog_x_switch },
	{ KF_SWITCH, "switch", { "Switching to clocksource " }, klog_x_switch },
	{ KF_WATCHDOG, "read", { "retried", "times before success" }, NULL },
	{ KF_WATCHDOG_READ, "read", { "read-back delay" }, NULL },
	{ KF_WATCHDOG_READ, "read", { "clock-skew test skipped" }, NULL },
	{ KF_WATCHDOG_READ, "read",
	  { "Long readout interval, skipping watchdog check" }, NULL },
	{ KF_WATCHDOG, "demote", { "Marking clocksource", "unstable" },
	  klog_x_watchdog },
	{ KF_WATCHDOG, "skewed", { "Clocksource '", " skewed " },
	  klog_x_watchdog },
	{ KF_WATCHDOG, "reading", { "wd_now:" }, klog_x_watchdog },
	{ KF_WATCHDOG, "reading", { "cs_now:" }, klog_x_watchdog },
	{ KF_BOOT_WARP, "warp", { "TSC synchronization [CPU#" }, NULL },
	{ KF_BOOT_WARP, "warp", { "cycles TSC warp between CPUs" }, NULL },
	{ KF_BOOT_WARP, "warp", { "TSC warped randomly between CPUs" }, NULL },
	{ KF_FIRMWARE, "p0", { "[Firmware Bug]: TSC doesn't count with P0" }, NULL },
	{ KF_TSC_ADJUST, "adjust", { "TSC ADJUST" }, NULL },
	{ KF_FIRMWARE, "fwbug", { "[Firmware Bug]: TSC" }, NULL },
	{ KF_OVERRIDE, "override", { "Override clocksource", "is unstable" }, NULL },
	{ KF_HYPERVISOR, "hypervisor", { "Hypervisor detected: " },
	  klog_x_hyper },
	{ KF_KVM_HOST, "unstable-host", { "host with unstable TSC" }, NULL },
};

/* The watchdog's "retried" line is about reading, not about the TSC. */
static enum klog_family klog_fix_family(const struct klog_rule *r)
{
	if (r->family == KF_WATCHDOG && !strcmp(r->kind, "read"))
		return KF_WATCHDOG_READ;
	return r->family;
}

/* "Mon Nov 25 10:00:01 2026": a weekday, a month, then the rest. */
static bool klog_is_date(const char *s)
{
	static const char *const days[] = {
		"Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun ",
	};

	if (strlen(s) < 8 || s[7] != ' ')
		return false;
	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++)
		if (!strncmp(s, days[i], 4))
			return true;
	return false;
}

/*
 * Strip the prefixes the log may carry: "<6>", a "[ 12.345678]" stamp,
 * a raw /dev/kmsg "6,123,4567,-;" header, or a journal's "... kernel: ".
 * Sets *TS when a stamp gives one.
 */
static const char *klog_strip(const char *line, size_t *len, bool *has_ts,
			      double *ts)
{
	const char *p = line, *end = line + *len;

	*has_ts = false;
	if (p < end && *p == '<') {
		const char *q = p + 1;

		while (q < end && *q >= '0' && *q <= '9')
			q++;
		if (q < end && *q == '>' && q > p + 1)
			p = q + 1;
	}
	if (p < end && *p >= '0' && *p <= '9') {
		/* kmsg: PRI,SEQ,USEC,FLAGS;text */
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *c1 = memchr(p, ',', (size_t)(end - p));

		if (semi && c1 && c1 < semi && semi - p < 64) {
			const char *c2 = memchr(c1 + 1, ',',
						(size_t)(semi - c1 - 1));

			if (c2) {
				*ts = strtod(c2 + 1, NULL) / 1e6;
				*has_ts = true;
				p = semi + 1;
			}
		}
	}
	if (p < end && *p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));

		if (close && close - p < 48) {
			char buf[48];
			char *e;

			util_copy(buf, sizeof(buf), p + 1,
				  (size_t)(close - p - 1));
			*ts = strtod(buf, &e);
			*has_ts = e != buf && *util_trim(e) == '\0';
			/* Only a stamp is stripped: "[ 1.23]" or dmesg -T's
			 * "[Mon Nov 25 ...]", never "[Firmware Bug]". */
			if (*has_ts || klog_is_date(buf)) {
				p = close + 1;
				while (p < end && *p == ' ')
					p++;
			}
		}
	} else {
		const char *k = util_memstr(p, (size_t)(end - p), " kernel: ");

		if (k && k - p < 64) {
			p = k + strlen(" kernel: ");
			if (p < end && *p == '[') {
				size_t rest = (size_t)(end - p);
				const char *body;

				body = klog_strip(p, &rest, has_ts, ts);
				*len = rest;
				return body;
			}
		}
	}
	*len = (size_t)(end - p);
	return p;
}

static bool klog_rule_matches(const struct klog_rule *r, const char *line,
			      size_t len)
{
	for (int i = 0; i < 3 && r->needle[i]; i++)
		if (!util_memstr(line, len, r->needle[i]))
			return false;
	return true;
}

static void klog_add(struct arena *a, struct klog *kl,
		     const struct klog_rule *r, const char *line, size_t len,
		     bool has_ts, double ts)
{
	struct klog_event *ev;

	if (kl->nevents == KLOG_MAX_EVENTS) {
		kl->dropped++;
		return;
	}
	ev = &kl->events[kl->nevents++];
	memset(ev, 0, sizeof(*ev));
	ev->family = klog_fix_family(r);
	ev->kind = r->kind;
	ev->has_ts = has_ts;
	ev->ts = ts;
	ev->lpj = -1;
	ev->text = arena_strndup(a, line, len > KLOG_MAX_TEXT ? KLOG_MAX_TEXT
							      : len);
	if (r->extract)
		r->extract(a, ev, line, len);
	kl->family_count[ev->family]++;
}

static void klog_summarise(struct klog *kl)
{
	for (size_t i = 0; i < kl->nevents; i++) {
		const struct klog_event *ev = &kl->events[i];

		if (!strcmp(ev->kind, "lpj") && ev->lpj > 0)
			kl->lpj = ev;
		else if (!strcmp(ev->kind, "tsc-mhz") && ev->mhz > 0 &&
			 (!kl->tsc_mhz || util_memstr(ev->text, strlen(ev->text),
						      "MHz TSC")))
			kl->tsc_mhz = ev;
		else if (!strcmp(ev->kind, "refined") && ev->mhz > 0)
			kl->refined = ev;
		else if (ev->family == KF_HYPERVISOR && ev->arg)
			kl->hypervisor = ev;
		else if (ev->family == KF_SWITCH && ev->arg) {
			kl->last_switch = ev;
			kl->nswitch++;
		} else if (!strcmp(ev->kind, "unstable"))
			kl->nunstable++;
	}
}

int klog_parse(struct arena *a, const char *text, struct klog *kl, char *why)
{
	const char *pos = text, *line;
	size_t len;

	memset(kl, 0, sizeof(*kl));
	kl->events = arena_alloc(a, KLOG_MAX_EVENTS * sizeof(*kl->events));
	while (util_next_line(&pos, &line, &len)) {
		bool has_ts;
		double ts = 0;
		const char *body = klog_strip(line, &len, &has_ts, &ts);

		kl->lines++;
		if (!kl->kernel_version && len > 14 &&
		    !memcmp(body, "Linux version ", 14)) {
			size_t n = 0;

			while (14 + n < len && body[14 + n] != ' ' && n < 64)
				n++;
			if (n)
				kl->kernel_version = arena_strndup(a, body + 14, n);
		}
		for (size_t r = 0; r < sizeof(klog_rules) / sizeof(klog_rules[0]);
		     r++) {
			if (klog_rule_matches(&klog_rules[r], body, len)) {
				klog_add(a, kl, &klog_rules[r], body, len,
					 has_ts, ts);
				break;
			}
		}
	}
	if (!kl->lines) {
		snprintf(why, UTIL_WHY_LEN, "no lines");
		return -1;
	}
	klog_summarise(kl);
	kl->valid = true;
	return 0;
}

const struct klog_event *klog_find(const struct klog *kl,
				   enum klog_family family, const char *kind,
				   size_t *idx)
{
	for (size_t i = idx ? *idx : 0; i < kl->nevents; i++) {
		const struct klog_event *ev = &kl->events[i];

		if (ev->family == family && (!kind || !strcmp(ev->kind, kind))) {
			if (idx)
				*idx = i + 1;
			return ev;
		}
	}
	if (idx)
		*idx = kl->nevents;
	return NULL;
}
