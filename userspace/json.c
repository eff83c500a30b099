// SPDX-License-Identifier: GPL-2.0
/* Streaming JSON output with escaping; pretty-printed with two spaces. */
#include "json.h"

#include <math.h>
#include <inttypes.h>
#include <string.h>

#include "util.h"

void json_init(struct json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
}

static void json_indent(struct json *j)
{
	static const char line[] = "\n                                ";

	/* JSON_DEPTH levels of two spaces fit LINE: one write per line. */
	_Static_assert(sizeof(line) - 2 >= 2 * JSON_DEPTH, "indent buffer");
	fwrite(line, 1, 1 + 2 * (size_t)j->depth, j->out);
}

/* Separator and indentation before a value or a key. */
static void json_pre(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (!j->first[j->depth])
			fputc(',', j->out);
		json_indent(j);
	}
	j->first[j->depth] = false;
}

static void json_open(struct json *j, char c)
{
	json_pre(j);
	fputc(c, j->out);
	if (j->depth < JSON_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = true;
}

static void json_close(struct json *j, char c)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty)
		json_indent(j);
	fputc(c, j->out);
	if (j->depth == 0)
		fputc('\n', j->out);
}

void json_obj_begin(struct json *j) { json_open(j, '{'); }
void json_obj_end(struct json *j) { json_close(j, '}'); }
void json_arr_begin(struct json *j) { json_open(j, '['); }
void json_arr_end(struct json *j) { json_close(j, ']'); }

/*
 * S quoted and escaped; runs of plain characters go out in one write. A
 * byte that does not start a UTF-8 character becomes U+FFFD, so that the
 * document stays UTF-8 whatever the inputs held.
 */
static void json_escaped(struct json *j, const char *s)
{
	const char *p = s, *run = s;

	fputc('"', j->out);
	while (*p) {
		unsigned char c = (unsigned char)*p;
		size_t n = c < 0x80 ? 1 : util_utf8_len(p);

		if (n && c >= 0x20 && c != 0x7f && c != '"' && c != '\\') {
			p += n;
			continue;
		}
		fwrite(run, 1, (size_t)(p - run), j->out);
		switch (n ? c : 0) {
		case '"': fputs("\\\"", j->out); break;
		case '\\': fputs("\\\\", j->out); break;
		case '\n': fputs("\\n", j->out); break;
		case '\t': fputs("\\t", j->out); break;
		case '\r': fputs("\\r", j->out); break;
		case 0: fputs("\\ufffd", j->out); break;
		default: fprintf(j->out, "\\u%04x", c);
		}
		run = ++p;
	}
	fwrite(run, 1, (size_t)(p - run), j->out);
	fputc('"', j->out);
}

void json_key(struct json *j, const char *key)
{
	json_pre(j);
	json_escaped(j, key);
	fputs(": ", j->out);
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	json_pre(j);
	if (s)
		json_escaped(j, s);
	else
		fputs("null", j->out);
}

static void json_digits(struct json *j, int64_t v)
{
	char buf[UTIL_I64_LEN], *p = util_fmt_i64(buf, v);

	fwrite(p, 1, (size_t)(buf + sizeof(buf) - p), j->out);
}

void json_int(struct json *j, int64_t v)
{
	json_pre(j);
	json_digits(j, v);
}

void json_num(struct json *j, double v)
{
	json_pre(j);
	/* "%.12g" prints a whole number below 10^12 as that integer. */
	if (v > -1e12 && v < 1e12 && v == (double)(int64_t)v &&
	    !(v == 0 && signbit(v)))
		json_digits(j, (int64_t)v);
	else if (isfinite(v))
		fprintf(j->out, "%.12g", v);
	else
		fputs("null", j->out);
}

void json_bool(struct json *j, bool v)
{
	json_pre(j);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
	json_pre(j);
	fputs("null", j->out);
}

void json_kstr(struct json *j, const char *k, const char *v)
{
	json_key(j, k);
	json_str(j, v);
}

void json_kint(struct json *j, const char *k, int64_t v)
{
	json_key(j, k);
	json_int(j, v);
}

void json_kbool(struct json *j, const char *k, bool v)
{
	json_key(j, k);
	json_bool(j, v);
}
