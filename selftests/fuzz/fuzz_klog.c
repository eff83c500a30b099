// SPDX-License-Identifier: GPL-2.0
/* Fuzz target: the kernel log parser (prefixes, rule table, folding). */
#include "fuzz.h"

#include "klog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct klog kl;
	char why[UTIL_WHY_LEN];

	if (klog_parse(a, fuzz_text(a, data, size), &kl, why) == 0) {
		const struct klog_event *ev;
		size_t idx = 0, n = 0;

		klog_set_guest(&kl, true);
		klog_set_guest(&kl, false);
		for (int fam = 0; fam < KF_COUNT; fam++)
			n += kl.family_count[fam];
		if (n != kl.nevents)
			abort(); /* every event is counted in one family */
		while ((ev = klog_find(&kl, KF_WATCHDOG, NULL, &idx)))
			if (ev->head > (size_t)(ev - kl.events))
				abort(); /* a continuation follows its head */
	}
	arena_free(a);
	return 0;
}
