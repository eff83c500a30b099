#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The fleet test: a real Prometheus server scrapes four real node_exporters
# on loopback, each serving the export of one fixture tree, and evaluates
# contrib/prometheus/tscmon-rules.yml. Its configuration is
# contrib/prometheus/prometheus.yml with a 1 s scrape and evaluation
# interval, these targets and a temporary storage directory.
#
#   tcg    qemu-6.1-tcg-captured (the kernel dropped the TSC, hpet): the
#          TSCMonKernelDroppedTSC alert (no for:) must fire;
#          TSCMonSlowClocksource (for: 1h) must be pending.
#   k8     amd-k8-host (2.4 M cycles of skew, 52 ppm drift, old warps):
#          TSCMonSkew, TSCMonSkewCritical and TSCMonDrift must be pending
#          (their for: of minutes cannot elapse in a test); TSCMonWarps
#          must stay quiet (the warp counter does not move).
#   stale  intel-invariant-host with tscmon.prom's mtime an hour back:
#          TSCMonExportStale (no for:) must fire.
#   The three exports with the module loaded never change, so their sweep
#   counters stand still: TSCMonNotSweeping must be pending for each.
#   kvm    kvm-guest (kvm-clock): no alert in any state.
#
# Through the HTTP API it checks that every target is up, that Prometheus
# holds every tscmon_ sample of each export with its value, that all rules
# loaded with health "ok" and were evaluated, the alerts' states above,
# that no other alert is active, and two recording rules' values.
# Every server is bounded by timeout(1) and stopped on exit.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need "$PROMETHEUS=prometheus" "$PROMTOOL=prometheus" \
	"$NODE_EXPORTER=prometheus-node-exporter" curl=curl python3=python3
need_client

WAIT=${FLEET_WAIT:-60}
declare -A fixture=([tcg]=qemu-6.1-tcg-captured [k8]=amd-k8-host
	[stale]=intel-invariant-host [kvm]=kvm-guest)
declare -A inst
targets=()
for role in tcg k8 stale kvm; do
	dir=$WORK/$role
	mkdir -p "$dir"
	TSCMON=$TSCMON "$EXPORT" --root "$FIXTURES/${fixture[$role]}" "$dir" ||
		bail "tscmon-export of ${fixture[$role]} failed"
	start_node_exporter "$dir" || bail "node_exporter for $role did not start"
	inst[$role]=127.0.0.1:$NE_PORT
	targets+=("${inst[$role]}")
done
touch -d '1 hour ago' "$WORK/stale/tscmon.prom"
ok "4 node_exporters serve the exports: tcg ${inst[tcg]}, k8 ${inst[k8]}, stale ${inst[stale]}, kvm ${inst[kvm]}"

# The shipped configuration with test values. Each substitution must hit,
# or the shipped file has changed shape and this test must be updated.
config=$WORK/prometheus.yml
if ! err=$(python3 - "$PROMDIR/prometheus.yml" "$config" "$RULES" "${targets[@]}" 2>&1 <<'EOF'
import re, sys
src, dst, rules, *targets = sys.argv[1:]
s = open(src).read()
subs = [
    (r"(?m)^(\s*scrape_interval:).*$", r"\1 1s"),
    (r"(?m)^(\s*evaluation_interval:).*$", r"\1 1s"),
    (r"(?m)^(\s*- )tscmon-rules\.yml\s*$", r"\g<1>" + rules),
    (r"(?m)^(\s*)- 127\.0\.0\.1:9100\s*$",
     lambda m: "\n".join(f"{m.group(1)}- {t}" for t in targets)),
]
for pat, rep in subs:
    s, n = re.subn(pat, rep, s)
    if n != 1:
        sys.exit(f"contrib/prometheus/prometheus.yml: {pat!r} matched {n} times, expected once")
open(dst, "w").write(s)
EOF
); then
	bail "$err"
fi
check "the generated configuration passes promtool check config" "$PROMTOOL" check config "$config"

# Prometheus on a free loopback port; retried on another port if it loses
# a race for the one chosen.
for try in 1 2 3; do
	PROM_PORT=$(free_port)
	PROM_LOG=$WORK/prometheus.$PROM_PORT.log
	start_server 150 "$PROM_LOG" "$PROMETHEUS" \
		--config.file="$config" \
		--storage.tsdb.path="$WORK/data.$PROM_PORT" \
		--web.listen-address="127.0.0.1:$PROM_PORT" \
		--log.level=warn
	PROM_PID=$SERVER_PID
	wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 30 "$PROM_PID" && break
	kill "$PROM_PID" 2>/dev/null || true
	diag "prometheus on port $PROM_PORT did not become ready (try $try):" "$(tail -5 "$PROM_LOG")"
	PROM_PID=
done
[ -n "$PROM_PID" ] || bail "prometheus did not start"
ok "prometheus is ready on 127.0.0.1:$PROM_PORT"

args=(--url "http://127.0.0.1:$PROM_PORT" --rules "$RULES" --wait "$WAIT")
for role in tcg k8 stale kvm; do
	args+=(--series "${inst[$role]}=$WORK/$role/tscmon.prom")
done
args+=(--firing "TSCMonKernelDroppedTSC@${inst[tcg]}"
	--pending "TSCMonSlowClocksource@${inst[tcg]}"
	--pending "TSCMonSkew@${inst[k8]}"
	--pending "TSCMonSkewCritical@${inst[k8]}"
	--pending "TSCMonDrift@${inst[k8]}"
	--firing "TSCMonExportStale@${inst[stale]}"
	--pending "TSCMonNotSweeping@${inst[tcg]}"
	--pending "TSCMonNotSweeping@${inst[k8]}"
	--pending "TSCMonNotSweeping@${inst[stale]}"
	--quiet "${inst[kvm]}"
	--record "instance:tscmon_tsc_skew_proven_cycles:max@${inst[k8]}=2449737"
	--record "instance:tscmon_tsc_unstable:max@${inst[tcg]}=1")

out=$WORK/fleetcheck.out
python3 "$(dirname "$0")/fleetcheck.py" "${args[@]}" >"$out" 2>&1 ||
	{ not_ok "fleetcheck.py ran"; diag "$(cat "$out")"; }
while IFS= read -r line; do
	case $line in
	"ok	"*) ok "${line#ok	}" ;;
	"not ok	"*) not_ok "${line#not ok	}" ;;
	*) echo "$line" ;;
	esac
done <"$out"

check "prometheus is still running" kill -0 "$PROM_PID"
if grep -qiE 'level=(error|fatal)' "$PROM_LOG"; then
	not_ok "prometheus logged no error"
	diag "$(grep -iE 'level=(error|fatal)' "$PROM_LOG" | head -5)"
else
	ok "prometheus logged no error"
fi

done_testing
