# SPDX-License-Identifier: GPL-2.0
#
# TAP lines for the project's shell tests, on the host and (copied to
# /opt/tscmon/tap.sh) in the guests' busybox sh. Source it, optionally set
# TAP_PREFIX, then call "tap STATUS DESCRIPTION" after each check (STATUS 0
# passes). tap returns STATUS's verdict; $tap_failed is 1 once any failed.
tap_n=0
tap_failed=0
tap() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - ${TAP_PREFIX:-}$2"
		return 0
	fi
	echo "not ok $tap_n - ${TAP_PREFIX:-}$2"
	tap_failed=1
	return 1
}
