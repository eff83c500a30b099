// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the running kernel's log: /dev/kmsg without blocking (records
 * "PRI,SEQ,USEC,FLAGS;text"), or syslog(2) READ_ALL where kmsg is absent.
 * Both become "[   seconds] text" lines, the layout of DIR/dmesg.txt.
 */
#include "klog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#define KLOG_SYSLOG_READ_ALL 3
#define KLOG_SYSLOG_SIZE_BUFFER 10

struct klog_buf {
	char *p;
	size_t len, cap;
};

static bool klog_buf_put(struct klog_buf *b, const char *s, size_t n)
{
	if (!n)
		return true;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		char *np;

		while (cap < b->len + n + 1)
			cap *= 2;
		if (cap > UTIL_MAX_LOG + 65536)
			return false;
		np = realloc(b->p, cap);
		if (!np)
			return false;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return true;
}

/* One kmsg record to one log line; continuation " KEY=val" lines dropped. */
static bool klog_kmsg_record(struct klog_buf *b, const char *rec, size_t n)
{
	const char *semi = memchr(rec, ';', n), *text, *nl;
	char stamp[40];
	unsigned long long usec = 0;
	int fields;

	if (!semi)
		return true;
	fields = sscanf(rec, "%*u,%*u,%llu", &usec);
	text = semi + 1;
	nl = memchr(text, '\n', n - (size_t)(text - rec));
	if (!nl)
		nl = rec + n;
	if (fields == 1)
		snprintf(stamp, sizeof(stamp), "[%5llu.%06llu] ",
			 usec / 1000000ULL, usec % 1000000ULL);
	else
		stamp[0] = '\0';
	return klog_buf_put(b, stamp, strlen(stamp)) &&
	       klog_buf_put(b, text, (size_t)(nl - text)) &&
	       klog_buf_put(b, "\n", 1);
}

static int klog_from_kmsg(struct klog_buf *b, char *why)
{
	char rec[8192];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, UTIL_WHY_LEN, "/dev/kmsg: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		ssize_t r = read(fd, rec, sizeof(rec) - 1);

		if (r < 0 && errno == EPIPE)
			continue; /* a record was overwritten; go on */
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			break;
		if (r < 0) {
			snprintf(why, UTIL_WHY_LEN, "/dev/kmsg: %s",
				 strerror(errno));
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		rec[r] = '\0';
		if (!klog_kmsg_record(b, rec, (size_t)r))
			break; /* log too large: keep what fits */
	}
	close(fd);
	return 0;
}

static int klog_from_syslog(struct klog_buf *b, char *why)
{
	int size = klogctl(KLOG_SYSLOG_SIZE_BUFFER, NULL, 0);
	char *buf;
	int n;

	if (size <= 0)
		size = 1 << 20;
	if ((size_t)size > UTIL_MAX_LOG)
		size = (int)UTIL_MAX_LOG;
	buf = malloc((size_t)size);
	if (!buf) {
		snprintf(why, UTIL_WHY_LEN, "out of memory");
		return -1;
	}
	n = klogctl(KLOG_SYSLOG_READ_ALL, buf, size);
	if (n < 0) {
		snprintf(why, UTIL_WHY_LEN, "syslog(2): %s", strerror(errno));
		free(buf);
		return -1;
	}
	/* syslog(2) lines carry a "<N>" priority that the parser strips. */
	klog_buf_put(b, buf, (size_t)n);
	free(buf);
	return 0;
}

char *klog_read_live(struct arena *a, char *why)
{
	struct klog_buf b = { 0 };
	char why2[UTIL_WHY_LEN];
	char *out;

	why[0] = '\0';
	if (klog_from_kmsg(&b, why) != 0 || b.len == 0) {
		free(b.p);
		b = (struct klog_buf){ 0 };
		if (klog_from_syslog(&b, why2) != 0) {
			size_t l = strlen(why);

			snprintf(why + l, UTIL_WHY_LEN - l, "; %s", why2);
			free(b.p);
			return NULL;
		}
	}
	if (!b.len) {
		free(b.p);
		snprintf(why, UTIL_WHY_LEN, "the kernel log is empty");
		return NULL;
	}
	out = arena_strndup(a, b.p, b.len);
	free(b.p);
	return out;
}
