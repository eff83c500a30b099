#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh TAG: build tscmon.ko (and the test-only modules) against kernel TAG
# twice: the release build with W=1 and sparse (C=2), where any warning fails,
# into build/TAG/, and the fault-injection build the guests load, into
# build/TAG/fault/.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
tag=${1:?usage: build.sh TAG}
out=$TOP/build/$tag
log=$out/build.log
mkdir -p "$out"

run_build() { # OUT LOG ARGS...
	local o=$1 l=$2
	shift 2
	if ! "$TOP/selftests/vm/kernel.sh" build "$tag" "$o" "$@" >"$l" 2>&1; then
		cat "$l" >&2
		echo "build.sh: the $tag build failed (log: $l)" >&2
		return 1
	fi
	if grep -E '(warning|error):' "$l" >&2; then
		echo "build.sh: the $tag build is not warning-free (log: $l)" >&2
		return 1
	fi
}

# Fetching (for the debug kernel, building it) prints its own warnings:
# keep them out of the module's build log.
"$TOP/selftests/vm/kernel.sh" fetch "$tag" >&2
run_build "$out" "$log" W=1 C=2
run_build "$out/fault" "$out/fault.log" W=1 TSCMON_FAULT_INJECT=1
echo "build.sh: $tag ($("$TOP/selftests/vm/kernel.sh" release "$tag")): W=1 C=2 clean, fault build done"
