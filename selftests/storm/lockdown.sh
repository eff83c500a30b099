#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest script for a boot with lockdown=integrity (run.sh --lockdown): the
# kernel refuses the unsigned tscmon.ko, and the client says it has no
# module data and why. Prints TAP.
mount -t securityfs securityfs /sys/kernel/security 2> /dev/null
n=0 failed=0
tap() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
mode=$(cat /sys/kernel/security/lockdown 2> /dev/null)
echo "# lockdown: ${mode:-no lockdown file}"
case $mode in
*"[integrity]"* | *"[confidentiality]"*)
	tap 0 "lockdown: the kernel is locked down ($mode)"
	;;
*)
	tap 0 "lockdown # SKIP this kernel has no lockdown ($mode)"
	exit 0
	;;
esac
if insmod /opt/tscmon/tscmon.ko 2> /tmp/err; then
	tap 1 "lockdown: the unsigned tscmon.ko loaded under lockdown"
	rmmod tscmon
else
	echo "# lockdown: insmod: $(cat /tmp/err)"
	tap 0 "lockdown: the unsigned tscmon.ko is refused"
fi
tscmon status > /tmp/client 2>&1
rc=$?
echo "# lockdown: tscmon status exit $rc"
grep -i -E 'module|debugfs|lockdown' /tmp/client | head -n 4 | sed 's/^/#   | /'
if [ $rc -lt 128 ] && grep -q -i -E 'not (loaded|found|mounted)' /tmp/client; then
	tap 0 "lockdown: tscmon status says why it has no module data"
else
	tap 1 "lockdown: tscmon status does not say why it has no module data (exit $rc)"
fi
if grep -i -E '^ *(module|- module)' /tmp/client | grep -q -i lockdown; then
	echo "# lockdown: the client names the lockdown"
else
	echo "# lockdown: the client does not mention the lockdown"
fi
exit $failed
