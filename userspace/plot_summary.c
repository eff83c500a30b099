// SPDX-License-Identifier: GPL-2.0
/*
 * tscmon plot, second part: the per-CPU skew histograms (the module's
 * log2 buckets), the heat map of idle entries per state and frequency
 * transitions per CPU, and the command itself: read, check, write.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "svg.h"

#define PS_W 1200
#define PS_MAX_CPUS 64

static void hist_one(FILE *f, const struct recording *r, size_t cpu,
		     double x, double y)
{
	const double w = 256, h = 90, bw = w / REC_HIST;
	static const struct { int b; const char *label; } ticks[] = {
		{ 0, "0" }, { 1, "1" }, { 11, "1k" }, { 21, "1M" }, { 31, "1G+" },
	};
	int64_t max = 0;

	for (int b = 0; b < REC_HIST; b++)
		if (r->hist[cpu][b] > max)
			max = r->hist[cpu][b];
	svg_rect(f, x, y, w, h, "#fbfbfb", "#bbbbbb", 1);
	svg_text(f, x, y - 6, "start", 12, "font-weight=\"bold\"", "CPU %zu", cpu);
	svg_text(f, x + w, y - 6, "end", 10, "fill=\"#555\"", "tallest bar: %lld", (long long)max);
	for (int b = 0; b < REC_HIST && max > 0; b++) {
		double bh;

		if (r->hist[cpu][b] <= 0)
			continue;
		bh = (h - 4) * (double)r->hist[cpu][b] / (double)max;
		if (bh < 1.5)
			bh = 1.5;
		svg_rect(f, x + b * bw + 0.5, y + h - bh, bw - 1, bh, svg_cpu_color(cpu), NULL, 1);
	}
	for (size_t t = 0; t < sizeof(ticks) / sizeof(ticks[0]); t++) {
		double tx = x + ticks[t].b * bw + bw / 2;

		svg_line(f, tx, y + h, tx, y + h + 4, "#000", 1, NULL);
		svg_text(f, tx, y + h + 15, "middle", 10, "", "%s", ticks[t].label);
	}
}

static void draw_histograms(FILE *f, const struct recording *r, double *yp)
{
	double y = *yp;
	size_t n = r->ncpus < PS_MAX_CPUS ? r->ncpus : PS_MAX_CPUS;

	svg_text(f, 40, y, "start", 15, "font-weight=\"bold\"",
		 "Skew histogram per CPU");
	svg_text(f, 40, y + 18, "start", 11, "fill=\"#444\"",
		 "sweeps by |skew| in TSC cycles, log2 buckets (bucket k holds 2^(k-1) to 2^k - 1); the module's whole history at the last poll");
	y += 50;
	if (!r->has_hist) {
		svg_text(f, 40, y, "start", 12, "", "no histogram file in the recording");
		*yp = y + 20;
		return;
	}
	for (size_t c = 0; c < n; c++)
		hist_one(f, r, c, 40 + (double)(c % 4) * 290, y + (double)(c / 4) * 140);
	y += (double)((n + 3) / 4) * 140;
	if (r->ncpus > n)
		svg_text(f, 40, y, "start", 11, "", "(%zu more CPUs not drawn)", r->ncpus - n);
	*yp = y + 10;
}

/* Growth over the recording: last known value minus first known. */
static int64_t growth(const struct recording *r, size_t cpu, int col)
{
	int64_t first = REC_NONE, last = REC_NONE;

	for (size_t i = 0; i < r->npolls; i++) {
		const struct rec_poll *p = &r->polls[i];
		int64_t v;

		if (cpu >= p->ncpus)
			continue;
		v = col >= 0 ? p->cpu[cpu].state[col] :
		    col == -1 ? p->cpu[cpu].idle_entries :
		    col == -2 ? p->cpu[cpu].freq_trans : p->cpu[cpu].warps;
		if (v == REC_NONE)
			continue;
		if (first == REC_NONE)
			first = v;
		last = v;
	}
	return first == REC_NONE || last < first ? REC_NONE : last - first;
}

static void draw_heatmap(FILE *f, const struct recording *r, double *yp)
{
	int cols[REC_MAX_STATES + 3], ncols = 0;
	const double cw = 130, ch = 22, x0 = 40, lw = 70;
	size_t n = r->ncpus < PS_MAX_CPUS ? r->ncpus : PS_MAX_CPUS;
	double y = *yp;

	for (size_t s = 0; r->has_idle && s < r->nstates; s++)
		cols[ncols++] = (int)s;
	if (!r->has_idle)
		cols[ncols++] = -1;
	if (r->has_freq)
		cols[ncols++] = -2;
	cols[ncols++] = -3;
	svg_text(f, 40, y, "start", 15, "font-weight=\"bold\"",
		 "Idle entries and frequency transitions per CPU during the recording");
	svg_text(f, 40, y + 18, "start", 11, "fill=\"#444\"",
		 "growth from the first to the last poll; darker = more, scaled per column; - = not known");
	y += 34;
	for (int k = 0; k < ncols; k++) {
		char head[64];
		int c = cols[k];

		if (c >= 0)
			snprintf(head, sizeof(head), "%s entries", r->state_name[c] ? r->state_name[c] : "state");
		else
			snprintf(head, sizeof(head), "%s", c == -1 ? "idle entries" :
				 c == -2 ? "freq transitions" : "warps");
		if (c >= 0 && !r->state_name[c])
			snprintf(head, sizeof(head), "state %d entries", c);
		svg_text(f, x0 + lw + k * cw + cw / 2, y + 15, "middle", 11, "font-weight=\"bold\"", "%s", head);
	}
	y += ch;
	for (size_t cpu = 0; cpu < n; cpu++) {
		double ry = y + (double)cpu * ch;

		svg_text(f, x0 + lw - 8, ry + 15, "end", 11, "", "CPU %zu", cpu);
		for (int k = 0; k < ncols; k++) {
			int64_t v = growth(r, cpu, cols[k]), max = 0;
			char fill[16];

			for (size_t o = 0; o < n; o++) {
				int64_t w = growth(r, o, cols[k]);

				if (w != REC_NONE && w > max)
					max = w;
			}
			svg_heat(fill, sizeof(fill), v == REC_NONE || !max ? 0 : (double)v / (double)max);
			svg_rect(f, x0 + lw + k * cw, ry, cw - 2, ch - 2, fill, "#dddddd", 1);
			if (v == REC_NONE)
				svg_text(f, x0 + lw + k * cw + cw / 2, ry + 15, "middle", 11, "fill=\"#999\"", "-");
			else
				svg_text(f, x0 + lw + k * cw + cw / 2, ry + 15, "middle", 11, "", "%lld", (long long)v);
		}
	}
	*yp = y + (double)n * ch + 20;
}

void plot_summary(FILE *f, const struct recording *r, double *y)
{
	draw_histograms(f, r, y);
	*y += 20;
	draw_heatmap(f, r, y);
}

static void plot_title(FILE *f, const struct recording *r, double *y)
{
	const char *cs0 = r->polls[0].clocksource, *cs1 = r->polls[r->npolls - 1].clocksource;
	const char *cs = r->clocksource && strcmp(r->clocksource, "-") ? r->clocksource : cs0;
	char extra[96] = "";

	if (strcmp(cs0, cs1))
		snprintf(extra, sizeof(extra), " (%s at the first poll, %s at the last)", cs0, cs1);
	svg_text(f, 40, 30, "start", 18, "font-weight=\"bold\"",
		 "TSC skew on %s - kernel %s - clocksource %s%s",
		 r->host ? r->host : "unknown host", r->kernel ? r->kernel : "unknown",
		 cs, extra);
	if (r->tsc_khz != REC_NONE && r->tsc_khz > 0)
		svg_text(f, 40, 50, "start", 12, "fill=\"#444\"",
			 "%zu polls over %.1f s from %s; tscmon %s; tsc_khz %lld: 1000 cycles = %.3f us",
			 r->npolls, r->polls[r->npolls - 1].t, r->started ? r->started : "?",
			 r->version ? r->version : "?", (long long)r->tsc_khz, 1e6 / (double)r->tsc_khz);
	else
		svg_text(f, 40, 50, "start", 12, "fill=\"#444\"", "%zu polls over %.1f s from %s; tscmon %s",
			 r->npolls, r->polls[r->npolls - 1].t, r->started ? r->started : "?",
			 r->version ? r->version : "?");
	*y = 62;
}

static char *read_input(const char *in, size_t *len, int *rc)
{
	FILE *f = fopen(in, "rb");
	char *buf;
	size_t cap = 1 << 16, n = 0, got;

	if (!f) {
		fprintf(stderr, "tscmon plot: cannot open %s: %s\n", in, strerror(errno));
		*rc = EX_NOINPUT_REC;
		return NULL;
	}
	buf = malloc(cap + 1);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *nb = cap >= REC_MAX_BYTES ? NULL : realloc(buf, 2 * cap + 1);

			if (!nb) {
				fprintf(stderr, "tscmon plot: %s: larger than %u MiB, not a recording tscmon wrote\n",
					in, REC_MAX_BYTES >> 20);
				free(buf);
				fclose(f);
				*rc = EX_DATAERR;
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (!buf || ferror(f)) {
		fprintf(stderr, "tscmon plot: cannot read %s: %s\n", in, buf ? strerror(errno) : "out of memory");
		free(buf);
		fclose(f);
		*rc = buf ? EX_NOINPUT_REC : 70;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

int plot_run(const char *in, const char *out)
{
	size_t len = 0, olen = strlen(out), blen = 0;
	bool html = olen > 5 && !strcmp(out + olen - 5, ".html");
	struct recording r;
	struct arena *a;
	char why[256], *text, *body = NULL;
	FILE *mem, *f;
	double y = 0;
	int rc = 0;

	if (!html && !(olen > 4 && !strcmp(out + olen - 4, ".svg"))) {
		fprintf(stderr, "tscmon: plot: OUT must end in .svg or .html, not \"%s\" (tscmon --help for usage)\n", out);
		return 64;
	}
	text = read_input(in, &len, &rc);
	if (!text)
		return rc;
	a = arena_new();
	if (rec_parse(a, text, len, &r, why, sizeof(why))) {
		fprintf(stderr, "tscmon plot: %s: %s\n", in, why);
		free(text);
		arena_free(a);
		return EX_DATAERR;
	}
	if (r.bad_rows)
		fprintf(stderr, "tscmon plot: %s: %zu malformed table row(s) ignored\n", in, r.bad_rows);
	mem = open_memstream(&body, &blen);
	if (!mem) {
		free(text);
		arena_free(a);
		return 70;
	}
	plot_title(mem, &r, &y);
	plot_timeline(mem, &r, &y);
	plot_summary(mem, &r, &y);
	fclose(mem);
	f = fopen(out, "w");
	if (!f) {
		fprintf(stderr, "tscmon plot: cannot create %s: %s\n", out, strerror(errno));
		rc = EX_CANTCREAT;
	} else {
		if (html) {
			fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>", f);
			svg_esc(f, r.host ? r.host : "tscmon");
			fputs(" - tscmon plot</title></head>\n<body style=\"margin:0;background:#fff\">\n", f);
		} else {
			fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
		}
		fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\" font-family=\"sans-serif\">\n",
			PS_W, y + 10, PS_W, y + 10);
		fputs("<title>tscmon plot</title>\n", f);
		svg_rect(f, 0, 0, PS_W, y + 10, "#ffffff", NULL, 1);
		fwrite(body, 1, blen, f);
		fputs("</svg>\n", f);
		if (html)
			fputs("</body></html>\n", f);
		if (ferror(f) | fclose(f)) {
			fprintf(stderr, "tscmon plot: cannot write %s: %s\n", out, strerror(errno));
			rc = EX_IOERR;
		}
	}
	free(body);
	free(text);
	arena_free(a);
	return rc;
}
