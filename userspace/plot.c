// SPDX-License-Identifier: GPL-2.0
/*
 * tscmon plot: read a recording and draw it as one self-contained SVG
 * (or an HTML page holding that SVG): the skew of each CPU with its
 * uncertainty band over time, lanes below it for idle entries per state,
 * frequency transitions, warps, module events and clocksource switches,
 * then the summary (plot_summary.c).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "svg.h"

#define PL_W 1200.0
#define PL_L 120.0   /* left edge of the plot area */
#define PL_PW 880.0  /* plot width */
#define PL_PH 320.0  /* skew panel height */
#define PL_LANE 30.0 /* one lane's height */
#define PL_COUNT_W 40.0 /* room a warp count takes right of its mark */

struct axis {
	double t_span, lo, hi, top;
};

static double ax_x(const struct axis *ax, double t)
{
	return PL_L + PL_PW * (t < 0 ? 0 : t > ax->t_span ? ax->t_span : t) / ax->t_span;
}

static double ax_y(const struct axis *ax, double v)
{
	return ax->top + PL_PH * (ax->hi - v) / (ax->hi - ax->lo);
}

static bool known(const struct rec_poll *p, size_t cpu)
{
	return cpu < p->ncpus && p->cpu[cpu].skew != REC_NONE;
}

static double unc_of(const struct rec_cpu *c)
{
	return c->unc == REC_NONE || c->unc < 0 ? 0 : (double)c->unc;
}

static void skew_range(const struct recording *r, struct axis *ax)
{
	double lo = 0, hi = 0, pad;

	for (size_t i = 0; i < r->npolls; i++)
		for (size_t c = 0; c < r->ncpus; c++) {
			const struct rec_cpu *k = &r->polls[i].cpu[c];

			if (!known(&r->polls[i], c))
				continue;
			lo = fmin(lo, (double)k->skew - unc_of(k));
			hi = fmax(hi, (double)k->skew + unc_of(k));
		}
	if (hi - lo < 2) {
		lo -= 1;
		hi += 1;
	}
	pad = (hi - lo) * 0.06;
	ax->lo = lo - pad;
	ax->hi = hi + pad;
}

/* One CPU: the band, then the line, broken where the skew is unknown. */
static void draw_cpu(FILE *f, const struct recording *r, const struct axis *ax,
		     size_t cpu)
{
	const char *col = svg_cpu_color(cpu);
	size_t i = 0;

	while (i < r->npolls) {
		size_t s = i, e;

		if (!known(&r->polls[i], cpu)) {
			i++;
			continue;
		}
		while (i < r->npolls && known(&r->polls[i], cpu))
			i++;
		e = i; /* run [s, e) */
		fprintf(f, "<polygon fill=\"%s\" fill-opacity=\"0.10\" stroke=\"%s\" stroke-opacity=\"0.45\" stroke-width=\"0.8\" points=\"",
			col, col);
		for (size_t k = s; k < e; k++) {
			const struct rec_cpu *c = &r->polls[k].cpu[cpu];

			fprintf(f, "%.1f,%.1f ", ax_x(ax, r->polls[k].t) - (e - s == 1 ? 2 : 0),
				ax_y(ax, (double)c->skew + unc_of(c)));
			if (e - s == 1)
				fprintf(f, "%.1f,%.1f ", ax_x(ax, r->polls[k].t) + 2,
					ax_y(ax, (double)c->skew + unc_of(c)));
		}
		for (size_t k = e; k-- > s;) {
			const struct rec_cpu *c = &r->polls[k].cpu[cpu];

			if (e - s == 1)
				fprintf(f, "%.1f,%.1f ", ax_x(ax, r->polls[k].t) + 2,
					ax_y(ax, (double)c->skew - unc_of(c)));
			fprintf(f, "%.1f,%.1f ", ax_x(ax, r->polls[k].t) - (e - s == 1 ? 2 : 0),
				ax_y(ax, (double)c->skew - unc_of(c)));
		}
		fputs("\"/>\n", f);
		fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" stroke-linejoin=\"round\" points=\"", col);
		for (size_t k = s; k < e; k++)
			fprintf(f, "%.1f,%.1f ", ax_x(ax, r->polls[k].t),
				ax_y(ax, (double)r->polls[k].cpu[cpu].skew));
		fputs("\"/>\n", f);
		if (r->npolls <= 80)
			for (size_t k = s; k < e; k++)
				fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
					ax_x(ax, r->polls[k].t),
					ax_y(ax, (double)r->polls[k].cpu[cpu].skew), col);
	}
}

static void draw_legend(FILE *f, const struct recording *r, double top)
{
	double x = PL_L + PL_PW + 16, y = top + 4;
	const struct rec_poll *last = &r->polls[r->npolls - 1];
	char num[32];

	svg_text(f, x, y + 8, "start", 12, "font-weight=\"bold\"", "CPU: last skew");
	y += 16;
	for (size_t c = 0; c < r->ncpus && c < 24; c++, y += 17) {
		svg_rect(f, x, y, 14, 10, svg_cpu_color(c), NULL, 1);
		if (known(last, c))
			svg_num(num, sizeof(num), (double)last->cpu[c].skew);
		else
			snprintf(num, sizeof(num), "-");
		svg_text(f, x + 20, y + 9, "start", 12, "", "CPU %zu: %s", c, num);
	}
	if (r->ncpus > 24)
		svg_text(f, x, y + 9, "start", 11, "", "(%zu more CPUs)", r->ncpus - 24);
	y += 10;
	svg_rect(f, x, y, 14, 10, "#555555", NULL, 0.18);
	svg_text(f, x + 20, y + 9, "start", 11, "", "band: +/- uncertainty");
}

/* Value of lane L over interval (i-1, i]; -1 if unknown. */
enum lane_kind { LANE_STATE, LANE_IDLE, LANE_FREQ, LANE_WARPS };

static int64_t delta(int64_t a, int64_t b)
{
	return a == REC_NONE || b == REC_NONE || b < a ? -1 : b - a;
}

static int64_t lane_value(const struct recording *r, enum lane_kind k,
			  size_t st, size_t i)
{
	const struct rec_poll *p = &r->polls[i - 1], *q = &r->polls[i];
	int64_t sum = -1, d;

	for (size_t c = 0; c < p->ncpus && c < q->ncpus; c++) {
		const struct rec_cpu *x = &p->cpu[c], *y = &q->cpu[c];

		d = k == LANE_STATE ? delta(x->state[st], y->state[st]) :
		    k == LANE_IDLE ? delta(x->idle_entries, y->idle_entries) :
		    k == LANE_FREQ ? delta(x->freq_trans, y->freq_trans) :
		    delta(x->warps, y->warps);
		if (d >= 0)
			sum = (sum < 0 ? 0 : sum) + d;
	}
	return sum;
}

/*
 * A lane's name, right-aligned against the plot area. A name too long for
 * the margin (cpuidle state names run to 15 characters) is squeezed into
 * it rather than cut off at the picture's edge. Glyphs of the 11 px
 * sans-serif font average about 6.6 px.
 */
static void lane_label(FILE *f, double y, const char *label)
{
	const double room = PL_L - 12;
	char fit[64] = "";

	if (6.6 * (double)strlen(label) > room)
		snprintf(fit, sizeof(fit),
			 "textLength=\"%.0f\" lengthAdjust=\"spacingAndGlyphs\"", room);
	svg_text(f, PL_L - 8, y + 17, "end", 11, fit, "%s", label);
}

static void draw_lane(FILE *f, const struct recording *r, const struct axis *ax,
		      double y, const char *label, enum lane_kind k, size_t st,
		      const char *col)
{
	int64_t max = 0, v;

	svg_rect(f, PL_L, y, PL_PW, PL_LANE - 4, "#f6f6f6", NULL, 1);
	lane_label(f, y, label);
	for (size_t i = 1; i < r->npolls; i++)
		if ((v = lane_value(r, k, st, i)) > max)
			max = v;
	for (size_t i = 1; i < r->npolls && max > 0; i++) {
		double x0 = ax_x(ax, r->polls[i - 1].t), x1 = ax_x(ax, r->polls[i].t);
		double h;

		v = lane_value(r, k, st, i);
		if (v <= 0)
			continue;
		h = (PL_LANE - 8) * (double)v / (double)max;
		if (h < 2)
			h = 2;
		if (k == LANE_WARPS) {
			fprintf(f, "<path d=\"M%.1f %.1fl-6 -10h12z\" fill=\"%s\"/>\n",
				x1, y + PL_LANE - 8, col);
			/*
			 * A count near the right edge goes left of its mark,
			 * clear of the lane's "max N per poll".
			 */
			if (x1 > PL_L + PL_PW - PL_COUNT_W)
				svg_text(f, x1 - 8, y + 14, "end", 10, "", "+%lld", (long long)v);
			else
				svg_text(f, x1 + 8, y + 14, "start", 10, "", "+%lld", (long long)v);
			continue;
		}
		svg_rect(f, x0 + 0.5, y + PL_LANE - 4 - h, x1 - x0 > 2 ? x1 - x0 - 1 : 1, h, col, NULL, 0.85);
	}
	if (r->npolls < 2)
		svg_text(f, PL_L + 6, y + 17, "start", 10, "fill=\"#777\"", "one poll: no intervals to count");
	else
		svg_text(f, PL_L + PL_PW + 8, y + 17, "start", 10, "fill=\"#555\"",
			 max > 0 ? "max %lld per poll" : "none (%lld)", (long long)max);
}

static void draw_events(FILE *f, const struct recording *r, const struct axis *ax,
			double y)
{
	svg_rect(f, PL_L, y, PL_PW, PL_LANE - 4, "#f6f6f6", NULL, 1);
	lane_label(f, y, "module events");
	for (size_t i = 0; i < r->nevents; i++) {
		const struct rec_event *e = &r->events[i];
		double x = ax_x(ax, e->t);

		if (e->t < 0 || e->t > ax->t_span)
			continue;
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>",
			x, y + 13, e->cpu >= 0 ? svg_cpu_color((size_t)e->cpu) : "#000");
		svg_esc(f, e->kind);
		fprintf(f, " on CPU %lld: change %lld, bound %lld</title></circle>\n",
			(long long)e->cpu, (long long)e->change, (long long)e->bound);
	}
	svg_text(f, PL_L + PL_PW + 8, y + 17, "start", 10, "fill=\"#555\"",
		 "%zu (colour: CPU)", r->nevents);
}

/* Clocksource changes: between polls (sysfs) and from the kernel log. */
static void draw_switches(FILE *f, const struct recording *r, const struct axis *ax,
			  double bottom)
{
	for (size_t i = 1; i < r->npolls; i++) {
		double x;

		if (!strcmp(r->polls[i].clocksource, r->polls[i - 1].clocksource))
			continue;
		x = ax_x(ax, r->polls[i].t);
		svg_line(f, x, ax->top, x, bottom, "#000", 1.2, "6 4");
		svg_text(f, x + 4, ax->top + 12, "start", 11, "font-weight=\"bold\"",
			 "clocksource %s -> %s", r->polls[i - 1].clocksource, r->polls[i].clocksource);
	}
	for (size_t i = 0; i < r->nswitches; i++) {
		double x;

		if (r->switches[i].t < 0 || r->switches[i].t > ax->t_span)
			continue;
		x = ax_x(ax, r->switches[i].t);
		svg_line(f, x, ax->top, x, bottom, "#444", 1, "2 3");
		svg_text(f, x + 4, ax->top + 26, "start", 10, "", "log: switched to %s", r->switches[i].to);
	}
}

void plot_timeline(FILE *f, const struct recording *r, double *yp)
{
	struct axis ax = { .top = *yp + 10 };
	double y, bottom, step;
	char num[32];
	size_t nlanes;

	ax.t_span = r->polls[r->npolls - 1].t > 0 ? r->polls[r->npolls - 1].t : 1;
	skew_range(r, &ax);
	snprintf(num, sizeof(num), "%.1f", ax.top + PL_PH / 2);
	{
		char rot[64];

		snprintf(rot, sizeof(rot), "transform=\"rotate(-90 30 %s)\"", num);
		svg_text(f, 30, ax.top + PL_PH / 2, "middle", 12, rot,
			 "skew vs the reference CPU (TSC cycles)");
	}
	/* grid and y axis */
	step = svg_tick_step(ax.hi - ax.lo, 6);
	svg_rect(f, PL_L, ax.top, PL_PW, PL_PH, "#ffffff", "#999999", 1);
	for (double v = ceil(ax.lo / step) * step; v <= ax.hi; v += step) {
		svg_line(f, PL_L, ax_y(&ax, v), PL_L + PL_PW, ax_y(&ax, v),
			 fabs(v) < step / 2 ? "#888888" : "#e4e4e4", 1, NULL);
		svg_num(num, sizeof(num), fabs(v) < step / 2 ? 0 : v);
		svg_text(f, PL_L - 6, ax_y(&ax, v) + 4, "end", 11, "", "%s", num);
	}
	for (size_t c = 0; c < r->ncpus; c++)
		draw_cpu(f, r, &ax, c);
	draw_legend(f, r, ax.top);
	/* lanes */
	y = ax.top + PL_PH + 12;
	nlanes = 0;
	for (size_t s = 0; r->has_idle && s < r->nstates; s++, nlanes++) {
		char label[64];

		snprintf(label, sizeof(label), "C-state %s",
			 r->state_name[s] ? r->state_name[s] : "");
		if (!r->state_name[s])
			snprintf(label, sizeof(label), "idle state %zu", s);
		draw_lane(f, r, &ax, y + nlanes * PL_LANE, label, LANE_STATE, s, "#7b4fa0");
	}
	if (!r->has_idle)
		draw_lane(f, r, &ax, y + nlanes++ * PL_LANE, "idle entries (all)", LANE_IDLE, 0, "#7b4fa0");
	if (r->has_freq)
		draw_lane(f, r, &ax, y + nlanes++ * PL_LANE, "freq transitions", LANE_FREQ, 0, "#2a8a3a");
	draw_lane(f, r, &ax, y + nlanes++ * PL_LANE, "warps", LANE_WARPS, 0, "#d00000");
	if (r->nevents)
		draw_events(f, r, &ax, y + nlanes++ * PL_LANE);
	bottom = y + nlanes * PL_LANE;
	/* x axis under the lanes, grid through everything */
	step = svg_tick_step(ax.t_span, 10);
	for (double t = 0; t <= ax.t_span + step / 1000; t += step) {
		double x = ax_x(&ax, t);

		svg_line(f, x, ax.top, x, bottom, "#000", 0.3, "1 3");
		svg_line(f, x, bottom, x, bottom + 5, "#000", 1, NULL);
		svg_text(f, x, bottom + 18, "middle", 11, "", "%g", t);
	}
	svg_text(f, PL_L + PL_PW / 2, bottom + 36, "middle", 12, "",
		 "time since the first poll (s); lanes count per interval between polls, summed over CPUs");
	draw_switches(f, r, &ax, bottom);
	*yp = bottom + 50;
}
