// SPDX-License-Identifier: GPL-2.0
/*
 * tscmon record: poll the module's debugfs files for a while and write
 * what each poll saw, verbatim, into a versioned text file (format in
 * docs/client.md, "Recordings"). Plot reads it back (recfile.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "facts.h"
#include "record.h"

const char *const rec_files[] = {
	"summary", "cpus", "histogram", "warps", "idle", "freq", "events", NULL,
};

static volatile sig_atomic_t rec_stop;

static void rec_on_signal(int sig)
{
	(void)sig;
	rec_stop = 1;
}

static int64_t rec_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Sleep until CLOCK_MONOTONIC reaches NS, or a signal asks to stop. */
static void rec_sleep_until(int64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000), (long)(ns % 1000000000) };

	while (!rec_stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* A value for a meta line: one line, printable, "-" when unknown. */
static void rec_put_value(FILE *f, const char *s)
{
	if (!s || !*s) {
		fputs("-", f);
		return;
	}
	for (; *s && *s != '\n'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

static void rec_meta(FILE *f, const char *key, const char *value)
{
	fprintf(f, "meta %s ", key);
	rec_put_value(f, value);
	fputc('\n', f);
}

static const char *rec_small(struct arena *a, const char *root, const char *rel)
{
	char why[UTIL_WHY_LEN];

	return util_read_value(a, root, rel, why);
}

static void rec_header(FILE *f, struct arena *a, const char *root,
		       const struct facts *fa, double interval)
{
	const char *host = rec_small(a, root, "proc/sys/kernel/hostname");
	const char *kernel = rec_small(a, root, "proc/sys/kernel/osrelease");
	struct utsname u;
	char stamp[64];
	time_t now = time(NULL);
	struct tm tm;

	if (fa->live && uname(&u) == 0) {
		if (!host)
			host = arena_strdup(a, u.nodename);
		if (!kernel)
			kernel = arena_strdup(a, u.release);
	}
	if (!kernel)
		kernel = fa->log.kernel_version;
	if (!host && !fa->live)
		host = arena_printf(a, "snapshot %s", root);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	fprintf(f, "%s %d\n", REC_MAGIC, REC_VERSION);
	rec_meta(f, "tscmon", TSCMON_VERSION);
	rec_meta(f, "module", fa->mod.version);
	rec_meta(f, "host", host);
	rec_meta(f, "kernel", kernel);
	rec_meta(f, "clocksource", fa->sys.cs.current);
	rec_meta(f, "started", stamp);
	rec_meta(f, "root", fa->live ? "/" : root);
	fprintf(f, "meta interval_s %.3f\n", interval);
	if (fa->mod.has_summary && fa->mod.sum.tsc_khz != MODULE_UNKNOWN)
		fprintf(f, "meta tsc_khz %lld\n", (long long)fa->mod.sum.tsc_khz);
	/* Idle state names from cpuidle, for the plot's labels. */
	if (fa->sys.nidle) {
		const struct cpuidle_cpu *c = &fa->sys.idle[0];

		for (size_t i = 0; i < c->nstates && i < REC_MAX_STATES; i++) {
			fprintf(f, "meta idle_state %zu ", i);
			rec_put_value(f, c->states[i].name);
			fputc('\n', f);
		}
	}
}

/* One poll: the clocksource and each module file that exists, verbatim. */
static void rec_poll(FILE *f, const char *root, long seq, int64_t mono)
{
	struct arena *a = arena_new();
	char why[UTIL_WHY_LEN];
	const char *cs = rec_small(a, root,
				   "sys/devices/system/clocksource/clocksource0/current_clocksource");

	fprintf(f, "poll %ld %lld ", seq, (long long)mono);
	rec_put_value(f, cs && !strchr(cs, ' ') ? cs : NULL);
	fputc('\n', f);
	for (size_t i = 0; rec_files[i]; i++) {
		char *rel = arena_printf(a, "%s/%s", MODULE_DIR, rec_files[i]);
		const char *pos, *line;
		char *data;
		size_t len, n = 0;

		if (util_read(a, root, rel, UTIL_MAX_TABLE, &data, &len, NULL, why))
			continue; /* absent (an older module) or unreadable */
		for (pos = data; util_next_line(&pos, &line, &len);)
			n++;
		fprintf(f, "file %s %zu\n", rec_files[i], n);
		for (pos = data; util_next_line(&pos, &line, &len);) {
			for (size_t k = 0; k < len; k++)
				fputc((unsigned char)line[k] < 0x20 || line[k] == 0x7f ?
				      ' ' : line[k], f);
			fputc('\n', f);
		}
	}
	arena_free(a);
}

/* Clocksource switches the kernel log has, with their boot times. */
static void rec_switches(FILE *f, const struct facts *fa)
{
	for (size_t i = 0; fa->log.valid && i < fa->log.nevents; i++) {
		const struct klog_event *e = &fa->log.events[i];

		if (e->family != KF_SWITCH || !e->has_ts || !e->arg || strchr(e->arg, ' '))
			continue;
		fprintf(f, "switch %.6f ", e->ts);
		rec_put_value(f, e->arg);
		fputc('\n', f);
	}
}

int record_run(const char *root, const char *out, double seconds,
	       double interval)
{
	struct arena *a = arena_new();
	struct sigaction sa;
	struct facts fa;
	int64_t t0, step = (int64_t)(interval * 1e9), end;
	long seq = 0;
	FILE *f;
	int rc = 0;

	facts_collect(a, root, &fa);
	if (!fa.mod.present || !fa.mod.usable) {
		fprintf(stderr, "tscmon record: %s\n", !fa.mod.present ?
			"the tscmon module is not loaded (no sys/kernel/debug/tscmon); load it with modprobe tscmon, and mount debugfs" :
			"the tscmon module's data cannot be used (unreadable version or an unknown debugfs ABI); see tscmon status");
		arena_free(a);
		return EX_UNAVAILABLE;
	}
	f = fopen(out, "w");
	if (!f) {
		fprintf(stderr, "tscmon record: cannot create %s: %s\n", out, strerror(errno));
		arena_free(a);
		return EX_CANTCREAT;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = rec_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rec_header(f, a, root, &fa, interval);
	t0 = rec_mono_ns();
	end = t0 + (int64_t)(seconds * 1e9);
	for (;;) {
		rec_poll(f, root, seq, rec_mono_ns());
		fflush(f);
		seq++;
		if (rec_stop || seq >= REC_MAX_POLLS || t0 + seq * step > end)
			break;
		rec_sleep_until(t0 + seq * step);
		if (rec_stop)
			break;
	}
	/* The log once more, for the switches made while recording. */
	arena_free(a);
	a = arena_new();
	facts_collect(a, root, &fa);
	rec_switches(f, &fa);
	fprintf(f, "end %ld\n", seq);
	if (ferror(f) | fclose(f)) {
		fprintf(stderr, "tscmon record: cannot write %s: %s\n", out, strerror(errno));
		rc = EX_IOERR;
	} else {
		fprintf(stderr, "tscmon record: %ld polls in %.1f s written to %s\n",
			seq, (double)(rec_mono_ns() - t0) / 1e9, out);
	}
	arena_free(a);
	return rc;
}
