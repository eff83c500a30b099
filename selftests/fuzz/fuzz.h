/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the libFuzzer targets: turning the fuzzer's bytes into the
 * NUL-terminated, writable text the parsers take. A target with several
 * inputs (the module's files, a whole machine) reads them as sections
 * separated by NUL bytes, which no real input holds (util_read() refuses
 * them), so every section is a string as it comes.
 */
#ifndef TSCMON_FUZZ_H
#define TSCMON_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* DATA as a NUL-terminated copy in A (cut at its first NUL, if any). */
static inline char *fuzz_text(struct arena *a, const uint8_t *data, size_t size)
{
	return arena_strndup(a, (const char *)data, strnlen((const char *)data, size));
}

/*
 * DATA split at NUL bytes into at most MAX sections, copied into A;
 * absent sections are NULL. Returns how many there were.
 */
static inline size_t fuzz_sections(struct arena *a, const uint8_t *data,
				   size_t size, char **sec, size_t max)
{
	size_t n = 0, pos = 0;

	for (size_t i = 0; i < max; i++)
		sec[i] = NULL;
	while (n < max && pos <= size) {
		const uint8_t *nul = memchr(data + pos, 0, size - pos);
		size_t len = nul ? (size_t)(nul - (data + pos)) : size - pos;

		sec[n++] = arena_strndup(a, (const char *)data + pos, len);
		pos += len + 1;
		if (!nul)
			break;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
