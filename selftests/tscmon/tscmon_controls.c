// SPDX-License-Identifier: GPL-2.0
/*
 * Every control file takes one decimal number (fault files: "CPU VALUE")
 * and rejects everything else with EINVAL, changing nothing. Every file is
 * root-only.
 */
#include <sys/stat.h>

#include "tscmon_test.h"

static const char *const bad_uint[] = {
	"", "\n", " ", " 5", "5 ", "5 5", "+5", "-5", "0x10", "10h", "abc",
	"5abc", "5\n\n", "1.5", "99999999999999999999", "4294967296",
	"000000000000000000000000000000000005",
};

static const char *const bad_fault[] = {
	"", "\n", "1", "1 ", " 1 5", "1  5", "1 5 ", "+1 5", "-1 5", "1 0x10",
	"1 5x", "x 5", "1 --5", "1 +-5", "1 99999999999999999999",
	"99999 5", "1 1000000000001",
};

static char *read_value(const char *file)
{
	char path[128];

	snprintf(path, sizeof(path), TSCMON_DIR "/%s", file);
	return test_read_file(path);
}

/* Each bad input must fail with EINVAL and leave the file's value alone. */
static void check_rejects(const char *file, const char *const *bad, int n,
			  const char *const *extra)
{
	char *before = read_value(file), *after;
	long long sweeps = test_summary("sweeps", -1);
	int i, ok = 1, ret;

	for (i = 0; i < n || extra[i - n]; i++) {
		const char *in = i < n ? bad[i] : extra[i - n];

		ret = test_ctl(file, in);
		if (ret != -EINVAL) {
			ksft_print_msg("%s: '%s' gave %s, not EINVAL\n", file, in,
				       ret ? strerror(-ret) : "success");
			ok = 0;
		}
	}
	after = read_value(file);
	if (!before != !after || (before && strcmp(before, after))) {
		ksft_print_msg("%s changed: '%s' -> '%s'\n", file,
			       before ? before : "?", after ? after : "?");
		ok = 0;
	}
	if (test_summary("sweeps", -1) != sweeps) {
		ksft_print_msg("%s: a rejected write ran a sweep or a reset\n", file);
		ok = 0;
	}
	free(before);
	free(after);
	ksft_test_result(ok, "%s rejects %d bad inputs with EINVAL and keeps its value\n",
			 file, i);
}

/* A write at a non-zero file position fails too. */
static void check_offset_write(const char *file, const char *good)
{
	char path[128];
	int fd, ok;

	snprintf(path, sizeof(path), TSCMON_DIR "/%s", file);
	fd = open(path, O_WRONLY);
	ok = fd >= 0 && lseek(fd, 1, SEEK_SET) == 1 &&
	     write(fd, good, strlen(good)) < 0 && errno == EINVAL;
	if (fd >= 0)
		close(fd);
	ksft_test_result(ok, "%s rejects a write at position 1\n", file);
}

static void check_modes(void)
{
	static const char *const ro[] = { "version", "summary", "cpus", "histogram", "warps" };
	static const char *const rw[] = { "interval_ms", "rounds", "fault_offset", "fault_drift_ppb" };
	static const char *const wo[] = { "sweep", "reset" };
	unsigned int i;
	int ok = 1;

#define MODE_CHECK(list, mode)							\
	for (i = 0; i < sizeof(list) / sizeof(list[0]); i++) {			\
		char path[128];							\
		struct stat st;							\
		snprintf(path, sizeof(path), TSCMON_DIR "/%s", list[i]);	\
		if (stat(path, &st) || st.st_uid || (st.st_mode & 0777) != (mode)) { \
			ksft_print_msg("%s: missing or mode %o\n", list[i],	\
				       st.st_mode & 0777);			\
			ok = 0;							\
		}								\
	}
	MODE_CHECK(ro, 0400);
	MODE_CHECK(rw, 0600);
	MODE_CHECK(wo, 0200);
	ksft_test_result(ok, "files are root-only: 0400 tables, 0600 settings, 0200 actions\n");
}

int main(void)
{
	int n_uint = sizeof(bad_uint) / sizeof(bad_uint[0]);
	int n_fault = sizeof(bad_fault) / sizeof(bad_fault[0]);
	char *v;

	ksft_print_header();
	ksft_set_plan(14);
	test_load_quiet();
	if (test_summary("fault_inject", 0) != 1)
		ksft_exit_skip("not a fault-injection build\n");
	check_modes();

	ksft_test_result(!test_ctl("interval_ms", "250\n") &&
			 test_summary("interval_ms", -1) == 250,
			 "interval_ms takes 250 with a newline\n");
	test_ctl("interval_ms", "0");
	ksft_test_result(!test_ctl("rounds", "32") && test_summary("rounds", -1) == 32,
			 "rounds takes 32\n");
	test_sweep();
	check_rejects("interval_ms", bad_uint, n_uint,
		      (const char *const[]){ "3600001", NULL });
	check_rejects("rounds", bad_uint, n_uint,
		      (const char *const[]){ "0", "10001", NULL });
	check_rejects("sweep", bad_uint, n_uint,
		      (const char *const[]){ "0", "2", NULL });
	check_rejects("reset", bad_uint, n_uint,
		      (const char *const[]){ "0", "2", NULL });
	check_rejects("fault_offset", bad_fault, n_fault,
		      (const char *const[]){ "1 -1000000000001", NULL });
	check_rejects("fault_drift_ppb", bad_fault, n_fault,
		      (const char *const[]){ "1 100000001", "1 -100000001", NULL });
	check_offset_write("interval_ms", "5");
	check_offset_write("rounds", "5");
	check_offset_write("sweep", "1");
	check_offset_write("fault_offset", "1 5");

	v = read_value("fault_offset");
	ksft_test_result(v && !test_ctl("fault_offset", "1 -42") &&
			 !test_ctl("fault_offset", "1 0"),
			 "fault_offset takes '1 -42' and '1 0'\n");
	free(v);

	test_module_unload("tscmon");
	ksft_finished();
}
