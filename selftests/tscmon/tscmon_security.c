// SPDX-License-Identifier: GPL-2.0
/*
 * What an unprivileged user can get from tscmon: nothing. Every file under
 * /sys/kernel/debug/tscmon/ is owned by root with no group or other bits
 * (cross-CPU TSC offsets are a timing side channel); a process that has
 * dropped to uid/gid 65534 cannot open any of them, for reading or
 * writing, neither behind debugfs's own 0700 mount point nor with that
 * mount point opened up; and no file, nor anything tscmon logs, shows a
 * kernel address. Files are found by listing the directory, so files
 * added later are covered.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <grp.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "tscmon_test.h"

#define NOBODY		65534
#define DEBUGFS		"/sys/kernel/debug"
#define MAX_FILES	64
/* World-readable: what an unprivileged user can open. */
#define CONTROL_FILE	"/sys/devices/system/cpu/online"

static char names[MAX_FILES][64];
static mode_t modes[MAX_FILES];
static int nfiles;

static void discover(void)
{
	DIR *d = opendir(TSCMON_DIR);
	struct dirent *e;
	struct stat st;
	char path[160];

	if (!d)
		ksft_exit_fail_msg("%s: %s\n", TSCMON_DIR, strerror(errno));
	while ((e = readdir(d)) && nfiles < MAX_FILES) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), TSCMON_DIR "/%.100s", e->d_name);
		if (lstat(path, &st))
			continue;
		snprintf(names[nfiles], sizeof(names[0]), "%.60s", e->d_name);
		modes[nfiles] = st.st_mode;
		nfiles++;
	}
	closedir(d);
}

/* Every file: a regular file of root:root with no group or other bits. */
static void check_modes(void)
{
	char path[160];
	struct stat st;
	int k;

	for (k = 0; k < nfiles; k++) {
		snprintf(path, sizeof(path), TSCMON_DIR "/%.100s", names[k]);
		if (stat(path, &st)) {
			ksft_test_result_fail("%s: stat: %s\n", names[k], strerror(errno));
			continue;
		}
		ksft_test_result(S_ISREG(st.st_mode) && st.st_uid == 0 &&
				 st.st_gid == 0 && !(st.st_mode & 077),
				 "%s: mode %04o, owner %u:%u: root only\n", names[k],
				 st.st_mode & 07777, st.st_uid, st.st_gid);
	}
}

/*
 * In a child that has dropped every privilege to uid and gid 65534: tries
 * to open each file for reading, and each file its owner may write for
 * writing. Returns the number of opens that did not fail with EACCES or
 * EPERM (-1 if the child could not be run).
 */
static int try_as_nobody(const char *label)
{
	int pipefd[2], status, k, leaks = 0;
	char line[256];
	FILE *in;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		FILE *out = fdopen(pipefd[1], "w");

		close(pipefd[0]);
		if (!out || setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY) || geteuid() != NOBODY) {
			_exit(2);
		}
		/*
		 * The control: a world-readable file must open, or every
		 * refusal below proves nothing.
		 */
		k = open(CONTROL_FILE, O_RDONLY | O_CLOEXEC);
		if (k < 0)
			_exit(3);
		close(k);
		/* For the record: can it see the directory at all? */
		{
			struct stat st;

			fprintf(out, "(directory) stat %d\n",
				stat(TSCMON_DIR, &st) ? errno : 0);
		}
		for (k = 0; k < nfiles; k++) {
			char path[160];
			int flags[2] = { O_RDONLY, O_WRONLY }, f, fd;

			snprintf(path, sizeof(path), TSCMON_DIR "/%.100s", names[k]);
			for (f = 0; f < 2; f++) {
				if (f == 1 && !(modes[k] & S_IWUSR))
					continue;
				fd = open(path, flags[f] | O_CLOEXEC);
				fprintf(out, "%s %s %d\n", names[k], f ? "write" : "read",
					fd >= 0 ? 0 : errno);
				if (fd >= 0)
					close(fd);
			}
		}
		fclose(out);
		_exit(0);
	}
	close(pipefd[1]);
	in = fdopen(pipefd[0], "r");
	while (in && fgets(line, sizeof(line), in)) {
		char name[64], op[8];
		int err;

		if (sscanf(line, "%63s %7s %d", name, op, &err) != 3)
			continue;
		if (!strcmp(name, "(directory)")) {
			ksft_print_msg("%s: uid %d %s stat %s: %s\n", label, NOBODY,
				       err ? "cannot" : "can", TSCMON_DIR,
				       err ? strerror(err) : "ok");
			continue;
		}
		if (err != EACCES && err != EPERM) {
			ksft_print_msg("%s: uid %d could open %s for %s (%s)\n", label,
				       NOBODY, name, op, err ? strerror(err) : "it worked");
			leaks++;
		}
	}
	if (in)
		fclose(in);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		ksft_print_msg("%s: the unprivileged child failed (status %#x%s)\n",
			       label, status,
			       WIFEXITED(status) && WEXITSTATUS(status) == 3 ?
			       ": it cannot open " CONTROL_FILE " either" : "");
		return -1;
	}
	return leaks;
}

/*
 * What the unprivileged client says: tscmon status as uid 65534, with the
 * module loaded and debugfs as it is. It cannot read anything; it should
 * say why rather than claim the module is missing. Informational: the
 * output is printed for the report, the test fails only if the client
 * crashed.
 */
static int client_as_nobody(void)
{
	int pipefd[2], status;
	char buf[4096];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (access("/opt/tscmon/bin/tscmon", X_OK) || pipe(pipefd))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		execl("/opt/tscmon/bin/tscmon", "tscmon", "status", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	while (len < sizeof(buf) - 1 &&
	       (n = read(pipefd[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	ksft_print_msg("tscmon status as uid %d (exit %d%s):\n", NOBODY,
		       WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		       WIFSIGNALED(status) ? ", killed by a signal" : "");
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
		if (strstr(l, "module") || strstr(l, "debugfs") ||
		    strstr(l, "ermission") || strstr(l, "root"))
			ksft_print_msg("  | %s\n", l);
	return WIFSIGNALED(status) ? 1 : 0;
}

/*
 * A token that looks like a kernel address: 0x-prefixed hex, a bare hex
 * number of 8 or more digits with a letter in it (all tscmon numbers are
 * decimal), or a decimal at or above the x86-64 kernel half
 * (0xffff800000000000).
 */
static int looks_like_address(const char *t)
{
	size_t n = strlen(t), i, hex = 0, letters = 0, digits = 0;

	if (n > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
		return 1;
	for (i = 0; i < n; i++) {
		if (t[i] >= '0' && t[i] <= '9')
			digits++, hex++;
		else if ((t[i] >= 'a' && t[i] <= 'f') || (t[i] >= 'A' && t[i] <= 'F'))
			letters++, hex++;
	}
	if (hex == n && n >= 8 && letters)
		return 1;
	if (digits == n && n == 20 && strcmp(t, "18446603336221196288") >= 0)
		return 1;
	return digits == n && n > 20;
}

static int scan_text(const char *what, char *text)
{
	char *save = NULL, *t;
	int hits = 0;

	for (t = strtok_r(text, " \t\n:=,[]()", &save); t;
	     t = strtok_r(NULL, " \t\n:=,[]()", &save)) {
		if (looks_like_address(t)) {
			ksft_print_msg("%s: '%s' looks like a kernel address\n", what, t);
			hits++;
		}
	}
	return hits;
}

static void check_no_addresses(void)
{
	char path[160], *buf, *log, *line, *save = NULL;
	int k, hits = 0, files = 0, len;

	for (k = 0; k < nfiles; k++) {
		if (!(modes[k] & S_IRUSR))
			continue;
		snprintf(path, sizeof(path), TSCMON_DIR "/%.100s", names[k]);
		buf = test_read_file(path);
		if (!buf)
			continue;
		files++;
		hits += scan_text(names[k], buf);
		free(buf);
	}
	ksft_test_result(!hits && files, "no kernel address in any of %d readable files\n",
			 files);

	/* tscmon's own kernel messages. */
	hits = 0;
	len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	log = len > 0 ? calloc(1, len + 1) : NULL;
	if (log)
		len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, len);
	if (log && len >= 0) {
		log[len] = '\0';
		k = 0;
		for (line = strtok_r(log, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *m = strstr(line, "tscmon");

			if (!m)
				continue;
			k++;
			hits += scan_text("kernel log", m);
		}
		ksft_test_result(!hits, "no kernel address in tscmon's %d kernel log lines\n", k);
	} else {
		ksft_test_result_fail("cannot read the kernel log: %s\n", strerror(errno));
	}
	free(log);
}

int main(void)
{
	struct stat st, root_st;
	mode_t dbg_mode;
	int ret, root_opened = 0;
	char v[32];

	ksft_print_header();
	/*
	 * An initramfs root made by mktemp -d is 0700: nobody could reach
	 * anything. Open it (and put it back at the end) so that the refusals
	 * below come from tscmon's files.
	 */
	if (!stat("/", &root_st) && (root_st.st_mode & 0005) != 0005 &&
	    !chmod("/", (root_st.st_mode & 07777) | 0055))
		root_opened = 1;
	test_load_quiet();
	discover();
	if (!nfiles)
		ksft_exit_fail_msg("%s is empty\n", TSCMON_DIR);
	ksft_set_plan(nfiles + 5);

	/* Something to show: sweeps, and an injected offset if possible. */
	snprintf(v, sizeof(v), "%d 250000", test_possible_cpus() > 1 ? 1 : 0);
	test_ctl("fault_offset", v);
	test_sweep();
	test_sweep();

	check_modes();
	if (!stat(DEBUGFS, &st))
		ksft_print_msg("%s is %04o, %s is %04o\n", DEBUGFS, st.st_mode & 07777,
			       TSCMON_DIR, stat(TSCMON_DIR, &st) ? 0 : st.st_mode & 07777);

	ret = try_as_nobody("debugfs as mounted");
	ksft_test_result(ret == 0, "uid %d cannot open any file (debugfs as mounted)\n",
			 NOBODY);

	/*
	 * Open debugfs's mount point to everyone for a moment, so that only
	 * the files' own modes stand in the way.
	 */
	if (stat(DEBUGFS, &st) || chmod(DEBUGFS, 0755)) {
		ksft_test_result_fail("cannot open up %s: %s\n", DEBUGFS, strerror(errno));
	} else {
		dbg_mode = st.st_mode & 07777;
		ret = try_as_nobody("debugfs opened to 0755");
		if (chmod(DEBUGFS, dbg_mode))
			ksft_print_msg("could not put %s back to %04o\n", DEBUGFS, dbg_mode);
		ksft_test_result(ret == 0, "uid %d cannot open any file with %s at 0755: the files' modes refuse\n",
				 NOBODY, DEBUGFS);
	}

	ksft_test_result(client_as_nobody() == 0,
			 "tscmon status as uid %d ends without a crash\n", NOBODY);
	check_no_addresses();

	test_ctl("fault_offset", "1 0");
	test_module_unload("tscmon");
	if (root_opened)
		chmod("/", root_st.st_mode & 07777);
	if (ksft_get_fail_cnt())
		ksft_exit_fail();
	ksft_exit_pass();
}
