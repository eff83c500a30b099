#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [--quick]: issue 8's benchmark (docs/performance.md). Run through
# "make bench [QUICK=1]", which builds the host programs into build/bench/.
#
#   1, 2  host precision and the warp-check comparison (bench_host)
#   6     the client on a generated 256-CPU fixture (bench_exec, callgrind)
#   3-5   accuracy, idle-path overhead and cost in QEMU guests (guest.sh)
#   4     the probes' instructions, from the built release module
#
# Raw data goes to bench/results/, a summary table to stdout (and
# results/summary.txt). TAP lines report the invariants; timings are never
# asserted. Exits 1 if an invariant broke.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BENCH_BIN:-$TOP/build/bench}
R=$TOP/bench/results
quick=0
[ "${1:-}" = --quick ] && quick=1
KERNEL=${BENCH_KERNEL:-6.1}

rm -rf "$R"
mkdir -p "$R"
t_start=$(date +%s)

# ---- TAP ----
tap_n=0
tap_fail=0
tap() { # OK(0|1) DESC
	tap_n=$((tap_n + 1))
	if [ "$1" = 1 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_fail=$((tap_fail + 1))
	fi
}
tap_skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $1"; }
log() { echo "# bench: $*"; }

# env FILE KEY: a value of a key=value file, "n/a" when missing.
env_get() { awk -F= -v k="$2" '$1 == k { v = substr($0, length(k) + 2) } END { print (v == "" ? "n/a" : v) }' "$1"; }
# ratio A B [DIGITS]: A / B, or n/a.
ratio() {
	awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN {
		if (a == "n/a" || b == "n/a" || a == "" || b == "" || b + 0 == 0) print "n/a"
		else printf "%.*f\n", d, a / b }'
}

# ---- the machine ----
{
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "cpu_model=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
	echo "cpus=$(nproc)"
	echo "hypervisor=$(lscpu | sed -n 's/^Hypervisor vendor: *//p' | head -n 1)"
	echo "kernel=$(uname -r)"
	echo "qemu=$(qemu-system-x86_64 --version | sed -n '1s/^QEMU emulator version //p')"
	echo "commit=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo -)$(git -C "$TOP" diff --quiet 2>/dev/null || echo +dirty)"
	echo "quick=$quick"
} > "$R/machine.env"
log "$(env_get "$R/machine.env" cpu_model), $(env_get "$R/machine.env" cpus) CPUs, kernel $(env_get "$R/machine.env" kernel), QEMU $(env_get "$R/machine.env" qemu)"

# ---- 1, 2: host precision, warp check ----
log "host: floor, half-width and warp check (bench_host$([ $quick = 1 ] && echo " -q"))"
hrc=0
hargs=(-o "$R")
[ $quick = 1 ] && hargs+=(-q)
"$BIN/bench_host" "${hargs[@]}" || hrc=$?
H=$R/host.env
npairs=$(env_get "$H" pairs)
if [ "$npairs" = n/a ] || [ "$npairs" = 0 ]; then
	tap_skip "host precision: fewer than two CPUs"
else
	ok=1
	for ((i = 0; i < npairs; i++)); do
		[ "$(env_get "$H" "pair${i}_ok")" = 1 ] || ok=0
	done
	tap "$ok" "host: most blocks of every CPU pair completed, and each pair's intervals agree"
	[ "$(env_get "$H" tscmon_big_seen)" = 1 ] && b=1 || b=0
	tap "$b" "host: one tscmon sweep sees an offset of +-10^6 cycles (warp check: $(env_get "$H" warpcheck_big_seen))"
	[ "$(env_get "$H" injected_agree)" = 1 ] && b=1 || b=0
	tap "$b" "host: tscmon's intervals minus the injected offsets (0 to +-10^7) share a point [$(env_get "$H" injected_lo), $(env_get "$H" injected_hi)]"
fi
[ $hrc -le 1 ] || tap 0 "host: bench_host failed to run (exit $hrc)"

# ---- 6: the client on 256 CPUs ----
log "client: 256-CPU fixture"
fx=$R/fixture-256
"$TOP/bench/mkfixture.sh" "$TOP/selftests/fixtures/intel-invariant-host" "$fx" 256
client=""
if make -s -C "$TOP/userspace" tscmon >"$R/client-build.log" 2>&1; then
	client=$TOP/userspace/tscmon
elif [ -x "$TOP/userspace/tscmon" ]; then
	client=$TOP/userspace/tscmon
	log "client: the build failed (results/client-build.log); timing the existing binary"
fi
echo "command,wall_min_ns,wall_median_ns,maxrss_kib,rc,instructions" > "$R/client.csv"
runs=$([ $quick = 1 ] && echo 5 || echo 30)
for cmd in advise export; do
	args=(advise)
	[ $cmd = export ] && args=(export --format prometheus)
	if [ -z "$client" ]; then
		echo "$cmd,n/a,n/a,n/a,n/a,n/a" >> "$R/client.csv"
		tap 0 "client: tscmon $cmd on 256 CPUs: no client binary (make -C userspace failed)"
		continue
	fi
	line=$("$BIN/bench_exec" -n "$runs" -o "$R/client-$cmd.out" -- "$client" --root "$fx" "${args[@]}")
	eval "$line"
	ir=n/a
	if command -v valgrind >/dev/null; then
		valgrind --tool=callgrind --callgrind-out-file="$R/callgrind-$cmd.out" \
			"$client" --root "$fx" "${args[@]}" >/dev/null 2>"$R/callgrind-$cmd.log" || true
		ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$R/callgrind-$cmd.out" 2>/dev/null | head -n 1)
		[ -n "$ir" ] || ir=n/a
		callgrind_annotate --inclusive=yes "$R/callgrind-$cmd.out" 2>/dev/null |
			grep -A 16 'file:function' > "$R/callgrind-$cmd.top" || true
	fi
	# shellcheck disable=SC2154 # set by eval
	echo "$cmd,$wall_min_ns,$wall_median_ns,$maxrss_kib,$rc,$ir" >> "$R/client.csv"
	# shellcheck disable=SC2154
	if [ $cmd = export ]; then
		series=$(grep -c 'cpu="255"' "$R/client-$cmd.out" || true)
		[ "$rc" = 0 ] && [ "$series" -gt 0 ] && b=1 || b=0
		tap "$b" "client: tscmon export --format prometheus on 256 CPUs exits 0 with series for cpu 255 ($series)"
	else
		# advise exits 0 (findings are in its output, not its status)
		[ "$rc" = 0 ] && grep -q 'on all 256 CPUs' "$R/client-$cmd.out" && b=1 || b=0
		tap "$b" "client: tscmon advise on 256 CPUs exits 0 and sees all 256 CPUs"
	fi
done

# ---- 3, 4, 5: guests ----
ladder() { # full: 0, +-1, 3, 10, 30 ... 10^7
	local v=1 out="0"
	while [ $v -le 10000000 ]; do
		out="$out $v -$v"
		[ $((v * 3)) -le 10000000 ] && out="$out $((v * 3)) -$((v * 3))"
		v=$((v * 10))
	done
	echo "$out"
}
if [ $quick = 1 ]; then
	boots="2"
	idle_secs=1 idle_reps=1 sweeps=5
	offsets="0 1000 -1000 100000 -100000 10000000 -10000000"
else
	boots="2 4 8"
	idle_secs=3 idle_reps=3 sweeps=30
	offsets=$(ladder)
fi
echo "cpus,sweep,cpu,injected_cycles,skew_cycles,uncertainty_cycles,rtt_cycles,error_cycles,contained" > "$R/accuracy.csv"
echo "load,mode,centiseconds,entries,tscmon_entries" > "$R/idle.csv"
echo "cpus,sweep_ns" > "$R/cost.csv"
echo "cpus,rounds,sweeps,max_irqoff_ns,rounds_lost,tsc_khz" > "$R/costsum.csv"
for smp in $boots; do
	parts="cost accuracy"
	[ "$smp" = 2 ] && parts="idle cost accuracy"
	script=$R/guest-smp$smp.sh
	{
		echo "PARTS=\"$parts\""
		echo "IDLE_SECS=$idle_secs"
		echo "IDLE_REPS=$idle_reps"
		echo "SWEEPS=$sweeps"
		echo "OFFSETS=\"$offsets\""
		cat "$TOP/bench/guest.sh"
	} > "$script"
	log "guest: $KERNEL -smp $smp ($parts)"
	grc=0
	"$TOP/selftests/vm/run.sh" --kernel "$KERNEL" --smp "$smp" --timeout 300 --script "$script" \
		> "$R/guest-smp$smp.log" 2>"$R/guest-smp$smp.err" || grc=$?
	verdict=$(tail -n 1 "$R/guest-smp$smp.log" 2>/dev/null || true)
	case $verdict in
	"ok - "* | "not ok - "*) verdict=${verdict#*ok - } ;;
	*) verdict="guest $KERNEL -smp $smp did not boot: $(grep -v '^make' "$R/guest-smp$smp.err" | tail -n 1)" ;;
	esac
	tap "$([ $grc = 0 ] && echo 1 || echo 0)" "$verdict"
	awk '/^BENCH acc / {
		for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		if (v["skew"] == "-" || v["unc"] == "-") { e = "n/a"; c = 0 }
		else { e = v["skew"] - v["injected"]; c = (e <= v["unc"] && -e <= v["unc"]) }
		print v["cpus"] "," v["sweep"] "," v["cpu"] "," v["injected"] "," v["skew"] "," v["unc"] "," v["rtt"] "," e "," c
	}' "$R/guest-smp$smp.log" >> "$R/accuracy.csv"
	awk '/^BENCH idle load=/ {
		for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		print v["load"] "," v["mode"] "," v["cs"] "," v["entries"] "," v["tscmon_entries"] }' \
		"$R/guest-smp$smp.log" >> "$R/idle.csv"
	awk '/^BENCH cost / { split($3, a, "="); split($4, b, "="); print a[2] "," b[2] }' \
		"$R/guest-smp$smp.log" >> "$R/cost.csv"
	awk '/^BENCH costsum / {
		for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		print v["cpus"] "," v["rounds"] "," v["sweeps"] "," v["max_irqoff_ns"] "," v["rounds_lost"] "," v["tsc_khz"] }' \
		"$R/guest-smp$smp.log" >> "$R/costsum.csv"
done

# Accuracy: every interval must hold the injected offset.
# A CPU whose every round timed out in a sweep has no estimate ("-"): counted apart.
acc_none=$(awk -F, 'NR > 1 && $8 == "n/a"' "$R/accuracy.csv" | wc -l)
acc_n=$(awk -F, 'NR > 1 && $8 != "n/a"' "$R/accuracy.csv" | wc -l)
acc_in=$(awk -F, 'NR > 1 && $9 == 1' "$R/accuracy.csv" | wc -l)
acc_maxerr=$(awk -F, 'NR > 1 && $8 != "n/a" { e = $8 < 0 ? -$8 : $8; if (e > m) m = e } END { print m + 0 }' "$R/accuracy.csv")
acc_maxrel=$(awk -F, 'NR > 1 && $8 != "n/a" && $6 > 0 { e = ($8 < 0 ? -$8 : $8) / $6; if (e > m) m = e } END { printf "%.2f\n", m }' "$R/accuracy.csv")
acc_unc_med=$(awk -F, 'NR > 1 && $6 != "-" { print $6 }' "$R/accuracy.csv" | sort -n | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : "n/a") }')
acc_unc_max=$(awk -F, 'NR > 1 && $6 != "-" { if ($6 > m) m = $6 } END { print m + 0 }' "$R/accuracy.csv")
acc_share=$(ratio "$((acc_in * 100))" "$acc_n" 1)
[ "$acc_n" -gt 0 ] && [ "$acc_in" = "$acc_n" ] && b=1 || b=0
tap "$b" "guest: $acc_in of $acc_n intervals hold the injected offset (0 to +-10^7 cycles, both signs; $acc_none without an estimate)"

# Idle entries per second, with and without tscmon (the kernel's cpuidle counters).
idle_rate() { # LOAD MODE
	awk -F, -v l="$1" -v m="$2" 'NR > 1 && $1 == l && $2 == m { e += $4; c += $3 }
		END { if (c > 0) printf "%.1f\n", e * 100 / c; else print "n/a" }' "$R/idle.csv"
}
idle_without=$(idle_rate idle without)
idle_with=$(idle_rate idle with)
pp_without=$(idle_rate pingpong without)
pp_with=$(idle_rate pingpong with)
idle_ratio=$(ratio "$idle_with" "$idle_without")
pp_ratio=$(ratio "$pp_with" "$pp_without")
tscmon_vs_kernel=$(awk -F, 'NR > 1 && $2 == "with" { t += $5; e += $4 } END { if (e > 0) printf "%.2f\n", t / e; else print "n/a" }' "$R/idle.csv")
[ "$idle_without" != n/a ] && [ "$idle_with" != n/a ] && b=1 || b=0
tap "$b" "guest: idle entries counted with and without tscmon (cpuidle usage of tscmon_test_cpuidle)"

# Cost per CPU.
cost_med() { # CPUS -> median sweep_ns
	awk -F, -v n="$1" 'NR > 1 && $1 == n { print $2 }' "$R/cost.csv" | sort -n |
		awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : "n/a") }'
}
irqoff() { awk -F, -v n="$1" 'NR > 1 && $1 == n { print $4 }' "$R/costsum.csv" | head -n 1; }
declare -A sweep_med per_pair irq
for smp in 2 4 8; do
	sweep_med[$smp]=$(cost_med $smp)
	per_pair[$smp]=n/a
	[ "${sweep_med[$smp]}" != n/a ] && per_pair[$smp]=$((sweep_med[$smp] / (smp - 1)))
	irq[$smp]=$(irqoff $smp)
	[ -n "${irq[$smp]}" ] || irq[$smp]=n/a
done
cost_ratio=$(ratio "${per_pair[8]}" "${per_pair[2]}")
irq_ratio=$(ratio "${irq[8]}" "${irq[2]}")

# ---- 4: the probes (the release build the guests just used) ----
ko=$TOP/build/$KERNEL/tscmon.ko
if [ -f "$ko" ]; then
	"$TOP/bench/probes.sh" "$ko" "$R/probes.csv" > "$R/probes.env"
	idle_sym=$(awk -F, '$1 == "idle" { print $2 }' "$R/probes.csv")
	idle_insns=$(awk -F, '$1 == "idle" { print $4 }' "$R/probes.csv")
	idle_locks=$(awk -F, '$1 == "idle" { print $5 }' "$R/probes.csv")
	idle_calls=$(awk -F, '$1 == "idle" { print $6 }' "$R/probes.csv" | tr -d '"')
	freq_sym=$(awk -F, '$1 == "freq" { print $2 }' "$R/probes.csv")
	freq_insns=$(awk -F, '$1 == "freq" { print $4 }' "$R/probes.csv")
	freq_locks=$(awk -F, '$1 == "freq" { print $5 }' "$R/probes.csv")
	freq_calls=$(awk -F, '$1 == "freq" { print $6 }' "$R/probes.csv" | tr -d '"')
	if [ "$idle_sym" = n/a ]; then
		tap 0 "probes: no cpu_idle probe found in $ko"
	else
		[ "$idle_locks" = 0 ] && b=1 || b=0
		tap "$b" "probes: $idle_sym has no lock-prefixed instruction ($idle_locks)"
		[ "$idle_insns" -le 30 ] && b=1 || b=0
		tap "$b" "probes: $idle_sym is at most 30 instructions ($idle_insns)"
	fi
	if [ "$freq_sym" = n/a ]; then
		tap_skip "probes: no cpu_frequency probe in this build (n/a)"
	else
		[ "$freq_locks" = 0 ] && b=1 || b=0
		tap "$b" "probes: $freq_sym has no lock-prefixed instruction ($freq_locks)"
	fi
else
	tap 0 "probes: $ko is missing (make matrix-$KERNEL)"
	idle_sym=n/a idle_insns=n/a idle_locks=n/a idle_calls=n/a
	freq_sym=n/a freq_insns=n/a freq_locks=n/a freq_calls=n/a
fi
[ -n "$freq_sym" ] || freq_sym=n/a
[ "$freq_sym" = n/a ] && freq_insns=n/a freq_locks=n/a freq_calls=n/a

# ---- the table ----
hz=$(env_get "$H" tsc_hz)
pair_rows() {
	local i f
	for ((i = 0; i < ${npairs:-0}; i++)); do
		IFS=, read -r -a f <<<"$(env_get "$H" "pair$i")"
		printf '  cpu%s-cpu%s  floor %s cyc (median of blocks %s) | half-width median %s, best %s | ratio median %s (p90 %s, target <= 0.6)\n' \
			"${f[0]}" "${f[1]}" "${f[2]}" "${f[3]}" "${f[5]}" "${f[4]}" "${f[6]}" "${f[7]}"
		printf '              blocks completed %s; the same exchange polling without a TSC read per poll: half-width %s, ratio %s\n' \
			"$(awk -F, -v a="${f[0]}" -v b="${f[1]}" '$1 == a && $2 == b { print $11 }' "$R/host_pairs.csv")" "${f[9]}" "${f[10]}"
	done
}
round_cyc=$(env_get "$H" pair0 | cut -d, -f9)
hw_pair_ns=$(awk -v c="$round_cyc" -v hz="$hz" 'BEGIN { if (c + 0 > 0 && hz + 0 > 0) printf "%.1f", 64 * c / hz * 1e6; else print "n/a" }')
extrap() { # CPUS PER_PAIR_NS -> seconds
	awk -v n="$1" -v p="$2" 'BEGIN { if (p == "n/a") print "n/a"; else printf "%.3f", (n - 1) * p / 1e9 }'
}
base_pair=${per_pair[8]}
[ "$base_pair" = n/a ] && base_pair=${per_pair[2]}
{
	echo "tscmon bench$([ $quick = 1 ] && echo ' (QUICK)'): $(env_get "$R/machine.env" cpu_model), $(env_get "$R/machine.env" cpus) CPUs ($(env_get "$R/machine.env" hypervisor) guest), kernel $(env_get "$R/machine.env" kernel), QEMU $(env_get "$R/machine.env" qemu), commit $(env_get "$R/machine.env" commit)"
	echo
	echo "1. host precision (TSC $hz Hz; cycles)"
	pair_rows
	echo "2. vs the lock-step warp check (cpu pair 0: smallest offset detected in both directions)"
	printf '  tscmon (one sweep, 64 rounds)        %s cyc, rounds used %s\n' "$(env_get "$H" tscmon_thr)" "$(env_get "$H" tscmon_thr_rounds)"
	printf '  warp check (%s ms, as the kernel)     %s cyc, rounds used %s   ratio to tscmon %s\n' "$(env_get "$H" warp_budget_ms)" "$(env_get "$H" warpcheck_thr)" "$(env_get "$H" warpcheck_thr_rounds)" "$(env_get "$H" thr_ratio)"
	printf '  warp check (64 rounds, same budget)  %s cyc, rounds used %s   ratio to tscmon %s\n' "$(env_get "$H" warpcheck64_thr)" "$(env_get "$H" warpcheck64_thr_rounds)" "$(env_get "$H" thr_ratio64)"
	printf '  at +-%s cyc: median rounds to detect: tscmon %s (%s/%s seen), warp check %s (%s/%s), 64-round warp check %s (%s/%s); ratio warp/tscmon %s\n' \
		"$(env_get "$H" common_offset)" "$(env_get "$H" tscmon_rounds)" "$(env_get "$H" tscmon_hits)" "$(env_get "$H" reps)" \
		"$(env_get "$H" warpcheck_rounds)" "$(env_get "$H" warpcheck_hits)" "$(env_get "$H" reps)" \
		"$(env_get "$H" warpcheck64_rounds)" "$(env_get "$H" warpcheck64_hits)" "$(env_get "$H" reps)" \
		"$(ratio "$(env_get "$H" warpcheck_rounds)" "$(env_get "$H" tscmon_rounds)" 0)"
	echo "3. accuracy in the kernel ($KERNEL, TCG; fault injection 0 to +-10^7 cycles)"
	printf '  %s estimates, %s%% hold the injected offset; max |error| %s cyc = %s x its uncertainty; uncertainty median %s, max %s cyc\n' \
		"$acc_n" "$acc_share" "$acc_maxerr" "$acc_maxrel" "$acc_unc_med" "$acc_unc_max"
	printf '  CPU-sweeps without an estimate (every round of the exchange timed out): %s\n' "$acc_none"
	echo "4. idle path"
	printf '  cpu_idle probe %s: %s instructions, %s lock, calls: %s (target <= 30, no lock)\n' "$idle_sym" "$idle_insns" "$idle_locks" "$idle_calls"
	printf '  cpu_frequency probe %s: %s instructions, %s lock, calls: %s\n' "$freq_sym" "$freq_insns" "$freq_locks" "${freq_calls:-n/a}"
	printf '  idle entries/s (TCG, -smp 2): idle guest %s without, %s with tscmon, ratio %s; pipe ping-pong %s / %s, ratio %s\n' \
		"$idle_without" "$idle_with" "$idle_ratio" "$pp_without" "$pp_with" "$pp_ratio"
	printf '  tscmon idle_entries / kernel cpuidle usage over the same windows: %s\n' "$tscmon_vs_kernel"
	echo "5. cost as CPUs grow (TCG: ratios only; median of sweeps)"
	for smp in 2 4 8; do
		[ "${sweep_med[$smp]}" = n/a ] && continue
		printf '  -smp %s: sweep %s ns, per measured CPU %s ns, longest irq-off %s ns\n' "$smp" "${sweep_med[$smp]}" "${per_pair[$smp]}" "${irq[$smp]}"
	done
	printf '  per-CPU sweep time 8/2: %s (target <= 1.5); irq-off window 8/2: %s\n' "$cost_ratio" "$irq_ratio"
	printf '  from the TCG per-CPU cost: 256 CPUs %s s, 1024 CPUs %s s per sweep; from the host round time (64 x %s cyc = %s us per CPU, no wakeups): 256 CPUs %s s, 1024 CPUs %s s\n' \
		"$(extrap 256 "$base_pair")" "$(extrap 1024 "$base_pair")" "$round_cyc" "$hw_pair_ns" \
		"$(extrap 256 "$(awk -v u="$hw_pair_ns" 'BEGIN { print (u == "n/a" ? u : u * 1000) }')")" \
		"$(extrap 1024 "$(awk -v u="$hw_pair_ns" 'BEGIN { print (u == "n/a" ? u : u * 1000) }')")"
	echo "6. client on 256 CPUs (targets <= 20 ms, <= 8 MiB)"
	awk -F, 'NR > 1 { printf "  tscmon %-7s %s instructions, wall min %.1f ms (median %.1f), peak RSS %.1f MiB, exit %s\n",
		$1, $6, $2 / 1e6, $3 / 1e6, $4 / 1024, $5 }' "$R/client.csv"
	echo
	echo "bench: $(($(date +%s) - t_start)) s; raw data in bench/results/"
} | tee "$R/summary.txt"

echo "1..$tap_n"
[ $tap_fail = 0 ]
