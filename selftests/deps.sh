#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs the Debian packages tscmon's build and tests need, if any is
# missing. Bookworm packages only: the sid toolchain for the 7.2 build lives
# in a chroot (selftests/vm/kernel.sh), never on the host.
set -euo pipefail

pkgs=(
	build-essential gcc make bc flex bison libelf-dev kmod cpio xz-utils zstd
	sparse perl python3 clang libclang-rt-14-dev xxd dkms man-db groff-base valgrind
	busybox-static debootstrap
	bats bats-assert bats-support curl
	prometheus prometheus-node-exporter chromium
	linux-source-6.1
)

# QEMU comes from bookworm-backports: bookworm's 7.2, with multi-threaded
# TCG, lets guest CPUs run stale code while the guest kernel patches its
# text (static keys flipped by tracepoint registration, a clocksource
# change), which ends in "Oops: int3" in 6.12 and 7.2 guests now and then.
# 10.0 from backports ran the same stress cleanly (docs/testing.md).
qemu_min=1:10.0
backports=/etc/apt/sources.list.d/tscmon-bookworm-backports.list

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
qver=$(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null || true)
need_qemu=0
if [ -z "$qver" ] || dpkg --compare-versions "$qver" lt "$qemu_min"; then
	need_qemu=1
fi
[ ${#missing[@]} -eq 0 ] && [ $need_qemu = 0 ] && exit 0

[ "$(id -u)" = 0 ] || {
	echo "deps.sh: missing packages: ${missing[*]}; run as root or install them" >&2
	exit 1
}
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo "deb http://deb.debian.org/debian bookworm-backports main" > "$backports"
fi
echo "deps.sh: installing ${missing[*]}$([ $need_qemu = 1 ] && echo " qemu-system-x86 (bookworm-backports)")" >&2
apt-get update -q >&2 || true
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ]; then
	apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi
if [ $need_qemu = 1 ]; then
	apt-get install -y -q --no-install-recommends -t bookworm-backports qemu-system-x86 >&2
fi
