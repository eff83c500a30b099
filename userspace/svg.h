/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers that write self-contained SVG (no fonts, no scripts). */
#ifndef TSCMON_SVG_H
#define TSCMON_SVG_H

#include <stddef.h>
#include <stdio.h>

void svg_esc(FILE *f, const char *s);
/* Text at X,Y; ANCHOR start|middle|end; STYLE extra attributes or "". */
void svg_text(FILE *f, double x, double y, const char *anchor, int size,
	      const char *style, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
void svg_line(FILE *f, double x1, double y1, double x2, double y2,
	      const char *color, double width, const char *dash);
void svg_rect(FILE *f, double x, double y, double w, double h,
	      const char *fill, const char *stroke, double opacity);
const char *svg_cpu_color(size_t cpu);
/* A tick step of 1, 2 or 5 x 10^k giving about WANT ticks over SPAN. */
double svg_tick_step(double span, int want);
/* 1.5k, 2.45M, -300: short numbers for axes. */
void svg_num(char *buf, size_t n, double v);
/* Heat colour for V in 0..1 (white to dark orange). */
void svg_heat(char *buf, size_t n, double v);

#endif
