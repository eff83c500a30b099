#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs every storm script in the guest, in name order; exits 1 if any
# TAP line failed or a script stopped with an error.
S=${STORM_DIR:-/tmp/storm}
export STORM_DIR=$S
rm -f "$S/tapn" "$S/failed"
# The client checks take seconds; the storms share the time.
left=$(ls "$S"/[0-9]*.sh | grep -c -v client)
for t in "$S"/[0-9]*.sh; do
	read -r up rest < /proc/uptime
	up=${up%.*}
	# STORM_END (uptime, s) is when all must be done: each script gets an
	# even share of what is left, and what it leaves goes to the next.
	if [ -n "${STORM_END:-}" ] && [ "$left" -gt 0 ]; then
		export STORM_DEADLINE=$((up + (STORM_END - up) / left))
	fi
	echo "# storm: ${t##*/} begins at $up s${STORM_DEADLINE:+, time budget until $STORM_DEADLINE s}"
	case $t in *client*) ;; *) left=$((left - 1)) ;; esac
	sh "$t" || { echo "# storm: ${t##*/} exited $?"; : > "$S/failed"; }
	grep -q "^tscmon " /proc/modules && rmmod tscmon
done
echo "1..$(cat "$S/tapn" 2> /dev/null || echo 0)"
[ ! -e "$S/failed" ]
