#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkfixture.sh SRC DST N: a fixture tree of N CPUs for the client benchmark,
# grown from the fixture SRC (selftests/fixtures/intel-invariant-host): CPU 1
# of SRC is the model for every CPU's cpufreq and cpuidle directories and
# /proc/cpuinfo block, and the module's tables get one row per CPU with
# skews that vary from CPU to CPU. Everything else is copied as it is.
set -euo pipefail

src=${1:?usage: mkfixture.sh SRC DST N}
dst=${2:?usage: mkfixture.sh SRC DST N}
n=${3:?usage: mkfixture.sh SRC DST N}
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "mkfixture.sh: N must be a CPU count" >&2; exit 64; }

rm -rf "$dst"
mkdir -p "$dst"
cp -a "$src"/. "$dst"/
cpu=$dst/sys/devices/system/cpu
mod=$dst/sys/kernel/debug/tscmon
model=$(mktemp -d)
trap 'rm -rf "$model"' EXIT
cp -a "$cpu/cpu1" "$model/cpu"
rm -rf "$cpu"/cpu[0-9]*
for ((i = 0; i < n; i++)); do
	cp -a "$model/cpu" "$cpu/cpu$i"
done
printf '0-%d\n' $((n - 1)) > "$cpu/online"
printf '0-%d\n' $((n - 1)) > "$cpu/possible"

# /proc/cpuinfo: the first block, renumbered N times.
awk -v n="$n" '
	/^$/ { if (got) done = 1; next }
	!done { got = 1; block[++k] = $0 }
	END {
		for (c = 0; c < n; c++) {
			for (i = 1; i <= k; i++) {
				line = block[i]
				if (line ~ /^processor/) line = "processor\t: " c
				else if (line ~ /^(apicid|initial apicid)/) { sub(/: .*/, ": " c, line) }
				else if (line ~ /^core id/) line = "core id\t\t: " c
				else if (line ~ /^siblings/) line = "siblings\t: " n
				else if (line ~ /^cpu cores/) line = "cpu cores\t: " n
				print line
			}
			print ""
		}
	}' "$src/proc/cpuinfo" > "$dst/proc/cpuinfo"

# The module's tables: row 0 is the reference; the others get small skews.
awk -v n="$n" 'NR == 1 { print; next } NR == 2 { ref = $0 } NR == 3 { row = $0 }
	END {
		print ref
		split(row, f, " ")
		for (c = 1; c < n; c++) {
			f[1] = c
			f[3] = (c * 37) % 61 - 30
			line = f[1]
			for (i = 2; i <= length(f); i++) line = line " " f[i]
			print line
		}
	}' "$src/sys/kernel/debug/tscmon/cpus" > "$mod/cpus"
awk -v n="$n" 'NR == 1 { print; next } NR == 2 { print; next } NR == 3 { row = $0; print }
	END { for (c = 2; c < n; c++) { sub(/^[0-9]+/, c, row); print row } }' \
	"$src/sys/kernel/debug/tscmon/histogram" > "$mod/histogram"
awk -v n="$n" 'NR == 1 { print } END { for (c = 1; c < n; c++) print "0 " c " 0 0" }' \
	"$src/sys/kernel/debug/tscmon/warps" > "$mod/warps"
sed -i -e "s/^cpus_possible .*/cpus_possible $n/" -e "s/^cpus_online .*/cpus_online $n/" "$mod/summary"
