// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: a whole machine from buffers, through the advice to every
 * output. The JSON document must be well-formed (RFC 8259, UTF-8) and the
 * Prometheus exposition must be lines of HELP, TYPE and samples; the text
 * outputs are only run, for the sanitizers.
 *
 * Input sections, separated by NUL bytes: cpuinfo, cmdline, kernel log,
 * module version, summary, cpus, histogram, warps, current clocksource,
 * available clocksources, DMI vendor, DMI product, hypervisor CPUID.
 */
#include "fuzz.h"

#include <stdio.h>

#include "advice.h"
#include "facts.h"
#include "output.h"
#include "validate.h"

enum { S_CPUINFO, S_CMDLINE, S_LOG, S_VERSION, S_SUMMARY, S_CPUS, S_HIST,
       S_WARPS, S_CS, S_CS_AVAIL, S_DMI_VENDOR, S_DMI_PRODUCT, S_CPUID,
       S_COUNT };

static char *sec[S_COUNT];

static char *fuzz_module_file(void *ctx, enum module_file file, char *why)
{
	(void)ctx;
	if (!sec[S_VERSION + file])
		util_copy(why, UTIL_WHY_LEN, "missing", 7);
	return sec[S_VERSION + file];
}

/* A one-line value as sysfs gives it: NULL if empty or several lines. */
static const char *fuzz_value(char *s)
{
	return s && *s && !strchr(s, '\n') ? s : NULL;
}

static void fuzz_facts(struct arena *a, struct facts *f)
{
	char why[UTIL_WHY_LEN];

	memset(f, 0, sizeof(*f));
	f->a = a;
	f->root = "fuzz";
	if (!sec[S_CPUINFO] || cpuinfo_parse(sec[S_CPUINFO], &f->cpu, why))
		strlist_add(a, &f->notes, "cpuinfo: fuzz");
	if (!sec[S_CMDLINE] || cmdline_parse(a, sec[S_CMDLINE], &f->cl, why))
		strlist_add(a, &f->notes, "cmdline: fuzz");
	if (!sec[S_LOG] || klog_parse(a, sec[S_LOG], &f->log, why))
		strlist_add(a, &f->notes, "log: fuzz");
	f->mod.abi = -1;
	f->mod.present = sec[S_VERSION] != NULL;
	if (f->mod.present)
		module_parse(a, fuzz_module_file, NULL, &f->mod, &f->notes);
	f->sys.cs.current = fuzz_value(sec[S_CS]);
	if (fuzz_value(sec[S_CS_AVAIL])) {
		char *save = NULL;

		for (char *p = strtok_r(sec[S_CS_AVAIL], " \t", &save); p;
		     p = strtok_r(NULL, " \t", &save))
			strlist_add(a, &f->sys.cs.available, p);
	}
	f->sys.dmi_vendor = fuzz_value(sec[S_DMI_VENDOR]);
	f->sys.dmi_product = fuzz_value(sec[S_DMI_PRODUCT]);
	f->cpuid_signature = fuzz_value(sec[S_CPUID]);
	facts_derive(f);
}

/* Run OUT into memory; returns the text (malloc'd) or aborts. */
static char *fuzz_render(void (*out)(FILE *, const struct facts *,
				     const struct advice *),
			 const struct facts *f, const struct advice *ad)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		abort();
	out(fp, f, ad);
	if (fclose(fp))
		abort();
	return buf;
}

static void fuzz_check(FILE *out, const struct facts *f, const struct advice *ad)
{
	int rc = out_check(out, f, ad);

	if (rc < 0 || rc > 3)
		abort();
}

static void fuzz_status(FILE *out, const struct facts *f, const struct advice *ad)
{
	size_t seen = 0;

	(void)ad;
	out_status_text(out, f);
	out_watch_frame(out, f, &seen, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct advice *ad = arena_alloc(a, sizeof(*ad));
	struct advice_opts o;
	struct facts f;
	char *text;

	fuzz_sections(a, data, size, sec, S_COUNT);
	fuzz_facts(a, &f);
	advice_opts_default(&o);
	advice_host(&f, &o, ad);

	text = fuzz_render(out_json, &f, ad);
	if (!json_valid(text, strlen(text))) {
		fprintf(stderr, "fuzz_json: malformed JSON output:\n%s\n", text);
		abort();
	}
	free(text);
	text = fuzz_render(out_prometheus, &f, ad);
	if (!prom_valid(text, strlen(text))) {
		fprintf(stderr, "fuzz_json: malformed exposition:\n%s\n", text);
		abort();
	}
	free(text);
	free(fuzz_render(out_advice_text, &f, ad));
	free(fuzz_render(fuzz_check, &f, ad));
	free(fuzz_render(fuzz_status, &f, ad));
	arena_free(a);
	return 0;
}
