#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The seed's failure, live (issue 10). Run in a guest booted with
# tsc=reliable (selftests/check.sh passes --append tsc=reliable): the TCG CPU
# has no constant_tsc, yet tsc=reliable keeps the TSC through boot. The
# first frequency change through the test cpufreq driver then makes the
# kernel give up on it ("cpufreq changes on SMP"). tscmon must see the
# transition, the kernel's verdict, and advise on both the missing
# constant_tsc and the tsc=reliable that hid the risk. Prints TAP.

. /opt/tscmon/tap.sh
TAP_PREFIX="seed failure: "
D=/sys/kernel/debug/tscmon
CS=/sys/devices/system/clocksource/clocksource0/current_clocksource
CPU0=/sys/devices/system/cpu/cpu0/cpufreq

grep -qw tsc=reliable /proc/cmdline
tap $? "booted with tsc=reliable"
grep -qw constant_tsc /proc/cpuinfo
[ $? != 0 ]
tap $? "the virtual CPU has no constant_tsc"
[ "$(cat $CS)" = tsc ]
tap $? "tsc=reliable kept the TSC through boot (clocksource $(cat $CS))"

insmod /opt/tscmon/tscmon.ko || exit 1
echo 1 > $D/sweep
[ "$(sed -n 's/^kernel_tsc_unstable //p' $D/summary)" = 0 ]
tap $? "before any frequency change the kernel trusts the TSC"

grep -q userspace /sys/devices/system/cpu/cpufreq/policy0/scaling_available_governors 2>/dev/null ||
	insmod /opt/tscmon/cpufreq_userspace.ko 2>/dev/null || modprobe cpufreq_userspace
insmod /opt/tscmon/tscmon_test_cpufreq.ko
echo userspace > $CPU0/scaling_governor
before=$(awk '$1 == 0 { print $3 }' $D/freq)
echo 1000000 > $CPU0/scaling_setspeed
sleep 1
echo 1 > $D/sweep
after=$(awk '$1 == 0 { print $3 }' $D/freq)
[ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt "$before" ]
tap $? "tscmon counted the transition on CPU 0 (power:cpu_frequency $before -> $after)"

dmesg | grep -q 'tsc: Marking TSC unstable due to cpufreq changes on SMP'
tap $? "the kernel printed: Marking TSC unstable due to cpufreq changes on SMP"
[ "$(cat $CS)" != tsc ]
tap $? "the kernel switched away from the TSC (to $(cat $CS))"
[ "$(sed -n 's/^kernel_tsc_unstable //p' $D/summary)" = 1 ]
tap $? "tscmon's summary says kernel_tsc_unstable 1"

tscmon export --format json > /tmp/seed.json
grep -q '"family": *"unstable"' /tmp/seed.json &&
	grep -q 'cpufreq changes on SMP' /tmp/seed.json
tap $? "the client's log events hold family unstable, reason 'cpufreq changes on SMP'"
tscmon advise > /tmp/seed.txt
grep -A8 '^\[[A-Z]*\] M-unstable' /tmp/seed.txt > /tmp/seed-item.txt
grep -q 'cpufreq changes on SMP' /tmp/seed-item.txt
tap $? "advise explains M-unstable by the cpufreq change"
grep -q 'constant_tsc' /tmp/seed-item.txt
tap $? "the M-unstable advice names the missing constant_tsc"
grep -q 'tsc=reliable' /tmp/seed-item.txt
tap $? "the M-unstable advice names the tsc=reliable that hid the risk"
grep -qi 'transition' /tmp/seed-item.txt
tap $? "the M-unstable advice ties it to the frequency transition"
cat /tmp/seed-item.txt

echo 1 > $D/sweep
rmmod tscmon_test_cpufreq
rmmod tscmon
exit $tap_failed
