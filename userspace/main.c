// SPDX-License-Identifier: GPL-2.0
/* tscmon: command line parsing and the commands. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "advice.h"
#include "facts.h"
#include "guest.h"
#include "output.h"
#include "record.h"
#include "snapshot.h"

#ifndef TSCMON_VERSION
#define TSCMON_VERSION "unknown"
#endif

#define EX_OK 0
#define EX_USAGE 64
#define EX_NOINPUT 66

struct opts {
	const char *cmd;
	const char *root;
	const char *format;
	const char *out_dir;
	const char *in_file;
	double seconds;
	bool json;
	double interval;
	long count;
	struct advice_opts ao;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tscmon [--root DIR] COMMAND [OPTIONS]\n"
		"\n"
		"Reads the TSC-related state of this machine (CPU flags, clocksource,\n"
		"kernel command line and log, cpufreq, cpuidle, the tscmon module's\n"
		"debugfs files) and advises on timekeeping for hosts and VM guests.\n"
		"\n"
		"commands:\n"
		"  status                    what was found, compactly\n"
		"  advise                    findings and advice (ids S1-S9, M-*)\n"
		"  advise --guest OS [--arch x86_64|x86] [--pvclock yes|no]\n"
		"                            kernel parameters for a guest on this host;\n"
		"                            OS: %s\n"
		"  check                     one-line verdict; exit 0 OK, 1 WARNING,\n"
		"                            2 CRITICAL, 3 UNKNOWN\n"
		"  export [--format json|prometheus]\n"
		"                            telemetry and advice (default json)\n"
		"  watch [--interval S] [--count N]\n"
		"                            refresh per-CPU skew, idle, frequency, events\n"
		"  snapshot OUT_DIR          copy every input into a tree for --root\n"
		"  record --seconds N [--interval S] OUT\n"
		"                            poll the module's sweeps for N seconds (every S,\n"
		"                            default 1) into the recording file OUT\n"
		"  plot IN OUT.svg|OUT.html  draw a recording: skew timeline, idle, frequency,\n"
		"                            warps, histograms, heat map\n"
		"\n"
		"options:\n"
		"  --root DIR                read inputs under DIR instead of /\n"
		"  --json                    JSON output (status, advise)\n"
		"  --skew-warn CYCLES        skew warning threshold (default 1000)\n"
		"  --skew-crit CYCLES        skew critical threshold (default 100000)\n"
		"  --drift-warn PPB          drift warning threshold (default 1000)\n"
		"  -h, --help                this text\n"
		"  -V, --version             print the version\n"
		"\n"
		"exit codes: 0 ok, 64 usage error, 65 plot: bad recording, 66 --root or\n"
		"plot input unreadable, 69 record: module not loaded, 73 cannot create\n"
		"the output, 74 cannot write; check: 0 OK, 1 WARNING, 2 CRITICAL,\n"
		"3 UNKNOWN.\n"
		"See docs/client.md.\n",
		guest_os_list());
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("tscmon: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (tscmon --help for usage)\n", stderr);
	return EX_USAGE;
}

static bool parse_count(const char *s, long *out)
{
	int64_t v;

	if (!util_parse_i64(s, &v) || v < 0 || v > 1000000000)
		return false;
	*out = (long)v;
	return true;
}

enum {
	OPT_ROOT = 256, OPT_JSON, OPT_GUEST, OPT_ARCH, OPT_PVCLOCK, OPT_FORMAT,
	OPT_INTERVAL, OPT_COUNT, OPT_SKEW_WARN, OPT_SKEW_CRIT, OPT_DRIFT_WARN,
	OPT_SECONDS,
};

static int parse_option(struct opts *o, int c, const char *arg)
{
	int64_t v;

	switch (c) {
	case OPT_ROOT: o->root = arg; break;
	case OPT_JSON: o->json = true; break;
	case OPT_GUEST: o->ao.guest_os = arg; break;
	case OPT_ARCH:
		if (strcmp(arg, "x86_64") && strcmp(arg, "x86"))
			return usage_error("--arch must be x86_64 or x86, not \"%s\"", arg);
		o->ao.arch = arg;
		break;
	case OPT_PVCLOCK:
		if (!strcmp(arg, "yes"))
			o->ao.pvclock = 1;
		else if (!strcmp(arg, "no"))
			o->ao.pvclock = 0;
		else
			return usage_error("--pvclock must be yes or no, not \"%s\"", arg);
		break;
	case OPT_FORMAT:
		if (strcmp(arg, "json") && strcmp(arg, "prometheus"))
			return usage_error("--format must be json or prometheus, not \"%s\"", arg);
		o->format = arg;
		break;
	case OPT_INTERVAL: {
		char *end;

		errno = 0;
		o->interval = strtod(arg, &end);
		if (errno || end == arg || *end || o->interval < 0 || o->interval > 86400)
			return usage_error("--interval must be seconds between 0 and 86400, not \"%s\"", arg);
		break;
	}
	case OPT_SECONDS: {
		char *end;

		errno = 0;
		o->seconds = strtod(arg, &end);
		if (errno || end == arg || *end || !(o->seconds >= 0) || o->seconds > 31 * 86400.0)
			return usage_error("--seconds must be between 0 and 2678400, not \"%s\"", arg);
		break;
	}
	case OPT_COUNT:
		if (!parse_count(arg, &o->count))
			return usage_error("--count must be a non-negative integer, not \"%s\"", arg);
		break;
	case OPT_SKEW_WARN:
	case OPT_SKEW_CRIT:
	case OPT_DRIFT_WARN:
		if (!util_parse_i64(arg, &v) || v <= 0)
			return usage_error("thresholds must be positive integers, not \"%s\"", arg);
		if (c == OPT_SKEW_WARN)
			o->ao.skew_warn_cycles = v;
		else if (c == OPT_SKEW_CRIT)
			o->ao.skew_crit_cycles = v;
		else
			o->ao.drift_warn_ppb = v;
		break;
	default:
		return EX_USAGE;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "guest", required_argument, NULL, OPT_GUEST },
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "pvclock", required_argument, NULL, OPT_PVCLOCK },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "seconds", required_argument, NULL, OPT_SECONDS },
		{ "skew-warn", required_argument, NULL, OPT_SKEW_WARN },
		{ "skew-crit", required_argument, NULL, OPT_SKEW_CRIT },
		{ "drift-warn", required_argument, NULL, OPT_DRIFT_WARN },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(EX_OK);
		}
		if (c == 'V') {
			printf("tscmon %s\n", TSCMON_VERSION);
			exit(EX_OK);
		}
		if (c == ':')
			return usage_error("option %s needs a value", argv[optind - 1]);
		if (c == '?')
			return usage_error("unknown option %s", argv[optind - 1]);
		rc = parse_option(o, c, optarg);
		if (rc)
			return rc;
	}
	if (optind >= argc)
		return usage_error("%sno command given", "");
	o->cmd = argv[optind++];
	if (!strcmp(o->cmd, "snapshot")) {
		if (optind >= argc)
			return usage_error("%ssnapshot needs an output directory", "");
		o->out_dir = argv[optind++];
	} else if (!strcmp(o->cmd, "record")) {
		if (optind >= argc)
			return usage_error("%srecord needs an output file", "");
		o->out_dir = argv[optind++];
	} else if (!strcmp(o->cmd, "plot")) {
		if (argc - optind < 2)
			return usage_error("%splot needs an input recording and an output .svg or .html", "");
		o->in_file = argv[optind++];
		o->out_dir = argv[optind++];
	}
	if (optind < argc)
		return usage_error("unexpected argument \"%s\"", argv[optind]);
	return 0;
}

/* Reject options that mean nothing for the command. */
static int check_applicable(const struct opts *o)
{
	bool advise = !strcmp(o->cmd, "advise");

	if (!advise && (o->ao.guest_os || o->ao.arch || o->ao.pvclock >= 0))
		return usage_error("--guest, --arch and --pvclock are options of advise, not %s", o->cmd);
	if (advise && !o->ao.guest_os && (o->ao.arch || o->ao.pvclock >= 0))
		return usage_error("%s--arch and --pvclock need --guest", "");
	if (o->format && strcmp(o->cmd, "export"))
		return usage_error("--format is an option of export, not %s", o->cmd);
	if (o->json && strcmp(o->cmd, "status") && strcmp(o->cmd, "advise"))
		return usage_error("--json is for status and advise (use export --format json), not %s", o->cmd);
	if (o->count >= 0 && strcmp(o->cmd, "watch"))
		return usage_error("--count is an option of watch, not %s", o->cmd);
	if (o->interval >= 0 && strcmp(o->cmd, "watch") && strcmp(o->cmd, "record"))
		return usage_error("--interval is an option of watch and record, not %s", o->cmd);
	if ((o->seconds >= 0) != !strcmp(o->cmd, "record"))
		return usage_error(o->seconds >= 0 ? "--seconds is an option of record, not %s" :
				   "%s needs --seconds N", o->cmd);
	if (!strcmp(o->cmd, "record") && o->interval >= 0 && o->interval < 0.01)
		return usage_error("record: --interval must be at least 0.01 s%s", "");
	if (!strcmp(o->cmd, "plot") && o->root)
		return usage_error("--root means nothing for %s (it reads only its input file)", o->cmd);
	if (o->ao.guest_os) {
		const char *err = guest_validate(&o->ao);

		if (err)
			return usage_error("%s", err);
	}
	return 0;
}

static void build_advice(const struct facts *f, const struct opts *o,
			 struct advice *ad)
{
	memset(ad, 0, sizeof(*ad));
	if (o->ao.guest_os)
		guest_advise(f, &o->ao, ad);
	else
		advice_host(f, &o->ao, ad);
}

static void sleep_seconds(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int cmd_watch(const struct opts *o)
{
	double interval = o->interval >= 0 ? o->interval : 2.0;
	size_t seen = 0;

	for (long frame = 1; o->count <= 0 || frame <= o->count; frame++) {
		struct arena *a = arena_new();
		struct facts f;

		facts_collect(a, o->root, &f);
		out_watch_frame(stdout, &f, &seen, (int)frame);
		arena_free(a);
		if (ferror(stdout))
			return 74;
		if (o->count > 0 && frame == o->count)
			break;
		sleep_seconds(interval);
	}
	return EX_OK;
}

static int run(const struct opts *o)
{
	struct arena *a;
	struct facts f;
	struct advice *ad;
	int rc = EX_OK;

	if (!strcmp(o->cmd, "watch"))
		return cmd_watch(o);
	if (!strcmp(o->cmd, "snapshot"))
		return snapshot_run(o->root, o->out_dir);
	if (!strcmp(o->cmd, "record"))
		return record_run(o->root ? o->root : "/", o->out_dir, o->seconds,
				  o->interval >= 0 ? o->interval : 1.0);
	if (!strcmp(o->cmd, "plot"))
		return plot_run(o->in_file, o->out_dir);
	a = arena_new();
	ad = arena_alloc(a, sizeof(*ad));
	facts_collect(a, o->root, &f);
	build_advice(&f, o, ad);
	if (!strcmp(o->cmd, "status")) {
		if (o->json)
			out_json(stdout, &f, ad);
		else
			out_status_text(stdout, &f);
	} else if (!strcmp(o->cmd, "advise")) {
		if (o->json)
			out_json(stdout, &f, ad);
		else
			out_advice_text(stdout, &f, ad);
	} else if (!strcmp(o->cmd, "check")) {
		rc = out_check(stdout, &f, ad);
	} else if (!strcmp(o->cmd, "export")) {
		if (o->format && !strcmp(o->format, "prometheus"))
			out_prometheus(stdout, &f, ad);
		else
			out_json(stdout, &f, ad);
	}
	arena_free(a);
	if (fflush(stdout)) {
		fprintf(stderr, "tscmon: cannot write output: %s\n", strerror(errno));
		return 74;
	}
	return rc;
}

int main(int argc, char **argv)
{
	static const char *const cmds[] = {
		"status", "advise", "check", "export", "watch", "snapshot",
		"record", "plot",
	};
	struct opts o = { .interval = -1, .count = -1, .seconds = -1 };
	bool known = false;
	int rc;

	advice_opts_default(&o.ao);
	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		known |= !strcmp(o.cmd, cmds[i]);
	if (!known)
		return usage_error("unknown command \"%s\"", o.cmd);
	rc = check_applicable(&o);
	if (rc)
		return rc;
	if (o.root && !util_is_dir(o.root)) {
		fprintf(stderr, "tscmon: --root %s: not a readable directory; give the top of a tree made by tscmon snapshot\n",
			o.root);
		return EX_NOINPUT;
	}
	return run(&o);
}
