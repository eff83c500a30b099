/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the in-guest selftests: loading and unloading tscmon,
 * and reading its debugfs files. Everything here reports through kselftest.
 */
#ifndef TSCMON_TEST_H
#define TSCMON_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest.h"

#define TSCMON_DIR	"/sys/kernel/debug/tscmon"
#define TSCMON_KO	"/opt/tscmon/tscmon.ko"

/* Loads a module file with finit_module(2); returns 0 or -errno. */
static inline int test_module_load(const char *path, const char *params)
{
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params ? params : "", 0))
		ret = -errno;
	close(fd);
	return ret;
}

/* Unloads a module by name; returns 0 or -errno. */
static inline int test_module_unload(const char *name)
{
	if (syscall(SYS_delete_module, name, O_NONBLOCK))
		return -errno;
	return 0;
}

static inline int test_module_loaded(const char *name)
{
	char line[256];
	size_t len = strlen(name);
	FILE *f = fopen("/proc/modules", "r");
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, len) && line[len] == ' ')
			found = 1;
	fclose(f);
	return found;
}

/*
 * Reads a whole file into a NUL-terminated heap buffer; returns NULL (errno
 * set) on failure. The caller frees it.
 */
static inline char *test_read_file(const char *path)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger) {
				n = -1;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
	}
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* Writes a string to a file; returns 0 or -errno of the write. */
static inline int test_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int ret = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != strlen(s))
		ret = -EIO;
	close(fd);
	return ret;
}

/* Number of CPUs the kernel may ever bring up ("0-3" in possible). */
static inline int test_possible_cpus(void)
{
	char *s = test_read_file("/sys/devices/system/cpu/possible");
	int lo = 0, hi = -1;

	if (!s)
		return -1;
	if (sscanf(s, "%d-%d", &lo, &hi) < 2)
		hi = lo;
	free(s);
	return hi + 1;
}

#endif /* TSCMON_TEST_H */
