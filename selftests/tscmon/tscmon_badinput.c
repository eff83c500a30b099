// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input to every control file of tscmon. The files are found by mode
 * (any file its owner may write), so a control file added later is covered
 * without touching this test. Each gets a table of malformed writes: empty,
 * blanks only, junk before or after, signs on unsigned values, hex,
 * octal-looking numbers, overflow past 32 and 64 bits, values out of
 * range, 4 KiB of junk, embedded NULs, a value split over two writes,
 * writes at a non-zero position (lseek and pwrite) and a buffer the kernel
 * cannot read. Each must fail with the error docs/debugfs.md documents
 * (EINVAL; ESPIPE for pwrite on a seq_file; EFAULT for a bad buffer) and
 * leave everything as it was: the file's own value where it can be read,
 * and for the write-only actions (sweep, reset) the sweep counters.
 *
 * fault_offset and fault_drift_ppb take "CPU VALUE" (VALUE signed), other
 * fault_* files one signed decimal, every other control file one unsigned
 * decimal (docs/debugfs.md, Conventions). Out-of-range values are listed
 * for the files the test knows; a new file gets the format checks only.
 */
#include <dirent.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "tscmon_test.h"

#define MAX_FILES	64
#define BIG		4096

enum ctl_kind { CTL_UINT, CTL_SINT, CTL_CPU_VALUE };

struct ctl {
	char name[64];
	int readable;
	enum ctl_kind kind;
};

struct bad {
	const char *what;
	const char *buf;
	size_t len;		/* 0: strlen(buf) */
};

static struct ctl ctls[MAX_FILES];
static int nctl, ncpu, cpu;	/* cpu: a possible CPU other than 0 if any */

/* Bad for a file that takes one unsigned decimal. */
/* BAD: a string (its length at run time); BADN: exactly these bytes. */
#define BAD(what, s)	{ what, s, 0 }
#define BADN(what, s)	{ what, s, sizeof(s) - 1 }

static const struct bad bad_uint[] = {
	BADN("empty", ""),
	BAD("a newline only", "\n"),
	BAD("a space only", " "),
	BAD("spaces and a newline", "   \n"),
	BAD("a tab only", "\t"),
	BAD("a leading space", " 5"),
	BAD("a trailing space", "5 "),
	BAD("a trailing tab", "5\t"),
	BAD("two numbers", "5 5"),
	BAD("leading junk", "x5"),
	BAD("trailing junk", "5x"),
	BAD("a newline first", "\n5"),
	BAD("two newlines", "5\n\n"),
	BAD("CR LF", "5\r\n"),
	BAD("a plus sign", "+5"),
	BAD("a minus sign", "-5"),
	BAD("minus zero", "-0"),
	BAD("plus zero", "+0"),
	BAD("hex", "0x10"),
	BAD("upper-case hex", "0X1F"),
	BAD("a hex digit", "1f"),
	BAD("octal prefix", "0o17"),
	BAD("binary prefix", "0b1"),
	BAD("exponent", "1e3"),
	BAD("a decimal point", "1.5"),
	BAD("a comma", "1,5"),
	BADN("an embedded NUL", "5\0"),
	BADN("NUL then junk", "5\0junk"),
	BAD("u64 max + 1", "18446744073709551616"),
	BAD("far beyond u64", "99999999999999999999999999999999"),
};

/*
 * Bad for a file that takes one signed decimal (fault_* files other than
 * the CPU VALUE ones): the unsigned table's entries without a sign, and
 * signs used wrongly.
 */
static const struct bad bad_sint[] = {
	BADN("empty", ""),
	BAD("a newline only", "\n"),
	BAD("a space only", " "),
	BAD("a leading space", " 5"),
	BAD("a trailing space", "5 "),
	BAD("a space after the sign", "- 5"),
	BAD("two numbers", "5 5"),
	BAD("trailing junk", "5x"),
	BAD("leading junk", "x5"),
	BAD("two newlines", "5\n\n"),
	BAD("CR LF", "5\r\n"),
	BAD("two signs", "--5"),
	BAD("mixed signs", "+-5"),
	BAD("a lone minus", "-"),
	BAD("a lone plus", "+"),
	BAD("hex", "0x10"),
	BAD("negative hex", "-0x10"),
	BAD("a decimal point", "-1.5"),
	BADN("an embedded NUL", "-5\0"),
	BAD("s64 max + 1", "9223372036854775808"),
	BAD("s64 min - 1", "-9223372036854775809"),
	BAD("far beyond s64", "-99999999999999999999999999999"),
	BAD("a CPU VALUE pair", "1 5"),
};

/* Bad for a file that takes "CPU VALUE"; %C is a possible CPU. */
static const struct bad bad_cpu_value[] = {
	BADN("empty", ""),
	BAD("a newline only", "\n"),
	BAD("a space only", " "),
	BAD("a CPU alone", "%C"),
	BAD("a CPU and a space", "%C "),
	BAD("a space and a value", " 5"),
	BAD("a leading space", " %C 5"),
	BAD("two spaces between", "%C  5"),
	BAD("a trailing space", "%C 5 "),
	BAD("a tab between", "%C\t5"),
	BAD("three fields", "%C 5 5"),
	BAD("a signed CPU (+)", "+%C 5"),
	BAD("a signed CPU (-)", "-%C 5"),
	BAD("a hex value", "%C 0x10"),
	BAD("a hex CPU", "0x1 5"),
	BAD("trailing junk", "%C 5x"),
	BAD("a junk CPU", "x 5"),
	BAD("two signs", "%C --5"),
	BAD("mixed signs", "%C +-5"),
	BAD("a lone sign", "%C -"),
	BAD("a sign then a space", "%C - 5"),
	BAD("two newlines", "%C 5\n\n"),
	BAD("CR LF", "%C 5\r\n"),
	BAD("an embedded NUL", "%C 5\0"),	/* length set at run time */
	BAD("a value beyond s64", "%C 9223372036854775808"),
	BAD("a value below s64", "%C -9223372036854775809"),
	BAD("a value far beyond s64", "%C 99999999999999999999"),
	BAD("a CPU beyond u64", "18446744073709551617 5"),
	BAD("a CPU beyond u32 (would wrap to 1)", "4294967297 5"),
	BAD("a CPU that is not possible", "%N 5"),
	BAD("CPU 99999", "99999 5"),
};

static size_t bad_len(const struct bad *b, const char *buf)
{
	if (b->len)
		return b->len;
	/* The CPU-VALUE NUL case: the formatted string plus its NUL. */
	if (strstr(b->what, "NUL"))
		return strlen(buf) + 1;
	return strlen(buf);
}

/* Expands %C (the test CPU) and %N (the number of possible CPUs). */
static void expand(const char *in, char *out, size_t size)
{
	size_t o = 0;

	for (; *in && o + 12 < size; in++) {
		if (in[0] == '%' && (in[1] == 'C' || in[1] == 'N')) {
			o += snprintf(out + o, size - o, "%d", in[1] == 'C' ? cpu : ncpu);
			in++;
		} else {
			out[o++] = *in;
		}
	}
	out[o] = '\0';
}

/* Printable form of a write, for messages. */
static const char *show(const char *buf, size_t len)
{
	static char s[96];
	size_t i, o = 0;

	for (i = 0; i < len && o < sizeof(s) - 8; i++) {
		unsigned char c = buf[i];

		if (c == '\n')
			o += snprintf(s + o, sizeof(s) - o, "\\n");
		else if (c == '\t')
			o += snprintf(s + o, sizeof(s) - o, "\\t");
		else if (c < 32 || c > 126)
			o += snprintf(s + o, sizeof(s) - o, "\\x%02x", c);
		else
			s[o++] = c;
	}
	if (i < len)
		o += snprintf(s + o, sizeof(s) - o, "...(%zu)", len);
	s[o] = '\0';
	return s;
}

static void path_of(const char *name, char *out, size_t size)
{
	snprintf(out, size, TSCMON_DIR "/%.100s", name);
}

/*
 * Everything a bad write could have changed: every readable control file,
 * and the summary keys a sweep or a reset moves. Periodic sweeps are off.
 */
static char *snapshot(void)
{
	static const char *const keys[] = {
		"sweeps", "last_sweep_ns", "rounds_lost", "warps_total",
		"interval_ms", "rounds",
	};
	size_t cap = 8192, len = 0;
	char *s = malloc(cap), path[160], *v;
	unsigned int i;
	int k;

	if (!s)
		return NULL;
	s[0] = '\0';
	for (k = 0; k < nctl; k++) {
		if (!ctls[k].readable)
			continue;
		path_of(ctls[k].name, path, sizeof(path));
		v = test_read_file(path);
		len += snprintf(s + len, cap - len, "[%s] %s", ctls[k].name,
				v ? v : "(unreadable)\n");
		free(v);
		if (len >= cap - 512)
			break;
	}
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		len += snprintf(s + len, cap - len, "%s %lld\n", keys[i],
				test_summary(keys[i], -1));
	return s;
}

/* The first line that differs, for a message. */
static void explain(const char *file, const char *what, const char *a,
		    const char *b)
{
	const char *la = a, *lb = b;

	for (; *a && *a == *b; a++, b++)
		if (*a == '\n')
			la = a + 1, lb = b + 1;
	ksft_print_msg("%s: after %s, '%.*s' became '%.*s'\n", file, what,
		       (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
}

/* One write on a fresh descriptor; 0 or errno. */
static int write_once(const char *name, const void *buf, size_t len)
{
	char path[160];
	ssize_t n;
	int fd, err = 0;

	path_of(name, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = write(fd, buf, len);
	if (n < 0)
		err = errno;
	close(fd);
	return err;
}

/* Runs one file's table; returns failures, counts cases in *ncases. */
static int run_table(const struct ctl *c, const struct bad *tab, int n,
		     const char *const *extra, int *ncases)
{
	char buf[256], *before, *after;
	int i, fails = 0, err;

	before = snapshot();
	for (i = 0; i < n || extra[i - n]; i++) {
		const struct bad *b = i < n ? &tab[i] : NULL;
		const char *raw = b ? b->buf : extra[i - n];
		size_t len;

		if (b && b->len) {
			/* Exact bytes, embedded NULs and all. */
			len = b->len;
			memcpy(buf, b->buf, len);
		} else {
			expand(raw, buf, sizeof(buf));
			len = b ? bad_len(b, buf) : strlen(buf);
		}
		err = write_once(c->name, buf, len);
		if (err != EINVAL) {
			ksft_print_msg("%s: %s '%s' gave %s, not EINVAL\n", c->name,
				       b ? b->what : "out of range", show(buf, len),
				       err ? strerror(err) : "success");
			fails++;
		}
		after = snapshot();
		if (before && after && strcmp(before, after)) {
			explain(c->name, show(buf, len), before, after);
			fails++;
			free(before);
			before = after;
		} else {
			free(after);
		}
	}
	free(before);
	*ncases = i;
	return fails;
}

/* Large writes: more bytes than any control file takes. */
static int run_big(const struct ctl *c, int *ncases)
{
	static char buf[BIG];
	char *before = snapshot(), *after;
	int fails = 0, k, err;

	for (k = 0; k < 3; k++) {
		static const char *const what[] = {
			"4 KiB of junk", "4 KiB of digits",
			"a valid value padded to 4 KiB",
		};

		memset(buf, k == 0 ? 'x' : k == 1 ? '1' : ' ', sizeof(buf));
		if (k == 2) {
			char v[32];

			snprintf(v, sizeof(v), c->kind == CTL_CPU_VALUE ? "%d 5" : "1", cpu);
			memcpy(buf, v, strlen(v));
		}
		if (k == 0)
			memcpy(buf + 100, "\0\n\t\r\xff", 5);
		err = write_once(c->name, buf, sizeof(buf));
		if (err != EINVAL) {
			ksft_print_msg("%s: %s gave %s, not EINVAL\n", c->name, what[k],
				       err ? strerror(err) : "success");
			fails++;
		}
	}
	after = snapshot();
	if (before && after && strcmp(before, after)) {
		explain(c->name, "4 KiB writes", before, after);
		fails++;
	}
	free(before);
	free(after);
	*ncases = 3;
	return fails;
}

/*
 * Writes at a non-zero position. After lseek(1) a write fails with EINVAL;
 * pwrite(2) fails with ESPIPE on the seq_files (the readable control
 * files: the VFS refuses it) and with EINVAL where tscmon sees the offset.
 */
static int run_offsets(const struct ctl *c, const char *good, int *ncases)
{
	char path[160], *before = snapshot(), *after;
	int fd, fails = 0, err;
	off_t pos;
	ssize_t n;

	path_of(c->name, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		ksft_print_msg("%s: open: %s\n", c->name, strerror(errno));
		free(before);
		*ncases = 0;
		return 1;
	}
	pos = lseek(fd, 1, SEEK_SET);
	if (pos != 1) {
		ksft_print_msg("%s: lseek to 1 gave %lld (%s); no write tried\n",
			       c->name, (long long)pos, strerror(errno));
	} else {
		n = write(fd, good, strlen(good));
		err = n < 0 ? errno : 0;
		if (err != EINVAL) {
			ksft_print_msg("%s: '%s' at position 1 (lseek) gave %s, not EINVAL\n",
				       c->name, show(good, strlen(good)),
				       err ? strerror(err) : "success");
			fails++;
		}
	}
	n = pwrite(fd, good, strlen(good), 3);
	err = n < 0 ? errno : 0;
	if (err != (c->readable ? ESPIPE : EINVAL)) {
		ksft_print_msg("%s: pwrite of '%s' at 3 gave %s, not %s\n", c->name,
			       show(good, strlen(good)),
			       err ? strerror(err) : "success",
			       c->readable ? "ESPIPE" : "EINVAL");
		fails++;
	}
	close(fd);
	after = snapshot();
	if (before && after && strcmp(before, after)) {
		explain(c->name, "writes at an offset", before, after);
		fails++;
	}
	free(before);
	free(after);
	*ncases = 2;
	return fails;
}

/*
 * A command split over two write(2) calls on one descriptor: each half is
 * judged alone and both are bad, so nothing may change (for CPU VALUE the
 * two halves together would be valid: the module must not stitch them).
 */
static int run_split(const struct ctl *c, int *ncases)
{
	char path[160], a[32], b[32], *before = snapshot(), *after;
	int fd, fails = 0, k, err;
	ssize_t n;

	if (c->kind == CTL_CPU_VALUE) {
		snprintf(a, sizeof(a), "%d", cpu);
		snprintf(b, sizeof(b), " 5");
	} else {
		snprintf(a, sizeof(a), "1 ");
		snprintf(b, sizeof(b), " 2\n");
	}
	path_of(c->name, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CLOEXEC);
	for (k = 0; fd >= 0 && k < 2; k++) {
		const char *half = k ? b : a;

		n = write(fd, half, strlen(half));
		err = n < 0 ? errno : 0;
		if (err != EINVAL) {
			ksft_print_msg("%s: half %d '%s' of a split write gave %s, not EINVAL\n",
				       c->name, k + 1, show(half, strlen(half)),
				       err ? strerror(err) : "success");
			fails++;
		}
	}
	if (fd >= 0)
		close(fd);
	else
		fails++;
	after = snapshot();
	if (before && after && strcmp(before, after)) {
		explain(c->name, "a split write", before, after);
		fails++;
	}
	free(before);
	free(after);
	*ncases = 2;
	return fails;
}

/*
 * A readable setting written in two valid halves ("1" then "7"): each
 * write is a whole value, so the file ends at 7 (or 1 if the module
 * refused the second half), never at 17.
 */
static int stitch_applies(const struct ctl *c)
{
	return c->readable && c->kind != CTL_CPU_VALUE;
}

static int run_no_stitch(const struct ctl *c)
{
	char path[160], *before, *v;
	int fd, fails = 0;

	path_of(c->name, path, sizeof(path));
	before = test_read_file(path);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || !before) {
		free(before);
		if (fd >= 0)
			close(fd);
		return 1;
	}
	if (write(fd, "1", 1) != 1)
		ksft_print_msg("%s: '1' refused: %s\n", c->name, strerror(errno));
	if (write(fd, "7", 1) != 1)
		ksft_print_msg("%s: second half '7' refused: %s\n", c->name,
			       strerror(errno));
	close(fd);
	v = test_read_file(path);
	if (!v || atoi(v) == 17) {
		ksft_print_msg("%s: two writes '1' '7' read back as '%s'\n",
			       c->name, v ? show(v, strlen(v)) : "?");
		fails++;
	} else {
		ksft_print_msg("%s: two writes '1' '7' read back as '%s': each write is a whole value\n",
			       c->name, show(v, strlen(v)));
	}
	/* Put the old value back (it was valid). */
	before[strcspn(before, "\n")] = '\0';
	if (test_write_file(path, before))
		fails++;
	free(v);
	free(before);
	return fails;
}

/* A buffer the kernel cannot read: EFAULT, nothing changed. */
static int run_efault(const struct ctl *c)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map, *before = snapshot(), *after;
	int fails = 0, err;

	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		free(before);
		return 1;
	}
	munmap(map + page, page);
	/* "1" on the last byte of the mapped page, "\n" beyond it. */
	map[page - 1] = '1';
	err = write_once(c->name, map + page - 1, 2);
	if (err != EFAULT) {
		ksft_print_msg("%s: a write crossing into an unmapped page gave %s, not EFAULT\n",
			       c->name, err ? strerror(err) : "success");
		fails++;
	}
	err = write_once(c->name, map + page, 2);
	if (err != EFAULT) {
		ksft_print_msg("%s: a write from an unmapped page gave %s, not EFAULT\n",
			       c->name, err ? strerror(err) : "success");
		fails++;
	}
	munmap(map, page);
	after = snapshot();
	if (before && after && strcmp(before, after)) {
		explain(c->name, "bad buffers", before, after);
		fails++;
	}
	free(before);
	free(after);
	return fails;
}

static void discover(void)
{
	DIR *d = opendir(TSCMON_DIR);
	struct dirent *e;
	struct stat st;
	char path[160];

	if (!d)
		ksft_exit_fail_msg("%s: %s\n", TSCMON_DIR, strerror(errno));
	while ((e = readdir(d)) && nctl < MAX_FILES) {
		path_of(e->d_name, path, sizeof(path));
		if (stat(path, &st) || !S_ISREG(st.st_mode) || !(st.st_mode & S_IWUSR))
			continue;
		snprintf(ctls[nctl].name, sizeof(ctls[nctl].name), "%.60s", e->d_name);
		ctls[nctl].readable = !!(st.st_mode & S_IRUSR);
		/*
		 * docs/debugfs.md: fault_offset and fault_drift_ppb take
		 * "CPU VALUE"; other fault_* files one signed value; every
		 * other control file one unsigned decimal.
		 */
		if (!strcmp(e->d_name, "fault_offset") ||
		    !strcmp(e->d_name, "fault_drift_ppb"))
			ctls[nctl].kind = CTL_CPU_VALUE;
		else if (!strncmp(e->d_name, "fault_", 6))
			ctls[nctl].kind = CTL_SINT;
		else
			ctls[nctl].kind = CTL_UINT;
		nctl++;
	}
	closedir(d);
}

/* Per-file values out of range (docs/debugfs.md), NULL-terminated. */
static const char *const *out_of_range(const char *name)
{
	static const char *const interval[] = { "3600001", "4000000000",
		"4294967296", "4294967297", "18446744073709551615", NULL };
	static const char *const rounds[] = { "0", "10001", "4294967296",
		"4294967297", "18446744073709551615", NULL };
	static const char *const action[] = { "0", "2", "10", "4294967297",
		"18446744073709551615", NULL };
	static const char *const threshold[] = { "4294967296", "4294967297",
		"18446744073709551615", NULL };
	static const char *const ring[] = { "0", "65537", "4294967297", NULL };
	static const char *const offset[] = { "%C 1000000000001", "%C -1000000000001", NULL };
	static const char *const drift[] = { "%C 100000001", "%C -100000001", NULL };
	static const char *const rate[] = { "100000001", "-100000001", NULL };
	static const char *const none[] = { NULL };

	if (!strcmp(name, "interval_ms"))
		return interval;
	if (!strcmp(name, "rounds"))
		return rounds;
	if (!strcmp(name, "sweep") || !strcmp(name, "reset"))
		return action;
	if (!strcmp(name, "fault_offset"))
		return offset;
	if (!strcmp(name, "fault_drift_ppb"))
		return drift;
	if (!strcmp(name, "fault_rate_ppb"))
		return rate;
	if (!strcmp(name, "event_threshold_cycles") ||
	    !strcmp(name, "event_threshold_ppb"))
		return threshold;
	if (!strcmp(name, "event_ring_size"))
		return ring;
	return none;
}

/* Known files take these; unknown ones are left as they are. */
static void set_known(void)
{
	char v[48];

	test_ctl("interval_ms", "0");
	test_ctl("rounds", "37");
	snprintf(v, sizeof(v), "%d 12345", cpu);
	test_ctl("fault_offset", v);
	snprintf(v, sizeof(v), "%d 777", cpu);
	test_ctl("fault_drift_ppb", v);
	test_sweep();
	test_sweep();
}

int main(void)
{
	int k, fails, n, total;
	char good[48];

	ksft_print_header();
	test_load_quiet();
	ncpu = test_possible_cpus();
	cpu = ncpu > 1 ? 1 : 0;
	discover();
	if (!nctl)
		ksft_exit_fail_msg("no control file found under %s\n", TSCMON_DIR);
	/* Five checks a file, and the stitch check where it applies. */
	for (k = 0, n = 0; k < nctl; k++)
		n += stitch_applies(&ctls[k]);
	ksft_set_plan(nctl * 5 + n);
	set_known();
	ksft_print_msg("control files, by mode:");
	for (k = 0; k < nctl; k++)
		printf(" %s", ctls[k].name);
	printf("\n");

	for (k = 0; k < nctl; k++) {
		const struct ctl *c = &ctls[k];

		if (c->kind == CTL_CPU_VALUE)
			fails = run_table(c, bad_cpu_value,
					  ARRAY_SIZE(bad_cpu_value),
					  out_of_range(c->name), &n);
		else if (c->kind == CTL_SINT)
			fails = run_table(c, bad_sint,
					  ARRAY_SIZE(bad_sint),
					  out_of_range(c->name), &n);
		else
			fails = run_table(c, bad_uint,
					  ARRAY_SIZE(bad_uint),
					  out_of_range(c->name), &n);
		ksft_test_result(!fails, "%s: %d malformed or out-of-range writes fail with EINVAL and change nothing\n",
				 c->name, n);
		fails = run_big(c, &n);
		ksft_test_result(!fails, "%s: %d writes of 4 KiB fail with EINVAL and change nothing\n",
				 c->name, n);
		fails = run_split(c, &n);
		ksft_test_result(!fails, "%s: a command split over two writes is refused in both halves\n",
				 c->name);
		if (c->kind == CTL_CPU_VALUE)
			snprintf(good, sizeof(good), "%d 5", cpu);
		else
			snprintf(good, sizeof(good), "1");
		fails = run_offsets(c, good, &n);
		ksft_test_result(!fails, "%s: writes at a non-zero position fail (lseek: EINVAL, pwrite: %s)\n",
				 c->name, c->readable ? "ESPIPE" : "EINVAL");
		fails = run_efault(c);
		ksft_test_result(!fails, "%s: a buffer the kernel cannot read gives EFAULT and changes nothing\n",
				 c->name);
		/* Only files that read back one number can show a stitch. */
		if (stitch_applies(c))
			ksft_test_result(!run_no_stitch(c),
					 "%s: two writes '1' '7' are never read as 17\n",
					 c->name);
	}
	total = ksft_get_fail_cnt();
	test_module_unload("tscmon");
	if (total)
		ksft_exit_fail();
	ksft_exit_pass();
}
