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

/*
 * The arena hands out memory from chunks by bumping an offset; a request
 * larger than a quarter of a chunk gets a block of its own. Chunks come
 * from calloc and are never reused, so every allocation starts zeroed.
 */
#define ARENA_CHUNK (64u * 1024u)
#define ARENA_ALIGN (sizeof(max_align_t))

struct arena_block {
	struct arena_block *next;
	max_align_t data[];
};

struct arena {
	struct arena_block *blocks;
	char *next;  /* free space in the current chunk */
	size_t left; /* bytes at NEXT */
};

static void arena_oom(void)
{
	fprintf(stderr, "tscmon: out of memory\n");
	exit(70);
}

struct arena *arena_new(void)
{
	struct arena *a = calloc(1, sizeof(*a));

	if (!a)
		arena_oom();
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

/* A zeroed block of SIZE bytes, linked into A. */
static void *arena_block(struct arena *a, size_t size)
{
	struct arena_block *b;

	if (size > SIZE_MAX - sizeof(*b))
		arena_oom();
	b = calloc(1, sizeof(*b) + size);
	if (!b)
		arena_oom();
	b->next = a->blocks;
	a->blocks = b;
	return b->data;
}

void *arena_alloc(struct arena *a, size_t size)
{
	size_t need = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	char *p;

	if (size > ARENA_CHUNK / 4 || need < size)
		return arena_block(a, size);
	if (need == 0)
		need = ARENA_ALIGN;
	if (need > a->left) {
		a->next = arena_block(a, ARENA_CHUNK);
		a->left = ARENA_CHUNK;
	}
	p = a->next;
	a->next += need;
	a->left -= need;
	return p;
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

/* ROOT and REL joined into BUF by util_path()'s rules; false if too long. */
static bool util_join(char *buf, size_t size, const char *root,
		      const char *rel)
{
	size_t rlen, llen;
	bool slash;

	while (*rel == '/')
		rel++;
	if (!root || !*root || !strcmp(root, "/"))
		root = "";
	rlen = strlen(root);
	llen = strlen(rel);
	slash = !rlen || root[rlen - 1] != '/';
	if (rlen + slash + llen >= size)
		return false;
	memcpy(buf, root, rlen);
	if (slash)
		buf[rlen++] = '/';
	memcpy(buf + rlen, rel, llen + 1);
	return true;
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

int util_open_dir(const char *root, const char *rel)
{
	char path[PATH_MAX];

	if (!util_join(path, sizeof(path), root, rel))
		return -1;
	return open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static void why_set(char *why, const char *fmt, const char *arg)
{
	if (why)
		snprintf(why, UTIL_WHY_LEN, fmt, arg);
}

/* Open DIRFD/REL for reading; -1 with the reason in WHY. */
static int util_open(int dirfd, const char *rel, char *why)
{
	int fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0 && why) {
		if (errno == ENOENT)
			util_copy(why, UTIL_WHY_LEN, "missing", 7);
		else
			why_set(why, "cannot open: %s", strerror(errno));
	}
	return fd;
}

/* One read of up to CAP bytes, retried on EINTR; -1 with the reason in WHY. */
static ssize_t util_read_once(int fd, char *buf, size_t cap, char *why)
{
	ssize_t r;

	do
		r = read(fd, buf, cap);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		why_set(why, "cannot read: %s", strerror(errno));
	return r;
}

/*
 * Read FD into BUF (CAP bytes) from offset *GOT on, until the end of the
 * file or until BUF is full. Returns 1 at the end of the file, 0 when BUF
 * filled first, -1 on a read error (reason in WHY).
 */
static int util_fill(int fd, char *buf, size_t cap, size_t *got, char *why)
{
	while (*got < cap) {
		ssize_t r = util_read_once(fd, buf + *got, cap - *got, why);

		if (r < 0)
			return -1;
		if (r == 0)
			return 1;
		*got += (size_t)r;
	}
	return 0;
}

/* After the limit: does FD have more to give? */
static bool util_more(int fd)
{
	char extra;

	return read(fd, &extra, 1) > 0;
}

static void why_too_large(char *why, size_t max)
{
	if (why)
		snprintf(why, UTIL_WHY_LEN, "larger than %zu bytes", max);
}

/* The checks every input gets: not empty, no NUL bytes. */
static int util_check_text(const char *buf, size_t got, char *why)
{
	if (got == 0) {
		why_set(why, "%sempty", "");
		return -1;
	}
	if (memchr(buf, '\0', got)) {
		why_set(why, "%sbinary data (NUL bytes), not text", "");
		return -1;
	}
	return 0;
}

/*
 * Read FD, at most MAX bytes, into a NUL-terminated arena buffer of the
 * size of the data. Small files go through a buffer on the stack; larger
 * ones through a heap block that doubles as it fills and is then handed
 * to the arena, so a table costs what it holds, not MAX.
 */
static int util_read_fd(struct arena *a, int fd, size_t max, char **data,
			size_t *len, bool *cut, char *why)
{
	char small[4096];
	struct arena_block *b = NULL;
	char *buf = small;
	size_t got = 0, cap = max < sizeof(small) ? max : sizeof(small);
	int end;

	for (;;) {
		end = util_fill(fd, buf, cap, &got, why);
		if (end)
			break;
		if (cap == max) {
			if (util_more(fd)) {
				if (!cut) {
					why_too_large(why, max);
					end = -1;
				} else {
					*cut = true;
				}
			}
			break;
		}
		cap = cap > max / 2 ? max : cap * 2;
		{
			struct arena_block *nb = realloc(b, sizeof(*b) + cap + 1);

			if (!nb)
				arena_oom();
			if (!b)
				memcpy(nb->data, small, got);
			b = nb;
			buf = (char *)b->data;
		}
	}
	if (end >= 0 && util_check_text(buf, got, why))
		end = -1;
	if (end < 0) {
		free(b);
		return -1;
	}
	if (b) {
		struct arena_block *nb = realloc(b, sizeof(*b) + got + 1);

		b = nb ? nb : b;
		b->next = a->blocks;
		a->blocks = b;
		buf = (char *)b->data;
	} else {
		buf = arena_alloc(a, got + 1);
		memcpy(buf, small, got);
	}
	buf[got] = '\0';
	*data = buf;
	if (len)
		*len = got;
	return 0;
}

int util_read_at(struct arena *a, int dirfd, const char *rel, size_t max,
		 char **data, size_t *len, bool *cut, char *why)
{
	int fd, rc;

	if (cut)
		*cut = false;
	fd = util_open(dirfd, rel, why);
	if (fd < 0)
		return -1;
	rc = util_read_fd(a, fd, max, data, len, cut, why);
	close(fd);
	return rc;
}

int util_read(struct arena *a, const char *root, const char *rel, size_t max,
	      char **data, size_t *len, bool *cut, char *why)
{
	char path[PATH_MAX];

	if (!util_join(path, sizeof(path), root, rel)) {
		if (cut)
			*cut = false;
		why_set(why, "cannot open: %s", strerror(ENAMETOOLONG));
		return -1;
	}
	return util_read_at(a, AT_FDCWD, path, max, data, len, cut, why);
}

/*
 * A one-line value into BUF (UTIL_VALUE_MAX + 1 bytes): trailing newlines
 * and blanks stripped, printable text only. Returns its length, or -1.
 *
 * One read takes the whole value: a regular file, a sysfs attribute and a
 * seq_file each fill a read as far as their data goes, so a read that
 * returns less than it asked for has reached the end. Only a full buffer
 * costs the second read that tells whether more follows. On a machine with
 * hundreds of CPUs this halves the reads of the per-CPU sysfs files.
 */
static ssize_t util_value(int dirfd, const char *rel, char *buf, char *why)
{
	size_t len = 0;
	ssize_t r;
	int fd = util_open(dirfd, rel, why), bad;

	if (fd < 0)
		return -1;
	r = util_read_once(fd, buf, UTIL_VALUE_MAX, why);
	bad = r < 0;
	if (!bad) {
		len = (size_t)r;
		if (len == UTIL_VALUE_MAX && util_more(fd)) {
			why_too_large(why, UTIL_VALUE_MAX);
			bad = 1;
		}
	}
	close(fd);
	if (bad || util_check_text(buf, len, why))
		return -1;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	buf[len] = '\0';
	if (!len) {
		why_set(why, "%sempty", "");
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '\n') {
			why_set(why, "%smore than one line", "");
			return -1;
		}
		if (c < 0x20 && c != '\t') {
			why_set(why, "%scontrol characters, not text", "");
			return -1;
		}
	}
	return (ssize_t)len;
}

char *util_read_value_at(struct arena *a, int dirfd, const char *rel,
			 char *why)
{
	char buf[UTIL_VALUE_MAX + 1];
	ssize_t n = util_value(dirfd, rel, buf, why);

	return n < 0 ? NULL : arena_strndup(a, buf, (size_t)n);
}

bool util_read_i64_at(int dirfd, const char *rel, int64_t *out)
{
	char buf[UTIL_VALUE_MAX + 1];

	return util_value(dirfd, rel, buf, NULL) >= 0 &&
	       util_parse_i64(buf, out);
}

char *util_read_value(struct arena *a, const char *root, const char *rel,
		      char *why)
{
	char path[PATH_MAX];

	if (!util_join(path, sizeof(path), root, rel)) {
		why_set(why, "cannot open: %s", strerror(ENAMETOOLONG));
		return NULL;
	}
	return util_read_value_at(a, AT_FDCWD, path, why);
}

/*
 * By strtoll()'s rules in the C locale (white space, a sign, decimal
 * digits, no overflow), written out because it runs for every number of
 * every table; blanks and newlines may follow.
 */
bool util_parse_i64(const char *s, int64_t *out)
{
	uint64_t v = 0, lim = INT64_MAX;
	bool neg = false;
	const char *digits;

	while (*s == ' ' || *s == '\t')
		s++;
	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	if (*s == '+' || *s == '-') {
		neg = *s == '-';
		lim += neg;
		s++;
	}
	for (digits = s; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (lim - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (s == digits)
		return false;
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (*s)
		return false;
	if (!neg)
		*out = (int64_t)v;
	else
		*out = v > INT64_MAX ? INT64_MIN : -(int64_t)v;
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

char *util_fmt_i64(char buf[UTIL_I64_LEN], int64_t v)
{
	char *p = buf + UTIL_I64_LEN;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return p;
}

size_t util_utf8_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;
	uint32_t cp, min;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
		min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0f;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
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
