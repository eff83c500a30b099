// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the /proc/cmdline parser, and the boot-loader lines the
 * guest advice builds from it (merge and grub.conf kernel line).
 */
#include "fuzz.h"

#include "cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct cmdline cl;
	char why[UTIL_WHY_LEN];

	if (cmdline_parse(a, fuzz_text(a, data, size), &cl, why) == 0) {
		(void)cmdline_get(&cl, "clocksource");
		(void)cmdline_has_word(&cl, "notsc");
		(void)cmdline_merge(a, &cl, "clocksource tsc notsc", "tsc=reliable");
		(void)cmdline_merge(a, &cl, NULL, NULL);
		(void)cmdline_kernel_line(a, &cl, "6.1.0", "clocksource", "clock=pit");
		(void)cmdline_kernel_line(a, &cl, NULL, NULL, NULL);
	}
	arena_free(a);
	return 0;
}
