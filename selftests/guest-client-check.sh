#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest-client-check.sh TAG: the client against the real module in a guest
# of kernel TAG (selftests/vm/guest-client.sh), and every debugfs file,
# table column and summary key the module creates compared with
# docs/debugfs.md. TAP lines.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
tag=${1:-6.1}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$TOP/selftests/vm/run.sh" --kernel "$tag" --smp 2 --script "$TOP/selftests/vm/guest-client.sh" > "$log" 2>&1
rc=$?
grep -E '^(ok|not ok) |^# ' "$log" | grep -v '^# selftest'
doc=$TOP/docs/debugfs.md
missing=""
while read -r _ what a b; do
	name=${b:-$a}
	# Files, keys and columns are named in backticks in the ABI document
	# (files also by their heading); histogram columns b1..b30 as bK.
	[[ $what = column && $a = histogram && $name =~ ^b([1-9]|[12][0-9]|30)$ ]] && name=bK
	grep -q "\`$name\`" "$doc" || grep -q "^### $name[ ,]" "$doc" ||
		missing="$missing $what:${b:+$a/}$name"
done < <(grep '^TSCMON-ABI ' "$log" | sort -u)
count=$(grep -c '^TSCMON-ABI ' "$log")
if [ "$count" -gt 20 ] && [ -z "$missing" ]; then
	echo "ok - $tag: docs/debugfs.md names all $count debugfs files, columns and keys the module creates"
else
	echo "not ok - $tag: docs/debugfs.md lacks:${missing:- (no interface seen: $count)}"
fi
exit $rc
