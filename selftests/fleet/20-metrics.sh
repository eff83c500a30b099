#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# promtool check metrics on the export of every fixture tree, written the
# way the timer writes it (contrib/systemd/tscmon-export), plus a broken
# exposition that promtool must reject, so a pass means something.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need "$PROMTOOL=prometheus"
need_client

n=0
for dir in "$FIXTURES"/*/; do
	name=$(basename "$dir")
	[ -f "$dir/proc/cpuinfo" ] || continue
	out=$WORK/$name
	mkdir -p "$out"
	if ! err=$(TSCMON=$TSCMON "$EXPORT" --root "$dir" "$out" 2>&1); then
		not_ok "$name: tscmon-export failed"
		diag "$err"
		continue
	fi
	n=$((n + 1))
	check "$name: promtool check metrics" sh -c '"$1" check metrics < "$2"' sh "$PROMTOOL" "$out/tscmon.prom"
	check "$name: the export has tscmon_ samples" grep -q '^tscmon_build_info{' "$out/tscmon.prom"
done
[ "$n" -gt 0 ] || not_ok "no fixture tree found under $FIXTURES"

printf 'tscmon_bad_count 1\n' >"$WORK/bad.prom"
if "$PROMTOOL" check metrics <"$WORK/bad.prom" >/dev/null 2>&1; then
	not_ok "promtool check metrics rejects an exposition without HELP/TYPE"
else
	ok "promtool check metrics rejects an exposition without HELP/TYPE"
fi

done_testing
