// SPDX-License-Identifier: GPL-2.0
/* SVG helpers: escaping, text, lines, boxes, colours and axis numbers. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "svg.h"

void svg_esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '&')
			fputs("&amp;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else if (c < 0x20 || c == 0x7f)
			fputc('?', f); /* not allowed in XML 1.0 */
		else
			fputc(c, f);
	}
}

void svg_text(FILE *f, double x, double y, const char *anchor, int size,
	      const char *style, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" %s>",
		x, y, anchor, size, style);
	svg_esc(f, buf);
	fputs("</text>\n", f);
}

void svg_line(FILE *f, double x1, double y1, double x2, double y2,
	      const char *color, double width, const char *dash)
{
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"",
		x1, y1, x2, y2, color, width);
	if (dash)
		fprintf(f, " stroke-dasharray=\"%s\"", dash);
	fputs("/>\n", f);
}

void svg_rect(FILE *f, double x, double y, double w, double h,
	      const char *fill, const char *stroke, double opacity)
{
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"",
		x, y, w < 0 ? 0 : w, h < 0 ? 0 : h, fill);
	if (stroke)
		fprintf(f, " stroke=\"%s\"", stroke);
	if (opacity < 1)
		fprintf(f, " fill-opacity=\"%.2f\"", opacity);
	fputs("/>\n", f);
}

/* Ten colours that stay apart for most readers; then they repeat. */
const char *svg_cpu_color(size_t cpu)
{
	static const char *const pal[] = {
		"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
		"#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
	};

	return pal[cpu % (sizeof(pal) / sizeof(pal[0]))];
}

double svg_tick_step(double span, int want)
{
	double raw, mag, m;

	if (!(span > 0) || want < 1)
		return 1;
	raw = span / want;
	mag = pow(10, floor(log10(raw)));
	m = raw / mag;
	return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * mag;
}

void svg_num(char *buf, size_t n, double v)
{
	double a = fabs(v);

	if (a >= 1e9)
		snprintf(buf, n, "%.3gG", v / 1e9);
	else if (a >= 1e6)
		snprintf(buf, n, "%.3gM", v / 1e6);
	else if (a >= 1e4)
		snprintf(buf, n, "%.3gk", v / 1e3);
	else
		snprintf(buf, n, "%.4g", v);
}

void svg_heat(char *buf, size_t n, double v)
{
	int r, g, b;

	if (!(v > 0))
		v = 0;
	if (v > 1)
		v = 1;
	r = (int)(255 - v * (255 - 200));
	g = (int)(255 - v * (255 - 80));
	b = (int)(255 - v * (255 - 10));
	snprintf(buf, n, "#%02x%02x%02x", r, g, b);
}
