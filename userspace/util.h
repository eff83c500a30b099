/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by every part of the client: an arena that owns all
 * strings for one run, bounded file reading relative to --root, strict
 * number parsing and line iteration.
 */
#ifndef TSCMON_UTIL_H
#define TSCMON_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTIL_WHY_LEN 160

/*
 * Every allocation of one analysis lives in an arena freed at once.
 * arena_alloc() returns zeroed memory.
 */
struct arena;
struct arena *arena_new(void);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* A growable list of strings, allocated from an arena. */
struct strlist {
	char **v;
	size_t n, cap;
};
void strlist_add(struct arena *a, struct strlist *l, const char *s);
void strlist_addf(struct arena *a, struct strlist *l, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool strlist_has(const struct strlist *l, const char *s);
char *strlist_join(struct arena *a, const struct strlist *l, const char *sep);

/* Size limits for inputs: anything larger is refused (or cut, for logs). */
#define UTIL_MAX_SMALL (64u * 1024u)        /* sysfs values, cmdline */
#define UTIL_MAX_TABLE (8u * 1024u * 1024u)   /* cpuinfo, debugfs tables */
#define UTIL_MAX_LOG (16u * 1024u * 1024u)    /* the kernel log */

/*
 * Read ROOT/REL (REL without a leading slash) into a NUL-terminated arena
 * buffer of at most MAX bytes. Returns 0 on success. On failure returns -1
 * and writes a short reason ("missing", "empty", "binary data (NUL bytes)",
 * ...) into WHY. With CUT set, a file longer than MAX is cut to MAX bytes
 * and *CUT is set to true instead of failing.
 */
int util_read(struct arena *a, const char *root, const char *rel, size_t max,
	      char **data, size_t *len, bool *cut, char *why);

/* util_read() of REL relative to the directory DIRFD (or AT_FDCWD). */
int util_read_at(struct arena *a, int dirfd, const char *rel, size_t max,
		 char **data, size_t *len, bool *cut, char *why);

/*
 * Read a one-line sysfs value: trailing newline stripped, at most
 * UTIL_VALUE_MAX bytes, printable text only. Returns NULL and fills WHY
 * on failure.
 */
#define UTIL_VALUE_MAX 4096u
char *util_read_value(struct arena *a, const char *root, const char *rel,
		      char *why);
char *util_read_value_at(struct arena *a, int dirfd, const char *rel,
			 char *why);
/* A one-line value that is a decimal integer; false if not (or unread). */
bool util_read_i64_at(int dirfd, const char *rel, int64_t *out);
/*
 * ROOT/REL opened as a directory handle (O_PATH) for the _at readers:
 * -1 where util_is_dir() would be false. The caller closes it.
 */
int util_open_dir(const char *root, const char *rel);

/* Join ROOT and REL into an arena path. */
char *util_path(struct arena *a, const char *root, const char *rel);
bool util_is_dir(const char *path);

/* Strict decimal parsing of the whole string (leading/trailing blanks ok). */
bool util_parse_i64(const char *s, int64_t *out);
bool util_parse_u64(const char *s, uint64_t *out);
bool util_parse_double(const char *s, double *out);

/*
 * Line iteration over a NUL-terminated buffer: *POS advances past the line.
 * Returns false at the end. The line is not NUL-terminated; use LEN.
 */
bool util_next_line(const char **pos, const char **line, size_t *len);

/*
 * V in decimal at the end of BUF, without printf (outputs have thousands
 * of numbers): returns where the digits start; they are not terminated
 * and run to the end of BUF.
 */
#define UTIL_I64_LEN 20
char *util_fmt_i64(char buf[UTIL_I64_LEN], int64_t v);

/*
 * The length of the UTF-8 character at S (shortest form, no surrogates,
 * at most U+10FFFF), 1 for ASCII, 0 if the bytes there are not UTF-8.
 * S is NUL-terminated. JSON and Prometheus outputs must be UTF-8, and
 * inputs (a CPU model name, a log line) are not always.
 */
size_t util_utf8_len(const char *s);

/* Copy at most DSTLEN-1 bytes; always terminates. */
void util_copy(char *dst, size_t dstlen, const char *src, size_t srclen);
/* Trim blanks at both ends, in place; returns the start. */
char *util_trim(char *s);
bool util_starts_with(const char *s, const char *prefix);
/* Find NEEDLE in the first LEN bytes of HAY (HAY need not be terminated). */
const char *util_memstr(const char *hay, size_t len, const char *needle);

#endif
