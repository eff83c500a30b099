#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Writer storm: two writers per control file (every file whose owner may
# write, by mode, so files added later are covered) write valid and invalid
# values STORM_WRITES times each (150), all at once, with four readers
# running. Valid writes must succeed and invalid ones fail. Afterwards each
# setting holds one of the valid values written, and the module is sane.
. "${STORM_DIR:-/tmp/storm}/lib.sh"

writes=${STORM_WRITES:-150}
loaded && unload
if ! insmod "$KO" 2> "$S/err"; then
	tap 1 "writer storm: insmod: $(cat "$S/err")"
	exit 0
fi
min=$(interval_min)
ncpu=$(awk '$1 == "cpus_possible" { print $2 }' "$D/summary")
last=$((ncpu - 1))
ctl=$(writable_files)
note "writer storm: control files:" $ctl

# Invalid for every control file, whichever format it takes (the shell
# cannot write 0 bytes, so the empty write is left to tscmon_badinput).
junk='abc|0x10| |5 5 5|1.5|-|+|99999999999999999999999|5\n\n|\t|1 2 3'
valid_for() {
	case $1 in
	interval_ms) echo "$min|2|7|50|250" ;;
	rounds) echo "1|3|16|64" ;;
	sweep | reset) echo "1" ;;
	event_threshold_cycles) echo "0|1000|50000|4294967295" ;;
	event_threshold_ppb) echo "0|10000|1|4294967295" ;;
	event_ring_size) echo "1|16|256|4096|65536" ;;
	fault_rate_ppb) echo "0|1000|-1000|100000000|-100000000" ;;
	fault_offset) echo "$last 0|$last 200000|0 -300000|$last -1000000000000|0 0" ;;
	fault_drift_ppb) echo "$last 0|$last 1000000|0 -5000|$last 100000000|0 0" ;;
	*) echo "" ;; # unknown: only the invalid values
	esac
}
invalid_for() {
	case $1 in
	interval_ms) echo "$junk|3600001|-1|+5" ;;
	rounds) echo "$junk|0|10001|-3" ;;
	sweep | reset) echo "$junk|0|2|-1" ;;
	fault_offset) echo "$junk|$ncpu 5|$last|$last 5x|$last 1000000000001|$last -1000000000001" ;;
	fault_drift_ppb) echo "$junk|$ncpu 5|$last|$last 5x|$last 100000001|$last -100000001" ;;
	fault_rate_ppb) echo "$junk|1 5|100000001|-100000001|--5" ;;
	event_threshold_*) echo "$junk|4294967296|-1|+5" ;;
	event_ring_size) echo "$junk|0|65537|-1" ;;
	fault_*) echo "$junk" ;;
	*) echo "$junk" ;;
	esac
}

# pick LIST N: sets v to the Nth (from 0, wrapping) of the |-separated
# LIST, without a fork (a command substitution would cost one).
pick() {
	n=$2
	set -f
	oldifs=$IFS
	IFS='|'
	# shellcheck disable=SC2086
	set -- $1
	IFS=$oldifs
	set +f
	shift $((n % $#))
	v=$1
}

# writer FILE ID: alternates valid and invalid values; writes its tallies.
writer() {
	good=$(valid_for "$1") bad=$(invalid_for "$1")
	vg=0 vf=0 ig=0 xf=0 k=0
	while [ $k -lt "$writes" ]; do
		# At least 8 writes each, however slow the host.
		if [ $k -ge 8 ] && [ $((k % 8)) = 0 ] && over_time; then
			echo "# $1: writer $2 reached the time budget after $k writes" >> "$S/writer.log"
			break
		fi
		if [ -n "$good" ] && [ $((k % 2)) = 0 ]; then
			pick "$good" $((k / 2 + $2))
			if printf "$v\n" > "$D/$1" 2> /dev/null; then
				vg=$((vg + 1))
			else
				vf=$((vf + 1))
				echo "# $1 refused the valid '$v'" >> "$S/writer.log"
			fi
		else
			pick "$bad" $((k + $2 * 3))
			if printf "$v" > "$D/$1" 2> /dev/null; then
				ig=$((ig + 1))
				echo "# $1 took the invalid '$v'" >> "$S/writer.log"
			else
				xf=$((xf + 1))
			fi
		fi
		k=$((k + 1))
	done
	echo "$1 $vg $vf $ig $xf" >> "$S/writers"
}

rm -f "$S/writers" "$S/writer.log"
t0=$(now)
readers_start
pids=""
for f in $ctl; do
	writer "$f" 0 &
	pids="$pids $!"
	writer "$f" 1 &
	pids="$pids $!"
done
wait $pids
readers_stop
note "writer storm: $(wc -l < "$S/writers") writers x $writes writes in $(since "$t0") s, $PASSES reader passes"
[ -f "$S/writer.log" ] && head -n 10 "$S/writer.log"
for f in $ctl; do
	awk -v f="$f" '$1 == f { vg += $2; vf += $3; ig += $4; xf += $5 }
		END { print vg + 0, vf + 0, ig + 0, xf + 0 }' "$S/writers" > "$S/tally"
	read -r vg vf ig xf < "$S/tally"
	tap $((vf + ig + (vg + xf == 0))) "writer storm: $f: $vg valid writes took, $vf failed; $xf invalid writes refused, $ig taken"
done

# Each readable setting holds a valid value.
for f in interval_ms rounds event_threshold_cycles event_threshold_ppb event_ring_size fault_rate_ppb; do
	[ -e "$D/$f" ] || continue
	v=$(cat "$D/$f")
	case "|$(valid_for $f)|" in
	*"|$v|"*) tap 0 "writer storm: $f reads $v, one of the values written" ;;
	*) tap 1 "writer storm: $f reads '$v', not a value written" ;;
	esac
done
[ -e "$D/fault_rate_ppb" ] && echo 0 > "$D/fault_rate_ppb"
for f in $ctl; do
	case $f in fault_offset | fault_drift_ppb) ;; *) continue ;; esac
	if awk 'NF != 2 || $1 !~ /^[0-9]+$/ || $2 !~ /^-?[0-9]+$/ || $2 == 0 { exit 1 }' "$D/$f"; then
		tap 0 "writer storm: $f reads $(wc -l < "$D/$f") well-formed 'CPU VALUE' lines"
	else
		tap 1 "writer storm: $f reads: $(tr '\n' ';' < "$D/$f")"
	fi
	c=0
	while [ $c -lt "$ncpu" ]; do
		echo "$c 0" > "$D/$f"
		c=$((c + 1))
	done
done
echo "$min" > "$D/interval_ms"
echo 64 > "$D/rounds"
sane "after the writer storm"
tap $? "writer storm: the module answers with sane values, cpus matches sysfs"
unload
tap $? "writer storm: tscmon unloads"
