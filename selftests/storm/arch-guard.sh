#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# arch-guard.sh: tscmon refuses to build for anything but x86 (issue 7,
# item 5). The 6.1 headers are x86 only, so a real arm64 build cannot be
# tried here; instead each guard is made to fire on its own:
#  - module/Kbuild and selftests/drivers/Kbuild: kbuild against the 6.1
#    headers with CONFIG_X86 overridden to empty on the make command line
#    (which beats auto.conf) must stop with their $(error), before any
#    compiling;
#  - module/compat.h: the preprocessor, with empty stand-ins for the headers
#    it includes, must stop at its #error without CONFIG_X86 and pass with
#    it.
# Works on a private copy, prints TAP, exits 1 on any failure.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
rel=$("$TOP/selftests/vm/kernel.sh" release 6.1 2>/dev/null)
kdir=/usr/src/linux-headers-$rel
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tscmon-arch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0 rc=0
tap() { # STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; rc=1; fi
}

for dir in module selftests/drivers; do
	if [ ! -d "$kdir" ]; then
		tap 0 "$dir/Kbuild refuses CONFIG_X86 unset # SKIP no $kdir"
		continue
	fi
	mkdir -p "$tmp/$dir"
	cp -r "$TOP/$dir/." "$tmp/$dir/"
	cp "$TOP/dkms.conf" "$tmp/" 2>/dev/null
	out=$(make -C "$kdir" M="$tmp/$dir" CONFIG_X86= modules 2>&1)
	st=$?
	msg=$(echo "$out" | grep -m1 -o 'Kbuild:[0-9]*: \*\*\* .*')
	objs=$(find "$tmp/$dir" -name '*.o' | wc -l)
	[ $st != 0 ] && echo "$msg" | grep -q 'x86' && [ "$objs" = 0 ]
	tap $? "$dir/Kbuild with CONFIG_X86 unset stops before compiling: ${msg:-exit $st, no \$(error)}"
	echo "$out" | grep -m1 -q 'Kbuild:[0-9]*: \*\*\*' || echo "$out" | tail -n 5 | sed 's/^/# /'
done

# Empty stand-ins for whatever compat.h includes, but version.h.
for h in $(sed -n 's/^#include <\(.*\)>.*/\1/p' "$TOP/module/compat.h"); do
	mkdir -p "$tmp/inc/$(dirname "$h")"
	: > "$tmp/inc/$h"
done
cat > "$tmp/inc/linux/version.h" <<'H'
#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + (c))
#define LINUX_VERSION_CODE KERNEL_VERSION(6, 1, 0)
H
out=$(gcc -E -nostdinc -I"$tmp/inc" -o /dev/null "$TOP/module/compat.h" 2>&1)
st=$?
msg=$(echo "$out" | grep -m1 -o '#error .*')
[ $st != 0 ] && echo "$msg" | grep -q 'x86'
tap $? "module/compat.h without CONFIG_X86 stops at: ${msg:-nothing (exit $st)}"
gcc -E -nostdinc -I"$tmp/inc" -DCONFIG_X86=1 -o /dev/null "$TOP/module/compat.h" 2>&1 | head -n 3 | sed 's/^/# /'
tap "${PIPESTATUS[0]}" "module/compat.h with CONFIG_X86 passes the preprocessor"
exit $rc
