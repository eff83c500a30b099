#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh --kernel TAG [--smp N] [--timeout S] [--append ARGS] [--script FILE]
#
# Boots kernel TAG (6.1, 6.12, 7.2) in a QEMU TCG guest with tscmon's
# fault-injection build, the test-only modules, the client and the
# selftests in an initramfs, and runs the selftests (or FILE instead) inside.
# The guest's console streams to stdout. Exits non-zero if the tests or the
# script failed, the guest did not finish within S seconds, or its kernel
# log holds a BUG, WARNING, Oops, panic or sanitizer report. The last line
# is a TAP line for the guest itself. docs/testing.md has the contract.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
VM=$TOP/selftests/vm
tag=6.1 smp=2 timeout=300 append="" script="" mem=512

usage() { echo "usage: run.sh --kernel 6.1|6.12|7.2|debug [--smp N] [--timeout S] [--append ARGS] [--script FILE]" >&2; exit 64; }
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) tag=${2:?}; shift 2 ;;
	--smp) smp=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--append) append=${2?}; shift 2 ;;
	--script) script=${2:?}; shift 2 ;;
	--mem) mem=${2:?}; shift 2 ;;
	*) usage ;;
	esac
done
case $tag in 6.1 | 6.12 | 7.2 | debug) ;; *) echo "run.sh: unknown kernel '$tag'" >&2; usage ;; esac
[[ $smp =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --smp wants a CPU count, not '$smp'" >&2; exit 64; }
if [ -n "$script" ] && [ ! -r "$script" ]; then
	echo "run.sh: cannot read script '$script'" >&2
	exit 66
fi

"$VM/kernel.sh" fetch "$tag"
kdir=${CACHE:-$TOP/.cache}/kernels/$tag
rel=$(cat "$kdir/release")
out=$TOP/build/$tag

# Rebuild the modules when a source is newer than the last build.
if [ ! -f "$out/fault/tscmon.ko" ] ||
	[ -n "$(find "$TOP/module" "$TOP/dkms.conf" "$TOP/selftests/drivers" -newer "$out/fault/tscmon.ko" -type f 2>/dev/null | head -n 1)" ]; then
	"$VM/build.sh" "$tag" >&2
fi
make -s -C "$TOP/userspace" static >&2
make -s -C "$TOP/selftests/tscmon" >&2

# The initramfs.
root=$(mktemp -d "${TMPDIR:-/tmp}/tscmon-vm.XXXXXX")
log=$root.log
trap 'rm -rf "$root" "$root.cpio.gz"; [ -f "$log" ] && mv "$log" "$out/vm-smp$smp.log"' EXIT
mkdir -p "$root"/{bin,opt/tscmon/bin,opt/tscmon/selftests,lib/modules/$rel/kernel}
cp /bin/busybox "$root/bin/busybox"
cp "$VM/init.sh" "$root/init"
chmod +x "$root/init"
cp "$out"/fault/*.ko "$root/opt/tscmon/"
mkdir -p "$root/opt/tscmon/release"
cp "$out/tscmon.ko" "$root/opt/tscmon/release/"
cp "$TOP/userspace/tscmon.static" "$root/opt/tscmon/bin/tscmon"
cp "$TOP/selftests/tscmon/run.sh" "$root/opt/tscmon/selftests/run.sh"
cp "$TOP/selftests/tap.sh" "$root/opt/tscmon/tap.sh"
find "$TOP/build/selftests" -maxdepth 1 -type f -name 'tscmon_*' -perm -u+x \
	-exec cp {} "$root/opt/tscmon/selftests/" \;
[ -n "$script" ] && cp "$script" "$root/opt/tscmon/script.sh"

# In-tree modules the tests use, uncompressed (busybox cannot unpack them),
# both in /opt/tscmon/ and where modprobe finds them.
for m in arch/x86/kernel/msr drivers/cpufreq/cpufreq_userspace; do
	src=$(ls "$kdir/modules/kernel/$m".ko* 2>/dev/null | head -n 1)
	[ -n "$src" ] || continue # built in on this kernel
	dst=$root/lib/modules/$rel/kernel/$m.ko
	mkdir -p "$(dirname "$dst")"
	case $src in
	*.xz) xz -dc "$src" > "$dst" ;;
	*.zst) zstd -qdc "$src" > "$dst" ;;
	*.gz) gzip -dc "$src" > "$dst" ;;
	*) cp "$src" "$dst" ;;
	esac
	cp "$dst" "$root/opt/tscmon/"
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
	if [ -f "$kdir/modules/$f" ]; then
		cp "$kdir/modules/$f" "$root/lib/modules/$rel/"
	else
		: > "$root/lib/modules/$rel/$f"
	fi
done
depmod -b "$root" "$rel"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$root.cpio.gz"

echo "run.sh: booting $tag ($rel), -smp $smp, timeout ${timeout}s" >&2
start=$(date +%s)
set +e
timeout --foreground -k 5 "$timeout" qemu-system-x86_64 -accel tcg -cpu max \
	-smp "$smp" -m "$mem" -display none -monitor none -serial stdio \
	-no-reboot -kernel "$kdir/vmlinuz" -initrd "$root.cpio.gz" \
	-append "console=ttyS0 quiet panic=-1 oops=panic $append" </dev/null 2>&1 |
	tr -d '\r' | tee "$log"
qrc=${PIPESTATUS[0]}
set -e
secs=$(($(date +%s) - start))

# Judge the run.
why=""
rc=$(sed -n 's/^TSCMON-VM: rc=\([0-9]*\)$/\1/p' "$log" | tail -n 1)
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	why="the guest did not finish within ${timeout}s"
elif [ -z "$rc" ]; then
	why="the guest stopped before the tests ended (QEMU exit $qrc)"
elif [ "$rc" != 0 ]; then
	why="the tests exited $rc"
fi
# Kernel messages are the timestamped lines, on the console or in the dump.
bad=$(grep -E '^\[ *[0-9]+\.[0-9]+\] .*(BUG:|WARNING:|Oops|Kernel panic|general protection fault|UBSAN:|KASAN:|kmemleak: .*suspected memory leak|unreferenced object|Call Trace:|sleeping function called from invalid context|possible circular locking|inconsistent lock state)' "$log" | head -n 5 || true)
if ! grep -q '^TSCMON-VM: dmesg-end$' "$log" && [ -z "$why" ]; then
	why="the guest did not dump its kernel log"
fi
if [ -n "$bad" ]; then
	why="${why:+$why; }the kernel log has: $(echo "$bad" | head -n 1)"
fi
desc="guest $tag -smp $smp${append:+ ($append)}: ${secs}s"
if [ -z "$why" ]; then
	echo "ok - $desc, finished cleanly"
	exit 0
fi
echo "not ok - $desc: $why"
exit 1
