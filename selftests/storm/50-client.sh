#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What the client says when it cannot see the module: not loaded, and
# debugfs not mounted (what a kernel lockdown or a hardened mount leaves).
# It must not crash and must say why it has no measurements; its words
# are printed for the record. (As a non-root user: tscmon_security.)
. "${STORM_DIR:-/tmp/storm}/lib.sh"

loaded && unload
status() { # LABEL
	tscmon status > "$S/client" 2>&1
	rc=$?
	note "client ($1): exit $rc"
	grep -i -E 'module|debugfs|root|permission' "$S/client" | head -n 4 | sed 's/^/#   | /'
	if [ $rc -ge 128 ]; then
		tap 1 "client: tscmon status $1 was killed (exit $rc)"
	elif grep -q -i -E 'not (loaded|found|mounted)' "$S/client"; then
		tap 0 "client: tscmon status $1 says why it has no module data"
	else
		tap 1 "client: tscmon status $1 does not say why it has no module data"
	fi
}
status "without the module"
if umount /sys/kernel/debug 2> /dev/null; then
	insmod "$KO"
	status "with the module loaded but debugfs unmounted"
	mount -t debugfs debugfs /sys/kernel/debug
	unload
else
	tap 0 "client: debugfs unmounted # SKIP cannot unmount /sys/kernel/debug"
fi
