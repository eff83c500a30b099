#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Load storm: tscmon loaded and unloaded STORM_LOAD_CYCLES times (200)
# while four readers loop over every file it has, with periodic sweeps at
# the shortest interval it takes. Between load and unload a cycle does one
# of: nothing, a sweep on demand, a short wait for periodic sweeps, or a
# sweep on demand that races the unload.
. "${STORM_DIR:-/tmp/storm}/lib.sh"

cycles=${STORM_LOAD_CYCLES:-200}
note "load storm: $cycles load/unload cycles of $KO, 4 readers"
loaded && unload
t0=$(now)
readers_start
i=1 load_fail=0 unload_fail=0 ival_fail=0 swept=0 min="" budget=""
while [ $i -le $cycles ]; do
	# At least 3 cycles, however slow the host.
	if [ $i -gt 3 ] && over_time; then
		budget=" (time budget reached)"
		break
	fi
	[ $((i % 25)) = 0 ] && note "load storm: cycle $i at $(now) s"
	if ! insmod "$KO" 2> "$S/err"; then
		note "cycle $i: insmod failed: $(cat "$S/err")"
		load_fail=$((load_fail + 1))
		[ $load_fail -ge 3 ] && break
		i=$((i + 1))
		continue
	fi
	[ -n "$min" ] || min=$(interval_min) || min=1
	echo "$min" > "$D/interval_ms" 2> /dev/null || ival_fail=$((ival_fail + 1))
	echo "$STORM_ROUNDS" > "$D/rounds" 2> /dev/null
	case $((i % 4)) in
	1) echo 1 > "$D/sweep" 2> /dev/null ;;
	2) usleep $(((i % 7 + 1) * 5000)) ;;
	3) (echo 1 > "$D/sweep") 2> /dev/null & ;;
	esac
	s=$(summary_get sweeps)
	[ "${s:-0}" -gt 0 ] && swept=$((swept + 1))
	if ! unload; then
		note "cycle $i: tscmon would not unload"
		unload_fail=$((unload_fail + 1))
		break
	fi
	i=$((i + 1))
done
readers_stop
wait
done_cycles=$((i - 1))
note "load storm: $done_cycles cycles in $(since "$t0") s, interval_ms $min," \
	"$swept cycles saw a sweep before unloading, $PASSES reader passes," \
	"${UNLOAD_RETRIES:-0} rmmod retries (a reader held a file open)"
[ $done_cycles -gt 0 ] || load_fail=$((load_fail + 1))
tap $((load_fail + unload_fail + ival_fail)) \
	"load storm: $done_cycles of $cycles load/unload cycles$budget with 4 readers and ${min}ms sweeps ($load_fail insmod, $unload_fail rmmod, $ival_fail interval_ms failures)"

# The module still loads and answers afterwards.
if insmod "$KO" 2> "$S/err"; then
	sane "after the load storm"
	tap $? "load storm: a fresh load answers with sane values, cpus matches sysfs"
	unload
	tap $? "load storm: the last unload"
else
	tap 1 "load storm: insmod after the storm: $(cat "$S/err")"
fi
