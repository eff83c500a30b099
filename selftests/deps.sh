#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs the Debian packages tscmon's build and tests need, if any is
# missing. Bookworm packages only: the sid toolchain for the 7.2 build lives
# in a chroot (selftests/vm/kernel.sh), never on the host.
set -euo pipefail

pkgs=(
	build-essential gcc make bc flex bison libelf-dev kmod cpio xz-utils zstd
	sparse perl python3
	qemu-system-x86 busybox-static debootstrap
	bats bats-assert bats-support
	linux-source-6.1
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

[ "$(id -u)" = 0 ] || {
	echo "deps.sh: missing packages: ${missing[*]}; run as root or install them" >&2
	exit 1
}
echo "deps.sh: installing ${missing[*]}" >&2
apt-get update -q >&2 || true
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	"${missing[@]}" >&2
