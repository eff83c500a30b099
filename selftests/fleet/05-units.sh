#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The systemd units and the module-load file: systemd-analyze verify
# accepts them, the service's exposure score stays low (offline security
# review), the timer runs the service, and the hardening keeps what the
# client needs (debugfs readable, /dev/kmsg, /proc/cpuinfo).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SD=$TOP/contrib/systemd
service=$SD/tscmon-export.service
timer=$SD/tscmon-export.timer

skip() {
	T_NUM=$((T_NUM + 1))
	echo "ok $T_NUM - $T_NAME: $1 # SKIP $2"
}

check "tscmon-export is a POSIX sh script that sh -n accepts" sh -n "$SD/tscmon-export"
check "tscmon-export --help exits 64 with a usage line" \
	sh -c '"$1" --help 2>&1 | grep -q "^usage: tscmon-export"; "$1" --help >/dev/null 2>&1; [ $? = 64 ]' sh "$SD/tscmon-export"

prop() { # prop FILE KEY VALUE: the unit sets KEY=VALUE
	grep -qx "$2=$3" "$1"
}
check "the service is Type=oneshot" prop "$service" Type oneshot
check "the timer starts tscmon-export.service (same name) every 60 s" prop "$timer" OnUnitActiveSec 60s
check "the timer is enabled through timers.target" prop "$timer" WantedBy timers.target
check "the service may write only the textfile directory" \
	sh -c 'grep -qx "ProtectSystem=strict" "$1" && grep -qx "ReadWritePaths=-/var/lib/prometheus/node-exporter" "$1"' sh "$service"
check "the hardening leaves /dev/kmsg and /proc/cpuinfo to the client" \
	sh -c '! grep -Eq "^(ProtectKernelLogs=yes|PrivateDevices=yes|ProcSubset=pid)" "$1" &&
		grep -qx "DeviceAllow=/dev/kmsg r" "$1"' sh "$service"
check "modules-load.d/tscmon.conf names the module and nothing else" \
	sh -c '[ "$(grep -v "^#" "$1" | grep -v "^$")" = tscmon ]' sh "$TOP/contrib/modules-load.d/tscmon.conf"

if ! command -v systemd-analyze >/dev/null 2>&1; then
	skip "systemd-analyze verify" "systemd-analyze not installed"
	skip "systemd-analyze security" "systemd-analyze not installed"
	done_testing
	exit 0
fi

# verify checks that ExecStart= exists: point it at the script in the tree.
dir=$WORK/units
mkdir -p "$dir"
sed "s|^ExecStart=.*|ExecStart=$SD/tscmon-export|" "$service" >"$dir/tscmon-export.service"
cp "$timer" "$dir/"
check "systemd-analyze verify accepts the service and the timer" \
	systemd-analyze verify --man=no "$dir/tscmon-export.service" "$dir/tscmon-export.timer"
score=$(systemd-analyze security --offline=yes "$dir/tscmon-export.service" 2>/dev/null |
	sed -n 's/.*Overall exposure level for tscmon-export.service: \([0-9.]*\).*/\1/p')
if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
	ok "systemd-analyze security: exposure $score (at most 2.0)"
else
	not_ok "systemd-analyze security: exposure ${score:-unknown} (at most 2.0)"
fi

done_testing
