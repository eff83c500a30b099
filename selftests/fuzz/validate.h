/* SPDX-License-Identifier: GPL-2.0 */
/* Small validators for the outputs the fuzz tests produce. */
#ifndef TSCMON_FUZZ_VALIDATE_H
#define TSCMON_FUZZ_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

/* One JSON value (RFC 8259) and white space, nothing else; valid UTF-8. */
bool json_valid(const char *s, size_t len);
/*
 * Prometheus text exposition 0.0.4: "# HELP name text", "# TYPE name
 * type", or "name{label="value",...} value" lines; valid UTF-8.
 */
bool prom_valid(const char *s, size_t len);

#endif
