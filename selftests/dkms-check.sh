#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-check.sh [RELEASE...]: the whole DKMS cycle (add, build, install,
# remove) of this tree against each installed kernel headers package (by
# default the 6.1 and 6.12 headers of the test matrix), with -k so the kernel
# need not be running. Checks that tscmon.ko lands in updates/dkms with the
# kernel's vermagic and the project's version. Prints TAP lines.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
src=/usr/src/tscmon-$ver

. "$TOP/selftests/tap.sh"

command -v dkms >/dev/null || {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends dkms >&2
}
rels=("$@")
if [ ${#rels[@]} -eq 0 ]; then
	for tag in 6.1 6.12; do
		"$TOP/selftests/vm/kernel.sh" fetch "$tag" >&2 || exit 1
		rels+=("$("$TOP/selftests/vm/kernel.sh" release "$tag")")
	done
fi

cleanup() {
	dkms remove "tscmon/$ver" --all >/dev/null 2>&1
	rm -rf "$src"
}
cleanup
# The same source tree "make dkms-install" gives DKMS.
make -s -C "$TOP" dkms-source >&2
dkms add "tscmon/$ver" >&2
tap $? "dkms add tscmon/$ver"

for rel in "${rels[@]}"; do
	dkms build "tscmon/$ver" -k "$rel" >&2
	tap $? "dkms build -k $rel"
	dkms install "tscmon/$ver" -k "$rel" --force >&2
	tap $? "dkms install -k $rel"
	ko=$(ls /lib/modules/"$rel"/updates/dkms/tscmon.ko* 2>/dev/null | head -n 1)
	magic=$([ -n "$ko" ] && modinfo -F vermagic "$ko" | cut -d' ' -f1)
	modver=$([ -n "$ko" ] && modinfo -F version "$ko")
	[ -n "$ko" ] && [ "$magic" = "$rel" ] && [ "$modver" = "$ver" ]
	tap $? "$rel: ${ko:-no tscmon.ko in updates/dkms}, vermagic '$magic', version '$modver'"
	dkms status "tscmon/$ver" -k "$rel" | grep -q installed
	tap $? "dkms status says installed for $rel"
done

dkms remove "tscmon/$ver" --all >&2
rc=$?
left=$(ls /lib/modules/*/updates/dkms/tscmon.ko* 2>/dev/null)
[ $rc = 0 ] && [ -z "$left" ]
tap $? "dkms remove --all leaves no tscmon.ko behind"
cleanup
exit $tap_failed
