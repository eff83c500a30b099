// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the number and line helpers every parser stands on.
 * util_parse_i64() is hand-written for speed; it is checked here against
 * strtoll(), whose rules it promises to keep.
 */
#include "fuzz.h"

#include <errno.h>

/* util_parse_i64() as it was written over strtoll(): the reference. */
static bool ref_parse_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s)
		return false;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (*end)
		return false;
	*out = v;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	char *text = fuzz_text(a, data, size);
	const char *pos = text, *line;
	size_t len, total = 0;
	int64_t got = 0, want = 0;
	uint64_t u;
	double d;
	bool ok = util_parse_i64(text, &got), ref = ref_parse_i64(text, &want);

	if (ok != ref || (ok && got != want))
		abort(); /* differs from strtoll() */
	(void)util_parse_u64(text, &u);
	(void)util_parse_double(text, &d);
	while (util_next_line(&pos, &line, &len)) {
		if (line < text || line + len > text + strlen(text) ||
		    memchr(line, '\n', len))
			abort(); /* a line stays inside the text, without its newline */
		total++;
		(void)util_memstr(line, len, "TSC");
	}
	(void)total;
	(void)util_trim(text);
	arena_free(a);
	return 0;
}
