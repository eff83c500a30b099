#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of tscmon's test guests (docs/testing.md has the contract): mounts
# /proc, /sys, /dev and debugfs, runs the selftests or the given script,
# reports its exit code and the kernel log on the console, and powers off.

/bin/busybox mkdir -p /proc /sys /dev /tmp /run /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
[ -d /sys/kernel/tracing ] && mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
export PATH=/opt/tscmon/bin:/sbin:/usr/sbin:/bin:/usr/bin
export HOME=/root TERM=dumb
cd /opt/tscmon || exit 1

# On the debug kernel: forget what boot left behind, so the scan at the end
# reports only what the tests leaked.
kmemleak=/sys/kernel/debug/kmemleak
[ -w $kmemleak ] && echo clear > $kmemleak

echo "TSCMON-VM: begin $(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo) cmdline=$(cat /proc/cmdline)"
if [ -f /opt/tscmon/script.sh ]; then
	sh /opt/tscmon/script.sh
else
	sh /opt/tscmon/selftests/run.sh
fi
rc=$?
echo "TSCMON-VM: rc=$rc"
if [ -w $kmemleak ]; then
	# Objects younger than about 5 s are never reported; scan twice after
	# they have aged. A leak shows in the kernel log as "kmemleak: N new
	# suspected memory leaks", which fails the run.
	sleep 6
	echo scan > $kmemleak
	echo scan > $kmemleak
	echo "TSCMON-VM: kmemleak-begin"
	cat $kmemleak
	echo "TSCMON-VM: kmemleak-end"
fi
echo "TSCMON-VM: dmesg-begin"
dmesg
echo "TSCMON-VM: dmesg-end"
sync
poweroff -f
