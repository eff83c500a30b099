#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# probes.sh KO OUT.csv: the idle-path probes of a built tscmon.ko, from its
# symbol table and disassembly. Probes are found by name (a text symbol with
# "probe" or "notif" in it, classed by "idle" or "freq"), so the script
# follows renames; a probe not found is reported as n/a. For each: the
# instruction count (with any .cold part), lock-prefixed instructions, and
# every call or jump that leaves the function (by relocation target).
# Prints one "probe=KIND symbol=.. insns=.. locks=.. calls=.." line per kind.
set -euo pipefail

ko=${1:?usage: probes.sh KO OUT.csv}
out=${2:?usage: probes.sh KO OUT.csv}
echo "kind,symbol,section,insns,lock_insns,calls" > "$out"

# "ADDR SECTION SIZE NAME" for every function symbol.
funcs=$(objdump -t "$ko" | awk '$3 == "F" || $2 == "F" {
	name = $NF; size = $(NF - 1); sec = $(NF - 2); print $1, sec, size, name }')

pick() { # KIND REGEX PREFERRED
	local p
	p=$(awk -v want="$3" '$4 == want { print $4; exit }' <<<"$funcs")
	[ -n "$p" ] || p=$(awk -v re="$2" '$4 ~ re && $4 !~ /\.cold$/ && $4 ~ /(probe|notif)/ { print $4; exit }' <<<"$funcs")
	echo "$p"
}

# insns SYMBOL: disassembly of one function (by its own section and size).
disasm() {
	local addr sec size
	read -r addr sec size _ < <(awk -v s="$1" '$4 == s' <<<"$funcs")
	objdump -dr --no-show-raw-insn -j "$sec" --start-address=$((16#$addr)) \
		--stop-address=$((16#$addr + 16#$size)) "$ko"
}

for kind in idle freq; do
	case $kind in
	idle) sym=$(pick idle 'idle' tscmon_idle_probe) ;;
	freq) sym=$(pick freq 'freq' tscmon_freq_probe) ;;
	esac
	if [ -z "$sym" ]; then
		echo "$kind,n/a,,,," >> "$out"
		echo "probe=$kind symbol=n/a"
		continue
	fi
	parts=$sym
	awk -v s="$sym.cold" '$4 == s { found = 1 } END { exit !found }' <<<"$funcs" && parts="$sym $sym.cold"
	text=$(for p in $parts; do disasm "$p"; done)
	# Instruction lines are "  addr:<tab>mnemonic ..."; relocations carry R_X86_64.
	insns=$(awk -F'\t' '/^ *[0-9a-f]+:\t/ && !/R_X86_64/ && $2 != "" { n++ } END { print n + 0 }' <<<"$text")
	locks=$(awk -F'\t' '/^ *[0-9a-f]+:\t/ && !/R_X86_64/ && $2 ~ /^lock/ { n++ } END { print n + 0 }' <<<"$text")
	calls=$(awk -F'\t' '
		/^ *[0-9a-f]+:\t/ && !/R_X86_64/ { br = ($2 ~ /^(call|jmp)/); ind = ($2 ~ /\*/); if (ind) print "indirect"; next }
		/R_X86_64_(PLT32|PC32)/ && br { t = $NF; sub(/^.*R_X86_64_[A-Z0-9]+[ \t]+/, "", t); sub(/-0x[0-9a-f]+$/, "", t); print t; br = 0 }' <<<"$text" |
		sort | uniq -c | awk '{ printf "%s%s x%d", sep, $2, $1; sep = "; " }')
	section=$(awk -v s="$sym" '$4 == s { print $2 }' <<<"$funcs")
	echo "$kind,$sym,$section,$insns,$locks,\"$calls\"" >> "$out"
	echo "probe=$kind symbol=$sym insns=$insns locks=$locks calls=$calls"
done
