#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest half of selftests/guest-client-check.sh: the client against the real
# module in a TCG guest (no constant_tsc), and the module's whole debugfs
# surface printed for the host to compare with docs/debugfs.md. TAP.
D=/sys/kernel/debug/tscmon
. /opt/tscmon/tap.sh
TAP_PREFIX="client in the guest: "
key() { sed -n "s/^$1 //p" $D/summary; }

insmod /opt/tscmon/tscmon.ko || exit 1
grep -q userspace /sys/devices/system/cpu/cpufreq/policy0/scaling_available_governors 2>/dev/null ||
	insmod /opt/tscmon/cpufreq_userspace.ko 2>/dev/null || modprobe cpufreq_userspace
insmod /opt/tscmon/tscmon_test_cpufreq.ko || exit 1
insmod /opt/tscmon/tscmon_test_cpuidle.ko || exit 1
echo 1 > $D/sweep

# The module's interface, for the host's comparison with the docs.
for f in $D/*; do echo "TSCMON-ABI file ${f##*/}"; done
for t in cpus histogram warps idle freq events; do
	[ -r $D/$t ] && head -n 1 $D/$t | tr ' ' '\n' | sed "s/^/TSCMON-ABI column $t /"
done
cut -d' ' -f1 $D/summary | sed 's/^/TSCMON-ABI key /'

# S3/S4 with this machine's own values. The test driver starts under the
# performance governor, which S4 accepts as pinned: scale down first.
for p in /sys/devices/system/cpu/cpufreq/policy*; do
	echo userspace > "$p/scaling_governor"
	echo 1000000 > "$p/scaling_setspeed"
done
tscmon advise > /tmp/advise.txt
grep -A12 '^\[[A-Z]*\] S3:' /tmp/advise.txt > /tmp/s3.txt
grep -q 'processor.max_cstate=1' /tmp/s3.txt
tap $? "S3 gives processor.max_cstate=1 for a CPU without constant_tsc"
grep -A12 '^\[[A-Z]*\] S4:' /tmp/advise.txt > /tmp/s4.txt
max=$(cat /sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq)
grep -q "MIN_SPEED=$max and MAX_SPEED=$max" /tmp/s4.txt && grep -q "echo $max > " /tmp/s4.txt
tap $? "S4 pins min and max to this machine's highest frequency ($max kHz)" || sed 's/^/# /' /tmp/s4.txt
lpj=$(sed -n 's/.*lpj=\([0-9][0-9]*\).*/\1/p' /tmp/advise.txt | head -n 1)
[ -n "$lpj" ] && [ "$lpj" -gt 1000 ] && grep -q "lpj=$lpj" /tmp/advise.txt
tap $? "the guest table carries a real lpj number (lpj=$lpj)"
grep -q 'lpj=n\b\|<[a-z]*>' /tmp/s3.txt /tmp/s4.txt
[ $? != 0 ]
tap $? "no placeholder left in S3/S4"

# The rate check, skewed by +100000 ppb: the module measures +100 ppm more,
# and the client's M-rate reports the module's figure.
wait_rate() {
	i=0
	while [ $i -lt 40 ]; do
		v=$(key tsc_rate_ppm)
		[ -n "$v" ] && [ "$v" != - ] && { echo "$v $(key tsc_rate_uncertainty_ppm)"; return 0; }
		sleep 0.5
		i=$((i + 1))
	done
	return 1
}
base=$(wait_rate)
tap $? "the rate check reports ($base ppm, reference $(key rate_reference))"
echo 100000 > $D/fault_rate_ppb
sleep 1
skewed=$(wait_rate)
echo "# rate: $base -> $skewed (ppm, +- ppm)"
echo "$base $skewed" | awk '{ d = $3 - $1 - 100; if (d < 0) d = -d; exit !(d <= $2 + $4 + 0.5) }'
tap $? "fault_rate_ppb +100000 moves the measured rate by +100 ppm within the uncertainty"
tscmon advise > /tmp/advise2.txt
grep '^\[[A-Z]*\] M-rate:' /tmp/advise2.txt
ppm=$(echo "$skewed" | cut -d' ' -f1)
grep "^\[[A-Z]*\] M-rate:" /tmp/advise2.txt | grep -q -- "$(printf '%+.3f' "$ppm") ppm"
tap $? "the client's M-rate names the measured deviation ($ppm ppm)"
echo 0 > $D/fault_rate_ppb

rmmod tscmon
rmmod tscmon_test_cpuidle
rmmod tscmon_test_cpufreq
exit $tap_failed
