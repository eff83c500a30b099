#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: load the release build of tscmon in the guest and show what the
# client makes of this machine.
insmod /opt/tscmon/release/tscmon.ko || exit 1
sleep 2
echo "--- cat /sys/kernel/debug/tscmon/version"
cat /sys/kernel/debug/tscmon/version
echo "--- tscmon status"
tscmon status
echo "--- tscmon advise"
tscmon advise
rc=$?
rmmod tscmon
# advise exits non-zero on warnings; the demo itself succeeded if it ran.
[ "$rc" -lt 64 ]
