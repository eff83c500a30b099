// SPDX-License-Identifier: GPL-2.0
/* Fuzz target: the /proc/cpuinfo parser and what is asked of its result. */
#include "fuzz.h"

#include "cpuinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct cpuinfo ci;
	char why[UTIL_WHY_LEN];
	volatile int sink = 0;

	if (cpuinfo_parse(fuzz_text(a, data, size), &ci, why) == 0) {
		for (int64_t cpu = -1; cpu <= CPUINFO_PKG_MAP; cpu++)
			sink += cpuinfo_package(&ci, cpu);
		for (int f = 0; f < CF_COUNT; f++)
			sink += cpuinfo_has(&ci, f);
		sink += cpuinfo_is_intel(&ci) + cpuinfo_is_amd(&ci);
	} else if (!memchr(why, '\0', sizeof(why))) {
		abort(); /* the reason must be a terminated string */
	}
	(void)sink;
	arena_free(a);
	return 0;
}
