#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [--kernels "debug 7.2"] [--full] [--only NN] [--no-lockdown]
#
# The storm and hardening checks of issue 7 (docs/testing.md, "Hardening"):
#  1. arch-guard.sh on the host: the x86-only guards of the build fire;
#  2. for each kernel, one boot with -smp 4 (selftests/vm/run.sh) running
#     every storm script here (NN-*.sh) in sequence; the harness's verdict
#     fails on any BUG, WARNING, lockdep, KASAN, UBSAN or kmemleak report;
#  3. one 7.2 boot with lockdown=integrity (lockdown.sh).
# Prints the TAP lines (prefixed with the kernel) and "#" notes; exits
# non-zero if anything failed. Each boot's console is kept in
# build/storm/<kernel>.log.
#
# The issue asks for 200 load/unload cycles and 500 CPU transitions. In a
# TCG guest on two shared host cores that alone takes over ten minutes
# (the debug kernel: about 1 s a cycle, 0.6 s a transition, before the
# readers' load), so by default the counts are scaled to fit make check
# (about 6 minutes, see COUNTS); --full runs the issue's numbers on every
# kernel (about 25 minutes). STORM_LOAD_CYCLES, STORM_HOTPLUG_TRANSITIONS,
# STORM_WRITES and STORM_DRIVER_ROUNDS override either.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
kernels="debug 7.2" full=0 only="" lockdown=1
while [ $# -gt 0 ]; do
	case $1 in
	--kernels) kernels=${2:?}; shift 2 ;;
	--full) full=1; shift ;;
	--only) only=${2:?}; shift 2 ;;
	--no-lockdown) lockdown=0; shift ;;
	*) echo "usage: run.sh [--kernels LIST] [--full] [--only NN] [--no-lockdown]" >&2; exit 64 ;;
	esac
done
out=$TOP/build/storm
mkdir -p "$out"

# COUNTS: load cycles, CPU transitions, writes per writer, driver rounds
# per order; the time budget of the storms (guest uptime, seconds: when
# they are reached first, a storm stops early and says so); the boot's
# timeout, which only catches a hang: every storm does a minimum of work
# whatever the budget, and on a loaded host that takes a while.
counts() { # KERNEL
	if [ $full = 1 ]; then
		echo 200 500 150 3 100000 3000
		return
	fi
	case $1 in
	debug) echo 30 80 30 1 120 600 ;;
	*) echo 60 160 60 1 75 300 ;;
	esac
}

# Columns and summary keys the ABI calls signed (docs/debugfs.md tables
# whose unit or meaning says "signed"): only those may be negative.
signed=$(grep -E '^\| `' "$TOP/docs/debugfs.md" |
	awk -F'|' '{ rest = ""; for (i = 3; i <= NF; i++) rest = rest $i }
		rest ~ /(^|[^n])signed/ { print $2 }' |
	grep -o '`[a-z_0-9]*`' | tr -d '`' | sort -u | tr '\n' ' ')

# One script for the guest: the storm files written to /tmp/storm, then run.
guest_script() { # FILE LOAD HOTPLUG WRITES DRIVERS DEADLINE
	local f
	{
		echo '#!/bin/sh'
		echo 'S=/tmp/storm; mkdir -p $S'
		for f in "$HERE"/lib.sh "$HERE"/guest.sh "$HERE"/[0-9][0-9]-*.sh; do
			case ${f##*/} in
			[0-9]*) [ -n "$only" ] && [[ ${f##*/} != "$only"-* ]] && continue ;;
			esac
			echo "cat > \$S/${f##*/} <<'__STORM_FILE_END__'"
			cat "$f"
			echo '__STORM_FILE_END__'
		done
		echo "echo '$signed' > \$S/signed"
		echo "export STORM_LOAD_CYCLES=${STORM_LOAD_CYCLES:-$2}"
		echo "export STORM_HOTPLUG_TRANSITIONS=${STORM_HOTPLUG_TRANSITIONS:-$3}"
		echo "export STORM_WRITES=${STORM_WRITES:-$4}"
		echo "export STORM_DRIVER_ROUNDS=${STORM_DRIVER_ROUNDS:-$5}"
		[ $full = 1 ] || echo "export STORM_END=$6"
		echo 'sh $S/guest.sh'
	} > "$1"
}

# boot NAME KERNEL TIMEOUT SCRIPT [APPEND]: one guest; prints its TAP.
boot() {
	local name=$1 k=$2 timeout=$3 script=$4 append=${5:-} log krc verdict s
	log=$out/$name.log
	s=$(date +%s)
	echo "# storm: booting $k -smp 4${append:+ ($append)}, timeout ${timeout}s (console in ${log#"$TOP"/})"
	"$TOP/selftests/vm/run.sh" --kernel "$k" --smp 4 --timeout "$timeout" \
		--script "$script" ${append:+--append "$append"} > "$log" 2> "$out/$name.stderr"
	krc=$?
	grep -E '^(ok|not ok) [0-9]|^# ' "$log" | grep -v '^# storm: .* begins' |
		sed "s/^\(\(not \)\?ok [0-9]* - \)/\1$name: /"
	verdict=$(grep -E '^(ok|not ok) - ' "$log" | tail -n 1)
	[ -n "$verdict" ] ||
		verdict="not ok - guest $k: the harness gave no verdict: $(tail -n 3 "$out/$name.stderr" | tr '\n' ' ')"
	echo "$verdict"
	if [ $krc != 0 ]; then
		rc=1
		echo "# storm: $name failed; kernel reports in the log:"
		grep -E '^\[ *[0-9]+\.[0-9]+\] .*(BUG:|WARNING:|Oops|Kernel panic|UBSAN:|KASAN:|kmemleak|unreferenced|circular|inconsistent lock|sleeping function)' "$log" |
			head -n 10 | sed 's/^/#   /'
	fi
	echo "# storm: $name took $(($(date +%s) - s)) s"
}

rc=0
t0=$(date +%s)
"$HERE/arch-guard.sh" | sed 's/^\(\(not \)\?ok [0-9]* - \)/\1arch: /' || rc=1
for k in $kernels; do
	read -r load hot writes drivers budget timeout < <(counts "$k")
	guest_script "$out/guest-$k.sh" "$load" "$hot" "$writes" "$drivers" "$budget"
	boot "$k" "$k" "$timeout" "$out/guest-$k.sh"
done
if [ $lockdown = 1 ]; then
	boot lockdown 7.2 120 "$HERE/lockdown.sh" "lockdown=integrity"
fi
echo "# storm: everything took $(($(date +%s) - t0)) s"
exit $rc
