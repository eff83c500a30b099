// SPDX-License-Identifier: GPL-2.0
/* Arena, bounded file reading and parsing helpers. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct arena_block {
	struct arena_block *next;
	max_align_t data[];
};

struct arena {
	struct arena_block *blocks;
};

struct arena *arena_new(void)
{
	struct arena *a = calloc(1, sizeof(*a));

	if (!a) {
		fprintf(stderr, "tscmon: out of memory\n");
		exit(70);
	}
	return a;
}

void arena_free(struct arena *a)
{
	struct arena_block *b, *next;

	if (!a)
		return;
	for (b = a->blocks; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

/* One block per allocation keeps this simple; runs are short-lived. */
void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_block *b;

	if (size > SIZE_MAX - sizeof(*b))
		size = SIZE_MAX - sizeof(*b);
	b = calloc(1, sizeof(*b) + size);
	if (!b) {
		fprintf(stderr, "tscmon: out of memory\n");
		exit(70);
	}
	b->next = a->blocks;
	a->blocks = b;
	return b->data;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void strlist_add(struct arena *a, struct strlist *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **v = arena_alloc(a, cap * sizeof(*v));

		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = arena_strdup(a, s);
}

void strlist_addf(struct arena *a, struct strlist *l, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	strlist_add(a, l, p);
}

bool strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

char *strlist_join(struct arena *a, const struct strlist *l, const char *sep)
{
	size_t total = 1, seplen = strlen(sep);
	char *p, *out;

	for (size_t i = 0; i < l->n; i++)
		total += strlen(l->v[i]) + seplen;
	out = p = arena_alloc(a, total);
	for (size_t i = 0; i < l->n; i++) {
		size_t n = strlen(l->v[i]);

		if (i) {
			memcpy(p, sep, seplen);
			p += seplen;
		}
		memcpy(p, l->v[i], n);
		p += n;
	}
	*p = '\0';
	return out;
}

char *util_path(struct arena *a, const char *root, const char *rel)
{
	while (*rel == '/')
		rel++;
	if (!root || !*root || !strcmp(root, "/"))
		return arena_printf(a, "/%s", rel);
	return arena_printf(a, "%s%s%s", root,
			    root[strlen(root) - 1] == '/' ? "" : "/", rel);
}

bool util_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void why_set(char *why, const char *fmt, const char *arg)
{
	if (why)
		snprintf(why, UTIL_WHY_LEN, fmt, arg);
}

int util_read(struct arena *a, const char *root, const char *rel, size_t max,
	      char **data, size_t *len, bool *cut, char *why)
{
	char *path = util_path(a, root, rel);
	char *buf;
	size_t got = 0;
	int fd;

	if (cut)
		*cut = false;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		why_set(why, errno == ENOENT ? "missing" : "cannot open: %s",
			strerror(errno));
		return -1;
	}
	buf = arena_alloc(a, max + 1);
	for (;;) {
		ssize_t r;

		if (got == max) {
			char extra;

			r = read(fd, &extra, 1);
			if (r > 0) {
				if (!cut) {
					close(fd);
					if (why)
						snprintf(why, UTIL_WHY_LEN,
							 "larger than %zu bytes",
							 max);
					return -1;
				}
				*cut = true;
			}
			break;
		}
		r = read(fd, buf + got, max - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			why_set(why, "cannot read: %s", strerror(errno));
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	if (got == 0) {
		why_set(why, "%sempty", "");
		return -1;
	}
	if (memchr(buf, '\0', got)) {
		why_set(why, "%sbinary data (NUL bytes), not text", "");
		return -1;
	}
	*data = buf;
	if (len)
		*len = got;
	return 0;
}

char *util_read_value(struct arena *a, const char *root, const char *rel,
		      char *why)
{
	char *data;
	size_t len;

	if (util_read(a, root, rel, 4096, &data, &len, NULL, why))
		return NULL;
	while (len && (data[len - 1] == '\n' || data[len - 1] == ' '))
		data[--len] = '\0';
	if (!len) {
		why_set(why, "%sempty", "");
		return NULL;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];

		if (c == '\n') {
			why_set(why, "%smore than one line", "");
			return NULL;
		}
		if (c < 0x20 && c != '\t') {
			why_set(why, "%scontrol characters, not text", "");
			return NULL;
		}
	}
	return data;
}

bool util_parse_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s)
		return false;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (*end)
		return false;
	*out = v;
	return true;
}

bool util_parse_u64(const char *s, uint64_t *out)
{
	int64_t v;

	if (!util_parse_i64(s, &v) || v < 0)
		return false;
	*out = (uint64_t)v;
	return true;
}

bool util_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '-' || *s == '+' || !(*s >= '0' && *s <= '9'))
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s)
		return false;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (*end)
		return false;
	*out = v;
	return true;
}

bool util_next_line(const char **pos, const char **line, size_t *len)
{
	const char *p = *pos, *nl;

	if (!p || !*p)
		return false;
	nl = strchr(p, '\n');
	*line = p;
	if (nl) {
		*len = (size_t)(nl - p);
		*pos = nl + 1;
	} else {
		*len = strlen(p);
		*pos = p + *len;
	}
	return true;
}

void util_copy(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	if (!dstlen)
		return;
	if (srclen >= dstlen)
		srclen = dstlen - 1;
	memcpy(dst, src, srclen);
	dst[srclen] = '\0';
}

char *util_trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
		     s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

bool util_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *util_memstr(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return hay;
	for (size_t i = 0; i + n <= len; i++)
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, n))
			return hay + i;
	return NULL;
}
