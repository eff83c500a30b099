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
	[KF_FIRMWARE_NOISE] = "firmware-noise",
	[KF_OVERRIDE] = "override",
	[KF_HYPERVISOR] = "hypervisor",
	[KF_KVM_HOST] = "kvm-host",
	[KF_POWER] = "power",
};

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

static void klog_add(struct arena *a, struct klog *kl,
		     const struct klog_rule *r, const char *line, size_t len,
		     bool has_ts, double ts)
{
	struct klog_event *ev;

	if (kl->nevents == kl->cap) {
		kl->dropped++;
		return;
	}
	ev = &kl->events[kl->nevents];
	memset(ev, 0, sizeof(*ev));
	ev->head = kl->nevents++;
	ev->has_ts = has_ts;
	ev->ts = ts;
	ev->lpj = -1;
	ev->cpu = ev->cpu2 = ev->skew_ns = ev->interval_ns = ev->cs_ns = KLOG_NONE;
	ev->wd_cycles = ev->cs_cycles = ev->warp_cycles = KLOG_NONE;
	ev->adj_from = ev->adj_to = ev->count = ev->delay_ns = KLOG_NONE;
	ev->text = arena_strndup(a, line, len > KLOG_MAX_TEXT ? KLOG_MAX_TEXT
							      : len);
	klog_apply(a, r, ev, line, len);
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
		else if (ev->family == KF_WATCHDOG && !strcmp(ev->kind, "demote"))
			kl->ndemote++;
	}
}

int klog_parse(struct arena *a, const char *text, struct klog *kl, char *why)
{
	const char *pos = text, *line;
	size_t len;

	size_t cap = 1;

	memset(kl, 0, sizeof(*kl));
	/* At most one event per line: a short log needs no room for 4096. */
	for (const char *p = text; cap < KLOG_MAX_EVENTS && (p = strchr(p, '\n')); p++)
		cap++;
	kl->events = arena_alloc(a, cap * sizeof(*kl->events));
	kl->cap = cap;
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
		{
			const struct klog_rule *r = klog_match(body, len);

			if (r)
				klog_add(a, kl, r, body, len, has_ts, ts);
		}
	}
	if (!kl->lines) {
		snprintf(why, UTIL_WHY_LEN, "no lines");
		return -1;
	}
	klog_summarise(kl);
	klog_fold(kl);
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

void klog_set_guest(struct klog *kl, bool guest)
{
	for (size_t i = 0; i < kl->nevents; i++) {
		struct klog_event *ev = &kl->events[i];
		enum klog_family want;

		if (strcmp(ev->kind, "p0"))
			continue;
		want = guest ? KF_FIRMWARE_NOISE : KF_FIRMWARE;
		kl->family_count[ev->family]--;
		kl->family_count[want]++;
		ev->family = want;
	}
}

/* Known counter rates of watchdogs, for the old raw-counter wording. */
static int64_t klog_cycles_to_ns(int64_t cycles, double hz)
{
	double ns;

	if (cycles == KLOG_NONE || hz <= 0)
		return KLOG_NONE;
	ns = (double)cycles * 1e9 / hz;
	return ns < 9e18 ? (int64_t)(ns + 0.5) : KLOG_NONE;
}

#define FOLD(field) do { if (ev->field != KLOG_NONE) h->field = ev->field; } while (0)

/*
 * A watchdog report is a head line ("Marking clocksource ... unstable")
 * followed by continuation lines (the two clocks' readings, the skew, the
 * intervals). Each continuation is tied to its head, and the head gets
 * the report's numbers: watchdog name, interval and skew in ns.
 */
void klog_fold(struct klog *kl)
{
	struct klog_event *h = NULL;
	double tsc_hz = 0;

	if (kl->refined)
		tsc_hz = kl->refined->mhz * 1e6;
	else if (kl->tsc_mhz)
		tsc_hz = kl->tsc_mhz->mhz * 1e6;
	for (size_t i = 0; i < kl->nevents; i++) {
		struct klog_event *ev = &kl->events[i];

		if (ev->family == KF_WATCHDOG && !strcmp(ev->kind, "demote")) {
			h = ev;
			continue;
		}
		if (ev->family != KF_WATCHDOG || !ev->continuation) {
			h = NULL;
			continue;
		}
		if (!h)
			continue;
		ev->head = h->head;
		if (ev->watchdog)
			h->watchdog = ev->watchdog;
		FOLD(interval_ns);
		FOLD(cs_ns);
		FOLD(skew_ns);
		FOLD(wd_cycles);
		FOLD(cs_cycles);
		if (!strcmp(ev->kind, "cpu-cycles")) {
			FOLD(cpu);
			FOLD(cpu2);
		}
	}
	for (size_t i = 0; i < kl->nevents; i++) {
		struct klog_event *ev = &kl->events[i];

		if (ev->family != KF_WATCHDOG || strcmp(ev->kind, "demote"))
			continue;
		/* Old wording: raw counters; acpi_pm runs at 3.579545 MHz and
		 * the TSC at the log's calibrated rate. */
		if (ev->interval_ns == KLOG_NONE && ev->watchdog &&
		    !strcmp(ev->watchdog, "acpi_pm"))
			ev->interval_ns = klog_cycles_to_ns(ev->wd_cycles, 3579545.0);
		if (ev->cs_ns == KLOG_NONE && ev->arg && !strcmp(ev->arg, "tsc"))
			ev->cs_ns = klog_cycles_to_ns(ev->cs_cycles, tsc_hz);
		if (ev->skew_ns == KLOG_NONE && ev->cs_ns != KLOG_NONE &&
		    ev->interval_ns != KLOG_NONE)
			ev->skew_ns = ev->cs_ns - ev->interval_ns;
	}
}
