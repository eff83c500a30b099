#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest half of selftests/record-check.sh: two recordings with the test
# cpuidle and cpufreq drivers active, the first clean, the second with CPU 1
# offset by 200000 cycles and CPU 3 drifting by 10000 ppb (fault build).
# Each is printed between markers for the host to plot.
D=/sys/kernel/debug/tscmon
insmod /opt/tscmon/tscmon_test_cpuidle.ko || exit 1
grep -q userspace /sys/devices/system/cpu/cpufreq/policy0/scaling_available_governors 2>/dev/null ||
	insmod /opt/tscmon/cpufreq_userspace.ko 2>/dev/null || modprobe cpufreq_userspace
insmod /opt/tscmon/tscmon_test_cpufreq.ko || exit 1
insmod /opt/tscmon/tscmon.ko || exit 1
echo 250 > $D/interval_ms
for p in /sys/devices/system/cpu/cpufreq/policy*; do echo userspace > "$p/scaling_governor"; done

# A few frequency changes while recording.
churn() {
	for f in 1000000 2000000 3000000 2000000; do
		sleep 0.7
		for p in /sys/devices/system/cpu/cpufreq/policy*; do echo $f > "$p/scaling_setspeed"; done
	done
}

for name in clean injected; do
	if [ $name = injected ]; then
		echo "1 200000" > $D/fault_offset
		echo "3 10000" > $D/fault_drift_ppb
	fi
	churn &
	tscmon record --seconds 3 --interval 0.25 /tmp/$name.rec || exit 1
	wait
	echo "TSCMON-REC-BEGIN $name"
	cat /tmp/$name.rec
	echo "TSCMON-REC-END $name"
done
rmmod tscmon
rmmod tscmon_test_cpufreq
rmmod tscmon_test_cpuidle
