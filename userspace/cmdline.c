// SPDX-License-Identifier: GPL-2.0
/* Parser for /proc/cmdline. */
#include "cmdline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Kernel command lines are at most a few KiB; refuse anything absurd. */
#define CMDLINE_MAX_TOKENS 1024

static void cmdline_tokenise(struct arena *a, const char *s,
			     struct strlist *out)
{
	size_t n = strlen(s);
	char *tok = arena_alloc(a, n + 1);

	while (*s && out->n < CMDLINE_MAX_TOKENS) {
		size_t t = 0;
		bool quoted = false;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		while (*s && (quoted || (*s != ' ' && *s != '\t' && *s != '\n'))) {
			if (*s == '"')
				quoted = !quoted;
			else
				tok[t++] = *s;
			s++;
		}
		tok[t] = '\0';
		strlist_add(a, out, tok);
	}
}

static int cmdline_int(const char *v, int fallback)
{
	int64_t n;

	if (v && util_parse_i64(v, &n) && n >= 0 && n < 1000000)
		return (int)n;
	return fallback;
}

static void cmdline_tsc_value(struct cmdline *cl, const char *v)
{
	if (!strcmp(v, "reliable"))
		cl->tsc_reliable = true;
	else if (!strcmp(v, "unstable"))
		cl->tsc_unstable = true;
	else if (!strcmp(v, "nowatchdog"))
		cl->tsc_nowatchdog = true;
	else if (!strcmp(v, "watchdog"))
		cl->tsc_watchdog = true;
	if (strchr(v, ',')) {
		char buf[256];
		char *save = NULL, *p;

		cl->tsc_comma_list = true;
		util_copy(buf, sizeof(buf), v, strlen(v));
		for (p = strtok_r(buf, ",", &save); p;
		     p = strtok_r(NULL, ",", &save)) {
			if (!strcmp(p, "reliable"))
				cl->tsc_list_reliable = true;
			else if (!strcmp(p, "unstable"))
				cl->tsc_list_unstable = true;
			else if (!strcmp(p, "nowatchdog"))
				cl->tsc_list_nowatchdog = true;
		}
	}
}

int cmdline_parse(struct arena *a, const char *text, struct cmdline *cl,
		  char *why)
{
	char *raw;
	const char *v;

	memset(cl, 0, sizeof(*cl));
	cl->processor_max_cstate = cl->intel_idle_max_cstate = -1;
	cl->lpj = -1;
	raw = arena_strdup(a, text);
	raw = util_trim(raw);
	if (strchr(raw, '\n')) {
		snprintf(why, UTIL_WHY_LEN,
			 "more than one line (not a /proc/cmdline?)");
		return -1;
	}
	for (const char *p = raw; *p; p++) {
		if ((unsigned char)*p < 0x20 && *p != '\t') {
			snprintf(why, UTIL_WHY_LEN,
				 "control characters (not a /proc/cmdline?)");
			return -1;
		}
	}
	cl->raw = raw;
	cmdline_tokenise(a, raw, &cl->tokens);
	for (size_t i = 0; i < cl->tokens.n; i++) {
		const char *t = cl->tokens.v[i];

		if (util_starts_with(t, "tsc=")) {
			strlist_add(a, &cl->tsc_values, t + 4);
			cmdline_tsc_value(cl, t + 4);
		} else if (!strcmp(t, "notsc")) {
			cl->notsc = true;
		} else if (!strcmp(t, "nowatchdog")) {
			cl->nowatchdog = true;
		}
	}
	cl->clocksource = cmdline_get(cl, "clocksource");
	cl->clock = cmdline_get(cl, "clock");
	cl->idle = cmdline_get(cl, "idle");
	cl->processor_max_cstate =
		cmdline_int(cmdline_get(cl, "processor.max_cstate"), -1);
	cl->intel_idle_max_cstate =
		cmdline_int(cmdline_get(cl, "intel_idle.max_cstate"), -1);
	v = cmdline_get(cl, "lpj");
	if (v) {
		int64_t n;

		if (util_parse_i64(v, &n) && n > 0)
			cl->lpj = n;
	}
	cl->valid = true;
	return 0;
}

const char *cmdline_get(const struct cmdline *cl, const char *name)
{
	size_t n = strlen(name);
	const char *found = NULL;

	for (size_t i = 0; i < cl->tokens.n; i++) {
		const char *t = cl->tokens.v[i];

		if (!strncmp(t, name, n) && t[n] == '=')
			found = t + n + 1;
	}
	return found;
}

bool cmdline_has_word(const struct cmdline *cl, const char *word)
{
	return strlist_has(&cl->tokens, word);
}

/* Does token T have a name listed in NAMES (space separated)? */
static bool cmdline_name_in(const char *t, const char *names)
{
	size_t tn = strcspn(t, "=");
	const char *p = names;

	while (p && *p) {
		size_t n = strcspn(p, " ");

		if (n == tn && !strncmp(p, t, n))
			return true;
		p += n;
		while (*p == ' ')
			p++;
	}
	return false;
}

char *cmdline_merge(struct arena *a, const struct cmdline *cl,
		    const char *drop, const char *add)
{
	struct strlist out = { 0 };
	static const char *const loader = "BOOT_IMAGE root ro rw initrd";

	if (cl && cl->valid) {
		for (size_t i = 0; i < cl->tokens.n; i++) {
			const char *t = cl->tokens.v[i];

			if (cmdline_name_in(t, loader))
				continue;
			if (drop && cmdline_name_in(t, drop))
				continue;
			/* Values with blanks need their quotes back. */
			if (strchr(t, ' ')) {
				const char *eq = strchr(t, '=');

				if (eq)
					strlist_addf(a, &out, "%.*s=\\\"%s\\\"",
						     (int)(eq - t), t, eq + 1);
				else
					strlist_addf(a, &out, "\\\"%s\\\"", t);
				continue;
			}
			if (strlist_has(&out, t))
				continue;
			strlist_add(a, &out, t);
		}
	}
	if (add && *add) {
		char *copy = arena_strdup(a, add), *save = NULL, *p;

		for (p = strtok_r(copy, " ", &save); p;
		     p = strtok_r(NULL, " ", &save))
			if (!strlist_has(&out, p))
				strlist_add(a, &out, p);
	}
	return strlist_join(a, &out, " ");
}

char *cmdline_kernel_line(struct arena *a, const struct cmdline *cl,
			  const char *version, const char *drop,
			  const char *add)
{
	struct strlist out = { 0 };
	const char *image = cl && cl->valid ? cmdline_get(cl, "BOOT_IMAGE") : NULL;

	if (image && image[0] == '(' && strchr(image, ')'))
		image = strchr(image, ')') + 1;
	if (!image || !*image)
		image = version ? arena_printf(a, "/vmlinuz-%s", version) : "/vmlinuz";
	strlist_addf(a, &out, "kernel %s", image);
	for (size_t i = 0; cl && cl->valid && i < cl->tokens.n; i++) {
		const char *t = cl->tokens.v[i];

		const char *eq = strchr(t, '=');

		if (cmdline_name_in(t, "BOOT_IMAGE") || (drop && cmdline_name_in(t, drop)))
			continue;
		if (strchr(t, ' ') && eq)
			strlist_addf(a, &out, "%.*s=\"%s\"", (int)(eq - t), t, eq + 1);
		else
			strlist_add(a, &out, t);
	}
	if (add && *add)
		strlist_add(a, &out, add);
	return strlist_join(a, &out, " ");
}
