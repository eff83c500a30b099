#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernels of tscmon's test matrix: where their headers and boot images
# come from, where they are cached, and how to build a module against them.
#
#   kernel.sh fetch TAG            make TAG's headers and image available
#   kernel.sh release TAG          print its uname -r
#   kernel.sh build TAG OUT [ARGS] build module/ against it, copy *.ko to OUT
#   kernel.sh tags                 list the matrix
#   kernel.sh source               unpack kselftest.h and checkpatch.pl from
#                                  Debian's linux-source-6.1; print the dir
#
# TAG is 6.1 (bookworm), 6.12 (bookworm-backports), 7.2 (sid, built in a
# debootstrap chroot because its headers need sid's compiler) or debug (6.1
# built here from linux-source-6.1 with KASAN, lockdep and kmemleak; see
# debug-kernel.sh). 6.1 and 6.12
# headers are installed on the host as Debian packages (DKMS needs them there
# too); boot images and the sid chroot are kept under $CACHE (default
# .cache/ at the top of the tree), so a second run downloads nothing.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${CACHE:-$TOP/.cache}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SID=$CACHE/sid
TAGS="6.1 6.12 7.2 debug"

die() { echo "kernel.sh: $*" >&2; exit 1; }
log() { echo "kernel.sh: $*" >&2; }

apt_install() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "$@" >&2
}

backports_enable() {
	local list=/etc/apt/sources.list.d/tscmon-bookworm-backports.list
	if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		echo "deb $MIRROR bookworm-backports main" > "$list"
		apt-get update -q >&2
	fi
}

# The versioned package a Debian metapackage in SUITE points at.
meta_target() { # META SUITE
	apt-cache show "$1/$2" 2>/dev/null |
		sed -n 's/^Depends: .*\(linux-[a-z]*-[0-9][^ ,]*\) (=.*/\1/p' | head -n 1
}

host_release() { # TAG -> uname -r of the headers installed for it
	local pat
	case $1 in
	6.1) pat='6.1.0-*-amd64' ;;
	6.12) pat='6.12.*-amd64' ;;
	*) die "no host release for $1" ;;
	esac
	# Newest installed headers of that series.
	(cd /usr/src && ls -d linux-headers-$pat 2>/dev/null) |
		sed 's/^linux-headers-//' | sort -V | tail -n 1
}

fetch_host_headers() { # TAG
	local suite=bookworm pkg
	[ "$1" = 6.12 ] && suite=bookworm-backports
	[ -n "$(host_release "$1")" ] && return 0
	[ "$suite" = bookworm-backports ] && backports_enable
	pkg=$(meta_target linux-headers-amd64 "$suite")
	if [ -z "$pkg" ]; then
		apt-get update -q >&2
		pkg=$(meta_target linux-headers-amd64 "$suite")
	fi
	[ -n "$pkg" ] || die "cannot find linux-headers-amd64 in $suite"
	# The security suite may carry a newer 6.1 than the release: take the
	# candidate of the versioned name apt resolves.
	if [ "$1" = 6.1 ]; then
		pkg=$(apt-cache depends linux-headers-amd64 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-headers-6\.1\.[^ ]*\)$/\1/p' | head -n 1)
	fi
	log "installing $pkg"
	apt_install "$pkg"
}

# Unpack the image (and, on sid, the modules package) of RELEASE into DIR:
# DIR/vmlinuz, DIR/modules/ (the lib/modules/RELEASE tree), DIR/release.
unpack_image() { # DIR RELEASE DEBDIR
	local dir=$1 rel=$2 debs=$3 d tmp=$1/unpack.tmp mods
	rm -rf "$tmp"
	mkdir -p "$tmp"
	for d in "$debs"/*.deb; do
		dpkg-deb -x "$d" "$tmp"
	done
	for mods in "$tmp/lib/modules/$rel" "$tmp/usr/lib/modules/$rel" ""; do
		[ -d "$mods" ] && break
	done
	[ -n "$mods" ] || die "no modules for $rel in the image packages"
	for d in "$tmp/boot/vmlinuz-$rel" "$mods/vmlinuz" ""; do
		[ -f "$d" ] && break
	done
	[ -n "$d" ] || die "no vmlinuz for $rel in the image packages"
	cp "$d" "$dir/vmlinuz"
	rm -rf "$dir/modules" "$dir/root"
	mv "$mods" "$dir/modules"
	rm -rf "$tmp"
	echo "$rel" > "$dir/release"
}

fetch_host_image() { # TAG
	local dir=$CACHE/kernels/$1 rel debs
	rel=$(host_release "$1")
	[ -n "$rel" ] || die "headers for $1 are not installed"
	if [ -f "$dir/vmlinuz" ] && [ "$(cat "$dir/release" 2>/dev/null)" = "$rel" ]; then
		return 0
	fi
	debs=$CACHE/debs/$1
	rm -rf "$debs"
	mkdir -p "$debs" "$dir"
	log "downloading the $rel image"
	# The signed and unsigned images hold the same modules; either will do.
	(cd "$debs" && { apt-get download -q "linux-image-$rel-unsigned" >&2 ||
		apt-get download -q "linux-image-$rel" >&2; })
	unpack_image "$dir" "$rel" "$debs"
	rm -rf "$debs"
}

sid_run() { chroot "$SID" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C "$@"; }

# objtool needs /proc in the chroot while building; it is mounted only for
# the build, so nothing stays mounted under the cache.
sid_mount() {
	mountpoint -q "$SID/proc" || mount -t proc proc "$SID/proc"
}

sid_umount() {
	if mountpoint -q "$SID/proc"; then umount "$SID/proc"; fi
}

fetch_sid() {
	local dir=$CACHE/kernels/7.2 rel debs
	if [ ! -x "$SID/usr/bin/make" ] || [ ! -f "$SID/.tscmon-ready" ]; then
		command -v debootstrap >/dev/null || apt_install debootstrap
		rm -rf "$SID"
		log "debootstrap sid into $SID (about two minutes)"
		debootstrap --variant=minbase \
			--include=gcc-16,make,linux-headers-amd64,sparse,kmod,xz-utils,zstd \
			sid "$SID" "$MIRROR" >&2 ||
			die "debootstrap of sid failed"
		touch "$SID/.tscmon-ready"
	fi
	rel=$(cd "$SID/usr/src" && ls -d linux-headers-*-amd64 | sed 's/^linux-headers-//' | sort -V | tail -n 1)
	[ -n "$rel" ] || die "no amd64 headers in the sid chroot"
	sid_checker_shim
	if [ -f "$dir/vmlinuz" ] && [ "$(cat "$dir/release" 2>/dev/null)" = "$rel" ]; then
		return 0
	fi
	debs=$CACHE/debs/7.2
	rm -rf "$debs" "$SID/tmp/debs"
	mkdir -p "$debs" "$dir" "$SID/tmp/debs"
	log "downloading the $rel image inside the chroot"
	sid_run sh -c "cd /tmp/debs && apt-get download -q linux-binary-$rel linux-modules-$rel" >&2 ||
		sid_run sh -c "cd /tmp/debs && apt-get download -q linux-image-$rel-unsigned" >&2 ||
		die "cannot download the $rel image in sid"
	mv "$SID"/tmp/debs/*.deb "$debs"/
	unpack_image "$dir" "$rel" "$debs"
	rm -rf "$debs"
}

# Debian's 7.2 headers package leaves out scripts/checker-valid.sh, which the
# top Makefile runs before C=1/C=2 builds; without it kbuild silently drops
# sparse. Stand in for it: the checker is usable when it can preprocess an
# empty file with the flags kbuild gives it.
sid_checker_shim() {
	local f
	for f in "$SID"/usr/src/linux-headers-*-common/scripts; do
		[ -e "$f/checker-valid.sh" ] && continue
		cat > "$f/checker-valid.sh" <<'SHIM'
#!/bin/sh
# Added by tscmon's kernel.sh: prints 1 when the checker ("$@") runs.
"$@" -E - </dev/null >/dev/null 2>&1 && echo 1
SHIM
		chmod +x "$f/checker-valid.sh"
	done
}

# The debug kernel is built once and kept; a changed debug-kernel.sh (a
# changed configuration) builds it again. Compared by content, not time: a
# fresh clone's files are all newer than the cache.
fetch_debug() {
	local dir=$CACHE/kernels/debug script=$TOP/selftests/vm/debug-kernel.sh sum
	sum=$(sha256sum "$script" | cut -d' ' -f1)
	if [ -f "$dir/vmlinuz" ] && [ -f "$dir/release" ] &&
		[ "$(cat "$dir/script.sha256" 2>/dev/null)" = "$sum" ]; then
		return 0
	fi
	mkdir -p "$dir"
	exec 8>"$CACHE/debug-kernel.lock"
	flock 8
	"$script" "$dir"
	echo "$sum" > "$dir/script.sha256"
	flock -u 8
}

release() { # TAG
	case $1 in
	6.1 | 6.12) host_release "$1" ;;
	7.2 | debug) cat "$CACHE/kernels/$1/release" ;;
	*) die "unknown kernel '$1' (one of: $TAGS)" ;;
	esac
}

fetch() { # TAG
	case $1 in
	6.1 | 6.12) fetch_host_headers "$1" && fetch_host_image "$1" ;;
	7.2) fetch_sid ;;
	debug) fetch_debug ;;
	*) die "unknown kernel '$1' (one of: $TAGS)" ;;
	esac
}

# What a module build needs from the tree.
copy_tree() { # DEST
	local p paths=()
	for p in Kbuild Makefile dkms.conf module selftests/drivers; do
		[ -e "$TOP/$p" ] && paths+=("$p")
	done
	tar -C "$TOP" --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		-cf - "${paths[@]}" | tar -C "$1" -xf -
}

# Build module/ (and the test-only modules) in a private copy of the tree,
# so builds against different kernels can never mix their objects.
build() { # TAG OUT [make args...]
	local tag=$1 out=$2 rel work
	shift 2
	fetch "$tag"
	rel=$(release "$tag")
	mkdir -p "$out"
	# One build per kernel at a time: they share the work copy (and, for
	# 7.2, the chroot's /proc mount).
	exec 9>"$CACHE/build-$tag.lock"
	flock 9
	case $tag in
	7.2)
		work=/tmp/tscmon-build
		rm -rf "$SID$work"
		mkdir -p "$SID$work"
		copy_tree "$SID$work"
		sid_mount
		trap sid_umount EXIT
		sid_run make -C "$work" modules test-modules KDIR="/usr/src/linux-headers-$rel" "$@"
		sid_umount
		cp "$SID$work"/module/*.ko "$out"/
		cp "$SID$work"/selftests/drivers/*.ko "$out"/ 2>/dev/null || true
		;;
	*)
		local kdir=/usr/src/linux-headers-$rel
		[ "$tag" = debug ] && kdir=$CACHE/kernels/debug/build
		work=$CACHE/build/$tag
		rm -rf "$work"
		mkdir -p "$work"
		copy_tree "$work"
		make -C "$work" modules test-modules KDIR="$kdir" "$@"
		cp "$work"/module/*.ko "$out"/
		cp "$work"/selftests/drivers/*.ko "$out"/ 2>/dev/null || true
		;;
	esac
}

# The few files of the 6.1 source tree the tests use, taken from Debian's
# linux-source-6.1 at build time and never copied into the repository.
source_files() {
	local dir=$CACHE/linux-source-6.1 tarball
	if [ ! -f "$dir/.ready" ]; then
		tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
		[ -n "$tarball" ] || apt_install linux-source-6.1
		tarball=$(ls /usr/src/linux-source-6.1.tar.* | head -n 1)
		rm -rf "$dir"
		mkdir -p "$dir"
		log "unpacking kselftest.h and checkpatch.pl from $tarball"
		tar -C "$dir" --strip-components=1 -xf "$tarball" \
			linux-source-6.1/tools/testing/selftests/kselftest.h \
			linux-source-6.1/scripts/checkpatch.pl \
			linux-source-6.1/scripts/spelling.txt \
			linux-source-6.1/scripts/const_structs.checkpatch
		touch "$dir/.ready"
	fi
	echo "$dir"
}

cmd=${1:-}
shift || true
case $cmd in
fetch) fetch "$@" ;;
release) release "$@" ;;
build) build "$@" ;;
tags) echo "$TAGS" ;;
source) source_files ;;
*) die "usage: kernel.sh fetch|release|build|tags|source ..." ;;
esac
