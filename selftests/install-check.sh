#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install and make uninstall into a scratch DESTDIR, with a PREFIX other
# than the default, against the 6.1 headers of the test matrix. TAP lines.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
kver=$("$TOP/selftests/vm/kernel.sh" release 6.1) || exit 1
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
. "$TOP/selftests/tap.sh"

# Build in a private copy: the tree's own module/ may hold another kernel's objects.
work=$dest/src
mkdir -p "$work"
tar -C "$TOP" --exclude=.cache --exclude=build --exclude=.git -cf - . | tar -C "$work" -xf -
make -s -C "$work" clean KVER="$kver" >/dev/null 2>&1
make -s -C "$work" install KVER="$kver" DESTDIR="$dest/root" PREFIX=/usr >&2
tap $? "make install DESTDIR=... PREFIX=/usr KVER=$kver"

r=$dest/root
for f in "lib/modules/$kver/updates/tscmon.ko" usr/bin/tscmon \
	usr/libexec/tscmon/tscmon-export usr/lib/systemd/system/tscmon-export.service \
	usr/lib/systemd/system/tscmon-export.timer usr/share/doc/tscmon/debugfs.md; do
	[ -f "$r/$f" ]
	tap $? "installed /$f"
done
[ -x "$r/usr/bin/tscmon" ] && "$r/usr/bin/tscmon" --version | grep -q "^tscmon "
tap $? "the installed client runs"
[ "$(modinfo -F vermagic "$r/lib/modules/$kver/updates/tscmon.ko" | cut -d' ' -f1)" = "$kver" ]
tap $? "the installed module's vermagic is $kver"
! grep -q /usr/local "$r/usr/lib/systemd/system/tscmon-export.service" &&
	grep -q '^ExecStart=/usr/libexec/tscmon/tscmon-export$' "$r/usr/lib/systemd/system/tscmon-export.service"
tap $? "the unit names PREFIX=/usr, not /usr/local"
[ ! -e "$r/etc/modules-load.d/tscmon.conf" ]
tap $? "the module-load file is not installed unless asked for"
make -s -C "$work" install-modules-load DESTDIR="$dest/root" >&2 &&
	grep -qx tscmon "$r/etc/modules-load.d/tscmon.conf"
tap $? "make install-modules-load installs it"

make -s -C "$work" uninstall KVER="$kver" DESTDIR="$dest/root" PREFIX=/usr >&2
left=$(find "$r" -type f | sed "s|^$r||")
[ -z "$left" ]
tap $? "make uninstall removes every file${left:+ (left: $left)}"
exit $tap_failed
