#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Driver storm: the test-only cpuidle and cpufreq drivers loaded and
# unloaded under tscmon, STORM_DRIVER_ROUNDS times (3) in each of two
# orders: tscmon first (drivers come and go under a loaded tscmon) and
# drivers first (tscmon comes and goes over loaded drivers). While the
# drivers are in, every policy gets the userspace governor and each
# frequency of the table through scaling_setspeed, with four readers and
# periodic sweeps at the shortest interval running.
. "${STORM_DIR:-/tmp/storm}/lib.sh"

rounds=${STORM_DRIVER_ROUNDS:-3}
IDLE_KO=/opt/tscmon/tscmon_test_cpuidle.ko
FREQ_KO=/opt/tscmon/tscmon_test_cpufreq.ko
loaded && unload
modprobe cpufreq_userspace 2> /dev/null

# Loads a module file; the tally of failures goes to fails.
ins() {
	if ! insmod "$1" 2> "$S/err"; then
		note "insmod ${1##*/}: $(cat "$S/err")"
		fails=$((fails + 1))
	fi
}
rmm() {
	t=0
	while mod_loaded "$1"; do
		rmmod "$1" 2> "$S/err" && return 0
		t=$((t + 1))
		if [ $t -ge 500 ]; then
			note "rmmod $1: $(cat "$S/err")"
			fails=$((fails + 1))
			return 1
		fi
		usleep 10000
	done
}
drivers_in() {
	ins "$IDLE_KO"
	ins "$FREQ_KO"
}
drivers_out() {
	rmm tscmon_test_cpufreq
	rmm tscmon_test_cpuidle
}
tscmon_in() {
	ins "$KO"
	loaded && { interval_min > /dev/null || fails=$((fails + 1)); }
	loaded && echo "$STORM_ROUNDS" > "$D/rounds"
}
tscmon_out() {
	unload || { note "tscmon would not unload"; fails=$((fails + 1)); }
}

# Userspace governor on every policy, then every frequency in turn.
speeds() {
	for p in "$CPU"/cpufreq/policy*; do
		[ -d "$p" ] || continue
		if ! echo userspace > "$p/scaling_governor" 2> /dev/null; then
			note "${p##*/}: no userspace governor ($(cat "$p/scaling_available_governors" 2> /dev/null))"
			fails=$((fails + 1))
			continue
		fi
		for f in $(cat "$p/scaling_available_frequencies") $(cat "$p/scaling_available_frequencies"); do
			if echo "$f" > "$p/scaling_setspeed"; then
				setspeeds=$((setspeeds + 1))
			else
				fails=$((fails + 1))
			fi
		done
	done
}

# One pass with the drivers in; checks tscmon where it is loaded.
busy() {
	speeds
	usleep 50000
	loaded && { sane "$1" || fails=$((fails + 1)); }
	[ "$(cat "$CPU/cpuidle/current_driver" 2> /dev/null)" = tscmon_test ] ||
		{ note "$1: cpuidle current_driver is $(cat "$CPU/cpuidle/current_driver" 2> /dev/null)"; fails=$((fails + 1)); }
}

t0=$(now)
readers_start
setspeeds=0
for order in tscmon-first drivers-first; do
	fails=0 r=1
	while [ $r -le "$rounds" ]; do
		if [ $r -gt 1 ] && over_time; then
			note "driver storm: time budget reached after $((r - 1)) rounds of $order"
			break
		fi
		t1=$(now)
		if [ $order = tscmon-first ]; then
			tscmon_in
			drivers_in
			t2=$(now)
			busy "$order round $r"
			t3=$(now)
			drivers_out
			t4=$(now)
			loaded && { sane "$order round $r, drivers gone" || fails=$((fails + 1)); }
			tscmon_out
		else
			drivers_in
			tscmon_in
			t2=$(now)
			busy "$order round $r"
			t3=$(now)
			tscmon_out
			drivers_out
			t4=$(now)
		fi
		note "driver storm: $order round $r: loads ${t1%.*}-${t2%.*} s," \
			"frequencies and checks to ${t3%.*} s, unloads to ${t4%.*} s, done at $(now) s"
		r=$((r + 1))
	done
	tap $fails "driver storm: $((r - 1)) of $rounds rounds with $order ($fails failures)"
done
readers_stop
note "driver storm: $((rounds * 2)) rounds in $(since "$t0") s, $setspeeds scaling_setspeed writes, $PASSES reader passes"
fails=0
tscmon_in
sane "after the driver storm"
tap $? "driver storm: the module answers with sane values, cpus matches sysfs"
tscmon_out
tap $fails "driver storm: tscmon unloads"
