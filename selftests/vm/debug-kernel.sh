#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh OUTDIR: build the 6.1 debug kernel of the test matrix from
# Debian's linux-source-6.1: KASAN, lockdep, kmemleak, debug objects, UBSAN
# and atomic-sleep checks, on a trimmed configuration that boots in QEMU
# with what tscmon and its tests need and little else. Installs into OUTDIR
# (vmlinuz, modules/, release, build -> the kernel tree for module builds).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${CACHE:-$TOP/.cache}
out=${1:?usage: debug-kernel.sh OUTDIR}
src=$CACHE/debug-src
jobs=${JOBS:-$(nproc)}

log() { echo "debug-kernel.sh: $*" >&2; }

tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends linux-source-6.1 >&2
	tarball=$(ls /usr/src/linux-source-6.1.tar.* | head -n 1)
}
if [ ! -f "$src/.unpacked" ]; then
	log "unpacking $tarball"
	rm -rf "$src"
	mkdir -p "$src"
	tar -C "$src" --strip-components=1 -xf "$tarball"
	touch "$src/.unpacked"
fi

# The options the tests need (selftests/tscmon/config) and the debugging
# this kernel exists for; anything olddefconfig drops fails the build.
want_y=(
	64BIT SMP PRINTK PRINTK_TIME BUG TTY SERIAL_8250 SERIAL_8250_CONSOLE
	BLK_DEV_INITRD RD_GZIP BINFMT_ELF BINFMT_SCRIPT PROC_FS SYSFS DEVTMPFS
	TMPFS MULTIUSER FUTEX EPOLL SIGNALFD TIMERFD EVENTFD POSIX_TIMERS
	SHMEM FILE_LOCKING PCI ACPI HPET_TIMER X86_TSC X86_LOCAL_APIC
	HIGH_RES_TIMERS NO_HZ_IDLE HOTPLUG_CPU MODULES MODULE_UNLOAD KALLSYMS
	DEBUG_FS DEBUG_FS_ALLOW_ALL FTRACE TRACEPOINTS ENABLE_DEFAULT_TRACERS
	CPU_IDLE CPU_IDLE_GOV_MENU CPU_FREQ CPU_FREQ_STAT
	SLUB KASAN KASAN_GENERIC KASAN_INLINE UBSAN UBSAN_BOUNDS
	PROVE_LOCKING DEBUG_ATOMIC_SLEEP DEBUG_KMEMLEAK DEBUG_OBJECTS
	DEBUG_OBJECTS_TIMERS DEBUG_OBJECTS_WORK DEBUG_LIST DEBUG_KERNEL
	STACKTRACE PANIC_ON_OOPS
)
want_m=(X86_MSR CPU_FREQ_GOV_USERSPACE)
want_n=(SLOB DEBUG_KMEMLEAK_DEFAULT_OFF MODULE_SIG RANDOMIZE_BASE)

cd "$src"
cfg=.config.tscmon
sum=$(sha256sum "$0" | cut -d' ' -f1)
if [ ! -f "$cfg" ] || [ "$(cat "$cfg.sha256" 2>/dev/null)" != "$sum" ]; then
	log "configuring (tinyconfig plus what tscmon's tests and the debug checks need)"
	make -s tinyconfig >&2
	args=()
	for o in "${want_y[@]}"; do args+=(-e "$o"); done
	for o in "${want_m[@]}"; do args+=(-m "$o"); done
	for o in "${want_n[@]}"; do args+=(-d "$o"); done
	scripts/config "${args[@]}" --set-str LOCALVERSION "-tscmon-debug" \
		--set-val DEBUG_KMEMLEAK_MEM_POOL_SIZE 16000
	make -s olddefconfig >&2
	# Twice: some options only appear once their parents are set.
	scripts/config "${args[@]}"
	make -s olddefconfig >&2
	bad=""
	for o in "${want_y[@]}"; do grep -q "^CONFIG_$o=y" .config || bad="$bad $o=y"; done
	for o in "${want_m[@]}"; do grep -q "^CONFIG_$o=m" .config || bad="$bad $o=m"; done
	[ -z "$bad" ] || { log "olddefconfig dropped:$bad"; exit 1; }
	cp .config "$cfg"
	echo "$sum" > "$cfg.sha256"
fi

log "building with $jobs jobs"
make -s -j"$jobs" bzImage modules >&2
rel=$(make -s kernelrelease)
rm -rf "$out/modroot"
make -s INSTALL_MOD_PATH="$out/modroot" modules_install >&2
rm -rf "$out/modules"
mv "$out/modroot/lib/modules/$rel" "$out/modules"
rm -rf "$out/modroot"
cp arch/x86/boot/bzImage "$out/vmlinuz"
ln -sfn "$src" "$out/build"
echo "$rel" > "$out/release"
log "built $rel"
