// SPDX-License-Identifier: GPL-2.0
/* Reading the tscmon module's debugfs files (ABI 1). */
#include "module.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const module_col_names[MC_COUNT] = {
	[MC_CPU] = "cpu",
	[MC_ONLINE] = "online",
	[MC_SKEW] = "skew_cycles",
	[MC_UNCERTAINTY] = "uncertainty_cycles",
	[MC_RTT] = "rtt_cycles",
	[MC_MIN] = "min_cycles",
	[MC_MAX] = "max_cycles",
	[MC_MEAN] = "mean_cycles",
	[MC_STDDEV] = "stddev_cycles",
	[MC_SAMPLES] = "samples",
	[MC_DRIFT] = "drift_ppb",
	[MC_WARPS] = "warps",
	[MC_MAX_WARP] = "max_warp_cycles",
	[MC_TSC_ADJUST] = "tsc_adjust",
	[MC_IDLE] = "idle_entries",
};

#define MODULE_MAX_CPUS 8192
#define MODULE_MAX_FIELDS 256

struct summary_key {
	const char *name;
	size_t off;
};

#define SK(k) { #k, offsetof(struct mod_summary, k) }
static const struct summary_key summary_keys[] = {
	SK(abi), SK(tsc_khz), SK(reference_cpu), SK(cpus_possible),
	SK(cpus_online), SK(sweeps), SK(interval_ms), SK(rounds),
	SK(last_sweep_ns), SK(max_abs_skew_cycles), SK(max_uncertainty_cycles),
	SK(warps_total), SK(max_irqoff_ns), SK(kernel_tsc_unstable),
	SK(constant_tsc), SK(nonstop_tsc), SK(tsc_adjust), SK(tsc_reliable),
	SK(tsc_known_freq), SK(idle_entries_total), SK(fault_inject),
	SK(rounds_lost), SK(hotplug_events),
};

int64_t module_summary_get(const struct mod_summary *s, const char *key,
			   bool *found)
{
	for (size_t i = 0; i < sizeof(summary_keys) / sizeof(summary_keys[0]);
	     i++) {
		if (!strcmp(summary_keys[i].name, key)) {
			if (found)
				*found = true;
			return *(const int64_t *)((const char *)s +
						  summary_keys[i].off);
		}
	}
	if (found)
		*found = false;
	return MODULE_UNKNOWN;
}

static bool module_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * Split LINE (LEN bytes, in a buffer of ours) in place at blanks into at
 * most MAX NUL-terminated fields. LINE[LEN] is the line's newline or the
 * buffer's final NUL, and may be overwritten: util_next_line() has moved
 * past it already.
 */
static size_t module_split(char *line, size_t len, char **fields, size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && n < max) {
		while (i < len && module_sep(line[i]))
			i++;
		if (i == len)
			break;
		fields[n++] = line + i;
		while (i < len && !module_sep(line[i]))
			i++;
		line[i++] = '\0';
	}
	return n;
}

/* The line util_next_line() found in DATA, as a writable pointer. */
static char *module_line(char *data, const char *line)
{
	return data + (line - data);
}

/* Rows a table can have from POS on: its lines, at most MODULE_MAX_CPUS. */
static size_t module_rows(const char *pos)
{
	size_t n = 1;

	for (; n < MODULE_MAX_CPUS && (pos = strchr(pos, '\n')); pos++)
		n++;
	return n;
}

/* A table value: "-" is unknown; anything unparsable is an error. */
static bool module_value(const char *s, int64_t *v)
{
	if (!strcmp(s, "-")) {
		*v = MODULE_UNKNOWN;
		return true;
	}
	return util_parse_i64(s, v);
}

/* A signed decimal with an optional fraction ("12.345", "-3", "+0.5"). */
static bool module_decimal(const char *s, double *v)
{
	const char *p = s + (*s == '-' || *s == '+');
	bool digits = false;

	for (const char *q = p; *q; q++) {
		if (*q >= '0' && *q <= '9')
			digits = true;
		else if (*q != '.')
			return false;
	}
	if (!digits || strchr(p, '.') != strrchr(p, '.') ||
	    !util_parse_double(p, v) || *v > 1e15)
		return false;
	if (*s == '-')
		*v = -*v;
	return true;
}

/* The rate check's keys; returns true if KEY is one of them. */
static bool module_rate_key(struct mod_summary *sum, const char *key,
			    const char *val, size_t *bad)
{
	static const char *const keys[] = {
		"tsc_khz_measured", "tsc_rate_ppm", "tsc_rate_uncertainty_ppm",
	};
	bool *has[] = { &sum->has_khz_measured, &sum->has_rate_ppm,
			&sum->has_rate_unc };
	double *out[] = { &sum->khz_measured, &sum->rate_ppm,
			  &sum->rate_unc_ppm };

	if (!strcmp(key, "rate_reference")) {
		if (strcmp(val, "-"))
			sum->rate_reference = val;
		return true;
	}
	for (size_t i = 0; i < 3; i++) {
		if (strcmp(key, keys[i]))
			continue;
		if (!strcmp(val, "-"))
			return true;
		if (module_decimal(val, out[i]) &&
		    (i == 1 || *out[i] >= 0))
			*has[i] = true;
		else
			(*bad)++;
		return true;
	}
	return false;
}

/* The text of FILE from SRC; an empty text is refused as util_read() does. */
static char *module_text(module_source *src, void *ctx, enum module_file file,
			 char *why)
{
	char *text = src(ctx, file, why);

	if (text && !*text) {
		util_copy(why, UTIL_WHY_LEN, "empty", 5);
		return NULL;
	}
	return text;
}

static int module_parse_version(struct arena *a, module_source *src,
				void *ctx, struct module_data *md,
				struct strlist *notes)
{
	char why[UTIL_WHY_LEN];
	char *v = module_text(src, ctx, MF_VERSION, why);
	char *f[8];
	size_t n;
	int64_t abi;

	if (!v) {
		strlist_addf(a, notes, "module version (%s/version): %s",
			     MODULE_DIR, why);
		return -1;
	}
	n = module_split(v, strlen(v), f, 8);
	if (n != 4 || strcmp(f[0], "tscmon") || strcmp(f[2], "abi") ||
	    !util_parse_i64(f[3], &abi)) {
		strlist_addf(a, notes,
			     "module version: malformed (expected \"tscmon <version> abi <N>\"); module data ignored");
		return -1;
	}
	md->version = f[1];
	md->abi = abi;
	if (abi != MODULE_ABI_KNOWN) {
		strlist_addf(a, notes,
			     "module data: debugfs ABI %lld is not supported by this tscmon (it knows ABI %d); module data ignored: install the tscmon client that matches module %s",
			     (long long)abi, MODULE_ABI_KNOWN, md->version);
		return -1;
	}
	return 0;
}

static void module_parse_summary(struct arena *a, module_source *src,
				 void *ctx, struct module_data *md,
				 struct strlist *notes)
{
	char why[UTIL_WHY_LEN];
	char *data;
	const char *pos, *line;
	size_t len, bad = 0;

	for (size_t i = 0; i < sizeof(summary_keys) / sizeof(summary_keys[0]);
	     i++)
		*(int64_t *)((char *)&md->sum + summary_keys[i].off) =
			MODULE_UNKNOWN;
	if (!(data = module_text(src, ctx, MF_SUMMARY, why))) {
		strlist_addf(a, notes, "module summary: %s", why);
		return;
	}
	pos = data;
	while (util_next_line(&pos, &line, &len)) {
		char *f[3];
		size_t n = module_split(module_line(data, line), len, f, 3);
		bool known = false;

		if (n == 0)
			continue;
		if (n != 2) {
			bad++;
			continue;
		}
		if (!strcmp(f[0], "clocksource")) {
			md->sum.clocksource = strcmp(f[1], "-") ? f[1] : NULL;
			continue;
		}
		if (module_rate_key(&md->sum, f[0], f[1], &bad))
			continue;
		for (size_t i = 0;
		     i < sizeof(summary_keys) / sizeof(summary_keys[0]); i++) {
			int64_t v;

			if (strcmp(summary_keys[i].name, f[0]))
				continue;
			known = true;
			if (module_value(f[1], &v))
				*(int64_t *)((char *)&md->sum +
					     summary_keys[i].off) = v;
			else
				bad++;
		}
		if (!known && md->extra_keys.n < 64)
			strlist_addf(a, &md->extra_keys, "%s %s", f[0], f[1]);
	}
	if (bad)
		strlist_addf(a, notes,
			     "module summary: %zu malformed line(s) ignored",
			     bad);
	md->has_summary = true;
}

static void module_parse_cpus(struct arena *a, module_source *src, void *ctx,
			      struct module_data *md, struct strlist *notes)
{
	char why[UTIL_WHY_LEN];
	char *data, *hdr[MODULE_MAX_FIELDS], *f[MODULE_MAX_FIELDS];
	const char *pos, *line;
	size_t len, nh, bad = 0;
	int colidx[MC_COUNT];

	if (!(data = module_text(src, ctx, MF_CPUS, why))) {
		strlist_addf(a, notes, "module cpus: %s", why);
		return;
	}
	pos = data;
	if (!util_next_line(&pos, &line, &len))
		return;
	nh = module_split(module_line(data, line), len, hdr, MODULE_MAX_FIELDS);
	for (int c = 0; c < MC_COUNT; c++) {
		colidx[c] = -1;
		for (size_t i = 0; i < nh; i++)
			if (!strcmp(hdr[i], module_col_names[c]))
				colidx[c] = (int)i;
		md->has_cols[c] = colidx[c] >= 0;
	}
	if (colidx[MC_CPU] < 0) {
		strlist_addf(a, notes,
			     "module cpus: no \"cpu\" column in the header line; table ignored");
		return;
	}
	for (int c = 0; c < MC_COUNT; c++)
		if (colidx[c] < 0)
			strlist_addf(a, notes,
				     "module cpus: no \"%s\" column; shown as unknown",
				     module_col_names[c]);
	md->cpus = arena_alloc(a, module_rows(pos) * sizeof(*md->cpus));
	while (util_next_line(&pos, &line, &len)) {
		size_t n = module_split(module_line(data, line), len, f, MODULE_MAX_FIELDS);
		struct mod_cpu *row;
		bool ok = true;

		if (n == 0)
			continue;
		if (n < nh || md->ncpus == MODULE_MAX_CPUS) {
			bad++;
			continue;
		}
		row = &md->cpus[md->ncpus];
		for (int c = 0; c < MC_COUNT; c++) {
			row->v[c] = MODULE_UNKNOWN;
			if (colidx[c] >= 0 &&
			    !module_value(f[colidx[c]], &row->v[c]))
				ok = false;
		}
		if (!ok || row->v[MC_CPU] < 0 || row->v[MC_CPU] >= MODULE_MAX_CPUS) {
			bad++;
			continue;
		}
		md->ncpus++;
	}
	if (bad)
		strlist_addf(a, notes,
			     "module cpus: %zu malformed row(s) ignored (short, non-numeric or out of range)",
			     bad);
	md->has_cpus = md->ncpus > 0;
	if (!md->has_cpus)
		strlist_addf(a, notes, "module cpus: no rows");
}

/* Are the rows in strictly increasing CPU order (as the module writes)? */
static bool module_cpus_sorted(const struct module_data *md)
{
	for (size_t i = 1; i < md->ncpus; i++)
		if (md->cpus[i - 1].v[MC_CPU] >= md->cpus[i].v[MC_CPU])
			return false;
	return true;
}

/* The first row of CPU: a binary search over sorted rows, else a scan. */
static struct mod_cpu *module_cpu(struct module_data *md, int64_t cpu,
				  bool sorted)
{
	size_t lo = 0, hi = md->ncpus;

	if (!sorted) {
		for (size_t i = 0; i < md->ncpus; i++)
			if (md->cpus[i].v[MC_CPU] == cpu)
				return &md->cpus[i];
		return NULL;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t c = md->cpus[mid].v[MC_CPU];

		if (c == cpu)
			return &md->cpus[mid];
		if (c < cpu)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void module_parse_histogram(struct arena *a, module_source *src,
				   void *ctx, struct module_data *md,
				   struct strlist *notes)
{
	char why[UTIL_WHY_LEN];
	char *data, *f[MODULE_HIST_BUCKETS + 2];
	const char *pos, *line;
	size_t len, bad = 0;
	bool sorted;

	if (!md->has_cpus)
		return;
	sorted = module_cpus_sorted(md);
	if (!(data = module_text(src, ctx, MF_HISTOGRAM, why))) {
		strlist_addf(a, notes, "module histogram: %s", why);
		return;
	}
	pos = data;
	util_next_line(&pos, &line, &len); /* header */
	while (util_next_line(&pos, &line, &len)) {
		size_t n = module_split(module_line(data, line), len, f,
					MODULE_HIST_BUCKETS + 2);
		int64_t cpu, v;
		struct mod_cpu *row;

		if (n == 0)
			continue;
		if (n < MODULE_HIST_BUCKETS + 1 || !util_parse_i64(f[0], &cpu) ||
		    !(row = module_cpu(md, cpu, sorted))) {
			bad++;
			continue;
		}
		for (size_t b = 0; b < MODULE_HIST_BUCKETS; b++)
			row->hist[b] = module_value(f[b + 1], &v) ? v
								  : MODULE_UNKNOWN;
		row->has_hist = true;
	}
	if (bad)
		strlist_addf(a, notes,
			     "module histogram: %zu malformed row(s) ignored",
			     bad);
}

static void module_parse_warps(struct arena *a, module_source *src, void *ctx,
			       struct module_data *md, struct strlist *notes)
{
	char why[UTIL_WHY_LEN];
	char *data, *hdr[16], *f[16];
	const char *pos, *line;
	size_t len, nh, bad = 0;
	int ia = -1, ib = -1, iw = -1, im = -1;

	if (!(data = module_text(src, ctx, MF_WARPS, why))) {
		strlist_addf(a, notes, "module warps: %s", why);
		return;
	}
	pos = data;
	util_next_line(&pos, &line, &len);
	nh = module_split(module_line(data, line), len, hdr, 16);
	for (size_t i = 0; i < nh; i++) {
		if (!strcmp(hdr[i], "cpu_a"))
			ia = (int)i;
		else if (!strcmp(hdr[i], "cpu_b"))
			ib = (int)i;
		else if (!strcmp(hdr[i], "warps"))
			iw = (int)i;
		else if (!strcmp(hdr[i], "max_warp_cycles"))
			im = (int)i;
	}
	if (ia < 0 || ib < 0 || iw < 0) {
		strlist_addf(a, notes,
			     "module warps: header lacks cpu_a, cpu_b or warps; table ignored");
		return;
	}
	md->warps = arena_alloc(a, module_rows(pos) * sizeof(*md->warps));
	while (util_next_line(&pos, &line, &len)) {
		size_t n = module_split(module_line(data, line), len, f, 16);
		struct mod_warp *w;

		if (n == 0)
			continue;
		if (n < nh || md->nwarps == MODULE_MAX_CPUS) {
			bad++;
			continue;
		}
		w = &md->warps[md->nwarps];
		w->max_warp_cycles = MODULE_UNKNOWN;
		if (!module_value(f[ia], &w->cpu_a) ||
		    !module_value(f[ib], &w->cpu_b) ||
		    !module_value(f[iw], &w->warps) ||
		    (im >= 0 && !module_value(f[im], &w->max_warp_cycles))) {
			bad++;
			continue;
		}
		md->nwarps++;
	}
	if (bad)
		strlist_addf(a, notes, "module warps: %zu malformed row(s) ignored",
			     bad);
	md->has_warps = true;
}

void module_parse(struct arena *a, module_source *src, void *ctx,
		  struct module_data *md, struct strlist *notes)
{
	if (module_parse_version(a, src, ctx, md, notes))
		return;
	md->usable = true;
	module_parse_summary(a, src, ctx, md, notes);
	module_parse_cpus(a, src, ctx, md, notes);
	module_parse_histogram(a, src, ctx, md, notes);
	module_parse_warps(a, src, ctx, md, notes);
}

struct module_files {
	struct arena *a;
	const char *root;
};

/* module_source for the files under ROOT/MODULE_DIR. */
static char *module_read_file(void *ctx, enum module_file file, char *why)
{
	static const char *const rel[] = {
		[MF_VERSION] = MODULE_DIR "/version",
		[MF_SUMMARY] = MODULE_DIR "/summary",
		[MF_CPUS] = MODULE_DIR "/cpus",
		[MF_HISTOGRAM] = MODULE_DIR "/histogram",
		[MF_WARPS] = MODULE_DIR "/warps",
	};
	struct module_files *mf = ctx;
	char *data;

	if (file == MF_VERSION)
		return util_read_value(mf->a, mf->root, rel[file], why);
	if (util_read(mf->a, mf->root, rel[file], UTIL_MAX_TABLE, &data, NULL,
		      NULL, why))
		return NULL;
	return data;
}

/*
 * Why the module's directory cannot be seen: a user who may not look
 * (debugfs is root-only), kernel lockdown (which closes debugfs and refuses
 * unsigned modules), or simply no module or no debugfs.
 */
static const char *module_absent_reason(struct arena *a, const char *root)
{
	char mode[64] = "", *open, *close;
	struct stat st;
	FILE *fp;

	if (stat(util_path(a, root, MODULE_DIR), &st) != 0 &&
	    (errno == EACCES || errno == EPERM))
		return "permission denied: debugfs and the module's files are root-only; run tscmon as root";
	fp = fopen(util_path(a, root, "sys/kernel/security/lockdown"), "r");
	if (fp) {
		if (!fgets(mode, sizeof(mode), fp))
			mode[0] = '\0';
		fclose(fp);
	}
	/* The active mode is the bracketed word: "none [integrity] ..." */
	open = strchr(mode, '[');
	close = open ? strchr(open, ']') : NULL;
	if (close && strncmp(open + 1, "none]", 5)) {
		*close = '\0';
		return arena_printf(a, "kernel lockdown is active (%s): it refuses unsigned modules%s; sign tscmon.ko with an enrolled key (README: Secure Boot)",
				    open + 1, strcmp(open + 1, "confidentiality") ? "" :
				    " and closes debugfs, so the module's files cannot be read even when it is loaded");
	}
	return "tscmon module not loaded, or debugfs not mounted: modprobe tscmon; mount -t debugfs none /sys/kernel/debug";
}

void module_read(struct arena *a, const char *root, struct module_data *md,
		 struct strlist *notes)
{
	static const char *const later[] = { "idle", "freq", "events" };
	struct module_files mf = { a, root };

	memset(md, 0, sizeof(*md));
	md->abi = -1;
	if (!util_is_dir(util_path(a, root, MODULE_DIR))) {
		strlist_addf(a, notes, "module: /%s not found (%s)", MODULE_DIR,
			     module_absent_reason(a, root));
		return;
	}
	md->present = true;
	module_parse(a, module_read_file, &mf, md, notes);
	if (!md->usable)
		return;
	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++) {
		char *p = util_path(a, root,
				    arena_printf(a, MODULE_DIR "/%s", later[i]));
		FILE *fp = fopen(p, "r");

		if (fp) {
			fclose(fp);
			strlist_add(a, &md->later_files, later[i]);
		}
	}
}
