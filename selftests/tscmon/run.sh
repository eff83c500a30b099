#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs every tscmon selftest in the guest, in name order. Each test prints
# its own TAP and exits 0 (pass), 4 (skip, the kselftest convention) or
# anything else (fail). Exits 1 if any test failed.
dir=$(dirname "$0")
failed=0
for t in "$dir"/tscmon_*; do
	[ -x "$t" ] || continue
	echo "# selftest: ${t##*/}"
	"$t"
	rc=$?
	case $rc in
	0 | 4) ;;
	*) echo "# selftest: ${t##*/} exited $rc"; failed=1 ;;
	esac
	# A test that left the module loaded must not change the next one's start.
	grep -q '^tscmon ' /proc/modules && rmmod tscmon
done
exit $failed
