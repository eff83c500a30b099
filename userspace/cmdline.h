/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel command line: tokens and the timekeeping parameters in it. */
#ifndef TSCMON_CMDLINE_H
#define TSCMON_CMDLINE_H

#include <stdbool.h>
#include <stdint.h>
#include "util.h"

struct cmdline {
	bool valid;
	char *raw;                 /* the line as read, newline stripped */
	struct strlist tokens;     /* whitespace separated, quotes honoured */
	struct strlist tsc_values; /* the value of every tsc= parameter */
	/* What the kernel acts on (it compares each tsc= value whole). */
	bool tsc_reliable, tsc_unstable, tsc_nowatchdog, tsc_watchdog;
	bool tsc_comma_list;       /* a tsc= value with a comma: ignored */
	/* What a comma list asked for, had it worked. */
	bool tsc_list_reliable, tsc_list_unstable, tsc_list_nowatchdog;
	bool notsc, nowatchdog;
	const char *clocksource;   /* last clocksource= value, or NULL */
	const char *clock;         /* last clock= value (old kernels) */
	int processor_max_cstate;  /* -1 if absent */
	int intel_idle_max_cstate; /* -1 if absent */
	int64_t lpj;               /* -1 if absent */
	const char *idle;          /* idle= value, or NULL */
};

int cmdline_parse(struct arena *a, const char *text, struct cmdline *cl,
		  char *why);
/* The value of the last NAME=value token, or NULL. */
const char *cmdline_get(const struct cmdline *cl, const char *name);
bool cmdline_has_word(const struct cmdline *cl, const char *word);
/*
 * The parameters for GRUB_CMDLINE_LINUX: the current ones without those
 * the boot loader adds itself (BOOT_IMAGE, root, ro, rw, initrd), without
 * any token whose name is in DROP (space separated names, "name" matching
 * "name" and "name=..."), then ADD appended (space separated tokens).
 */
char *cmdline_merge(struct arena *a, const struct cmdline *cl,
		    const char *drop, const char *add);

/*
 * A grub.conf "kernel" line: "kernel IMAGE <all current parameters but
 * BOOT_IMAGE and DROP> ADD". IMAGE is BOOT_IMAGE without a "(hdX,Y)"
 * prefix, else /vmlinuz-VERSION, else /vmlinuz.
 */
char *cmdline_kernel_line(struct arena *a, const struct cmdline *cl,
			  const char *version, const char *drop,
			  const char *add);

#endif
