/* SPDX-License-Identifier: GPL-2.0 */
/* Rendering facts and advice: text, JSON, Prometheus, check verdict. */
#ifndef TSCMON_OUTPUT_H
#define TSCMON_OUTPUT_H

#include <stdio.h>
#include "advice.h"
#include "facts.h"

#define TSCMON_SCHEMA_VERSION 2

void out_status_text(FILE *out, const struct facts *f);
void out_advice_text(FILE *out, const struct facts *f, const struct advice *ad);
void out_not_available(FILE *out, const struct facts *f);
/* The JSON document (status, telemetry, advice); see docs/client.md. */
void out_json(FILE *out, const struct facts *f, const struct advice *ad);
void out_prometheus(FILE *out, const struct facts *f, const struct advice *ad);
/* One line; returns the Nagios exit code (0..3). */
int out_check(FILE *out, const struct facts *f, const struct advice *ad);
/* One refresh of `watch`: per-CPU table and new log events. */
void out_watch_frame(FILE *out, const struct facts *f, size_t *seen_events,
		     int frame);

#endif
