#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Hotplug storm: every non-boot CPU taken offline and back online, one
# after another, STORM_HOTPLUG_TRANSITIONS times in all (500), while
# periodic sweeps run at the shortest interval, a loop asks for sweeps on
# demand and four readers loop over every file. Walking the CPUs in turn
# passes through every count of online CPUs, down to the boot CPU alone.
# Every 50 transitions the online column must match sysfs; at the end
# hotplug_events must count exactly the transitions made.
. "${STORM_DIR:-/tmp/storm}/lib.sh"

want=${STORM_HOTPLUG_TRANSITIONS:-500}
cpus=$(hotplug_cpus)
if [ -z "$cpus" ]; then
	tap 0 "hotplug storm # SKIP no CPU can go offline"
	exit 0
fi
note "hotplug storm: $want transitions over CPUs" $cpus
loaded && unload
if ! insmod "$KO" 2> "$S/err"; then
	tap 1 "hotplug storm: insmod: $(cat "$S/err")"
	exit 0
fi
min=$(interval_min)
echo "$STORM_ROUNDS" > "$D/rounds"
ev0=$(summary_get hotplug_events)
t0=$(now)
readers_start
(
	n=0 f=0
	while [ ! -e "$S/stop" ]; do
		if echo 1 > "$D/sweep" 2> /dev/null; then n=$((n + 1)); else f=$((f + 1)); fi
	done
	echo "$n $f" > "$S/sweeper"
) &
sweeper=$!

done_tr=0 fail_tr=0 checks=0 check_fail=0 budget=""
while [ $done_tr -lt "$want" ] && [ $fail_tr -lt 10 ]; do
	# Every CPU at least once off and on again, however slow the host.
	if [ $done_tr -ge $((2 * $(echo $cpus | wc -w))) ] && over_time; then
		budget=" (time budget reached)"
		break
	fi
	for c in $cpus; do
		[ $done_tr -ge "$want" ] && break
		to=$((1 - $(cat "$CPU/cpu$c/online")))
		if echo $to > "$CPU/cpu$c/online" 2> "$S/err"; then
			done_tr=$((done_tr + 1))
		else
			fail_tr=$((fail_tr + 1))
			note "cpu$c online=$to: $(cat "$S/err")"
		fi
		if [ $((done_tr % ${STORM_CHECK_EVERY:-50})) = 0 ]; then
			checks=$((checks + 1))
			note "hotplug storm: $done_tr transitions at $(now) s"
			sane "after $done_tr transitions" || check_fail=$((check_fail + 1))
		fi
	done
done
# Everything back online (these transitions count too).
for c in $cpus; do
	if [ "$(cat "$CPU/cpu$c/online")" = 0 ]; then
		if echo 1 > "$CPU/cpu$c/online"; then
			done_tr=$((done_tr + 1))
		else
			fail_tr=$((fail_tr + 1))
		fi
	fi
done
readers_stop
wait "$sweeper"
read -r sw swf < "$S/sweeper"
ev1=$(summary_get hotplug_events)
note "hotplug storm: $done_tr transitions in $(since "$t0") s, interval_ms $min," \
	"$sw sweeps on demand ($swf failed), $PASSES reader passes," \
	"$checks mid-storm checks"
[ $done_tr -gt 0 ] || fail_tr=$((fail_tr + 1))
tap $((fail_tr + check_fail)) \
	"hotplug storm: $done_tr of $want CPU transitions$budget during sweeps and reads ($fail_tr failed writes, $check_fail of $checks checks of the online column failed)"
tap $((swf != 0)) "hotplug storm: every sweep on demand succeeded ($sw, $swf failed)"
tap $(($((ev1 - ev0)) != done_tr)) \
	"hotplug storm: hotplug_events grew by $((ev1 - ev0)), the transitions made: $done_tr"
sane "after the hotplug storm"
tap $? "hotplug storm: the module answers with sane values, cpus matches sysfs"
unload
tap $? "hotplug storm: tscmon unloads"
