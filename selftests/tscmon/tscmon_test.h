/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the in-guest selftests: loading and unloading tscmon,
 * and reading its debugfs files. Everything here reports through kselftest.
 */
#ifndef TSCMON_TEST_H
#define TSCMON_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
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

/*
 * The test-only drivers of selftests/drivers/. Both register under the name
 * TEST_DRV_NAME (cpuidle's current_driver, cpufreq's scaling_driver). The
 * cpuidle driver has the states TEST_IDLE_STATES (0 is the kernel's POLL);
 * the cpufreq driver gives each CPU its own policy over TEST_FREQ_KHZ.
 */
#define TEST_DRV_NAME		"tscmon_test"
#define TEST_CPUIDLE_MOD	"tscmon_test_cpuidle"
#define TEST_CPUIDLE_KO		"/opt/tscmon/tscmon_test_cpuidle.ko"
#define TEST_CPUFREQ_MOD	"tscmon_test_cpufreq"
#define TEST_CPUFREQ_KO		"/opt/tscmon/tscmon_test_cpufreq.ko"
#define TEST_GOV_MOD		"cpufreq_userspace"
#define TEST_GOV_KO		"/opt/tscmon/cpufreq_userspace.ko"
#define TEST_IDLE_STATES	{ "POLL", "TSCMON_C1", "TSCMON_C2" }
#define TEST_FREQ_KHZ		{ 1000000, 2000000, 3000000 }
#define TEST_CPU_SYSFS		"/sys/devices/system/cpu"

/* First line of a (sysfs) file without its newline; 0 or -errno. */
static inline int test_sysfs_line(const char *path, char *out, size_t len)
{
	char *s = test_read_file(path);

	if (!s)
		return -errno;
	s[strcspn(s, "\n")] = '\0';
	snprintf(out, len, "%s", s);
	free(s);
	return 0;
}

/* One unsigned decimal from a (sysfs) file; 0 or -errno. */
static inline int test_sysfs_ull(const char *path, unsigned long long *val)
{
	char *s = test_read_file(path), *end;
	int ret = 0;

	if (!s)
		return -errno;
	errno = 0;
	*val = strtoull(s, &end, 10);
	if (errno || end == s)
		ret = -EINVAL;
	free(s);
	return ret;
}

/*
 * Whether a CPU is online. A CPU that cannot be unplugged (often the boot
 * CPU) has no online file: it is online when its directory exists.
 */
static inline int test_cpu_is_online(int cpu)
{
	char path[96];
	unsigned long long on = 0;

	snprintf(path, sizeof(path), TEST_CPU_SYSFS "/cpu%d/online", cpu);
	if (!test_sysfs_ull(path, &on))
		return on == 1;
	snprintf(path, sizeof(path), TEST_CPU_SYSFS "/cpu%d", cpu);
	return access(path, F_OK) == 0;
}

/* cpuN/cpuidle/stateK/FILE (usage, time, disable, name ...). */
static inline void test_idle_path(char *out, size_t len, int cpu, int state,
				  const char *file)
{
	snprintf(out, len, TEST_CPU_SYSFS "/cpu%d/cpuidle/state%d/%s",
		 cpu, state, file);
}

/* cpuN/cpufreq/FILE (scaling_setspeed, stats/total_trans ...). */
static inline void test_freq_path(char *out, size_t len, int cpu,
				  const char *file)
{
	snprintf(out, len, TEST_CPU_SYSFS "/cpu%d/cpufreq/%s", cpu, file);
}

/*
 * A table file (cpus, histogram, warps): a header line of column names,
 * then rows of space-separated fields. Columns are found by name.
 */
#define TEST_TABLE_COLS	64
#define TEST_TABLE_ROWS	256

struct test_table {
	char *buf;
	int ncols, nrows;
	char *col[TEST_TABLE_COLS];
	char *cell[TEST_TABLE_ROWS][TEST_TABLE_COLS];
};

static inline void test_table_free(struct test_table *t)
{
	free(t->buf);
	free(t);
}

/* Reads and splits a table; NULL if it cannot be read or is ragged. */
static inline struct test_table *test_table_read(const char *path)
{
	struct test_table *t = calloc(1, sizeof(*t));
	char *line, *save = NULL, *tok, *s2;
	int i;

	if (!t)
		return NULL;
	t->buf = test_read_file(path);
	if (!t->buf) {
		free(t);
		return NULL;
	}
	line = strtok_r(t->buf, "\n", &save);
	for (s2 = NULL, tok = line ? strtok_r(line, " ", &s2) : NULL;
	     tok && t->ncols < TEST_TABLE_COLS; tok = strtok_r(NULL, " ", &s2))
		t->col[t->ncols++] = tok;
	while ((line = strtok_r(NULL, "\n", &save)) && t->nrows < TEST_TABLE_ROWS) {
		i = 0;
		for (s2 = NULL, tok = strtok_r(line, " ", &s2);
		     tok && i < TEST_TABLE_COLS; tok = strtok_r(NULL, " ", &s2))
			t->cell[t->nrows][i++] = tok;
		if (i != t->ncols) {
			ksft_print_msg("%s: row %d has %d fields, header %d\n",
				       path, t->nrows, i, t->ncols);
			test_table_free(t);
			return NULL;
		}
		t->nrows++;
	}
	return t;
}

/* The field of row in the named column, or NULL. */
static inline const char *test_table_get(const struct test_table *t, int row,
					 const char *name)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->col[i], name))
			return row < t->nrows ? t->cell[row][i] : NULL;
	return NULL;
}

/* A numeric field; 0 and *ok = 0 when missing or "-". */
static inline long long test_table_num(const struct test_table *t, int row,
				       const char *name, int *ok)
{
	const char *s = test_table_get(t, row, name);

	if (!s || !strcmp(s, "-")) {
		if (ok)
			*ok = 0;
		return 0;
	}
	return strtoll(s, NULL, 10);
}

/* A summary key's value as a number; def when the key is absent. */
static inline long long test_summary(const char *key, long long def)
{
	char *buf = test_read_file(TSCMON_DIR "/summary"), *line, *save = NULL;
	size_t len = strlen(key);
	long long v = def;

	if (!buf)
		return def;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, key, len) && line[len] == ' ')
			v = strtoll(line + len + 1, NULL, 10);
	free(buf);
	return v;
}

/* Writes to a tscmon file; 0 or -errno. */
static inline int test_ctl(const char *file, const char *s)
{
	char path[128];

	snprintf(path, sizeof(path), TSCMON_DIR "/%s", file);
	return test_write_file(path, s);
}

/* Runs one sweep; 0 or -errno. */
static inline int test_sweep(void)
{
	return test_ctl("sweep", "1");
}

static inline int test_cpu_set_online(int cpu, int on)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	return test_write_file(path, on ? "1" : "0");
}

/* Loads the module with periodic sweeps off; exits the test on failure. */
static inline void test_load_quiet(void)
{
	int ret;

	if (test_module_loaded("tscmon"))
		test_module_unload("tscmon");
	ret = test_module_load(TSCMON_KO, NULL);
	if (ret)
		ksft_exit_fail_msg("insmod %s: %s\n", TSCMON_KO, strerror(-ret));
	if (test_ctl("interval_ms", "0"))
		ksft_exit_fail_msg("cannot stop periodic sweeps\n");
}

/*
 * Sweeps until every online CPU has an estimate (skew_cycles not "-"), at
 * least min and at most max times. The host may time-slice the vCPUs so
 * that a sweep finds a partner never running at the same time as the
 * reference; the module then keeps the old values, and another sweep
 * helps. Returns the sweeps run, or -1 if some CPU never got an estimate.
 */
static inline int test_sweep_until_measured(int min, int max)
{
	int n, row, missing = 1;

	for (n = 1; n <= max; n++) {
		struct test_table *t;

		if (test_sweep())
			continue;
		t = test_table_read(TSCMON_DIR "/cpus");
		missing = !t;
		for (row = 0; t && row < t->nrows; row++) {
			int have = 1;

			test_table_num(t, row, "skew_cycles", &have);
			if (test_table_num(t, row, "online", NULL) && !have)
				missing = 1;
		}
		if (t)
			test_table_free(t);
		if (n >= min && !missing)
			return n;
	}
	return -1;
}

/*
 * Sweeps until one reaches cpu (its samples column grows), at most tries
 * times: on a loaded host a sweep may find the partner vCPU never running
 * at the same time as the reference. 0, or -1 if none reached it.
 */
static inline int test_sweep_reaching(int cpu, int tries)
{
	long long before = -1, after = -1;
	struct test_table *t;
	int i;

	for (i = 0; i < tries; i++) {
		t = test_table_read(TSCMON_DIR "/cpus");
		if (t) {
			before = test_table_num(t, cpu, "samples", NULL);
			test_table_free(t);
		}
		if (test_sweep())
			continue;
		t = test_table_read(TSCMON_DIR "/cpus");
		if (t) {
			after = test_table_num(t, cpu, "samples", NULL);
			test_table_free(t);
		}
		if (after > before)
			return 0;
	}
	return -1;
}

/* A summary key's value as text ("-" included); 0 or -1 if absent. */
static inline int test_summary_str(const char *key, char *out, size_t len)
{
	char *buf = test_read_file(TSCMON_DIR "/summary"), *line, *save = NULL;
	size_t klen = strlen(key);
	int ret = -1;

	if (!buf)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, key, klen) && line[klen] == ' ') {
			snprintf(out, len, "%s", line + klen + 1);
			ret = 0;
		}
	free(buf);
	return ret;
}

static inline void test_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static inline double test_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Pins the calling process to one CPU; 0 or -1. */
static inline int test_pin(int cpu)
{
	unsigned long mask[16] = { 0 };
	const int bits = 8 * sizeof(mask[0]);

	if (cpu < 0 || cpu >= 16 * bits)
		return -1;
	mask[cpu / bits] = 1UL << (cpu % bits);
	return syscall(SYS_sched_setaffinity, 0, sizeof(mask), mask) ? -1 : 0;
}

/*
 * For ms milliseconds a child pinned to cpu sleeps 1 ms at a time, so that
 * the CPU goes idle and wakes at a steady rate. Waits for the child.
 */
static inline void test_wake_cpu(int cpu, long ms)
{
	pid_t pid = fork();

	if (pid == 0) {
		double end = test_now_ms() + ms;

		if (test_pin(cpu))
			_exit(1);
		while (test_now_ms() < end)
			test_sleep_ms(1);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* Enables exactly the idle states in mask (of n) on cpu; 0 or -1. */
static inline int test_idle_enable(int cpu, unsigned int mask, int n)
{
	char path[128];
	int s, ret = 0;

	for (s = 0; s < n; s++) {
		test_idle_path(path, sizeof(path), cpu, s, "disable");
		if (test_write_file(path, mask & (1u << s) ? "0" : "1"))
			ret = -1;
	}
	return ret;
}

/*
 * The kernel log since a mark: test_klog_mark() opens /dev/kmsg at its
 * end, test_klog_bad() reads what came since and returns the number of
 * records that a test run must never produce (printing them).
 */
static inline int test_klog_mark(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

static inline int test_klog_bad(int fd)
{
	static const char *const bad[] = {
		"WARNING:", "BUG:", "Oops", "Call Trace", "KASAN", "UBSAN",
		"lockdep", "circular locking", "inconsistent lock state",
		"suspected memory leak", "sleeping function called",
	};
	char rec[8192];
	ssize_t n;
	size_t i;
	int found = 0;

	if (fd < 0)
		return -1;
	while ((n = read(fd, rec, sizeof(rec) - 1)) != 0) {
		if (n < 0) {
			if (errno == EPIPE)	/* overwritten records: go on */
				continue;
			break;			/* EAGAIN: the end */
		}
		rec[n] = '\0';
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (strstr(rec, bad[i])) {
				ksft_print_msg("kernel log: %s", rec);
				found++;
				break;
			}
	}
	close(fd);
	return found;
}

/* The idle table row values of cpu: entries[state]; returns states or -1. */
static inline int test_idle_entries(int cpu, unsigned long long *entries,
				    int max)
{
	struct test_table *t = test_table_read(TSCMON_DIR "/idle");
	int row, n = 0;

	if (!t)
		return -1;
	for (row = 0; row < t->nrows; row++) {
		int st;

		if (test_table_num(t, row, "cpu", NULL) != cpu)
			continue;
		st = test_table_num(t, row, "state", NULL);
		if (st >= 0 && st < max) {
			entries[st] = test_table_num(t, row, "entries", NULL);
			if (st + 1 > n)
				n = st + 1;
		}
	}
	test_table_free(t);
	return n;
}

#endif /* TSCMON_TEST_H */
