# SPDX-License-Identifier: GPL-2.0
#
# Sourced by every storm script (busybox sh, in the guest). TAP numbering
# runs across all scripts of one boot, through $S/tapn.

D=/sys/kernel/debug/tscmon
KO=/opt/tscmon/tscmon.ko
CPU=/sys/devices/system/cpu
S=${STORM_DIR:-/tmp/storm}
# Exchange rounds per CPU during the storms: fewer than the default 64, so
# that sweeps are short and more of them interleave with what the storms
# do (in a TCG guest a 64-round sweep of 4 CPUs takes about 0.4 s).
STORM_ROUNDS=${STORM_ROUNDS:-16}
# Columns and keys docs/debugfs.md calls signed; run.sh extracts them.
SIGNED=" $(cat "$S/signed" 2>/dev/null) "

note() { echo "# $*"; }

# tap STATUS DESCRIPTION: STATUS 0 prints ok, anything else not ok.
tap() {
	n=$(($(cat "$S/tapn" 2>/dev/null || echo 0) + 1))
	echo "$n" > "$S/tapn"
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		: > "$S/failed"
	fi
}

now() {
	read -r up rest < /proc/uptime
	echo "$up"
}
# since T0: seconds since T0 (from now), one decimal.
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Shell builtins where a loop runs often: a fork and exec costs tens of
# milliseconds in a TCG guest.
mod_loaded() {
	while read -r m rest; do
		[ "$m" = "$1" ] && return 0
	done < /proc/modules
	return 1
}
loaded() { mod_loaded tscmon; }

# Unloads tscmon. A reader holding a file open holds the module too, so
# rmmod (which does not wait) is retried, at most 300 times.
unload() {
	tries=0
	: > "$S/hold"
	while loaded; do
		rmmod tscmon 2> /dev/null && break
		tries=$((tries + 1))
		[ $tries -ge 300 ] && { rm -f "$S/hold"; return 1; }
		usleep 5000
	done
	rm -f "$S/hold"
	UNLOAD_RETRIES=$((${UNLOAD_RETRIES:-0} + tries))
	return 0
}

# Past this storm's time budget (STORM_DEADLINE, uptime in seconds, set by
# guest.sh from run.sh's budget, well inside the harness's timeout). A
# storm that reaches it stops early, after a minimum of work, and says how
# far it got: on a loaded host that is less stress, not a failure (no
# timing asserts).
over_time() {
	[ -n "${STORM_DEADLINE:-}" ] || return 1
	read -r up rest < /proc/uptime
	[ "${up%.*}" -ge "$STORM_DEADLINE" ]
}

# The smallest interval_ms the module takes (other than 0, which stops
# periodic sweeps); the module must be loaded. Leaves it set.
interval_min() {
	for v in 1 2 5 10 20 50 100 200 500 1000; do
		if echo "$v" > "$D/interval_ms" 2> /dev/null; then
			echo "$v"
			return 0
		fi
	done
	return 1
}

summary_get() {
	while read -r k v; do
		[ "$k" = "$1" ] && { echo "$v"; return 0; }
	done 2> /dev/null < "$D/summary"
	return 1
}

# Every file of the module, as ls shows them now (none when not loaded).
files() { ls "$D" 2> /dev/null; }

# FILE MODE lines, one per file (one ls for all: forks are dear).
modes() {
	ls -l "$D" 2> /dev/null > "$S/ls.$$"
	while read -r mode links owner group size mon day time name; do
		[ -n "$name" ] && echo "$name $mode"
	done < "$S/ls.$$"
	rm -f "$S/ls.$$"
}

# Control files: those whose owner may write, by mode.
writable_files() {
	modes | while read -r f mode; do
		case $mode in ??w*) echo "$f" ;; esac
	done
}

# Non-boot CPUs that can go offline.
hotplug_cpus() {
	for c in "$CPU"/cpu[0-9]*; do
		n=${c##*/cpu}
		[ "$n" = 0 ] && continue
		[ -e "$c/online" ] && echo "$n"
	done
}

sysfs_online() {
	if [ -e "$CPU/cpu$1/online" ]; then
		cat "$CPU/cpu$1/online"
	elif [ -d "$CPU/cpu$1" ]; then
		echo 1
	else
		echo 0
	fi
}

# Readers: each loops over every file (found anew with ls each pass) until
# $S/stop appears. Failed opens and reads are expected around a load or
# unload, and on the write-only files. Readers 1-3 read with the shell's
# own read (no fork per file) and step aside while $S/hold exists, which
# unload() sets: they would otherwise nearly always hold a file open, and
# with it the module. Reader 4 never steps aside: it reads with cat, whose
# fork leaves gaps for rmmod, and keeps opening files while tscmon unloads.
reader() {
	passes=0
	while [ ! -e "$S/stop" ]; do
		for f in $(files); do
			if [ "$1" = 4 ]; then
				cat "$D/$f" > /dev/null 2>&1
				continue
			fi
			while [ -e "$S/hold" ] && [ ! -e "$S/stop" ]; do usleep 2000; done
			while read -r line; do :; done 2> /dev/null < "$D/$f"
		done
		passes=$((passes + 1))
		# A pause per pass leaves the vCPUs to what the readers race.
		usleep "${STORM_READER_PAUSE_US:-100000}"
	done
	echo "$passes" > "$S/reader.$1"
}

readers_start() {
	rm -f "$S/stop" "$S/hold" "$S"/reader.*
	READERS=""
	for r in 1 2 3 4; do
		reader "$r" &
		READERS="$READERS $!"
	done
}

# Stops the readers; PASSES is how many passes they made in all.
readers_stop() {
	: > "$S/stop"
	wait $READERS
	READERS=""
	PASSES=0
	for r in "$S"/reader.*; do
		[ -f "$r" ] && PASSES=$((PASSES + $(cat "$r")))
	done
}

# sane LABEL: the module answers, its values are sane, and its view of the
# CPUs matches sysfs. Call it with no CPU transition in flight. Prints what
# is wrong; returns non-zero if anything is.
sane() {
	bad=0
	v=$(cat "$D/version" 2> /dev/null)
	if ! echo "$v" | grep -Eq '^tscmon [^ ]+ abi [0-9]+$'; then
		note "$1: version reads '$v'"
		bad=1
	fi
	# Negative values only where the ABI says signed.
	# Every table: the files only root may read, but version and summary
	# (so tables added later are covered).
	tables=$(modes | while read -r f mode; do
		case $f in version | summary) continue ;; esac
		case $mode in -r--------) echo "$f" ;; esac
	done)
	for f in summary $tables; do
		if ! cat "$D/$f" > "$S/sane.$f" 2> /dev/null; then
			note "$1: cannot read $f"
			bad=1
			continue
		fi
	done
	awk -v signed="$SIGNED" -v l="$1" '
		$2 ~ /^-[0-9]+$/ && index(signed, " " $1 " ") == 0 {
			print "# " l ": summary " $1 " is negative: " $2; bad = 1
		}
		END { exit bad }' "$S/sane.summary" || bad=1
	for f in $tables; do
		awk -v signed="$SIGNED" -v l="$1" -v f="$f" '
			NR == 1 { for (i = 1; i <= NF; i++) col[i] = $i; nc = NF; next }
			NF != nc { print "# " l ": " f " row " NR - 1 " has " NF " fields, header " nc; bad = 1 }
			{
				for (i = 1; i <= NF; i++)
					if ($i ~ /^-[0-9]/ && index(signed, " " col[i] " ") == 0) {
						print "# " l ": " f " " col[1] " " $1 " " col[i] " is negative: " $i
						bad = 1
					}
			}
			END { if (NR < 1 && (f == "cpus" || f == "histogram")) { print "# " l ": " f " is empty"; bad = 1 }; exit bad }' \
			"$S/sane.$f" || bad=1
	done
	# The online column and cpus_online against sysfs.
	awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "online") o = i; next }
	     o { print $1, $o }' "$S/sane.cpus" > "$S/sane.online"
	rows=0 on=0
	while read -r c o; do
		s=$(sysfs_online "$c")
		rows=$((rows + 1))
		[ "$s" = 1 ] && on=$((on + 1))
		if [ "$o" != "$s" ]; then
			note "$1: cpus says cpu$c online=$o, sysfs says $s"
			bad=1
		fi
	done < "$S/sane.online"
	[ $rows -gt 0 ] || { note "$1: cpus has no online column or no rows"; bad=1; }
	so=$(awk '$1 == "cpus_online" { print $2 }' "$S/sane.summary")
	sp=$(awk '$1 == "cpus_possible" { print $2 }' "$S/sane.summary")
	if [ "$so" != "$on" ]; then
		note "$1: summary cpus_online=$so, sysfs has $on online"
		bad=1
	fi
	if [ "$sp" != "$rows" ]; then
		note "$1: summary cpus_possible=$sp, cpus has $rows rows"
		bad=1
	fi
	# And it still sweeps.
	before=$(summary_get sweeps)
	if ! echo 1 > "$D/sweep" 2> /dev/null; then
		note "$1: a sweep on demand failed"
		bad=1
	elif [ "$(summary_get sweeps)" -le "${before:-0}" ] 2> /dev/null; then
		note "$1: sweeps did not grow ($before -> $(summary_get sweeps))"
		bad=1
	fi
	return $bad
}
