# SPDX-License-Identifier: GPL-2.0
#
# The guest half of make bench (issue 8, items 3 to 5), run by busybox sh in
# a QEMU guest through selftests/vm/run.sh --script. bench/bench.sh writes
# the settings in front of this file:
#
#   PARTS       any of: idle cost accuracy
#   IDLE_SECS   length of one idle measurement window
#   IDLE_REPS   pairs of windows (without tscmon, with it), alternated
#   SWEEPS      sweeps timed for the cost figures
#   OFFSETS     injected offsets for the accuracy figures (cycles)
#
# Everything the host needs is printed on lines starting with "BENCH ".
# Columns of the debugfs tables are found by their header names.

D=/sys/kernel/debug/tscmon
ncpu=$(grep -c ^processor /proc/cpuinfo)
fail=0

# col FILE ROW NAME: the NAME column of the row whose first field is ROW.
col() {
	awk -v r="$2" -v n="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) k = i; next }
		$1 == r { print (k ? $k : "-") }' "$1"
}
key() { awk -v k="$1" '$1 == k { print $2 }' $D/summary; }
uptime_cs() { awk '{ split($1, a, "."); print a[1] * 100 + a[2] }' /proc/uptime; }
# Idle entries from the kernel's own cpuidle counters (not from tscmon).
idle_usage() {
	cat /sys/devices/system/cpu/cpu[0-9]*/cpuidle/state[0-9]*/usage 2>/dev/null |
		awk '{ s += $1 } END { print s + 0 }'
}

# A wake-heavy load: two shells on two CPUs pass a line back and forth
# through two FIFOs, so each CPU goes idle and wakes once per message.
load_pids=""
load_start() {
	rm -f /tmp/ping /tmp/pong
	mkfifo /tmp/ping /tmp/pong
	taskset 2 sh -c 'while read x; do echo "$x"; done' </tmp/ping >/tmp/pong &
	load_pids=$!
	taskset 1 sh -c 'echo 0; while read x; do echo "$x"; done' >/tmp/ping </tmp/pong &
	load_pids="$load_pids $!"
}
load_stop() {
	kill $load_pids 2>/dev/null
	wait $load_pids 2>/dev/null
	load_pids=""
}

# window LOAD MODE: one measurement of idle entries per second.
window() {
	[ "$1" = pingpong ] && load_start
	sleep 1
	e0=$(idle_usage)
	s0=$(uptime_cs)
	t0=-
	[ "$2" = with ] && t0=$(key idle_entries_total)
	sleep "$IDLE_SECS"
	e1=$(idle_usage)
	s1=$(uptime_cs)
	t1=-
	[ "$2" = with ] && t1=$(key idle_entries_total)
	[ "$1" = pingpong ] && load_stop
	tdelta=-
	[ "$t0" != - ] && tdelta=$((t1 - t0))
	echo "BENCH idle load=$1 mode=$2 cs=$((s1 - s0)) entries=$((e1 - e0)) tscmon_entries=$tdelta"
}

part_idle() {
	if ! insmod /opt/tscmon/tscmon_test_cpuidle.ko; then
		echo "BENCH idle error=no-cpuidle-driver"
		fail=1
		return
	fi
	echo "BENCH idle driver=$(cat /sys/devices/system/cpu/cpuidle/current_driver)"
	i=0
	while [ $i -lt "$IDLE_REPS" ]; do
		for load in idle pingpong; do
			window $load without
			insmod /opt/tscmon/release/tscmon.ko || { fail=1; return; }
			window $load with
			rmmod tscmon || fail=1
		done
		i=$((i + 1))
	done
}

part_cost() {
	insmod /opt/tscmon/release/tscmon.ko || { fail=1; return; }
	echo 0 > $D/interval_ms
	echo 1 > $D/reset
	i=0
	while [ $i -lt "$SWEEPS" ]; do
		echo 1 > $D/sweep || fail=1
		echo "BENCH cost cpus=$ncpu sweep_ns=$(key last_sweep_ns)"
		i=$((i + 1))
	done
	echo "BENCH costsum cpus=$ncpu rounds=$(key rounds) sweeps=$(key sweeps) max_irqoff_ns=$(key max_irqoff_ns) rounds_lost=$(key rounds_lost) tsc_khz=$(key tsc_khz)"
	rmmod tscmon || fail=1
}

part_accuracy() {
	insmod /opt/tscmon/tscmon.ko || { fail=1; return; }
	echo 0 > $D/interval_ms
	ref=$(key reference_cpu)
	k=0
	for o in $OFFSETS; do
		# Sweep k moves offset o onto one CPU in turn; every third sweep
		# also moves the reference CPU, by -o/7.
		c=$(((ref + 1 + k % (ncpu - 1)) % ncpu))
		r=0
		[ $((k % 3)) = 2 ] && r=$((0 - o / 7))
		echo "$c $o" > $D/fault_offset || fail=1
		echo "$ref $r" > $D/fault_offset || fail=1
		echo 1 > $D/sweep || fail=1
		j=0
		while [ $j -lt "$ncpu" ]; do
			if [ $j != "$ref" ]; then
				inj=$((0 - r))
				[ $j = "$c" ] && inj=$((o - r))
				echo "BENCH acc cpus=$ncpu sweep=$k cpu=$j injected=$inj" \
					"skew=$(col $D/cpus $j skew_cycles)" \
					"unc=$(col $D/cpus $j uncertainty_cycles)" \
					"rtt=$(col $D/cpus $j rtt_cycles)"
			fi
			j=$((j + 1))
		done
		echo "$c 0" > $D/fault_offset
		echo "$ref 0" > $D/fault_offset
		k=$((k + 1))
	done
	echo "BENCH accsum cpus=$ncpu rounds_lost=$(key rounds_lost) fault_inject=$(key fault_inject)"
	rmmod tscmon || fail=1
}

for p in $PARTS; do
	"part_$p"
done
echo "BENCH done fail=$fail"
exit $fail
