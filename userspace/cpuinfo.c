// SPDX-License-Identifier: GPL-2.0
/* Parser for /proc/cpuinfo (x86 layout: "key<TAB>: value" per line). */
#include "cpuinfo.h"

#include <stdio.h>
#include <string.h>

const char *const cpuinfo_flag_names[CF_COUNT] = {
	[CF_TSC] = "tsc",
	[CF_CONSTANT_TSC] = "constant_tsc",
	[CF_NONSTOP_TSC] = "nonstop_tsc",
	[CF_TSC_RELIABLE] = "tsc_reliable",
	[CF_TSC_KNOWN_FREQ] = "tsc_known_freq",
	[CF_TSC_ADJUST] = "tsc_adjust",
	[CF_RDTSCP] = "rdtscp",
	[CF_HYPERVISOR] = "hypervisor",
};

static bool cpuinfo_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Flags in VALUE (space separated) that tscmon knows, as a bit set. The
 * line has a hundred or more flags, so each known name is searched for
 * (memmem) and kept where it is a whole word.
 */
static unsigned cpuinfo_flag_bits(const char *value, size_t len,
				  const size_t *flen)
{
	unsigned bits = 0;

	for (int f = 0; f < CF_COUNT; f++) {
		const char *p = value, *end = value + len;

		while ((size_t)(end - p) >= flen[f]) {
			const char *hit = memmem(p, (size_t)(end - p),
						 cpuinfo_flag_names[f], flen[f]);

			if (!hit)
				break;
			if ((hit == value || cpuinfo_blank(hit[-1])) &&
			    (hit + flen[f] == end || cpuinfo_blank(hit[flen[f]]))) {
				bits |= 1u << f;
				break;
			}
			p = hit + 1;
		}
	}
	return bits;
}

/* A small decimal integer from a value field, or -1. */
static int cpuinfo_small_int(const char *v, size_t len)
{
	int n = 0;

	if (!len || len > 9)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		n = n * 10 + (v[i] - '0');
	}
	return n;
}

static bool key_is(const char *key, size_t klen, const char *name)
{
	return strlen(name) == klen && !memcmp(key, name, klen);
}

int cpuinfo_parse(const char *text, struct cpuinfo *ci, char *why)
{
	const char *pos = text, *line;
	size_t len;
	bool in_first = false, seen_flags_this = false;
	unsigned cur_flags = 0;

	int cur_proc = -1, npk = 0;
	int64_t pkgs[CPUINFO_MAX_PKGS];
	size_t flen[CF_COUNT];

	for (int f = 0; f < CF_COUNT; f++)
		flen[f] = strlen(cpuinfo_flag_names[f]);

	memset(ci, 0, sizeof(*ci));
	ci->family = ci->model = ci->stepping = -1;
	ci->packages = -1;
	for (int i = 0; i < CPUINFO_PKG_MAP; i++)
		ci->pkg_of[i] = -1;
	ci->flags_all = ~0u;

	while (util_next_line(&pos, &line, &len)) {
		const char *colon = memchr(line, ':', len);
		const char *key = line, *val;
		size_t klen, vlen;

		if (!colon)
			continue; /* blank separators and junk lines */
		klen = (size_t)(colon - line);
		while (klen && (key[klen - 1] == ' ' || key[klen - 1] == '\t'))
			klen--;
		val = colon + 1;
		vlen = len - (size_t)(val - line);
		while (vlen && (*val == ' ' || *val == '\t')) {
			val++;
			vlen--;
		}
		while (vlen && (val[vlen - 1] == ' ' || val[vlen - 1] == '\r'))
			vlen--;

		if (key_is(key, klen, "processor")) {
			if (ci->nr_cpus > 0) {
				ci->flags_all &= seen_flags_this ? cur_flags : 0;
			}
			ci->nr_cpus++;
			in_first = ci->nr_cpus == 1;
			cur_proc = cpuinfo_small_int(val, vlen);
			seen_flags_this = false;
			cur_flags = 0;
			continue;
		}
		if (ci->nr_cpus == 0)
			continue; /* keys before any processor line */
		if (key_is(key, klen, "physical id")) {
			int id = cpuinfo_small_int(val, vlen);
			bool known = false;

			if (id < 0)
				continue;
			if (cur_proc >= 0 && cur_proc < CPUINFO_PKG_MAP &&
			    id <= 32767)
				ci->pkg_of[cur_proc] = (short)id;
			for (int i = 0; i < npk; i++)
				known |= pkgs[i] == id;
			if (!known && npk < CPUINFO_MAX_PKGS)
				pkgs[npk++] = id;
			ci->packages = npk;
			continue;
		}
		if (key_is(key, klen, "flags")) {
			cur_flags = cpuinfo_flag_bits(val, vlen, flen);
			seen_flags_this = true;
			ci->flags_any |= cur_flags;
			continue;
		}
		if (!in_first)
			continue;
		if (key_is(key, klen, "vendor_id"))
			util_copy(ci->vendor, sizeof(ci->vendor), val, vlen);
		else if (key_is(key, klen, "cpu family"))
			ci->family = cpuinfo_small_int(val, vlen);
		else if (key_is(key, klen, "model"))
			ci->model = cpuinfo_small_int(val, vlen);
		else if (key_is(key, klen, "stepping"))
			ci->stepping = cpuinfo_small_int(val, vlen);
		else if (key_is(key, klen, "model name"))
			util_copy(ci->model_name, sizeof(ci->model_name), val,
				  vlen);
		else if (key_is(key, klen, "bogomips")) {
			char tmp[32];
			double b;

			util_copy(tmp, sizeof(tmp), val, vlen);
			if (vlen < sizeof(tmp) && util_parse_double(tmp, &b) &&
			    b > 0 && b < 1e7)
				ci->bogomips = b;
		}
	}
	if (ci->nr_cpus == 0) {
		snprintf(why, UTIL_WHY_LEN,
			 "no \"processor\" entries (not a /proc/cpuinfo?)");
		ci->flags_all = 0;
		return -1;
	}
	ci->flags_all &= seen_flags_this ? cur_flags : 0;
	if (!ci->vendor[0] && ci->family < 0) {
		snprintf(why, UTIL_WHY_LEN,
			 "no vendor_id or cpu family (not an x86 /proc/cpuinfo?)");
		ci->flags_all = 0;
		return -1;
	}
	ci->valid = true;
	return 0;
}

int cpuinfo_package(const struct cpuinfo *ci, int64_t cpu)
{
	if (!ci->valid || cpu < 0 || cpu >= CPUINFO_PKG_MAP)
		return -1;
	return ci->pkg_of[cpu];
}

bool cpuinfo_has(const struct cpuinfo *ci, enum cpu_flag f)
{
	return ci->valid && (ci->flags_all & (1u << f));
}

bool cpuinfo_is_intel(const struct cpuinfo *ci)
{
	return !strcmp(ci->vendor, "GenuineIntel");
}

bool cpuinfo_is_amd(const struct cpuinfo *ci)
{
	return !strcmp(ci->vendor, "AuthenticAMD") ||
	       !strcmp(ci->vendor, "HygonGenuine");
}
