// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the module's debugfs files by ABI 1 (docs/debugfs.md).
 * The input is version, summary, cpus, histogram and warps, separated by
 * NUL bytes; a missing section is a missing file.
 */
#include "fuzz.h"

#include "module.h"

struct fuzz_files {
	char *text[MF_WARPS + 1];
};

static char *fuzz_module_file(void *ctx, enum module_file file, char *why)
{
	struct fuzz_files *ff = ctx;

	if (!ff->text[file])
		util_copy(why, UTIL_WHY_LEN, "missing", 7);
	return ff->text[file];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct fuzz_files ff;
	struct module_data md;
	struct strlist notes = { 0 };

	fuzz_sections(a, data, size, ff.text, MF_WARPS + 1);
	memset(&md, 0, sizeof(md));
	md.abi = -1;
	md.present = true;
	module_parse(a, fuzz_module_file, &ff, &md, &notes);
	for (size_t i = 0; md.has_cpus && i < md.ncpus; i++)
		if (md.cpus[i].v[MC_CPU] < 0)
			abort(); /* rows out of range are refused */
	(void)module_summary_get(&md.sum, "tsc_khz", NULL);
	arena_free(a);
	return 0;
}
