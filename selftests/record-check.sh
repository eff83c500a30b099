#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# record-check.sh: record in a real 4-CPU guest (selftests/vm/record-guest.sh),
# plot on the host, and check what a person would see: the SVG is valid XML,
# and in Chromium's rendering the injected CPU's line stands apart from the
# others, while in the clean recording it does not. TAP lines; the PNGs stay
# in build/record-guest/.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
ART=$TOP/build/record-guest
PROBE=$TOP/selftests/bats/png_probe.py
TSCMON=$TOP/userspace/tscmon
. "$TOP/selftests/tap.sh"
TAP_PREFIX="record in a guest: "
rm -rf "$ART"
mkdir -p "$ART"
make -s -C "$TOP/userspace" >&2 || exit 1
command -v chromium >/dev/null ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2

"$TOP/selftests/vm/run.sh" --kernel 6.1 --smp 4 --script "$TOP/selftests/vm/record-guest.sh" > "$ART/guest.log" 2>&1
tap $? "the guest recorded and finished cleanly ($(tail -n 1 "$ART/guest.log"))"

for name in clean injected; do
	# The recording as printed, without the kernel's console lines.
	sed -n "/^TSCMON-REC-BEGIN $name\$/,/^TSCMON-REC-END $name\$/p" "$ART/guest.log" |
		sed '1d;$d' | grep -Ev '^\[ *[0-9]+\.[0-9]+\] ' > "$ART/$name.rec"
	"$TSCMON" plot "$ART/$name.rec" "$ART/$name.svg"
	tap $? "tscmon plot draws the $name recording ($(grep -c '^poll ' "$ART/$name.rec") polls)"
	python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$ART/$name.svg"
	tap $? "the $name SVG is valid XML"
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$ART/chromium-$name" --screenshot="$ART/$name.png" \
		--window-size=1200,1100 "file://$ART/$name.svg" >/dev/null 2>&1
	[ -s "$ART/$name.png" ]
	tap $? "Chromium renders the $name plot to PNG"
done
grep -q '^file events ' "$ART/injected.rec" && grep -q '^file idle ' "$ART/injected.rec" &&
	grep -q '^file freq ' "$ART/injected.rec"
tap $? "the recording holds the idle, freq and events files"

# The skew panel is x 120..1000, y 72..392; CPU 1 is drawn in #d62728, CPUs
# 0, 2 and 3 in #1f77b4, #2ca02c, #ff7f0e (userspace/plot.c, svg.c).
others='#1f77b4,#2ca02c'
read -r i1 iy1 < <(python3 "$PROBE" "$ART/injected.png" '#d62728' 125 72 995 392)
read -r i0 iy0 < <(python3 "$PROBE" "$ART/injected.png" "$others" 125 72 995 392)
echo "# injected: CPU 1 $i1 px at median y $iy1; CPUs 0 and 2 $i0 px at median y $iy0"
[ "$i1" -gt 100 ] && [ "$i0" -gt 100 ] && [ $((iy0 - iy1)) -gt 100 ]
tap $? "with 200000 cycles injected, CPU 1's line stands well above CPUs 0 and 2"
read -r c1 cy1 < <(python3 "$PROBE" "$ART/clean.png" '#d62728' 125 72 995 392)
read -r c0 cy0 < <(python3 "$PROBE" "$ART/clean.png" "$others" 125 72 995 392)
echo "# clean: CPU 1 $c1 px at median y $cy1; CPUs 0 and 2 $c0 px at median y $cy0"
[ "$c0" -gt 100 ] && { [ "$c1" = 0 ] || { [ $((cy0 - cy1)) -lt 40 ] && [ $((cy1 - cy0)) -lt 40 ]; }; }
tap $? "without injection, CPU 1's line is with the others"
exit $tap_failed
