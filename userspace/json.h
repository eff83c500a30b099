/* SPDX-License-Identifier: GPL-2.0 */
/* A minimal streaming JSON writer (objects, arrays, strings, numbers). */
#ifndef TSCMON_JSON_H
#define TSCMON_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH 16

struct json {
	FILE *out;
	int depth;
	bool first[JSON_DEPTH];
	bool after_key;
};

void json_init(struct json *j, FILE *out);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s); /* NULL -> null */
void json_int(struct json *j, int64_t v);
void json_num(struct json *j, double v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* key + value shorthands */
void json_kstr(struct json *j, const char *k, const char *v);
void json_kint(struct json *j, const char *k, int64_t v);
void json_kbool(struct json *j, const char *k, bool v);

#endif
