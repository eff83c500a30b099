#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict (from Debian's linux-source-6.1) over every kernel
# source file of the project; one TAP line per file. Exits 1 if any file
# has an error, a warning or a check.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
src=$("$TOP/selftests/vm/kernel.sh" source) || exit 1
cd "$TOP" || exit 1
failed=0
for f in module/*.[ch] selftests/drivers/*.[ch]; do
	[ -f "$f" ] || continue
	# An out-of-tree module must test the kernel version somewhere; the
	# project keeps every such test in its compat.h files, and only there
	# is checkpatch's LINUX_VERSION_CODE warning accepted.
	ignore=()
	[ "${f##*/}" = compat.h ] && ignore=(--ignore LINUX_VERSION_CODE)
	if out=$(perl "$src/scripts/checkpatch.pl" --strict --no-tree --quiet \
		--show-types "${ignore[@]}" -f "$f" 2>&1) && [ -z "$out" ]; then
		echo "ok - checkpatch --strict $f"
	else
		echo "$out" | sed 's/^/# /'
		echo "not ok - checkpatch --strict $f"
		failed=1
	fi
done
exit $failed
