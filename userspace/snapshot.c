// SPDX-License-Identifier: GPL-2.0
/*
 * Capturing a --root tree from a live machine (or from another tree):
 * the same relative paths, the kernel log as dmesg.txt and the hypervisor
 * CPUID signature as hypervisor_cpuid.
 */
#include "snapshot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "facts.h"
#include "util.h"

struct snap {
	struct arena *a;
	const char *root, *out;
	int copied, failed_writes;
};

/* mkdir -p for the directory part of PATH. */
static int snap_mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

static void snap_write(struct snap *s, const char *rel, const char *data,
		       size_t len)
{
	char *dst = util_path(s->a, s->out, rel);
	FILE *fp;

	if (snap_mkdirs(dst) || !(fp = fopen(dst, "w"))) {
		s->failed_writes++;
		return;
	}
	if (fwrite(data, 1, len, fp) != len)
		s->failed_writes++;
	if (fclose(fp))
		s->failed_writes++;
	s->copied++;
}

/* Copy ROOT/REL if it can be read; absent files are simply skipped. */
static void snap_copy(struct snap *s, const char *rel)
{
	char why[UTIL_WHY_LEN];
	char *data;
	size_t len;

	if (util_read(s->a, s->root, rel, UTIL_MAX_TABLE, &data, &len, NULL, why))
		return;
	snap_write(s, rel, data, len);
}

static void snap_cpu(struct snap *s, const char *cpu)
{
	static const char *const freq[] = {
		"scaling_driver", "scaling_governor", "scaling_available_frequencies",
		"scaling_available_governors", "cpuinfo_max_freq", "cpuinfo_min_freq",
		"scaling_min_freq", "scaling_max_freq", "scaling_cur_freq",
		"stats/total_trans",
	};
	static const char *const idle[] = { "name", "desc", "usage", "time", "latency" };

	for (size_t i = 0; i < sizeof(freq) / sizeof(freq[0]); i++)
		snap_copy(s, arena_printf(s->a, "sys/devices/system/cpu/%s/cpufreq/%s",
					  cpu, freq[i]));
	for (int st = 0; st < 16; st++) {
		const char *base = arena_printf(s->a, "sys/devices/system/cpu/%s/cpuidle/state%d",
						cpu, st);

		if (!util_is_dir(util_path(s->a, s->root, base)))
			break;
		for (size_t i = 0; i < sizeof(idle) / sizeof(idle[0]); i++)
			snap_copy(s, arena_printf(s->a, "%s/%s", base, idle[i]));
	}
}

static void snap_dir_each(struct snap *s, const char *rel,
			  void (*fn)(struct snap *, const char *, const char *))
{
	DIR *d = opendir(util_path(s->a, s->root, rel));
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			fn(s, rel, de->d_name);
	closedir(d);
}

static void snap_cpu_entry(struct snap *s, const char *rel, const char *name)
{
	(void)rel;
	if (!strncmp(name, "cpu", 3) && name[3] >= '0' && name[3] <= '9')
		snap_cpu(s, name);
}

static void snap_module_entry(struct snap *s, const char *rel, const char *name)
{
	const char *r = arena_printf(s->a, "%s/%s", rel, name);
	struct stat st;

	/* Control files such as sweep and reset are write-only: skip them. */
	if (stat(util_path(s->a, s->root, r), &st) || !S_ISREG(st.st_mode) ||
	    !(st.st_mode & S_IRUSR))
		return;
	snap_copy(s, r);
}

int snapshot_run(const char *root, const char *out_dir)
{
	static const char *const files[] = {
		"proc/cpuinfo", "proc/cmdline",
		"sys/devices/system/clocksource/clocksource0/current_clocksource",
		"sys/devices/system/clocksource/clocksource0/available_clocksource",
		"sys/devices/system/cpu/cpuidle/current_driver",
		"sys/devices/system/cpu/cpuidle/current_governor",
		"sys/devices/system/cpu/cpuidle/current_governor_ro",
		"sys/class/dmi/id/sys_vendor", "sys/class/dmi/id/product_name",
		"sys/hypervisor/type",
	};
	struct arena *a = arena_new();
	struct snap s = { .a = a, .root = root ? root : "/", .out = out_dir };
	bool live = !root || !strcmp(root, "/");
	char why[UTIL_WHY_LEN];
	struct facts f;
	int rc = 0;

	if (mkdir(out_dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "tscmon: snapshot: cannot create %s: %s\n", out_dir,
			strerror(errno));
		arena_free(a);
		return 73;
	}
	if (!util_is_dir(out_dir)) {
		fprintf(stderr, "tscmon: snapshot: %s is not a directory\n", out_dir);
		arena_free(a);
		return 73;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		snap_copy(&s, files[i]);
	snap_dir_each(&s, "sys/devices/system/cpu", snap_cpu_entry);
	snap_dir_each(&s, "sys/kernel/debug/tscmon", snap_module_entry);
	if (live) {
		char *log = klog_read_live(a, why);

		if (log)
			snap_write(&s, "dmesg.txt", log, strlen(log));
		else
			fprintf(stderr, "tscmon: snapshot: kernel log not captured: %s\n", why);
		facts_collect(a, "/", &f);
		if (f.cpuid_signature)
			snap_write(&s, "hypervisor_cpuid", f.cpuid_signature,
				   strlen(f.cpuid_signature));
	} else {
		snap_copy(&s, "dmesg.txt");
		snap_copy(&s, "hypervisor_cpuid");
	}
	if (s.failed_writes) {
		fprintf(stderr, "tscmon: snapshot: %d file(s) could not be written under %s\n",
			s.failed_writes, out_dir);
		rc = 73;
	} else {
		printf("tscmon: snapshot of %s: %d files written to %s\n", s.root,
		       s.copied, out_dir);
	}
	arena_free(a);
	return rc;
}
